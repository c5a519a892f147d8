//! User stubs (`mocks serve --stubs FILE`, docs/mock-ecosystem.md "User stubs"): the example
//! file `examples/stubs/odd-bank-answer.toml` served by the real binary and in-process on both
//! front ends (matching requests get the stub's answer, others reach the DSOP handler, `times`
//! runs out, the journal marks stubbed answers), an invalid file exits 2 naming the stub and the
//! field, and the reference police client (`police lookup`) receives the stubs' answers.

use crate::helpers::*;
use dsop_harness::{
    Artifact, Ecosystem, EcosystemConfig, FrontEnd, MessageKind, StubFile, TranscriptEntry,
};
use libtest_mimic::{Failed, Trial};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test(
            "stubs::binary_serves_the_example_stubs_then_the_dsop_handler",
            binary_serves_the_example,
        ),
        Trial::test(
            "stubs::both_front_ends_answer_alike_and_journal_the_stub",
            both_front_ends,
        ),
        Trial::test(
            "stubs::invalid_stub_files_exit_2_naming_stub_and_field",
            invalid_files_exit_2,
        ),
        Trial::test(
            "stubs::police_lookup_receives_the_stubbed_answers",
            police_lookup_with_stubs,
        ),
    ]
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_dsop-harness")
}

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/stubs/odd-bank-answer.toml")
}

/// The example file's stubs as written (the test reads them, it does not repeat them).
fn example_toml() -> Value {
    let text = std::fs::read_to_string(example()).expect("example stub file");
    toml::from_str(&text).expect("example stub file is TOML")
}

fn stub_named(name: &str) -> Value {
    example_toml()["stub"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["name"] == name).cloned())
        .unwrap_or_else(|| panic!("the example has no stub {name:?}"))
}

fn maintenance_page() -> Vec<u8> {
    let file = stub_named("accounts-503-html-once")["response"]["body_file"]
        .as_str()
        .expect("body_file")
        .to_owned();
    std::fs::read(example().parent().expect("dir").join(file)).expect("body file")
}

