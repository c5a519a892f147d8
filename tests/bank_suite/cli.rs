//! `dsop-harness test bank` exit codes (docs/exit-codes.md): 0 pass, 1 a mandatory scenario
//! failed, 2 usage or configuration error, 3 the bank could not be reached. The built binary
//! runs against an ecosystem started in this process.

use libtest_mimic::{Failed, Trial};
use std::process::Command;

fn harness(args: &[&str]) -> Result<(i32, String), Failed> {
    let out = Command::new(env!("CARGO_BIN_EXE_dsop-harness"))
        .arg("test")
        .arg("bank")
        .args(args)
        .env_remove("DSOP_HARNESS_TAGS")
        .output()?;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    Ok((out.status.code().unwrap_or(-1), stderr))
}

/// Runs the binary against bank 0 of an in-process ecosystem with `faults`.
fn against_mock(faults: &'static [&'static str], extra: &[&str]) -> Result<(i32, String), Failed> {
    let extra: Vec<String> = extra.iter().map(|a| (*a).to_owned()).collect();
    let runtime = super::runtime();
    runtime.block_on(async {
        let eco = super::ecosystem(0, faults).await?;
        let org = super::population().banks[0].org_number.clone();
        let url = eco.bank_url(&org).ok_or("no bank url")?.to_owned();
        let trust = super::trust_path().display().to_string();
        let report = std::env::temp_dir().join(format!("dsop-bank-cli-{}", uuid::Uuid::new_v4()));
        let report = report.display().to_string();
        let result = tokio::task::spawn_blocking(move || {
            let mut args = vec![
                "--base-url",
                &url,
                "--trust-dir",
                &trust,
                "--report-dir",
                &report,
            ];
            args.extend(extra.iter().map(String::as_str));
            harness(&args).map_err(|e| format!("{e:?}"))
        })
        .await
        .map_err(|e| e.to_string())?;
        eco.shutdown();
        Ok(result?)
    })
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|a| (*a).to_owned()).collect()
}

/// The line of the first `Scenario Outline:` of a bank feature (not a runnable scenario line).
fn outline_header_line(file: &str) -> Result<usize, Failed> {
    let text = std::fs::read_to_string(super::features().join(file))?;
    text.lines()
        .position(|l| l.trim_start().starts_with("Scenario Outline:"))
        .map(|i| i + 1)
        .ok_or_else(|| format!("{file} has no Scenario Outline").into())
}

