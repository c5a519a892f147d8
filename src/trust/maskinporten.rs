//! Maskinporten (digest 6): minting access tokens as the mock Maskinporten does, validating
//! them as a bank must (digest 6.2), and creating/validating the RFC 7523 JWT grant a police
//! client sends to Maskinporten (digest 6.3).
//!
//! HTTP mapping decision ([`TokenError::http`]): anything that makes the token unusable as
//! proof of *who* is calling (malformed, bad signature, unknown key, wrong issuer, wrong
//! audience, expired, not yet valid, missing claim) → 401 `ACC-010`; a valid token of the
//! wrong client organisation (`consumer`) or without the endpoint's scope → 403 `ACC-011`
//! (authenticated, but not authorised for the service).

use crate::domain::enums::named_enum;
use crate::domain::token::{
    AccessTokenClaims, Consumer, Jwks, JwtGrantClaims, ResourceIndicator, UNRESTRICTED_AUDIENCE,
};
use crate::trust::dir::POLICE_CONSUMER_ID;
use crate::trust::pki::{cert_facts, RsaKey};
use crate::trust::{Artifact, TrustDir, TrustError};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use josekit::jws::{JwsSigner, JwsVerifier};
use serde_json::{json, Map, Value};

/// Scope of the five Control API endpoints (digest 6.1).
pub const CONTROL_API_SCOPE: &str = "bits:kontoinformasjon";
/// Access-token lifetime minted by the harness (digest 6.2: 120 s).
pub(crate) const ACCESS_TOKEN_LIFETIME: i64 = 120;
/// Maximum JWT-grant lifetime `exp − iat` (digest 6.3).
pub(crate) const GRANT_MAX_LIFETIME: i64 = 120;
/// Clock skew tolerated on `exp`/`iat`.
pub(crate) const CLOCK_SKEW: i64 = 10;

/// Why an access token was rejected (or could not be minted).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not a three-segment JWS with JSON header and claims.
    #[error("access token is not a JWT: {reason}")]
    Malformed {
        /// What is wrong.
        reason: String,
    },
    /// `alg` is not RS256.
    #[error("access token alg {alg:?} is not RS256")]
    UnsupportedAlg {
        /// The alg.
        alg: String,
    },
    /// No key with this `kid` in the Maskinporten JWKS.
    #[error("no Maskinporten key with kid {kid:?}")]
    UnknownKid {
        /// The kid (empty if absent).
        kid: String,
    },
    /// Signature does not verify.
    #[error("access token signature does not verify")]
    BadSignature,
    /// A claim is missing or has the wrong type.
    #[error("access token claim {claim:?} is missing or has the wrong type")]
    MissingClaim {
        /// Claim name.
        claim: String,
    },
    /// `iss` is not the configured Maskinporten issuer.
    #[error("access token iss {iss:?} is not {expected:?}")]
    WrongIssuer {
        /// Found.
        iss: String,
        /// Expected.
        expected: String,
    },
    /// `aud` is not this bank's base URL.
    #[error("access token aud {aud:?} is not this bank's base URL {expected:?}")]
    WrongAudience {
        /// Found.
        aud: String,
        /// Expected.
        expected: String,
    },
    /// `exp` has passed.
    #[error("access token expired at {exp} (now {now})")]
    Expired {
        /// exp.
        exp: i64,
        /// now.
        now: i64,
    },
    /// `iat` is in the future.
    #[error("access token issued in the future at {iat} (now {now})")]
    IssuedInFuture {
        /// iat.
        iat: i64,
        /// now.
        now: i64,
    },
    /// `scope` lacks the endpoint's scope.
    #[error("access token scope {scope:?} does not contain {required:?}")]
    MissingScope {
        /// Found.
        scope: String,
        /// Required.
        required: String,
    },
    /// `consumer.ID` is not the police.
    #[error("access token consumer {consumer:?} is not {expected:?}")]
    WrongConsumer {
        /// Found.
        consumer: String,
        /// Expected.
        expected: String,
    },
    /// The header's `crit` is refused (RFC 7515 §4.1.11: an extension not understood MUST be
    /// rejected).
    #[error("access token header refused: {reason}")]
    Crit {
        /// Which part of the rule is broken.
        reason: String,
    },
    /// Minting failed.
    #[error("could not mint token: {reason}")]
    Mint {
        /// Why.
        reason: String,
    },
}

