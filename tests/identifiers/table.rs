//! One test per row of `parse_table.json`: an input, the identifier type to parse it as, the
//! rule it exercises, and the expected error variant (`null` = must parse). Rows whose error
//! is not about check digits carry correct check digits, so they prove the named rule and not
//! an accidental checksum failure.

use crate::helpers::{parse_as, variant};
use libtest_mimic::{Failed, Trial};
use serde::Deserialize;

const TABLE: &str = include_str!("parse_table.json");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    input: String,
    error: Option<String>,
    rule: String,
    message_contains: Option<String>,
}

pub fn trials() -> Vec<Trial> {
    let rows: Vec<Row> = serde_json::from_str(TABLE).expect("parse_table.json is valid");
    assert!(rows.len() >= 50, "the table lost rows: {}", rows.len());
    rows.into_iter()
        .map(|row| Trial::test(format!("table::{}", row.name), move || check(&row)))
        .collect()
}

fn check(row: &Row) -> Result<(), Failed> {
    let context = format!(
        "row {:?}: input {:?} as {}, rule: {}",
        row.name, row.input, row.kind, row.rule
    );
    match (parse_as(&row.kind, &row.input), &row.error) {
        (Ok(_), None) => Ok(()),
        (Ok(value), Some(expected)) => {
            Err(format!("{context}: expected error {expected}, but it parsed as {value}").into())
        }
        (Err(e), None) => Err(format!("{context}: expected to parse, got {e}").into()),
        (Err(e), Some(expected)) => {
            if variant(&e) != expected {
                return Err(format!(
                    "{context}: expected error {expected}, got {} ({e})",
                    variant(&e)
                )
                .into());
            }
            if let Some(needle) = &row.message_contains {
                if !e.to_string().contains(needle.as_str()) {
                    return Err(format!(
                        "{context}: message {:?} does not mention {needle:?}",
                        e.to_string()
                    )
                    .into());
                }
            }
            Ok(())
        }
    }
}
