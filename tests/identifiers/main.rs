//! Norwegian identifiers and typed request values (digest 2.1, 3.2,
//! 3.4.3, 3.4.5, 4.4, 4.7, 5.6).
//!
//! One libtest-mimic binary: property tests (proptest driven through its `TestRunner`), the
//! mutation sweep, documented known-good values, one test per row of `parse_table.json`, and
//! the rules of `domain::values`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod generated;
mod helpers;
mod known_good;
mod mutations;
mod table;
mod values;

use libtest_mimic::{Arguments, Trial};

fn main() {
    let args = Arguments::from_args();
    let mut trials: Vec<Trial> = Vec::new();
    trials.extend(generated::trials());
    trials.extend(mutations::trials());
    trials.extend(known_good::trials());
    trials.extend(table::trials());
    trials.extend(values::trials());
    libtest_mimic::run(&args, trials).exit();
}