impl TokenError {
    /// Stable rule name.
    pub fn rule(&self) -> &'static str {
        match self {
            TokenError::Malformed { .. } => "malformed",
            TokenError::UnsupportedAlg { .. } => "alg",
            TokenError::UnknownKid { .. } => "unknown-kid",
            TokenError::BadSignature => "signature",
            TokenError::MissingClaim { .. } => "missing-claim",
            TokenError::WrongIssuer { .. } => "issuer",
            TokenError::WrongAudience { .. } => "audience",
            TokenError::Expired { .. } => "expired",
            TokenError::IssuedInFuture { .. } => "issued-in-future",
            TokenError::MissingScope { .. } => "scope",
            TokenError::WrongConsumer { .. } => "consumer",
            TokenError::Crit { .. } => "crit",
            TokenError::Mint { .. } => "mint",
        }
    }

    /// HTTP status and ACC code a bank should answer (see the module doc).
    pub fn http(&self) -> (u16, &'static str) {
        match self {
            TokenError::MissingScope { .. } | TokenError::WrongConsumer { .. } => (403, "ACC-011"),
            _ => (401, "ACC-010"),
        }
    }
}

named_enum! {
    "kebab-case",
    /// Named ways to mint an invalid access token.
    TokenBreak {
        /// exp 1 minute ago.
        Expired,
        /// iat 5 minutes ahead.
        IssuedInFuture,
        /// Claims altered after signing.
        BadSignature,
        /// Maskinporten kid, but another key signed.
        SignedByOtherKey,
        /// kid not in the JWKS.
        UnknownKid,
        /// alg none, empty signature.
        AlgNone,
        /// iss of another authorisation server.
        UnknownIssuer,
        /// aud of another bank.
        WrongAudience,
        /// scope of another service (bits:kontoinformasjon.oed).
        WrongScope,
        /// consumer NAV (0192:889640782).
        WrongConsumer,
        /// No aud.
        MissingAud,
        /// No scope.
        MissingScope,
        /// No iss.
        MissingIss,
        /// No exp.
        MissingExp,
        /// No iat.
        MissingIat,
        /// No consumer.
        MissingConsumer,
        /// Not a JWT.
        Malformed,
        /// Header crit names an extension nobody understands (RFC 7515 §4.1.11).
        UnknownCrit,
    }
}

named_enum! {
    "kebab-case",
    /// Named ways to create an invalid JWT grant.
    GrantBreak {
        /// exp − iat = 121 s.
        LifetimeTooLong,
        /// exp in the past.
        Expired,
        /// aud is not the Maskinporten issuer.
        WrongAudience,
        /// No resource (a valid grant: the token is not audience-restricted; a bank refuses it).
        MissingResource,
        /// No jti (valid: Maskinporten only recommends it).
        MissingJti,
        /// No scope.
        MissingScope,
        /// Claims altered after signing.
        BadSignature,
        /// iss is not a registered client.
        UnknownClient,
        /// x5c carries a certificate not registered for the client.
        ForeignCertificate,
        /// Neither x5c nor kid in the header.
        NoKeyReference,
        /// PS256 instead of RS256.
        WrongAlg,
        /// Header crit names an extension nobody understands (RFC 7515 §4.1.11).
        UnknownCrit,
    }
}

/// The critical header extension the `unknown-crit` breaks declare (no verifier knows it).
pub(crate) const UNKNOWN_CRIT: &str = "urn:dsop-harness:unknown-critical-extension";

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn rs256_sign(
    key: &RsaKey,
    header: &Map<String, Value>,
    claims: &Map<String, Value>,
) -> Result<(String, String, String), String> {
    let h = b64(&serde_json::to_vec(header).map_err(|e| e.to_string())?);
    let c = b64(&serde_json::to_vec(claims).map_err(|e| e.to_string())?);
    let alg = header.get("alg").and_then(Value::as_str).unwrap_or("RS256");
    let input = format!("{h}.{c}");
    let sig = match alg {
        "none" => Vec::new(),
        "PS256" => josekit::jws::PS256
            .signer_from_der(key.pkcs8_der())
            .and_then(|s| s.sign(input.as_bytes()))
            .map_err(|e| e.to_string())?,
        _ => josekit::jws::RS256
            .signer_from_der(key.pkcs8_der())
            .and_then(|s| s.sign(input.as_bytes()))
            .map_err(|e| e.to_string())?,
    };
    Ok((h, c, b64(&sig)))
}

