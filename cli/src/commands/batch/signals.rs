//! Ctrl-C and SIGTERM during a batch: the first stops new work through
//! the run's cancellation token (the run then finishes what is in flight
//! and returns); the second exits at once with status 130. Every change
//! the journal holds is already a committed transaction, so exiting at
//! once loses nothing a rerun needs.

use std::io::Write;

use tokio_util::sync::CancellationToken;

use crate::Error;
use crate::stop_signal::StopSignal;

/// The status of a run stopped by a signal.
pub const INTERRUPTED: i32 = 130;

/// Starts listening (before the run, so no signal is missed) on the
/// current runtime: the first signal cancels `stop`, the second exits.
pub fn listen(stop: CancellationToken) -> Result<(), Error> {
    let mut signals = StopSignal::listen().map_err(|source| Error::Io {
        context: "cannot listen for Ctrl-C and SIGTERM".to_owned(),
        source,
    })?;
    tokio::spawn(async move {
        if signals.received().await.is_err() {
            return;
        }
        stop.cancel();
        if signals.received().await.is_err() {
            return;
        }
        let _ = writeln!(
            std::io::stderr(),
            "orux batch: stopped at once; the journal is consistent: rerun the same command to resume"
        );
        std::process::exit(INTERRUPTED);
    });
    Ok(())
}
