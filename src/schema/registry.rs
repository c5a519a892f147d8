//! The compiled schema set: every file of `schemas/` embedded in the binary, compiled once.

use super::kind::{MessageKind, Profile};
use super::violation::{SchemaError, Violation};
use jsonschema::{Draft, Registry, ValidationError, Validator};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// The base URI of every schema `$id`; a file `schemas/<path>` has the `$id` `BASE_URI<path>`.
pub const BASE_URI: &str = "https://dsop-harness.local/schemas/";

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../schemas/", $path)))),*]
    };
}

/// Every schema file, path relative to `schemas/` and contents, embedded at compile time so
/// the registry works from any working directory. A test checks this list against the files.
const EMBEDDED: &[(&str, &str)] = embed!(
    "common.schema.json",
    "registry-customer-relationships-request.schema.json",
    "registry-customer-relationships-response.schema.json",
    "registry-account-servicing-provider-request.schema.json",
    "registry-account-servicing-provider-response.schema.json",
    "registry-error.schema.json",
    "accounts-request.schema.json",
    "account-reference-request.schema.json",
    "accounts.schema.json",
    "account-details.schema.json",
    "transactions.schema.json",
    "cards.schema.json",
    "roles.schema.json",
    "error.schema.json",
    "extradition-order-header.schema.json",
    "extradition-order-payload.schema.json",
    "maskinporten-access-token.schema.json",
    "maskinporten-jwt-grant.schema.json",
    "jwks.schema.json",
    "case-result.schema.json",
    "population.schema.json",
    "maskinporten-metadata.schema.json",
    "maskinporten-token-response.schema.json",
    "oauth-error.schema.json",
    "datakatalog-entry.schema.json",
    "datakatalog-endpoints.schema.json",
    "certpub-locator.schema.json",
    "mock-error.schema.json",
    "manifest.schema.json",
    "summary.schema.json",
    "attestation.schema.json",
    "config.schema.json",
    "expected-failures.schema.json",
    "police/accounts-request.schema.json",
    "police/account-reference-request.schema.json",
    "police/registry-customer-relationships-request.schema.json",
    "police/registry-account-servicing-provider-request.schema.json",
    "police/accounts.schema.json",
    "police/account-details.schema.json",
    "police/maskinporten-access-token.schema.json",
);

/// The paths (relative to `schemas/`) of every embedded schema file.
pub fn embedded_schema_paths() -> impl Iterator<Item = &'static str> {
    EMBEDDED.iter().map(|(path, _)| *path)
}

/// Every embedded schema file: path relative to `schemas/` and contents (what the attestation
/// hashes as the schema set this binary judges with).
pub(crate) fn embedded_schemas() -> impl Iterator<Item = (&'static str, &'static str)> {
    EMBEDDED.iter().copied()
}

/// The relative path of the schema file of `kind` in `profile` (`police/<stem>.schema.json`
/// only where the police profile differs).
pub(super) fn schema_path(kind: MessageKind, profile: Profile) -> String {
    let common = format!("{}.schema.json", kind.as_str());
    match profile {
        Profile::Police => {
            let police = format!("police/{common}");
            if EMBEDDED.iter().any(|(path, _)| *path == police) {
                police
            } else {
                common
            }
        }
        Profile::Common => common,
    }
}

/// Validators for one kind: the common standard and, where it differs, the police profile.
struct KindValidators {
    common: Validator,
    police: Option<Validator>,
    common_uri: String,
    police_uri: Option<String>,
}

/// All schemas, parsed and compiled once (digest sections 2, 3, 5, 6).
///
/// Build it with [`SchemaRegistry::new`] or share the process-wide one from
/// [`SchemaRegistry::global`]. Validation borrows the document; nothing is cloned unless it
/// fails, and then only the failing locations are rendered.
pub struct SchemaRegistry {
    kinds: Vec<KindValidators>,
    /// Parsed schema documents by `$id`, for resolving `x-dsop-section` annotations.
    documents: HashMap<String, Value>,
}

impl std::fmt::Debug for SchemaRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchemaRegistry")
            .field("kinds", &self.kinds.len())
            .field("documents", &self.documents.len())
            .finish()
    }
}

