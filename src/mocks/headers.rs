//! The headers every police request carries, to the registry and to the banks alike
//! (digest 2.1, 2.3, 3.2.1): `CorrelationID`, `AccountInfoRequestID` and `Legal-Mandate`.
//! Parsed once into typed values here; each defect names the police rule it breaks, and each
//! mock words its own refusal (the registry's v1.1.2 error body, the bank's ACC code).

use super::http::MockRequest;
use crate::domain::mandate::LegalMandate;
use crate::domain::values::{AccountInfoRequestId, CorrelationId};
use crate::rules::Rule;

/// What is wrong with one header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// Not sent.
    Missing,
    /// Sent, but not a valid value (the parser's message).
    Invalid(String),
}

/// A defect of one of the case headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeaderDefect {
    /// The police rule it breaks.
    pub rule: Rule,
    /// The header's canonical name.
    pub header: &'static str,
    /// What is wrong.
    pub problem: Problem,
}

impl HeaderDefect {
    /// The defect in one sentence, with the digest section.
    pub(super) fn message(&self) -> String {
        match &self.problem {
            Problem::Missing => format!(
                "{} header is missing (digest 3.2.1: mandatory)",
                self.header
            ),
            Problem::Invalid(why) => why.clone(),
        }
    }
}

/// The three case headers, each parsed or its defect.
#[derive(Debug)]
pub(crate) struct CaseHeaders {
    /// `CorrelationID` (digest 3.2.1, 7.8).
    pub correlation: Result<CorrelationId, HeaderDefect>,
    /// `AccountInfoRequestID` (digest 3.2.1, 4.8).
    pub case: Result<AccountInfoRequestId, HeaderDefect>,
    /// `Legal-Mandate`, decoded (digest 4.1).
    pub mandate: Result<LegalMandate, HeaderDefect>,
}

fn parse<T, E: std::fmt::Display>(
    request: &MockRequest,
    header: &'static str,
    rule: Rule,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<T, HeaderDefect> {
    let defect = |problem| HeaderDefect {
        rule,
        header,
        problem,
    };
    let value = request
        .header(header)
        .ok_or_else(|| defect(Problem::Missing))?;
    parse(value).map_err(|e| defect(Problem::Invalid(e.to_string())))
}

/// Reads the case headers of `request`.
pub(crate) fn case_headers(request: &MockRequest) -> CaseHeaders {
    CaseHeaders {
        correlation: parse(
            request,
            CorrelationId::NAME,
            Rule::PoliceHdrCorrelation,
            CorrelationId::parse,
        ),
        case: parse(
            request,
            AccountInfoRequestId::NAME,
            Rule::PoliceHdrCase,
            AccountInfoRequestId::parse,
        ),
        mandate: parse(
            request,
            "Legal-Mandate",
            Rule::PoliceHdrMandate,
            LegalMandate::parse_header,
        ),
    }
}
