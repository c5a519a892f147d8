//! Framework-independent request and response types of the mocks.

use crate::domain::request::{canonical_header_name, RequestDoc};

/// A request as a mock received it (headers in arrival order, body fully read).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MockRequest {
    /// HTTP method, upper case.
    pub method: String,
    /// Path, percent-encoded as received, without the query.
    pub path: String,
    /// Query pairs, percent-decoded, in order.
    pub query: Vec<(String, String)>,
    /// Header pairs, names as received.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl MockRequest {
    /// The last value of a header, by any spelling of its name.
    pub fn header(&self, name: &str) -> Option<&str> {
        let wanted = canonical_header_name(name);
        self.headers
            .iter()
            .rev()
            .find(|(k, _)| canonical_header_name(k) == wanted)
            .map(|(_, v)| v.as_str())
    }

    /// The last value of a query parameter (query names are case-sensitive).
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The request as a schema-validatable document (see `schemas/*-request.schema.json`).
    pub fn to_doc(&self, account_reference: Option<&str>) -> RequestDoc {
        RequestDoc::new(
            self.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            self.query.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            account_reference,
        )
    }
}

/// A response a mock decided to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Body bytes as sent (for a bank's 200: the JWE or the plain JSON).
    pub body: Vec<u8>,
    /// The plain JSON payload behind an encrypted body, kept for the journal and transcripts.
    pub plaintext: Option<serde_json::Value>,
}

impl MockResponse {
    /// A JSON response.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
            plaintext: Some(body.clone()),
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// How a front end delivers a response: normally, or with a transport-level fault
/// (fault profiles, digest 7.6 retry rules, issue "hostile system" matrices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Transport {
    /// Send it as is.
    #[default]
    Normal,
    /// Wait this long, then send it.
    Delay(std::time::Duration),
    /// Close the connection without answering (the client sees a reset / incomplete message).
    Reset,
    /// Never answer (until the client gives up or the server stops).
    Hang,
    /// Send the response one byte at a time with this pause between bytes (needs a front end
    /// that controls the socket: the hyper one, `mocks::server::FrontEnd::Hyper`).
    Drip(std::time::Duration),
}

/// What a handler decided: the response, the rule violations it found in the request, and how
/// the response is to be delivered.
#[derive(Debug, Clone)]
pub struct Handled {
    /// The response.
    pub response: MockResponse,
    /// Rules the request broke (recorded in the journal).
    pub violations: Vec<super::journal::Violation>,
    /// Delivery.
    pub transport: Transport,
}

impl Handled {
    /// A normally delivered response with no violations.
    pub fn ok(response: MockResponse) -> Self {
        Self {
            response,
            violations: Vec::new(),
            transport: Transport::Normal,
        }
    }
}

/// A mock's logic: a pure function of the request (plus the mock's own state), independent of
/// the server front end that receives it.
pub trait Handler: Send + Sync + 'static {
    /// The name the journal records, e.g. `registry` or `bank:910000012`.
    fn name(&self) -> String;
    /// Answers one request.
    fn handle(&self, request: &MockRequest) -> Handled;
}
