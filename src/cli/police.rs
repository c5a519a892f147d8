//! `dsop-harness police lookup`: the reference police client. It reads the case from the same
//! `DSOP_*` environment contract a police implementation under test gets from the police suite
//! (docs/police-vendors.md), runs it, and writes the case result to `DSOP_OUTPUT`.

use super::exit;
use crate::police::case::CaseInput;
use crate::police::driver::{Driver, DriverConfig, RegistryGrant};
use crate::police::faults::PoliceFault;
use crate::police::lookup::run_case;
use crate::trust::dir::TrustDir;
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// `police` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum PoliceCommand {
    /// Run one case as the police would: Maskinporten → registry → datakatalog → every bank
    /// the registry names (Accounts, then the 2b endpoints the order allows). The case comes
    /// from DSOP_PARTY_ID, DSOP_FROM_DATE, DSOP_TO_DATE, DSOP_LEGAL_MANDATE,
    /// DSOP_ONLY_PRIMARY_OWNER, DSOP_CASE_ID, DSOP_REQUESTER_ID, DSOP_EXTRADITION_ORDER and
    /// DSOP_PLAIN_JSON.
    Lookup(LookupArgs),
    /// Print every fault switch of the reference client with its description.
    Faults,
}

/// Arguments of `police lookup`.
#[derive(Debug, clap::Args)]
pub struct LookupArgs {
    /// Maskinporten token endpoint.
    #[arg(long, env = "DSOP_MASKINPORTEN_URL")]
    pub maskinporten_url: String,
    /// Base URL of the customer-relationship registry.
    #[arg(long, env = "DSOP_REGISTRY_URL")]
    pub registry_url: String,
    /// Base URL of Felles datakatalog.
    #[arg(long, env = "DSOP_CATALOG_URL")]
    pub catalog_url: String,
    /// Trust directory (police client key and certificate, consumer decryption key, TLS CA).
    #[arg(long, env = "DSOP_TRUST_DIR")]
    pub trust_dir: PathBuf,
    /// Where to write the case result JSON.
    #[arg(long, env = "DSOP_OUTPUT")]
    pub output: PathBuf,
    /// Per-request timeout in seconds.
    #[arg(long, env = "DSOP_REQUEST_TIMEOUT", default_value_t = 30.0)]
    pub request_timeout: f64,
    /// Banks worked on at once.
    #[arg(long, env = "DSOP_CONCURRENCY", default_value_t = 8)]
    pub concurrency: usize,
    /// Most pages read of one paged listing (Accounts or Transactions of one account) before
    /// the client stops and reports the bank's `next` links as not ending (digest 7.4).
    #[arg(long, env = "DSOP_MAX_PAGES", default_value_t = crate::police::driver::DEFAULT_MAX_PAGES)]
    pub max_pages: usize,
    /// Make the client subtly wrong on purpose (repeatable, or comma-separated): one of the
    /// names `police faults` prints. For proving the police suite; never in real use.
    #[arg(long = "fault", env = "DSOP_POLICE_FAULTS", value_delimiter = ',')]
    pub faults: Vec<PoliceFault>,
    /// The registry token's grant: `registry-url` (resource = the registry's base URL) or
    /// `none` (no resource; digest 1.2 asks only for the scope). Both are correct.
    #[arg(
        long,
        env = "DSOP_REGISTRY_RESOURCE",
        value_enum,
        default_value = "registry-url"
    )]
    pub registry_resource: RegistryGrant,
}

/// Runs a `police` subcommand.
pub(crate) fn run(command: PoliceCommand, out: &mut dyn Write) -> anyhow::Result<u8> {
    let args = match command {
        PoliceCommand::Faults => {
            for f in PoliceFault::ALL {
                writeln!(out, "{:<26} {}", f.name(), f.describe())?;
            }
            return Ok(exit::SUCCESS);
        }
        PoliceCommand::Lookup(args) => args,
    };
    let case = CaseInput::from_vars(|k| std::env::var(k).ok())
        .context("reading the case from DSOP_* variables")?;
    let trust = TrustDir::open(&args.trust_dir)
        .with_context(|| format!("opening trust directory {}", args.trust_dir.display()))?;
    let mut config = DriverConfig::new(
        &args.maskinporten_url,
        &args.registry_url,
        &args.catalog_url,
    );
    config.request_timeout = Duration::from_secs_f64(args.request_timeout.max(0.001));
    config.concurrency = args.concurrency.max(1);
    config.max_pages = args.max_pages.max(1);
    config.faults = args.faults.iter().copied().collect();
    config.registry_grant = args.registry_resource;
    let driver = Driver::new(config, &trust).context("setting up the HTTP client")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let run = runtime
        .block_on(run_case(&driver, &case))
        .context("running the case")?;
    let json = serde_json::to_vec_pretty(&run.result)?;
    std::fs::write(&args.output, json)
        .with_context(|| format!("writing {}", args.output.display()))?;
    let failed = run
        .result
        .banks
        .iter()
        .filter(|b| b.status == crate::police::result::BankStatus::Failed)
        .count();
    writeln!(
        out,
        "case {}: {} bank(s), {} failed, {} request(s); result written to {}",
        run.result.case_id,
        run.result.banks.len(),
        failed,
        run.transcript.len(),
        args.output.display()
    )?;
    Ok(exit::SUCCESS)
}
