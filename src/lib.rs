//! dsop-harness: conformance test harness and mock ecosystem for the Norwegian DSOP service
//! *Politi-Utlevering* (police access to bank account information).
//!
//! The crate is organised by role in the data flow (see `docs/architecture.md`):
//!
//! * `domain` — the DSOP vocabulary: typed, validated values (identifiers, mandates, dates)
//!   and the serde model of every message of both steps. No I/O, no crypto.
//! * `schema` — the JSON Schema registry: every schema in `schemas/` compiled once, one
//!   `validate` entry point used by every other part.
//! * `trust` — test PKI, extradition orders, Maskinporten tokens, JWE, the trust directory.
//! * [`cli`] — the command-line front end; `main.rs` only calls [`cli::run`].

pub mod bank_suite;
pub mod bench;
pub mod cli;
pub mod domain;
pub mod exit;
pub mod mocks;
pub mod pact;
pub mod police;
pub mod police_suite;
pub mod population;
pub mod proof;
pub mod redact;
pub mod report;
pub mod rules;
pub mod schema;
pub mod suite;
pub mod trust;

pub use domain::identifiers::{
    AccountNumber, IdentifierError, OrgNumber, PartyId, PersonNumber, PersonNumberKind,
};
pub use schema::{MessageKind, Profile, SchemaError, SchemaRegistry, Violation};
