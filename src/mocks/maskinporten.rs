//! Mock Maskinporten (digest 6): the OAuth 2.0 authorisation server the police get access
//! tokens from, with RFC 7523 JWT grants.
//!
//! Endpoints (relative to the mock's origin):
//!
//! * `GET /.well-known/oauth-authorization-server` — metadata: `issuer` (the trust directory's
//!   Maskinporten issuer, i.e. the *test* Maskinporten identifier banks are configured with),
//!   `token_endpoint` and `jwks_uri` (this mock's URLs).
//! * `GET /jwk` — the JWKS banks verify access tokens with (`maskinporten-jwks.json`).
//! * `POST /token` — form-encoded `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`
//!   and `assertion=<JWT grant>`. The grant is validated with the trust module's
//!   [`GrantValidator`] (police client certificate, `aud` = issuer, lifetime ≤ 120 s, clock),
//!   then here: every requested scope is one the police may have (digest 6.1), at most one
//!   `resource` — a string or a one-element array (RFC 8707) — known to the ecosystem when the
//!   ecosystem has registered its resources (it becomes the token's `aud`, digest 6.3), and the
//!   grant (its `jti`, or the grant itself without one) not seen before. A grant without `resource` gets a token that is not
//!   audience-restricted, `aud` = [`UNRESTRICTED_AUDIENCE`] as Maskinporten does: the registry
//!   accepts it (digest 1.2 asks only for the scope), a bank refuses it (digest 6.2 `aud`).
//!
//! Answers: 200 `{access_token, token_type, expires_in, scope}` (schema
//! `maskinporten-token-response`); every refusal 400 (405 for a wrong method, 404 for an unknown
//! path) with an RFC 6749 §5.2 body `{error, error_description}` (schema `oauth-error`).
//! Refusals are journalled as police violations: `POLICE-TOKEN-GRANT`, `POLICE-TOKEN-SCOPE`
//! for scopes, `POLICE-TOKEN-AUDIENCE` for resources.

use super::ecosystem::Clock;
use super::http::{Handled, Handler, MockRequest, MockResponse};
use super::journal::Violation;
use super::server::parse_urlencoded;
use crate::domain::request::{
    SCOPE_KONTOINFORMASJON, SCOPE_KUNDEFORHOLD, SCOPE_KUNDEFORHOLD_KONTO,
};
use crate::domain::token::UNRESTRICTED_AUDIENCE;
use crate::rules::Rule;
use crate::trust::maskinporten::{GrantValidator, TokenMinter, ACCESS_TOKEN_LIFETIME, CLOCK_SKEW};
use crate::trust::{Artifact, TrustDir, TrustError};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

/// Authorisation-server metadata path (RFC 8414; digest 6.2).
pub(crate) const METADATA_PATH: &str = "/.well-known/oauth-authorization-server";
/// JWKS path (as Maskinporten publishes it).
pub(crate) const JWKS_PATH: &str = "/jwk";
/// Token endpoint path.
pub(crate) const TOKEN_PATH: &str = "/token";
/// The RFC 7523 grant type.
pub const JWT_BEARER_GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// Scopes the police client may be granted (digest 6.1).
pub(crate) const POLICE_SCOPES: [&str; 3] = [
    SCOPE_KONTOINFORMASJON,
    SCOPE_KUNDEFORHOLD,
    SCOPE_KUNDEFORHOLD_KONTO,
];

/// The resources (token audiences) the ecosystem serves: the registry's and every bank's base
/// URL. Shared, filled once the servers are up; while empty, any `http(s)` URL is accepted.
#[derive(Debug, Clone, Default)]
pub struct KnownResources(Arc<RwLock<BTreeSet<String>>>);

impl KnownResources {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a resource.
    pub fn add(&self, resource: &str) {
        self.0
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(resource.to_owned());
    }

    /// Whether `resource` may be asked for.
    pub fn allows(&self, resource: &str) -> bool {
        let set = self.0.read().unwrap_or_else(PoisonError::into_inner);
        if set.is_empty() {
            resource.starts_with("http://") || resource.starts_with("https://")
        } else {
            set.contains(resource)
        }
    }
}

/// The mock Maskinporten.
pub struct MaskinportenMock {
    base_url: String,
    issuer: String,
    minter: TokenMinter,
    grants: GrantValidator,
    jwks: Value,
    resources: KnownResources,
    /// Grant `jti`s seen, with the grant's `exp` (pruned once expired).
    seen: Mutex<HashMap<String, i64>>,
    clock: Clock,
}

impl std::fmt::Debug for MaskinportenMock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MaskinportenMock")
            .field("base_url", &self.base_url)
            .field("issuer", &self.issuer)
            .finish()
    }
}

