//! The synthetic population the mock ecosystem serves and a bank under test loads: banks,
//! persons, companies, accounts with their roles, balances, transactions and cards
//! (digest 1.1, 3, 4.5–4.7, 8).
//!
//! Owns: the data model ([`model`]), which doubles as the test data pack of
//! `dsop-harness fixtures export` (schema `schemas/population.schema.json`, loaded and checked
//! by [`Population::load`]), its seeded generation ([`Population::generate`], Norwegian
//! vocabulary from [`NbNo`]), the named edge cases ([`EdgeCaseKind`]), and the provider-side
//! queries every mock bank answers from it ([`query`]: which accounts a party sees, balances
//! at a date, transactions in a period page by page). All data is synthetic: person numbers use
//! the synthetic month (+80), organisation and account numbers pass mod-11.
//!
//! Must not touch: HTTP, tokens, orders or encryption; those belong to the mocks and `trust`.

mod cards;
mod companion;
mod edge_cases;
mod file;
mod generate;
mod lazy;
mod locale;
pub(crate) mod model;
pub(crate) mod query;

pub use cards::{is_masked_card_number, is_test_card_number};
pub(crate) use cards::{is_masking_of, mask_card_number, shows_six_and_four};
pub use edge_cases::EdgeCaseKind;
pub use file::{PopulationError, INLINE_TRANSACTION_LIMIT};
pub(crate) use generate::{default_reference_date, DATA_EXACT_PERIOD_DAYS, DEFAULT_SEED};
pub use generate::{PopulationConfig, HISTORY_DAYS};
pub use lazy::{generated_transaction, index_range};
pub use locale::POST_PLACES;
pub use model::{AccountRecord, EdgeCase, Population};

/// Path of the committed default pack, relative to the crate root.
pub const DEFAULT_PACK_PATH: &str = "mocks/population/default.json";
