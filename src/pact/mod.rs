//! The police profile as a Pact V4 contract (`dsop-harness pact export`, `docs/pact.md`): one
//! interaction per positive behaviour the bank suite's data-exact scenarios check, plus the
//! error answers Pact can express, for bank vendors who already run the Pact verifier in CI.
//!
//! Owns: the contract built from the test data pack and the oracle the suite judges with
//! ([`crate::population::query`], through [`crate::bank_suite::Fixtures`]), its matching rules
//! ([`body`]: exact where the pack and the rules decide a value, type or regex where the
//! documents leave it to the bank), and the provider-state hook ([`states`]) that gives the
//! verifier a fresh Maskinporten token, a fresh extradition order and the bank's own account
//! reference for each interaction.
//!
//! Must not touch: verdicts (the Pact verifier judges) or the bank's internals.
//!
//! Requests use the test-mode `Accept: application/json` (digest 7.2): the verifier cannot
//! decrypt JWE. Tokens and orders in the file are placeholders; provider-state generators put
//! the hook's values in their place.

mod body;
pub(crate) mod states;

use crate::bank_suite::Fixtures;
use crate::domain::control::AccCode;
use crate::domain::mandate::LegalMandate;
use crate::domain::request::Endpoint;
use crate::domain::values::Period;
use crate::population::query::{self, DATA_NOT_DELIVERED, DEFAULT_PAGE_SIZE};
use crate::population::EdgeCaseKind;
use crate::rules::Rule;
use body::{Body, Leaf, Member};
use chrono::{Days, NaiveDate};
use serde_json::{json, Value};

pub use states::StateHook;

/// The consumer name of the contract.
pub(crate) const CONSUMER: &str = "politi-utlevering-police";
/// The provider name of the contract.
pub(crate) const PROVIDER: &str = "bank";
/// The file `pact export` writes.
pub const FILE_NAME: &str = "politi-utlevering-police-bank.json";
/// The `RequesterID` every request carries (digest 4.3: a pseudonymised case handler).
pub(crate) const REQUESTER_ID: &str = "pact-case-handler";
/// The account reference no bank issued, for the 404 interactions (digest 7.6).
pub const UNKNOWN_REFERENCE: &str = "5f0c7d1e-8a4b-4c2e-9d3f-6b1a2c3d4e5f";
/// The provider state of the interactions that need only a token and an order.
pub const PERSON_STATE: &str = "person-owning-accounts";
/// The provider state of the interactions on the first company owning accounts at the bank.
pub const COMPANY_STATE: &str = "company-owning-accounts";

/// Why the contract could not be built.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PactError {
    /// The pack lacks what an interaction needs.
    #[error("the test data pack: {0}")]
    Pack(String),
    /// The oracle refused a query.
    #[error("the oracle: {0}")]
    Query(#[from] query::QueryError),
    /// A period could not be formed.
    #[error("period: {0}")]
    Period(#[from] crate::domain::values::ValueError),
}

/// One request of the contract.
struct Call<'a> {
    state: &'a str,
    party: &'a str,
    period: Period,
    endpoint: Endpoint,
    method: &'static str,
    only_primary_owner: Option<bool>,
    /// The pack's account (2b): its number goes to the hook, its reference is the example.
    account: Option<(&'a str, &'a str)>,
    /// The path is the next link of the first page (the hook follows it).
    next_page: bool,
}

