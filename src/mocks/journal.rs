//! The request journal: every request any mock received, what it answered, and the rule
//! violations found in the request. It is the evidence the police suite judges by.
//!
//! Secrets are masked on the way in ([`crate::redact`]), so nothing read from a journal can
//! leak a token or an order.

use super::http::{Handled, MockRequest, Payload};
use crate::redact::mask_header;
use crate::rules::Rule;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::sync::{Arc, Mutex, MutexGuard};

/// Bodies longer than this are cut in the journal (the cut is marked).
const BODY_LIMIT: usize = 64 * 1024;

/// A rule a request broke.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The rule.
    pub rule: Rule,
    /// Digest section(s).
    pub section: &'static str,
    /// What exactly was wrong.
    pub message: String,
}

impl Violation {
    /// A violation of `rule`.
    pub fn new(rule: Rule, message: impl Into<String>) -> Self {
        Self {
            rule,
            section: rule.section(),
            message: message.into(),
        }
    }
}

/// One request and its answer.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Order of arrival across all mocks of the ecosystem (0-based).
    pub seq: u64,
    /// When the request arrived.
    pub at: DateTime<Utc>,
    /// Which mock answered, e.g. `registry` or `bank:910000012`.
    pub mock: String,
    /// Method.
    pub method: String,
    /// Path (without query).
    pub path: String,
    /// Query pairs.
    pub query: Vec<(String, String)>,
    /// Headers, secrets masked.
    pub headers: Vec<(String, String)>,
    /// Request body as text (lossy UTF-8, cut at 64 KiB).
    pub body: String,
    /// Response status.
    pub status: u16,
    /// Response payload: the plain JSON behind an encrypted body, or the body as sent (a
    /// JSON string when it is not JSON); parsed when read.
    pub response: Payload,
    /// Rules the request broke.
    pub violations: Vec<Violation>,
    /// Set when a user stub answered (`mocks serve --stubs`): the stub's name. The mock's own
    /// logic did not run, so the answer is not the mock's and no violations were looked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stub: Option<String>,
}

/// A shared, append-only journal; cheap to clone (all clones see the same entries).
#[derive(Debug, Clone, Default)]
pub struct Journal {
    entries: Arc<Mutex<Vec<Entry>>>,
}

impl Journal {
    /// An empty journal.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Entry>> {
        // A panic while holding the lock cannot leave an entry half-written (push is atomic
        // from the reader's view), so a poisoned lock is still consistent.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Records a handler's answer to `request`: status and body as sent, the plaintext
    /// payload, the violations and the stub mark, taken out of `handled` (no deep copy of the
    /// payload: it was a measurable share of a mock bank request, `docs/performance.md`).
    /// Returns the entry's `seq`.
    pub fn record_handled(&self, mock: &str, request: &MockRequest, handled: &mut Handled) -> u64 {
        // Built before taking the lock (masking hashes the secrets), so the lock covers only
        // the sequence number and the push.
        let response = &mut handled.response;
        let entry = Entry {
            seq: 0,
            at: Utc::now(),
            mock: mock.to_owned(),
            method: request.method.clone(),
            path: request.path.clone(),
            query: request.query.clone(),
            headers: request
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), mask_header(k, v)))
                .collect(),
            body: cut(&request.body),
            status: response.status,
            response: response
                .plaintext
                .take()
                .unwrap_or_else(|| Payload::text(cut(&response.body))),
            violations: std::mem::take(&mut handled.violations),
            stub: handled.stub.take(),
        };
        self.push(entry)
    }

    fn push(&self, mut entry: Entry) -> u64 {
        let mut entries = self.lock();
        let seq = entries.len() as u64;
        entry.seq = seq;
        entries.push(entry);
        seq
    }

    /// A copy of every entry so far, in arrival order.
    pub fn entries(&self) -> Vec<Entry> {
        self.lock().clone()
    }

    /// How many requests were recorded.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Every violation with the entry it was found in.
    pub fn violations(&self) -> Vec<(u64, String, Violation)> {
        self.lock()
            .iter()
            .flat_map(|e| {
                e.violations
                    .iter()
                    .map(move |v| (e.seq, e.mock.clone(), v.clone()))
            })
            .collect()
    }

    /// Forgets every entry (between scenarios sharing an ecosystem).
    pub fn clear(&self) {
        self.lock().clear();
    }
}

/// A body as text (lossy UTF-8), cut at [`BODY_LIMIT`] bytes on a character boundary. Only the
/// kept part is converted: a 1.9 MB JWE page costs 64 KiB here, not 1.9 MB.
fn cut(body: &[u8]) -> String {
    if body.len() <= BODY_LIMIT {
        return String::from_utf8_lossy(body).into_owned();
    }
    // Back off over UTF-8 continuation bytes so a character is not split.
    let mut end = BODY_LIMIT;
    while end > BODY_LIMIT - 4 && body.get(end).is_some_and(|b| b & 0xC0 == 0x80) {
        end -= 1;
    }
    format!(
        "{}…[cut: {} bytes in all]",
        String::from_utf8_lossy(&body[..end]),
        body.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_mask_secrets_and_keep_order() {
        let journal = Journal::new();
        let request = MockRequest {
            method: "GET".into(),
            path: "/v2/accounts".into(),
            headers: vec![
                ("authorization".into(), "Bearer abc.def.ghi".into()),
                ("AdditionalReferenceID".into(), "h.p.s".into()),
            ],
            ..MockRequest::default()
        };
        let answer = || {
            Handled::ok(crate::mocks::http::MockResponse::json(
                200,
                &serde_json::json!({"ok": true}),
            ))
        };
        let v = Violation::new(Rule::PoliceHdrRequester, "RequesterID missing");
        assert_eq!(v.section, "4.3");
        let mut refused = Handled {
            violations: vec![v],
            ..answer()
        };
        assert_eq!(journal.record_handled("bank:1", &request, &mut refused), 0);
        assert_eq!(
            journal.record_handled("registry", &request, &mut answer()),
            1
        );
        let entries = journal.entries();
        let text = serde_json::to_string(&entries).expect("serialise");
        assert!(
            !text.contains("abc.def.ghi") && !text.contains("h.p.s"),
            "{text}"
        );
        assert_eq!(journal.violations().len(), 1);
        assert_eq!(entries[1].mock, "registry");
    }

    #[test]
    fn long_bodies_are_cut_on_a_char_boundary() {
        let long = "ø".repeat(BODY_LIMIT);
        let out = cut(long.as_bytes());
        assert!(out.len() < long.len() && out.contains("[cut:"));
        assert!(!out.contains('\u{FFFD}'), "no character split");
        for shift in 0..4 {
            let text = format!("{}{}", "a".repeat(shift), "€".repeat(BODY_LIMIT));
            let out = cut(text.as_bytes());
            assert!(
                !out.contains('\u{FFFD}'),
                "shift {shift}: no character split"
            );
            assert!(out.ends_with(&format!("[cut: {} bytes in all]", text.len())));
        }
        assert_eq!(cut(b"short \xff"), "short \u{FFFD}");
    }
}
