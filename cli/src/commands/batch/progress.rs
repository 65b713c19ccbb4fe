//! How a batch shows its progress on standard error: bars on a terminal,
//! one line per state change elsewhere, nothing with `--quiet`.

use std::collections::HashSet;
use std::io::Write;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use orux_batch::progress::{Event, Progress};
use orux_batch::state::State;
use orux_batch::summary::{Counts, Stop};
use orux_client::TaskStatus;
use orux_models::display::escape;

/// How often the bars are redrawn even when nothing moved (the spinner,
/// the elapsed time).
const TICK: Duration = Duration::from_millis(200);

/// One line per event on standard error.
#[derive(Debug, Default)]
pub struct Lines;

impl Progress for Lines {
    fn event(&self, event: &Event<'_>) {
        if let Some(line) = describe(event) {
            let _ = writeln!(std::io::stderr(), "{line}");
        }
    }
}

/// An event in words, or `None` for the ones only bars show (bytes).
fn describe(event: &Event<'_>) -> Option<String> {
    Some(match event {
        Event::Started { counts } => format!("batch: {}", tally(counts, 0)),
        Event::Moved {
            line,
            task_id,
            to,
            reason,
            ..
        } => {
            let mut text = format!("line {line}: {to}");
            if let Some(task_id) = task_id {
                text.push_str(&format!(" ({})", escape(task_id)));
            }
            if let Some(reason) = reason {
                text.push_str(&format!(": {}", escape(reason)));
            }
            text
        }
        Event::Status {
            line,
            task_id,
            status,
        } => format!("line {line}: {} ({})", status, escape(task_id)),
        Event::Held { wait } => format!(
            "submissions held for {:.1} s: the API asked to wait (Retry-After)",
            wait.as_secs_f64()
        ),
        Event::Stopping { stop } => stopping(stop),
        Event::Note { line, message } => format!("line {line}: {}", escape(message)),
        Event::Bytes { .. } => return None,
        _ => return None,
    })
}

fn stopping(stop: &Stop) -> String {
    match stop {
        Stop::Interrupted => "stopping: no new submissions; requests in flight finish \
                              (Ctrl-C again to exit at once)"
            .to_owned(),
        other => format!("stopping new submissions: {other}"),
    }
}

/// `pending 3 · submitted 5 · running 2 · done 10 · failed 1 · unknown 0`.
fn tally(counts: &Counts, running: u64) -> String {
    let done = counts.get(State::Downloaded) + counts.get(State::Succeeded);
    let submitted = counts.get(State::Submitting) + counts.get(State::Submitted);
    format!(
        "pending {} · submitted {} · running {} · done {} · failed {} · unknown {}",
        counts.get(State::Pending),
        submitted.saturating_sub(running),
        running,
        done,
        counts.get(State::Failed),
        counts.get(State::Unknown)
    )
}

/// Bars on a terminal: rows (settled of all, with the count of each
/// state), bytes of results downloaded (from the first byte on), and a
/// line while the API holds submissions.
pub struct Bars {
    multi: MultiProgress,
    rows: ProgressBar,
    state: Mutex<BarState>,
}

#[derive(Default)]
struct BarState {
    counts: Counts,
    running: HashSet<u64>,
    bytes: Option<ProgressBar>,
    held: Option<ProgressBar>,
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

impl Bars {
    /// Bars drawn on standard error.
    pub fn new() -> Bars {
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let rows = multi.add(ProgressBar::new(0));
        rows.set_style(
            style("{spinner} rows [{bar:30}] {pos}/{len} {msg} [{elapsed}]").progress_chars("=> "),
        );
        rows.enable_steady_tick(TICK);
        Bars {
            multi,
            rows,
            state: Mutex::new(BarState::default()),
        }
    }

    /// Removes the bars, leaving the terminal clean for the summary.
    pub fn finish(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        for bar in [state.bytes.take(), state.held.take()]
            .into_iter()
            .flatten()
        {
            bar.finish_and_clear();
        }
        self.rows.finish_and_clear();
        let _ = self.multi.clear();
    }

    /// A line above the bars.
    fn say(&self, text: &str) {
        self.multi.suspend(|| {
            let _ = writeln!(std::io::stderr(), "{text}");
        });
    }
}

impl Progress for Bars {
    fn event(&self, event: &Event<'_>) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        match event {
            Event::Started { counts } => state.counts = **counts,
            Event::Moved { line, from, to, .. } => {
                state.counts.moved(*from, *to);
                if *from == State::Submitted {
                    state.running.remove(line);
                }
                if *to == State::Submitted
                    && let Some(held) = state.held.take()
                {
                    held.finish_and_clear();
                    self.multi.remove(&held);
                }
                if matches!(to, State::Failed | State::Unknown)
                    && let Some(text) = describe(event)
                {
                    self.say(&text);
                }
            }
            Event::Status { line, status, .. } if **status == TaskStatus::Running => {
                state.running.insert(*line);
            }
            Event::Bytes { bytes } => {
                let bar = state.bytes.get_or_insert_with(|| {
                    let bar = self.multi.add(ProgressBar::new_spinner());
                    bar.set_style(style("  results {bytes} ({binary_bytes_per_sec})"));
                    bar
                });
                bar.inc(*bytes);
            }
            Event::Held { wait } => {
                let bar = state.held.get_or_insert_with(|| {
                    let bar = self.multi.add(ProgressBar::new_spinner());
                    bar.set_style(style("  {msg}"));
                    bar
                });
                bar.set_message(format!(
                    "submissions held for {:.1} s: the API asked to wait (Retry-After)",
                    wait.as_secs_f64()
                ));
            }
            Event::Stopping { stop } => self.say(&stopping(stop)),
            Event::Note { .. } => {
                if let Some(text) = describe(event) {
                    self.say(&text);
                }
            }
            _ => {}
        }
        let counts = state.counts;
        self.rows.set_length(counts.total());
        self.rows.set_position(
            counts.get(State::Downloaded)
                + counts.get(State::Succeeded)
                + counts.get(State::Failed),
        );
        self.rows
            .set_message(tally(&counts, state.running.len() as u64));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_show_text_from_the_server_escaped() {
        let text = describe(&Event::Moved {
            line: 3,
            task_id: Some("task_\u{1b}[2J"),
            from: State::Submitted,
            to: State::Failed,
            reason: Some("the task ended \u{202e}failed"),
        })
        .expect("a line");
        assert_eq!(
            text,
            "line 3: failed (task_\\u001b[2J): the task ended \\u202efailed"
        );
        assert!(describe(&Event::Bytes { bytes: 5 }).is_none());
    }

    #[test]
    fn the_tally_counts_running_tasks_apart() {
        let mut counts = Counts::default();
        counts.add(State::Submitted, 3);
        counts.add(State::Downloaded, 2);
        counts.add(State::Succeeded, 1);
        assert_eq!(
            tally(&counts, 1),
            "pending 0 · submitted 2 · running 1 · done 3 · failed 0 · unknown 0"
        );
    }
}
