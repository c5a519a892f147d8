//! Building extradition orders, valid or deliberately broken (digest 5.2, 5.3, 5.7).
//!
//! The builder starts from a valid order relative to a clock (`now`), lets every header and
//! payload field be overridden or removed (dotted JSON paths), and applies named [`Break`]s.
//! It signs with PS256 (josekit, keys loaded from DER). It refuses to sign with a certificate
//! whose CN is the production CN — a production-valid order can never come out of the harness.

use super::request::Endpoint;
use super::verifier::PAYLOAD_FIELDS;
use crate::domain::dates::ten_years_before;
use crate::domain::mandate::{encode_uri_component, LegalMandate};
use crate::domain::token::Jwk;
use crate::trust::pki::{cert_facts, PkiError, SignerFlaw, SignerMaterial, PRODUCTION_CN};
use crate::trust::{TrustDir, TrustError};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use josekit::jws::JwsSigner;
use serde_json::{json, Map, Value};
use std::fmt;
use std::str::FromStr;

/// Synthetic FNR used by default (birth month + 80, valid check digits; never a real person).
pub(super) const DEFAULT_PARTY_ID: &str = "15859050120";

/// Why an order could not be built.
#[derive(Debug, thiserror::Error)]
pub enum EoBuildError {
    /// Refused: the signing certificate carries the production CN.
    #[error("refusing to sign an extradition order with a production certificate (CN {PRODUCTION_CN:?})")]
    ProductionCn,
    /// Signing failed.
    #[error("signing failed: {0}")]
    Sign(String),
    /// Key material problem.
    #[error(transparent)]
    Pki(#[from] PkiError),
    /// Trust directory problem.
    #[error(transparent)]
    Trust(#[from] TrustError),
}

macro_rules! breaks {
    ($( $variant:ident => $name:literal, $doc:literal; )*) => {
        /// A named way to make an order invalid (CLI `--break RULE`). `MissingField` removes
        /// one mandatory payload field (`missing-<path>`, e.g. `missing-approval.approvalTimestamp`).
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum Break {
            $( #[doc = $doc] $variant, )*
            /// Remove this mandatory payload field (JSON path).
            MissingField(&'static str),
        }

        impl Break {
            const SIMPLE: &'static [(Break, &'static str, &'static str)] = &[
                $( (Break::$variant, $name, $doc), )*
            ];
        }
    };
}

breaks! {
    NotThreeSegments => "not-three-segments", "Drop the signature segment (2 segments).";
    BadBase64 => "bad-base64", "Header segment is not base64url.";
    HeaderNotJson => "header-not-json", "Header segment decodes to non-JSON.";
    PayloadNotJson => "payload-not-json", "Payload segment decodes to non-JSON (signed).";
    GarbageSignature => "garbage-signature", "Signature segment is random bytes.";
    BadSignature => "bad-signature", "Payload altered after signing.";
    SignedByOtherKey => "signed-by-other-key", "Correct kid, but signed with a different key.";
    WrongAlg => "wrong-alg", "Header alg RS256 and an RS256 signature.";
    AlgNone => "alg-none", "Header alg none and an empty signature.";
    WrongTyp => "wrong-typ", "Header typ JOSE.";
    MissingAlg => "missing-alg", "Header without alg.";
    MissingTyp => "missing-typ", "Header without typ.";
    MissingKid => "missing-kid", "Header without kid.";
    UnknownKid => "unknown-kid", "kid not in the JWKS.";
    UnrelatedRoot => "unrelated-root", "Chain to an unrelated root with identical subject names.";
    MissingIntermediate => "missing-intermediate", "x5c carries the leaf only.";
    WrongOu => "wrong-ou", "Signing certificate OU is not Påtalemyndigheten.";
    WrongCn => "wrong-cn", "Signing certificate CN is neither test nor production CN.";
    ExpiredCert => "expired-cert", "Signing certificate expired.";
    NotYetValidCert => "not-yet-valid-cert", "Signing certificate not yet valid.";
    WrongVersion => "wrong-version", "version 2.0.0.";
    NonUuidExtraditionOrderId => "non-uuid-extradition-order-id", "extraditionOrderID is not a UUID.";
    NonUuidCaseId => "non-uuid-case-id", "caseID is not a UUID.";
    BadPartyId => "bad-party-id", "partyID is not 9 or 11 digits.";
    BadDateFormat => "bad-date-format", "fromDate as DD.MM.YYYY.";
    BadApprovalTimestamp => "bad-approval-timestamp", "approvalTimestamp without T/Z.";
    ExpNotInteger => "exp-not-integer", "exp as a string.";
    FlagNotBoolean => "flag-not-boolean", "accountDetails as the string \"true\".";
    PeriodInverted => "period-inverted", "fromDate after toDate.";
    WrongMandate => "wrong-mandate", "A historical (V1) mandate string.";
    MandateUrlEncoded => "mandate-url-encoded", "mandate percent-encoded in the payload.";
    WrongReason => "wrong-reason", "A reason that is not one of the two.";
    CrossedPair => "crossed-pair", "Criminal-case mandate with the missing-person reason.";
    FromDateTooOld => "from-date-too-old", "fromDate one day older than ten years before today.";
    AccountListFalse => "account-list-false", "accountList false.";
    LifetimeOver90Days => "lifetime-over-90-days", "exp − approvalTimestamp = 90 days + 1 s.";
    Expired => "expired", "exp in the past.";
    NotYetValid => "not-yet-valid", "approvalTimestamp in the future.";
    ExpBeforeApproval => "exp-before-approval", "exp before approvalTimestamp.";
    AccountDetailsFalse => "account-details-false", "accountDetails false (Account details → 403 ACC-011).";
    TransactionsFalse => "transactions-false", "transactions false (Transactions → 403 ACC-011).";
    CardsFalse => "cards-false", "cards false (Cards → 403 ACC-011).";
    RolesFalse => "roles-false", "roles false (Roles → 403 ACC-011).";
}

impl Break {
    /// Every break, `missing-<field>` for each mandatory payload field included.
    pub fn all() -> Vec<Break> {
        let mut all: Vec<Break> = Self::SIMPLE.iter().map(|(b, _, _)| b.clone()).collect();
        all.extend(PAYLOAD_FIELDS.iter().map(|(p, _)| Break::MissingField(p)));
        all
    }

    /// The CLI name.
    pub fn name(&self) -> String {
        match self {
            Break::MissingField(path) => format!("missing-{path}"),
            other => Self::SIMPLE
                .iter()
                .find(|(b, _, _)| b == other)
                .map(|(_, n, _)| (*n).to_owned())
                .unwrap_or_default(),
        }
    }

    /// One-line description.
    pub fn description(&self) -> String {
        match self {
            Break::MissingField(path) => format!("Payload without {path}."),
            other => Self::SIMPLE
                .iter()
                .find(|(b, _, _)| b == other)
                .map(|(_, _, d)| (*d).to_owned())
                .unwrap_or_default(),
        }
    }

    fn signer_flaw(&self) -> Option<SignerFlaw> {
        Some(match self {
            Break::UnrelatedRoot => SignerFlaw::UnrelatedRoot,
            Break::MissingIntermediate => SignerFlaw::MissingIntermediate,
            Break::WrongOu => SignerFlaw::WrongOu,
            Break::WrongCn => SignerFlaw::WrongCn,
            Break::ExpiredCert => SignerFlaw::ExpiredCert,
            Break::NotYetValidCert => SignerFlaw::NotYetValidCert,
            _ => return None,
        })
    }
}

impl fmt::Display for Break {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// An unknown `--break` name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown break {0:?}; run `dsop-harness eo breaks` or see docs/extradition-orders.md")]
pub struct UnknownBreak(pub String);

impl FromStr for Break {
    type Err = UnknownBreak;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Break::all()
            .into_iter()
            .find(|b| b.name() == s)
            .ok_or_else(|| UnknownBreak(s.to_owned()))
    }
}

/// A built order: the compact JWS and the JWK of the key that signed it (a flawed signer's
/// JWK is not in the trust directory's JWKS; a harness serving the JWKS adds it).
#[derive(Debug, Clone)]
pub struct BuiltOrder {
    /// The JWS compact serialisation.
    pub jws: String,
    /// JWK of the signing material used.
    pub jwk: Jwk,
    /// Whether `jwk` differs from the trust directory's published key.
    pub extra_jwk: bool,
}

/// Builder of extradition orders.
#[derive(Debug, Clone)]
pub struct OrderBuilder {
    now: DateTime<Utc>,
    header: Map<String, Value>,
    payload: Map<String, Value>,
    breaks: Vec<Break>,
}

fn timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl OrderBuilder {
    /// A valid criminal-case order approved one hour before `now`, expiring 30 days after
    /// approval, covering the two years before today, all endpoints permitted.
    pub fn valid(now: DateTime<Utc>) -> Self {
        let today = now.date_naive();
        let approval = now - Duration::hours(1);
        let mandate = LegalMandate::CriminalCase;
        let payload = json!({
            "extraditionOrderID": uuid::Uuid::new_v4().to_string(),
            "version": "1.0.0",
            "partyID": DEFAULT_PARTY_ID,
            "mandate": mandate.plain(),
            "reason": mandate.reason(),
            "fromDate": (today - Duration::days(730)).to_string(),
            "toDate": today.to_string(),
            "onlyPrimaryOwner": false,
            "accountList": true,
            "accountDetails": true,
            "transactions": true,
            "cards": true,
            "roles": true,
            "district": { "districtID": "56", "districtLabel": "Økokrim" },
            "approval": {
                "approvedByID": "ABC123",
                "approvedByName": "Test Politiadvokat",
                "approvedByRole": "Politiadvokat",
                "approvalTimestamp": timestamp(approval)
            },
            "caseID": uuid::Uuid::new_v4().to_string(),
            "exp": (approval + Duration::days(30)).timestamp()
        });
        let header = json!({ "typ": "JWT", "alg": "PS256" });
        Self {
            now,
            header: header.as_object().cloned().unwrap_or_default(),
            payload: payload.as_object().cloned().unwrap_or_default(),
            breaks: Vec::new(),
        }
    }

    /// The payload as it stands.
    pub fn payload(&self) -> &Map<String, Value> {
        &self.payload
    }

    /// Replaces the whole payload JSON.
    pub fn raw_payload(mut self, payload: Map<String, Value>) -> Self {
        self.payload = payload;
        self
    }

    /// Sets a payload field by dotted path (`approval.approvalTimestamp`).
    pub fn set(mut self, path: &str, value: Value) -> Self {
        set_path(&mut self.payload, path, Some(value));
        self
    }

    /// Removes a payload field by dotted path.
    pub fn remove(mut self, path: &str) -> Self {
        set_path(&mut self.payload, path, None);
        self
    }

    /// Sets a header field.
    pub fn header(mut self, name: &str, value: Value) -> Self {
        self.header.insert(name.to_owned(), value);
        self
    }

    /// `partyID`.
    pub fn party_id(self, id: &str) -> Self {
        self.set("partyID", json!(id))
    }

    /// `mandate` and its `reason`.
    pub fn mandate(self, mandate: LegalMandate) -> Self {
        self.set("mandate", json!(mandate.plain()))
            .set("reason", json!(mandate.reason()))
    }

    /// `fromDate`.
    pub fn from_date(self, date: &str) -> Self {
        self.set("fromDate", json!(date))
    }

    /// `toDate`.
    pub fn to_date(self, date: &str) -> Self {
        self.set("toDate", json!(date))
    }

    /// `caseID`.
    pub fn case_id(self, id: &str) -> Self {
        self.set("caseID", json!(id))
    }

    /// `onlyPrimaryOwner`.
    pub fn only_primary_owner(self, value: bool) -> Self {
        self.set("onlyPrimaryOwner", json!(value))
    }

    /// The flag of `endpoint`.
    pub fn flag(self, endpoint: Endpoint, value: bool) -> Self {
        self.set(endpoint.order_flag(), json!(value))
    }

    /// Adds a break, applied at build time.
    pub fn with_break(mut self, brk: Break) -> Self {
        self.breaks.push(brk);
        self
    }

    fn apply_payload_breaks(&mut self) {
        let now = self.now;
        let today = now.date_naive();
        let ts = |t: DateTime<Utc>| json!(timestamp(t));
        for brk in self.breaks.clone() {
            let p = &mut self.payload;
            match brk {
                Break::WrongVersion => set_path(p, "version", Some(json!("2.0.0"))),
                Break::NonUuidExtraditionOrderId => {
                    set_path(p, "extraditionOrderID", Some(json!("EO-2024-0001")))
                }
                Break::NonUuidCaseId => set_path(p, "caseID", Some(json!("12345678"))),
                Break::BadPartyId => set_path(p, "partyID", Some(json!("ABC-1234"))),
                Break::BadDateFormat => {
                    let d = (today - Duration::days(30)).format("%d.%m.%Y").to_string();
                    set_path(p, "fromDate", Some(json!(d)))
                }
                Break::BadApprovalTimestamp => set_path(
                    p,
                    "approval.approvalTimestamp",
                    Some(json!((now - Duration::hours(1))
                        .format("%Y-%m-%d %H:%M:%S")
                        .to_string())),
                ),
                Break::ExpNotInteger => {
                    let exp = p.get("exp").cloned().unwrap_or(Value::Null).to_string();
                    set_path(p, "exp", Some(json!(exp)))
                }
                Break::FlagNotBoolean => set_path(p, "accountDetails", Some(json!("true"))),
                Break::PeriodInverted => {
                    set_path(p, "fromDate", Some(json!(today.to_string())));
                    set_path(
                        p,
                        "toDate",
                        Some(json!((today - Duration::days(30)).to_string())),
                    );
                }
                Break::WrongMandate => set_path(
                    p,
                    "mandate",
                    Some(json!("Straffeprosessloven § 210 første ledd")),
                ),
                Break::MandateUrlEncoded => {
                    let m = p.get("mandate").and_then(Value::as_str).unwrap_or_default();
                    let encoded = encode_uri_component(m);
                    set_path(p, "mandate", Some(json!(encoded)))
                }
                Break::WrongReason => set_path(p, "reason", Some(json!("Etterforskning."))),
                Break::CrossedPair => {
                    set_path(
                        p,
                        "mandate",
                        Some(json!(LegalMandate::CriminalCase.plain())),
                    );
                    set_path(
                        p,
                        "reason",
                        Some(json!(LegalMandate::MissingPerson.reason())),
                    );
                }
                Break::FromDateTooOld => {
                    let d = ten_years_before(today) - Duration::days(1);
                    set_path(p, "fromDate", Some(json!(d.to_string())))
                }
                Break::AccountListFalse => set_path(p, "accountList", Some(json!(false))),
                Break::LifetimeOver90Days => {
                    let approval = now - Duration::days(1);
                    set_path(p, "approval.approvalTimestamp", Some(ts(approval)));
                    let exp = approval + Duration::days(90) + Duration::seconds(1);
                    set_path(p, "exp", Some(json!(exp.timestamp())))
                }
                Break::Expired => {
                    let approval = now - Duration::days(30);
                    set_path(p, "approval.approvalTimestamp", Some(ts(approval)));
                    set_path(p, "exp", Some(json!((now - Duration::days(1)).timestamp())))
                }
                Break::NotYetValid => {
                    let approval = now + Duration::hours(1);
                    set_path(p, "approval.approvalTimestamp", Some(ts(approval)));
                    set_path(
                        p,
                        "exp",
                        Some(json!((approval + Duration::days(30)).timestamp())),
                    )
                }
                Break::ExpBeforeApproval => {
                    let approval = now - Duration::hours(1);
                    set_path(p, "approval.approvalTimestamp", Some(ts(approval)));
                    set_path(
                        p,
                        "exp",
                        Some(json!((approval - Duration::days(1)).timestamp())),
                    )
                }
                Break::AccountDetailsFalse => set_path(p, "accountDetails", Some(json!(false))),
                Break::TransactionsFalse => set_path(p, "transactions", Some(json!(false))),
                Break::CardsFalse => set_path(p, "cards", Some(json!(false))),
                Break::RolesFalse => set_path(p, "roles", Some(json!(false))),
                Break::MissingField(path) => set_path(p, path, None),
                _ => {}
            }
        }
    }

    /// Builds and signs with the trust directory's prosecution key, or with flawed material
    /// when a certificate break asks for it.
    pub fn build(mut self, trust: &TrustDir) -> Result<BuiltOrder, EoBuildError> {
        let flaw = self.breaks.iter().find_map(Break::signer_flaw);
        let signer = match flaw {
            Some(flaw) => trust.flawed_prosecution_signer(flaw, self.now.timestamp())?,
            None => trust.prosecution_signer()?,
        };
        let other_key = if self.breaks.contains(&Break::SignedByOtherKey) {
            Some(trust.key(crate::trust::Artifact::PoliceClientKey)?)
        } else {
            None
        };
        self.apply_payload_breaks();
        let jws = self.sign_with(&signer, other_key.as_ref())?;
        Ok(BuiltOrder {
            jws,
            jwk: signer.jwk()?,
            extra_jwk: flaw.is_some(),
        })
    }

    /// Signs with `signer` (payload breaks applied; certificate breaks are ignored here).
    pub fn sign(mut self, signer: &SignerMaterial) -> Result<String, EoBuildError> {
        self.apply_payload_breaks();
        self.sign_with(signer, None)
    }

    fn sign_with(
        &self,
        signer: &SignerMaterial,
        other_key: Option<&crate::trust::pki::RsaKey>,
    ) -> Result<String, EoBuildError> {
        let leaf = signer
            .chain
            .first()
            .ok_or(EoBuildError::Sign("signer has no certificate".to_owned()))?;
        if cert_facts(leaf)?
            .subject_cn
            .iter()
            .any(|cn| cn == PRODUCTION_CN)
        {
            return Err(EoBuildError::ProductionCn);
        }
        let has = |b: &Break| self.breaks.contains(b);
        let mut header = self.header.clone();
        if !header.contains_key("kid") {
            header.insert("kid".to_owned(), json!(signer.kid()?));
        }
        if has(&Break::UnknownKid) {
            header.insert("kid".to_owned(), json!("1000000000000000000000001"));
        }
        if has(&Break::WrongAlg) {
            header.insert("alg".to_owned(), json!("RS256"));
        }
        if has(&Break::AlgNone) {
            header.insert("alg".to_owned(), json!("none"));
        }
        if has(&Break::WrongTyp) {
            header.insert("typ".to_owned(), json!("JOSE"));
        }
        for (brk, field) in [
            (Break::MissingAlg, "alg"),
            (Break::MissingTyp, "typ"),
            (Break::MissingKid, "kid"),
        ] {
            if has(&brk) {
                header.remove(field);
            }
        }
        let b64 = |bytes: &[u8]| URL_SAFE_NO_PAD.encode(bytes);
        let header_b64 = if has(&Break::BadBase64) {
            "eyJ!!!not*base64".to_owned()
        } else if has(&Break::HeaderNotJson) {
            b64(b"typ=JWT;alg=PS256")
        } else {
            b64(&serde_json::to_vec(&Value::Object(header.clone()))
                .map_err(|e| EoBuildError::Sign(e.to_string()))?)
        };
        let payload_bytes = if has(&Break::PayloadNotJson) {
            b"extraditionOrderID=1;version=1.0.0".to_vec()
        } else {
            serde_json::to_vec(&Value::Object(self.payload.clone()))
                .map_err(|e| EoBuildError::Sign(e.to_string()))?
        };
        let payload_b64 = b64(&payload_bytes);
        let input = format!("{header_b64}.{payload_b64}");
        let key = other_key.unwrap_or(&signer.key);
        let alg = header.get("alg").and_then(Value::as_str).unwrap_or("PS256");
        let sign_err = |e: josekit::JoseError| EoBuildError::Sign(e.to_string());
        let mut signature = match alg {
            "RS256" => josekit::jws::RS256
                .signer_from_der(key.pkcs8_der())
                .map_err(sign_err)?
                .sign(input.as_bytes())
                .map_err(sign_err)?,
            "none" => Vec::new(),
            _ => josekit::jws::PS256
                .signer_from_der(key.pkcs8_der())
                .map_err(sign_err)?
                .sign(input.as_bytes())
                .map_err(sign_err)?,
        };
        if has(&Break::GarbageSignature) {
            signature = (0..256).map(|_| rand::random::<u8>()).collect();
        }
        let mut payload_b64 = payload_b64;
        if has(&Break::BadSignature) {
            let mut altered = self.payload.clone();
            altered.insert("partyID".to_owned(), json!("03827550069"));
            payload_b64 = b64(&serde_json::to_vec(&Value::Object(altered))
                .map_err(|e| EoBuildError::Sign(e.to_string()))?);
        }
        if has(&Break::NotThreeSegments) {
            return Ok(format!("{header_b64}.{payload_b64}"));
        }
        Ok(format!("{header_b64}.{payload_b64}.{}", b64(&signature)))
    }
}

fn set_path(map: &mut Map<String, Value>, path: &str, value: Option<Value>) {
    match path.split_once('.') {
        None => {
            match value {
                Some(v) => map.insert(path.to_owned(), v),
                None => map.remove(path),
            };
        }
        Some((head, rest)) => {
            let entry = map
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(inner) = entry {
                set_path(inner, rest, value);
            }
        }
    }
}
