//! Mock customer-relationship registry *Oversikt over kundeforhold* (Bits; KAR + KFR), step 1
//! of Politi-Utlevering (digest 1.2, 1.4, 2).
//!
//! Paths (digest 9 row 3: the v2 paths are unknown; we keep the v1.1.2 paths under a `v2`
//! base): `GET {base}/customers/customerRelationships` and
//! `GET {base}/customers/accountServicingProvider`, with `{base}` = origin + [`REGISTRY_BASE_PATH`].
//!
//! Checks, in order (the first failure decides the answer; every failure is journalled):
//! method (405), path (404), bearer token (digest 6.1/6.2: scope per endpoint, Maskinporten
//! signature and issuer, `aud` = the registry's base URL or no audience restriction — a grant
//! without `resource`, digest 1.2 —, consumer = police → 401/403),
//! headers `CorrelationID`, `AccountInfoRequestID` (UUIDs) and `Legal-Mandate` (one of the two
//! encoded police mandates) → 400 `ERR-005`; `CustomerID` (FNR, D-number or org. no.) → 400
//! `ERR-002` / `AccountID` (11 digits, no MOD11, digest 2.3) → 400 `ERR-004`;
//! `onlyPrimaryOwner` (`true`/`false`, any case) → 400 `ERR-005`; `fromDate`/`toDate` (ISO
//! dates, `fromDate ≤ toDate`, `fromDate` at most ten years back, digest 2.1/4.4) → 400
//! `ERR-003`. Not refused but journalled: an extradition order on a registry call
//! (`POLICE-EO-NOT-REGISTRY`, digest 4.2) and any request-schema violation.
//!
//! Error body: the v1.1.2 body `{errorCode, errorMessage, timestamp}` (schema
//! `registry-error`) for every error, 401 included — see `docs/mock-ecosystem.md` for the
//! decision (digest 2.4, 9 row 5) and the code table.
//!
//! Answers come from the population ([`customer_relationships`],
//! [`account_servicing_provider`]); the rules are documented on those functions.

use super::ecosystem::Clock;
use super::http::{Handled, Handler, MockRequest, MockResponse};
use super::journal::Violation;
use crate::domain::enums::{AccountType, OwnershipType};
use crate::domain::registry::{AccountServicingProvider, CustomerRelationships, RelatedBank};
use crate::domain::request::{SCOPE_KUNDEFORHOLD, SCOPE_KUNDEFORHOLD_KONTO};
use crate::domain::values::{OnlyPrimaryOwner, Period};
use crate::population::model::{AccountRecord, Population, Register, Relation};
use crate::rules::Rule;
use crate::schema::MessageKind;
use crate::trust::maskinporten::{AccessTokenValidator, TokenError};
use crate::PartyId;
use chrono::NaiveDate;
use serde_json::json;
use std::sync::Arc;

/// The registry's base path (our decision: the v1.1.2 base `/kar-ws/api/v1` with `v2`).
pub const REGISTRY_BASE_PATH: &str = "/kar-ws/api/v2";
/// `customerRelationships` path below the base.
pub(crate) const CUSTOMER_RELATIONSHIPS_PATH: &str = "/customers/customerRelationships";
/// `accountServicingProvider` path below the base.
pub(crate) const ACCOUNT_SERVICING_PROVIDER_PATH: &str = "/customers/accountServicingProvider";

/// The day KAR began recording non-owner roles ("disponent", 3rd quarter 2019, digest 1.1).
/// A relationship that ended before it has no role history: `ownershipType` `unknown`.
pub(crate) fn roles_known_since() -> NaiveDate {
    NaiveDate::from_ymd_opt(2019, 7, 1).unwrap_or_default()
}

/// The two registry endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    CustomerRelationships,
    AccountServicingProvider,
}

/// A refusal: status, v1.1.2 error code and text, and the police rule broken (none for an
/// answer that blames no one, such as an unknown account number).
struct Refusal {
    status: u16,
    code: &'static str,
    message: String,
    rule: Option<Rule>,
}

/// The mock registry.
pub struct RegistryMock {
    population: Arc<Population>,
    tokens: AccessTokenValidator,
    clock: Clock,
}

impl std::fmt::Debug for RegistryMock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryMock")
            .field("banks", &self.population.banks.len())
            .finish()
    }
}

impl RegistryMock {
    /// A registry answering from `population`, accepting tokens that `tokens` accepts (its
    /// audience is the registry's base URL) and tokens that are not audience-restricted (a
    /// grant without `resource`: digest 1.2 asks the police only for "a Maskinporten token for
    /// the registry (scope `bits:kundeforhold`)"; the `aud` rule of digest 6.2 binds banks).
    pub fn new(population: Arc<Population>, tokens: AccessTokenValidator, clock: Clock) -> Self {
        Self {
            population,
            tokens: tokens.accepting_unrestricted(),
            clock,
        }
    }

