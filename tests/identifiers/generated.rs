//! Property tests: generated values parse, round-trip through `Display`/`FromStr`/serde, and
//! person numbers encode the birth date they were generated for.

use crate::helpers::run_seeded;
use chrono::{Datelike, Days, NaiveDate};
use dsop_harness::{
    AccountNumber, IdentifierError, OrgNumber, PartyId, PersonNumber, PersonNumberKind,
    COUNTRY_IDENTIFICATION_CODE, NATIONAL_IDENTITY_NUMBER,
};
use libtest_mimic::Trial;
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::RngExt;

/// Values of each kind the Must-show list asks for.
const CASES: u32 = 10_000;

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test(
            "generated::synthetic_birth_numbers_parse_round_trip_and_keep_birth_date",
            || {
                run_seeded(CASES, |rng| {
                    person_property(rng, PersonNumberKind::BirthNumber)
                })
            },
        ),
        Trial::test(
            "generated::synthetic_d_numbers_parse_round_trip_and_keep_birth_date",
            || run_seeded(CASES, |rng| person_property(rng, PersonNumberKind::DNumber)),
        ),
        Trial::test("generated::random_birth_dates_stay_in_1930_to_2009", || {
            run_seeded(1_000, random_date_property)
        }),
        Trial::test("generated::org_numbers_parse_and_round_trip", || {
            run_seeded(CASES, org_property)
        }),
        Trial::test("generated::account_numbers_parse_and_round_trip", || {
            run_seeded(CASES, account_property)
        }),
        Trial::test(
            "generated::birth_dates_outside_1854_to_2039_cannot_be_encoded",
            || {
                birth_date_limits();
                Ok(())
            },
        ),
        Trial::test("generated::bank_code_must_be_four_digits", || {
            bank_codes();
            Ok(())
        }),
    ]
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A birth date drawn uniformly from the whole encodable range 1854-01-01..=2039-12-31, so
/// every century branch is exercised.
fn any_encodable_date(rng: &mut StdRng) -> NaiveDate {
    let first = date(1854, 1, 1);
    let span = (date(2039, 12, 31) - first).num_days() as u64;
    first + Days::new(rng.random_range(0..=span))
}

/// Parse, `Display`, `FromStr` and serde all give back the same value.
fn round_trips<T>(
    value: &T,
    parse: impl Fn(&str) -> Result<T, IdentifierError>,
) -> Result<(), TestCaseError>
where
    T: PartialEq
        + std::fmt::Debug
        + std::fmt::Display
        + std::str::FromStr<Err = IdentifierError>
        + serde::Serialize
        + serde::de::DeserializeOwned,
{
    let text = value.to_string();
    let parsed = parse(&text);
    prop_assert_eq!(parsed.as_ref(), Ok(value), "parse of {}", text);
    let from_str = text.parse::<T>();
    prop_assert_eq!(from_str.as_ref(), Ok(value), "FromStr of {}", text);
    let json = serde_json::to_string(value).unwrap();
    prop_assert_eq!(&json, &format!("\"{text}\""), "serialises as a JSON string");
    let back: T = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&back, value, "serde round trip of {}", json);
    Ok(())
}

fn person_property(rng: &mut StdRng, kind: PersonNumberKind) -> Result<(), TestCaseError> {
    let birth_date = any_encodable_date(rng);
    let generated = PersonNumber::generate_synthetic(rng, kind, birth_date)
        .map_err(|e| TestCaseError::fail(format!("{birth_date}: {e}")))?;
    let text = generated.as_str();
    prop_assert_eq!(text.len(), 11);
    prop_assert!(text.bytes().all(|b| b.is_ascii_digit()), "{}", text);
    round_trips(&generated, PersonNumber::parse)?;

    let parsed = PersonNumber::parse(text).unwrap();
    prop_assert_eq!(parsed.birth_date(), birth_date, "birth date of {}", text);
    prop_assert_eq!(parsed.kind(), kind, "{}", text);
    prop_assert!(
        parsed.is_synthetic(),
        "generated numbers are synthetic: {}",
        text
    );
    let month_field: u32 = text[2..4].parse().unwrap();
    prop_assert_eq!(
        month_field,
        birth_date.month() + 80,
        "month + 80 in {}",
        text
    );
    let day_field: u32 = text[0..2].parse().unwrap();
    let offset = if kind == PersonNumberKind::DNumber {
        40
    } else {
        0
    };
    prop_assert_eq!(
        day_field,
        birth_date.day() + offset,
        "day field of {}",
        text
    );

    let party = PartyId::parse(text).unwrap();
    prop_assert_eq!(&party, &PartyId::Person(parsed));
    prop_assert_eq!(party.identifier_type(), NATIONAL_IDENTITY_NUMBER);
    round_trips(&party, PartyId::parse)
}

