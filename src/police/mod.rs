//! The police side: the reference police client and the driver the bank suite plays police
//! with (digest 1.2, 2, 3, 4, 5, 6, 7).
//!
//! Owns: the case input ([`case`]), the HTTP driver that obtains Maskinporten tokens with JWT
//! grants, asks the registry, looks banks up in Felles datakatalog and calls the Control API
//! with every header and the extradition order ([`driver`]), paging with the next request in
//! flight ([`pager`]), the whole-case orchestration with
//! bounded concurrency, bounded retries and pagination ([`lookup`]), the case result
//! ([`result`], schema `case-result`), and named fault switches that make the client subtly
//! wrong on purpose to prove the police suite ([`faults`]).
//!
//! Must not touch: verdicts. The driver reports what happened (every exchange, decrypted); the
//! suites judge it.

pub(crate) mod case;
pub(crate) mod driver;
pub(crate) mod faults;
pub(crate) mod lookup;
pub(crate) mod pager;
pub(crate) mod result;
