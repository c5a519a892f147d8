//! The police conformance suite: the harness plays every counterparty of a police
//! implementation — Maskinporten, the customer-relationship registry, Felles datakatalog,
//! CertPub and the banks — and judges the implementation by what it asked for and what it
//! reported (digest 1.2, 2, 4, 5, 6, 7).
//!
//! For each scenario of `features/police/` a fresh mock ecosystem is started (its own ports,
//! the run's synthetic population, the scenario's per-bank fault profiles), the trigger runs
//! the case ([`trigger`]: a command template, a URL, or the reference client in-process), and
//! the verdict comes from two sources ([`judge`]): every request's violations as the mocks
//! journalled them plus the rules that span requests (CorrelationID uniqueness, step order,
//! registry banks only, pagination, retries), and the comparison of the case result the
//! implementation wrote with what a correct bank serves ([`crate::population::query`]).
//!
//! Owns: the cucumber world and step definitions ([`steps`]), the scenario data ([`cases`]),
//! trigger execution and the run entry point ([`run`]).
//!
//! Must not touch: the implementation's internals (it sees only the mocks' journal and the case
//! result file), the mocks' behaviour (it only chooses fault profiles).

pub(crate) mod cases;
pub(crate) mod judge;
pub(crate) mod steps;
pub(crate) mod trigger;

use crate::police::faults::FaultSet;
use crate::population::Population;
use crate::suite::outcome::SuiteOutcome;
use crate::suite::recorder::Recorder;
use crate::suite::run::Selection;
use crate::suite::transcript::{scenario_key, TranscriptStore};
use crate::trust::dir::TrustDir;
use cucumber::{World as _, WriterExt as _};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use trigger::Trigger;

/// What to test and how.
#[derive(Debug, Clone)]
pub struct PoliceSuiteConfig {
    /// How each scenario's case is handed to the implementation.
    pub trigger: Trigger,
    /// How long one trigger may run before it is killed.
    pub timeout: Duration,
    /// Trust directory the mocks use and the implementation gets as `DSOP_TRUST_DIR`; `None`:
    /// a fresh one in the run's work directory.
    pub trust_dir: Option<PathBuf>,
    /// `DSOP_PLAIN_JSON=1`: the implementation may ask banks for plain JSON (test mode).
    pub plain_json: bool,
    /// Directory of the `.feature` files.
    pub features: PathBuf,
    /// Which scenarios run (`--tags`, `--scenario`).
    pub selection: Selection,
    /// Run only scenarios whose name starts with one of these (empty: no such filter). Used by
    /// the tests that prove a fault is caught by the scenarios named for it.
    pub only_scenarios: Vec<String>,
    /// Scenarios run at once (each has its own ecosystem).
    pub concurrency: usize,
    /// Seed of the synthetic population (`None`: the default pack's seed); reported, so a
    /// failing scenario can be rerun on the same data.
    pub seed: Option<u64>,
    /// Stop at the first failing scenario (`--fail-fast`).
    pub fail_fast: bool,
}

impl PoliceSuiteConfig {
    /// Defaults: 60 s timeout, fresh trust directory, JWE, 8 scenarios at once, every scenario.
    pub fn new(trigger: Trigger, features: PathBuf) -> Self {
        Self {
            trigger,
            timeout: Duration::from_secs(60),
            trust_dir: None,
            plain_json: false,
            features,
            selection: Selection::default(),
            only_scenarios: Vec::new(),
            concurrency: 8,
            seed: None,
            fail_fast: false,
        }
    }
}

/// A finished run.
#[derive(Debug)]
pub struct PoliceSuiteRun {
    /// Every scenario.
    pub outcome: SuiteOutcome,
    /// Seed of the synthetic population.
    pub seed: u64,
    /// Set when the trigger could not be run in any scenario (command not found, cannot be
    /// spawned, URL refuses connections): the reason of the first attempt. Exit code 3.
    pub trigger_unavailable: Option<String>,
}

