//! Thin binary: argument parsing and dispatch live in the library (`dsop_harness::run`).

/// mimalloc instead of the system allocator: a mock bank under load allocates per request from
/// both runtime threads, and glibc's arena locks and heap growth were a fifth of its CPU
/// (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    dsop_harness::run()
}
