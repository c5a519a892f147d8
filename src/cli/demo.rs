//! `dsop-harness demo`: the main job, with no arguments and no set-up. It creates (or reuses)
//! a trust directory under `target/`, starts the whole mock ecosystem, runs each suite against
//! the built-in reference implementation, shows progress, prints a summary table and writes
//! every report under `reports/<timestamp>/<suite>/`. Exit 0 when every suite's verdict is a
//! pass (with or without warnings), 1 otherwise.
//!
//! The runs are a list ([`demo_runs`]): the bank suite against the reference mock bank now;
//! the police suite against the reference police client is one more entry.

use crate::bank_suite::{self, BankSuiteConfig, Fixtures};
use crate::mocks::ecosystem::{Ecosystem, EcosystemConfig};
use crate::population::{Population, PopulationConfig};
use crate::reporting::{self, ReportOptions};
use crate::suite::run::{SuiteKind, SuiteRun};
use crate::trust::dir::TrustDir;
use anyhow::Context as _;
use clap::Args;
use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

/// `demo` flags (all optional).
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where the reports go (one subdirectory per suite). Default: reports/<timestamp>/.
    #[arg(long, env = "DSOP_HARNESS_REPORT_DIR", value_name = "DIR")]
    pub report_dir: Option<PathBuf>,
    /// Trust directory to create or reuse. Default: target/dsop-harness-demo/trust.
    #[arg(long, env = "DSOP_HARNESS_DEMO_TRUST_DIR", value_name = "DIR")]
    pub trust_dir: Option<PathBuf>,
    /// Seed of the synthetic population the mock banks serve (default: the test data pack's).
    #[arg(long, env = "DSOP_HARNESS_SEED", value_name = "N")]
    pub seed: Option<u64>,
    /// No progress bar.
    #[arg(long, env = "DSOP_HARNESS_NO_PROGRESS")]
    pub no_progress: bool,
}

/// The default trust directory: `$CARGO_TARGET_DIR` or `target/`, then
/// `dsop-harness-demo/trust`.
pub(crate) fn default_trust_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| PathBuf::from("target"), PathBuf::from)
        .join("dsop-harness-demo")
        .join("trust")
}

/// One suite run of the demo, still to be awaited.
pub(crate) type DemoRun<'a> = Pin<Box<dyn Future<Output = anyhow::Result<SuiteRun>> + 'a>>;

/// The demo's suite runs against the running `ecosystem`, in order.
pub(crate) fn demo_runs<'a>(
    ecosystem: &'a Ecosystem,
    population: &'a Arc<Population>,
    trust: &'a Path,
    seed: u64,
) -> Vec<(SuiteKind, DemoRun<'a>)> {
    vec![
        (
            SuiteKind::Bank,
            Box::pin(bank_run(ecosystem, population, trust, seed)),
        ),
        (SuiteKind::Police, Box::pin(police_run(trust, seed))),
    ]
}

/// The police suite against the reference police client, run exactly as a vendor's client is
/// run: this binary's `police lookup` as the trigger command, one fresh mock ecosystem per
/// scenario (the demo's own ecosystem is not used by it).
async fn police_run(trust: &Path, seed: u64) -> anyhow::Result<SuiteRun> {
    let exe = std::env::current_exe()
        .map_err(|e| anyhow::anyhow!("locating this program for the police trigger: {e}"))?;
    let template = format!(
        "'{}' police lookup",
        exe.display().to_string().replace('\'', r"'\''")
    );
    let mut config = crate::police_suite::PoliceSuiteConfig::new(
        crate::police_suite::Trigger::Command(template.clone()),
        crate::cli::test::CommonArgs::builtin_features("police"),
    );
    config.trust_dir = Some(trust.to_owned());
    config.seed = Some(seed);
    config.timeout = std::time::Duration::from_secs(60);
    let started_at = chrono::Utc::now();
    let finished = crate::police_suite::run(config).await?;
    if let Some(reason) = finished.trigger_unavailable {
        anyhow::bail!("the reference police client could not be started: {reason}");
    }
    Ok(SuiteRun {
        suite: SuiteKind::Police,
        sut: format!("reference police client ({template})"),
        started_at,
        finished_at: chrono::Utc::now(),
        seed: Some(finished.seed),
        strict: false,
        tags: None,
        plain_json: false,
        outcome: finished.outcome,
    })
}

