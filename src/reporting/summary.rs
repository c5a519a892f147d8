//! `summary.json`: the machine-readable result of one run (schema
//! `schemas/summary.schema.json`). Every other report is rendered from the same [`Summary`], so
//! the JUnit, Cucumber JSON and HTML reports cannot disagree with it.

use super::ReportOptions;
use crate::rules::{Level, Side, CATALOGUE};
use crate::suite::expected::ExpectedFailure;
use crate::suite::outcome::{Judgement, ScenarioOutcome, ScenarioStatus, Verdict};
use crate::suite::run::{SuiteKind, SuiteRun};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// `format` of every summary this version writes.
pub(crate) const FORMAT: &str = "dsop-harness/summary@1";

/// The harness that judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HarnessInfo {
    /// `Cargo.toml` version.
    pub version: String,
    /// Git commit, when known (see [`super::provenance::git_commit`]).
    pub git_commit: Option<String>,
}

/// Scenario counts by judgement.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Scenarios run.
    pub scenarios: usize,
    /// Passed.
    pub passed: usize,
    /// Failed and failing the run.
    pub failed: usize,
    /// Failed, warning only.
    pub warning: usize,
    /// Failed as agreed.
    pub expected_failure: usize,
    /// Passed although listed as an expected failure.
    pub unexpected_pass: usize,
    /// Skipped.
    pub skipped: usize,
}

/// One scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioSummary {
    /// Feature name.
    pub feature: String,
    /// Feature file name.
    pub file: String,
    /// Line of the scenario (example row for outlines).
    pub line: usize,
    /// Scenario name.
    pub name: String,
    /// Level from its tags; `None` when its tags are unusable.
    pub level: Option<Level>,
    /// Digest sections (`@spec-` tags).
    pub sections: Vec<String>,
    /// Requirement IDs (`@req-` tags).
    pub requirements: Vec<String>,
    /// Every tag, without `@`.
    pub tags: Vec<String>,
    /// How it ended.
    pub status: ScenarioStatus,
    /// How it is reported.
    pub judgement: Judgement,
    /// The step that failed (`Then ...`), if one did.
    pub failed_step: Option<String>,
    /// The failure message (or why its tags are unusable).
    pub failure: Option<String>,
    /// The reason from the expected-failures list, when listed.
    pub expected_reason: Option<String>,
    /// Wall time.
    pub duration_ms: u64,
    /// Requests in its transcript.
    pub exchanges: usize,
    /// Command that runs just this scenario again, when known.
    pub reproduce: Option<String>,
}

impl ScenarioSummary {
    /// The rule lines of a failure: each requirement with its digest section and text, or the
    /// scenario's `@spec-` sections when it names no requirement.
    pub fn rules(&self) -> Vec<String> {
        let mut rules: Vec<String> = self
            .requirements
            .iter()
            .filter_map(|id| crate::rules::find(id))
            .map(|r| format!("{} (digest {}): {}", r.id, r.section, r.text))
            .collect();
        if rules.is_empty() && !self.sections.is_empty() {
            rules.push(format!("digest {}", self.sections.join(", ")));
        }
        rules
    }
}

/// One scenario as a coverage row names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioRef {
    /// Index into [`Summary::scenarios`].
    pub index: usize,
    /// Feature file name.
    pub file: String,
    /// Line.
    pub line: usize,
    /// Name.
    pub name: String,
    /// How it is reported.
    pub judgement: Judgement,
}

/// A requirement or section with the scenarios that check it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Coverage {
    /// Requirement ID, or digest section.
    pub id: String,
    /// Digest section(s) of a requirement (empty for a section row).
    pub section: String,
    /// How binding (requirement rows).
    pub level: Option<Level>,
    /// The rule in one sentence (requirement rows).
    pub text: String,
    /// The scenarios, in run order.
    pub scenarios: Vec<ScenarioRef>,
    /// The worst judgement of its scenarios, or `not-covered`.
    pub verdict: String,
}

/// `summary.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// [`FORMAT`].
    pub format: String,
    /// Who judged.
    pub harness: HarnessInfo,
    /// Which suite.
    pub suite: SuiteKind,
    /// The system under test.
    pub sut: String,
    /// Start.
    pub started_at: DateTime<Utc>,
    /// End.
    pub finished_at: DateTime<Utc>,
    /// Wall time.
    pub duration_ms: u64,
    /// Seed of generated data.
    pub seed: Option<u64>,
    /// `@strict` counted as mandatory.
    pub strict: bool,
    /// `--tags`.
    pub tags: Option<String>,
    /// Plain JSON instead of JWE (test mode).
    pub plain_json: bool,
    /// The verdict (expected failures applied).
    pub verdict: Verdict,
    /// Counts.
    pub counts: Counts,
    /// Every scenario, in the order they finished.
    pub scenarios: Vec<ScenarioSummary>,
    /// Every catalogued requirement binding the judged side, with its scenarios.
    pub requirements: Vec<Coverage>,
    /// Every digest section the scenarios' `@spec-` tags name.
    pub sections: Vec<Coverage>,
    /// Expected-failure entries that matched no scenario of this run.
    pub unused_expected_failures: Vec<ExpectedFailure>,
}

