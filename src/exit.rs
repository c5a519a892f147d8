//! Documented exit codes of every `dsop-harness` subcommand (see `docs/exit-codes.md`): the
//! CLI returns them, and the suites' verdicts (`suite::outcome`) and the bench map onto them.

/// Everything that was asked for succeeded; for a suite: every mandatory scenario passed.
pub(crate) const SUCCESS: u8 = 0;
/// A suite ran and a mandatory scenario failed, or a verification (e.g. `eo verify`) rejected
/// its input.
pub(crate) const FAILURE: u8 = 1;
/// Usage or configuration error: bad flags, unreadable files, invalid configuration.
pub(crate) const USAGE: u8 = 2;
/// The system under test could not be reached or started at all.
pub(crate) const UNREACHABLE: u8 = 3;
/// A suite ran, nothing mandatory failed, but a `@mandatory` scenario could not run (skipped):
/// the verdict `INCOMPLETE` is not a pass, and a CI job must not read it as one.
pub(crate) const INCOMPLETE: u8 = 4;
