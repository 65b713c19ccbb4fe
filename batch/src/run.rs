//! The runner: submits the manifest's rows, follows their tasks and
//! downloads their results, recording every step in the journal first.
//!
//! - At most [`Options::concurrency`] tasks are in flight (from the start
//!   of a row's POST to its task's end); downloads have their own bound.
//! - A row's `submitting` change, with its idempotency key, is committed
//!   before its POST; the answer is committed before anything else happens
//!   to the row.
//! - A `Retry-After` told to any request holds every submission (the
//!   client's shared [`orux_client::Pause`]).
//! - The caller's [`CancellationToken`] stops new work: no new submission
//!   starts, polls and downloads stop at once (a rerun repeats them), and
//!   the POSTs already sent are waited for and recorded.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use orux_client::{Client, Error as ApiError, TaskStatus, TaskStatusResponse, WaitOptions, Watch};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::identity::sha256_hex;
use crate::journal::writer::{self, Change, Writer};
use crate::journal::{Journal, JournalError, Reconciled, RowRecord};
use crate::manifest::Manifest;
use crate::progress::{Event, Progress};
use crate::state::State;
use crate::summary::{Counts, Stop, Summary};

/// How a run works.
#[derive(Clone, Debug)]
pub struct Options {
    /// Most tasks in flight at once.
    pub concurrency: NonZeroUsize,
    /// Most downloads at once.
    pub downloads: NonZeroUsize,
    /// Where result files go; `None` leaves successful rows `succeeded`
    /// with their URLs recorded.
    pub download_dir: Option<PathBuf>,
    /// Start at most this many submissions in this run.
    pub max_submits: Option<u64>,
    /// Resubmit rows whose outcome is unknown, with their recorded key.
    /// Only for servers that honour `Idempotency-Key` (the mock does; the
    /// upstream docs do not promise it).
    pub resubmit_unknown: bool,
    /// How long each task is followed before it is left for a later run.
    pub deadline: Duration,
}

impl Default for Options {
    /// 10 tasks in flight, 4 downloads, no download directory, no budget,
    /// unknown outcomes left alone, 20 minutes per task.
    fn default() -> Self {
        Options {
            concurrency: NonZeroUsize::new(10).unwrap_or(NonZeroUsize::MIN),
            downloads: NonZeroUsize::new(4).unwrap_or(NonZeroUsize::MIN),
            download_dir: None,
            max_submits: None,
            resubmit_unknown: false,
            deadline: orux_client::schedule::DEFAULT_DEADLINE,
        }
    }
}

/// After this many submits in a row end with an unknown outcome, no new
/// submission is started: the API is misbehaving, and each may cost money.
const MAX_UNKNOWN_IN_A_ROW: u32 = 10;

/// A row told 429 more often than this (each time after the client's own
/// retries) is left pending and submissions stop.
const MAX_RATE_LIMITED_ROUNDS: u32 = 5;

/// How long polling waits after a failed status request before it starts
/// again.
const POLL_FAILURE_PAUSE: Duration = Duration::from_secs(10);

/// How often the shared pause is looked at, for [`Event::Held`].
const PAUSE_LOOK: Duration = Duration::from_millis(200);

/// A batch ready to run: its journal, read against its manifest.
pub struct Batch {
    journal: Journal,
    bodies: HashMap<(String, u32), Arc<[u8]>>,
    reconciled: Reconciled,
    invalid: u64,
    options: Options,
}

/// A run's end: its summary, and the journal, to read the rows from.
pub struct Finished {
    /// How it ended.
    pub summary: Summary,
    /// The journal (still locked until dropped).
    pub journal: Journal,
}