type Jwt = (Map<String, Value>, Map<String, Value>, String, Vec<u8>);

fn parse_jwt(token: &str) -> Result<Jwt, String> {
    let parts: Vec<&str> = token.trim().split('.').collect();
    if parts.len() != 3 {
        return Err(format!("{} segments, expected 3", parts.len()));
    }
    let json = |i: usize| -> Result<Map<String, Value>, String> {
        let raw = URL_SAFE_NO_PAD
            .decode(parts[i])
            .map_err(|e| e.to_string())?;
        match serde_json::from_slice(&raw) {
            Ok(Value::Object(m)) => Ok(m),
            _ => Err("segment is not a JSON object".to_owned()),
        }
    };
    let sig = URL_SAFE_NO_PAD
        .decode(parts[2])
        .map_err(|e| e.to_string())?;
    Ok((
        json(0)?,
        json(1)?,
        format!("{}.{}", parts[0], parts[1]),
        sig,
    ))
}

fn verify_rs256_spki(spki: &[u8], input: &[u8], sig: &[u8]) -> bool {
    verify_rsa_spki("RS256", spki, input, sig)
}

/// JWS algorithms Maskinporten accepts for a JWT grant.
pub(crate) const GRANT_ALGS: [&str; 3] = ["RS256", "RS384", "RS512"];

fn verify_rsa_spki(alg: &str, spki: &[u8], input: &[u8], sig: &[u8]) -> bool {
    let verifier = match alg {
        "RS256" => josekit::jws::RS256.verifier_from_der(spki),
        "RS384" => josekit::jws::RS384.verifier_from_der(spki),
        "RS512" => josekit::jws::RS512.verifier_from_der(spki),
        _ => return false,
    };
    verifier.and_then(|v| v.verify(input, sig)).is_ok()
}

/// The mock Maskinporten's token signer.
#[derive(Debug, Clone)]
pub struct TokenMinter {
    key: RsaKey,
    other_key: RsaKey,
    kid: String,
    issuer: String,
    consumer_id: String,
}

impl TokenMinter {
    /// The minter of the trust directory (key `private/maskinporten-key.pem`, kid from
    /// `maskinporten-jwks.json`, issuer and consumer from `trust.json`).
    pub fn from_trust_dir(trust: &TrustDir) -> Result<Self, TrustError> {
        let jwks = trust.jwks(Artifact::MaskinportenJwks)?;
        let kid = jwks.keys.first().map(|k| k.kid.clone()).unwrap_or_default();
        Ok(Self {
            key: trust.key(Artifact::MaskinportenKey)?,
            other_key: trust.key(Artifact::PoliceClientKey)?,
            kid,
            issuer: trust.manifest().maskinporten_issuer.clone(),
            consumer_id: trust.manifest().consumer_id.clone(),
        })
    }

    /// The claims of a valid token for `audience`/`scope` issued at `now`.
    pub fn claims(&self, audience: &str, scope: &str, now: i64) -> AccessTokenClaims {
        AccessTokenClaims {
            aud: audience.to_owned(),
            scope: scope.to_owned(),
            iss: self.issuer.clone(),
            client_amr: "virksomhetssertifikat".to_owned(),
            token_type: "Bearer".to_owned(),
            exp: now + ACCESS_TOKEN_LIFETIME,
            iat: now,
            jti: uuid::Uuid::new_v4().to_string(),
            consumer: Consumer {
                authority: "iso6523-actorid-upis".to_owned(),
                id: self.consumer_id.clone(),
            },
        }
    }

