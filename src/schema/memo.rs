//! Validating request documents whose long values repeat: the access token (~1 KB) and the
//! extradition order (~4 KB) are the same on every request of a case (digest 5.1, 6.1), and
//! their anchored `pattern`s (`BearerAuthorization`, `JwsCompact`) cost about 2 ns a byte,
//! some 13 µs a request: the largest single cost of a mock bank's police judge
//! (docs/performance.md).
//!
//! [`ValueMemo::validate`] takes each such value out of the document, puts a short stand-in
//! that its location accepts in its place, validates that document, and adds the violations
//! the real value causes at its own location, found once per distinct value and remembered.
//!
//! This is exact when no rule of the schema relates a memoised location to another part of
//! the document (no `if`/`dependentSchemas`/`anyOf` over these headers). That holds for the
//! request schemas today, and `tests` below checks it, kind by kind, over documents with
//! every combination of good and bad values: the memoised result must equal a direct
//! validation, violation for violation.

use super::{validate, MessageKind, Violation};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// Values shorter than this are validated in place (memoising them would not pay).
pub(crate) const MIN_LEN: usize = 256;
/// Entries before the memo is cleared.
const CAPACITY: usize = 1024;

/// A memoised location: a member of a top-level object of the document, e.g. `headers` /
/// `Authorization`, and a value the location accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Field {
    /// Top-level member holding the value, e.g. `headers`.
    pub section: &'static str,
    /// The member name, e.g. `AdditionalReferenceID`.
    pub name: &'static str,
    /// A short value the location accepts.
    pub stand_in: &'static str,
}

/// The long secrets of a Control API request document (`to_doc_json`'s canonical names).
pub(crate) const REQUEST_SECRETS: [Field; 2] = [
    Field {
        section: "headers",
        name: "Authorization",
        stand_in: "Bearer a.b.c",
    },
    Field {
        section: "headers",
        name: "AdditionalReferenceID",
        stand_in: "a.b.c",
    },
];

type Key = (MessageKind, &'static str, &'static str, Box<str>);
type Map = HashMap<Key, Arc<[Violation]>, foldhash::fast::RandomState>;

/// Violations per (kind, location, value); bounded, cleared when full.
#[derive(Debug, Default)]
pub(crate) struct ValueMemo {
    entries: Mutex<Map>,
}

impl ValueMemo {
    /// An empty memo.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Validates `doc` as a `kind` message (police profile, as [`validate`]), memoising the
    /// long values at `fields`. Same verdict and violations as `validate(kind, &doc)`; when
    /// there are several violations, the ones at memoised locations come last.
    pub(crate) fn validate(
        &self,
        kind: MessageKind,
        mut doc: Value,
        fields: &[Field],
    ) -> Result<(), Vec<Violation>> {
        let mut taken = Vec::new();
        for field in fields {
            if let Some(slot) = doc
                .get_mut(field.section)
                .and_then(|s| s.get_mut(field.name))
                .filter(|v| v.as_str().is_some_and(|s| s.len() >= MIN_LEN))
            {
                let real = std::mem::replace(slot, Value::String(field.stand_in.to_owned()));
                if let Value::String(real) = real {
                    taken.push((*field, real));
                }
            }
        }
        if taken.is_empty() {
            return validate(kind, &doc);
        }
        let locations: Vec<String> = taken
            .iter()
            .map(|(f, _)| format!("/{}/{}", f.section, f.name))
            .collect();
        // The stand-ins are accepted where they stand; should a schema ever reject one, that
        // says nothing about the real value, whose own violations follow.
        let mut violations: Vec<Violation> = validate(kind, &doc)
            .err()
            .unwrap_or_default()
            .into_iter()
            .filter(|v| !locations.iter().any(|l| at_or_below(&v.pointer, l)))
            .collect();
        for (field, real) in taken {
            violations.extend(self.at(kind, &doc, field, real).iter().cloned());
        }
        if violations.is_empty() {
            Ok(())
        } else {
            Err(violations)
        }
    }

