//! The provider-state hook of the contract (`dsop-harness pact states`): the URL a bank
//! vendor gives the Pact verifier as `--state-change-url`.
//!
//! For each interaction the verifier POSTs `{"action", "state", "params"}`; the hook answers
//! with the values the interaction's provider-state generators put into the request:
//!
//! * `accessToken` — a fresh Maskinporten token for the bank's base URL (digest 6.2), signed
//!   with the trust directory's Maskinporten key;
//! * `extraditionOrder` and `accountInfoRequestId` — a fresh order for the state's party and
//!   period, all endpoints permitted, its `caseID` the request's `AccountInfoRequestID`
//!   (digest 5.3, 5.6, 4.8);
//! * `accountReference` (2b interactions) — the bank's own reference of the pack account the
//!   state names, read from the bank's Accounts answer as the police do (digest 3: Accounts
//!   first; references are the bank's, 3.4.3), percent-encoded as a path segment;
//! * `nextPagePath` (the paging interaction) — the first page's `next` link (digest 7.4),
//!   followed only on the bank's own origin, or the first page again when there is none.
//!
//! The hook's own calls use plain JSON (`Accept: application/json`, digest 7.2 test mode).

use crate::domain::mandate::LegalMandate;
use crate::domain::request::Endpoint;
use crate::trust::eo::OrderBuilder;
use crate::trust::maskinporten::{TokenMinter, CONTROL_API_SCOPE};
use crate::trust::TrustDir;
use serde_json::{json, Map, Value};
use std::net::SocketAddr;
use std::sync::Arc;

/// Parameter: the party (`PartyID`, the order's `partyID`).
pub(crate) const PARAM_PARTY: &str = "party";
/// Parameter: the period's first day.
pub(crate) const PARAM_FROM: &str = "fromDate";
/// Parameter: the period's last day.
pub(crate) const PARAM_TO: &str = "toDate";
/// Parameter: the pack account number of a 2b interaction.
pub(crate) const PARAM_ACCOUNT: &str = "accountIdentifier";
/// Parameter: the 2b endpoint (`account-details`, `transactions`, `cards`, `roles`).
pub(crate) const PARAM_ENDPOINT: &str = "endpoint";
/// Parameter: follow the first page's next link.
pub(crate) const PARAM_FOLLOW_NEXT: &str = "followNext";

/// Injected value: the access token (without `Bearer `).
pub(crate) const ACCESS_TOKEN: &str = "accessToken";
/// Injected value: the extradition order (JWS compact).
pub(crate) const ORDER: &str = "extraditionOrder";
/// Injected value: `AccountInfoRequestID`, equal to the order's `caseID`.
pub(crate) const CASE_ID: &str = "accountInfoRequestId";
/// Injected value: the bank's account reference, percent-encoded as a path segment.
pub(crate) const ACCOUNT_REFERENCE: &str = "accountReference";
/// Injected value: the path (and query) of the page a next link leads to, relative to the
/// base URL.
pub(crate) const NEXT_PAGE_PATH: &str = "nextPagePath";

/// Why the hook could not start or set up a state.
#[derive(Debug, thiserror::Error)]
pub enum StateHookError {
    /// The trust directory lacks the keys.
    #[error("trust directory: {0}")]
    Trust(#[from] crate::trust::TrustError),
    /// The request to the hook is not a provider-state change.
    #[error("state change request: {0}")]
    Request(String),
    /// Minting or signing failed.
    #[error("{0}")]
    Mint(String),
    /// The bank's answer to the hook's own call.
    #[error("the bank: {0}")]
    Bank(String),
    /// The hook hands out tokens and orders: it listens on loopback only.
    #[error("{0}: the hook hands out tokens and orders; it listens on loopback only")]
    NotLoopback(SocketAddr),
    /// Binding the listener.
    #[error("listening on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
}

/// The hook's state: what it mints with and where the bank is.
#[derive(Debug)]
struct Inner {
    trust: Arc<TrustDir>,
    minter: TokenMinter,
    base_url: String,
    http: reqwest::Client,
}

/// A running hook on loopback. Dropping it (or [`StateHook::shutdown`]) stops it.
#[derive(Debug)]
pub struct StateHook {
    url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl StateHook {
    /// Starts the hook on the loopback address `bind` (port 0: any free port) for the bank at
    /// `base_url` (its catalogue base URL, the token audience).
    pub async fn start(
        trust: Arc<TrustDir>,
        base_url: &str,
        bind: SocketAddr,
    ) -> Result<Self, StateHookError> {
        if !bind.ip().is_loopback() {
            return Err(StateHookError::NotLoopback(bind));
        }
        let inner = Arc::new(Inner {
            minter: TokenMinter::from_trust_dir(&trust)?,
            trust,
            base_url: base_url.trim_end_matches('/').to_owned(),
            // No redirects: the token and the order go to the bank's origin only.
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(30))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| StateHookError::Bank(e.to_string()))?,
        });
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .map_err(|source| StateHookError::Bind { addr: bind, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| StateHookError::Bind { addr: bind, source })?;
        let app = axum::Router::new().fallback(move |body: axum::body::Bytes| {
            let inner = inner.clone();
            async move {
                match state_change(&inner, &body).await {
                    Ok(values) => (
                        axum::http::StatusCode::OK,
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        values.to_string(),
                    ),
                    Err(e) => (
                        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                        [(axum::http::header::CONTENT_TYPE, "text/plain")],
                        e.to_string(),
                    ),
                }
            }
        });
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let serving = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            drop(serving.await);
        });
        Ok(Self {
            url: format!("http://{addr}/pact-states"),
            stop: Some(stop),
        })
    }

    /// The URL to give the verifier as `--state-change-url`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Stops the hook.
    pub fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Drop for StateHook {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn param<'a>(params: &'a Map<String, Value>, name: &str) -> Result<&'a str, StateHookError> {
    params
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| StateHookError::Request(format!("parameter {name:?} is missing")))
}

