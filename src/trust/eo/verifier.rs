//! The bank-side extradition-order verifier (digest 5.5), in the documented order:
//! format → kid → JWK lookup → x5c chain to the configured root → subject OU/CN → PS256
//! signature → payload fields (5.3) → content checks 1–6.

use super::error::EoError;
use super::request::{check_request, RequestFacts};
use crate::domain::dates::{parse_iso_date, ten_years_before};
use crate::domain::mandate::LegalMandate;
use crate::domain::order::{ExtraditionOrderHeader, ExtraditionOrderPayload};
use crate::domain::token::Jwks;
use crate::schema::{validate, MessageKind};
use crate::trust::pki::{cert_facts, PRODUCTION_CN, PROSECUTION_OU, TEST_CN};
use crate::trust::{TrustDir, TrustError};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use chrono::{DateTime, Utc};
use josekit::jws::JwsVerifier;
use rustls_pki_types::{CertificateDer, UnixTime};
use serde_json::{Map, Value};

/// Maximum EO lifetime, `exp − approvalTimestamp` (digest 5.5 content check 6).
pub(super) const MAX_LIFETIME_SECONDS: i64 = 90 * 86_400;

/// Which Buypass hierarchy and CN the verifier expects (digest 5.5 steps 4–5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    /// CN `Godkjenning av utleveringspålegg TEST`.
    Test,
    /// CN `Godkjenning av utleveringspålegg`.
    Production,
}

impl Environment {
    /// The CN required in this environment.
    pub const fn expected_cn(self) -> &'static str {
        match self {
            Environment::Test => TEST_CN,
            Environment::Production => PRODUCTION_CN,
        }
    }

    /// `test` / `production`.
    pub const fn name(self) -> &'static str {
        match self {
            Environment::Test => "test",
            Environment::Production => "production",
        }
    }
}

/// An order that passed every check of digest 5.5.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedOrder {
    /// The JWS header.
    pub header: ExtraditionOrderHeader,
    /// The payload.
    pub payload: ExtraditionOrderPayload,
}

/// One step of the verification and its outcome (for `eo verify` and reports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Step name, e.g. `chain`.
    pub name: &'static str,
    /// Digest section.
    pub section: &'static str,
    /// `Ok(detail)` or the failure.
    pub outcome: Result<String, EoError>,
}

/// Every step run, in order; verification stops at the first failing step (content checks
/// are all run and all reported).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationReport {
    /// The steps.
    pub steps: Vec<Step>,
    /// The verified order, when every step passed.
    pub order: Option<VerifiedOrder>,
}

impl VerificationReport {
    /// The first failure, if any.
    pub fn first_failure(&self) -> Option<&EoError> {
        self.steps.iter().find_map(|s| s.outcome.as_ref().err())
    }

    /// The verified order or the first failure.
    pub fn into_result(self) -> Result<VerifiedOrder, EoError> {
        if let Some(err) = self.first_failure() {
            return Err(err.clone());
        }
        self.order.ok_or(EoError::PayloadNotJson)
    }
}

/// Bank-side verifier of extradition orders.
#[derive(Debug, Clone)]
pub struct ExtraditionOrderVerifier {
    jwks: Jwks,
    roots: Vec<Vec<u8>>,
    environment: Environment,
    now: DateTime<Utc>,
    strict_case_id: bool,
    skip_subject: bool,
}

