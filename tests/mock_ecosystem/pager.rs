//! `police::pager::Pager` against a real mock bank (digest 7.4): the pages it yields are the
//! pages a plain one-request-at-a-time loop gets, in order, with every request answered before
//! the next one is sent and a clean journal; it is never more than one page ahead.

use crate::helpers::*;
use dsop_harness::{
    first_page_request, Driver, DriverConfig, Ecosystem, EcosystemConfig, EdgeCaseKind, Outgoing,
    Pager, Population, PopulationConfig, Transactions,
};
use libtest_mimic::{Failed, Trial};
use std::sync::Arc;

const TRANSACTIONS: u64 = 2_500;

fn err(e: impl std::fmt::Display) -> Failed {
    e.to_string().into()
}

struct Setup {
    ecosystem: Ecosystem,
    driver: Arc<Driver>,
    base: String,
    first: String,
    headers: Vec<(String, String)>,
}

async fn setup() -> Result<Setup, Failed> {
    let trust = trust();
    let population = Arc::new(Population::generate(&PopulationConfig {
        reference_date: today(),
        large_account_transactions: Some(TRANSACTIONS),
        ..PopulationConfig::default_pack()
    }));
    let case = population
        .edge_case(EdgeCaseKind::LargeAccount)
        .ok_or("no large account")?;
    let (Some(party), Some(bank), Some(reference)) =
        (&case.party, &case.bank, &case.account_reference)
    else {
        return Err("incomplete large-account edge case".into());
    };
    let recipe = population
        .accounts
        .iter()
        .find(|a| &a.account_reference == reference)
        .and_then(|a| a.generated_transactions.clone())
        .ok_or("no recipe")?;
    let mut config = EcosystemConfig::new(
        Arc::clone(&trust),
        Arc::clone(&population),
        dsop_harness::mock_bank_factory(),
    );
    config.banks = Some(vec![bank.clone()]);
    config.clock = dsop_harness::Clock::system();
    let ecosystem = Ecosystem::start(config).await.map_err(err)?;
    let base = ecosystem.bank_url(bank).ok_or("no bank URL")?.to_owned();
    let (from, to) = (recipe.first_date.to_string(), recipe.last_date.to_string());
    let (first, headers) =
        first_page_request(&trust, &base, party, reference, &from, &to).map_err(err)?;
    let driver = Arc::new(Driver::new(DriverConfig::new("", "", ""), &trust).map_err(err)?);
    Ok(Setup {
        ecosystem,
        driver,
        base,
        first,
        headers,
    })
}

fn identifiers(page: &Transactions) -> Vec<String> {
    page.transactions
        .iter()
        .map(|t| t.transaction_identifier.clone())
        .collect()
}

/// Pages with the pager and with a sequential loop; both must see the same transactions.
async fn same_pages_as_a_sequential_loop() -> Result<(), Failed> {
    let s = setup().await?;
    let mut paged = Vec::new();
    let mut pages = 0;
    let mut pager = Pager::start(Arc::clone(&s.driver), &s.base, &s.first, s.headers.clone());
    while let Some(exchange) = pager.next_page().await {
        let exchange = exchange.map_err(err)?;
        check(exchange.status == 200 && exchange.jwe.is_some(), || {
            format!(
                "page {pages}: HTTP {}, jwe {:?}",
                exchange.status, exchange.jwe
            )
        })?;
        let payload = exchange.payload.map_err(err)?;
        valid(dsop_harness::MessageKind::Transactions, &payload)?;
        let page: Transactions = serde_json::from_value(payload).map_err(err)?;
        paged.extend(identifiers(&page));
        pages += 1;
    }
    let journal = s.ecosystem.journal().entries();
    let requests: Vec<_> = journal
        .iter()
        .filter(|e| e.path.ends_with("/transactions"))
        .collect();
    check(requests.len() == pages, || {
        format!("{pages} pages but {} requests", requests.len())
    })?;
    check(
        requests
            .iter()
            .all(|e| e.status == 200 && e.violations.is_empty()),
        || format!("journal: {requests:#?}"),
    )?;
    check(pages == 3, || {
        format!("{pages} pages of 1000 for {TRANSACTIONS}")
    })?;

    let mut sequential = Vec::new();
    let mut url = Some(s.first.clone());
    while let Some(next) = url.take() {
        let exchange = s
            .driver
            .send_with_retry(Outgoing::get(&next, &[], s.headers.clone()))
            .await
            .map_err(err)?;
        let page: Transactions =
            serde_json::from_value(exchange.payload.map_err(err)?).map_err(err)?;
        sequential.extend(identifiers(&page));
        url = page
            .links
            .iter()
            .find(|l| l.rel == "next")
            .map(|l| format!("{}/{}", s.base, l.href.trim_start_matches('/')));
    }
    check(paged.len() as u64 == TRANSACTIONS, || {
        format!("{} transactions paged", paged.len())
    })?;
    check(paged == sequential, || {
        "the pager and the sequential loop saw different transactions".into()
    })?;
    let mut unique = paged.clone();
    unique.sort();
    unique.dedup();
    check(unique.len() == paged.len(), || {
        "a transaction came twice".into()
    })?;
    s.ecosystem.shutdown();
    Ok(())
}

/// The pager is at most one page ahead: dropping it after the first page leaves the first
/// request and at most the second (already in flight), nothing after it.
async fn dropping_stops_the_paging() -> Result<(), Failed> {
    let s = setup().await?;
    let mut pager = Pager::start(Arc::clone(&s.driver), &s.base, &s.first, s.headers.clone());
    let first = pager
        .next_page()
        .await
        .ok_or("no first page")?
        .map_err(err)?;
    check(first.status == 200, || format!("HTTP {}", first.status))?;
    drop(pager);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let requests = s
        .ecosystem
        .journal()
        .entries()
        .iter()
        .filter(|e| e.path.ends_with("/transactions"))
        .count();
    check((1..=2).contains(&requests), || {
        format!("{requests} transaction requests after dropping the pager at page 1")
    })?;
    s.ecosystem.shutdown();
    Ok(())
}

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test("pager::7.4::same_pages_as_a_sequential_loop", || {
            runtime().block_on(same_pages_as_a_sequential_loop())
        }),
        Trial::test("pager::7.4::dropping_stops_the_paging", || {
            runtime().block_on(dropping_stops_the_paging())
        }),
    ]
}
