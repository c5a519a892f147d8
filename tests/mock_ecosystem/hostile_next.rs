//! The reference police client against banks whose `next` links misbehave (digest 7.4): a link
//! that points to the page itself (the links never end) must stop at the client's page cap
//! with a finding about the bank; an absolute link to another origin (here another loopback
//! server) must be reported as a finding and NOT followed: that server must receive nothing,
//! so the bank's token and the extradition order never leave the bank's origin. And an answer
//! whose JWE has a validly wrapped key but a short IV is a finding, not a panic (digest 7.2).

use crate::helpers::*;
use dsop_harness::{
    eo::OrderBuilder, run_case, BankFactory, BankStatus, CaseInput, CaseRun, Driver, DriverConfig,
    Ecosystem, EcosystemConfig, Handled, Handler, LegalMandate, MockRequest, MockResponse,
    DEFAULT_MAX_PAGES,
};
use libtest_mimic::{Failed, Trial};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

fn err(e: impl std::fmt::Display) -> Failed {
    e.to_string().into()
}

/// A bank that answers every request with one plain-JSON Accounts page whose `next` is `next`.
struct LinkBank {
    next: String,
    requests: Arc<AtomicUsize>,
}

impl Handler for LinkBank {
    fn name(&self) -> String {
        "bank:hostile-next".into()
    }

    fn handle(&self, _request: &MockRequest) -> Handled {
        self.requests.fetch_add(1, Ordering::SeqCst);
        Handled::ok(MockResponse::json(
            200,
            &serde_json::json!({
                "responseDetails": {"status": "complete"},
                "accounts": [],
                "links": [{"rel": "next", "href": self.next}]
            }),
        ))
    }
}

/// A bank that answers every request with the same `application/jose` body.
struct JoseBank {
    body: String,
}

impl Handler for JoseBank {
    fn name(&self) -> String {
        "bank:hostile-jwe".into()
    }

    fn handle(&self, _request: &MockRequest) -> Handled {
        Handled::ok(MockResponse {
            status: 200,
            headers: vec![("Content-Type".into(), "application/jose".into())],
            body: self.body.clone().into_bytes(),
            plaintext: None,
        })
    }
}

fn factory(next: String, requests: Arc<AtomicUsize>) -> BankFactory {
    Arc::new(move |_slot| {
        Ok(Arc::new(LinkBank {
            next: next.clone(),
            requests: Arc::clone(&requests),
        }) as Arc<dyn Handler>)
    })
}

/// Runs the reference client's case against the first bank of the fixture population served by
/// `factory`, with `max_pages` (None: the default), within 120 s.
async fn run_against(factory: BankFactory, max_pages: Option<usize>) -> Result<CaseRun, Failed> {
    let trust = trust();
    let population = fixture_population();
    let ecosystem = Ecosystem::start(EcosystemConfig::new(
        Arc::clone(&trust),
        Arc::clone(&population),
        factory,
    ))
    .await
    .map_err(err)?;
    let manifest = ecosystem.manifest().clone();
    let bank = population
        .banks
        .first()
        .ok_or("no bank")?
        .org_number
        .clone();
    let party = "15859050120";
    let from = (population.reference_date - chrono::Days::new(30)).to_string();
    let to = population.reference_date.to_string();
    let case_id = uuid::Uuid::new_v4().to_string();
    let order = OrderBuilder::valid(chrono::Utc::now())
        .party_id(party)
        .mandate(LegalMandate::CriminalCase)
        .from_date(&from)
        .to_date(&to)
        .case_id(&case_id)
        .only_primary_owner(false)
        .build(&trust)
        .map_err(err)?
        .jws;
    let case = CaseInput {
        party_id: party.into(),
        from_date: from,
        to_date: to,
        legal_mandate: LegalMandate::CriminalCase.plain().into(),
        only_primary_owner: false,
        case_id,
        requester_id: "pseudo-hostile-next".into(),
        extradition_order: order,
        plain_json: true,
        direct_banks: vec![bank],
    };
    let mut config = DriverConfig::new(
        &manifest.maskinporten.token_endpoint,
        &manifest.registry.url,
        &manifest.datakatalog.url,
    );
    if let Some(max) = max_pages {
        config.max_pages = max;
    }
    let driver = Driver::new(config, &trust).map_err(err)?;
    let run = tokio::time::timeout(Duration::from_secs(120), run_case(&driver, &case))
        .await
        .map_err(|_| "the client did not finish within 120 s: it keeps following next links")?
        .map_err(err)?;
    ecosystem.shutdown();
    Ok(run)
}

