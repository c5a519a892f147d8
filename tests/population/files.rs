//! The pack files: schema validation, drift of the committed default, hand edits, the CLI.

use crate::helpers::{check, default_pack_path, pack};
use dsop_harness::{
    edge_case_table, execute, CliCommand, ExportArgs, FixturesCommand, MessageKind, Population,
    PopulationConfig, PopulationError, ShowArgs,
};
use libtest_mimic::{Failed, Trial};

/// Runs `dsop-harness fixtures …` in this process, writing what it prints to `out`.
fn run(command: &FixturesCommand, out: &mut Vec<u8>) -> anyhow::Result<u8> {
    execute(CliCommand::Fixtures(command.clone()), out)
}

/// Size of the large account in the export test: beyond the inline limit.
const LARGE: u64 = 20_000;

const REGENERATE: &str = "cargo run -- fixtures export --out mocks/population/default.json";

fn validate_value(value: &serde_json::Value, what: &str) -> Result<(), Failed> {
    dsop_harness::validate(MessageKind::Population, value).map_err(|violations| {
        let list: Vec<String> = violations
            .iter()
            .take(10)
            .map(|v| format!("  {v}"))
            .collect();
        Failed::from(format!(
            "{what} fails schemas/population.schema.json:\n{}",
            list.join("\n")
        ))
    })
}

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test(
            "files::default_pack_validates_against_the_population_schema",
            || {
                let text = std::fs::read_to_string(default_pack_path())?;
                validate_value(
                    &serde_json::from_str(&text)?,
                    "mocks/population/default.json",
                )?;
                check(pack().problems().is_empty(), || {
                    format!("{:?}", pack().problems())
                })
            },
        ),
        Trial::test(
            "files::generated_population_validates_against_the_population_schema",
            || {
                let p = Population::generate(&PopulationConfig {
                    seed: 99,
                    banks: 7,
                    persons: 40,
                    companies: 5,
                    ..PopulationConfig::default_pack()
                });
                validate_value(&serde_json::to_value(&p)?, "population seed 99")?;
                check(p.problems().is_empty(), || format!("{:?}", p.problems()))
            },
        ),
        Trial::test("files::default_pack_has_not_drifted_from_its_seed", || {
            let committed = std::fs::read_to_string(default_pack_path())?;
            let regenerated =
                Population::generate(&PopulationConfig::default_pack()).to_pretty_json();
            check(committed == regenerated, || {
                format!(
                    "mocks/population/default.json differs from what its seed generates \
                     (hand edit, or the generator changed). Regenerate it with:\n  {REGENERATE}"
                )
            })
        }),
        Trial::test("files::hand_edited_pack_loads", || {
            let mut value: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(default_pack_path())?)?;
            value["persons"][3]["name"] = "Redigert Navn".into();
            value["accounts"][0]["transactions"] = serde_json::json!([]);
            value.as_object_mut().unwrap().remove("edgeCases");
            let text = serde_json::to_string(&value)?;
            let loaded = Population::from_json_str(&text, "edited.json".as_ref())?;
            check(
                loaded.persons[3].name == "Redigert Navn" && loaded.edge_cases().is_empty(),
                || "the edit did not survive loading".into(),
            )
        }),
        Trial::test(
            "files::pack_with_a_real_or_invalid_person_number_is_rejected",
            || {
                let mut value: serde_json::Value =
                    serde_json::from_str(&std::fs::read_to_string(default_pack_path())?)?;
                // Month field 01 instead of 81: a (possibly real) non-synthetic number.
                let id = value["persons"][1]["id"].as_str().unwrap().to_owned();
                let month: u32 = id[2..4].parse()?;
                let real = format!("{}{:02}{}", &id[..2], month - 80, &id[4..]);
                value["persons"][1]["id"] = real.into();
                let text = serde_json::to_string(&value)?;
                match Population::from_json_str(&text, "edited.json".as_ref()) {
                    Err(PopulationError::Inconsistent { problems, .. }) => {
                        check(problems.iter().any(|p| p.contains("person")), || {
                            format!("{problems:?}")
                        })
                    }
                    other => Err(format!("expected Inconsistent, got {other:?}").into()),
                }
            },
        ),
        Trial::test("files::pack_failing_the_schema_is_rejected", || {
            let mut value: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(default_pack_path())?)?;
            value["accounts"][2]["type"] = "chequeAccount".into();
            let text = serde_json::to_string(&value)?;
            match Population::from_json_str(&text, "edited.json".as_ref()) {
                Err(PopulationError::Schema { violations, .. }) => check(
                    violations.iter().any(|v| v.pointer == "/accounts/2/type"),
                    || format!("{violations:?}"),
                ),
                other => Err(format!("expected a schema error, got {other:?}").into()),
            }
        }),
        Trial::test("files::cli_export_writes_the_pack_and_a_summary", || {
            let dir = tempfile::tempdir()?;
            let out = dir.path().join("pack.json");
            let command = FixturesCommand::Export(ExportArgs {
                out: out.clone(),
                seed: 5,
                banks: 4,
                persons: 18,
                companies: 2,
                reference_date: None,
                // Beyond the inline limit, so the list goes to a companion file (the
                // 1 000 000-transaction export is measured in docs/performance.md, not here).
                large_account_transactions: Some(LARGE),
            });
            let mut stdout = Vec::new();
            let code = run(&command, &mut stdout)?;
            let line = String::from_utf8(stdout)?;
            check(code == 0 && line.lines().count() == 2, || {
                format!("exit {code}: {line}")
            })?;
            let (loaded, fingerprint) = Population::load_with_fingerprint(&out)?;
            check(
                line.contains(&format!("pack fingerprint {fingerprint}")),
                || line.clone(),
            )?;
            check(loaded.seed == 5 && loaded.banks.len() == 4, || {
                "wrong pack written".into()
            })?;
            // The large list is plain data in a companion NDJSON file, not a recipe.
            let text = std::fs::read_to_string(&out)?;
            check(!text.contains("generatedTransactions"), || {
                "the pack still holds a generator recipe".into()
            })?;
            let companion = loaded
                .accounts
                .iter()
                .find_map(|a| a.transactions_file.as_ref())
                .ok_or("no companion transaction file")?;
            let lines = std::io::BufRead::lines(std::io::BufReader::new(std::fs::File::open(
                dir.path().join(&companion.path),
            )?))
            .count();
            check(companion.count == LARGE && lines == 20_000, || {
                format!("companion: count {}, {lines} lines", companion.count)
            })?;
            let mut shown = Vec::new();
            run(&FixturesCommand::Show(ShowArgs { file: out }), &mut shown)?;
            let shown = String::from_utf8(shown)?;
            check(shown == edge_case_table(&loaded), || {
                "show output differs".into()
            })?;
            check(
                shown.contains("shielded-person") && shown.contains("digest 4.6"),
                || shown,
            )
        }),
        Trial::test(
            "files::pack_transaction_schema_is_the_wire_transaction_but_the_raw_card",
            pack_transaction_schema_follows_the_wire_schema,
        ),
        Trial::test(
            "files::mocks_serve_and_fixtures_export_print_the_same_fingerprint",
            serve_and_export_agree,
        ),
        Trial::test(
            "files::companion_file_is_served_page_by_page_as_generated_digest_7_4",
            companion_file_pages_equal_the_generated_list,
        ),
        Trial::test(
            "files::python_loader_example_prints_the_counts_of_fixtures_show",
            python_loader_matches_fixtures_show,
        ),
        Trial::test("files::cli_show_rejects_a_missing_file", || {
            let command = FixturesCommand::Show(ShowArgs {
                file: "/nonexistent/pack.json".into(),
            });
            check(run(&command, &mut Vec::new()).is_err(), || {
                "no error".into()
            })
        }),
    ]
}

