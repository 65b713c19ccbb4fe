//! One module per subcommand. Each writes its result to standard output and
//! returns its verdict; errors go back to [`crate::run`], which reports them.

mod api;
#[cfg(feature = "batch")]
mod batch;
mod completions;
mod download;
mod example;
pub(crate) mod explain;
mod follow;
#[cfg(feature = "mock")]
pub mod mock;
mod models;
pub mod run;
mod schema;
mod status;
mod submit;
mod validate;
mod webhook;

use orux_models::Model;
use orux_models::catalog::ModelInfo;

use crate::args::Command;
use crate::{Error, Verdict};

/// Runs one subcommand.
pub fn run(command: &Command) -> Result<Verdict, Error> {
    match command {
        Command::Validate(args) => validate::run(args),
        Command::Models(args) => models::run(args.format),
        Command::Explain(arg) => explain::run(&arg.model),
        Command::Schema(args) => schema::run(args.model.as_deref()),
        Command::Example(arg) => example::run(&arg.model),
        #[cfg(feature = "mock")]
        Command::Mock(args) => mock::run(args),
        Command::Submit(args) => submit::run(args),
        Command::Status(args) => status::run_status(args),
        Command::Wait(args) => status::run_wait(args),
        Command::Webhook(args) => webhook::run(args),
        Command::Download(args) => download::run(args),
        Command::Run(args) => run::run(args),
        Command::Completions(args) => completions::run(args),
        #[cfg(feature = "batch")]
        Command::Batch(args) => batch::run(args),
    }
}

/// The catalog entry of the model with this wire id, or an error naming the
/// nearest id (`unknown model "sora-2"; did you mean "sora2"?`).
fn find_model(id: &str) -> Result<&'static ModelInfo, Error> {
    match id.parse::<Model>() {
        Ok(model) => Ok(model.info()),
        Err(unknown) if unknown.suggestion.is_some() => Err(Error::Message(unknown.to_string())),
        Err(unknown) => Err(Error::Message(format!(
            "{unknown}; `orux models` lists the models"
        ))),
    }
}
