//! What a batch prints and writes: the manifest's invalid rows, the
//! summary with the rows that need attention, `results.jsonl`, and
//! `orux batch status`.

use std::io::{self, Write};
use std::path::Path;

use orux_batch::journal::{FileRecord, RowError, RowRecord};
use orux_batch::manifest::{InvalidRow, Problem};
use orux_batch::state::State;
use orux_batch::summary::{Counts, Summary, Verdict as RunVerdict};
use orux_models::display::escape;
use serde::Serialize;

use crate::format::Format;
use crate::{Verdict, json_out, render};

/// The results file's name in the output directory.
pub const RESULTS_FILE: &str = "results.jsonl";

/// Most rows listed under "needs attention" for people; the JSON output
/// and `results.jsonl` list them all.
const MAX_LISTED: usize = 20;

/// The exit status of a run's verdict.
pub fn verdict(run: RunVerdict) -> Verdict {
    match run {
        RunVerdict::Done => Verdict::Success,
        RunVerdict::RowsFailed => Verdict::Invalid,
        RunVerdict::Unsettled => Verdict::Refused,
        RunVerdict::Interrupted => Verdict::Interrupted,
    }
}

/// `verdict` in JSON.
fn verdict_name(run: RunVerdict) -> &'static str {
    match run {
        RunVerdict::Done => "done",
        RunVerdict::RowsFailed => "rows_failed",
        RunVerdict::Unsettled => "unsettled",
        RunVerdict::Interrupted => "interrupted",
    }
}

/// Every invalid row with every problem: `MANIFEST:LINE: PATH: MESSAGE`
/// on standard error, or one JSON object on standard output.
pub fn invalid_rows(format: Format, manifest: &str, rows: &[InvalidRow], skipped: bool) {
    let problems: usize = rows.iter().map(|row| row.problems.len()).sum();
    match format {
        Format::Json => {
            #[derive(Serialize)]
            struct Row<'a> {
                line: u64,
                errors: &'a [Problem],
            }
            #[derive(Serialize)]
            struct Invalid<'a> {
                code: &'static str,
                message: String,
                rows: Vec<Row<'a>>,
            }
            #[derive(Serialize)]
            struct Envelope<'a> {
                error: Invalid<'a>,
            }
            let envelope = Envelope {
                error: Invalid {
                    code: orux_batch::manifest::INVALID_MANIFEST,
                    message: invalid_message(rows.len(), problems, skipped),
                    rows: rows
                        .iter()
                        .map(|row| Row {
                            line: row.line,
                            errors: &row.problems,
                        })
                        .collect(),
                },
            };
            // Skipped rows are reported in the final summary instead.
            if !skipped {
                print_json(&envelope);
            }
        }
        Format::Human => {
            let mut err = anstream::stderr().lock();
            let style = if skipped {
                render::WARNING
            } else {
                render::ERROR
            };
            let mark = if skipped { "warning" } else { "error" };
            let _ = writeln!(
                err,
                "{style}{mark}:{style:#} {}",
                invalid_message(rows.len(), problems, skipped)
            );
            let name = escape(manifest);
            for row in rows {
                for problem in &row.problems {
                    let _ = writeln!(err, "{name}:{}: {problem}", row.line);
                }
            }
        }
    }
}

