//! Extradition orders (utleveringspålegg, digest 5): building valid and deliberately broken
//! orders ([`OrderBuilder`], [`Break`]), verifying them as a bank must
//! ([`ExtraditionOrderVerifier`], digest 5.5) and checking a request against a verified order
//! ([`check_request`], digest 5.6). Every failure is an [`EoError`] naming its rule, digest
//! section and the HTTP status + ACC code a bank should answer.

mod builder;
mod error;
mod request;
mod verifier;

pub use builder::{Break, OrderBuilder};
pub use error::EoError;
pub use request::RequestFacts;
pub(crate) use request::{request_mismatches, Endpoint};
pub(crate) use verifier::PAYLOAD_FIELDS;
pub use verifier::{check_payload_fields, content_checks, Environment, ExtraditionOrderVerifier};
