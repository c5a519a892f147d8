//! The Rust domain model and the JSON Schemas describe the same messages.
//!
//! * Every closed value list in `src/domain/enums.rs` equals the `enum` of its schema
//!   definition (nulls aside), so neither can drift alone.
//! * Every valid document the schema suite knows (its base documents and the digest examples)
//!   reads into the domain types and writes back to a document that still validates and equals
//!   the original once JSON nulls are dropped (digest 0.3: null and absent mean the same).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use dsop_harness::{
    validate, AccountDetails, AccountServicingProvider, AccountStatus, AccountType, Accounts,
    BalanceType, CardStatus, CardType, Cards, CaseResult, CounterPartyType, CreditDebitIndicator,
    CustomerRelationships, ErrorBody, IdentifierType, MessageKind, OwnershipType, Permission,
    PostalAddressType, ReferenceType, RegistryError, Roles, TransactionDomain, TransactionFamily,
    TransactionStatus, TransactionSubFamily, Transactions,
};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn schema_enum(def: &str) -> BTreeSet<String> {
    let common = read_json(Path::new("schemas/common.schema.json"));
    common["$defs"][def]["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("common.schema.json#/$defs/{def} has no enum"))
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

fn rust_enum<T: Copy>(all: &[T], as_str: fn(T) -> &'static str) -> BTreeSet<String> {
    all.iter().map(|v| as_str(*v).to_owned()).collect()
}

#[test]
fn closed_value_lists_agree_with_the_schemas() {
    let pairs: Vec<(&str, BTreeSet<String>)> = vec![
        (
            "IdentifierType",
            rust_enum(IdentifierType::ALL, IdentifierType::as_str),
        ),
        (
            "AccountPermissionType",
            rust_enum(Permission::ALL, Permission::as_str),
        ),
        (
            "AccountStatus",
            rust_enum(AccountStatus::ALL, AccountStatus::as_str),
        ),
        (
            "AccountType",
            rust_enum(AccountType::ALL, AccountType::as_str),
        ),
        (
            "CreditOrDebit",
            rust_enum(CreditDebitIndicator::ALL, CreditDebitIndicator::as_str),
        ),
        (
            "BalanceType",
            rust_enum(BalanceType::ALL, BalanceType::as_str),
        ),
        (
            "TransactionReferenceType",
            rust_enum(ReferenceType::ALL, ReferenceType::as_str),
        ),
        (
            "TransactionStatus",
            rust_enum(TransactionStatus::ALL, TransactionStatus::as_str),
        ),
        (
            "DomainType",
            rust_enum(TransactionDomain::ALL, TransactionDomain::as_str),
        ),
        (
            "FamilyType",
            rust_enum(TransactionFamily::ALL, TransactionFamily::as_str),
        ),
        (
            "SubFamilyType",
            rust_enum(TransactionSubFamily::ALL, TransactionSubFamily::as_str),
        ),
        (
            "AddressType",
            rust_enum(PostalAddressType::ALL, PostalAddressType::as_str),
        ),
        (
            "CounterPartyType",
            rust_enum(CounterPartyType::ALL, CounterPartyType::as_str),
        ),
        ("CardType", rust_enum(CardType::ALL, CardType::as_str)),
        ("CardStatus", rust_enum(CardStatus::ALL, CardStatus::as_str)),
    ];
    let mut drift = Vec::new();
    for (def, ours) in pairs {
        let theirs = schema_enum(def);
        if ours != theirs {
            drift.push(format!(
                "{def}: only in Rust {:?}, only in schema {:?}",
                ours.difference(&theirs).collect::<Vec<_>>(),
                theirs.difference(&ours).collect::<Vec<_>>()
            ));
        }
    }
    let registry = read_json(Path::new(
        "schemas/registry-customer-relationships-response.schema.json",
    ));
    let ownership: BTreeSet<String> = registry["properties"]["banks"]["items"]["properties"]
        ["ownershipType"]["enum"]
        .as_array()
        .expect("ownershipType enum")
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    if ownership != rust_enum(OwnershipType::ALL, OwnershipType::as_str) {
        drift.push(format!("ownershipType: schema {ownership:?}"));
    }
    assert!(drift.is_empty(), "enum drift:\n{}", drift.join("\n"));
}

/// Drops `null` members recursively (null and absent are equivalent, digest 0.3 / 7.3).
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Reads `doc` as `T`, writes it back, and checks the round trip.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(
    kind: MessageKind,
    doc: &Value,
    origin: &str,
) {
    let typed: T = serde_json::from_value(doc.clone()).unwrap_or_else(|e| {
        panic!("{origin}: valid {kind} document does not read into the domain type: {e}")
    });
    let back = serde_json::to_value(&typed).expect("serialise");
    if let Err(violations) = validate(kind, &back) {
        panic!("{origin}: written-back {kind} fails its schema: {violations:?}");
    }
    let (expected, actual) = (without_nulls(doc), without_nulls(&back));
    // Empty arrays the types always write (e.g. `accounts: []`) may be absent in the source.
    assert!(
        same_modulo_empty_arrays(&expected, &actual),
        "{origin}: {kind} changed in the round trip\nbefore: {expected}\nafter:  {actual}"
    );
}

fn same_modulo_empty_arrays(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().all(|k| match (x.get(k), y.get(k)) {
                (Some(u), Some(v)) => same_modulo_empty_arrays(u, v),
                (Some(Value::Array(u)), None) | (None, Some(Value::Array(u))) => u.is_empty(),
                _ => false,
            })
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(u, v)| same_modulo_empty_arrays(u, v))
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn check(kind: MessageKind, doc: &Value, origin: &str) -> bool {
    match kind {
        MessageKind::Accounts => round_trip::<Accounts>(kind, doc, origin),
        MessageKind::AccountDetails => round_trip::<AccountDetails>(kind, doc, origin),
        MessageKind::Transactions => round_trip::<Transactions>(kind, doc, origin),
        MessageKind::Cards => round_trip::<Cards>(kind, doc, origin),
        MessageKind::Roles => round_trip::<Roles>(kind, doc, origin),
        MessageKind::Error => round_trip::<ErrorBody>(kind, doc, origin),
        MessageKind::RegistryCustomerRelationshipsResponse => {
            round_trip::<CustomerRelationships>(kind, doc, origin)
        }
        MessageKind::RegistryAccountServicingProviderResponse => {
            round_trip::<AccountServicingProvider>(kind, doc, origin)
        }
        MessageKind::RegistryError => round_trip::<RegistryError>(kind, doc, origin),
        MessageKind::CaseResult => round_trip::<CaseResult>(kind, doc, origin),
        _ => return false,
    }
    true
}

#[test]
fn every_known_valid_response_round_trips_through_the_domain_types() {
    let mut checked = 0;
    let table = read_json(Path::new("tests/schemas/negative.json"));
    for (name, base) in table["bases"].as_object().expect("bases") {
        let kind: MessageKind = base["kind"]
            .as_str()
            .expect("kind")
            .parse()
            .expect("known kind");
        if validate(kind, &base["document"]).is_ok()
            && check(
                kind,
                &base["document"],
                &format!("negative.json base {name}"),
            )
        {
            checked += 1;
        }
    }
    for entry in std::fs::read_dir("tests/schemas/examples").expect("examples dir") {
        let path = entry.expect("entry").path();
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .to_owned();
        // Example files are named `<section>__<kind>[__<variant>]`.
        let Some(kind) = stem
            .split("__")
            .nth(1)
            .and_then(|k| k.parse::<MessageKind>().ok())
        else {
            continue;
        };
        if check(kind, &read_json(&path), &stem) {
            checked += 1;
        }
    }
    // Bases for all 9 response kinds plus the response examples.
    assert!(checked >= 20, "only {checked} documents were round-tripped");
}

/// A libtest-mimic test binary declared without `harness = false` compiles, runs zero tests
/// and reports success; this guards every such binary.
#[test]
fn every_data_driven_test_binary_runs_its_own_harness() {
    let manifest = std::fs::read_to_string("Cargo.toml").expect("Cargo.toml");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir("tests").expect("tests dir") {
        let main = entry.expect("entry").path().join("main.rs");
        let Ok(text) = std::fs::read_to_string(&main) else {
            continue;
        };
        if !text.contains(concat!("libtest_mimic", "::")) {
            continue;
        }
        let path = main.to_string_lossy().replace('\\', "/");
        let block = manifest
            .split("[[test]]")
            .find(|b| b.contains(&format!("path = \"{path}\"")));
        if !block.is_some_and(|b| b.contains("harness = false")) {
            missing.push(path);
        }
    }
    assert!(
        missing.is_empty(),
        "declare `harness = false` for {missing:?}"
    );
}
