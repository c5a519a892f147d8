//! Generation: determinism, synthetic and valid identifiers, coverage of types and cases.

use crate::helpers::{check, check_eq, pack};
use chrono::Days;
use dsop_harness::{
    is_masked_card_number, query::transaction_day, AccountNumber, AccountType, EdgeCaseKind,
    OrgNumber, PersonNumber, PersonNumberKind, Population, PopulationConfig, HISTORY_DAYS,
};
use libtest_mimic::{Failed, Trial};

fn small(seed: u64) -> PopulationConfig {
    PopulationConfig {
        seed,
        persons: 20,
        companies: 3,
        ..PopulationConfig::default_pack()
    }
}

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test("generation::same_seed_gives_identical_json", || {
            let a = Population::generate(&small(7)).to_pretty_json();
            let b = Population::generate(&small(7)).to_pretty_json();
            check(a == b, || "the same seed produced different JSON".into())
        }),
        Trial::test("generation::different_seed_gives_different_json", || {
            let a = Population::generate(&small(7));
            let b = Population::generate(&small(8));
            check(a.to_pretty_json() != b.to_pretty_json(), || {
                "seeds 7 and 8 produced the same JSON".into()
            })?;
            check(a.persons[0].id != b.persons[0].id, || {
                "seeds 7 and 8 produced the same first person".into()
            })
        }),
        Trial::test("generation::counts_below_the_minimum_are_raised", || {
            let p = Population::generate(&PopulationConfig {
                banks: 1,
                persons: 1,
                companies: 0,
                ..PopulationConfig::default_pack()
            });
            // The edge-case parties of the other banks come on top of the 16 reserved persons.
            let floor = Population::generate(&PopulationConfig {
                banks: 4,
                persons: 16,
                companies: 2,
                ..PopulationConfig::default_pack()
            });
            check(
                p.banks.len() == 4
                    && p.persons.len() == floor.persons.len()
                    && p.persons.len() > 16
                    && p.companies.len() == 2,
                || {
                    format!(
                        "got {} banks, {} persons, {} companies",
                        p.banks.len(),
                        p.persons.len(),
                        p.companies.len()
                    )
                },
            )?;
            check(p.problems().is_empty(), || format!("{:?}", p.problems()))
        }),
        Trial::test(
            "generation::person_numbers_are_synthetic_and_valid_digest_8",
            || {
                let mut d_numbers = 0;
                for person in &pack().persons {
                    let number = PersonNumber::parse(&person.id)
                        .map_err(|e| Failed::from(format!("{}: {e}", person.name)))?;
                    let month: u32 = person.id[2..4].parse().unwrap();
                    check(number.is_synthetic() && month >= 81, || {
                        format!(
                            "{}: month field {month} is not synthetic (≥ 81)",
                            person.name
                        )
                    })?;
                    if number.kind() == PersonNumberKind::DNumber {
                        d_numbers += 1;
                    }
                }
                check(d_numbers >= 2, || format!("only {d_numbers} D-numbers"))
            },
        ),
        Trial::test("generation::org_and_account_numbers_pass_mod11", || {
            let p = pack();
            let orgs = p
                .banks
                .iter()
                .map(|b| &b.org_number)
                .chain(p.companies.iter().map(|c| &c.org_number));
            for org in orgs {
                OrgNumber::parse(org).map_err(|e| Failed::from(format!("{org}: {e}")))?;
            }
            for account in &p.accounts {
                let number = AccountNumber::parse(&account.account_identifier)
                    .map_err(|e| Failed::from(e.to_string()))?;
                let bank = p
                    .banks
                    .iter()
                    .find(|b| b.org_number == account.bank)
                    .unwrap();
                check_eq(
                    number.bank_code(),
                    bank.bank_code.as_str(),
                    "bank code prefix",
                )?;
                for tx in &account.transactions {
                    for cp in &tx.counter_parties {
                        if let Some(number) = &cp.account_identifier {
                            AccountNumber::parse(number)
                                .map_err(|e| Failed::from(format!("counterparty: {e}")))?;
                        }
                    }
                }
            }
            Ok(())
        }),
        Trial::test(
            "generation::card_numbers_are_raw_test_numbers_served_masked_digest_3_4_8",
            || {
                use dsop_harness::{is_test_card_number, query};
                let p = pack();
                let mut seen = 0;
                for account in &p.accounts {
                    let numbers = account
                        .cards
                        .iter()
                        .map(|c| c.card_identifier.as_str())
                        .chain(
                            account
                                .transactions
                                .iter()
                                .filter_map(|t| t.payment_card.as_ref())
                                .map(|c| c.card_identifier.as_str()),
                        );
                    for number in numbers {
                        seen += 1;
                        check(is_test_card_number(number), || {
                            format!("{number} is not a raw synthetic test card number")
                        })?;
                    }
                    if account.cards.is_empty() || account.data_not_delivered {
                        continue;
                    }
                    // What the bank serves is masked: at most 6 + 4 digits, the rest X.
                    let served = query::cards(
                        p,
                        &account.bank,
                        &account.account_reference,
                        dsop_harness::Period::new(p.reference_date, p.reference_date)
                            .map_err(|e| e.to_string())?,
                    )
                    .map_err(|e| e.to_string())?;
                    for (card, stored) in served.payment_cards.iter().zip(&account.cards) {
                        let digits = card
                            .card_identifier
                            .chars()
                            .filter(char::is_ascii_digit)
                            .count();
                        check(
                            is_masked_card_number(&card.card_identifier)
                                && digits == 10
                                && card.card_identifier.len() == stored.card_identifier.len(),
                            || format!("{} is not served masked 6+4", card.card_identifier),
                        )?;
                    }
                }
                check(seen > 20, || format!("only {seen} card numbers seen"))
            },
        ),
        Trial::test(
            "generation::all_eleven_account_types_occur_digest_3_4_4",
            || {
                for kind in AccountType::ALL {
                    check(pack().accounts.iter().any(|a| a.kind == *kind), || {
                        format!("no {kind} account")
                    })?;
                }
                Ok(())
            },
        ),
        Trial::test(
            "generation::every_edge_case_is_recorded_at_every_bank",
            || {
                use dsop_harness::DisposalAlternative;
                let p = pack();
                for kind in EdgeCaseKind::ALL {
                    let case = p
                        .edge_case(*kind)
                        .ok_or_else(|| Failed::from(format!("{kind} missing")))?;
                    check(case.party.is_some() && case.bank.is_some(), || {
                        format!("{kind}: no party or bank")
                    })?;
                    check_eq(case.digest.as_str(), kind.digest(), "digest")?;
                }
                // Every bank carries every case; of the disposal cases, the pair of its declared
                // alternative (digest 4.6).
                let mut expected = 0;
                for bank in &p.banks {
                    let other_pair = match bank.disposal_alternative {
                        DisposalAlternative::SignalOnly => ["-full-data"],
                        DisposalAlternative::FullData => ["-signal"],
                    };
                    for kind in EdgeCaseKind::ALL {
                        let name = kind.as_str();
                        let disposal = name.starts_with("disposal-only-")
                            || name.starts_with("owner-with-disposal-");
                        if disposal && other_pair.iter().any(|s| name.ends_with(s)) {
                            continue;
                        }
                        expected += 1;
                        check(p.edge_case_at(*kind, &bank.org_number).is_some(), || {
                            format!("{kind} missing at bank {}", bank.org_number)
                        })?;
                    }
                }
                check_eq(
                    p.edge_cases().len(),
                    expected,
                    "one entry per case and bank",
                )
            },
        ),
        Trial::test(
            "generation::dates_lie_in_the_last_three_years_digest_4_4",
            || {
                let p = pack();
                let oldest = p
                    .reference_date
                    .checked_sub_days(Days::new(HISTORY_DAYS))
                    .unwrap();
                let mut count = 0;
                for account in &p.accounts {
                    for tx in &account.transactions {
                        let day = transaction_day(tx)
                            .ok_or_else(|| Failed::from("transaction without a date"))?;
                        check(oldest <= day && day <= p.reference_date, || {
                            format!(
                                "{}: {day} outside {oldest}..{}",
                                tx.transaction_identifier, p.reference_date
                            )
                        })?;
                        count += 1;
                    }
                    if let Some(g) = &account.generated_transactions {
                        check(
                            oldest <= g.first_date && g.last_date <= p.reference_date,
                            || "generated range outside the window".into(),
                        )?;
                    }
                }
                check(count > 1000, || format!("only {count} transactions"))
            },
        ),
        Trial::test(
            "generation::transaction_identifiers_are_unique_per_bank_digest_3_4_9",
            || {
                let mut seen = std::collections::HashSet::new();
                for account in &pack().accounts {
                    for tx in &account.transactions {
                        check(
                            seen.insert((account.bank.clone(), tx.transaction_identifier.clone())),
                            || format!("duplicate {}", tx.transaction_identifier),
                        )?;
                    }
                }
                Ok(())
            },
        ),
        Trial::test("generation::names_and_addresses_are_norwegian", || {
            let p = pack();
            let towns: Vec<&str> = dsop_harness::POST_PLACES.iter().map(|(_, t)| *t).collect();
            for person in &p.persons {
                check(towns.contains(&person.address.town_name.as_str()), || {
                    format!("{}: unknown town", person.address.town_name)
                })?;
                let street = &person.address.street_name;
                check(
                    ["gate", "vei", "veien", "gata"]
                        .iter()
                        .any(|suffix| street.ends_with(suffix)),
                    || format!("street {street:?} has no Norwegian suffix"),
                )?;
            }
            for company in &p.companies {
                check(
                    [" AS", " ASA", " ENK"]
                        .iter()
                        .any(|suffix| company.name.ends_with(suffix)),
                    || format!("company {:?} has no AS/ASA/ENK suffix", company.name),
                )?;
            }
            Ok(())
        }),
    ]
}
