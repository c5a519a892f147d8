//! Over real sockets with reqwest: both front ends, TLS with the trust directory's CA as the
//! only root, the transport faults, the body cap, the CertPub client and `Ecosystem::start`.

use crate::helpers::*;
use dsop_harness::{
    fetch_encryption_cert, serve_handler, tls_server_config, Artifact, CertPubMock, Ecosystem,
    EcosystemConfig, FrontEnd, Handled, Handler, Journal, MessageKind, MockRequest, MockResponse,
    Population, PopulationConfig, ServeOptions, Transport, BODY_LIMIT,
};
use libtest_mimic::{Failed, Trial};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn block_on<F: Future<Output = Result<(), Failed>>>(future: F) -> Result<(), Failed> {
    runtime().block_on(future)
}

fn err(e: impl std::fmt::Display) -> Failed {
    e.to_string().into()
}

/// Echoes the request as JSON; `/reset`, `/drip`, `/hang`, `/delay` choose a transport fault.
struct Echo;

impl Handler for Echo {
    fn name(&self) -> String {
        "echo".into()
    }

    fn handle(&self, request: &MockRequest) -> Handled {
        let body = json!({
            "method": request.method,
            "path": request.path,
            "query": request.query,
            "x-test": request.header("X-Test"),
            "bodyLength": request.body.len(),
        });
        let transport = match request.path.as_str() {
            "/reset" => Transport::Reset,
            "/drip" => Transport::Drip(Duration::from_millis(15)),
            "/hang" => Transport::Hang,
            "/delay" => Transport::Delay(Duration::from_millis(200)),
            _ => Transport::Normal,
        };
        Handled {
            transport,
            ..Handled::ok(MockResponse::json(200, &body).with_header("X-Mock", "echo"))
        }
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client")
}

fn tls_client() -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(trust().bytes(Artifact::TlsCa).unwrap()).unwrap();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .tls_certs_only([ca])
        .build()
        .expect("client")
}

async fn echo_server(front_end: FrontEnd, tls: bool, journal: Journal) -> dsop_harness::MockHandle {
    let tls = tls.then(|| tls_server_config(&trust()).expect("tls config"));
    serve_handler(
        ServeOptions::new(front_end).with_tls(tls),
        journal,
        Arc::new(Echo),
    )
    .await
    .expect("serve")
}

async fn basic_exchange(
    client: &reqwest::Client,
    origin: &str,
    journal: &Journal,
) -> Result<(), Failed> {
    let before = journal.len();
    let response = client
        .post(format!(
            "{origin}/v2/accounts?fromDate=2025-01-01&name=%C3%B8+x"
        ))
        .header("X-Test", "yes")
        .body("hello")
        .send()
        .await
        .map_err(err)?;
    check(response.status() == 200, || {
        format!("status {}", response.status())
    })?;
    check(response.headers().get("x-mock").is_some(), || {
        "X-Mock header lost".into()
    })?;
    let body: Value = response.json().await.map_err(err)?;
    let expected = json!({"method": "POST", "path": "/v2/accounts",
        "query": [["fromDate", "2025-01-01"], ["name", "ø x"]], "x-test": "yes", "bodyLength": 5});
    check(body == expected, || format!("echo {body}"))?;
    let entries = journal.entries();
    check(
        entries.len() == before + 1
            && entries
                .last()
                .is_some_and(|e| e.mock == "echo" && e.status == 200 && e.body == "hello"),
        || format!("journal {entries:?}"),
    )
}

async fn too_large(client: &reqwest::Client, origin: &str) -> Result<(), Failed> {
    let response = client
        .post(format!("{origin}/upload"))
        .body(vec![b'x'; BODY_LIMIT + 1])
        .send()
        .await
        .map_err(err)?;
    check(response.status() == 413, || {
        format!("status {}", response.status())
    })?;
    let body: Value = response.json().await.map_err(err)?;
    valid(MessageKind::Error, &body)
}

