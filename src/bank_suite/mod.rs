//! The bank conformance suite (issue 5, work in progress): the harness plays police against a
//! bank's Control API, scenario by scenario from `features/bank/`, and judges every answer —
//! status, code, encryption, and the schema of every body in every scenario.
//!
//! Owns: the cucumber world and step definitions ([`steps`]) and the run entry point
//! ([`run`]). Requests go out through the police driver (`crate::police::driver`), so the
//! bank is called exactly as the reference police client calls it.
//!
//! Must not touch: the bank's internals; it sees only HTTP.

pub mod steps;

use crate::police::driver::{Driver, DriverConfig};
use crate::suite::outcome::SuiteOutcome;
use crate::suite::recorder::Recorder;
use crate::trust::dir::TrustDir;
use cucumber::{World as _, WriterExt as _};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

/// What to test and how.
#[derive(Debug, Clone)]
pub struct BankSuiteConfig {
    /// The bank's base URL as registered in the catalogue (also the token audience).
    pub base_url: String,
    /// Trust directory the bank under test trusts.
    pub trust_dir: PathBuf,
    /// Ask for plain JSON (`Accept: application/json`, the test-mode allowance) instead of JWE.
    pub plain_json: bool,
    /// Directory of the `.feature` files.
    pub features: PathBuf,
}

/// Everything the steps share during one run.
#[derive(Debug)]
pub(crate) struct Context {
    pub(crate) config: BankSuiteConfig,
    pub(crate) trust: TrustDir,
    pub(crate) driver: Driver,
}

/// The context of the run in progress (cucumber builds worlds without arguments).
fn current() -> &'static Mutex<Option<Arc<Context>>> {
    static CURRENT: OnceLock<Mutex<Option<Arc<Context>>>> = OnceLock::new();
    CURRENT.get_or_init(|| Mutex::new(None))
}

/// One run at a time per process: the steps read the run's context from a process-wide slot.
fn run_lock() -> &'static tokio::sync::Mutex<()> {
    static LOCK: OnceLock<tokio::sync::Mutex<()>> = OnceLock::new();
    LOCK.get_or_init(|| tokio::sync::Mutex::new(()))
}

pub(crate) fn context() -> Option<Arc<Context>> {
    current().lock().ok().and_then(|c| c.clone())
}

/// Why the suite could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum SuiteError {
    /// Trust directory unusable.
    #[error("trust directory: {0}")]
    Trust(#[from] crate::trust::dir::TrustError),
    /// HTTP client could not be built.
    #[error("{0}")]
    Driver(#[from] crate::police::driver::DriverError),
}

/// Runs every feature against the bank and returns each scenario's outcome.
pub async fn run(config: BankSuiteConfig) -> Result<SuiteOutcome, SuiteError> {
    let _one_at_a_time = run_lock().lock().await;
    let trust = TrustDir::open(&config.trust_dir)?;
    // The driver's token/registry/catalogue URLs are unused here: the bank suite mints its own
    // tokens with the trust directory's Maskinporten key and calls the bank directly
    // (digest 1.2: police integration tests skip step 1).
    let driver = Driver::new(DriverConfig::new("", "", ""), &trust)?;
    let features = config.features.clone();
    let context = Arc::new(Context {
        config,
        trust,
        driver,
    });
    if let Ok(mut slot) = current().lock() {
        *slot = Some(context);
    }
    let recorder = Recorder::new();
    steps::BankWorld::cucumber()
        .with_writer(recorder.clone().normalized())
        .fail_on_skipped()
        .max_concurrent_scenarios(8)
        // Our own CLI owns the process arguments; cucumber gets its defaults.
        .with_default_cli()
        .run(features)
        .await;
    if let Ok(mut slot) = current().lock() {
        *slot = None;
    }
    Ok(recorder.outcome())
}