impl SchemaRegistry {
    /// Parse and compile every embedded schema. Cross-file `$ref`s resolve from the embedded
    /// documents only; nothing is fetched (offline retriever).
    pub fn new() -> Result<Self, SchemaError> {
        let mut documents = HashMap::with_capacity(EMBEDDED.len());
        for (path, text) in EMBEDDED {
            let document: Value =
                serde_json::from_str(text).map_err(|source| SchemaError::Parse {
                    path: (*path).to_owned(),
                    source,
                })?;
            let expected = format!("{BASE_URI}{path}");
            let declared = document.get("$id").and_then(Value::as_str);
            if declared != Some(expected.as_str()) {
                return Err(SchemaError::WrongId {
                    path: (*path).to_owned(),
                    expected,
                    found: declared.map(str::to_owned),
                });
            }
            documents.insert(expected, document);
        }
        let registry = Registry::new()
            .draft(Draft::Draft202012)
            .extend(documents.iter().map(|(uri, doc)| (uri.as_str(), doc)))
            .and_then(|builder| builder.prepare())
            .map_err(|source| SchemaError::Registry {
                message: source.to_string(),
            })?;
        let compile =
            |kind: MessageKind, profile: Profile| -> Result<(Validator, String), SchemaError> {
                let uri = format!("{BASE_URI}{}", schema_path(kind, profile));
                let document = documents.get(&uri).ok_or(SchemaError::Missing {
                    kind,
                    path: schema_path(kind, profile),
                })?;
                jsonschema::options()
                    .with_draft(Draft::Draft202012)
                    .should_validate_formats(true)
                    .offline()
                    .with_registry(&registry)
                    .build(document)
                    .map(|validator| (validator, uri))
                    .map_err(|error: ValidationError<'static>| SchemaError::Compile {
                        kind,
                        profile,
                        message: error.to_string(),
                    })
            };
        let mut kinds = Vec::with_capacity(MessageKind::ALL.len());
        for kind in MessageKind::ALL {
            let (common, common_uri) = compile(kind, Profile::Common)?;
            let (police, police_uri) =
                if schema_path(kind, Profile::Police) != schema_path(kind, Profile::Common) {
                    let (validator, uri) = compile(kind, Profile::Police)?;
                    (Some(validator), Some(uri))
                } else {
                    (None, None)
                };
            kinds.push(KindValidators {
                common,
                police,
                common_uri,
                police_uri,
            });
        }
        drop(registry);
        Ok(SchemaRegistry { kinds, documents })
    }

    /// The process-wide registry, compiled on first use.
    ///
    /// The embedded schemas are fixed at compile time, so an error here is a defect of the
    /// build (the schema tests catch it); it is returned, never panicked on.
    pub fn global() -> Result<&'static SchemaRegistry, &'static SchemaError> {
        static GLOBAL: OnceLock<Result<SchemaRegistry, SchemaError>> = OnceLock::new();
        GLOBAL.get_or_init(SchemaRegistry::new).as_ref()
    }

    /// Validate `value` as a `kind` message under `profile`; every violation is reported.
    pub fn validate(
        &self,
        kind: MessageKind,
        profile: Profile,
        value: &Value,
    ) -> Result<(), Vec<Violation>> {
        let Some(entry) = self.kinds.get(kind.index()) else {
            return Err(vec![Violation::internal(
                kind,
                format!("no compiled schema for {kind}"),
            )]);
        };
        let (validator, uri) = match (profile, &entry.police, &entry.police_uri) {
            (Profile::Police, Some(validator), Some(uri)) => (validator, uri),
            _ => (&entry.common, &entry.common_uri),
        };
        if validator.is_valid(value) {
            return Ok(());
        }
        let violations: Vec<Violation> = validator
            .iter_errors(value)
            .map(|error| Violation::from_error(&error, kind, uri, &self.documents))
            .collect();
        if violations.is_empty() {
            // is_valid and iter_errors disagree: never report success for an invalid document.
            return Err(vec![Violation::internal(
                kind,
                "document rejected without a reported error".to_owned(),
            )]);
        }
        Err(violations)
    }
}

/// Validate `value` as a `kind` message under the police profile (this harness's default),
/// with the global registry.
pub fn validate(kind: MessageKind, value: &Value) -> Result<(), Vec<Violation>> {
    let started = std::time::Instant::now();
    let result = match SchemaRegistry::global() {
        Ok(registry) => registry.validate(kind, Profile::Police, value),
        Err(error) => Err(vec![Violation::internal(
            kind,
            format!("schema registry failed to load: {error}"),
        )]),
    };
    let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
    VALIDATE_NANOS.fetch_add(nanos, Ordering::Relaxed);
    VALIDATE_CALLS.fetch_add(1, Ordering::Relaxed);
    result
}

static VALIDATE_NANOS: AtomicU64 = AtomicU64::new(0);
static VALIDATE_CALLS: AtomicU64 = AtomicU64::new(0);

/// How often [`validate`] ran in this process and the time spent inside it, summed over
/// threads (two relaxed atomic adds per call). `dsop-harness bench` reads it before and after
/// a suite to show the schema share of the suite's wall time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ValidationTotals {
    /// Calls.
    pub calls: u64,
    /// Time inside the calls.
    pub time: std::time::Duration,
}

impl ValidationTotals {
    /// The totals so far.
    pub(crate) fn now() -> Self {
        Self {
            calls: VALIDATE_CALLS.load(Ordering::Relaxed),
            time: std::time::Duration::from_nanos(VALIDATE_NANOS.load(Ordering::Relaxed)),
        }
    }

    /// What happened since `earlier`.
    pub(crate) fn since(earlier: Self) -> Self {
        let now = Self::now();
        Self {
            calls: now.calls.saturating_sub(earlier.calls),
            time: now.time.saturating_sub(earlier.time),
        }
    }
}
