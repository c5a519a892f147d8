//! `dsop-harness test bank|police`: run a conformance suite against a system under test and
//! write the reports. Exit codes (docs/exit-codes.md): 0 every mandatory scenario passed, 1 a
//! mandatory scenario failed, 2 usage or configuration error, 3 the system under test could not
//! be reached (bank) or the trigger could not run at all (police).

pub(crate) mod bank;
pub(crate) mod police;

use crate::suite::expected::ExpectedFailures;
use crate::suite::run::{Selection, SelectionError};
use clap::{Args, Subcommand};
use std::path::PathBuf;

/// The two suites.
#[derive(Debug, Subcommand)]
pub enum TestCommand {
    /// Judge a bank's Control API: the harness plays police (token, order, headers) and checks
    /// every answer. The bank must trust a trust directory (`trust init`) and, for data-exact
    /// scenarios, have the fixture pack (`fixtures export`) loaded.
    Bank(bank::BankArgs),
    /// Judge a police implementation: for each scenario the harness starts every counterparty
    /// as a mock, runs your trigger command, and judges the requests it made and the case
    /// result it wrote.
    Police(police::PoliceArgs),
}

/// Flags both suites share.
#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// Run only scenarios matching this cucumber tag expression, e.g.
    /// '@mandatory and not @spec-5.7'.
    #[arg(long, env = "DSOP_HARNESS_TAGS", value_name = "EXPR")]
    pub tags: Option<String>,
    /// Run just one scenario, FILE.feature:LINE (the line of the scenario, or of the example row
    /// of an outline); failing scenarios print this for you.
    #[arg(long, env = "DSOP_HARNESS_SCENARIO", value_name = "FILE:LINE")]
    pub scenario: Option<String>,
    /// Where the reports go (JUnit XML, Cucumber JSON, summary.json, report.html,
    /// attestation.jws). Default: reports/<timestamp>/.
    #[arg(long, env = "DSOP_HARNESS_REPORT_DIR", value_name = "DIR")]
    pub report_dir: Option<PathBuf>,
    /// Count @strict scenarios as mandatory (checks the documents imply but do not state).
    #[arg(long, env = "DSOP_HARNESS_STRICT")]
    pub strict: bool,
    /// Directory of the .feature files (default: the features/ of this harness).
    #[arg(long, env = "DSOP_HARNESS_FEATURES", value_name = "DIR")]
    pub features: Option<PathBuf>,
    /// Seed of the random data the scenarios generate (identifiers, case IDs); the same seed
    /// repeats the same requests. Default: a fresh seed, printed in the reports.
    #[arg(long, env = "DSOP_HARNESS_SEED", value_name = "N")]
    pub seed: Option<u64>,
    /// Stop at the first scenario that fails the run (faster feedback; the reports then cover
    /// only what ran).
    #[arg(long, env = "DSOP_HARNESS_FAIL_FAST")]
    pub fail_fast: bool,
    /// TOML list of deviations agreed with DSOP forvaltning: listed scenarios that fail are
    /// reported as "expected failure" (not a pass, not a failure); listed scenarios that pass
    /// are reported as "unexpected pass". Format: docs/forvaltning.md.
    #[arg(long, env = "DSOP_HARNESS_EXPECTED_FAILURES", value_name = "FILE")]
    pub expected_failures: Option<PathBuf>,
    /// No progress bar (it is shown only on a terminal anyway).
    #[arg(long, env = "DSOP_HARNESS_NO_PROGRESS")]
    pub no_progress: bool,
}

impl CommonArgs {
    /// The scenario selection from `--tags` and `--scenario`.
    pub fn selection(&self) -> Result<Selection, SelectionError> {
        Selection::parse(self.tags.as_deref(), self.scenario.as_deref())
    }

    /// `--features`, or this harness's own `features/<suite>`.
    pub fn features_dir(&self, suite: &str) -> PathBuf {
        self.features
            .clone()
            .unwrap_or_else(|| Self::builtin_features(suite))
    }

    /// This harness's own `features/<suite>` (of the source checkout when it exists, else
    /// relative to the working directory).
    pub fn builtin_features(suite: &str) -> PathBuf {
        let built_in = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("features")
            .join(suite);
        if built_in.is_dir() {
            built_in
        } else {
            PathBuf::from("features").join(suite)
        }
    }
}

impl CommonArgs {
    /// The `--expected-failures` list (empty without the flag); a bad file is a usage error.
    pub fn expected(&self) -> anyhow::Result<ExpectedFailures> {
        match &self.expected_failures {
            None => Ok(ExpectedFailures::none()),
            Some(path) => Ok(ExpectedFailures::load(path)?),
        }
    }

    /// Installs the progress bar for the run about to start (when stderr is a terminal and
    /// `--no-progress` is not given); the returned guard removes it.
    pub fn progress(&self, label: &str) -> ProgressGuard {
        ProgressGuard::install(label, !self.no_progress)
    }
}

/// Shows an indicatif progress bar while a suite runs (see
/// [`crate::suite::recorder::install_progress`]); dropping it removes the bar.
#[derive(Debug)]
pub struct ProgressGuard {
    bar: Option<std::sync::Arc<Bar>>,
}

#[derive(Debug)]
struct Bar(indicatif::ProgressBar);

