//! Response bodies of the contract with their Pact V4 matching rules.
//!
//! A body is built leaf by leaf: each leaf carries the pack's value (the example a Pact mock or
//! stub serves) and how a provider's value is matched — [`Leaf::Exact`] where the pack and the
//! rules decide the value (account numbers, statuses, dates, amounts), a type or regular
//! expression where the documents leave the value to the bank (references, names, timestamps,
//! masks). Lists whose members the pack decides are matched in any order (digest 3.3 defines
//! no order): one `arrayContains` variant per member, and the number of members fixed with a
//! `type` min/max matcher. Pact compares list members position by position under a min/max
//! matcher, so only the leaves every member has are kept in the contract (the rest are facts
//! the bank suite compares, `docs/pact.md`).

use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// `Identifier.type` (digest 3.4.14).
pub(crate) const IDENTIFIER_TYPE: &str = "^(countryIdentificationCode|nationalIdentityNumber)$";
/// `permission` (digest 3.4.14).
pub(crate) const PERMISSION: &str = "^(rightToUseAlone|rightToUseWithOther|rightToSeeOnly)$";
/// An organisation number (digest 3.3.1 `servicer.identifier.value`).
pub(crate) const ORG_NUMBER: &str = "^[0-9]{9}$";
/// ISO 4217 (digest 3.3 `CurrencyCode`).
pub(crate) const CURRENCY: &str = "^[A-Z]{3}$";
/// `responseDetails.status` (digest 3.4.1).
pub(crate) const RESPONSE_STATUS: &str = "^(complete|partial)$";
/// `transactions[].status` (digest 3.4.14).
pub(crate) const TRANSACTION_STATUS: &str = "^(booked|pending|info)$";
/// `creditDebitIndicator` (digest 3.4.14).
pub(crate) const CREDIT_DEBIT: &str = "^(credit|debit)$";
/// A DSOP date-time: `Z`, `+hh` or `+hh:mm` offsets, or none (digest 3.4.6).
pub(crate) const DATE_TIME: &str =
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$";
/// A day, optionally with a time (`bookingDate`, digest 3.4.6).
pub(crate) const DAY_AND_TIME: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T.*)?$";
/// A masked card number (digest 3.4.8).
pub(crate) const MASKED_CARD: &str = "^[0-9X]+$";
/// An `ACC-xxx` code (digest 7.6).
pub(crate) const ACC_CODE: &str = "^ACC-[0-9]{3}$";

/// How one leaf of a body is matched.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Leaf {
    /// The pack's value exactly (a number: the same number, whatever its notation).
    Exact,
    /// Any value of the same JSON type.
    Type,
    /// A string matching the regular expression.
    Regex(String),
    /// A string matching `member` (this member's own value, e.g. its booking day or its card
    /// number's mask); outside its variant, `shape` (the same kind of value, any member's).
    Own {
        /// The member's pattern.
        member: String,
        /// The pattern any member matches.
        shape: &'static str,
    },
}

impl Leaf {
    pub(crate) fn regex(pattern: &str) -> Self {
        Leaf::Regex(pattern.to_owned())
    }

    /// The matchers of this leaf for `value`.
    fn matchers(&self, value: &Value) -> Vec<Value> {
        match (self, value) {
            (Leaf::Exact, Value::Number(n)) => vec![
                json!({"match": "number"}),
                json!({"match": "regex", "regex": number_pattern(n)}),
            ],
            (Leaf::Exact, _) => vec![json!({"match": "equality"})],
            (Leaf::Type, _) => vec![json!({"match": "type"})],
            (Leaf::Regex(pattern), _)
            | (
                Leaf::Own {
                    member: pattern, ..
                },
                _,
            ) => {
                vec![json!({"match": "regex", "regex": pattern})]
            }
        }
    }

    /// The matchers a list member's leaf gets outside its own variant: its shape only.
    fn shape(&self, value: &Value) -> Vec<Value> {
        match (self, value) {
            (Leaf::Exact, Value::Number(_)) => vec![json!({"match": "number"})],
            (Leaf::Exact, _) => vec![json!({"match": "type"})],
            (Leaf::Own { shape, .. }, _) => vec![json!({"match": "regex", "regex": shape})],
            _ => self.matchers(value),
        }
    }
}

