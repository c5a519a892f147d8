//! The performance figures, measured in one run and printed as a table
//! (`dsop-harness bench`): each figure with the baseline measured in the same run where there
//! is one, the ratio, the target and whether it is met. Timings are never asserted in tests;
//! `--quick` shrinks every figure for a smoke test of the table itself.
//!
//! Owns: load generation against the mock bank and a bare axum server returning the same
//! bytes ([`throughput`]), the 1 000 000-transaction paging run in a child process with its
//! peak RSS ([`paging`]), the fan-out, ecosystem start-up and suite timings ([`figures`]).
//!
//! Must not touch: the suites' or the mocks' behaviour; it only starts and times them.

pub(crate) mod figures;
pub(crate) mod paging;
pub(crate) mod throughput;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

/// What to measure and how hard.
#[derive(Debug, Clone)]
pub(crate) struct BenchConfig {
    /// Shrink every figure (seconds of load, transactions paged, banks fanned out to).
    pub quick: bool,
    /// An existing trust directory; `None`: one is created in a temporary directory (the
    /// start-up figure always uses an existing one).
    pub trust_dir: Option<PathBuf>,
    /// The bank suite's `.feature` files.
    pub features: PathBuf,
    /// The `dsop-harness` binary, re-executed for the paging child.
    pub exe: PathBuf,
    /// Concurrent connections of the load generator.
    pub connections: usize,
    /// Only these groups of figures (see [`GROUPS`]); empty: all.
    pub only: Vec<String>,
}

/// The groups of figures, in the order they run.
pub(crate) const GROUPS: [&str; 6] = [
    "startup",
    "throughput",
    "paging",
    "fanout",
    "bank-suite",
    "police-suite",
];

impl BenchConfig {
    /// Load duration per throughput measurement.
    pub(crate) fn load_time(&self) -> Duration {
        if self.quick {
            Duration::from_millis(200)
        } else {
            Duration::from_secs(3)
        }
    }

    /// Transactions of the paged account.
    pub(crate) fn paged_transactions(&self) -> u64 {
        if self.quick {
            5_000
        } else {
            1_000_000
        }
    }

    /// Banks of the fan-out.
    pub(crate) fn fanout_banks(&self) -> usize {
        if self.quick {
            6
        } else {
            100
        }
    }
}

/// Why the bench could not run.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BenchError {
    /// A figure could not be measured at all.
    #[error("{figure}: {reason}")]
    Figure {
        /// Which figure.
        figure: String,
        /// Why.
        reason: String,
    },
}

impl BenchError {
    pub(crate) fn figure(figure: &str, reason: impl std::fmt::Display) -> Self {
        BenchError::Figure {
            figure: figure.to_owned(),
            reason: reason.to_string(),
        }
    }
}

/// Whether a figure meets its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Within the target.
    Met,
    /// Outside the target.
    NotMet,
    /// Shown for context; no target of its own.
    Info,
}

impl Status {
    /// Table text.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::NotMet => "NOT MET",
            Status::Info => "info",
        }
    }
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// What is measured.
    pub figure: String,
    /// The measurement.
    pub measured: String,
    /// The baseline measured in the same run (`—` if none).
    pub baseline: String,
    /// measured / baseline (`—` if no baseline).
    pub ratio: String,
    /// The target.
    pub target: String,
    /// Met or not.
    pub status: Status,
}

impl Row {
    /// A throughput compared with a baseline: met when `measured / baseline ≥ min_ratio`.
    pub(crate) fn ratio_at_least(
        figure: &str,
        measured: f64,
        baseline: f64,
        min_ratio: f64,
    ) -> Self {
        let ratio = if baseline > 0.0 {
            measured / baseline
        } else {
            0.0
        };
        Row {
            figure: figure.to_owned(),
            measured: format!("{measured:.0} req/s"),
            baseline: format!("{baseline:.0} req/s"),
            ratio: format!("{:.0} %", ratio * 100.0),
            target: format!("≥ {:.0} %", min_ratio * 100.0),
            status: if ratio >= min_ratio {
                Status::Met
            } else {
                Status::NotMet
            },
        }
    }

