//! The police suite against the reference police client: every scenario passes
//! in-process and through the real `--trigger` path (that every fault switch of the reference
//! client is caught by the rules it breaks is the seeded-fault proof, tests/proof); hostile
//! triggers end as failed verdicts
//! with evidence; `test police` exit codes; and the independent Python client's verdict.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod helpers;

use libtest_mimic::{Arguments, Trial};

fn main() {
    let arguments = Arguments::from_args();
    let mut trials = helpers::reference_trials();
    trials.extend(helpers::hostile_trials());
    trials.extend(helpers::cli_trials());
    trials.push(Trial::test(
        "police_suite::independent_python_client_passes",
        helpers::python_client_passes,
    ));
    libtest_mimic::run(&arguments, trials).exit();
}
