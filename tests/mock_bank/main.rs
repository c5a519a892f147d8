//! Mock bank tests (digest 3, 4, 5, 7, 8): one named test per row of `rules.json`, the data
//! served for conforming requests against the population queries, paging, JWE, and every
//! fault profile. Every answer passes `helpers::assert_well_formed` (schemas) unless a fault
//! test breaks the encoding on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod data;
mod faults;
mod helpers;
mod rules;

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let mut trials = Vec::new();
    trials.extend(rules::trials());
    trials.extend(data::trials());
    trials.extend(data::more_trials());
    trials.extend(faults::trials());
    libtest_mimic::run(&args, trials).exit();
}
