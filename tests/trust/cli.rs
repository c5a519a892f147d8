//! `eo sign` refuses typos: an impossible date, an inverted period, a malformed partyID or
//! caseID exit 2 (usage) unless the `--break` that produces exactly that is named (digest 5.3
//! format rules, checked by the verifier's own `check_payload_fields`).

use crate::helpers::fixture;
use libtest_mimic::{Failed, Trial};
use std::process::Command;

fn sign(args: &[&str]) -> Result<(Option<i32>, String, String), Failed> {
    let out = Command::new(env!("CARGO_BIN_EXE_dsop-harness"))
        .args(["eo", "sign", "--trust-dir"])
        .arg(fixture().trust.path())
        .args(args)
        .env_remove("DSOP_EO_BREAK")
        .output()
        .map_err(|e| e.to_string())?;
    Ok((
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

/// `args` must be refused with exit 2 naming `brk`, and signed with `--break brk`.
fn refused_unless_asked(
    name: &'static str,
    args: &'static [&'static str],
    brk: &'static str,
) -> Trial {
    Trial::test(format!("cli::eo sign {name}"), move || {
        let (code, stdout, stderr) = sign(args)?;
        let hint = format!("--break {brk}");
        if code != Some(2) || !stdout.is_empty() || !stderr.contains(&hint) {
            return Err(format!(
                "{args:?}: expected exit 2 naming {hint:?} and no order, got {code:?}\n\
                 stdout: {stdout}\nstderr: {stderr}"
            )
            .into());
        }
        let mut with_break = args.to_vec();
        with_break.extend(["--break", brk]);
        let (code, stdout, stderr) = sign(&with_break)?;
        if code != Some(0) || stdout.trim().split('.').count() != 3 {
            return Err(format!(
                "{with_break:?}: expected a signed order, got {code:?}\nstdout: {stdout}\n\
                 stderr: {stderr}"
            )
            .into());
        }
        Ok(())
    })
}

pub fn trials() -> Vec<Trial> {
    vec![
        refused_unless_asked(
            "impossible fromDate 2026-02-30",
            &["--from-date", "2026-02-30", "--to-date", "2026-03-31"],
            "bad-date-format",
        ),
        refused_unless_asked(
            "fromDate after toDate",
            &["--from-date", "2025-06-01", "--to-date", "2025-01-01"],
            "period-inverted",
        ),
        refused_unless_asked("partyID 123", &["--party-id", "123"], "bad-party-id"),
        refused_unless_asked("caseID x", &["--case-id", "x"], "non-uuid-case-id"),
        Trial::test("cli::eo sign valid values sign", || {
            let (code, stdout, stderr) = sign(&[
                "--party-id",
                "15859050120",
                "--case-id",
                "6f0f1c35-3c0a-4c55-9f5e-5d2a3b7c9e01",
                "--from-date",
                "2025-01-01",
                "--to-date",
                "2025-06-30",
            ])?;
            if code != Some(0) || stdout.trim().split('.').count() != 3 {
                return Err(format!("{code:?}\nstdout: {stdout}\nstderr: {stderr}").into());
            }
            Ok(())
        }),
    ]
}