struct Answer {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

async fn get(client: &reqwest::Client, url: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = client.get(url);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = request.send().await.expect("an answer");
    Answer {
        status: response.status().as_u16(),
        content_type: response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
        body: response.bytes().await.expect("body").to_vec(),
    }
}

/// Checks that `answer` is the DSOP handler's refusal of a request without a token (401
/// `ACC-010`, digest 6.2), not a stub's answer.
fn dsop_refusal(what: &str, answer: &Answer) -> Result<(), Failed> {
    let body: Value = serde_json::from_slice(&answer.body)
        .map_err(|e| format!("{what}: not the DSOP error body: {e}"))?;
    valid(MessageKind::Error, &body)?;
    check(answer.status == 401 && body["code"] == "ACC-010", || {
        format!("{what}: {} {body}", answer.status)
    })
}

/// The requests of the example against the bank at `bank_url` (`…/v2`), each answer checked:
/// two come from stubs, four from the DSOP handler.
async fn exercise(bank_url: &str) -> Result<(), Failed> {
    let client = reqwest::Client::new();
    let party = [("PartyID", "09856993601")];
    // The header matcher: without PartyID the stub does not match (and `times` is not spent).
    let without = get(&client, &format!("{bank_url}/accounts"), &[]).await;
    dsop_refusal("Accounts without PartyID", &without)?;
    // The first Accounts call: the stub's 503 with the HTML page.
    let first = get(&client, &format!("{bank_url}/accounts"), &party).await;
    check(
        first.status == 503
            && first.content_type.starts_with("text/html")
            && first.body == maintenance_page(),
        || {
            format!(
                "first Accounts call: {} {} {}",
                first.status,
                first.content_type,
                String::from_utf8_lossy(&first.body)
            )
        },
    )?;
    // `times = 1`: the second reaches the DSOP handler.
    let second = get(&client, &format!("{bank_url}/accounts"), &party).await;
    dsop_refusal("second Accounts call", &second)?;
    // Transactions, first page: the stub's JWE, decrypted with the police key.
    let transactions = get(
        &client,
        &format!("{bank_url}/accounts/some-reference/transactions"),
        &[("Accept", "application/jose")],
    )
    .await;
    check(
        transactions.status == 200 && transactions.content_type == "application/jose",
        || {
            format!(
                "Transactions: {} {}",
                transactions.status, transactions.content_type
            )
        },
    )?;
    let key = trust()
        .key(Artifact::ConsumerEncryptionKey)
        .map_err(|e| e.to_string())?;
    let (plain, alg, enc) = dsop_harness::jwe::decrypt(
        String::from_utf8_lossy(&transactions.body).trim(),
        key.pkcs8_der(),
    )
    .map_err(|e| format!("the stub's JWE does not decrypt with the police key: {e}"))?;
    let payload: Value = serde_json::from_slice(&plain).map_err(|e| e.to_string())?;
    let written = stub_named("transactions-empty-with-extra-field")["response"]["json"].clone();
    check(payload == written, || {
        format!("Transactions payload {payload}, the stub file says {written}")
    })?;
    // The odd answer is still a valid Transactions document (unknown fields are allowed).
    valid(MessageKind::Transactions, &payload)?;
    check(
        alg == dsop_harness::jwe::DEFAULT_ALG && enc == dsop_harness::jwe::DEFAULT_ENC,
        || format!("JWE {alg}/{enc}"),
    )?;
    // A later page (`query_absent = ["page"]`) and another endpoint reach the DSOP handler.
    for url in [
        format!("{bank_url}/accounts/some-reference/transactions?page=1000"),
        format!("{bank_url}/accounts/some-reference/cards"),
    ] {
        dsop_refusal(&url, &get(&client, &url, &[]).await)?;
    }
    Ok(())
}

/// What the journal must show for [`exercise`]: the two stubbed answers marked with their
/// names and no violations; every other bank entry unmarked.
fn journal_marks(entries: &[(String, String, u16, Option<String>, usize)]) -> Result<(), Failed> {
    let stubbed: Vec<_> = entries.iter().filter(|e| e.3.is_some()).collect();
    let names: Vec<(&str, u16)> = stubbed
        .iter()
        .map(|e| (e.3.as_deref().unwrap_or_default(), e.2))
        .collect();
    check(
        names
            == [
                ("accounts-503-html-once", 503),
                ("transactions-empty-with-extra-field", 200),
            ],
        || format!("stub marks in the journal: {entries:?}"),
    )?;
    check(stubbed.iter().all(|e| e.4 == 0), || {
        format!("a stubbed entry carries violations: {entries:?}")
    })?;
    let unmarked = entries
        .iter()
        .filter(|e| e.0.starts_with("bank:") && e.3.is_none())
        .count();
    check(unmarked == 4, || {
        format!("expected 4 bank entries answered by the DSOP handler: {entries:?}")
    })
}

fn binary_serves_the_example() -> Result<(), Failed> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let journal = dir.path().join("journal.jsonl");
    let mut child = Command::new(bin())
        .args(["mocks", "serve", "--banks", "4"])
        .arg("--stubs")
        .arg(example())
        .arg("--trust-dir")
        .arg(trust().path())
        .arg("--journal")
        .arg(&journal)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let text = read_manifest(&mut child)?;
    let outcome = (|| -> Result<(), Failed> {
        let manifest = parse_manifest(&text)?;
        let url = manifest["banks"][1]["url"]
            .as_str()
            .ok_or("no bank url")?
            .to_owned();
        runtime().block_on(exercise(&url))
    })();
    let (interrupted, status) = interrupt(&mut child)?;
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        use std::io::Read as _;
        pipe.read_to_string(&mut stderr)
            .map_err(|e| e.to_string())?;
    }
    outcome.map_err(|e| format!("{}\nstderr:\n{stderr}", e.message().unwrap_or_default()))?;
    check(interrupted.success() && status.success(), || {
        format!("exit {status:?}\n{stderr}")
    })?;
    // At exit, per stub, how often it answered (a stub that never matched is named).
    for line in [
        "stub \"accounts-503-html-once\" answered 1 request(s)",
        "stub \"transactions-empty-with-extra-field\" answered 1 request(s)",
    ] {
        check(stderr.contains(line), || {
            format!("stderr lacks {line:?}:\n{stderr}")
        })?;
    }
    let lines = std::fs::read_to_string(&journal).map_err(|e| e.to_string())?;
    let entries: Vec<Value> = lines
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            (
                e["mock"].as_str().unwrap_or_default().to_owned(),
                e["path"].as_str().unwrap_or_default().to_owned(),
                e["status"].as_u64().unwrap_or_default() as u16,
                e.get("stub").and_then(Value::as_str).map(str::to_owned),
                e["violations"].as_array().map_or(0, Vec::len),
            )
        })
        .collect();
    journal_marks(&rows)?;
    // The stubbed Transactions answer is journaled as the plaintext behind the JWE.
    let transactions = entries
        .iter()
        .find(|e| e["stub"] == "transactions-empty-with-extra-field")
        .ok_or("no stubbed Transactions entry")?;
    check(
        transactions["response"]
            == stub_named("transactions-empty-with-extra-field")["response"]["json"],
        || format!("journaled payload {}", transactions["response"]),
    )
}

