//! Server front ends: put any [`Handler`] on a loopback socket (digest 7.1: REST over HTTP(S)).
//!
//! Two front ends, one contract:
//!
//! * [`FrontEnd::Hyper`] (the default) — our own hyper HTTP/1.1 server. It bounds everything a
//!   client sends: a body over the limit is refused 413 from its `Content-Length` before a byte
//!   of it is read, or at the limit while it streams (never buffered further); request heads
//!   must arrive within [`HEADER_READ_TIMEOUT`], which also closes idle keep-alive connections,
//!   and bodies within [`BODY_READ_TIMEOUT`]; malformed framing ends only its connection. It
//!   also does what wiremock cannot: TLS (rustls, aws-lc-rs, certificate from the trust
//!   directory) and connection-level faults: `Reset` closes the connection without a response,
//!   `Drip` sends the body one byte at a time (headers first, with the full `Content-Length`),
//!   `Hang` never answers.
//! * [`FrontEnd::Wiremock`] — opt-in, for in-process tests that want wiremock's behaviour only:
//!   wiremock 0.6 buffers every request body whole before our limit can be checked and panics
//!   on malformed bodies (`wiremock-0.6.5/src/request.rs:63`), and none of that can be bounded
//!   from outside, so it must not face a system under test. A `wiremock::MockServer` (its own request recording disabled:
//!   our [`Journal`] records) with one catch-all `Mock` whose responder converts the request to
//!   a [`MockRequest`], calls the handler, records the exchange and renders the [`Handled`]
//!   answer. `Transport::Delay` maps to `set_delay`, `Hang` to a day-long delay. Wiremock owns
//!   the socket, so it cannot reset a connection or drip a body: `Reset` is answered 500
//!   `ACC-500` naming the limitation, `Drip` is sent whole after the total drip time.
//!
//! Both bind `127.0.0.1:0` unless told otherwise, cap request bodies at [`BODY_LIMIT`] (413
//! with a DSOP `{code, message}` body), catch a panicking handler (500 `ACC-500`) and never
//! panic on what a client sends. Flood protection: once a server has received more than its
//! request budget in the current one-second window ([`ServeOptions::request_budget`], default
//! [`DEFAULT_REQUEST_BUDGET`]) it answers 429 `ACC-022` with `Retry-After` (digest 7.6) without
//! calling the handler, and stays up. A [`MockHandle`] gives the base URL and stops the server when
//! shut down or dropped.

use super::http::{Handled, Handler, MockRequest, MockResponse, Transport};
use super::journal::Journal;
use crate::trust::{Artifact, TrustDir, TrustError};
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use hyper::StatusCode;
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio_rustls::rustls;

/// Largest request body a mock reads (1 MiB); larger bodies are answered 413.
pub const BODY_LIMIT: usize = 1024 * 1024;
/// Default request budget of a mock server per one-second window: generous, so no suite or
/// benchmark ever meets it; only a flood does.
pub(crate) const DEFAULT_REQUEST_BUDGET: u32 = 50_000;
/// How long wiremock "hangs" (it has no way to never answer).
const WIREMOCK_HANG: Duration = Duration::from_secs(24 * 60 * 60);
/// How long a TLS handshake may take before the connection is dropped.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Hyper front end: how long a request head may take to arrive, counted from when the server
/// is ready to read one, so it is also the idle timeout of a keep-alive connection.
pub(crate) const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Hyper front end: how long a request body may take to arrive once its head has.
pub(crate) const BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Which server front end serves a handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FrontEnd {
    /// wiremock-rs: plain HTTP, response-level behaviour only, request bodies unbounded
    /// (opt-in; never in front of a system under test).
    Wiremock,
    /// Our hyper server (the default): bounded bodies, head and body timeouts, TLS and
    /// connection-level faults.
    #[default]
    Hyper,
}

impl FrontEnd {
    /// Both, by name.
    pub const ALL: [FrontEnd; 2] = [FrontEnd::Wiremock, FrontEnd::Hyper];

