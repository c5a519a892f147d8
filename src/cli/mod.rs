//! Command-line front end.
//!
//! Owns: argument parsing (clap, an env var for every flag), dispatch to the library, and the
//! mapping of outcomes to documented exit codes ([`exit`]). Every piece of logic it calls lives
//! elsewhere in the library and is testable without spawning the binary.
//!
//! Must not touch: DSOP rules themselves; it only wires them together.

pub mod eo;
pub mod exit;
pub mod fixtures;
pub mod ids;
pub mod jwe;
pub mod mocks;
pub mod police;
pub mod token;
pub mod trust;
pub mod validate;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Conformance test harness and mock ecosystem for the DSOP service Politi-Utlevering.
#[derive(Debug, Parser)]
#[command(name = "dsop-harness", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the whole mock ecosystem and both suites against the built-in reference
    /// implementations, and write reports.
    Demo,
    /// Check a JSON document against a DSOP message schema (police or common profile).
    Validate(validate::ValidateArgs),
    /// Generate synthetic Norwegian identifiers, or check identifiers.
    #[command(subcommand)]
    Ids(ids::IdsCommand),
    /// Test PKI and trust directory (keys, certificates, JWKS for banks and police under test).
    #[command(subcommand)]
    Trust(trust::TrustCommand),
    /// Extradition orders (utleveringspålegg): sign test orders, verify orders as a bank must.
    #[command(subcommand)]
    Eo(eo::EoCommand),
    /// Maskinporten access tokens: mint as the mock Maskinporten, verify as a bank.
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// JWE response bodies: encrypt to the police certificate, decrypt with its key.
    #[command(subcommand)]
    Jwe(jwe::JweCommand),
    /// The reference police client (`police lookup`): runs one case from the DSOP_* variables.
    #[command(subcommand)]
    Police(police::PoliceCommand),
    /// The synthetic test data pack: export it, or show its edge cases.
    #[command(subcommand)]
    Fixtures(fixtures::FixturesCommand),
    /// The mock ecosystem: Maskinporten, registry, datakatalog, CertPub, JWKS and banks.
    #[command(subcommand)]
    Mocks(mocks::MocksCommand),
}

/// Parses the process arguments, runs the command and returns its exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let code = match dispatch(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            exit::USAGE
        }
    };
    ExitCode::from(code)
}

fn dispatch(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Demo => {
            eprintln!(
                "dsop-harness demo: not yet available in this build \
                 (the bank and police suites and the reports are still being built; `mocks serve` and \
                 `police lookup` are available now, see README.md)."
            );
            Ok(exit::SUCCESS)
        }
        Command::Validate(args) => validate::run(&args, &mut std::io::stdout().lock()),
        Command::Ids(command) => ids::run(&command, &mut std::io::stdout().lock()),
        Command::Trust(cmd) => trust::run(cmd, &mut std::io::stdout().lock()),
        Command::Eo(cmd) => eo::run(cmd, &mut std::io::stdout().lock()),
        Command::Token(cmd) => token::run(cmd, &mut std::io::stdout().lock()),
        Command::Jwe(cmd) => jwe::run(cmd, &mut std::io::stdout().lock()),
        Command::Police(cmd) => police::run(cmd, &mut std::io::stdout().lock()),
        Command::Fixtures(command) => fixtures::run(&command, &mut std::io::stdout().lock()),
        Command::Mocks(command) => mocks::run(command, &mut std::io::stdout()),
    }
}
