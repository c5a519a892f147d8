//! Shared test plumbing: proptest runs inside libtest-mimic trials, seeded rand 0.8 RNGs,
//! and parsing by identifier type name.

use dsop_harness::{AccountNumber, IdentifierError, OrgNumber, PartyId, PersonNumber};
use libtest_mimic::Failed;
use proptest::prelude::any;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::sync::atomic::{AtomicU32, Ordering};

/// Runs `property` for `cases` proptest-drawn `u64` seeds. The crate uses rand 0.8 while
/// proptest has its own rand, so each case builds a rand 0.8 `StdRng` from the seed. A failure
/// reports the (shrunk) seed, which reproduces the case exactly.
pub fn run_seeded(
    cases: u32,
    property: impl Fn(&mut StdRng) -> Result<(), TestCaseError>,
) -> Result<(), Failed> {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let runs = AtomicU32::new(0);
    runner
        .run(&any::<u64>(), |seed| {
            runs.fetch_add(1, Ordering::Relaxed);
            let mut rng = StdRng::seed_from_u64(seed);
            property(&mut rng)
        })
        .map_err(|e| match e {
            TestError::Fail(reason, seed) => {
                Failed::from(format!("seed {seed} (StdRng::seed_from_u64): {reason}"))
            }
            TestError::Abort(reason) => Failed::from(format!("aborted: {reason}")),
        })?;
    let runs = runs.into_inner();
    if runs < cases {
        return Err(format!("the property ran {runs} times, not the {cases} asked for").into());
    }
    Ok(())
}

/// A fresh rand 0.8 RNG for a proptest seed.
pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// Parses `input` as the identifier named `kind` (`person`, `org`, `account`, `party`) and
/// returns its canonical string.
pub fn parse_as(kind: &str, input: &str) -> Result<String, IdentifierError> {
    match kind {
        "person" => PersonNumber::parse(input).map(|v| v.as_str().to_owned()),
        "org" => OrgNumber::parse(input).map(|v| v.as_str().to_owned()),
        "account" => AccountNumber::parse(input).map(|v| v.as_str().to_owned()),
        "party" => PartyId::parse(input).map(|v| v.as_str().to_owned()),
        other => panic!("unknown identifier type {other:?} in test data"),
    }
}

/// The variant name of an error, for comparing with the table's `error` column. Exhaustive on
/// purpose: a new variant must be added here (and to the table).
pub fn variant(error: &IdentifierError) -> &'static str {
    match error {
        IdentifierError::WrongLength { .. } => "WrongLength",
        IdentifierError::PartyIdLength { .. } => "PartyIdLength",
        IdentifierError::NonDigit { .. } => "NonDigit",
        IdentifierError::CheckDigit { .. } => "CheckDigit",
        IdentifierError::CheckDigitTen { .. } => "CheckDigitTen",
        IdentifierError::InvalidDay { .. } => "InvalidDay",
        IdentifierError::InvalidMonth { .. } => "InvalidMonth",
        IdentifierError::HNumber { .. } => "HNumber",
        IdentifierError::InvalidDate { .. } => "InvalidDate",
        IdentifierError::IndividualNumberOutOfRange { .. } => "IndividualNumberOutOfRange",
        IdentifierError::BirthDateOutOfRange { .. } => "BirthDateOutOfRange",
        IdentifierError::BankCode { .. } => "BankCode",
    }
}

/// Every string that differs from `digits` in exactly one position (9 per position).
pub fn single_digit_mutations(digits: &str) -> Vec<(usize, String)> {
    let bytes = digits.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() * 9);
    for position in 0..bytes.len() {
        for replacement in b'0'..=b'9' {
            if replacement != bytes[position] {
                let mut mutated = bytes.to_vec();
                mutated[position] = replacement;
                out.push((position + 1, String::from_utf8(mutated).unwrap()));
            }
        }
    }
    out
}