pub fn trials() -> Vec<Trial> {
    let mut trials = Vec::new();
    for front_end in FrontEnd::ALL {
        trials.push(Trial::test(
            format!("server::7.1::{front_end}_serves_a_handler_and_journals"),
            move || {
                block_on(async move {
                    let journal = Journal::new();
                    let server = echo_server(front_end, false, journal.clone()).await;
                    check(
                        server.url().starts_with("http://127.0.0.1:") && server.addr().port() != 0,
                        || server.url().to_owned(),
                    )?;
                    basic_exchange(&client(), server.origin(), &journal).await?;
                    too_large(&client(), server.origin()).await?;
                    // A delay is honoured.
                    let started = Instant::now();
                    let response = client()
                        .get(format!("{}/delay", server.origin()))
                        .send()
                        .await
                        .map_err(err)?;
                    check(
                        response.status() == 200 && started.elapsed() >= Duration::from_millis(200),
                        || format!("delay: {} after {:?}", response.status(), started.elapsed()),
                    )?;
                    // Hang: the client times out, the server lives on.
                    let impatient = reqwest::Client::builder()
                        .timeout(Duration::from_millis(300))
                        .build()
                        .map_err(err)?;
                    let hung = impatient
                        .get(format!("{}/hang", server.origin()))
                        .send()
                        .await;
                    check(hung.as_ref().is_err_and(reqwest::Error::is_timeout), || {
                        format!("hang: {hung:?}")
                    })?;
                    basic_exchange(&client(), server.origin(), &journal).await?;
                    let origin = server.origin().to_owned();
                    server.shutdown();
                    let after = client().get(format!("{origin}/x")).send().await;
                    check(after.is_err(), || {
                        "server still answers after shutdown".into()
                    })
                })
            },
        ));
    }
    trials.push(Trial::test("server::7.1::hyper_reset_and_drip_without_dying", || {
        block_on(async {
            let journal = Journal::new();
            let server = echo_server(FrontEnd::Hyper, false, journal.clone()).await;
            let reset = client().get(format!("{}/reset", server.origin())).send().await;
            check(reset.as_ref().is_err_and(|e| !e.is_timeout()), || format!("reset: {reset:?}"))?;
            let started = Instant::now();
            let response = client().get(format!("{}/drip", server.origin())).send().await.map_err(err)?;
            let length = response.content_length();
            let body = response.bytes().await.map_err(err)?;
            let elapsed = started.elapsed();
            let expected_min = Duration::from_millis(15) * (body.len() as u32 - 1);
            check(length == Some(body.len() as u64) && elapsed >= expected_min, || {
                format!("drip: {} bytes (Content-Length {length:?}) in {elapsed:?}, expected ≥ {expected_min:?}", body.len())
            })?;
            let body: Value = serde_json::from_slice(&body).map_err(err)?;
            check(body["path"] == "/drip", || format!("drip body {body}"))?;
            basic_exchange(&client(), server.origin(), &journal).await
        })
    }));
    trials.push(Trial::test(
        "server::7.6::wiremock_reset_is_a_documented_500",
        || {
            block_on(async {
                let server = echo_server(FrontEnd::Wiremock, false, Journal::new()).await;
                let response = client()
                    .get(format!("{}/reset", server.origin()))
                    .send()
                    .await
                    .map_err(err)?;
                check(response.status() == 500, || {
                    format!("status {}", response.status())
                })?;
                let body: Value = response.json().await.map_err(err)?;
                valid(MessageKind::Error, &body)?;
                check(
                    body["message"]
                        .as_str()
                        .is_some_and(|m| m.contains("hyper front end")),
                    || format!("{body}"),
                )
            })
        },
    ));
    trials.push(Trial::test(
        "server::7.1::tls_with_the_trust_dir_ca_as_only_root",
        || {
            block_on(async {
                let journal = Journal::new();
                let server = echo_server(FrontEnd::Hyper, true, journal.clone()).await;
                check(server.url().starts_with("https://127.0.0.1:"), || {
                    server.url().to_owned()
                })?;
                basic_exchange(&tls_client(), server.origin(), &journal).await?;
                // Without the harness CA the certificate is not trusted.
                let strict = reqwest::Client::builder()
                    .timeout(Duration::from_secs(5))
                    .tls_certs_only([])
                    .build()
                    .map_err(err)?;
                let refused = strict.get(format!("{}/x", server.origin())).send().await;
                check(refused.is_err(), || {
                    format!("untrusted TLS accepted: {refused:?}")
                })?;
                // wiremock cannot do TLS and says so.
                let tls = Some(tls_server_config(&trust()).map_err(err)?);
                let mut options = ServeOptions::new(FrontEnd::Hyper).with_tls(tls);
                options.front_end = FrontEnd::Wiremock;
                let refused = serve_handler(options, journal, Arc::new(Echo)).await;
                check(refused.is_err(), || "wiremock accepted TLS".into())
            })
        },
    ));
    trials.push(Trial::test(
        "certpub::7.2::client_fetches_the_police_certificate",
        || {
            block_on(async {
                let cert = trust().cert_der(Artifact::ConsumerEncryptionCert).unwrap();
                let server = dsop_harness::serve(ServeOptions::default(), Journal::new(), |url| {
                    Ok::<_, std::convert::Infallible>(Arc::new(CertPubMock::new(
                        url,
                        BTreeMap::from([("0192:915429785".to_owned(), cert.clone())]),
                    )) as Arc<dyn Handler>)
                })
                .await
                .map_err(err)?;
                let fetched = fetch_encryption_cert(&client(), server.origin(), "0192:915429785")
                    .await
                    .map_err(err)?;
                check(fetched == cert, || "another certificate".into())?;
                let unknown =
                    fetch_encryption_cert(&client(), server.origin(), "0192:889640782").await;
                check(
                    unknown
                        .as_ref()
                        .is_err_and(|e| e.to_string().contains("404")),
                    || format!("{unknown:?}"),
                )
            })
        },
    ));
    for tls in [false, true] {
        trials.push(Trial::test(
            format!(
                "ecosystem::1.2::start_and_police_flow{}",
                if tls { "_tls" } else { "" }
            ),
            move || block_on(ecosystem_flow(tls)),
        ));
    }
    trials.push(Trial::test(
        "ecosystem::1.1::unknown_bank_in_settings_is_refused",
        || {
            block_on(async {
                let mut config =
                    EcosystemConfig::new(trust(), fixture_population(), tiny_bank_factory());
                config
                    .faults
                    .insert("999999999".into(), vec!["server-error".into()]);
                let refused = Ecosystem::start(config).await;
                check(
                    refused
                        .as_ref()
                        .is_err_and(|e| e.to_string().contains("999999999")),
                    || format!("{refused:?}"),
                )
            })
        },
    ));
    trials
}

