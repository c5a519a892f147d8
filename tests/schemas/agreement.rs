//! OpenAPI agreement (digest 3.3, 9 row 19): walk the reference OpenAPI component schemas and
//! ours side by side and report every property, `required` entry or enum value that one has
//! and the other lacks. Known differences are listed, with a reason citing the digest, in
//! `openapi-allowlist.json`; an unexplained difference fails, and so does a stale entry.

use crate::helpers::{crate_dir, read_json, read_yaml, test_dir};
use dsop_harness::{embedded_schema_paths, BASE_URI};
use libtest_mimic::{Failed, Trial};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// (OpenAPI file, component, our schema file)
const ROOTS: &[(&str, &str, &str)] = &[
    (
        "control-api-v2.0.0.yaml",
        "Accounts",
        "accounts.schema.json",
    ),
    (
        "control-api-v2.0.0.yaml",
        "AccountDetails",
        "account-details.schema.json",
    ),
    (
        "control-api-v2.0.0.yaml",
        "Transactions",
        "transactions.schema.json",
    ),
    ("control-api-v2.0.0.yaml", "Cards", "cards.schema.json"),
    ("control-api-v2.0.0.yaml", "Roles", "roles.schema.json"),
    ("control-api-v2.0.0.yaml", "Error", "error.schema.json"),
    (
        "kundeforhold-registry-v1.1.2.yaml",
        "ListCustomerRelation",
        "registry-customer-relationships-response.schema.json",
    ),
    (
        "kundeforhold-registry-v1.1.2.yaml",
        "Bank",
        "registry-account-servicing-provider-response.schema.json",
    ),
    (
        "kundeforhold-registry-v1.1.2.yaml",
        "ErrorResponse",
        "registry-error.schema.json",
    ),
];

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    pub path: String,
    pub kind: &'static str,
}

/// The merged view of one schema node: properties, required names, enum values, items.
#[derive(Default)]
struct Shape<'a> {
    properties: BTreeMap<String, (String, &'a Value)>,
    required: BTreeSet<String>,
    enumeration: Option<BTreeSet<String>>,
    items: Option<(String, &'a Value)>,
}

/// Resolves `$ref`s: in OpenAPI against `#/components/schemas/`, in ours against the
/// document URI.
trait Resolver {
    fn resolve<'a>(&'a self, base: &str, reference: &str) -> Option<(String, &'a Value)>;
}

struct OpenApi<'a>(&'a Value);
impl Resolver for OpenApi<'_> {
    fn resolve<'a>(&'a self, base: &str, reference: &str) -> Option<(String, &'a Value)> {
        let pointer = reference.strip_prefix('#')?;
        Some((base.to_owned(), self.0.pointer(pointer)?))
    }
}

pub struct Ours<'a>(pub &'a HashMap<String, Value>);
impl Resolver for Ours<'_> {
    fn resolve<'a>(&'a self, base: &str, reference: &str) -> Option<(String, &'a Value)> {
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let uri = if file.is_empty() {
            base.to_owned()
        } else {
            let dir = base.rsplit_once('/').map_or("", |(d, _)| d);
            format!("{dir}/{file}")
        };
        Some((uri.clone(), self.0.get(&uri)?.pointer(fragment)?))
    }
}

fn shape<'a>(
    resolver: &'a dyn Resolver,
    base: &str,
    node: &'a Value,
    shape: &mut Shape<'a>,
    depth: usize,
) {
    assert!(depth < 32, "reference cycle at {node}");
    if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        let (uri, target) = resolver
            .resolve(base, reference)
            .unwrap_or_else(|| panic!("unresolvable $ref {reference} from {base}"));
        self::shape(resolver, &uri, target, shape, depth + 1);
    }
    for member in node
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        self::shape(resolver, base, member, shape, depth + 1);
    }
    if let Some(properties) = node.get("properties").and_then(Value::as_object) {
        for (name, value) in properties {
            shape
                .properties
                .insert(name.clone(), (base.to_owned(), value));
        }
    }
    for name in node
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        shape
            .required
            .insert(name.as_str().unwrap_or_default().to_owned());
    }
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        let values: BTreeSet<String> = values
            .iter()
            .filter_map(Value::as_str)
            .map(|v| v.trim().to_owned())
            .collect();
        shape.enumeration = Some(values);
    }
    if let Some(items) = node.get("items") {
        shape.items = Some((base.to_owned(), items));
    }
}