impl Call<'_> {
    fn params(&self) -> Value {
        let mut params = json!({
            states::PARAM_PARTY: self.party,
            states::PARAM_FROM: self.period.from().to_string(),
            states::PARAM_TO: self.period.to().to_string(),
        });
        if let Some((number, _)) = self.account {
            params[states::PARAM_ACCOUNT] = json!(number);
            params[states::PARAM_ENDPOINT] = json!(self.endpoint.name());
        }
        if self.next_page {
            params[states::PARAM_FOLLOW_NEXT] = json!(true);
        }
        params
    }

    fn request(&self) -> Value {
        let provider_state = |expression: &str| json!({"type": "ProviderState", "expression": expression, "dataType": "STRING"});
        let mut headers = json!({
            "Accept": ["application/json"],
            "Authorization": ["Bearer placeholder-access-token"],
            "AccountInfoRequestID": ["00000000-0000-4000-8000-000000000001"],
            "CorrelationID": ["00000000-0000-4000-8000-000000000002"],
            "Legal-Mandate": [LegalMandate::CriminalCase.encoded()],
            "AdditionalReferenceID": ["placeholder.extradition.order"],
            "AdditionalReferenceIDType": ["pol1"],
            "RequesterID": [REQUESTER_ID],
        });
        let mut generators = json!({
            "header": {
                "Authorization": provider_state(&format!("Bearer ${{{}}}", states::ACCESS_TOKEN)),
                "AccountInfoRequestID": provider_state(&format!("${{{}}}", states::CASE_ID)),
                "AdditionalReferenceID": provider_state(&format!("${{{}}}", states::ORDER)),
                "CorrelationID": {"type": "Uuid"},
            }
        });
        let uuid = json!({"combine": "AND", "matchers": [{"match": "regex", "regex":
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"}]});
        let header_rules = json!({
            "Authorization": {"combine": "AND", "matchers": [{"match": "regex", "regex": "^Bearer .+$"}]},
            "AccountInfoRequestID": uuid,
            "CorrelationID": uuid,
            "AdditionalReferenceID": {"combine": "AND", "matchers": [{"match": "regex", "regex":
                "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$|^placeholder"}]},
        });
        if self.endpoint == Endpoint::Accounts {
            headers["PartyID"] = json!([self.party]);
        }
        let reference = self.account.map_or(UNKNOWN_REFERENCE, |(_, r)| r);
        let mut path = self.endpoint.path(reference);
        let mut query = json!({
            "fromDate": [self.period.from().to_string()],
            "toDate": [self.period.to().to_string()],
        });
        if let Some(opo) = self.only_primary_owner {
            query["OnlyPrimaryOwner"] = json!([if opo { "TRUE" } else { "FALSE" }]);
        }
        if self.next_page {
            // The next link carries the period and the bank's cursor (digest 7.4): the request
            // is the link, re-sent with the same headers.
            path = format!("{path}?page={DEFAULT_PAGE_SIZE}");
            generators["path"] = provider_state(&format!("${{{}}}", states::NEXT_PAGE_PATH));
            return json!({
                "method": self.method, "path": path, "headers": headers,
                "generators": generators, "matchingRules": {"header": header_rules},
            });
        }
        if self.account.is_some() {
            let suffix = path.trim_start_matches("/accounts/");
            let suffix = suffix.split_once('/').map_or("", |(_, s)| s);
            let template = if suffix.is_empty() {
                format!("/accounts/${{{}}}", states::ACCOUNT_REFERENCE)
            } else {
                format!("/accounts/${{{}}}/{suffix}", states::ACCOUNT_REFERENCE)
            };
            generators["path"] = provider_state(&template);
        }
        json!({
            "method": self.method, "path": path, "query": query, "headers": headers,
            "generators": generators, "matchingRules": {"header": header_rules},
        })
    }

    /// The interaction; its description starts with the rules it checks (the verifier prints
    /// descriptions of failed interactions, so a failure names the rule, as every finding does).
    fn interaction(
        &self,
        rules: &[Rule],
        description: String,
        comment: &str,
        response: Value,
    ) -> Value {
        let ids: Vec<&str> = rules.iter().map(|r| r.id()).collect();
        json!({
            "type": "Synchronous/HTTP",
            "description": format!("{}: {description}", ids.join(", ")),
            "providerStates": [{"name": self.state, "params": self.params()}],
            "request": self.request(),
            "response": response,
            "comments": {"text": [comment]},
            "pending": false,
        })
    }
}

/// A JSON response: status, `Content-Type: application/json` (parameters allowed), body.
fn response(status: u16, body: Body) -> Value {
    let (content, rules) = body.finish();
    json!({
        "status": status,
        "headers": {"Content-Type": ["application/json"]},
        "body": {"content": content, "contentType": "application/json", "encoded": false},
        "matchingRules": {
            "body": rules,
            "header": {"Content-Type": {"combine": "AND", "matchers": [
                {"match": "regex", "regex": "^application/json(;.*)?$"}]}},
        },
    })
}

/// The error body `{code, message}` (digest 3.3.6, 7.6) with `code` matched by `code`.
fn error_response(status: u16, example: &str, code: Leaf) -> Value {
    let mut body = Body::new();
    body.leaf("code", json!(example), code)
        .leaf("message", json!("what went wrong"), Leaf::Type);
    response(status, body)
}

fn value_of(body: &impl serde::Serialize) -> Value {
    serde_json::to_value(body).unwrap_or(Value::Null)
}

/// The contract for the bank `fixtures.bank_org` of the pack, with periods as the bank suite
/// chooses them on `today` (`Fixtures::period`).
pub(crate) fn contract(fixtures: &Fixtures, today: NaiveDate) -> Result<Value, PactError> {
    let builder = Builder::new(fixtures, today)?;
    let interactions = builder.interactions()?;
    Ok(json!({
        "consumer": {"name": CONSUMER},
        "provider": {"name": PROVIDER},
        "interactions": interactions,
        "metadata": {
            "pactSpecification": {"version": "4.0"},
            "dsop-harness": {
                "version": env!("CARGO_PKG_VERSION"),
                "bankOrg": fixtures.bank_org,
                "packSeed": fixtures.population.seed,
                "packReferenceDate": fixtures.population.reference_date.to_string(),
                "exportedOn": today.to_string(),
            },
        },
    }))
}

struct Builder<'a> {
    fx: &'a Fixtures,
    period: Period,
    person: String,
    company: String,
}

impl<'a> Builder<'a> {
    fn new(fx: &'a Fixtures, today: NaiveDate) -> Result<Self, PactError> {
        let (from, to) = fx.period(today);
        let period = Period::new(from, to)?;
        let person = fx.party_with_accounts(false, period).ok_or_else(|| {
            PactError::Pack(format!("no person owns accounts at bank {}", fx.bank_org))
        })?;
        let company = fx.party_with_accounts(true, period).ok_or_else(|| {
            PactError::Pack(format!("no company owns accounts at bank {}", fx.bank_org))
        })?;
        Ok(Self {
            fx,
            period,
            person,
            company,
        })
    }

    /// The period ending `days` before the pack's reference date (same start).
    fn ending(&self, days: u64) -> Result<Period, PactError> {
        let to = self.fx.population.reference_date - Days::new(days);
        Ok(Period::new(self.period.from(), to)?)
    }

    fn edge(&self, name: &str) -> Result<(String, Option<String>), PactError> {
        let case = self.fx.edge_case(name).map_err(PactError::Pack)?;
        let party = case
            .party
            .clone()
            .ok_or_else(|| PactError::Pack(format!("edge case {name:?} names no party")))?;
        Ok((party, case.account_identifier.clone()))
    }

    fn pop(&self) -> &crate::population::Population {
        &self.fx.population
    }

    fn interactions(&self) -> Result<Vec<Value>, PactError> {
        let mut out = Vec::new();
        let (person, company) = (self.person.as_str(), self.company.as_str());
        // Accounts (digest 3.3.1, 4.5, 4.6, 4.7, 1.3, 8).
        for opo in [true, false] {
            out.push(self.accounts(PERSON_STATE, person, self.period, opo)?);
            out.push(self.accounts(COMPANY_STATE, company, self.period, opo)?);
        }
        let edge_accounts: &[(EdgeCaseKind, &[bool])] = &[
            (EdgeCaseKind::CoOwnedAccount, &[true, false]),
            (EdgeCaseKind::GuarantorOnly, &[false]),
            (EdgeCaseKind::CoBorrower, &[false]),
            (EdgeCaseKind::DNumberHolder, &[false]),
            (EdgeCaseKind::ClosedInPeriod, &[false]),
            (EdgeCaseKind::ReopenedAccount, &[false]),
            (EdgeCaseKind::OwnershipTransferred, &[false]),
            (EdgeCaseKind::CompanyWithAccounts, &[true]),
            (EdgeCaseKind::DataNotDelivered, &[false]),
            (EdgeCaseKind::ShieldedPerson, &[false]),
        ];
        for (kind, opos) in edge_accounts {
            let (party, _) = self.edge(kind.as_str())?;
            for opo in *opos {
                out.push(self.accounts(kind.as_str(), &party, self.period, *opo)?);
            }
        }
        let (party, _) = self.edge(EdgeCaseKind::ClosedOnToDate.as_str())?;
        out.push(self.accounts(
            EdgeCaseKind::ClosedOnToDate.as_str(),
            &party,
            self.ending(200)?,
            false,
        )?);
        for name in ["disposal-only", "owner-with-disposal"] {
            let case = self.fx.edge_case(name).map_err(PactError::Pack)?;
            let party = case.party.clone().unwrap_or_default();
            for opo in [false, true] {
                out.push(self.accounts(&case.name, &party, self.period, opo)?);
            }
        }
        // Account details (digest 3.3.2, 3.4.5, 3.4.7, 8).
        let details = Endpoint::AccountDetails;
        out.push(self.account(PERSON_STATE, person, None, self.period, details)?);
        out.push(self.account(PERSON_STATE, person, None, self.ending(90)?, details)?);
        out.push(self.account(COMPANY_STATE, company, None, self.period, details)?);
        for kind in [
            EdgeCaseKind::ClosedInPeriod,
            EdgeCaseKind::ReopenedAccount,
            EdgeCaseKind::OwnershipTransferred,
            EdgeCaseKind::CurrencyExchange,
        ] {
            out.push(self.edge_account(kind, self.period, details)?);
        }
        for days in [90, 200] {
            out.push(self.edge_account(
                EdgeCaseKind::BalanceAtPastToDate,
                self.ending(days)?,
                details,
            )?);
        }
        // Cards (digest 3.3.4, 3.4.8).
        out.push(self.account(PERSON_STATE, person, None, self.period, Endpoint::Cards)?);
        for kind in [EdgeCaseKind::CardTransactions, EdgeCaseKind::CardFirstMonth] {
            out.push(self.edge_account(kind, self.period, Endpoint::Cards)?);
        }
        // Roles (digest 3.3.5, 3.4.5).
        out.push(self.account(PERSON_STATE, person, None, self.period, Endpoint::Roles)?);
        out.push(self.account(COMPANY_STATE, company, None, self.period, Endpoint::Roles)?);
        for kind in [
            EdgeCaseKind::RoleHistory,
            EdgeCaseKind::CoOwnedAccount,
            EdgeCaseKind::RoleFromFromDate,
        ] {
            out.push(self.edge_account(kind, self.period, Endpoint::Roles)?);
        }
        // Transactions (digest 3.3.3, 3.2.1, 8) and paging (7.4).
        let tx = Endpoint::Transactions;
        out.push(self.account(PERSON_STATE, person, None, self.period, tx)?);
        out.push(self.account(PERSON_STATE, person, None, self.ending(200)?, tx)?);
        out.push(self.account(COMPANY_STATE, company, None, self.period, tx)?);
        for kind in [
            EdgeCaseKind::PendingTransactions,
            EdgeCaseKind::CurrencyExchange,
            EdgeCaseKind::CardTransactions,
            EdgeCaseKind::ClosedInPeriod,
        ] {
            out.push(self.edge_account(kind, self.period, tx)?);
        }
        for days in [0, 90, 200] {
            out.push(self.edge_account(EdgeCaseKind::PeriodBoundaries, self.ending(days)?, tx)?);
        }
        for kind in [EdgeCaseKind::PagingAccount, EdgeCaseKind::LargeAccount] {
            out.push(self.edge_account(kind, self.period, tx)?);
        }
        out.push(self.next_page(EdgeCaseKind::PagingAccount)?);
        // Errors Pact can express (digest 7.1, 7.6, 4.7).
        out.extend(self.errors()?);
        Ok(out)
    }

    fn accounts(
        &self,
        state: &str,
        party: &str,
        period: Period,
        opo: bool,
    ) -> Result<Value, PactError> {
        let fx = self.fx;
        let view = query::accounts_for(self.pop(), &fx.bank_org, party, opo, period)?;
        let served = value_of(&view.body);
        // On TRUE, alternative 1's partial signal is accepted as well as complete (digest 4.6
        // leaves it open; BANK-OPO-SEMANTICS).
        let every_relation = query::accounts_for(self.pop(), &fx.bank_org, party, false, period)?;
        let signal_open = opo && !every_relation.signalled.is_empty();
        let mut body = Body::new();
        let status_leaf = if signal_open {
            Leaf::regex(body::RESPONSE_STATUS)
        } else {
            Leaf::Exact
        };
        body.pick(&served, "responseDetails.status", status_leaf)
            .pick(&served, "responseDetails.message", Leaf::Type);
        let members: Vec<Member> = served["accounts"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|a| {
                let mut m = Member::new();
                body::pick(&mut m, a, "accountIdentifier", Leaf::Exact);
                let dnd = a["accountReference"] == DATA_NOT_DELIVERED;
                let reference = if dnd { Leaf::Exact } else { Leaf::Type };
                body::pick(&mut m, a, "accountReference", reference);
                for path in ["status", "type", "currency"] {
                    body::pick(&mut m, a, path, Leaf::Exact);
                }
                body::pick(
                    &mut m,
                    a,
                    "servicer.identifier.value",
                    Leaf::regex(body::ORG_NUMBER),
                );
                body::pick(
                    &mut m,
                    a,
                    "servicer.identifier.type",
                    Leaf::regex(body::IDENTIFIER_TYPE),
                );
                owner(&mut m, a, "primaryOwner");
                m
            })
            .collect();
        body.exact_list("accounts", members);
        let opo_text = if opo { "TRUE" } else { "FALSE" };
        let mut rules = vec![Rule::BankDataExact, Rule::BankOpoSemantics];
        if state == EdgeCaseKind::ShieldedPerson.as_str() {
            rules.push(Rule::BankShielded);
        }
        if state.starts_with("disposal-only") || state.starts_with("owner-with-disposal") {
            rules.push(Rule::BankDisposal);
        }
        if state == EdgeCaseKind::DataNotDelivered.as_str() {
            rules.push(Rule::BankDataNotDelivered);
        }
        let call = Call {
            state,
            party,
            period,
            endpoint: Endpoint::Accounts,
            method: "GET",
            only_primary_owner: Some(opo),
            account: None,
            next_page: false,
        };
        Ok(call.interaction(
            &rules,
            format!(
                "Accounts for {state} ({party}), OnlyPrimaryOwner {opo_text}, {} to {}",
                period.from(),
                period.to()
            ),
            "digest 3.3.1, 4.5, 4.6, 4.7, 1.3, 8: the accounts of the pack, in any order",
            response(200, body),
        ))
    }

    fn edge_account(
        &self,
        kind: EdgeCaseKind,
        period: Period,
        endpoint: Endpoint,
    ) -> Result<Value, PactError> {
        let (party, account) = self.edge(kind.as_str())?;
        self.account(kind.as_str(), &party, account.as_deref(), period, endpoint)
    }

    /// A 2b interaction on `account` (or the party's first listed account with data).
    fn account(
        &self,
        state: &str,
        party: &str,
        account: Option<&str>,
        period: Period,
        endpoint: Endpoint,
    ) -> Result<Value, PactError> {
        let fx = self.fx;
        let view = query::accounts_for(self.pop(), &fx.bank_org, party, false, period)?;
        let listed = view
            .listed
            .iter()
            .zip(&view.body.accounts)
            .find(|(l, a)| match account {
                Some(number) => l.account_identifier == number,
                None => a.account_reference != DATA_NOT_DELIVERED,
            })
            .map(|(l, _)| l)
            .ok_or_else(|| {
                PactError::Pack(format!(
                    "party {party} has no listed account {} at bank {}",
                    account.unwrap_or("with data"),
                    fx.bank_org
                ))
            })?;
        let reference = listed.account_reference.as_str();
        let number = listed.account_identifier.as_str();
        let call = Call {
            state,
            party,
            period,
            endpoint,
            method: "GET",
            only_primary_owner: None,
            account: Some((number, reference)),
            next_page: false,
        };
        let paged = endpoint == Endpoint::Transactions
            && query::transaction_count(
                query::find_account(self.pop(), &fx.bank_org, reference)?,
                period,
            ) > u64::try_from(DEFAULT_PAGE_SIZE).unwrap_or(u64::MAX);
        let rules: &[Rule] = match endpoint {
            Endpoint::AccountDetails => &[Rule::BankDataExact, Rule::BankBalance],
            Endpoint::Transactions if paged => &[Rule::BankPagination],
            Endpoint::Transactions => &[Rule::BankDataExact, Rule::BankPeriod],
            Endpoint::Cards => &[Rule::BankDataExact, Rule::BankCardMask],
            _ => &[Rule::BankDataExact],
        };
        let (body, comment) = match endpoint {
            Endpoint::AccountDetails => (
                self.details_body(reference, period)?,
                "digest 3.3.2, 3.4.5, 3.4.7, 8: status, dates, owner and balances of the pack",
            ),
            Endpoint::Transactions => (
                self.transactions_body(reference, period)?,
                "digest 3.3.3, 3.2.1, 8, 7.4: the transactions of the period, both ends \
                 included, in any order (a paged account: the first page, at least 1000)",
            ),
            Endpoint::Cards => (
                self.cards_body(reference, period)?,
                "digest 3.3.4, 3.4.8: every card of the account, masked (at most 6+4 shown)",
            ),
            Endpoint::Roles => (
                self.roles_body(reference, period)?,
                "digest 3.3.5, 3.4.5: every party with rights in the period, with its dates",
            ),
            Endpoint::Accounts => return Err(PactError::Pack("Accounts is not a 2b call".into())),
        };
        Ok(call.interaction(
            rules,
            format!(
                "{} of account {number} for {state} ({party}), {} to {}",
                endpoint.operation_id(),
                period.from(),
                period.to()
            ),
            comment,
            response(200, body),
        ))
    }

    fn details_body(&self, reference: &str, period: Period) -> Result<Body, PactError> {
        let fx = self.fx;
        let served = value_of(&query::account_details(
            self.pop(),
            &fx.bank_org,
            reference,
            period,
        )?);
        let mut body = Body::new();
        body.pick(&served, "responseDetails.status", Leaf::Exact);
        body.pick(&served, "account.accountIdentifier", Leaf::Exact)
            .pick(&served, "account.accountReference", Leaf::Type);
        for path in ["status", "type", "currency", "startDate", "endDate"] {
            body.pick(&served, &format!("account.{path}"), Leaf::Exact);
        }
        let mut owner_member = Member::new();
        owner(&mut owner_member, &served["account"], "primaryOwner");
        for (path, value, leaf) in owner_member {
            body.leaf(&format!("account.{path}"), value, leaf);
        }
        let balances: Vec<Member> = served["account"]["balances"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|b| {
                let mut m = Member::new();
                for path in ["type", "amount", "creditDebitIndicator", "currency"] {
                    body::pick(&mut m, b, path, Leaf::Exact);
                }
                body::pick(&mut m, b, "registered", Leaf::regex(body::DATE_TIME));
                m
            })
            .collect();
        // No balance (closed in the period, digest 8): null, absent or empty all mean none
        // (digest 0.3), which Pact cannot say in one expectation; the suite checks it.
        if !balances.is_empty() {
            body.exact_list("account.balances", balances);
        }
        Ok(body)
    }

    fn transactions_body(&self, reference: &str, period: Period) -> Result<Body, PactError> {
        let fx = self.fx;
        let all = query::transactions(
            self.pop(),
            &fx.bank_org,
            reference,
            period,
            &query::PageRequest::first(usize::MAX),
        )?;
        let served = value_of(&all);
        let list = served["transactions"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut body = Body::new();
        body.pick(&served, "responseDetails.status", Leaf::Exact);
        if list.len() > DEFAULT_PAGE_SIZE {
            // Paged (digest 7.4): the first page holds at least 1000; which ones is the
            // bank's order. The suite follows every page and compares the whole.
            let mut template = Member::new();
            if let Some(first) = list.first() {
                body::pick(&mut template, first, "transactionIdentifier", Leaf::Type);
                body::pick(&mut template, first, "amount", Leaf::Exact);
                body::pick(
                    &mut template,
                    first,
                    "currency",
                    Leaf::regex(body::CURRENCY),
                );
                body::pick(
                    &mut template,
                    first,
                    "status",
                    Leaf::regex(body::TRANSACTION_STATUS),
                );
                body::pick(
                    &mut template,
                    first,
                    "creditDebitIndicator",
                    Leaf::regex(body::CREDIT_DEBIT),
                );
            }
            body.template_list("transactions", template, DEFAULT_PAGE_SIZE);
            return Ok(body);
        }
        let members = list
            .iter()
            .map(|t| {
                let mut m = Member::new();
                for path in [
                    "transactionIdentifier",
                    "status",
                    "amount",
                    "currency",
                    "creditDebitIndicator",
                ] {
                    body::pick(&mut m, t, path, Leaf::Exact);
                }
                // The booking day decides the period (digest 3.2.1); the time is the bank's.
                if let Some(day) = t["bookingDate"].as_str().and_then(|d| d.get(..10)) {
                    m.push((
                        "bookingDate".to_owned(),
                        t["bookingDate"].clone(),
                        Leaf::Own {
                            member: format!("^{day}(T.*)?$"),
                            shape: body::DAY_AND_TIME,
                        },
                    ));
                }
                m
            })
            .collect();
        body.exact_list("transactions", members);
        Ok(body)
    }

    fn cards_body(&self, reference: &str, period: Period) -> Result<Body, PactError> {
        let fx = self.fx;
        let served = value_of(&query::cards(self.pop(), &fx.bank_org, reference, period)?);
        let record = query::find_account(self.pop(), &fx.bank_org, reference)?;
        let mut body = Body::new();
        body.pick(&served, "responseDetails.status", Leaf::Exact);
        let members = served["paymentCards"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .zip(&record.cards)
            .map(|(c, raw)| {
                let mut m = Member::new();
                body::pick(
                    &mut m,
                    c,
                    "cardIdentifier",
                    Leaf::Own {
                        member: body::card_mask_pattern(&raw.card_identifier),
                        shape: body::MASKED_CARD,
                    },
                );
                for path in [
                    "versionNumber",
                    "cardStatus",
                    "type",
                    "startDate",
                    "expiryDate",
                ] {
                    body::pick(&mut m, c, path, Leaf::Exact);
                }
                body::pick(&mut m, c, "holderName", Leaf::Type);
                m
            })
            .collect();
        body.exact_list("paymentCards", members);
        Ok(body)
    }

    fn roles_body(&self, reference: &str, period: Period) -> Result<Body, PactError> {
        let fx = self.fx;
        let served = value_of(&query::roles(self.pop(), &fx.bank_org, reference, period)?);
        let mut body = Body::new();
        body.pick(&served, "responseDetails.status", Leaf::Exact);
        let members = served["roles"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|r| {
                let mut m = Member::new();
                body::pick(&mut m, r, "identifier.value", Leaf::Exact);
                body::pick(
                    &mut m,
                    r,
                    "identifier.type",
                    Leaf::regex(body::IDENTIFIER_TYPE),
                );
                for path in ["permission", "startDate", "endDate"] {
                    body::pick(&mut m, r, path, Leaf::Exact);
                }
                body::pick(&mut m, r, "name", Leaf::Type);
                m
            })
            .collect();
        body.exact_list("roles", members);
        Ok(body)
    }

    /// The page the first page's `next` link leads to (digest 7.4); the hook follows it.
    fn next_page(&self, kind: EdgeCaseKind) -> Result<Value, PactError> {
        let (party, account) = self.edge(kind.as_str())?;
        let number =
            account.ok_or_else(|| PactError::Pack(format!("edge case {kind} names no account")))?;
        let reference = self.fx.reference_of(&number).map_err(PactError::Pack)?;
        let call = Call {
            state: kind.as_str(),
            party: &party,
            period: self.period,
            endpoint: Endpoint::Transactions,
            method: "GET",
            only_primary_owner: None,
            account: Some((&number, &reference)),
            next_page: true,
        };
        let template: Member = vec![
            ("transactionIdentifier".into(), json!("t-1"), Leaf::Type),
            (
                "status".into(),
                json!("booked"),
                Leaf::regex(body::TRANSACTION_STATUS),
            ),
        ];
        let mut body = Body::new();
        body.leaf("responseDetails.status", json!("complete"), Leaf::Exact)
            .template_list("transactions", template, 1);
        Ok(call.interaction(
            &[Rule::BankPagination],
            format!(
                "listTransactions, the page the next link of account {number} leads to, for \
                 {kind} ({party})"
            ),
            "digest 7.4: the next link is relative and leads to a further page of the same \
             period (a bank that answers in one page is asked for its first page again)",
            response(200, body),
        ))
    }

    fn errors(&self) -> Result<Vec<Value>, PactError> {
        let person = self.person.as_str();
        let mut out = Vec::new();
        let post = Call {
            state: PERSON_STATE,
            party: person,
            period: self.period,
            endpoint: Endpoint::Accounts,
            method: "POST",
            only_primary_owner: Some(false),
            account: None,
            next_page: false,
        };
        out.push(post.interaction(
            &[Rule::BankMethod, Rule::BankErrorBody],
            "POST to Accounts is answered 405 ACC-012".into(),
            "digest 7.1, 7.6: only GET is supported",
            error_response(405, AccCode::Acc012.as_str(), Leaf::Exact),
        ));
        for endpoint in [
            Endpoint::AccountDetails,
            Endpoint::Transactions,
            Endpoint::Cards,
            Endpoint::Roles,
        ] {
            let call = Call {
                state: PERSON_STATE,
                party: person,
                period: self.period,
                endpoint,
                method: "GET",
                only_primary_owner: None,
                account: None,
                next_page: false,
            };
            out.push(call.interaction(
                &[Rule::BankUnknownReference, Rule::BankErrorBody],
                format!(
                    "{} for an account reference nobody issued is answered 404 ACC-002 or ACC-003",
                    endpoint.operation_id()
                ),
                "digest 7.6: 404 with ACC-002 or ACC-003 (which one is UNKNOWN, digest 9 row 6)",
                error_response(404, AccCode::Acc002.as_str(), Leaf::regex("^ACC-00[23]$")),
            ));
        }
        let (party, _) = self.edge(EdgeCaseKind::DataNotDelivered.as_str())?;
        let call = Call {
            state: EdgeCaseKind::DataNotDelivered.as_str(),
            party: &party,
            period: self.period,
            endpoint: Endpoint::Cards,
            method: "GET",
            only_primary_owner: None,
            account: None,
            next_page: false,
        };
        let mut interaction = call.interaction(
            &[Rule::BankDataNotDelivered, Rule::BankErrorBody],
            "listCards for accountReference dataNotDelivered is refused with a 4xx".into(),
            "digest 4.7, 9 row 18: refused, the status is unspecified (any 4xx)",
            error_response(404, AccCode::Acc003.as_str(), Leaf::regex(body::ACC_CODE)),
        );
        interaction["request"]["path"] = json!(format!("/accounts/{DATA_NOT_DELIVERED}/cards"));
        interaction["response"]["matchingRules"]["status"] = json!({"$": {"combine": "AND",
            "matchers": [{"match": "statusCode", "status": "clientError"}]}});
        out.push(interaction);
        Ok(out)
    }
}

/// The owner leaves of an account (digest 3.4.5): the party and its dates exactly.
fn owner(member: &mut Member, account: &Value, at: &str) {
    body::pick(
        member,
        account,
        &format!("{at}.identifier.value"),
        Leaf::Exact,
    );
    body::pick(
        member,
        account,
        &format!("{at}.identifier.type"),
        Leaf::regex(body::IDENTIFIER_TYPE),
    );
    body::pick(
        member,
        account,
        &format!("{at}.permission"),
        Leaf::regex(body::PERMISSION),
    );
    for date in ["startDate", "endDate"] {
        body::pick(member, account, &format!("{at}.{date}"), Leaf::Exact);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_page_request_has_no_query_of_its_own() {
        let period = Period::new(
            NaiveDate::from_ymd_opt(2024, 1, 1).expect("date"),
            NaiveDate::from_ymd_opt(2024, 12, 31).expect("date"),
        )
        .expect("period");
        let call = Call {
            state: "paging-account",
            party: "01010112345",
            period,
            endpoint: Endpoint::Transactions,
            method: "GET",
            only_primary_owner: None,
            account: Some(("12345678903", "ref")),
            next_page: true,
        };
        let request = call.request();
        assert!(request.get("query").is_none(), "{request}");
        assert_eq!(
            request["generators"]["path"]["expression"],
            format!("${{{}}}", states::NEXT_PAGE_PATH)
        );
    }
}
