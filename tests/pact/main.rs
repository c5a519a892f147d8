//! The Pact V4 contract (`dsop-harness pact export`, docs/pact.md) proven with the real Pact
//! verifier (`pact verifier` of the PyPI package `pact-python-cli`, installed by `.ci/run`):
//! the contract exported for the default pack passes against the reference mock bank serving
//! that pack, with tokens, orders and account references from the provider-state hook
//! (`dsop_harness::StateHook`, what `dsop-harness pact states` serves); and the verifier
//! fails, naming the interactions, against the mock bank with conformance fault profiles.
//!
//! A missing `pact` binary fails every verifier test with the install command (never a skip).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use dsop_harness::{
    reference_bank_factory, validate, Ecosystem, EcosystemConfig, EdgeCaseKind, FaultProfile,
    MessageKind, Population, StateHook, TrustDir, DEFAULT_PACK_PATH, FILE_NAME,
};
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The pinned verifier package (also in `.ci/run`).
const INSTALL: &str = "python3 -m pip install 'pact-python-cli==1!0.10.9'";

fn main() {
    let args = Arguments::from_args();
    let mut trials = vec![
        Trial::test("pact::contract_states_and_generators", contract_shape),
        Trial::test(
            "pact::every_example_body_is_valid_against_schemas",
            example_bodies_are_valid,
        ),
        Trial::test("pact::states_binary_mints_token_and_order", states_binary),
        Trial::test("pact::reference_bank_passes_the_verifier", || verify(None)),
    ];
    for fault in [
        FaultProfile::PostReturns200,
        FaultProfile::UnmaskedCardNumbers,
        FaultProfile::TransactionsOutsidePeriod,
    ] {
        trials.push(Trial::test(
            format!("pact::verifier_catches_fault_{}", fault.name()),
            move || verify(Some(fault)),
        ));
    }
    libtest_mimic::run(&args, trials).exit();
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The trust directory of this test binary.
fn trust_path() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        TrustDir::init(dir.path()).expect("trust init");
        dir
    })
    .path()
}

fn population() -> Arc<Population> {
    static POP: OnceLock<Arc<Population>> = OnceLock::new();
    POP.get_or_init(|| {
        Arc::new(Population::load(&root().join(DEFAULT_PACK_PATH)).expect("default pack"))
    })
    .clone()
}

/// The contract for the default pack, exported once by the binary (`pact export`).
fn contract() -> Result<&'static (PathBuf, Value), Failed> {
    static CONTRACT: OnceLock<Result<(tempfile::TempDir, PathBuf, Value), String>> =
        OnceLock::new();
    let made = CONTRACT.get_or_init(|| {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_dsop-harness"))
            .args(["pact", "export", "--out"])
            .arg(dir.path())
            .arg("--fixtures")
            .arg(root().join(DEFAULT_PACK_PATH))
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!(
                "pact export failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let path = dir.path().join(FILE_NAME);
        let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
        let value: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        Ok((dir, path, value))
    });
    static VIEW: OnceLock<(PathBuf, Value)> = OnceLock::new();
    match made {
        Ok((_, path, value)) => Ok(VIEW.get_or_init(|| (path.clone(), value.clone()))),
        Err(e) => Err(e.clone().into()),
    }
}

fn interactions(contract: &Value) -> &[Value] {
    contract["interactions"]
        .as_array()
        .map_or(&[], Vec::as_slice)
}

