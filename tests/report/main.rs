//! Reports and attestation: every report file of a real run (bank suite against the
//! reference mock bank, in-process), no secret in any of them, the HTML rendered by headless
//! Chromium, markup from a SUT inert, the attestation verifying untouched and failing on any
//! change; expected failures, the configuration file, the CLI's env vars, the generated
//! docs/requirements.md, and `demo` end to end.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod helpers;

use clap::CommandFactory as _;
use dsop_harness::{
    attest, attest::AttestError, config, report, report::ReportOptions, validate, Artifact,
    ExpectedFailures, Judgement, MessageKind, TrustDir, Verdict,
};
use helpers::*;
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::Value;
use std::path::Path;
use std::sync::atomic::Ordering;

const REPORT_FILES: &[&str] = &[
    report::SUMMARY,
    report::JUNIT,
    report::CUCUMBER,
    report::HTML,
    report::TRANSCRIPTS,
];

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Every JOSE-compact string (three or more base64url segments, the first `eyJ…`) in `text`.
fn jose_strings(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(at) = text[i..].find("eyJ") {
        let start = i + at;
        let mut end = start;
        while end < bytes.len()
            && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'-' | b'_' | b'.'))
        {
            end += 1;
        }
        let candidate = text[start..end].trim_end_matches('.');
        if candidate.split('.').filter(|s| !s.is_empty()).count() >= 3 {
            found.push(candidate.to_owned());
        }
        i = end.max(start + 3);
    }
    found
}

