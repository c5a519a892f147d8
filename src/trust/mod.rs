//! Trust material and the three cryptographic mechanisms of Politi-Utlevering (digest
//! sections 5, 6, 7.2): the test PKI, the trust directory, extradition orders (sign and verify),
//! Maskinporten tokens (mint and verify) and JWE (encrypt and decrypt).
//!
//! Must not touch: HTTP serving or the suites' verdicts; it produces and judges artefacts only.

pub(crate) mod dir;
pub(crate) mod eo;
pub(crate) mod jose;
pub(crate) mod jwe;
pub(crate) mod maskinporten;
pub(crate) mod pki;

pub(crate) use dir::TrustError;
pub use dir::{Artifact, FileOutcome, TrustDir};
