//! Expected failures: known deviations of a system under test agreed with DSOP forvaltning
//! (`--expected-failures FILE`). A scenario on the list that fails is reported as an *expected
//! failure* — neither a pass nor a failure, and it does not fail the run; a scenario on the
//! list that passes is reported as an *unexpected pass* (a warning: the deviation is fixed and
//! the entry should go). Entries that match no scenario of the run are listed as unused.
//!
//! The file is TOML (schema `schemas/expected-failures.schema.json`):
//!
//! ```toml
//! [[expected]]
//! feature = "tokens.feature"              # feature file name
//! scenario = "a token that is expired is refused: 401 ACC-010"   # scenario name (or `line = 12`)
//! reason = "token expiry enforced from release 4.2 (agreed 2025-03-01, ref DSOP-123)"
//! ```

use super::outcome::ScenarioOutcome;
use crate::schema::MessageKind;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One agreed deviation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFailure {
    /// Feature file name, e.g. `tokens.feature`.
    pub feature: String,
    /// Scenario name (exact); one of `scenario` and `line` is needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// Scenario line (of the example row for outlines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Why, and the agreement with DSOP forvaltning (reference, date).
    pub reason: String,
}

impl ExpectedFailure {
    /// Whether this entry names `outcome`.
    pub fn matches(&self, outcome: &ScenarioOutcome) -> bool {
        self.feature == outcome.feature_path
            && self
                .scenario
                .as_ref()
                .is_none_or(|s| *s == outcome.scenario)
            && self.line.is_none_or(|l| l == outcome.line)
    }
}

/// The list given with `--expected-failures` (empty without one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFailures {
    /// The entries.
    #[serde(default)]
    pub expected: Vec<ExpectedFailure>,
}

/// Why an expected-failures file cannot be used (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ExpectedFailuresError {
    /// Unreadable.
    #[error("--expected-failures {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Not TOML.
    #[error("--expected-failures {path}: not TOML: {message}")]
    Toml {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// TOML, but not the documented shape.
    #[error("--expected-failures {path}: {violations} (see docs/forvaltning.md)")]
    Schema {
        /// The file.
        path: PathBuf,
        /// Every violation, `; `-joined.
        violations: String,
    },
}

impl ExpectedFailures {
    /// No entries.
    pub fn none() -> Self {
        Self::default()
    }

    /// Reads and validates a file.
    pub fn load(path: &Path) -> Result<Self, ExpectedFailuresError> {
        let text = std::fs::read_to_string(path).map_err(|source| ExpectedFailuresError::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text).map_err(|e| match e {
            ParseError::Toml(message) => ExpectedFailuresError::Toml {
                path: path.to_owned(),
                message,
            },
            ParseError::Schema(violations) => ExpectedFailuresError::Schema {
                path: path.to_owned(),
                violations,
            },
        })
    }

    /// Parses TOML text and validates it against `expected-failures.schema.json`.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let table: toml::Table =
            toml::from_str(text).map_err(|e| ParseError::Toml(e.to_string()))?;
        let value = serde_json::to_value(&table).map_err(|e| ParseError::Toml(e.to_string()))?;
        crate::schema::validate(MessageKind::ExpectedFailures, &value).map_err(|violations| {
            ParseError::Schema(
                violations
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        serde_json::from_value(value).map_err(|e| ParseError::Schema(e.to_string()))
    }

    /// The entry naming `outcome`, if any.
    pub fn find(&self, outcome: &ScenarioOutcome) -> Option<&ExpectedFailure> {
        self.expected.iter().find(|e| e.matches(outcome))
    }

    /// Entries that match none of `scenarios`.
    pub fn unused<'a>(&'a self, scenarios: &[ScenarioOutcome]) -> Vec<&'a ExpectedFailure> {
        self.expected
            .iter()
            .filter(|e| !scenarios.iter().any(|s| e.matches(s)))
            .collect()
    }
}

/// Why expected-failures text cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Not TOML.
    #[error("not TOML: {0}")]
    Toml(String),
    /// Not the documented shape.
    #[error("{0}")]
    Schema(String),
}
