//! Maskinporten messages (digest 6.2, 6.3) and the JWK Set format (RFC 7517) used for the
//! Maskinporten signing keys and the prosecution authority's `finans-jwks.json` (digest 5.5).
//!
//! Plain `String` fields: the harness must be able to mint invalid tokens; validation lives in
//! `crate::trust::maskinporten`.

use serde::{Deserialize, Serialize};

/// The client organisation of an access token (digest 6.2 `consumer`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consumer {
    /// Always `iso6523-actorid-upis`.
    pub authority: String,
    /// `0192:<orgno>`; for the police `0192:915429785`.
    #[serde(rename = "ID")]
    pub id: String,
}

/// The `aud` Maskinporten puts in a token whose grant named no `resource` (Digdir's
/// "audience-restricted tokens" page: "If audience-restriction is not used, then aud will
/// currently contain the value unspecified"; a future Maskinporten leaves `aud` out).
pub const UNRESTRICTED_AUDIENCE: &str = "unspecified";

/// Claims of a Maskinporten access token as a bank receives it (digest 6.2, 6.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessTokenClaims {
    /// The bank's catalogue base URL ([`UNRESTRICTED_AUDIENCE`] for a token minted without
    /// `resource`; empty when the claim is absent — a bank refuses both, digest 6.2).
    #[serde(default)]
    pub aud: String,
    /// Space-separated scopes, e.g. `bits:kontoinformasjon`.
    pub scope: String,
    /// Maskinporten issuer URI.
    pub iss: String,
    /// How the client authenticated, e.g. `virksomhetssertifikat`.
    pub client_amr: String,
    /// `Bearer`.
    pub token_type: String,
    /// Expiry (seconds since the epoch).
    pub exp: i64,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Unique token ID.
    pub jti: String,
    /// The client organisation.
    pub consumer: Consumer,
}

/// Claims of the JWT grant a client sends to Maskinporten (RFC 7523; digest 6.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JwtGrantClaims {
    /// Maskinporten's issuer URI.
    pub aud: String,
    /// Requested scope(s), space separated.
    pub scope: String,
    /// The client ID.
    pub iss: String,
    /// Expiry (seconds since the epoch); `exp − iat` ≤ 120 s.
    pub exp: i64,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Unique grant ID ("recommended" by Maskinporten; empty when absent).
    #[serde(default)]
    pub jti: String,
    /// Audience wanted in the access token (RFC 8707): the bank's catalogue base URL (digest
    /// 6.3). Optional: without it the token is not audience-restricted (what a registry grant
    /// may do, digest 1.2 asks only for the scope).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceIndicator>,
}

/// The `resource` claim of a JWT grant: one URI or an array of URIs (RFC 8707 and Maskinporten
/// accept both shapes; digest 6.3 prints the array).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ResourceIndicator {
    /// `"resource": "https://bank.no/dsop/"`.
    One(String),
    /// `"resource": ["https://bank.no/dsop/"]`.
    Many(Vec<String>),
}

impl ResourceIndicator {
    /// The array form with one URI (what the reference client sends).
    pub fn single(uri: &str) -> Self {
        ResourceIndicator::Many(vec![uri.to_owned()])
    }

    /// Every URI named.
    pub fn values(&self) -> Vec<&str> {
        match self {
            ResourceIndicator::One(one) => vec![one.as_str()],
            ResourceIndicator::Many(many) => many.iter().map(String::as_str).collect(),
        }
    }
}

/// A JWK Set (RFC 7517 §5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Jwks {
    /// The keys.
    pub keys: Vec<Jwk>,
}

/// One RSA public key with its certificate chain, as in the police JWKS example (digest 5.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    /// Key type, `RSA`.
    pub kty: String,
    /// Modulus, base64url.
    pub n: String,
    /// Public exponent, base64url (`AQAB`).
    pub e: String,
    /// Key ID.
    pub kid: String,
    /// Intended use, `sig` (or `enc`).
    #[serde(rename = "use", skip_serializing_if = "Option::is_none", default)]
    pub key_use: Option<String>,
    /// Algorithm, if pinned.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub alg: Option<String>,
    /// Certificate chain, standard base64 DER, leaf first (RFC 7517 §4.7).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub x5c: Option<Vec<String>>,
    /// SHA-256 thumbprint of the leaf certificate's DER, base64url.
    #[serde(rename = "x5t#S256", skip_serializing_if = "Option::is_none", default)]
    pub x5t_s256: Option<String>,
    /// Not before (seconds since the epoch), from the certificate.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub nbf: Option<i64>,
    /// Expiry (seconds since the epoch), from the certificate.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub exp: Option<i64>,
}

impl Jwks {
    /// The key whose `kid` is `kid`, if any.
    pub fn find(&self, kid: &str) -> Option<&Jwk> {
        self.keys.iter().find(|k| k.kid == kid)
    }
}