impl ExtraditionOrderVerifier {
    /// A verifier trusting `roots` (DER) as anchors, looking keys up in `jwks`, expecting the
    /// CN of `environment`, with `now` as the clock.
    pub fn new(
        jwks: Jwks,
        roots: Vec<Vec<u8>>,
        environment: Environment,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            jwks,
            roots,
            environment,
            now,
            strict_case_id: false,
            skip_subject: false,
        }
    }

    /// The verifier a bank under test would configure from the trust directory:
    /// `prosecution-jwks.json` and `prosecution-root.pem`.
    pub fn from_trust_dir(
        trust: &TrustDir,
        environment: Environment,
        now: DateTime<Utc>,
    ) -> Result<Self, TrustError> {
        Ok(Self::new(
            trust.prosecution_jwks()?,
            vec![trust.prosecution_root_der()?],
            environment,
            now,
        ))
    }

    /// Also require `AccountInfoRequestID == caseID` in [`Self::check_request`] (digest 4.8).
    pub fn strict_case_id(mut self, strict: bool) -> Self {
        self.strict_case_id = strict;
        self
    }

    /// Skips digest 5.5 step 5 (subject OU/CN) — only for the mock bank's deliberately
    /// non-conformant `accept-wrong-ou-cn` fault profile; chain and signature are still checked.
    pub fn skip_subject_check(mut self, skip: bool) -> Self {
        self.skip_subject = skip;
        self
    }

    /// Adds keys to the JWKS (e.g. the key of a deliberately flawed test signer).
    pub fn with_extra_keys(
        mut self,
        keys: impl IntoIterator<Item = crate::domain::token::Jwk>,
    ) -> Self {
        for key in keys {
            if self.jwks.find(&key.kid).is_none() {
                self.jwks.keys.push(key);
            }
        }
        self
    }

    /// The clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Verifies `jws` (raw or percent-encoded, digest 9 row 14): the order or the first failure.
    pub fn verify(&self, jws: &str) -> Result<VerifiedOrder, EoError> {
        self.verify_with_report(jws).into_result()
    }

    /// Checks a request against a verified order (digest 5.6).
    pub fn check_request(
        &self,
        order: &ExtraditionOrderPayload,
        facts: &RequestFacts,
    ) -> Result<(), EoError> {
        check_request(order, facts, self.strict_case_id)
    }

    /// Runs every step and reports each outcome.
    pub fn verify_with_report(&self, jws: &str) -> VerificationReport {
        let mut steps = Vec::new();
        let order = self.run(jws, &mut steps);
        VerificationReport { steps, order }
    }

    fn run(&self, jws: &str, steps: &mut Vec<Step>) -> Option<VerifiedOrder> {
        macro_rules! step {
            ($name:literal, $section:literal, $body:expr) => {{
                let result: Result<_, EoError> = $body;
                match result {
                    Ok((value, detail)) => {
                        steps.push(Step {
                            name: $name,
                            section: $section,
                            outcome: Ok(detail),
                        });
                        value
                    }
                    Err(err) => {
                        steps.push(Step {
                            name: $name,
                            section: $section,
                            outcome: Err(err),
                        });
                        return None;
                    }
                }
            }};
        }
        let (header, payload, signing_input, signature) = step!(
            "format",
            "digest 5.1",
            parse_compact(jws).map(|p| {
                (
                    p,
                    "three base64url segments, JSON header and payload".to_owned(),
                )
            })
        );
        let header_fields = step!(
            "header",
            "digest 5.2",
            check_header(&header).map(|h| {
                let d = format!("alg {}, typ {}, kid {}", h.alg, h.typ, h.kid);
                (h, d)
            })
        );
        let jwk = step!("jwk-lookup", "digest 5.5 steps 1-2", {
            self.jwks
                .find(&header_fields.kid)
                .map(|k| (k.clone(), format!("JWK {} found", k.kid)))
                .ok_or(EoError::UnknownKid {
                    kid: header_fields.kid.clone(),
                })
        });
        let chain = step!(
            "chain",
            "digest 5.5 steps 3-4",
            self.check_chain(&jwk).map(|c| {
                let n = c.len();
                (
                    c,
                    format!("x5c of {n} certificate(s) validates to the configured root"),
                )
            })
        );
        let spki = step!(
            "subject",
            "digest 5.5 step 5",
            self.check_subject(&chain[0])
        );
        step!("signature", "digest 5.5 step 6", {
            verify_ps256(&spki, signing_input.as_bytes(), &signature)
                .map(|()| ((), "PS256 signature valid".to_owned()))
        });
        let typed = step!(
            "payload",
            "digest 5.3",
            check_payload_fields(&payload).map(|p| {
                (
                    p,
                    "every mandatory field present with the documented format".to_owned(),
                )
            })
        );
        let failures = content_checks(&typed, self.now);
        let names = [
            "content-1 mandate",
            "content-2 reason",
            "content-3 pair",
            "content-4 fromDate",
            "content-5 accountList",
            "content-6 lifetime",
        ];
        for (i, name) in names.iter().enumerate() {
            let number = (i + 1) as u8;
            let failure = failures
                .iter()
                .find(|f| f.content_check() == Some(number))
                .cloned();
            steps.push(Step {
                name,
                section: "digest 5.5 content checks",
                outcome: match failure {
                    Some(err) => Err(err),
                    None => Ok("ok".to_owned()),
                },
            });
        }
        if !failures.is_empty() {
            return None;
        }
        Some(VerifiedOrder {
            header: header_fields,
            payload: typed,
        })
    }

    fn check_chain(&self, jwk: &crate::domain::token::Jwk) -> Result<Vec<Vec<u8>>, EoError> {
        let no_chain = |reason: &str| EoError::NoCertificateChain {
            kid: jwk.kid.clone(),
            reason: reason.to_owned(),
        };
        let x5c = jwk.x5c.as_ref().ok_or_else(|| no_chain("x5c absent"))?;
        let chain: Vec<Vec<u8>> = x5c
            .iter()
            .map(|c| STANDARD.decode(c))
            .collect::<Result<_, _>>()
            .map_err(|_| no_chain("x5c entry is not base64"))?;
        let leaf = chain.first().ok_or_else(|| no_chain("x5c is empty"))?;
        let anchors = self
            .roots
            .iter()
            .map(|r| {
                webpki::anchor_from_trusted_cert(&CertificateDer::from(r.as_slice()))
                    .map(|a| a.to_owned())
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| EoError::ChainInvalid {
                reason: format!("configured root unusable: {e}"),
            })?;
        let leaf_der = CertificateDer::from(leaf.as_slice());
        let ee = webpki::EndEntityCert::try_from(&leaf_der)
            .map_err(|e| no_chain(&format!("leaf certificate unparsable: {e}")))?;
        let intermediates: Vec<CertificateDer<'_>> = chain[1..]
            .iter()
            .map(|c| CertificateDer::from(c.as_slice()))
            .collect();
        let time = UnixTime::since_unix_epoch(std::time::Duration::from_secs(
            self.now.timestamp().max(0).unsigned_abs(),
        ));
        ee.verify_for_usage(
            webpki::ALL_VERIFICATION_ALGS,
            &anchors,
            &intermediates,
            time,
            webpki::KeyUsage::client_auth(),
            None,
            None,
        )
        .map_err(|e| match e {
            webpki::Error::CertExpired { .. } => EoError::CertificateExpired,
            webpki::Error::CertNotValidYet { .. } => EoError::CertificateNotYetValid,
            other => EoError::ChainInvalid {
                reason: format!("{other:?}"),
            },
        })?;
        Ok(chain)
    }

    fn check_subject(&self, leaf: &[u8]) -> Result<(Vec<u8>, String), EoError> {
        let facts = cert_facts(leaf).map_err(|e| EoError::ChainInvalid {
            reason: e.to_string(),
        })?;
        if self.skip_subject {
            return Ok((
                facts.spki_der,
                "subject not checked (skip_subject_check)".to_owned(),
            ));
        }
        check_subject(&facts.subject_ou, &facts.subject_cn, self.environment)?;
        Ok((
            facts.spki_der,
            format!(
                "OU {PROSECUTION_OU}, CN {} ({})",
                self.environment.expected_cn(),
                self.environment.name()
            ),
        ))
    }
}

