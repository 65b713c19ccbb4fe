//! `orux submit [FILE|-] [--wait] [--timeout SECS] [--base-url URL] [--format human|json]`.

use std::io::{self, Write};

use orux_models::Limits;

use super::api::{self, Reporter};
use super::status::{follow, options};
use crate::api_args::SubmitArgs;
use crate::format::Format;
use crate::outcome::Outcome;
use crate::{Error, Verdict, input};

/// Validates the body, submits it, and prints the task id (or, with
/// `--wait`, the final status).
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
    let submitted = match runtime.block_on(client.submit_json(&body)) {
        Ok(submitted) => submitted,
        Err(error) => return Ok(report.api_error(&error)),
    };
    if !args.wait {
        match args.api.format {
            Format::Json => {
                let mut out = io::stdout().lock();
                serde_json::to_writer(&mut out, &submitted)
                    .map_err(io::Error::from)
                    .and_then(|()| out.write_all(b"\n"))
                    .map_err(Error::stdout)?;
            }
            Format::Human => writeln!(io::stdout(), "{}", api::shown(&submitted.task_id))
                .map_err(Error::stdout)?,
        }
        return Ok(Verdict::Success);
    }
    let watch = client.watch_submitted(&submitted.task_id, &options(args.timeout));
    Ok(match runtime.block_on(follow(watch)) {
        Ok(status) => match &args.download {
            Some(dir) => {
                super::download::finish(report, &client, &runtime, &status, dir, args.force)
            }
            None => report.status(&status),
        },
        Err(error) => report.api_error(&error),
    })
}
