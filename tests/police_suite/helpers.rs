//! Shared set-up of the police suite tests and the trials themselves.

use dsop_harness::{
    run_police_suite, FaultSet, PoliceSuiteConfig, PoliceSuiteRun, ScenarioStatus, Selection,
    Trigger, Verdict,
};
use libtest_mimic::{Failed, Trial};
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub fn features() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/features/police"))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// One run of the suite.
pub fn suite(
    trigger: Trigger,
    only: &[&str],
    tags: Option<&str>,
    timeout: Duration,
) -> Result<PoliceSuiteRun, Failed> {
    let mut config = PoliceSuiteConfig::new(trigger, features());
    config.timeout = timeout;
    config.only_scenarios = only.iter().map(|s| (*s).to_owned()).collect();
    config.selection = Selection::parse(tags, None).map_err(|e| e.to_string())?;
    let runtime = runtime();
    let result = runtime.block_on(run_police_suite(config));
    runtime.shutdown_timeout(Duration::from_secs(2));
    result.map_err(|e| Failed::from(e.to_string()))
}

/// Every failed scenario with its first failure.
pub fn failures(run: &PoliceSuiteRun) -> Vec<String> {
    run.outcome
        .scenarios
        .iter()
        .filter(|s| s.status == ScenarioStatus::Failed)
        .map(|s| {
            format!(
                "{} ({}:{}): {}",
                s.scenario,
                s.feature_path,
                s.line,
                s.failure().unwrap_or("?")
            )
        })
        .collect()
}

fn check(condition: bool, message: impl FnOnce() -> String) -> Result<(), Failed> {
    if condition {
        Ok(())
    } else {
        Err(message().into())
    }
}

/// The whole suite passes: verdict Pass, nothing failed or skipped, every scenario has a
/// transcript.
fn passes(run: &PoliceSuiteRun, what: &str, min_scenarios: usize) -> Result<(), Failed> {
    let (passed, failed, skipped) = run.outcome.counts();
    check(run.trigger_unavailable.is_none(), || {
        format!("{what}: trigger unavailable: {:?}", run.trigger_unavailable)
    })?;
    check(
        run.outcome.verdict(false) == Verdict::Pass
            && failed + skipped == 0
            && passed >= min_scenarios,
        || {
            format!(
                "{what}: verdict {:?}, {passed} passed, {failed} failed, {skipped} skipped (want ≥ {min_scenarios} passed):\n{}",
                run.outcome.verdict(false),
                failures(run).join("\n")
            )
        },
    )?;
    let untranscribed: Vec<&str> = run
        .outcome
        .scenarios
        .iter()
        .filter(|s| s.transcript.is_empty())
        .map(|s| s.scenario.as_str())
        .collect();
    check(untranscribed.is_empty(), || {
        format!("{what}: scenarios without a transcript: {untranscribed:?}")
    })
}

/// Scenarios in features/police (outline rows counted).
const SCENARIOS: usize = 35;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_dsop-harness")
}

pub fn reference_trials() -> Vec<Trial> {
    vec![
        Trial::test(
            "police_suite::reference_client_in_process_passes_every_scenario",
            || {
                let started = Instant::now();
                let run = suite(
                    Trigger::InProcess(FaultSet::none()),
                    &[],
                    None,
                    Duration::from_secs(60),
                )?;
                println!(
                    "police suite vs reference client (in-process): {:?} for {} scenarios",
                    started.elapsed(),
                    run.outcome.scenarios.len()
                );
                passes(&run, "in-process reference client", SCENARIOS)
            },
        ),
        // The two registry-grant modes (digest 1.2, 6.3: `resource` is shown only for bank
        // tokens): in process the reference client's default (resource = the registry URL),
        // spawned the grant without `resource`. Both pass every scenario.
        Trial::test(
            "police_suite::reference_client_through_the_trigger_command_without_registry_resource_passes",
            || {
                let started = Instant::now();
                let run = suite(
                    Trigger::Command(format!(
                        "{} police lookup --registry-resource none",
                        bin()
                    )),
                    &[],
                    None,
                    Duration::from_secs(60),
                )?;
                println!(
                    "police suite vs `dsop-harness police lookup --registry-resource none` (spawned): {:?} for {} scenarios",
                    started.elapsed(),
                    run.outcome.scenarios.len()
                );
                passes(
                    &run,
                    "spawned reference client, registry grant without resource",
                    SCENARIOS,
                )
            },
        ),
    ]
}

