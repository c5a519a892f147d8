//! The bank conformance suite: the harness plays police against a bank's Control
//! API, scenario by scenario from `features/bank/`, and judges every answer — status, code,
//! encryption, the schema of every body in every scenario, and, with the fixture pack, the data
//! itself. `docs/bank-vendors.md` is the user's guide.
//!
//! Owns: the cucumber world and step definitions ([`steps`]), the order matrix's variations and
//! flawed signers ([`orders`]), the data-exact comparison ([`data`]), and the run entry point
//! ([`run`]): reachability probe, skipping (reported, never silent) of scenarios the run cannot
//! do. Requests go out through the police driver (`crate::police::driver`), so the bank is
//! called exactly as the reference police client calls it.
//!
//! Must not touch: the bank's internals; it sees only HTTP.

pub(crate) mod data;
pub(crate) mod orders;
pub(crate) mod reference;
pub(crate) mod steps;

pub use data::Fixtures;
pub(crate) use orders::FlawedSigners;
pub use reference::reference_bank_factory;

use crate::police::driver::{Driver, DriverConfig};
use crate::suite::meta::ScenarioMeta;
use crate::suite::outcome::{
    ScenarioOutcome, ScenarioStatus, StepOutcome, StepStatus, SuiteOutcome,
};
use crate::suite::recorder::Recorder;
use crate::suite::run::Selection;
use crate::suite::transcript::{scenario_key, TranscriptStore};
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
    /// Which scenarios run (`--tags`, `--scenario`).
    pub selection: Selection,
    /// The fixture pack the bank loaded, and which of its banks it is. Without it the
    /// `@data-exact` scenarios are skipped (and reported as skipped).
    pub fixtures: Option<Fixtures>,
    /// Stop at the first failing scenario (`--fail-fast`).
    pub fail_fast: bool,
    /// Per-request timeout of the harness's client (`--request-timeout`); `None`: the
    /// driver's default (`crate::police::driver::DEFAULT_REQUEST_TIMEOUT`).
    pub request_timeout: Option<std::time::Duration>,
    /// Largest response body read (`--max-body-bytes`); `None`: the driver's default
    /// (`crate::police::driver::DEFAULT_MAX_BODY_BYTES`).
    pub max_body_bytes: Option<usize>,
}

/// Everything the steps share during one run.
#[derive(Debug)]
pub(crate) struct Context {
    pub(crate) config: BankSuiteConfig,
    pub(crate) trust: TrustDir,
    pub(crate) driver: Driver,
    pub(crate) transcripts: TranscriptStore,
    flawed: OnceLock<Result<FlawedSigners, String>>,
}

