//! Reading and writing population files (the test data pack): pretty JSON, validated against
//! `schemas/population.schema.json` and then checked for what a schema cannot see (mod-11
//! check digits, synthetic person numbers, unique references, known banks and parties).

use super::model::{Population, POPULATION_FORMAT};
use crate::domain::identifiers::{AccountNumber, OrgNumber, PersonNumber};
use crate::schema::{validate, MessageKind, Violation};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Why a population file was rejected.
#[derive(Debug, thiserror::Error)]
pub enum PopulationError {
    /// The file could not be read or written.
    #[error("cannot access population file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not JSON.
    #[error("population file {path} is not JSON: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: serde_json::Error,
    },
    /// The file does not match `schemas/population.schema.json`.
    #[error(
        "population file {path} does not match schemas/population.schema.json:\n{}",
        render(violations)
    )]
    Schema {
        /// The file.
        path: PathBuf,
        /// Every violation.
        violations: Vec<Violation>,
    },
    /// The file matches the schema but breaks a rule the schema cannot express.
    #[error("population file {path} is inconsistent:\n  {}", problems.join("\n  "))]
    Inconsistent {
        /// The file.
        path: PathBuf,
        /// One line per problem.
        problems: Vec<String>,
    },
}

fn render(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| format!("  {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Population {
    /// Reads, schema-validates and checks a population file (hand-edited files welcome).
    pub fn load(path: &Path) -> Result<Population, PopulationError> {
        let text = std::fs::read_to_string(path).map_err(|source| PopulationError::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::from_json_str(&text, path)
    }

    /// Parses, schema-validates and checks population JSON; `origin` names it in errors.
    pub fn from_json_str(text: &str, origin: &Path) -> Result<Population, PopulationError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|source| PopulationError::Json {
                path: origin.to_owned(),
                source,
            })?;
        validate(MessageKind::Population, &value).map_err(|violations| {
            PopulationError::Schema {
                path: origin.to_owned(),
                violations,
            }
        })?;
        let population: Population =
            serde_json::from_value(value).map_err(|source| PopulationError::Json {
                path: origin.to_owned(),
                source,
            })?;
        let problems = population.problems();
        if !problems.is_empty() {
            return Err(PopulationError::Inconsistent {
                path: origin.to_owned(),
                problems,
            });
        }
        Ok(population)
    }

    /// The pack as written by `fixtures export`: pretty JSON with a final newline.
    pub fn to_pretty_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Writes the pack to `path` ([`Population::to_pretty_json`]).
    pub fn save(&self, path: &Path) -> Result<(), PopulationError> {
        std::fs::write(path, self.to_pretty_json()).map_err(|source| PopulationError::Io {
            path: path.to_owned(),
            source,
        })
    }

    /// Every rule the schema cannot check: synthetic, valid person numbers; mod-11 org and
    /// account numbers; account numbers at their bank's code; unique parties, account numbers
    /// and (per bank) references; roles and accounts naming known parties and banks.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.format != POPULATION_FORMAT {
            problems.push(format!(
                "format is {:?}, expected {POPULATION_FORMAT:?}",
                self.format
            ));
        }
        let mut parties = HashSet::new();
        for person in &self.persons {
            match PersonNumber::parse(&person.id) {
                Ok(number) if number.is_synthetic() => {}
                Ok(_) => problems.push(format!(
                    "person {:?}: not a synthetic number (month + 80 required; real numbers are never allowed)",
                    person.name
                )),
                Err(error) => problems.push(format!("person {:?}: {error}", person.name)),
            }
            if !parties.insert(person.id.clone()) {
                problems.push(format!("person {:?}: duplicate id", person.name));
            }
        }
        for company in &self.companies {
            if let Err(error) = OrgNumber::parse(&company.org_number) {
                problems.push(format!("company {:?}: {error}", company.name));
            }
            if !parties.insert(company.org_number.clone()) {
                problems.push(format!(
                    "company {:?}: duplicate organisation number",
                    company.name
                ));
            }
        }
        let mut bank_codes = std::collections::HashMap::new();
        for bank in &self.banks {
            if let Err(error) = OrgNumber::parse(&bank.org_number) {
                problems.push(format!("bank {:?}: {error}", bank.name));
            }
            if bank_codes
                .insert(bank.org_number.clone(), bank.bank_code.clone())
                .is_some()
            {
                problems.push(format!(
                    "bank {:?}: duplicate organisation number",
                    bank.name
                ));
            }
        }
        let mut numbers = HashSet::new();
        let mut references = HashSet::new();
        for account in &self.accounts {
            let label = &account.account_identifier;
            match AccountNumber::parse(label) {
                Ok(number) => {
                    if bank_codes.get(&account.bank).map(String::as_str) != Some(number.bank_code())
                    {
                        problems.push(format!(
                            "account {label}: bank {} unknown or its bank code differs",
                            account.bank
                        ));
                    }
                }
                Err(error) => problems.push(format!("account {label}: {error}")),
            }
            if !numbers.insert(label.clone()) {
                problems.push(format!("account {label}: duplicate account number"));
            }
            if !references.insert((account.bank.clone(), account.account_reference.clone())) {
                problems.push(format!("account {label}: duplicate reference at its bank"));
            }
            if account.account_reference == super::query::DATA_NOT_DELIVERED
                || account.account_reference == *label
            {
                problems.push(format!(
                    "account {label}: the stored reference must be opaque, not the number or dataNotDelivered (set dataNotDelivered: true instead, digest 3.4.3, 4.7)"
                ));
            }
            if account.open_periods.is_empty() {
                problems.push(format!("account {label}: no open period"));
            }
            for role in &account.roles {
                if !parties.contains(&role.party) {
                    problems.push(format!(
                        "account {label}: role for unknown party {:?}",
                        role.name
                    ));
                }
            }
            for card in &account.cards {
                if !is_masked_card_number(&card.card_identifier) {
                    problems.push(format!(
                        "account {label}: card number not masked 6+4 (digest 3.4.8)"
                    ));
                }
            }
        }
        problems
    }
}

/// True for a card number masked as digest 3.4.8 requires: at most the first six and the last
/// four digits shown, everything between them `X` (at least one), no spaces.
pub fn is_masked_card_number(value: &str) -> bool {
    let head = value.chars().take_while(char::is_ascii_digit).count();
    let rest = &value[head..];
    let masked = rest.chars().take_while(|c| *c == 'X').count();
    let tail = &rest[masked..];
    head <= 6 && masked >= 1 && tail.len() <= 4 && tail.chars().all(|c| c.is_ascii_digit())
}
