//! `report.html`: one self-contained page (inline CSS, no scripts, no external assets; works
//! offline and from a mail attachment) with the verdict, every feature and scenario with its
//! steps, the requirement-coverage table, and every scenario's masked transcript (payloads
//! decrypted and pretty-printed).
//!
//! The page is `templates/report.html` (embedded), rendered by minijinja with HTML autoescape:
//! every value reaches the page escaped, so a body a system under test sent cannot add markup
//! to the report. This module only shapes the summary into what the template shows.

use super::summary::{Coverage, ScenarioSummary, Summary};
use crate::suite::outcome::{Judgement, ScenarioOutcome, StepStatus, Verdict};
use crate::suite::transcript::TranscriptEntry;
use minijinja::Environment;
use serde::Serialize;

/// The page template; its name ends in `.html`, which turns autoescape on.
const TEMPLATE: (&str, &str) = ("report.html", include_str!("../../templates/report.html"));

pub(crate) use minijinja::Error as RenderError;

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::PassWithWarnings => "passWithWarnings",
        Verdict::Fail => "fail",
        Verdict::Incomplete => "incomplete",
    }
}

#[derive(Serialize)]
struct Page<'a> {
    title: String,
    verdict_class: &'static str,
    verdict: &'static str,
    suite: &'static str,
    sut: &'a str,
    counts: Counts,
    facts: Vec<(&'static str, String)>,
    problems: Vec<Problem<'a>>,
    unused: Vec<Unused<'a>>,
    features: Vec<Feature<'a>>,
    requirements: Vec<CoverageRow<'a>>,
    uncovered: usize,
    sections: Vec<CoverageRow<'a>>,
    scenarios: Vec<Scenario<'a>>,
}

#[derive(Serialize)]
struct Counts {
    scenarios: usize,
    passed: usize,
    failed: usize,
    warning: usize,
    expected_failure: usize,
    unexpected_pass: usize,
    skipped: usize,
}

#[derive(Serialize)]
struct Problem<'a> {
    index: usize,
    judgement: &'static str,
    name: &'a str,
    file: &'a str,
    line: usize,
    rules: String,
    message: String,
    reproduce: Option<&'a str>,
}

#[derive(Serialize)]
struct Unused<'a> {
    feature: &'a str,
    scenario: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct Feature<'a> {
    name: &'a str,
    file: &'a str,
    scenarios: Vec<FeatureRow<'a>>,
}

#[derive(Serialize)]
struct FeatureRow<'a> {
    index: usize,
    judgement: &'static str,
    name: &'a str,
    line: usize,
    level: &'static str,
    requirements: &'a [String],
    sections: &'a [String],
    duration_ms: u64,
}

#[derive(Serialize)]
struct CoverageRow<'a> {
    id: &'a str,
    section: &'a str,
    level: &'static str,
    text: &'a str,
    scenarios: Vec<CoverageRef<'a>>,
    /// The badge word (`not covered`, `expected failure`, ...).
    verdict: String,
}

#[derive(Serialize)]
struct CoverageRef<'a> {
    index: usize,
    name: &'a str,
    judgement: &'static str,
}

#[derive(Serialize)]
struct Scenario<'a> {
    index: usize,
    open: bool,
    judgement: &'static str,
    name: &'a str,
    feature: &'a str,
    file: &'a str,
    line: usize,
    expected_reason: Option<&'a str>,
    reproduce: Option<&'a str>,
    steps: Vec<Step<'a>>,
    meta_error: Option<&'a str>,
    transcript: Vec<Exchange<'a>>,
}

#[derive(Serialize)]
struct Step<'a> {
    status: &'static str,
    keyword: &'a str,
    text: &'a str,
    error: Option<&'a str>,
}