    /// `wiremock` or `hyper`.
    pub const fn name(self) -> &'static str {
        match self {
            FrontEnd::Wiremock => "wiremock",
            FrontEnd::Hyper => "hyper",
        }
    }
}

impl fmt::Display for FrontEnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for FrontEnd {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        FrontEnd::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| format!("unknown front end {s:?}; one of: wiremock, hyper"))
    }
}

/// Why a server could not be started.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The address could not be bound.
    #[error("cannot bind {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// TLS was asked of the wiremock front end.
    #[error("the wiremock front end cannot serve TLS; use the hyper front end")]
    TlsNeedsHyper,
    /// The TLS configuration could not be built from the trust directory.
    #[error("TLS configuration: {reason}")]
    Tls {
        /// What went wrong.
        reason: String,
    },
    /// A trust-directory file was missing or invalid.
    #[error(transparent)]
    Trust(#[from] TrustError),
    /// The handler for the new server could not be built.
    #[error("building the handler for {url}: {source}")]
    Handler {
        /// The server's base URL.
        url: String,
        /// The cause.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// How to serve a handler.
#[derive(Clone)]
pub struct ServeOptions {
    /// Which front end.
    pub front_end: FrontEnd,
    /// TLS server configuration (hyper front end only).
    pub tls: Option<Arc<rustls::ServerConfig>>,
    /// Address to bind; `127.0.0.1:0` by default.
    pub bind: SocketAddr,
    /// Path appended to the origin to form the base URL handed to the handler factory and
    /// returned by [`MockHandle::url`], e.g. `/v2` (empty by default). It does not change
    /// routing: the handler sees full request paths.
    pub base_path: String,
    /// Request-body cap in bytes.
    pub body_limit: usize,
    /// Requests answered per one-second window before 429 `ACC-022`; `None`: unlimited.
    pub request_budget: Option<u32>,
    /// Hyper front end: request-head (and keep-alive idle) timeout.
    pub header_read_timeout: Duration,
    /// Hyper front end: request-body timeout.
    pub body_read_timeout: Duration,
}

impl fmt::Debug for ServeOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServeOptions")
            .field("front_end", &self.front_end)
            .field("tls", &self.tls.is_some())
            .field("bind", &self.bind)
            .field("base_path", &self.base_path)
            .field("body_limit", &self.body_limit)
            .field("request_budget", &self.request_budget)
            .field("header_read_timeout", &self.header_read_timeout)
            .field("body_read_timeout", &self.body_read_timeout)
            .finish()
    }
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            front_end: FrontEnd::default(),
            tls: None,
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            base_path: String::new(),
            body_limit: BODY_LIMIT,
            request_budget: Some(DEFAULT_REQUEST_BUDGET),
            header_read_timeout: HEADER_READ_TIMEOUT,
            body_read_timeout: BODY_READ_TIMEOUT,
        }
    }
}

impl ServeOptions {
    /// Options for `front_end`, everything else default.
    pub fn new(front_end: FrontEnd) -> Self {
        Self {
            front_end,
            ..Self::default()
        }
    }

    /// Serve over TLS with `config` (switches to the hyper front end).
    pub fn with_tls(mut self, config: Option<Arc<rustls::ServerConfig>>) -> Self {
        if config.is_some() {
            self.front_end = FrontEnd::Hyper;
        }
        self.tls = config;
        self
    }

    /// Sets the base path.
    pub fn with_base_path(mut self, path: &str) -> Self {
        self.base_path = path.to_owned();
        self
    }

    /// Sets the request budget per second (`None`: unlimited).
    pub fn with_request_budget(mut self, budget: Option<u32>) -> Self {
        self.request_budget = budget;
        self
    }
}

/// A running mock server. Dropping it (or [`MockHandle::shutdown`]) stops it and drops every
/// open connection, hanging ones included.
pub struct MockHandle {
    url: String,
    origin: String,
    addr: SocketAddr,
    front_end: FrontEnd,
    running: Running,
}

