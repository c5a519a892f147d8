//! `dsop-harness pact export|states`: the police profile as a Pact V4 contract for a bank
//! vendor's Pact verifier, and the provider-state hook that supplies tokens, orders and the
//! bank's account references (`docs/pact.md`).

use crate::bank_suite::Fixtures;
use crate::exit;
use crate::population::model::DisposalAlternative;
use crate::population::{Population, DEFAULT_PACK_PATH};
use crate::trust::TrustDir;
use anyhow::Context;
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

/// Pact commands.
#[derive(Debug, Subcommand)]
pub enum PactCommand {
    /// Write the Pact V4 contract (consumer politi-utlevering-police, provider bank) for one
    /// bank of the test data pack: DIR/politi-utlevering-police-bank.json.
    Export(ExportArgs),
    /// Serve the provider-state hook for `pact verifier --state-change-url` on loopback until
    /// Ctrl-C: fresh tokens and orders per interaction, the bank's own account references.
    States(StatesArgs),
}

/// `pact export` arguments.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Directory to write the contract into (created if needed).
    #[arg(long, env = "DSOP_PACT_OUT")]
    pub out: PathBuf,
    /// The test data pack your bank loaded (default: the committed default pack).
    #[arg(long, env = "DSOP_HARNESS_FIXTURES", default_value = DEFAULT_PACK_PATH)]
    pub fixtures: PathBuf,
    /// Which bank of the pack you serve (default: the first).
    #[arg(long, env = "DSOP_HARNESS_BANK_ORG")]
    pub bank_org: Option<String>,
    /// The disposal alternative you implement, if not the one of your pack bank (digest 4.6).
    #[arg(long, env = "DSOP_HARNESS_DISPOSAL_ALTERNATIVE", value_parser = ["1", "2"])]
    pub disposal_alternative: Option<String>,
}

/// `pact states` arguments.
#[derive(Debug, Args)]
pub struct StatesArgs {
    /// Trust directory your test environment trusts (see `trust init`).
    #[arg(long, env = "DSOP_HARNESS_TRUST_DIR")]
    pub trust_dir: PathBuf,
    /// Your base URL as registered in the catalogue (the token audience; the hook calls
    /// Accounts there to learn your account references).
    #[arg(long, env = "DSOP_HARNESS_BASE_URL")]
    pub base_url: String,
    /// Loopback address to listen on (port 0: any free port; the URL is printed).
    #[arg(long, env = "DSOP_PACT_STATES_LISTEN", default_value = "127.0.0.1:0")]
    pub listen: std::net::SocketAddr,
}

/// Runs a pact command.
pub(crate) fn run(command: PactCommand, out: &mut dyn Write) -> anyhow::Result<u8> {
    match command {
        PactCommand::Export(args) => export(&args, out),
        PactCommand::States(args) => states(&args, out),
    }
}

fn export(args: &ExportArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let population = Population::load(&args.fixtures)
        .with_context(|| format!("loading the pack {}", args.fixtures.display()))?;
    let disposal = args.disposal_alternative.as_deref().map(|a| match a {
        "1" => DisposalAlternative::SignalOnly,
        _ => DisposalAlternative::FullData,
    });
    let fixtures =
        Fixtures::with_disposal(Arc::new(population), args.bank_org.as_deref(), disposal)
            .map_err(anyhow::Error::msg)?;
    let contract = crate::pact::contract(&fixtures, chrono::Utc::now().date_naive())?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let path = args.out.join(crate::pact::FILE_NAME);
    let text = serde_json::to_string_pretty(&contract)?;
    std::fs::write(&path, &text).with_context(|| format!("writing {}", path.display()))?;
    let count = contract["interactions"].as_array().map_or(0, Vec::len);
    writeln!(
        out,
        "{}: {count} interactions for bank {} ({} bytes)",
        path.display(),
        fixtures.bank_org,
        text.len()
    )?;
    Ok(exit::SUCCESS)
}

fn states(args: &StatesArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let trust = Arc::new(TrustDir::open(&args.trust_dir)?);
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let hook = crate::pact::StateHook::start(trust, &args.base_url, args.listen).await?;
        writeln!(out, "{}", hook.url())?;
        out.flush()?;
        tokio::signal::ctrl_c().await?;
        hook.shutdown();
        Ok(exit::SUCCESS)
    })
}