impl Batch {
    /// Opens the journal at `journal_path` for a run (creating it), reads
    /// `manifest` against it ([`Journal::reconcile`]), and, when files are
    /// downloaded, checks every recorded file's size and SHA-256: a file
    /// missing or changed is downloaded again.
    ///
    /// `manifest_name` is how the journal will name the manifest;
    /// `base_url` is the API the client talks to.
    pub fn open(
        journal_path: &Path,
        manifest: &Manifest,
        manifest_name: &str,
        base_url: &str,
        options: Options,
    ) -> Result<Batch, JournalError> {
        let mut journal = Journal::open_for_run(journal_path)?;
        let reconciled = journal.reconcile(manifest, manifest_name, base_url)?;
        if let Some(dir) = &options.download_dir {
            let stale: Vec<i64> = journal
                .rows()?
                .iter()
                .filter(|row| row.state == State::Downloaded)
                .filter(|row| !crate::files::all_intact(dir, &row.files))
                .map(|row| row.id)
                .collect();
            journal.redownload(&stale)?;
        }
        let bodies = manifest
            .rows()
            .iter()
            .map(|row| {
                (
                    (row.identity.digest_hex(), row.identity.occurrence()),
                    Arc::clone(&row.body),
                )
            })
            .collect();
        Ok(Batch {
            journal,
            bodies,
            reconciled,
            invalid: manifest.invalid().len() as u64,
            options,
        })
    }

    /// What reading the manifest against the journal changed.
    pub fn reconciled(&self) -> Reconciled {
        self.reconciled
    }

    /// The journal's rows as they stand before the run.
    pub fn rows(&self) -> Result<Vec<RowRecord>, JournalError> {
        self.journal.rows()
    }

    /// Runs the batch with `client` until every row is settled, `stop` is
    /// cancelled, or submissions stop early ([`Stop`]); events go to
    /// `progress`.
    ///
    /// Must run in a tokio runtime with time and I/O enabled. An error is
    /// the journal failing at the end; a journal that fails during the run
    /// stops it, and the summary says so.
    pub async fn run(
        self,
        client: &Client,
        progress: Arc<dyn Progress>,
        stop: CancellationToken,
    ) -> Result<Finished, JournalError> {
        let rows = self.journal.rows()?;
        let counts = Counts::of(&rows);
        progress.event(&Event::Started { counts: &counts });
        let (writer, writer_done) = writer::start(self.journal);
        let run_stop = CancellationToken::new();
        let ctx = Arc::new(Context {
            client: client.clone(),
            writer,
            progress: Arc::clone(&progress),
            options: self.options.clone(),
            in_flight: Arc::new(Semaphore::new(self.options.concurrency.get())),
            download_slots: Arc::new(Semaphore::new(self.options.downloads.get())),
            submissions: run_stop.child_token(),
            stop: run_stop.clone(),
            stopped: Mutex::new(None),
            submitted: AtomicU64::new(0),
            unknown_in_a_row: AtomicU32::new(0),
        });
        let interrupt = tokio::spawn({
            let ctx = Arc::clone(&ctx);
            let stop = stop.clone();
            async move {
                stop.cancelled().await;
                ctx.stop_all(Stop::Interrupted);
            }
        });
        let watching_pause = tokio::spawn(watch_pause(
            client.clone(),
            Arc::clone(&progress),
            run_stop.clone(),
        ));
        let mut tasks = JoinSet::new();
        schedule(&ctx, rows, &self.bodies, &mut tasks).await;
        while tasks.join_next().await.is_some() {}
        interrupt.abort();
        // Its hold on the context (and so on the writer) ends with it.
        let _ = interrupt.await;
        let stopped = ctx.take_stop();
        let submitted = ctx.submitted.load(Ordering::Relaxed);
        run_stop.cancel();
        let _ = watching_pause.await;
        drop(ctx);
        let journal = writer_done.await.map_err(|_| JournalError::Closed)??;
        let counts = Counts::of(&journal.rows()?);
        let stopped = match stopped {
            // The caller's own stop wins over what followed from it.
            _ if stop.is_cancelled() => Some(Stop::Interrupted),
            other => other,
        };
        Ok(Finished {
            summary: Summary {
                counts,
                invalid: self.invalid,
                submitted,
                stop: stopped,
                downloads: self.options.download_dir.is_some(),
            },
            journal,
        })
    }
}

/// What every row's task shares.
struct Context {
    client: Client,
    writer: Writer,
    progress: Arc<dyn Progress>,
    options: Options,
    in_flight: Arc<Semaphore>,
    download_slots: Arc<Semaphore>,
    /// Cancelled: start no new submission.
    submissions: CancellationToken,
    /// Cancelled: stop polls and downloads too (interrupted, or a failure
    /// that makes every request pointless).
    stop: CancellationToken,
    /// Why, the first reason given.
    stopped: Mutex<Option<Stop>>,
    submitted: AtomicU64,
    unknown_in_a_row: AtomicU32,
}

