//! Shared fixtures of the population tests: the committed default pack (loaded once), a
//! large-account population, periods, and small assertion helpers.

use chrono::{Days, NaiveDate};
use dsop_harness::{EdgeCase, EdgeCaseKind, Period, Population, PopulationConfig};
use libtest_mimic::Failed;
use std::path::PathBuf;
use std::sync::OnceLock;

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn default_pack_path() -> PathBuf {
    crate_dir().join(dsop_harness::DEFAULT_PACK_PATH)
}

/// The committed default pack, loaded (schema-validated and checked) once.
pub fn pack() -> &'static Population {
    static PACK: OnceLock<Population> = OnceLock::new();
    PACK.get_or_init(|| {
        Population::load(&default_pack_path()).unwrap_or_else(|e| panic!("default pack: {e}"))
    })
}

/// A population whose large account has 1 000 000 lazily generated transactions.
pub fn million() -> &'static Population {
    static MILLION: OnceLock<Population> = OnceLock::new();
    MILLION.get_or_init(|| {
        Population::generate(&PopulationConfig {
            large_account_transactions: Some(1_000_000),
            ..PopulationConfig::default_pack()
        })
    })
}

pub fn case(population: &Population, kind: EdgeCaseKind) -> &EdgeCase {
    population
        .edge_case(kind)
        .unwrap_or_else(|| panic!("edge case {kind} missing"))
}

pub fn days_before(day: NaiveDate, days: u64) -> NaiveDate {
    day.checked_sub_days(Days::new(days)).expect("date")
}

pub fn period(from: NaiveDate, to: NaiveDate) -> Period {
    Period::new(from, to).expect("period")
}

/// The whole history up to the reference date ("today").
pub fn today_period(population: &Population) -> Period {
    let today = population.reference_date;
    period(days_before(today, 3 * 365 + 30), today)
}

/// A typical past period: two years back up to 100 days before the reference date.
pub fn past_period(population: &Population) -> Period {
    let today = population.reference_date;
    period(days_before(today, 2 * 365), days_before(today, 100))
}

pub fn check(condition: bool, message: impl FnOnce() -> String) -> Result<(), Failed> {
    if condition {
        Ok(())
    } else {
        Err(message().into())
    }
}

pub fn check_eq<T: PartialEq + std::fmt::Debug>(
    actual: T,
    expected: T,
    rule: &str,
) -> Result<(), Failed> {
    check(actual == expected, || {
        format!("{rule}\n  expected: {expected:?}\n  actual:   {actual:?}")
    })
}

/// Validates a response against the police-profile schema of `kind`.
pub fn validate<T: serde::Serialize>(
    kind: dsop_harness::MessageKind,
    body: &T,
    context: &str,
) -> Result<(), Failed> {
    let value = serde_json::to_value(body).map_err(|e| Failed::from(e.to_string()))?;
    dsop_harness::validate(kind, &value).map_err(|violations| {
        let list: Vec<String> = violations.iter().map(|v| format!("  {v}")).collect();
        Failed::from(format!(
            "{context}: {kind} response fails the police-profile schema:\n{}",
            list.join("\n")
        ))
    })
}
