//! Per-scenario transcripts: every request a scenario caused and every answer, masked, with
//! payloads decrypted. The bank suite records the exchanges it sent; the police suite records
//! what the mocks received (from the journal). Reports show them.
//!
//! Secrets never enter a transcript unmasked: headers go through
//! [`crate::redact::mask_header`], bodies through [`crate::redact::mask_json`] /
//! [`crate::redact::mask_text`] (tokens, extradition orders, grants: anything JOSE-shaped).

use crate::mocks::journal::Entry;
use crate::police::driver::Exchange;
use crate::redact::{mask_header, mask_json, mask_text};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// Non-JSON bodies are cut to this many bytes in a transcript.
const TEXT_LIMIT: usize = 4 * 1024;

/// One request and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TranscriptEntry {
    /// Who answered: `bank under test`, or a mock name such as `registry` or `bank:910000012`.
    pub peer: String,
    /// Method.
    pub method: String,
    /// URL (path and query; the query of the Control API carries no secrets).
    pub url: String,
    /// Request headers, secrets masked.
    pub request_headers: Vec<(String, String)>,
    /// Request body, masked (token grants only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_body: Option<String>,
    /// Response status; `None` when no response arrived.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Response `Content-Type`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// `alg/enc` when the body was a JWE that was decrypted for display.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption: Option<String>,
    /// The response payload (decrypted when it was a JWE), masked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<serde_json::Value>,
    /// The response body as text when it was not JSON (cut at 4 KiB), masked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_text: Option<String>,
    /// Milliseconds from sending to the last byte.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elapsed_ms: Option<u64>,
    /// Rules the request broke (police suite: from the journal), `RULE (§x): message`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub violations: Vec<String>,
    /// Transport error, when the exchange did not complete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The user stub that answered instead of the mock's own logic (police suite: from the
    /// journal's `stub` mark); the answer is the stub's, not the DSOP handler's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stub: Option<String>,
}

fn cut(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(TEXT_LIMIT)]).into_owned();
    if bytes.len() > TEXT_LIMIT {
        format!("{text}… [{} bytes in all]", bytes.len())
    } else {
        text
    }
}

impl TranscriptEntry {
    /// From an exchange the harness made itself (bank suite).
    pub fn from_exchange(peer: &str, exchange: &Exchange) -> Self {
        let (response, response_text) = match &exchange.payload {
            Ok(v) => (Some(mask_json(v)), None),
            Err(_) => (None, Some(mask_text(&cut(&exchange.body)))),
        };
        Self {
            peer: peer.to_owned(),
            method: exchange.request.method.clone(),
            url: exchange.request.url.clone(),
            request_headers: exchange
                .request
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), mask_header(k, v)))
                .collect(),
            request_body: exchange.request.body.as_deref().map(|b| mask_text(&cut(b))),
            status: Some(exchange.status),
            content_type: exchange.content_type.clone(),
            encryption: exchange.jwe.as_ref().map(|(a, e)| format!("{a}/{e}")),
            response,
            response_text,
            elapsed_ms: Some(exchange.elapsed.as_millis() as u64),
            violations: Vec::new(),
            error: None,
            stub: None,
        }
    }

    /// A request that got no answer (connection refused, timeout, reset, body too large...).
    pub fn failed(
        peer: &str,
        method: &str,
        url: &str,
        headers: &[(String, String)],
        error: &str,
    ) -> Self {
        Self {
            peer: peer.to_owned(),
            method: method.to_owned(),
            url: url.to_owned(),
            request_headers: headers
                .iter()
                .map(|(k, v)| (k.clone(), mask_header(k, v)))
                .collect(),
            request_body: None,
            status: None,
            content_type: None,
            encryption: None,
            response: None,
            response_text: None,
            elapsed_ms: None,
            violations: Vec::new(),
            error: Some(mask_text(error)),
            stub: None,
        }
    }

    /// From a mock's journal entry (police suite); the journal is masked already, masking again
    /// is harmless.
    pub fn from_journal(entry: &Entry) -> Self {
        let mut url = entry.path.clone();
        if !entry.query.is_empty() {
            let q: Vec<String> = entry
                .query
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            url.push('?');
            url.push_str(&q.join("&"));
        }
        Self {
            peer: entry.mock.clone(),
            method: entry.method.clone(),
            url,
            request_headers: entry
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), mask_header(k, v)))
                .collect(),
            request_body: (!entry.body.is_empty()).then(|| mask_text(&entry.body)),
            status: Some(entry.status),
            content_type: None,
            encryption: None,
            response: Some(mask_json(entry.response.value())),
            response_text: None,
            elapsed_ms: None,
            violations: entry
                .violations
                .iter()
                .map(|v| format!("{} (§{}): {}", v.rule, v.section, v.message))
                .collect(),
            error: None,
            stub: entry.stub.clone(),
        }
    }
}

/// Identifies a scenario across cucumber's events and the world: the feature file name and the
/// scenario's line (the example row's line for outlines), as [`super::recorder`] records them.
pub(crate) type ScenarioKey = (String, usize);

/// The key of a scenario as the recorder sees it.
pub(crate) fn scenario_key(
    feature: &cucumber::gherkin::Feature,
    scenario: &cucumber::gherkin::Scenario,
) -> ScenarioKey {
    (
        feature
            .path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        scenario.position.line,
    )
}

/// Transcripts of a run, by scenario; clones share the store.
#[derive(Debug, Clone, Default)]
pub struct TranscriptStore {
    inner: Arc<Mutex<HashMap<ScenarioKey, Vec<TranscriptEntry>>>>,
}

impl TranscriptStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<ScenarioKey, Vec<TranscriptEntry>>> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Appends entries to a scenario's transcript.
    pub fn extend(&self, key: &ScenarioKey, entries: impl IntoIterator<Item = TranscriptEntry>) {
        self.lock().entry(key.clone()).or_default().extend(entries);
    }

    /// Takes a scenario's transcript out of the store.
    pub fn take(&self, key: &ScenarioKey) -> Vec<TranscriptEntry> {
        self.lock().remove(key).unwrap_or_default()
    }
}

impl super::outcome::SuiteOutcome {
    /// Moves each scenario's transcript from `store` into its outcome.
    pub fn attach_transcripts(&mut self, store: &TranscriptStore) {
        for s in &mut self.scenarios {
            s.transcript = store.take(&(s.feature_path.clone(), s.line));
        }
    }
}
