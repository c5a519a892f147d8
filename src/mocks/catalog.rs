//! Mock Felles datakatalog (Digdir's common API catalogue): maps a bank's organisation number
//! to the base URL of its Control API (digest 1.1, 1.2 step 1.3, 9 row 2).
//!
//! The real catalogue API is not part of our sources; the shape here is our assumption,
//! documented in `docs/datakatalog-api.md`:
//!
//! * `GET /datakatalog/v1/endpoints` → 200, a JSON array of every entry;
//! * `GET /datakatalog/v1/endpoints/{orgNo}` → 200, one entry, or 404;
//!
//! with entries `{orgNo, name, url, version, env}` (schemas `datakatalog-endpoints`,
//! `datakatalog-entry`). Errors use the harness's `{error, message}` body (schema
//! `mock-error`). The police must take bank base URLs from here (`POLICE-CATALOG`); the suite
//! judges that from the journal.

use super::http::{Handled, Handler, MockRequest, MockResponse};
use super::server::{mock_error, refuse_non_get};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, PoisonError, RwLock};

/// Path of the list; one entry is at `{ENDPOINTS_PATH}/{orgNo}`.
pub(crate) const ENDPOINTS_PATH: &str = "/datakatalog/v1/endpoints";
/// The Control API version every mock bank serves (digest 0.2: V.2.0 minimum).
pub(crate) const CONTROL_API_VERSION: &str = "2.0";

/// One catalogue entry (digest 9 row 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogEntry {
    /// The bank's organisation number.
    pub org_no: String,
    /// The bank's name.
    pub name: String,
    /// Base URL of its Control API: what the token's `aud` must equal (digest 6.2).
    pub url: String,
    /// Control API version, e.g. `2.0`.
    pub version: String,
    /// Environment, `test` (the harness never serves production).
    pub env: String,
}

/// The catalogue's contents, shared between the ecosystem (which registers banks once their
/// servers are up) and the handler.
#[derive(Debug, Clone, Default)]
pub struct Catalog(Arc<RwLock<Vec<CatalogEntry>>>);

impl Catalog {
    /// An empty catalogue.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces the entry of `entry.org_no`.
    pub fn register(&self, entry: CatalogEntry) {
        let mut entries = self.0.write().unwrap_or_else(PoisonError::into_inner);
        entries.retain(|e| e.org_no != entry.org_no);
        entries.push(entry);
    }

    /// Every entry, in registration order.
    pub fn entries(&self) -> Vec<CatalogEntry> {
        self.0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The entry of `org_no`.
    pub fn find(&self, org_no: &str) -> Option<CatalogEntry> {
        self.0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .find(|e| e.org_no == org_no)
            .cloned()
    }
}

/// The mock datakatalog.
#[derive(Debug, Clone)]
pub struct CatalogMock {
    catalog: Catalog,
}

impl CatalogMock {
    /// Serves `catalog`.
    pub fn new(catalog: Catalog) -> Self {
        Self { catalog }
    }
}

impl Handler for CatalogMock {
    fn name(&self) -> String {
        "datakatalog".to_owned()
    }

    fn handle(&self, request: &MockRequest) -> Handled {
        let Some(rest) = request.path.strip_prefix(ENDPOINTS_PATH) else {
            return Handled::ok(mock_error(
                404,
                "not_found",
                &format!(
                    "no such path {:?}; the catalogue serves {ENDPOINTS_PATH}",
                    request.path
                ),
            ));
        };
        if let Some(refused) = refuse_non_get(request) {
            return refused;
        }
        let to_json = |value: serde_json::Result<serde_json::Value>| value.unwrap_or_default();
        match rest.trim_end_matches('/') {
            "" => Handled::ok(MockResponse::json(
                200,
                &to_json(serde_json::to_value(self.catalog.entries())),
            )),
            org => {
                let org = org.trim_start_matches('/');
                match self.catalog.find(org) {
                    Some(entry) => Handled::ok(MockResponse::json(
                        200,
                        &to_json(serde_json::to_value(entry)),
                    )),
                    None => Handled::ok(mock_error(
                        404,
                        "not_found",
                        &format!("no Control API is registered for organisation {org:?}"),
                    )),
                }
            }
        }
    }
}
