//! Interoperability with an independent JOSE implementation (Python jwcrypto):
//! `scripts/interop/jose_interop.py` verifies our PS256 EO and decrypts our JWEs (both
//! alg/enc pairs), and produces a JWE + PS256 JWS of its own that we decrypt/verify.
//! Never skipped: without python3 + jwcrypto the test fails, saying how to fix it.

use crate::helpers::fixture;
use dsop_harness::{
    eo::Environment, eo::ExtraditionOrderVerifier, eo::OrderBuilder, jwe, Artifact,
};
use libtest_mimic::{Failed, Trial};
use std::process::Command;

const PAIRS: [(&str, &str); 2] = [
    ("RSA-OAEP-256", "A128CBC-HS256"),
    ("RSA-OAEP-256", "A256GCM"),
];

fn interop() -> Result<(), Failed> {
    let probe = Command::new("python3")
        .args(["-c", "import jwcrypto"])
        .output()
        .map_err(|e| {
            format!("python3 not runnable ({e}); install Python 3 and `pip install jwcrypto`")
        })?;
    if !probe.status.success() {
        return Err(
            "python3 lacks jwcrypto: run `pip install jwcrypto` (bash .ci/run does it)".into(),
        );
    }
    let fx = fixture();
    let work = tempfile::tempdir()?;
    let built = OrderBuilder::valid(fx.now).build(&fx.trust)?;
    std::fs::write(work.path().join("eo.jws"), &built.jws)?;
    let body =
        br#"{"responseDetails":{"status":"complete"},"accounts":[{"accountReference":"x"}]}"#;
    std::fs::write(work.path().join("body.json"), body)?;
    let cert = fx.trust.cert_der(Artifact::ConsumerEncryptionCert)?;
    for (alg, enc) in PAIRS {
        let token = jwe::encrypt(body, &cert, alg, enc)?;
        std::fs::write(work.path().join(format!("jwe-{alg}-{enc}.jwe")), token)?;
    }
    let script = format!(
        "{}/scripts/interop/jose_interop.py",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = Command::new("python3")
        .arg(&script)
        .arg("--trust-dir")
        .arg(fx.trust.path())
        .arg("--work")
        .arg(work.path())
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "jose_interop.py failed ({}):\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    // Their JWS verifies with our verifier (full digest 5.5 pipeline).
    let theirs = std::fs::read_to_string(work.path().join("py-eo.jws"))?;
    ExtraditionOrderVerifier::from_trust_dir(&fx.trust, Environment::Test, fx.now)?
        .verify(&theirs)
        .map_err(|e| format!("jwcrypto PS256 JWS rejected: {} ({e})", e.rule()))?;
    // Their JWEs decrypt with our code.
    let key = fx.trust.key(Artifact::ConsumerEncryptionKey)?;
    for (alg, enc) in PAIRS {
        let token = std::fs::read_to_string(work.path().join(format!("py-jwe-{alg}-{enc}.jwe")))?;
        let (plain, got_alg, got_enc) = jwe::decrypt(&token, key.pkcs8_der())?;
        if plain != body || got_alg != alg || got_enc != enc {
            return Err(format!("jwcrypto JWE {alg}/{enc}: wrong plaintext or header").into());
        }
    }
    Ok(())
}

pub fn trials() -> Vec<Trial> {
    vec![Trial::test(
        "interop::jwcrypto verifies our EO, decrypts our JWEs; we verify/decrypt theirs",
        interop,
    )]
}