enum Running {
    /// Held only to keep the server alive: wiremock stops it on drop.
    Wiremock {
        _server: Box<wiremock::MockServer>,
    },
    Hyper(JoinHandle<()>),
    /// Dropped.
    Stopped,
}

impl fmt::Debug for MockHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockHandle")
            .field("url", &self.url)
            .field("front_end", &self.front_end)
            .finish()
    }
}

impl MockHandle {
    /// The base URL: origin plus base path, e.g. `http://127.0.0.1:40123/v2`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The origin, e.g. `https://127.0.0.1:40123`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The front end serving.
    pub fn front_end(&self) -> FrontEnd {
        self.front_end
    }

    /// Stops the server.
    pub fn shutdown(self) {
        drop(self);
    }
}

impl Drop for MockHandle {
    fn drop(&mut self) {
        match std::mem::replace(&mut self.running, Running::Stopped) {
            Running::Hyper(task) => task.abort(),
            Running::Wiremock { _server: server } => {
                // wiremock's drop blocks on a tokio lock (futures' block_on). Inside a tokio
                // task whose cooperative budget is spent — e.g. after dropping ~100 servers in
                // one poll — that lock answers Pending for ever: a live-lock. A plain thread
                // has no budget, so the drop happens there (and is waited for).
                if tokio::runtime::Handle::try_current().is_ok() {
                    drop(std::thread::spawn(move || drop(server)).join());
                } else {
                    drop(server);
                }
            }
            Running::Stopped => {}
        }
    }
}

/// Serves `handler` (built by `make` from the server's base URL, which is known only once the
/// port is bound) and records every exchange in `journal`.
pub async fn serve<F, E>(
    options: ServeOptions,
    journal: Journal,
    make: F,
) -> Result<MockHandle, ServerError>
where
    F: FnOnce(&str) -> Result<Arc<dyn Handler>, E>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    if options.tls.is_some() && options.front_end == FrontEnd::Wiremock {
        return Err(ServerError::TlsNeedsHyper);
    }
    let bind = options.bind;
    let listener = std::net::TcpListener::bind(bind)
        .map_err(|source| ServerError::Bind { addr: bind, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| ServerError::Bind { addr: bind, source })?;
    let scheme = if options.tls.is_some() {
        "https"
    } else {
        "http"
    };
    let origin = format!("{scheme}://{addr}");
    let url = format!("{origin}{}", options.base_path);
    let handler = make(&url).map_err(|e| ServerError::Handler {
        url: url.clone(),
        source: e.into(),
    })?;
    let state = Arc::new(State {
        name: handler.name(),
        handler,
        journal,
        body_limit: options.body_limit,
        front_end: options.front_end,
        flood: options.request_budget.map(FloodGuard::new),
        header_read_timeout: options.header_read_timeout,
        body_read_timeout: options.body_read_timeout,
    });
    let running = match options.front_end {
        FrontEnd::Wiremock => {
            let server = wiremock::MockServer::builder()
                .listener(listener)
                .disable_request_recording()
                .start()
                .await;
            server
                .register(
                    wiremock::Mock::given(wiremock::matchers::any())
                        .respond_with(WiremockResponder(state)),
                )
                .await;
            Running::Wiremock {
                _server: Box::new(server),
            }
        }
        FrontEnd::Hyper => {
            listener
                .set_nonblocking(true)
                .map_err(|source| ServerError::Bind { addr, source })?;
            let listener = tokio::net::TcpListener::from_std(listener)
                .map_err(|source| ServerError::Bind { addr, source })?;
            let tls = options.tls.map(tokio_rustls::TlsAcceptor::from);
            Running::Hyper(tokio::spawn(accept_loop(listener, tls, state)))
        }
    };
    Ok(MockHandle {
        url,
        origin,
        addr,
        front_end: options.front_end,
        running,
    })
}

/// Serves an already-built handler (see [`serve`]).
pub async fn serve_handler(
    options: ServeOptions,
    journal: Journal,
    handler: Arc<dyn Handler>,
) -> Result<MockHandle, ServerError> {
    serve(options, journal, move |_| Ok::<_, Infallible>(handler)).await
}