fn compare(
    path: &str,
    theirs: (&dyn Resolver, &str, &Value),
    ours: (&dyn Resolver, &str, &Value),
    out: &mut Vec<Difference>,
) {
    let mut a = Shape::default();
    shape(theirs.0, theirs.1, theirs.2, &mut a, 0);
    let mut b = Shape::default();
    shape(ours.0, ours.1, ours.2, &mut b, 0);
    let diff = |kind: &'static str, name: &str, out: &mut Vec<Difference>| {
        out.push(Difference {
            path: format!("{path}.{name}"),
            kind,
        });
    };
    for name in a
        .properties
        .keys()
        .filter(|n| !b.properties.contains_key(*n))
    {
        diff("missing-property", name, out);
    }
    for name in b
        .properties
        .keys()
        .filter(|n| !a.properties.contains_key(*n))
    {
        diff("extra-property", name, out);
    }
    for name in a.required.difference(&b.required) {
        diff("missing-required", name, out);
    }
    for name in b.required.difference(&a.required) {
        diff("extra-required", name, out);
    }
    match (&a.enumeration, &b.enumeration) {
        (Some(x), Some(y)) => {
            for value in x.difference(y) {
                out.push(Difference {
                    path: format!("{path}={value}"),
                    kind: "missing-enum-value",
                });
            }
            for value in y.difference(x) {
                out.push(Difference {
                    path: format!("{path}={value}"),
                    kind: "extra-enum-value",
                });
            }
        }
        (Some(_), None) => out.push(Difference {
            path: path.to_owned(),
            kind: "missing-enum",
        }),
        (None, Some(_)) => out.push(Difference {
            path: path.to_owned(),
            kind: "extra-enum",
        }),
        (None, None) => {}
    }
    for (name, (their_base, their_node)) in &a.properties {
        if let Some((our_base, our_node)) = b.properties.get(name) {
            compare(
                &format!("{path}.{name}"),
                (theirs.0, their_base, their_node),
                (ours.0, our_base, our_node),
                out,
            );
        }
    }
    if let (Some((their_base, their_items)), Some((our_base, our_items))) = (&a.items, &b.items) {
        compare(
            &format!("{path}[]"),
            (theirs.0, their_base, their_items),
            (ours.0, our_base, our_items),
            out,
        );
    }
}

pub fn our_documents() -> HashMap<String, Value> {
    embedded_schema_paths()
        .map(|p| {
            (
                format!("{BASE_URI}{p}"),
                read_json(&crate_dir().join("schemas").join(p)),
            )
        })
        .collect()
}

pub fn differences(
    openapi: &Value,
    component: &str,
    ours: &HashMap<String, Value>,
    file: &str,
) -> Vec<Difference> {
    let theirs = OpenApi(openapi);
    let mine = Ours(ours);
    let uri = format!("{BASE_URI}{file}");
    let our_root = ours.get(&uri).unwrap_or_else(|| panic!("no {uri}"));
    let their_root = &openapi["components"]["schemas"][component];
    assert!(their_root.is_object(), "no component {component}");
    let mut out = Vec::new();
    compare(
        component,
        (&theirs, "", their_root),
        (&mine, &uri, our_root),
        &mut out,
    );
    out.sort();
    out.dedup();
    out
}

