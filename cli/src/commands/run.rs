//! `orux run MODEL [PROMPT] [--FIELD VALUE]…`: from a prompt to a file. The
//! flags become a request body (a local image file becomes a data URI), the
//! validator checks it and every problem is reported with its flag, then it
//! is submitted, waited for and its results downloaded.

use std::io::{self, Write};

use orux_models::TaskRequest;
use orux_models::catalog::MODELS;
use serde_json::json;

use super::api::{self, Reporter, shown};
use super::download;
use super::status::{follow, options};
use crate::format::Format;
use crate::render;
use crate::run_args::RunArgs;
use crate::run_body::{FlagProblem, build_body, problem};
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
    let submitted = match runtime.block_on(client.submit_json(built.body.as_bytes())) {
        Ok(submitted) => submitted,
        Err(error) => return Ok(report.api_error(&error)),
    };
    // The id first, where it cannot be lost whatever happens next.
    let _ = writeln!(io::stderr(), "submitted {}", shown(&submitted.task_id));
    if args.no_wait {
        match args.api.format {
            Format::Json => api::print_json(&json!(submitted)),
            Format::Human => {
                writeln!(io::stdout(), "{}", shown(&submitted.task_id)).map_err(Error::stdout)?
            }
        }
        return Ok(Verdict::Success);
    }
    let watch = client.watch_submitted(&submitted.task_id, &options(args.timeout));
    let status = match runtime.block_on(follow(watch)) {
        Ok(status) => status,
        Err(error) => return Ok(report.api_error(&error)),
    };
    let dir = download::out_dir(args.out.as_deref());
    Ok(download::finish(
        report, &client, &runtime, &status, &dir, args.force,
    ))
}

/// Nothing was sent: every problem, by flag. Exit status 2.
fn refuse(report: Reporter, problems: &[FlagProblem]) -> Verdict {
    let count = problems.len();
    let message = format!(
        "the command line makes an invalid request: {count} problem{}; nothing was sent",
        if count == 1 { "" } else { "s" }
    );
    match report.format {
        Format::Json => api::print_json(&json!({"error": {
            "code": "invalid_param",
            "message": message,
            "errors": problems,
        }})),
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
