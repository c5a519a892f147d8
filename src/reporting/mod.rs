//! Reports of a suite run: every `test` subcommand and `demo` write all of them into
//! one directory.
//!
//! | file | what | module |
//! |---|---|---|
//! | `summary.json` | verdict, counts, every scenario, requirement coverage (`schemas/summary.schema.json`) | [`summary`] |
//! | `junit.xml` | one testcase per scenario, failures with rule and digest section | [`junit`] |
//! | `cucumber.json` | Cucumber JSON, generated from our outcome model | [`cucumber_json`] |
//! | `report.html` | one self-contained page: verdict, features, coverage, masked transcripts | [`html`] |
//! | `transcripts.json` | every scenario's masked transcript | here |
//! | `attestation.jws` | signed hashes of all of the above plus provenance | [`attest`] |
//!
//! Owns: rendering and signing. Must not touch: outcomes and verdicts (`crate::suite`) —
//! reports show what the suite decided, they never re-judge. Transcripts arrive masked
//! (`crate::suite::transcript`); reports escape everything they show.

pub(crate) mod attest;
pub(crate) mod cucumber_json;
pub(crate) mod html;
pub(crate) mod junit;
pub(crate) mod provenance;
pub(crate) mod summary;

use crate::suite::expected::ExpectedFailures;
use crate::suite::run::SuiteRun;
use crate::trust::dir::TrustDir;
use std::path::{Path, PathBuf};

/// `summary.json`.
pub const SUMMARY: &str = "summary.json";
/// `junit.xml`.
pub const JUNIT: &str = "junit.xml";
/// `cucumber.json`.
pub const CUCUMBER: &str = "cucumber.json";
/// `report.html`.
pub const HTML: &str = "report.html";
/// `transcripts.json`.
pub const TRANSCRIPTS: &str = "transcripts.json";
/// `attestation.jws`.
pub const ATTESTATION: &str = "attestation.jws";

/// How to write the reports of one run.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// Agreed deviations (`--expected-failures`).
    pub expected: ExpectedFailures,
    /// The command line that reruns this suite, without `--scenario` (each scenario's
    /// reproduce command appends `--scenario FILE:LINE`); `None`: no reproduce commands.
    pub reproduce_prefix: Option<String>,
    /// The features directory the run used (hashed into the attestation).
    pub features_dir: Option<PathBuf>,
    /// Trust directory whose harness key signs `attestation.jws`; `None`: no attestation.
    pub trust_dir: Option<PathBuf>,
    /// Git commit of the harness (see `provenance::git_commit`).
    pub git_commit: Option<String>,
}

impl ReportOptions {
    /// Options with the harness's git commit filled in.
    pub fn new() -> Self {
        Self {
            git_commit: provenance::git_commit(),
            ..Self::default()
        }
    }
}

/// Why reports could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// File system.
    #[error("writing reports to {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Serialisation.
    #[error("serialising {file}: {source}")]
    Json {
        /// The report file.
        file: &'static str,
        /// The cause.
        source: serde_json::Error,
    },
    /// Serialising `junit.xml`.
    #[error("serialising {JUNIT}: {source}")]
    Junit {
        /// The cause.
        source: junit::SerializeError,
    },
    /// Rendering `report.html` from its template.
    #[error("rendering {HTML}: {source}")]
    Html {
        /// The cause.
        source: html::RenderError,
    },
}

/// What [`write_reports`] wrote.
#[derive(Debug, Clone)]
pub struct Written {
    /// The directory.
    pub dir: PathBuf,
    /// File names written, attestation included when signed.
    pub files: Vec<String>,
    /// The summary the reports show.
    pub summary: summary::Summary,
    /// Why no attestation was written (no trust directory, or signing failed).
    pub attestation_problem: Option<String>,
}

/// `reports/<UTC timestamp>/` under `base` (`2025-03-01T12-00-05Z`; `-2`, `-3`… appended if
/// taken).
pub(crate) fn timestamped_dir(base: &Path, at: chrono::DateTime<chrono::Utc>) -> PathBuf {
    let stem = at.format("%Y-%m-%dT%H-%M-%SZ").to_string();
    let mut dir = base.join(&stem);
    let mut n = 2;
    while dir.exists() {
        dir = base.join(format!("{stem}-{n}"));
        n += 1;
    }
    dir
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), ReportError> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|source| ReportError::Io { path, source })
}

fn json(file: &'static str, value: &impl serde::Serialize) -> Result<Vec<u8>, ReportError> {
    serde_json::to_vec_pretty(value).map_err(|source| ReportError::Json { file, source })
}

/// Writes every report of `run` into `dir` (created if missing), then signs them.
pub fn write_reports(
    dir: &Path,
    run: &SuiteRun,
    options: &ReportOptions,
) -> Result<Written, ReportError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
        path: dir.to_owned(),
        source,
    })?;
    let summary = summary::build(run, options);
    write(dir, SUMMARY, &json(SUMMARY, &summary)?)?;
    let junit = junit::render(&summary).map_err(|source| ReportError::Junit { source })?;
    write(dir, JUNIT, junit.as_bytes())?;
    write(dir, CUCUMBER, &json(CUCUMBER, &cucumber_json::render(run))?)?;
    let page = html::render(&summary, &run.outcome.scenarios)
        .map_err(|source| ReportError::Html { source })?;
    write(dir, HTML, page.as_bytes())?;
    let transcripts: Vec<serde_json::Value> = run
        .outcome
        .scenarios
        .iter()
        .map(|s| {
            serde_json::json!({
                "file": s.feature_path,
                "line": s.line,
                "scenario": s.scenario,
                "transcript": s.transcript,
            })
        })
        .collect();
    write(dir, TRANSCRIPTS, &json(TRANSCRIPTS, &transcripts)?)?;
    let mut files: Vec<String> = [SUMMARY, JUNIT, CUCUMBER, HTML, TRANSCRIPTS]
        .map(str::to_owned)
        .to_vec();
    let attestation_problem = match &options.trust_dir {
        None => Some("no trust directory given: reports are not signed".to_owned()),
        Some(trust) => match sign_dir(dir, run, &summary, options, trust) {
            Ok(()) => {
                files.push(ATTESTATION.to_owned());
                None
            }
            Err(e) => Some(e.to_string()),
        },
    };
    Ok(Written {
        dir: dir.to_owned(),
        files,
        summary,
        attestation_problem,
    })
}

fn sign_dir(
    dir: &Path,
    run: &SuiteRun,
    summary: &summary::Summary,
    options: &ReportOptions,
    trust: &Path,
) -> Result<(), attest::AttestError> {
    let trust = TrustDir::open(trust)?;
    let verdict = serde_json::to_value(summary.verdict)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let claims = attest::Claims {
        format: attest::FORMAT.to_owned(),
        harness: attest::HarnessClaims {
            version: summary.harness.version.clone(),
            git_commit: summary.harness.git_commit.clone(),
        },
        features_sha256: options
            .features_dir
            .as_deref()
            .and_then(|d| provenance::tree_hash(d).ok()),
        schemas_sha256: provenance::schemas_hash(),
        suite: run.suite.as_str().to_owned(),
        sut: run.sut.clone(),
        started_at: run.started_at.to_rfc3339(),
        finished_at: run.finished_at.to_rfc3339(),
        verdict,
        files: attest::hash_files(dir, ATTESTATION)?,
        issued_at: chrono::Utc::now().to_rfc3339(),
    };
    let jws = attest::sign(&claims, &trust)?;
    let path = dir.join(ATTESTATION);
    std::fs::write(&path, jws).map_err(|source| attest::AttestError::Io { path, source })
}
