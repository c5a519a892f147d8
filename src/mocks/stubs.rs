//! User stubs (`mocks serve --stubs FILE`): canned answers a developer mounts in front of the
//! DSOP-aware bank handlers, to replay a bank's odd answer from a bug report without writing
//! Rust (docs/mock-ecosystem.md, "User stubs").
//!
//! A stub file is TOML (`[[stub]]` tables) or, by the `.json` extension, JSON (`{"stub": [...]}`);
//! unknown keys are refused. [`StubFile::load`] validates everything that does not need the
//! population (matchers, regexes, header names, status, body files); [`StubFile::resolve`]
//! resolves each stub's bank against the served population. Every error names the file, the
//! stub (position and name) and the field.
//!
//! Matching uses wiremock's matchers (`wiremock::matchers::{method, path, path_regex,
//! query_param, query_param_is_missing, headers, header_regex}`) through its [`Match`] trait,
//! evaluated against a `wiremock::Request` built from the [`MockRequest`] the front end read.
//! wiremock evaluates a whole `Mock` (priority, `up_to_n_times`) only inside its own
//! `MockServer` (`Mock::matches` is crate-private), so [`StubbedBank`] applies wiremock's
//! documented semantics itself: stubs are tried by priority (1 first, default 5, as
//! `Mock::with_priority`), ties in file order (wiremock's mount order), and a stub with `times`
//! answers its first `times` matches and is then out of scope (`Mock::up_to_n_times`); a
//! request no stub answers goes to the DSOP handler. The stub layer is a [`Handler`], so it
//! works on both front ends and every answer goes through the same journal path, marked with
//! the stub's name ([`Handled::stub`]).
//!
//! Must not touch: the DSOP checks (a stubbed answer is not the bank's: no violations are
//! recorded for it, and the police suite does not judge the bank's data from it).

use super::ecosystem::BankFactory;
use super::http::{Handled, Handler, MockRequest, MockResponse, Payload, Transport};
use crate::population::Population;
use crate::trust::jwe::{Encryptor, DEFAULT_ALG, DEFAULT_ENC};
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use wiremock::http::{HeaderMap, HeaderName, HeaderValue, Method, Url};
use wiremock::{matchers, Match};

/// wiremock's default priority of a `Mock` (`Mock::with_priority`: 1 is tried first).
pub(crate) const DEFAULT_PRIORITY: u8 = 5;
/// The `bank` value that applies a stub to every bank.
pub(crate) const ALL_BANKS: &str = "all";

