//! Checking a Control API request against a verified extradition order (digest 5.6).

use super::error::EoError;
use crate::domain::dates::parse_iso_date;
use crate::domain::order::ExtraditionOrderPayload;

pub use crate::domain::request::Endpoint;

/// What a bank knows about the request it is judging (digest 3.2, 5.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFacts {
    /// The called endpoint.
    pub endpoint: Endpoint,
    /// `PartyID` header (Accounts only; `None` on 2b calls).
    pub party_id: Option<String>,
    /// The `Legal-Mandate` header, percent-decoded.
    pub mandate: String,
    /// Request `fromDate`.
    pub from_date: String,
    /// Request `toDate`.
    pub to_date: String,
    /// Request `onlyPrimaryOwner` (`None` = absent, which means false).
    pub only_primary_owner: Option<bool>,
    /// `AccountInfoRequestID` header.
    pub account_info_request_id: Option<String>,
}

impl RequestFacts {
    /// A request that matches `order` exactly, for `endpoint`.
    pub fn matching(order: &ExtraditionOrderPayload, endpoint: Endpoint) -> Self {
        Self {
            endpoint,
            party_id: (endpoint == Endpoint::Accounts).then(|| order.party_id.clone()),
            mandate: order.mandate.clone(),
            from_date: order.from_date.clone(),
            to_date: order.to_date.clone(),
            only_primary_owner: Some(order.only_primary_owner),
            account_info_request_id: Some(order.case_id.clone()),
        }
    }
}

/// Digest 5.6, in the table's order: partyID (Accounts only), mandate, period,
/// onlyPrimaryOwner, endpoint access, and — only when `strict_case_id` — caseID ==
/// AccountInfoRequestID (digest 4.8).
pub fn check_request(
    order: &ExtraditionOrderPayload,
    facts: &RequestFacts,
    strict_case_id: bool,
) -> Result<(), EoError> {
    if facts.endpoint == Endpoint::Accounts
        && facts.party_id.as_deref() != Some(order.party_id.as_str())
    {
        return Err(EoError::PartyMismatch {
            request: facts.party_id.clone(),
            order: order.party_id.clone(),
        });
    }
    if facts.mandate != order.mandate {
        return Err(EoError::MandateMismatch {
            request: facts.mandate.clone(),
            order: order.mandate.clone(),
        });
    }
    let outside = || EoError::PeriodOutside {
        from: facts.from_date.clone(),
        to: facts.to_date.clone(),
        order_from: order.from_date.clone(),
        order_to: order.to_date.clone(),
    };
    let dates = (
        parse_iso_date(&facts.from_date),
        parse_iso_date(&facts.to_date),
        parse_iso_date(&order.from_date),
        parse_iso_date(&order.to_date),
    );
    match dates {
        (Ok(from), Ok(to), Ok(order_from), Ok(order_to))
            if from >= order_from && to <= order_to && from <= to => {}
        _ => return Err(outside()),
    }
    if order.only_primary_owner && facts.only_primary_owner != Some(true) {
        return Err(EoError::OnlyPrimaryOwner {
            request: facts.only_primary_owner,
        });
    }
    if !facts.endpoint.permitted_by(order) {
        return Err(EoError::EndpointNotAllowed {
            endpoint: facts.endpoint.name(),
            flag: facts.endpoint.order_flag(),
        });
    }
    if strict_case_id && facts.account_info_request_id.as_deref() != Some(order.case_id.as_str()) {
        return Err(EoError::CaseIdMismatch {
            request: facts.account_info_request_id.clone(),
            order: order.case_id.clone(),
        });
    }
    Ok(())
}
