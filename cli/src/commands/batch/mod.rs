//! `orux batch MANIFEST …` and `orux batch status`: a thin layer over the
//! `orux_batch` library (manifest, journal, runner), adding the command
//! line, progress on standard error, signals, `results.jsonl` and the
//! summary.

mod progress;
mod report;
mod signals;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use orux_batch::journal::{DEFAULT_FILE_NAME, Journal};
use orux_batch::manifest::Manifest;
use orux_batch::progress::{Progress, Silent};
use orux_batch::summary::{Counts, Verdict as RunVerdict};
use orux_batch::{Batch, Options};
use orux_models::display::escape;
use tokio_util::sync::CancellationToken;

use super::api::{self, Reporter};
use crate::batch_args::{
    BatchArgs, BatchCommand, BatchRunArgs, BatchStatusArgs, DEFAULT_CONCURRENCY, DEFAULT_DOWNLOADS,
    DEFAULT_TIMEOUT_SECS,
};
use crate::format::Format;
use crate::{Error, Verdict};

/// Runs `orux batch`.
pub fn run(args: &BatchArgs) -> Result<Verdict, Error> {
    match &args.command {
        Some(BatchCommand::Status(status)) => run_status(status),
        None => run_batch(&args.run),
    }
}

fn journal_path(out: &Path, journal: Option<&Path>) -> PathBuf {
    journal.map_or_else(|| out.join(DEFAULT_FILE_NAME), Path::to_owned)
}

fn run_batch(args: &BatchRunArgs) -> Result<Verdict, Error> {
    let report = Reporter::new(&args.api);
    let Some(manifest_path) = &args.manifest else {
        return Ok(report.usage("MANIFEST is required"));
    };
    let manifest_name = manifest_path.display().to_string();
    if manifest_path == Path::new("-") {
        return Ok(report.usage(
            "MANIFEST must be a file, not standard input: a rerun reads it again to resume",
        ));
    }
    let manifest = match Manifest::read_file(manifest_path) {
        Ok(manifest) => manifest,
        Err(error) => return Ok(report.usage(&error.to_string())),
    };
    if manifest.is_empty() {
        return Ok(report.usage(&format!(
            "the manifest {} has no rows",
            escape(&manifest_name)
        )));
    }
    if !manifest.invalid().is_empty() {
        report::invalid_rows(
            args.api.format,
            &manifest_name,
            manifest.invalid(),
            args.skip_invalid,
        );
        if !args.skip_invalid {
            return Ok(Verdict::Invalid);
        }
    }
    let client = match api::client(&args.api) {
        Ok(client) => client,
        Err(message) => return Ok(report.usage(&message)),
    };
    if let Err(source) = std::fs::create_dir_all(&args.out) {
        return Ok(report.usage(&format!(
            "cannot create the output directory {}: {source}",
            escape(&args.out.display().to_string())
        )));
    }
    let journal = journal_path(&args.out, args.journal.as_deref());
    let options = Options {
        concurrency: args.concurrency,
        downloads: args.downloads,
        download_dir: (!args.no_download).then(|| args.out.clone()),
        max_submits: args.max_submits,
        resubmit_unknown: args.resubmit_unknown,
        deadline: Duration::from_secs(args.timeout),
    };
    let batch = match Batch::open(
        &journal,
        &manifest,
        &manifest_name,
        client.base_url().as_str(),
        options,
    ) {
        Ok(batch) => batch,
        Err(error) => return Ok(report.usage(&error.to_string())),
    };
    if !args.quiet {
        announce(batch.reconciled());
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            return Ok(report.usage(&format!("cannot start the async runtime: {error}")));
        }
    };
    let bars =
        (!args.quiet && std::io::stderr().is_terminal()).then(|| Arc::new(progress::Bars::new()));
    let sink: Arc<dyn Progress> = match &bars {
        Some(bars) => bars.clone(),
        None if args.quiet => Arc::new(Silent),
        None => Arc::new(progress::Lines),
    };
    let stop = CancellationToken::new();
    let finished = runtime.block_on(async {
        signals::listen(stop.clone())?;
        batch
            .run(&client, sink, stop)
            .await
            .map_err(|error| Error::Message(error.to_string()))
    });
    if let Some(bars) = &bars {
        bars.finish();
    }
    let finished = finished?;
    let rows = finished
        .journal
        .rows()
        .map_err(|error| Error::Message(error.to_string()))?;
    report::write_results(&args.out, &rows, manifest.invalid()).map_err(|source| Error::Io {
        context: format!(
            "cannot write {}",
            args.out.join(report::RESULTS_FILE).display()
        ),
        source,
    })?;
    let summary = &finished.summary;
    let verdict = summary.verdict();
    let results = args.out.join(report::RESULTS_FILE);
    report::Report {
        counts: &summary.counts,
        rows: &rows,
        invalid: summary.invalid,
        submitted: Some(summary.submitted),
        stopped: summary.stop.as_ref().map(ToString::to_string),
        verdict,
        results: Some(&results),
        resume: matches!(verdict, RunVerdict::Unsettled | RunVerdict::Interrupted)
            .then(|| resume_command(args, manifest_path)),
    }
    .print(args.api.format);
    Ok(report::verdict(verdict))
}