/// One state change: `{"action": "setup"|"teardown", "state": ..., "params": {...}}`.
async fn state_change(inner: &Inner, body: &[u8]) -> Result<Value, StateHookError> {
    let request: Value =
        serde_json::from_slice(body).map_err(|e| StateHookError::Request(e.to_string()))?;
    if request["action"] == "teardown" {
        return Ok(json!({}));
    }
    let params = request["params"]
        .as_object()
        .ok_or_else(|| StateHookError::Request("no params".into()))?;
    let party = param(params, PARAM_PARTY)?;
    let (from, to) = (param(params, PARAM_FROM)?, param(params, PARAM_TO)?);
    let now = chrono::Utc::now();
    let case_id = uuid::Uuid::new_v4().to_string();
    let order = OrderBuilder::valid(now)
        .party_id(party)
        .from_date(from)
        .to_date(to)
        .case_id(&case_id)
        .build(&inner.trust)
        .map_err(|e| StateHookError::Mint(e.to_string()))?
        .jws;
    let token = inner
        .minter
        .mint(&inner.base_url, CONTROL_API_SCOPE, now.timestamp(), &[])
        .map_err(|e| StateHookError::Mint(e.to_string()))?;
    let mut values =
        json!({ACCESS_TOKEN: token.clone(), ORDER: order.clone(), CASE_ID: case_id.clone()});
    let Some(number) = params.get(PARAM_ACCOUNT).and_then(Value::as_str) else {
        return Ok(values);
    };
    let call = Call {
        inner,
        token: &token,
        order: &order,
        case_id: &case_id,
        party,
    };
    let accounts = call
        .get(
            "/accounts",
            &[
                ("fromDate", from),
                ("toDate", to),
                ("OnlyPrimaryOwner", "FALSE"),
            ],
        )
        .await?;
    let reference = accounts["accounts"]
        .as_array()
        .and_then(|list| list.iter().find(|a| a["accountIdentifier"] == number))
        .and_then(|a| a["accountReference"].as_str())
        .ok_or_else(|| {
            StateHookError::Bank(format!(
                "its Accounts answer for party {party} ({from} to {to}, OnlyPrimaryOwner=FALSE) \
                 does not list account {number} of the test data pack"
            ))
        })?
        .to_owned();
    let segment = Endpoint::AccountDetails.path(&reference);
    let segment = segment.trim_start_matches("/accounts/").to_owned();
    values[ACCOUNT_REFERENCE] = json!(segment);
    if params.get(PARAM_FOLLOW_NEXT) == Some(&Value::Bool(true)) {
        let path = Endpoint::Transactions.path(&reference);
        let first = call
            .get(&path, &[("fromDate", from), ("toDate", to)])
            .await?;
        let next = first["links"]
            .as_array()
            .and_then(|links| links.iter().find(|l| l["rel"] == "next"))
            .and_then(|l| l["href"].as_str());
        let next_path = match next {
            Some(href) => {
                let url = crate::police::lookup::resolve_next(&inner.base_url, href)
                    .map_err(StateHookError::Bank)?;
                url.strip_prefix(&inner.base_url)
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        StateHookError::Bank(format!(
                            "next link {href:?} does not lead below the base URL {}",
                            inner.base_url
                        ))
                    })?
            }
            None => format!("{path}?fromDate={from}&toDate={to}"),
        };
        values[NEXT_PAGE_PATH] = json!(next_path);
    }
    Ok(values)
}

/// The hook's own request to the bank, with the headers of the police profile (digest 3.2).
struct Call<'a> {
    inner: &'a Inner,
    token: &'a str,
    order: &'a str,
    case_id: &'a str,
    party: &'a str,
}

impl Call<'_> {
    async fn get(&self, path: &str, query: &[(&str, &str)]) -> Result<Value, StateHookError> {
        let mut url = reqwest::Url::parse(&format!("{}{path}", self.inner.base_url))
            .map_err(|e| StateHookError::Bank(format!("base URL: {e}")))?;
        url.query_pairs_mut().extend_pairs(query);
        let mut request = self
            .inner
            .http
            .get(url.clone())
            .header("Authorization", format!("Bearer {}", self.token))
            .header("Accept", "application/json")
            .header("AccountInfoRequestID", self.case_id)
            .header("CorrelationID", uuid::Uuid::new_v4().to_string())
            .header("Legal-Mandate", LegalMandate::CriminalCase.encoded())
            .header("AdditionalReferenceID", self.order)
            .header("AdditionalReferenceIDType", "pol1")
            .header("RequesterID", super::REQUESTER_ID);
        if path == "/accounts" {
            request = request.header("PartyID", self.party);
        }
        let response = request
            .send()
            .await
            .map_err(|e| StateHookError::Bank(format!("GET {url}: {e}")))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| StateHookError::Bank(format!("GET {url}: {e}")))?;
        if !status.is_success() {
            return Err(StateHookError::Bank(format!(
                "GET {url} answered {status}: {}",
                text.chars().take(300).collect::<String>()
            )));
        }
        serde_json::from_str(&text).map_err(|e| {
            StateHookError::Bank(format!(
                "GET {url}: the answer is not plain JSON ({e}); the hook asks with \
                 Accept: application/json (digest 7.2 test mode)"
            ))
        })
    }
}
