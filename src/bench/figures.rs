//! The timed figures: ecosystem start-up with an existing trust directory, one case fanned out
//! by the reference police client over many mock banks, and the suites against the reference
//! implementations with the share of their wall time spent in `schema::validate`.

use super::{BenchConfig, BenchError, Row};
use crate::bank_suite::BankSuiteConfig;
use crate::domain::identifiers::AccountNumber;
use crate::domain::mandate::LegalMandate;
use crate::mocks::ecosystem::{Ecosystem, EcosystemConfig};
use crate::police::case::CaseInput;
use crate::police::driver::{Driver, DriverConfig};
use crate::police::lookup::run_case;
use crate::police::result::BankStatus;
use crate::population::model::Relation;
use crate::population::{Population, PopulationConfig};
use crate::schema::ValidationTotals;
use crate::suite::run::Selection;
use crate::trust::eo::OrderBuilder;
use crate::trust::TrustDir;
use rand::SeedableRng;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn population(banks: usize) -> Population {
    Population::generate(&PopulationConfig {
        banks,
        reference_date: chrono::Utc::now().date_naive(),
        ..PopulationConfig::default_pack()
    })
}

/// Ecosystem ready (trust directory opened, default pack generated, every mock serving) with
/// an existing trust directory; target ≤ 300 ms.
pub(crate) async fn startup(trust_dir: &Path) -> Result<Vec<Row>, BenchError> {
    let figure = "mock ecosystem ready, existing trust dir, default pack (5 banks)";
    let fail = |e: String| BenchError::figure(figure, e);
    // Compile the schemas first: a one-off per process that `mocks serve` pays before it
    // listens as well, but which is not ecosystem start-up.
    crate::schema::SchemaRegistry::global().map_err(|e| fail(e.to_string()))?;
    let started = Instant::now();
    let trust = Arc::new(TrustDir::open(trust_dir).map_err(|e| fail(e.to_string()))?);
    let population = Arc::new(population(5));
    let ecosystem = Ecosystem::start(EcosystemConfig::new(
        trust,
        population,
        crate::mocks::bank::mock_bank_factory(),
    ))
    .await
    .map_err(|e| fail(e.to_string()))?;
    let elapsed = started.elapsed();
    ecosystem.shutdown();
    Ok(vec![Row::at_most(
        figure,
        elapsed.as_secs_f64() * 1000.0,
        300.0,
        "ms",
    )])
}

/// A population of `banks` banks in which one owner has an account at every bank (a copy of
/// one of its accounts with a fresh number and reference per bank); returns it with the owner.
/// The fan-out figure and the fan-out tests (`tests/mock_ecosystem`) both use it.
pub fn fanout_population(banks: usize) -> Result<(Population, String), String> {
    let mut population = population(banks);
    let shielded: Vec<String> = population
        .persons
        .iter()
        .filter(|p| p.shielded)
        .map(|p| p.id.clone())
        .collect();
    let owned = |a: &crate::population::AccountRecord| -> Option<String> {
        a.roles
            .iter()
            .find(|r| {
                r.relation == Relation::PrimaryOwner
                    && r.end_date.is_none()
                    && !shielded.contains(&r.party)
            })
            .map(|r| r.party.clone())
    };
    let template = population
        .accounts
        .iter()
        .find(|a| {
            !a.data_not_delivered
                && a.generated_transactions.is_none()
                && a.open_periods.last().is_some_and(|p| p.end_date.is_none())
                && owned(a).is_some()
        })
        .cloned()
        .ok_or("no open, owned account")?;
    let owner = owned(&template).ok_or("no owner")?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    for bank in population.banks.clone() {
        if population
            .accounts
            .iter()
            .any(|a| a.bank == bank.org_number && a.roles.iter().any(|r| r.party == owner))
        {
            continue;
        }
        let mut copy = template.clone();
        copy.bank = bank.org_number.clone();
        copy.account_identifier = AccountNumber::generate_for_bank(&mut rng, &bank.bank_code)
            .map_err(|e| e.to_string())?
            .to_string();
        copy.account_reference = uuid::Uuid::new_v4().to_string();
        population.accounts.push(copy);
    }
    Ok((population, owner))
}