/// Starts the ecosystem on a generated population with the tiny bank and walks the police flow
/// (digest 1.2): Maskinporten metadata → token for the registry → customerRelationships →
/// datakatalog → token for each bank → Accounts, comparing with the population queries.
async fn ecosystem_flow(tls: bool) -> Result<(), Failed> {
    let population = Arc::new(Population::generate(&PopulationConfig {
        banks: 3,
        persons: 12,
        companies: 3,
        ..PopulationConfig::default_pack()
    }));
    let trust = trust();
    let mut config = EcosystemConfig::new(
        Arc::clone(&trust),
        Arc::clone(&population),
        tiny_bank_factory(),
    );
    config.tls = tls;
    config.clock = dsop_harness::Clock::fixed(chrono::TimeZone::from_utc_datetime(
        &chrono::Utc,
        &population.reference_date.and_hms_opt(12, 0, 0).unwrap(),
    ));
    let first_bank = population.banks[0].org_number.clone();
    config
        .bank_front_ends
        .insert(first_bank.clone(), FrontEnd::Hyper);
    config
        .faults
        .insert(first_bank.clone(), vec!["latency".into()]);
    let started = Instant::now();
    let ecosystem = Ecosystem::start(config.clone()).await.map_err(err)?;
    let startup = started.elapsed();
    println!(
        "ecosystem start-up ({} banks, tls={tls}): {startup:?} (manifest says {} ms)",
        population.banks.len(),
        ecosystem.manifest().startup_millis
    );
    check(startup < Duration::from_secs(2), || {
        format!("start-up took {startup:?}")
    })?;
    let manifest = serde_json::to_value(ecosystem.manifest()).map_err(err)?;
    valid(MessageKind::Manifest, &manifest)?;
    check(
        ecosystem.manifest().banks.len() == population.banks.len()
            && ecosystem.manifest().banks[0].front_end == FrontEnd::Hyper
            && ecosystem.manifest().banks[0].faults == ["latency"]
            && manifest["tls"] == tls
            && manifest["tlsCa"].is_string() == tls,
        || format!("manifest {manifest}"),
    )?;
    let http = if tls { tls_client() } else { client() };
    let now = config.clock.now().timestamp();

    // Maskinporten metadata tells where to get tokens.
    let metadata: Value = http
        .get(&ecosystem.manifest().maskinporten.metadata)
        .send()
        .await
        .map_err(err)?
        .json()
        .await
        .map_err(err)?;
    valid(MessageKind::MaskinportenMetadata, &metadata)?;
    let endpoint = metadata["token_endpoint"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let token = |scope: &'static str, resource: String| {
        let (http, trust, endpoint) = (http.clone(), Arc::clone(&trust), endpoint.clone());
        async move { police_token(&http, &trust, &endpoint, scope, resource, now).await }
    };

    // Pick a party that owns something at some bank.
    let owned = population
        .accounts
        .iter()
        .find_map(|a| {
            a.roles
                .iter()
                .find(|r| {
                    r.relation == dsop_harness::Relation::PrimaryOwner && r.end_date.is_none()
                })
                .map(|r| r.party.clone())
        })
        .ok_or("no owner in the population")?;
    let from = population.reference_date - chrono::Days::new(2 * 365);
    let to = population.reference_date;
    let registry_token = token(
        "bits:kundeforhold",
        ecosystem.manifest().registry.url.clone(),
    )
    .await?;
    let relations = http
        .get(format!(
            "{}?fromDate={from}&toDate={to}&onlyPrimaryOwner=false",
            ecosystem.manifest().registry.customer_relationships
        ))
        .bearer_auth(&registry_token)
        .header("CustomerID", &owned)
        .header("CorrelationID", uuid::Uuid::new_v4().to_string())
        .header("AccountInfoRequestID", uuid::Uuid::new_v4().to_string())
        .header(
            "Legal-Mandate",
            "Straffeprosessloven%20%C2%A7210%20(3)%20f%C3%B8rste%20punktum",
        )
        .send()
        .await
        .map_err(err)?;
    check(relations.status() == 200, || {
        format!("registry status {}", relations.status())
    })?;
    let relations: Value = relations.json().await.map_err(err)?;
    valid(
        MessageKind::RegistryCustomerRelationshipsResponse,
        &relations,
    )?;
    let period = dsop_harness::Period::new(from, to).map_err(err)?;
    let expected =
        dsop_harness::customer_relationships(&population, &owned, period, Some(false), to);
    check(
        relations == serde_json::to_value(&expected).map_err(err)?,
        || format!("registry answered {relations}, population says {expected:?}"),
    )?;
    let banks = relations["banks"].as_array().cloned().unwrap_or_default();
    check(!banks.is_empty(), || format!("{owned} has no bank"))?;

    let all: Value = http
        .get(&ecosystem.manifest().datakatalog.endpoints)
        .send()
        .await
        .map_err(err)?
        .json()
        .await
        .map_err(err)?;
    valid(MessageKind::DatakatalogEndpoints, &all)?;
    for bank in banks {
        let org = bank["organizationID"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let entry: Value = http
            .get(format!(
                "{}/{org}",
                ecosystem.manifest().datakatalog.endpoints
            ))
            .send()
            .await
            .map_err(err)?
            .json()
            .await
            .map_err(err)?;
        valid(MessageKind::DatakatalogEntry, &entry)?;
        let base = entry["url"].as_str().unwrap_or_default().to_owned();
        check(Some(base.as_str()) == ecosystem.bank_url(&org), || {
            format!("catalogue {entry}")
        })?;
        let bank_token = token("bits:kontoinformasjon", base.clone()).await?;
        let response = http
            .get(format!(
                "{base}/accounts?fromDate={from}&toDate={to}&OnlyPrimaryOwner=FALSE"
            ))
            .bearer_auth(&bank_token)
            .header("PartyID", &owned)
            .send()
            .await
            .map_err(err)?;
        check(response.status() == 200, || {
            format!("bank {org}: {}", response.status())
        })?;
        let accounts: Value = response.json().await.map_err(err)?;
        valid(MessageKind::Accounts, &accounts)?;
        let expected = dsop_harness::query::accounts_for(&population, &org, &owned, false, period)
            .map_err(err)?;
        check(
            accounts == serde_json::to_value(&expected.body).map_err(err)?,
            || format!("bank {org} served {accounts}"),
        )?;
        // A token for another bank is refused: the audience wiring is real.
        let other = ecosystem
            .manifest()
            .banks
            .iter()
            .find(|b| b.org_no != org)
            .map(|b| b.url.clone())
            .unwrap_or_default();
        let wrong_token = token("bits:kontoinformasjon", other).await?;
        let refused = http
            .get(format!("{base}/accounts?fromDate={from}&toDate={to}"))
            .bearer_auth(&wrong_token)
            .header("PartyID", &owned)
            .send()
            .await
            .map_err(err)?;
        check(refused.status() == 401, || {
            format!(
                "bank {org} accepted another bank's token: {}",
                refused.status()
            )
        })?;
    }
    // Everything went through the one journal, with no police violations.
    let journal = ecosystem.journal();
    let mocks: std::collections::BTreeSet<String> =
        journal.entries().into_iter().map(|e| e.mock).collect();
    check(
        mocks.contains("maskinporten")
            && mocks.contains("registry")
            && mocks.contains("datakatalog")
            && mocks.iter().any(|m| m.starts_with("bank:")),
        || format!("journal mocks {mocks:?}"),
    )?;
    check(
        journal.entries().iter().any(|e| e.mock == "certpub"),
        || "banks did not fetch the certificate from CertPub".into(),
    )?;
    check(journal.violations().is_empty(), || {
        format!("violations {:?}", journal.violations())
    })?;
    // The prosecution JWKS is served.
    let jwks: Value = http
        .get(&ecosystem.manifest().prosecution_jwks)
        .send()
        .await
        .map_err(err)?
        .json()
        .await
        .map_err(err)?;
    valid(MessageKind::Jwks, &jwks)?;
    ecosystem.shutdown();
    Ok(())
}