fn invalid_message(rows: usize, problems: usize, skipped: bool) -> String {
    format!(
        "{rows} invalid row{} ({problems} problem{}); {}",
        plural(rows),
        plural(problems),
        if skipped {
            "skipped (--skip-invalid)"
        } else {
            "nothing was sent (--skip-invalid runs the valid rows)"
        }
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// One line of `results.jsonl`.
#[derive(Serialize)]
struct ResultLine<'a> {
    line: u64,
    status: &'a str,
    in_manifest: bool,
    model: Option<&'a str>,
    task_id: Option<&'a str>,
    task_status: Option<&'a str>,
    idempotency_key: Option<&'a str>,
    files: &'a [FileRecord],
    error: Option<&'a RowError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a [Problem]>,
}

impl<'a> ResultLine<'a> {
    fn of(row: &'a RowRecord) -> ResultLine<'a> {
        ResultLine {
            line: row.line,
            status: row.state.as_str(),
            in_manifest: row.in_manifest,
            model: Some(&row.model),
            task_id: row.task_id.as_deref(),
            task_status: row.task_status.as_deref(),
            idempotency_key: row.idempotency_key.as_deref(),
            files: &row.files,
            error: row.error.as_ref(),
            errors: None,
        }
    }
}

/// The status of an invalid row in `results.jsonl`.
const INVALID: &str = "invalid";

/// Writes `results.jsonl` in `dir`: one line per row, in manifest order
/// (rows no longer in the manifest last), invalid rows among them; written
/// whole to a temporary file, synced, then renamed over the old one.
pub fn write_results(dir: &Path, rows: &[RowRecord], invalid: &[InvalidRow]) -> io::Result<()> {
    let invalid_error = RowError {
        code: INVALID.to_owned(),
        message: "the row is invalid; nothing was sent".to_owned(),
    };
    let mut lines: Vec<(bool, u64, ResultLine<'_>)> = rows
        .iter()
        .map(|row| (!row.in_manifest, row.line, ResultLine::of(row)))
        .collect();
    lines.extend(invalid.iter().map(|row| {
        (
            false,
            row.line,
            ResultLine {
                line: row.line,
                status: INVALID,
                in_manifest: true,
                model: None,
                task_id: None,
                task_status: None,
                idempotency_key: None,
                files: &[],
                error: Some(&invalid_error),
                errors: Some(&row.problems),
            },
        )
    }));
    lines.sort_by_key(|(gone, line, _)| (*gone, *line));
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    {
        let mut out = io::BufWriter::new(file.as_file_mut());
        for (_, _, line) in &lines {
            json_out::write(&mut out, line)?;
        }
        out.flush()?;
    }
    file.as_file().sync_all()?;
    file.persist(dir.join(RESULTS_FILE))
        .map_err(|error| error.error)?;
    sync_dir(dir)
}

/// Makes a rename in `dir` durable.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Whether a row needs a person: an unknown outcome, a failure, or an
/// error recorded on a row that is not settled (refused, overdue, a
/// failed download).
fn needs_attention(row: &RowRecord) -> bool {
    matches!(row.state, State::Unknown | State::Failed) || row.error.is_some()
}

/// The summary printed at the end of a run and by `orux batch status`.
pub struct Report<'a> {
    /// Rows by state.
    pub counts: &'a Counts,
    /// Every row.
    pub rows: &'a [RowRecord],
    /// Invalid rows of the manifest (none for `status`).
    pub invalid: u64,
    /// Rows whose submission started in this run, for a run.
    pub submitted: Option<u64>,
    /// Why submissions stopped early, if they did.
    pub stopped: Option<String>,
    /// The verdict.
    pub verdict: RunVerdict,
    /// Where `results.jsonl` is, for a run.
    pub results: Option<&'a Path>,
    /// The command that resumes, when there is something to resume.
    pub resume: Option<String>,
}

impl Report<'_> {
    /// Prints it: lines on standard output, or one JSON object.
    pub fn print(&self, format: Format) {
        match format {
            Format::Json => self.print_json(),
            Format::Human => self.print_human(),
        }
    }

    fn print_json(&self) {
        #[derive(Serialize)]
        struct Json<'a> {
            verdict: &'static str,
            counts: &'a Counts,
            invalid: u64,
            #[serde(skip_serializing_if = "Option::is_none")]
            submitted: Option<u64>,
            stopped: Option<&'a str>,
            results: Option<String>,
            resume: Option<&'a str>,
            attention: Vec<ResultLine<'a>>,
        }
        print_json(&Json {
            verdict: verdict_name(self.verdict),
            counts: self.counts,
            invalid: self.invalid,
            submitted: self.submitted,
            stopped: self.stopped.as_deref(),
            results: self.results.map(|path| path.display().to_string()),
            resume: self.resume.as_deref(),
            attention: self
                .rows
                .iter()
                .filter(|row| needs_attention(row))
                .map(ResultLine::of)
                .collect(),
        });
    }

    fn print_human(&self) {
        let mut out = anstream::stdout().lock();
        let counts = self.counts;
        let mut parts: Vec<String> = State::ALL
            .iter()
            .filter(|state| counts.get(**state) > 0)
            .map(|state| format!("{} {state}", counts.get(*state)))
            .collect();
        if self.invalid > 0 {
            parts.push(format!("{} invalid", self.invalid));
        }
        let total = counts.total() + self.invalid;
        let _ = writeln!(
            out,
            "{total} row{}: {}",
            plural(total as usize),
            if parts.is_empty() {
                "none".to_owned()
            } else {
                parts.join(", ")
            }
        );
        if let Some(submitted) = self.submitted {
            let _ = writeln!(out, "submitted in this run: {submitted}");
        }
        if let Some(stopped) = &self.stopped {
            let _ = writeln!(out, "stopped: {stopped}");
        }
        let attention: Vec<&RowRecord> = self.rows.iter().filter(|r| needs_attention(r)).collect();
        if !attention.is_empty() {
            let style = render::WARNING;
            let _ = writeln!(out, "{style}needs attention:{style:#}");
            for row in attention.iter().take(MAX_LISTED) {
                let _ = writeln!(out, "  {}", attention_line(row));
            }
            if attention.len() > MAX_LISTED {
                let _ = writeln!(
                    out,
                    "  … and {} more (every row is in {RESULTS_FILE})",
                    attention.len() - MAX_LISTED
                );
            }
        }
        if let Some(results) = self.results {
            let _ = writeln!(out, "results: {}", escape(&results.display().to_string()));
        }
        if let Some(resume) = &self.resume {
            let _ = writeln!(out, "to resume: {}", escape(resume));
        }
    }
}

/// `line 7: unknown, key 1b4e…: the submission may or may not …`.
fn attention_line(row: &RowRecord) -> String {
    let mut text = format!("line {}: {}", row.line, row.state);
    if !row.in_manifest {
        text.push_str(" (no longer in the manifest)");
    }
    if let Some(task_id) = &row.task_id {
        text.push_str(&format!(", task {}", escape(task_id)));
    }
    if row.state == State::Unknown
        && let Some(key) = &row.idempotency_key
    {
        text.push_str(&format!(", Idempotency-Key {}", escape(key)));
    }
    if let Some(error) = &row.error {
        text.push_str(&format!(": {}", escape(&error.message)));
    }
    text
}

fn print_json(value: &impl Serialize) {
    let _ = json_out::write(&mut io::stdout().lock(), value);
}

/// The summary's verdict for a journal read on its own (`status`):
/// successful rows count as done whether or not they were downloaded.
pub fn status_summary(counts: Counts) -> Summary {
    Summary {
        counts,
        invalid: 0,
        submitted: 0,
        stop: None,
        downloads: false,
    }
}
