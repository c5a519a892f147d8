//! Trust integration tests (digest 5, 6, 7.2): one named test per table row
//! (`extradition-orders.json`, `tokens.json`, `grants.json`, `jwe.json`), plus the trust
//! directory, chain and interoperability tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod cli;
mod dir;
mod eo;
mod helpers;
mod interop;
mod jwe;
mod tokens;

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let mut trials = Vec::new();
    trials.extend(eo::trials());
    trials.extend(tokens::trials());
    trials.extend(jwe::trials());
    trials.extend(dir::trials());
    trials.extend(interop::trials());
    trials.extend(cli::trials());
    libtest_mimic::run(&args, trials).exit();
}
