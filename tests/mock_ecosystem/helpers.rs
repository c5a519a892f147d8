//! Shared test material: one trust directory per test binary, the small hand-made population
//! the registry rows are written against, request builders, schema checks and a tiny real bank.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use dsop_harness::{
    validate, AccountRecord, AccountStatus, AccountType, Address, Artifact, Bank, Clock, Company,
    DisposalAlternative, Handled, Handler, MessageKind, MockRequest, MockResponse, OpenPeriod,
    Permission, Person, Population, Register, Relation, RoleRecord, TokenMinter, TrustDir,
    POPULATION_FORMAT,
};
use libtest_mimic::Failed;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// The trust directory of this test binary (created once in a temporary directory).
pub fn trust() -> Arc<TrustDir> {
    static TRUST: OnceLock<(tempfile::TempDir, Arc<TrustDir>)> = OnceLock::new();
    Arc::clone(
        &TRUST
            .get_or_init(|| {
                let dir = tempfile::tempdir().expect("temp dir");
                let trust = TrustDir::init(dir.path()).expect("trust init");
                (dir, Arc::new(trust))
            })
            .1,
    )
}

/// A two-worker runtime for the tests that serve on real sockets.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

pub fn test_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/mock_ecosystem")
}

pub fn read_table(name: &str) -> Value {
    let path = test_dir().join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).expect("read table")).expect("table JSON")
}

/// "Today" of the registry rows: the fixture population's reference date.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 30).expect("date")
}

pub fn now() -> DateTime<Utc> {
    Utc.from_utc_datetime(&today().and_hms_opt(12, 0, 0).expect("time"))
}

pub fn fixed_clock() -> Clock {
    Clock::fixed(now())
}

pub fn check(condition: bool, message: impl FnOnce() -> String) -> Result<(), Failed> {
    if condition {
        Ok(())
    } else {
        Err(message().into())
    }
}

/// Fails with the schema violations if `value` is not a valid `kind`.
pub fn valid(kind: MessageKind, value: &Value) -> Result<(), Failed> {
    validate(kind, value).map_err(|violations| {
        let shown: Vec<String> = violations.iter().map(ToString::to_string).collect();
        format!(
            "response is not a valid {kind}:\n{}\n{value}",
            shown.join("\n")
        )
        .into()
    })
}

pub fn body_json(response: &MockResponse) -> Result<Value, Failed> {
    serde_json::from_slice(&response.body).map_err(|e| {
        format!(
            "body is not JSON ({e}): {}",
            String::from_utf8_lossy(&response.body)
        )
        .into()
    })
}

pub fn request(method: &str, path: &str) -> MockRequest {
    MockRequest {
        method: method.into(),
        path: path.into(),
        ..MockRequest::default()
    }
}

pub fn minter() -> TokenMinter {
    TokenMinter::from_trust_dir(&trust()).expect("minter")
}

// ---------------------------------------------------------------------------------------------
// The fixture population (identifiers generated with `dsop-harness ids generate --seed 7`).

pub const BANK_A: &str = "201301653"; // KAR
pub const BANK_B: &str = "327951726"; // KAR
pub const BANK_C: &str = "213756303"; // KFR
pub const BANK_D: &str = "203326785"; // KAR, nobody of interest
pub const P1: &str = "04863207148";
pub const P2: &str = "10913432547";
pub const P3: &str = "30867916322";
pub const NOBODY: &str = "03820679864";
pub const C1: &str = "289585060";
pub const ACCOUNT_P1_SALARY: &str = "40130165623";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn address() -> Address {
    Address {
        street_name: "Storgata".into(),
        building_number: "1".into(),
        post_code: "0155".into(),
        town_name: "Oslo".into(),
        country: "NO".into(),
    }
}

fn role(party: &str, relation: Relation, start: NaiveDate, end: Option<NaiveDate>) -> RoleRecord {
    RoleRecord {
        party: party.into(),
        name: format!("Party {party}"),
        relation,
        permission: Permission::RightToUseAlone,
        start_date: start,
        end_date: end,
    }
}

fn account(
    bank: &str,
    number: &str,
    kind: AccountType,
    currency: &str,
    open: (NaiveDate, Option<NaiveDate>),
    roles: Vec<RoleRecord>,
) -> AccountRecord {
    AccountRecord {
        bank: bank.into(),
        account_identifier: number.into(),
        account_reference: format!("ref-{number}"),
        data_not_delivered: false,
        kind,
        currency: currency.into(),
        status: if open.1.is_some() {
            AccountStatus::Deleted
        } else {
            AccountStatus::Enabled
        },
        open_periods: vec![OpenPeriod {
            start_date: open.0,
            end_date: open.1,
        }],
        roles,
        credit_line: None,
        credit_line_included: false,
        balances: Vec::new(),
        cards: Vec::new(),
        transactions: Vec::new(),
        generated_transactions: None,
        transactions_file: None,
    }
}

