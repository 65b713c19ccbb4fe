//! Ctrl-C and SIGTERM during a batch: the first stops new work through
//! the run's cancellation token (the run then finishes what is in flight
//! and returns); the second exits at once with status 130. Every change
//! the journal holds is already a committed transaction, so exiting at
//! once loses nothing a rerun needs.

use std::io::Write;

use tokio_util::sync::CancellationToken;

use crate::Error;

/// The status of a run stopped by a signal.
pub const INTERRUPTED: i32 = 130;

/// Starts listening (before the run, so no signal is missed) on the
/// current runtime: the first signal cancels `stop`, the second exits.
pub fn listen(stop: CancellationToken) -> Result<(), Error> {
    let mut signals = Signals::new()?;
    tokio::spawn(async move {
        signals.next().await;
        stop.cancel();
        signals.next().await;
        let _ = writeln!(
            std::io::stderr(),
            "orux batch: stopped at once; the journal is consistent: rerun the same command to resume"
        );
        std::process::exit(INTERRUPTED);
    });
    Ok(())
}

/// SIGINT and SIGTERM (Ctrl-C elsewhere).
struct Signals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> Result<Signals, Error> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                interrupt: signal(SignalKind::interrupt()).map_err(signal_error)?,
                terminate: signal(SignalKind::terminate()).map_err(signal_error)?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Signals {})
        }
    }

    async fn next(&mut self) {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.interrupt.recv() => {}
                _ = self.terminate.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

fn signal_error(source: std::io::Error) -> Error {
    Error::Io {
        context: "cannot listen for Ctrl-C and SIGTERM".to_owned(),
        source,
    }
}
