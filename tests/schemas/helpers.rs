//! Shared helpers of the schema tests: file loading, the mutation language of
//! `negative.json`, and rendering violations for failure messages.

use dsop_harness::{MessageKind, Profile, SchemaRegistry, Violation};
use serde_json::Value;
use std::path::{Path, PathBuf};

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn test_dir() -> PathBuf {
    crate_dir().join("tests/schemas")
}

pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

pub fn read_yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()))
}

pub fn registry() -> &'static SchemaRegistry {
    SchemaRegistry::global().unwrap_or_else(|e| panic!("schema registry does not load: {e}"))
}

/// `common`, `police` or `both` → the profiles a row applies to.
pub fn profiles(name: &str) -> Vec<Profile> {
    match name {
        "both" => Profile::ALL.to_vec(),
        other => vec![other.parse().unwrap_or_else(|e| panic!("{e}"))],
    }
}

pub fn kind(name: &str) -> MessageKind {
    name.parse().unwrap_or_else(|e| panic!("{e}"))
}

/// Apply `{op: put|remove, path, value}` mutations (JSON pointers) to a copy of `base`.
pub fn mutate(base: &Value, mutations: &[Value]) -> Result<Value, String> {
    let mut document = base.clone();
    for mutation in mutations {
        let op = mutation["op"].as_str().ok_or("mutation without op")?;
        let path = mutation["path"].as_str().ok_or("mutation without path")?;
        let (parent_path, last) = path.rsplit_once('/').ok_or(format!("bad pointer {path}"))?;
        let last = last.replace("~1", "/").replace("~0", "~");
        let parent = document
            .pointer_mut(parent_path)
            .ok_or(format!("{parent_path} does not exist"))?;
        match (op, parent) {
            ("remove", Value::Object(map)) => {
                map.shift_remove(&last)
                    .ok_or(format!("{path} does not exist"))?;
            }
            ("remove", Value::Array(items)) => {
                let index: usize = last.parse().map_err(|_| format!("bad index in {path}"))?;
                if index >= items.len() {
                    return Err(format!("{path} does not exist"));
                }
                items.remove(index);
            }
            ("put", Value::Object(map)) => {
                map.insert(last, mutation["value"].clone());
            }
            ("put", Value::Array(items)) => {
                let value = mutation["value"].clone();
                if last == "-" {
                    items.push(value);
                } else {
                    let index: usize = last.parse().map_err(|_| format!("bad index in {path}"))?;
                    let slot = items
                        .get_mut(index)
                        .ok_or(format!("{path} does not exist"))?;
                    *slot = value;
                }
            }
            (op, _) => return Err(format!("cannot {op} {path}")),
        }
    }
    Ok(document)
}

pub fn render(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| format!("  - {v}  [schema {}]", v.schema_path))
        .collect::<Vec<_>>()
        .join("\n")
}
