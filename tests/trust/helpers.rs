//! Shared fixture (one trust directory per test binary) and table plumbing.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use dsop_harness::{ten_years_before, TrustDir};
use serde_json::Value;
use std::sync::OnceLock;

pub struct Fixture {
    pub _dir: tempfile::TempDir,
    pub trust: TrustDir,
    pub now: DateTime<Utc>,
}

/// One trust directory for the whole binary (key generation is the slow part).
pub fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let trust = TrustDir::init(dir.path()).expect("trust init");
        let now = DateTime::from_timestamp(Utc::now().timestamp(), 0).expect("now");
        Fixture {
            _dir: dir,
            trust,
            now,
        }
    })
}

/// Loads `tests/trust/<name>` and returns its `rows`.
pub fn table(name: &str) -> Vec<Value> {
    let path = format!("{}/tests/trust/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    doc["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("{path}: no rows"))
        .clone()
}

/// Resolves `$date:` / `$ts:` / `$exp:` tokens relative to `now` (see the tables' `about`).
pub fn resolve(value: &Value, now: DateTime<Utc>) -> Value {
    match value {
        Value::String(s) if s.starts_with('$') => {
            let (kind, expr) = s[1..].split_once(':').expect("token kind");
            let split = expr.find(['+', '-']).unwrap_or(expr.len());
            let (base, mut offsets) = expr.split_at(split);
            let mut t = match base {
                "now" => now,
                "today" => now
                    .date_naive()
                    .and_hms_opt(0, 0, 0)
                    .expect("midnight")
                    .and_utc(),
                "tenyears" => ten_years_before(now.date_naive())
                    .and_hms_opt(0, 0, 0)
                    .expect("midnight")
                    .and_utc(),
                other => panic!("unknown token base {other}"),
            };
            while !offsets.is_empty() {
                let sign = if offsets.starts_with('-') { -1 } else { 1 };
                let rest = &offsets[1..];
                let end = rest.find(['+', '-']).unwrap_or(rest.len());
                let (term, tail) = rest.split_at(end);
                let (n, unit) = term.split_at(term.len() - 1);
                let n: i64 = n.parse().expect("offset number");
                t += match unit {
                    "d" => Duration::days(sign * n),
                    "h" => Duration::hours(sign * n),
                    "s" => Duration::seconds(sign * n),
                    other => panic!("unknown unit {other}"),
                };
                offsets = tail;
            }
            match kind {
                "date" => Value::String(t.date_naive().to_string()),
                "ts" => Value::String(t.to_rfc3339_opts(SecondsFormat::Secs, true)),
                "exp" => Value::from(t.timestamp()),
                other => panic!("unknown token kind {other}"),
            }
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), resolve(v, now)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The row's `break` as a list.
pub fn breaks(row: &Value) -> Vec<String> {
    match &row["break"] {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// Formats a failure: the row, the input and the rule.
pub fn failure(row: &Value, input: &str, got: &str) -> String {
    format!(
        "row: {}\nexpected: {}\ngot: {got}\ninput: {input}",
        serde_json::to_string_pretty(row).unwrap_or_default(),
        row["expect"]
    )
}
