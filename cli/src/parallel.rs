//! JSON Lines on several threads: the same results as
//! [`validate_jsonl`](crate::validate::validate_jsonl), in input order, with
//! bounded memory.
//!
//! Every thread, the calling one included, runs the same loop
//! ([`Run::peer`]): take a slot, read the next batch of lines under the input
//! lock, validate it and render its results without any lock, then hand the
//! results to the output, where whichever thread completes the next batch in
//! input order writes it and every later one already done. So a batch is
//! read, validated and rendered by one thread into that thread's own
//! buffers, and its bytes stay in one core's cache; buffers go back to the
//! thread they came from. (Handing batches from one reading thread to
//! workers moved every byte between cores; BENCHMARKS.md, "Fourth pass",
//! "`--jobs` as peers".)
//!
//! Memory does not grow with the input: a thread takes a slot before it
//! reads, and at most [`IN_FLIGHT_PER_JOB`] × jobs batches are read and not
//! yet written; a batch holds at most [`BATCH_LINES`] lines or about
//! [`BATCH_BYTES`] bytes (one line may be up to the body-size limit). A
//! thread waits (on a `Condvar`) only when the slots are all taken, that is
//! when one slow batch holds up the output. Since any thread may read or
//! write, the input and the output must be `Send`.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;

use orux_models::Limits;

use crate::input::{self, Fit};
use crate::json_out;
use crate::validate::{Outcome, StreamError, Summary, is_blank};

/// Lines in one batch at most: large enough that the two locks a batch takes
/// cost little next to validating it, and that a thread seldom finds the
/// input lock held (then it sleeps, and a wake-up costs tens of microseconds
/// on a virtual machine: 256 lines a batch left 3–5% of the cores idle,
/// BENCHMARKS.md); small enough to spread a short input over the threads.
pub const BATCH_LINES: usize = 1024;
/// A batch is closed once its lines hold this many bytes.
pub const BATCH_BYTES: usize = 256 * 1024;
/// Batches read and not yet written, per job: enough to keep every thread
/// busy while one slow batch holds up the output.
pub const IN_FLIGHT_PER_JOB: usize = 4;

/// Per body line of a batch: its number, where it ends in the batch's
/// bytes, and its fit.
type LineEnds = Vec<(u64, usize, Fit)>;

/// The three buffers a batch is read, indexed and rendered into.
struct Buffers {
    data: Vec<u8>,
    lines: LineEnds,
    output: Vec<u8>,
}

impl Buffers {
    /// A buffer grown past this by one long line is dropped, not kept.
    const KEEP_BYTES: usize = 2 * BATCH_BYTES;

    fn new() -> Self {
        Buffers {
            data: Vec::with_capacity(BATCH_BYTES + BATCH_BYTES / 4),
            lines: Vec::with_capacity(BATCH_LINES),
            output: Vec::with_capacity(BATCH_BYTES),
        }
    }

    /// Emptied for the next batch, or `None` when one is too large to keep.
    fn recycled(mut self) -> Option<Self> {
        if self.data.capacity() > Self::KEEP_BYTES || self.output.capacity() > Self::KEEP_BYTES {
            return None;
        }
        self.data.clear();
        self.lines.clear();
        self.output.clear();
        Some(self)
    }
}

/// A batch's rendered results, waiting for its turn to be written.
struct Done {
    seq: u64,
    /// The thread whose buffers these are, to give them back to.
    owner: usize,
    valid: u64,
    invalid: u64,
    buffers: Buffers,
}

/// The most that was held at once while a run was under way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Peak {
    /// Batches read (or being read) and not yet written.
    pub batches: usize,
    /// Bytes of those batches' lines.
    pub bytes: usize,
}

/// Validates JSON Lines like [`crate::validate::validate_jsonl`] (same
/// result lines, same order, same summary) on `jobs` threads: the calling
/// one and `jobs - 1` more.
pub fn validate_jsonl_jobs(
    input: impl BufRead + Send,
    output: impl Write + Send,
    limits: &Limits,
    jobs: NonZeroUsize,
) -> Result<Summary, StreamError> {
    validate_jsonl_measured(input, output, limits, jobs).map(|(summary, _)| summary)
}

