//! Trust material and the three cryptographic mechanisms of Politi-Utlevering (digest
//! sections 5, 6, 7.2): the test PKI, the trust directory, extradition orders (sign and verify),
//! Maskinporten tokens (mint and verify) and JWE (encrypt and decrypt).
//!
//! Must not touch: HTTP serving or the suites' verdicts; it produces and judges artefacts only.

pub mod dir;
pub mod eo;
pub mod jose;
pub mod jwe;
pub mod maskinporten;
pub mod pki;

pub use dir::{Artifact, FileOutcome, TrustDir, TrustError, TrustManifest};
