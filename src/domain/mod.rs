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

pub(crate) mod control;
pub(crate) mod dates;
pub(crate) mod enums;
pub(crate) mod identifiers;
pub(crate) mod mandate;
pub(crate) mod order;
pub(crate) mod registry;
pub(crate) mod request;
pub(crate) mod token;
pub(crate) mod values;
