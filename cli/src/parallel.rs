//! JSON Lines on several threads: the same results as
//! [`validate_jsonl`](crate::validate::validate_jsonl), in input order, with
//! bounded memory.
//!
//! The calling thread reads lines into batches and writes the results;
//! `jobs - 1` worker threads validate batches and render their results, and
//! so does the calling thread: it hands a batch to the workers while they
//! have fewer than [`QUEUED_PER_WORKER`] each to do, and validates it itself
//! otherwise, on lines still in its own cache. So `jobs` threads keep `jobs`
//! cores busy, and the calling thread seldom sleeps; when it must (the
//! workers fell behind), a [`DoneQueue`] wakes it once half of those in
//! flight are done, not once per batch. A batch is sent only
//! while fewer than [`IN_FLIGHT_PER_JOB`] × jobs batches are read and not yet
//! written, and a batch holds at most [`BATCH_LINES`] lines or about
//! [`BATCH_BYTES`] bytes (one line may be up to the body-size limit), so
//! memory does not grow with the input. Reading and writing stay on the
//! calling thread, so neither the input nor the output needs to be `Send`
//! (standard input and output locks are not).

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::num::NonZeroUsize;
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;

use orux_models::Limits;

use crate::input::{self, Fit};
use crate::json_out;
use crate::validate::{Outcome, StreamError, Summary, is_blank};

/// Lines in one batch at most: large enough that handing a batch to a
/// worker costs little next to validating it, small enough to spread a
/// short input over the workers.
pub const BATCH_LINES: usize = 256;
/// A batch is closed once its lines hold this many bytes.
pub const BATCH_BYTES: usize = 256 * 1024;
/// Batches read and not yet written, per job: enough to keep every worker
/// busy while one slow batch holds up the output.
pub const IN_FLIGHT_PER_JOB: usize = 4;
/// Batches queued for each worker before the calling thread validates the
/// next one itself: one to work on and one to start as soon as it is done.
pub const QUEUED_PER_WORKER: usize = 2;

/// Per body line of a batch: its number, where it ends in the batch's
/// bytes, and its fit.
type LineEnds = Vec<(u64, usize, Fit)>;

/// Lines read for one worker: their bytes back to back.
struct Batch {
    seq: u64,
    data: Vec<u8>,
    lines: LineEnds,
    /// An empty buffer for the results (recycled from an earlier batch).
    output: Vec<u8>,
}

/// A worker's rendered results for one batch, with the batch's buffers
/// handed back for reuse.
struct Done {
    seq: u64,
    output: Vec<u8>,
    valid: u64,
    invalid: u64,
    data: Vec<u8>,
    lines: LineEnds,
}

/// Emptied buffers of written batches, for the next batches to fill: after
/// the first few batches, reading and validating allocate no buffers.
#[derive(Default)]
struct Spares {
    buffers: Vec<(Vec<u8>, LineEnds, Vec<u8>)>,
}

impl Spares {
    /// A buffer grown past this by one long line is dropped, not kept.
    const KEEP_BYTES: usize = 2 * BATCH_BYTES;

    fn take(&mut self, seq: u64) -> Batch {
        let (data, lines, output) = self.buffers.pop().unwrap_or_else(|| {
            (
                Vec::with_capacity(BATCH_BYTES + BATCH_BYTES / 4),
                Vec::with_capacity(BATCH_LINES),
                Vec::with_capacity(BATCH_BYTES),
            )
        });
        Batch {
            seq,
            data,
            lines,
            output,
        }
    }

    fn give(&mut self, mut done: Done) {
        if done.data.capacity() > Self::KEEP_BYTES || done.output.capacity() > Self::KEEP_BYTES {
            return;
        }
        done.data.clear();
        done.lines.clear();
        done.output.clear();
        self.buffers.push((done.data, done.lines, done.output));
    }
}

/// The most that was held at once while a run was under way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Peak {
    /// Batches read and not yet written.
    pub batches: usize,
    /// Bytes of those batches' lines.
    pub bytes: usize,
}