fn one_failed_bank(run: &CaseRun, finding: &str) -> Result<(), Failed> {
    let [bank] = run.result.banks.as_slice() else {
        return Err(format!("expected one bank, got {:?}", run.result.banks).into());
    };
    check(
        bank.status == BankStatus::Failed && bank.messages.iter().any(|m| m.contains(finding)),
        || format!("expected a failed bank with a finding naming {finding:?}, got {bank:?}"),
    )
}

/// `next` → the same page, forever: the client stops at `max_pages` (and at the default cap).
async fn self_loop(max_pages: Option<usize>) -> Result<(), Failed> {
    let requests = Arc::new(AtomicUsize::new(0));
    let run = run_against(
        factory("/accounts".into(), Arc::clone(&requests)),
        max_pages,
    )
    .await?;
    let cap = max_pages.unwrap_or(DEFAULT_MAX_PAGES);
    one_failed_bank(&run, &format!("more than {cap} pages"))?;
    let got = requests.load(Ordering::SeqCst);
    check(got == cap, || {
        format!("the bank got {got} requests, the cap is {cap} pages")
    })
}

/// `next` → an absolute URL on another loopback server: never contacted.
async fn foreign_origin() -> Result<(), Failed> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(err)?;
    let foreign = listener.local_addr().map_err(err)?;
    let contacted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&contacted);
    let accept = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    let requests = Arc::new(AtomicUsize::new(0));
    let next = format!("http://{foreign}/v2/accounts?page=2");
    let run = run_against(factory(next, Arc::clone(&requests)), None).await?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    accept.abort();
    one_failed_bank(&run, "another origin")?;
    let got = contacted.load(Ordering::SeqCst);
    check(got == 0, || {
        format!("the foreign server at {foreign} got {got} connection(s): token and order leaked")
    })?;
    check(
        !run.transcript
            .iter()
            .any(|e| e.request.url.contains(&foreign.to_string())),
        || "the transcript has a request to the foreign origin".into(),
    )?;
    let got = requests.load(Ordering::SeqCst);
    check(got == 1, || {
        format!("the bank got {got} requests, expected 1")
    })
}

/// An Accounts answer whose content key is validly wrapped to the police certificate but whose
/// IV is 8 bytes: a finding about the bank (RFC 7518 §5.2.2), not a panic of the client.
async fn short_iv_answer() -> Result<(), Failed> {
    let cert = trust()
        .cert_der(dsop_harness::Artifact::ConsumerEncryptionCert)
        .map_err(err)?;
    let body = dsop_harness::jwe::Encryptor::new(
        &cert,
        dsop_harness::jwe::DEFAULT_ALG,
        dsop_harness::jwe::DEFAULT_ENC,
    )
    .and_then(|e| {
        e.encrypt_crafted(
            br#"{"responseDetails":{"status":"complete"},"accounts":[]}"#,
            &serde_json::Map::new(),
            &[7; 8],
        )
    })
    .map_err(err)?;
    let factory: BankFactory =
        Arc::new(move |_slot| Ok(Arc::new(JoseBank { body: body.clone() }) as Arc<dyn Handler>));
    let run = run_against(factory, None).await?;
    one_failed_bank(&run, "JWE IV has 8 bytes, A128CBC-HS256 requires 16")
}

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test(
            "hostile_next::7.4::a_self_looping_next_stops_at_the_configured_page_cap",
            || runtime().block_on(self_loop(Some(7))),
        ),
        Trial::test(
            "hostile_next::7.4::a_self_looping_next_stops_at_the_default_page_cap",
            || runtime().block_on(self_loop(None)),
        ),
        Trial::test(
            "hostile_next::7.2::a_short_iv_jwe_answer_is_a_finding_not_a_panic_of_the_client",
            || runtime().block_on(short_iv_answer()),
        ),
        Trial::test(
            "hostile_next::7.4::a_next_link_to_another_origin_is_a_finding_and_not_followed",
            || runtime().block_on(foreign_origin()),
        ),
    ]
}
