//! Every single-digit change of a valid identifier is rejected.
//!
//! Why this holds (and is checked here rather than assumed): each check digit is
//! `11 − (Σ wᵢ·dᵢ mod 11)` with every weight in 1..=10, i.e. non-zero modulo the prime 11.
//! Changing one digit by δ ∈ ±1..=±9 changes the sum by wᵢ·δ ≢ 0 (mod 11), so the computed
//! check digit changes (or becomes the invalid value 10), while a changed check digit no
//! longer equals the computed one. For person numbers check digit 1 alone already covers
//! digits 1–10; check digit 2 covers itself.

use crate::helpers::{run_seeded, single_digit_mutations};
use dsop_harness::{AccountNumber, OrgNumber, PartyId, PersonNumber, PersonNumberKind};
use libtest_mimic::Trial;
use proptest::prelude::*;
use rand::rngs::StdRng;

/// Generated values per kind; each gives 9 × length mutations.
const CASES: u32 = 500;

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test(
            "mutations::every_single_digit_change_of_a_birth_number_is_rejected",
            || {
                run_seeded(CASES, |rng| {
                    let p =
                        PersonNumber::generate_synthetic_random(rng, PersonNumberKind::BirthNumber);
                    all_rejected(p.as_str(), |s| PersonNumber::parse(s).is_ok())
                })
            },
        ),
        Trial::test(
            "mutations::every_single_digit_change_of_a_d_number_is_rejected",
            || {
                run_seeded(CASES, |rng| {
                    let p = PersonNumber::generate_synthetic_random(rng, PersonNumberKind::DNumber);
                    all_rejected(p.as_str(), |s| PersonNumber::parse(s).is_ok())
                })
            },
        ),
        Trial::test(
            "mutations::every_single_digit_change_of_an_org_number_is_rejected",
            || {
                run_seeded(CASES, |rng: &mut StdRng| {
                    let o = OrgNumber::generate(rng);
                    all_rejected(o.as_str(), |s| OrgNumber::parse(s).is_ok())
                })
            },
        ),
        Trial::test(
            "mutations::every_single_digit_change_of_an_account_number_is_rejected",
            || {
                run_seeded(CASES, |rng: &mut StdRng| {
                    let a = AccountNumber::generate(rng);
                    all_rejected(a.as_str(), |s| AccountNumber::parse(s).is_ok())
                })
            },
        ),
        Trial::test(
            "mutations::every_single_digit_change_of_a_party_id_is_rejected",
            || {
                run_seeded(CASES, |rng: &mut StdRng| {
                    let person =
                        PersonNumber::generate_synthetic_random(rng, PersonNumberKind::DNumber);
                    let org = OrgNumber::generate(rng);
                    all_rejected(person.as_str(), |s| PartyId::parse(s).is_ok())?;
                    all_rejected(org.as_str(), |s| PartyId::parse(s).is_ok())
                })
            },
        ),
        Trial::test(
            "mutations::documented_org_numbers_reject_every_single_digit_change",
            || {
                for org in crate::known_good::ORG_NUMBERS.iter().map(|(n, _)| n) {
                    all_rejected(org, |s| OrgNumber::parse(s).is_ok())
                        .map_err(|e| format!("{org}: {e}"))?;
                }
                Ok(())
            },
        ),
    ]
}

/// Fails if `accepts` accepts the original's mutation at any position with any other digit.
fn all_rejected(original: &str, accepts: impl Fn(&str) -> bool) -> Result<(), TestCaseError> {
    prop_assert!(
        accepts(original),
        "the unmutated value {} must be valid",
        original
    );
    let mutations = single_digit_mutations(original);
    prop_assert_eq!(mutations.len(), original.len() * 9);
    for (position, mutated) in mutations {
        prop_assert!(
            !accepts(&mutated),
            "{} (digit {} of {} changed) was accepted",
            mutated,
            position,
            original
        );
    }
    Ok(())
}
