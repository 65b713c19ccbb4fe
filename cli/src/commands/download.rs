//! `orux download TASK_ID [--out DIR] [--force]`, and the downloading that
//! `orux wait --download`, `orux submit --wait --download` and `orux run`
//! share: a finished task's results into a directory, with a progress bar
//! on a terminal, reported as the status object plus its files.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use orux_client::{
    Client, DownloadError, DownloadOptions, DownloadedFile, Progress, TaskStatus,
    TaskStatusResponse,
};
use serde::Serialize;

use super::api::{self, ErrorFields, INTERRUPTED, Reporter, shown};
use super::follow::{Followed, finish};
use crate::api_args::DownloadArgs;
use crate::format::Format;
use crate::stop_signal::StopSignal;
use crate::{Error, Verdict};

/// Reads the task and downloads its results.
pub fn run(args: &DownloadArgs) -> Result<Verdict, Error> {
    let report = Reporter::new(&args.api);
    let (client, runtime) = match api::client(&args.api).and_then(|c| Ok((c, api::runtime()?))) {
        Ok(both) => both,
        Err(message) => return Ok(report.usage(&message)),
    };
    let dir = out_dir(args.out.as_deref());
    runtime.block_on(async {
        let mut stop = match StopSignal::listen() {
            Ok(stop) => stop,
            Err(error) => return Ok(report.usage(&format!("cannot listen for signals: {error}"))),
        };
        let status = match client.get(&args.task_id).await {
            Ok(status) => status,
            Err(error) => return Ok(report.api_error(&error, None)),
        };
        let download = Download::new(&client, &dir, args.force);
        Ok(download.status(report, &status, &mut stop).await)
    })
}

/// Where results go: `--out DIR`, else the current directory.
pub(super) fn out_dir(out: Option<&Path>) -> PathBuf {
    out.map_or_else(|| PathBuf::from("."), Path::to_owned)
}

/// How `orux wait` and `orux submit --wait` end: with `--download DIR`, a
/// successful task's results downloaded and reported with its status;
/// otherwise the wait's ending reported as it is.
pub(super) async fn end_wait(
    report: Reporter<'_>,
    followed: (String, Followed),
    download: Option<Download<'_>>,
    stop: &mut StopSignal,
) -> Verdict {
    match download {
        Some(download) => download.after_wait(report, followed, stop).await,
        None => finish(report, followed),
    }
}

/// A task's results into a directory, as `--download DIR`, `--force` and
/// `orux download` ask.
pub(super) struct Download<'c> {
    client: &'c Client,
    dir: PathBuf,
    force: bool,
}

