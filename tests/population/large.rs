//! The lazily generated 1 000 000-transaction account (digest 7.4, 1.2 volumes): O(1) access
//! to any page and count consistency in debug; the full paging run is an ignored test meant
//! for release (`cargo test --release --test population -- --ignored`).

use crate::helpers::{case, check, check_eq, million, period};
use dsop_harness::{
    index_range, query::cursor_of, query::transaction_count, query::transactions,
    query::PageRequest, query::DEFAULT_PAGE_SIZE, AccountRecord, EdgeCaseKind,
};
use libtest_mimic::{Failed, Trial};
use std::time::{Duration, Instant};

fn large() -> &'static AccountRecord {
    let c = case(million(), EdgeCaseKind::LargeAccount);
    million()
        .accounts
        .iter()
        .find(|a| Some(&a.account_identifier) == c.account_identifier.as_ref())
        .expect("large account")
}

fn whole() -> dsop_harness::Period {
    let g = large().generated_transactions.as_ref().unwrap();
    period(g.first_date, g.last_date)
}

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test(
            "large::count_is_one_million_and_consistent_with_the_days",
            || {
                let record = large();
                let g = record.generated_transactions.as_ref().unwrap();
                check_eq(g.count, 1_000_000, "recipe count")?;
                check_eq(transaction_count(record, whole()), 1_000_000, "whole range")?;
                // Brute force over every index (arithmetic only) for a few periods.
                let days: Vec<_> = (0..g.count).map(|i| dsop_day(g, i)).collect();
                for (from, to) in [(10, 10), (0, 0), (100, 465), (1000, 1094), (1094, 1094)] {
                    let from = g.first_date + chrono::Days::new(from);
                    let to = g.first_date + chrono::Days::new(to);
                    let expected = days.iter().filter(|d| from <= **d && **d <= to).count() as u64;
                    let range = index_range(g, from, to);
                    check_eq(
                        range.end - range.start,
                        expected,
                        &format!("count {from}..={to}"),
                    )?;
                    check_eq(
                        transaction_count(record, period(from, to)),
                        expected,
                        "transaction_count",
                    )?;
                }
                Ok(())
            },
        ),
        Trial::test("large::first_middle_and_last_page_in_constant_time", || {
            let record = large();
            let total = 1_000_000u64;
            let pages = total / DEFAULT_PAGE_SIZE as u64;
            for k in [0, pages / 2, pages - 1] {
                let started = Instant::now();
                let cursor = (k * DEFAULT_PAGE_SIZE as u64).to_string();
                let request = if k == 0 {
                    PageRequest::default()
                } else {
                    PageRequest::at(cursor, DEFAULT_PAGE_SIZE)
                };
                let body = transactions(
                    million(),
                    &record.bank,
                    &record.account_reference,
                    whole(),
                    &request,
                )?;
                let elapsed = started.elapsed();
                check_eq(body.transactions.len(), DEFAULT_PAGE_SIZE, "full page")?;
                let first = format!(
                    "{}-G{:09}",
                    record.account_identifier,
                    k * DEFAULT_PAGE_SIZE as u64
                );
                check_eq(
                    body.transactions[0].transaction_identifier.clone(),
                    first,
                    "page k starts at index k·1000",
                )?;
                let next = body.links.iter().find(|l| l.rel == "next");
                check_eq(
                    next.is_some(),
                    k != pages - 1,
                    "next present except on the last page",
                )?;
                if let Some(next) = next {
                    check_eq(
                        cursor_of(next),
                        Some(((k + 1) * DEFAULT_PAGE_SIZE as u64).to_string().as_str()),
                        "next cursor",
                    )?;
                }
                // O(page): a page of 1000 takes milliseconds even in debug; O(count) would take seconds.
                check(elapsed < Duration::from_secs(2), || {
                    format!("page {k} took {elapsed:?}")
                })?;
            }
            Ok(())
        }),
        Trial::test(
            "large::generated_transactions_are_pure_functions_of_seed_and_index",
            || {
                let record = large();
                let g = record.generated_transactions.as_ref().unwrap();
                let a = dsop_harness::generated_transaction(record, g, 123_456);
                let b = dsop_harness::generated_transaction(record, g, 123_456);
                check(a == b, || "not deterministic".into())?;
                let c = dsop_harness::generated_transaction(record, g, 123_457);
                check(a.transaction_identifier != c.transaction_identifier, || {
                    "ids repeat".into()
                })
            },
        ),
        Trial::test("large::page_through_all_one_million_release_timing", || {
            let record = large();
            let started = Instant::now();
            let mut request = PageRequest::default();
            let mut seen = 0u64;
            let mut pages = 0u64;
            loop {
                let body = transactions(
                    million(),
                    &record.bank,
                    &record.account_reference,
                    whole(),
                    &request,
                )?;
                seen += body.transactions.len() as u64;
                pages += 1;
                match body
                    .links
                    .iter()
                    .find(|l| l.rel == "next")
                    .and_then(cursor_of)
                {
                    Some(cursor) => request = PageRequest::at(cursor, DEFAULT_PAGE_SIZE),
                    None => break,
                }
            }
            let elapsed = started.elapsed();
            println!("paged {seen} transactions in {pages} pages in {elapsed:?}");
            check_eq(seen, 1_000_000, "every transaction exactly once")?;
            Ok::<(), Failed>(())
        })
        .with_ignored_flag(true),
    ]
}

fn dsop_day(g: &dsop_harness::GeneratedTransactions, i: u64) -> chrono::NaiveDate {
    let span = (g.last_date - g.first_date).num_days() as u64 + 1;
    g.first_date + chrono::Days::new(i * span / g.count)
}
