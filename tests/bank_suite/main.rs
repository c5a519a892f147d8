//! The bank suite against the reference mock bank on a real socket: every mandatory
//! scenario passes (that each fault profile is caught by the rule it breaks is the proof test,
//! tests/proof); data-exact scenarios are reported as skipped without a fixture pack; plain-JSON mode
//! passes; the order matrix in the feature covers every order break; `test bank` exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod cli;

use dsop_harness::{
    reference_bank_factory, run_bank_suite, BankFactory, BankSuiteConfig, Ecosystem,
    EcosystemConfig, Fixtures, Population, PopulationConfig, ScenarioStatus, Selection,
    SuiteOutcome, TrustDir, Verdict,
};
use libtest_mimic::{Arguments, Failed, Trial};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

pub(crate) fn trust_path() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("dsop-bank-suite-{}", std::process::id()));
        TrustDir::init(&dir).expect("trust dir");
        dir
    })
}

pub(crate) fn population() -> Arc<Population> {
    static POP: OnceLock<Arc<Population>> = OnceLock::new();
    POP.get_or_init(|| {
        Arc::new(Population::generate(&PopulationConfig {
            reference_date: chrono::Utc::now().date_naive(),
            ..PopulationConfig::default_pack()
        }))
    })
    .clone()
}

pub(crate) fn features() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/features/bank"))
}

/// The reference bank as a vendor would run it for the suite (strict, trusting the flawed
/// signers): `bank_suite::reference_bank_factory`.
pub(crate) fn factory() -> BankFactory {
    reference_bank_factory(trust_path().clone())
}

/// Starts an ecosystem with `faults` on bank `faulty` (an index of the population's banks).
pub(crate) async fn ecosystem(faulty: usize, faults: &[&str]) -> Result<Ecosystem, Failed> {
    let trust = Arc::new(TrustDir::open(trust_path()).map_err(|e| e.to_string())?);
    let population = population();
    let bank = population.banks[faulty].org_number.clone();
    let mut config = EcosystemConfig::new(trust, population, factory());
    config
        .faults
        .insert(bank, faults.iter().map(|f| (*f).to_owned()).collect());
    Ok(Ecosystem::start(config).await.map_err(|e| e.to_string())?)
}

struct Run<'a> {
    bank: usize,
    faults: &'a [&'a str],
    fixtures: bool,
    plain_json: bool,
    tags: Option<&'a str>,
    fail_fast: bool,
}