/// The same number in any JSON notation (`100`, `100.0`, `100.00`): JSON numbers of different
/// serialisers differ in trailing zeros, Pact compares numbers by their JSON value.
fn number_pattern(n: &serde_json::Number) -> String {
    let text = n.as_f64().map_or_else(|| n.to_string(), |f| format!("{f}"));
    match text.split_once('.') {
        Some((int, frac)) => format!("^{}\\.{}0*$", regex_escape(int), regex_escape(frac)),
        None => format!("^{}(\\.0+)?$", regex_escape(&text)),
    }
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$-".contains(c);
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}

/// The mask of a raw card number a bank may serve (digest 3.4.8): each of the first six and
/// last four positions the digit or `X`, every other position `X`.
pub(crate) fn card_mask_pattern(raw: &str) -> String {
    let len = raw.chars().count();
    let mut pattern = String::from("^");
    for (i, c) in raw.chars().enumerate() {
        if i < 6 || i + 4 >= len {
            pattern.push_str(&format!("[{c}X]"));
        } else {
            pattern.push('X');
        }
    }
    pattern.push('$');
    pattern
}

/// One member of a list: `(dotted path inside the member, value, matching)`.
pub(crate) type Member = Vec<(String, Value, Leaf)>;

/// Adds the leaf at `path` (dotted, relative to the member) of `source` to `member`, when
/// `source` has a non-null value there (`null` and absent are the same, digest 0.3).
pub(crate) fn pick(member: &mut Member, source: &Value, path: &str, leaf: Leaf) {
    if let Some(value) = lookup(source, path) {
        member.push((path.to_owned(), value.clone(), leaf));
    }
}

/// The non-null value at a dotted path.
pub(crate) fn lookup<'a>(source: &'a Value, path: &str) -> Option<&'a Value> {
    let mut current = source;
    for key in path.split('.') {
        current = current.get(key)?;
    }
    (!current.is_null()).then_some(current)
}

