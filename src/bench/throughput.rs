//! Requests per second of the mock bank against a bare axum server returning the same bytes
//! (targets: plain JSON ≥ 50 %, JWE ≥ 25 % of the baseline, in the same run).
//!
//! One in-process reqwest client with N concurrent connections drives both servers with the
//! same request, alternating between them in slices (`paired`) so that both see the same
//! machine load. The baseline serves the exact body and content type the mock bank gave
//! for that request (for JWE: one captured JWE), so the payload bytes are identical; the mock
//! bank does the real work per request (token and extradition-order signatures verified,
//! headers checked, the population queried, the body serialised and, for JWE, encrypted).

use super::{BenchConfig, BenchError, Row};
use crate::domain::mandate::LegalMandate;
use crate::domain::request::SCOPE_KONTOINFORMASJON;
use crate::domain::request::{to_pairs, ControlHeaders, Endpoint, PeriodQuery};
use crate::mocks::ecosystem::{Ecosystem, EcosystemConfig};
use crate::mocks::http::MockRequest;
use crate::mocks::server::FrontEnd;
use crate::population::{EdgeCaseKind, Population, PopulationConfig};
use crate::trust::eo::OrderBuilder;
use crate::trust::maskinporten::TokenMinter;
use crate::trust::TrustDir;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const FIGURE: &str = "mock bank throughput";

/// A request a load generator repeats.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub(crate) url: String,
    pub(crate) headers: reqwest::header::HeaderMap,
}

/// What a load run achieved.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Load {
    /// 2xx answers.
    pub ok: u64,
    /// Anything else (other statuses, transport errors).
    pub failed: u64,
    /// 2xx answers per second.
    pub per_second: f64,
    /// Time measured.
    pub seconds: f64,
}

impl Load {
    /// Adds another run of the same target.
    fn add(&mut self, other: Load) {
        self.ok += other.ok;
        self.failed += other.failed;
        self.seconds += other.seconds;
        self.per_second = self.ok as f64 / self.seconds.max(1e-9);
    }
}

/// Slices each side of a paired measurement is cut into.
const ROUNDS: u32 = 6;