impl Context {
    /// The flawed signers of the trust directory (made on first use, see [`orders`]).
    pub(crate) fn flawed_signers(&self) -> Result<&FlawedSigners, String> {
        self.flawed
            .get_or_init(|| {
                FlawedSigners::load_or_create(
                    &self.trust,
                    &self.config.trust_dir,
                    chrono::Utc::now().timestamp(),
                )
                .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(Clone::clone)
    }
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
    /// No scenario ran: a filter that matches nothing, or features that cannot be read.
    #[error("{0}")]
    NothingRan(#[from] crate::suite::run::NothingRan),
    /// The bank answers, but its Accounts answer for the pack's probe party has none of the
    /// pack's accounts: it has not loaded this pack (or serves another bank of it).
    #[error("{0}")]
    NotThisPack(String),
    /// The bank did not answer the probe at all (connection refused, DNS, TLS, timeout).
    #[error("the bank at {url} could not be reached: {reason}")]
    Unreachable {
        /// The URL probed.
        url: String,
        /// What went wrong.
        reason: String,
    },
}

/// A scenario the run does not execute, and why.
#[derive(Debug, Clone)]
struct Skip {
    feature: cucumber::gherkin::Feature,
    rule_tags: Vec<String>,
    scenario: cucumber::gherkin::Scenario,
    reason: String,
}

/// Why the run cannot do `scenario`, if it cannot: data-exact without a fixture pack, or an
/// edge case the pack places at another bank.
fn skip_reason(
    config: &BankSuiteConfig,
    tags: &[&String],
    scenario: &cucumber::gherkin::Scenario,
) -> Option<String> {
    if !tags.iter().any(|t| t.as_str() == "data-exact") {
        return None;
    }
    let Some(fx) = &config.fixtures else {
        return Some(
            "data-exact scenario: no fixture pack was given (--fixtures); the data-agnostic \
             scenarios ran"
                .to_owned(),
        );
    };
    for step in &scenario.steps {
        for kind in ["person", "company"] {
            if step.value == format!("a {kind} with accounts at the bank") {
                let (from, to) = fx.period(chrono::Utc::now().date_naive());
                let period = crate::domain::values::Period::new(from, to).ok()?;
                if fx.party_with_accounts(kind == "company", period).is_none() {
                    return Some(format!(
                        "the fixture pack has no {kind} owning accounts at the bank under test \
                         ({}); run the suite against another bank of the pack (--bank-org)",
                        fx.bank_org
                    ));
                }
            }
        }
        let Some(name) = edge_case_of_step(&step.value) else {
            continue;
        };
        if let Err(reason) = fx.edge_case(name) {
            return Some(reason);
        }
    }
    None
}

/// The edge case a `Given the party of edge case "…"` step names.
pub(crate) fn edge_case_of_step(step: &str) -> Option<&str> {
    step.strip_prefix("the party of edge case \"")
        .and_then(|r| r.strip_suffix('"'))
}

impl Skip {
    fn outcome(&self) -> ScenarioOutcome {
        let tags = self
            .feature
            .tags
            .iter()
            .chain(self.rule_tags.iter())
            .chain(self.scenario.tags.iter());
        let key = scenario_key(&self.feature, &self.scenario);
        ScenarioOutcome {
            feature: self.feature.name.clone(),
            feature_path: key.0,
            scenario: self.scenario.name.clone(),
            line: key.1,
            meta: ScenarioMeta::from_tags(&self.scenario.name, tags).map_err(|e| e.to_string()),
            status: ScenarioStatus::Skipped,
            steps: self
                .scenario
                .steps
                .iter()
                .enumerate()
                .map(|(i, s)| StepOutcome {
                    keyword: s.keyword.trim().to_owned(),
                    text: s.value.clone(),
                    status: StepStatus::Skipped,
                    error: (i == 0).then(|| format!("skipped: {}", self.reason)),
                })
                .collect(),
            duration_ms: 0,
            transcript: Vec::new(),
        }
    }
}

/// Whether the bank can be reached at all: a TCP connection to the base URL's host and port
/// within five seconds. Failing that (refused, unknown host, no route, timeout) is
/// [`SuiteError::Unreachable`] — exit 3. A bank that accepts the connection and then
/// misbehaves (TLS handshake, reset, garbage, hang, huge body) is reachable: the suite runs and
/// its scenarios fail with the evidence (the hostile-bank matrix, tests/hostile_bank).
async fn probe(base_url: &str) -> Result<(), SuiteError> {
    let unreachable = |reason: String| SuiteError::Unreachable {
        url: base_url.to_owned(),
        reason,
    };
    let url = reqwest::Url::parse(base_url).map_err(|e| unreachable(format!("not a URL: {e}")))?;
    let host = url
        .host_str()
        .ok_or_else(|| unreachable("the URL has no host".into()))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let port = url
        .port_or_known_default()
        .ok_or_else(|| unreachable("the URL has no port".into()))?;
    match tokio::time::timeout(
        std::time::Duration::from_secs(5),
        tokio::net::TcpStream::connect((host.as_str(), port)),
    )
    .await
    {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(unreachable(format!("connecting to {host}:{port}: {e}"))),
        Err(_) => Err(unreachable(format!(
            "connecting to {host}:{port}: no connection within 5 s"
        ))),
    }
}

/// Runs every feature against the bank and returns each scenario's outcome.
pub async fn run(config: BankSuiteConfig) -> Result<SuiteOutcome, SuiteError> {
    crate::suite::run::check_features_dir(&config.features)?;
    let trust = TrustDir::open(&config.trust_dir)?;
    // The driver's token/registry/catalogue URLs are unused here: the bank suite mints its own
    // tokens with the trust directory's Maskinporten key and calls the bank directly
    // (digest 1.2: police integration tests skip step 1).
    let mut driver_config = DriverConfig::new("", "", "");
    if let Some(timeout) = config.request_timeout {
        driver_config.request_timeout = timeout;
    }
    if let Some(cap) = config.max_body_bytes {
        driver_config.max_body_bytes = cap;
    }
    let driver = Driver::new(driver_config, &trust)?;
    probe(&config.base_url).await?;
    let features = config.features.clone();
    let selection = config.selection.clone();
    let checked_selection = selection.clone();
    let transcripts = TranscriptStore::new();
    let skips: Arc<Mutex<Vec<Skip>>> = Arc::default();
    let context = Arc::new(Context {
        config,
        trust,
        driver,
        transcripts: transcripts.clone(),
        flawed: OnceLock::new(),
    });
    let filter_context = context.clone();
    let fail_fast = filter_context.config.fail_fast;
    let filter_skips = skips.clone();
    // Preflight (data-exact runs): does the bank serve this pack at all?
    if filter_context.config.fixtures.is_some() {
        if let Some(mismatch) = steps::preflight(&context).await {
            return Err(SuiteError::NotThisPack(mismatch));
        }
    }
    let recorder = Recorder::new();
    let cucumber = steps::BankWorld::cucumber()
        .with_writer(recorder.clone().normalized())
        .fail_on_skipped()
        .max_concurrent_scenarios(8);
    let cucumber = if fail_fast {
        cucumber.fail_fast()
    } else {
        cucumber
    };
    cucumber
        // Each world gets this run's context (cucumber builds worlds without arguments) and
        // learns its scenario's key, under which it files its transcript.
        .before(move |feature, _rule, scenario, world| {
            world.ctx = Some(Arc::clone(&context));
            world.key = scenario_key(feature, scenario);
            Box::pin(async {})
        })
        // Our own CLI owns the process arguments; cucumber gets its defaults.
        .with_default_cli()
        .filter_run(features, move |f, r, s| {
            if !selection.matches(f, r, s) {
                return false;
            }
            let tags: Vec<&String> = f
                .tags
                .iter()
                .chain(r.map(|r| r.tags.iter()).into_iter().flatten())
                .chain(s.tags.iter())
                .collect();
            match skip_reason(&filter_context.config, &tags, s) {
                None => true,
                Some(reason) => {
                    if let Ok(mut list) = filter_skips.lock() {
                        list.push(Skip {
                            feature: f.clone(),
                            rule_tags: r.map(|r| r.tags.clone()).unwrap_or_default(),
                            scenario: s.clone(),
                            reason,
                        });
                    }
                    false
                }
            }
        })
        .await;
    let mut outcome = recorder.outcome();
    outcome.attach_transcripts(&transcripts);
    if let Ok(list) = skips.lock() {
        outcome.scenarios.extend(list.iter().map(Skip::outcome));
    }
    crate::suite::run::check_ran(&outcome, &checked_selection, recorder.parse_errors())?;
    name_rules(&mut outcome);
    Ok(outcome)
}

/// Every failed step names the rule it found broken: a check that names its own (the judgement
/// of every response, `steps::finding`) keeps it; any other failure is one of the scenario's own
/// rules (its `@req-` tags), which are put in front of the message.
fn name_rules(outcome: &mut SuiteOutcome) {
    use crate::suite::outcome::StepStatus;
    for s in &mut outcome.scenarios {
        let Ok(meta) = &s.meta else { continue };
        if meta.requirements.is_empty() {
            continue;
        }
        let rules = meta.requirements.join(", ");
        for step in s
            .steps
            .iter_mut()
            .filter(|st| st.status == StepStatus::Failed)
        {
            if let Some(error) = &mut step.error {
                let named = error
                    .split([' ', ':', ','])
                    .next()
                    .and_then(crate::rules::Rule::from_id)
                    .is_some();
                if !named {
                    *error = format!("{rules}: {error}");
                }
            }
        }
    }
}
