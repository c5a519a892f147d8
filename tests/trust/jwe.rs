//! JWE of 200 bodies (`jwe.json`, digest 7.2).

use crate::helpers::{failure, fixture, table};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use dsop_harness::{jwe, jwe::JweError, jwe::DEFAULT_ALG, jwe::DEFAULT_ENC, Artifact};
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

fn cut_segment(jwe: &str, index: usize, keep: usize) -> String {
    let mut parts: Vec<String> = jwe.split('.').map(str::to_owned).collect();
    let mut raw = URL_SAFE_NO_PAD.decode(&parts[index]).expect("segment");
    raw.truncate(keep.min(raw.len()));
    parts[index] = URL_SAFE_NO_PAD.encode(raw);
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
        Some("cut-tag") => {
            let tag = URL_SAFE_NO_PAD.decode(token.split('.').nth(4).unwrap_or_default());
            cut_segment(&token, 4, tag.map(|t| t.len() / 2).unwrap_or_default())
        }
        Some("cut-ciphertext") => {
            let ct = URL_SAFE_NO_PAD.decode(token.split('.').nth(3).unwrap_or_default());
            cut_segment(&token, 3, ct.map(|t| t.len() - 1).unwrap_or_default())
        }
        Some("crafted") => {
            let iv = vec![0x5a; row["iv_bytes"].as_u64().unwrap_or(16) as usize];
            let extra = row["header"].as_object().cloned().unwrap_or_default();
            jwe::Encryptor::new(&cert, alg, enc)
                .and_then(|e| e.encrypt_crafted(BODY.as_bytes(), &extra, &iv))
                .map_err(|e| e.to_string())?
        }
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

/// `jwe decrypt` on a validly wrapped JWE with a hostile IV, tag or header: exit 1 with the
/// rule named, never a panic (exit 101).
fn cli_refuses(name: &'static str, iv_len: usize, extra: Value, rule: &'static str) -> Trial {
    Trial::test(format!("jwe::cli {name}"), move || {
        use std::io::Write;
        let fx = fixture();
        let cert = fx
            .trust
            .cert_der(Artifact::ConsumerEncryptionCert)
            .map_err(|e| e.to_string())?;
        let token = jwe::Encryptor::new(&cert, DEFAULT_ALG, DEFAULT_ENC)
            .and_then(|e| {
                e.encrypt_crafted(
                    BODY.as_bytes(),
                    extra.as_object().unwrap_or(&serde_json::Map::new()),
                    &vec![7; iv_len],
                )
            })
            .map_err(|e| e.to_string())?;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dsop-harness"))
            .args(["jwe", "decrypt", "--trust-dir"])
            .arg(fx.trust.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        child
            .stdin
            .take()
            .ok_or("no stdin")?
            .write_all(token.as_bytes())
            .map_err(|e| e.to_string())?;
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        let expected = format!("INVALID [{rule}]");
        if out.status.code() != Some(1)
            || !stdout.contains(&expected)
            || stderr.contains("panicked")
        {
            return Err(format!(
                "expected exit 1 with {expected:?} and no panic, got {:?}\nstdout: {stdout}\nstderr: {stderr}",
                out.status.code()
            )
            .into());
        }
        Ok(())
    })
}

pub fn trials() -> Vec<Trial> {
    let cli = [
        cli_refuses("short IV", 8, Value::Null, "iv-length"),
        cli_refuses("1 MiB IV", 1 << 20, Value::Null, "iv-length"),
        cli_refuses(
            "unknown crit",
            16,
            serde_json::json!({"crit": ["urn:example:x"], "urn:example:x": true}),
            "crit",
        ),
    ];
    table("jwe.json")
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            Trial::test(
                format!("jwe::{i:03} {}", row["name"].as_str().unwrap_or("")),
                move || run_row(&row),
            )
        })
        .chain(cli)
        .collect()
}