    /// Mints an RS256 access token (header `alg`, `typ`, `kid`), applying `breaks`.
    pub fn mint(
        &self,
        audience: &str,
        scope: &str,
        now: i64,
        breaks: &[TokenBreak],
    ) -> Result<String, TokenError> {
        let mint_err = |reason: String| TokenError::Mint { reason };
        let claims = serde_json::to_value(self.claims(audience, scope, now))
            .map_err(|e| mint_err(e.to_string()))?;
        let mut claims = claims.as_object().cloned().unwrap_or_default();
        let mut header = Map::new();
        header.insert("alg".to_owned(), json!("RS256"));
        header.insert("typ".to_owned(), json!("at+jwt"));
        header.insert("kid".to_owned(), json!(self.kid));
        let mut key = &self.key;
        for b in breaks {
            match b {
                TokenBreak::Expired => {
                    claims.insert("iat".into(), json!(now - 180));
                    claims.insert("exp".into(), json!(now - 60));
                }
                TokenBreak::IssuedInFuture => {
                    claims.insert("iat".into(), json!(now + 300));
                    claims.insert("exp".into(), json!(now + 420));
                }
                TokenBreak::SignedByOtherKey => key = &self.other_key,
                TokenBreak::UnknownKid => {
                    header.insert("kid".into(), json!("unknown-key-id"));
                }
                TokenBreak::AlgNone => {
                    header.insert("alg".into(), json!("none"));
                }
                TokenBreak::UnknownIssuer => {
                    claims.insert("iss".into(), json!("https://maskinporten.example.org/"));
                }
                TokenBreak::WrongAudience => {
                    claims.insert("aud".into(), json!("https://other-bank.example.org/dsop/"));
                }
                TokenBreak::WrongScope => {
                    claims.insert("scope".into(), json!("bits:kontoinformasjon.oed"));
                }
                TokenBreak::WrongConsumer => {
                    claims.insert(
                        "consumer".into(),
                        json!({"authority": "iso6523-actorid-upis", "ID": "0192:889640782"}),
                    );
                }
                TokenBreak::MissingAud => drop(claims.remove("aud")),
                TokenBreak::UnknownCrit => {
                    header.insert("crit".into(), json!([UNKNOWN_CRIT]));
                    header.insert(UNKNOWN_CRIT.into(), json!(true));
                }
                TokenBreak::MissingScope => drop(claims.remove("scope")),
                TokenBreak::MissingIss => drop(claims.remove("iss")),
                TokenBreak::MissingExp => drop(claims.remove("exp")),
                TokenBreak::MissingIat => drop(claims.remove("iat")),
                TokenBreak::MissingConsumer => drop(claims.remove("consumer")),
                TokenBreak::BadSignature | TokenBreak::Malformed => {}
            }
        }
        let (h, mut c, s) = rs256_sign(key, &header, &claims).map_err(mint_err)?;
        if breaks.contains(&TokenBreak::BadSignature) {
            claims.insert("scope".into(), json!(format!("{scope} bits:kundeforhold")));
            c = b64(&serde_json::to_vec(&claims).map_err(|e| mint_err(e.to_string()))?);
        }
        if breaks.contains(&TokenBreak::Malformed) {
            return Ok(format!("{h}.{c}"));
        }
        Ok(format!("{h}.{c}.{s}"))
    }
}

/// A bank's access-token validation (digest 6.2).
#[derive(Debug, Clone)]
pub struct AccessTokenValidator {
    jwks: Jwks,
    issuer: String,
    audience: String,
    consumer_id: String,
    /// Also accept a token that is not audience-restricted (see [`Self::accepting_unrestricted`]).
    unrestricted_ok: bool,
}

impl AccessTokenValidator {
    /// Validator for a bank whose catalogue base URL is `audience`.
    pub fn new(jwks: Jwks, issuer: &str, audience: &str, consumer_id: &str) -> Self {
        Self {
            jwks,
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            consumer_id: consumer_id.to_owned(),
            unrestricted_ok: false,
        }
    }

    /// The same validator, also accepting a token minted from a grant without `resource`: `aud`
    /// [`UNRESTRICTED_AUDIENCE`] (Maskinporten today) or no `aud` at all (Maskinporten later).
    /// For the registry: digest 1.2 asks the police only for "a Maskinporten token for the
    /// registry (scope `bits:kundeforhold`)", and only the bank's `aud` rule is documented
    /// (digest 6.2). A token for another audience is still refused.
    pub fn accepting_unrestricted(mut self) -> Self {
        self.unrestricted_ok = true;
        self
    }

