//! Following a task to its end, as `orux wait`, `orux submit --wait` and
//! `orux run` do: the wait options, a live line on a terminal, and how the
//! wait ended.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use orux_client::{Error as ApiError, TaskStatusResponse, WaitOptions, Watch};

use super::api::{Reporter, shown};
use crate::Verdict;
use crate::stop_signal::StopSignal;

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