/// Why the suite could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum PoliceSuiteError {
    /// Trust directory unusable.
    #[error("trust directory: {0}")]
    Trust(#[from] crate::trust::dir::TrustError),
    /// The run's work directory could not be made.
    #[error("work directory {path}: {source}")]
    WorkDir {
        /// The directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The trigger template is unusable.
    #[error("{0}")]
    Trigger(#[from] trigger::TemplateError),
    /// No scenario ran: a filter that matches nothing, or features that cannot be read.
    #[error("{0}")]
    NothingRan(#[from] crate::suite::run::NothingRan),
}

/// How often the trigger could and could not run in this run.
#[derive(Debug, Default)]
pub(crate) struct TriggerTally {
    pub(crate) ran: usize,
    pub(crate) unavailable: Vec<String>,
}

/// Everything the steps share during one run.
#[derive(Debug)]
pub(crate) struct Context {
    pub(crate) config: PoliceSuiteConfig,
    pub(crate) trust: Arc<TrustDir>,
    pub(crate) population: Arc<Population>,
    pub(crate) parties: cases::Parties,
    pub(crate) work_dir: PathBuf,
    pub(crate) transcripts: TranscriptStore,
    pub(crate) tally: Mutex<TriggerTally>,
}

/// Runs the selected scenarios against the implementation behind `config.trigger`.
pub async fn run(config: PoliceSuiteConfig) -> Result<PoliceSuiteRun, PoliceSuiteError> {
    if let Trigger::Command(template) = &config.trigger {
        trigger::check_template(template)?;
    }
    crate::suite::run::check_features_dir(&config.features)?;
    let work_dir = std::env::temp_dir().join(format!(
        "dsop-police-suite-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&work_dir).map_err(|source| PoliceSuiteError::WorkDir {
        path: work_dir.clone(),
        source,
    })?;
    let trust = match &config.trust_dir {
        Some(dir) => TrustDir::open(dir)?,
        None => TrustDir::init(work_dir.join("trust"))?,
    };
    let population = cases::suite_population(chrono::Utc::now().date_naive(), config.seed);
    let fail_fast = config.fail_fast;
    let parties = cases::Parties::choose(&population);
    let seed = population.seed;
    let features = config.features.clone();
    let selection = config.selection.clone();
    let checked_selection = selection.clone();
    let only = config.only_scenarios.clone();
    let concurrency = config.concurrency.max(1);
    let transcripts = TranscriptStore::new();
    let context = Arc::new(Context {
        config,
        trust: Arc::new(trust),
        population: Arc::new(population),
        parties,
        work_dir: work_dir.clone(),
        transcripts: transcripts.clone(),
        tally: Mutex::new(TriggerTally::default()),
    });
    let recorder = Recorder::new();
    let cucumber = steps::PoliceWorld::cucumber()
        .with_writer(recorder.clone().normalized())
        .fail_on_skipped()
        .max_concurrent_scenarios(concurrency);
    let cucumber = if fail_fast {
        cucumber.fail_fast()
    } else {
        cucumber
    };
    cucumber
        // Each world gets this run's context (cucumber builds worlds without arguments).
        .before({
            let context = Arc::clone(&context);
            move |feature, _rule, scenario, world| {
                world.ctx = Some(Arc::clone(&context));
                world.key = scenario_key(feature, scenario);
                Box::pin(async {})
            }
        })
        .with_default_cli()
        .filter_run(features, move |f, r, s| {
            selection.matches(f, r, s)
                && (only.is_empty() || only.iter().any(|name| s.name.starts_with(name.as_str())))
        })
        .await;
    let mut outcome = recorder.outcome();
    outcome.attach_transcripts(&transcripts);
    let trigger_unavailable = context.tally.lock().ok().and_then(|t| {
        (t.ran == 0)
            .then(|| t.unavailable.first().cloned())
            .flatten()
    });
    drop(context);
    // Best effort: the work directory holds only this run's trust material and case results.
    let _ = std::fs::remove_dir_all(&work_dir);
    crate::suite::run::check_ran(&outcome, &checked_selection, recorder.parse_errors())?;
    Ok(PoliceSuiteRun {
        outcome,
        seed,
        trigger_unavailable,
    })
}

/// The reference police client with these fault switches, run in-process.
pub(crate) fn reference_trigger(faults: FaultSet) -> Trigger {
    Trigger::InProcess(faults)
}
