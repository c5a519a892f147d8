//! The mock ecosystem: every counterparty of Politi-Utlevering as a live server on loopback
//! (digest 1.1, 1.2): Maskinporten, the customer-relationship registry, Felles datakatalog,
//! CertPub, the prosecution JWKS, and any number of banks.
//!
//! Owns: the servers (our own hyper server by default: bounded request bodies, head and body
//! timeouts, TLS, connection-level faults; wiremock opt-in for in-process tests only, see
//! [`server`]), their provider behaviour, fault profiles, user stubs in front of the banks
//! ([`stubs`], `mocks serve --stubs`), and the request
//! [`journal`] in which every request is recorded with the rule violations found in it.
//! Each mock's logic is a pure handler over [`http::MockRequest`] → [`http::MockResponse`],
//! so it is testable without a socket and can sit behind either server front end.
//!
//! Must not touch: verdicts about a system under test (the suites read the journal and decide).

pub mod bank;
pub mod catalog;
pub mod certpub;
pub mod clock;
pub mod ecosystem;
pub mod faults;
mod headers;
pub mod http;
pub mod journal;
pub mod jwks;
pub mod maskinporten;
pub mod registry;
pub mod server;
pub mod stubs;