/// One case by the reference police client over `config.fanout_banks()` banks: registry →
/// datakatalog → every bank (Accounts, details, transactions, cards, roles); target ≤ 3 s.
pub(crate) async fn fanout(config: &BenchConfig, trust_dir: &Path) -> Result<Vec<Row>, BenchError> {
    let banks = config.fanout_banks();
    let figure = format!("one case fanned out to {banks} mock banks (reference police client)");
    let fail = |e: String| BenchError::figure(&figure, e);
    let trust = Arc::new(TrustDir::open(trust_dir).map_err(|e| fail(e.to_string()))?);
    let (population, party) = fanout_population(banks).map_err(fail)?;
    let population = Arc::new(population);
    let started = Instant::now();
    let ecosystem = Ecosystem::start(EcosystemConfig::new(
        Arc::clone(&trust),
        Arc::clone(&population),
        crate::mocks::bank::mock_bank_factory(),
    ))
    .await
    .map_err(|e| fail(e.to_string()))?;
    let ready = started.elapsed();
    let manifest = ecosystem.manifest().clone();
    let from = (population.reference_date - chrono::Days::new(365)).to_string();
    let to = population.reference_date.to_string();
    let case_id = uuid::Uuid::new_v4().to_string();
    let order = OrderBuilder::valid(chrono::Utc::now())
        .party_id(&party)
        .mandate(LegalMandate::CriminalCase)
        .from_date(&from)
        .to_date(&to)
        .case_id(&case_id)
        .only_primary_owner(false)
        .build(&trust)
        .map_err(|e| fail(e.to_string()))?;
    let case = CaseInput {
        party_id: party,
        from_date: from,
        to_date: to,
        legal_mandate: LegalMandate::CriminalCase.plain().into(),
        only_primary_owner: false,
        case_id,
        requester_id: "dsop-harness-bench".into(),
        extradition_order: order.jws,
        plain_json: false,
        direct_banks: Vec::new(),
    };
    let driver = Driver::new(
        DriverConfig::new(
            &manifest.maskinporten.token_endpoint,
            &manifest.registry.url,
            &manifest.datakatalog.url,
        ),
        &trust,
    )
    .map_err(|e| fail(e.to_string()))?;
    let started = Instant::now();
    let run = run_case(&driver, &case)
        .await
        .map_err(|e| fail(e.to_string()))?;
    let elapsed = started.elapsed();
    ecosystem.shutdown();
    let failed = run
        .result
        .banks
        .iter()
        .filter(|b| b.status == BankStatus::Failed)
        .count();
    if run.result.banks.len() != banks || failed > 0 {
        return Err(fail(format!(
            "{} banks in the result, {failed} failed",
            run.result.banks.len()
        )));
    }
    let mut row = Row::at_most(&figure, elapsed.as_secs_f64(), 3.0, "s");
    row.measured.push_str(&format!(
        " ({} requests, concurrency {})",
        run.transcript.len(),
        driver.config().concurrency
    ));
    Ok(vec![
        row,
        Row::info(
            &format!("mock ecosystem with {banks} banks ready"),
            format!("{:.0} ms", ready.as_secs_f64() * 1000.0),
        ),
    ])
}

