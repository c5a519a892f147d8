//! Scenario outcomes and the verdict of a suite run.
//!
//! Verdict rules (docs/verdicts.md): a failed `@mandatory` scenario fails the run; a failed
//! `@recommended` scenario is a warning (DSOP phrases those checks as recommendations); a failed
//! `@strict` scenario fails only in strict mode; a scenario whose tags are unusable fails (a
//! defect of the suite is never silently ignored); skipped scenarios (e.g. data-exact ones
//! without a fixture pack) are reported as skipped and do not change the verdict.

use super::meta::ScenarioMeta;
use crate::requirements::Level;
use serde::Serialize;

/// How one step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum StepStatus {
    /// Passed.
    Passed,
    /// Failed (assertion, error, or no matching step definition).
    Failed,
    /// Skipped by the scenario (e.g. data-exact without fixtures).
    Skipped,
}

/// One step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepOutcome {
    /// `Given`, `When`, `Then`, ...
    pub keyword: String,
    /// The step text.
    pub text: String,
    /// How it ended.
    pub status: StepStatus,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// How one scenario ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ScenarioStatus {
    /// Every step passed.
    Passed,
    /// A step failed.
    Failed,
    /// The scenario was skipped (reported, not counted against the verdict).
    Skipped,
}

/// One scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioOutcome {
    /// Feature name.
    pub feature: String,
    /// Feature file, relative to the features directory when known.
    pub feature_path: String,
    /// Scenario name (outline rows carry their example values in it).
    pub scenario: String,
    /// Line of the scenario (of the example row for outlines).
    pub line: usize,
    /// What its tags mean, or why they are unusable.
    pub meta: Result<ScenarioMeta, String>,
    /// How it ended.
    pub status: ScenarioStatus,
    /// Its steps, in order.
    pub steps: Vec<StepOutcome>,
    /// Wall time in milliseconds.
    pub duration_ms: u64,
}

impl ScenarioOutcome {
    /// The first failure message, if any.
    pub fn failure(&self) -> Option<&str> {
        self.steps.iter().find_map(|s| s.error.as_deref())
    }

    /// The scenario's effect on the verdict.
    pub fn effect(&self, strict: bool) -> Effect {
        match (&self.meta, self.status) {
            (Err(_), _) => Effect::Failure,
            (_, ScenarioStatus::Passed) | (_, ScenarioStatus::Skipped) => Effect::None,
            (Ok(meta), ScenarioStatus::Failed) => match meta.level {
                Level::Mandatory => Effect::Failure,
                Level::Strict if strict => Effect::Failure,
                Level::Recommended | Level::Strict => Effect::Warning,
            },
        }
    }
}

/// What a scenario does to the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Effect {
    /// Nothing.
    None,
    /// A warning.
    Warning,
    /// Fails the run.
    Failure,
}

/// The run's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    /// Every mandatory scenario passed and nothing else failed.
    Pass,
    /// Every mandatory scenario passed; some recommended ones failed.
    PassWithWarnings,
    /// A mandatory scenario failed (or the suite itself is defective).
    Fail,
}

impl Verdict {
    /// The documented exit code (0 pass, 1 failure).
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Pass | Verdict::PassWithWarnings => crate::cli::exit::SUCCESS,
            Verdict::Fail => crate::cli::exit::FAILURE,
        }
    }
}

/// Every scenario of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SuiteOutcome {
    /// In the order they finished.
    pub scenarios: Vec<ScenarioOutcome>,
}

impl SuiteOutcome {
    /// The verdict (`strict` turns `@strict` failures into failures).
    pub fn verdict(&self, strict: bool) -> Verdict {
        let effects: Vec<Effect> = self.scenarios.iter().map(|s| s.effect(strict)).collect();
        if effects.contains(&Effect::Failure) {
            Verdict::Fail
        } else if effects.contains(&Effect::Warning) {
            Verdict::PassWithWarnings
        } else {
            Verdict::Pass
        }
    }

    /// `(passed, failed, skipped)` scenario counts.
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |s: ScenarioStatus| self.scenarios.iter().filter(|o| o.status == s).count();
        (
            count(ScenarioStatus::Passed),
            count(ScenarioStatus::Failed),
            count(ScenarioStatus::Skipped),
        )
    }
}