/// The registry rows' world (today = 2026-06-30):
/// * P1: owner of a NOK salary account at A (ongoing); disposal on C1's account at B; owner of a
///   savings account at C (KFR).
/// * P2: owner of a loan at A; owner of a EUR currency account at B (ongoing) and of a NOK
///   savings account at B closed 2025-12-31.
/// * P3: disposal rights at A from 2016-01-01 to 2019-03-31 (before KAR's role history).
/// * C1 (company): owner of a NOK business account at B (ongoing).
pub fn fixture_population() -> Arc<Population> {
    let bank = |org: &str, name: &str, register| Bank {
        org_number: org.into(),
        name: name.into(),
        register,
        bank_code: "1234".into(),
        disposal_alternative: DisposalAlternative::FullData,
    };
    let person = |id: &str| Person {
        id: id.into(),
        name: format!("Person {id}"),
        address: address(),
        shielded: false,
    };
    use AccountType::*;
    use Relation::*;
    Arc::new(Population {
        format: POPULATION_FORMAT.into(),
        seed: 7,
        reference_date: today(),
        banks: vec![
            bank(BANK_A, "Fjordheim Sparebank", Register::Kar),
            bank(BANK_B, "Nordvik Bank ASA", Register::Kar),
            bank(BANK_C, "Kystkreditt AS", Register::Kfr),
            bank(BANK_D, "Tinde Bank", Register::Kar),
        ],
        persons: [P1, P2, P3, NOBODY].into_iter().map(person).collect(),
        companies: vec![Company {
            org_number: C1.into(),
            name: "Havbris AS".into(),
            address: address(),
        }],
        accounts: vec![
            account(
                BANK_A,
                ACCOUNT_P1_SALARY,
                SalaryAccount,
                "NOK",
                (d(2020, 1, 1), None),
                vec![role(P1, PrimaryOwner, d(2020, 1, 1), None)],
            ),
            account(
                BANK_B,
                "79517241372",
                BusinessAccount,
                "NOK",
                (d(2019, 1, 1), None),
                vec![
                    role(C1, PrimaryOwner, d(2019, 1, 1), None),
                    role(P1, Disposal, d(2022, 1, 1), None),
                ],
            ),
            account(
                BANK_C,
                "56300033267",
                SavingsAccount,
                "NOK",
                (d(2021, 5, 1), None),
                vec![role(P1, PrimaryOwner, d(2021, 5, 1), None)],
            ),
            account(
                BANK_A,
                "78389585067",
                LoanAccount,
                "NOK",
                (d(2021, 1, 1), None),
                vec![role(P2, PrimaryOwner, d(2021, 1, 1), None)],
            ),
            account(
                BANK_B,
                "14230437123",
                CurrencyAccount,
                "EUR",
                (d(2022, 1, 1), None),
                vec![role(P2, PrimaryOwner, d(2022, 1, 1), None)],
            ),
            account(
                BANK_B,
                "82898820099",
                SavingsAccount,
                "NOK",
                (d(2020, 1, 1), Some(d(2025, 12, 31))),
                vec![role(P2, PrimaryOwner, d(2020, 1, 1), Some(d(2025, 12, 31)))],
            ),
            account(
                BANK_A,
                "24541903654",
                SavingsAccount,
                "NOK",
                (d(2015, 1, 1), None),
                vec![role(P3, Disposal, d(2016, 1, 1), Some(d(2019, 3, 31)))],
            ),
        ],
        edge_cases: Vec::new(),
    })
}

// ---------------------------------------------------------------------------------------------
// A tiny real bank: answers `GET <base>/accounts` from the population queries, checking the
// token's audience against its own base URL. Enough to prove the ecosystem's wiring; the full
// provider is `mocks::bank`.

pub struct TinyBank {
    pub org: String,
    pub base_path: String,
    pub population: Arc<Population>,
    pub tokens: dsop_harness::AccessTokenValidator,
    pub clock: Clock,
}

impl Handler for TinyBank {
    fn name(&self) -> String {
        format!("bank:{}", self.org)
    }

