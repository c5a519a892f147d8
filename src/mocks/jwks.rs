//! The prosecution authority's published JWKS (digest 5.5), the harness's stand-in for
//! `https://www.politiet.no/.well-known/finans-jwks.json`: `GET /.well-known/finans-jwks.json`
//! serves the trust directory's `prosecution-jwks.json` (RSA keys with `x5c` chains; schema
//! `jwks`). Banks under test fetch the extradition-order signing keys here.

use super::http::{Handled, Handler, MockRequest, MockResponse};
use super::server::{mock_error, refuse_non_get};
use crate::trust::{TrustDir, TrustError};

/// The JWKS path.
pub(crate) const JWKS_PATH: &str = "/.well-known/finans-jwks.json";

/// The mock JWKS server.
#[derive(Debug, Clone)]
pub struct ProsecutionJwksMock {
    jwks: serde_json::Value,
}

impl ProsecutionJwksMock {
    /// Serves the trust directory's prosecution JWKS.
    pub fn new(trust: &TrustDir) -> Result<Self, TrustError> {
        let jwks = trust.prosecution_jwks()?;
        Ok(Self {
            jwks: serde_json::to_value(jwks).unwrap_or_default(),
        })
    }
}

impl Handler for ProsecutionJwksMock {
    fn name(&self) -> String {
        "prosecution-jwks".to_owned()
    }

    fn handle(&self, request: &MockRequest) -> Handled {
        if request.path != JWKS_PATH {
            return Handled::ok(mock_error(
                404,
                "not_found",
                &format!(
                    "no such path {:?}; the JWKS is at {JWKS_PATH}",
                    request.path
                ),
            ));
        }
        if let Some(refused) = refuse_non_get(request) {
            return refused;
        }
        Handled::ok(
            MockResponse::json(200, &self.jwks).with_header("Cache-Control", "max-age=3600"),
        )
    }
}
