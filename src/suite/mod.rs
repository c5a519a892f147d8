//! The conformance suites' shared machinery: Gherkin features run with cucumber, scenario tags
//! mapped to requirement levels and digest sections, every scenario's outcome recorded, and the
//! verdict computed the same way for the bank and the police suite.
//!
//! Owns: tag semantics ([`meta`]), outcomes and the verdict ([`outcome`]), and the cucumber
//! writer that records them ([`recorder`]).
//!
//! Must not touch: what a scenario checks (the bank and police step definitions own that) or
//! report rendering.

pub mod meta;
pub mod outcome;
pub mod recorder;
