//! The data of a 200 answer, from the population queries ([`crate::population::query`], the
//! oracle), plus the data-level fault profiles.
//!
//! 2b calls are tied to the order's party (digest 5.6, 9 row 13): the `accountReference`
//! encodes nothing; the bank looks the account up by reference and requires it to be among the
//! accounts the order's `partyID` is listed with at this bank, under the order's
//! `onlyPrimaryOwner` and over the order's period (what an Accounts call the order permits
//! would list). Otherwise 403 ACC-011.

use super::checks::{Params, Rejection};
use super::BankMock;
use crate::domain::control::{AccCode, Balance};
use crate::domain::enums::{BalanceType, CreditDebitIndicator};
use crate::domain::order::ExtraditionOrderPayload;
use crate::domain::request::Endpoint;
use crate::domain::values::Period;
use crate::mocks::faults::{ActiveFaults, FaultProfile};
use crate::mocks::http::MockRequest;
use crate::population::model::{AccountRecord, Population};
use crate::population::query::{self, PageRequest, QueryError, PAGE_PARAMETER};
use serde::Serialize;
use serde_json::Value;

fn from_query(err: &QueryError) -> Rejection {
    let section = match err {
        QueryError::DataNotDelivered { .. } => "digest 4.7",
        QueryError::InvalidCursor { .. } => "digest 7.4",
        _ => "digest 3.4.3, 7.6",
    };
    Rejection::new(err.acc_code(), format!("{err} ({section})"))
}

fn not_serialised(e: &serde_json::Error) -> Rejection {
    Rejection::new(
        AccCode::Acc100,
        format!("internal error: could not serialise the response: {e}"),
    )
}

/// The body as JSON text, serialised straight from the typed body (no `Value` in between: the
/// answer is serialised once, docs/performance.md).
fn to_json(body: &impl Serialize) -> Result<Vec<u8>, Rejection> {
    serde_json::to_vec(body).map_err(|e| not_serialised(&e))
}

fn order_period(order: &ExtraditionOrderPayload) -> Option<Period> {
    let from = crate::domain::dates::parse_iso_date(&order.from_date).ok()?;
    let to = crate::domain::dates::parse_iso_date(&order.to_date).ok()?;
    Period::new(from, to).ok()
}

