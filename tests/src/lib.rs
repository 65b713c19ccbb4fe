//! Workspace-level tests live in `tests/tests/`; this crate has no library code.
//! The README's Rust example is compiled and run as a doctest of this crate.
#![doc = include_str!("../../README.md")]
