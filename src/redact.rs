//! What may be shown: masking of secrets (tokens, extradition orders, keys) before anything is
//! written to a journal, transcript or report (DEVELOPERS: "tokens, keys and orders are masked in
//! reports").
//!
//! A masked value keeps a short SHA-256 fingerprint so two occurrences of the same secret can be
//! matched by a reader without revealing it.

use sha2::{Digest, Sha256};

/// Headers whose values are secrets (compared case-insensitively).
pub const SECRET_HEADERS: &[&str] = &["Authorization", "AdditionalReferenceID", "Cookie"];

/// `[masked <kind> sha256:<first 12 hex digits>]`.
pub fn mask(kind: &str, secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("[masked {kind} sha256:{hex}]")
}

/// Masks a header value if the header carries a secret; keeps the `Bearer ` scheme visible.
pub fn mask_header(name: &str, value: &str) -> String {
    if !SECRET_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name)) {
        return value.to_owned();
    }
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => {
            format!("{scheme} {}", mask("token", token))
        }
        _ if name.eq_ignore_ascii_case("AdditionalReferenceID") => mask("extradition-order", value),
        _ => mask("secret", value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_and_fingerprinted() {
        let a = mask_header("authorization", "Bearer eyJhbGciOi.secret.sig");
        assert!(a.starts_with("Bearer [masked token sha256:"), "{a}");
        assert!(!a.contains("secret"));
        assert_eq!(
            a,
            mask_header("Authorization", "Bearer eyJhbGciOi.secret.sig")
        );
        let eo = mask_header("AdditionalReferenceID", "eyJ0eXAi.payload.sig");
        assert!(eo.starts_with("[masked extradition-order sha256:"), "{eo}");
        assert_eq!(mask_header("CorrelationID", "abc"), "abc");
    }
}
