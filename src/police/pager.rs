//! Paging a `Transactions` listing with the next page's request in flight while the caller
//! reads the current one (digest 7.4).
//!
//! The `next` link of a page is inside its encrypted payload, so page N+1 can only be asked
//! for once page N has arrived and been decrypted. A sequential loop then leaves the bank idle
//! while the client validates and reads page N, and the client idle while the bank builds and
//! encrypts page N+1. [`Pager`] fetches and decrypts each page on its own task and reads only
//! the page's `links` there (a skim that builds nothing else); the request for page N+1 goes
//! out at once, while the caller's thread reads page N as JSON, validates it and uses it.
//! The requests themselves stay strictly one after the other, each sent after the previous
//! answer, with the same headers, as digest 7.4 expects of a client that follows `next` links.

use super::driver::{CallError, Driver, Exchange, Fetched, Outgoing, Plaintext};
use super::lookup::resolve_next;
use crate::domain::control::Link;
use std::sync::Arc;
use tokio::task::JoinHandle;

/// A page fetched and decrypted, with its `next` URL when it has one.
type Prepared = (Fetched, Plaintext, Option<String>);

/// Only the `links` of a page: deserialising into this skips every other member without
/// building it.
#[derive(serde::Deserialize)]
struct LinksOnly {
    #[serde(default)]
    links: Vec<Link>,
}

/// The `next` URL of a 200 page, read from its plaintext without building the page; `None`
/// also for a link that leaves the bank's origin ([`resolve_next`]: never followed).
fn skim_next(base: &str, fetched: &Fetched, plaintext: &Plaintext) -> Option<String> {
    let text = plaintext
        .text(fetched)
        .ok()
        .filter(|_| fetched.status == 200)?;
    let page: LinksOnly = serde_json::from_slice(text).ok()?;
    let next = page.links.into_iter().find(|l| l.rel == "next")?;
    resolve_next(base, &next.href).ok()
}

/// Pages a listing with one request ahead. Dropping it aborts the request in flight.
#[derive(Debug)]
pub struct Pager {
    driver: Arc<Driver>,
    base: String,
    headers: Vec<(String, String)>,
    pending: Option<JoinHandle<Result<Prepared, CallError>>>,
    /// Pages requested so far; none past the driver's `max_pages`.
    requested: usize,
}

impl Pager {
    /// Starts paging at `first_url` (sent at once) with `headers` on every request; relative
    /// `next` links are joined to `base`. Needs a tokio runtime.
    pub fn start(
        driver: Arc<Driver>,
        base: &str,
        first_url: &str,
        headers: Vec<(String, String)>,
    ) -> Self {
        let mut pager = Self {
            driver,
            base: base.to_owned(),
            headers,
            pending: None,
            requested: 0,
        };
        pager.request(first_url.to_owned());
        pager
    }

    fn request(&mut self, url: String) {
        if self.requested >= self.driver.config().max_pages {
            return;
        }
        self.requested += 1;
        let driver = Arc::clone(&self.driver);
        let base = self.base.clone();
        let outgoing = Outgoing::get(&url, &[], self.headers.clone());
        self.pending = Some(tokio::spawn(async move {
            let fetched = driver.fetch_with_retry(outgoing).await?;
            let plaintext = driver.decrypt(&fetched);
            let next = skim_next(&base, &fetched, &plaintext);
            Ok((fetched, plaintext, next))
        }));
    }

    /// The next page's exchange (decrypted and read as JSON), or `None` after the last page.
    /// A page that is not a 200 with a JSON payload, has no `next` link, or whose link leaves
    /// the bank's origin ends the paging after it is returned; so does the driver's
    /// `max_pages`-th page.
    pub async fn next_page(&mut self) -> Option<Result<Exchange, CallError>> {
        let pending = self.pending.take()?;
        let prepared = match pending.await {
            Ok(result) => result,
            Err(e) => Err(CallError::Connection {
                url: self.base.clone(),
                reason: format!("the paging task ended without an answer: {e}"),
            }),
        };
        Some(prepared.map(|(fetched, plaintext, next)| {
            if let Some(url) = next {
                self.request(url);
            }
            self.driver.read(fetched, plaintext)
        }))
    }
}

impl Drop for Pager {
    fn drop(&mut self) {
        if let Some(pending) = self.pending.take() {
            pending.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(status: u16, text: &serde_json::Value) -> (Fetched, Plaintext) {
        let fetched = Fetched {
            request: Outgoing::get("http://b/x", &[], Vec::new()),
            status,
            content_type: Some("application/jose".into()),
            headers: Vec::new(),
            body: Vec::new(),
            elapsed: std::time::Duration::ZERO,
            attempt: 1,
        };
        let plaintext = Plaintext {
            decrypted: Some(Ok(text.to_string().into_bytes())),
            jwe: None,
            media: None,
        };
        (fetched, plaintext)
    }

    #[test]
    fn next_links_are_skimmed_and_joined() {
        let two = serde_json::json!({
            "responseDetails": {"status": "complete"},
            "transactions": [{"amount": 1}],
            "links": [
                {"rel": "self", "href": "/v2/accounts/a/transactions?page=0"},
                {"rel": "next", "href": "/v2/accounts/a/transactions?page=1"},
            ]
        });
        let (f, p) = page(200, &two);
        assert_eq!(
            skim_next("http://127.0.0.1:9/bank/", &f, &p).as_deref(),
            Some("http://127.0.0.1:9/bank/v2/accounts/a/transactions?page=1")
        );
        // An absolute link is followed on the bank's own origin only.
        let absolute =
            serde_json::json!({"links": [{"rel": "next", "href": "https://b.no/x?p=2"}]});
        let (f, p) = page(200, &absolute);
        assert_eq!(
            skim_next("https://b.no/v2", &f, &p).as_deref(),
            Some("https://b.no/x?p=2")
        );
        assert_eq!(skim_next("http://127.0.0.1:9/v2", &f, &p), None);
        // The last page, a page without links, an error answer, a JWE that did not decrypt.
        let last = serde_json::json!({"links": [{"rel": "self", "href": "/x"}]});
        let (f, p) = page(200, &last);
        assert_eq!(skim_next("http://b", &f, &p), None);
        let (f, p) = page(200, &serde_json::json!({}));
        assert_eq!(skim_next("http://b", &f, &p), None);
        let (f, p) = page(500, &two);
        assert_eq!(skim_next("http://b", &f, &p), None);
        let (f, mut p) = page(200, &two);
        p.decrypted = Some(Err("no".into()));
        assert_eq!(skim_next("http://b", &f, &p), None);
        // A plain JSON body (test mode) is skimmed as it is.
        let (mut f, mut p) = page(200, &serde_json::json!({}));
        f.body = two.to_string().into_bytes();
        p.decrypted = None;
        assert_eq!(
            skim_next("http://b", &f, &p).as_deref(),
            Some("http://b/v2/accounts/a/transactions?page=1")
        );
    }
}