/// Why a stub file cannot be used. Every variant names the file; stub errors name the stub
/// (1-based position and name) and the field.
#[derive(Debug, thiserror::Error)]
pub enum StubError {
    /// The file could not be read.
    #[error("stubs file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not valid TOML/JSON or has keys other than `stub`.
    #[error("stubs file {path}: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// One stub is invalid.
    #[error("stubs file {path}: stub #{index} {name:?}: {field}: {message}")]
    Stub {
        /// The file.
        path: PathBuf,
        /// 1-based position in the file.
        index: usize,
        /// The stub's name (empty when it has none).
        name: String,
        /// The field, e.g. `request.path_regex`, or the table (`stub`, `request`, `response`) of
        /// an unknown or missing key.
        field: String,
        /// What is wrong.
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    stub: Vec<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStub {
    name: String,
    #[serde(default = "all_banks")]
    bank: String,
    priority: Option<u8>,
    times: Option<u64>,
    delay_ms: Option<u64>,
    // Read in a second step, so an error names the table it is in.
    request: Option<Value>,
    response: Value,
}

fn all_banks() -> String {
    ALL_BANKS.to_owned()
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRequest {
    method: Option<String>,
    path: Option<String>,
    path_regex: Option<String>,
    #[serde(default)]
    query: BTreeMap<String, String>,
    #[serde(default)]
    query_absent: Vec<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    header_regex: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResponse {
    status: u16,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    json: Option<Value>,
    text: Option<String>,
    body_file: Option<PathBuf>,
    #[serde(default)]
    encrypt: bool,
}

/// The body of a stub's answer.
#[derive(Debug, Clone, PartialEq)]
enum Body {
    Empty,
    Json(Value),
    Bytes(Vec<u8>),
}

/// One validated stub.
pub struct Stub {
    index: usize,
    name: String,
    bank: String,
    priority: u8,
    times: Option<u64>,
    delay: Option<Duration>,
    matchers: Vec<Box<dyn Match>>,
    status: u16,
    headers: Vec<(String, String)>,
    body: Body,
    encrypt: bool,
}

impl fmt::Debug for Stub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stub")
            .field("index", &self.index)
            .field("name", &self.name)
            .field("bank", &self.bank)
            .field("priority", &self.priority)
            .field("times", &self.times)
            .field("matchers", &self.matchers.len())
            .field("status", &self.status)
            .finish()
    }
}

impl Stub {
    /// The stub's name (what the journal records).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The bank it applies to as written (`all`, an organisation number, a 1-based position or
    /// a bank name).
    pub fn bank(&self) -> &str {
        &self.bank
    }

    /// Whether every matcher accepts `request`.
    fn matches(&self, request: &wiremock::Request) -> bool {
        self.matchers.iter().all(|m| m.matches(request))
    }
}

/// A validated stub file.
#[derive(Debug)]
pub struct StubFile {
    path: PathBuf,
    stubs: Vec<Arc<Stub>>,
}

impl StubFile {
    /// Reads and validates `path` (TOML, or JSON when it ends in `.json`); body files are read
    /// relative to its directory.
    pub fn load(path: &Path) -> Result<Self, StubError> {
        let text = std::fs::read_to_string(path).map_err(|source| StubError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// Validates `text` as the contents of `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Self, StubError> {
        let syntax = |message: String| StubError::Syntax {
            path: path.to_owned(),
            message,
        };
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let raw: RawFile = if is_json {
            serde_json::from_str(text).map_err(|e| syntax(e.to_string()))?
        } else {
            toml::from_str(text).map_err(|e| syntax(e.to_string().trim_end().to_owned()))?
        };
        if raw.stub.is_empty() {
            return Err(syntax(
                "no stubs: add at least one [[stub]] table (docs/mock-ecosystem.md, \"User \
                 stubs\")"
                    .into(),
            ));
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut names = BTreeSet::new();
        let mut stubs = Vec::with_capacity(raw.stub.len());
        for (i, value) in raw.stub.into_iter().enumerate() {
            let index = i + 1;
            let name = value
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let fail = |field: &str, message: String| StubError::Stub {
                path: path.to_owned(),
                index,
                name: name.clone(),
                field: field.to_owned(),
                message,
            };
            let raw: RawStub =
                serde_json::from_value(value).map_err(|e| fail("stub", e.to_string()))?;
            if raw.name.trim().is_empty() {
                return Err(fail("name", "must not be empty".into()));
            }
            if !names.insert(raw.name.clone()) {
                return Err(fail(
                    "name",
                    "another stub has this name; names identify stubs in the journal".into(),
                ));
            }
            stubs.push(Arc::new(build(raw, index, dir, &fail)?));
        }
        Ok(Self {
            path: path.to_owned(),
            stubs,
        })
    }

    /// The file it was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The stubs in file order.
    pub fn stubs(&self) -> impl Iterator<Item = &Stub> {
        self.stubs.iter().map(AsRef::as_ref)
    }

    /// Resolves every stub's bank against `population`: `all`, an organisation number, a
    /// 1-based position (as `--fault`) or a bank name (case-insensitive).
    pub fn resolve(&self, population: &Population) -> Result<StubSet, StubError> {
        let mut by_bank: BTreeMap<String, Vec<Arc<Stub>>> = BTreeMap::new();
        for stub in &self.stubs {
            let orgs: Vec<String> = if stub.bank.eq_ignore_ascii_case(ALL_BANKS) {
                population
                    .banks
                    .iter()
                    .map(|b| b.org_number.clone())
                    .collect()
            } else {
                let wanted = stub.bank.trim();
                let found = population
                    .banks
                    .iter()
                    .find(|b| b.org_number == wanted)
                    .or_else(|| {
                        wanted
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| i.checked_sub(1))
                            .and_then(|i| population.banks.get(i))
                    })
                    .or_else(|| {
                        population
                            .banks
                            .iter()
                            .find(|b| b.name.eq_ignore_ascii_case(wanted))
                    });
                match found {
                    Some(bank) => vec![bank.org_number.clone()],
                    None => {
                        let known: Vec<String> = population
                            .banks
                            .iter()
                            .map(|b| format!("{} ({})", b.org_number, b.name))
                            .collect();
                        return Err(StubError::Stub {
                            path: self.path.clone(),
                            index: stub.index,
                            name: stub.name.clone(),
                            field: "bank".into(),
                            message: format!(
                                "{wanted:?} is not \"all\", an organisation number, a position \
                                 1..={} or a name of a served bank: {}",
                                population.banks.len(),
                                known.join(", ")
                            ),
                        });
                    }
                }
            };
            for org in orgs {
                by_bank.entry(org).or_default().push(Arc::clone(stub));
            }
        }
        Ok(StubSet { by_bank })
    }
}

/// Builds one stub from its raw form; `fail(field, message)` makes the error.
fn build(
    raw: RawStub,
    index: usize,
    dir: &Path,
    fail: &dyn Fn(&str, String) -> StubError,
) -> Result<Stub, StubError> {
    if raw.priority == Some(0) {
        return Err(fail(
            "priority",
            "must be 1..=255 (1 is tried first; default 5, as wiremock's Mock::with_priority)"
                .into(),
        ));
    }
    if raw.times == Some(0) {
        return Err(fail(
            "times",
            "must be at least 1 (leave it out to answer every match)".into(),
        ));
    }
    // wiremock's matcher constructors panic on what they cannot use (an unknown method, a path
    // with `?` or a host, an invalid regex or header): everything is checked here first.
    let request: RawRequest = match raw.request {
        Some(value) => serde_json::from_value(value).map_err(|e| fail("request", e.to_string()))?,
        None => RawRequest::default(),
    };
    let mut list: Vec<Box<dyn Match>> = Vec::new();
    if let Some(method) = &request.method {
        let upper = method.to_ascii_uppercase();
        if upper.is_empty() || Method::from_bytes(upper.as_bytes()).is_err() {
            return Err(fail(
                "request.method",
                format!("{method:?} is not an HTTP method"),
            ));
        }
        list.push(Box::new(matchers::method(upper.as_str())));
    }
    match (&request.path, &request.path_regex) {
        (Some(_), Some(_)) => {
            return Err(fail(
                "request.path",
                "give either path (exact) or path_regex, not both".into(),
            ))
        }
        (Some(path), None) => {
            if !path.starts_with('/') || path.contains('?') || path.contains('#') {
                return Err(fail(
                    "request.path",
                    format!(
                        "{path:?} must be a path starting with `/`, without query (use \
                         request.query) or host, e.g. \"/v2/accounts\""
                    ),
                ));
            }
            list.push(Box::new(matchers::path(path.as_str())));
        }
        (None, Some(pattern)) => {
            regex::Regex::new(pattern)
                .map_err(|e| fail("request.path_regex", format!("invalid regex: {e}")))?;
            list.push(Box::new(matchers::path_regex(pattern.as_str())));
        }
        (None, None) => {}
    }
    for (name, value) in &request.query {
        list.push(Box::new(matchers::query_param(
            name.as_str(),
            value.as_str(),
        )));
    }
    for name in &request.query_absent {
        list.push(Box::new(matchers::query_param_is_missing(name.as_str())));
    }
    for (name, value) in &request.headers {
        let field = format!("request.headers.{name}");
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| fail(&field, format!("invalid header name: {e}")))?;
        // wiremock's exact header matcher compares the comma-separated list of values.
        let values = value
            .split(',')
            .map(|v| HeaderValue::from_str(v.trim()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| fail(&field, format!("invalid header value: {e}")))?;
        list.push(Box::new(matchers::headers(header, values)));
    }
    for (name, pattern) in &request.header_regex {
        let field = format!("request.header_regex.{name}");
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| fail(&field, format!("invalid header name: {e}")))?;
        regex::Regex::new(pattern).map_err(|e| fail(&field, format!("invalid regex: {e}")))?;
        list.push(Box::new(matchers::header_regex(header, pattern)));
    }

    let response: RawResponse =
        serde_json::from_value(raw.response).map_err(|e| fail("response", e.to_string()))?;
    if !(100..=599).contains(&response.status) {
        return Err(fail(
            "response.status",
            format!("{} is not an HTTP status (100..=599)", response.status),
        ));
    }
    let given = [
        response.json.is_some(),
        response.text.is_some(),
        response.body_file.is_some(),
    ];
    if given.iter().filter(|g| **g).count() > 1 {
        return Err(fail(
            "response",
            "give at most one of json, text and body_file".into(),
        ));
    }
    let (body, default_type) = if let Some(json) = response.json {
        (Body::Json(json), Some("application/json"))
    } else if let Some(text) = response.text {
        (
            Body::Bytes(text.into_bytes()),
            Some("text/plain; charset=utf-8"),
        )
    } else if let Some(file) = &response.body_file {
        let full = dir.join(file);
        let bytes = std::fs::read(&full).map_err(|e| {
            fail(
                "response.body_file",
                format!(
                    "cannot read {} (relative to the stub file): {e}",
                    full.display()
                ),
            )
        })?;
        let by_extension = match full.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Some("application/json"),
            Some(e) if e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm") => {
                Some("text/html; charset=utf-8")
            }
            Some(e) if e.eq_ignore_ascii_case("txt") => Some("text/plain; charset=utf-8"),
            _ => None,
        };
        (Body::Bytes(bytes), by_extension)
    } else {
        (Body::Empty, None)
    };
    let body = if response.encrypt {
        let json = match body {
            Body::Json(v) => v,
            Body::Bytes(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                fail(
                    "response.encrypt",
                    format!("encrypt needs a JSON body; the body is not JSON: {e}"),
                )
            })?,
            Body::Empty => {
                return Err(fail(
                    "response.encrypt",
                    "encrypt needs a JSON body (json or a body_file with JSON)".into(),
                ))
            }
        };
        Body::Json(json)
    } else {
        body
    };
    let default_type = if response.encrypt {
        Some("application/jose")
    } else {
        default_type
    };
    let mut headers = Vec::new();
    let sets_type = response
        .headers
        .keys()
        .any(|k| k.eq_ignore_ascii_case("content-type"));
    if let (Some(content_type), false) = (default_type, sets_type) {
        headers.push(("Content-Type".to_owned(), content_type.to_owned()));
    }
    for (name, value) in response.headers {
        let field = format!("response.headers.{name}");
        HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| fail(&field, format!("invalid header name: {e}")))?;
        HeaderValue::from_str(&value)
            .map_err(|e| fail(&field, format!("invalid header value: {e}")))?;
        headers.push((name, value));
    }
    Ok(Stub {
        index,
        name: raw.name,
        bank: raw.bank,
        priority: raw.priority.unwrap_or(DEFAULT_PRIORITY),
        times: raw.times,
        delay: raw.delay_ms.map(Duration::from_millis),
        matchers: list,
        status: response.status,
        headers,
        body,
        encrypt: response.encrypt,
    })
}

