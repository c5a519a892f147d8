//! Shared fixture (one trust directory and one generated population per test binary), a
//! request builder that mints valid tokens and orders through `trust`, and `send`, which
//! drives a bank and validates EVERY answer against `schemas/` before a test looks at it.

use chrono::{DateTime, Duration, Utc};
use dsop_harness::{
    eo::Break, eo::OrderBuilder, query, Accounts, Artifact, BankConfig, BankMock, BankTrust,
    EdgeCaseKind, Endpoint, FaultSpec, Handled, Handler, LegalMandate, MessageKind, MockRequest,
    Population, PopulationConfig, TokenBreak, TokenMinter, Transactions, Transport, TrustDir,
    CONTROL_API_SCOPE,
};
use serde_json::Value;
use std::sync::{Arc, OnceLock};

pub struct Fixture {
    pub _dir: tempfile::TempDir,
    pub trust: TrustDir,
    pub population: Arc<Population>,
    pub minter: TokenMinter,
    pub bank_trust: BankTrust,
    pub consumer_key: Vec<u8>,
}

/// One trust directory and one population (reference date = today) for the whole binary.
pub fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let trust = TrustDir::init(dir.path()).expect("trust init");
        let mut config = PopulationConfig::default_pack();
        config.reference_date = Utc::now().date_naive();
        let population = Arc::new(Population::generate(&config));
        Fixture {
            minter: TokenMinter::from_trust_dir(&trust).expect("minter"),
            bank_trust: BankTrust::from_trust_dir(&trust, None).expect("bank trust"),
            consumer_key: trust
                .key(Artifact::ConsumerEncryptionKey)
                .expect("consumer key")
                .pkcs8_der()
                .to_vec(),
            _dir: dir,
            trust,
            population,
        }
    })
}

pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(Utc::now().timestamp(), 0).expect("now")
}

pub fn today() -> chrono::NaiveDate {
    fixture().population.reference_date
}

/// The catalogue base URL of bank `org` (the handler strips its path `/bank/<org>/v2`).
pub fn base_url(org: &str) -> String {
    format!("http://127.0.0.1:9/bank/{org}/v2")
}

/// A conformant bank `org` with `faults`.
pub fn bank(org: &str, faults: &[FaultSpec]) -> BankMock {
    bank_with(org, faults, false, None)
}

/// A bank `org` with `faults`, strict or not, whose prosecution JWKS also holds `extra` (the
/// key of a deliberately flawed order signer, as the mock JWKS server would publish it).
pub fn bank_with(
    org: &str,
    faults: &[FaultSpec],
    strict: bool,
    extra: Option<dsop_harness::Jwk>,
) -> BankMock {
    let f = fixture();
    let mut trust = f.bank_trust.clone();
    trust.prosecution_jwks.keys.extend(extra);
    let mut config = BankConfig::new(org, &base_url(org), f.population.clone(), trust)
        .with_faults(faults.iter().copied());
    config.strict = strict;
    BankMock::new(config).expect("bank")
}

/// The edge case's party, bank and reference.
pub struct Case {
    pub party: String,
    pub bank: String,
    pub reference: Option<String>,
}

pub fn case(kind: EdgeCaseKind) -> Case {
    let c = fixture()
        .population
        .edge_case(kind)
        .unwrap_or_else(|| panic!("population has no edge case {kind}"));
    Case {
        party: c.party.clone().expect("edge case party"),
        bank: c.bank.clone().expect("edge case bank"),
        reference: c.account_reference.clone(),
    }
}

/// A request under construction. `order` is applied when the request is built.
#[derive(Clone)]
pub struct Req {
    pub bank: String,
    pub endpoint: Endpoint,
    pub reference: Option<String>,
    pub method: String,
    pub headers: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    pub order: OrderBuilder,
    pub order_breaks: Vec<Break>,
    pub send_order: bool,
    pub token: Option<Vec<TokenBreak>>,
    pub token_audience: Option<String>,
    pub token_scope: String,
    pub path_override: Option<String>,
}