fn both_front_ends() -> Result<(), Failed> {
    let population = fixture_population();
    let stubs = Arc::new(
        StubFile::load(&example())
            .map_err(|e| e.to_string())?
            .resolve(&population)
            .map_err(|e| e.to_string())?,
    );
    for front_end in FrontEnd::ALL {
        runtime().block_on(async {
            let mut config = EcosystemConfig::new(
                trust(),
                Arc::clone(&population),
                Arc::clone(&stubs).wrap(dsop_harness::mock_bank_factory()),
            );
            config.default_front_end = front_end;
            let ecosystem = Ecosystem::start(config)
                .await
                .map_err(|e| format!("{front_end}: {e}"))?;
            let url = ecosystem.manifest().banks[0].url.clone();
            exercise(&url)
                .await
                .map_err(|e| format!("{front_end}: {}", e.message().unwrap_or_default()))?;
            let entries = ecosystem.journal().entries();
            let rows: Vec<_> = entries
                .iter()
                .map(|e| {
                    (
                        e.mock.clone(),
                        e.path.clone(),
                        e.status,
                        e.stub.clone(),
                        e.violations.len(),
                    )
                })
                .collect();
            journal_marks(&rows).map_err(|e| format!("{front_end}: {e:?}"))?;
            // Reports read the journal through transcripts: the mark travels with it.
            let marked: Vec<_> = entries
                .iter()
                .map(TranscriptEntry::from_journal)
                .filter_map(|t| t.stub)
                .collect();
            check(marked.len() == 2, || {
                format!("{front_end}: transcript stub marks {marked:?}")
            })
        })?;
    }
    Ok(())
}

/// Runs `mocks serve --stubs FILE` and returns its exit code and stderr; a process still
/// running after a minute is killed (a hang guard).
fn serve_with(stubs: &Path) -> Result<(Option<i32>, String), Failed> {
    let mut child = Command::new(bin())
        .args(["mocks", "serve", "--banks", "4"])
        .arg("--stubs")
        .arg(stubs)
        .arg("--trust-dir")
        .arg(trust().path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                use std::io::Read as _;
                pipe.read_to_string(&mut stderr)
                    .map_err(|e| e.to_string())?;
            }
            return Ok((status.code(), stderr));
        }
        if started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            return Err("mocks serve with an invalid stub file did not exit".into());
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

fn invalid_files_exit_2() -> Result<(), Failed> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let valid = "[stub.request]\npath = \"/v2/accounts\"\n[stub.response]\nstatus = 503\n";
    let cases = [
        (
            "misspelt.toml",
            "[[stub]]\nname = \"odd\"\n[stub.response]\nstauts = 503\n".to_owned(),
            "stub #1 \"odd\": response: unknown field `stauts`",
        ),
        (
            "bad-regex.toml",
            format!(
                "[[stub]]\nname = \"ok\"\n{valid}[[stub]]\nname = \"broken\"\n\
                 [stub.request]\npath_regex = \"^/v2/accounts/(\"\n[stub.response]\nstatus = 200\n"
            ),
            "stub #2 \"broken\": request.path_regex: invalid regex",
        ),
        (
            "unknown-bank.toml",
            format!("[[stub]]\nname = \"nobank\"\nbank = \"123456785\"\n{valid}"),
            "stub #1 \"nobank\": bank: \"123456785\" is not",
        ),
        (
            "missing-body.toml",
            "[[stub]]\nname = \"file\"\n[stub.response]\nstatus = 200\nbody_file = \"nope.html\"\n"
                .to_owned(),
            "stub #1 \"file\": response.body_file: cannot read",
        ),
        (
            "not-toml.toml",
            "[[stub]\nname = 1\n".to_owned(),
            "stubs file",
        ),
    ];
    for (file, text, expected) in cases {
        let path = dir.path().join(file);
        std::fs::write(&path, &text).map_err(|e| e.to_string())?;
        let (code, stderr) = serve_with(&path)?;
        check(code == Some(2) && stderr.contains(expected), || {
            format!("{file}: exit {code:?}, stderr lacks {expected:?}:\n{stderr}")
        })?;
        check(stderr.contains(&path.display().to_string()), || {
            format!("{file}: the error does not name the file:\n{stderr}")
        })?;
    }
    Ok(())
}

