//! `junit.xml`: one `<testsuite>` per feature, one `<testcase>` per scenario, for CI systems
//! (GitHub Actions, GitLab CI) that display JUnit.
//!
//! Mapping: a scenario that fails the run is a `<failure>` whose text names the failed step,
//! the message and each rule with its digest section; a warning (`@recommended`, or `@strict`
//! without `--strict`) and an unexpected pass pass in JUnit and carry the warning in
//! `<system-out>` (the exit code is 0 for them, and JUnit has no warning state); an expected
//! failure and a skipped scenario are `<skipped>` with the reason (a skipped `@mandatory`
//! scenario says that it makes the verdict INCOMPLETE). The root's name carries the verdict.

use super::escape::xml;
use super::summary::{ScenarioSummary, Summary};
use crate::suite::outcome::Judgement;
use std::fmt::Write as _;

fn seconds(ms: u64) -> String {
    format!("{:.3}", ms as f64 / 1000.0)
}

fn failure_text(s: &ScenarioSummary) -> String {
    let mut text = String::new();
    if let Some(step) = &s.failed_step {
        let _ = writeln!(text, "Step: {step}");
    }
    let _ = writeln!(text, "{}", s.failure.as_deref().unwrap_or("(no message)"));
    for rule in s.rules() {
        let _ = writeln!(text, "Rule: {rule}");
    }
    if let Some(cmd) = &s.reproduce {
        let _ = writeln!(text, "Reproduce: {cmd}");
    }
    text
}

/// Renders the JUnit XML of `summary`.
pub fn render(summary: &Summary) -> String {
    let mut features: Vec<(&str, Vec<&ScenarioSummary>)> = Vec::new();
    for s in &summary.scenarios {
        match features.iter_mut().find(|(f, _)| *f == s.file) {
            Some((_, list)) => list.push(s),
            None => features.push((&s.file, vec![s])),
        }
    }
    let count = |list: &[&ScenarioSummary], js: &[Judgement]| {
        list.iter().filter(|s| js.contains(&s.judgement)).count()
    };
    let all: Vec<&ScenarioSummary> = summary.scenarios.iter().collect();
    let skipped = [Judgement::Skipped, Judgement::ExpectedFailure];
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{}\">",
        xml(&format!(
            "dsop-harness {} suite against {} (verdict {})",
            summary.suite.as_str(),
            summary.sut,
            summary.verdict.label()
        )),
        all.len(),
        count(&all, &[Judgement::Failed]),
        count(&all, &skipped),
        seconds(summary.duration_ms)
    );
    for (file, list) in &features {
        let feature = list.first().map_or("", |s| s.feature.as_str());
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" file=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{}\" timestamp=\"{}\">",
            xml(feature),
            xml(file),
            list.len(),
            count(list, &[Judgement::Failed]),
            count(list, &skipped),
            seconds(list.iter().map(|s| s.duration_ms).sum()),
            summary.started_at.format("%Y-%m-%dT%H:%M:%S")
        );
        for s in list {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}.{}\" file=\"{}\" line=\"{}\" time=\"{}\">",
                xml(&s.name),
                summary.suite.as_str(),
                xml(file.trim_end_matches(".feature")),
                xml(file),
                s.line,
                seconds(s.duration_ms)
            );
            match s.judgement {
                Judgement::Passed => {}
                Judgement::Failed => {
                    let _ = write!(
                        out,
                        "\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    ",
                        xml(s.failure.as_deref().unwrap_or("failed")),
                        s.level.map_or("invalid-tags", |l| match l {
                            crate::rules::Level::Mandatory => "mandatory",
                            crate::rules::Level::Recommended => "recommended",
                            crate::rules::Level::Strict => "strict",
                        }),
                        xml(&failure_text(s))
                    );
                }
                Judgement::Warning => {
                    let _ = write!(
                        out,
                        "\n      <system-out>WARNING (not mandatory, does not fail the run)\n{}</system-out>\n    ",
                        xml(&failure_text(s))
                    );
                }
                Judgement::UnexpectedPass => {
                    let _ = write!(
                        out,
                        "\n      <system-out>UNEXPECTED PASS: listed as an expected failure ({}), but passed; remove the entry</system-out>\n    ",
                        xml(s.expected_reason.as_deref().unwrap_or(""))
                    );
                }
                Judgement::ExpectedFailure => {
                    let _ = write!(
                        out,
                        "\n      <skipped message=\"expected failure: {}\"/>\n      <system-out>{}</system-out>\n    ",
                        xml(s.expected_reason.as_deref().unwrap_or("")),
                        xml(&failure_text(s))
                    );
                }
                Judgement::Skipped => {
                    let mandatory = s.level == Some(crate::rules::Level::Mandatory);
                    let _ = write!(
                        out,
                        "\n      <skipped message=\"{}{}\"/>\n    ",
                        if mandatory {
                            "NOT RUN (mandatory; the verdict is INCOMPLETE): "
                        } else {
                            "skipped: "
                        },
                        xml(s.failure.as_deref().unwrap_or("no reason given"))
                    );
                }
            }
            out.push_str("</testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
