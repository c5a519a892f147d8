//! The bank's judgement of one request, in the documented order (module doc of
//! [`super`]); the first failed check decides the answer.

use super::{serve, BankMock};
use crate::domain::control::AccCode;
use crate::domain::identifiers::PartyId;
use crate::domain::mandate::LegalMandate;
use crate::domain::order::ExtraditionOrderPayload;
use crate::domain::request::Endpoint;
use crate::domain::values::{
    AccountInfoRequestId, AdditionalReferenceIdType, CorrelationId, OnlyPrimaryOwner, Period,
    RequesterId, ValueError,
};
use crate::mocks::faults::{ActiveFaults, FaultProfile};
use crate::mocks::http::MockRequest;
use crate::trust::eo::{self, EoError, ExtraditionOrderVerifier, RequestFacts};
use crate::trust::maskinporten::{AccessTokenValidator, TokenError, CONTROL_API_SCOPE};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;

/// Why the bank refuses a request: an ACC code (which fixes the HTTP status, digest 7.6) and
/// a message saying what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The code.
    pub code: AccCode,
    /// What was wrong, with the digest section.
    pub message: String,
}

impl Rejection {
    /// A rejection with `code` and `message`.
    pub fn new(code: AccCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// HTTP status of the code.
    pub fn status(&self) -> u16 {
        self.code.http_status()
    }

    fn bad_request(message: impl Into<String>) -> Self {
        Self::new(AccCode::Acc001, message)
    }

    fn from_http(code: &str, message: String) -> Self {
        let code = match code {
            "ACC-010" => AccCode::Acc010,
            "ACC-011" => AccCode::Acc011,
            _ => AccCode::Acc001,
        };
        Self::new(code, message)
    }

    fn from_order_error(err: &EoError) -> Self {
        let (_, code) = err.http();
        Self::from_http(
            code,
            format!(
                "extradition order (AdditionalReferenceID) rejected, rule {} ({}): {err}",
                err.rule(),
                err.section()
            ),
        )
    }

    fn from_token_error(err: &TokenError) -> Self {
        let (_, code) = err.http();
        Self::from_http(
            code,
            format!(
                "access token rejected, rule {} (digest 6.2): {err}",
                err.rule()
            ),
        )
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
    /// `AccountInfoRequestID`.
    pub account_info_request_id: AccountInfoRequestId,
    /// The decoded `Legal-Mandate`.
    pub mandate: LegalMandate,
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

/// One request being judged.
pub(crate) struct Pipeline<'a> {
    pub bank: &'a BankMock,
    pub request: &'a MockRequest,
    pub faults: &'a ActiveFaults,
    pub endpoint: Endpoint,
    pub reference: Option<&'a str>,
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

impl Pipeline<'_> {
    /// Runs every check and, when all pass, serves the data.
    pub fn run(&self) -> Result<Served, Rejection> {
        self.method()?;
        let plain = self.accept()?;
        self.token()?;
        let params = self.params()?;
        let order = self.order()?;
        self.against_order(&order, &params)?;
        let payload = serve::serve(
            self.bank,
            self.endpoint,
            self.reference,
            &params,
            &order,
            self.request,
            self.faults,
        )?;
        Ok(Served { payload, plain })
    }

    /// Digest 7.1: only GET (405 ACC-012).
    fn method(&self) -> Result<(), Rejection> {
        if self.request.method.eq_ignore_ascii_case("GET")
            || self.faults.has(FaultProfile::PostReturns200)
        {
            return Ok(());
        }
        Err(Rejection::new(
            AccCode::Acc012,
            format!(
                "method {} is not allowed: the Control API supports only GET (digest 7.1)",
                self.request.method
            ),
        ))
    }

    /// Digest 7.2: JWE unless the test environment is asked for plain JSON (406 ACC-013).
    /// Returns whether plain JSON is served.
    fn accept(&self) -> Result<bool, Rejection> {
        let Some(accept) = self.request.header("Accept") else {
            return Ok(false);
        };
        let ranges = media_ranges(accept);
        if ranges.is_empty()
            || ranges
                .iter()
                .any(|r| r == "application/jose" || r == "*/*" || r == "application/*")
        {
            return Ok(false);
        }
        let test = self.bank.config.environment == eo::Environment::Test;
        if test && ranges.iter().any(|r| r == "application/json") {
            return Ok(true);
        }
        Err(Rejection::new(
            AccCode::Acc013,
            format!(
                "Accept {accept:?} cannot be served: responses are application/jose{} (digest 7.2)",
                if test {
                    " (or application/json in the test environment)"
                } else {
                    ""
                }
            ),
        ))
    }

    /// Digest 6.2: a Maskinporten token for this bank with scope `bits:kontoinformasjon` and
    /// the police as consumer (401 ACC-010 / 403 ACC-011, see `TokenError::http`).
    fn token(&self) -> Result<(), Rejection> {
        let Some(value) = self.request.header("Authorization") else {
            return Err(Rejection::new(
                AccCode::Acc010,
                "Authorization header is missing: a Maskinporten bearer token is required \
                 (digest 6.2)",
            ));
        };
        let token = match value.split_once(' ') {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
            _ => {
                return Err(Rejection::new(
                    AccCode::Acc010,
                    "Authorization header is not of the form \"Bearer <access token>\" \
                     (digest 6.2)",
                ))
            }
        };
        let config = &self.bank.config;
        if self
            .bank
            .verified
            .token(token, config.clock.now().timestamp())
        {
            return Ok(());
        }
        let validator = AccessTokenValidator::new(
            config.trust.maskinporten_jwks.clone(),
            &config.trust.maskinporten_issuer,
            &config.base_url,
            &config.trust.consumer_id,
        );
        let mut now = config.clock.now().timestamp();
        let mut scope = CONTROL_API_SCOPE.to_owned();
        // Each tolerated failure is retried with the condition lifted, so later checks still run.
        for attempt in 0..3 {
            match validator.validate(token, &scope, now) {
                Ok(claims) => {
                    // Only a token that passed with nothing tolerated is remembered.
                    if attempt == 0 {
                        self.bank.verified.remember_token(token, claims.exp);
                    }
                    return Ok(());
                }
                Err(TokenError::Expired { exp, .. })
                    if self.faults.has(FaultProfile::AcceptExpiredToken) =>
                {
                    now = exp;
                }
                Err(TokenError::MissingScope { scope: found, .. })
                    if self.faults.has(FaultProfile::IgnoreScope) =>
                {
                    scope = found.split(' ').next().unwrap_or_default().to_owned();
                }
                Err(err) => return Err(Rejection::from_token_error(&err)),
            }
        }
        Err(Rejection::new(
            AccCode::Acc010,
            "access token rejected (digest 6.2)",
        ))
    }

    fn header(&self, name: &'static str, why: &str) -> Result<&str, Rejection> {
        self.request
            .header(name)
            .ok_or_else(|| Rejection::bad_request(format!("{name} header is missing ({why})")))
    }

    /// Digest 3.2.1, 3.2.2, 4.1–4.4: the mandatory set and the police rules (400 ACC-001).
    fn params(&self) -> Result<Params, Rejection> {
        let invalid = |e: ValueError| Rejection::bad_request(e.to_string());
        let accounts = self.endpoint == Endpoint::Accounts;
        let case = self.header(AccountInfoRequestId::NAME, "digest 3.2.1: mandatory")?;
        let account_info_request_id = AccountInfoRequestId::parse(case).map_err(invalid)?;
        let correlation = self.header(CorrelationId::NAME, "digest 3.2.1: mandatory")?;
        CorrelationId::parse(correlation).map_err(invalid)?;
        let mandate = self.header("Legal-Mandate", "digest 3.2.1: mandatory")?;
        let mandate = LegalMandate::parse_header(mandate)
            .map_err(|e| Rejection::bad_request(e.to_string()))?;
        let party = if accounts {
            let party = self.header("PartyID", "digest 3.2.1: mandatory on Accounts")?;
            Some(PartyId::parse(party).map_err(|e| {
                Rejection::bad_request(format!(
                    "PartyID {party:?} is not an organisation number, FNR or D-number: {e} \
                     (digest 3.2.2)"
                ))
            })?)
        } else {
            None
        };
        let only_primary_owner = if accounts {
            let value = only_primary_owner_param(self.request).ok_or_else(|| {
                Rejection::bad_request(
                    "OnlyPrimaryOwner query parameter is missing (digest 3.2.1: mandatory on \
                     Accounts; TRUE or FALSE)",
                )
            })?;
            Some(OnlyPrimaryOwner::parse(value).map_err(invalid)?.as_bool())
        } else {
            None
        };
        let requester = self.header(
            RequesterId::NAME,
            "digest 4.3: Politi-Utlevering requires the case handler's user ID",
        )?;
        RequesterId::parse(requester).map_err(invalid)?;
        let kind = self.header(
            AdditionalReferenceIdType::NAME,
            "digest 4.2: pol1 on every Politi-Utlevering call",
        )?;
        if !AdditionalReferenceIdType::parse(kind)
            .map_err(invalid)?
            .is_police()
        {
            return Err(Rejection::bad_request(format!(
                "AdditionalReferenceIDType {kind:?} is not pol1 (digest 4.2)"
            )));
        }
        let query = |name: &'static str| {
            self.request.query_param(name).ok_or_else(|| {
                Rejection::bad_request(format!(
                    "{name} query parameter is missing (digest 3.2.1, 3.6 row 8: mandatory for \
                     the police)"
                ))
            })
        };
        let (from, to) = (query(Period::FROM_NAME)?, query(Period::TO_NAME)?);
        let today = self.bank.config.clock.now().date_naive();
        let period = match Period::parse(from, to, today) {
            Err(ValueError::FromDateTooOld { from, .. })
                if self.faults.has(FaultProfile::AcceptOldFromDate) =>
            {
                parse_period_unchecked(from, to)?
            }
            other => other.map_err(invalid)?,
        };
        Ok(Params {
            account_info_request_id,
            mandate,
            party,
            only_primary_owner,
            period,
        })
    }

    /// Digest 4.2, 5.5: the order is present and verifies (400 ACC-001 / 403 ACC-011).
    fn order(&self) -> Result<ExtraditionOrderPayload, Rejection> {
        let jws = self.header(
            "AdditionalReferenceID",
            "digest 4.2: every Politi-Utlevering call carries the extradition order",
        )?;
        let config = &self.bank.config;
        let now = config.clock.now();
        let lenient = self.faults.has(FaultProfile::AcceptWrongOuCn);
        if !lenient {
            if let Some(payload) = self.bank.verified.order(jws, now) {
                return Ok(payload);
            }
        }
        let verifier = ExtraditionOrderVerifier::new(
            config.trust.prosecution_jwks.clone(),
            config.trust.prosecution_roots.clone(),
            config.environment,
            now,
        )
        .skip_subject_check(lenient);
        let report = verifier.verify_with_report(jws);
        if let Some(order) = report.order {
            if !lenient {
                self.bank.verified.remember_order(jws, &order.payload, now);
            }
            return Ok(order.payload);
        }
        let failures: Vec<&EoError> = report
            .steps
            .iter()
            .filter_map(|s| s.outcome.as_ref().err())
            .collect();
        let tolerated = |e: &EoError| {
            let format = e.http().0 == 400;
            (self.faults.has(FaultProfile::SkipOrderVerification) && !format)
                || (self.faults.has(FaultProfile::AcceptOldFromDate)
                    && matches!(e, EoError::FromDateTooOld { .. }))
        };
        if failures.iter().all(|e| tolerated(e)) {
            if let Some(payload) = unverified_payload(jws) {
                return Ok(payload);
            }
        }
        let first = failures.first().map_or_else(
            || Rejection::bad_request("extradition order could not be read (digest 5.1)"),
            |e| Rejection::from_order_error(e),
        );
        Err(first)
    }

    /// Digest 5.6 (and 4.8 when strict): the request against the verified order (403 ACC-011).
    fn against_order(
        &self,
        order: &ExtraditionOrderPayload,
        params: &Params,
    ) -> Result<(), Rejection> {
        let endpoint = self.endpoint;
        let mut facts = RequestFacts {
            endpoint,
            party_id: params.party.as_ref().map(|p| p.as_str().to_owned()),
            mandate: params.mandate.plain().to_owned(),
            from_date: params.period.from().to_string(),
            to_date: params.period.to().to_string(),
            // 2b calls carry no OnlyPrimaryOwner: the order's value cannot be contradicted.
            only_primary_owner: params.only_primary_owner.or(Some(order.only_primary_owner)),
            account_info_request_id: Some(params.account_info_request_id.to_string()),
        };
        let mut order = order.clone();
        let strict = self.bank.config.strict;
        for _ in 0..3 {
            match eo::check_request(&order, &facts, strict) {
                Ok(()) => return Ok(()),
                Err(EoError::PartyMismatch { .. })
                    if self.faults.has(FaultProfile::AcceptMismatchedParty) =>
                {
                    facts.party_id = Some(order.party_id.clone());
                }
                Err(EoError::EndpointNotAllowed { .. })
                    if self.faults.has(FaultProfile::IgnoreEndpointFlags) =>
                {
                    order.account_details = true;
                    order.transactions = true;
                    order.cards = true;
                    order.roles = true;
                }
                Err(EoError::CaseIdMismatch { request, order }) => {
                    return Err(Rejection::new(
                        AccCode::Acc011,
                        format!(
                            "AccountInfoRequestID {} does not equal the extradition order's \
                             caseID {order:?} (digest 4.8; this bank runs in strict mode)",
                            request.unwrap_or_default()
                        ),
                    ))
                }
                Err(err) => {
                    return Err(Rejection::new(
                        AccCode::Acc011,
                        format!(
                            "request does not match the extradition order, rule {} ({}): {err}",
                            err.rule(),
                            err.section()
                        ),
                    ))
                }
            }
        }
        Ok(())
    }
}

fn parse_period_unchecked(from: chrono::NaiveDate, to: &str) -> Result<Period, Rejection> {
    let to = crate::domain::dates::parse_iso_date(to)
        .map_err(|e| Rejection::bad_request(format!("toDate: {e}")))?;
    Period::new(from, to).map_err(|e| Rejection::bad_request(e.to_string()))
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
}
