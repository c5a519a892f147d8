//! The JSON Schema registry (digest sections 2, 3, 5, 6).
//!
//! Owns: loading every schema in `schemas/` (embedded in the binary), compiling them once
//! (formats validated, `$ref`s resolved offline from the embedded documents), and the single
//! `validate` entry point that every other part uses. A [`Violation`] names the JSON pointer,
//! the rule and the digest section.
//!
//! Must not touch: HTTP, crypto, or business rules that need more than one document or a clock
//! (those belong to the verifiers in `crate::trust` and the suites). `schemas/DECISIONS.md`
//! records which rule lives where.

mod kind;
pub(crate) mod memo;
mod registry;
mod violation;

pub use kind::{MessageKind, Profile, UnknownKind};
pub use registry::{embedded_schema_paths, validate, SchemaRegistry, BASE_URI};
pub(crate) use registry::{embedded_schemas, ValidationTotals};
pub use violation::{SchemaError, Violation};
