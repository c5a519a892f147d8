//! The JSON Schema registry (digest sections 2, 3, 5, 6).
//!
//! Owns: loading every schema in `schemas/`, compiling them once (formats validated), and the
//! single `validate` entry point that every other part uses. A `Violation` names the JSON
//! pointer, the rule and the digest section.
//!
//! Must not touch: HTTP, crypto, or business rules that need more than one document (those
//! belong to the verifiers in `crate::trust` and the suites).