    /// Validator configured from the trust directory, for the bank at `audience`.
    pub fn from_trust_dir(trust: &TrustDir, audience: &str) -> Result<Self, TrustError> {
        Ok(Self::new(
            trust.jwks(Artifact::MaskinportenJwks)?,
            &trust.manifest().maskinporten_issuer,
            audience,
            POLICE_CONSUMER_ID,
        ))
    }

    /// Validates `token` for an endpoint requiring `required_scope`, at `now` (± `CLOCK_SKEW`).
    pub fn validate(
        &self,
        token: &str,
        required_scope: &str,
        now: i64,
    ) -> Result<AccessTokenClaims, TokenError> {
        let (header, claims, input, sig) =
            parse_jwt(token).map_err(|reason| TokenError::Malformed { reason })?;
        let alg = header
            .get("alg")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if alg != "RS256" {
            return Err(TokenError::UnsupportedAlg {
                alg: alg.to_owned(),
            });
        }
        crate::trust::jose::check_crit(&header).map_err(|reason| TokenError::Crit { reason })?;
        let kid = header
            .get("kid")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let jwk = self.jwks.find(kid).ok_or_else(|| TokenError::UnknownKid {
            kid: kid.to_owned(),
        })?;
        let spki = rsa_spki_from_jwk(&jwk.n, &jwk.e).ok_or(TokenError::BadSignature)?;
        if !verify_rs256_spki(&spki, input.as_bytes(), &sig) {
            return Err(TokenError::BadSignature);
        }
        for claim in ["aud", "scope", "iss", "exp", "iat", "consumer"] {
            let optional = claim == "aud" && self.unrestricted_ok;
            if !optional && !claims.contains_key(claim) {
                return Err(TokenError::MissingClaim {
                    claim: claim.to_owned(),
                });
            }
        }
        let parsed: AccessTokenClaims = serde_json::from_value(Value::Object(claims.clone()))
            .map_err(|e| TokenError::MissingClaim {
                claim: e.to_string(),
            })?;
        if parsed.iss != self.issuer {
            return Err(TokenError::WrongIssuer {
                iss: parsed.iss,
                expected: self.issuer.clone(),
            });
        }
        let unrestricted = parsed.aud.is_empty() || parsed.aud == UNRESTRICTED_AUDIENCE;
        if parsed.aud != self.audience && !(self.unrestricted_ok && unrestricted) {
            return Err(TokenError::WrongAudience {
                aud: parsed.aud,
                expected: self.audience.clone(),
            });
        }
        // Saturating arithmetic: extreme exp/iat values are judged, never wrapped.
        if now > parsed.exp.saturating_add(CLOCK_SKEW) {
            return Err(TokenError::Expired {
                exp: parsed.exp,
                now,
            });
        }
        if parsed.iat > now.saturating_add(CLOCK_SKEW) {
            return Err(TokenError::IssuedInFuture {
                iat: parsed.iat,
                now,
            });
        }
        if parsed.consumer.id != self.consumer_id {
            return Err(TokenError::WrongConsumer {
                consumer: parsed.consumer.id,
                expected: self.consumer_id.clone(),
            });
        }
        if !parsed.scope.split(' ').any(|s| s == required_scope) {
            return Err(TokenError::MissingScope {
                scope: parsed.scope,
                required: required_scope.to_owned(),
            });
        }
        Ok(parsed)
    }
}

/// DER SubjectPublicKeyInfo of the RSA key (n, e base64url).
fn rsa_spki_from_jwk(n: &str, e: &str) -> Option<Vec<u8>> {
    let n = openssl::bn::BigNum::from_slice(&URL_SAFE_NO_PAD.decode(n).ok()?).ok()?;
    let e = openssl::bn::BigNum::from_slice(&URL_SAFE_NO_PAD.decode(e).ok()?).ok()?;
    let rsa = openssl::rsa::Rsa::from_public_components(n, e).ok()?;
    openssl::pkey::PKey::from_rsa(rsa)
        .ok()?
        .public_key_to_der()
        .ok()
}