const ONE: &str = "a partial answer is reported as partial";

fn hostile(command: &str, timeout: Duration, evidence: &'static str) -> Result<(), Failed> {
    let run = suite(Trigger::Command(command.to_owned()), &[ONE], None, timeout)?;
    let [scenario] = &run.outcome.scenarios[..] else {
        return Err(format!("expected one scenario, got {}", run.outcome.scenarios.len()).into());
    };
    check(scenario.status == ScenarioStatus::Failed, || {
        format!("trigger {command:?}: the scenario passed")
    })?;
    check(run.outcome.verdict(false) == Verdict::Fail, || {
        "verdict is not Fail".into()
    })?;
    let message = scenario.failure().unwrap_or_default();
    check(message.contains(evidence), || {
        format!("trigger {command:?}: failure lacks the evidence {evidence:?}:\n{message}")
    })
}

/// A trigger that never ends is killed when its time is up: the scenario fails with that
/// evidence, and the trigger's process is gone when the run ends (no wall-clock bound: the
/// proof is the process, not how long the machine took).
fn hanging_trigger_is_killed() -> Result<(), Failed> {
    let pid_file = std::env::temp_dir().join(format!("dsop-hanging-{}.pid", uuid::Uuid::new_v4()));
    let command = format!("echo $$ > '{}'; exec sleep 300", pid_file.display());
    hostile(
        &command,
        Duration::from_secs(2),
        "did not finish within 2.0 s",
    )?;
    let pid = std::fs::read_to_string(&pid_file)?.trim().to_owned();
    let _ = std::fs::remove_file(&pid_file);
    check(!pid.is_empty(), || "the trigger never started".into())?;
    // Running unless gone or a zombie waiting to be reaped (state `Z` after the `comm` field).
    let alive = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            stat.rsplit_once(')')
                .and_then(|(_, rest)| rest.trim_start().chars().next())
        })
        .is_some_and(|state| state != 'Z');
    check(!alive, || {
        format!("the hanging trigger (pid {pid}) is still running after the run ended")
    })
}

/// A police implementation that sends every mock hostile framing (an overflowing chunk size,
/// a short body and a close, an 800 MB declared body) before running the case with the
/// reference client: every mock must refuse the oversized body at once and keep answering, so
/// the scenario passes (`hostile_client.py` exits 1 naming the mock otherwise).
fn mocks_survive_a_hostile_client() -> Result<(), Failed> {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/police_suite/hostile_client.py"
    );
    let command = format!("python3 '{script}' '{}'", bin());
    let run = suite(
        Trigger::Command(command),
        &[ONE],
        None,
        Duration::from_secs(60),
    )?;
    passes(&run, "hostile client, then the reference client", 1)
}

pub fn hostile_trials() -> Vec<Trial> {
    let t = Duration::from_secs(30);
    vec![
        Trial::test(
            "police_suite::hostile::the_mocks_survive_hostile_framing_from_the_police_side",
            mocks_survive_a_hostile_client,
        ),
        Trial::test(
            "police_suite::hostile::a_hanging_trigger_is_killed_after_the_timeout",
            hanging_trigger_is_killed,
        ),
        Trial::test(
            "police_suite::hostile::a_crashing_trigger_fails_with_its_stderr",
            move || {
                hostile(
                    "echo 'boom: out of cheese' >&2; exit 3",
                    t,
                    "boom: out of cheese",
                )
            },
        ),
        Trial::test(
            "police_suite::hostile::a_trigger_writing_no_result_fails",
            move || hostile("true", t, "wrote no case result"),
        ),
        Trial::test(
            "police_suite::hostile::a_trigger_writing_garbage_fails",
            move || hostile("printf '{not json' > \"$DSOP_OUTPUT\"", t, "not JSON"),
        ),
        Trial::test(
            "police_suite::hostile::a_result_that_breaks_the_schema_fails",
            move || {
                hostile(
                    "printf '{\"banks\": 7}' > \"$DSOP_OUTPUT\"",
                    t,
                    "does not conform",
                )
            },
        ),
    ]
}

