//! `dsop-harness fixtures …`: the synthetic test data pack (`docs/test-data-pack.md`).
//!
//! * `fixtures export --out FILE [--seed S] [--banks N] [--persons N] [--companies N]
//!   [--reference-date DATE] [--large-account-transactions N]` writes the pack (pretty JSON) and
//!   prints a one-line summary. Without options it reproduces `mocks/population/default.json`.
//! * `fixtures show [--file F]` prints the edge-case table: which party at which bank
//!   demonstrates which rule — what a bank vendor needs to load its test environment.

use crate::population::{
    default_reference_date, Population, PopulationConfig, DEFAULT_PACK_PATH, DEFAULT_SEED,
};
use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::PathBuf;

/// `fixtures` subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum FixturesCommand {
    /// Generate a population and write it as a test data pack (pretty JSON).
    Export(ExportArgs),
    /// Print the edge cases of a pack: party, bank, account and the rule each demonstrates.
    Show(ShowArgs),
}

/// Options of `fixtures export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// Where to write the pack.
    #[arg(long, env = "DSOP_FIXTURES_OUT")]
    pub out: PathBuf,
    /// Seed of every random choice; the same options give the same file, byte for byte.
    #[arg(long, env = "DSOP_FIXTURES_SEED", default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Number of banks (at least 4).
    #[arg(long, env = "DSOP_FIXTURES_BANKS", default_value_t = 5)]
    pub banks: usize,
    /// Number of persons (at least 16).
    #[arg(long, env = "DSOP_FIXTURES_PERSONS", default_value_t = 30)]
    pub persons: usize,
    /// Number of companies (at least 2).
    #[arg(long, env = "DSOP_FIXTURES_COMPANIES", default_value_t = 8)]
    pub companies: usize,
    /// The "today" of the data (YYYY-MM-DD); defaults to the default pack's 2026-11-01.
    #[arg(long, env = "DSOP_FIXTURES_REFERENCE_DATE")]
    pub reference_date: Option<NaiveDate>,
    /// Transactions of the lazily generated large account (e.g. 1000000).
    #[arg(long, env = "DSOP_FIXTURES_LARGE_ACCOUNT_TRANSACTIONS")]
    pub large_account_transactions: Option<u64>,
}

/// Options of `fixtures show`.
#[derive(Debug, Clone, Args)]
pub struct ShowArgs {
    /// The pack to describe.
    #[arg(long, env = "DSOP_FIXTURES_FILE", default_value = DEFAULT_PACK_PATH)]
    pub file: PathBuf,
}

impl ExportArgs {
    /// The generator configuration these options describe.
    pub fn config(&self) -> PopulationConfig {
        PopulationConfig {
            seed: self.seed,
            banks: self.banks,
            persons: self.persons,
            companies: self.companies,
            reference_date: self.reference_date.unwrap_or_else(default_reference_date),
            large_account_transactions: self.large_account_transactions,
        }
    }
}

/// Runs a `fixtures` subcommand, writing its output to `out`.
pub(crate) fn run(command: &FixturesCommand, out: &mut dyn Write) -> anyhow::Result<u8> {
    match command {
        FixturesCommand::Export(args) => export(args, out),
        FixturesCommand::Show(args) => show(args, out),
    }
}

fn export(args: &ExportArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let config = args.config();
    let effective = config.effective();
    if effective != config {
        eprintln!(
            "note: raised to the minimum counts: {} banks, {} persons, {} companies",
            effective.banks, effective.persons, effective.companies
        );
    }
    let population = Population::generate(&config);
    let fingerprint = population
        .save(&args.out)
        .with_context(|| format!("writing the pack to {}", args.out.display()))?;
    writeln!(
        out,
        "{}",
        summary(&population, &args.out.display().to_string())
    )?;
    writeln!(out, "pack fingerprint {fingerprint}")?;
    Ok(super::exit::SUCCESS)
}