/// The whole bank suite against the reference mock bank (JWE), target ≤ 10 s, and the share
/// of its wall time inside `schema::validate`, target ≤ 10 %.
pub(crate) async fn bank_suite(
    config: &BenchConfig,
    trust_dir: &Path,
) -> Result<Vec<Row>, BenchError> {
    let figure = if config.quick {
        "bank suite (@spec-7.2 only, quick) against the reference mock bank"
    } else {
        "full bank suite against the reference mock bank"
    };
    let fail = |e: String| BenchError::figure(figure, e);
    let trust = Arc::new(TrustDir::open(trust_dir).map_err(|e| fail(e.to_string()))?);
    let population = Arc::new(population(5));
    let bank = population
        .banks
        .first()
        .ok_or_else(|| fail("no bank".into()))?
        .org_number
        .clone();
    let fixtures = crate::bank_suite::Fixtures::new(Arc::clone(&population), Some(&bank))
        .map_err(|e| fail(e.to_string()))?;
    let ecosystem = Ecosystem::start(EcosystemConfig::new(
        trust,
        population,
        crate::bank_suite::reference_bank_factory(trust_dir.to_path_buf()),
    ))
    .await
    .map_err(|e| fail(e.to_string()))?;
    let base_url = ecosystem
        .bank_url(&bank)
        .ok_or_else(|| fail("no bank URL".into()))?
        .to_owned();
    let selection = if config.quick {
        Selection::parse(Some("@spec-7.2"), None).map_err(|e| fail(e.to_string()))?
    } else {
        Selection::default()
    };
    let schema_before = ValidationTotals::now();
    let started = Instant::now();
    let outcome = crate::bank_suite::run(BankSuiteConfig {
        base_url,
        trust_dir: trust_dir.to_path_buf(),
        plain_json: false,
        features: config.features.clone(),
        selection,
        fixtures: Some(fixtures),
        fail_fast: false,
        request_timeout: None,
        max_body_bytes: None,
    })
    .await
    .map_err(|e| fail(e.to_string()))?;
    let wall = started.elapsed();
    let schema = ValidationTotals::since(schema_before);
    ecosystem.shutdown();
    let (passed, failed, skipped) = outcome.counts();
    if passed == 0 {
        return Err(fail(format!(
            "no scenario passed ({failed} failed, {skipped} skipped): are the features at {}?",
            config.features.display()
        )));
    }
    let mut time = Row::at_most(figure, wall.as_secs_f64(), 10.0, "s");
    time.measured.push_str(&format!(
        " ({passed} passed, {failed} failed, {skipped} skipped)"
    ));
    Ok(vec![time, schema_share("bank suite", schema, wall)])
}

/// The row of the schema share of a suite's wall time.
fn schema_share(suite: &str, schema: ValidationTotals, wall: Duration) -> Row {
    let share = 100.0 * schema.time.as_secs_f64() / wall.as_secs_f64().max(1e-9);
    let mut row = Row::at_most(
        &format!("{suite}: time in schema::validate / wall time"),
        share,
        10.0,
        "%",
    );
    row.measured.push_str(&format!(
        " ({} calls, {:.0} ms, suite and mock together)",
        schema.calls,
        schema.time.as_secs_f64() * 1000.0
    ));
    row
}

/// The whole police suite against the reference police client (in-process trigger: the
/// figure is the suite's own cost — a fresh mock ecosystem per scenario, the journal judging,
/// the case-result comparison — not process start-up), and the share of schema validation.
/// `features/police` is found beside the bank features.
pub(crate) async fn police_suite(
    config: &BenchConfig,
    trust_dir: &Path,
) -> Result<Vec<Row>, BenchError> {
    let figure = if config.quick {
        "police suite (@spec-4.7 only, quick) against the reference police client"
    } else {
        "full police suite against the reference police client"
    };
    let fail = |e: String| BenchError::figure(figure, e);
    let features = config
        .features
        .parent()
        .map(|p| p.join("police"))
        .ok_or_else(|| fail("no police features beside the bank features".into()))?;
    let mut suite = crate::police_suite::PoliceSuiteConfig::new(
        crate::police_suite::reference_trigger(crate::police::faults::FaultSet::default()),
        features.clone(),
    );
    suite.trust_dir = Some(trust_dir.to_path_buf());
    if config.quick {
        suite.selection =
            Selection::parse(Some("@spec-4.7"), None).map_err(|e| fail(e.to_string()))?;
    }
    let schema_before = ValidationTotals::now();
    let started = Instant::now();
    let run = crate::police_suite::run(suite)
        .await
        .map_err(|e| fail(e.to_string()))?;
    let wall = started.elapsed();
    let schema = ValidationTotals::since(schema_before);
    let (passed, failed, skipped) = run.outcome.counts();
    if passed == 0 {
        return Err(fail(format!(
            "no scenario passed ({failed} failed, {skipped} skipped): are the features at {}?",
            features.display()
        )));
    }
    let mut time = Row::at_most(figure, wall.as_secs_f64(), 10.0, "s");
    time.measured.push_str(&format!(
        " ({passed} passed, {failed} failed, {skipped} skipped)"
    ));
    Ok(vec![time, schema_share("police suite", schema, wall)])
}