/// The stubs of a file resolved to banks (organisation numbers).
#[derive(Debug, Default)]
pub struct StubSet {
    by_bank: BTreeMap<String, Vec<Arc<Stub>>>,
}

impl StubSet {
    /// The stubs that apply to bank `org_no`, in file order.
    pub fn for_bank(&self, org_no: &str) -> &[Arc<Stub>] {
        self.by_bank.get(org_no).map_or(&[], Vec::as_slice)
    }

    /// The banks with at least one stub.
    pub fn banks(&self) -> impl Iterator<Item = &str> {
        self.by_bank.keys().map(String::as_str)
    }

    /// `factory` with each bank's stubs mounted in front of the handler it builds; banks
    /// without stubs get the handler unchanged.
    pub fn wrap(self: Arc<Self>, factory: BankFactory) -> BankFactory {
        Arc::new(move |slot| {
            let inner = factory(slot)?;
            let stubs = self.for_bank(&slot.bank.org_number);
            if stubs.is_empty() {
                return Ok(inner);
            }
            let bank = StubbedBank::new(inner, stubs, &slot.encryption_cert_der)
                .map_err(|e| format!("bank {}: stub encryption: {e}", slot.bank.org_number))?;
            Ok(Arc::new(bank) as Arc<dyn Handler>)
        })
    }
}