    fn judge(
        &self,
        request: &MockRequest,
        endpoint: Endpoint,
    ) -> Result<MockResponse, Vec<Refusal>> {
        let now = self.clock.now();
        let today = now.date_naive();
        let mut refusals = Vec::new();
        let scope = match endpoint {
            Endpoint::CustomerRelationships => SCOPE_KUNDEFORHOLD,
            Endpoint::AccountServicingProvider => SCOPE_KUNDEFORHOLD_KONTO,
        };
        match bearer(request) {
            None => refusals.push(Refusal {
                status: 401,
                code: "ERR-001",
                message: "Klient er ikke autentisert: Authorization: Bearer <Maskinporten token> mangler (the bearer token is missing)".to_owned(),
                rule: Some(Rule::PoliceTokenScope),
            }),
            Some(token) => {
                if let Err(error) = self.tokens.validate(token, scope, now.timestamp()) {
                    let (status, _) = error.http();
                    let rule = match error {
                        TokenError::MissingScope { .. } => Rule::PoliceTokenScope,
                        TokenError::WrongAudience { .. } => Rule::PoliceTokenAudience,
                        _ => Rule::PoliceTokenGrant,
                    };
                    refusals.push(Refusal {
                        status,
                        code: "ERR-001",
                        message: format!(
                            "Klient er ikke {}: {error}",
                            if status == 403 { "autorisert" } else { "autentisert" }
                        ),
                        rule: Some(rule),
                    });
                }
            }
        }
        let headers = crate::mocks::headers::case_headers(request);
        let defects = [
            headers.correlation.err(),
            headers.case.err(),
            headers.mandate.err(),
        ];
        for defect in defects.into_iter().flatten() {
            let problem = match &defect.problem {
                crate::mocks::headers::Problem::Missing => "missing".to_owned(),
                crate::mocks::headers::Problem::Invalid(why) => why.clone(),
            };
            refusals.push(Refusal {
                status: 400,
                code: "ERR-005",
                message: format!(
                    "Ugyldig eller manglende header {}: {problem}",
                    defect.header
                ),
                rule: Some(defect.rule),
            });
        }
        match endpoint {
            Endpoint::CustomerRelationships => {
                let customer = match request.header("CustomerID").map(PartyId::parse) {
                    Some(Ok(party)) => Some(party),
                    Some(Err(e)) => {
                        refusals.push(Refusal {
                            status: 400,
                            code: "ERR-002",
                            message: format!("Ugyldig KUNDEID: {e}"),
                            rule: Some(Rule::PoliceRequestSchema),
                        });
                        None
                    }
                    None => {
                        refusals.push(Refusal {
                            status: 400,
                            code: "ERR-002",
                            message: "Ugyldig KUNDEID: the CustomerID header is missing".to_owned(),
                            rule: Some(Rule::PoliceRequestSchema),
                        });
                        None
                    }
                };
                let only_primary_owner = match request
                    .query_param("onlyPrimaryOwner")
                    .or_else(|| request.query_param(OnlyPrimaryOwner::NAME))
                    .map(OnlyPrimaryOwner::parse)
                {
                    None => Some(None),
                    Some(Ok(v)) => Some(Some(v.as_bool())),
                    Some(Err(e)) => {
                        refusals.push(Refusal {
                            status: 400,
                            code: "ERR-005",
                            message: format!("Ugyldig parameter onlyPrimaryOwner: {e}"),
                            rule: Some(Rule::PoliceRequestSchema),
                        });
                        None
                    }
                };
                let period = match (
                    request.query_param("fromDate"),
                    request.query_param("toDate"),
                ) {
                    (Some(from), Some(to)) => match Period::parse(from, to, today) {
                        Ok(period) => Some(period),
                        Err(e) => {
                            refusals.push(period_refusal(e.to_string()));
                            None
                        }
                    },
                    (from, to) => {
                        refusals.push(period_refusal(format!(
                            "fromDate and toDate are mandatory (fromDate {}, toDate {})",
                            if from.is_some() { "present" } else { "missing" },
                            if to.is_some() { "present" } else { "missing" }
                        )));
                        None
                    }
                };
                match (customer, only_primary_owner, period) {
                    (Some(customer), Some(opo), Some(period)) if refusals.is_empty() => {
                        let body = customer_relationships(
                            &self.population,
                            customer.as_str(),
                            period,
                            opo,
                            today,
                        );
                        Ok(MockResponse::json(
                            200,
                            &serde_json::to_value(body).unwrap_or_default(),
                        ))
                    }
                    _ => Err(refusals),
                }
            }
            Endpoint::AccountServicingProvider => {
                let account = request.header("AccountID").unwrap_or_default();
                if account.len() != 11 || !account.bytes().all(|b| b.is_ascii_digit()) {
                    refusals.push(Refusal {
                        status: 400,
                        code: "ERR-004",
                        message: format!(
                            "Ugyldig kontonummer: AccountID {account:?} is not 11 digits"
                        ),
                        rule: Some(Rule::PoliceRequestSchema),
                    });
                }
                if !refusals.is_empty() {
                    return Err(refusals);
                }
                match account_servicing_provider(&self.population, account) {
                    Some(body) => Ok(MockResponse::json(
                        200,
                        &serde_json::to_value(body).unwrap_or_default(),
                    )),
                    None => Err(vec![Refusal {
                        status: 404,
                        code: "ERR-404",
                        message: format!(
                            "Kontonummer ikke funnet: no institution services account {account}"
                        ),
                        rule: None,
                    }]),
                }
            }
        }
    }
}

