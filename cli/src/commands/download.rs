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
use serde_json::json;

use super::api::{self, Reporter, shown};
use crate::api_args::DownloadArgs;
use crate::format::Format;
use crate::{Error, Verdict};

/// Reads the task and downloads its results.
pub fn run(args: &DownloadArgs) -> Result<Verdict, Error> {
    let report = Reporter::new(&args.api);
    let (client, runtime) = match api::client(&args.api).and_then(|c| Ok((c, api::runtime()?))) {
        Ok(both) => both,
        Err(message) => return Ok(report.usage(&message)),
    };
    let status = match runtime.block_on(client.get(&args.task_id)) {
        Ok(status) => status,
        Err(error) => return Ok(report.api_error(&error)),
    };
    Ok(finish(
        report,
        &client,
        &runtime,
        &status,
        &out_dir(args.out.as_deref()),
        args.force,
    ))
}

/// Where results go: `--out DIR`, else the current directory.
pub(super) fn out_dir(out: Option<&Path>) -> PathBuf {
    out.map_or_else(|| PathBuf::from("."), Path::to_owned)
}

/// After a task's final status: its results downloaded into `dir` and the
/// status reported with its files. A task that did not succeed is reported
/// as it is (exit status 1), with nothing downloaded.
pub(super) fn finish(
    report: Reporter,
    client: &Client,
    runtime: &tokio::runtime::Runtime,
    status: &TaskStatusResponse,
    dir: &Path,
    force: bool,
) -> Verdict {
    match status.status {
        TaskStatus::Success => {}
        TaskStatus::Failed | TaskStatus::Expired => return report.status(status),
        _ => {
            report.error(
                "not_finished",
                &format!(
                    "task {} is {}: nothing to download yet (`orux wait {} --download` waits for it)",
                    shown(&status.task_id),
                    shown(status.status.as_str()),
                    shown(&status.task_id)
                ),
                json!({ "status": status.status }),
            );
            return Verdict::Invalid;
        }
    }
    match runtime.block_on(download(client, status, dir, force)) {
        Ok(files) => files_report(report, status, &files),
        Err(error) => download_error(report, &error),
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
            let object = StatusWithFiles { status, files };
            api::print_json(&serde_json::to_value(&object).unwrap_or_default());
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

/// A failed download: 2 for a problem on this machine, 3 for the network,
/// the file host or the API.
pub(super) fn download_error(report: Reporter, error: &DownloadError) -> Verdict {
    if let DownloadError::Api(error) = error {
        return report.api_error(error);
    }
    let code = match error {
        DownloadError::Io { .. } => "local_io",
        DownloadError::Exists { .. } => "exists",
        DownloadError::NoSpace { .. } => "no_space",
        DownloadError::UrlRefused { .. } => "url_refused",
        DownloadError::Status { .. } => "file_host_status",
        DownloadError::Expired { .. } => "result_expired",
        DownloadError::TooLarge { .. } => "too_large",
        DownloadError::Network { .. } => "download_failed",
        DownloadError::LengthMismatch { .. } => "length_mismatch",
        DownloadError::NoResults { .. } => "no_results",
        _ => "download_failed",
    };
    let path = match error {
        DownloadError::Io { path, .. }
        | DownloadError::Exists { path }
        | DownloadError::NoSpace { path, .. } => Some(path.to_string_lossy().into_owned()),
        _ => None,
    };
    report.error(
        code,
        &error.to_string(),
        json!({ "path": path, "partial_file_kept": error.keeps_partial_file() }),
    );
    if error.is_local() {
        Verdict::UsageReported
    } else {
        Verdict::Refused
    }
}
