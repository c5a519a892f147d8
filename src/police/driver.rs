//! The police HTTP driver: Maskinporten tokens from JWT grants (digest 6.3), and single
//! exchanges with the registry, the catalogue and the banks, with capped bodies, JWE
//! decryption and bounded retries. The bank suite sends its (deliberately varied) requests
//! through [`Driver::send`]; the reference police client builds whole cases on it
//! ([`super::lookup`]).

use super::faults::{FaultSet, PoliceFault};
use crate::domain::token::ResourceIndicator;
use crate::trust::dir::{Artifact, TrustDir};
use crate::trust::maskinporten::{create_grant, GrantRequest};
use crate::trust::pki::RsaKey;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// Why the driver could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    /// Trust material missing or unreadable.
    #[error("trust directory: {0}")]
    Trust(#[from] crate::trust::dir::TrustError),
    /// The HTTP client could not be built.
    #[error("HTTP client: {0}")]
    Http(String),
}

/// Why one exchange produced no HTTP response.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CallError {
    /// No answer within the request timeout.
    #[error("{url}: no answer within {seconds:.1} s")]
    Timeout {
        /// The URL.
        url: String,
        /// The timeout.
        seconds: f64,
    },
    /// Connecting failed, or the connection broke before a full response arrived.
    #[error("{url}: connection failed: {reason}")]
    Connection {
        /// The URL.
        url: String,
        /// What the HTTP stack said.
        reason: String,
    },
    /// The response body exceeded the cap.
    #[error("{url}: response body larger than {limit} bytes")]
    TooLarge {
        /// The URL.
        url: String,
        /// The cap.
        limit: usize,
    },
    /// A token could not be obtained.
    #[error("token for {resource} ({scope}): {reason}")]
    Token {
        /// The audience asked for (`no resource` for a grant without one).
        resource: String,
        /// The scope asked for.
        scope: String,
        /// What went wrong.
        reason: String,
    },
    /// The request could not be built (bad URL or header).
    #[error("request to {url} could not be built: {reason}")]
    Build {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
}

impl CallError {
    /// Whether a retry may help (digest 7.6: 5xx and transport failures are transient).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            CallError::Timeout { .. } | CallError::Connection { .. }
        )
    }
}

/// Bounded retries with exponential backoff (digest 7.6: clients may retry 5xx; never 4xx).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all (1 = no retry).
    pub max_attempts: u32,
    /// First backoff.
    pub base_delay: Duration,
    /// Longest backoff, also the cap on a honoured `Retry-After`.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
        }
    }
}

/// How the registry's token is asked for (digest 1.2, 6.3). The digest shows `resource` only in
/// the bank-token example and asks for nothing but the scope for the registry, so both are
/// correct; the reference client can do either, and the police suite is run with both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum RegistryGrant {
    /// `resource` = the registry's base URL (an audience-restricted token).
    #[default]
    #[value(name = "registry-url")]
    RegistryUrl,
    /// No `resource` (Maskinporten's default audience).
    #[value(name = "none")]
    NoResource,
}

/// Where the counterparties are and how to behave.
#[derive(Debug, Clone)]
pub struct DriverConfig {
    /// Maskinporten token endpoint (`DSOP_MASKINPORTEN_URL`).
    pub token_url: String,
    /// Registry base URL (`DSOP_REGISTRY_URL`); `/customers/customerRelationships` is appended.
    pub registry_url: String,
    /// Felles datakatalog base URL (`DSOP_CATALOG_URL`, the origin); the API paths of
    /// `docs/datakatalog-api.md` (`/datakatalog/v1/endpoints[/{orgNo}]`) are appended.
    pub catalog_url: String,
    /// Per-request timeout.
    pub request_timeout: Duration,
    /// Largest response body read; larger bodies fail the exchange.
    pub max_body_bytes: usize,
    /// Retry policy.
    pub retry: RetryPolicy,
    /// Banks worked on at once.
    pub concurrency: usize,
    /// Most pages read of one paged listing (Accounts, Transactions) before the client stops
    /// and reports the bank's `next` links as not ending (digest 7.4 sets no limit; the bank
    /// suite stops at the same [`DEFAULT_MAX_PAGES`]).
    pub max_pages: usize,
    /// Deliberate mistakes (empty for the reference client).
    pub faults: FaultSet,
    /// How the registry token is asked for.
    pub registry_grant: RegistryGrant,
}

/// Default per-request timeout: the Digdir consumer's (digest 1.2).
pub(crate) const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Default response-body cap.
pub(crate) const DEFAULT_MAX_BODY_BYTES: usize = 32 * 1024 * 1024;
/// Default page cap of one paged listing ([`DriverConfig::max_pages`]), the bank suite's too.
pub const DEFAULT_MAX_PAGES: usize = 200;