/// One stub mounted on one bank, with its match count (`times` is counted per bank, as each
/// bank is its own server).
struct Mounted {
    stub: Arc<Stub>,
    answered: AtomicU64,
}

impl Mounted {
    /// Takes one of the stub's answers; `false` once `times` are used up.
    fn take(&self) -> bool {
        match self.stub.times {
            None => {
                self.answered.fetch_add(1, Ordering::Relaxed);
                true
            }
            Some(times) => self
                .answered
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                    (n < times).then_some(n + 1)
                })
                .is_ok(),
        }
    }
}

/// A bank handler with user stubs in front: the first stub (by priority, then file order) whose
/// matchers all accept the request and whose `times` are not used up answers it; otherwise the
/// DSOP handler does.
pub(crate) struct StubbedBank {
    inner: Arc<dyn Handler>,
    stubs: Vec<Mounted>,
    encryptor: Option<Encryptor>,
}

impl fmt::Debug for StubbedBank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StubbedBank")
            .field("bank", &self.inner.name())
            .field(
                "stubs",
                &self
                    .stubs
                    .iter()
                    .map(|m| m.stub.name.as_str())
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl StubbedBank {
    /// `inner` with `stubs` in front; `encryption_cert_der` (the police encryption certificate
    /// the bank fetched from CertPub) encrypts the answers of stubs with `encrypt`.
    pub(crate) fn new(
        inner: Arc<dyn Handler>,
        stubs: &[Arc<Stub>],
        encryption_cert_der: &[u8],
    ) -> Result<Self, crate::trust::jwe::JweError> {
        let encryptor = if stubs.iter().any(|s| s.encrypt) {
            Some(Encryptor::new(
                encryption_cert_der,
                DEFAULT_ALG,
                DEFAULT_ENC,
            )?)
        } else {
            None
        };
        let mut stubs: Vec<Mounted> = stubs
            .iter()
            .map(|stub| Mounted {
                stub: Arc::clone(stub),
                answered: AtomicU64::new(0),
            })
            .collect();
        // Stable: equal priorities keep file order, as wiremock keeps mount order.
        stubs.sort_by_key(|m| m.stub.priority);
        Ok(Self {
            inner,
            stubs,
            encryptor,
        })
    }

    fn answer(&self, stub: &Stub) -> Handled {
        let (body, plaintext) = match &stub.body {
            Body::Empty => (Vec::new(), None),
            Body::Bytes(bytes) => (bytes.clone(), None),
            Body::Json(value) => {
                let payload = Payload::json(value.to_string().into_bytes());
                let body = match (&self.encryptor, stub.encrypt) {
                    (Some(encryptor), true) => match encryptor.encrypt(payload.as_bytes()) {
                        Ok(jwe) => jwe.into_bytes(),
                        Err(e) => {
                            let mut handled = Handled::ok(super::server::dsop_error(
                                500,
                                "ACC-500",
                                &format!("stub {:?}: could not encrypt its body: {e}", stub.name),
                            ));
                            handled.stub = Some(stub.name.clone());
                            return handled;
                        }
                    },
                    _ => payload.as_bytes().to_vec(),
                };
                (body, Some(payload))
            }
        };
        let mut handled = Handled::ok(MockResponse {
            status: stub.status,
            headers: stub.headers.clone(),
            body,
            plaintext,
        });
        if let Some(delay) = stub.delay {
            handled.transport = Transport::Delay(delay);
        }
        handled.stub = Some(stub.name.clone());
        handled
    }
}

/// The request as wiremock's matchers read it (`http://localhost` + path + query).
fn wiremock_request(request: &MockRequest) -> Option<wiremock::Request> {
    let mut url = Url::parse("http://localhost").ok()?;
    url.set_path(&request.path);
    if !request.query.is_empty() {
        url.query_pairs_mut()
            .extend_pairs(request.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    }
    let mut headers = HeaderMap::new();
    for (name, value) in &request.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.append(name, value);
        }
    }
    Some(wiremock::Request {
        url,
        method: Method::from_bytes(request.method.as_bytes()).unwrap_or(Method::GET),
        headers,
        body: request.body.clone(),
    })
}