    fn handle(&self, request: &MockRequest) -> Handled {
        let error = |status: u16, code: &str, message: String| {
            Handled::ok(MockResponse::json(
                status,
                &serde_json::json!({"code": code, "message": message}),
            ))
        };
        if request.path != format!("{}/accounts", self.base_path) {
            return error(404, "ACC-002", format!("no such path {}", request.path));
        }
        let token = request
            .header("Authorization")
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        if let Err(e) = self.tokens.validate(
            token,
            dsop_harness::SCOPE_KONTOINFORMASJON,
            self.clock.now().timestamp(),
        ) {
            let (status, code) = e.http();
            return error(status, code, e.to_string());
        }
        let party = request.header("PartyID").unwrap_or_default();
        let opo = request.query_param("OnlyPrimaryOwner") == Some("TRUE");
        let period = match dsop_harness::Period::parse(
            request.query_param("fromDate").unwrap_or_default(),
            request.query_param("toDate").unwrap_or_default(),
            self.clock.now().date_naive(),
        ) {
            Ok(p) => p,
            Err(e) => return error(400, "ACC-001", e.to_string()),
        };
        match dsop_harness::query::accounts_for(&self.population, &self.org, party, opo, period) {
            Ok(view) => Handled::ok(MockResponse::json(
                200,
                &serde_json::to_value(&view.body).unwrap_or_default(),
            )),
            Err(e) => error(400, "ACC-001", e.to_string()),
        }
    }
}

/// The bank factory for [`TinyBank`].
pub fn tiny_bank_factory() -> dsop_harness::BankFactory {
    Arc::new(|slot| {
        let base_path = slot
            .base_url
            .find("/v2")
            .map(|i| slot.base_url[i..].to_owned())
            .unwrap_or_default();
        // "As real banks do": the certificate came from CertPub; check it is the police's.
        let expected = slot.trust.cert_der(Artifact::ConsumerEncryptionCert)?;
        if slot.encryption_cert_der != expected {
            return Err("CertPub served a certificate that is not the police's".into());
        }
        let tokens =
            dsop_harness::AccessTokenValidator::from_trust_dir(&slot.trust, &slot.base_url)?;
        Ok(Arc::new(TinyBank {
            org: slot.bank.org_number.clone(),
            base_path,
            population: Arc::clone(&slot.population),
            tokens,
            clock: slot.clock.clone(),
        }) as Arc<dyn Handler>)
    })
}

/// A police access token from the mock Maskinporten at `endpoint`: an RFC 7523 JWT grant signed
/// with the trust directory's police client key (digest 6.3), the answer schema-checked.
pub async fn police_token(
    http: &reqwest::Client,
    trust: &TrustDir,
    endpoint: &str,
    scope: &str,
    resource: String,
    now: i64,
) -> Result<String, Failed> {
    let fail = |e: &dyn std::fmt::Display| -> Failed { e.to_string().into() };
    let grant = dsop_harness::create_grant(
        &trust.key(Artifact::PoliceClientKey).map_err(|e| fail(&e))?,
        &trust
            .cert_der(Artifact::PoliceClientCert)
            .map_err(|e| fail(&e))?,
        &dsop_harness::GrantRequest {
            client_id: trust.manifest().police_client_id.clone(),
            audience: trust.manifest().maskinporten_issuer.clone(),
            scope: scope.into(),
            resource: Some(dsop_harness::ResourceIndicator::single(&resource)),
            use_kid: false,
        },
        now,
        &[],
    )
    .map_err(|e| fail(&e))?;
    let body: Value = http
        .post(endpoint)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion={grant}"
        ))
        .send()
        .await
        .map_err(|e| fail(&e))?
        .json()
        .await
        .map_err(|e| fail(&e))?;
    valid(MessageKind::MaskinportenTokenResponse, &body)?;
    Ok(body["access_token"].as_str().unwrap_or_default().to_owned())
}

/// Sends `mocks serve` SIGINT and waits for it to stop: whether the signal was sent, and how
/// the process ended. A process still running after a minute is killed and reported (a guard
/// against a hang, not a speed check).
pub fn interrupt(
    child: &mut std::process::Child,
) -> Result<(std::process::ExitStatus, std::process::ExitStatus), String> {
    let interrupted = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Ok((interrupted, status));
        }
        if started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            return Err("mocks serve did not stop within a minute of SIGINT".into());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// The manifest text `read_manifest` returned, parsed and validated against its schema.
pub fn parse_manifest(text: &str) -> Result<Value, Failed> {
    let manifest: Value =
        serde_json::from_str(text).map_err(|e| format!("no manifest ({e}): {text:?}"))?;
    valid(MessageKind::Manifest, &manifest)?;
    Ok(manifest)
}

/// The manifest `mocks serve` prints on stdout when it is ready: the lines up to the closing
/// `}` of the JSON object.
pub fn read_manifest(child: &mut std::process::Child) -> Result<String, String> {
    use std::io::BufRead as _;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut text = String::new();
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.map_err(|e| e.to_string())?;
        let end = line == "}";
        text.push_str(&line);
        if end {
            break;
        }
    }
    Ok(text)
}