impl<'c> Download<'c> {
    pub fn new(client: &'c Client, dir: &Path, force: bool) -> Download<'c> {
        Download {
            client,
            dir: dir.to_owned(),
            force,
        }
    }

    /// After a wait: a successful task's results downloaded and reported
    /// with its status; any other ending reported as a wait reports it.
    pub async fn after_wait(
        &self,
        report: Reporter<'_>,
        followed: (String, Followed),
        stop: &mut StopSignal,
    ) -> Verdict {
        match followed {
            (_, Followed::Done(Ok(status))) => self.status(report, &status, stop).await,
            other => finish(report, other),
        }
    }

    /// A task's status: its results downloaded and reported with it. A task
    /// that failed or expired is reported as it is (exit status 1), one that
    /// has not finished says so (exit status 1); nothing is downloaded.
    /// SIGINT or SIGTERM ends the download (exit status 130), keeping the
    /// `.part` file for the next run.
    pub async fn status(
        &self,
        report: Reporter<'_>,
        status: &TaskStatusResponse,
        stop: &mut StopSignal,
    ) -> Verdict {
        let task_id = status.task_id.as_str();
        match status.status {
            TaskStatus::Success => {}
            TaskStatus::Failed | TaskStatus::Expired => return report.status(status),
            _ => {
                let dir = self.dir.to_string_lossy();
                let resume = report.command_for("wait", task_id, &["--download", &dir]);
                let message = format!(
                    "task {} is {}: nothing to download yet",
                    shown(task_id),
                    shown(status.status.as_str())
                );
                report.error(ErrorFields {
                    code: "not_finished",
                    message: &message,
                    task_id: Some(task_id),
                    resume: Some(&resume),
                    ..ErrorFields::default()
                });
                return Verdict::Invalid;
            }
        }
        let outcome = tokio::select! {
            outcome = download(self.client, status, &self.dir, self.force) => outcome,
            _ = stop.received() => return self.interrupted(report, task_id),
        };
        match outcome {
            Ok(files) => files_report(report, status, &files),
            Err(error) => self.failed(report, task_id, &error),
        }
    }

    /// How to download again, resuming.
    fn resume(&self, report: Reporter<'_>, task_id: &str) -> String {
        let dir = self.dir.to_string_lossy();
        report.command_for("download", task_id, &["--out", &dir])
    }

    fn interrupted(&self, report: Reporter<'_>, task_id: &str) -> Verdict {
        let resume = self.resume(report, task_id);
        let message =
            format!("interrupted; the partial file is kept; resume the download with: {resume}");
        report.error(ErrorFields {
            code: INTERRUPTED,
            message: &message,
            task_id: Some(task_id),
            resume: Some(&resume),
            partial_file_kept: Some(true),
            ..ErrorFields::default()
        });
        Verdict::Interrupted
    }

    /// A failed download: 2 for a problem on this machine, 3 for the
    /// network, the file host or the API.
    fn failed(&self, report: Reporter<'_>, task_id: &str, error: &DownloadError) -> Verdict {
        if let DownloadError::Api(error) = error {
            return report.api_error(error, Some(task_id));
        }
        let code = match error {
            DownloadError::Io { .. } => "local_io",
            DownloadError::Exists { .. } => "exists",
            DownloadError::NoSpace { .. } => "no_space",
            DownloadError::UrlRefused { .. } => "url_refused",
            DownloadError::Status { .. } => "file_host_status",
            DownloadError::Expired { .. } => "result_expired",
            DownloadError::TooLarge { .. } => "too_large",
            DownloadError::LengthMismatch { .. } => "length_mismatch",
            DownloadError::NoResults { .. } => "no_results",
            _ => "download_failed",
        };
        let path = match error {
            DownloadError::Io { path, .. }
            | DownloadError::Exists { path }
            | DownloadError::NoSpace { path, .. } => Some(path.to_string_lossy()),
            _ => None,
        };
        let resume = self.resume(report, task_id);
        report.error(ErrorFields {
            code,
            message: &error.to_string(),
            task_id: Some(task_id),
            resume: error.keeps_partial_file().then_some(resume.as_str()),
            path: path.as_deref(),
            partial_file_kept: Some(error.keeps_partial_file()),
            ..ErrorFields::default()
        });
        if error.is_local() {
            Verdict::UsageReported
        } else {
            Verdict::Refused
        }
    }
}

/// Downloads every result, drawing a bar on standard error when it is a
/// terminal (bytes, rate, ETA) and nothing otherwise.
async fn download(
    client: &Client,
    status: &TaskStatusResponse,
    dir: &Path,
    force: bool,
) -> Result<Vec<DownloadedFile>, DownloadError> {
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    let known = style("{prefix}{wide_bar} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta}");
    let unknown = style("{prefix}{spinner} {bytes} {binary_bytes_per_sec}");
    bar.set_style(unknown.clone());
    bar.enable_steady_tick(Duration::from_millis(200));
    let drawn = bar.clone();
    let options =
        DownloadOptions::default()
            .overwrite(force)
            .on_progress(move |progress: Progress| {
                if progress.files > 1 {
                    drawn.set_prefix(format!("{}/{} ", progress.file + 1, progress.files));
                }
                match progress.total {
                    Some(total) if drawn.length() != Some(total) => {
                        drawn.set_style(known.clone());
                        drawn.set_length(total);
                    }
                    Some(_) => {}
                    None if drawn.length().is_some() => {
                        drawn.set_style(unknown.clone());
                        drawn.unset_length();
                    }
                    None => {}
                }
                drawn.set_position(progress.bytes);
            });
    let outcome = client.download_task(status, dir, &options).await;
    bar.finish_and_clear();
    outcome
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// One file as `--format json` prints it.
#[derive(Serialize)]
struct FileOut<'a> {
    url: &'a str,
    /// Lossy for a path that is not UTF-8: JSON strings cannot hold it.
    path: String,
    bytes: u64,
    sha256: &'a str,
}

/// The status object plus `"files"`.
#[derive(Serialize)]
struct StatusWithFiles<'a> {
    #[serde(flatten)]
    status: &'a TaskStatusResponse,
    files: Vec<FileOut<'a>>,
}

/// The status and its files: the object plus `"files"` (json), or the
/// status line and one line per file path (human).
fn files_report(
    report: Reporter,
    status: &TaskStatusResponse,
    files: &[DownloadedFile],
) -> Verdict {
    match report.format {
        Format::Json => {
            let files = files
                .iter()
                .map(|file| FileOut {
                    url: &file.url,
                    path: file.path.to_string_lossy().into_owned(),
                    bytes: file.bytes,
                    sha256: &file.sha256,
                })
                .collect();
            api::print_json(&StatusWithFiles { status, files });
        }
        Format::Human => {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(
                out,
                "{}: {}",
                shown(&status.task_id),
                shown(status.status.as_str())
            );
            for file in files {
                let _ = writeln!(out, "{}", shown(&file.path.display().to_string()));
            }
        }
    }
    Verdict::Success
}