/// Every interaction has a unique description starting with the rules it checks, and one
/// provider state named after an edge case of the pack (or the two generic parties); every
/// 2b request takes its account reference, and every request its token and order, from the
/// provider state.
fn contract_shape() -> Result<(), Failed> {
    let (_, contract) = contract()?;
    let list = interactions(contract);
    if list.is_empty() {
        return Err("the contract has no interactions".into());
    }
    let mut descriptions = BTreeSet::new();
    let mut states = BTreeSet::new();
    let known: BTreeSet<&str> = EdgeCaseKind::ALL
        .iter()
        .map(|k| k.as_str())
        .chain([dsop_harness::PERSON_STATE, dsop_harness::COMPANY_STATE])
        .collect();
    for i in list {
        let description = i["description"].as_str().unwrap_or_default();
        let rules = description.split(": ").next().unwrap_or_default();
        if rules
            .split(", ")
            .any(|id| dsop_harness::Rule::from_id(id).is_none())
        {
            return Err(format!("{description}: does not start with the rules it checks").into());
        }
        if !descriptions.insert(description) {
            return Err(format!("description {description:?} appears twice").into());
        }
        let state = i["providerStates"][0]["name"].as_str().unwrap_or_default();
        if !known.contains(state) {
            return Err(
                format!("{description}: provider state {state:?} is not an edge case").into(),
            );
        }
        states.insert(state);
        let generators = &i["request"]["generators"];
        for header in [
            "Authorization",
            "AdditionalReferenceID",
            "AccountInfoRequestID",
        ] {
            if generators["header"][header]["type"] != "ProviderState" {
                return Err(
                    format!("{description}: {header} is not from the provider state").into(),
                );
            }
        }
        let path = i["request"]["path"].as_str().unwrap_or_default();
        let literal = path.ends_with("/accounts")
            || path.contains(dsop_harness::UNKNOWN_REFERENCE)
            || path.contains("/dataNotDelivered/");
        if !literal && generators["path"]["type"] != "ProviderState" {
            return Err(
                format!("{description}: path {path} is not from the provider state").into(),
            );
        }
        if i["request"]["headers"]["Accept"][0] != "application/json" {
            return Err(format!("{description}: not the plain-JSON test mode").into());
        }
    }
    // Every edge case the bank suite's data-exact scenarios use at this bank appears.
    for kind in [
        EdgeCaseKind::ShieldedPerson,
        EdgeCaseKind::CoOwnedAccount,
        EdgeCaseKind::DataNotDelivered,
        EdgeCaseKind::PagingAccount,
        EdgeCaseKind::PeriodBoundaries,
        EdgeCaseKind::CardTransactions,
        EdgeCaseKind::RoleHistory,
    ] {
        if !states.contains(kind.as_str()) {
            return Err(format!("no interaction for edge case {kind}").into());
        }
    }
    Ok(())
}

/// Every response body the contract shows is valid against its schema in `schemas/` (police
/// profile): the Control API message of the endpoint for a 200, the DSOP error body otherwise.
/// The verifier matches the bank against these examples' shapes, so an invalid example would
/// teach a vendor a wrong shape.
fn example_bodies_are_valid() -> Result<(), Failed> {
    let (_, contract) = contract()?;
    let mut checked = 0;
    for i in interactions(contract) {
        let description = i["description"].as_str().unwrap_or_default();
        let status = i["response"]["status"].as_u64().unwrap_or_default();
        let body = &i["response"]["body"]["content"];
        let path = i["request"]["path"].as_str().unwrap_or_default();
        let path = path.split('?').next().unwrap_or_default();
        let kind = match (status, path.rsplit('/').next().unwrap_or_default()) {
            (200, "accounts") => MessageKind::Accounts,
            (200, "transactions") => MessageKind::Transactions,
            (200, "cards") => MessageKind::Cards,
            (200, "roles") => MessageKind::Roles,
            (200, _) => MessageKind::AccountDetails,
            _ => MessageKind::Error,
        };
        if body.is_null() {
            return Err(format!("{description}: no response body").into());
        }
        validate(kind, body).map_err(|v| format!("{description}: {kind:?} {v:#?}"))?;
        checked += 1;
    }
    if checked != interactions(contract).len() || checked == 0 {
        return Err(format!("checked {checked} bodies").into());
    }
    Ok(())
}

