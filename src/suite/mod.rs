//! The conformance suites' shared machinery: Gherkin features run with cucumber, scenario tags
//! mapped to requirement levels and digest sections, every scenario's outcome recorded, and the
//! verdict computed the same way for the bank and the police suite.
//!
//! Owns: tag semantics ([`meta`]), outcomes and the verdict ([`outcome`]), agreed deviations
//! ([`expected`]), and the cucumber writer that records them ([`recorder`], with a progress
//! hook), masked per-scenario transcripts ([`transcript`]), and
//! the run record reports consume plus scenario selection ([`run`]).
//!
//! Must not touch: what a scenario checks (the bank and police step definitions own that) or
//! report rendering.

pub(crate) mod expected;
pub(crate) mod meta;
pub(crate) mod outcome;
pub(crate) mod recorder;
pub(crate) mod run;
pub(crate) mod transcript;