/// The rustls server configuration of the mocks: the trust directory's TLS server certificate
/// (SAN `localhost`, `127.0.0.1`, issued by `tls-ca.pem`) and key, HTTP/1.1 over ALPN.
pub fn tls_server_config(trust: &TrustDir) -> Result<Arc<rustls::ServerConfig>, ServerError> {
    let cert = trust.cert_der(Artifact::TlsServerCert)?;
    let key = trust.key(Artifact::TlsServerKey)?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let tls = |e: rustls::Error| ServerError::Tls {
        reason: e.to_string(),
    };
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls)?
        .with_no_client_auth()
        .with_single_cert(
            vec![rustls_pki_types::CertificateDer::from(cert)],
            rustls_pki_types::PrivateKeyDer::Pkcs8(key.pkcs8_der().to_vec().into()),
        )
        .map_err(tls)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// What both front ends share.
struct State {
    /// The handler's journal name, asked once.
    name: String,
    handler: Arc<dyn Handler>,
    journal: Journal,
    body_limit: usize,
    front_end: FrontEnd,
    flood: Option<FloodGuard>,
    header_read_timeout: Duration,
    body_read_timeout: Duration,
}

/// A fixed one-second window counting requests against a budget.
struct FloodGuard {
    budget: u32,
    window: std::sync::Mutex<(std::time::Instant, u32)>,
}

impl FloodGuard {
    fn new(budget: u32) -> Self {
        Self {
            budget,
            window: std::sync::Mutex::new((std::time::Instant::now(), 0)),
        }
    }

    /// Counts one request; `Some(seconds to wait)` when it is over the budget.
    fn admit(&self) -> Option<u64> {
        let now = std::time::Instant::now();
        let mut window = self
            .window
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if now.duration_since(window.0) >= Duration::from_secs(1) {
            *window = (now, 0);
        }
        window.1 = window.1.saturating_add(1);
        (window.1 > self.budget).then_some(1)
    }
}

impl State {
    /// Calls the handler (or answers 413 for an oversized body), adapts the transport to the
    /// front end's abilities and records the exchange.
    fn dispatch(&self, request: &MockRequest, too_large: bool) -> Handled {
        let flooded = self.flood.as_ref().and_then(FloodGuard::admit);
        let mut handled = if let Some(retry_after) = flooded {
            let budget = self.flood.as_ref().map_or(0, |f| f.budget);
            Handled::ok(
                dsop_error(
                    429,
                    "ACC-022",
                    &format!(
                        "more than {budget} requests in one second; retry after {retry_after} s \
                         (flood protection of the mock)"
                    ),
                )
                .with_header("Retry-After", &retry_after.to_string()),
            )
        } else if too_large {
            Handled::ok(dsop_error(
                413,
                "ACC-001",
                &format!(
                    "request body exceeds the mock's limit of {} bytes",
                    self.body_limit
                ),
            ))
        } else {
            match std::panic::catch_unwind(AssertUnwindSafe(|| self.handler.handle(request))) {
                Ok(handled) => handled,
                Err(_) => Handled::ok(dsop_error(
                    500,
                    "ACC-500",
                    "the mock's handler failed on this request (a harness defect)",
                )),
            }
        };
        if self.front_end == FrontEnd::Wiremock && handled.transport == Transport::Reset {
            handled.response = dsop_error(
                500,
                "ACC-500",
                "transport fault `reset` needs the hyper front end; the wiremock front end \
                 cannot close a connection without answering",
            );
            handled.transport = Transport::Normal;
        }
        // The front ends need only status, headers and body from here on.
        self.journal
            .record_handled(&self.name, request, &mut handled);
        handled
    }
}

/// The harness's error body of the non-DSOP mocks (datakatalog, CertPub, JWKS):
/// `{error, message}` (schema `mock-error`).
pub(crate) fn mock_error(status: u16, error: &str, message: &str) -> MockResponse {
    MockResponse::json(
        status,
        &serde_json::json!({"error": error, "message": message}),
    )
}