/// What reading the manifest against the journal changed, when anything did
/// beyond adding rows to a new journal.
fn announce(reconciled: orux_batch::journal::Reconciled) {
    let mut notes = Vec::new();
    if reconciled.interrupted > 0 {
        notes.push(format!(
            "{} row(s) were cut off mid-submit by the last run: their outcome is unknown",
            reconciled.interrupted
        ));
    }
    if reconciled.dropped > 0 {
        notes.push(format!(
            "{} unsent row(s) are no longer in the manifest and were dropped",
            reconciled.dropped
        ));
    }
    if reconciled.gone > 0 {
        notes.push(format!(
            "{} row(s) with a task are no longer in the manifest; they are still followed",
            reconciled.gone
        ));
    }
    for note in notes {
        eprintln!("journal: {note}");
    }
}

/// The command line that resumes this run: the same manifest and every
/// flag that differs from its default, quoted for a POSIX shell.
fn resume_command(args: &BatchRunArgs, manifest: &Path) -> String {
    let mut words: Vec<String> = vec!["orux".into(), "batch".into()];
    words.push(manifest.display().to_string());
    let mut flag = |name: &str, value: Option<String>| {
        words.push(name.to_owned());
        words.extend(value);
    };
    if args.out != Path::new(".") {
        flag("--out", Some(args.out.display().to_string()));
    }
    if let Some(journal) = &args.journal {
        flag("--journal", Some(journal.display().to_string()));
    }
    if args.concurrency != DEFAULT_CONCURRENCY {
        flag("--concurrency", Some(args.concurrency.to_string()));
    }
    if args.downloads != DEFAULT_DOWNLOADS {
        flag("--downloads", Some(args.downloads.to_string()));
    }
    if args.no_download {
        flag("--no-download", None);
    }
    if let Some(max) = args.max_submits {
        flag("--max-submits", Some(max.to_string()));
    }
    if args.resubmit_unknown {
        flag("--resubmit-unknown", None);
    }
    if args.skip_invalid {
        flag("--skip-invalid", None);
    }
    if args.timeout != DEFAULT_TIMEOUT_SECS {
        flag("--timeout", Some(args.timeout.to_string()));
    }
    if args.quiet {
        flag("--quiet", None);
    }
    if let Some(url) = &args.api.base_url {
        flag("--base-url", Some(url.clone()));
    }
    if args.api.format == Format::Json {
        flag("--format", Some("json".to_owned()));
    }
    words
        .iter()
        .map(|word| match shlex::try_quote(word) {
            Ok(quoted) => quoted.into_owned(),
            // A NUL byte cannot be quoted for a shell; show it escaped.
            Err(_) => escape(word).into_owned(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `orux batch status`: the journal's rows by state and those that need
/// attention.
fn run_status(args: &BatchStatusArgs) -> Result<Verdict, Error> {
    let path = journal_path(&args.out, args.journal.as_deref());
    let journal =
        Journal::open_read_only(&path).map_err(|error| Error::Message(error.to_string()))?;
    let rows = journal
        .rows()
        .map_err(|error| Error::Message(error.to_string()))?;
    let counts = Counts::of(&rows);
    let verdict = report::status_summary(counts).verdict();
    report::Report {
        counts: &counts,
        rows: &rows,
        invalid: 0,
        submitted: None,
        stopped: None,
        verdict,
        results: None,
        resume: None,
    }
    .print(args.format);
    Ok(report::verdict(verdict))
}
