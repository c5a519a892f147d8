//! What may be shown: masking of secrets (tokens, extradition orders, keys) before anything is
//! written to a journal, transcript or report (DEVELOPERS: "tokens, keys and orders are masked in
//! reports").
//!
//! A masked value keeps a short SHA-256 fingerprint so two occurrences of the same secret can be
//! matched by a reader without revealing it.

use sha2::{Digest, Sha256};

/// Headers whose values are secrets (compared case-insensitively).
pub(crate) const SECRET_HEADERS: &[&str] = &["Authorization", "AdditionalReferenceID", "Cookie"];

/// `[masked <kind> sha256:<first 12 hex digits>]`.
pub(crate) fn mask(kind: &str, secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("[masked {kind} sha256:{hex}]")
}

/// Masks a header value if the header carries a secret; keeps the `Bearer ` scheme visible.
pub(crate) fn mask_header(name: &str, value: &str) -> String {
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

/// JSON keys whose values are always secrets (token responses, grants, private JWK members).
const SECRET_KEYS: &[&str] = &[
    "access_token",
    "id_token",
    "refresh_token",
    "assertion",
    "client_assertion",
    "extraditionOrder",
    "d",
    "p",
    "q",
    "dp",
    "dq",
    "qi",
];

fn is_b64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'='
}

/// Masks everything JOSE-shaped (compact JWS/JWE/JWT: `eyJ…` segments joined by dots) and every
/// PEM private-key block in free text, leaving the rest as it is.
pub(crate) fn mask_text(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        if text[i..].starts_with("-----BEGIN ") {
            let label_end = text[i + 11..].find("-----").map(|p| i + 11 + p);
            if let Some(label_end) = label_end.filter(|&e| text[i..e].contains("PRIVATE KEY")) {
                let end = text[label_end..]
                    .find("-----END")
                    .and_then(|e| {
                        let after = label_end + e + 8;
                        text[after..].find("-----").map(|f| after + f + 5)
                    })
                    .unwrap_or(text.len());
                out.push_str(&text[copied..i]);
                out.push_str(&mask("private-key", &text[i..end]));
                i = end;
                copied = end;
                continue;
            }
        }
        let starts_token = text[i..].starts_with("eyJ")
            && (i == 0
                || !(bytes[i - 1].is_ascii_alphanumeric() || matches!(bytes[i - 1], b'-' | b'_')));
        if starts_token {
            let mut j = i;
            let mut dots = 0;
            while j < bytes.len() && (is_b64url(bytes[j]) || bytes[j] == b'.') {
                if bytes[j] == b'.' {
                    dots += 1;
                }
                j += 1;
            }
            while j > i && bytes[j - 1] == b'.' {
                j -= 1;
                dots -= 1;
            }
            if dots >= 2 {
                let kind = if dots >= 4 { "jwe" } else { "jws" };
                out.push_str(&text[copied..i]);
                out.push_str(&mask(kind, &text[i..j]));
                i = j;
                copied = j;
                continue;
            }
            i = j.max(i + 1);
            continue;
        }
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
    out.push_str(&text[copied..]);
    out
}

/// [`mask_text`] on every string of a JSON value, and whole values under secret keys masked.
pub(crate) fn mask_json(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) => Value::String(mask_text(s)),
        Value::Array(items) => Value::Array(items.iter().map(mask_json).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let masked = match v {
                        Value::String(s) if SECRET_KEYS.contains(&k.as_str()) => {
                            Value::String(mask("secret", s))
                        }
                        _ => mask_json(v),
                    };
                    (k.clone(), masked)
                })
                .collect(),
        ),
        other => other.clone(),
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

    #[test]
    fn jose_and_private_keys_are_masked_in_text_and_json() {
        let jws = "eyJhbGciOiJQUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
        let jwe = "eyJhbGciOiJSU0EifQ.a2V5.aXY.Y2lwaGVy.dGFn";
        let text = format!("grant_type=x&assertion={jws}&other=eyJnope end {jwe}.");
        let masked = mask_text(&text);
        assert!(!masked.contains(jws) && !masked.contains(jwe), "{masked}");
        assert!(masked.contains("[masked jws sha256:") && masked.contains("[masked jwe sha256:"));
        assert!(
            masked.contains("other=eyJnope end") && masked.ends_with("]."),
            "{masked}"
        );
        let pem = "x -----BEGIN PRIVATE KEY-----\nMIIabc\n-----END PRIVATE KEY----- y";
        let masked = mask_text(pem);
        assert!(
            !masked.contains("MIIabc") && masked.starts_with("x [masked private-key"),
            "{masked}"
        );
        assert!(masked.ends_with(" y"), "{masked}");
        let cert = "-----BEGIN CERTIFICATE-----\nMIIcert\n-----END CERTIFICATE-----";
        assert_eq!(mask_text(cert), cert);
        let v = serde_json::json!({"access_token": "opaque", "nested": [{"order": jws}], "d": "k", "n": 1});
        let m = mask_json(&v).to_string();
        assert!(
            !m.contains("opaque") && !m.contains(jws) && !m.contains("\"k\""),
            "{m}"
        );
        assert!(m.contains("\"n\":1"), "{m}");
    }
}
