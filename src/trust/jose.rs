//! JOSE header rules shared by every JWS and JWE the harness verifies (extradition orders,
//! access tokens, Maskinporten JWT grants, JWE answers): one place for RFC 7515 §4.1.11 `crit`.
//!
//! RFC 7515 §4.1.11 (and RFC 7516 §4.1.13 for JWE): `crit` lists extensions the recipient MUST
//! understand and process; if any listed extension is not understood the JWS/JWE MUST be
//! rejected; producers MUST NOT use the empty list, list names defined by the JWS/JWE
//! specifications, or omit a listed parameter from the header. The harness understands no
//! extension, so every `crit` is rejected — each reason is named.

use serde_json::{Map, Value};

/// Header parameter names registered by RFC 7515 §4.1 / RFC 7516 §4.1: never allowed in `crit`.
const REGISTERED: &[&str] = &[
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc", "zip",
];

/// Extensions the harness understands (none: DSOP defines no critical header, digest 5.2, 7.2).
pub(crate) const UNDERSTOOD_CRIT: &[&str] = &[];

/// Checks the `crit` header parameter of a protected header (RFC 7515 §4.1.11). `Ok` when
/// there is no `crit` or every entry is understood and present; otherwise why it is refused.
pub(crate) fn check_crit(header: &Map<String, Value>) -> Result<(), String> {
    let Some(crit) = header.get("crit") else {
        return Ok(());
    };
    let Value::Array(entries) = crit else {
        return Err("crit is not an array (RFC 7515 §4.1.11)".to_owned());
    };
    if entries.is_empty() {
        return Err("crit is an empty list (RFC 7515 §4.1.11: MUST NOT)".to_owned());
    }
    for entry in entries {
        let Value::String(name) = entry else {
            return Err(format!(
                "crit entry {entry} is not a string (RFC 7515 §4.1.11)"
            ));
        };
        if REGISTERED.contains(&name.as_str()) {
            return Err(format!(
                "crit lists the registered parameter {name:?} (RFC 7515 §4.1.11: MUST NOT)"
            ));
        }
        if !UNDERSTOOD_CRIT.contains(&name.as_str()) {
            return Err(format!(
                "crit lists {name:?}, an extension this verifier does not understand \
                 (RFC 7515 §4.1.11: MUST reject)"
            ));
        }
        if !header.contains_key(name) {
            return Err(format!(
                "crit lists {name:?} but the header lacks it (RFC 7515 §4.1.11)"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_crit;
    use serde_json::{json, Map, Value};

    fn header(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn no_crit_passes_and_every_crit_is_refused_with_its_reason() {
        assert_eq!(check_crit(&header(json!({"alg": "PS256"}))), Ok(()));
        let cases = [
            (json!({"crit": "exp"}), "not an array"),
            (json!({"crit": []}), "empty list"),
            (json!({"crit": [1]}), "not a string"),
            (json!({"crit": ["alg"]}), "registered parameter"),
            (
                json!({"crit": ["b64"], "b64": false}),
                "does not understand",
            ),
            (json!({"crit": ["urn:x"]}), "does not understand"),
        ];
        for (value, reason) in cases {
            let got = check_crit(&header(value.clone()));
            assert!(
                matches!(&got, Err(e) if e.contains(reason)),
                "{value}: {got:?}"
            );
        }
    }
}
