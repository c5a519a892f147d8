//! Schema tests (digest 2, 3, 5, 6): the registry, the digest's printed examples, the OpenAPI
//! examples, the positive/negative table and the OpenAPI agreement. Every table row is its own
//! libtest-mimic trial; a failure prints the row, the input and the violations.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod agreement;
mod helpers;

use dsop_harness::{
    embedded_schema_paths, validate, MessageKind, Profile, SchemaRegistry, BASE_URI,
};
use helpers::*;
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::{json, Value};
use std::collections::BTreeSet;

fn main() {
    let arguments = Arguments::from_args();
    let mut trials = registry_trials();
    trials.extend(example_trials());
    trials.extend(openapi_example_trials());
    trials.extend(table_trials());
    trials.extend(agreement::trials());
    libtest_mimic::run(&arguments, trials).exit();
}

fn check(condition: bool, message: impl FnOnce() -> String) -> Result<(), Failed> {
    if condition {
        Ok(())
    } else {
        Err(message().into())
    }
}

// ---------------------------------------------------------------------------------------------
// The registry itself.

fn registry_trials() -> Vec<Trial> {
    vec![
        Trial::test(
            "registry::every_schema_file_is_embedded_and_vice_versa",
            || {
                let root = crate_dir().join("schemas");
                let mut on_disk = BTreeSet::new();
                let mut stack = vec![root.clone()];
                while let Some(dir) = stack.pop() {
                    for entry in std::fs::read_dir(&dir).unwrap() {
                        let path = entry.unwrap().path();
                        if path.is_dir() {
                            stack.push(path);
                        } else if path.extension().is_some_and(|e| e == "json") {
                            let relative = path.strip_prefix(&root).unwrap();
                            on_disk.insert(relative.to_string_lossy().replace('\\', "/"));
                        }
                    }
                }
                let embedded: BTreeSet<String> =
                    embedded_schema_paths().map(str::to_owned).collect();
                check(on_disk == embedded, || {
                    format!(
                        "not embedded: {:?}\nembedded but missing on disk: {:?}",
                        on_disk.difference(&embedded).collect::<Vec<_>>(),
                        embedded.difference(&on_disk).collect::<Vec<_>>()
                    )
                })
            },
        ),
        Trial::test("registry::compiles_once_and_global_is_shared", || {
            SchemaRegistry::new().map_err(|e| Failed::from(e.to_string()))?;
            let first = registry() as *const SchemaRegistry;
            let second = registry() as *const SchemaRegistry;
            check(first == second, || "global() built twice".into())
        }),
        Trial::test(
            "registry::every_file_has_id_title_digest_description",
            || {
                let mut problems = Vec::new();
                for path in embedded_schema_paths() {
                    let schema = read_json(&crate_dir().join("schemas").join(path));
                    if schema["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
                        problems.push(format!("{path}: $schema is not draft 2020-12"));
                    }
                    if schema["$id"] != format!("{BASE_URI}{path}").as_str() {
                        problems.push(format!("{path}: $id {}", schema["$id"]));
                    }
                    if !schema["title"].is_string() {
                        problems.push(format!("{path}: no title"));
                    }
                    if !schema["description"]
                        .as_str()
                        .is_some_and(|d| d.contains("digest"))
                    {
                        problems.push(format!("{path}: description cites no digest section"));
                    }
                }
                check(problems.is_empty(), || problems.join("\n"))
            },
        ),
        Trial::test("registry::every_pattern_is_anchored", || {
            fn walk(node: &Value, at: String, problems: &mut Vec<String>) {
                match node {
                    Value::Object(map) => {
                        for (key, value) in map {
                            if key == "pattern" {
                                if let Some(p) = value.as_str() {
                                    if !(p.starts_with('^') && p.ends_with('$')) {
                                        problems.push(format!("{at}: {p}"));
                                    }
                                }
                            }
                            walk(value, format!("{at}/{key}"), problems);
                        }
                    }
                    Value::Array(items) => {
                        for (i, item) in items.iter().enumerate() {
                            walk(item, format!("{at}/{i}"), problems);
                        }
                    }
                    _ => {}
                }
            }
            let mut problems = Vec::new();
            for path in embedded_schema_paths() {
                walk(
                    &read_json(&crate_dir().join("schemas").join(path)),
                    path.into(),
                    &mut problems,
                );
            }
            check(problems.is_empty(), || {
                format!("unanchored patterns (digest 3.3):\n{}", problems.join("\n"))
            })
        }),
        Trial::test(
            "registry::kinds_round_trip_and_police_files_exist_only_where_the_profile_differs",
            || {
                let police: Vec<&str> = embedded_schema_paths()
                    .filter_map(|p| p.strip_prefix("police/"))
                    .collect();
                for stem in &police {
                    let kind: MessageKind = stem
                        .trim_end_matches(".schema.json")
                        .parse()
                        .map_err(|e: dsop_harness::UnknownKind| Failed::from(e.to_string()))?;
                    let schema = read_json(&crate_dir().join("schemas/police").join(stem));
                    let all_of = schema["allOf"]
                        .as_array()
                        .ok_or("police schema without allOf")?;
                    check(
                        all_of[0]["$ref"] == format!("../{}.schema.json", kind.as_str()).as_str(),
                        || format!("{stem}: allOf[0] must $ref the common schema"),
                    )?;
                }
                for kind in MessageKind::ALL {
                    check(!kind.spec_section().is_empty(), || {
                        format!("{kind}: no section")
                    })?;
                }
                Ok(())
            },
        ),
        Trial::test("registry::violation_names_pointer_rule_and_section", || {
            let mut document = json!({"responseDetails": {"status": "complete"},
                "accounts": [{"accountIdentifier": "12345678903", "accountReference": "r", "name": "Brukskonto"}]});
            let violations = validate(MessageKind::Accounts, &document).unwrap_err();
            let shown = violations[0].to_string();
            check(
                shown.starts_with("/accounts/0/name: type: ") && shown.ends_with("(digest 3.6)"),
                || format!("display: {shown}"),
            )?;
            check(
                violations[0]
                    .schema_path
                    .starts_with("police/accounts.schema.json#/allOf/1/"),
                || format!("schema_path: {}", violations[0].schema_path),
            )?;
            // The common profile accepts the same document (accounts[].name is D there).
            registry()
                .validate(MessageKind::Accounts, Profile::Common, &document)
                .map_err(|v| Failed::from(render(&v)))?;
            document["accounts"][0]["currency"] = json!("NOK ");
            let violations = registry()
                .validate(MessageKind::Accounts, Profile::Common, &document)
                .unwrap_err();
            let shown = violations[0].to_string();
            check(
                shown.starts_with("/accounts/0/currency: pattern: ")
                    && shown.ends_with("(digest 3.3.1)"),
                || format!("display: {shown}"),
            )
        }),
        Trial::test(
            "registry::applicator_violations_say_the_rule_in_words",
            || {
                let table = read_json(&test_dir().join("negative.json"));
                let mut roles = table["bases"]["roles"]["document"].clone();
                roles["roles"][0]["accountRole"] = json!({"permission": "rightToUseAlone"});
                let violations = validate(MessageKind::Roles, &roles).unwrap_err();
                check(
                    violations.iter().any(|v| {
                        v.pointer == "/roles/0"
                            && v.rule
                                .starts_with("not: roles[] items are AccountRole objects")
                    }),
                    || render(&violations),
                )
            },
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Example payloads printed in the digest: tests/schemas/examples/<section>__<kind>[__<what>].json

fn example_trials() -> Vec<Trial> {
    let dir = test_dir().join("examples");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 10, "examples directory lost its files");
    files
        .into_iter()
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            Trial::test(format!("examples::{name}"), move || {
                let mut parts = name.split("__");
                let section = parts.next().unwrap_or_default();
                let kind: MessageKind = parts
                    .next()
                    .ok_or("file name must be <section>__<kind>[__<what>].json")?
                    .parse()
                    .map_err(|e: dsop_harness::UnknownKind| Failed::from(e.to_string()))?;
                check(section.chars().all(|c| c.is_ascii_digit() || c == '.'), || {
                    format!("{section} is not a digest section")
                })?;
                let document = read_json(&path);
                for profile in Profile::ALL {
                    registry().validate(kind, profile, &document).map_err(|v| {
                        format!("digest {section} example rejected as {kind} ({profile}):\n{}\ninput: {document}", render(&v))
                    })?;
                }
                Ok(())
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Examples in the reference OpenAPI files.

/// OpenAPI error-code examples that are not single codes, and why they must be rejected.
const NOT_A_CODE: &[(&str, &str)] = &[
    (
        "Error404",
        "`ACC-002 or ACC-003` names two alternative codes (digest 7.6: 404 code split UNKNOWN)",
    ),
    (
        "Error500",
        "`ACC-100 or ACC-500` names two alternative codes (digest 7.6)",
    ),
    (
        "Error",
        "`ACC-0xx` is a code family placeholder, not a code (digest 7.6)",
    ),
];

fn openapi_example_trials() -> Vec<Trial> {
    let control =
        read_yaml(&crate_dir().join("../shared/reference/openapi/control-api-v2.0.0.yaml"));
    let mut trials = Vec::new();
    // Every `example` in the Control API file, wherever it is, must be handled here.
    let mut found = Vec::new();
    fn collect(node: &Value, at: String, found: &mut Vec<String>) {
        match node {
            Value::Object(map) => {
                for (key, value) in map {
                    if key == "example" || key == "examples" {
                        found.push(at.clone());
                    }
                    collect(value, format!("{at}/{key}"), found);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    collect(item, format!("{at}/{i}"), found);
                }
            }
            _ => {}
        }
    }
    collect(&control, String::new(), &mut found);
    let handled: Vec<String> = found
        .iter()
        .filter(|at| {
            at.starts_with("/components/schemas/Error")
                && (at.ends_with("/properties/code") || at.ends_with("/properties/message"))
        })
        .cloned()
        .collect();
    let unhandled: Vec<String> = found
        .iter()
        .filter(|a| !handled.contains(a))
        .cloned()
        .collect();
    trials.push(Trial::test(
        "openapi_examples::control_api_every_example_is_handled",
        move || {
            check(unhandled.is_empty() && !handled.is_empty(), || {
                format!(
                    "examples with no test: {unhandled:?} (handled {})",
                    handled.len()
                )
            })
        },
    ));
    let schemas = control["components"]["schemas"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for (name, schema) in schemas {
        if !name.starts_with("Error") {
            continue;
        }
        let document = json!({
            "code": schema["properties"]["code"]["example"],
            "message": schema["properties"]["message"]["example"],
        });
        let expected_invalid = NOT_A_CODE
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, why)| *why);
        trials.push(Trial::test(
            format!("openapi_examples::control_api_{name}"),
            move || match (
                registry().validate(MessageKind::Error, Profile::Police, &document),
                expected_invalid,
            ) {
                (Ok(()), None) => Ok(()),
                (Err(v), Some(_)) if v.iter().any(|v| v.pointer == "/code") => Ok(()),
                (Err(v), None) => Err(format!(
                    "{name} example rejected:\n{}\ninput: {document}",
                    render(&v)
                )
                .into()),
                (result, Some(why)) => Err(format!(
                    "{name} example must be rejected at /code ({why}); got {result:?}"
                )
                .into()),
            },
        ));
    }
    // Registry v1.1.2: response-body examples of the two lookup operations are registry errors
    // (digest 2.4); those of the KFR write API (KFR-xxx, digest 1.4) are not ours and must not
    // pass as a lookup error.
    let registry_api = read_yaml(
        &crate_dir().join("../shared/reference/openapi/kundeforhold-registry-v1.1.2.yaml"),
    );
    let mut bodies = Vec::new();
    for (path, item) in registry_api["paths"]
        .as_object()
        .cloned()
        .unwrap_or_default()
    {
        for (method, operation) in item.as_object().cloned().unwrap_or_default() {
            for (status, response) in operation["responses"]
                .as_object()
                .cloned()
                .unwrap_or_default()
            {
                let Some(media) = response["content"]["application/json"].as_object() else {
                    continue;
                };
                if let Some(example) = media.get("example") {
                    bodies.push((format!("{method}_{path}_{status}"), example.clone()));
                }
                for (name, example) in media
                    .get("examples")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default()
                {
                    bodies.push((
                        format!("{method}_{path}_{status}_{name}"),
                        example["value"].clone(),
                    ));
                }
            }
        }
    }
    assert!(bodies.len() > 10, "registry examples not found");
    for (name, body) in bodies {
        let name = name.replace(['/', '{', '}'], "_");
        trials.push(Trial::test(
            format!("openapi_examples::registry_{name}"),
            move || {
                let code = body["errorCode"].as_str().unwrap_or_default();
                let result =
                    registry().validate(MessageKind::RegistryError, Profile::Police, &body);
                match (code.starts_with("ERR-"), result) {
                    (true, Ok(())) => Ok(()),
                    (false, Err(v)) if v.iter().any(|v| v.pointer == "/errorCode") => Ok(()),
                    (true, Err(v)) => {
                        Err(format!("rejected:\n{}\ninput: {body}", render(&v)).into())
                    }
                    (false, result) => Err(format!(
                        "KFR write-API code {code} must not validate as a lookup error: {result:?}"
                    )
                    .into()),
                }
            },
        ));
    }
    trials
}

// ---------------------------------------------------------------------------------------------
// tests/schemas/negative.json

fn table_trials() -> Vec<Trial> {
    let table = read_json(&test_dir().join("negative.json"));
    let bases = table["bases"].as_object().cloned().expect("bases");
    let mut trials = Vec::new();
    let mut kinds_with_base = BTreeSet::new();
    for (name, base) in &bases {
        kinds_with_base.insert(base["kind"].as_str().unwrap_or_default().to_owned());
        assert_eq!(
            base["kind"],
            name.as_str(),
            "a base is named after its kind"
        );
    }
    let missing: Vec<&str> = MessageKind::ALL
        .iter()
        .map(|k| k.as_str())
        .filter(|k| !kinds_with_base.contains(*k))
        .collect();
    trials.push(Trial::test(
        "table::a_full_valid_document_per_kind",
        move || {
            check(missing.is_empty(), || {
                format!("kinds without a base document: {missing:?}")
            })
        },
    ));
    let negatives = table["negative"].as_array().cloned().unwrap_or_default();
    let count = negatives.len();
    trials.push(Trial::test("table::at_least_60_negative_rows", move || {
        check(count >= 60, || format!("only {count} rows"))
    }));
    for row in table["positive"].as_array().cloned().unwrap_or_default() {
        let base = bases[row["base"].as_str().unwrap()].clone();
        for profile in profiles(row["profile"].as_str().unwrap()) {
            let row = row.clone();
            let base = base.clone();
            trials.push(Trial::test(
                format!(
                    "positive::{}::{}::{profile}",
                    row["base"].as_str().unwrap(),
                    row["name"].as_str().unwrap()
                ),
                move || {
                    let kind = kind(base["kind"].as_str().unwrap());
                    let document = mutate(&base["document"], row["mutations"].as_array().unwrap())?;
                    registry().validate(kind, profile, &document).map_err(|v| {
                        format!(
                            "row {row}\nrejected as {kind} ({profile}):\n{}\ninput: {document}",
                            render(&v)
                        )
                        .into()
                    })
                },
            ));
        }
    }
    for row in negatives {
        let base = bases[row["base"].as_str().unwrap()].clone();
        for profile in profiles(row["profile"].as_str().unwrap()) {
            let row = row.clone();
            let base = base.clone();
            trials.push(Trial::test(
                format!(
                    "negative::{}::{}::{profile}",
                    row["base"].as_str().unwrap(),
                    row["name"].as_str().unwrap()
                ),
                move || negative_row(&row, &base, profile),
            ));
        }
    }
    trials
}

fn negative_row(row: &Value, base: &Value, profile: Profile) -> Result<(), Failed> {
    let kind = kind(base["kind"].as_str().unwrap());
    // The base itself is valid, so the mutation is what breaks the rule.
    registry()
        .validate(kind, profile, &base["document"])
        .map_err(|v| format!("base of {row} is invalid:\n{}", render(&v)))?;
    let document = mutate(
        &base["document"],
        row["mutations"].as_array().ok_or("no mutations")?,
    )?;
    let pointer = row["pointer"].as_str().ok_or("row without pointer")?;
    let keyword = row["keyword"].as_str().ok_or("row without keyword")?;
    let section = row["section"].as_str().ok_or("row without section")?;
    let violations = match registry().validate(kind, profile, &document) {
        Ok(()) => {
            return Err(format!(
                "row {row}\naccepted as {kind} ({profile}) but must be rejected\ninput: {document}"
            )
            .into())
        }
        Err(v) => v,
    };
    let hits: Vec<_> = violations
        .iter()
        .filter(|v| v.pointer == pointer && v.keyword() == keyword)
        .collect();
    if hits.is_empty() {
        return Err(format!(
            "row {row}\nno `{keyword}` violation at {pointer:?}; got:\n{}",
            render(&violations)
        )
        .into());
    }
    // Several schemas (common and police) may break on the same keyword; one must cite the row's section.
    check(
        hits.iter()
            .any(|v| v.spec_section.as_deref() == Some(section)),
        || {
            format!(
                "row {row}\nno violation at {pointer:?} cites digest {section}; got:\n{}",
                render(&violations)
            )
        },
    )?;
    if row["common_accepts"] == true && profile == Profile::Police {
        registry()
            .validate(kind, Profile::Common, &document)
            .map_err(|v| {
                format!(
                    "row {row}\nthe common profile must accept this police-only rule, but:\n{}",
                    render(&v)
                )
            })?;
    }
    Ok(())
}