/// Drives `target` with `connections` concurrent request loops for `duration`.
async fn run_for(
    client: &reqwest::Client,
    target: &Target,
    connections: usize,
    duration: Duration,
) -> Load {
    let ok = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..connections.max(1) {
        let (client, target) = (client.clone(), target.clone());
        let (ok, failed) = (Arc::clone(&ok), Arc::clone(&failed));
        tasks.spawn(async move {
            while Instant::now() < deadline {
                let answer = client
                    .get(&target.url)
                    .headers(target.headers.clone())
                    .send()
                    .await;
                let good = match answer {
                    Ok(response) => {
                        let success = response.status().is_success();
                        response.bytes().await.is_ok() && success
                    }
                    Err(_) => false,
                };
                if good {
                    ok.fetch_add(1, Ordering::Relaxed);
                } else {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    let seconds = started.elapsed().as_secs_f64();
    let ok = ok.load(Ordering::Relaxed);
    Load {
        ok,
        failed: failed.load(Ordering::Relaxed),
        per_second: ok as f64 / seconds.max(1e-9),
        seconds,
    }
}

/// Measures `baseline` and `measured` for `duration` each, alternating between them in
/// [`ROUNDS`] slices (after a warm-up of each), so that both see the same drift in the
/// machine's speed: on shared machines the speed moves by tens of percent within seconds, and
/// two measurements taken one after the other gave ratios that moved with it.
pub(crate) async fn paired(
    client: &reqwest::Client,
    baseline: &Target,
    measured: &Target,
    connections: usize,
    duration: Duration,
) -> (Load, Load) {
    run_for(client, baseline, connections, duration / 10).await;
    run_for(client, measured, connections, duration / 10).await;
    let (mut a, mut b) = (Load::default(), Load::default());
    for _ in 0..ROUNDS {
        a.add(run_for(client, baseline, connections, duration / ROUNDS).await);
        b.add(run_for(client, measured, connections, duration / ROUNDS).await);
    }
    (a, b)
}

/// The HTTP client of the load generator (the same for mock and baseline).
pub(crate) fn load_client(connections: usize) -> Result<reqwest::Client, BenchError> {
    reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| BenchError::figure(FIGURE, e))
}

/// The Control API headers of a valid police request to `base` (token minted with the trust
/// directory's Maskinporten key, a fresh valid extradition order).
#[allow(clippy::too_many_arguments)]
pub(crate) fn control_headers(
    trust: &TrustDir,
    base: &str,
    party: &str,
    from: &str,
    to: &str,
    endpoint: Endpoint,
    accept: &str,
) -> Result<reqwest::header::HeaderMap, String> {
    let now = chrono::Utc::now();
    let token = TokenMinter::from_trust_dir(trust)
        .map_err(|e| e.to_string())?
        .mint(base, SCOPE_KONTOINFORMASJON, now.timestamp(), &[])
        .map_err(|e| e.to_string())?;
    let case_id = uuid::Uuid::new_v4().to_string();
    let order = OrderBuilder::valid(now)
        .party_id(party)
        .mandate(LegalMandate::CriminalCase)
        .from_date(from)
        .to_date(to)
        .case_id(&case_id)
        .only_primary_owner(false)
        .build(trust)
        .map_err(|e| e.to_string())?;
    let headers = ControlHeaders {
        authorization: format!("Bearer {token}"),
        accept: Some(accept.to_owned()),
        account_info_request_id: case_id,
        correlation_id: uuid::Uuid::new_v4().to_string(),
        legal_mandate: LegalMandate::CriminalCase.encoded().to_owned(),
        party_id: (endpoint == Endpoint::Accounts).then(|| party.to_owned()),
        additional_reference_id: Some(order.jws),
        additional_reference_id_type: Some("pol1".into()),
        requester_id: Some("dsop-harness-bench".into()),
    };
    let mut map = reqwest::header::HeaderMap::new();
    for (name, value) in to_pairs(&headers) {
        let name =
            reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|e| e.to_string())?;
        let value = reqwest::header::HeaderValue::from_str(&value).map_err(|e| e.to_string())?;
        map.insert(name, value);
    }
    Ok(map)
}

/// The period query string of a Control API request.
pub(crate) fn period_query(from: &str, to: &str, endpoint: Endpoint) -> String {
    let query = PeriodQuery {
        from_date: from.to_owned(),
        to_date: to.to_owned(),
        only_primary_owner: (endpoint == Endpoint::Accounts).then(|| "FALSE".to_owned()),
    };
    to_pairs(&query)
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// A bare axum server answering every request with `body` and `content_type`.
async fn baseline_server(
    body: bytes::Bytes,
    content_type: String,
) -> Result<(String, tokio::task::JoinHandle<()>), BenchError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| BenchError::figure("axum baseline", e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| BenchError::figure("axum baseline", e))?;
    let app = axum::Router::new().fallback(move || {
        let (body, content_type) = (body.clone(), content_type.clone());
        async move { ([(axum::http::header::CONTENT_TYPE, content_type)], body) }
    });
    let task = tokio::spawn(async move {
        // Ends when the task is aborted.
        drop(axum::serve(listener, app).await);
    });
    Ok((format!("http://{addr}"), task))
}

/// The four throughput rows: plain JSON and JWE, each on both mock front ends.
pub(crate) async fn rows(
    config: &BenchConfig,
    trust_dir: &std::path::Path,
) -> Result<Vec<Row>, BenchError> {
    let fail = |e: String| BenchError::figure(FIGURE, e);
    let trust = Arc::new(TrustDir::open(trust_dir).map_err(|e| fail(e.to_string()))?);
    let population = Arc::new(Population::generate(&PopulationConfig {
        reference_date: chrono::Utc::now().date_naive(),
        ..PopulationConfig::default_pack()
    }));
    // A person with a few accounts at one bank: an ordinary Accounts answer.
    let case = population
        .edge_case(EdgeCaseKind::PagingAccount)
        .ok_or_else(|| fail("the population has no paging-account edge case".into()))?;
    let (party, bank) = match (&case.party, &case.bank) {
        (Some(p), Some(b)) => (p.clone(), b.clone()),
        _ => {
            return Err(fail(
                "the paging-account edge case names no party or bank".into(),
            ))
        }
    };
    let to = population.reference_date.to_string();
    let from = (population.reference_date - chrono::Days::new(365)).to_string();
    let client = load_client(config.connections)?;
    let mut rows = Vec::new();
    for (accept, kind, min_ratio) in [
        ("application/json", "plain JSON", 0.5),
        ("application/jose", "JWE", 0.25),
    ] {
        for front_end in FrontEnd::ALL {
            let mut eco_config = EcosystemConfig::new(
                Arc::clone(&trust),
                Arc::clone(&population),
                crate::mocks::bank::mock_bank_factory(),
            );
            eco_config.banks = Some(vec![bank.clone()]);
            eco_config.default_front_end = front_end;
            let ecosystem = Ecosystem::start(eco_config)
                .await
                .map_err(|e| fail(e.to_string()))?;
            let base = ecosystem
                .bank_url(&bank)
                .ok_or_else(|| fail("the bank has no URL".into()))?
                .to_owned();
            let headers = control_headers(
                &trust,
                &base,
                &party,
                &from,
                &to,
                Endpoint::Accounts,
                accept,
            )
            .map_err(fail)?;
            let target = Target {
                url: format!(
                    "{base}{}?{}",
                    Endpoint::Accounts.path(""),
                    period_query(&from, &to, Endpoint::Accounts)
                ),
                headers,
            };
            // The payload the baseline repeats.
            let sample = client
                .get(&target.url)
                .headers(target.headers.clone())
                .send()
                .await
                .map_err(|e| fail(e.to_string()))?;
            if sample.status() != reqwest::StatusCode::OK {
                let status = sample.status();
                let text = sample.text().await.unwrap_or_default();
                return Err(fail(format!("the mock bank answered {status}: {text}")));
            }
            let content_type = sample
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("application/octet-stream")
                .to_owned();
            let body = sample.bytes().await.map_err(|e| fail(e.to_string()))?;
            let size = body.len();
            let (baseline_url, baseline_task) = baseline_server(body, content_type).await?;
            let baseline_target = Target {
                url: format!("{baseline_url}/v2/accounts"),
                headers: target.headers.clone(),
            };
            let (baseline, measured) = paired(
                &client,
                &baseline_target,
                &target,
                config.connections,
                config.load_time(),
            )
            .await;
            baseline_task.abort();
            if front_end == FrontEnd::Hyper {
                rows.push(handler_only(
                    &trust,
                    &population,
                    &bank,
                    &base,
                    &target,
                    kind,
                    config.load_time(),
                )?);
            }
            ecosystem.shutdown();
            let mut row = Row::ratio_at_least(
                &format!("mock bank, {kind}, {front_end} front end (Accounts, {size} B body)"),
                measured.per_second,
                baseline.per_second,
                min_ratio,
            );
            if measured.failed + baseline.failed > 0 {
                row.measured.push_str(&format!(
                    " ({} failed; baseline {} failed)",
                    measured.failed, baseline.failed
                ));
            }
            rows.push(row);
        }
    }
    Ok(rows)
}

/// The mock bank's handler called directly on one thread, no HTTP: its cost per request,
/// which bounds what any front end can serve.
fn handler_only(
    trust: &Arc<TrustDir>,
    population: &Arc<Population>,
    bank: &str,
    base: &str,
    target: &Target,
    kind: &str,
    duration: Duration,
) -> Result<Row, BenchError> {
    let fail = |e: String| BenchError::figure(FIGURE, e);
    let record = population
        .banks
        .iter()
        .find(|b| b.org_number == bank)
        .ok_or_else(|| fail("no bank".into()))?
        .clone();
    let handler = (crate::mocks::bank::mock_bank_factory())(&crate::mocks::ecosystem::BankSlot {
        bank: record,
        base_url: base.to_owned(),
        encryption_cert_der: trust
            .cert_der(crate::trust::Artifact::ConsumerEncryptionCert)
            .map_err(|e| fail(e.to_string()))?,
        trust: Arc::clone(trust),
        population: Arc::clone(population),
        faults: Vec::new(),
        clock: crate::mocks::clock::Clock::system(),
    })
    .map_err(|e| fail(e.to_string()))?;
    let url = reqwest::Url::parse(&target.url).map_err(|e| fail(e.to_string()))?;
    let request = MockRequest {
        method: "GET".into(),
        path: url.path().to_owned(),
        query: url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
        headers: target
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: Vec::new(),
    };
    let started = Instant::now();
    let mut calls = 0u64;
    while started.elapsed() < duration {
        let handled = handler.handle(&request);
        if handled.response.status != 200 {
            return Err(fail(format!(
                "the handler answered {}",
                handled.response.status
            )));
        }
        calls += 1;
    }
    let micros = started.elapsed().as_secs_f64() * 1e6 / calls.max(1) as f64;
    Ok(Row::info(
        &format!("mock bank handler alone, {kind}, one thread, no HTTP"),
        format!("{micros:.0} µs per request ({:.0} req/s)", 1e6 / micros),
    ))
}