/// Serves `endpoint` for a request that passed every check.
pub(crate) fn serve(
    bank: &BankMock,
    endpoint: Endpoint,
    reference: Option<&str>,
    params: &Params,
    order: &ExtraditionOrderPayload,
    request: &MockRequest,
    faults: &ActiveFaults,
) -> Result<Vec<u8>, Rejection> {
    let config = bank.config();
    let population: &Population = &config.population;
    let org = config.org_number.as_str();
    let period = if faults.has(FaultProfile::ToDateExclusive) {
        // toDate taken as exclusive: the period ends the day before (unless that is before
        // fromDate).
        params
            .period
            .to()
            .pred_opt()
            .and_then(|to| Period::new(params.period.from(), to).ok())
            .unwrap_or(params.period)
    } else {
        params.period
    };
    let Some(reference) = reference.filter(|_| endpoint.needs_account_reference()) else {
        let party = params
            .party
            .as_ref()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default();
        let only_primary_owner = params.only_primary_owner.unwrap_or(false)
            && !faults.has(FaultProfile::IgnoreOnlyPrimaryOwner);
        let accounts = |owned_only| {
            if faults.has(FaultProfile::ListShieldedAccounts) {
                query::accounts_ignoring_shielding(population, org, &party, owned_only, period)
            } else {
                query::accounts_for(population, org, &party, owned_only, period)
            }
            .map_err(|e| from_query(&e))
        };
        let mut view = accounts(only_primary_owner)?;
        if faults.has(FaultProfile::OmitDisposalOnlyAccounts) {
            let disposal: Vec<&str> = view
                .listed
                .iter()
                .filter(|l| l.relation == crate::population::model::Relation::Disposal)
                .map(|l| l.account_identifier.as_str())
                .collect();
            view.body
                .accounts
                .retain(|a| !disposal.contains(&a.account_identifier.as_str()));
            view.body.response_details = crate::domain::control::ResponseDetails::complete();
        }
        if faults.has(FaultProfile::OmitUndeliveredAccounts) {
            view.body.accounts.retain(|a| {
                a.account_reference != crate::domain::values::AccountReference::DATA_NOT_DELIVERED
            });
        }
        if only_primary_owner && faults.has(FaultProfile::PartialSignalOnOwnedOnly) {
            let all = accounts(false)?;
            if !all.signalled.is_empty() {
                view.body.response_details = all.body.response_details;
            }
        }
        if !faults.has(FaultProfile::DeliverAccountName) {
            return to_json(&view.body);
        }
        let mut value = serde_json::to_value(&view.body).map_err(|e| not_serialised(&e))?;
        name_accounts(&mut value, population, org);
        return to_json(&value);
    };
    let record = match query::find_account(population, org, reference) {
        Err(QueryError::UnknownAccount { .. })
            if faults.has(FaultProfile::UnknownReferenceEmpty200) =>
        {
            return empty_answer(endpoint);
        }
        found => found.map_err(|e| from_query(&e))?,
    };
    if !faults.has(FaultProfile::AcceptMismatchedParty) {
        belongs_to_party(population, org, record, order)?;
    }
    match endpoint {
        Endpoint::Accounts => Err(Rejection::new(
            AccCode::Acc100,
            "internal error: Accounts routed as a 2b call",
        )),
        Endpoint::AccountDetails => {
            let mut body = query::account_details(population, org, reference, period)
                .map_err(|e| from_query(&e))?;
            if faults.has(FaultProfile::BalanceForClosedAccount) {
                if let Some(account) = body.account.as_mut() {
                    if account.balances.is_empty() {
                        account.balances = closed_balance(record, period);
                    }
                }
            }
            to_json(&body)
        }
        Endpoint::Transactions => {
            let page = PageRequest {
                cursor: request.query_param(PAGE_PARAMETER).map(str::to_owned),
                size: config.page_size,
            };
            let served_period = if faults.has(FaultProfile::TransactionsOutsidePeriod) {
                let today = population.reference_date;
                Period::new(
                    today - chrono::Duration::days(100 * 365),
                    today + chrono::Duration::days(100 * 365),
                )
                .unwrap_or(period)
            } else {
                period
            };
            let mut body = query::transactions(population, org, reference, served_period, &page)
                .map_err(|e| from_query(&e))?;
            if faults.has(FaultProfile::TransactionsOutsidePeriod) {
                // Links keep the requested period: the bank looks conformant from outside.
                for link in &mut body.links {
                    link.href = link
                        .href
                        .replace(
                            &format!("fromDate={}", served_period.from()),
                            &format!("fromDate={}", period.from()),
                        )
                        .replace(
                            &format!("toDate={}", served_period.to()),
                            &format!("toDate={}", period.to()),
                        );
                }
            }
            if faults.has(FaultProfile::MissingNextLink) {
                body.links.retain(|l| l.rel != "next");
            }
            if faults.has(FaultProfile::BrokenNextLink) {
                for link in body.links.iter_mut().filter(|l| l.rel == "next") {
                    link.href = link.href.replacen("/transactions?", "/transaktioner?", 1);
                }
            }
            if faults.has(FaultProfile::UnmaskedCardNumbers) {
                for tx in &mut body.transactions {
                    if let Some(card) = tx.payment_card.as_mut() {
                        if let Some(raw) = record.cards.iter().find(|c| {
                            crate::population::is_masking_of(
                                &card.card_identifier,
                                &c.card_identifier,
                            )
                        }) {
                            card.card_identifier = raw.card_identifier.clone();
                        }
                    }
                }
            }
            if faults.has(FaultProfile::DuplicateAcrossPages) && page.cursor.is_some() {
                if let Some(offset) = page
                    .cursor
                    .as_deref()
                    .and_then(|c| c.parse::<u64>().ok())
                    .filter(|o| *o > 0)
                {
                    let previous = PageRequest {
                        cursor: Some((offset - 1).to_string()),
                        size: 1,
                    };
                    if let Ok(prev) =
                        query::transactions(population, org, reference, served_period, &previous)
                    {
                        let mut items = prev.transactions;
                        items.append(&mut body.transactions);
                        body.transactions = items;
                    }
                }
            }
            to_json(&body)
        }
        Endpoint::Cards => {
            let mut body =
                query::cards(population, org, reference, period).map_err(|e| from_query(&e))?;
            if faults.has(FaultProfile::MaskAllButLastFour) {
                for card in &mut body.payment_cards {
                    let digits = card.card_identifier.chars().count();
                    card.card_identifier = card
                        .card_identifier
                        .chars()
                        .enumerate()
                        .map(|(i, c)| if i + 4 < digits { 'X' } else { c })
                        .collect();
                }
            }
            if faults.has(FaultProfile::UnmaskedCardNumbers) {
                // The stored numbers, in full (the cards are served in stored order).
                for (card, stored) in body.payment_cards.iter_mut().zip(&record.cards) {
                    card.card_identifier = stored.card_identifier.clone();
                }
            }
            to_json(&body)
        }
        Endpoint::Roles => {
            let mut body =
                query::roles(population, org, reference, period).map_err(|e| from_query(&e))?;
            if faults.has(FaultProfile::RolesWithoutEndDate) {
                for role in &mut body.roles {
                    role.end_date = None;
                }
            }
            to_json(&body)
        }
    }
}

