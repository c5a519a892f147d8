//! `dsop-harness ids`: generate synthetic Norwegian identifiers or check one — for building
//! test data by hand. Generated person numbers always use the synthetic month (+80).

use super::exit;
use crate::domain::identifiers::{
    AccountNumber, OrgNumber, PartyId, PersonNumber, PersonNumberKind,
};
use rand::{rngs::StdRng, SeedableRng};
use std::io::Write;

/// Which identifier to generate.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum IdKind {
    /// Synthetic fødselsnummer (birth number, month + 80).
    Fnr,
    /// Synthetic D-number (day + 40, month + 80).
    DNumber,
    /// Organisation number (mod-11, weights 3,2,7,6,5,4,3,2).
    Org,
    /// Account number (11 digits, mod-11).
    Account,
}

/// `ids` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum IdsCommand {
    /// Print freshly generated identifiers, one per line.
    Generate {
        /// The kind of identifier.
        #[arg(long, env = "DSOP_ID_KIND")]
        kind: IdKind,
        /// How many.
        #[arg(long, env = "DSOP_ID_COUNT", default_value_t = 1)]
        count: u32,
        /// Seed for reproducible output.
        #[arg(long, env = "DSOP_SEED", default_value_t = 1)]
        seed: u64,
    },
    /// Check identifiers (party IDs of 9 or 11 digits, or 11-digit account numbers with
    /// `--account`); exit 1 if any is invalid.
    Check {
        /// Treat the values as account numbers.
        #[arg(long, env = "DSOP_ID_ACCOUNT")]
        account: bool,
        /// The values.
        #[arg(required = true)]
        values: Vec<String>,
    },
}

/// Runs an `ids` subcommand.
pub(crate) fn run(command: &IdsCommand, out: &mut dyn Write) -> anyhow::Result<u8> {
    match command {
        IdsCommand::Generate { kind, count, seed } => {
            let mut rng = StdRng::seed_from_u64(*seed);
            for _ in 0..*count {
                let value = match kind {
                    IdKind::Fnr => PersonNumber::generate_synthetic_random(
                        &mut rng,
                        PersonNumberKind::BirthNumber,
                    )
                    .to_string(),
                    IdKind::DNumber => {
                        PersonNumber::generate_synthetic_random(&mut rng, PersonNumberKind::DNumber)
                            .to_string()
                    }
                    IdKind::Org => OrgNumber::generate(&mut rng).to_string(),
                    IdKind::Account => AccountNumber::generate(&mut rng).to_string(),
                };
                writeln!(out, "{value}")?;
            }
            Ok(exit::SUCCESS)
        }
        IdsCommand::Check { account, values } => {
            let mut code = exit::SUCCESS;
            for value in values {
                let verdict = if *account {
                    AccountNumber::parse(value)
                        .map(|a| format!("account number (bank code {})", a.bank_code()))
                } else {
                    PartyId::parse(value).map(|p| match p {
                        PartyId::Person(n) => format!(
                            "{:?}{}, born {}",
                            n.kind(),
                            if n.is_synthetic() { " (synthetic)" } else { "" },
                            n.birth_date()
                        ),
                        PartyId::Organisation(_) => "organisation number".to_owned(),
                    })
                };
                match verdict {
                    Ok(text) => writeln!(out, "{value}: valid {text}")?,
                    Err(e) => {
                        code = exit::FAILURE;
                        writeln!(out, "{value}: invalid: {e}")?;
                    }
                }
            }
            Ok(code)
        }
    }
}
