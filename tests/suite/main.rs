//! The suite machinery (`src/suite/`) on a probe feature whose scenarios end in known ways: the
//! recorder sees every scenario and step, tags become levels/sections/requirements, undefined
//! steps fail (never a silent skip), and the verdict follows the documented rules.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use cucumber::{given, then, World as _, WriterExt as _};
use dsop_harness::{Effect, Level, Recorder, ScenarioStatus, StepStatus, Verdict};
use libtest_mimic::{Arguments, Failed, Trial};

#[derive(Debug, Default, cucumber::World)]
struct ProbeWorld;

#[given("a step that passes")]
#[then("a step that passes")]
fn passes(_: &mut ProbeWorld) {}

#[given(expr = "a step that fails with {string}")]
#[then(expr = "a step that fails with {string}")]
fn fails(_: &mut ProbeWorld, why: String) -> Result<(), String> {
    Err(why)
}

const FEATURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/suite/features");

/// Runs the probe with cucumber's fail-on-skipped (as the suites do) or without it, to show the
/// recorder itself never lets an undefined step pass.
fn probe(fail_on_skipped: bool) -> Result<(), Failed> {
    let recorder = Recorder::new();
    let runtime = tokio::runtime::Runtime::new()?;
    if fail_on_skipped {
        runtime.block_on(
            ProbeWorld::cucumber()
                .with_writer(recorder.clone().normalized())
                .fail_on_skipped()
                .with_default_cli()
                .run(FEATURES),
        );
    } else {
        runtime.block_on(
            ProbeWorld::cucumber()
                .with_writer(recorder.clone().normalized())
                .with_default_cli()
                .run(FEATURES),
        );
    }
    let outcome = recorder.outcome();
    let find = |name: &str| {
        outcome
            .scenarios
            .iter()
            .find(|s| s.scenario == name)
            .ok_or_else(|| format!("scenario {name:?} was not recorded: {outcome:#?}"))
    };
    let check = |ok: bool, what: &str| -> Result<(), Failed> {
        if ok {
            Ok(())
        } else {
            Err(format!("{what}\n{outcome:#?}").into())
        }
    };
    check(outcome.scenarios.len() == 5, "five scenarios recorded")?;

    let pass = find("a mandatory scenario that passes")?;
    let meta = pass.meta.as_ref().map_err(|e| e.clone())?;
    check(
        pass.status == ScenarioStatus::Passed
            && pass.steps.len() == 2
            && meta.level == Level::Mandatory
            && meta.sections == ["7.1"]
            && meta.requirements == ["BANK-METHOD"],
        "passing scenario with its tags",
    )?;

    let warn = find("a recommended scenario that fails")?;
    check(
        warn.status == ScenarioStatus::Failed
            && warn.effect(false) == Effect::Warning
            && warn
                .failure()
                .is_some_and(|f| f.contains("RequesterID missing")),
        "recommended failure is a warning carrying the step's message",
    )?;

    let fail = find("a mandatory scenario that fails")?;
    check(
        fail.effect(false) == Effect::Failure
            && fail.steps.first().map(|s| s.status) == Some(StepStatus::Failed),
        "mandatory failure fails the run",
    )?;

    let undefined = find("a mandatory scenario with an undefined step")?;
    check(
        undefined.status == ScenarioStatus::Failed && undefined.effect(false) == Effect::Failure,
        "an undefined step fails its scenario (fail-on-skipped)",
    )?;

    let untagged = find("a scenario without a level tag")?;
    check(
        untagged.meta.is_err() && untagged.effect(false) == Effect::Failure,
        "a scenario without a level tag is a suite defect and fails the run",
    )?;

    check(outcome.verdict(false) == Verdict::Fail, "verdict Fail")?;
    check(outcome.counts() == (2, 3, 0), "2 passed, 3 failed")?;
    Ok(())
}

fn main() {
    let arguments = Arguments::from_args();
    let trials = vec![
        Trial::test(
            "suite::probe_outcomes_and_verdict_with_fail_on_skipped",
            || probe(true),
        ),
        Trial::test("suite::probe_outcomes_and_verdict_recorder_alone", || {
            probe(false)
        }),
    ];
    libtest_mimic::run(&arguments, trials).exit();
}