/// [`validate_jsonl_jobs`], also reporting the most it held in flight.
pub fn validate_jsonl_measured(
    input: impl BufRead + Send,
    output: impl Write + Send,
    limits: &Limits,
    jobs: NonZeroUsize,
) -> Result<(Summary, Peak), StreamError> {
    let jobs = jobs.get();
    let run = Run {
        input: Mutex::new(Reading {
            input,
            lines: 0,
            blank: 0,
            next_seq: 0,
            at_end: false,
        }),
        output: Mutex::new(Writing {
            output,
            next: 0,
            pending: BTreeMap::new(),
            in_flight: 0,
            waiting: 0,
            valid: 0,
            invalid: 0,
            returned: (0..jobs).map(|_| Vec::new()).collect(),
            stop: None,
            peak_batches: 0,
        }),
        room: Condvar::new(),
        max_in_flight: IN_FLIGHT_PER_JOB * jobs,
        bytes: AtomicUsize::new(0),
        peak_bytes: AtomicUsize::new(0),
        limits,
    };
    thread::scope(|scope| {
        for me in 1..jobs {
            let run = &run;
            let spawned = thread::Builder::new().spawn_scoped(scope, move || run.peer(me));
            // Past the threads the system allows, the run goes on with those
            // it has: fewer threads, the same results.
            if spawned.is_err() {
                break;
            }
        }
        run.peer(0);
    });
    let reading = run
        .input
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    let mut writing = run
        .output
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(error) = writing.stop.take() {
        return Err(error);
    }
    writing.output.flush().map_err(StreamError::Write)?;
    let summary = Summary {
        lines: reading.lines,
        blank: reading.blank,
        valid: writing.valid,
        invalid: writing.invalid,
    };
    let peak = Peak {
        batches: writing.peak_batches,
        bytes: run.peak_bytes.into_inner(),
    };
    Ok((summary, peak))
}

/// What every thread of one run shares.
struct Run<'l, R, W> {
    input: Mutex<Reading<R>>,
    output: Mutex<Writing<W>>,
    /// Signalled when a slot frees up or the run stops.
    room: Condvar,
    max_in_flight: usize,
    /// Bytes of the lines of batches in flight, and the most at once.
    bytes: AtomicUsize,
    peak_bytes: AtomicUsize,
    limits: &'l Limits,
}

/// The input side, behind its lock: the reader and the line numbering.
struct Reading<R> {
    input: R,
    /// Lines read so far, blank ones included.
    lines: u64,
    blank: u64,
    /// The number of the next batch, which is its place in the output.
    next_seq: u64,
    at_end: bool,
}

/// The output side, behind its lock.
struct Writing<W> {
    output: W,
    /// The batch to write next.
    next: u64,
    /// Batches done before their turn.
    pending: BTreeMap<u64, Done>,
    /// Slots taken: batches being read, validated or waiting to be written.
    in_flight: usize,
    /// Threads waiting for a slot.
    waiting: usize,
    valid: u64,
    invalid: u64,
    /// Buffers of written batches, per thread that owns them.
    returned: Vec<Vec<Buffers>>,
    /// Why the run stopped early: a read or write error, or a thread that
    /// panicked (its batch will never come, so waiting for it would hang).
    stop: Option<StreamError>,
    peak_batches: usize,
}