impl Handler for StubbedBank {
    fn name(&self) -> String {
        self.inner.name()
    }

    fn handle(&self, request: &MockRequest) -> Handled {
        if let Some(wire) = wiremock_request(request) {
            for mounted in &self.stubs {
                if mounted.stub.matches(&wire) && mounted.take() {
                    return self.answer(&mounted.stub);
                }
            }
        }
        self.inner.handle(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<StubFile, StubError> {
        StubFile::parse(Path::new("stubs.toml"), text)
    }

    struct Dsop;

    impl Handler for Dsop {
        fn name(&self) -> String {
            "bank:1".into()
        }

        fn handle(&self, _request: &MockRequest) -> Handled {
            Handled::ok(MockResponse::json(
                200,
                &serde_json::json!({"from": "dsop"}),
            ))
        }
    }

    fn get(path: &str, query: &[(&str, &str)], headers: &[(&str, &str)]) -> MockRequest {
        MockRequest {
            method: "GET".into(),
            path: path.into(),
            query: query
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body: Vec::new(),
        }
    }

    fn bank(file: &StubFile) -> StubbedBank {
        StubbedBank::new(Arc::new(Dsop), &file.stubs, &[]).expect("no encryption needed")
    }

    #[test]
    fn priority_then_file_order_then_times_then_the_dsop_handler() {
        let file = parse(
            r#"
            [[stub]]
            name = "late"
            priority = 9
            request = { path_regex = "^/v2/accounts" }
            response = { status = 500, text = "late" }

            [[stub]]
            name = "first"
            times = 1
            request = { method = "get", path = "/v2/accounts", query = { fromDate = "2025-01-01" }, headers = { Accept = "application/jose, application/json" } }
            response = { status = 503, text = "<html>busy</html>", headers = { "Content-Type" = "text/html" } }

            [[stub]]
            name = "same-priority-later"
            times = 1
            request = { path = "/v2/accounts", query = { fromDate = "2025-01-01" } }
            response = { status = 429, json = { code = "ACC-022" } }
            "#,
        )
        .expect("valid");
        let bank = bank(&file);
        let request = get(
            "/v2/accounts",
            &[("fromDate", "2025-01-01")],
            &[("accept", "application/jose,application/json")],
        );
        let answers: Vec<(u16, Option<String>)> = (0..4)
            .map(|_| {
                let h = bank.handle(&request);
                (h.response.status, h.stub)
            })
            .collect();
        assert_eq!(
            answers,
            vec![
                (503, Some("first".into())),
                (429, Some("same-priority-later".into())),
                (500, Some("late".into())),
                (500, Some("late".into())),
            ]
        );
        let other = bank.handle(&get("/v2/cards", &[], &[]));
        assert_eq!((other.response.status, other.stub), (200, None));
        let first = bank.handle(&get("/v2/accounts", &[("fromDate", "2024-01-01")], &[]));
        assert_eq!(first.stub.as_deref(), Some("late"), "query mismatch skips");
    }

    /// The police suite's findings about an exchange a stub answered say so: a 503 from a
    /// stub that was never retried is a retry finding naming the stub.
    #[test]
    fn judge_findings_name_the_stub() {
        use crate::police_suite::judge::{journal_findings, CaseSpec};
        let journal = crate::mocks::journal::Journal::new();
        let request = get("/v2/accounts", &[], &[]);
        let mut stubbed = Handled::ok(MockResponse::json(503, &serde_json::json!({})));
        stubbed.stub = Some("odd-503".into());
        journal.record_handled("bank:279417879", &request, &mut stubbed);
        let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        let spec = CaseSpec {
            party_id: "09856993601".into(),
            period: crate::domain::values::Period::new(day, day).expect("period"),
            only_primary_owner: false,
            case_id: "c".into(),
            requester_id: "r".into(),
            allowed: Vec::new(),
            direct_banks: Vec::new(),
            banks: BTreeMap::new(),
        };
        let findings = journal_findings(&journal.entries(), &spec);
        let retry: Vec<_> = findings
            .iter()
            .filter(|f| f.rule == crate::rules::Rule::PoliceRetry)
            .collect();
        assert_eq!(retry.len(), 1, "{findings:?}");
        assert!(
            retry[0]
                .message
                .contains("answered by user stub \"odd-503\", not the DSOP handler"),
            "{}",
            retry[0].message
        );
    }

    /// The JSON form, `delay_ms`, response headers (a Content-Type given replaces the default)
    /// and an empty body.
    #[test]
    fn json_files_delays_and_response_headers() {
        let file = StubFile::parse(
            Path::new("stubs.json"),
            r#"{"stub": [
                {"name": "slow", "delay_ms": 1500, "request": {"path": "/v2/accounts"},
                 "response": {"status": 200, "json": {"accounts": []},
                              "headers": {"content-type": "application/jose", "X-Odd": "1"}}},
                {"name": "empty", "response": {"status": 204}}
            ]}"#,
        )
        .expect("valid JSON stub file");
        let bank = bank(&file);
        let slow = bank.handle(&get("/v2/accounts", &[], &[]));
        assert_eq!(
            slow.transport,
            Transport::Delay(Duration::from_millis(1500))
        );
        assert_eq!(
            slow.response.headers,
            vec![
                ("X-Odd".to_owned(), "1".to_owned()),
                ("content-type".to_owned(), "application/jose".to_owned()),
            ]
        );
        assert_eq!(slow.response.body, br#"{"accounts":[]}"#);
        let empty = bank.handle(&get("/v2/cards", &[], &[]));
        assert_eq!(
            (
                empty.response.status,
                empty.response.body.len(),
                empty.transport
            ),
            (204, 0, Transport::Normal)
        );
        assert!(empty.response.headers.is_empty());
        let unknown = StubFile::parse(
            Path::new("stubs.json"),
            r#"{"stub": [{"name": "x", "respones": {"status": 200}}]}"#,
        )
        .expect_err("misspelt key");
        assert!(
            unknown
                .to_string()
                .contains("stub #1 \"x\": stub: unknown field `respones`"),
            "{unknown}"
        );
    }

    /// The format example in docs/mock-ecosystem.md ("User stubs") is a valid stub file.
    #[test]
    fn the_documented_example_is_valid() {
        let doc = include_str!("../../docs/mock-ecosystem.md");
        let section = doc.split("## User stubs").nth(1).expect("section");
        let block = section
            .split("```toml\n")
            .nth(1)
            .and_then(|b| b.split("```").next())
            .expect("a toml block");
        let file = parse(block).unwrap_or_else(|e| panic!("{e}\n{block}"));
        assert_eq!(file.stubs().count(), 1);
    }

    #[test]
    fn errors_name_the_stub_and_the_field() {
        let cases = [
            (
                "[[stub]]\nname = \"a\"\nresponse = { stauts = 200 }",
                "stub #1 \"a\": response: unknown field `stauts`",
            ),
            (
                "[[stub]]\nname = \"a\"\nrequest = { path_regex = \"(\" }\nresponse = { status = 200 }",
                "stub #1 \"a\": request.path_regex: invalid regex",
            ),
            (
                "[[stub]]\nname = \"a\"\nresponse = { status = 200 }\n[[stub]]\nname = \"a\"\nresponse = { status = 200 }",
                "stub #2 \"a\": name:",
            ),
            (
                "[[stub]]\nname = \"b\"\npriority = 0\nresponse = { status = 200 }",
                "stub #1 \"b\": priority:",
            ),
            (
                "[[stub]]\nname = \"b\"\nresponse = { status = 200, encrypt = true, text = \"x\" }",
                "stub #1 \"b\": response.encrypt:",
            ),
            (
                "[[stub]]\nname = \"b\"\nresponse = { status = 200, body_file = \"missing.json\" }",
                "stub #1 \"b\": response.body_file: cannot read",
            ),
            (
                "[[stub]]\nname = \"b\"\nrequest = { path = \"accounts?x=1\" }\nresponse = { status = 200 }",
                "stub #1 \"b\": request.path:",
            ),
            ("[[stubs]]\nname = \"b\"", "unknown field `stubs`"),
            ("", "no stubs"),
        ];
        for (text, expected) in cases {
            let error = parse(text).expect_err(text).to_string();
            assert!(error.contains(expected), "{text:?}: {error}");
            assert!(error.starts_with("stubs file stubs.toml"), "{error}");
        }
    }
}