/// The bank suite against the first reference mock bank of `ecosystem`.
/// The mock bank serves the demo population, so the population is the fixture pack and the
/// data-exact scenarios run too.
async fn bank_run(
    ecosystem: &Ecosystem,
    population: &Arc<Population>,
    trust: &Path,
    seed: u64,
) -> anyhow::Result<SuiteRun> {
    let bank = ecosystem
        .manifest()
        .banks
        .first()
        .ok_or_else(|| anyhow::anyhow!("the ecosystem serves no bank"))?;
    let base_url = bank.url.clone();
    let started_at = chrono::Utc::now();
    let outcome = bank_suite::run(BankSuiteConfig {
        base_url: base_url.clone(),
        trust_dir: trust.to_owned(),
        plain_json: false,
        features: crate::cli::test::CommonArgs::builtin_features("bank"),
        selection: Default::default(),
        fixtures: Some(
            Fixtures::new(Arc::clone(population), Some(&bank.org_no))
                .map_err(anyhow::Error::msg)?,
        ),
        fail_fast: false,
        request_timeout: None,
        max_body_bytes: None,
    })
    .await?;
    Ok(SuiteRun {
        suite: SuiteKind::Bank,
        sut: format!("reference mock bank {} at {base_url}", bank.org_no),
        started_at,
        finished_at: chrono::Utc::now(),
        seed: Some(seed),
        strict: false,
        tags: None,
        plain_json: false,
        outcome,
    })
}

/// Runs the demo; the summary table goes to `out`, progress and details to stderr.
pub(crate) fn run(args: &DemoArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    let trust_path = args.trust_dir.clone().unwrap_or_else(default_trust_dir);
    let trust = TrustDir::init(&trust_path)
        .map_err(|e| anyhow::anyhow!("trust directory {}: {e}", trust_path.display()))?;
    let seed = args.seed.unwrap_or(PopulationConfig::default_pack().seed);
    let population = Population::generate(&PopulationConfig {
        seed,
        reference_date: chrono::Utc::now().date_naive(),
        ..PopulationConfig::default_pack()
    });
    let root = args
        .report_dir
        .clone()
        .unwrap_or_else(|| reporting::timestamped_dir(Path::new("reports"), chrono::Utc::now()));
    // The mocks serve the pack as written and loaded back (the loader a vendor's test uses).
    std::fs::create_dir_all(&root).with_context(|| format!("creating {}", root.display()))?;
    let pack = root.join("pack.json");
    population
        .save(&pack)
        .with_context(|| format!("writing the pack {}", pack.display()))?;
    let (population, fingerprint) = Population::load_with_fingerprint(&pack)
        .with_context(|| format!("loading the pack {}", pack.display()))?;
    eprintln!(
        "demo: trust directory {}, seed {seed}, pack {} (fingerprint {fingerprint}), reports under {}/",
        trust_path.display(),
        pack.display(),
        root.display()
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let results: Vec<(SuiteKind, reporting::Written)> = runtime.block_on(async {
        let population = Arc::new(population);
        let config = EcosystemConfig::new(
            Arc::new(trust),
            Arc::clone(&population),
            // The reference bank as a vendor runs it for the suite (strict, trusting the
            // suite's flawed signing certificates).
            bank_suite::reference_bank_factory(trust_path.clone()),
        );
        let ecosystem = Ecosystem::start(config).await?;
        let mut results = Vec::new();
        for (kind, pending) in demo_runs(&ecosystem, &population, &trust_path, seed) {
            let _bar = crate::cli::test::ProgressGuard::install(kind.as_str(), !args.no_progress);
            let run = pending.await?;
            let options = ReportOptions {
                features_dir: Some(crate::cli::test::CommonArgs::builtin_features(
                    kind.as_str(),
                )),
                trust_dir: Some(trust_path.clone()),
                ..ReportOptions::new()
            };
            let written = reporting::write_reports(&root.join(kind.as_str()), &run, &options)?;
            crate::cli::test::print_outcome(&written.summary);
            results.push((kind, written));
        }
        ecosystem.shutdown();
        anyhow::Ok(results)
    })?;
    table(&results, out)?;
    let all_pass = results
        .iter()
        .all(|(_, w)| w.summary.verdict.exit_code() == crate::exit::SUCCESS);
    Ok(if all_pass {
        crate::exit::SUCCESS
    } else {
        crate::exit::FAILURE
    })
}

fn table(results: &[(SuiteKind, reporting::Written)], out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out)?;
    writeln!(
        out,
        "{:<8} {:<20} {:>9} {:>7} {:>7} {:>8} {:>8} {:>8}  reports",
        "suite", "verdict", "scenarios", "passed", "failed", "warnings", "skipped", "covered"
    )?;
    for (kind, w) in results {
        let s = &w.summary;
        let covered = s
            .requirements
            .iter()
            .filter(|r| !r.scenarios.is_empty())
            .count();
        writeln!(
            out,
            "{:<8} {:<20} {:>9} {:>7} {:>7} {:>8} {:>8} {:>8}  {}",
            kind.as_str(),
            s.verdict.label(),
            s.counts.scenarios,
            s.counts.passed,
            s.counts.failed,
            s.counts.warning,
            s.counts.skipped,
            format!("{covered}/{}", s.requirements.len()),
            w.dir.join(reporting::HTML).display()
        )?;
    }
    writeln!(
        out,
        "\nOpen report.html in a browser; verify a run with: dsop-harness attest verify DIR/attestation.jws --reports DIR"
    )?;
    Ok(())
}