/// Validates JSON Lines like [`crate::validate::validate_jsonl`] (same
/// result lines, same order, same summary) on `jobs` worker threads.
pub fn validate_jsonl_jobs(
    input: impl BufRead,
    output: impl Write,
    limits: &Limits,
    jobs: NonZeroUsize,
) -> Result<Summary, StreamError> {
    validate_jsonl_measured(input, output, limits, jobs).map(|(summary, _)| summary)
}

/// [`validate_jsonl_jobs`], also reporting the most it held in flight.
pub fn validate_jsonl_measured(
    mut input: impl BufRead,
    mut output: impl Write,
    limits: &Limits,
    jobs: NonZeroUsize,
) -> Result<(Summary, Peak), StreamError> {
    let jobs = jobs.get();
    let workers = jobs - 1;
    let max_in_flight = IN_FLIGHT_PER_JOB * jobs;
    let mut summary = Summary::default();
    let mut peak = Peak::default();
    let (work_tx, work_rx) = mpsc::channel::<Batch>();
    let work_rx = Arc::new(Mutex::new(work_rx));
    let done_queue = DoneQueue::new(workers);

    let result = thread::scope(|scope| {
        // Owned by this closure, so any return closes the channel and ends
        // the workers before the scope joins them.
        let work_tx = work_tx;
        for _ in 0..workers {
            let work_rx = Arc::clone(&work_rx);
            let done_queue = &done_queue;
            scope.spawn(move || {
                // Counts this worker out however it ends, a panic included,
                // so the calling thread never waits for a worker that is gone.
                let _running = done_queue.running();
                worker(&work_rx, done_queue, limits);
            });
        }

        let mut writer = Reorder::default();
        let mut seq = 0;
        let mut reading = true;
        while reading {
            let mut batch = writer.spares.take(seq);
            // Lines go straight from the input's buffer into the batch: one
            // copy, and a SIMD search for each newline.
            while batch.lines.len() < BATCH_LINES && batch.data.len() < BATCH_BYTES {
                let start = batch.data.len();
                let Some(fit) =
                    input::append_line(&mut input, &mut batch.data, limits.max_body_bytes)
                        .map_err(StreamError::Read)?
                else {
                    reading = false;
                    break;
                };
                summary.lines += 1;
                if fit == Fit::Complete && is_blank(&batch.data[start..]) {
                    batch.data.truncate(start);
                    summary.blank += 1;
                    continue;
                }
                batch.lines.push((summary.lines, batch.data.len(), fit));
            }
            if batch.lines.is_empty() {
                continue;
            }
            // Wait for the output to catch up before holding another batch:
            // until half of those in flight are done, so that the workers
            // still have the other half to work on.
            while writer.in_flight >= max_in_flight {
                let wanted = (max_in_flight / 2).min(writer.unfinished()).max(1);
                for done in done_queue.wait_for(wanted)? {
                    writer.accept(done, &mut output, &mut summary)?;
                }
            }
            writer.in_flight += 1;
            writer.bytes += batch.data.len();
            peak.batches = peak.batches.max(writer.in_flight);
            peak.bytes = peak.bytes.max(writer.bytes);
            seq += 1;
            if writer.unfinished() <= QUEUED_PER_WORKER * workers {
                work_tx.send(batch).map_err(|_| worker_gone())?;
            } else {
                writer.accept(validate_batch(batch, limits), &mut output, &mut summary)?;
            }
            for done in done_queue.take_finished() {
                writer.accept(done, &mut output, &mut summary)?;
            }
        }
        while writer.in_flight > 0 {
            for done in done_queue.wait_for(writer.unfinished().max(1))? {
                writer.accept(done, &mut output, &mut summary)?;
            }
        }
        Ok(())
    });
    result?;
    output.flush().map_err(StreamError::Write)?;
    Ok((summary, peak))
}

/// Workers only stop early when the run does; reaching this is a bug, said
/// as a write failure rather than a panic.
fn worker_gone() -> StreamError {
    StreamError::Write(std::io::Error::other("a validation thread stopped"))
}

/// Finished batches on their way back to the calling thread.
///
/// Workers push; the calling thread waits for a number of them at once
/// ([`DoneQueue::wait_for`]) and is woken once when they are there.
struct DoneQueue {
    state: Mutex<DoneState>,
    ready: Condvar,
}

