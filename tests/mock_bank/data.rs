//! Conforming requests get 200 with exactly the population queries' answer (the oracle);
//! paging over the > 1000-transaction account; JWE with the consumer key.

use crate::helpers::{
    bank, case, expected_accounts, expected_transactions, fixture, follow, period_of, send,
    send_to, today, Req,
};
use chrono::Duration;
use dsop_harness::{query, EdgeCaseKind, Endpoint};
use libtest_mimic::{Failed, Trial};
use serde_json::Value;
use std::collections::HashSet;

fn check(ok: bool, message: impl FnOnce() -> String) -> Result<(), Failed> {
    if ok {
        Ok(())
    } else {
        Err(message().into())
    }
}

fn accounts_match(kind: EdgeCaseKind, only_primary_owner: bool) -> Result<(), Failed> {
    let c = case(kind);
    let req = Req::accounts(kind).query(
        "OnlyPrimaryOwner",
        if only_primary_owner { "TRUE" } else { "false" },
    );
    let answer = send(&req);
    check(answer.status == 200, || {
        format!("status {}: {}", answer.status, answer.body)
    })?;
    let expected =
        serde_json::to_value(expected_accounts(&req, &c.party, only_primary_owner)).unwrap();
    check(answer.body == expected, || {
        format!(
            "{kind} (digest {}): served {}\nexpected {expected}",
            kind.digest(),
            answer.body
        )
    })?;
    check(answer.violation_rules().is_empty(), || {
        format!("violations {:?}", answer.violation_rules())
    })
}

fn two_b_matches(kind: EdgeCaseKind, endpoint: Endpoint) -> Result<(), Failed> {
    let c = case(kind);
    let reference = c.reference.clone().expect("edge case has an account");
    let req = Req::on(endpoint, kind);
    let answer = send(&req);
    check(answer.status == 200, || {
        format!("status {}: {}", answer.status, answer.body)
    })?;
    let p = &fixture().population;
    let period = period_of(&req);
    let expected = match endpoint {
        Endpoint::AccountDetails => {
            serde_json::to_value(query::account_details(p, &c.bank, &reference, period)?)
        }
        Endpoint::Transactions => serde_json::to_value(query::transactions(
            p,
            &c.bank,
            &reference,
            period,
            &query::PageRequest::first(query::DEFAULT_PAGE_SIZE),
        )?),
        Endpoint::Cards => serde_json::to_value(query::cards(p, &c.bank, &reference, period)?),
        Endpoint::Roles => serde_json::to_value(query::roles(p, &c.bank, &reference, period)?),
        Endpoint::Accounts => unreachable!(),
    }?;
    check(answer.body == expected, || {
        format!(
            "{kind} {endpoint}: served {}\nexpected {expected}",
            answer.body
        )
    })
}

