//! A cucumber writer that records every scenario's outcome (tags read into
//! [`ScenarioMeta`](super::meta::ScenarioMeta), steps with their errors, timings) into a shared
//! store the suite reads after the run. It is the suites' only cucumber writer: every report
//! is rendered from what it records (`crate::reporting`).
//!
//! A [`Progress`] hook hears how many scenarios a run plans and each scenario as it finishes
//! (the CLI shows an indicatif bar with it). A recorder made with [`Recorder::new`] uses the
//! process-wide hook installed with [`install_progress`], so the suites need no change to get
//! progress.

use super::meta::ScenarioMeta;
use super::outcome::{ScenarioOutcome, ScenarioStatus, StepOutcome, StepStatus, SuiteOutcome};
use cucumber::event::{self, Cucumber, Feature, Rule, Scenario, Step};
use cucumber::gherkin;
use cucumber::{parser, writer, Event};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::SystemTime;

#[derive(Debug, Default)]
struct State {
    open: HashMap<usize, (ScenarioOutcome, SystemTime)>,
    done: Vec<ScenarioOutcome>,
    parse_errors: Vec<String>,
    steps: (usize, usize, usize),
}

/// Hears a run's progress: how many scenarios it plans, and each scenario as it finishes.
pub trait Progress: Send + Sync + std::fmt::Debug {
    /// The run selected `scenarios` scenarios (outline rows counted).
    fn planned(&self, scenarios: usize);
    /// A scenario finished.
    fn finished(&self, outcome: &ScenarioOutcome);
}

fn installed() -> &'static Mutex<Option<Arc<dyn Progress>>> {
    static HOOK: OnceLock<Mutex<Option<Arc<dyn Progress>>>> = OnceLock::new();
    HOOK.get_or_init(|| Mutex::new(None))
}

/// Installs (or with `None` removes) the process-wide progress hook that recorders made with
/// [`Recorder::new`] from now on report to.
pub fn install_progress(hook: Option<Arc<dyn Progress>>) {
    *installed()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = hook;
}

/// Records outcomes; clones share the store.
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    state: Arc<Mutex<State>>,
    progress: Option<Arc<dyn Progress>>,
}