/// Why a JWT grant was rejected. [`GrantError::oauth_error`] gives the RFC 6749 error code the
/// mock Maskinporten answers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GrantError {
    /// Not a JWT.
    #[error("JWT grant is malformed: {reason}")]
    Malformed {
        /// What is wrong.
        reason: String,
    },
    /// `alg` is not one Maskinporten supports (RS256, RS384, RS512).
    #[error("JWT grant alg {alg:?} is not RS256, RS384 or RS512")]
    UnsupportedAlg {
        /// The alg.
        alg: String,
    },
    /// `iss` is not a registered client.
    #[error("client {client_id:?} is not registered")]
    UnknownClient {
        /// The iss.
        client_id: String,
    },
    /// The header's `x5c`/`kid` does not name the client's registered certificate.
    #[error("JWT grant header does not carry the client's registered certificate: {reason}")]
    WrongKey {
        /// What is wrong.
        reason: String,
    },
    /// Signature does not verify.
    #[error("JWT grant signature does not verify")]
    BadSignature,
    /// Missing or mistyped claim.
    #[error("JWT grant claim {claim:?} is missing or has the wrong type")]
    MissingClaim {
        /// Claim.
        claim: String,
    },
    /// `aud` is not the Maskinporten issuer.
    #[error("JWT grant aud {aud:?} is not {expected:?}")]
    WrongAudience {
        /// Found.
        aud: String,
        /// Expected.
        expected: String,
    },
    /// `exp − iat` > 120 s.
    #[error("JWT grant lifetime {seconds} s exceeds 120 s")]
    LifetimeTooLong {
        /// exp − iat.
        seconds: i64,
    },
    /// Outside [iat, exp].
    #[error("JWT grant not valid at {now} (iat {iat}, exp {exp})")]
    NotValidNow {
        /// iat.
        iat: i64,
        /// exp.
        exp: i64,
        /// now.
        now: i64,
    },
    /// The header's `crit` is refused (RFC 7515 §4.1.11: an extension not understood MUST be
    /// rejected).
    #[error("JWT grant header refused: {reason}")]
    Crit {
        /// Which part of the rule is broken.
        reason: String,
    },
}

impl GrantError {
    /// Stable rule name.
    pub fn rule(&self) -> &'static str {
        match self {
            GrantError::Malformed { .. } => "malformed",
            GrantError::UnsupportedAlg { .. } => "alg",
            GrantError::UnknownClient { .. } => "unknown-client",
            GrantError::WrongKey { .. } => "key",
            GrantError::BadSignature => "signature",
            GrantError::MissingClaim { .. } => "missing-claim",
            GrantError::WrongAudience { .. } => "audience",
            GrantError::LifetimeTooLong { .. } => "lifetime",
            GrantError::NotValidNow { .. } => "time",
            GrantError::Crit { .. } => "crit",
        }
    }

    /// OAuth 2.0 error code: `invalid_client` for client identity, otherwise `invalid_grant`.
    pub fn oauth_error(&self) -> &'static str {
        match self {
            GrantError::UnknownClient { .. } | GrantError::WrongKey { .. } => "invalid_client",
            _ => "invalid_grant",
        }
    }
}

/// A client registered at the mock Maskinporten.
#[derive(Debug, Clone)]
pub struct RegisteredClient {
    /// Client ID (`iss` of its grants).
    pub client_id: String,
    /// DER of its enterprise certificate.
    pub cert_der: Vec<u8>,
}

/// Parameters of a JWT grant.
#[derive(Debug, Clone)]
pub struct GrantRequest {
    /// Client ID.
    pub client_id: String,
    /// Maskinporten issuer (`aud`).
    pub audience: String,
    /// Scope(s).
    pub scope: String,
    /// Resource: the bank's base URL (digest 6.3); `None` for a grant without `resource`.
    pub resource: Option<ResourceIndicator>,
    /// Reference the key by `kid` (cert serial) instead of `x5c`.
    pub use_kid: bool,
}

