//! Thin binary: argument parsing and dispatch live in the library (`dsop_harness::cli`).

fn main() -> std::process::ExitCode {
    dsop_harness::cli::run()
}