struct DoneState {
    finished: Vec<Done>,
    /// How many finished batches the calling thread waits for; `usize::MAX`
    /// while it is not waiting, so no worker wakes it needlessly.
    wake_at: usize,
    /// Workers that have not returned.
    running: usize,
    /// Whether a worker panicked: the batch it held will never come, so
    /// waiting for it would hang.
    lost: bool,
}

impl DoneQueue {
    fn new(workers: usize) -> Self {
        DoneQueue {
            state: Mutex::new(DoneState {
                finished: Vec::new(),
                wake_at: usize::MAX,
                running: workers,
                lost: false,
            }),
            ready: Condvar::new(),
        }
    }

    /// The lock, also after a worker panicked while holding it: the state
    /// is a list and two counters, whole after every step.
    fn lock(&self) -> std::sync::MutexGuard<'_, DoneState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A worker's batch is finished.
    fn push(&self, done: Done) {
        let mut state = self.lock();
        state.finished.push(done);
        if state.finished.len() >= state.wake_at {
            state.wake_at = usize::MAX;
            self.ready.notify_one();
        }
    }

    /// A guard that counts a worker out when it is dropped.
    fn running(&self) -> Running<'_> {
        Running(self)
    }

    /// Every batch finished so far, without waiting.
    fn take_finished(&self) -> Vec<Done> {
        std::mem::take(&mut self.lock().finished)
    }

    /// Waits until at least `wanted` batches are finished, then takes every
    /// finished one. Fails when the workers are gone before that.
    fn wait_for(&self, wanted: usize) -> Result<Vec<Done>, StreamError> {
        let mut state = self.lock();
        while state.finished.len() < wanted {
            if state.running == 0 || state.lost {
                return Err(worker_gone());
            }
            state.wake_at = wanted;
            state = self
                .ready
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.wake_at = usize::MAX;
        Ok(std::mem::take(&mut state.finished))
    }
}

/// Counts a worker out of [`DoneQueue`] when dropped (and marks its batch
/// lost when it panicked), waking the calling thread so that it sees that.
struct Running<'q>(&'q DoneQueue);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.running -= 1;
        state.lost |= thread::panicking();
        self.0.ready.notify_one();
    }
}

/// Validates batches until the work channel closes.
fn worker(work: &Mutex<mpsc::Receiver<Batch>>, done: &DoneQueue, limits: &Limits) {
    loop {
        // A poisoned lock means another worker panicked; the scope reports that.
        let next = match work.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(batch) = next else { return };
        done.push(validate_batch(batch, limits));
    }
}

/// Validates one batch and renders its results.
fn validate_batch(batch: Batch, limits: &Limits) -> Done {
    let Batch {
        seq,
        data,
        lines,
        mut output,
    } = batch;
    let (mut valid, mut invalid) = (0, 0);
    let mut start = 0;
    for &(number, end, fit) in &lines {
        let outcome = Outcome::of_read(&data[start..end], fit, limits);
        start = end;
        if outcome.is_valid() {
            valid += 1;
        } else {
            invalid += 1;
        }
        json_out::push_result(&mut output, &outcome, Some(number));
    }
    Done {
        seq,
        output,
        valid,
        invalid,
        data,
        lines,
    }
}

/// Results that arrived before their turn, the in-flight accounting, and
/// the buffers of written batches.
#[derive(Default)]
struct Reorder {
    next: u64,
    pending: BTreeMap<u64, Done>,
    in_flight: usize,
    bytes: usize,
    spares: Spares,
}

impl Reorder {
    /// Batches in flight that no worker has finished yet.
    fn unfinished(&self) -> usize {
        self.in_flight - self.pending.len()
    }

