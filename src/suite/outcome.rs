//! Scenario outcomes and the verdict of a suite run.
//!
//! Verdict rules (docs/verdicts.md): a failed `@mandatory` scenario fails the run; a failed
//! `@recommended` scenario is a warning (DSOP phrases those checks as recommendations); a failed
//! `@strict` scenario fails only in strict mode; a scenario whose tags are unusable fails (a
//! defect of the suite is never silently ignored); skipped scenarios (e.g. data-exact ones
//! without a fixture pack) are reported as skipped and do not change the verdict.

use super::expected::ExpectedFailures;
use super::meta::ScenarioMeta;
use crate::rules::Level;
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
    /// Every request the scenario caused and its answer, masked (`super::transcript`).
    pub transcript: Vec<super::transcript::TranscriptEntry>,
}

impl ScenarioOutcome {
    /// The first failure message, if any.
    pub fn failure(&self) -> Option<&str> {
        self.steps.iter().find_map(|s| s.error.as_deref())
    }

    /// How the scenario is reported, given the expected-failures list
    /// (`super::expected`).
    pub fn judgement(&self, strict: bool, expected: &ExpectedFailures) -> Judgement {
        let listed = expected.find(self).is_some();
        match (self.effect(strict), self.status) {
            (_, ScenarioStatus::Skipped) => Judgement::Skipped,
            (_, ScenarioStatus::Passed) if listed && self.meta.is_ok() => Judgement::UnexpectedPass,
            (Effect::None, _) => Judgement::Passed,
            (Effect::Failure | Effect::Warning, _) if listed && self.meta.is_ok() => {
                Judgement::ExpectedFailure
            }
            (Effect::Failure, _) => Judgement::Failed,
            (Effect::Warning, _) => Judgement::Warning,
        }
    }

    /// The scenario's effect on the verdict (no expected failures).
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

/// How a scenario is reported: its status, its level and the expected-failures list together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Judgement {
    /// Every step passed.
    Passed,
    /// Failed and fails the run (a `@mandatory` scenario, `@strict` in strict mode, or a
    /// scenario whose tags are unusable).
    Failed,
    /// Failed, but only a warning (`@recommended`, or `@strict` without strict mode).
    Warning,
    /// Failed, and on the expected-failures list (an agreed deviation): neither a pass nor a
    /// failure.
    ExpectedFailure,
    /// Passed although on the expected-failures list: the entry is stale (a warning).
    UnexpectedPass,
    /// Skipped (e.g. data-exact without a fixture pack).
    Skipped,
}

impl Judgement {
    /// What it does to the verdict.
    pub fn effect(self) -> Effect {
        match self {
            Judgement::Failed => Effect::Failure,
            Judgement::Warning | Judgement::UnexpectedPass => Effect::Warning,
            Judgement::Passed | Judgement::ExpectedFailure | Judgement::Skipped => Effect::None,
        }
    }

    /// The word reports use, e.g. `expected failure`.
    pub fn as_str(self) -> &'static str {
        match self {
            Judgement::Passed => "passed",
            Judgement::Failed => "failed",
            Judgement::Warning => "warning",
            Judgement::ExpectedFailure => "expected failure",
            Judgement::UnexpectedPass => "unexpected pass",
            Judgement::Skipped => "skipped",
        }
    }

    /// Every judgement, in report order.
    pub const ALL: [Judgement; 6] = [
        Judgement::Passed,
        Judgement::Failed,
        Judgement::Warning,
        Judgement::ExpectedFailure,
        Judgement::UnexpectedPass,
        Judgement::Skipped,
    ];
}

/// What a scenario does to the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
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
    /// Nothing mandatory failed, but at least one `@mandatory` scenario was skipped: the run
    /// cannot vouch for what it did not run (each skipped scenario carries its reason).
    Incomplete,
}

impl Verdict {
    /// How reports show it: `PASS`, `PASS WITH WARNINGS`, `FAIL`.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::PassWithWarnings => "PASS WITH WARNINGS",
            Verdict::Fail => "FAIL",
            Verdict::Incomplete => "INCOMPLETE",
        }
    }

    /// The documented exit code (0 pass, 1 failure, 4 incomplete; docs/exit-codes.md).
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Pass | Verdict::PassWithWarnings => crate::exit::SUCCESS,
            Verdict::Fail => crate::exit::FAILURE,
            Verdict::Incomplete => crate::exit::INCOMPLETE,
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
        self.verdict_with(strict, &ExpectedFailures::none())
    }

    /// The verdict with agreed deviations: a listed failure does not fail the run, a listed
    /// scenario that passes is a warning.
    pub fn verdict_with(&self, strict: bool, expected: &ExpectedFailures) -> Verdict {
        let effects: Vec<Effect> = self
            .scenarios
            .iter()
            .map(|s| s.judgement(strict, expected).effect())
            .collect();
        if effects.contains(&Effect::Failure) {
            Verdict::Fail
        } else if self.skipped_mandatory().next().is_some() {
            Verdict::Incomplete
        } else if effects.contains(&Effect::Warning) {
            Verdict::PassWithWarnings
        } else {
            Verdict::Pass
        }
    }

    /// The `@mandatory` scenarios that were skipped (a scenario whose tags cannot be read is
    /// judged a failure, not counted here).
    pub fn skipped_mandatory(&self) -> impl Iterator<Item = &ScenarioOutcome> {
        self.scenarios.iter().filter(|s| {
            s.status == ScenarioStatus::Skipped
                && s.meta.as_ref().is_ok_and(|m| m.level == Level::Mandatory)
        })
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