impl<R: BufRead + Send, W: Write + Send> Run<'_, R, W> {
    /// One thread's part: batches until the input ends or the run stops.
    fn peer(&self, me: usize) {
        let _stop_on_panic = StopOnPanic(self);
        let mut spares: Vec<Buffers> = Vec::new();
        while self.take_slot(me, &mut spares) {
            let mut buffers = spares.pop().unwrap_or_else(Buffers::new);
            let seq = match self.read_batch(&mut buffers) {
                Ok(Some(seq)) => seq,
                Ok(None) => {
                    // The input ended before this slot was used.
                    self.give_back_slot();
                    return;
                }
                Err(error) => {
                    self.stop(StreamError::Read(error));
                    return;
                }
            };
            let len = buffers.data.len();
            let held = self.bytes.fetch_add(len, Ordering::Relaxed) + len;
            self.peak_bytes.fetch_max(held, Ordering::Relaxed);
            let done = validate_batch(seq, me, buffers, self.limits);
            self.write_in_order(done);
        }
    }

    fn lock_output(&self) -> MutexGuard<'_, Writing<W>> {
        // A thread that panicked while holding the lock has already stopped
        // the run (`StopOnPanic`); the state is whole after every step.
        self.output.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for a free slot and takes it, collecting this thread's returned
    /// buffers on the way; `false` once the run has stopped.
    fn take_slot(&self, me: usize, spares: &mut Vec<Buffers>) -> bool {
        let mut writing = self.lock_output();
        while writing.stop.is_none() && writing.in_flight >= self.max_in_flight {
            writing.waiting += 1;
            writing = self
                .room
                .wait(writing)
                .unwrap_or_else(PoisonError::into_inner);
            writing.waiting -= 1;
        }
        if writing.stop.is_some() {
            return false;
        }
        writing.in_flight += 1;
        writing.peak_batches = writing.peak_batches.max(writing.in_flight);
        if let Some(returned) = writing.returned.get_mut(me) {
            spares.append(returned);
        }
        true
    }

    /// Frees a slot that read nothing.
    fn give_back_slot(&self) {
        let mut writing = self.lock_output();
        writing.in_flight -= 1;
        self.wake_waiting(&writing);
    }

    fn wake_waiting(&self, writing: &Writing<W>) {
        // Without waiters, skip the wake-up (a system call).
        if writing.waiting > 0 {
            self.room.notify_all();
        }
    }

    /// Stops the run for every thread; the first reason is the one reported.
    fn stop(&self, error: StreamError) {
        let mut writing = self.lock_output();
        writing.stop.get_or_insert(error);
        self.room.notify_all();
    }

    /// Reads the next batch of body lines into `buffers` (blank lines are
    /// counted and skipped); its number, or `None` at the end of the input.
    /// Lines go straight from the input's buffer into the batch: one copy,
    /// and a SIMD search for each newline.
    fn read_batch(&self, buffers: &mut Buffers) -> io::Result<Option<u64>> {
        let mut reading = self.input.lock().unwrap_or_else(PoisonError::into_inner);
        let reading = &mut *reading;
        while !reading.at_end
            && buffers.lines.len() < BATCH_LINES
            && buffers.data.len() < BATCH_BYTES
        {
            let start = buffers.data.len();
            let limit = self.limits.max_body_bytes;
            let Some(fit) = input::append_line(&mut reading.input, &mut buffers.data, limit)?
            else {
                reading.at_end = true;
                break;
            };
            reading.lines += 1;
            if fit == Fit::Complete && is_blank(&buffers.data[start..]) {
                buffers.data.truncate(start);
                reading.blank += 1;
                continue;
            }
            buffers.lines.push((reading.lines, buffers.data.len(), fit));
        }
        // Blank lines never end a batch, so an empty one means the input ended.
        if buffers.lines.is_empty() {
            return Ok(None);
        }
        let seq = reading.next_seq;
        reading.next_seq += 1;
        Ok(Some(seq))
    }

    /// Hands over a validated batch: if it is next in order, writes it and
    /// every later one already done; otherwise it waits in `pending` for the
    /// thread that completes the batch before it.
    fn write_in_order(&self, done: Done) {
        let mut writing = self.lock_output();
        if writing.stop.is_some() {
            return;
        }
        writing.pending.insert(done.seq, done);
        let writing = &mut *writing;
        let mut freed = false;
        while let Some(done) = writing.pending.remove(&writing.next) {
            // A batch's results are one large write; no buffering is needed.
            if let Err(error) = writing.output.write_all(&done.buffers.output) {
                writing.stop = Some(StreamError::Write(error));
                self.room.notify_all();
                return;
            }
            writing.valid += done.valid;
            writing.invalid += done.invalid;
            writing.in_flight -= 1;
            writing.next += 1;
            freed = true;
            self.bytes
                .fetch_sub(done.buffers.data.len(), Ordering::Relaxed);
            if let (Some(buffers), Some(returned)) = (
                done.buffers.recycled(),
                writing.returned.get_mut(done.owner),
            ) {
                returned.push(buffers);
            }
        }
        if freed {
            self.wake_waiting(writing);
        }
    }
}

/// Stops the run when the thread holding it panics, so that the other
/// threads do not wait for the batch it held; `thread::scope` then re-raises
/// the panic once they are done.
struct StopOnPanic<'r, 'l, R: BufRead + Send, W: Write + Send>(&'r Run<'l, R, W>);

impl<R: BufRead + Send, W: Write + Send> Drop for StopOnPanic<'_, '_, R, W> {
    fn drop(&mut self) {
        if thread::panicking() {
            self.0.stop(thread_lost());
        }
    }
}

