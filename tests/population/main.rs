//! Synthetic population, provider queries and the test data pack (`fixtures export`;
//! digest 1.3, 3.3, 3.4, 4.5–4.7, 7.4, 7.10, 8).
//!
//! One libtest-mimic binary: generation (determinism, identifiers, coverage), files (schema,
//! drift, hand edits, CLI), one schema-validation test per (bank, party) and per account of
//! the default pack, the query rules (each named after its digest section), and the lazily
//! generated 1 000 000-transaction account.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod files;
mod generation;
mod helpers;
mod large;
mod responses;
mod rules;

use libtest_mimic::{Arguments, Trial};

fn main() {
    let args = Arguments::from_args();
    let mut trials: Vec<Trial> = Vec::new();
    trials.extend(generation::trials());
    trials.extend(files::trials());
    trials.extend(responses::trials());
    trials.extend(rules::trials());
    trials.extend(large::trials());
    libtest_mimic::run(&args, trials).exit();
}
