//! The bank's judgement of one request, in one pass in the documented order (module doc of
//! [`super`]).
//!
//! Every request is parsed once into typed values ([`crate::domain`]) and every check runs once.
//! A check that finds a defect records it as a [`Defect`]: the police-side [`Rule`] the request
//! breaks (journaled, whatever the bank answers) and the bank's refusal (the first refusal in
//! the documented order decides the answer; a fault profile may tolerate one). So "what did
//! the police client do wrong" and "what does the bank answer" come from the same check and
//! cannot disagree.

use super::{serve, BankMock};
use crate::domain::control::AccCode;
use crate::domain::identifiers::PartyId;
use crate::domain::mandate::LegalMandate;
use crate::domain::order::ExtraditionOrderPayload;
use crate::domain::request::Endpoint;
use crate::domain::values::{
    AccountInfoRequestId, AccountReference, AdditionalReferenceIdType, OnlyPrimaryOwner, Period,
    RequesterId, ValueError,
};
use crate::mocks::faults::{ActiveFaults, FaultProfile};
use crate::mocks::headers::{case_headers, HeaderDefect, Problem};
use crate::mocks::http::MockRequest;
use crate::mocks::journal::Violation;
use crate::rules::Rule;
use crate::schema::MessageKind;
use crate::trust::eo::{self, EoError, ExtraditionOrderVerifier, RequestFacts};
use crate::trust::maskinporten::{AccessTokenValidator, TokenError, CONTROL_API_SCOPE};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;

/// Why the bank refuses a request: an ACC code (which fixes the HTTP status, digest 7.6) and
/// a message saying what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rejection {
    /// The code.
    pub code: AccCode,
    /// What was wrong, with the digest section.
    pub message: String,
}

impl Rejection {
    /// A rejection with `code` and `message`.
    pub(crate) fn new(code: AccCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// HTTP status of the code.
    pub(crate) fn status(&self) -> u16 {
        self.code.http_status()
    }

    fn code_of(code: &str) -> AccCode {
        match code {
            "ACC-010" => AccCode::Acc010,
            "ACC-011" => AccCode::Acc011,
            _ => AccCode::Acc001,
        }
    }

    /// The rejection after the `400-instead-of-403` fault: 403 ACC-011 becomes 400 ACC-001.
    pub(crate) fn adjusted(&self, faults: &ActiveFaults) -> Self {
        if faults.has(FaultProfile::FourHundredInsteadOf403) && self.code == AccCode::Acc011 {
            return Self::new(AccCode::Acc001, self.message.clone());
        }
        self.clone()
    }
}

/// The request values the bank validated (digest 3.2.1, 3.2.2).
#[derive(Debug, Clone)]
pub(crate) struct Params {
    /// `PartyID` (Accounts only).
    pub party: Option<PartyId>,
    /// `OnlyPrimaryOwner` (Accounts only).
    pub only_primary_owner: Option<bool>,
    /// `fromDate`..=`toDate`.
    pub period: Period,
}

/// A 200 answer before encoding.
#[derive(Debug, Clone)]
pub(crate) struct Served {
    /// The response document, serialised.
    pub payload: Vec<u8>,
    /// Plain JSON was asked for (`Accept: application/json`, test environment).
    pub plain: bool,
}

/// The `OnlyPrimaryOwner` query value under either documented spelling (digest 3.2.1 notes).
pub(crate) fn only_primary_owner_param(request: &MockRequest) -> Option<&str> {
    request
        .query_param(OnlyPrimaryOwner::NAME)
        .or_else(|| request.query_param("onlyPrimaryOwner"))
}

/// Media types in an `Accept` header, parameters dropped, lower case.
fn media_ranges(accept: &str) -> Vec<String> {
    accept
        .split(',')
        .map(|r| {
            r.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|r| !r.is_empty())
        .collect()
}

/// Decodes an order's payload without verifying anything (for faults that skip checks).
fn unverified_payload(jws: &str) -> Option<ExtraditionOrderPayload> {
    let decoded = percent_encoding::percent_decode_str(jws.trim())
        .decode_utf8()
        .ok()?;
    let segment = decoded.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(segment).ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(map) => eo::check_payload_fields(&map).ok(),
        _ => None,
    }
}

/// The police rule a request-against-order mismatch breaks (digest 5.6, 4.8).
fn police_rule_of_mismatch(err: &EoError) -> Option<Rule> {
    match err {
        EoError::PartyMismatch { .. } => Some(Rule::PoliceParty),
        EoError::MandateMismatch { .. } => Some(Rule::PoliceHdrMandate),
        EoError::PeriodOutside { .. } => Some(Rule::PolicePeriod),
        EoError::OnlyPrimaryOwner { .. } => Some(Rule::PoliceOpo),
        EoError::EndpointNotAllowed { .. } => Some(Rule::PoliceEoFlags),
        EoError::CaseIdMismatch { .. } => Some(Rule::PoliceCaseOrder),
        _ => None,
    }
}

/// The police rule an access-token failure breaks: the client asked Maskinporten for the
/// wrong audience or scope (digest 1.2, 6.1, 6.2). The other failures (signature, issuer,
/// lifetime, consumer) are not the client's making.
fn police_rule_of_token(err: &TokenError) -> Option<Rule> {
    match err {
        TokenError::WrongAudience { .. } => Some(Rule::PoliceTokenAudience),
        TokenError::MissingScope { .. } => Some(Rule::PoliceTokenScope),
        _ => None,
    }
}

/// What one pass over a request found.
#[derive(Debug, Default)]
pub(crate) struct Examination {
    /// Every police-side rule the request broke.
    pub violations: Vec<Violation>,
    /// The bank's answer, if it refuses: the first untolerated refusal in the documented order.
    pub refusal: Option<Rejection>,
}

impl Examination {
    /// Records one defect: the police rule it breaks (if the defect is the client's) and the
    /// refusal it causes (if the bank does not tolerate it).
    fn defect(&mut self, police: Option<Rule>, refusal: Option<AccCode>, message: String) {
        if let Some(code) = refusal {
            if self.refusal.is_none() {
                self.refusal = Some(Rejection::new(code, message.clone()));
            }
        }
        if let Some(rule) = police {
            self.violations.push(Violation::new(rule, message));
        }
    }
}

/// One request being judged.
pub(crate) struct Pipeline<'a> {
    pub bank: &'a BankMock,
    pub request: &'a MockRequest,
    pub faults: &'a ActiveFaults,
    pub endpoint: Endpoint,
    pub reference: Option<&'a str>,
}

