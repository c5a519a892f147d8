//! What the police client did wrong in one request, recorded as journal [`Violation`]s with
//! `POLICE-*` requirement IDs ([`crate::requirements`]). Judged independently of the bank's
//! answer (and of its fault profiles): a request can be answered 200 by a lenient bank and
//! still break rules. Cross-request rules (CorrelationID uniqueness, a constant
//! AccountInfoRequestID, step order) are the suite's, from the whole journal.

use super::BankTrust;
use crate::domain::mandate::LegalMandate;
use crate::domain::order::ExtraditionOrderPayload;
use crate::domain::request::Endpoint;
use crate::domain::values::{
    AccountInfoRequestId, AccountReference, AdditionalReferenceIdType, CorrelationId,
    OnlyPrimaryOwner, Period, RequesterId,
};
use crate::mocks::http::MockRequest;
use crate::mocks::journal::Violation;
use crate::rules::Rule;
use crate::schema::MessageKind;
use crate::trust::eo::{Environment, ExtraditionOrderVerifier};
use crate::trust::maskinporten::{AccessTokenValidator, TokenError, CONTROL_API_SCOPE};
use chrono::{DateTime, Utc};

/// What the judge needs from the bank.
pub(crate) struct Context<'a> {
    pub now: DateTime<Utc>,
    pub trust: &'a BankTrust,
    pub environment: Environment,
    pub audience: &'a str,
    /// Tokens and orders the bank already verified with the same parameters.
    pub verified: &'a super::cache::Verified,
    /// Schema verdicts on the token and order values seen before (`schema::memo`).
    pub schema_memo: &'a crate::schema::memo::ValueMemo,
}