impl Recorder {
    /// An empty recorder reporting to the installed progress hook, if any.
    pub fn new() -> Self {
        Self {
            state: Arc::default(),
            progress: installed()
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Every finished scenario so far.
    pub fn outcome(&self) -> SuiteOutcome {
        SuiteOutcome {
            scenarios: self.lock().done.clone(),
        }
    }

    /// Features that could not be parsed.
    pub fn parse_errors(&self) -> Vec<String> {
        self.lock().parse_errors.clone()
    }

    fn scenario_event(
        &self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &event::Source<gherkin::Scenario>,
        ev: &Scenario<impl std::fmt::Debug>,
        at: SystemTime,
    ) {
        let key = std::ptr::from_ref::<gherkin::Scenario>(scenario) as usize;
        let mut state = self.lock();
        match ev {
            Scenario::Started => {
                let tags = feature
                    .tags
                    .iter()
                    .chain(rule.map(|r| r.tags.iter()).into_iter().flatten())
                    .chain(scenario.tags.iter());
                let meta = ScenarioMeta::from_tags(&scenario.name, tags).map_err(|e| e.to_string());
                let outcome = ScenarioOutcome {
                    feature: feature.name.clone(),
                    feature_path: feature
                        .path
                        .as_ref()
                        .and_then(|p| p.file_name())
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    scenario: scenario.name.clone(),
                    line: scenario.position.line,
                    meta,
                    status: ScenarioStatus::Passed,
                    steps: Vec::new(),
                    duration_ms: 0,
                    transcript: Vec::new(),
                };
                state.open.insert(key, (outcome, at));
            }
            Scenario::Step(step, step_ev) | Scenario::Background(step, step_ev) => {
                let recorded = match step_ev {
                    Step::Started => None,
                    Step::Passed(..) => Some((StepStatus::Passed, None)),
                    Step::Skipped => Some((
                        StepStatus::Failed,
                        Some("no step definition matches this step".to_owned()),
                    )),
                    Step::Failed(_, _, _, err) => Some((StepStatus::Failed, Some(err.to_string()))),
                };
                if let Some((status, error)) = recorded {
                    match status {
                        StepStatus::Passed => state.steps.0 += 1,
                        StepStatus::Failed => state.steps.2 += 1,
                        StepStatus::Skipped => state.steps.1 += 1,
                    }
                    if let Some((outcome, _)) = state.open.get_mut(&key) {
                        if status == StepStatus::Failed {
                            outcome.status = ScenarioStatus::Failed;
                        }
                        outcome.steps.push(StepOutcome {
                            keyword: step.keyword.trim().to_owned(),
                            text: step.value.clone(),
                            status,
                            error,
                        });
                    }
                }
            }
            Scenario::Hook(_, event::Hook::Failed(_, info)) => {
                if let Some((outcome, _)) = state.open.get_mut(&key) {
                    outcome.status = ScenarioStatus::Failed;
                    outcome.steps.push(StepOutcome {
                        keyword: "Hook".into(),
                        text: "set-up or tear-down".into(),
                        status: StepStatus::Failed,
                        error: Some(panic_message(info)),
                    });
                }
            }
            Scenario::Finished => {
                if let Some((mut outcome, started)) = state.open.remove(&key) {
                    outcome.duration_ms = at
                        .duration_since(started)
                        .map_or(0, |d| d.as_millis() as u64);
                    if let Some(progress) = &self.progress {
                        progress.finished(&outcome);
                    }
                    state.done.push(outcome);
                }
            }
            Scenario::Hook(..) | Scenario::Log(_) => {}
        }
    }
}

/// The text of a panic payload (a `String` or `&str`), as cucumber prints it.
fn panic_message(info: &event::Info) -> String {
    if let Some(s) = info.downcast_ref::<String>() {
        s.clone()
    } else if let Some(s) = info.downcast_ref::<&str>() {
        (*s).to_owned()
    } else {
        "(panic with a non-text payload)".to_owned()
    }
}

impl<W: cucumber::World + std::fmt::Debug> cucumber::Writer<W> for Recorder {
    type Cli = cucumber::cli::Empty;

    async fn handle_event(&mut self, event: parser::Result<Event<Cucumber<W>>>, _cli: &Self::Cli) {
        let event = match event {
            Ok(e) => e,
            Err(err) => {
                self.lock().parse_errors.push(err.to_string());
                return;
            }
        };
        let at = event.at;
        if let (Cucumber::ParsingFinished { scenarios, .. }, Some(progress)) =
            (&event.value, &self.progress)
        {
            progress.planned(*scenarios);
        }
        if let Cucumber::Feature(feature, ev) = &event.value {
            match ev {
                Feature::Scenario(scenario, retryable) => {
                    self.scenario_event(feature, None, scenario, &retryable.event, at);
                }
                Feature::Rule(rule, Rule::Scenario(scenario, retryable)) => {
                    self.scenario_event(feature, Some(rule), scenario, &retryable.event, at);
                }
                _ => {}
            }
        }
    }
}

impl<W: cucumber::World + std::fmt::Debug, Val: Send> writer::Arbitrary<W, Val> for Recorder {
    async fn write(&mut self, _val: Val) {}
}

impl<W: cucumber::World + std::fmt::Debug> writer::Stats<W> for Recorder {
    fn passed_steps(&self) -> usize {
        self.lock().steps.0
    }
    fn skipped_steps(&self) -> usize {
        self.lock().steps.1
    }
    fn failed_steps(&self) -> usize {
        self.lock().steps.2
    }
    fn retried_steps(&self) -> usize {
        0
    }
    fn parsing_errors(&self) -> usize {
        self.lock().parse_errors.len()
    }
    fn hook_errors(&self) -> usize {
        0
    }
}

impl writer::NonTransforming for Recorder {}
