//! Framework-independent request and response types of the mocks.

use crate::domain::request::canonical_header_name;
use serde_json::Value;
use std::sync::{Arc, OnceLock};

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
    /// The last value of a header, by any spelling of its name (header names are ASCII and
    /// case-insensitive: two names are the same header exactly when their
    /// `crate::domain::request::canonical_header_name`s are equal).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
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

    /// The request as the JSON document the request schemas describe
    /// (`schemas/*-request.schema.json`), built directly (every mock validates every request it
    /// receives, so this is on their hot path, `docs/performance.md`); a unit test pins it to
    /// the same document as the test-only `RequestDoc::to_json`.
    pub fn to_doc_json(&self, account_reference: Option<&str>) -> serde_json::Value {
        use serde_json::{Map, Value};
        let mut headers = Map::with_capacity(self.headers.len());
        for (name, value) in &self.headers {
            // A repeated header keeps its last value, as in `RequestDoc`.
            headers.insert(canonical_header_name(name), Value::String(value.clone()));
        }
        let mut query = Map::with_capacity(self.query.len());
        for (name, value) in &self.query {
            query.insert(name.clone(), Value::String(value.clone()));
        }
        let mut doc = Map::with_capacity(3);
        doc.insert("headers".into(), Value::Object(headers));
        doc.insert("query".into(), Value::Object(query));
        if let Some(reference) = account_reference {
            doc.insert(
                "accountReference".into(),
                Value::String(reference.to_owned()),
            );
        }
        Value::Object(doc)
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
    pub plaintext: Option<Payload>,
}

impl MockResponse {
    /// A JSON response, serialised once: the body and the journal's payload are that text.
    pub fn json(status: u16, body: &Value) -> Self {
        let payload = Payload::json(body.to_string().into_bytes());
        Self {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: payload.as_bytes().to_vec(),
            plaintext: Some(payload),
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// A response's JSON payload, kept as the text it was sent as (or encrypted from) and parsed
/// on first read. Mocks serialise each answer once; a `serde_json::Value` is built only when a
/// suite, transcript or report reads the journal (building one per answer was a measurable
/// share of a mock bank request, docs/performance.md). Cheap to clone; compares and serialises
/// as its parsed value.
#[derive(Clone)]
pub struct Payload(Arc<PayloadInner>);

struct PayloadInner {
    raw: Raw,
    parsed: OnceLock<Value>,
}

enum Raw {
    /// JSON text (read as a JSON string if it does not parse).
    Json(bytes::Bytes),
    /// A body that is not JSON, read as a JSON string.
    Text(String),
}

impl Payload {
    /// The payload serialised as `text`.
    pub fn json(text: impl Into<bytes::Bytes>) -> Self {
        Self::new(Raw::Json(text.into()))
    }

    /// A body that is not JSON: read as a JSON string.
    pub fn text(text: String) -> Self {
        Self::new(Raw::Text(text))
    }

    fn new(raw: Raw) -> Self {
        Self(Arc::new(PayloadInner {
            raw,
            parsed: OnceLock::new(),
        }))
    }

    /// The payload as JSON (parsed once, on the first call).
    pub fn value(&self) -> &Value {
        self.0.parsed.get_or_init(|| match &self.0.raw {
            Raw::Json(text) => serde_json::from_slice(text)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(text).into_owned())),
            Raw::Text(text) => Value::String(text.clone()),
        })
    }

    /// The payload's text as kept.
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0.raw {
            Raw::Json(text) => text,
            Raw::Text(text) => text.as_bytes(),
        }
    }
}

impl std::fmt::Debug for Payload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Payload")
            .field(&String::from_utf8_lossy(self.as_bytes()))
            .finish()
    }
}

impl PartialEq for Payload {
    fn eq(&self, other: &Self) -> bool {
        self.value() == other.value()
    }
}

impl Eq for Payload {}

impl PartialEq<Value> for Payload {
    fn eq(&self, other: &Value) -> bool {
        self.value() == other
    }
}

impl serde::Serialize for Payload {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(serializer)
    }
}

impl std::ops::Index<&str> for Payload {
    type Output = Value;

    fn index(&self, key: &str) -> &Value {
        &self.value()[key]
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
    /// The name of the user stub that answered instead of the mock's own logic
    /// (`mocks serve --stubs`, `super::stubs`); the journal marks the entry with it.
    pub stub: Option<String>,
}

impl Handled {
    /// A normally delivered response with no violations.
    pub fn ok(response: MockResponse) -> Self {
        Self {
            response,
            violations: Vec::new(),
            transport: Transport::Normal,
            stub: None,
        }
    }
}

/// A mock's logic: a pure function of the request (plus the mock's own state), independent of
/// the server front end that receives it.
pub trait Handler: Send + Sync + 'static {
    /// The name the journal records, e.g. `registry` or `bank:910000012`; the server front
    /// ends ask once when the handler is mounted.
    fn name(&self) -> String;
    /// Answers one request.
    fn handle(&self, request: &MockRequest) -> Handled;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_direct_json_document_equals_the_request_doc() {
        let request = MockRequest {
            method: "GET".into(),
            path: "/v2/accounts/abc".into(),
            query: vec![
                ("fromDate".into(), "2024-01-01".into()),
                ("toDate".into(), "2024-12-31".into()),
            ],
            headers: vec![
                ("correlationid".into(), "first".into()),
                ("Legal-Mandate".into(), "x".into()),
                ("CORRELATIONID".into(), "last".into()),
                ("x-unknown".into(), "y".into()),
            ],
            body: Vec::new(),
        };
        for reference in [None, Some("abc")] {
            let direct = request.to_doc_json(reference);
            let via_request_doc = crate::domain::request::RequestDoc::new(
                request
                    .headers
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str())),
                request.query.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                reference,
            )
            .to_json();
            assert_eq!(direct, via_request_doc);
            assert_eq!(direct["headers"]["CorrelationID"], "last");
        }
    }

    #[test]
    fn payloads_keep_their_text_and_read_as_json() {
        let value = serde_json::json!({"accounts": [{"accountReference": "a"}], "n": 1.5});
        let from_text = Payload::json(value.to_string().into_bytes());
        let pretty = Payload::json(serde_json::to_vec_pretty(&value).unwrap_or_default());
        assert_eq!(from_text, pretty, "payloads compare as JSON, not as text");
        assert_eq!(from_text, value);
        assert_eq!(from_text["accounts"][0]["accountReference"], "a");
        assert_eq!(from_text.as_bytes(), value.to_string().as_bytes());
        assert_eq!(
            serde_json::to_value(&from_text).ok(),
            Some(value),
            "serialises as its JSON value, not as text"
        );
        // Not JSON: read as a JSON string, whichever way it was kept.
        let garbage = Payload::json(b"{\"cut".to_vec());
        assert_eq!(garbage.value(), &serde_json::json!("{\"cut"));
        assert_eq!(Payload::text("plain".into()).value(), "plain");
        assert_eq!(garbage["missing"], Value::Null);
    }

    #[test]
    fn json_responses_share_one_serialisation() {
        let response = MockResponse::json(200, &serde_json::json!({"ok": true}));
        let payload = response.plaintext.as_ref().map(Payload::as_bytes);
        assert_eq!(payload, Some(response.body.as_slice()));
    }
}