/// Runs `test police` with its reports and trust directory in a scratch directory (never in
/// the checkout).
fn cli(args: &[&str]) -> Result<(i32, String), Failed> {
    let scratch = std::env::temp_dir().join(format!(
        "dsop-police-cli-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    let out = std::process::Command::new(bin())
        .args(["test", "police", "--no-progress"])
        .args(args)
        .arg("--report-dir")
        .arg(scratch.join("reports"))
        .current_dir(std::env::temp_dir())
        .env("DSOP_HARNESS_TRUST_DIR", scratch.join("trust"))
        .env_remove("DSOP_POLICE_FAULTS")
        .output()
        .map_err(|e| e.to_string())?;
    Ok((
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

fn exit_code(args: Vec<String>, want: i32, evidence: &'static str) -> Result<(), Failed> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, stderr) = cli(&args)?;
    check(code == want && stderr.contains(evidence), || {
        format!(
            "test police {args:?}: exit {code} (want {want}), stderr lacks {evidence:?}:\n{stderr}"
        )
    })
}

pub fn cli_trials() -> Vec<Trial> {
    let lookup = format!("{} police lookup", bin());
    let lookup_faulty = format!("{lookup} --fault call-data-not-delivered");
    vec![
        Trial::test("police_suite::cli::passing_run_exits_0", move || {
            exit_code(
                vec![
                    "--trigger".into(),
                    lookup,
                    "--tags".into(),
                    "@spec-4.7".into(),
                ],
                0,
                "verdict PASS",
            )
        }),
        Trial::test("police_suite::cli::mandatory_failure_exits_1", move || {
            exit_code(
                vec![
                    "--trigger".into(),
                    lookup_faulty,
                    "--tags".into(),
                    "@spec-4.7".into(),
                ],
                1,
                "POLICE-DATA-NOT-DELIVERED",
            )
        }),
        Trial::test("police_suite::cli::unknown_placeholder_exits_2", || {
            exit_code(
                vec!["--trigger".into(), "client {nope}".into()],
                2,
                "unknown placeholder",
            )
        }),
        Trial::test("police_suite::cli::missing_trigger_exits_2", || {
            exit_code(vec![], 2, "--trigger")
        }),
        Trial::test(
            "police_suite::cli::a_command_that_does_not_exist_exits_3",
            || {
                exit_code(
                    vec![
                        "--trigger".into(),
                        "no-such-police-client-4711 --out {output}".into(),
                        "--tags".into(),
                        "@spec-4.7".into(),
                    ],
                    3,
                    "could not run",
                )
            },
        ),
        Trial::test(
            "police_suite::cli::a_url_refusing_connections_exits_3",
            || {
                exit_code(
                    vec![
                        "--trigger-url".into(),
                        "http://127.0.0.1:9/case".into(),
                        "--tags".into(),
                        "@spec-4.7".into(),
                    ],
                    3,
                    "could not run",
                )
            },
        ),
    ]
}

pub fn python_client_passes() -> Result<(), Failed> {
    let client = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/python-police-client/police_client.py"
    );
    let probe = std::process::Command::new("python3")
        .args(["-c", "import requests, jwcrypto"])
        .output();
    match probe {
        Err(e) => {
            return Err(format!(
                "python3 is needed for the independent police client test and could not be \
                 started ({e}); install Python 3 and `pip install requests jwcrypto` (.ci/run does)"
            )
            .into())
        }
        Ok(out) if !out.status.success() => {
            return Err(format!(
                "the independent police client needs the Python packages requests and jwcrypto: \
                 `python3 -m pip install requests jwcrypto` (.ci/run does). python3 said: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )
            .into())
        }
        Ok(_) => {}
    }
    let started = Instant::now();
    let run = suite(
        Trigger::Command(format!("python3 {client}")),
        &[],
        None,
        Duration::from_secs(60),
    )?;
    let (passed, failed, skipped) = run.outcome.counts();
    println!(
        "police suite vs independent Python client: verdict {:?}, {passed} passed, {failed} failed, {skipped} skipped in {:?}",
        run.outcome.verdict(false),
        started.elapsed()
    );
    passes(&run, "Python client", SCENARIOS)
}
