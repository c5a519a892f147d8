//! `cucumber.json`: the Cucumber JSON report format (the one cucumber-jvm/cucumber-js write and
//! CI plugins read), generated from our own [`SuiteOutcome`](crate::suite::outcome::SuiteOutcome)
//! so the bank and the police suite produce it identically whatever runs their scenarios.
//!
//! Limits of the format: steps carry the scenario's line (the recorder keeps no step lines)
//! and no per-step duration; statuses are the raw step statuses (`passed`, `failed`,
//! `skipped`) — the judgement (warning, expected failure) is in `summary.json` and the HTML.

use crate::suite::outcome::{ScenarioOutcome, StepStatus};
use crate::suite::run::SuiteRun;
use serde_json::{json, Value};

fn slug(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

fn element(s: &ScenarioOutcome) -> Value {
    let tags: Vec<Value> = match &s.meta {
        Ok(m) => m
            .tags
            .iter()
            .map(|t| json!({"name": format!("@{t}"), "line": s.line.saturating_sub(1)}))
            .collect(),
        Err(_) => Vec::new(),
    };
    let steps: Vec<Value> = s
        .steps
        .iter()
        .map(|st| {
            let status = match st.status {
                StepStatus::Passed => "passed",
                StepStatus::Failed => "failed",
                StepStatus::Skipped => "skipped",
            };
            let mut result = json!({"status": status});
            if let Some(error) = &st.error {
                result["error_message"] = json!(error);
            }
            json!({
                "keyword": format!("{} ", st.keyword),
                "name": st.text,
                "line": s.line,
                "result": result,
            })
        })
        .collect();
    json!({
        "id": format!("{};{}", slug(&s.feature), slug(&s.scenario)),
        "keyword": "Scenario",
        "type": "scenario",
        "name": s.scenario,
        "description": "",
        "line": s.line,
        "tags": tags,
        "steps": steps,
    })
}

/// Renders the Cucumber JSON of `run`: features in first-finished order, scenarios in the
/// order they finished.
pub(crate) fn render(run: &SuiteRun) -> Value {
    let mut features: Vec<(String, String, Vec<Value>)> = Vec::new();
    for s in &run.outcome.scenarios {
        let element = element(s);
        match features.iter_mut().find(|(f, _, _)| *f == s.feature_path) {
            Some((_, _, elements)) => elements.push(element),
            None => features.push((s.feature_path.clone(), s.feature.clone(), vec![element])),
        }
    }
    Value::Array(
        features
            .into_iter()
            .map(|(file, name, elements)| {
                json!({
                    "uri": format!("features/{}/{file}", run.suite.as_str()),
                    "id": slug(&name),
                    "keyword": "Feature",
                    "name": name,
                    "description": "",
                    "line": 1,
                    "tags": [],
                    "elements": elements,
                })
            })
            .collect(),
    )
}