/// `dsop-harness pact states` (the binary a vendor runs): refuses a non-loopback address,
/// prints its URL, and answers a setup with a token a bank accepts for its base URL and an
/// order a bank accepts for the state's party and period, its caseID the injected
/// AccountInfoRequestID (digest 6.2, 5.5, 4.8).
fn states_binary() -> Result<(), Failed> {
    use std::io::BufRead as _;
    let base_url = "http://127.0.0.1:9/v2";
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_dsop-harness"))
        .args([
            "pact",
            "states",
            "--base-url",
            base_url,
            "--listen",
            "0.0.0.0:0",
        ])
        .arg("--trust-dir")
        .arg(trust_path())
        .output()
        .map_err(|e| e.to_string())?;
    if refused.status.success() || !String::from_utf8_lossy(&refused.stderr).contains("loopback") {
        return Err("pact states listened on a non-loopback address".into());
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dsop-harness"))
        .args(["pact", "states", "--base-url", base_url])
        .arg("--trust-dir")
        .arg(trust_path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let party = population().persons[0].id.clone();
    let outcome = (|| -> Result<(), Failed> {
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let url = std::io::BufReader::new(stdout)
            .lines()
            .next()
            .ok_or("pact states printed nothing")?
            .map_err(|e| e.to_string())?;
        let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
        let values: Value = runtime
            .block_on(async {
                reqwest::Client::new()
                    .post(&url)
                    .body(
                        serde_json::json!({"action": "setup", "state": "person-owning-accounts",
                            "params": {"party": party, "fromDate": "2024-01-01",
                                       "toDate": "2024-12-31"}})
                        .to_string(),
                    )
                    .send()
                    .await?
                    .json::<Value>()
                    .await
            })
            .map_err(|e| e.to_string())?;
        let trust = TrustDir::open(trust_path()).map_err(|e| e.to_string())?;
        let now = chrono::Utc::now();
        let token = values["accessToken"].as_str().ok_or("no accessToken")?;
        dsop_harness::AccessTokenValidator::from_trust_dir(&trust, base_url)
            .map_err(|e| e.to_string())?
            .validate(token, "bits:kontoinformasjon", now.timestamp())
            .map_err(|e| format!("the hook's token is not valid for {base_url}: {e}"))?;
        let order = values["extraditionOrder"].as_str().ok_or("no order")?;
        let verified = dsop_harness::eo::ExtraditionOrderVerifier::from_trust_dir(
            &trust,
            dsop_harness::eo::Environment::Test,
            now,
        )
        .map_err(|e| e.to_string())?
        .verify(order)
        .map_err(|e| format!("the hook's order is not valid: {e}"))?;
        let payload = &verified.payload;
        if payload.party_id != party
            || payload.from_date != "2024-01-01"
            || payload.to_date != "2024-12-31"
            || values["accountInfoRequestId"] != payload.case_id.as_str()
        {
            return Err(format!("the order does not match the state: {payload:?} {values}").into());
        }
        Ok(())
    })();
    let _ = child.kill();
    let _ = child.wait();
    outcome
}

/// Runs the verifier against the reference bank (with `fault` on it) and judges the result.
fn verify(fault: Option<FaultProfile>) -> Result<(), Failed> {
    let (path, contract) = contract()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let report = runtime.block_on(async {
        let trust = Arc::new(TrustDir::open(trust_path()).map_err(|e| e.to_string())?);
        let population = population();
        let org = population.banks[0].org_number.clone();
        let mut config = EcosystemConfig::new(
            trust.clone(),
            population,
            reference_bank_factory(trust_path().to_path_buf()),
        );
        if let Some(fault) = fault {
            config
                .faults
                .insert(org.clone(), vec![fault.name().to_owned()]);
        }
        let eco = Ecosystem::start(config).await.map_err(|e| e.to_string())?;
        let base_url = eco.bank_url(&org).ok_or("no bank url")?.to_owned();
        let hook = StateHook::start(trust, &base_url, "127.0.0.1:0".parse().expect("addr"))
            .await
            .map_err(|e| e.to_string())?;
        let outcome = run_verifier(path, &base_url, hook.url()).await;
        hook.shutdown();
        eco.shutdown();
        outcome
    })?;
    let results = report["interactionResults"]
        .as_array()
        .ok_or_else(|| format!("the verifier's report has no interactionResults: {report}"))?;
    if results.len() != interactions(contract).len() {
        return Err(format!(
            "the verifier verified {} interactions, the contract has {}",
            results.len(),
            interactions(contract).len()
        )
        .into());
    }
    let failed: BTreeSet<&str> = results
        .iter()
        .filter(|r| r["result"] != "OK")
        .filter_map(|r| r["description"].as_str())
        .collect();
    let expected = expected_failures(contract, fault);
    match fault {
        None if failed.is_empty() && report["result"] == true => Ok(()),
        None => Err(format!(
            "the reference bank failed the contract: {failed:#?}\n{}",
            report["output"]
        )
        .into()),
        Some(f) => {
            if report["result"] != false || failed.is_empty() {
                return Err(format!("the verifier passed the bank with fault {}", f.name()).into());
            }
            let unexpected: Vec<&&str> = failed.iter().filter(|d| !expected.within(d)).collect();
            let missing: Vec<&String> = expected
                .all
                .iter()
                .filter(|d| !failed.contains(d.as_str()))
                .collect();
            if unexpected.is_empty() && missing.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "fault {}: interactions failed that should not: {unexpected:#?}; \
                     interactions that should fail passed: {missing:#?}",
                    f.name()
                )
                .into())
            }
        }
    }
}