fn period_refusal(problem: String) -> Refusal {
    Refusal {
        status: 400,
        code: "ERR-003",
        message: format!("Ugyldig periode eller datoformat: {problem}"),
        rule: Some(Rule::PoliceRequestSchema),
    }
}

fn bearer(request: &MockRequest) -> Option<&str> {
    let value = request.header("Authorization")?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then(|| token.trim())
}

/// The v1.1.2 registry error body (digest 2.4).
pub(crate) fn registry_error(status: u16, code: &str, message: &str) -> MockResponse {
    MockResponse::json(
        status,
        &json!({
            "errorCode": code,
            "errorMessage": message,
            "timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }),
    )
}

impl Handler for RegistryMock {
    fn name(&self) -> String {
        "registry".to_owned()
    }

    fn handle(&self, request: &MockRequest) -> Handled {
        let endpoint = match request.path.strip_prefix(REGISTRY_BASE_PATH) {
            Some(CUSTOMER_RELATIONSHIPS_PATH) => Endpoint::CustomerRelationships,
            Some(ACCOUNT_SERVICING_PROVIDER_PATH) => Endpoint::AccountServicingProvider,
            _ => {
                return Handled::ok(registry_error(
                    404,
                    "ERR-404",
                    &format!(
                        "no such registry endpoint {:?}; the registry serves {REGISTRY_BASE_PATH}{CUSTOMER_RELATIONSHIPS_PATH} and {REGISTRY_BASE_PATH}{ACCOUNT_SERVICING_PROVIDER_PATH}",
                        request.path
                    ),
                ))
            }
        };
        if request.method != "GET" {
            return Handled::ok(
                registry_error(
                    405,
                    "ERR-405",
                    &format!(
                        "{} is not allowed; the registry only answers GET",
                        request.method
                    ),
                )
                .with_header("Allow", "GET"),
            );
        }
        let mut violations = Vec::new();
        for name in ["AdditionalReferenceID", "AdditionalReferenceIDType"] {
            if request.header(name).is_some() {
                violations.push(Violation::new(
                    Rule::PoliceEoNotRegistry,
                    format!("registry call carries {name}: step-1 calls must not carry the extradition order (digest 4.2)"),
                ));
            }
        }
        let kind = match endpoint {
            Endpoint::CustomerRelationships => MessageKind::RegistryCustomerRelationshipsRequest,
            Endpoint::AccountServicingProvider => {
                MessageKind::RegistryAccountServicingProviderRequest
            }
        };
        if let Err(schema_violations) = crate::schema::validate(kind, &request.to_doc_json(None)) {
            violations.extend(
                schema_violations
                    .iter()
                    .map(|v| Violation::new(Rule::PoliceRequestSchema, format!("{kind}: {v}"))),
            );
        }
        let response = match self.judge(request, endpoint) {
            Ok(response) => response,
            Err(refusals) => {
                for r in &refusals {
                    if let Some(rule) = r.rule {
                        violations.push(Violation::new(rule, r.message.clone()));
                    }
                }
                match refusals.first() {
                    Some(first) => registry_error(first.status, first.code, &first.message),
                    None => registry_error(
                        500,
                        "ERR-500",
                        "request refused without a reason (a harness defect)",
                    ),
                }
            }
        };
        Handled {
            violations,
            ..Handled::ok(response)
        }
    }
}

/// Whether an account "can be used for payments or holds available funds" (digest 2.1
/// `onlyPrimaryOwner`): every type but `loanAccount`.
pub(crate) fn is_payment_or_funds_account(account: &AccountRecord) -> bool {
    account.kind != AccountType::LoanAccount
}

/// Whether an account is NICS-creditable (digest 2.2 `activeAccount`): a payment/funds account
/// in NOK (NICS clears NOK).
pub(crate) fn is_nics_creditable(account: &AccountRecord) -> bool {
    is_payment_or_funds_account(account) && account.currency == "NOK"
}

fn overlaps(start: NaiveDate, end: Option<NaiveDate>, period: Period) -> bool {
    start <= period.to() && end.is_none_or(|end| end >= period.from())
}

fn open_on(account: &AccountRecord, day: NaiveDate) -> bool {
    account
        .open_periods
        .iter()
        .any(|p| p.start_date <= day && p.end_date.is_none_or(|end| end >= day))
}

/// The registry's answer to `customerRelationships` (digest 2.1, 2.2), our reading:
///
/// * A bank is listed when the customer held **any** role (owner, co-owner, disposal,
///   guarantor, co-borrower) on one of its accounts at some time in the period — a customer
///   relationship, whatever its kind. Banks are listed in population order.
/// * "Owner" is [`Relation::PrimaryOwner`] (the same owner the banks list under
///   `OnlyPrimaryOwner=TRUE`, digest 4.5). A KAR bank's `ownershipType` is `primaryOwner` when
///   the customer owned a payment/funds account (`is_payment_or_funds_account`) there in the
///   period, `unknown` when every role in the period ended before `roles_known_since`, else
///   `notPrimaryOwner`. KFR works at person level and holds no account roles: always
///   `unknown` (digest 1.1).
/// * `ownershipType` is present only when `onlyPrimaryOwner` was sent. With
///   `onlyPrimaryOwner=true` banks whose type is `notPrimaryOwner` are left out; `unknown`
///   ones stay (the registry cannot tell, and leaving them out would hide a relationship).
/// * `activeAccount` (always present, as v1.1.2 required) is `true` only at a KAR bank, when
///   `toDate` is `today`, and the customer is the owner of a NICS-creditable account
///   (`is_nics_creditable`) that is open today, in a role that lasts today.
pub fn customer_relationships(
    population: &Population,
    customer: &str,
    period: Period,
    only_primary_owner: Option<bool>,
    today: NaiveDate,
) -> CustomerRelationships {
    let banks = population
        .banks
        .iter()
        .filter_map(|bank| {
            let mut related = false;
            let mut owner = false;
            let mut role_history = false;
            let mut active = false;
            for account in population
                .accounts
                .iter()
                .filter(|a| a.bank == bank.org_number)
            {
                for role in account.roles.iter().filter(|r| r.party == customer) {
                    if !overlaps(role.start_date, role.end_date, period) {
                        continue;
                    }
                    related = true;
                    if role.end_date.is_none_or(|end| end >= roles_known_since()) {
                        role_history = true;
                    }
                    if role.relation == Relation::PrimaryOwner {
                        owner |= is_payment_or_funds_account(account);
                        active |= is_nics_creditable(account)
                            && period.to() == today
                            && role.start_date <= today
                            && role.end_date.is_none_or(|end| end >= today)
                            && open_on(account, today);
                    }
                }
            }
            if !related {
                return None;
            }
            let ownership = match bank.register {
                Register::Kfr => OwnershipType::Unknown,
                Register::Kar if owner => OwnershipType::PrimaryOwner,
                Register::Kar if !role_history => OwnershipType::Unknown,
                Register::Kar => OwnershipType::NotPrimaryOwner,
            };
            if only_primary_owner == Some(true) && ownership == OwnershipType::NotPrimaryOwner {
                return None;
            }
            Some(RelatedBank {
                organization_id: bank.org_number.clone(),
                bank_name: bank.name.clone(),
                active_account: Some(bank.register == Register::Kar && active),
                ownership_type: only_primary_owner.map(|_| ownership),
            })
        })
        .collect();
    CustomerRelationships { banks }
}

/// The registry's answer to `accountServicingProvider` (digest 2.3): the bank holding the
/// account with this number, if any.
pub(crate) fn account_servicing_provider(
    population: &Population,
    account_id: &str,
) -> Option<AccountServicingProvider> {
    let account = population
        .accounts
        .iter()
        .find(|a| a.account_identifier == account_id)?;
    let bank = population
        .banks
        .iter()
        .find(|b| b.org_number == account.bank)?;
    Some(AccountServicingProvider {
        organization_id: bank.org_number.clone(),
        bank_name: bank.name.clone(),
    })
}
