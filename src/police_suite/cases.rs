//! The suite's data: the run's synthetic population (the default pack's seed with "today" as
//! its reference date, plus one showcase party) and the parties scenarios ask about.
//!
//! The showcase party makes one case exercise everything digest 1.2–4.7 asks of a police
//! client at once: KAR and KFR banks, a `dataNotDelivered` account (4.7), a bank answering
//! `partial` because of disposal rights (4.6 alternative 1), and an account with more than
//! 1000 transactions in the period (7.4). It is the `data-not-delivered` edge case's person,
//! given ownership of the `paging-account` and disposal rights at one more signal-only bank.

use crate::population::model::{DisposalAlternative, Relation, RoleRecord};
use crate::population::{EdgeCaseKind, Population, PopulationConfig, HISTORY_DAYS};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The population of a run whose "today" is `today` (the mocks use the system clock), from
/// `seed` (`None`: the default pack's seed).
pub(crate) fn suite_population(today: NaiveDate, seed: Option<u64>) -> Population {
    let default = PopulationConfig::default_pack();
    let mut population = Population::generate(&PopulationConfig {
        reference_date: today,
        seed: seed.unwrap_or(default.seed),
        ..default
    });
    add_showcase(&mut population);
    population
}

fn add_showcase(population: &mut Population) {
    let Some(party) = population
        .edge_case(EdgeCaseKind::DataNotDelivered)
        .and_then(|e| e.party.clone())
    else {
        return;
    };
    let name = population
        .persons
        .iter()
        .find(|p| p.id == party)
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let paging = population
        .edge_case(EdgeCaseKind::PagingAccount)
        .and_then(|e| e.account_reference.clone());
    let role = |relation: Relation, start: NaiveDate| RoleRecord {
        party: party.clone(),
        name: name.clone(),
        relation,
        permission: crate::domain::enums::Permission::RightToUseAlone,
        start_date: start,
        end_date: None,
    };
    if let Some(account) = population
        .accounts
        .iter_mut()
        .find(|a| Some(&a.account_reference) == paging.as_ref())
    {
        if let Some(start) = account.open_periods.first().map(|p| p.start_date) {
            account.roles.push(role(Relation::SecondaryOwner, start));
        }
    }
    let held: Vec<String> = population
        .accounts
        .iter()
        .filter(|a| a.roles.iter().any(|r| r.party == party))
        .map(|a| a.bank.clone())
        .collect();
    let signal_bank = population
        .banks
        .iter()
        .find(|b| {
            b.disposal_alternative == DisposalAlternative::SignalOnly
                && !held.contains(&b.org_number)
        })
        .map(|b| b.org_number.clone());
    if let Some(bank) = signal_bank {
        if let Some(account) = population.accounts.iter_mut().find(|a| {
            a.bank == bank
                && !a.data_not_delivered
                && a.open_periods.last().is_some_and(|p| p.end_date.is_none())
        }) {
            if let Some(start) = account.open_periods.last().map(|p| p.start_date) {
                let mut disposal = role(Relation::Disposal, start);
                disposal.permission = crate::domain::enums::Permission::RightToUseWithOther;
                account.roles.push(disposal);
            }
        }
    }
}

/// The parties scenarios name (`Given a case for the <name> party`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Parties {
    by_name: BTreeMap<String, String>,
}

impl Parties {
    /// `showcase`, `multi-bank` (a person at three banks, few accounts) and every edge case
    /// by its name.
    pub(crate) fn choose(population: &Population) -> Self {
        let mut by_name = BTreeMap::new();
        for case in population.edge_cases() {
            if let Some(party) = &case.party {
                // The first record of a name (the pack repeats every case at every bank).
                by_name
                    .entry(case.name.clone())
                    .or_insert_with(|| party.clone());
            }
        }
        if let Some(p) = by_name
            .get(EdgeCaseKind::DataNotDelivered.as_str())
            .cloned()
        {
            by_name.insert("showcase".into(), p);
        }
        let today = population.reference_date;
        let (from, to) = default_period(today);
        let Ok(period) = crate::domain::values::Period::new(from, to) else {
            return Self { by_name };
        };
        let showcase = by_name.get("showcase").cloned();
        let multi = population
            .persons
            .iter()
            .filter(|p| !p.shielded && Some(&p.id) != showcase.as_ref())
            .find(|p| {
                let banks = crate::mocks::registry::customer_relationships(
                    population, &p.id, period, None, today,
                )
                .banks
                .len();
                banks == 3 && banks < population.banks.len()
            })
            .map(|p| p.id.clone());
        if let Some(p) = multi {
            by_name.insert("multi-bank".into(), p);
        }
        Self { by_name }
    }

    /// The party called `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.by_name.get(name).map(String::as_str)
    }

    /// Every known name.
    pub(crate) fn names(&self) -> Vec<&str> {
        self.by_name.keys().map(String::as_str).collect()
    }
}

/// The default period of a case: the population's whole history up to today (inside the
/// ten-year window, digest 4.4), so the paging account has well over 1000 transactions in it.
pub(crate) fn default_period(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    (today - chrono::Days::new(HISTORY_DAYS), today)
}