/// Creates an RS256 JWT grant signed with the client key; header carries `x5c` [client cert]
/// (or `kid` when `use_kid`), claims `aud`, `scope`, `iss`, `iat`, `exp` = iat + 120, `jti`,
/// and `resource` when the request names one.
pub fn create_grant(
    key: &RsaKey,
    cert_der: &[u8],
    request: &GrantRequest,
    now: i64,
    breaks: &[GrantBreak],
) -> Result<String, GrantError> {
    let err = |reason: String| GrantError::Malformed { reason };
    let claims = JwtGrantClaims {
        aud: request.audience.clone(),
        scope: request.scope.clone(),
        iss: request.client_id.clone(),
        exp: now + GRANT_MAX_LIFETIME,
        iat: now,
        jti: uuid::Uuid::new_v4().to_string(),
        resource: request.resource.clone(),
    };
    let mut claims = serde_json::to_value(claims)
        .map_err(|e| err(e.to_string()))?
        .as_object()
        .cloned()
        .unwrap_or_default();
    let mut header = Map::new();
    header.insert("alg".into(), json!("RS256"));
    header.insert("typ".into(), json!("JWT"));
    let mut cert = cert_der.to_vec();
    let mut signing_key = key.clone();
    for b in breaks {
        match b {
            GrantBreak::LifetimeTooLong => drop(claims.insert("exp".into(), json!(now + 121))),
            GrantBreak::Expired => {
                claims.insert("iat".into(), json!(now - 200));
                claims.insert("exp".into(), json!(now - 80));
            }
            GrantBreak::WrongAudience => {
                claims.insert("aud".into(), json!("https://maskinporten.no/"));
            }
            GrantBreak::MissingResource => drop(claims.remove("resource")),
            GrantBreak::MissingJti => drop(claims.remove("jti")),
            GrantBreak::MissingScope => drop(claims.remove("scope")),
            GrantBreak::UnknownClient => {
                claims.insert("iss".into(), json!("unregistered-client"));
            }
            GrantBreak::ForeignCertificate => {
                let foreign_key = RsaKey::generate().map_err(|e| err(e.to_string()))?;
                let spec = crate::trust::pki::CertSpec::new(
                    crate::trust::pki::names::police_client(),
                    crate::trust::pki::CertKind::Signing,
                    now,
                    1,
                );
                cert = crate::trust::pki::issue(&spec, &foreign_key, None)
                    .map_err(|e| err(e.to_string()))?;
                signing_key = foreign_key;
            }
            GrantBreak::WrongAlg => drop(header.insert("alg".into(), json!("PS256"))),
            GrantBreak::UnknownCrit => {
                header.insert("crit".into(), json!([UNKNOWN_CRIT]));
                header.insert(UNKNOWN_CRIT.into(), json!(true));
            }
            GrantBreak::BadSignature | GrantBreak::NoKeyReference => {}
        }
    }
    if !breaks.contains(&GrantBreak::NoKeyReference) {
        if request.use_kid {
            let kid = cert_facts(&cert)
                .map_err(|e| err(e.to_string()))?
                .serial_decimal;
            header.insert("kid".into(), json!(kid));
        } else {
            header.insert("x5c".into(), json!([STANDARD.encode(&cert)]));
        }
    }
    let (h, mut c, s) = rs256_sign(&signing_key, &header, &claims).map_err(err)?;
    if breaks.contains(&GrantBreak::BadSignature) {
        claims.insert("scope".into(), json!("bits:kundeforhold.write"));
        c = b64(&serde_json::to_vec(&claims).map_err(|e| err(e.to_string()))?);
    }
    Ok(format!("{h}.{c}.{s}"))
}

/// The mock Maskinporten's grant validation.
#[derive(Debug, Clone)]
pub struct GrantValidator {
    issuer: String,
    clients: Vec<RegisteredClient>,
}

impl GrantValidator {
    /// Validator accepting grants addressed to `issuer` from `clients`.
    pub fn new(issuer: &str, clients: Vec<RegisteredClient>) -> Self {
        Self {
            issuer: issuer.to_owned(),
            clients,
        }
    }