/// A thread panicked; reaching this is a bug, said as a write failure (the
/// output is incomplete) if the panic itself is ever caught.
fn thread_lost() -> StreamError {
    StreamError::Write(io::Error::other("a validation thread stopped"))
}

/// Validates one batch and renders its results into its output buffer.
fn validate_batch(seq: u64, owner: usize, mut buffers: Buffers, limits: &Limits) -> Done {
    let (mut valid, mut invalid) = (0, 0);
    let mut start = 0;
    for &(number, end, fit) in &buffers.lines {
        let outcome = Outcome::of_read(&buffers.data[start..end], fit, limits);
        start = end;
        if outcome.is_valid() {
            valid += 1;
        } else {
            invalid += 1;
        }
        json_out::push_result(&mut buffers.output, &outcome, Some(number));
    }
    Done {
        seq,
        owner,
        valid,
        invalid,
        buffers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::validate_jsonl;
    use std::sync::mpsc;

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
    fn inputs_shorter_than_one_batch_per_thread_match_too() {
        let inputs: [&[u8]; 6] = [
            b"",
            b"\n\n \r\n",
            b"{}",
            b"{\"model\":\"sora2\",\"prompt\":\"p\"}\n\n{\"model\":1}",
            b"\xff\n{\"model\":\"sora2\",\"prompt\":\"p\"}\n",
            b"no newline at the end",
        ];
        for input in inputs {
            let mut sequential = Vec::new();
            let expected = validate_jsonl(input, &mut sequential, &Limits::default()).unwrap();
            for jobs in [2, 4, 16] {
                let mut parallel = Vec::new();
                let jobs = NonZeroUsize::new(jobs).unwrap();
                let summary =
                    validate_jsonl_jobs(input, &mut parallel, &Limits::default(), jobs).unwrap();
                assert_eq!(summary, expected, "{jobs} jobs on {input:?}");
                assert!(parallel == sequential, "{jobs} jobs on {input:?}");
            }
        }
    }

    #[test]
    fn memory_in_flight_is_bounded_whatever_the_input_length() {
        let input = input();
        let jobs = NonZeroUsize::new(2).unwrap();
        let (_, peak) =
            validate_jsonl_measured(&input[..], std::io::sink(), &Limits::default(), jobs).unwrap();
        assert!(peak.batches <= IN_FLIGHT_PER_JOB * 2, "{peak:?}");
        // Short lines: every batch is full at BATCH_LINES lines long before
        // BATCH_BYTES, so even with every slot taken (about 400 KB here) the
        // bound is far below the 4 MB of input.
        let longest = input.split(|&b| b == b'\n').map(<[u8]>::len).max().unwrap();
        assert!(
            peak.bytes <= IN_FLIGHT_PER_JOB * 2 * BATCH_LINES * longest,
            "{peak:?}"
        );
        assert!(peak.bytes < input.len() / 4, "{peak:?}");
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

    /// A writer or reader that panics, like a bug in one.
    struct Panicking;

    impl Write for Panicking {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            panic!("writer bug")
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl std::io::Read for Panicking {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            panic!("reader bug")
        }
    }

    /// Runs `run` on its own thread; whether it panicked, or `None` when it
    /// did not return within a minute (a thread waiting for a lost batch).
    fn panicked_in_time(run: impl FnOnce() + Send + 'static) -> Option<bool> {
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run));
            let _ = tx.send(outcome.is_err());
        });
        rx.recv_timeout(std::time::Duration::from_secs(60)).ok()
    }

    #[test]
    fn a_panic_on_any_thread_ends_the_run_instead_of_hanging_it() {
        for jobs in [2, 3] {
            let jobs = NonZeroUsize::new(jobs).unwrap();
            let writing = panicked_in_time(move || {
                let _ = validate_jsonl_jobs(&input()[..], Panicking, &Limits::default(), jobs);
            });
            assert_eq!(writing, Some(true), "{jobs} jobs, panicking writer");
            let reading = panicked_in_time(move || {
                let reader = std::io::BufReader::new(Panicking);
                let _ = validate_jsonl_jobs(reader, std::io::sink(), &Limits::default(), jobs);
            });
            assert_eq!(reading, Some(true), "{jobs} jobs, panicking reader");
        }
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
