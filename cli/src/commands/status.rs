//! `orux status TASK_ID`, `orux wait TASK_ID [--timeout SECS]`, and the
//! waiting that `orux submit --wait` shares.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use orux_client::{Error as ApiError, TaskStatusResponse, WaitOptions, Watch};

use super::api::{self, Reporter, shown};
use crate::api_args::{StatusArgs, WaitArgs};
use crate::{Error, Verdict};

/// Prints the task's current status.
pub fn run_status(args: &StatusArgs) -> Result<Verdict, Error> {
    let report = Reporter::new(&args.api);
    let (client, runtime) = match api::client(&args.api).and_then(|c| Ok((c, api::runtime()?))) {
        Ok(both) => both,
        Err(message) => return Ok(report.usage(&message)),
    };
    Ok(match runtime.block_on(client.get(&args.task_id)) {
        Ok(status) => report.status(&status),
        Err(error) => report.api_error(&error),
    })
}

/// Waits for the task to end and prints its final status.
pub fn run_wait(args: &WaitArgs) -> Result<Verdict, Error> {
    let report = Reporter::new(&args.api);
    let (client, runtime) = match api::client(&args.api).and_then(|c| Ok((c, api::runtime()?))) {
        Ok(both) => both,
        Err(message) => return Ok(report.usage(&message)),
    };
    let watch = client.watch(&args.task_id, &options(args.timeout));
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

/// The wait options for `--timeout SECS`.
pub(super) fn options(timeout: Option<u64>) -> WaitOptions {
    match timeout {
        Some(secs) => WaitOptions::with_deadline(Duration::from_secs(secs)),
        None => WaitOptions::default(),
    }
}

/// Drives a watch to its end, with a live line on standard error when it is a
/// terminal (status, elapsed time, polls) and nothing otherwise.
pub(super) async fn follow(mut watch: Watch) -> Result<TaskStatusResponse, ApiError> {
    let progress = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.set_message("waiting for the first status");
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut last = None;
    let outcome = loop {
        match watch.next().await {
            Some(Ok(status)) => {
                progress.set_message(format!(
                    "{}: {} ({} poll{})",
                    shown(&status.task_id),
                    shown(status.status.as_str()),
                    watch.polls(),
                    if watch.polls() == 1 { "" } else { "s" }
                ));
                last = Some(status);
            }
            Some(Err(error)) => break Err(error),
            None => break last.ok_or(ApiError::DeadlinePassed { last: None }),
        }
    };
    progress.finish_and_clear();
    outcome
}