#[derive(Serialize)]
struct Exchange<'a> {
    method: &'a str,
    url: &'a str,
    status: String,
    peer: &'a str,
    content_type: Option<&'a str>,
    elapsed_ms: Option<u64>,
    headers: String,
    request_body: Option<&'a str>,
    encryption: Option<&'a str>,
    /// The decrypted payload, pretty-printed.
    response: Option<String>,
    response_text: Option<&'a str>,
    violations: &'a [String],
    error: Option<&'a str>,
    /// The user stub that answered (`mocks serve --stubs`), if one did.
    stub: Option<&'a str>,
}

/// Renders the page. `outcomes` are the run's scenarios in the order of `summary.scenarios`.
pub(crate) fn render(
    summary: &Summary,
    outcomes: &[ScenarioOutcome],
) -> Result<String, RenderError> {
    let mut env = Environment::new();
    env.add_template(TEMPLATE.0, TEMPLATE.1)?;
    env.get_template(TEMPLATE.0)?
        .render(minijinja::value::Serde(page(summary, outcomes)))
}

fn page<'a>(s: &'a Summary, outcomes: &'a [ScenarioOutcome]) -> Page<'a> {
    let c = &s.counts;
    let uncovered = s
        .requirements
        .iter()
        .filter(|r| r.scenarios.is_empty())
        .count();
    Page {
        title: format!(
            "dsop-harness {} suite — {}",
            s.suite.as_str(),
            s.verdict.label()
        ),
        verdict_class: verdict_class(s.verdict),
        verdict: s.verdict.label(),
        suite: s.suite.as_str(),
        sut: &s.sut,
        counts: Counts {
            scenarios: c.scenarios,
            passed: c.passed,
            failed: c.failed,
            warning: c.warning,
            expected_failure: c.expected_failure,
            unexpected_pass: c.unexpected_pass,
            skipped: c.skipped,
        },
        facts: facts(s),
        problems: problems(s),
        unused: s
            .unused_expected_failures
            .iter()
            .map(|e| Unused {
                feature: &e.feature,
                scenario: e.scenario.as_deref().unwrap_or(""),
                reason: &e.reason,
            })
            .collect(),
        features: features(s),
        requirements: s.requirements.iter().map(coverage_row).collect(),
        uncovered,
        sections: s.sections.iter().map(coverage_row).collect(),
        scenarios: s
            .scenarios
            .iter()
            .zip(outcomes)
            .enumerate()
            .map(|(i, (sc, outcome))| scenario(i, sc, outcome))
            .collect(),
    }
}

fn facts(s: &Summary) -> Vec<(&'static str, String)> {
    vec![
        ("Suite", s.suite.as_str().to_owned()),
        ("System under test", s.sut.clone()),
        ("Started", s.started_at.to_rfc3339()),
        ("Finished", s.finished_at.to_rfc3339()),
        (
            "Duration",
            format!("{:.1} s", s.duration_ms as f64 / 1000.0),
        ),
        (
            "Harness",
            format!(
                "{} (commit {})",
                s.harness.version,
                s.harness.git_commit.as_deref().unwrap_or("unknown")
            ),
        ),
        (
            "Strict mode",
            if s.strict { "yes" } else { "no" }.to_owned(),
        ),
        ("Tags", s.tags.clone().unwrap_or_else(|| "(all)".to_owned())),
        (
            "Seed",
            s.seed
                .map_or_else(|| "(none)".to_owned(), |v| v.to_string()),
        ),
        (
            "Responses",
            if s.plain_json {
                "plain JSON (test mode)"
            } else {
                "JWE"
            }
            .to_owned(),
        ),
    ]
}

