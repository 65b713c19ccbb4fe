//! `orux submit [FILE|-] [--wait] [--timeout SECS] [--base-url URL] [--format human|json]`.

use std::io;

use orux_models::Limits;

use super::api::{self, Reporter};
use super::download::Download;
use super::follow::{follow, options};
use crate::api_args::SubmitArgs;
use crate::format::Format;
use crate::outcome::Outcome;
use crate::stop_signal::StopSignal;
use crate::{Error, Verdict, input, json_out};

/// Validates the body, submits it, and prints the task id (or, with
/// `--wait`, the final status). The id goes to standard error the moment it
/// exists, whatever comes next.
pub fn run(args: &SubmitArgs) -> Result<Verdict, Error> {
    let report = Reporter::new(&args.api);
    let limits = Limits::default();
    let (mut reader, name) = match super::validate::open(args.file.as_deref()) {
        Ok(opened) => opened,
        Err(error) => return Ok(report.usage(&error.to_string())),
    };
    let mut body = Vec::new();
    let fit = match input::read_all(&mut reader, &mut body, limits.max_body_bytes) {
        Ok(fit) => fit,
        Err(error) => return Ok(report.usage(&format!("cannot read {name}: {error}"))),
    };
    // Checked before the key is even looked at: an invalid body never costs a request.
    let mut outcome = Outcome::of_read(&body, fit, &limits);
    outcome.suggest_jsonl(&body, crate::outcome::SUBMIT_JSONL_HINT);
    if !outcome.is_valid() {
        let count = outcome.errors.len();
        let message = format!(
            "invalid request: {count} error{}",
            if count == 1 { "" } else { "s" }
        );
        return Ok(report.invalid(&outcome.errors, &outcome.warnings, &message));
    }
    let (client, runtime) = match api::client(&args.api).and_then(|c| Ok((c, api::runtime()?))) {
        Ok(both) => both,
        Err(message) => return Ok(report.usage(&message)),
    };
    if !args.wait {
        let submitted = match runtime.block_on(client.submit_json(&body)) {
            Ok(submitted) => submitted,
            Err(error) => return Ok(report.api_error(&error, None)),
        };
        report.created(&submitted.task_id);
        match args.api.format {
            Format::Json => json_out::write(&mut io::stdout().lock(), &submitted),
            Format::Human => {
                let line = format!("{}\n", api::shown(&submitted.task_id));
                io::Write::write_all(&mut io::stdout().lock(), line.as_bytes())
            }
        }
        .map_err(Error::stdout)?;
        return Ok(Verdict::Success);
    }
    runtime.block_on(async {
        // Listening before the POST: a signal during it waits for the answer,
        // so the id of a task that was created is printed, not lost.
        let mut stop = match StopSignal::listen() {
            Ok(stop) => stop,
            Err(error) => return Ok(report.usage(&format!("cannot listen for signals: {error}"))),
        };
        // `--timeout` bounds the whole operation, the submission included.
        let watch = match client
            .submit_json_and_watch(&body, &options(args.timeout))
            .await
        {
            Ok(watch) => watch,
            Err(error) => return Ok(report.api_error(&error, None)),
        };
        report.created(watch.task_id());
        let followed = follow(watch, &mut stop).await;
        let download = args
            .download
            .as_deref()
            .map(|dir| Download::new(&client, dir, args.force));
        Ok(super::download::end_wait(report, followed, download, &mut stop).await)
    })
}
