//! Extradition orders (utleveringspålegg, digest 5): building valid and deliberately broken
//! orders ([`OrderBuilder`], [`Break`]), verifying them as a bank must
//! ([`ExtraditionOrderVerifier`], digest 5.5) and checking a request against a verified order
//! ([`check_request`], digest 5.6). Every failure is an [`EoError`] naming its rule, digest
//! section and the HTTP status + ACC code a bank should answer.

mod builder;
mod error;
mod request;
mod verifier;

pub use builder::{Break, BuiltOrder, EoBuildError, OrderBuilder, UnknownBreak, DEFAULT_PARTY_ID};
pub use error::EoError;
pub use request::{check_request, request_mismatches, Endpoint, RequestFacts};
pub use verifier::{
    check_payload_fields, check_subject, content_checks, parse_approval_timestamp, Environment,
    ExtraditionOrderVerifier, Step, VerificationReport, VerifiedOrder, MAX_LIFETIME_SECONDS,
    PAYLOAD_FIELDS,
};
