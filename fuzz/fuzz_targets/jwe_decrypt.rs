//! JWE decryption (digest 7.2): any input must be decrypted or refused, never a panic.
#![no_main]

#[path = "common.rs"]
mod common;

use dsop_harness::trust::{jwe, Artifact};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = common::trust()
        .key(Artifact::ConsumerEncryptionKey)
        .expect("consumer key");
    let text = String::from_utf8_lossy(data);
    let _ = jwe::decrypt(&text, key.pkcs8_der());
});