/// Digest 7.4: walking `next` over the paging account gives exactly the period's
/// transactions, pages of 1000, no duplicates, no gaps, relative hrefs, no `next` at the end.
fn pagination() -> Result<(), Failed> {
    let from = (today() - Duration::days(4 * 365)).to_string();
    let mut req = Req::on(Endpoint::Transactions, EdgeCaseKind::PagingAccount)
        .period(&from, &today().to_string());
    req.order = req.order.clone().from_date(&from);
    let expected = expected_transactions(&req);
    check(expected.len() > 2000, || {
        format!("paging account has only {} transactions", expected.len())
    })?;
    let bank = bank(&req.bank, &[]);
    let mut served: Vec<Value> = Vec::new();
    let mut pages = Vec::new();
    let mut current = req.clone();
    loop {
        let answer = send_to(&bank, &current);
        check(answer.status == 200, || {
            format!("page {}: {}", pages.len() + 1, answer.body)
        })?;
        let items = answer.body["transactions"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        pages.push(items.len());
        served.extend(items);
        let links = answer.body["links"].as_array().cloned().unwrap_or_default();
        for link in &links {
            let href = link["href"].as_str().unwrap_or_default();
            check(href.starts_with("/accounts/"), || {
                format!("href {href:?} is not relative to the base URL")
            })?;
        }
        match links.iter().find(|l| l["rel"] == "next") {
            Some(next) => current = follow(&req, next["href"].as_str().unwrap_or_default()),
            None => break,
        }
        check(pages.len() < 100, || "next links never end".to_owned())?;
    }
    let (last, full) = pages.split_last().expect("at least one page");
    check(
        full.iter().all(|n| *n == 1000) && *last <= 1000 && *last > 0,
        || format!("page sizes {pages:?}"),
    )?;
    let ids: HashSet<&str> = served
        .iter()
        .map(|t| t["transactionIdentifier"].as_str().unwrap_or_default())
        .collect();
    check(ids.len() == served.len(), || {
        "duplicate transactions across pages".to_owned()
    })?;
    check(served == expected, || {
        format!(
            "served {} transactions, the population has {} in the period",
            served.len(),
            expected.len()
        )
    })
}

/// Digest 7.2: 200 bodies are compact JWE with the documented defaults, decryptable with the
/// consumer key of the trust directory.
fn jwe_decrypts_with_the_consumer_key() -> Result<(), Failed> {
    let req = Req::accounts(EdgeCaseKind::PagingAccount);
    let handled = dsop_harness::Handler::handle(&bank(&req.bank, &[]), &req.request());
    let body = String::from_utf8(handled.response.body.clone())?;
    check(body.split('.').count() == 5, || {
        format!("not compact JWE: {body:.60}")
    })?;
    let plain = dsop_harness::jwe::decrypt_expecting(
        &body,
        &fixture().consumer_key,
        dsop_harness::jwe::DEFAULT_ALG,
        dsop_harness::jwe::DEFAULT_ENC,
    )?;
    let value: Value = serde_json::from_slice(&plain)?;
    check(
        handled
            .response
            .plaintext
            .as_ref()
            .is_some_and(|p| p.value() == &value),
        || "decrypted payload differs from the journal plaintext".to_owned(),
    )
}

/// Digest 4.6: the bank's disposal alternative can be overridden per bank.
fn disposal_override() -> Result<(), Failed> {
    use dsop_harness::DisposalAlternative;
    use dsop_harness::{BankConfig, BankMock};
    let c = case(EdgeCaseKind::DisposalOnlySignal);
    let f = fixture();
    let mut config = BankConfig::new(
        &c.bank,
        &crate::helpers::base_url(&c.bank),
        f.population.clone(),
        f.bank_trust.clone(),
    );
    config.disposal_alternative = Some(DisposalAlternative::FullData);
    let bank = BankMock::new(config).expect("bank");
    let answer = send_to(&bank, &Req::accounts(EdgeCaseKind::DisposalOnlySignal));
    check(
        answer.body["responseDetails"]["status"] == "complete"
            && !answer.body["accounts"].as_array().is_none_or(Vec::is_empty),
        || format!("alternative 2 lists the disposed account: {}", answer.body),
    )
}

pub fn trials() -> Vec<Trial> {
    let mut trials = Vec::new();
    for kind in [
        EdgeCaseKind::PagingAccount,
        EdgeCaseKind::ShieldedPerson,
        EdgeCaseKind::DisposalOnlySignal,
        EdgeCaseKind::DisposalOnlyFullData,
        EdgeCaseKind::OwnerWithDisposalSignal,
        EdgeCaseKind::OwnerWithDisposalFullData,
        EdgeCaseKind::CoOwnedAccount,
        EdgeCaseKind::DataNotDelivered,
        EdgeCaseKind::GuarantorOnly,
        EdgeCaseKind::CoBorrower,
        EdgeCaseKind::OwnershipTransferred,
        EdgeCaseKind::DNumberHolder,
        EdgeCaseKind::CompanyWithAccounts,
    ] {
        for opo in [false, true] {
            trials.push(Trial::test(
                format!("data::accounts::{kind}::only_primary_owner_{opo}"),
                move || accounts_match(kind, opo),
            ));
        }
    }
    for kind in [
        EdgeCaseKind::PagingAccount,
        EdgeCaseKind::ClosedInPeriod,
        EdgeCaseKind::ReopenedAccount,
        EdgeCaseKind::RoleHistory,
        EdgeCaseKind::CurrencyExchange,
        EdgeCaseKind::CardTransactions,
        EdgeCaseKind::PendingTransactions,
    ] {
        for endpoint in [
            Endpoint::AccountDetails,
            Endpoint::Transactions,
            Endpoint::Cards,
            Endpoint::Roles,
        ] {
            trials.push(Trial::test(
                format!("data::{endpoint}::{kind}"),
                move || two_b_matches(kind, endpoint),
            ));
        }
    }
    trials.push(Trial::test("data::pagination::walk_next_links", pagination));
    trials.push(Trial::test(
        "data::jwe::decrypts_with_the_consumer_key",
        jwe_decrypts_with_the_consumer_key,
    ));
    trials.push(Trial::test(
        "data::disposal::alternative_override",
        disposal_override,
    ));
    trials
}

/// Digest 7.2: the plain-JSON switch must not exist in production.
fn production_refuses_plain_json() -> Result<(), Failed> {
    use dsop_harness::eo::Environment;
    use dsop_harness::{BankConfig, BankMock};
    let req = Req::accounts(EdgeCaseKind::PagingAccount).header("Accept", "application/json");
    let f = fixture();
    let mut config = BankConfig::new(
        &req.bank,
        &crate::helpers::base_url(&req.bank),
        f.population.clone(),
        f.bank_trust.clone(),
    );
    config.environment = Environment::Production;
    let answer = send_to(&BankMock::new(config).expect("bank"), &req);
    check(answer.status == 406 && answer.code() == "ACC-013", || {
        format!("production bank answered {} {}", answer.status, answer.body)
    })
}

/// A bank must be one of the population's.
fn unknown_bank_is_refused() -> Result<(), Failed> {
    use dsop_harness::{BankConfig, BankError, BankMock};
    let f = fixture();
    let config = BankConfig::new(
        "999999999",
        "http://127.0.0.1:9/v2",
        f.population.clone(),
        f.bank_trust.clone(),
    );
    check(
        matches!(BankMock::new(config), Err(BankError::UnknownBank { .. })),
        || "unknown bank accepted".to_owned(),
    )
}

/// The bank judges tokens and orders by its injected clock: 31 days on, the token (120 s)
/// has long expired.
fn fixed_clock_is_used() -> Result<(), Failed> {
    use dsop_harness::{BankConfig, BankMock, Clock};
    let req = Req::accounts(EdgeCaseKind::PagingAccount);
    let f = fixture();
    let later = crate::helpers::now() + Duration::days(31);
    let config = BankConfig::new(
        &req.bank,
        &crate::helpers::base_url(&req.bank),
        f.population.clone(),
        f.bank_trust.clone(),
    )
    .with_clock(Clock::fixed(later));
    let answer = send_to(&BankMock::new(config).expect("bank"), &req);
    check(
        answer.status == 401
            && answer.body["message"]
                .as_str()
                .is_some_and(|m| m.contains("expired")),
        || format!("answered {} {}", answer.status, answer.body),
    )
}

pub fn more_trials() -> Vec<Trial> {
    vec![
        Trial::test("data::config::fixed_clock_is_used", fixed_clock_is_used),
        Trial::test(
            "data::jwe::production_refuses_plain_json",
            production_refuses_plain_json,
        ),
        Trial::test(
            "data::config::unknown_bank_is_refused",
            unknown_bank_is_refused,
        ),
    ]
}
