//! JWE of 200 bodies (`jwe.json`, digest 7.2).

use crate::helpers::{failure, fixture, table};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use dsop_harness::trust::jwe::{self, JweError, DEFAULT_ALG, DEFAULT_ENC};
use dsop_harness::trust::Artifact;
use libtest_mimic::{Failed, Trial};
use serde_json::Value;

const BODY: &str = r#"{"responseDetails":{"status":"complete"},"accounts":[]}"#;

fn flip_segment(jwe: &str, index: usize) -> String {
    let mut parts: Vec<String> = jwe.split('.').map(str::to_owned).collect();
    let mut raw = URL_SAFE_NO_PAD.decode(&parts[index]).expect("segment");
    raw[0] ^= 0x01;
    parts[index] = URL_SAFE_NO_PAD.encode(raw);
    parts.join(".")
}

fn set_header(jwe: &str, name: &str, value: &str) -> String {
    let mut parts: Vec<String> = jwe.split('.').map(str::to_owned).collect();
    let mut header = jwe::header(jwe).expect("header");
    header.insert(name.to_owned(), Value::from(value));
    parts[0] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).expect("json"));
    parts.join(".")
}

fn row_outcome(row: &Value) -> Result<(String, Result<Vec<u8>, JweError>), Failed> {
    let fx = fixture();
    let cert = fx
        .trust
        .cert_der(Artifact::ConsumerEncryptionCert)
        .map_err(|e| e.to_string())?;
    let key = fx
        .trust
        .key(Artifact::ConsumerEncryptionKey)
        .map_err(|e| e.to_string())?;
    let alg = row["alg"].as_str().unwrap_or(DEFAULT_ALG);
    let enc = row["enc"].as_str().unwrap_or(DEFAULT_ENC);
    let token = match jwe::encrypt(BODY.as_bytes(), &cert, alg, enc) {
        Ok(t) => t,
        Err(e) => return Ok((format!("encrypt {alg}/{enc}"), Err(e))),
    };
    let mut key_der = key.pkcs8_der().to_vec();
    let token = match row["break"].as_str() {
        Some("wrong-key") => {
            key_der = fx
                .trust
                .key(Artifact::PoliceClientKey)
                .map_err(|e| e.to_string())?
                .pkcs8_der()
                .to_vec();
            token
        }
        Some("tampered-ciphertext") => flip_segment(&token, 3),
        Some("tampered-tag") => flip_segment(&token, 4),
        Some("header-alg-RSA1_5") => set_header(&token, "alg", "RSA1_5"),
        Some("header-enc-A192GCM") => set_header(&token, "enc", "A192GCM"),
        Some("jws-instead") => "eyJhbGciOiJQUzI1NiJ9.eyJhIjoxfQ.c2ln".to_owned(),
        Some("plain-json") => BODY.to_owned(),
        Some(other) => return Err(format!("unknown break {other}").into()),
        None => token,
    };
    let outcome = match row["expect_pair"].as_array() {
        Some(pair) => jwe::decrypt_expecting(
            &token,
            &key_der,
            pair[0].as_str().unwrap_or_default(),
            pair[1].as_str().unwrap_or_default(),
        ),
        None => jwe::decrypt(&token, &key_der).map(|(p, _, _)| p),
    };
    Ok((token, outcome))
}

fn run_row(row: &Value) -> Result<(), Failed> {
    let (input, outcome) = row_outcome(row)?;
    let expect = row["expect"].as_str().unwrap_or("accepted");
    match outcome {
        Ok(plain) if expect == "accepted" && plain == BODY.as_bytes() => {
            let header = jwe::header(&input).map_err(|e| e.to_string())?;
            if header.get("kid").is_none() || header.get("x5t#S256").is_none() {
                return Err(failure(row, &input, "header lacks kid or x5t#S256").into());
            }
            Ok(())
        }
        Ok(_) => Err(failure(row, &input, "decrypted (or wrong plaintext)").into()),
        Err(e) if e.rule() == expect => Ok(()),
        Err(e) => Err(failure(row, &input, &format!("{}: {e}", e.rule())).into()),
    }
}

pub fn trials() -> Vec<Trial> {
    table("jwe.json")
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            Trial::test(
                format!("jwe::{i:03} {}", row["name"].as_str().unwrap_or("")),
                move || run_row(&row),
            )
        })
        .collect()
}
