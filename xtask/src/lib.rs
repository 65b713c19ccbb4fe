//! The repository's automation, run as `cargo xtask TASK` (the alias in
//! `.cargo/config.toml`). Each task is a module; `main.rs` only dispatches.
//! Generation itself is `orux_codegen`'s: the tasks read arguments, write
//! or compare files, run tools and report.

pub mod ci;
pub mod diff;
pub mod metadata;
pub mod prerequisites;
pub mod regenerate;
pub mod rehearsal;
pub mod root;
pub mod snippets;
pub mod steps;
pub mod test;
pub mod workspace_copy;

/// `cargo xtask --help`: every task, one line each.
pub const USAGE: &str = "usage: cargo xtask TASK [ARGS]

tasks:
  regenerate [--check]   models.yaml → generated/ (the orux-models crate, the JSON
                         Schema bundle, the OpenAPI document, MODELS.md); --check
                         writes nothing and lists stale files
  diff --base OLD        what a spec change does to users and the semver bump
                         it needs
  test [--accept]        every test: prerequisites, cargo test, the Python and
                         TypeScript cross-language checks, the README snippets,
                         the maintainer rehearsal; --accept accepts changed
                         snapshots
  snippets               run every fenced block of every README.md (a step of
                         `test`; the convention is in `cargo xtask snippets
                         --help`)
  rehearse               the maintainer's path on a copy of the workspace: add
                         a model, regenerate, test --accept, end green (a step
                         of `test`)
  ci                     exactly what CI runs (.ci/run): fmt, clippy,
                         regenerate --check, bench build, package lists, the
                         steps of `test`, short fuzz runs

`cargo xtask TASK --help` says more about each.";
