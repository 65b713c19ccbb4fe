//! The one choice every command's output shares: for people or for programs.
//! Its own module because both clap definition files (`args`, `api_args`)
//! take it, and neither should import the other for it.

use clap::ValueEnum;

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Lines and tables for people; coloured on a terminal unless NO_COLOR is set
    Human,
    /// JSON for programs
    Json,
}