/// Digest 5.5 step 5 on already extracted subject attributes: exactly one OU equal to
/// `Påtalemyndigheten` and exactly one CN equal to the environment's CN.
pub(super) fn check_subject(
    ou: &[String],
    cn: &[String],
    environment: Environment,
) -> Result<(), EoError> {
    if ou.len() != 1 || ou[0] != PROSECUTION_OU {
        return Err(EoError::WrongOu { found: ou.to_vec() });
    }
    if cn.len() != 1 || cn[0] != environment.expected_cn() {
        return Err(EoError::WrongCn {
            found: cn.to_vec(),
            expected: environment.expected_cn(),
            environment: environment.name(),
        });
    }
    Ok(())
}

type Parsed = (Map<String, Value>, Map<String, Value>, String, Vec<u8>);

fn parse_compact(jws: &str) -> Result<Parsed, EoError> {
    let jws = jws.trim();
    let decoded;
    let jws = if jws.contains('%') {
        decoded = percent_encoding::percent_decode_str(jws)
            .decode_utf8_lossy()
            .into_owned();
        decoded.as_str()
    } else {
        jws
    };
    let segments: Vec<&str> = jws.split('.').collect();
    if segments.len() != 3 {
        return Err(EoError::NotCompactJws {
            segments: segments.len(),
        });
    }
    let decode = |i: usize, segment| {
        URL_SAFE_NO_PAD
            .decode(segments[i])
            .map_err(|_| EoError::BadBase64 { segment })
    };
    let header = decode(0, "header")?;
    let payload = decode(1, "payload")?;
    let signature = decode(2, "signature")?;
    let header = match serde_json::from_slice(&header) {
        Ok(Value::Object(map)) => map,
        _ => return Err(EoError::HeaderNotJson),
    };
    let payload = match serde_json::from_slice(&payload) {
        Ok(Value::Object(map)) => map,
        _ => return Err(EoError::PayloadNotJson),
    };
    Ok((
        header,
        payload,
        format!("{}.{}", segments[0], segments[1]),
        signature,
    ))
}