/// The parsed values, each `None` when absent or invalid (the defect is already recorded).
struct Parsed {
    case: Option<AccountInfoRequestId>,
    mandate: Option<LegalMandate>,
    party: Option<PartyId>,
    only_primary_owner: Option<bool>,
    period: Option<Period>,
}

impl Pipeline<'_> {
    /// Runs every check once; serves the data when nothing is refused. Returns the answer and
    /// every police-side rule the request broke.
    pub(super) fn run(&self) -> (Result<Served, Rejection>, Vec<Violation>) {
        let mut exam = Examination::default();
        self.method(&mut exam);
        let plain = self.accept(&mut exam);
        self.token(&mut exam);
        let parsed = self.params(&mut exam);
        self.request_schema(&mut exam);
        self.data_not_delivered(&mut exam);
        let order = self.order(&mut exam);
        if let Some(order) = &order {
            self.against_order(&mut exam, order, &parsed);
        }
        let outcome = match (exam.refusal.take(), order, parsed) {
            (Some(refusal), _, _) => Err(refusal),
            (
                None,
                Some(order),
                Parsed {
                    party,
                    only_primary_owner,
                    period: Some(period),
                    ..
                },
            ) => {
                let params = Params {
                    party,
                    only_primary_owner,
                    period,
                };
                serve::serve(
                    self.bank,
                    self.endpoint,
                    self.reference,
                    &params,
                    &order,
                    self.request,
                    self.faults,
                )
                .map(|payload| Served { payload, plain })
            }
            // Unreachable in practice: every missing value records a refusal above.
            _ => Err(Rejection::new(
                AccCode::Acc001,
                "the request could not be read (digest 3.2.1)",
            )),
        };
        (outcome, exam.violations)
    }

    /// Digest 7.1: only GET (405 ACC-012).
    fn method(&self, exam: &mut Examination) {
        if self.request.method.eq_ignore_ascii_case("GET") {
            return;
        }
        let tolerated = self.faults.has(FaultProfile::PostReturns200);
        exam.defect(
            None,
            (!tolerated).then_some(AccCode::Acc012),
            format!(
                "method {} is not allowed: the Control API supports only GET (digest 7.1)",
                self.request.method
            ),
        );
    }

    /// Digest 7.2: JWE unless the test environment is asked for plain JSON (406 ACC-013).
    /// Returns whether plain JSON is served.
    fn accept(&self, exam: &mut Examination) -> bool {
        let Some(accept) = self.request.header("Accept") else {
            return false;
        };
        let ranges = media_ranges(accept);
        if ranges.is_empty()
            || ranges
                .iter()
                .any(|r| r == "application/jose" || r == "*/*" || r == "application/*")
        {
            return false;
        }
        let test = self.bank.config.environment == eo::Environment::Test;
        if test && ranges.iter().any(|r| r == "application/json") {
            return true;
        }
        let code = if self.faults.has(FaultProfile::UnsupportedAccept400) {
            AccCode::Acc001
        } else {
            AccCode::Acc013
        };
        exam.defect(
            None,
            Some(code),
            format!(
                "Accept {accept:?} cannot be served: responses are application/jose{} (digest 7.2)",
                if test {
                    " (or application/json in the test environment)"
                } else {
                    ""
                }
            ),
        );
        false
    }

    /// Digest 6.2: a Maskinporten token for this bank with scope `bits:kontoinformasjon` and
    /// the police as consumer (401 ACC-010 / 403 ACC-011, see `TokenError::http`).
    fn token(&self, exam: &mut Examination) {
        let token = match self.request.header("Authorization").map(|v| {
            v.split_once(' ')
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        }) {
            None => {
                let tolerated = self.faults.has(FaultProfile::AcceptMissingToken);
                return exam.defect(
                    Some(Rule::PoliceTokenScope),
                    (!tolerated).then_some(AccCode::Acc010),
                    "Authorization header is missing: a Maskinporten bearer token with scope \
                     bits:kontoinformasjon is required (digest 6.1, 6.2)"
                        .to_owned(),
                );
            }
            Some(None) => {
                return exam.defect(
                    Some(Rule::PoliceTokenScope),
                    Some(AccCode::Acc010),
                    "Authorization header is not of the form \"Bearer <access token>\" \
                     (digest 6.2)"
                        .to_owned(),
                )
            }
            Some(Some((_, token))) => token.trim(),
        };
        let config = &self.bank.config;
        if self
            .bank
            .verified
            .token(token, config.clock.now().timestamp())
        {
            return;
        }
        let validator = AccessTokenValidator::new(
            config.trust.maskinporten_jwks.clone(),
            &config.trust.maskinporten_issuer,
            &config.base_url,
            &config.trust.consumer_id,
        );
        let mut now = config.clock.now().timestamp();
        let mut scope = CONTROL_API_SCOPE.to_owned();
        // Each tolerated failure is retried with the condition lifted, so later checks still
        // run; the police rule is the first failure's, whatever the bank tolerates.
        for attempt in 0..3 {
            let err = match validator.validate(token, &scope, now) {
                Ok(claims) => {
                    // Only a token that passed with nothing tolerated is remembered.
                    if attempt == 0 {
                        self.bank.verified.remember_token(token, claims.exp);
                    }
                    return;
                }
                Err(err) => err,
            };
            let police = if attempt == 0 {
                police_rule_of_token(&err)
            } else {
                None
            };
            match err {
                TokenError::Expired { exp, .. }
                    if self.faults.has(FaultProfile::AcceptExpiredToken) =>
                {
                    exam.defect(police, None, format!("{err} (digest 6.2)"));
                    now = exp;
                }
                TokenError::MissingScope {
                    scope: ref found, ..
                } if self.faults.has(FaultProfile::IgnoreScope) => {
                    exam.defect(police, None, format!("{err} (digest 6.1)"));
                    scope = found.split(' ').next().unwrap_or_default().to_owned();
                }
                err => {
                    let (_, code) = err.http();
                    let code = match &err {
                        TokenError::MissingScope { .. }
                            if self.faults.has(FaultProfile::RefuseScopeWith401) =>
                        {
                            AccCode::Acc010
                        }
                        _ => Rejection::code_of(code),
                    };
                    return exam.defect(
                        police,
                        (!self.tolerates_token(&err)).then_some(code),
                        format!(
                            "access token rejected, rule {} (digest 6.1, 6.2): {err}",
                            err.rule()
                        ),
                    );
                }
            }
        }
    }

    /// Token failures a fault profile accepts the token despite (the first failure decides;
    /// the suite's tokens carry one defect each).
    fn tolerates_token(&self, err: &TokenError) -> bool {
        let has = |p| self.faults.has(p);
        match err {
            TokenError::UnknownKid { .. }
            | TokenError::BadSignature
            | TokenError::UnsupportedAlg { .. } => has(FaultProfile::SkipTokenSignature),
            TokenError::WrongIssuer { .. } => has(FaultProfile::IgnoreTokenIssuer),
            TokenError::WrongAudience { .. } => has(FaultProfile::IgnoreTokenAudience),
            TokenError::WrongConsumer { .. } => has(FaultProfile::IgnoreTokenConsumer),
            _ => false,
        }
    }

    fn header(
        &self,
        exam: &mut Examination,
        name: &str,
        rule: Option<Rule>,
        why: &str,
    ) -> Option<&str> {
        let value = self.request.header(name);
        if value.is_none() {
            exam.defect(
                rule,
                Some(AccCode::Acc001),
                format!("{name} header is missing ({why})"),
            );
        }
        value
    }

    /// Digest 3.2.1, 3.2.2, 4.1–4.4: the mandatory set and the police rules (400 ACC-001).
    /// Values the request schema already covers for the police side (PartyID,
    /// OnlyPrimaryOwner, the dates' presence) are refused here and reported there.
    fn params(&self, exam: &mut Examination) -> Parsed {
        let accounts = self.endpoint == Endpoint::Accounts;
        let bad = |exam: &mut Examination, rule: Option<Rule>, e: ValueError| {
            exam.defect(rule, Some(AccCode::Acc001), e.to_string());
        };
        let headers = case_headers(self.request);
        let faults = self.faults;
        let read = |exam: &mut Examination, defect: HeaderDefect| {
            let missing = defect.problem == Problem::Missing;
            let tolerated = match defect.rule {
                Rule::PoliceHdrCorrelation if missing => {
                    faults.has(FaultProfile::GenerateMissingCorrelationId)
                }
                Rule::PoliceHdrCorrelation | Rule::PoliceHdrCase => {
                    !missing && faults.has(FaultProfile::AcceptNonUuidIds)
                }
                Rule::PoliceHdrMandate => {
                    !missing && faults.has(FaultProfile::AcceptUnencodedMandate)
                }
                _ => false,
            };
            exam.defect(
                Some(defect.rule),
                (!tolerated).then_some(AccCode::Acc001),
                defect.message(),
            );
        };
        let case = headers.case.map_err(|d| read(exam, d)).ok();
        if let Err(d) = headers.correlation {
            read(exam, d);
        }
        let mandate = headers.mandate.map_err(|d| read(exam, d)).ok();
        let party = if accounts {
            self.header(exam, "PartyID", None, "digest 3.2.1: mandatory on Accounts")
                .and_then(|party| match PartyId::parse(party) {
                    Ok(p) => Some(p),
                    Err(e) => {
                        // skip-party-id-checksum: the length of digits is all it checks.
                        let tolerated = self.faults.has(FaultProfile::SkipPartyIdChecksum)
                            && matches!(party.len(), 9 | 11)
                            && party.bytes().all(|b| b.is_ascii_digit());
                        exam.defect(
                            None,
                            (!tolerated).then_some(AccCode::Acc001),
                            format!(
                                "PartyID {party:?} is not an organisation number, FNR or \
                                 D-number: {e} (digest 3.2.2)"
                            ),
                        );
                        None
                    }
                })
        } else {
            None
        };
        let only_primary_owner = if accounts {
            match only_primary_owner_param(self.request) {
                None => {
                    exam.defect(
                        None,
                        Some(AccCode::Acc001),
                        "OnlyPrimaryOwner query parameter is missing (digest 3.2.1: mandatory \
                         on Accounts; TRUE or FALSE)"
                            .to_owned(),
                    );
                    None
                }
                Some(v) if self.faults.has(FaultProfile::LenientOnlyPrimaryOwner) => {
                    Some(v == "TRUE")
                }
                Some(v) => OnlyPrimaryOwner::parse(v)
                    .map(OnlyPrimaryOwner::as_bool)
                    .map_err(|e| bad(exam, None, e))
                    .ok(),
            }
        } else {
            None
        };
        match self.request.header(RequesterId::NAME) {
            _ if self.faults.has(FaultProfile::AcceptMissingRequesterId) => {}
            None => exam.defect(
                Some(Rule::PoliceHdrRequester),
                Some(AccCode::Acc001),
                format!(
                    "{} header is missing (digest 4.3: Politi-Utlevering requires the case \
                     handler's user ID)",
                    RequesterId::NAME
                ),
            ),
            Some(v) => {
                if let Err(e) = RequesterId::parse(v) {
                    exam.defect(
                        Some(Rule::PoliceHdrRequester),
                        Some(AccCode::Acc001),
                        format!("{e} (digest 4.3)"),
                    );
                }
            }
        }
        match self.request.header(AdditionalReferenceIdType::NAME) {
            _ if self.faults.has(FaultProfile::AcceptAnyReferenceType) => {}
            None => exam.defect(
                Some(Rule::PoliceHdrReftype),
                Some(AccCode::Acc001),
                format!(
                    "{} header is missing (digest 4.2: pol1 on every Politi-Utlevering call)",
                    AdditionalReferenceIdType::NAME
                ),
            ),
            Some(kind) => {
                if !AdditionalReferenceIdType::parse(kind).is_ok_and(|t| t.is_police()) {
                    exam.defect(
                        Some(Rule::PoliceHdrReftype),
                        Some(AccCode::Acc001),
                        format!("AdditionalReferenceIDType {kind:?} is not pol1 (digest 4.2)"),
                    );
                }
            }
        }
        let query = |exam: &mut Examination, name: &'static str| {
            let value = self.request.query_param(name);
            if value.is_none() {
                exam.defect(
                    None,
                    Some(AccCode::Acc001),
                    format!(
                        "{name} query parameter is missing (digest 3.2.1, 3.6 row 8: mandatory \
                         for the police)"
                    ),
                );
            }
            value
        };
        let (from, to) = (query(exam, Period::FROM_NAME), query(exam, Period::TO_NAME));
        let period = match (from, to) {
            (Some(from), Some(to)) => {
                let today = self.bank.config.clock.now().date_naive();
                match Period::parse(from, to, today) {
                    Ok(p) => Some(p),
                    Err(ValueError::FromDateTooOld { from: day, .. })
                        if self.faults.has(FaultProfile::AcceptOldFromDate) =>
                    {
                        exam.defect(
                            Some(Rule::PolicePeriod),
                            None,
                            format!("fromDate {day} is older than ten years (digest 4.4)"),
                        );
                        crate::domain::dates::parse_iso_date(to)
                            .ok()
                            .and_then(|to| Period::new(day, to).ok())
                    }
                    Err(ValueError::PeriodReversed { from, to })
                        if self.faults.has(FaultProfile::SwapReversedDates) =>
                    {
                        exam.defect(
                            Some(Rule::PolicePeriod),
                            None,
                            format!("fromDate {from} is after toDate {to} (digest 4.4)"),
                        );
                        Period::new(to, from).ok()
                    }
                    Err(e) => {
                        exam.defect(
                            Some(Rule::PolicePeriod),
                            Some(AccCode::Acc001),
                            format!("{e} (digest 4.4)"),
                        );
                        None
                    }
                }
            }
            _ => None,
        };
        Parsed {
            case,
            mandate,
            party,
            only_primary_owner,
            period,
        }
    }

    /// Digest 2.1, 3.2: the request conforms to the police profile's request schema. The token
    /// and the order repeat across a case's requests; their pattern checks are memoised per
    /// value (same violations as validating the document directly, `schema::memo`). Police side
    /// only: the bank's own refusals are the checks above.
    fn request_schema(&self, exam: &mut Examination) {
        let kind = if self.endpoint == Endpoint::Accounts {
            MessageKind::AccountsRequest
        } else {
            MessageKind::AccountReferenceRequest
        };
        let document = self.request.to_doc_json(self.reference);
        if let Err(violations) = self.bank.request_schema_memo.validate(
            kind,
            document,
            &crate::schema::memo::REQUEST_SECRETS,
        ) {
            for v in violations {
                exam.defect(
                    Some(Rule::PoliceRequestSchema),
                    None,
                    format!(
                        "{} request document at {:?}: {} (digest {})",
                        kind.as_str(),
                        v.pointer,
                        v.rule,
                        v.spec_section.unwrap_or_default()
                    ),
                );
            }
        }
    }

    /// Digest 4.7: no 2b call for a `dataNotDelivered` account (the bank's answer, 404
    /// ACC-003, comes from the data lookup).
    fn data_not_delivered(&self, exam: &mut Examination) {
        if self.endpoint.needs_account_reference()
            && self.reference == Some(AccountReference::DATA_NOT_DELIVERED)
        {
            exam.defect(
                Some(Rule::PoliceDataNotDelivered),
                None,
                format!(
                    "{} was called with accountReference dataNotDelivered; the bank said it \
                     delivers no data for that account (digest 4.7)",
                    self.endpoint
                ),
            );
        }
    }

    /// Digest 4.2, 5.5: the order is present and verifies (400 ACC-001 / 403 ACC-011).
    fn order(&self, exam: &mut Examination) -> Option<ExtraditionOrderPayload> {
        if self.request.header("AdditionalReferenceID").is_none()
            && self.faults.has(FaultProfile::ServeWithoutOrder)
        {
            exam.defect(
                Some(Rule::PoliceEoStep2),
                None,
                "AdditionalReferenceID header is missing (digest 4.2: every Politi-Utlevering \
                 call carries the extradition order)"
                    .to_owned(),
            );
            return Some(self.order_as_requested());
        }
        let jws = self.header(
            exam,
            "AdditionalReferenceID",
            Some(Rule::PoliceEoStep2),
            "digest 4.2: every Politi-Utlevering call carries the extradition order",
        )?;
        let config = &self.bank.config;
        let now = config.clock.now();
        if self.faults.has(FaultProfile::RejectPercentEncodedOrder) && jws.contains('%') {
            exam.defect(
                None,
                Some(AccCode::Acc001),
                "extradition order (AdditionalReferenceID) is not a JWS compact string: '%' is \
                 not a base64url character (digest 5.1)"
                    .to_owned(),
            );
            return None;
        }
        if let Some(payload) = self.bank.verified.order(jws, now) {
            return Some(payload);
        }
        let verifier = || {
            ExtraditionOrderVerifier::new(
                config.trust.prosecution_jwks.clone(),
                config.trust.prosecution_roots.clone(),
                config.environment,
                now,
            )
        };
        let report = verifier().verify_with_report(jws);
        if let Some(order) = report.order {
            self.bank.verified.remember_order(jws, &order.payload, now);
            return Some(order.payload);
        }
        let failures: Vec<&EoError> = report
            .steps
            .iter()
            .filter_map(|s| s.outcome.as_ref().err())
            .collect();
        let first = failures.first().copied();
        let message = |e: &EoError| {
            format!(
                "extradition order (AdditionalReferenceID) rejected, rule {} ({}): {e}",
                e.rule(),
                e.section()
            )
        };
        // The accept-wrong-ou-cn profile skips digest 5.5 step 5 only: chain and signature
        // are still checked, so the order is verified again without the subject step.
        if self.faults.has(FaultProfile::AcceptWrongOuCn)
            && first.is_some_and(|e| matches!(e, EoError::WrongOu { .. } | EoError::WrongCn { .. }))
        {
            if let Some(e) = first {
                exam.defect(Some(Rule::PoliceEoStep2), None, message(e));
            }
            return match verifier().skip_subject_check(true).verify(jws) {
                Ok(order) => Some(order.payload),
                Err(e) => {
                    let (_, code) = e.http();
                    exam.defect(None, Some(Rejection::code_of(code)), message(&e));
                    None
                }
            };
        }
        // The checks a fault profile lets fail open: the order is then read unverified.
        let tolerated = |e: &EoError| {
            let has = |p| self.faults.has(p);
            let format = e.http().0 == 400;
            (has(FaultProfile::SkipOrderVerification) && !format)
                || (has(FaultProfile::AcceptOldFromDate)
                    && matches!(e, EoError::FromDateTooOld { .. }))
                || (has(FaultProfile::SkipOrderChain)
                    && matches!(
                        e,
                        EoError::ChainInvalid { .. }
                            | EoError::CertificateExpired
                            | EoError::CertificateNotYetValid
                    ))
                || (has(FaultProfile::SkipOrderSignature) && matches!(e, EoError::BadSignature))
                || (has(FaultProfile::SkipOrderContentChecks) && e.content_check().is_some())
                || (has(FaultProfile::LenientOrderHeader)
                    && matches!(
                        e,
                        EoError::WrongTyp { .. } | EoError::MissingHeaderField { field: "typ" }
                    ))
        };
        if failures.iter().all(|e| tolerated(e)) {
            if let Some(payload) = unverified_payload(jws) {
                if let Some(e) = first {
                    exam.defect(Some(Rule::PoliceEoStep2), None, message(e));
                }
                return Some(payload);
            }
        }
        match first {
            Some(e) => {
                let (_, code) = e.http();
                exam.defect(
                    Some(Rule::PoliceEoStep2),
                    Some(Rejection::code_of(code)),
                    message(e),
                );
            }
            None => exam.defect(
                Some(Rule::PoliceEoStep2),
                Some(AccCode::Acc001),
                "extradition order could not be read (digest 5.1)".to_owned(),
            ),
        }
        None
    }

    /// The `serve-without-order` profile's stand-in for a missing order: the request's own
    /// values, every endpoint allowed.
    fn order_as_requested(&self) -> ExtraditionOrderPayload {
        let header = |name: &str| self.request.header(name).unwrap_or_default().to_owned();
        let query = |name: &str| {
            self.request
                .query_param(name)
                .unwrap_or_default()
                .to_owned()
        };
        let mandate = LegalMandate::parse_header(&header("Legal-Mandate"))
            .map(|m| m.plain().to_owned())
            .unwrap_or_default();
        ExtraditionOrderPayload {
            extradition_order_id: uuid::Uuid::new_v4().to_string(),
            version: "1.0".to_owned(),
            party_id: header("PartyID"),
            mandate,
            reason: String::new(),
            from_date: query(Period::FROM_NAME),
            to_date: query(Period::TO_NAME),
            only_primary_owner: only_primary_owner_param(self.request) == Some("TRUE"),
            account_list: true,
            account_details: true,
            transactions: true,
            cards: true,
            roles: true,
            district: crate::domain::order::District {
                district_id: String::new(),
                district_label: String::new(),
            },
            approval: crate::domain::order::Approval {
                approved_by_id: String::new(),
                approved_by_name: String::new(),
                approved_by_role: String::new(),
                approval_timestamp: String::new(),
            },
            case_id: header(AccountInfoRequestId::NAME),
            exp: self.bank.config.clock.now().timestamp() + 3600,
        }
    }

    /// Digest 5.6 (and 4.8): the request against the verified order (403 ACC-011). Every
    /// mismatch is the police client's; the bank answers from the first it does not tolerate
    /// (the case number only in strict mode, digest 4.8 and 9 row 12).
    fn against_order(
        &self,
        exam: &mut Examination,
        order: &ExtraditionOrderPayload,
        parsed: &Parsed,
    ) {
        let (Some(mandate), Some(period)) = (&parsed.mandate, &parsed.period) else {
            // An unreadable mandate or period is already a defect; comparing it again with
            // the order would report the same fault twice.
            return self.against_order_partial(exam, order, parsed);
        };
        let facts = RequestFacts {
            endpoint: self.endpoint,
            // The header as sent: a missing or malformed PartyID is not the order's either.
            party_id: self.request.header("PartyID").map(str::to_owned),
            mandate: mandate.plain().to_owned(),
            from_date: period.from().to_string(),
            to_date: period.to().to_string(),
            only_primary_owner: self.opo_fact(order, parsed),
            account_info_request_id: parsed.case.map(|c| c.to_string()),
        };
        self.report_mismatches(exam, order, eo::request_mismatches(order, &facts), parsed);
    }

    /// The mismatches that do not need the unreadable values.
    fn against_order_partial(
        &self,
        exam: &mut Examination,
        order: &ExtraditionOrderPayload,
        parsed: &Parsed,
    ) {
        let facts = RequestFacts {
            endpoint: self.endpoint,
            // The header as sent: a missing or malformed PartyID is not the order's either.
            party_id: self.request.header("PartyID").map(str::to_owned),
            mandate: parsed
                .mandate
                .as_ref()
                .map_or_else(|| order.mandate.clone(), |m| m.plain().to_owned()),
            from_date: parsed
                .period
                .map_or_else(|| order.from_date.clone(), |p| p.from().to_string()),
            to_date: parsed
                .period
                .map_or_else(|| order.to_date.clone(), |p| p.to().to_string()),
            only_primary_owner: self.opo_fact(order, parsed),
            account_info_request_id: parsed.case.map(|c| c.to_string()),
        };
        self.report_mismatches(exam, order, eo::request_mismatches(order, &facts), parsed);
    }

    /// 2b calls carry no OnlyPrimaryOwner: the order's value cannot be contradicted there.
    fn opo_fact(&self, order: &ExtraditionOrderPayload, parsed: &Parsed) -> Option<bool> {
        if self.endpoint == Endpoint::Accounts {
            parsed.only_primary_owner
        } else {
            Some(order.only_primary_owner)
        }
    }

    fn report_mismatches(
        &self,
        exam: &mut Examination,
        order: &ExtraditionOrderPayload,
        mismatches: Vec<EoError>,
        parsed: &Parsed,
    ) {
        let strict = self.bank.config.strict;
        if self.faults.has(FaultProfile::OrderPeriodMustMatch) {
            if let Some(period) = parsed.period {
                if period.from().to_string() != order.from_date
                    || period.to().to_string() != order.to_date
                {
                    exam.defect(
                        None,
                        Some(AccCode::Acc011),
                        format!(
                            "the request period {}..={} is not the order's {}..={}",
                            period.from(),
                            period.to(),
                            order.from_date,
                            order.to_date
                        ),
                    );
                }
            }
        }
        for err in mismatches {
            let tolerated = match &err {
                // An unreadable AccountInfoRequestID is already a defect of its own.
                EoError::CaseIdMismatch { .. } if parsed.case.is_none() => continue,
                EoError::PartyMismatch { .. } => {
                    self.faults.has(FaultProfile::AcceptMismatchedParty)
                }
                EoError::EndpointNotAllowed { .. } => {
                    self.faults.has(FaultProfile::IgnoreEndpointFlags)
                }
                EoError::CaseIdMismatch { .. } => {
                    !strict || self.faults.has(FaultProfile::IgnoreOrderCaseId)
                }
                EoError::MandateMismatch { .. } => {
                    self.faults.has(FaultProfile::IgnoreOrderMandate)
                }
                EoError::OnlyPrimaryOwner { .. } => {
                    self.faults.has(FaultProfile::IgnoreOrderOnlyPrimaryOwner)
                }
                // order-period-from-only: a request starting inside the order passes.
                EoError::PeriodOutside { .. } => {
                    self.faults.has(FaultProfile::OrderPeriodFromOnly)
                        && parsed.period.is_some_and(|p| {
                            crate::domain::dates::parse_iso_date(&order.from_date)
                                .is_ok_and(|from| p.from() >= from)
                        })
                }
                _ => false,
            };
            let message = match &err {
                EoError::CaseIdMismatch { .. } if strict => {
                    format!("{err} (digest 4.8; this bank runs in strict mode)")
                }
                _ => format!(
                    "request does not match the extradition order, rule {} ({}): {err}",
                    err.rule(),
                    err.section()
                ),
            };
            exam.defect(
                police_rule_of_mismatch(&err),
                (!tolerated).then_some(AccCode::Acc011),
                message,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_ranges_drop_parameters() {
        assert_eq!(
            media_ranges("application/JSON; q=0.5, application/jose"),
            ["application/json", "application/jose"]
        );
        assert!(media_ranges(" ").is_empty());
    }

    #[test]
    fn unverified_payloads_need_the_documented_fields() {
        assert!(unverified_payload("a.b.c").is_none());
        assert!(unverified_payload("only-one-segment").is_none());
    }

    #[test]
    fn the_first_refusal_decides_and_every_police_rule_is_kept() {
        let mut exam = Examination::default();
        exam.defect(
            Some(Rule::PoliceHdrRequester),
            Some(AccCode::Acc001),
            "a".into(),
        );
        exam.defect(None, Some(AccCode::Acc011), "b".into());
        exam.defect(Some(Rule::PoliceRequestSchema), None, "c".into());
        assert_eq!(exam.refusal.map(|r| r.code), Some(AccCode::Acc001));
        let rules: Vec<Rule> = exam.violations.iter().map(|v| v.rule).collect();
        assert_eq!(rules, [Rule::PoliceHdrRequester, Rule::PoliceRequestSchema]);
    }
}