fn random_date_property(rng: &mut StdRng) -> Result<(), TestCaseError> {
    for kind in [PersonNumberKind::BirthNumber, PersonNumberKind::DNumber] {
        let p = PersonNumber::generate_synthetic_random(rng, kind);
        let parsed = PersonNumber::parse(p.as_str()).unwrap();
        prop_assert_eq!(&parsed, &p);
        prop_assert_eq!(parsed.kind(), kind);
        prop_assert!(parsed.is_synthetic());
        let born = parsed.birth_date();
        prop_assert!(
            date(1930, 1, 1) <= born && born <= date(2009, 12, 31),
            "{}",
            born
        );
    }
    Ok(())
}

fn org_property(rng: &mut StdRng) -> Result<(), TestCaseError> {
    let org = OrgNumber::generate(rng);
    prop_assert_eq!(org.as_str().len(), 9);
    prop_assert!(
        !org.is_production_range(),
        "generated org numbers stay outside the production ranges: {}",
        org
    );
    round_trips(&org, OrgNumber::parse)?;
    let party = PartyId::parse(org.as_str()).unwrap();
    prop_assert_eq!(&party, &PartyId::Organisation(org));
    prop_assert_eq!(party.identifier_type(), COUNTRY_IDENTIFICATION_CODE);
    round_trips(&party, PartyId::parse)
}

fn account_property(rng: &mut StdRng) -> Result<(), TestCaseError> {
    let any_bank = AccountNumber::generate(rng);
    let bank_code = format!("{:04}", rng.random_range(0..=9999));
    let at_bank = AccountNumber::generate_for_bank(rng, &bank_code).unwrap();
    prop_assert_eq!(at_bank.bank_code(), bank_code.as_str());
    for account in [any_bank, at_bank] {
        prop_assert_eq!(account.as_str().len(), 11);
        round_trips(&account, AccountNumber::parse)?;
        let dotted = account.dotted();
        let reparsed = AccountNumber::parse(&dotted);
        prop_assert_eq!(reparsed.as_ref(), Ok(&account), "{}", dotted);
    }
    Ok(())
}

fn birth_date_limits() {
    let mut rng = crate::helpers::rng(7);
    for kind in [PersonNumberKind::BirthNumber, PersonNumberKind::DNumber] {
        for outside in [date(1853, 12, 31), date(2040, 1, 1)] {
            assert_eq!(
                PersonNumber::generate_synthetic(&mut rng, kind, outside),
                Err(IdentifierError::BirthDateOutOfRange { date: outside })
            );
        }
        for edge in [
            date(1854, 1, 1),
            date(1899, 12, 31),
            date(1900, 1, 1),
            date(1939, 12, 31),
            date(1940, 1, 1),
            date(1999, 12, 31),
            date(2000, 1, 1),
            date(2039, 12, 31),
        ] {
            let p = PersonNumber::generate_synthetic(&mut rng, kind, edge).unwrap();
            assert_eq!(
                PersonNumber::parse(p.as_str()).unwrap().birth_date(),
                edge,
                "{p}"
            );
        }
    }
}

fn bank_codes() {
    let mut rng = crate::helpers::rng(11);
    for bad in ["", "123", "12345", "12a4", " 123", "１２３４"] {
        assert!(
            matches!(
                AccountNumber::generate_for_bank(&mut rng, bad),
                Err(IdentifierError::BankCode { ref value }) if value == bad
            ),
            "{bad:?}"
        );
    }
    let ok = AccountNumber::generate_for_bank(&mut rng, "0000").unwrap();
    assert!(ok.as_str().starts_with("0000"), "{ok}");
}