fn check_header(header: &Map<String, Value>) -> Result<ExtraditionOrderHeader, EoError> {
    let field = |field: &'static str| match header.get(field) {
        Some(Value::String(s)) => Ok(s.clone()),
        _ => Err(EoError::MissingHeaderField { field }),
    };
    let (alg, typ, kid) = (field("alg")?, field("typ")?, field("kid")?);
    if alg != "PS256" {
        return Err(EoError::WrongAlg { alg });
    }
    if typ != "JWT" {
        return Err(EoError::WrongTyp { typ });
    }
    crate::trust::jose::check_crit(header).map_err(|reason| EoError::CritHeader { reason })?;
    Ok(ExtraditionOrderHeader { alg, typ, kid })
}

fn verify_ps256(spki_der: &[u8], input: &[u8], signature: &[u8]) -> Result<(), EoError> {
    let verifier = josekit::jws::PS256
        .verifier_from_der(spki_der)
        .map_err(|_| EoError::BadSignature)?;
    verifier
        .verify(input, signature)
        .map_err(|_| EoError::BadSignature)
}

/// Every mandatory payload field of digest 5.3 with its JSON type.
pub(crate) const PAYLOAD_FIELDS: &[(&str, &str)] = &[
    ("extraditionOrderID", "string"),
    ("version", "string"),
    ("partyID", "string"),
    ("mandate", "string"),
    ("reason", "string"),
    ("fromDate", "string"),
    ("toDate", "string"),
    ("onlyPrimaryOwner", "boolean"),
    ("accountList", "boolean"),
    ("accountDetails", "boolean"),
    ("transactions", "boolean"),
    ("cards", "boolean"),
    ("roles", "boolean"),
    ("district", "object"),
    ("district.districtID", "string"),
    ("district.districtLabel", "string"),
    ("approval", "object"),
    ("approval.approvedByID", "string"),
    ("approval.approvedByName", "string"),
    ("approval.approvedByRole", "string"),
    ("approval.approvalTimestamp", "string"),
    ("caseID", "string"),
    ("exp", "integer"),
];

fn lookup<'a>(payload: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let first = parts.next()?;
    let mut value = payload.get(first)?;
    for part in parts {
        value = value.as_object()?.get(part)?;
    }
    Some(value)
}