/// Every `POLICE-*` rule `request` breaks on its own.
pub(crate) fn judge(
    request: &MockRequest,
    endpoint: Endpoint,
    reference: Option<&str>,
    cx: &Context<'_>,
) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut flag = |rule: Rule, message: String| out.push(Violation::new(rule, message));

    let kind = if endpoint == Endpoint::Accounts {
        MessageKind::AccountsRequest
    } else {
        MessageKind::AccountReferenceRequest
    };
    // The token and the order repeat across a case's requests; their pattern checks are
    // memoised per value (same violations as validating the document directly).
    let document = request.to_doc_json(reference);
    if let Err(violations) =
        cx.schema_memo
            .validate(kind, document, &crate::schema::memo::REQUEST_SECRETS)
    {
        for v in violations {
            flag(
                Rule::PoliceRequestSchema,
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

    match request.header("Authorization").and_then(|v| {
        v.split_once(' ')
            .filter(|(s, _)| s.eq_ignore_ascii_case("bearer"))
    }) {
        None => flag(
            Rule::PoliceTokenScope,
            "no bearer access token with scope bits:kontoinformasjon was sent (digest 6.1)"
                .to_owned(),
        ),
        Some((_, token)) if cx.verified.token(token.trim(), cx.now.timestamp()) => {}
        Some((_, token)) => {
            let validator = AccessTokenValidator::new(
                cx.trust.maskinporten_jwks.clone(),
                &cx.trust.maskinporten_issuer,
                cx.audience,
                &cx.trust.consumer_id,
            );
            match validator.validate(token.trim(), CONTROL_API_SCOPE, cx.now.timestamp()) {
                Ok(claims) => cx.verified.remember_token(token.trim(), claims.exp),
                Err(e @ TokenError::WrongAudience { .. }) => {
                    flag(Rule::PoliceTokenAudience, format!("{e} (digest 1.2, 6.2)"))
                }
                Err(e @ TokenError::MissingScope { .. }) => {
                    flag(Rule::PoliceTokenScope, format!("{e} (digest 6.1)"))
                }
                _ => {}
            }
        }
    }

    match request.header(RequesterId::NAME) {
        None => flag(
            Rule::PoliceHdrRequester,
            "RequesterID header is missing (digest 4.3)".to_owned(),
        ),
        Some(v) => {
            if let Err(e) = RequesterId::parse(v) {
                flag(Rule::PoliceHdrRequester, format!("{e} (digest 4.3)"));
            }
        }
    }
    match request.header(CorrelationId::NAME) {
        None => flag(
            Rule::PoliceHdrCorrelation,
            "CorrelationID header is missing (digest 3.2.1)".to_owned(),
        ),
        Some(v) => {
            if let Err(e) = CorrelationId::parse(v) {
                flag(Rule::PoliceHdrCorrelation, e.to_string());
            }
        }
    }
    let case_id = match request.header(AccountInfoRequestId::NAME) {
        None => {
            flag(
                Rule::PoliceHdrCase,
                "AccountInfoRequestID header is missing (digest 3.2.1)".to_owned(),
            );
            None
        }
        Some(v) => match AccountInfoRequestId::parse(v) {
            Ok(id) => Some(id),
            Err(e) => {
                flag(Rule::PoliceHdrCase, e.to_string());
                None
            }
        },
    };
    let mandate = match request.header("Legal-Mandate") {
        None => {
            flag(
                Rule::PoliceHdrMandate,
                "Legal-Mandate header is missing (digest 3.2.1, 4.1)".to_owned(),
            );
            None
        }
        Some(v) => match LegalMandate::parse_header(v) {
            Ok(m) => Some(m),
            Err(e) => {
                flag(Rule::PoliceHdrMandate, e.to_string());
                None
            }
        },
    };
    match request.header(AdditionalReferenceIdType::NAME) {
        Some(v) if AdditionalReferenceIdType::parse(v).is_ok_and(|t| t.is_police()) => {}
        Some(v) => flag(
            Rule::PoliceHdrReftype,
            format!("AdditionalReferenceIDType is {v:?}, not pol1 (digest 4.2)"),
        ),
        None => flag(
            Rule::PoliceHdrReftype,
            "AdditionalReferenceIDType header is missing; pol1 is required (digest 4.2)".to_owned(),
        ),
    }

    let period = match (
        request.query_param("fromDate"),
        request.query_param("toDate"),
    ) {
        (Some(from), Some(to)) => match Period::parse(from, to, cx.now.date_naive()) {
            Ok(p) => Some(p),
            Err(e) => {
                flag(Rule::PolicePeriod, format!("{e} (digest 4.4)"));
                None
            }
        },
        _ => None, // missing dates: reported by the request schema
    };
    let only_primary_owner = super::checks::only_primary_owner_param(request)
        .and_then(|v| OnlyPrimaryOwner::parse(v).ok())
        .map(OnlyPrimaryOwner::as_bool);

    if endpoint.needs_account_reference()
        && reference.is_some_and(|r| r == AccountReference::DATA_NOT_DELIVERED)
    {
        flag(
            Rule::PoliceDataNotDelivered,
            format!(
                "{endpoint} was called with accountReference dataNotDelivered; the bank said it \
                 delivers no data for that account (digest 4.7)"
            ),
        );
    }

    let Some(jws) = request.header("AdditionalReferenceID") else {
        flag(
            Rule::PoliceEoStep2,
            "AdditionalReferenceID (the extradition order) is missing (digest 4.2)".to_owned(),
        );
        return out;
    };
    let verified = match cx.verified.order(jws, cx.now) {
        Some(payload) => Ok(payload),
        None => ExtraditionOrderVerifier::new(
            cx.trust.prosecution_jwks.clone(),
            cx.trust.prosecution_roots.clone(),
            cx.environment,
            cx.now,
        )
        .verify(jws)
        .map(|order| {
            cx.verified.remember_order(jws, &order.payload, cx.now);
            order.payload
        }),
    };
    let order: ExtraditionOrderPayload = match verified {
        Ok(order) => order,
        Err(e) => {
            flag(
                Rule::PoliceEoStep2,
                format!(
                    "the extradition order sent does not verify, rule {} ({}): {e}",
                    e.rule(),
                    e.section()
                ),
            );
            return out;
        }
    };
    if endpoint == Endpoint::Accounts {
        let party = request.header("PartyID");
        if party != Some(order.party_id.as_str()) {
            flag(
                Rule::PoliceParty,
                format!(
                    "PartyID {party:?} does not equal the order's partyID {:?} (digest 5.6)",
                    order.party_id
                ),
            );
        }
        if order.only_primary_owner && only_primary_owner != Some(true) {
            flag(
                Rule::PoliceOpo,
                format!(
                    "the order has onlyPrimaryOwner true, the request sends OnlyPrimaryOwner \
                     {:?} (digest 4.5, 5.6)",
                    super::checks::only_primary_owner_param(request)
                ),
            );
        }
    }
    if let Some(period) = period {
        let order_period = crate::domain::dates::parse_iso_date(&order.from_date)
            .ok()
            .zip(crate::domain::dates::parse_iso_date(&order.to_date).ok())
            .and_then(|(f, t)| Period::new(f, t).ok());
        if order_period.is_some_and(|o| !o.contains(&period)) {
            flag(
                Rule::PolicePeriod,
                format!(
                    "requested period {period} is not inside the order's period {}..={} \
                     (digest 5.6)",
                    order.from_date, order.to_date
                ),
            );
        }
    }
    if !endpoint.permitted_by(&order) {
        flag(
            Rule::PoliceEoFlags,
            format!(
                "{endpoint} was called although the order's {} is false (digest 5.6)",
                endpoint.order_flag()
            ),
        );
    }
    if let Some(m) = mandate {
        if m.plain() != order.mandate {
            flag(
                Rule::PoliceHdrMandate,
                format!(
                    "Legal-Mandate {:?} does not equal the order's mandate {:?} (digest 5.6)",
                    m.plain(),
                    order.mandate
                ),
            );
        }
    }
    if let Some(id) = case_id {
        if uuid::Uuid::parse_str(&order.case_id).ok() != Some(id.as_uuid()) {
            flag(
                Rule::PoliceHdrCase,
                format!(
                    "AccountInfoRequestID {id} does not equal the order's caseID {:?} \
                     (digest 4.8)",
                    order.case_id
                ),
            );
        }
    }
    out
}