/// Like [`against_mock`], with arguments built at run time from the pack file and bank orgs.
fn against_mock_with_pack(
    extra: impl FnOnce(&str, &[String]) -> Vec<String> + Send + 'static,
) -> Result<(i32, String), Failed> {
    let runtime = super::runtime();
    runtime.block_on(async {
        let eco = super::ecosystem(0, &[]).await?;
        let population = super::population();
        let orgs: Vec<String> = population
            .banks
            .iter()
            .map(|b| b.org_number.clone())
            .collect();
        let url = eco.bank_url(&orgs[0]).ok_or("no bank url")?.to_owned();
        let dir = std::env::temp_dir().join(format!("dsop-bank-pack-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir)?;
        let pack = dir.join("pack.json");
        population.save(&pack).map_err(|e| e.to_string())?;
        let trust = super::trust_path().display().to_string();
        let report = dir.join("report").display().to_string();
        let pack = pack.display().to_string();
        let result = tokio::task::spawn_blocking(move || {
            let mut args: Vec<String> = ["--base-url", &url, "--trust-dir", &trust]
                .iter()
                .map(|s| (*s).to_owned())
                .collect();
            args.extend(["--report-dir".to_owned(), report]);
            args.extend(extra(&pack, &orgs));
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            harness(&args).map_err(|e| format!("{e:?}"))
        })
        .await
        .map_err(|e| e.to_string())?;
        eco.shutdown();
        let _ = std::fs::remove_dir_all(&dir);
        Ok(result?)
    })
}

fn expect(code: i32, got: (i32, String)) -> Result<(), Failed> {
    if got.0 == code {
        Ok(())
    } else {
        Err(format!("expected exit {code}, got {}; stderr:\n{}", got.0, got.1).into())
    }
}

pub(crate) fn trials() -> Vec<Trial> {
    vec![
        Trial::test("cli::test_bank_exits_0_against_the_reference_bank", || {
            expect(0, against_mock(&[], &["--tags", "@spec-7.1 or @spec-7.2"])?)
        }),
        Trial::test(
            "cli::test_bank_exits_1_when_a_mandatory_scenario_fails",
            || {
                let got = against_mock(&["post-returns-200"], &["--tags", "@spec-7.1"])?;
                if !got.1.contains("reproduce: dsop-harness") {
                    return Err(format!("no reproduce command in:\n{}", got.1).into());
                }
                expect(1, got)
            },
        ),
        Trial::test("cli::test_bank_exits_2_on_usage_errors", || {
            expect(2, harness(&["--base-url", "http://127.0.0.1:9/v2"])?)?;
            expect(
                2,
                harness(&[
                    "--base-url",
                    "http://127.0.0.1:9/v2",
                    "--trust-dir",
                    "/nonexistent/dsop-trust",
                ])?,
            )?;
            expect(2, against_mock(&[], &["--tags", "@a and and"])?)?;
            expect(
                2,
                against_mock(&[], &["--fixtures", "/nonexistent/pack.json"])?,
            )
        }),
        Trial::test("cli::a_run_in_which_no_scenario_ran_exits_2", || {
            let broken = std::env::temp_dir().join(format!("dsop-broken-{}", uuid::Uuid::new_v4()));
            std::fs::create_dir_all(&broken)?;
            std::fs::write(
                broken.join("broken.feature"),
                "Feature: broken\n  Scenario: x\n    Given\n  Examples without outline\n  |a|\n",
            )?;
            let outline = outline_header_line("accounts.feature")?;
            let cases: Vec<(Vec<String>, &str)> = vec![
                (args(&["--tags", "@no-such-tag"]), "--tags \"@no-such-tag\""),
                (
                    args(&["--scenario", "transport.feature:99999"]),
                    "transport.feature:99999",
                ),
                (
                    vec!["--scenario".into(), format!("accounts.feature:{outline}")],
                    "accounts.feature:",
                ),
                (
                    args(&["--features", "/nonexistent/features"]),
                    "/nonexistent/features",
                ),
                (
                    vec!["--features".into(), broken.display().to_string()],
                    "could not be parsed",
                ),
            ];
            for (extra, names) in cases {
                let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
                let (code, stderr) = against_mock(&[], &extra)?;
                if code != 2 || !stderr.contains(names) || stderr.contains("verdict PASS") {
                    return Err(format!(
                        "{extra:?}: expected exit 2 naming {names:?} and no verdict, got exit \
                         {code}:\n{stderr}"
                    )
                    .into());
                }
            }
            Ok(())
        }),
        Trial::test(
            "cli::skipped_mandatory_scenarios_make_the_run_incomplete_exit_4",
            || {
                // Data-exact scenarios without --fixtures cannot run: nothing failed, but the
                // run is not a pass.
                let (code, stderr) = against_mock(&[], &["--tags", "@data-exact and @mandatory"])?;
                if !stderr.contains("verdict INCOMPLETE") || !stderr.contains("NOT RUN (mandatory)")
                {
                    return Err(format!("no INCOMPLETE verdict in:\n{stderr}").into());
                }
                expect(4, (code, stderr))
            },
        ),
        Trial::test(
            "cli::test_bank_preflight_passes_when_the_bank_serves_the_pack",
            || {
                expect(
                    0,
                    against_mock_with_pack(|pack, _| {
                        ["--fixtures", pack, "--tags", "@spec-1.3"]
                            .iter()
                            .map(|s| (*s).to_owned())
                            .collect()
                    })?,
                )
            },
        ),
        Trial::test(
            "cli::test_bank_preflight_stops_with_exit_2_when_the_bank_serves_another_pack_bank",
            || {
                let expected = super::population().banks[0].org_number.clone();
                let got = against_mock_with_pack(|pack, orgs| {
                    vec![
                        "--fixtures".to_owned(),
                        pack.to_owned(),
                        "--bank-org".to_owned(),
                        orgs[1].clone(),
                    ]
                })?;
                if !got.1.contains("does not serve this test data pack")
                    || !got.1.contains(&format!("--bank-org {expected}"))
                {
                    return Err(format!("no clear preflight message:\n{}", got.1).into());
                }
                expect(2, got)
            },
        ),
        Trial::test(
            "cli::test_bank_exits_3_when_the_bank_is_unreachable",
            || {
                let port = std::net::TcpListener::bind("127.0.0.1:0")?
                    .local_addr()?
                    .port();
                let url = format!("http://127.0.0.1:{port}/v2");
                let trust = super::trust_path().display().to_string();
                let got = harness(&["--base-url", &url, "--trust-dir", &trust])?;
                if !got.1.contains("could not be reached") {
                    return Err(format!("no clear message:\n{}", got.1).into());
                }
                expect(3, got)
            },
        ),
    ]
}