/// Digest 5.3: every field present and of its JSON type (`PAYLOAD_FIELDS`, field-level
/// errors), then every format as `schemas/extradition-order-payload.schema.json` states it, and
/// `fromDate <= toDate`.
pub fn check_payload_fields(
    payload: &Map<String, Value>,
) -> Result<ExtraditionOrderPayload, EoError> {
    for (path, kind) in PAYLOAD_FIELDS {
        let value = lookup(payload, path).ok_or_else(|| EoError::MissingField {
            field: (*path).to_owned(),
        })?;
        let ok = match *kind {
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "object" => value.is_object(),
            _ => value.is_i64(),
        };
        if !ok {
            return Err(EoError::FieldType {
                field: (*path).to_owned(),
                expected: kind,
            });
        }
    }
    // Formats: the schema is the one statement of digest 5.3's formats (UUIDs, version,
    // partyID, dates, the approval timestamp, non-empty strings); the loop above only gives
    // the field-level presence and type errors the breaks of `eo sign` name.
    let document = Value::Object(payload.clone());
    if let Err(violations) = validate(MessageKind::ExtraditionOrderPayload, &document) {
        let Some(first) = violations.first() else {
            return Err(EoError::FieldFormat {
                field: "(payload)".to_owned(),
                value: String::new(),
                rule: "the extradition-order-payload schema".to_owned(),
            });
        };
        let field = first.pointer.trim_start_matches('/').replace('/', ".");
        let value = document
            .pointer(&first.pointer)
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .unwrap_or_default();
        if field == "version" {
            return Err(EoError::WrongVersion { version: value });
        }
        return Err(EoError::FieldFormat {
            field,
            value,
            rule: first.rule.clone(),
        });
    }
    let order: ExtraditionOrderPayload =
        serde_json::from_value(document).map_err(|e| EoError::FieldFormat {
            field: "(payload)".to_owned(),
            value: e.to_string(),
            rule: "the documented payload".to_owned(),
        })?;
    // fromDate <= toDate relates two fields, which the schema cannot say.
    if let (Ok(from), Ok(to)) = (
        parse_iso_date(&order.from_date),
        parse_iso_date(&order.to_date),
    ) {
        if from > to {
            return Err(EoError::PeriodInverted {
                from: order.from_date.clone(),
                to: order.to_date.clone(),
            });
        }
    }
    Ok(order)
}

/// Reads `approvalTimestamp` (digest 5.3: a UTC date-time `YYYY-MM-DDThh:mm:ssZ`; the schema
/// also accepts fractional seconds, as RFC 3339 does).
pub(super) fn parse_approval_timestamp(value: &str) -> Option<DateTime<Utc>> {
    if !value.ends_with('Z') {
        return None;
    }
    DateTime::parse_from_rfc3339(value).ok().map(|t| t.to_utc())
}

fn rfc3339(t: i64) -> String {
    DateTime::from_timestamp(t, 0)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| t.to_string())
}

