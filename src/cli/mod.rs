//! Command-line front end.
//!
//! Owns: argument parsing (clap, an env var for every flag), the optional `dsop-harness.toml`
//! ([`config`]: keys map to those variables; precedence command line > environment > file),
//! dispatch to the library, and the mapping of outcomes to documented exit codes ([`exit`]). Every piece of logic it calls lives
//! elsewhere in the library and is testable without spawning the binary.
//!
//! Must not touch: DSOP rules themselves; it only wires them together.

pub(crate) mod attest;
pub(crate) mod bench;
pub(crate) mod config;
pub(crate) mod demo;
pub(crate) mod eo;
use crate::exit;
pub(crate) mod fixtures;
pub(crate) mod ids;
pub(crate) mod jwe;
pub(crate) mod mocks;
pub(crate) mod pact;
pub(crate) mod police;
pub(crate) mod requirements;
pub(crate) mod test;
pub(crate) mod token;
pub(crate) mod trust;
pub(crate) mod validate;

use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand};
use std::process::ExitCode;

/// Conformance test harness and mock ecosystem for the DSOP service Politi-Utlevering.
///
/// Start with `dsop-harness demo` (no set-up). To test your bank: `dsop-harness test bank
/// --help`; your police client: `dsop-harness test police --help`. Every flag can also be set
/// with the environment variable shown in its help, or in dsop-harness.toml (docs/quickstart.md).
/// Exit codes: 0 success, 1 a mandatory check failed, 2 usage or configuration error, 3 the
/// system under test could not be reached (docs/exit-codes.md).
#[derive(Debug, Parser)]
#[command(name = "dsop-harness", version, about, long_about)]
pub struct Cli {
    /// Configuration file (default: ./dsop-harness.toml when it exists). Its keys are the
    /// environment variables of the flags, e.g. report-dir = "out" for DSOP_HARNESS_REPORT_DIR.
    #[arg(long, global = true, env = "DSOP_HARNESS_CONFIG", value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
    /// The subcommand.
    #[command(subcommand)]
    pub command: CliCommand,
}

/// Top-level subcommands.
#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// The main job, no set-up needed: start the whole mock ecosystem, run the suites against
    /// the built-in reference implementations, print a summary and write every report under
    /// reports/TIMESTAMP/.
    Demo(demo::DemoArgs),
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
    /// The police profile as a Pact V4 contract for a bank's Pact verifier, and its
    /// provider-state hook (docs/pact.md).
    #[command(subcommand)]
    Pact(pact::PactCommand),
    /// Run a conformance suite against a bank or a police implementation and write reports.
    #[command(subcommand)]
    Test(test::TestCommand),
    /// Report attestations: verify that a report directory is what the harness signed.
    #[command(subcommand)]
    Attest(attest::AttestCommand),
    /// Every requirement the harness judges, with the scenarios that check it
    /// (--markdown: docs/requirements.md).
    Requirements(requirements::RequirementsArgs),
    /// Measure the performance figures (mock throughput against bare axum, paging 1 000 000
    /// transactions, fan-out, start-up, suite times) and print them with their targets.
    Bench(bench::BenchArgs),
}

/// Parses the process arguments, runs the command and returns its exit code.
pub fn run() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match parse_args(&args) {
        Ok(cli) => cli,
        Err(err) => {
            eprintln!("error: configuration: {err}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let code = match execute(cli.command, &mut std::io::stdout()) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            exit::USAGE
        }
    };
    ExitCode::from(code)
}

/// Parses `args` (program name first) with the configuration file's values layered under the
/// environment and the flags (`config::layer`). A usage error exits the process as clap
/// does (help, version, exit 2); a configuration-file error is returned.
pub fn parse_args(args: &[std::ffi::OsString]) -> Result<Cli, config::ConfigError> {
    let (command, _file) = config::layer(args, Cli::command())?;
    let cli = command
        .try_get_matches_from(args)
        .and_then(|matches| Cli::from_arg_matches(&matches))
        .unwrap_or_else(|e| e.exit());
    Ok(cli)
}

/// Runs `command`, writing what it prints to `out` (the process's standard output for the
/// binary), and returns its exit code (`exit`). `test` writes its progress and reports as
/// its flags say, not to `out`.
pub fn execute(command: CliCommand, mut out: &mut dyn std::io::Write) -> anyhow::Result<u8> {
    match command {
        CliCommand::Demo(args) => demo::run(&args, &mut out),
        CliCommand::Validate(args) => validate::run(&args, out),
        CliCommand::Ids(command) => ids::run(&command, out),
        CliCommand::Trust(command) => trust::run(command, out),
        CliCommand::Eo(command) => eo::run(command, out),
        CliCommand::Token(command) => token::run(command, out),
        CliCommand::Jwe(command) => jwe::run(command, out),
        CliCommand::Police(command) => police::run(command, out),
        CliCommand::Fixtures(command) => fixtures::run(&command, out),
        CliCommand::Mocks(command) => mocks::run(command, out),
        CliCommand::Pact(command) => pact::run(command, out),
        CliCommand::Test(command) => test::run(command),
        CliCommand::Attest(command) => attest::run(command, &mut out),
        CliCommand::Requirements(args) => requirements::run(&args, &mut out),
        CliCommand::Bench(args) => bench::run_bench(args, out),
    }
}
