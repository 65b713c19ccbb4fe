//! `orux run MODEL [PROMPT] [--FIELD VALUE]…`: from a prompt to a file. The
//! flags become a request body (a local image file becomes a data URI), the
//! validator checks it and every problem is reported with its flag, then it
//! is submitted, waited for and its results downloaded.

use std::io::{self, Write};

use orux_models::TaskRequest;
use orux_models::catalog::MODELS;
use serde::Serialize;

use super::api::{self, Reporter, shown};
use super::download::{self, Download};
use super::follow::{follow, options};
use crate::format::Format;
use crate::render;
use crate::run_args::RunArgs;
use crate::run_body::{FlagProblem, build_body, problem};
use crate::stop_signal::StopSignal;
use crate::{Error, Verdict};

/// Validates the flags, then submits, waits and downloads (or stops early
/// for `--dry-run` and `--no-wait`).
pub fn run(args: &RunArgs) -> Result<Verdict, Error> {
    let report = Reporter::new(&args.api);
    let built = match build_body(args.model, &args.given, &MODELS) {
        Ok(built) => built,
        Err(problems) => return Ok(refuse(report, &problems)),
    };
    let mut notes = built.notes;
    match TaskRequest::from_json(built.body.as_bytes()) {
        Ok(valid) => notes.extend(valid.warnings.iter().map(|w| problem(args.model, w))),
        Err(invalid) => {
            let problems: Vec<FlagProblem> = invalid
                .errors
                .iter()
                .map(|e| problem(args.model, e))
                .collect();
            return Ok(refuse(report, &problems));
        }
    }
    for note in &notes {
        warn(note);
    }
    if args.dry_run {
        writeln!(io::stdout(), "{}", built.body).map_err(Error::stdout)?;
        return Ok(Verdict::Success);
    }
    let (client, runtime) = match api::client(&args.api).and_then(|c| Ok((c, api::runtime()?))) {
        Ok(both) => both,
        Err(message) => return Ok(report.usage(&message)),
    };
    let body = built.body.as_bytes();
    if args.no_wait {
        let submitted = match runtime.block_on(client.submit_json(body)) {
            Ok(submitted) => submitted,
            Err(error) => return Ok(report.api_error(&error, None)),
        };
        report.created(&submitted.task_id);
        match args.api.format {
            Format::Json => api::print_json(&submitted),
            Format::Human => {
                writeln!(io::stdout(), "{}", shown(&submitted.task_id)).map_err(Error::stdout)?
            }
        }
        return Ok(Verdict::Success);
    }
    let dir = download::out_dir(args.out.as_deref());
    runtime.block_on(async {
        // Listening before the POST: a signal during it waits for the answer,
        // so the id of a task that was created is printed, not lost.
        let mut stop = match StopSignal::listen() {
            Ok(stop) => stop,
            Err(error) => return Ok(report.usage(&format!("cannot listen for signals: {error}"))),
        };
        let watch = match client
            .submit_json_and_watch(body, &options(args.timeout))
            .await
        {
            Ok(watch) => watch,
            Err(error) => return Ok(report.api_error(&error, None)),
        };
        report.created(watch.task_id());
        let followed = follow(watch, &mut stop).await;
        let download = Download::new(&client, &dir, args.force);
        Ok(download.after_wait(report, followed, &mut stop).await)
    })
}

/// `{"error": {"code": "invalid_param", "message", "errors": [{"flag", "path", "message"}]}}`.
#[derive(Serialize)]
struct Refused<'a> {
    error: RefusedFields<'a>,
}

#[derive(Serialize)]
struct RefusedFields<'a> {
    code: &'static str,
    message: &'a str,
    errors: &'a [FlagProblem],
}

/// Nothing was sent: every problem, by flag. Exit status 2.
fn refuse(report: Reporter<'_>, problems: &[FlagProblem]) -> Verdict {
    let count = problems.len();
    let message = format!(
        "the command line makes an invalid request: {count} problem{}; nothing was sent",
        if count == 1 { "" } else { "s" }
    );
    match report.format {
        Format::Json => api::print_json(&Refused {
            error: RefusedFields {
                code: "invalid_param",
                message: &message,
                errors: problems,
            },
        }),
        Format::Human => {
            let mut err = anstream::stderr().lock();
            let style = render::ERROR;
            for problem in problems {
                let _ = writeln!(err, "{style}error:{style:#} {}", line(problem));
            }
            let _ = writeln!(err, "{style}error:{style:#} {message}");
        }
    }
    Verdict::UsageReported
}

fn warn(problem: &FlagProblem) {
    let style = render::WARNING;
    let _ = writeln!(
        anstream::stderr(),
        "{style}warning:{style:#} {}",
        line(problem)
    );
}

/// `--duration: duration must be 5 or 10 for sora2, got 7`.
fn line(problem: &FlagProblem) -> String {
    if problem.flag.is_empty() {
        shown(&problem.message)
    } else {
        format!("{}: {}", problem.flag, shown(&problem.message))
    }
}
