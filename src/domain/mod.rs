//! The DSOP vocabulary (digest sections 2, 3, 4, 5, 6).
//!
//! Owns: typed values with a `parse` that returns a typed error (`PartyId`, `LegalMandate`,
//! `AccountNumber`, `OrgNumber`, ...), Norwegian identifier generation and validation, and the
//! serde model of every message of Politi-Utlevering (registry and Control API responses, the
//! error body, request header/query sets, extradition-order header and payload, Maskinporten
//! claims, JWKS).
//!
//! Must not touch: the network, the file system, keys or signatures. Whole-document validation
//! against the JSON Schemas belongs to `crate::schema`; cryptography to `crate::trust`.

pub mod control;
pub mod dates;
pub mod enums;
pub mod identifiers;
pub mod mandate;
pub mod order;
pub mod registry;
pub mod request;
pub mod token;
pub mod values;
