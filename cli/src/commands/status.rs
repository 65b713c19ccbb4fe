//! `orux status TASK_ID`, `orux wait TASK_ID [--timeout SECS]`, and the
//! waiting that `orux submit --wait` shares.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use orux_client::{Error as ApiError, TaskStatusResponse, WaitOptions, Watch};

use super::api::{self, Reporter, shown};
use super::download::Download;
use crate::api_args::{StatusArgs, WaitArgs};
use crate::stop_signal::StopSignal;
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
        Err(error) => report.api_error(&error, None),
    })
}

/// Waits for the task to end and prints its final status.
pub fn run_wait(args: &WaitArgs) -> Result<Verdict, Error> {
    let report = Reporter::new(&args.api);
    let (client, runtime) = match api::client(&args.api).and_then(|c| Ok((c, api::runtime()?))) {
        Ok(both) => both,
        Err(message) => return Ok(report.usage(&message)),
    };
    runtime.block_on(async {
        let mut stop = match StopSignal::listen() {
            Ok(stop) => stop,
            Err(error) => return Ok(report.usage(&format!("cannot listen for signals: {error}"))),
        };
        let watch = client.watch(&args.task_id, &options(args.timeout));
        let followed = follow(watch, &mut stop).await;
        let download = args
            .download
            .as_deref()
            .map(|dir| Download::new(&client, dir, args.force));
        Ok(super::download::end_wait(report, followed, download, &mut stop).await)
    })
}

/// The wait options for `--timeout SECS`: any number of seconds, a huge one
/// meaning no deadline (the client saturates it).
pub(super) fn options(timeout: Option<u64>) -> WaitOptions {
    match timeout {
        Some(secs) => WaitOptions::with_deadline(Duration::from_secs(secs)),
        None => WaitOptions::default(),
    }
}

/// How following a task ended.
pub(super) enum Followed {
    /// With this status or error.
    Done(Result<TaskStatusResponse, ApiError>),
    /// By SIGINT or SIGTERM.
    Interrupted,
}

/// Prints how a wait ended and gives its verdict; an error names the task.
pub(super) fn finish(report: Reporter<'_>, followed: (String, Followed)) -> Verdict {
    let (task_id, followed) = followed;
    match followed {
        Followed::Done(Ok(status)) => report.status(&status),
        Followed::Done(Err(error)) => report.api_error(&error, Some(&task_id)),
        Followed::Interrupted => report.interrupted(&task_id),
    }
}

/// Drives a watch to its end, with a live line on standard error when it is a
/// terminal (status, elapsed time, polls) and nothing otherwise; SIGINT or
/// SIGTERM ends it at once. Returns the task id with the outcome.
pub(super) async fn follow(mut watch: Watch, stop: &mut StopSignal) -> (String, Followed) {
    let task_id = watch.task_id().to_owned();
    let progress = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.set_message(format!("{}: waiting for the first status", shown(&task_id)));
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut last = None;
    let outcome = loop {
        let next = tokio::select! {
            next = watch.next() => next,
            _ = stop.received() => break Followed::Interrupted,
        };
        match next {
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
            Some(Err(error)) => break Followed::Done(Err(error)),
            None => {
                break Followed::Done(last.take().ok_or(ApiError::DeadlinePassed { last: None }));
            }
        }
    };
    progress.finish_and_clear();
    (task_id, outcome)
}