impl Default for Run<'_> {
    fn default() -> Self {
        Self {
            bank: 0,
            faults: &[],
            fixtures: true,
            plain_json: false,
            tags: None,
            fail_fast: false,
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

fn suite(r: Run<'_>) -> Result<SuiteOutcome, Failed> {
    runtime().block_on(async {
        let eco = ecosystem(r.bank, r.faults).await?;
        let population = population();
        let org = population.banks[r.bank].org_number.clone();
        let base_url = eco.bank_url(&org).ok_or("no bank url")?.to_owned();
        let fixtures = if r.fixtures {
            Some(Fixtures::new(population, Some(&org))?)
        } else {
            None
        };
        let outcome = run_bank_suite(BankSuiteConfig {
            base_url,
            trust_dir: trust_path().clone(),
            plain_json: r.plain_json,
            features: features(),
            selection: Selection::parse(r.tags, None).map_err(|e| e.to_string())?,
            fixtures,
            fail_fast: r.fail_fast,
            request_timeout: None,
            max_body_bytes: None,
        })
        .await
        .map_err(|e| e.to_string())?;
        eco.shutdown();
        Ok(outcome)
    })
}

fn failures(outcome: &SuiteOutcome) -> Vec<String> {
    outcome
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

fn reference_bank_passes() -> Result<(), Failed> {
    let started = std::time::Instant::now();
    let outcome = suite(Run::default())?;
    let elapsed = started.elapsed();
    let (passed, failed, skipped) = outcome.counts();
    println!(
        "bank suite vs reference mock bank: {} scenarios ({passed} passed, {failed} failed, {skipped} skipped) in {elapsed:?}",
        outcome.scenarios.len()
    );
    if outcome.verdict(true) != Verdict::Pass || passed < 150 {
        return Err(format!(
            "verdict {:?}, {passed} passed; failures: {:#?}",
            outcome.verdict(true),
            failures(&outcome)
        )
        .into());
    }
    let untranscribed: Vec<&str> = outcome
        .scenarios
        .iter()
        .filter(|s| s.status != ScenarioStatus::Skipped && s.transcript.is_empty())
        .map(|s| s.scenario.as_str())
        .collect();
    if !untranscribed.is_empty() {
        return Err(format!("scenarios without a transcript: {untranscribed:?}").into());
    }
    // Every bank of the pack carries every edge case: nothing is skipped at the first bank,
    // and every data-exact scenario runs (none skipped) and passes at each other bank.
    let skipped = skipped_scenarios(&outcome);
    if !skipped.is_empty() {
        return Err(format!("skipped at bank 0: {skipped:#?}").into());
    }
    let data_exact = outcome
        .scenarios
        .iter()
        .filter(|s| s.meta.as_ref().is_ok_and(|m| m.data_exact))
        .count();
    for bank in 1..population().banks.len() {
        let other = suite(Run {
            bank,
            tags: Some("@data-exact"),
            ..Run::default()
        })?;
        if other.verdict(true) != Verdict::Pass {
            return Err(format!("bank {bank}: {:#?}", failures(&other)).into());
        }
        let skipped = skipped_scenarios(&other);
        if !skipped.is_empty() {
            return Err(format!("skipped at bank {bank}: {skipped:#?}").into());
        }
        if other.scenarios.len() != data_exact {
            return Err(format!(
                "bank {bank}: {} data-exact scenarios ran, {data_exact} at bank 0",
                other.scenarios.len()
            )
            .into());
        }
    }
    Ok(())
}

/// The skipped scenarios of a run, with their reasons.
fn skipped_scenarios(outcome: &SuiteOutcome) -> Vec<String> {
    outcome
        .scenarios
        .iter()
        .filter(|s| s.status == ScenarioStatus::Skipped)
        .map(|s| format!("{}: {}", s.scenario, s.failure().unwrap_or_default()))
        .collect()
}

fn without_fixtures_data_exact_is_skipped() -> Result<(), Failed> {
    let outcome = suite(Run {
        fixtures: false,
        tags: Some("@data-exact or @spec-7.1"),
        ..Run::default()
    })?;
    let skipped: Vec<_> = outcome
        .scenarios
        .iter()
        .filter(|s| s.status == ScenarioStatus::Skipped)
        .collect();
    let ran = outcome
        .scenarios
        .iter()
        .filter(|s| s.status == ScenarioStatus::Passed)
        .count();
    if skipped.len() < 40 || ran < 4 || outcome.counts().1 > 0 {
        return Err(format!(
            "{} skipped, {ran} passed, failures {:#?}",
            skipped.len(),
            failures(&outcome)
        )
        .into());
    }
    for s in skipped {
        let meta = s.meta.as_ref().map_err(Clone::clone)?;
        let reason = s.failure().unwrap_or_default();
        if !meta.data_exact || !reason.contains("no fixture pack") {
            return Err(format!("{}: skipped with {reason:?}", s.scenario).into());
        }
    }
    // Mandatory scenarios that could not run make the run INCOMPLETE, never a pass; the
    // data-agnostic part selected on its own is a full pass.
    if outcome.verdict(true) != Verdict::Incomplete {
        return Err(format!(
            "skipped mandatory scenarios must make the verdict INCOMPLETE, got {:?}",
            outcome.verdict(true)
        )
        .into());
    }
    let agnostic = suite(Run {
        fixtures: false,
        tags: Some("@spec-7.1 and not @data-exact"),
        ..Run::default()
    })?;
    if agnostic.verdict(true) != Verdict::Pass || agnostic.counts().2 > 0 {
        return Err(format!(
            "the data-agnostic selection: {:?}, verdict {:?}",
            agnostic.counts(),
            agnostic.verdict(true)
        )
        .into());
    }
    Ok(())
}

fn plain_json_passes() -> Result<(), Failed> {
    let outcome = suite(Run {
        plain_json: true,
        tags: Some("not @spec-5.5 and not @spec-5.3"),
        ..Run::default()
    })?;
    if outcome.verdict(true) != Verdict::Pass || outcome.counts().0 < 60 {
        return Err(format!("{:?}: {:#?}", outcome.counts(), failures(&outcome)).into());
    }
    Ok(())
}

/// `--fail-fast`: against a bank that fails order-matrix scenarios, the run stops early — fewer
/// scenarios finish than in the same run without it, and the verdict is still a failure.
fn fail_fast_stops_early() -> Result<(), Failed> {
    let run = |fail_fast| {
        suite(Run {
            // Fails rows of the order matrix, which runs before most other features.
            faults: &["400-instead-of-403"],
            fixtures: false,
            fail_fast,
            ..Run::default()
        })
    };
    let full = run(false)?;
    let fast = run(true)?;
    if fast.verdict(false) != Verdict::Fail || fast.scenarios.len() >= full.scenarios.len() {
        return Err(format!(
            "fail-fast ran {} scenarios (verdict {:?}), without it {}",
            fast.scenarios.len(),
            fast.verdict(false),
            full.scenarios.len()
        )
        .into());
    }
    Ok(())
}

/// Orders whose endpoint flag is false: the one refusal whose status the documents state.
const ENDPOINT_FLAG_ORDERS: &[&str] = &[
    "account-list-false",
    "account-details-false",
    "transactions-false",
    "cards-false",
    "roles-false",
];

/// The order matrix of the feature covers every break; its variations are known ones; every
/// refusal row accepts both open readings unless the status is documented or the row is a
/// `@strict` preference.
fn order_matrix_covers_every_break() -> Result<(), Failed> {
    use dsop_harness::eo::Break;
    use dsop_harness::{ORDER_VARIATIONS, REQUEST_VARIATIONS};
    let path = features().join("extradition-order.feature");
    let feature =
        cucumber::gherkin::Feature::parse_path(&path, cucumber::gherkin::GherkinEnv::default())
            .map_err(|e| e.to_string())?;
    let mut orders = BTreeSet::new();
    let mut rows = 0;
    for scenario in &feature.scenarios {
        for examples in &scenario.examples {
            let Some(table) = &examples.table else {
                continue;
            };
            let (header, body) = table.rows.split_first().ok_or("empty table")?;
            let col = |name: &str| {
                header
                    .iter()
                    .position(|h| h == name)
                    .ok_or(format!("no column {name}"))
            };
            let (o, r, a) = (col("order")?, col("request")?, col("answer")?);
            for row in body {
                rows += 1;
                let order = &row[o];
                let known = order.parse::<Break>().is_ok()
                    || ORDER_VARIATIONS.iter().any(|(n, _)| n == order);
                if !known {
                    return Err(format!("row {row:?}: unknown order {order:?}").into());
                }
                if !REQUEST_VARIATIONS.iter().any(|(n, _)| *n == row[r]) {
                    return Err(format!("row {row:?}: unknown request {:?}", row[r]).into());
                }
                // Exact answers: 200, and 403 ACC-011 where the documents state it (endpoint
                // flags, digest 5.6) or in a @strict table of preferred statuses; everything
                // else accepts both refusals the digest names (5.6, 9 row 7).
                let strict = examples.tags.iter().any(|t| t == "strict");
                let flag =
                    row[r] == "as-ordered" && ENDPOINT_FLAG_ORDERS.contains(&row[o].as_str());
                let ok = match row[a].as_str() {
                    "200" => true,
                    "400 ACC-001 or 403 ACC-011" => !flag && !strict,
                    "403 ACC-011" => flag || strict,
                    "400 ACC-001" => strict,
                    _ => false,
                };
                if !ok {
                    return Err(format!(
                        "row {row:?} ({}): answer {:?} (the status of an order refusal is open \
                         except for endpoint flags, digest 5.6, 9 row 7)",
                        if strict {
                            "@strict"
                        } else {
                            "mandatory/recommended"
                        },
                        row[a]
                    )
                    .into());
                }
                orders.insert(order.clone());
            }
        }
    }
    let missing: Vec<String> = Break::all()
        .iter()
        .map(Break::name)
        .filter(|n| !orders.contains(n))
        .collect();
    if !missing.is_empty() {
        return Err(format!("breaks without a row in {}: {missing:?}", path.display()).into());
    }
    if rows < 48 {
        return Err(format!("only {rows} rows; digest 5.7 lists 48 cases").into());
    }
    Ok(())
}

/// A bank that refuses well-formed but unacceptable orders with 400 ACC-001 (the other reading
/// of digest 5.6 / 9 row 7) passes the mandatory signature rows and only warns on the @strict
/// preferred-status rows: the mandatory level accepts every reasonable reading.
fn other_order_refusal_status_passes_mandatory() -> Result<(), Failed> {
    let outcome = suite(Run {
        faults: &["400-instead-of-403"],
        // The mandatory signature rows and the preferred-status tables of the order matrix.
        tags: Some(
            "@spec-5.5 and (@req-BANK-EO-SIGNATURE or @req-BANK-EO-CHAIN or @req-BANK-EO-SUBJECT \
             or @req-BANK-REFUSAL-STATUS)",
        ),
        ..Run::default()
    })?;
    let rows = |suffix: &str, status: ScenarioStatus| {
        outcome
            .scenarios
            .iter()
            .filter(|s| s.scenario.ends_with(suffix))
            .map(|s| (s.status == status, s.scenario.clone()))
            .collect::<Vec<_>>()
    };
    let tolerant = rows(": 400 ACC-001 or 403 ACC-011", ScenarioStatus::Passed);
    let preferred = rows(": 403 ACC-011", ScenarioStatus::Failed);
    if tolerant.len() < 10 || tolerant.iter().any(|(ok, _)| !ok) {
        return Err(format!(
            "mandatory rows not all passed: {tolerant:?}\n{:#?}",
            failures(&outcome)
        )
        .into());
    }
    if preferred.len() < 10 || preferred.iter().any(|(ok, _)| !ok) {
        return Err(format!("strict preferred-status rows not all failed: {preferred:?}").into());
    }
    // Mandatory passes; the strict preferences warn (and fail only with --strict).
    if outcome.verdict(false) != Verdict::PassWithWarnings || outcome.verdict(true) != Verdict::Fail
    {
        return Err(format!(
            "verdicts {:?} (default) / {:?} (--strict); expected PassWithWarnings / Fail",
            outcome.verdict(false),
            outcome.verdict(true)
        )
        .into());
    }
    Ok(())
}

fn main() {
    let arguments = Arguments::from_args();
    let mut trials = vec![
        Trial::test(
            "bank_suite::reference_mock_bank_passes_every_mandatory_scenario",
            reference_bank_passes,
        ),
        Trial::test(
            "bank_suite::without_fixtures_data_exact_scenarios_are_reported_skipped",
            without_fixtures_data_exact_is_skipped,
        ),
        Trial::test("bank_suite::plain_json_mode_passes", plain_json_passes),
        Trial::test("bank_suite::fail_fast_stops_early", fail_fast_stops_early),
        Trial::test(
            "bank_suite::order_matrix_covers_every_break",
            order_matrix_covers_every_break,
        ),
        Trial::test(
            "bank_suite::a_bank_refusing_orders_with_the_other_open_status_passes_mandatory",
            other_order_refusal_status_passes_mandatory,
        ),
    ];
    trials.extend(cli::trials());
    libtest_mimic::run(&arguments, trials).exit();
}