impl DriverConfig {
    /// Defaults: 30 s timeout (the Digdir consumer's, digest 1.2), 32 MiB bodies, 3 attempts,
    /// 8 banks at once. Callers set other values on the fields (the command line's
    /// `--request-timeout` and `--max-body-bytes` of `test bank`, `police lookup`); nothing
    /// here reads the environment.
    pub fn new(token_url: &str, registry_url: &str, catalog_url: &str) -> Self {
        Self {
            token_url: token_url.to_owned(),
            registry_url: registry_url.trim_end_matches('/').to_owned(),
            catalog_url: catalog_url.trim_end_matches('/').to_owned(),
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            retry: RetryPolicy::default(),
            concurrency: 8,
            max_pages: DEFAULT_MAX_PAGES,
            faults: FaultSet::none(),
            registry_grant: RegistryGrant::default(),
        }
    }
}

/// A request about to be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// Method.
    pub method: String,
    /// Absolute URL, query included.
    pub url: String,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Body (form-encoded token requests only).
    pub body: Option<Vec<u8>>,
}

impl Outgoing {
    /// A GET of `url` with `query` appended (percent-encoded).
    pub fn get(url: &str, query: &[(String, String)], headers: Vec<(String, String)>) -> Self {
        let mut url = url.to_owned();
        if !query.is_empty() {
            let q: Vec<String> = query
                .iter()
                .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
                .collect();
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&q.join("&"));
        }
        Self {
            method: "GET".into(),
            url,
            headers,
            body: None,
        }
    }
}

fn enc(s: &str) -> String {
    crate::domain::mandate::encode_uri_component(s)
}

/// One request and what came back.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// What was sent.
    pub request: Outgoing,
    /// HTTP status.
    pub status: u16,
    /// `Content-Type` of the response, if any.
    pub content_type: Option<String>,
    /// Response headers.
    pub headers: Vec<(String, String)>,
    /// The body as received.
    pub body: Vec<u8>,
    /// The body read as JSON: decrypted first when it is a JWE (`application/jose`).
    pub payload: Result<serde_json::Value, String>,
    /// `(alg, enc)` when the body was a JWE that decrypted.
    pub jwe: Option<(String, String)>,
    /// Time from sending to the last body byte.
    pub elapsed: Duration,
    /// 1 for the first try.
    pub attempt: u32,
}

impl Exchange {
    /// A response header by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// One request and the HTTP answer as received, not yet decrypted or read as JSON
/// ([`Driver::fetch_with_retry`]; [`Driver::decode`] turns it into an [`Exchange`]).
#[derive(Debug, Clone)]
pub struct Fetched {
    /// What was sent.
    pub request: Outgoing,
    /// HTTP status.
    pub status: u16,
    /// `Content-Type` of the response, if any.
    pub content_type: Option<String>,
    /// Response headers.
    pub headers: Vec<(String, String)>,
    /// The body as received.
    pub body: Vec<u8>,
    /// Time from sending to the last body byte.
    pub elapsed: Duration,
    /// 1 for the first try.
    pub attempt: u32,
}

/// A body decrypted (when it was a JWE) but not yet read as JSON ([`Driver::decrypt`]).
#[derive(Debug, Clone)]
pub struct Plaintext {
    /// The decrypted payload of a JWE body (`application/jose`), `Err` when it did not
    /// decrypt; `None` for any other body, whose text is the body itself.
    pub decrypted: Option<Result<Vec<u8>, String>>,
    /// `(alg, enc)` when the body was a JWE that decrypted.
    pub jwe: Option<(String, String)>,
    /// The media type, for error messages.
    pub(crate) media: Option<String>,
}

impl Plaintext {
    /// The JSON text of `fetched` (the answer this was decrypted from).
    pub fn text<'a>(&'a self, fetched: &'a Fetched) -> Result<&'a [u8], &'a str> {
        match &self.decrypted {
            None => Ok(&fetched.body),
            Some(Ok(plain)) => Ok(plain),
            Some(Err(e)) => Err(e),
        }
    }
}

/// The police side's HTTP client.
#[derive(Debug)]
pub struct Driver {
    http: reqwest::Client,
    config: DriverConfig,
    client_id: String,
    issuer: String,
    client_key: RsaKey,
    client_cert: Vec<u8>,
    consumer_key: RsaKey,
    tokens: Mutex<HashMap<(String, String), (String, Instant)>>,
}