fn rank(j: Judgement) -> u8 {
    match j {
        Judgement::Skipped => 0,
        Judgement::Passed => 1,
        Judgement::UnexpectedPass => 2,
        Judgement::ExpectedFailure => 3,
        Judgement::Warning => 4,
        Judgement::Failed => 5,
    }
}

fn worst(refs: &[ScenarioRef]) -> String {
    refs.iter()
        .map(|r| r.judgement)
        .max_by_key(|j| rank(*j))
        .map_or_else(
            || "not-covered".to_owned(),
            |j| j.as_str().replace(' ', "-"),
        )
}

fn section_key(section: &str) -> Vec<u32> {
    section
        .split('.')
        .map(|p| p.trim().parse().unwrap_or(u32::MAX))
        .collect()
}

/// Builds the summary of `run`.
pub(crate) fn build(run: &SuiteRun, options: &ReportOptions) -> Summary {
    let expected = &options.expected;
    let scenarios: Vec<ScenarioSummary> = run
        .outcome
        .scenarios
        .iter()
        .map(|s| scenario(s, run.strict, options))
        .collect();
    let mut counts = Counts {
        scenarios: scenarios.len(),
        ..Counts::default()
    };
    for s in &scenarios {
        *match s.judgement {
            Judgement::Passed => &mut counts.passed,
            Judgement::Failed => &mut counts.failed,
            Judgement::Warning => &mut counts.warning,
            Judgement::ExpectedFailure => &mut counts.expected_failure,
            Judgement::UnexpectedPass => &mut counts.unexpected_pass,
            Judgement::Skipped => &mut counts.skipped,
        } += 1;
    }
    let reference = |i: usize, s: &ScenarioSummary| ScenarioRef {
        index: i,
        file: s.file.clone(),
        line: s.line,
        name: s.name.clone(),
        judgement: s.judgement,
    };
    let party = match run.suite {
        SuiteKind::Bank => Side::Bank,
        SuiteKind::Police => Side::Police,
    };
    let requirements = CATALOGUE
        .iter()
        .filter(|r| r.side == party)
        .map(|r| {
            let refs: Vec<ScenarioRef> = scenarios
                .iter()
                .enumerate()
                .filter(|(_, s)| s.requirements.iter().any(|id| id == r.id))
                .map(|(i, s)| reference(i, s))
                .collect();
            Coverage {
                id: r.id.to_owned(),
                section: r.section.to_owned(),
                level: Some(r.level),
                text: r.text.to_owned(),
                verdict: worst(&refs),
                scenarios: refs,
            }
        })
        .collect();
    let mut by_section: BTreeMap<Vec<u32>, (String, Vec<ScenarioRef>)> = BTreeMap::new();
    for (i, s) in scenarios.iter().enumerate() {
        for section in &s.sections {
            by_section
                .entry(section_key(section))
                .or_insert_with(|| (section.clone(), Vec::new()))
                .1
                .push(reference(i, s));
        }
    }
    let sections = by_section
        .into_values()
        .map(|(section, refs)| Coverage {
            id: section,
            section: String::new(),
            level: None,
            text: String::new(),
            verdict: worst(&refs),
            scenarios: refs,
        })
        .collect();
    Summary {
        format: FORMAT.to_owned(),
        harness: HarnessInfo {
            version: super::provenance::harness_version().to_owned(),
            git_commit: options.git_commit.clone(),
        },
        suite: run.suite,
        sut: run.sut.clone(),
        started_at: run.started_at,
        finished_at: run.finished_at,
        duration_ms: (run.finished_at - run.started_at).num_milliseconds().max(0) as u64,
        seed: run.seed,
        strict: run.strict,
        tags: run.tags.clone(),
        plain_json: run.plain_json,
        verdict: run.outcome.verdict_with(run.strict, expected),
        counts,
        scenarios,
        requirements,
        sections,
        unused_expected_failures: expected
            .unused(&run.outcome.scenarios)
            .into_iter()
            .cloned()
            .collect(),
    }
}

fn scenario(s: &ScenarioOutcome, strict: bool, options: &ReportOptions) -> ScenarioSummary {
    let judgement = s.judgement(strict, &options.expected);
    let failed = s
        .steps
        .iter()
        .find(|st| st.status == crate::suite::outcome::StepStatus::Failed);
    let (level, sections, requirements, tags, meta_error) = match &s.meta {
        Ok(m) => (
            Some(m.level),
            m.sections.clone(),
            m.requirements.clone(),
            m.tags.clone(),
            None,
        ),
        Err(e) => (None, Vec::new(), Vec::new(), Vec::new(), Some(e.clone())),
    };
    let failure = meta_error.or_else(|| {
        (s.status == ScenarioStatus::Failed)
            .then(|| s.failure().unwrap_or("(no message)").to_owned())
    });
    ScenarioSummary {
        feature: s.feature.clone(),
        file: s.feature_path.clone(),
        line: s.line,
        name: s.scenario.clone(),
        level,
        sections,
        requirements,
        tags,
        status: s.status,
        judgement,
        failed_step: failed.map(|st| format!("{} {}", st.keyword, st.text)),
        failure,
        expected_reason: options.expected.find(s).map(|e| e.reason.clone()),
        duration_ms: s.duration_ms,
        exchanges: s.transcript.len(),
        reproduce: options
            .reproduce_prefix
            .as_ref()
            .map(|prefix| format!("{prefix} --scenario {}:{}", s.feature_path, s.line)),
    }
}