impl crate::suite::recorder::Progress for Bar {
    fn planned(&self, scenarios: usize) {
        self.0.set_length(scenarios as u64);
    }
    fn finished(&self, outcome: &crate::suite::outcome::ScenarioOutcome) {
        use crate::suite::outcome::ScenarioStatus;
        if outcome.status == ScenarioStatus::Failed {
            self.0.println(format!(
                "  failed: {} ({}:{})",
                outcome.scenario, outcome.feature_path, outcome.line
            ));
        }
        self.0.set_message(outcome.scenario.clone());
        self.0.inc(1);
    }
}

impl ProgressGuard {
    /// A bar labelled `label` when `enabled` and stderr is a terminal; nothing otherwise.
    pub fn install(label: &str, enabled: bool) -> Self {
        use std::io::IsTerminal as _;
        if !enabled || !std::io::stderr().is_terminal() {
            return Self { bar: None };
        }
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{prefix:>8} [{bar:30}] {pos}/{len} {wide_msg}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(label.to_owned());
        let bar = std::sync::Arc::new(Bar(bar));
        crate::suite::recorder::install_progress(Some(bar.clone()));
        Self { bar: Some(bar) }
    }
}

impl Drop for ProgressGuard {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            crate::suite::recorder::install_progress(None);
            bar.0.finish_and_clear();
        }
    }
}

/// Runs a `test` subcommand; returns the exit code.
pub(crate) fn run(command: TestCommand) -> anyhow::Result<u8> {
    match command {
        TestCommand::Bank(args) => bank::run(args),
        TestCommand::Police(args) => police::run(args),
    }
}

/// This process's own command line without `--tags`/`--scenario`/`--report-dir`, to which a
/// report appends `--scenario FILE:LINE` to reproduce one scenario.
pub(crate) fn reproduce_prefix() -> String {
    let mut out = vec!["dsop-harness".to_owned()];
    let mut args = std::env::args().skip(1).peekable();
    while let Some(arg) = args.next() {
        let dropped = ["--tags", "--scenario", "--report-dir"];
        if dropped.contains(&arg.as_str()) {
            args.next();
            continue;
        }
        if dropped.iter().any(|d| arg.starts_with(&format!("{d}="))) {
            continue;
        }
        out.push(shell_quote(&arg));
    }
    out.join(" ")
}

fn shell_quote(arg: &str) -> String {
    if !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+".contains(c))
    {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// Ends a `test` run: writes every report (to `--report-dir`, default `reports/<timestamp>/`)
/// and signs them with the harness key of `trust_dir` when given, prints each failed scenario
/// with its reproduce command, the verdict and where the reports are, and returns the exit
/// code of the verdict (expected failures applied). An unusable `--expected-failures` file or
/// an unwritable report directory is a usage error (exit 2).
pub(crate) fn finish(
    run: &crate::suite::run::SuiteRun,
    common: &CommonArgs,
    trust_dir: Option<&std::path::Path>,
) -> u8 {
    let expected = match common.expected() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e:#}");
            return crate::exit::USAGE;
        }
    };
    let dir = common.report_dir.clone().unwrap_or_else(|| {
        crate::reporting::timestamped_dir(std::path::Path::new("reports"), run.started_at)
    });
    let options = crate::reporting::ReportOptions {
        expected,
        reproduce_prefix: Some(reproduce_prefix()),
        features_dir: Some(common.features_dir(run.suite.as_str())),
        trust_dir: trust_dir.map(std::path::Path::to_path_buf),
        ..crate::reporting::ReportOptions::new()
    };
    match crate::reporting::write_reports(&dir, run, &options) {
        Ok(written) => {
            print_outcome(&written.summary);
            eprintln!("reports: {}/ ({})", dir.display(), written.files.join(", "));
            if let Some(problem) = &written.attestation_problem {
                eprintln!("warning: no attestation.jws: {problem}");
            }
            written.summary.verdict.exit_code()
        }
        Err(e) => {
            eprintln!("error: {e}");
            crate::exit::USAGE
        }
    }
}

/// Prints each failed, warning, expected-failure and unexpected-pass scenario (with its
/// reproduce command) and the verdict line, to stderr.
pub(crate) fn print_outcome(summary: &crate::reporting::summary::Summary) {
    use crate::rules::Level;
    use crate::suite::outcome::Judgement;
    for s in &summary.scenarios {
        let label = match s.judgement {
            Judgement::Failed => "FAILED",
            Judgement::Warning => "WARNING",
            Judgement::ExpectedFailure => "EXPECTED FAILURE",
            Judgement::UnexpectedPass => "UNEXPECTED PASS",
            Judgement::Skipped if s.level == Some(Level::Mandatory) => "NOT RUN (mandatory)",
            Judgement::Passed | Judgement::Skipped => continue,
        };
        eprintln!(
            "{label}: {} — {} ({}:{})",
            s.feature, s.name, s.file, s.line
        );
        if let Some(message) = &s.failure {
            eprintln!("  {}", message.replace('\n', "\n  "));
        }
        for rule in s.rules() {
            eprintln!("  rule: {rule}");
        }
        if let Some(reason) = &s.expected_reason {
            eprintln!("  agreed deviation: {reason}");
        }
        if let Some(cmd) = &s.reproduce {
            eprintln!("  reproduce: {cmd}");
        }
    }
    let c = &summary.counts;
    eprintln!(
        "{} suite against {}: {} passed, {} failed, {} warnings, {} expected failures, {} unexpected passes, {} skipped — verdict {}",
        summary.suite.as_str(),
        summary.sut,
        c.passed,
        c.failed,
        c.warning,
        c.expected_failure,
        c.unexpected_pass,
        c.skipped,
        summary.verdict.label()
    );
}
