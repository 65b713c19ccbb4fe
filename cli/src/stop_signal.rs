//! SIGINT or SIGTERM (Ctrl-C where there are no Unix signals), for the
//! commands that run until told to stop (`orux mock`) or that a person may
//! stop (`orux wait`, `orux submit --wait`).

use std::io;

/// Stop signals, listened for from the moment this is made: a signal that
/// comes before anyone waits for it is kept, not lost to its default action
/// (which would end the process at once).
pub struct StopSignal {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl StopSignal {
    /// Starts listening (within a tokio runtime).
    pub fn listen() -> io::Result<StopSignal> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(StopSignal {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(StopSignal {})
        }
    }

    /// Completes when a signal has come.
    pub async fn received(&mut self) -> io::Result<()> {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.interrupt.recv() => Ok(()),
                _ = self.terminate.recv() => Ok(()),
            }
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c().await
        }
    }
}
