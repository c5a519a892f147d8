//! `test bank`: run the bank conformance suite against a bank's Control API
//! (`docs/bank-vendors.md`). Exit codes: 0 every mandatory scenario passed, 1 a mandatory
//! scenario failed, 2 usage or configuration error, 3 the bank could not be reached at all.

use super::CommonArgs;
use crate::bank_suite::{BankSuiteConfig, Fixtures, SuiteError};
use crate::exit;
use crate::population::model::DisposalAlternative;
use crate::population::Population;
use crate::suite::run::{SuiteKind, SuiteRun};
use anyhow::Context as _;
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;

/// `test bank` flags.
#[derive(Debug, Args)]
pub struct BankArgs {
    /// Your bank's Control API base URL exactly as registered in the API catalogue, e.g.
    /// https://bank.example/dsop/v2. The harness's access tokens carry it as audience.
    #[arg(long, env = "DSOP_HARNESS_BASE_URL", value_name = "URL")]
    pub base_url: String,
    /// The trust directory your test environment trusts (`dsop-harness trust init`): its
    /// Maskinporten JWKS, prosecution JWKS and root, and the police encryption certificate.
    #[arg(long, env = "DSOP_HARNESS_TRUST_DIR", value_name = "DIR")]
    pub trust_dir: PathBuf,
    /// The test data pack your test environment has loaded (`dsop-harness fixtures export`).
    /// Without it the data-exact scenarios are skipped and reported as skipped.
    #[arg(long, env = "DSOP_HARNESS_FIXTURES", value_name = "FILE")]
    pub fixtures: Option<PathBuf>,
    /// Which bank of the data pack your environment serves (organisation number). Default: the
    /// pack's first bank.
    #[arg(
        long,
        env = "DSOP_HARNESS_BANK_ORG",
        value_name = "ORGNO",
        requires = "fixtures"
    )]
    pub bank_org: Option<String>,
    /// The disposal alternative your bank implements (digest 4.6): 1 = signal only (owned
    /// accounts, `partial` with a message), 2 = full data. Default: the `disposalAlternative`
    /// of your bank's entry in the pack's `banks[]`.
    #[arg(
        long,
        env = "DSOP_HARNESS_DISPOSAL_ALTERNATIVE",
        value_name = "1|2",
        value_parser = clap::value_parser!(u8).range(1..=2),
        requires = "fixtures"
    )]
    pub disposal_alternative: Option<u8>,
    /// Ask for plain JSON (Accept: application/json, the test-environment allowance) instead
    /// of JWE-encrypted responses.
    #[arg(long, env = "DSOP_HARNESS_PLAIN_JSON")]
    pub plain_json: bool,
    /// Per-request timeout of the harness's client in seconds (decimals allowed): a request
    /// the bank has not answered by then fails its scenario. Default 30 (the Digdir
    /// consumer's, digest 1.2).
    #[arg(long, env = "DSOP_HARNESS_REQUEST_TIMEOUT", value_name = "SECONDS", value_parser = positive_seconds)]
    pub request_timeout: Option<f64>,
    /// Largest response body the harness reads, in bytes; a longer body fails its scenario.
    /// Default 33554432 (32 MiB).
    #[arg(long, env = "DSOP_HARNESS_MAX_BODY_BYTES", value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_body_bytes: Option<u64>,
    /// Flags shared with `test police`.
    #[command(flatten)]
    pub common: CommonArgs,
}

fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 => Ok(s),
        _ => Err(format!("{text:?} is not a positive number of seconds")),
    }
}

/// Why `test bank` stopped before judging the bank.
#[derive(Debug, thiserror::Error)]
enum BankCliError {
    /// Bad flags or files (exit 2).
    #[error("{0:#}")]
    Usage(anyhow::Error),
    /// The bank did not answer (exit 3).
    #[error("{0}")]
    Unreachable(String),
}

fn config(args: &BankArgs) -> anyhow::Result<BankSuiteConfig> {
    let selection = args.common.selection()?;
    let fixtures = match &args.fixtures {
        None => None,
        Some(path) => {
            let population =
                Population::load(path).with_context(|| format!("--fixtures {}", path.display()))?;
            Some(
                Fixtures::with_disposal(
                    Arc::new(population),
                    args.bank_org.as_deref(),
                    args.disposal_alternative.map(|n| {
                        if n == 1 {
                            DisposalAlternative::SignalOnly
                        } else {
                            DisposalAlternative::FullData
                        }
                    }),
                )
                .map_err(anyhow::Error::msg)
                .context("--bank-org")?,
            )
        }
    };
    if !args.base_url.starts_with("http://") && !args.base_url.starts_with("https://") {
        anyhow::bail!(
            "--base-url {:?}: expected an absolute http(s) URL such as https://bank.example/dsop/v2",
            args.base_url
        );
    }
    Ok(BankSuiteConfig {
        base_url: args.base_url.trim_end_matches('/').to_owned(),
        trust_dir: args.trust_dir.clone(),
        plain_json: args.plain_json,
        features: args.common.features_dir("bank"),
        selection,
        fixtures,
        fail_fast: args.common.fail_fast,
        request_timeout: args.request_timeout.map(std::time::Duration::from_secs_f64),
        max_body_bytes: args
            .max_body_bytes
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
    })
}

async fn run_suite(args: &BankArgs) -> Result<SuiteRun, BankCliError> {
    let config = config(args).map_err(BankCliError::Usage)?;
    let seed = config.fixtures.as_ref().map(|f| f.population.seed);
    let sut = config.base_url.clone();
    let started_at = chrono::Utc::now();
    let outcome = crate::bank_suite::run(config).await.map_err(|e| match e {
        SuiteError::Unreachable { .. } => BankCliError::Unreachable(format!(
            "{e}\nCheck --base-url, that the bank is running, and its TLS certificate."
        )),
        other => BankCliError::Usage(anyhow::Error::new(other).context("test bank")),
    })?;
    Ok(SuiteRun {
        suite: SuiteKind::Bank,
        sut,
        started_at,
        finished_at: chrono::Utc::now(),
        seed,
        strict: args.common.strict,
        tags: args.common.tags.clone(),
        plain_json: args.plain_json,
        outcome,
    })
}

/// Runs the bank suite; returns the exit code.
pub(crate) fn run(args: BankArgs) -> anyhow::Result<u8> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    match runtime.block_on(run_suite(&args)) {
        Ok(run) => Ok(super::finish(&run, &args.common, Some(&args.trust_dir))),
        Err(BankCliError::Usage(e)) => {
            eprintln!("error: {e:#}");
            Ok(exit::USAGE)
        }
        Err(BankCliError::Unreachable(message)) => {
            eprintln!("error: {message}");
            Ok(exit::UNREACHABLE)
        }
    }
}