fn police_lookup_with_stubs() -> Result<(), Failed> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let journal = dir.path().join("journal.jsonl");
    let result = dir.path().join("result.json");
    let trust_dir = trust().path().to_path_buf();
    let mut child = Command::new(bin())
        .args(["mocks", "serve"])
        .arg("--stubs")
        .arg(example())
        .arg("--trust-dir")
        .arg(&trust_dir)
        .arg("--journal")
        .arg(&journal)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let text = read_manifest(&mut child)?;
    // The default pack's co-owner edge case (docs/mock-ecosystem.md, "Try the whole flow").
    let party = "09856993601";
    let (from, to) = ("2025-01-01", "2026-11-01");
    let case_id = uuid::Uuid::new_v4().to_string();
    let outcome = (|| -> Result<String, Failed> {
        let manifest = parse_manifest(&text)?;
        let order = Command::new(bin())
            .args(["eo", "sign", "--party-id", party, "--from-date", from])
            .args(["--to-date", to, "--case-id", &case_id])
            .arg("--trust-dir")
            .arg(&trust_dir)
            .output()
            .map_err(|e| e.to_string())?;
        check(order.status.success(), || {
            format!("eo sign: {}", String::from_utf8_lossy(&order.stderr))
        })?;
        let lookup = Command::new(bin())
            .args(["police", "lookup"])
            .env(
                "DSOP_MASKINPORTEN_URL",
                manifest["maskinporten"]["tokenEndpoint"]
                    .as_str()
                    .unwrap_or_default(),
            )
            .env(
                "DSOP_REGISTRY_URL",
                manifest["registry"]["url"].as_str().unwrap_or_default(),
            )
            .env(
                "DSOP_CATALOG_URL",
                manifest["datakatalog"]["url"].as_str().unwrap_or_default(),
            )
            .env("DSOP_TRUST_DIR", &trust_dir)
            .env("DSOP_PARTY_ID", party)
            .env("DSOP_FROM_DATE", from)
            .env("DSOP_TO_DATE", to)
            .env("DSOP_ONLY_PRIMARY_OWNER", "false")
            .env("DSOP_REQUESTER_ID", "pseudo-1")
            .env(
                "DSOP_LEGAL_MANDATE",
                "Straffeprosessloven §210 (3) første punktum",
            )
            .env("DSOP_CASE_ID", &case_id)
            .env(
                "DSOP_EXTRADITION_ORDER",
                String::from_utf8_lossy(&order.stdout).trim(),
            )
            .env("DSOP_OUTPUT", &result)
            .env_remove("DSOP_POLICE_FAULTS")
            .output()
            .map_err(|e| e.to_string())?;
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&lookup.stdout),
            String::from_utf8_lossy(&lookup.stderr)
        );
        check(lookup.status.success(), || {
            format!("police lookup: {:?}\n{said}", lookup.status)
        })?;
        Ok(said)
    })();
    let (interrupted, status) = interrupt(&mut child)?;
    let said = outcome?;
    check(interrupted.success() && status.success(), || {
        format!("mocks serve: exit {status:?}")
    })?;
    let case: Value = serde_json::from_slice(&std::fs::read(&result).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    valid(MessageKind::CaseResult, &case)?;
    let entries: Vec<Value> = std::fs::read_to_string(&journal)
        .map_err(|e| e.to_string())?
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let banks = case["banks"].as_array().ok_or("no banks in the result")?;
    check(!banks.is_empty(), || format!("no bank in the case: {said}"))?;
    let mut accounts_seen = 0;
    for bank in banks {
        let org = bank["orgNumber"].as_str().unwrap_or_default();
        let mock = format!("bank:{org}");
        let calls: Vec<&Value> = entries
            .iter()
            .filter(|e| e["mock"] == mock.as_str())
            .collect();
        // The first Accounts call met the 503 stub, the client retried and the DSOP handler
        // answered (digest 7.6).
        let accounts: Vec<(u64, Option<&str>)> = calls
            .iter()
            .filter(|e| e["path"] == "/v2/accounts")
            .map(|e| (e["status"].as_u64().unwrap_or_default(), e["stub"].as_str()))
            .collect();
        check(
            accounts.len() >= 2
                && accounts[0] == (503, Some("accounts-503-html-once"))
                && accounts[1..]
                    .iter()
                    .all(|(s, stub)| *s == 200 && stub.is_none()),
            || format!("{mock}: Accounts calls {accounts:?}\n{said}"),
        )?;
        // Every Transactions call was answered by the stub, so the result holds its empty list.
        let transaction_calls: Vec<&&Value> = calls
            .iter()
            .filter(|e| {
                e["path"]
                    .as_str()
                    .is_some_and(|p| p.ends_with("/transactions"))
            })
            .collect();
        check(
            transaction_calls
                .iter()
                .all(|e| e["stub"] == "transactions-empty-with-extra-field"),
            || format!("{mock}: Transactions calls not all stubbed: {transaction_calls:?}"),
        )?;
        for account in bank["accounts"].as_array().into_iter().flatten() {
            if account["dataNotDelivered"] == true {
                continue;
            }
            accounts_seen += 1;
            check(account["transactions"] == serde_json::json!([]), || {
                format!(
                    "{mock}: account {} has transactions {}, the stub served none",
                    account["account"]["accountIdentifier"], account["transactions"]
                )
            })?;
        }
        check(!transaction_calls.is_empty(), || {
            format!("{mock}: no Transactions call")
        })?;
    }
    check(accounts_seen > 0, || {
        format!("no account in the result: {case}")
    })
}
