//! `report.html`: one self-contained page (inline CSS, no scripts, no external assets; works
//! offline and from a mail attachment) with the verdict, every feature and scenario with its
//! steps, the requirement-coverage table, and every scenario's masked transcript (payloads
//! decrypted and pretty-printed).
//!
//! Every text that reaches the page goes through [`super::escape::html`]: a body a system
//! under test sent cannot add markup to the report.

use super::escape::html as esc;
use super::summary::{Coverage, ScenarioSummary, Summary};
use crate::suite::outcome::{Judgement, ScenarioOutcome, StepStatus, Verdict};
use crate::suite::transcript::TranscriptEntry;
use std::fmt::Write as _;

const STYLE: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1c1c1c;background:#f6f7f9}
header{padding:1.2rem 2rem;color:#fff}
header.pass{background:#1e7a3c}header.passWithWarnings{background:#9a6a00}header.fail{background:#b3261e}header.incomplete{background:#5b4a8a}
header h1{margin:0 0 .3rem 0;font-size:1.6rem}
main{padding:1rem 2rem 3rem}
section{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:1rem 1.2rem;margin:1rem 0}
h2{font-size:1.2rem;margin:.2rem 0 .8rem}h3{font-size:1.05rem;margin:1rem 0 .4rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #e4e7eb;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f2f5}
.j{display:inline-block;padding:0 .45rem;border-radius:3px;font-size:.8rem;font-weight:600;white-space:nowrap}
.j-passed{background:#d7f0de;color:#155d2c}.j-failed{background:#f9d6d3;color:#8c1d15}
.j-warning{background:#fdecc8;color:#7a5200}.j-expected-failure{background:#e2e0f5;color:#3d3487}
.j-unexpected-pass{background:#fde2c8;color:#8a3d00}.j-skipped{background:#e6e8eb;color:#4a4f55}
.j-not-covered{background:#fff;color:#8c1d15;border:1px dashed #b3261e}
pre{background:#f4f5f7;border:1px solid #e1e4e8;padding:.5rem;overflow-x:auto;font-size:.8rem;white-space:pre-wrap;word-break:break-all}
details{margin:.4rem 0}summary{cursor:pointer}
.steps li{margin:.15rem 0}.err{color:#8c1d15}
.facts td:first-child{width:12rem;color:#555}
.exchange{border-left:3px solid #9aa5b1;padding-left:.7rem;margin:.6rem 0}
.stub{color:#7a4b00}
code{font-size:.85rem}
"#;

fn badge(judgement: &str) -> String {
    let class = judgement.replace(' ', "-");
    format!(
        "<span class=\"j j-{}\">{}</span>",
        esc(&class),
        esc(judgement)
    )
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::PassWithWarnings => "passWithWarnings",
        Verdict::Fail => "fail",
        Verdict::Incomplete => "incomplete",
    }
}

/// Renders the page. `outcomes` are the run's scenarios in the order of `summary.scenarios`.
pub fn render(summary: &Summary, outcomes: &[ScenarioOutcome]) -> String {
    let mut out = String::new();
    let title = format!(
        "dsop-harness {} suite — {}",
        summary.suite.as_str(),
        summary.verdict.label()
    );
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body>\n",
        esc(&title)
    );
    let c = &summary.counts;
    let _ = write!(
        out,
        "<header class=\"{}\"><h1 id=\"verdict\">Verdict: {}</h1>\
         <div>{} suite against <code>{}</code> — {} scenarios: {} passed, {} failed, {} warnings, \
         {} expected failures, {} unexpected passes, {} skipped</div></header>\n<main>\n",
        verdict_class(summary.verdict),
        esc(summary.verdict.label()),
        esc(summary.suite.as_str()),
        esc(&summary.sut),
        c.scenarios,
        c.passed,
        c.failed,
        c.warning,
        c.expected_failure,
        c.unexpected_pass,
        c.skipped
    );
    facts(&mut out, summary);
    failures(&mut out, summary);
    features(&mut out, summary);
    coverage(&mut out, summary);
    scenarios(&mut out, summary, outcomes);
    out.push_str(
        "<section><h2>About this report</h2><p>Secrets (tokens, extradition orders, keys) are \
         masked as <code>[masked KIND sha256:…]</code>; equal fingerprints mean equal values. \
         <code>attestation.jws</code> beside this file signs the hash of every report file; check \
         it with <code>dsop-harness attest verify attestation.jws --reports DIR</code> \
         (docs/forvaltning.md says what it proves and what it cannot).</p></section>\n",
    );
    out.push_str("</main></body></html>\n");
    out
}

fn facts(out: &mut String, s: &Summary) {
    let row = |out: &mut String, k: &str, v: &str| {
        let _ = write!(out, "<tr><td>{}</td><td>{}</td></tr>", esc(k), esc(v));
    };
    out.push_str("<section><h2>Run</h2><table class=\"facts\">");
    row(out, "Suite", s.suite.as_str());
    row(out, "System under test", &s.sut);
    row(out, "Started", &s.started_at.to_rfc3339());
    row(out, "Finished", &s.finished_at.to_rfc3339());
    row(
        out,
        "Duration",
        &format!("{:.1} s", s.duration_ms as f64 / 1000.0),
    );
    row(
        out,
        "Harness",
        &format!(
            "{} (commit {})",
            s.harness.version,
            s.harness.git_commit.as_deref().unwrap_or("unknown")
        ),
    );
    row(out, "Strict mode", if s.strict { "yes" } else { "no" });
    row(out, "Tags", s.tags.as_deref().unwrap_or("(all)"));
    row(
        out,
        "Seed",
        &s.seed
            .map_or_else(|| "(none)".to_owned(), |v| v.to_string()),
    );
    row(
        out,
        "Responses",
        if s.plain_json {
            "plain JSON (test mode)"
        } else {
            "JWE"
        },
    );
    out.push_str("</table></section>\n");
}

fn failures(out: &mut String, s: &Summary) {
    let notable: Vec<(usize, &ScenarioSummary)> = s
        .scenarios
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
        .collect();
    if notable.is_empty() && s.unused_expected_failures.is_empty() {
        return;
    }
    out.push_str("<section id=\"problems\"><h2>Failures, warnings and agreed deviations</h2><table><tr><th>Result</th><th>Scenario</th><th>Rule</th><th>Message</th></tr>");
    for (i, sc) in notable {
        let message = match sc.judgement {
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
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td><a href=\"#s-{i}\">{}</a><br><code>{}:{}</code></td><td>{}</td><td><pre>{}</pre>{}</td></tr>",
            badge(sc.judgement.as_str()),
            esc(&sc.name),
            esc(&sc.file),
            sc.line,
            esc(&sc.rules().join("\n")),
            esc(&message),
            sc.reproduce
                .as_ref()
                .map(|r| format!("reproduce: <code>{}</code>", esc(r)))
                .unwrap_or_default()
        );
    }
    for e in &s.unused_expected_failures {
        let _ = write!(
            out,
            "<tr><td>{}</td><td><code>{}</code> {}</td><td></td><td>expected-failures entry matched no scenario of this run: {}</td></tr>",
            badge("warning"),
            esc(&e.feature),
            esc(e.scenario.as_deref().unwrap_or("")),
            esc(&e.reason)
        );
    }
    out.push_str("</table></section>\n");
}

fn features(out: &mut String, s: &Summary) {
    out.push_str("<section id=\"features\"><h2>Features and scenarios</h2>");
    let mut files: Vec<&str> = Vec::new();
    for sc in &s.scenarios {
        if !files.contains(&sc.file.as_str()) {
            files.push(&sc.file);
        }
    }
    for file in files {
        let list: Vec<(usize, &ScenarioSummary)> = s
            .scenarios
            .iter()
            .enumerate()
            .filter(|(_, sc)| sc.file == file)
            .collect();
        let feature = list.first().map_or("", |(_, sc)| sc.feature.as_str());
        let _ = write!(
            out,
            "<h3>{} <small><code>{}</code></small></h3><table><tr><th>Result</th><th>Scenario</th><th>Level</th><th>Requirements</th><th>Digest</th><th>Time</th></tr>",
            esc(feature),
            esc(file)
        );
        for (i, sc) in list {
            let _ = write!(
                out,
                "<tr><td>{}</td><td><a href=\"#s-{i}\">{}</a> <small>line {}</small></td><td>{}</td><td>{}</td><td>{}</td><td>{} ms</td></tr>",
                badge(sc.judgement.as_str()),
                esc(&sc.name),
                sc.line,
                sc.level.map_or("invalid tags", level_name),
                esc(&sc.requirements.join(", ")),
                esc(&sc.sections.join(", ")),
                sc.duration_ms
            );
        }
        out.push_str("</table>");
    }
    out.push_str("</section>\n");
}

fn level_name(level: crate::rules::Level) -> &'static str {
    match level {
        crate::rules::Level::Mandatory => "mandatory",
        crate::rules::Level::Recommended => "recommended",
        crate::rules::Level::Strict => "strict",
    }
}

fn coverage_rows(out: &mut String, rows: &[Coverage], requirement: bool) {
    for row in rows {
        let scenarios: Vec<String> = row
            .scenarios
            .iter()
            .map(|r| {
                format!(
                    "<a href=\"#s-{}\">{}</a> {}",
                    r.index,
                    esc(&r.name),
                    badge(r.judgement.as_str())
                )
            })
            .collect();
        let scenarios = if scenarios.is_empty() {
            "<em>no scenario covers this requirement</em>".to_owned()
        } else {
            scenarios.join("<br>")
        };
        if requirement {
            let _ = write!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&row.id),
                esc(&row.section),
                row.level.map_or("", level_name),
                esc(&row.text),
                scenarios,
                badge(&row.verdict.replace('-', " "))
            );
        } else {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&row.id),
                scenarios,
                badge(&row.verdict.replace('-', " "))
            );
        }
    }
}

fn coverage(out: &mut String, s: &Summary) {
    let uncovered = s
        .requirements
        .iter()
        .filter(|r| r.scenarios.is_empty())
        .count();
    let _ = write!(
        out,
        "<section id=\"coverage\"><h2>Requirement coverage</h2><p>{} requirements bind the {} side; {} are checked by at least one scenario of this run, {} by none.</p>\
         <table id=\"coverage-table\"><tr><th>Requirement</th><th>Digest</th><th>Level</th><th>Rule</th><th>Scenarios</th><th>Result</th></tr>",
        s.requirements.len(),
        esc(s.suite.as_str()),
        s.requirements.len() - uncovered,
        uncovered
    );
    coverage_rows(out, &s.requirements, true);
    out.push_str("</table><h3>Digest sections checked</h3><table id=\"sections-table\"><tr><th>Section</th><th>Scenarios</th><th>Result</th></tr>");
    coverage_rows(out, &s.sections, false);
    out.push_str("</table></section>\n");
}

fn scenarios(out: &mut String, s: &Summary, outcomes: &[ScenarioOutcome]) {
    out.push_str("<section id=\"scenarios\"><h2>Scenarios, steps and transcripts</h2>");
    for (i, (sc, outcome)) in s.scenarios.iter().zip(outcomes).enumerate() {
        let open = if matches!(sc.judgement, Judgement::Failed) {
            " open"
        } else {
            ""
        };
        let _ = write!(
            out,
            "<details id=\"s-{i}\"{open}><summary>{} <strong>{}</strong> — {} <code>{}:{}</code></summary><div class=\"scenario\">",
            badge(sc.judgement.as_str()),
            esc(&sc.name),
            esc(&sc.feature),
            esc(&sc.file),
            sc.line
        );
        if let Some(reason) = &sc.expected_reason {
            let _ = write!(out, "<p>Expected failure (agreed): {}</p>", esc(reason));
        }
        if let Some(cmd) = &sc.reproduce {
            let _ = write!(out, "<p>Reproduce: <code>{}</code></p>", esc(cmd));
        }
        out.push_str("<ol class=\"steps\">");
        for step in &outcome.steps {
            let status = match step.status {
                StepStatus::Passed => "passed",
                StepStatus::Failed => "failed",
                StepStatus::Skipped => "skipped",
            };
            let _ = write!(
                out,
                "<li>{} <strong>{}</strong> {}",
                badge(status),
                esc(&step.keyword),
                esc(&step.text)
            );
            if let Some(error) = &step.error {
                let _ = write!(out, "<pre class=\"err\">{}</pre>", esc(error));
            }
            out.push_str("</li>");
        }
        out.push_str("</ol>");
        if let Err(e) = &outcome.meta {
            let _ = write!(out, "<p class=\"err\">Unusable tags: {}</p>", esc(e));
        }
        let _ = write!(
            out,
            "<h3>Transcript ({} requests)</h3>",
            outcome.transcript.len()
        );
        for entry in &outcome.transcript {
            transcript_entry(out, entry);
        }
        out.push_str("</div></details>\n");
    }
    out.push_str("</section>\n");
}

fn transcript_entry(out: &mut String, e: &TranscriptEntry) {
    let status = e
        .status
        .map_or_else(|| "no response".to_owned(), |s| s.to_string());
    let _ = write!(
        out,
        "<div class=\"exchange\"><div><strong>{}</strong> <code>{}</code> → <strong>{}</strong> <small>({}{}{})</small></div>",
        esc(&e.method),
        esc(&e.url),
        esc(&status),
        esc(&e.peer),
        e.content_type
            .as_ref()
            .map(|c| format!(", {}", esc(c)))
            .unwrap_or_default(),
        e.elapsed_ms
            .map(|ms| format!(", {ms} ms"))
            .unwrap_or_default()
    );
    if let Some(stub) = &e.stub {
        let _ = write!(
            out,
            "<div class=\"stub\"><strong>Answered by user stub {}</strong>, not by the DSOP \
             handler (<code>mocks serve --stubs</code>)</div>",
            esc(stub)
        );
    }
    let headers: String = e
        .request_headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\n"))
        .collect();
    let _ = write!(
        out,
        "<details><summary>Request headers</summary><pre class=\"headers\">{}</pre></details>",
        esc(&headers)
    );
    if let Some(body) = &e.request_body {
        let _ = write!(out, "<div>Request body</div><pre>{}</pre>", esc(body));
    }
    if let Some(enc) = &e.encryption {
        let _ = write!(
            out,
            "<div>Response was a JWE ({}), decrypted for display</div>",
            esc(enc)
        );
    }
    if let Some(response) = &e.response {
        let pretty =
            serde_json::to_string_pretty(response).unwrap_or_else(|_| response.to_string());
        let _ = write!(
            out,
            "<div>Response payload</div><pre class=\"payload\">{}</pre>",
            esc(&pretty)
        );
    }
    if let Some(text) = &e.response_text {
        let _ = write!(
            out,
            "<div>Response body (not JSON)</div><pre class=\"payload\">{}</pre>",
            esc(text)
        );
    }
    for v in &e.violations {
        let _ = write!(out, "<div class=\"err\">Violation: {}</div>", esc(v));
    }
    if let Some(error) = &e.error {
        let _ = write!(
            out,
            "<div class=\"err\">Transport error: {}</div>",
            esc(error)
        );
    }
    out.push_str("</div>");
}