/// `junit.xml` as junitparser (PyPI; an independent JUnit consumer, installed by .ci/run) reads
/// it, through tests/report/junit_check.py, which also fails when the declared counts disagree
/// with the testcases. Never skipped: without python3 + junitparser this fails saying so.
fn junitparser_read(file: &Path) -> Result<Value, Failed> {
    let script = crate_dir().join("tests/report/junit_check.py");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(file)
        .output()
        .map_err(|e| {
            format!(
                "python3 is needed to check junit.xml independently ({e}); install Python 3 \
                 and `python3 -m pip install junitparser` (bash .ci/run does)"
            )
        })?;
    check(out.status.success(), || {
        format!(
            "junitparser did not accept {}: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    Ok(serde_json::from_slice(&out.stdout)?)
}

/// The number of `<testcase>` elements junitparser read.
fn junitparser_testcases(file: &Path) -> Result<usize, Failed> {
    let read = junitparser_read(file)?;
    Ok(read["suites"].as_array().map_or(0, |suites| {
        suites
            .iter()
            .map(|s| s["cases"].as_array().map_or(0, Vec::len))
            .sum()
    }))
}

// ---------------------------------------------------------------------------------------------
// A real run.

fn real_run_writes_every_report() -> Result<(), Failed> {
    let real = real_run()?;
    check(
        real.written.attestation_problem.is_none() && real.written.files.len() == 6,
        || format!("written: {:?}", real.written.files),
    )?;
    for file in REPORT_FILES.iter().chain([&report::ATTESTATION]) {
        check(real.dir.join(file).is_file(), || format!("{file} missing"))?;
    }
    let summary = read_json(&real.dir.join(report::SUMMARY));
    validate(MessageKind::Summary, &summary).map_err(|v| format!("summary.json: {v:?}"))?;
    let n = real.run.outcome.scenarios.len();
    check(n >= 19 && summary["counts"]["scenarios"] == n, || {
        format!("{n} scenarios; summary counts {}", summary["counts"])
    })?;
    check(summary["verdict"] == "pass", || {
        format!("reference mock bank verdict {}", summary["verdict"])
    })?;
    let covered = summary["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["verdict"] == "passed")
        .count();
    check(covered > 0, || "no requirement covered".into())?;
    check(
        junitparser_testcases(&real.dir.join(report::JUNIT))? == n,
        || "junit.xml: one testcase per scenario".into(),
    )?;
    let cucumber = read_json(&real.dir.join(report::CUCUMBER));
    let elements: usize = cucumber
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["elements"].as_array().unwrap().len())
        .sum();
    check(elements == n, || {
        format!("cucumber.json has {elements} scenarios, the run {n}")
    })?;
    check(
        cucumber[0]["keyword"] == "Feature"
            && cucumber[0]["elements"][0]["steps"][0]["result"]["status"].is_string(),
        || "cucumber.json does not have the Cucumber JSON shape".into(),
    )?;
    // Progress counts the scenarios cucumber ran; data-exact scenarios skipped for want of a
    // fixture pack never reach cucumber.
    let ran = real
        .run
        .outcome
        .scenarios
        .iter()
        .filter(|s| s.status != dsop_harness::ScenarioStatus::Skipped)
        .count();
    check(
        ran > 0
            && real.progress.finished.load(Ordering::SeqCst) == ran
            && real.progress.planned.load(Ordering::SeqCst) == ran,
        || {
            format!(
                "progress hook heard planned {} finished {}, run had {n} of which {ran} ran",
                real.progress.planned.load(Ordering::SeqCst),
                real.progress.finished.load(Ordering::SeqCst)
            )
        },
    )
}

fn no_secret_in_any_report_file() -> Result<(), Failed> {
    let real = real_run()?;
    let trust = TrustDir::open(trust_path())?;
    // Every line of every private key's PEM body (64 base64 characters).
    let key_lines: Vec<String> = Artifact::ALL
        .iter()
        .filter(|a| a.is_private())
        .flat_map(|a| {
            String::from_utf8_lossy(trust.bytes(*a).unwrap())
                .lines()
                .filter(|l| !l.starts_with("-----") && l.len() >= 40)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    check(key_lines.len() > 20, || "no private key lines read".into())?;
    let mut problems = Vec::new();
    let mut masked = 0;
    for file in REPORT_FILES.iter().chain([&report::ATTESTATION]) {
        let text = std::fs::read_to_string(real.dir.join(file))?;
        masked += text.matches("[masked token sha256:").count()
            + text.matches("[masked extradition-order sha256:").count();
        if *file != report::ATTESTATION {
            for jose in jose_strings(&text) {
                problems.push(format!(
                    "{file}: JOSE string {}…",
                    &jose[..jose.len().min(40)]
                ));
            }
        } else {
            // The attestation is itself a JWS; its payload must carry no secret either.
            let payload = text.split('.').nth(1).unwrap_or_default();
            let claims = String::from_utf8(
                base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload)
                    .unwrap(),
            )?;
            if !jose_strings(&claims).is_empty() {
                problems.push("attestation claims carry a JOSE string".into());
            }
        }
        for line in &key_lines {
            if text.contains(line.as_str()) {
                problems.push(format!("{file}: private key material"));
                break;
            }
        }
    }
    check(problems.is_empty(), || problems.join("\n"))?;
    // The run did send tokens and orders: the reports show them masked (so this test sees the
    // secrets pass through, and the masking, not their absence).
    check(masked >= 2 * real.run.outcome.scenarios.len(), || {
        format!("only {masked} masked tokens/orders in the reports")
    })
}

fn chromium_renders_verdict_coverage_and_masked_transcript() -> Result<(), Failed> {
    let real = real_run()?;
    let dom = chromium_dump_dom(&real.dir.join(report::HTML))?;
    for (what, needle) in [
        ("verdict", "Verdict: PASS"),
        ("coverage table", "id=\"coverage-table\""),
        ("a covered requirement", "BANK-TOKEN-PRESENT"),
        (
            "the last bank requirement of the catalogue",
            "BANK-OPEN-READINGS",
        ),
        ("a masked token", "Bearer [masked token sha256:"),
        ("a masked order", "[masked extradition-order sha256:"),
        (
            "a decrypted, pretty-printed payload",
            "\"responseDetails\": {",
        ),
        ("a reproduce-able scenario link", "href=\"#s-0\""),
    ] {
        check(dom.contains(needle), || {
            format!("rendered DOM lacks {what} ({needle:?})")
        })?;
    }
    // Every requirement has a scenario in features/ (docs/requirements.md): the coverage table
    // shows none as uncovered.
    check(!dom.contains("no scenario covers this requirement"), || {
        "the coverage table shows a requirement no scenario covers".into()
    })
}

// ---------------------------------------------------------------------------------------------
// Escaping.

fn injected_markup_is_inert() -> Result<(), Failed> {
    // Markup, and control characters XML 1.0 forbids (junit.xml must stay well-formed).
    let markup =
        "</pre><script>document.title='pwned'</script><img id=\"pwned\" src=\"x\">\u{1}\u{1b}[31m";
    let mut s = scenario(
        "eo.feature",
        7,
        markup,
        &["mandatory", "spec-5.6", "req-BANK-EO-ENDPOINT"],
        Some(markup),
    );
    s.transcript = vec![hostile_entry()];
    let run = synthetic_run(vec![s]);
    let dir = scratch("hostile");
    report::write_reports(&dir, &run, &ReportOptions::default())?;
    let html = std::fs::read_to_string(dir.join(report::HTML))?;
    check(
        !html.contains("<script") && !html.contains("<img") && !html.contains("</pre><script"),
        || "report.html carries raw markup from the SUT".into(),
    )?;
    check(html.contains("&lt;script&gt;document.title="), || {
        "the hostile text is not shown escaped".into()
    })?;
    junitparser_testcases(&dir.join(report::JUNIT))?;
    let dom = chromium_dump_dom(&dir.join(report::HTML))?;
    let title = dom
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .unwrap_or_default();
    check(
        !dom.contains("<img id=\"pwned\"") && !dom.contains("<script>document") && title != "pwned",
        || format!("the browser built elements from SUT text (title {title:?})"),
    )?;
    // The browser shows the hostile text as text (the DOM serialises a text node's markup
    // characters as entities, and a quote as itself).
    check(
        dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"),
        || "the browser does not show the hostile text as text".into(),
    )?;
    check(dom.contains("Verdict: FAIL"), || "verdict missing".into())
}

/// An exchange a user stub answered (`mocks serve --stubs`) says so in report.html and
/// transcripts.json; the DSOP handler's answers carry no mark.
fn stubbed_exchange_is_marked() -> Result<(), Failed> {
    use dsop_harness::Journal;
    use dsop_harness::TranscriptEntry;
    use dsop_harness::{Handled, MockRequest, MockResponse};
    let journal = Journal::new();
    let request = MockRequest {
        method: "GET".into(),
        path: "/v2/accounts".into(),
        ..MockRequest::default()
    };
    let mut stubbed = Handled::ok(MockResponse {
        status: 503,
        headers: vec![("Content-Type".into(), "text/html".into())],
        body: b"<html>maintenance</html>".to_vec(),
        plaintext: None,
    });
    stubbed.stub = Some("accounts-503-html-once".into());
    journal.record_handled("bank:279417879", &request, &mut stubbed);
    let mut dsop = Handled::ok(MockResponse::json(
        200,
        &serde_json::json!({"accounts": []}),
    ));
    journal.record_handled("bank:279417879", &request, &mut dsop);
    let mut s = scenario(
        "flow.feature",
        3,
        "a stubbed bank",
        &["mandatory", "spec-7.6"],
        None,
    );
    s.transcript = journal
        .entries()
        .iter()
        .map(TranscriptEntry::from_journal)
        .collect();
    let run = synthetic_run(vec![s]);
    let dir = scratch("stubbed");
    report::write_reports(&dir, &run, &ReportOptions::default())?;
    let html = std::fs::read_to_string(dir.join(report::HTML))?;
    check(
        html.matches("Answered by user stub accounts-503-html-once")
            .count()
            == 1,
        || "report.html does not mark the stubbed exchange exactly once".into(),
    )?;
    let transcripts = read_json(&dir.join(report::TRANSCRIPTS));
    let entries = transcripts[0]["transcript"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let marks: Vec<Option<&str>> = entries.iter().map(|e| e["stub"].as_str()).collect();
    check(marks == [Some("accounts-503-html-once"), None], || {
        format!("transcripts.json stub marks {marks:?}: {transcripts}")
    })
}

fn junit_failure_names_rule_and_section() -> Result<(), Failed> {
    let run = synthetic_run(vec![
        scenario(
            "eo.feature",
            12,
            "a call outside the order is refused",
            &["mandatory", "spec-5.6", "req-BANK-EO-ENDPOINT"],
            Some("expected 403 ACC-011, got 200"),
        ),
        scenario(
            "headers.feature",
            20,
            "a non-UUID CorrelationID is refused",
            &["recommended", "spec-3.2.2", "req-BANK-HDR-UUID"],
            Some("expected 400 ACC-001, got 200"),
        ),
    ]);
    let dir = scratch("junit");
    let options = ReportOptions {
        reproduce_prefix: Some("dsop-harness test bank".into()),
        ..ReportOptions::default()
    };
    let written = report::write_reports(&dir, &run, &options)?;
    let xml = std::fs::read_to_string(dir.join(report::JUNIT))?;
    check(
        junitparser_testcases(&dir.join(report::JUNIT))? == 2,
        || "two testcases".into(),
    )?;
    check(xml.matches("<failure ").count() == 1, || {
        format!("exactly the mandatory failure is a <failure>:\n{xml}")
    })?;
    for needle in [
        "Rule: BANK-EO-ENDPOINT (digest 5.6)",
        "Step: Then the bank answers 403 with code ACC-011",
        "expected 403 ACC-011, got 200",
        "Reproduce: dsop-harness test bank --scenario eo.feature:12",
        "WARNING (not mandatory",
    ] {
        check(xml.contains(needle), || {
            format!("junit.xml lacks {needle:?}:\n{xml}")
        })?;
    }
    check(written.summary.verdict == Verdict::Fail, || {
        "verdict".into()
    })?;
    check(written.attestation_problem.is_some(), || {
        "no trust dir, yet an attestation".into()
    })
}

/// junitparser reads every judgement the way the summary states it: failures as `<failure>`
/// with the message and rule, expected failures and skipped scenarios as `<skipped>`, warnings
/// and unexpected passes as passes with `<system-out>`, the verdict and rule IDs as properties,
/// and counts that agree with the testcases.
fn junitparser_reads_every_judgement() -> Result<(), Failed> {
    let expected = ExpectedFailures::parse(
        r#"
[[expected]]
feature = "eo.feature"
line = 30
reason = "agreed with DSOP forvaltning 2026-01-10, ref DSOP-17"

[[expected]]
feature = "tokens.feature"
line = 9
reason = "agreed with DSOP forvaltning 2026-01-10, ref DSOP-18"
"#,
    )?;
    let skipped = skipped_scenario(
        "accounts.feature",
        16,
        "Accounts for a person equals the fixture pack",
        &["mandatory", "data-exact", "req-BANK-DATA-EXACT"],
        "skipped: no fixture pack was given (--fixtures)",
    );
    let run = synthetic_run(vec![
        scenario("transport.feature", 8, "plain pass", &["mandatory"], None),
        scenario(
            "eo.feature",
            12,
            "a call outside the order is refused",
            &["mandatory", "spec-5.6", "req-BANK-EO-ENDPOINT"],
            Some("expected 403 ACC-011, got 200"),
        ),
        scenario(
            "eo.feature",
            30,
            "an agreed deviation",
            &["mandatory", "spec-5.6", "req-BANK-EO-ENDPOINT"],
            Some("expected 403 ACC-011, got 404"),
        ),
        scenario(
            "headers.feature",
            20,
            "a non-UUID CorrelationID is refused",
            &["recommended", "spec-3.2.2", "req-BANK-HDR-UUID"],
            Some("expected 400 ACC-001, got 200"),
        ),
        scenario("tokens.feature", 9, "fixed meanwhile", &["mandatory"], None),
        skipped,
    ]);
    let dir = scratch("junitparser");
    let options = ReportOptions {
        expected,
        ..ReportOptions::default()
    };
    let written = report::write_reports(&dir, &run, &options)?;
    let summary = &written.summary;
    let mut judgements: Vec<&str> = summary
        .scenarios
        .iter()
        .map(|s| s.judgement.as_str())
        .collect();
    judgements.sort_unstable();
    judgements.dedup();
    check(judgements.len() == Judgement::ALL.len(), || {
        format!("the run should show every judgement, shows {judgements:?}")
    })?;
    let read = junitparser_read(&dir.join(report::JUNIT))?;
    let verdict = summary.verdict.label();
    check(
        read["name"]
            .as_str()
            .is_some_and(|n| n.contains(&format!("verdict {verdict}"))),
        || format!("root name {} lacks the verdict {verdict}", read["name"]),
    )?;
    let count = |js: &[Judgement]| {
        summary
            .scenarios
            .iter()
            .filter(|s| js.contains(&s.judgement))
            .count()
    };
    let declared = &read["declared"];
    check(
        declared["tests"] == summary.scenarios.len()
            && declared["failures"] == count(&[Judgement::Failed])
            && declared["skipped"] == count(&[Judgement::Skipped, Judgement::ExpectedFailure])
            && declared["errors"] == 0,
        || format!("declared counts {declared}"),
    )?;
    let suites = read["suites"].as_array().cloned().unwrap_or_default();
    let mut files: Vec<&str> = summary.scenarios.iter().map(|s| s.file.as_str()).collect();
    files.dedup();
    check(suites.len() == files.len(), || {
        format!(
            "{} testsuites for {} feature files",
            suites.len(),
            files.len()
        )
    })?;
    for suite in &suites {
        check(
            suite["properties"]
                .as_array()
                .is_some_and(|p| p.contains(&serde_json::json!(["verdict", verdict]))),
            || format!("testsuite {} lacks the verdict property", suite["name"]),
        )?;
    }
    let cases: Vec<&Value> = suites
        .iter()
        .flat_map(|s| s["cases"].as_array().into_iter().flatten())
        .collect();
    check(cases.len() == summary.scenarios.len(), || {
        format!(
            "{} testcases for {} scenarios",
            cases.len(),
            summary.scenarios.len()
        )
    })?;
    for s in &summary.scenarios {
        let case = cases
            .iter()
            .find(|c| c["name"] == s.name.as_str())
            .ok_or_else(|| format!("no testcase for {:?}", s.name))?;
        let what = || format!("scenario {:?} ({:?}) read as {case}", s.name, s.judgement);
        let kind = case["result"]["kind"].as_str();
        match s.judgement {
            Judgement::Passed => check(case["result"].is_null(), what)?,
            Judgement::Failed => check(
                kind == Some("failure")
                    && case["result"]["message"] == s.failure.as_deref().unwrap_or_default()
                    && case["result"]["text"]
                        .as_str()
                        .is_some_and(|t| s.rules().iter().all(|r| t.contains(r.as_str()))),
                what,
            )?,
            Judgement::Warning => check(
                case["result"].is_null()
                    && case["systemOut"]
                        .as_str()
                        .is_some_and(|o| o.starts_with("WARNING")),
                what,
            )?,
            Judgement::UnexpectedPass => check(
                case["result"].is_null()
                    && case["systemOut"]
                        .as_str()
                        .is_some_and(|o| o.starts_with("UNEXPECTED PASS")),
                what,
            )?,
            Judgement::ExpectedFailure => check(
                kind == Some("skipped")
                    && case["result"]["message"].as_str().is_some_and(|m| {
                        m.contains(s.expected_reason.as_deref().unwrap_or("(none)"))
                    }),
                what,
            )?,
            Judgement::Skipped => check(
                kind == Some("skipped")
                    && case["result"]["message"].as_str().is_some_and(|m| {
                        m.starts_with("NOT RUN (mandatory; the verdict is INCOMPLETE)")
                    }),
                what,
            )?,
        }
        let properties = case["properties"].as_array().cloned().unwrap_or_default();
        for id in &s.requirements {
            check(
                properties.contains(&serde_json::json!(["rule", id])),
                || format!("testcase {:?} lacks the rule property {id}: {case}", s.name),
            )?;
        }
        check(
            properties.contains(&serde_json::json!(["judgement", s.judgement.as_str()])),
            what,
        )?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Expected failures.

/// A run whose mandatory scenario was skipped is INCOMPLETE in every report file and in the
/// attestation, with the scenario's reason; a skipped recommended scenario alone is not.
fn skipped_mandatory_scenario_is_incomplete_in_every_report() -> Result<(), Failed> {
    let skipped = skipped_scenario(
        "accounts.feature",
        16,
        "Accounts for a person equals the fixture pack",
        &["mandatory", "data-exact", "req-BANK-DATA-EXACT"],
        "skipped: no fixture pack was given (--fixtures)",
    );
    let run = synthetic_run(vec![
        scenario("transport.feature", 8, "plain pass", &["mandatory"], None),
        skipped,
    ]);
    check(run.outcome.verdict(false) == Verdict::Incomplete, || {
        format!("verdict {:?}", run.outcome.verdict(false))
    })?;
    check(Verdict::Incomplete.exit_code() == 4, || {
        "exit code 4".into()
    })?;
    let dir = scratch("incomplete");
    let options = ReportOptions {
        trust_dir: Some(trust_path().clone()),
        ..ReportOptions::default()
    };
    let written = report::write_reports(&dir, &run, &options)?;
    check(written.summary.verdict == Verdict::Incomplete, || {
        "summary verdict".into()
    })?;
    let summary = read_json(&dir.join(report::SUMMARY));
    validate(MessageKind::Summary, &summary).map_err(|v| format!("{v:?}"))?;
    check(summary["verdict"] == "incomplete", || {
        format!("summary.json verdict {}", summary["verdict"])
    })?;
    let junit = std::fs::read_to_string(dir.join(report::JUNIT))?;
    check(
        junit.contains("verdict INCOMPLETE") && junit.contains("NOT RUN (mandatory"),
        || format!("junit.xml:\n{junit}"),
    )?;
    check(
        junitparser_testcases(&dir.join(report::JUNIT))? == 2,
        || "the JUnit file parses with two testcases".into(),
    )?;
    let html = std::fs::read_to_string(dir.join(report::HTML))?;
    check(
        html.contains("INCOMPLETE") && html.contains("no fixture pack was given"),
        || "report.html names the verdict and the reason".into(),
    )?;
    let verified = verify_dir(&dir, true)?;
    check(verified.claims.verdict == "incomplete", || {
        format!("attestation verdict {}", verified.claims.verdict)
    })?;
    // A skipped recommended scenario alone leaves a pass.
    let optional = skipped_scenario(
        "headers.feature",
        20,
        "optional",
        &["recommended"],
        "skipped: no fixture pack was given (--fixtures)",
    );
    let run = synthetic_run(vec![
        scenario("transport.feature", 8, "plain pass", &["mandatory"], None),
        optional,
    ]);
    check(run.outcome.verdict(false) == Verdict::Pass, || {
        format!("verdict {:?}", run.outcome.verdict(false))
    })
}

fn expected_failures_are_neither_pass_nor_failure() -> Result<(), Failed> {
    let expected = ExpectedFailures::parse(
        r#"
[[expected]]
feature = "eo.feature"
scenario = "a call outside the order is refused"
reason = "agreed with DSOP forvaltning 2026-01-10, ref DSOP-17"

[[expected]]
feature = "tokens.feature"
line = 9
reason = "agreed with DSOP forvaltning 2026-01-10, ref DSOP-18"

[[expected]]
feature = "gone.feature"
scenario = "renamed long ago"
reason = "agreed with DSOP forvaltning 2025-01-10, ref DSOP-1"
"#,
    )?;
    let run = synthetic_run(vec![
        scenario(
            "eo.feature",
            12,
            "a call outside the order is refused",
            &["mandatory", "req-BANK-EO-ENDPOINT"],
            Some("expected 403, got 200"),
        ),
        scenario("tokens.feature", 9, "fixed meanwhile", &["mandatory"], None),
        scenario("tokens.feature", 14, "plain pass", &["mandatory"], None),
    ]);
    check(run.outcome.verdict(false) == Verdict::Fail, || {
        "without the list the run fails".into()
    })?;
    let judgements: Vec<Judgement> = run
        .outcome
        .scenarios
        .iter()
        .map(|s| s.judgement(false, &expected))
        .collect();
    check(
        judgements
            == [
                Judgement::ExpectedFailure,
                Judgement::UnexpectedPass,
                Judgement::Passed,
            ],
        || format!("judgements {judgements:?}"),
    )?;
    check(
        run.outcome.verdict_with(false, &expected) == Verdict::PassWithWarnings,
        || "an expected failure does not fail the run; an unexpected pass warns".into(),
    )?;
    let dir = scratch("expected");
    let options = ReportOptions {
        expected,
        ..ReportOptions::default()
    };
    let written = report::write_reports(&dir, &run, &options)?;
    let summary = read_json(&dir.join(report::SUMMARY));
    validate(MessageKind::Summary, &summary).map_err(|v| format!("{v:?}"))?;
    check(
        summary["counts"]["expectedFailure"] == 1
            && summary["counts"]["unexpectedPass"] == 1
            && summary["counts"]["passed"] == 1
            && summary["counts"]["failed"] == 0
            && summary["unusedExpectedFailures"][0]["feature"] == "gone.feature",
        || format!("summary {}", summary["counts"]),
    )?;
    let xml = std::fs::read_to_string(dir.join(report::JUNIT))?;
    check(
        xml.contains("<skipped message=\"expected failure: agreed with DSOP")
            && xml.contains("UNEXPECTED PASS")
            && !xml.contains("<failure"),
        || format!("junit.xml:\n{xml}"),
    )?;
    let html = std::fs::read_to_string(dir.join(report::HTML))?;
    check(
        html.contains("j-expected-failure") && html.contains("j-unexpected-pass"),
        || "html lacks the judgements".into(),
    )?;
    check(written.summary.verdict == Verdict::PassWithWarnings, || {
        "written verdict".into()
    })
}

fn expected_failures_file_is_checked() -> Result<(), Failed> {
    for (text, why) in [
        ("[[expected]]\nfeature = \"a.feature\"\nscenario = \"x\"\n", "no reason"),
        ("[[expected]]\nfeature = \"a.feature\"\nreason = \"agreed 2026, ref 1\"\n", "neither scenario nor line"),
        ("[[expected]]\nfeature = \"a.feature\"\nline = 3\nreason = \"agreed 2026, ref 1\"\nextra = 1\n", "unknown key"),
        ("expected = [", "not TOML"),
    ] {
        check(ExpectedFailures::parse(text).is_err(), || {
            format!("accepted a file with {why}")
        })?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Attestation.

fn verify_dir(dir: &Path, pin: bool) -> Result<attest::Verified, AttestError> {
    let jws = std::fs::read_to_string(dir.join(report::ATTESTATION)).unwrap();
    let trust = TrustDir::open(trust_path()).unwrap();
    attest::verify(&jws, pin.then_some(&trust), Some(dir))
}

fn untouched_run_verifies() -> Result<(), Failed> {
    let real = real_run()?;
    let verified = verify_dir(&real.dir, true)?;
    let c = &verified.claims;
    check(
        verified.pinned
            && verified.files_checked
            && c.files.len() == REPORT_FILES.len()
            && c.verdict == "pass"
            && c.suite == "bank"
            && c.features_sha256.is_some()
            && c.schemas_sha256.len() == 64,
        || format!("claims {c:?}"),
    )?;
    let claims = serde_json::to_value(c)?;
    validate(MessageKind::Attestation, &claims).map_err(|v| format!("{v:?}"))?;
    // The CLI says so too, exit 0.
    let mut out = Vec::new();
    let code = dsop_harness::execute(
        dsop_harness::CliCommand::Attest(dsop_harness::AttestCommand::Verify(
            dsop_harness::VerifyArgs {
                file: real.dir.join(report::ATTESTATION),
                reports: Some(real.dir.clone()),
                trust_dir: Some(trust_path().clone()),
            },
        )),
        &mut out,
    )?;
    check(code == 0, || String::from_utf8_lossy(&out).into_owned())
}

fn tampered(name: &str, change: impl FnOnce(&Path)) -> Result<AttestError, Failed> {
    let real = real_run()?;
    let dir = scratch(&format!("tamper-{name}"));
    copy_dir(&real.dir, &dir);
    check(verify_dir(&dir, true).is_ok(), || {
        "the copy verifies".into()
    })?;
    change(&dir);
    match verify_dir(&dir, true) {
        Ok(_) => Err(format!("{name}: the change was not detected").into()),
        Err(e) => Ok(e),
    }
}

fn tampering_is_detected(file: &'static str) -> Result<(), Failed> {
    let error = tampered(file, |dir| {
        let path = dir.join(file);
        let mut bytes = std::fs::read(&path).unwrap();
        // One byte changed in the middle (a digit or letter becomes another).
        let i = bytes.len() / 2;
        bytes[i] = if bytes[i] == b'0' { b'1' } else { b'0' };
        std::fs::write(&path, bytes).unwrap();
    })?;
    check(
        matches!(&error, AttestError::FilesDiffer { changed, added, removed, .. }
            if changed == &[file.to_owned()] && added.is_empty() && removed.is_empty()),
        || format!("{file}: {error}"),
    )
}

fn added_and_removed_files_are_detected() -> Result<(), Failed> {
    let error = tampered("add", |dir| {
        std::fs::write(dir.join("extra.html"), "<p>added</p>").unwrap();
    })?;
    check(
        matches!(&error, AttestError::FilesDiffer { added, .. } if added == &["extra.html".to_owned()]),
        || format!("add: {error}"),
    )?;
    let error = tampered("remove", |dir| {
        std::fs::remove_file(dir.join(report::TRANSCRIPTS)).unwrap();
    })?;
    check(
        matches!(&error, AttestError::FilesDiffer { removed, .. } if removed == &[report::TRANSCRIPTS.to_owned()]),
        || format!("remove: {error}"),
    )
}

fn altered_claims_or_other_key_fail() -> Result<(), Failed> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    // The claims edited (verdict fail → pass, or a file hash replaced) break the signature.
    let error = tampered("claims", |dir| {
        let path = dir.join(report::ATTESTATION);
        let jws = std::fs::read_to_string(&path).unwrap();
        let parts: Vec<&str> = jws.split('.').collect();
        let mut claims: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        claims["sut"] = Value::String("a different bank".into());
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
        std::fs::write(&path, format!("{}.{payload}.{}", parts[0], parts[2])).unwrap();
    })?;
    check(matches!(error, AttestError::BadSignature), || {
        format!("edited claims: {error}")
    })?;
    // The CLI exits 1 for an invalid attestation.
    let real = real_run()?;
    let dir = scratch("cli-invalid");
    copy_dir(&real.dir, &dir);
    std::fs::write(dir.join(report::SUMMARY), "{}")?;
    let mut out = Vec::new();
    let code = dsop_harness::execute(
        dsop_harness::CliCommand::Attest(dsop_harness::AttestCommand::Verify(
            dsop_harness::VerifyArgs {
                file: dir.join(report::ATTESTATION),
                reports: Some(dir.clone()),
                trust_dir: None,
            },
        )),
        &mut out,
    )?;
    let said = String::from_utf8_lossy(&out);
    check(
        code == 1 && said.contains("INVALID") && said.contains("summary.json"),
        || format!("exit {code}: {said}"),
    )?;
    // Signed by another harness key: valid in itself, rejected when pinned to our trust dir.
    let other = scratch("other-trust");
    TrustDir::init(&other)?;
    let run = synthetic_run(vec![scenario("a.feature", 3, "s", &["mandatory"], None)]);
    let signed_elsewhere = scratch("other-signed");
    report::write_reports(
        &signed_elsewhere,
        &run,
        &ReportOptions {
            trust_dir: Some(other.clone()),
            ..ReportOptions::default()
        },
    )?;
    check(verify_dir(&signed_elsewhere, false).is_ok(), || {
        "consistent in itself".into()
    })?;
    let error = verify_dir(&signed_elsewhere, true).unwrap_err();
    check(
        matches!(error, AttestError::UntrustedCertificate { .. }),
        || format!("other key: {error}"),
    )
}

// ---------------------------------------------------------------------------------------------
// CLI: env vars, configuration file, docs, demo.

fn every_flag_has_an_env_var() -> Result<(), Failed> {
    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if arg.is_positional() || id == "help" || id == "version" {
                continue;
            }
            if arg.get_env().is_none() {
                missing.push(format!("{path} --{id}"));
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut missing = Vec::new();
    walk(&dsop_harness::Cli::command(), "dsop-harness", &mut missing);
    check(missing.is_empty(), || {
        format!(
            "flags without an environment variable (config keys map to them):\n{}",
            missing.join("\n")
        )
    })
}

fn config_keys_map_to_env_vars() -> Result<(), Failed> {
    let known = config::env_vars(&dsop_harness::Cli::command());
    let path = Path::new("dsop-harness.toml");
    let pairs = config::parse(
        path,
        "report-dir = \"out\"\nstrict = true\nseed = 42\ntrust-dir = \"trust\"\nmocks-faults = [\"a\", \"b\"]\n",
        &known,
    )
    .map_err(|e| e.to_string())?;
    for expected in [
        ("DSOP_HARNESS_REPORT_DIR", "out"),
        ("DSOP_HARNESS_STRICT", "true"),
        ("DSOP_HARNESS_SEED", "42"),
        ("DSOP_SEED", "42"),
        ("DSOP_TRUST_DIR", "trust"),
        ("DSOP_MOCKS_FAULTS", "a,b"),
    ] {
        check(
            pairs
                .iter()
                .any(|(k, v)| k == expected.0 && v == expected.1),
            || format!("{expected:?} not in {pairs:?}"),
        )?;
    }
    let error = config::parse(path, "report-dri = \"out\"\n", &known).unwrap_err();
    check(
        matches!(&error, config::ConfigError::UnknownKeys { unknown, valid, .. }
            if unknown == &["report-dri".to_owned()] && valid.contains("report-dir")),
        || format!("unknown key: {error}"),
    )?;
    let error = config::parse(path, "[bank]\nbase-url = \"x\"\n", &known).unwrap_err();
    check(matches!(error, config::ConfigError::Schema { .. }), || {
        format!("nested table: {error}")
    })
}

fn config_precedence_is_cli_then_env_then_file() -> Result<(), Failed> {
    let dir = scratch("config");
    std::fs::write(dir.join("dsop-harness.toml"), "id-count = 3\nseed = 5\n")?;
    let count = |env: Option<&str>, flag: Option<&str>| -> Result<(usize, i32), Failed> {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_dsop-harness"));
        cmd.current_dir(&dir)
            .env_remove("DSOP_ID_COUNT")
            .env_remove("DSOP_SEED")
            .env_remove("DSOP_HARNESS_CONFIG")
            .args(["ids", "generate", "--kind", "fnr"]);
        if let Some(v) = env {
            cmd.env("DSOP_ID_COUNT", v);
        }
        if let Some(v) = flag {
            cmd.args(["--count", v]);
        }
        let out = cmd.output()?;
        Ok((
            String::from_utf8_lossy(&out.stdout).lines().count(),
            out.status.code().unwrap_or(-1),
        ))
    };
    check(count(None, None)? == (3, 0), || {
        "file value not applied".into()
    })?;
    check(count(Some("2"), None)? == (2, 0), || {
        "env does not win over the file".into()
    })?;
    check(count(Some("2"), Some("1"))? == (1, 0), || {
        "the flag does not win".into()
    })?;
    std::fs::write(dir.join("dsop-harness.toml"), "id-cuont = 3\n")?;
    let (_, code) = count(None, None)?;
    check(code == 2, || {
        format!("unknown key: exit {code}, expected 2")
    })
}

/// The variables the configuration-file test sets through its file (never the environment).
const CONFIG_FILE_VARS: [&str; 7] = [
    "DSOP_HARNESS_BASE_URL",
    "DSOP_HARNESS_REPORT_DIR",
    "DSOP_HARNESS_STRICT",
    "DSOP_HARNESS_REQUEST_TIMEOUT",
    "DSOP_MASKINPORTEN_URL",
    "DSOP_POLICE_FAULTS",
    "DSOP_TRUST_DIR",
];

/// The configuration file is a layer under the environment and the flags, handed to clap as
/// defaults: it fills required flags, splits lists like their variables do, loses to the
/// environment and to flags, and never writes the process environment.
fn config_file_is_a_layer_not_the_environment() -> Result<(), Failed> {
    use dsop_harness::{CliCommand, PoliceCommand, TestCommand};
    let dir = scratch("config-layer");
    let file = dir.join("layer.toml");
    std::fs::write(
        &file,
        "base-url = \"http://127.0.0.1:9/v2\"\ntrust-dir = \"t\"\nreport-dir = \"from-file\"\n\
         strict = true\nrequest-timeout = 2.5\nmax-body-bytes = 1024\n\
         maskinporten-url = \"http://127.0.0.1:9/token\"\nregistry-url = \"http://127.0.0.1:9/r\"\n\
         catalog-url = \"http://127.0.0.1:9/c\"\noutput = \"out.json\"\n\
         police-faults = [\"first-page-only\", \"retry-on-4xx\"]\n",
    )?;
    let args = |rest: &[&str]| -> Vec<std::ffi::OsString> {
        ["dsop-harness", "--config"]
            .iter()
            .map(Into::into)
            .chain(std::iter::once(file.clone().into_os_string()))
            .chain(rest.iter().map(Into::into))
            .collect()
    };
    let set_in_env = || -> Vec<&str> {
        CONFIG_FILE_VARS
            .into_iter()
            .filter(|v| std::env::var_os(v).is_some())
            .collect()
    };
    let touched = set_in_env();
    check(touched.is_empty(), || {
        format!("run this test without {touched:?} in the environment")
    })?;
    let cli = dsop_harness::parse_args(&args(&["test", "bank", "--report-dir", "from-flag"]))?;
    let CliCommand::Test(TestCommand::Bank(bank)) = cli.command else {
        return Err("not test bank".into());
    };
    check(
        bank.base_url == "http://127.0.0.1:9/v2"
            && bank.common.report_dir.as_deref() == Some(Path::new("from-flag"))
            && bank.common.strict
            && bank.request_timeout == Some(2.5)
            && bank.max_body_bytes == Some(1024),
        || format!("test bank parsed as {bank:?}"),
    )?;
    let cli = dsop_harness::parse_args(&args(&["police", "lookup"]))?;
    let CliCommand::Police(PoliceCommand::Lookup(lookup)) = cli.command else {
        return Err("not police lookup".into());
    };
    check(
        lookup.maskinporten_url == "http://127.0.0.1:9/token"
            && lookup.trust_dir == Path::new("t")
            && lookup.faults.len() == 2,
        || format!("police lookup parsed as {lookup:?}"),
    )?;
    let written = set_in_env();
    check(written.is_empty(), || {
        format!("the configuration file wrote {written:?} into the process environment")
    })
}

/// Only the command line (src/cli, src/main.rs) reads or writes the process environment; the
/// library gets every setting handed in.
fn no_library_code_touches_the_environment() -> Result<(), Failed> {
    fn walk(dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                if !path.ends_with("cli") {
                    walk(&path, out)?;
                }
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("main.rs") {
                let text = std::fs::read_to_string(&path)?;
                for (n, line) in text.lines().enumerate() {
                    let code = line.split("//").next().unwrap_or_default();
                    if [
                        "env::var",
                        "var_os(",
                        "set_var(",
                        "remove_var(",
                        "env::vars",
                    ]
                    .iter()
                    .any(|needle| code.contains(needle))
                    {
                        out.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                    }
                }
            }
        }
        Ok(())
    }
    let mut found = Vec::new();
    walk(&crate_dir().join("src"), &mut found)?;
    check(found.is_empty(), || {
        format!(
            "library code touching the environment:\n{}",
            found.join("\n")
        )
    })
}

fn requirements_md_is_current() -> Result<(), Failed> {
    let generated = dsop_harness::requirements::markdown(&crate_dir().join("features"))?;
    let committed = std::fs::read_to_string(crate_dir().join("docs/requirements.md"))?;
    // The proof section after it is checked by the proof test, which runs the proof.
    let (scenarios, proof) = committed
        .split_once(dsop_harness::requirements::PROOF_HEADING)
        .ok_or("docs/requirements.md has no seeded-fault proof section")?;
    check(generated == scenarios && proof.contains("proven: "), || {
        "docs/requirements.md is stale: run `cargo run --release -- requirements --proof --markdown > docs/requirements.md`".into()
    })?;
    check(
        generated.contains("`BANK-TOKEN-PRESENT`") && !generated.contains("*none yet*"),
        || "requirements.md lists a requirement no scenario checks".into(),
    )
}

/// The rule tables of the vendor docs are the rule layer's: every rule binding that side, with
/// its level and what passes (`requirements --vendor-table SIDE`).
fn vendor_docs_list_every_rule() -> Result<(), Failed> {
    use dsop_harness::Side;
    use dsop_harness::{
        open_points::vendor_table, open_points::VENDOR_TABLE_BEGIN, open_points::VENDOR_TABLE_END,
    };
    for (side, doc, name) in [
        (Side::Bank, "docs/bank-vendors.md", "bank"),
        (Side::Police, "docs/police-vendors.md", "police"),
    ] {
        let text = std::fs::read_to_string(crate_dir().join(doc))?;
        let block = text
            .find(VENDOR_TABLE_BEGIN)
            .and_then(|start| {
                let end = text[start..].find(VENDOR_TABLE_END)? + start + VENDOR_TABLE_END.len();
                Some(&text[start..end])
            })
            .unwrap_or_default();
        let generated = vendor_table(side);
        check(block == generated.trim_end(), || {
            format!(
                "{doc}: the rule table is missing or stale: replace the block between the rules: \
                 markers with `cargo run -- requirements --vendor-table {name}`"
            )
        })?;
        for rule in dsop_harness::Rule::all().filter(|r| r.side() == side) {
            check(block.contains(&format!("`{}`", rule.id())), || {
                format!("{doc} does not name {rule}")
            })?;
        }
    }
    Ok(())
}

fn open_points_md_is_current() -> Result<(), Failed> {
    let generated = dsop_harness::open_points::markdown();
    let committed = std::fs::read_to_string(crate_dir().join("docs/open-points.md"))?;
    check(generated == committed, || {
        "docs/open-points.md is stale: run `cargo run -- requirements --open-points > docs/open-points.md`".into()
    })
}

/// Every `@mandatory` scenario names at least one rule, and every rule it names rests on a
/// quoted digest sentence (the open-points table, `src/rules/open_points.rs`).
fn mandatory_scenarios_cite_a_digest_sentence() -> Result<(), Failed> {
    let mut problems = Vec::new();
    let mut mandatory = 0;
    for s in dsop_harness::requirements::scenarios(&crate_dir().join("features"))? {
        if !s.tags.iter().any(|t| t == "mandatory") {
            continue;
        }
        mandatory += 1;
        let ids: Vec<&str> = s
            .tags
            .iter()
            .filter_map(|t| t.strip_prefix("req-"))
            .collect();
        if ids.is_empty() {
            problems.push(format!(
                "{}:{} {:?}: a mandatory scenario that names no rule (@req-) cites no digest sentence",
                s.file, s.line, s.name
            ));
        }
        for id in ids {
            let point = dsop_harness::Rule::from_id(id).and_then(dsop_harness::open_points::find);
            match point {
                Some(p) if !p.sentence.trim().is_empty() && !p.section.trim().is_empty() => {}
                _ => problems.push(format!(
                    "{}:{} {:?}: rule {id} has no digest sentence in src/rules/open_points.rs",
                    s.file, s.line, s.name
                )),
            }
        }
    }
    check(problems.is_empty() && mandatory > 0, || {
        format!("{mandatory} mandatory scenarios; problems: {problems:#?}")
    })
}

/// A scenario's level tag and the catalogue level of every requirement it names agree, so the
/// coverage table never shows a mandatory rule checked only as a warning (or the reverse).
/// Unknown `@req-` IDs fail too.
fn scenario_levels_agree_with_the_catalogue() -> Result<(), Failed> {
    use dsop_harness::{Level, Rule};
    let mut problems = Vec::new();
    for s in dsop_harness::requirements::scenarios(&crate_dir().join("features"))? {
        let level = if s.tags.iter().any(|t| t == "strict") {
            Level::Strict
        } else if s.tags.iter().any(|t| t == "recommended") {
            Level::Recommended
        } else {
            Level::Mandatory
        };
        for id in s.tags.iter().filter_map(|t| t.strip_prefix("req-")) {
            match Rule::from_id(id) {
                None => problems.push(format!(
                    "{}:{} names unknown requirement {id}",
                    s.file, s.line
                )),
                Some(r) if r.level() != level => problems.push(format!(
                    "{}:{} {:?} is {level:?} but {id} is {:?} in the catalogue",
                    s.file,
                    s.line,
                    s.name,
                    r.level()
                )),
                Some(_) => {}
            }
        }
    }
    check(problems.is_empty(), || problems.join("\n"))
}

fn demo_runs_and_its_reports_verify() -> Result<(), Failed> {
    let dir = scratch("demo");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dsop-harness"))
        .args(["demo", "--no-progress", "--report-dir"])
        .arg(dir.join("reports"))
        .arg("--trust-dir")
        .arg(trust_path())
        .output()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    check(out.status.code() == Some(0), || {
        format!(
            "demo exit {:?}\n{stdout}\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    check(stdout.contains("bank") && stdout.contains("PASS"), || {
        format!("summary table:\n{stdout}")
    })?;
    let bank = dir.join("reports/bank");
    verify_dir(&bank, true).map_err(|e| format!("demo reports: {e}"))?;
    Ok(())
}

fn main() {
    let arguments = Arguments::from_args();
    let mut trials = vec![
        Trial::test(
            "report::real_run_writes_every_report_file",
            real_run_writes_every_report,
        ),
        Trial::test(
            "report::no_secret_in_any_report_file",
            no_secret_in_any_report_file,
        ),
        Trial::test(
            "html::chromium_renders_verdict_coverage_and_masked_transcript",
            chromium_renders_verdict_coverage_and_masked_transcript,
        ),
        Trial::test("html::markup_from_a_sut_is_inert", injected_markup_is_inert),
        Trial::test(
            "html::a_stubbed_exchange_is_marked_in_html_and_transcripts",
            stubbed_exchange_is_marked,
        ),
        Trial::test(
            "junit::failure_names_rule_digest_section_and_reproduce",
            junit_failure_names_rule_and_section,
        ),
        Trial::test(
            "junit::junitparser_reads_every_judgement",
            junitparser_reads_every_judgement,
        ),
        Trial::test(
            "expected::listed_failure_is_expected_listed_pass_is_unexpected",
            expected_failures_are_neither_pass_nor_failure,
        ),
        Trial::test(
            "expected::bad_files_are_rejected",
            expected_failures_file_is_checked,
        ),
        Trial::test(
            "verdict::skipped_mandatory_scenario_is_incomplete_in_every_report",
            skipped_mandatory_scenario_is_incomplete_in_every_report,
        ),
        Trial::test("attest::untouched_run_verifies", untouched_run_verifies),
        Trial::test(
            "attest::added_and_removed_files_are_detected",
            added_and_removed_files_are_detected,
        ),
        Trial::test(
            "attest::edited_claims_and_other_keys_fail",
            altered_claims_or_other_key_fail,
        ),
        Trial::test("cli::every_flag_has_an_env_var", every_flag_has_an_env_var),
        Trial::test(
            "cli::config_keys_map_to_env_vars",
            config_keys_map_to_env_vars,
        ),
        Trial::test(
            "cli::config_precedence_cli_env_file",
            config_precedence_is_cli_then_env_then_file,
        ),
        Trial::test(
            "cli::config_file_is_a_layer_not_the_environment",
            config_file_is_a_layer_not_the_environment,
        ),
        Trial::test(
            "cli::no_library_code_touches_the_environment",
            no_library_code_touches_the_environment,
        ),
        Trial::test(
            "docs::requirements_md_is_current",
            requirements_md_is_current,
        ),
        Trial::test(
            "docs::scenario_levels_agree_with_the_catalogue",
            scenario_levels_agree_with_the_catalogue,
        ),
        Trial::test("docs::open_points_md_is_current", open_points_md_is_current),
        Trial::test(
            "docs::vendor_docs_list_every_rule",
            vendor_docs_list_every_rule,
        ),
        Trial::test(
            "docs::mandatory_scenarios_cite_a_digest_sentence",
            mandatory_scenarios_cite_a_digest_sentence,
        ),
        Trial::test(
            "demo::runs_and_its_reports_verify",
            demo_runs_and_its_reports_verify,
        ),
    ];
    for file in REPORT_FILES {
        trials.push(Trial::test(
            format!("attest::tampering_with_{file}_is_detected"),
            move || tampering_is_detected(file),
        ));
    }
    libtest_mimic::run(&arguments, trials).exit();
}
