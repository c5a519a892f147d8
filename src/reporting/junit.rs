//! `junit.xml`: one `<testsuite>` per feature, one `<testcase>` per scenario, for CI systems
//! (GitHub Actions, GitLab CI) that display JUnit. Written by `quick-junit` (the writer of
//! cargo-nextest), which escapes and drops the characters XML 1.0 forbids, so whatever a SUT
//! sent the document stays well-formed.
//!
//! Mapping: a scenario that fails the run is a `<failure>` whose text names the failed step,
//! the message and each rule with its digest section; a warning (`@recommended`, or `@strict`
//! without `--strict`) and an unexpected pass pass in JUnit and carry the warning in
//! `<system-out>` (the exit code is 0 for them, and JUnit has no warning state); an expected
//! failure and a skipped scenario are `<skipped>` with the reason (a skipped `@mandatory`
//! scenario says that it makes the verdict INCOMPLETE). The root's name carries the verdict;
//! each `<testsuite>` has the properties `verdict`, `suite` and `sut`, and each `<testcase>`
//! the properties `level`, `judgement` and one `rule` per requirement it checks.

use super::summary::{ScenarioSummary, Summary};
use crate::suite::outcome::Judgement;
use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};
use std::fmt::Write as _;
use std::time::Duration;

pub(crate) use quick_junit::SerializeError;

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

fn status(s: &ScenarioSummary) -> (TestCaseStatus, Option<String>) {
    let expected_reason = s.expected_reason.as_deref().unwrap_or("");
    match s.judgement {
        Judgement::Passed => (TestCaseStatus::success(), None),
        Judgement::Failed => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_message(s.failure.as_deref().unwrap_or("failed"))
                .set_type(s.level.map_or("invalid-tags", |l| l.as_str()))
                .set_description(failure_text(s));
            (status, None)
        }
        Judgement::Warning => (
            TestCaseStatus::success(),
            Some(format!(
                "WARNING (not mandatory, does not fail the run)\n{}",
                failure_text(s)
            )),
        ),
        Judgement::UnexpectedPass => (
            TestCaseStatus::success(),
            Some(format!(
                "UNEXPECTED PASS: listed as an expected failure ({expected_reason}), but passed; remove the entry"
            )),
        ),
        Judgement::ExpectedFailure => {
            let mut status = TestCaseStatus::skipped();
            status.set_message(format!("expected failure: {expected_reason}"));
            (status, Some(failure_text(s)))
        }
        Judgement::Skipped => {
            let mandatory = s.level == Some(crate::rules::Level::Mandatory);
            let mut status = TestCaseStatus::skipped();
            status.set_message(format!(
                "{}{}",
                if mandatory {
                    "NOT RUN (mandatory; the verdict is INCOMPLETE): "
                } else {
                    "skipped: "
                },
                s.failure.as_deref().unwrap_or("no reason given")
            ));
            (status, None)
        }
    }
}

fn testcase(summary: &Summary, file: &str, s: &ScenarioSummary) -> TestCase {
    let (status, system_out) = status(s);
    let mut case = TestCase::new(s.name.as_str(), status);
    case.set_classname(format!(
        "{}.{}",
        summary.suite.as_str(),
        file.trim_end_matches(".feature")
    ))
    .set_time(Duration::from_millis(s.duration_ms));
    case.extra.insert("file".into(), file.into());
    case.extra.insert("line".into(), s.line.to_string().into());
    if let Some(out) = system_out {
        case.set_system_out(out);
    }
    case.add_property(Property::new(
        "level",
        s.level.map_or("invalid-tags", |l| l.as_str()),
    ));
    case.add_property(Property::new("judgement", s.judgement.as_str()));
    for id in &s.requirements {
        case.add_property(Property::new("rule", id.as_str()));
    }
    case
}

/// Renders the JUnit XML of `summary`.
pub(crate) fn render(summary: &Summary) -> Result<String, SerializeError> {
    let mut features: Vec<(&str, Vec<&ScenarioSummary>)> = Vec::new();
    for s in &summary.scenarios {
        match features.iter_mut().find(|(f, _)| *f == s.file) {
            Some((_, list)) => list.push(s),
            None => features.push((&s.file, vec![s])),
        }
    }
    let mut report = Report::new(format!(
        "dsop-harness {} suite against {} (verdict {})",
        summary.suite.as_str(),
        summary.sut,
        summary.verdict.label()
    ));
    report.set_time(Duration::from_millis(summary.duration_ms));
    let started = summary.started_at.fixed_offset();
    for (file, list) in &features {
        let feature = list.first().map_or("", |s| s.feature.as_str());
        let mut suite = TestSuite::new(feature);
        suite.extra.insert("file".into(), (*file).into());
        suite
            .set_timestamp(started)
            .set_time(Duration::from_millis(
                list.iter().map(|s| s.duration_ms).sum(),
            ))
            .add_property(Property::new("verdict", summary.verdict.label()))
            .add_property(Property::new("suite", summary.suite.as_str()))
            .add_property(Property::new("sut", summary.sut.as_str()));
        suite.add_test_cases(list.iter().map(|s| testcase(summary, file, s)));
        report.add_test_suite(suite);
    }
    report.to_string()
}
