//! Workspace-level tests live in `tests/tests/suite/` (one test binary, a
//! module per concern); the library holds only what several of them share
//! ([`spec_cases`], [`corpus`], the URL corpus [`url_corpus`] and its oracle
//! [`url_oracle`]).
//! The README's Rust example is compiled and run as a doctest of this crate.
#![doc = include_str!("../../README.md")]

pub mod corpus;
pub mod lcg;
pub mod spec_cases;
pub mod url_corpus;
pub mod url_oracle;
