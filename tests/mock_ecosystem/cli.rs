//! `dsop-harness mocks serve`: settings merging, and the binary end to end (manifest on stdout,
//! journal file, clean stop on SIGINT).

use crate::helpers::*;
use dsop_harness::{FrontEnd, MessageKind, ServeArgs, ServeFile, ServeSettings};
use libtest_mimic::{Failed, Trial};
use serde_json::Value;
use std::process::{Command, Stdio};

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test("cli::mocks_serve::flags_win_over_the_config_file", || {
            let file: ServeFile = serde_json::from_str(
                r#"{"banks": 7, "seed": 3, "tls": true, "frontEnd": "hyper",
                    "faults": {"2": ["latency"]}, "bankFrontEnds": {"1": "wiremock"}}"#,
            )
            .map_err(|e| e.to_string())?;
            let args = ServeArgs {
                banks: Some(4),
                faults: vec!["2=server-error:1".into(), "910000012=rate-limited".into()],
                ..ServeArgs::default()
            };
            let settings = ServeSettings::merge(file, &args).map_err(|e| e.to_string())?;
            check(
                settings.generate.banks == 4
                    && settings.generate.seed == 3
                    && settings.tls
                    && settings.front_end == FrontEnd::Hyper
                    && settings.faults["2"] == ["latency", "server-error:1"]
                    && settings.faults["910000012"] == ["rate-limited"],
                || format!("{settings:?}"),
            )?;
            let bad = ServeArgs {
                faults: vec!["server-error".into()],
                ..ServeArgs::default()
            };
            check(
                ServeSettings::merge(ServeFile::default(), &bad).is_err(),
                || "a fault without BANK= was accepted".into(),
            )?;
            let unknown: Result<ServeFile, _> = serde_json::from_str(r#"{"bank": 3}"#);
            check(unknown.is_err(), || {
                "a misspelt setting was accepted".into()
            })
        }),
        Trial::test(
            "cli::mocks_serve::binary_prints_manifest_and_writes_journal",
            serve_binary,
        ),
    ]
}

fn serve_binary() -> Result<(), Failed> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    // Reuse this binary's trust directory material: copy is not needed, init is idempotent.
    let trust_dir = trust().path().to_path_buf();
    let journal = dir.path().join("journal.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dsop-harness"))
        .args(["mocks", "serve", "--banks", "4", "--fault", "1=latency"])
        .arg("--trust-dir")
        .arg(&trust_dir)
        .arg("--journal")
        .arg(&journal)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let text = read_manifest(&mut child)?;
    let outcome = (|| -> Result<(), Failed> {
        let manifest = parse_manifest(&text)?;
        check(manifest["banks"][0]["faults"][0] == "latency", || {
            format!("{manifest}")
        })?;
        let url = manifest["datakatalog"]["endpoints"]
            .as_str()
            .ok_or("no endpoints")?
            .to_owned();
        let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
        let list: Value = runtime
            .block_on(async { reqwest::get(&url).await?.json::<Value>().await })
            .map_err(|e| e.to_string())?;
        valid(MessageKind::DatakatalogEndpoints, &list)?;
        check(list.as_array().map(Vec::len) == Some(4), || {
            format!("{list}")
        })
    })();
    let (interrupted, status) = interrupt(&mut child)?;
    outcome?;
    check(interrupted.success() && status.success(), || {
        format!("exit {status:?}")
    })?;
    let lines = std::fs::read_to_string(&journal).map_err(|e| e.to_string())?;
    let entries: Vec<Value> = lines
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    check(
        entries.iter().any(|e| e["mock"] == "datakatalog")
            && entries.iter().filter(|e| e["mock"] == "certpub").count() == 8,
        || format!("journal {lines}"),
    )
}