    /// The violations `real` causes at `field`, with `doc` (stand-ins everywhere memoised)
    /// around it.
    fn at(&self, kind: MessageKind, doc: &Value, field: Field, real: String) -> Arc<[Violation]> {
        let key: Key = (kind, field.section, field.name, real.into_boxed_str());
        if let Some(found) = self.lock().get(&key) {
            return Arc::clone(found);
        }
        let mut with_real = doc.clone();
        if let Some(slot) = with_real
            .get_mut(field.section)
            .and_then(|s| s.get_mut(field.name))
        {
            *slot = Value::String(key.3.to_string());
        }
        let location = format!("/{}/{}", field.section, field.name);
        let own: Arc<[Violation]> = validate(kind, &with_real)
            .err()
            .unwrap_or_default()
            .into_iter()
            .filter(|v| at_or_below(&v.pointer, &location))
            .collect();
        let mut map = self.lock();
        if map.len() >= CAPACITY {
            map.clear();
        }
        map.insert(key, Arc::clone(&own));
        own
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Map> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn at_or_below(pointer: &str, location: &str) -> bool {
    pointer
        .strip_prefix(location)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn base(kind: MessageKind) -> Value {
        let mut doc = json!({
            "headers": {
                "Accept": "application/jose",
                "AccountInfoRequestID": "3f1c9a52-8d7e-4b8a-9c1e-2f5d6a7b8c9d",
                "CorrelationID": "0b6f3c2e-1a4d-4e5f-8a9b-7c6d5e4f3a2b",
                "Legal-Mandate": "Straffeprosessloven%20%C2%A7210%20(3)%20f%C3%B8rste%20punktum",
                "RequesterID": "pseudo-investigator-1",
                "AdditionalReferenceIDType": "pol1",
                "PartyID": "910000018"
            },
            "query": {"fromDate": "2024-01-01", "toDate": "2024-12-31"}
        });
        if kind == MessageKind::AccountsRequest {
            doc["query"]["OnlyPrimaryOwner"] = json!("FALSE");
        } else {
            doc["headers"].as_object_mut().map(|h| h.remove("PartyID"));
            doc["accountReference"] = json!("ref-0001");
        }
        doc
    }

    fn key(v: &Violation) -> (String, String, String) {
        (v.pointer.clone(), v.rule.clone(), v.schema_path.clone())
    }

    fn sorted(result: Result<(), Vec<Violation>>) -> Vec<(String, String, String)> {
        let mut keys: Vec<_> = result.err().unwrap_or_default().iter().map(key).collect();
        keys.sort();
        keys
    }

    /// Memoised and direct validation agree, violation for violation, over every combination
    /// of good, bad, short, missing and non-string secrets with good and bad other fields.
    #[test]
    fn memoised_validation_equals_direct_validation() {
        let long = "a".repeat(MIN_LEN + 50);
        let tokens = [
            Some(json!(format!("Bearer {long}.b.c"))),
            Some(json!(format!("bearer {long}.b.c=="))),
            Some(json!(format!("Bearer {long} with spaces"))),
            Some(json!(format!("Basic {long}"))),
            Some(json!(format!("Bearer {long}=x"))),
            Some(json!("Bearer short.b.c")),
            Some(json!(12)),
            None,
        ];
        let orders = [
            Some(json!(format!("{long}.{long}.{long}"))),
            Some(json!(format!("{long}.{long}"))),
            Some(json!(format!("{long}.{long}.{long}%3D"))),
            Some(json!(format!("{long}..{long}"))),
            Some(json!("a.b.c")),
            Some(json!("")),
            None,
        ];
        let others: [fn(&mut Value); 6] = [
            |_| {},
            |d| d["headers"]["CorrelationID"] = json!("not-a-uuid"),
            |d| {
                d["headers"]
                    .as_object_mut()
                    .map(|h| h.remove("RequesterID"));
            },
            |d| {
                d["query"].as_object_mut().map(|q| q.remove("fromDate"));
            },
            |d| d["headers"]["AdditionalReferenceIDType"] = json!("srf"),
            |d| {
                d["query"]
                    .as_object_mut()
                    .map(|q| q.remove("OnlyPrimaryOwner"));
            },
        ];
        let memo = ValueMemo::new();
        let mut compared = 0;
        for kind in [
            MessageKind::AccountsRequest,
            MessageKind::AccountReferenceRequest,
        ] {
            assert!(validate(kind, &base(kind)).is_err(), "no secrets: invalid");
            for token in &tokens {
                for order in &orders {
                    for other in others {
                        let mut doc = base(kind);
                        if let Some(t) = token {
                            doc["headers"]["Authorization"] = t.clone();
                        }
                        if let Some(o) = order {
                            doc["headers"]["AdditionalReferenceID"] = o.clone();
                        }
                        other(&mut doc);
                        let direct = sorted(validate(kind, &doc));
                        // Twice: once filling the memo, once from it.
                        for round in 0..2 {
                            let memoised =
                                sorted(memo.validate(kind, doc.clone(), &REQUEST_SECRETS));
                            assert_eq!(memoised, direct, "{kind} round {round}: {doc:#}");
                        }
                        compared += 1;
                    }
                }
            }
        }
        assert_eq!(compared, 2 * 8 * 7 * 6);
        // The all-good document is valid, and its secrets were memoised.
        let mut good = base(MessageKind::AccountsRequest);
        good["headers"]["Authorization"] = tokens[0].clone().unwrap_or_default();
        good["headers"]["AdditionalReferenceID"] = orders[0].clone().unwrap_or_default();
        assert_eq!(
            memo.validate(MessageKind::AccountsRequest, good, &REQUEST_SECRETS),
            Ok(())
        );
        assert!(!memo.lock().is_empty());
    }

    #[test]
    fn the_stand_ins_are_accepted_where_they_stand() {
        for kind in [
            MessageKind::AccountsRequest,
            MessageKind::AccountReferenceRequest,
        ] {
            let mut doc = base(kind);
            for field in REQUEST_SECRETS {
                doc[field.section][field.name] = json!(field.stand_in);
            }
            assert_eq!(validate(kind, &doc), Ok(()), "{kind}");
        }
    }

    #[test]
    fn pointers_below_a_location_belong_to_it() {
        assert!(at_or_below(
            "/headers/Authorization",
            "/headers/Authorization"
        ));
        assert!(at_or_below(
            "/headers/Authorization/0",
            "/headers/Authorization"
        ));
        assert!(!at_or_below(
            "/headers/AuthorizationX",
            "/headers/Authorization"
        ));
        assert!(!at_or_below("/headers", "/headers/Authorization"));
    }
}
