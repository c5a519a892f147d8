//! Reading and writing population files (the test data pack): pretty JSON, validated against
//! `schemas/population.schema.json` and then checked for what a schema cannot see (mod-11
//! check digits, synthetic person numbers, unique references, known banks and parties).

use super::cards::{is_test_card_number, mask_card_number, TEST_BINS};
use super::companion::{write_generated, TransactionIndex};
use super::lazy::generated_transaction;
use super::model::{Population, TransactionsFile, POPULATION_FORMAT};
use crate::domain::identifiers::{AccountNumber, OrgNumber, PersonNumber};
use crate::schema::{validate, MessageKind, Violation};
use std::borrow::Cow;
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

/// Generated lists longer than this go to a companion NDJSON file on export (shorter ones
/// are written inline, so the default pack is one file).
pub const INLINE_TRANSACTION_LIMIT: u64 = 10_000;

/// The fingerprint of a pack: the first 16 hex digits of the SHA-256 of its JSON text (as
/// written by `fixtures export`); `mocks serve` and `fixtures export` print it.
pub(super) fn pack_fingerprint(text: &[u8]) -> String {
    let mut hex = crate::reporting::provenance::sha256_hex(text);
    hex.truncate(16);
    hex
}

/// Masks the `paymentCard.cardIdentifier` of one transaction (JSON) in place.
pub(crate) fn mask_payment_card(tx: &mut serde_json::Value) {
    if let Some(id) = tx
        .get_mut("paymentCard")
        .and_then(|c| c.get_mut("cardIdentifier"))
    {
        if let Some(raw) = id.as_str() {
            *id = serde_json::Value::String(mask_card_number(raw));
        }
    }
}

impl Population {
    /// Reads, schema-validates and checks a population file (hand-edited files welcome), and
    /// indexes its companion transaction files (relative to the file's directory).
    pub fn load(path: &Path) -> Result<Population, PopulationError> {
        Ok(Self::load_with_fingerprint(path)?.0)
    }

    /// [`Population::load`], also returning the pack's `pack_fingerprint`.
    pub fn load_with_fingerprint(path: &Path) -> Result<(Population, String), PopulationError> {
        let text = std::fs::read_to_string(path).map_err(|source| PopulationError::Io {
            path: path.to_owned(),
            source,
        })?;
        Ok((
            Self::from_json_str(&text, path)?,
            pack_fingerprint(text.as_bytes()),
        ))
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
        let mut population: Population =
            serde_json::from_value(value).map_err(|source| PopulationError::Json {
                path: origin.to_owned(),
                source,
            })?;
        let mut problems = population.problems();
        let dir = origin.parent().unwrap_or(Path::new("."));
        for account in &mut population.accounts {
            let Some(companion) = &mut account.transactions_file else {
                continue;
            };
            let name = Path::new(&companion.path);
            if name.is_absolute() || name.components().count() != 1 {
                problems.push(format!(
                    "account {}: transactionsFile {:?} must be a file name in the pack's directory",
                    account.account_identifier, companion.path
                ));
                continue;
            }
            match TransactionIndex::build(&dir.join(name), companion.count) {
                Ok(index) => companion.index = Some(std::sync::Arc::new(index)),
                Err(problem) => problems.push(format!(
                    "account {}: transactionsFile: {problem}",
                    account.account_identifier
                )),
            }
        }
        if !problems.is_empty() {
            return Err(PopulationError::Inconsistent {
                path: origin.to_owned(),
                problems,
            });
        }
        Ok(population)
    }

    /// This population as plain data: every in-memory recipe expanded into `transactions`
    /// (what a pack file holds; companion files stay referenced).
    pub fn materialized(&self) -> Cow<'_, Population> {
        if self
            .accounts
            .iter()
            .all(|a| a.generated_transactions.is_none())
        {
            return Cow::Borrowed(self);
        }
        let mut plain = self.clone();
        for account in &mut plain.accounts {
            if let Some(recipe) = account.generated_transactions.take() {
                let expanded: Vec<_> = (0..recipe.count)
                    .map(|i| generated_transaction(account, &recipe, i))
                    .collect();
                account.transactions.extend(expanded);
            }
        }
        Cow::Owned(plain)
    }

    /// The pack as written by `fixtures export` (for a population whose generated lists are
    /// at most [`INLINE_TRANSACTION_LIMIT`] long): pretty JSON with a final newline, every
    /// transaction inline.
    pub fn to_pretty_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(&*self.materialized()).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Writes the pack to `path` as plain data ([`Population::export`]); returns its
    /// `pack_fingerprint`.
    pub fn save(&self, path: &Path) -> Result<String, PopulationError> {
        self.export(path, INLINE_TRANSACTION_LIMIT)
    }

    /// Writes the pack to `path`: generated lists of up to `inline_limit` transactions inline,
    /// longer ones streamed to a companion NDJSON file `<stem>.<account number>.ndjson` next to
    /// it (one transaction in memory at a time), companion files of a loaded pack copied
    /// alongside. Returns the pack's `pack_fingerprint`.
    pub fn export(&self, path: &Path, inline_limit: u64) -> Result<String, PopulationError> {
        let io = |at: &Path| {
            let at = at.to_owned();
            move |source| PopulationError::Io { path: at, source }
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("pack")
            .to_owned();
        let mut plain = self.clone();
        for account in &mut plain.accounts {
            let name = format!("{stem}.{}.ndjson", account.account_identifier);
            let target = dir.join(&name);
            if let Some(recipe) = account.generated_transactions.take() {
                if recipe.count <= inline_limit {
                    let expanded: Vec<_> = (0..recipe.count)
                        .map(|i| generated_transaction(account, &recipe, i))
                        .collect();
                    account.transactions.extend(expanded);
                } else {
                    let count = write_generated(account, &recipe, &target).map_err(io(&target))?;
                    account.transactions_file = Some(TransactionsFile {
                        path: name,
                        count,
                        index: None,
                    });
                }
            } else if let Some(companion) = &mut account.transactions_file {
                if let Some(index) = companion.index.take() {
                    if index.file() != target {
                        std::fs::copy(index.file(), &target).map_err(io(&target))?;
                    }
                }
                companion.path = name;
            }
        }
        let mut text = serde_json::to_string_pretty(&plain).unwrap_or_default();
        text.push('\n');
        std::fs::write(path, &text).map_err(io(path))?;
        Ok(pack_fingerprint(text.as_bytes()))
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
                if !is_test_card_number(&card.card_identifier) {
                    problems.push(format!(
                        "account {label}: card {:?} is not a synthetic card number (16 digits, \
                         Luhn-valid, from a test BIN {TEST_BINS:?}; the pack holds raw numbers, \
                         the bank masks them, digest 3.4.8)",
                        card.card_identifier
                    ));
                }
            }
            for tx in &account.transactions {
                if let Some(card) = &tx.payment_card {
                    if !account
                        .cards
                        .iter()
                        .any(|c| c.card_identifier == card.card_identifier)
                    {
                        problems.push(format!(
                            "account {label}: transaction {} names a card number that is not \
                             one of the account's cards",
                            tx.transaction_identifier
                        ));
                    }
                }
            }
        }
        problems
    }
}