    /// A value with an upper limit (`unit` e.g. `s`, `ms`, `MB`).
    pub(crate) fn at_most(figure: &str, value: f64, limit: f64, unit: &str) -> Self {
        Row {
            figure: figure.to_owned(),
            measured: format!("{} {unit}", fmt_num(value)),
            baseline: "—".into(),
            ratio: "—".into(),
            target: format!("≤ {} {unit}", fmt_num(limit)),
            status: if value <= limit {
                Status::Met
            } else {
                Status::NotMet
            },
        }
    }

    /// A figure shown for context.
    pub(crate) fn info(figure: &str, measured: String) -> Self {
        Row {
            figure: figure.to_owned(),
            measured,
            baseline: "—".into(),
            ratio: "—".into(),
            target: "—".into(),
            status: Status::Info,
        }
    }
}

fn fmt_num(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// The table's column titles.
pub const FIGURES_HEADER: [&str; 6] = [
    "figure",
    "measured",
    "baseline (same run)",
    "ratio",
    "target",
    "result",
];

/// Renders rows as a Markdown table (header, separator, one line per row).
pub(crate) fn render_table(rows: &[Row]) -> String {
    let mut out = String::new();
    let line = |cells: [&str; 6]| format!("| {} |\n", cells.join(" | "));
    out.push_str(&line(FIGURES_HEADER));
    out.push_str(&line(["---"; 6]));
    for row in rows {
        out.push_str(&line([
            &row.figure,
            &row.measured,
            &row.baseline,
            &row.ratio,
            &row.target,
            row.status.as_str(),
        ]));
    }
    out
}

/// Measures every figure; `progress` hears the name of each as it starts.
pub(crate) async fn run(
    config: &BenchConfig,
    progress: &mut dyn FnMut(&str),
) -> Result<Vec<Row>, BenchError> {
    let (trust_dir, created) = match &config.trust_dir {
        Some(dir) => (dir.clone(), false),
        None => {
            let dir = std::env::temp_dir().join(format!("dsop-bench-trust-{}", std::process::id()));
            crate::trust::TrustDir::init(&dir)
                .map_err(|e| BenchError::figure("trust directory", e))?;
            (dir, true)
        }
    };
    let result = run_in(config, &trust_dir, progress).await;
    if created {
        // Best effort: a temporary directory.
        drop(std::fs::remove_dir_all(&trust_dir));
    }
    result
}

async fn run_in(
    config: &BenchConfig,
    trust_dir: &std::path::Path,
    progress: &mut dyn FnMut(&str),
) -> Result<Vec<Row>, BenchError> {
    let wanted = |group: &str| config.only.is_empty() || config.only.iter().any(|g| g == group);
    let mut rows = Vec::new();
    if wanted("startup") {
        progress("mock ecosystem start-up");
        rows.extend(figures::startup(trust_dir).await?);
    }
    if wanted("throughput") {
        progress("mock bank throughput against bare axum");
        rows.extend(throughput::rows(config, trust_dir).await?);
    }
    if wanted("paging") {
        progress("paging the large account (child process)");
        rows.extend(paging::rows(config, trust_dir).await?);
    }
    if wanted("fanout") {
        progress("fan-out over many banks");
        rows.extend(figures::fanout(config, trust_dir).await?);
    }
    if wanted("bank-suite") {
        progress("bank suite against the reference bank");
        rows.extend(figures::bank_suite(config, trust_dir).await?);
    }
    if wanted("police-suite") {
        progress("police suite against the reference police client");
        rows.extend(figures::police_suite(config, trust_dir).await?);
    }
    Ok(rows)
}

/// Renders a whole report: the table plus a line on how it was made.
pub(crate) fn render_report(config: &BenchConfig, rows: &[Row], elapsed: Duration) -> String {
    let mut out = render_table(rows);
    let _ = writeln!(
        out,
        "\n{} mode, {} load connections, {} CPUs, {} build; bench took {:.1} s",
        if config.quick { "quick" } else { "full" },
        config.connections,
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        elapsed.as_secs_f64()
    );
    out
}
