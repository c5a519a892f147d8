//! The bank suite against hostile banks: servers that hang, reset connections, send
//! garbage, a 100 MB body, drip one byte per second, the wrong content type, an undecryptable
//! JWE, or fail the TLS handshake. Every case must end in a failed verdict whose failure text
//! names what happened, within the configured timeout, with the 100 MB body cut at the
//! driver's cap, and without a panic (cucumber words every failing step "Step panicked"; a
//! real panic would not carry the expected evidence text, and the harness's own code never
//! panics here — the binary would abort). The table is `cases.json`.
//!
//! The driver's timeout and body cap are the suite configuration's `request_timeout` and
//! `max_body_bytes` (`test bank --request-timeout/--max-body-bytes`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod servers;

use dsop_harness::{run_bank_suite, BankSuiteConfig, ScenarioStatus, Selection, TrustDir, Verdict};
use libtest_mimic::{Arguments, Failed, Trial};
use serde::Deserialize;
use servers::Behaviour;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The driver timeout the cases run with.
const TIMEOUT: Duration = Duration::from_secs(2);
/// The driver body cap the cases run with.
const CAP: u64 = 1024 * 1024;
/// Time a case may take beyond the timeout (start-up, order signing, one scenario).
const SLACK: Duration = Duration::from_secs(8);

#[derive(Debug, Deserialize)]
struct Case {
    name: String,
    behaviour: String,
    expect: String,
    rule: String,
    /// `crafted-jwe`: IV length of the JWE (its content key validly wrapped to the police).
    #[serde(default)]
    iv_bytes: usize,
    /// `crafted-jwe`: extra protected-header parameters.
    #[serde(default)]
    header: serde_json::Map<String, serde_json::Value>,
    /// `crafted-jwe`: cut the authentication tag to half its length.
    #[serde(default)]
    cut_tag: bool,
}

fn behaviour(name: &str) -> Behaviour {
    match name {
        "hang" => Behaviour::Hang,
        "reset" => Behaviour::Reset,
        "garbage" => Behaviour::Garbage,
        "huge-body" => Behaviour::HugeBody,
        "drip" => Behaviour::Drip,
        "wrong-content-type" => Behaviour::WrongContentType,
        "undecryptable-jwe" => Behaviour::UndecryptableJwe,
        "untrusted-tls" => Behaviour::UntrustedTls,
        "crafted-jwe" => Behaviour::CraftedJwe,
        other => panic!("cases.json: unknown behaviour {other:?}"),
    }
}

fn trust_path() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("dsop-hostile-bank-{}", std::process::id()));
        TrustDir::init(&dir).expect("trust dir");
        dir
    })
}

/// A conforming Accounts answer encrypted to the trust directory's consumer certificate, with
/// the case's IV length, extra header and tag cut: a content key validly wrapped to the police,
/// which any bank can produce from the public certificate.
fn crafted_jwe(case: &Case) -> Result<String, Failed> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use dsop_harness::{jwe, Artifact};
    let trust = TrustDir::open(trust_path())?;
    let cert = trust.cert_der(Artifact::ConsumerEncryptionCert)?;
    let body = br#"{"responseDetails":{"status":"complete"},"accounts":[]}"#;
    let token = jwe::Encryptor::new(&cert, jwe::DEFAULT_ALG, jwe::DEFAULT_ENC)?.encrypt_crafted(
        body,
        &case.header,
        &vec![0x42; case.iv_bytes],
    )?;
    if !case.cut_tag {
        return Ok(token);
    }
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut tag = URL_SAFE_NO_PAD.decode(&parts[4])?;
    tag.truncate(tag.len() / 2);
    parts[4] = URL_SAFE_NO_PAD.encode(tag);
    Ok(parts.join("."))
}

fn check(case: &Case) -> Result<(), Failed> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let body = if case.behaviour == "crafted-jwe" {
            crafted_jwe(case)?
        } else {
            String::new()
        };
        let server = servers::start_with(behaviour(&case.behaviour), body).await;
        let started = Instant::now();
        let outcome = run_bank_suite(BankSuiteConfig {
            base_url: server.url.clone(),
            trust_dir: trust_path().clone(),
            plain_json: false,
            features: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/features/bank")),
            // One scenario: Accounts answers 200 with a JWE body that decrypts and conforms.
            selection: Selection::parse(Some("@req-BANK-JWE"), None)?,
            fixtures: None,
            fail_fast: false,
            request_timeout: Some(TIMEOUT),
            max_body_bytes: Some(CAP as usize),
        })
        .await
        .map_err(|e| format!("the suite did not run: {e}"))?;
        let elapsed = started.elapsed();
        let context = || {
            format!(
                "case {} ({})\nrule: {}\noutcome: {:#?}",
                case.name, case.behaviour, case.rule, outcome.scenarios
            )
        };
        if outcome.scenarios.is_empty() {
            return Err(format!("no scenario ran\n{}", context()).into());
        }
        if outcome.verdict(false) != Verdict::Fail {
            return Err(format!("verdict is not Fail\n{}", context()).into());
        }
        for scenario in &outcome.scenarios {
            let failure = scenario.failure().unwrap_or("");
            if scenario.status != ScenarioStatus::Failed || !failure.contains(&case.expect) {
                return Err(format!(
                    "scenario {:?} did not fail naming {:?}: {failure:?}\n{}",
                    scenario.scenario,
                    case.expect,
                    context()
                )
                .into());
            }
        }
        if elapsed > TIMEOUT + SLACK {
            return Err(format!(
                "took {elapsed:?}, more than the {TIMEOUT:?} timeout + {SLACK:?}\n{}",
                context()
            )
            .into());
        }
        if case.behaviour == "huge-body" {
            // Give the server a moment to notice the closed connection.
            tokio::time::sleep(Duration::from_millis(200)).await;
            let written = server.written.load(Ordering::Relaxed);
            // What the client read is at most the cap plus one chunk; what the kernel accepted
            // from the server adds the loopback socket buffers (a few MiB), never the 100 MB.
            let bound = CAP + 24 * 1024 * 1024;
            if written > bound {
                return Err(format!(
                    "the server got {written} bytes of its {} B body out: the client kept \
                     reading past the {CAP} B cap\n{}",
                    servers::HUGE,
                    context()
                )
                .into());
            }
            println!(
                "{}: server wrote {written} of {} bytes before the client hung up",
                case.name,
                servers::HUGE
            );
        }
        println!("{}: failed as expected in {elapsed:?}", case.name);
        Ok(())
    })
}

fn main() {
    let arguments = Arguments::from_args();
    let cases: Vec<Case> = serde_json::from_str(include_str!("cases.json")).expect("cases.json");
    let trials = cases
        .into_iter()
        .map(|case| Trial::test(format!("hostile_bank::{}", case.name), move || check(&case)))
        .collect();
    libtest_mimic::run(&arguments, trials).exit();
}