/// The one-line summary `fixtures export` prints.
pub(crate) fn summary(population: &Population, path: &str) -> String {
    let stored: usize = population
        .accounts
        .iter()
        .map(|a| a.transactions.len())
        .sum();
    let more: u64 = population
        .accounts
        .iter()
        .map(|a| {
            a.generated_transactions.as_ref().map_or(0, |g| g.count)
                + a.transactions_file.as_ref().map_or(0, |f| f.count)
        })
        .sum();
    format!(
        "wrote {path}: seed {}, reference date {}, {} banks, {} persons, {} companies, {} accounts, \
         {} transactions, {} edge cases",
        population.seed,
        population.reference_date,
        population.banks.len(),
        population.persons.len(),
        population.companies.len(),
        population.accounts.len(),
        u64::try_from(stored).unwrap_or(u64::MAX) + more,
        population.edge_cases.len()
    )
}

fn show(args: &ShowArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let population = Population::load(&args.file)
        .with_context(|| format!("loading the pack {}", args.file.display()))?;
    out.write_all(edge_case_table(&population).as_bytes())?;
    Ok(super::exit::SUCCESS)
}

/// The per-bank counts of `fixtures show`: accounts, transactions (inline and in companion
/// files), cards and edge cases of each bank, one line each. `examples/pack-loader/` prints
/// the same lines from the file alone.
pub(crate) fn bank_counts(population: &Population) -> String {
    let mut text = String::from("\nCounts per bank:\n");
    for bank in &population.banks {
        let accounts: Vec<_> = population
            .accounts
            .iter()
            .filter(|a| a.bank == bank.org_number)
            .collect();
        let transactions: u64 = accounts
            .iter()
            .map(|a| {
                u64::try_from(a.transactions.len()).unwrap_or(u64::MAX)
                    + a.transactions_file.as_ref().map_or(0, |f| f.count)
                    + a.generated_transactions.as_ref().map_or(0, |g| g.count)
            })
            .sum();
        let cards: usize = accounts.iter().map(|a| a.cards.len()).sum();
        let edge_cases = population
            .edge_cases
            .iter()
            .filter(|c| c.bank.as_deref() == Some(bank.org_number.as_str()))
            .count();
        text.push_str(&format!(
            "  {}  accounts {}  transactions {transactions}  cards {cards}  edge cases {edge_cases}\n",
            bank.org_number,
            accounts.len()
        ));
    }
    text
}

/// The edge-case table `fixtures show` prints (plain text, one case per block).
pub fn edge_case_table(population: &Population) -> String {
    let mut text = format!(
        "Population seed {} (reference date {}): {} banks, {} persons, {} companies, {} accounts\n\n",
        population.seed,
        population.reference_date,
        population.banks.len(),
        population.persons.len(),
        population.companies.len(),
        population.accounts.len()
    );
    text.push_str("Banks:\n");
    for bank in &population.banks {
        text.push_str(&format!(
            "  {}  {:<28} bank code {}  {:?}  disposal {:?}\n",
            bank.org_number, bank.name, bank.bank_code, bank.register, bank.disposal_alternative
        ));
    }
    text.push_str(&bank_counts(population));
    text.push_str("\nEdge cases:\n");
    for case in population.edge_cases() {
        let bank_name = case
            .bank
            .as_deref()
            .and_then(|org| population.banks.iter().find(|b| b.org_number == org))
            .map(|b| format!("{} ({})", b.org_number, b.name))
            .unwrap_or_else(|| "-".to_owned());
        text.push_str(&format!(
            "  {} [digest {}]\n    party {}  bank {}\n    account {}  reference {}\n    {}\n",
            case.name,
            case.digest,
            case.party.as_deref().unwrap_or("-"),
            bank_name,
            case.account_identifier.as_deref().unwrap_or("-"),
            case.account_reference.as_deref().unwrap_or("-"),
            case.description
        ));
    }
    text
}
