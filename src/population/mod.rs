//! The synthetic population the mock ecosystem serves and a bank under test loads: banks,
//! persons, companies, accounts with their roles, balances, transactions and cards
//! (digest 1.1, 3, 4.5–4.7, 8).
//!
//! Owns: the data model ([`model`]), which doubles as the test data pack of
//! `dsop-harness fixtures export` (schema `schemas/population.schema.json`), its seeded
//! generation, and the provider-side queries every mock bank answers from it (which accounts a
//! party sees, balances at a date, transactions in a period). All data is synthetic: person
//! numbers use the synthetic month (+80), organisation and account numbers pass mod-11.
//!
//! Must not touch: HTTP, tokens, orders or encryption; those belong to the mocks and `trust`.

pub mod model;
