//! Smoke test of `dsop-harness bench --quick`: the table is produced and well-formed
//! — a header, a separator, one row per figure with six cells and a known result — and every
//! group of figures is present. Timings are never asserted here.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use dsop_harness::FIGURES_HEADER;
use std::process::Command;

fn cells(line: &str) -> Vec<String> {
    line.trim()
        .trim_start_matches('|')
        .trim_end_matches('|')
        .split(" | ")
        .map(|c| c.trim().to_owned())
        .collect()
}

#[test]
fn quick_bench_prints_a_well_formed_table() {
    let output = Command::new(env!("CARGO_BIN_EXE_dsop-harness"))
        .args(["bench", "--quick", "--features"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/features/bank"))
        .output()
        .expect("run dsop-harness bench --quick");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "exit {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status
    );
    let table: Vec<&str> = stdout.lines().filter(|l| l.starts_with('|')).collect();
    assert!(table.len() > 2, "no table in:\n{stdout}");
    assert_eq!(cells(table[0]), FIGURES_HEADER, "header of:\n{stdout}");
    assert_eq!(cells(table[1]), vec!["---"; 6], "separator of:\n{stdout}");
    let rows: Vec<Vec<String>> = table[2..].iter().map(|l| cells(l)).collect();
    for row in &rows {
        assert_eq!(row.len(), 6, "row {row:?} of:\n{stdout}");
        assert!(
            ["met", "NOT MET", "info", "gap"].contains(&row[5].as_str()),
            "result of {row:?}"
        );
        assert!(row.iter().all(|c| !c.is_empty()), "empty cell in {row:?}");
    }
    for figure in [
        "mock ecosystem ready",
        "mock bank, plain JSON, wiremock",
        "mock bank, plain JSON, hyper",
        "mock bank, JWE, wiremock",
        "mock bank, JWE, hyper",
        "police client pages",
        "peak RSS",
        "fanned out",
        "bank suite",
        "schema::validate",
        "police suite",
    ] {
        assert!(
            rows.iter().any(|r| r[0].contains(figure)),
            "no row for {figure:?} in:\n{stdout}"
        );
    }
    // Measured figures carry numbers; only the police-suite row may be a gap.
    for row in rows.iter().filter(|r| r[5] != "gap") {
        assert!(
            row[1].chars().any(|c| c.is_ascii_digit()),
            "no number in {row:?}"
        );
    }
    assert!(
        stdout.contains("quick mode"),
        "no run summary in:\n{stdout}"
    );
}