fn problems(s: &Summary) -> Vec<Problem<'_>> {
    s.scenarios
        .iter()
        .enumerate()
        .filter(|(_, sc)| {
            matches!(
                sc.judgement,
                Judgement::Failed
                    | Judgement::Warning
                    | Judgement::UnexpectedPass
                    | Judgement::ExpectedFailure
            )
        })
        .map(|(index, sc)| Problem {
            index,
            judgement: sc.judgement.as_str(),
            name: &sc.name,
            file: &sc.file,
            line: sc.line,
            rules: sc.rules().join("\n"),
            message: match sc.judgement {
                Judgement::UnexpectedPass => format!(
                    "listed as an expected failure ({}), but passed: remove the entry",
                    sc.expected_reason.as_deref().unwrap_or("")
                ),
                Judgement::ExpectedFailure => format!(
                    "agreed deviation: {} — {}",
                    sc.expected_reason.as_deref().unwrap_or(""),
                    sc.failure.as_deref().unwrap_or("")
                ),
                _ => sc.failure.clone().unwrap_or_default(),
            },
            reproduce: sc.reproduce.as_deref(),
        })
        .collect()
}

fn features(s: &Summary) -> Vec<Feature<'_>> {
    let mut features: Vec<Feature<'_>> = Vec::new();
    for (index, sc) in s.scenarios.iter().enumerate() {
        let row = feature_row(index, sc);
        match features.iter_mut().find(|f| f.file == sc.file) {
            Some(f) => f.scenarios.push(row),
            None => features.push(Feature {
                name: &sc.feature,
                file: &sc.file,
                scenarios: vec![row],
            }),
        }
    }
    features
}

fn feature_row(index: usize, sc: &ScenarioSummary) -> FeatureRow<'_> {
    FeatureRow {
        index,
        judgement: sc.judgement.as_str(),
        name: &sc.name,
        line: sc.line,
        level: sc.level.map_or("invalid tags", |l| l.as_str()),
        requirements: &sc.requirements,
        sections: &sc.sections,
        duration_ms: sc.duration_ms,
    }
}

fn coverage_row(row: &Coverage) -> CoverageRow<'_> {
    CoverageRow {
        id: &row.id,
        section: &row.section,
        level: row.level.map_or("", |l| l.as_str()),
        text: &row.text,
        scenarios: row
            .scenarios
            .iter()
            .map(|r| CoverageRef {
                index: r.index,
                name: &r.name,
                judgement: r.judgement.as_str(),
            })
            .collect(),
        verdict: row.verdict.replace('-', " "),
    }
}

fn scenario<'a>(
    index: usize,
    sc: &'a ScenarioSummary,
    outcome: &'a ScenarioOutcome,
) -> Scenario<'a> {
    Scenario {
        index,
        open: matches!(sc.judgement, Judgement::Failed),
        judgement: sc.judgement.as_str(),
        name: &sc.name,
        feature: &sc.feature,
        file: &sc.file,
        line: sc.line,
        expected_reason: sc.expected_reason.as_deref(),
        reproduce: sc.reproduce.as_deref(),
        steps: outcome
            .steps
            .iter()
            .map(|step| Step {
                status: match step.status {
                    StepStatus::Passed => "passed",
                    StepStatus::Failed => "failed",
                    StepStatus::Skipped => "skipped",
                },
                keyword: &step.keyword,
                text: &step.text,
                error: step.error.as_deref(),
            })
            .collect(),
        meta_error: outcome.meta.as_ref().err().map(String::as_str),
        transcript: outcome.transcript.iter().map(exchange).collect(),
    }
}

fn exchange(e: &TranscriptEntry) -> Exchange<'_> {
    Exchange {
        method: &e.method,
        url: &e.url,
        status: e
            .status
            .map_or_else(|| "no response".to_owned(), |s| s.to_string()),
        peer: &e.peer,
        content_type: e.content_type.as_deref(),
        elapsed_ms: e.elapsed_ms,
        headers: e
            .request_headers
            .iter()
            .map(|(k, v)| format!("{k}: {v}\n"))
            .collect(),
        request_body: e.request_body.as_deref(),
        encryption: e.encryption.as_deref(),
        response: e.response.as_ref().map(|response| {
            serde_json::to_string_pretty(response).unwrap_or_else(|_| response.to_string())
        }),
        response_text: e.response_text.as_deref(),
        violations: &e.violations,
        error: e.error.as_deref(),
        stub: e.stub.as_deref(),
    }
}
