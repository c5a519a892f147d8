//! JWE decryption past the key unwrap (digest 7.2; RFC 7516, RFC 7518 §5.2, §5.3): every input
//! is a JWE whose content key is validly wrapped to the trust directory's consumer certificate
//! (what any bank can build from the public certificate), with the input choosing `enc`, the
//! IV length, extra protected-header parameters (`crit`, `zip`, a changed `enc`), and cuts,
//! flips and extensions of the ciphertext and tag. `trust::jwe::decrypt` must decrypt or
//! refuse each, never panic. (`jwe_decrypt` feeds arbitrary strings and so almost never gets
//! past the RSA unwrap.)
#![no_main]

#[path = "common.rs"]
mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use dsop_harness::trust::{jwe, Artifact};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

/// One encryptor per supported `enc` (the certificate's key parsed once).
fn encryptor(index: usize) -> &'static jwe::Encryptor {
    static ENCRYPTORS: OnceLock<Vec<jwe::Encryptor>> = OnceLock::new();
    let all = ENCRYPTORS.get_or_init(|| {
        let cert = common::trust()
            .cert_der(Artifact::ConsumerEncryptionCert)
            .expect("consumer certificate");
        jwe::SUPPORTED_ENCS
            .iter()
            .map(|enc| jwe::Encryptor::new(&cert, jwe::DEFAULT_ALG, enc).expect("encryptor"))
            .collect()
    });
    &all[index % all.len()]
}

/// Cuts, flips or extends one segment of `parts` as `op` and `arg` say.
fn mutate(parts: &mut [String], index: usize, op: u8, arg: u8, tail: &[u8]) {
    let Ok(mut raw) = URL_SAFE_NO_PAD.decode(&parts[index]) else {
        return;
    };
    match op % 6 {
        0 => {}
        1 => raw.truncate(usize::from(arg) % (raw.len() + 1)),
        2 => {
            if !raw.is_empty() {
                let at = usize::from(arg) % raw.len();
                raw[at] ^= 0x01;
            }
        }
        3 => raw.extend_from_slice(tail),
        4 => raw.clear(),
        _ => raw.extend(std::iter::repeat(arg).take(usize::from(arg))),
    }
    parts[index] = URL_SAFE_NO_PAD.encode(raw);
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 10 {
        return;
    }
    let enc_index = usize::from(data[0]);
    let right_iv = if jwe::SUPPORTED_ENCS[enc_index % jwe::SUPPORTED_ENCS.len()].ends_with("GCM") {
        12
    } else {
        16
    };
    // Half the inputs get the right IV length, so the tag and ciphertext paths are reached.
    let iv_len = if data[1] & 1 == 0 {
        right_iv
    } else {
        usize::from(u16::from_le_bytes([data[2], data[3]])) % 300
    };
    let mut extra = Map::new();
    match data[4] % 10 {
        1 => {
            extra.insert("crit".into(), json!(["urn:fuzz:x"]));
            extra.insert("urn:fuzz:x".into(), json!(true));
        }
        2 => drop(extra.insert("crit".into(), json!([]))),
        3 => drop(extra.insert("crit".into(), json!("exp"))),
        4 => drop(extra.insert("crit".into(), json!(["alg"]))),
        5 => drop(extra.insert("zip".into(), json!("DEF"))),
        6 => {
            let other = jwe::SUPPORTED_ENCS[usize::from(data[5]) % jwe::SUPPORTED_ENCS.len()];
            extra.insert("enc".into(), Value::from(other));
        }
        7 => drop(extra.insert("crit".into(), json!(["b64"]))),
        _ => {}
    }
    let iv = vec![data[9]; iv_len];
    let body = &data[10..];
    let Ok(token) = encryptor(enc_index).encrypt_crafted(body, &extra, &iv) else {
        return;
    };
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    mutate(&mut parts, 3, data[6], data[7], body);
    mutate(&mut parts, 4, data[8], data[7], body);
    let token = parts.join(".");
    let key = common::trust()
        .key(Artifact::ConsumerEncryptionKey)
        .expect("consumer key");
    let _ = jwe::decrypt(&token, key.pkcs8_der());
});