/// `examples/pack-loader/load_pack.py` (standard library only) reads an exported pack with a
/// companion NDJSON file and prints the per-bank counts `fixtures show` prints.
fn python_loader_matches_fixtures_show() -> Result<(), Failed> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("pack.json");
    let command = FixturesCommand::Export(ExportArgs {
        out: out.clone(),
        seed: 11,
        banks: 4,
        persons: 18,
        companies: 2,
        reference_date: None,
        large_account_transactions: Some(dsop_harness::INLINE_TRANSACTION_LIMIT + 5),
    });
    run(&command, &mut Vec::new())?;
    let mut shown = Vec::new();
    run(
        &FixturesCommand::Show(ShowArgs { file: out.clone() }),
        &mut shown,
    )?;
    let shown = String::from_utf8(shown)?;
    let section = |text: &str| -> Vec<String> {
        text.lines()
            .skip_while(|l| *l != "Counts per bank:")
            .take_while(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/pack-loader/load_pack.py"
    );
    let output = std::process::Command::new("python3")
        .arg(script)
        .arg(&out)
        .output()
        .map_err(|e| format!("running python3 {script}: {e} (the test needs python3)"))?;
    check(output.status.success(), || {
        format!(
            "the loader failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })?;
    let printed = String::from_utf8(output.stdout)?;
    let want = section(&shown);
    check(want.len() == 5, || {
        format!("fixtures show printed {want:?}")
    })?;
    check(section(&printed) == want, || {
        format!(
            "the Python loader printed\n{printed}\nfixtures show printed\n{}",
            want.join("\n")
        )
    })?;
    // The companion file was really read: one bank counts the large account's lines.
    check(
        want.iter().any(|l| {
            l.split("transactions ")
                .nth(1)
                .and_then(|t| t.split_whitespace().next())
                .and_then(|n| n.parse::<u64>().ok())
                .is_some_and(|n| n > dsop_harness::INLINE_TRANSACTION_LIMIT)
        }),
        || format!("no bank counts the companion file's transactions: {want:?}"),
    )
}

/// A large list exported to a companion NDJSON file and loaded back is served, page by page
/// (the oracle the mock banks answer from), exactly as the in-memory generator produced it:
/// same transactions in the same order, a period cut by booking day, pages of 1000.
fn companion_file_pages_equal_the_generated_list() -> Result<(), Failed> {
    use dsop_harness::Period;
    use dsop_harness::{generated_transaction, index_range, EdgeCaseKind};
    use dsop_harness::{query::cursor_of, query::transactions, query::PageRequest};
    let generated = Population::generate(&PopulationConfig {
        large_account_transactions: Some(LARGE),
        ..PopulationConfig::default_pack()
    });
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("pack.json");
    generated.save(&out)?;
    let loaded = Population::load(&out)?;
    let case = loaded
        .edge_case(EdgeCaseKind::LargeAccount)
        .ok_or("no large account")?;
    let reference = case.account_reference.clone().ok_or("no reference")?;
    let bank = case.bank.clone().ok_or("no bank")?;
    let source = generated
        .accounts
        .iter()
        .find(|a| a.account_reference == reference)
        .ok_or("account missing in the generated population")?;
    let recipe = source
        .generated_transactions
        .as_ref()
        .ok_or("the generated large account has no recipe")?;
    let file = loaded
        .accounts
        .iter()
        .find(|a| a.account_reference == reference)
        .and_then(|a| a.transactions_file.as_ref())
        .ok_or("the loaded large account has no companion file")?;
    check(file.count == LARGE && file.index.is_some(), || {
        format!(
            "companion count {} indexed {}",
            file.count,
            file.index.is_some()
        )
    })?;
    // A period inside the range, so both ends cut the list.
    let from = recipe.first_date + chrono::Days::new(100);
    let to = recipe.last_date - chrono::Days::new(100);
    let period = Period::new(from, to).map_err(|e| e.to_string())?;
    let range = index_range(recipe, from, to);
    let want: Vec<String> = range
        .clone()
        .map(|i| generated_transaction(source, recipe, i).transaction_identifier)
        .collect();
    let mut got = Vec::new();
    let mut page = PageRequest::first(1000);
    let mut pages = 0;
    loop {
        let body = transactions(&loaded, &bank, &reference, period, &page)?;
        pages += 1;
        got.extend(
            body.transactions
                .iter()
                .map(|t| t.transaction_identifier.clone()),
        );
        match body
            .links
            .iter()
            .find(|l| l.rel == "next")
            .and_then(cursor_of)
        {
            Some(cursor) => page = PageRequest::at(cursor, 1000),
            None => break,
        }
    }
    check(got == want && want.len() > 1000, || {
        format!(
            "served {} transactions in {pages} pages, the generator has {} in the period",
            got.len(),
            want.len()
        )
    })?;
    check(pages == want.len().div_ceil(1000), || {
        format!("{pages} pages")
    })
}

/// `mocks serve` and `fixtures export` with the same population options write the same pack
/// (same fingerprint), and the mocks serve it as loaded from that file.
fn serve_and_export_agree() -> Result<(), Failed> {
    use dsop_harness::{ServeArgs, ServeFile, ServeSettings};
    let dir = tempfile::tempdir()?;
    let exported = dir.path().join("exported.json");
    let mut stdout = Vec::new();
    run(
        &FixturesCommand::Export(ExportArgs {
            out: exported.clone(),
            seed: 5,
            banks: 4,
            persons: 18,
            companies: 3,
            reference_date: None,
            large_account_transactions: None,
        }),
        &mut stdout,
    )?;
    let printed = String::from_utf8(stdout)?;
    let export_fingerprint = printed
        .lines()
        .find_map(|l| l.strip_prefix("pack fingerprint "))
        .ok_or("fixtures export printed no fingerprint")?
        .to_owned();
    let served = dir.path().join("served.json");
    let settings = ServeSettings::merge(
        ServeFile::default(),
        &ServeArgs {
            seed: Some(5),
            banks: Some(4),
            persons: Some(18),
            companies: Some(3),
            pack_out: Some(served.clone()),
            ..ServeArgs::default()
        },
    )
    .map_err(|e| e.to_string())?;
    let (population, path, serve_fingerprint) = settings.population().map_err(|e| e.to_string())?;
    check(serve_fingerprint == export_fingerprint, || {
        format!("serve {serve_fingerprint}, export {export_fingerprint}")
    })?;
    check(
        path == served && std::fs::read(&served)? == std::fs::read(&exported)?,
        || "the served pack differs from the exported one".into(),
    )?;
    check(population == Population::load(&exported)?, || {
        "the served population is not the exported pack as loaded".into()
    })
}

/// `PackTransaction` / `PackPaymentCard` of the population schema are copies of the wire
/// `Transaction` / `TransactionPaymentCard` (common.schema.json) with references rebased and
/// only the card number raw: the copy cannot drift from the wire schema unnoticed.
fn pack_transaction_schema_follows_the_wire_schema() -> Result<(), Failed> {
    use serde_json::Value;
    let read = |name: &str| -> Result<Value, Failed> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/").to_owned() + name;
        Ok(serde_json::from_str(&std::fs::read_to_string(path)?)?)
    };
    let common = read("common.schema.json")?;
    let pack = read("population.schema.json")?;
    fn rebase(v: &Value) -> Value {
        match v {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| match (k.as_str(), v.as_str()) {
                        ("$ref", Some(r)) if r.starts_with("#/$defs/") => {
                            (k.clone(), Value::String(format!("common.schema.json{r}")))
                        }
                        _ => (k.clone(), rebase(v)),
                    })
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(rebase).collect()),
            other => other.clone(),
        }
    }
    for (wire, copy, raw_field, raw_ref) in [
        (
            "Transaction",
            "PackTransaction",
            "paymentCard",
            "#/$defs/PackPaymentCard",
        ),
        (
            "TransactionPaymentCard",
            "PackPaymentCard",
            "cardIdentifier",
            "#/$defs/RawCardNumber",
        ),
    ] {
        let mut want = rebase(&common["$defs"][wire]);
        want["properties"][raw_field] = serde_json::json!({ "$ref": raw_ref });
        let mut got = pack["$defs"][copy].clone();
        for v in [&mut want, &mut got] {
            if let Some(map) = v.as_object_mut() {
                map.remove("description");
            }
        }
        check(got == want, || {
            format!("schemas/population.schema.json#/$defs/{copy} differs from common.schema.json#/$defs/{wire} beyond the raw card number")
        })?;
    }
    Ok(())
}