/// The answer of a GET-only mock to any other method: 405 with `Allow: GET`; `None` for a GET.
pub(crate) fn refuse_non_get(request: &MockRequest) -> Option<Handled> {
    (request.method != "GET").then(|| {
        Handled::ok(
            mock_error(
                405,
                "method_not_allowed",
                &format!("{} is not allowed; use GET", request.method),
            )
            .with_header("Allow", "GET"),
        )
    })
}

/// A DSOP error body `{code, message}` (digest 3.3.6, 7.6).
pub(crate) fn dsop_error(status: u16, code: &str, message: &str) -> MockResponse {
    MockResponse::json(
        status,
        &serde_json::json!({"code": code, "message": message}),
    )
}

/// Parses an `application/x-www-form-urlencoded` string (a query or a form body) with
/// `form_urlencoded` (WHATWG URL rules): pairs split on `&` and the first `=`, `+` as space,
/// percent-decoded; malformed escapes stay literal and invalid UTF-8 becomes U+FFFD, so a
/// malformed request reaches the handler, which answers it with the DSOP error body.
pub(crate) fn parse_urlencoded(text: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(text.as_bytes())
        .into_owned()
        .collect()
}

fn headers_of(map: &hyper::HeaderMap) -> Vec<(String, String)> {
    map.iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// The response headers that can go on the wire (invalid names or values are dropped: a
/// handler bug must not take the server down).
fn wire_headers(response: &MockResponse) -> Vec<(HeaderName, HeaderValue)> {
    response
        .headers
        .iter()
        .filter_map(|(k, v)| {
            Some((
                HeaderName::from_bytes(k.as_bytes()).ok()?,
                HeaderValue::from_str(v).ok()?,
            ))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// wiremock

struct WiremockResponder(Arc<State>);

impl wiremock::Respond for WiremockResponder {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let state = &self.0;
        let mock_request = MockRequest {
            method: request.method.as_str().to_ascii_uppercase(),
            path: request.url.path().to_owned(),
            query: request
                .url
                .query()
                .map(parse_urlencoded)
                .unwrap_or_default(),
            headers: headers_of(&request.headers),
            body: if request.body.len() > state.body_limit {
                Vec::new()
            } else {
                request.body.clone()
            },
        };
        let handled = state.dispatch(&mock_request, request.body.len() > state.body_limit);
        let response = &handled.response;
        let status =
            StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut template = wiremock::ResponseTemplate::new(status);
        let mut content_type = None;
        for (name, value) in wire_headers(response) {
            if name == CONTENT_TYPE {
                content_type = value.to_str().ok().map(str::to_owned);
            } else {
                template = template.append_header(name, value);
            }
        }
        template = match content_type {
            Some(ct) => template.set_body_raw(response.body.clone(), &ct),
            None => template.set_body_bytes(response.body.clone()),
        };
        match handled.transport {
            Transport::Normal | Transport::Reset => template,
            Transport::Delay(d) => template.set_delay(d),
            Transport::Hang => template.set_delay(WIREMOCK_HANG),
            Transport::Drip(pause) => {
                let bytes = u32::try_from(response.body.len()).unwrap_or(u32::MAX);
                template.set_delay(pause.saturating_mul(bytes))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// hyper

async fn accept_loop(
    listener: tokio::net::TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    state: Arc<State>,
) {
    // Connections live in this set: aborting the accept task drops it, which aborts them all.
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let state = Arc::clone(&state);
                    let tls = tls.clone();
                    connections.spawn(connection(stream, tls, state));
                }
                // E.g. out of file descriptors: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn connection(
    stream: tokio::net::TcpStream,
    tls: Option<tokio_rustls::TlsAcceptor>,
    state: Arc<State>,
) {
    // Best effort: small responses and dripped bytes go out at once.
    drop(stream.set_nodelay(true));
    match tls {
        None => serve_io(hyper_util::rt::TokioIo::new(stream), state).await,
        Some(acceptor) => {
            if let Ok(Ok(stream)) =
                tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await
            {
                serve_io(hyper_util::rt::TokioIo::new(stream), state).await;
            }
        }
    }
}

async fn serve_io<I>(io: I, state: Arc<State>)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let header_read_timeout = state.header_read_timeout;
    let service = hyper::service::service_fn(move |request| {
        let state = Arc::clone(&state);
        async move { answer(request, state).await }
    });
    // A connection error (client gone, reset fault, bad HTTP, a head not read in time) ends
    // only this connection.
    drop(
        hyper::server::conn::http1::Builder::new()
            .timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(header_read_timeout)
            .serve_connection(io, service)
            .await,
    );
}

/// The error a service returns to make hyper drop the connection without a response.
#[derive(Debug, thiserror::Error)]
#[error("connection reset by the mock's transport fault")]
struct ResetConnection;

async fn answer(
    request: hyper::Request<hyper::body::Incoming>,
    state: Arc<State>,
) -> Result<hyper::Response<OutBody>, ResetConnection> {
    let (parts, body) = request.into_parts();
    // A declared length over the limit is refused before a byte of the body is read; a body
    // without one (chunked) is cut at the limit while it streams. Either way the connection
    // closes after the 413 instead of reading the rest.
    let declared = parts
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let over = |n: u64| usize::try_from(n).map_or(true, |n| n > state.body_limit);
    let (body, too_large) = if declared.is_some_and(over) {
        drop(body);
        (Vec::new(), true)
    } else {
        let limited = http_body_util::Limited::new(body, state.body_limit).collect();
        match tokio::time::timeout(state.body_read_timeout, limited).await {
            Ok(Ok(collected)) => (collected.to_bytes().to_vec(), false),
            Ok(Err(error)) if error.is::<http_body_util::LengthLimitError>() => (Vec::new(), true),
            // The client broke off while sending, sent malformed framing, or took too long:
            // nobody to answer.
            Ok(Err(_)) | Err(_) => return Err(ResetConnection),
        }
    };
    let mock_request = MockRequest {
        method: parts.method.as_str().to_ascii_uppercase(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(parse_urlencoded).unwrap_or_default(),
        headers: headers_of(&parts.headers),
        body,
    };
    let mut handled = state.dispatch(&mock_request, too_large);
    let pause = match handled.transport {
        Transport::Normal => None,
        Transport::Delay(d) => {
            tokio::time::sleep(d).await;
            None
        }
        Transport::Reset => return Err(ResetConnection),
        Transport::Hang => {
            std::future::pending::<()>().await;
            None
        }
        Transport::Drip(pause) => Some(pause),
    };
    let status =
        StatusCode::from_u16(handled.response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = hyper::Response::new(OutBody::new(
        std::mem::take(&mut handled.response.body),
        pause,
    ));
    *response.status_mut() = status;
    for (name, value) in wire_headers(&handled.response) {
        response.headers_mut().append(name, value);
    }
    Ok(response)
}

/// A response body sent whole, or one byte at a time with a pause between bytes (drip).
struct OutBody {
    data: Bytes,
    pause: Option<Duration>,
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl OutBody {
    fn new(data: Vec<u8>, pause: Option<Duration>) -> Self {
        Self {
            data: Bytes::from(data),
            pause,
            sleep: None,
        }
    }
}

impl http_body::Body for OutBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Infallible>>> {
        if self.data.is_empty() {
            return Poll::Ready(None);
        }
        let Some(pause) = self.pause else {
            let all = std::mem::take(&mut self.data);
            return Poll::Ready(Some(Ok(http_body::Frame::data(all))));
        };
        if let Some(sleep) = self.sleep.as_mut() {
            if sleep.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
        }
        let byte = self.data.split_to(1);
        self.sleep = Some(Box::pin(tokio::time::sleep(pause)));
        Poll::Ready(Some(Ok(http_body::Frame::data(byte))))
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_empty()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.data.len() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlencoded_pairs_are_decoded() {
        assert_eq!(
            parse_urlencoded("a=1&b=x+y%20z&&c&d=%C3%B8=e"),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x y z".into()),
                ("c".into(), String::new()),
                ("d".into(), "ø=e".into()),
            ]
        );
    }

    #[test]
    fn malformed_urlencoded_input_is_kept_not_dropped() {
        assert_eq!(
            parse_urlencoded("fromDate=%zz&toDate=%&x=%FF%FE&=v&%"),
            vec![
                ("fromDate".into(), "%zz".into()),
                ("toDate".into(), "%".into()),
                ("x".into(), "\u{FFFD}\u{FFFD}".into()),
                (String::new(), "v".into()),
                ("%".into(), String::new()),
            ]
        );
    }

    struct Fine;

    impl Handler for Fine {
        fn name(&self) -> String {
            "fine".into()
        }

        fn handle(&self, _request: &MockRequest) -> Handled {
            Handled::ok(MockResponse::json(200, &serde_json::json!({"ok": true})))
        }
    }

    /// Digest 7.6: a flood past the budget is answered 429 ACC-022 with Retry-After,
    /// the handler is spared, and the server answers normally once the window has passed.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_flood_is_answered_429_acc_022_and_the_mock_stays_up() {
        const BUDGET: u32 = 50;
        const FLOOD: usize = 400;
        for front_end in FrontEnd::ALL {
            let journal = Journal::new();
            let handle = serve_handler(
                ServeOptions::new(front_end).with_request_budget(Some(BUDGET)),
                journal.clone(),
                Arc::new(Fine),
            )
            .await
            .expect("serve");
            let client = reqwest::Client::new();
            let started = std::time::Instant::now();
            let answers = futures::future::join_all((0..FLOOD).map(|_| {
                let request = client.get(format!("{}/x", handle.url())).send();
                async move {
                    let response = request
                        .await
                        .expect("an answer, never a dropped connection");
                    let status = response.status().as_u16();
                    let retry_after = response
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned);
                    let body: serde_json::Value = response.json().await.expect("JSON body");
                    (status, retry_after, body)
                }
            }))
            .await;
            let windows = started.elapsed().as_secs() + 2;
            let ok = answers.iter().filter(|(s, ..)| *s == 200).count();
            let limited: Vec<_> = answers.iter().filter(|(s, ..)| *s == 429).collect();
            assert_eq!(ok + limited.len(), FLOOD, "{front_end}: only 200 or 429");
            assert!(
                !limited.is_empty(),
                "{front_end}: no 429 in a flood of {FLOOD}"
            );
            assert!(
                ok as u64 <= u64::from(BUDGET) * windows,
                "{front_end}: {ok} answered 200 within {windows} windows of {BUDGET}"
            );
            for (_, retry_after, body) in &limited {
                assert_eq!(retry_after.as_deref(), Some("1"), "{front_end}");
                assert_eq!(body["code"], "ACC-022", "{front_end}: {body}");
                assert!(
                    crate::schema::validate(crate::schema::MessageKind::Error, body).is_ok(),
                    "{front_end}: {body}"
                );
            }
            assert_eq!(
                journal.entries().len(),
                FLOOD,
                "{front_end}: every request journaled"
            );
            tokio::time::sleep(Duration::from_millis(1100)).await;
            let after = client
                .get(format!("{}/x", handle.url()))
                .send()
                .await
                .expect("the mock is still up");
            assert_eq!(
                after.status().as_u16(),
                200,
                "{front_end}: after the window"
            );
        }
    }

    /// Dropping many wiremock servers in one poll of a tokio task must not live-lock
    /// (wiremock's drop blocks on a tokio lock; a spent cooperative budget made it spin for
    /// ever once an ecosystem had ~100 banks).
    #[test]
    fn dropping_many_wiremock_servers_inside_a_task_finishes() {
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                let mut handles = Vec::new();
                for _ in 0..200 {
                    handles.push(
                        serve_handler(
                            ServeOptions::new(FrontEnd::Wiremock),
                            Journal::new(),
                            Arc::new(Fine),
                        )
                        .await
                        .expect("serve"),
                    );
                }
                let dropping = tokio::spawn(async move { drop(handles) });
                dropping.await.expect("the drop task");
            });
            done.send(()).ok();
        });
        assert!(
            finished.recv_timeout(Duration::from_secs(120)).is_ok(),
            "dropping 200 wiremock servers did not finish within 120 s (live-lock)"
        );
    }

    /// Reads until the server closes the connection; `Err` when it is still open after 10 s.
    async fn closed_by_server(stream: &mut tokio::net::TcpStream) -> Result<Vec<u8>, String> {
        use tokio::io::AsyncReadExt;
        let mut seen = Vec::new();
        let mut buf = [0u8; 1024];
        loop {
            match tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf)).await {
                Err(_) => return Err(format!("still open after 10 s; read {seen:?}")),
                Ok(Ok(0)) | Ok(Err(_)) => return Ok(seen),
                Ok(Ok(n)) => seen.extend_from_slice(&buf[..n]),
            }
        }
    }

    /// The hyper front end closes a connection that sends no head, one idle after a keep-alive
    /// answer, and one whose body stalls; the server keeps answering others. (Short timeouts
    /// configured; the 10 s bound only detects a connection that is never closed.)
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn hyper_closes_silent_idle_and_stalled_connections() {
        use tokio::io::AsyncWriteExt;
        let mut options = ServeOptions::new(FrontEnd::Hyper);
        options.header_read_timeout = Duration::from_millis(300);
        options.body_read_timeout = Duration::from_millis(300);
        let handle = serve_handler(options, Journal::new(), Arc::new(Fine))
            .await
            .expect("serve");
        let connect = || tokio::net::TcpStream::connect(handle.addr());
        // No head at all.
        let mut silent = connect().await.expect("connect");
        assert_eq!(closed_by_server(&mut silent).await, Ok(Vec::new()));
        // Half a head.
        let mut half = connect().await.expect("connect");
        half.write_all(b"GET /x HTTP/1.1\r\nHost: a\r\n")
            .await
            .expect("write");
        closed_by_server(&mut half).await.expect("half head closed");
        // A keep-alive connection idle after its answer.
        let mut idle = connect().await.expect("connect");
        idle.write_all(b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n")
            .await
            .expect("write");
        let answer = closed_by_server(&mut idle).await.expect("idle closed");
        assert!(answer.starts_with(b"HTTP/1.1 200"), "{answer:?}");
        // A body that stalls half-way.
        let mut stalled = connect().await.expect("connect");
        stalled
            .write_all(b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nabc")
            .await
            .expect("write");
        closed_by_server(&mut stalled)
            .await
            .expect("stalled body closed");
        let after = reqwest::get(format!("{}/x", handle.url()))
            .await
            .expect("still answering");
        assert_eq!(after.status().as_u16(), 200);
    }

    /// A declared body over the limit is answered 413 (DSOP error body) before the body is
    /// sent: the client gets the answer with only the head written.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn hyper_refuses_a_declared_oversized_body_before_reading_it() {
        use tokio::io::AsyncWriteExt;
        let handle = serve_handler(
            ServeOptions::new(FrontEnd::Hyper),
            Journal::new(),
            Arc::new(Fine),
        )
        .await
        .expect("serve");
        let mut stream = tokio::net::TcpStream::connect(handle.addr())
            .await
            .expect("connect");
        stream
            .write_all(b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 800000000\r\n\r\n")
            .await
            .expect("write");
        let answer = closed_by_server(&mut stream)
            .await
            .expect("closed after 413");
        let text = String::from_utf8_lossy(&answer);
        assert!(text.starts_with("HTTP/1.1 413"), "{text}");
        assert!(text.contains("ACC-001"), "{text}");
    }

    #[test]
    fn front_end_names_round_trip() {
        for f in FrontEnd::ALL {
            assert_eq!(f.name().parse::<FrontEnd>(), Ok(f));
        }
        assert!("axum".parse::<FrontEnd>().is_err());
    }
}