/// Which interactions a fault must fail (`all`), and which may fail (`within`: those of the
/// operation; descriptions start with the rules they check, then the operation).
struct Expected {
    all: Vec<String>,
    operation: &'static str,
}

impl Expected {
    fn within(&self, description: &str) -> bool {
        !self.operation.is_empty() && description.contains(self.operation)
    }
}

fn expected_failures(contract: &Value, fault: Option<FaultProfile>) -> Expected {
    let with = |prefix: &str, keep: &dyn Fn(&Value) -> bool| -> Vec<String> {
        interactions(contract)
            .iter()
            .filter(|i| {
                i["description"]
                    .as_str()
                    .is_some_and(|d| d.starts_with(prefix))
            })
            .filter(|i| keep(i))
            .filter_map(|i| i["description"].as_str().map(str::to_owned))
            .collect()
    };
    let body = |i: &Value, list: &str| -> usize {
        i["response"]["body"]["content"][list]
            .as_array()
            .map_or(0, Vec::len)
    };
    match fault {
        // Only the POST interaction (digest 7.1).
        Some(FaultProfile::PostReturns200) => Expected {
            all: with("POST to Accounts", &|_| true),
            operation: "POST to Accounts",
        },
        // Every Cards interaction with cards (digest 3.4.8).
        Some(FaultProfile::UnmaskedCardNumbers) => Expected {
            all: with("listCards of", &|i| body(i, "paymentCards") > 0),
            operation: "listCards of",
        },
        // The period-boundaries account has bookings a day outside each period (digest 3.2.1).
        Some(FaultProfile::TransactionsOutsidePeriod) => Expected {
            all: with("listTransactions of", &|i| {
                i["providerStates"][0]["name"] == EdgeCaseKind::PeriodBoundaries.as_str()
            }),
            operation: "listTransactions of",
        },
        _ => Expected {
            all: Vec::new(),
            operation: "",
        },
    }
}

/// `pact verifier` against the bank at `base_url` with the hook at `hook`: its JSON report.
async fn run_verifier(contract: &Path, base_url: &str, hook: &str) -> Result<Value, Failed> {
    let url = reqwest::Url::parse(base_url).map_err(|e| e.to_string())?;
    let report_dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let report = report_dir.path().join("report.json");
    let started = std::time::Instant::now();
    let output = tokio::process::Command::new("pact")
        .arg("verifier")
        .arg("--file")
        .arg(contract)
        .args(["--hostname", url.host_str().unwrap_or("127.0.0.1")])
        .args(["--port", &url.port().unwrap_or(80).to_string()])
        .args(["--base-path", url.path()])
        .args(["--state-change-url", hook])
        .arg("--json")
        .arg(&report)
        .arg("--no-colour")
        .env("PACT_DO_NOT_TRACK", "true")
        .output()
        .await
        .map_err(|e| {
            format!(
                "the Pact verifier (`pact`, PyPI package pact-python-cli) could not be run: \
                 {e}. Install it with: {INSTALL} (.ci/run does)"
            )
        })?;
    eprintln!(
        "pact verifier against {base_url}: exit {:?} in {:.1} s",
        output.status.code(),
        started.elapsed().as_secs_f64()
    );
    let text = std::fs::read_to_string(&report).map_err(|e| {
        format!(
            "the verifier wrote no report ({e}); exit {:?}\nstdout:\n{}\nstderr:\n{}",
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })?;
    let value: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    // The exit status and the report agree.
    if output.status.success() != (value["result"] == true) {
        return Err(format!(
            "the verifier exited {:?} but its report says result {}",
            output.status.code(),
            value["result"]
        )
        .into());
    }
    Ok(value)
}