    /// Takes one finished batch and writes every batch that is now next in order.
    fn accept(
        &mut self,
        done: Done,
        output: &mut impl Write,
        summary: &mut Summary,
    ) -> Result<(), StreamError> {
        self.pending.insert(done.seq, done);
        while let Some(done) = self.pending.remove(&self.next) {
            // A batch's results are one large write; no buffering is needed.
            output.write_all(&done.output).map_err(StreamError::Write)?;
            summary.valid += done.valid;
            summary.invalid += done.invalid;
            self.in_flight -= 1;
            self.bytes -= done.data.len();
            self.next += 1;
            self.spares.give(done);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::validate_jsonl;

    /// 100,000 lines: valid, invalid (with messages) and blank, each line
    /// numbered inside its prompt so any reordering shows.
    fn input() -> Vec<u8> {
        let mut text = Vec::new();
        for i in 0..100_000 {
            let line = match i % 4 {
                0 => format!("{{\"model\":\"sora2\",\"prompt\":\"boat {i}\"}}\n"),
                1 => format!("{{\"model\":\"sora2\",\"prompt\":\"boat {i}\",\"duration\":8}}\n"),
                2 => format!("{{\"model\":\"sora-{i}\"}}\n"),
                _ => "\n".to_owned(),
            };
            text.extend_from_slice(line.as_bytes());
        }
        text
    }

    #[test]
    fn results_match_the_sequential_run_byte_for_byte() {
        let input = input();
        let mut sequential = Vec::new();
        let expected = validate_jsonl(&input[..], &mut sequential, &Limits::default()).unwrap();
        for jobs in [1, 2, 3, 8] {
            let mut parallel = Vec::new();
            let jobs = NonZeroUsize::new(jobs).unwrap();
            let summary =
                validate_jsonl_jobs(&input[..], &mut parallel, &Limits::default(), jobs).unwrap();
            assert_eq!(summary, expected, "{jobs} jobs");
            assert!(parallel == sequential, "{jobs} jobs: output differs");
        }
        assert_eq!(expected.lines, 100_000);
        assert_eq!(expected.blank, 25_000);
        assert_eq!(expected.invalid, 50_000);
    }

    #[test]
    fn memory_in_flight_is_bounded_whatever_the_input_length() {
        let input = input();
        let jobs = NonZeroUsize::new(2).unwrap();
        let (_, peak) =
            validate_jsonl_measured(&input[..], std::io::sink(), &Limits::default(), jobs).unwrap();
        assert!(peak.batches <= IN_FLIGHT_PER_JOB * 2, "{peak:?}");
        // Short lines: every batch is full at BATCH_LINES lines long before
        // BATCH_BYTES, so the bound is far below the 4 MB of input.
        let longest = input.split(|&b| b == b'\n').map(<[u8]>::len).max().unwrap();
        assert!(
            peak.bytes <= IN_FLIGHT_PER_JOB * 2 * BATCH_LINES * longest,
            "{peak:?}"
        );
        assert!(peak.bytes < input.len() / 10, "{peak:?}");
    }

    /// A writer that fails after `room` bytes, like a closed pipe.
    struct Closing {
        room: usize,
    }

    impl Write for Closing {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if buf.len() > self.room {
                return Err(std::io::ErrorKind::BrokenPipe.into());
            }
            self.room -= buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_write_error_stops_the_run_and_the_workers() {
        let input = input();
        let jobs = NonZeroUsize::new(2).unwrap();
        let error = validate_jsonl_jobs(
            &input[..],
            Closing { room: 100_000 },
            &Limits::default(),
            jobs,
        )
        .unwrap_err();
        assert!(matches!(error, StreamError::Write(_)), "{error}");
        assert_eq!(error.io_error().kind(), std::io::ErrorKind::BrokenPipe);
    }

    /// A reader that fails after its first lines.
    struct Failing<'a> {
        data: &'a [u8],
    }

    impl std::io::Read for Failing<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.data.is_empty() {
                return Err(std::io::Error::other("disk gone"));
            }
            let n = buf.len().min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_read_error_is_reported_as_one() {
        let input = input();
        let reader = std::io::BufReader::new(Failing {
            data: &input[..10_000],
        });
        let jobs = NonZeroUsize::new(2).unwrap();
        let error =
            validate_jsonl_jobs(reader, std::io::sink(), &Limits::default(), jobs).unwrap_err();
        assert!(matches!(error, StreamError::Read(_)), "{error}");
    }
}
