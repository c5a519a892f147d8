//! Extradition-order parsing and verification (digest 5.5, 5.6): any input string must give a
//! verdict, never a panic; the payload types must not panic on any JSON.
#![no_main]

#[path = "common.rs"]
mod common;

use dsop_harness::domain::order::ExtraditionOrderPayload;
use dsop_harness::trust::eo::{Environment, ExtraditionOrderVerifier};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let trust = common::trust();
    if let Ok(text) = std::str::from_utf8(data) {
        let verifier =
            ExtraditionOrderVerifier::from_trust_dir(trust, Environment::Test, chrono::Utc::now())
                .expect("verifier");
        let _ = verifier.verify(text);
        let _ = verifier.verify_with_report(text);
    }
    let _ = serde_json::from_slice::<ExtraditionOrderPayload>(data);
});