impl Context {
    /// No new submission from now on.
    fn stop_submissions(&self, why: Stop) {
        self.record_stop(why);
        self.submissions.cancel();
    }

    /// Nothing new at all from now on (POSTs under way still finish).
    fn stop_all(&self, why: Stop) {
        self.record_stop(why);
        self.submissions.cancel();
        self.stop.cancel();
    }

    fn record_stop(&self, why: Stop) {
        let mut stopped = self.stopped.lock().unwrap_or_else(PoisonError::into_inner);
        if stopped.is_none() {
            self.progress.event(&Event::Stopping { stop: &why });
            *stopped = Some(why);
        }
    }

    fn take_stop(&self) -> Option<Stop> {
        self.stopped
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    /// Commits `change`; a journal that cannot record stops everything.
    async fn commit(&self, change: Change) -> bool {
        match self.writer.commit(change).await {
            Ok(()) => true,
            Err(error) => {
                self.stop_all(Stop::Journal {
                    message: error.to_string(),
                });
                false
            }
        }
    }

    fn moved(
        &self,
        row: &Work,
        task_id: Option<&str>,
        from: State,
        to: State,
        reason: Option<&str>,
    ) {
        self.progress.event(&Event::Moved {
            line: row.line,
            task_id,
            from,
            to,
            reason,
        });
    }

    /// Moves a row to `to` with `change`, and reports it once committed.
    async fn settle(
        &self,
        row: &Work,
        task_id: Option<&str>,
        from: State,
        to: State,
        change: Change,
        reason: &str,
    ) {
        if self.commit(change).await {
            self.moved(row, task_id, from, to, Some(reason));
        }
    }

    /// Records a row's failure.
    async fn fail(&self, row: &Work, task_id: Option<&str>, from: State, failure: Failure) {
        let change = Change::Failed {
            row: row.id,
            code: failure.code,
            message: failure.message.clone(),
            task_status: failure.task_status,
        };
        self.settle(row, task_id, from, State::Failed, change, &failure.message)
            .await;
    }

    /// Records that a row's submit outcome is unknown.
    async fn unknown(&self, row: &Work, message: String) {
        let change = Change::Unknown {
            row: row.id,
            code: "submit_outcome_unknown",
            message: message.clone(),
        };
        self.settle(
            row,
            None,
            State::Submitting,
            State::Unknown,
            change,
            &message,
        )
        .await;
    }

    fn note(&self, row: &Work, message: &str) {
        self.progress.event(&Event::Note {
            line: row.line,
            message,
        });
    }
}

/// Why a row failed, as [`Change::Failed`] records it.
struct Failure {
    code: &'static str,
    message: String,
    task_status: Option<String>,
}

/// One row's work in this run.
struct Work {
    id: i64,
    line: u64,
    start: Start,
}

enum Start {
    /// Submit `body` (with `key` when the row already has one), then follow.
    Submit {
        body: Arc<[u8]>,
        key: Option<String>,
        from: State,
    },
    /// Follow the existing task.
    Follow { task_id: String },
    /// Download the results of the successful task.
    Download { status: TaskStatusResponse },
}

/// Starts every row's work: rows with tasks first (they are in flight
/// already), then successful rows' downloads, then submissions in manifest
/// order, each taking an in-flight slot.
async fn schedule(
    ctx: &Arc<Context>,
    rows: Vec<RowRecord>,
    bodies: &HashMap<(String, u32), Arc<[u8]>>,
    tasks: &mut JoinSet<()>,
) {
    let mut follow = Vec::new();
    let mut download = Vec::new();
    let mut submit = Vec::new();
    for row in rows {
        let work = |start| Work {
            id: row.id,
            line: row.line,
            start,
        };
        match row.state {
            State::Submitted => {
                if let Some(task_id) = row.task_id.clone() {
                    follow.push(work(Start::Follow { task_id }));
                }
            }
            State::Succeeded if ctx.options.download_dir.is_some() => {
                if let Some(task_id) = row.task_id.clone() {
                    let mut status = TaskStatusResponse::new(task_id, TaskStatus::Success);
                    status.result_urls = row.result_urls.clone();
                    download.push(work(Start::Download { status }));
                }
            }
            State::Pending | State::Unknown => {
                let resubmit = row.state == State::Pending || ctx.options.resubmit_unknown;
                let key = (row.content_sha256.clone(), row.occurrence);
                match bodies.get(&key) {
                    Some(body) if resubmit && row.in_manifest => {
                        let sent = row.body_sha256.as_deref();
                        if sent.is_some_and(|sent| sent != sha256_hex(body)) {
                            ctx.progress.event(&Event::Note {
                                line: row.line,
                                message: "not resubmitted: the body it would send is not the \
                                          one sent with its idempotency key",
                            });
                            continue;
                        }
                        submit.push(work(Start::Submit {
                            body: Arc::clone(body),
                            key: row.idempotency_key.clone(),
                            from: row.state,
                        }));
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    for work in download {
        tasks.spawn(download_row(Arc::clone(ctx), work));
    }
    for work in follow {
        let Some(permit) = take_slot(&ctx.in_flight, &ctx.stop).await else {
            return;
        };
        tasks.spawn(row_task(Arc::clone(ctx), work, permit));
    }
    for work in submit {
        if let Some(max) = ctx.options.max_submits
            && ctx.submitted.load(Ordering::Relaxed) >= max
        {
            ctx.stop_submissions(Stop::Budget { max_submits: max });
            return;
        }
        let Some(permit) = take_slot(&ctx.in_flight, &ctx.submissions).await else {
            return;
        };
        ctx.submitted.fetch_add(1, Ordering::Relaxed);
        tasks.spawn(row_task(Arc::clone(ctx), work, permit));
    }
}

/// A slot of `slots`, unless `until` is cancelled first.
async fn take_slot(
    slots: &Arc<Semaphore>,
    until: &CancellationToken,
) -> Option<OwnedSemaphorePermit> {
    if until.is_cancelled() {
        return None;
    }
    tokio::select! {
        biased;
        _ = until.cancelled() => None,
        permit = Arc::clone(slots).acquire_owned() => permit.ok(),
    }
}

/// A row with an in-flight slot: submit (if needed), follow, then hand its
/// results to a download slot.
async fn row_task(ctx: Arc<Context>, work: Work, permit: OwnedSemaphorePermit) {
    let mut slot = Some(permit);
    let (task_id, watch) = match &work.start {
        Start::Submit { body, key, from } => {
            match submit(&ctx, &work, body, key.clone(), *from).await {
                Some((task_id, watch)) => (task_id, Some(watch)),
                None => return,
            }
        }
        Start::Follow { task_id } => (task_id.clone(), None),
        Start::Download { .. } => return,
    };
    let Some(status) = follow(&ctx, &work, &task_id, watch, &mut slot).await else {
        return;
    };
    drop(slot);
    if ctx.options.download_dir.is_some() {
        let work = Work {
            id: work.id,
            line: work.line,
            start: Start::Download { status },
        };
        download_row(ctx, work).await;
    }
}

/// Submits one row; once its task is created, the task id and the watch
/// that follows it (its schedule counted from the submit's answer, not from
/// the journal's commit after it).
async fn submit(
    ctx: &Context,
    work: &Work,
    body: &[u8],
    key: Option<String>,
    from: State,
) -> Option<(String, Watch)> {
    let key = key.unwrap_or_else(orux_client::new_idempotency_key);
    let body_sha256 = sha256_hex(body);
    let mut from = from;
    for _round in 0..MAX_RATE_LIMITED_ROUNDS {
        let submitting = Change::Submitting {
            row: work.id,
            idempotency_key: key.clone(),
            body_sha256: body_sha256.clone(),
        };
        if !ctx.commit(submitting).await {
            return None;
        }
        ctx.moved(work, None, from, State::Submitting, None);
        // Not raced against the stop: a POST once started is seen through,
        // so its outcome is recorded.
        let error = match ctx.client.submit_json_with_key(body, &key).await {
            Ok(submitted) => {
                let watch = ctx.client.watch_submitted(
                    &submitted.task_id,
                    &WaitOptions::with_deadline(ctx.options.deadline),
                );
                ctx.unknown_in_a_row.store(0, Ordering::Relaxed);
                let change = Change::Submitted {
                    row: work.id,
                    task_id: submitted.task_id.clone(),
                    task_status: submitted.status.as_str().to_owned(),
                };
                if !ctx.commit(change).await {
                    return None;
                }
                let task_id = submitted.task_id;
                ctx.moved(
                    work,
                    Some(&task_id),
                    State::Submitting,
                    State::Submitted,
                    None,
                );
                return Some((task_id, watch));
            }
            Err(error) => error,
        };
        let message = error.to_string();
        let requeue = |code| Change::Requeued {
            row: work.id,
            code,
            message: message.clone(),
        };
        match &error {
            ApiError::RateLimited { retry_after } => {
                let too_long =
                    retry_after.is_some_and(|after| after > orux_client::schedule::MAX_RETRY_AFTER);
                let change = requeue("rate_limited");
                if !ctx.commit(change).await {
                    return None;
                }
                ctx.moved(
                    work,
                    None,
                    State::Submitting,
                    State::Pending,
                    Some(&message),
                );
                if too_long {
                    ctx.stop_submissions(Stop::Refused { message });
                    return None;
                }
                if ctx.submissions.is_cancelled() {
                    return None;
                }
                // Surely not created: the same key again, after the hold.
                ctx.client.pause().wait().await;
                from = State::Pending;
                continue;
            }
            ApiError::SubmitOutcomeUnknown { .. } => {
                ctx.unknown(work, message.clone()).await;
                let streak = ctx.unknown_in_a_row.fetch_add(1, Ordering::Relaxed) + 1;
                if streak >= MAX_UNKNOWN_IN_A_ROW {
                    ctx.stop_submissions(Stop::Refused {
                        message: format!(
                            "{streak} submissions in a row ended with an unknown outcome \
                             (the last: {message})"
                        ),
                    });
                }
            }
            ApiError::Rejected { .. } | ApiError::Invalid(_) => {
                let failure = Failure {
                    code: "rejected",
                    message,
                    task_status: None,
                };
                ctx.fail(work, None, State::Submitting, failure).await;
            }
            ApiError::Unauthorized
            | ApiError::NotFound
            | ApiError::Transport(_)
            | ApiError::Config(_) => {
                // Refused before any task could exist: the row waits for a
                // rerun, and nothing else is worth sending.
                let change = requeue("refused");
                ctx.settle(
                    work,
                    None,
                    State::Submitting,
                    State::Pending,
                    change,
                    &message,
                )
                .await;
                ctx.stop_all(Stop::Refused { message });
            }
            // Anything else may have created a task: never guess.
            _ => ctx.unknown(work, message).await,
        }
        return None;
    }
    ctx.stop_submissions(Stop::Refused {
        message: format!(
            "the API kept answering 429 to one row ({MAX_RATE_LIMITED_ROUNDS} rounds of retries)"
        ),
    });
    None
}

/// Follows a task until it ends; its final status when it succeeded.
/// `first` is the watch started at the submit, if this run submitted it;
/// the in-flight `slot` is given back as soon as the task is seen ended
/// (before its end is committed: the task itself is no longer in flight).
async fn follow(
    ctx: &Context,
    work: &Work,
    task_id: &str,
    first: Option<Watch>,
    slot: &mut Option<OwnedSemaphorePermit>,
) -> Option<TaskStatusResponse> {
    let deadline = Instant::now() + ctx.options.deadline;
    let mut first = first;
    let mut last_status: Option<TaskStatus> = None;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let mut watch = match first.take() {
            Some(watch) => watch,
            None => ctx.client.watch(task_id, &WaitOptions::with_deadline(left)),
        };
        let failure = loop {
            let next = tokio::select! {
                biased;
                _ = ctx.stop.cancelled() => return None,
                next = watch.next() => next,
            };
            let status = match next {
                None => return None,
                Some(Err(error)) => break error,
                Some(Ok(status)) => status,
            };
            if status.status.is_terminal() {
                slot.take();
            }
            let code = match status.status {
                TaskStatus::Success => {
                    let change = Change::Succeeded {
                        row: work.id,
                        task_status: status.status.as_str().to_owned(),
                        result_urls: status.result_urls.clone(),
                    };
                    if !ctx.commit(change).await {
                        return None;
                    }
                    ctx.moved(
                        work,
                        Some(task_id),
                        State::Submitted,
                        State::Succeeded,
                        None,
                    );
                    return Some(status);
                }
                TaskStatus::Failed => "failed",
                TaskStatus::Expired => "expired",
                _ => {
                    if last_status.as_ref() != Some(&status.status) {
                        ctx.writer.record(Change::Status {
                            row: work.id,
                            task_status: status.status.as_str().to_owned(),
                        });
                        ctx.progress.event(&Event::Status {
                            line: work.line,
                            task_id,
                            status: &status.status,
                        });
                        last_status = Some(status.status.clone());
                    }
                    continue;
                }
            };
            let failure = Failure {
                code,
                message: format!("the task ended {}", status.status),
                task_status: Some(status.status.as_str().to_owned()),
            };
            ctx.fail(work, Some(task_id), State::Submitted, failure)
                .await;
            return None;
        };
        let message = failure.to_string();
        match failure {
            ApiError::DeadlinePassed { .. } => {
                let note = Change::Note {
                    row: work.id,
                    code: "deadline_passed",
                    message: message.clone(),
                };
                ctx.commit(note).await;
                ctx.note(work, &message);
                return None;
            }
            ApiError::NotFound | ApiError::Config(_) => {
                let failure = Failure {
                    code: "not_found",
                    message: format!("the API does not know task {task_id}: {message}"),
                    task_status: None,
                };
                ctx.fail(work, Some(task_id), State::Submitted, failure)
                    .await;
                return None;
            }
            ApiError::Unauthorized => {
                ctx.stop_all(Stop::Refused { message });
                return None;
            }
            _ => {
                // A network or server failure after the client's retries:
                // the task is still there; look again a little later.
                ctx.writer.record(Change::Note {
                    row: work.id,
                    code: "poll_failed",
                    message: message.clone(),
                });
                ctx.note(work, &message);
                let again = (Instant::now() + POLL_FAILURE_PAUSE).min(deadline);
                tokio::select! {
                    _ = ctx.stop.cancelled() => return None,
                    _ = tokio::time::sleep_until(again) => {}
                }
            }
        }
    }
}

/// Downloads a successful row's results into the download directory, in a
/// download slot, and records the files.
async fn download_row(ctx: Arc<Context>, work: Work) {
    let (Start::Download { status }, Some(dir)) = (&work.start, &ctx.options.download_dir) else {
        return;
    };
    let Some(_slot) = take_slot(&ctx.download_slots, &ctx.stop).await else {
        return;
    };
    let downloaded = tokio::select! {
        biased;
        _ = ctx.stop.cancelled() => return,
        downloaded = crate::files::download(&ctx.client, status, dir, &ctx.progress) => downloaded,
    };
    match downloaded {
        Ok(files) => {
            let change = Change::Downloaded {
                row: work.id,
                files,
            };
            if ctx.commit(change).await {
                let task_id = Some(status.task_id.as_str());
                ctx.moved(&work, task_id, State::Succeeded, State::Downloaded, None);
            }
        }
        Err(failure) => {
            let message = failure.to_string();
            ctx.writer.record(Change::Note {
                row: work.id,
                code: "download_failed",
                message: message.clone(),
            });
            ctx.note(&work, &message);
            if failure.is_local() {
                // The disk is full or unwritable: every other download
                // would fail the same way.
                ctx.stop_all(Stop::Refused { message });
            }
        }
    }
}

/// Emits [`Event::Held`] whenever a new hold of the client's shared pause
/// begins, until `done`.
async fn watch_pause(client: Client, progress: Arc<dyn Progress>, done: CancellationToken) {
    let mut seen: Option<Instant> = None;
    loop {
        if let Some(until) = client.pause().until()
            && seen != Some(until)
        {
            seen = Some(until);
            progress.event(&Event::Held {
                wait: until.saturating_duration_since(Instant::now()),
            });
        }
        tokio::select! {
            _ = done.cancelled() => return,
            _ = tokio::time::sleep(PAUSE_LOOK) => {}
        }
    }
}