pub fn trials() -> Vec<Trial> {
    let allowlist = read_json(&test_dir().join("openapi-allowlist.json"));
    let entries: Vec<(String, String, String)> = allowlist["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            let reason = e["reason"].as_str().unwrap_or_default().to_owned();
            assert!(
                reason.contains("digest"),
                "allow-list reason must cite the digest: {e}"
            );
            (
                e["path"].as_str().unwrap().to_owned(),
                e["kind"].as_str().unwrap().to_owned(),
                reason,
            )
        })
        .collect();
    let mut trials = Vec::new();
    let mut all_found = Vec::new();
    let documents = our_documents();
    let mut specs: HashMap<&str, Value> = HashMap::new();
    for (file, component, ours) in ROOTS {
        let spec = specs.entry(file).or_insert_with(|| {
            read_yaml(&crate_dir().join("../shared/reference/openapi").join(file))
        });
        let found = differences(spec, component, &documents, ours);
        all_found.extend(found.iter().cloned());
        let entries = entries.clone();
        trials.push(Trial::test(
            format!("openapi_agreement::{component}"),
            move || {
                let unexplained: Vec<String> = found
                    .iter()
                    .filter(|d| !entries.iter().any(|(p, k, _)| *p == d.path && k == d.kind))
                    .map(|d| format!("{} {}", d.kind, d.path))
                    .collect();
                if unexplained.is_empty() {
                    Ok(())
                } else {
                    Err(Failed::from(format!(
                    "differences from OpenAPI not in tests/schemas/openapi-allowlist.json:\n  {}",
                    unexplained.join("\n  ")
                )))
                }
            },
        ));
    }
    trials.push(Trial::test(
        "openapi_agreement::no_stale_allowlist_entries",
        move || {
            let stale: Vec<String> = entries
                .iter()
                .filter(|(p, k, _)| !all_found.iter().any(|d| d.path == *p && d.kind == k))
                .map(|(p, k, _)| format!("{k} {p}"))
                .collect();
            if stale.is_empty() {
                Ok(())
            } else {
                Err(Failed::from(format!(
                    "allow-list entries that are no longer differences:\n  {}",
                    stale.join("\n  ")
                )))
            }
        },
    ));
    trials.push(Trial::test(
        "openapi_agreement::detects_a_drifted_schema",
        || {
            let spec =
                read_yaml(&crate_dir().join("../shared/reference/openapi/control-api-v2.0.0.yaml"));
            let mut documents = our_documents();
            let common = documents
                .get_mut(&format!("{BASE_URI}common.schema.json"))
                .unwrap();
            common["$defs"]["Balance"]["properties"]
                .as_object_mut()
                .unwrap()
                .shift_remove("creditLineCurrency");
            common["$defs"]["Balance"]["properties"]["overdraft"] = json!({"type": "number"});
            common["$defs"]["AccountType"]["enum"]
                .as_array_mut()
                .unwrap()
                .retain(|v| v != "otherAccount");
            common["$defs"]["Link"]["required"] = json!(["href"]);
            let found = differences(
                &spec,
                "AccountDetails",
                &documents,
                "account-details.schema.json",
            );
            let expected = [
                (
                    "AccountDetails.account.balances[].creditLineCurrency",
                    "missing-property",
                ),
                (
                    "AccountDetails.account.balances[].overdraft",
                    "extra-property",
                ),
                (
                    "AccountDetails.account.type=otherAccount",
                    "missing-enum-value",
                ),
            ];
            for (path, kind) in expected {
                if !found.iter().any(|d| d.path == path && d.kind == kind) {
                    return Err(Failed::from(format!(
                        "{kind} {path} not detected; found {found:?}"
                    )));
                }
            }
            let found = differences(&spec, "Accounts", &documents, "accounts.schema.json");
            if !found
                .iter()
                .any(|d| d.path == "Accounts.links[].rel" && d.kind == "missing-required")
            {
                return Err(Failed::from(format!(
                    "missing-required links[].rel not detected; found {found:?}"
                )));
            }
            Ok(())
        },
    ));
    trials
}