impl Driver {
    /// A driver using the police client key/cert and the consumer decryption key of `trust`;
    /// the trust directory's TLS CA is the only extra root trusted for HTTPS.
    pub fn new(config: DriverConfig, trust: &TrustDir) -> Result<Self, DriverError> {
        let mut builder = reqwest::Client::builder()
            .timeout(config.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(16);
        if let Ok(ca) = trust.cert_der(Artifact::TlsCa) {
            let cert = reqwest::Certificate::from_der(&ca)
                .map_err(|e| DriverError::Http(e.to_string()))?;
            builder = builder.add_root_certificate(cert);
        }
        let http = builder
            .build()
            .map_err(|e| DriverError::Http(e.to_string()))?;
        Ok(Self {
            http,
            client_id: trust.manifest().police_client_id.clone(),
            issuer: trust.manifest().maskinporten_issuer.clone(),
            client_key: trust.key(Artifact::PoliceClientKey)?,
            client_cert: trust.cert_der(Artifact::PoliceClientCert)?,
            consumer_key: trust.key(Artifact::ConsumerEncryptionKey)?,
            tokens: Mutex::new(HashMap::new()),
            config,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &DriverConfig {
        &self.config
    }

    /// Whether a fault switch is on.
    pub fn has(&self, fault: PoliceFault) -> bool {
        self.config.faults.has(fault)
    }

    /// An access token for `scope` with audience `resource` (no `resource` in the grant when
    /// `None`), from cache while it has more than 10 s left, else from Maskinporten with a
    /// fresh JWT grant (RFC 7523, digest 6.3).
    pub async fn token(&self, scope: &str, resource: Option<&str>) -> Result<String, CallError> {
        let key = (scope.to_owned(), resource.unwrap_or_default().to_owned());
        if let Some((token, until)) = self.tokens.lock().await.get(&key) {
            if *until > Instant::now() + Duration::from_secs(10) {
                return Ok(token.clone());
            }
        }
        let fail = |reason: String| CallError::Token {
            resource: resource.unwrap_or("no resource").to_owned(),
            scope: scope.to_owned(),
            reason,
        };
        // The `grant-signed-with-encryption-key` switch mixes up the trust directory's two
        // police keys: Maskinporten refuses the signature (digest 6.3).
        let signing_key = if self.has(PoliceFault::GrantSignedWithEncryptionKey) {
            &self.consumer_key
        } else {
            &self.client_key
        };
        let grant = create_grant(
            signing_key,
            &self.client_cert,
            &GrantRequest {
                client_id: self.client_id.clone(),
                audience: self.issuer.clone(),
                scope: scope.to_owned(),
                resource: resource.map(ResourceIndicator::single),
                use_kid: false,
            },
            chrono::Utc::now().timestamp(),
            &[],
        )
        .map_err(|e| fail(e.to_string()))?;
        let form = format!(
            "grant_type={}&assertion={}",
            enc("urn:ietf:params:oauth:grant-type:jwt-bearer"),
            enc(&grant)
        );
        let request = Outgoing {
            method: "POST".into(),
            url: self.config.token_url.clone(),
            headers: vec![(
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into(),
            )],
            body: Some(form.into_bytes()),
        };
        let exchange = self.send_with_retry(request).await?;
        let body = exchange.payload.as_ref().map_err(|e| fail(e.clone()))?;
        if exchange.status != 200 {
            return Err(fail(format!("HTTP {}: {body}", exchange.status)));
        }
        let token = body["access_token"]
            .as_str()
            .ok_or_else(|| fail("no access_token in the answer".into()))?
            .to_owned();
        let lifetime = body["expires_in"].as_u64().unwrap_or(120);
        self.tokens.lock().await.insert(
            key,
            (
                token.clone(),
                Instant::now() + Duration::from_secs(lifetime),
            ),
        );
        Ok(token)
    }

    /// Sends one request once: no retry. The body is read up to the configured cap; a JWE body
    /// is decrypted with the consumer key.
    pub async fn send(&self, request: Outgoing, attempt: u32) -> Result<Exchange, CallError> {
        let fetched = self.fetch(request, attempt).await?;
        Ok(self.decode(fetched))
    }

    /// Sends one request once and reads the body (up to the cap), nothing more.
    pub async fn fetch(&self, request: Outgoing, attempt: u32) -> Result<Fetched, CallError> {
        let url = request.url.clone();
        let method = reqwest::Method::from_bytes(request.method.as_bytes()).map_err(|e| {
            CallError::Build {
                url: url.clone(),
                reason: e.to_string(),
            }
        })?;
        let mut builder = self.http.request(method, &url);
        for (name, value) in &request.headers {
            // from_bytes keeps non-ASCII (an unencoded mandate is sent as the bytes it is).
            let value =
                reqwest::header::HeaderValue::from_bytes(value.as_bytes()).map_err(|e| {
                    CallError::Build {
                        url: url.clone(),
                        reason: format!("header {name}: {e}"),
                    }
                })?;
            builder = builder.header(name.as_str(), value);
        }
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let started = Instant::now();
        let mut response = builder.send().await.map_err(|e| self.classify(&url, &e))?;
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let limit = self.config.max_body_bytes;
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.classify(&url, &e))?
        {
            if body.len() + chunk.len() > limit {
                return Err(CallError::TooLarge { url, limit });
            }
            body.extend_from_slice(&chunk);
        }
        let elapsed = started.elapsed();
        let content_type = header(&headers, "content-type").map(str::to_owned);
        Ok(Fetched {
            request,
            status,
            content_type,
            headers,
            body,
            elapsed,
            attempt,
        })
    }

    /// Decrypts and reads an answer: `application/jose` → JWE decrypted with the consumer key,
    /// then JSON; anything else → JSON.
    pub fn decode(&self, fetched: Fetched) -> Exchange {
        let plaintext = self.decrypt(&fetched);
        self.read(fetched, plaintext)
    }

    /// The first half of [`Self::decode`]: the JSON text of an answer, decrypted when it is a
    /// JWE.
    pub fn decrypt(&self, fetched: &Fetched) -> Plaintext {
        let media = fetched
            .content_type
            .as_deref()
            .and_then(|c| c.split(';').next())
            .map(|c| c.trim().to_ascii_lowercase());
        if media.as_deref() != Some("application/jose") {
            return Plaintext {
                decrypted: None,
                jwe: None,
                media,
            };
        }
        let text = String::from_utf8_lossy(&fetched.body);
        let (decrypted, jwe) =
            match crate::trust::jwe::decrypt(text.trim(), self.consumer_key.pkcs8_der()) {
                Ok((plain, alg, enc)) => (Ok(plain), Some((alg, enc))),
                Err(e) => (Err(format!("JWE could not be decrypted: {e}")), None),
            };
        Plaintext {
            decrypted: Some(decrypted),
            jwe,
            media,
        }
    }

    /// The second half of [`Self::decode`]: the plaintext read as JSON.
    pub fn read(&self, fetched: Fetched, plaintext: Plaintext) -> Exchange {
        let payload = match plaintext.text(&fetched) {
            Err(e) => Err(e.to_owned()),
            Ok(text) => serde_json::from_slice(text).map_err(|e| {
                if plaintext.decrypted.is_some() {
                    format!("decrypted JWE is not JSON: {e}")
                } else {
                    format!(
                        "body is not JSON ({}): {e}",
                        plaintext.media.as_deref().unwrap_or("no content type")
                    )
                }
            }),
        };
        Exchange {
            request: fetched.request,
            status: fetched.status,
            content_type: fetched.content_type,
            headers: fetched.headers,
            body: fetched.body,
            payload,
            jwe: plaintext.jwe,
            elapsed: fetched.elapsed,
            attempt: fetched.attempt,
        }
    }

    fn classify(&self, url: &str, e: &reqwest::Error) -> CallError {
        if e.is_timeout() {
            CallError::Timeout {
                url: url.to_owned(),
                seconds: self.config.request_timeout.as_secs_f64(),
            }
        } else {
            let mut reason = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                reason.push_str(": ");
                reason.push_str(&s.to_string());
                source = s.source();
            }
            CallError::Connection {
                url: url.to_owned(),
                reason,
            }
        }
    }

    /// Sends with the retry policy: transport failures, 5xx and 429 are retried with backoff
    /// (honouring `Retry-After` up to the cap); 4xx never (digest 7.6) — unless a fault switch
    /// says otherwise.
    pub async fn send_with_retry(&self, request: Outgoing) -> Result<Exchange, CallError> {
        let fetched = self.fetch_with_retry(request).await?;
        Ok(self.decode(fetched))
    }

    /// [`Self::send_with_retry`] without the decoding: the retry decisions need only the
    /// status, the headers and transport errors.
    pub async fn fetch_with_retry(&self, request: Outgoing) -> Result<Fetched, CallError> {
        let policy = self.config.retry;
        let attempts = if self.has(PoliceFault::NeverRetry5xx) {
            1
        } else {
            policy.max_attempts.max(1)
        };
        let mut attempt = 1;
        loop {
            let outcome = self.fetch(request.clone(), attempt).await;
            let retry_after = match &outcome {
                Ok(x) if x.status >= 500 || x.status == 429 => Some(
                    header(&x.headers, "retry-after")
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs),
                ),
                Ok(x) if (400..500).contains(&x.status) && self.has(PoliceFault::RetryOn4xx) => {
                    Some(None)
                }
                Err(e) if e.is_transient() => Some(None),
                _ => None,
            };
            match retry_after {
                Some(hint) if attempt < attempts => {
                    let backoff = policy.base_delay.saturating_mul(1 << (attempt - 1).min(8));
                    tokio::time::sleep(hint.unwrap_or(backoff).min(policy.max_delay)).await;
                    attempt += 1;
                }
                _ => return outcome,
            }
        }
    }
}