impl Req {
    /// A conforming request of `endpoint` about `party` at `bank` (2b: on `reference`),
    /// under a valid order for `party` covering the two years before today.
    pub fn new(endpoint: Endpoint, party: &str, bank: &str, reference: Option<&str>) -> Self {
        let now = now();
        let case_id = uuid::Uuid::new_v4().to_string();
        let order = OrderBuilder::valid(now).party_id(party).case_id(&case_id);
        let from = (today() - Duration::days(730)).to_string();
        let to = today().to_string();
        let mut query = vec![("fromDate".to_owned(), from), ("toDate".to_owned(), to)];
        let mut headers = vec![
            ("Accept".to_owned(), "application/jose".to_owned()),
            ("AccountInfoRequestID".to_owned(), case_id),
            ("CorrelationID".to_owned(), uuid::Uuid::new_v4().to_string()),
            (
                "Legal-Mandate".to_owned(),
                LegalMandate::CriminalCase.encoded().to_owned(),
            ),
            ("RequesterID".to_owned(), "etterforsker-4711".to_owned()),
            ("AdditionalReferenceIDType".to_owned(), "pol1".to_owned()),
        ];
        if endpoint == Endpoint::Accounts {
            headers.push(("PartyID".to_owned(), party.to_owned()));
            query.push(("OnlyPrimaryOwner".to_owned(), "FALSE".to_owned()));
        }
        Self {
            bank: bank.to_owned(),
            endpoint,
            reference: reference.map(str::to_owned),
            method: "GET".to_owned(),
            headers,
            query,
            order,
            order_breaks: Vec::new(),
            send_order: true,
            token: Some(Vec::new()),
            token_audience: None,
            token_scope: CONTROL_API_SCOPE.to_owned(),
            path_override: None,
        }
    }

    /// Accounts for an edge case's party at its bank.
    pub fn accounts(kind: EdgeCaseKind) -> Self {
        let c = case(kind);
        Self::new(Endpoint::Accounts, &c.party, &c.bank, None)
    }

    /// A 2b call on an edge case's account.
    pub fn on(endpoint: Endpoint, kind: EdgeCaseKind) -> Self {
        let c = case(kind);
        Self::new(endpoint, &c.party, &c.bank, c.reference.as_deref())
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn without_header(mut self, name: &str) -> Self {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        if name.eq_ignore_ascii_case("AdditionalReferenceID") {
            self.send_order = false;
        }
        if name.eq_ignore_ascii_case("Authorization") {
            self.token = None;
        }
        self
    }

    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.query.retain(|(k, _)| k != name);
        self.query.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn without_query(mut self, name: &str) -> Self {
        self.query.retain(|(k, _)| k != name);
        self
    }

    pub fn period(self, from: &str, to: &str) -> Self {
        self.query("fromDate", from).query("toDate", to)
    }

    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn request(&self) -> MockRequest {
        self.prepare().0
    }

    /// The request and, for orders signed by flawed material, the signer's JWK.
    pub fn prepare(&self) -> (MockRequest, Option<dsop_harness::Jwk>) {
        let f = fixture();
        let mut extra = None;
        let mut headers = self.headers.clone();
        if let Some(breaks) = &self.token {
            let aud = self
                .token_audience
                .clone()
                .unwrap_or_else(|| base_url(&self.bank));
            let token = f
                .minter
                .mint(&aud, &self.token_scope, now().timestamp(), breaks)
                .expect("mint token");
            headers.push(("Authorization".to_owned(), format!("Bearer {token}")));
        }
        if self.send_order {
            let mut order = self.order.clone();
            for b in &self.order_breaks {
                order = order.with_break(b.clone());
            }
            let built = order.build(&f.trust).expect("build order");
            if built.extra_jwk {
                extra = Some(built.jwk);
            }
            headers.push(("AdditionalReferenceID".to_owned(), built.jws));
        }
        let relative = self.path_override.clone().unwrap_or_else(|| {
            self.endpoint
                .path(self.reference.as_deref().unwrap_or_default())
        });
        let request = MockRequest {
            method: self.method.clone(),
            path: format!("/bank/{}/v2{relative}", self.bank),
            query: self.query.clone(),
            headers,
            body: Vec::new(),
        };
        (request, extra)
    }
}

/// What a bank answered, decoded.
pub struct Answer {
    pub handled: Handled,
    pub status: u16,
    pub content_type: String,
    /// The error body, or the 200 payload (decrypted when JWE).
    pub body: Value,
}

impl Answer {
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or_default()
    }

    pub fn violation_rules(&self) -> Vec<&'static str> {
        self.handled
            .violations
            .iter()
            .map(|v| v.rule.id())
            .collect()
    }
}

fn kind_of(endpoint: Endpoint) -> MessageKind {
    match endpoint {
        Endpoint::Accounts => MessageKind::Accounts,
        Endpoint::AccountDetails => MessageKind::AccountDetails,
        Endpoint::Transactions => MessageKind::Transactions,
        Endpoint::Cards => MessageKind::Cards,
        Endpoint::Roles => MessageKind::Roles,
    }
}

