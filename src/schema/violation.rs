//! What a failed validation reports, and the typed error of loading the schemas.

use super::kind::{MessageKind, Profile};
use super::registry::BASE_URI;
use jsonschema::ValidationError;
use serde_json::Value;
use std::collections::HashMap;
use std::fmt;

/// The annotation that ties a schema (or subschema) to a digest section.
const SECTION_KEYWORD: &str = "x-dsop-section";

/// The annotation that says in words what an applicator (`anyOf`, `oneOf`, `not`) demands.
const RULE_KEYWORD: &str = "x-dsop-rule";

/// One rule a document breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer into the validated document (`""` is the whole document).
    pub pointer: String,
    /// The JSON Schema keyword and a readable message, e.g. `required: "status" is a required property`.
    pub rule: String,
    /// Where the failing keyword lives, relative to the schema base URI, e.g.
    /// `common.schema.json#/$defs/Account/properties/name/maxLength`.
    pub schema_path: String,
    /// The nearest `x-dsop-section` along the failing keyword's evaluation path.
    pub spec_section: Option<String>,
}

impl Violation {
    /// The JSON Schema keyword of [`Violation::rule`] (the text before the first `:`).
    pub fn keyword(&self) -> &str {
        self.rule.split(':').next().unwrap_or_default()
    }

    pub(crate) fn internal(kind: MessageKind, message: String) -> Self {
        Violation {
            pointer: String::new(),
            rule: format!("schema: {message}"),
            schema_path: format!("{}.schema.json", kind.as_str()),
            spec_section: Some(kind.spec_section().to_owned()),
        }
    }

    pub(crate) fn from_error(
        error: &ValidationError<'_>,
        kind: MessageKind,
        root_uri: &str,
        documents: &HashMap<String, Value>,
    ) -> Self {
        let keyword = error.kind().keyword();
        // Scalars are shown as they are; a whole object or array would make the message
        // unreadable (and can be large), so it is masked.
        let message = if error.instance().is_object() || error.instance().is_array() {
            error.masked_with("the value").to_string()
        } else {
            error.to_string()
        };
        let evaluation_path = error.evaluation_path().as_str();
        let schema_path = match error.absolute_keyword_location() {
            Some(uri) => uri
                .as_str()
                .strip_prefix(BASE_URI)
                .unwrap_or(uri.as_str())
                .to_owned(),
            None => format!("{root_uri}#{evaluation_path}"),
        };
        let message = match error
            .absolute_keyword_location()
            .and_then(|uri| rule_text(uri.as_str(), documents))
        {
            Some(rule) => format!("{rule} ({message})"),
            None => message,
        };
        let spec_section = nearest_section(root_uri, evaluation_path, documents)
            .or_else(|| Some(kind.spec_section().to_owned()));
        Violation {
            pointer: error.instance_path().as_str().to_owned(),
            rule: format!("{keyword}: {message}"),
            schema_path,
            spec_section,
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "(document)"
        } else {
            &self.pointer
        };
        write!(f, "{pointer}: {}", self.rule)?;
        if let Some(section) = &self.spec_section {
            write!(f, " (digest {section})")?;
        }
        Ok(())
    }
}

/// Walk the evaluation path from the root schema, following `$ref`s into other documents, and
/// return the last (deepest) `x-dsop-section` seen.
fn nearest_section(
    root_uri: &str,
    evaluation_path: &str,
    documents: &HashMap<String, Value>,
) -> Option<String> {
    let mut uri = root_uri.to_owned();
    let mut node = documents.get(&uri)?;
    let mut found = section_of(node);
    for token in evaluation_path.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        if token == "$ref" {
            let reference = node.get("$ref").and_then(Value::as_str)?;
            let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
            if !file.is_empty() {
                uri = join_uri(&uri, file);
            }
            node = documents.get(&uri)?.pointer(fragment)?;
        } else {
            node = match node {
                Value::Object(map) => map.get(&token)?,
                Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => break,
            };
        }
        if let Some(section) = section_of(node) {
            found = Some(section);
        }
    }
    found
}

/// The `x-dsop-rule` of the failing keyword's own subschema or of the schema that holds it.
fn rule_text(location: &str, documents: &HashMap<String, Value>) -> Option<String> {
    let (uri, fragment) = location.split_once('#')?;
    let document = documents.get(uri)?;
    let parent = fragment.rsplit_once('/').map_or("", |(parent, _)| parent);
    [document.pointer(fragment), document.pointer(parent)]
        .into_iter()
        .flatten()
        .find_map(|node| node.get(RULE_KEYWORD).and_then(Value::as_str))
        .map(str::to_owned)
}

fn section_of(node: &Value) -> Option<String> {
    node.get(SECTION_KEYWORD)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Resolve a relative reference (`common.schema.json`, `../accounts.schema.json`) or an
/// absolute one against `base`.
fn join_uri(base: &str, reference: &str) -> String {
    if reference.contains("://") {
        return reference.to_owned();
    }
    let mut directory = base
        .rsplit_once('/')
        .map_or(base, |(dir, _)| dir)
        .to_owned();
    let mut rest = reference;
    loop {
        if let Some(tail) = rest.strip_prefix("../") {
            if let Some((parent, _)) = directory.rsplit_once('/') {
                directory = parent.to_owned();
            }
            rest = tail;
        } else if let Some(tail) = rest.strip_prefix("./") {
            rest = tail;
        } else {
            break;
        }
    }
    format!("{directory}/{rest}")
}

/// Why the embedded schemas could not be loaded or compiled. Each is a defect of the build.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// An embedded file is not JSON.
    #[error("schemas/{path} is not valid JSON: {source}")]
    Parse {
        /// Path relative to `schemas/`.
        path: String,
        /// The parser's error.
        #[source]
        source: serde_json::Error,
    },
    /// An embedded file's `$id` does not match its path.
    #[error("schemas/{path} has $id {found:?}, expected {expected:?}")]
    WrongId {
        /// Path relative to `schemas/`.
        path: String,
        /// The `$id` the path requires.
        expected: String,
        /// The `$id` found, if any.
        found: Option<String>,
    },
    /// The documents could not be put into a reference registry.
    #[error("schema registry: {message}")]
    Registry {
        /// The referencing error.
        message: String,
    },
    /// A kind has no schema file.
    #[error("no schema file schemas/{path} for {kind}")]
    Missing {
        /// The kind.
        kind: MessageKind,
        /// The expected path relative to `schemas/`.
        path: String,
    },
    /// A schema did not compile (bad keyword, unresolvable `$ref`, ...).
    #[error("schema of {kind} ({profile} profile) does not compile: {message}")]
    Compile {
        /// The kind.
        kind: MessageKind,
        /// The profile.
        profile: Profile,
        /// The compiler's error.
        message: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_uri_resolves_sibling_and_parent_references() {
        let police = "https://dsop-harness.local/schemas/police/accounts.schema.json";
        assert_eq!(
            join_uri(police, "../accounts.schema.json"),
            "https://dsop-harness.local/schemas/accounts.schema.json"
        );
        assert_eq!(
            join_uri(police, "other.schema.json"),
            "https://dsop-harness.local/schemas/police/other.schema.json"
        );
    }
}