/// Fault `unknown-reference-empty-200`: a complete answer with nothing in it.
fn empty_answer(endpoint: Endpoint) -> Result<Vec<u8>, Rejection> {
    use crate::domain::control::{AccountDetails, Cards, ResponseDetails, Roles, Transactions};
    let complete = ResponseDetails::complete;
    match endpoint {
        Endpoint::AccountDetails => to_json(&AccountDetails {
            response_details: complete(),
            account: None,
        }),
        Endpoint::Transactions => to_json(&Transactions {
            response_details: complete(),
            transactions: Vec::new(),
            links: Vec::new(),
        }),
        Endpoint::Cards => to_json(&Cards {
            response_details: complete(),
            payment_cards: Vec::new(),
        }),
        Endpoint::Roles | Endpoint::Accounts => to_json(&Roles {
            response_details: complete(),
            roles: Vec::new(),
        }),
    }
}

/// Digest 5.6 / 9 row 13: the account must be one the order's party is listed with here.
fn belongs_to_party(
    population: &Population,
    org: &str,
    record: &AccountRecord,
    order: &ExtraditionOrderPayload,
) -> Result<(), Rejection> {
    let not_party = || {
        Rejection::new(
            AccCode::Acc011,
            format!(
                "accountReference {:?} does not belong to an account the extradition order's \
                 partyID {} has at this bank in the order's period {}..={} (digest 5.6: 2b calls \
                 are tied back to the order's party)",
                record.account_reference, order.party_id, order.from_date, order.to_date
            ),
        )
    };
    let period = order_period(order).ok_or_else(not_party)?;
    let view = query::accounts_for(
        population,
        org,
        &order.party_id,
        order.only_primary_owner,
        period,
    )
    .map_err(|e| from_query(&e))?;
    if view
        .listed
        .iter()
        .any(|l| l.account_reference == record.account_reference)
    {
        Ok(())
    } else {
        Err(not_party())
    }
}

/// Fault `deliver-account-name`: a name on every listed account (police: not delivered).
fn name_accounts(value: &mut Value, population: &Population, org: &str) {
    let Some(accounts) = value.get_mut("accounts").and_then(Value::as_array_mut) else {
        return;
    };
    for account in accounts {
        let kind = account
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("account")
            .to_owned();
        let bank = population
            .banks
            .iter()
            .find(|b| b.org_number == org)
            .map_or("", |b| b.name.as_str());
        if let Some(map) = account.as_object_mut() {
            map.insert("name".to_owned(), Value::String(format!("{kind} {bank}")));
        }
    }
}

/// Fault `balance-for-closed-account`: the last known booked balance, even though the account
/// was closed in the period (digest 8 says: none).
fn closed_balance(record: &AccountRecord, period: Period) -> Vec<Balance> {
    let Some(point) = record
        .balances
        .iter()
        .rev()
        .find(|p| p.date <= period.to())
        .or_else(|| record.balances.last())
    else {
        return Vec::new();
    };
    vec![Balance {
        credit_line_included: Some(record.credit_line_included),
        amount: Some(point.booked.abs()),
        credit_debit_indicator: Some(if point.booked < 0.0 {
            CreditDebitIndicator::Debit
        } else {
            CreditDebitIndicator::Credit
        }),
        registered: Some(format!("{}T23:59:59Z", point.date)),
        kind: Some(BalanceType::BookedBalance),
        credit_line_amount: record.credit_line,
        credit_line_currency: record.credit_line.map(|_| record.currency.clone()),
        currency: Some(record.currency.clone()),
    }]
}