fn set_path(target: &mut Value, path: &str, value: Value) {
    let mut current = target;
    let mut keys = path.split('.').peekable();
    while let Some(key) = keys.next() {
        if !current.is_object() {
            *current = Value::Object(Map::new());
        }
        let Value::Object(map) = current else { return };
        if keys.peek().is_none() {
            map.insert(key.to_owned(), value);
            return;
        }
        current = map
            .entry(key.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
    }
}

fn rule_list(matchers: Vec<Value>) -> Value {
    json!({"combine": "AND", "matchers": matchers})
}

/// A response body under construction: its content and its body matching rules.
#[derive(Debug, Default)]
pub(crate) struct Body {
    content: Value,
    rules: BTreeMap<String, Vec<Value>>,
}

impl Body {
    pub(crate) fn new() -> Self {
        Self {
            content: Value::Object(Map::new()),
            rules: BTreeMap::new(),
        }
    }

    /// A leaf at a dotted path from the root.
    pub(crate) fn leaf(&mut self, path: &str, value: Value, leaf: Leaf) -> &mut Self {
        self.rules
            .entry(format!("$.{path}"))
            .or_default()
            .extend(leaf.matchers(&value));
        set_path(&mut self.content, path, value);
        self
    }

    /// The leaf of `source` at `path`, if it has one.
    pub(crate) fn pick(&mut self, source: &Value, path: &str, leaf: Leaf) -> &mut Self {
        if let Some(value) = lookup(source, path) {
            self.leaf(path, value.clone(), leaf);
        }
        self
    }

    /// A list whose members the pack decides, in any order, exactly that many.
    /// An empty list is matched exactly (`[]`; digest 3.1: empty results are empty lists).
    pub(crate) fn exact_list(&mut self, path: &str, members: Vec<Member>) -> &mut Self {
        if members.is_empty() {
            set_path(&mut self.content, path, Value::Array(Vec::new()));
            return self;
        }
        let members = common_leaves(members);
        let count = members.len();
        let mut items = Vec::with_capacity(count);
        let mut variants = Vec::with_capacity(count);
        for (index, member) in members.iter().enumerate() {
            let mut item = Value::Object(Map::new());
            let mut rules = Map::new();
            for (leaf_path, value, leaf) in member {
                set_path(&mut item, leaf_path, value.clone());
                rules.insert(format!("$.{leaf_path}"), rule_list(leaf.matchers(value)));
            }
            items.push(item);
            variants.push(json!({"index": index, "rules": rules, "generators": {}}));
        }
        if let Some(first) = members.first() {
            for (leaf_path, value, leaf) in first {
                self.rules
                    .entry(format!("$.{path}[*].{leaf_path}"))
                    .or_default()
                    .extend(leaf.shape(value));
            }
        }
        self.rules.entry(format!("$.{path}")).or_default().extend([
            json!({"match": "arrayContains", "variants": variants}),
            json!({"match": "type", "min": count, "max": count}),
        ]);
        set_path(&mut self.content, path, Value::Array(items));
        self
    }

    /// A list of at least `min` members shaped like `template` (shape only).
    pub(crate) fn template_list(&mut self, path: &str, template: Member, min: usize) -> &mut Self {
        let mut item = Value::Object(Map::new());
        for (leaf_path, value, leaf) in &template {
            set_path(&mut item, leaf_path, value.clone());
            self.rules
                .entry(format!("$.{path}[*].{leaf_path}"))
                .or_default()
                .extend(leaf.shape(value));
        }
        self.rules
            .entry(format!("$.{path}"))
            .or_default()
            .push(json!({"match": "type", "min": min}));
        set_path(&mut self.content, path, Value::Array(vec![item]));
        self
    }

    /// The content and the `body` rules category.
    pub(crate) fn finish(self) -> (Value, Value) {
        let rules: Map<String, Value> = self
            .rules
            .into_iter()
            .map(|(path, matchers)| (path, rule_list(matchers)))
            .collect();
        (self.content, Value::Object(rules))
    }
}

/// The members restricted to the leaves every member has (Pact's min/max matcher compares
/// members position by position, and an expected key missing in the actual member fails).
fn common_leaves(members: Vec<Member>) -> Vec<Member> {
    let common: Vec<String> = members
        .first()
        .map(|first| {
            first
                .iter()
                .map(|(path, _, _)| path.clone())
                .filter(|path| members.iter().all(|m| m.iter().any(|(p, _, _)| p == path)))
                .collect()
        })
        .unwrap_or_default();
    members
        .into_iter()
        .map(|member| {
            member
                .into_iter()
                .filter(|(path, _, _)| common.contains(path))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_match_in_any_notation() {
        let pattern = number_pattern(&serde_json::Number::from_f64(100.0).expect("finite"));
        assert_eq!(pattern, "^100(\\.0+)?$");
        let pattern = number_pattern(&serde_json::Number::from_f64(12.5).expect("finite"));
        assert_eq!(pattern, "^12\\.50*$");
    }

    #[test]
    fn card_mask_allows_at_most_six_and_four() {
        assert_eq!(
            card_mask_pattern("4111111111111111"),
            "^[4X][1X][1X][1X][1X][1X]XXXXXX[1X][1X][1X][1X]$"
        );
    }

    #[test]
    fn list_members_keep_common_leaves_only() {
        let members = vec![
            vec![
                ("a".to_owned(), json!(1), Leaf::Exact),
                ("b".to_owned(), json!("x"), Leaf::Exact),
            ],
            vec![("a".to_owned(), json!(2), Leaf::Exact)],
        ];
        let mut body = Body::new();
        body.exact_list("items", members);
        let (content, rules) = body.finish();
        assert_eq!(content, json!({"items": [{"a": 1}, {"a": 2}]}));
        assert!(rules.get("$.items[*].b").is_none(), "{rules}");
        assert_eq!(rules["$.items"]["matchers"][1]["max"], 2);
    }
}