    /// Validator with the police client of the trust directory registered.
    pub fn from_trust_dir(trust: &TrustDir) -> Result<Self, TrustError> {
        Ok(Self::new(
            &trust.manifest().maskinporten_issuer,
            vec![RegisteredClient {
                client_id: trust.manifest().police_client_id.clone(),
                cert_der: trust.cert_der(Artifact::PoliceClientCert)?,
            }],
        ))
    }

    /// Validates a grant at `now`.
    pub fn validate(&self, grant: &str, now: i64) -> Result<JwtGrantClaims, GrantError> {
        let (header, claims, input, sig) =
            parse_jwt(grant).map_err(|reason| GrantError::Malformed { reason })?;
        let alg = header
            .get("alg")
            .and_then(Value::as_str)
            .unwrap_or_default();
        // Maskinporten accepts RS256, RS384 and RS512 grants (Digdir, "JWT grant").
        if !GRANT_ALGS.contains(&alg) {
            return Err(GrantError::UnsupportedAlg {
                alg: alg.to_owned(),
            });
        }
        crate::trust::jose::check_crit(&header).map_err(|reason| GrantError::Crit { reason })?;
        let iss = claims
            .get("iss")
            .and_then(Value::as_str)
            .ok_or(GrantError::MissingClaim {
                claim: "iss".to_owned(),
            })?;
        let client = self
            .clients
            .iter()
            .find(|c| c.client_id == iss)
            .ok_or_else(|| GrantError::UnknownClient {
                client_id: iss.to_owned(),
            })?;
        let facts = cert_facts(&client.cert_der).map_err(|e| GrantError::WrongKey {
            reason: e.to_string(),
        })?;
        match (header.get("x5c"), header.get("kid")) {
            (Some(Value::Array(x5c)), _) => {
                let leaf = x5c
                    .first()
                    .and_then(Value::as_str)
                    .and_then(|s| STANDARD.decode(s).ok());
                if leaf.as_deref() != Some(client.cert_der.as_slice()) {
                    return Err(GrantError::WrongKey {
                        reason: "x5c[0] is not the registered certificate".to_owned(),
                    });
                }
            }
            (_, Some(Value::String(kid))) if *kid == facts.serial_decimal => {}
            _ => {
                return Err(GrantError::WrongKey {
                    reason: "header has neither x5c nor the registered kid".to_owned(),
                })
            }
        }
        if !verify_rsa_spki(alg, &facts.spki_der, input.as_bytes(), &sig) {
            return Err(GrantError::BadSignature);
        }
        // `resource` is optional (RFC 8707; digest 1.2 asks nothing more of a registry grant);
        // `jti` is "recommended" by Maskinporten (a grant is single-use either way).
        for claim in ["aud", "scope", "exp", "iat"] {
            if !claims.contains_key(claim) {
                return Err(GrantError::MissingClaim {
                    claim: claim.to_owned(),
                });
            }
        }
        let parsed: JwtGrantClaims = serde_json::from_value(Value::Object(claims.clone()))
            .map_err(|e| GrantError::MissingClaim {
                claim: e.to_string(),
            })?;
        if parsed.aud != self.issuer {
            return Err(GrantError::WrongAudience {
                aud: parsed.aud,
                expected: self.issuer.clone(),
            });
        }
        // Saturating arithmetic: extreme exp/iat values are judged, never wrapped.
        let lifetime = parsed.exp.saturating_sub(parsed.iat);
        if lifetime > GRANT_MAX_LIFETIME {
            return Err(GrantError::LifetimeTooLong { seconds: lifetime });
        }
        if now > parsed.exp.saturating_add(CLOCK_SKEW)
            || parsed.iat > now.saturating_add(CLOCK_SKEW)
        {
            return Err(GrantError::NotValidNow {
                iat: parsed.iat,
                exp: parsed.exp,
                now,
            });
        }
        let empty_resource = parsed
            .resource
            .as_ref()
            .is_some_and(|r| r.values().is_empty() || r.values().iter().any(|v| v.is_empty()));
        if parsed.scope.trim().is_empty() || empty_resource {
            return Err(GrantError::MissingClaim {
                claim: "scope/resource (empty)".to_owned(),
            });
        }
        Ok(parsed)
    }
}
