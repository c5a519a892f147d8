//! `test police`: judge a police implementation (docs/police-vendors.md). For each scenario the
//! harness starts a fresh mock ecosystem, runs the trigger (a command template or a URL) and
//! judges the requests the implementation made and the case result it wrote. Exit codes: 0
//! pass, 1 a mandatory scenario failed, 2 usage/configuration, 3 the trigger could not run at
//! all.

use super::CommonArgs;
use crate::exit;
use crate::police_suite::{self, PoliceSuiteConfig, PoliceSuiteError, Trigger};
use crate::suite::run::{SuiteKind, SuiteRun};
use anyhow::Context as _;
use clap::Args;
use std::path::PathBuf;
use std::time::Duration;

/// `test police` flags.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("sut").required(true).args(["trigger", "trigger_url"])))]
pub struct PoliceArgs {
    /// Command run once per scenario with `sh -c`, e.g. 'my-client --out {output}'. Placeholders
    /// {maskinporten_url} {registry_url} {catalog_url} {trust_dir} {party_id} {from_date}
    /// {to_date} {legal_mandate} {only_primary_owner} {case_id} {requester_id}
    /// {extradition_order} {output} {plain_json} {direct_banks} are replaced by shell-quoted
    /// values; the same values are in DSOP_* environment variables.
    #[arg(long, env = "DSOP_HARNESS_TRIGGER", value_name = "COMMAND TEMPLATE")]
    pub trigger: Option<String>,
    /// Instead of a command: POST each case's DSOP_* variables as a JSON object to this URL;
    /// answer 2xx with the case result as the body (or write DSOP_OUTPUT and answer 204).
    #[arg(long, env = "DSOP_HARNESS_TRIGGER_URL", value_name = "URL")]
    pub trigger_url: Option<String>,
    /// Seconds one trigger may run before it is killed (its scenario fails).
    #[arg(
        long,
        env = "DSOP_HARNESS_TIMEOUT",
        value_name = "SECS",
        default_value_t = 60.0
    )]
    pub timeout: f64,
    /// Trust directory for the mocks, passed as DSOP_TRUST_DIR; it also holds the harness key
    /// that signs attestation.jws. Created when missing (default: .dsop-harness/trust).
    #[arg(long, env = "DSOP_HARNESS_TRUST_DIR", value_name = "DIR")]
    pub trust_dir: Option<PathBuf>,
    /// Set DSOP_PLAIN_JSON=1: the implementation may ask banks for plain JSON (test mode).
    #[arg(long, env = "DSOP_HARNESS_PLAIN_JSON")]
    pub plain_json: bool,
    /// Scenarios run at once (each has its own mock ecosystem).
    #[arg(
        long,
        env = "DSOP_HARNESS_CONCURRENCY",
        value_name = "N",
        default_value_t = 8
    )]
    pub concurrency: usize,
    /// Flags shared with `test bank`.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Runs the police suite; returns the exit code.
pub(crate) fn run(args: PoliceArgs) -> anyhow::Result<u8> {
    let (trigger, sut) = match (&args.trigger, &args.trigger_url) {
        (Some(t), _) => (Trigger::Command(t.clone()), t.clone()),
        (None, Some(u)) => (Trigger::Url(u.clone()), u.clone()),
        (None, None) => {
            eprintln!("test police: give --trigger 'COMMAND TEMPLATE' or --trigger-url URL");
            return Ok(exit::USAGE);
        }
    };
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        eprintln!("test police: --timeout must be a positive number of seconds");
        return Ok(exit::USAGE);
    }
    let selection = match args.common.selection() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("test police: {e}");
            return Ok(exit::USAGE);
        }
    };
    let mut config = PoliceSuiteConfig::new(trigger, args.common.features_dir("police"));
    config.timeout = Duration::from_secs_f64(args.timeout);
    let trust_dir = args
        .trust_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from(".dsop-harness/trust"));
    if let Err(e) = crate::trust::dir::TrustDir::init(&trust_dir) {
        eprintln!("test police: trust directory {}: {e}", trust_dir.display());
        return Ok(exit::USAGE);
    }
    config.trust_dir = Some(trust_dir.clone());
    config.plain_json = args.plain_json;
    config.selection = selection;
    config.concurrency = args.concurrency.max(1);
    config.seed = args.common.seed;
    config.fail_fast = args.common.fail_fast;
    let _progress = args.common.progress("police");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let started_at = chrono::Utc::now();
    let finished = runtime.block_on(police_suite::run(config));
    // A mock server that will not stop must not keep the process alive.
    runtime.shutdown_timeout(Duration::from_secs(2));
    let finished = match finished {
        Ok(r) => r,
        Err(
            e @ (PoliceSuiteError::Trigger(_)
            | PoliceSuiteError::Trust(_)
            | PoliceSuiteError::NothingRan(_)),
        ) => {
            eprintln!("test police: {e}");
            return Ok(exit::USAGE);
        }
        Err(e) => return Err(e).context("running the police suite"),
    };
    if let Some(reason) = &finished.trigger_unavailable {
        eprintln!(
            "test police: the trigger could not run at all: {reason}\n  check that the \
             command exists and is executable (or that the URL accepts connections)"
        );
        return Ok(exit::UNREACHABLE);
    }
    let run = SuiteRun {
        suite: SuiteKind::Police,
        sut,
        started_at,
        finished_at: chrono::Utc::now(),
        seed: Some(finished.seed),
        strict: args.common.strict,
        tags: args.common.tags.clone(),
        plain_json: args.plain_json,
        outcome: finished.outcome,
    };
    Ok(super::finish(&run, &args.common, Some(&trust_dir)))
}
