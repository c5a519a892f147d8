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

pub(crate) mod bank;
pub(crate) mod catalog;
pub(crate) mod certpub;
pub(crate) mod clock;
pub(crate) mod ecosystem;
pub(crate) mod faults;
mod headers;
pub(crate) mod http;
pub(crate) mod journal;
pub(crate) mod jwks;
pub(crate) mod maskinporten;
pub(crate) mod registry;
pub(crate) mod server;
pub(crate) mod stubs;