/// Decodes an answer without judging it (for fault tests that break the encoding on purpose).
pub fn decode(handled: Handled) -> Answer {
    let response = &handled.response;
    let content_type = response
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("Content-Type"))
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&response.body).into_owned();
    let body = if content_type == "application/jose" && text.split('.').count() == 5 {
        let (plain, _, _) = dsop_harness::jwe::decrypt(&text, &fixture().consumer_key)
            .expect("JWE decrypts with the consumer key from the trust dir");
        serde_json::from_slice(&plain).expect("decrypted payload is JSON")
    } else {
        serde_json::from_str(&text).unwrap_or(Value::Null)
    };
    Answer {
        status: response.status,
        content_type,
        body,
        handled,
    }
}

/// Sends `req` to `bank` and asserts the answer is well-formed: errors are plain
/// `application/json` bodies valid against `error`; 200s are `application/jose` (or JSON when
/// asked) and their payload is valid against the endpoint's police-profile schema.
pub fn send_to(bank: &BankMock, req: &Req) -> Answer {
    let answer = decode(bank.handle(&req.request()));
    assert_well_formed(&answer, req.endpoint, req);
    answer
}

/// Sends `req` to a fresh bank with `faults` (strict or not) that knows the order's signer.
pub fn send_fresh(req: &Req, faults: &[FaultSpec], strict: bool) -> Answer {
    let (request, extra) = req.prepare();
    let bank = bank_with(&req.bank, faults, strict, extra);
    let answer = decode(bank.handle(&request));
    assert_well_formed(&answer, req.endpoint, req);
    answer
}

/// [`send_fresh`] to a conformant bank.
pub fn send(req: &Req) -> Answer {
    send_fresh(req, &[], false)
}

pub fn assert_well_formed(answer: &Answer, endpoint: Endpoint, req: &Req) {
    assert_eq!(answer.handled.transport, Transport::Normal);
    assert_eq!(
        answer
            .handled
            .response
            .plaintext
            .as_ref()
            .map(dsop_harness::Payload::value),
        Some(&answer.body),
        "the journal plaintext is the payload"
    );
    if answer.status == 200 {
        let plain = req.headers.iter().any(|(k, v)| {
            k.eq_ignore_ascii_case("Accept") && v.eq_ignore_ascii_case("application/json")
        });
        let expected = if plain {
            "application/json"
        } else {
            "application/jose"
        };
        assert_eq!(answer.content_type, expected);
        let kind = kind_of(endpoint);
        if let Err(v) = dsop_harness::validate(kind, &answer.body) {
            panic!(
                "200 {kind} payload violates the police schema: {v:#?}\n{}",
                answer.body
            );
        }
    } else {
        assert_eq!(
            answer.content_type, "application/json",
            "errors are never encrypted"
        );
        if let Err(v) = dsop_harness::validate(MessageKind::Error, &answer.body) {
            panic!(
                "error body violates the error schema: {v:#?}\n{}",
                answer.body
            );
        }
        let message = answer.body["message"].as_str().unwrap_or_default();
        assert!(
            message.len() > 20,
            "the message says what was wrong: {message:?}"
        );
    }
}

/// The population's answer to the Accounts call `req` (the oracle).
pub fn expected_accounts(req: &Req, party: &str, only_primary_owner: bool) -> Accounts {
    query::accounts_for(
        &fixture().population,
        &req.bank,
        party,
        only_primary_owner,
        period_of(req),
    )
    .expect("query")
    .body
}

pub fn period_of(req: &Req) -> dsop_harness::Period {
    dsop_harness::Period::parse(
        req.query_value("fromDate").expect("fromDate"),
        req.query_value("toDate").expect("toDate"),
        today(),
    )
    .expect("period")
}

/// Every transaction of `reference` in the period, by walking the oracle's pages.
pub fn expected_transactions(req: &Req) -> Vec<Value> {
    let f = fixture();
    let mut page = query::PageRequest::first(query::DEFAULT_PAGE_SIZE);
    let mut out = Vec::new();
    loop {
        let t: Transactions = query::transactions(
            &f.population,
            &req.bank,
            req.reference.as_deref().expect("reference"),
            period_of(req),
            &page,
        )
        .expect("query");
        out.extend(
            t.transactions
                .iter()
                .map(|x| serde_json::to_value(x).expect("json")),
        );
        match t.links.iter().find(|l| l.rel == "next") {
            Some(next) => {
                page = query::PageRequest::at(
                    query::cursor_of(next).expect("cursor"),
                    query::DEFAULT_PAGE_SIZE,
                )
            }
            None => return out,
        }
    }
}

/// Splits a relative href into path and decoded query pairs.
pub fn follow(req: &Req, href: &str) -> Req {
    let (path, query) = href.split_once('?').unwrap_or((href, ""));
    let mut next = req.clone();
    next.path_override = Some(path.to_owned());
    next.query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let d = |s: &str| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (d(k), d(v))
        })
        .collect();
    next
}
