//! One run of a suite as the reports see it ([`SuiteRun`]), and which scenarios a run selects
//! ([`Selection`]: `--tags EXPR`, `--scenario FILE:LINE`).

use super::outcome::SuiteOutcome;
use chrono::{DateTime, Utc};
use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::gherkin::{Feature, Rule, Scenario};
use cucumber::tag::Ext as _;
use serde::Serialize;

/// Which side was judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SuiteKind {
    /// A bank's Control API (the harness plays police).
    Bank,
    /// A police implementation (the harness plays every counterparty).
    Police,
}

impl SuiteKind {
    /// `bank` or `police` (the `test` subcommand's name).
    pub fn as_str(self) -> &'static str {
        match self {
            SuiteKind::Bank => "bank",
            SuiteKind::Police => "police",
        }
    }
}

/// Everything a report needs about one run of one suite.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SuiteRun {
    /// Which suite.
    pub suite: SuiteKind,
    /// The system under test: the bank's base URL, or the police trigger (template or URL).
    pub sut: String,
    /// When the run started.
    pub started_at: DateTime<Utc>,
    /// When it finished.
    pub finished_at: DateTime<Utc>,
    /// Seed of the synthetic data, when the suite generated any.
    pub seed: Option<u64>,
    /// `@strict` scenarios count as mandatory.
    pub strict: bool,
    /// The `--tags` expression, if any.
    pub tags: Option<String>,
    /// Responses requested as plain JSON (test mode) instead of JWE.
    pub plain_json: bool,
    /// The scenarios.
    pub outcome: SuiteOutcome,
}

/// Which scenarios run.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// A cucumber tag expression (`@mandatory and not @strict`).
    pub tags: Option<TagOperation>,
    /// One scenario: feature file name (as in reports) and line (the example row's line for
    /// outline rows) — what the reproduce command of a failing scenario passes.
    pub scenario: Option<(String, usize)>,
    /// The `--tags` expression as given.
    pub tags_text: Option<String>,
}

/// Why a run judged nothing: never a pass (docs/exit-codes.md, exit 2).
#[derive(Debug, thiserror::Error)]
pub enum NothingRan {
    /// The features directory does not exist or cannot be read.
    #[error("features directory {dir}: {reason}")]
    FeaturesDir {
        /// The directory.
        dir: String,
        /// What is wrong.
        reason: String,
    },
    /// Gherkin that does not parse.
    #[error("the features could not be parsed (nothing was run):\n  {}", .0.join("\n  "))]
    Parse(Vec<String>),
    /// The filter matched no scenario.
    #[error("no scenario matched {filter}: nothing was run, so there is no verdict")]
    NoScenario {
        /// The filter, as the user gave it.
        filter: String,
    },
}

/// Checks before a run that `dir` holds `.feature` files to run.
pub(crate) fn check_features_dir(dir: &std::path::Path) -> Result<(), NothingRan> {
    let fail = |reason: String| NothingRan::FeaturesDir {
        dir: dir.display().to_string(),
        reason,
    };
    let entries = std::fs::read_dir(dir).map_err(|e| fail(e.to_string()))?;
    let any = entries
        .filter_map(Result::ok)
        .any(|e| e.path().extension().is_some_and(|x| x == "feature"));
    if any {
        Ok(())
    } else {
        Err(fail("holds no .feature file".to_owned()))
    }
}

/// Checks after a run that it judged something: no unparsable feature, at least one scenario.
pub(crate) fn check_ran(
    outcome: &SuiteOutcome,
    selection: &Selection,
    parse_errors: Vec<String>,
) -> Result<(), NothingRan> {
    if !parse_errors.is_empty() {
        return Err(NothingRan::Parse(parse_errors));
    }
    if outcome.scenarios.is_empty() {
        return Err(NothingRan::NoScenario {
            filter: selection.describe(),
        });
    }
    Ok(())
}

/// A `--tags` or `--scenario` value that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SelectionError {
    /// Tag expression syntax.
    #[error("--tags {0:?}: not a tag expression (example: '@mandatory and not @spec-5.7'): {1}")]
    Tags(String, String),
    /// `FILE:LINE` syntax.
    #[error("--scenario {0:?}: expected FILE.feature:LINE, e.g. tokens.feature:12")]
    Scenario(String),
}

impl Selection {
    /// Parses the CLI values.
    pub fn parse(tags: Option<&str>, scenario: Option<&str>) -> Result<Self, SelectionError> {
        let tags_raw = tags;
        let tags = tags
            .filter(|t| !t.trim().is_empty())
            .map(|t| {
                t.parse::<TagOperation>()
                    .map_err(|e| SelectionError::Tags(t.to_owned(), e.to_string()))
            })
            .transpose()?;
        let scenario = scenario
            .map(|s| {
                let (file, line) = s
                    .rsplit_once(':')
                    .ok_or_else(|| SelectionError::Scenario(s.to_owned()))?;
                let line = line
                    .parse::<usize>()
                    .map_err(|_| SelectionError::Scenario(s.to_owned()))?;
                let file = file.rsplit('/').next().unwrap_or(file).to_owned();
                Ok((file, line))
            })
            .transpose()?;
        Ok(Self {
            tags,
            scenario,
            tags_text: tags_text(tags_raw),
        })
    }

    /// The filter as the user gave it, for messages.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(t) = &self.tags_text {
            parts.push(format!("--tags {t:?}"));
        }
        if let Some((file, line)) = &self.scenario {
            parts.push(format!(
                "--scenario {file}:{line} (the line of a scenario or of an outline's example \
                 row; not of a Scenario Outline: or Examples: line)"
            ));
        }
        if parts.is_empty() {
            "the features (they hold no scenario)".to_owned()
        } else {
            parts.join(" and ")
        }
    }

    /// Whether the scenario runs (tags of feature, rule and scenario all count, as in cucumber).
    pub fn matches(&self, feature: &Feature, rule: Option<&Rule>, scenario: &Scenario) -> bool {
        if let Some((file, line)) = &self.scenario {
            let key = super::transcript::scenario_key(feature, scenario);
            if &key.0 != file || key.1 != *line {
                return false;
            }
        }
        match &self.tags {
            None => true,
            Some(op) => {
                let tags: Vec<&str> = feature
                    .tags
                    .iter()
                    .chain(rule.map(|r| r.tags.iter()).into_iter().flatten())
                    .chain(scenario.tags.iter())
                    .map(String::as_str)
                    .collect();
                op.eval(tags.iter())
            }
        }
    }
}

fn tags_text(raw: Option<&str>) -> Option<String> {
    raw.filter(|t| !t.trim().is_empty()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_parses_and_rejects() {
        let s = Selection::parse(
            Some("@mandatory and not @spec-5.7"),
            Some("features/bank/tokens.feature:12"),
        )
        .expect("valid");
        assert_eq!(s.scenario, Some(("tokens.feature".to_owned(), 12)));
        assert!(s.tags.is_some());
        assert!(Selection::parse(Some("@a and and"), None).is_err());
        assert!(Selection::parse(None, Some("tokens.feature")).is_err());
        assert!(Selection::parse(None, Some("tokens.feature:x")).is_err());
        assert!(Selection::parse(Some("  "), None)
            .expect("empty")
            .tags
            .is_none());
    }
}