impl MaskinportenMock {
    /// A Maskinporten at `base_url` (the origin, no trailing slash) signing with the trust
    /// directory's Maskinporten key and accepting the police client's grants.
    pub fn new(
        trust: &TrustDir,
        base_url: &str,
        resources: KnownResources,
        clock: Clock,
    ) -> Result<Self, TrustError> {
        let jwks = trust.jwks(Artifact::MaskinportenJwks)?;
        Ok(Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            issuer: trust.manifest().maskinporten_issuer.clone(),
            minter: TokenMinter::from_trust_dir(trust)?,
            grants: GrantValidator::from_trust_dir(trust)?,
            jwks: serde_json::to_value(jwks).unwrap_or(Value::Null),
            resources,
            seen: Mutex::new(HashMap::new()),
            clock,
        })
    }

    /// The metadata document (RFC 8414).
    pub fn metadata(&self) -> Value {
        json!({
            "issuer": self.issuer,
            "token_endpoint": format!("{}{TOKEN_PATH}", self.base_url),
            "jwks_uri": format!("{}{JWKS_PATH}", self.base_url),
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "grant_types_supported": [JWT_BEARER_GRANT],
            "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
        })
    }

    fn token(&self, request: &MockRequest) -> Handled {
        let content_type = request.header("Content-Type").unwrap_or_default();
        if !content_type
            .to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
        {
            return refuse(
                400,
                "invalid_request",
                &format!(
                    "the token request must be application/x-www-form-urlencoded, not {content_type:?}"
                ),
                Rule::PoliceTokenGrant,
            );
        }
        let form = parse_urlencoded(&String::from_utf8_lossy(&request.body));
        let field = |name: &str| {
            form.iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        match field("grant_type") {
            Some(JWT_BEARER_GRANT) => {}
            other => {
                return refuse(
                    400,
                    "unsupported_grant_type",
                    &format!("grant_type must be {JWT_BEARER_GRANT}, got {other:?}"),
                    Rule::PoliceTokenGrant,
                )
            }
        }
        let Some(assertion) = field("assertion").filter(|a| !a.is_empty()) else {
            return refuse(
                400,
                "invalid_request",
                "the assertion parameter (the JWT grant) is missing",
                Rule::PoliceTokenGrant,
            );
        };
        let now = self.clock.now().timestamp();
        let claims = match self.grants.validate(assertion, now) {
            Ok(claims) => claims,
            Err(error) => {
                return refuse(
                    400,
                    error.oauth_error(),
                    &error.to_string(),
                    Rule::PoliceTokenGrant,
                )
            }
        };
        let scopes: Vec<&str> = claims.scope.split(' ').filter(|s| !s.is_empty()).collect();
        if let Some(bad) = scopes.iter().find(|s| !POLICE_SCOPES.contains(s)) {
            return refuse(
                400,
                "invalid_scope",
                &format!(
                    "scope {bad:?} is not granted to the police client (allowed: {})",
                    POLICE_SCOPES.join(", ")
                ),
                Rule::PoliceTokenScope,
            );
        }
        let resources = claims
            .resource
            .as_ref()
            .map(|r| r.values())
            .unwrap_or_default();
        let resource = match resources.as_slice() {
            [] => UNRESTRICTED_AUDIENCE,
            [one] => *one,
            more => {
                return refuse(
                    400,
                    "invalid_target",
                    &format!(
                        "the grant may name at most one resource (the API's base URL), it names {}",
                        more.len()
                    ),
                    Rule::PoliceTokenAudience,
                )
            }
        };
        if !resources.is_empty() && !self.resources.allows(resource) {
            return refuse(
                400,
                "invalid_target",
                &format!(
                    "resource {resource:?} is not an API of this ecosystem (use the base URL \
                     from Felles datakatalog or the registry URL exactly)"
                ),
                Rule::PoliceTokenAudience,
            );
        }
        {
            let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
            seen.retain(|_, exp| exp.saturating_add(CLOCK_SKEW) >= now);
            // Single use: by `jti`, or by the grant itself when it has none (jti is only
            // "recommended" by Maskinporten).
            let key = if claims.jti.is_empty() {
                format!("grant:{assertion}")
            } else {
                claims.jti.clone()
            };
            if seen.contains_key(&key) {
                return refuse(
                    400,
                    "invalid_grant",
                    &format!(
                        "the grant (jti {:?}) was already used (a grant is single-use)",
                        claims.jti
                    ),
                    Rule::PoliceTokenGrant,
                );
            }
            seen.insert(key, claims.exp);
        }
        let scope = scopes.join(" ");
        match self.minter.mint(resource, &scope, now, &[]) {
            Ok(token) => Handled::ok(
                MockResponse::json(
                    200,
                    &json!({
                        "access_token": token,
                        "token_type": "Bearer",
                        "expires_in": ACCESS_TOKEN_LIFETIME,
                        "scope": scope,
                    }),
                )
                .with_header("Cache-Control", "no-store"),
            ),
            Err(error) => Handled::ok(oauth_error(500, "server_error", &error.to_string())),
        }
    }
}

impl Handler for MaskinportenMock {
    fn name(&self) -> String {
        "maskinporten".to_owned()
    }

    fn handle(&self, request: &MockRequest) -> Handled {
        let expected_method = match request.path.as_str() {
            METADATA_PATH | JWKS_PATH => "GET",
            TOKEN_PATH => "POST",
            other => {
                return Handled::ok(oauth_error(
                    404,
                    "invalid_request",
                    &format!("no such endpoint {other:?} at Maskinporten"),
                ))
            }
        };
        if request.method != expected_method {
            return Handled::ok(
                oauth_error(
                    405,
                    "invalid_request",
                    &format!(
                        "{} {} is not allowed; use {expected_method}",
                        request.method, request.path
                    ),
                )
                .with_header("Allow", expected_method),
            );
        }
        match request.path.as_str() {
            METADATA_PATH => Handled::ok(MockResponse::json(200, &self.metadata())),
            JWKS_PATH => Handled::ok(MockResponse::json(200, &self.jwks)),
            _ => self.token(request),
        }
    }
}

/// An RFC 6749 §5.2 error body.
pub(crate) fn oauth_error(status: u16, error: &str, description: &str) -> MockResponse {
    MockResponse::json(
        status,
        &json!({"error": error, "error_description": description}),
    )
    .with_header("Cache-Control", "no-store")
}

fn refuse(status: u16, error: &str, description: &str, rule: Rule) -> Handled {
    Handled {
        violations: vec![Violation::new(rule, description)],
        ..Handled::ok(oauth_error(status, error, description))
    }
}