/// Content checks 1–6 of digest 5.5 on a well-formed payload; returns every failure (empty =
/// all passed). `today` for check 4 is the UTC date of `now`.
pub fn content_checks(order: &ExtraditionOrderPayload, now: DateTime<Utc>) -> Vec<EoError> {
    let mut failures = Vec::new();
    let mandate = LegalMandate::parse_plain(&order.mandate).ok();
    if mandate.is_none() {
        failures.push(EoError::UnknownMandate {
            mandate: order.mandate.clone(),
        });
    }
    let reason_mandate = LegalMandate::for_reason(&order.reason);
    if reason_mandate.is_none() {
        failures.push(EoError::UnknownReason {
            reason: order.reason.clone(),
        });
    }
    if let (Some(m), Some(r)) = (mandate, reason_mandate) {
        if m != r {
            failures.push(EoError::CrossedPair {
                mandate: order.mandate.clone(),
            });
        }
    }
    let oldest = ten_years_before(now.date_naive());
    if let Ok(from) = parse_iso_date(&order.from_date) {
        if from < oldest {
            failures.push(EoError::FromDateTooOld {
                from: order.from_date.clone(),
                oldest: oldest.to_string(),
            });
        }
    }
    if !order.account_list {
        failures.push(EoError::AccountListFalse);
    }
    if let Some(approval) = parse_approval_timestamp(&order.approval.approval_timestamp) {
        let approval_s = approval.timestamp();
        // Saturating: an extreme exp must be judged, never wrap or overflow-panic.
        let lifetime = order.exp.saturating_sub(approval_s);
        let now_s = now.timestamp();
        if lifetime < 0 {
            failures.push(EoError::ExpBeforeApproval {
                exp: rfc3339(order.exp),
                approval: order.approval.approval_timestamp.clone(),
            });
        } else if lifetime > MAX_LIFETIME_SECONDS {
            failures.push(EoError::LifetimeTooLong { seconds: lifetime });
        }
        if now_s < approval_s {
            failures.push(EoError::NotYetValid {
                approval: order.approval.approval_timestamp.clone(),
                now: rfc3339(now_s),
            });
        } else if now_s > order.exp {
            failures.push(EoError::Expired {
                exp: rfc3339(order.exp),
                now: rfc3339(now_s),
            });
        }
    }
    failures
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`PAYLOAD_FIELDS`] (presence and JSON type, field by field) says what the payload
    /// schema's `required` and `type` say, no more and no less.
    #[test]
    fn payload_fields_are_the_schemas_required_fields() {
        let text = crate::schema::embedded_schemas()
            .find(|(path, _)| *path == "extradition-order-payload.schema.json")
            .map(|(_, text)| text)
            .expect("the payload schema is embedded");
        let schema: Value = serde_json::from_str(text).expect("schema JSON");
        let mut from_schema = Vec::new();
        let mut walk = vec![(String::new(), &schema)];
        while let Some((prefix, node)) = walk.pop() {
            for name in node["required"].as_array().into_iter().flatten() {
                let name = name.as_str().expect("required names are strings");
                let property = &node["properties"][name];
                let path = format!("{prefix}{name}");
                if property["type"] == "object" {
                    walk.push((format!("{path}."), property));
                }
                from_schema.push(path);
            }
        }
        let mut declared: Vec<String> = PAYLOAD_FIELDS
            .iter()
            .map(|(p, _)| (*p).to_owned())
            .collect();
        from_schema.sort();
        declared.sort();
        assert_eq!(declared, from_schema);
        for (path, kind) in PAYLOAD_FIELDS {
            let mut node = &schema;
            for part in path.split('.') {
                node = &node["properties"][part];
            }
            if let Some(declared_type) = node["type"].as_str() {
                assert_eq!(declared_type, *kind, "{path}");
            }
        }
    }

    /// The schema decides the formats: a format error names the field and the schema rule.
    #[test]
    fn a_format_error_names_the_field_and_the_schema_rule() {
        let valid = crate::trust::eo::OrderBuilder::valid(Utc::now());
        let mut payload = valid.payload().clone();
        payload.insert("caseID".into(), Value::String("not-a-uuid".into()));
        match check_payload_fields(&payload) {
            Err(EoError::FieldFormat { field, value, rule }) => {
                assert_eq!((field.as_str(), value.as_str()), ("caseID", "not-a-uuid"));
                assert!(rule.starts_with("format"), "{rule}");
            }
            other => panic!("expected a format error, got {other:?}"),
        }
        payload.insert("caseID".into(), valid.payload()["caseID"].clone());
        payload.insert("version".into(), Value::String("2.0.0".into()));
        assert!(matches!(
            check_payload_fields(&payload),
            Err(EoError::WrongVersion { version }) if version == "2.0.0"
        ));
        let mut fraction = valid.payload().clone();
        let approval = fraction["approval"]["approvalTimestamp"]
            .as_str()
            .expect("timestamp")
            .replace('Z', ".250Z");
        fraction["approval"]["approvalTimestamp"] = Value::String(approval.clone());
        let order = check_payload_fields(&fraction).expect("RFC 3339 fractions are a date-time");
        assert!(parse_approval_timestamp(&order.approval.approval_timestamp).is_some());
    }

    #[test]
    fn subject_check_selects_the_cn_by_environment() {
        let ou = vec![PROSECUTION_OU.to_owned()];
        let test = vec![TEST_CN.to_owned()];
        let prod = vec![PRODUCTION_CN.to_owned()];
        assert!(check_subject(&ou, &test, Environment::Test).is_ok());
        assert!(check_subject(&ou, &prod, Environment::Production).is_ok());
        for (cn, env) in [(&prod, Environment::Test), (&test, Environment::Production)] {
            let err = check_subject(&ou, cn, env).expect_err("CN of the other environment");
            assert_eq!(err.rule(), "subject-cn");
            assert_eq!(err.http(), (403, "ACC-011"));
        }
        let wrong_ou = vec!["Politiet".to_owned()];
        assert_eq!(
            check_subject(&wrong_ou, &test, Environment::Test).map_err(|e| e.rule()),
            Err("subject-ou")
        );
    }
}
