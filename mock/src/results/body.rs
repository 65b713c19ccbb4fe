//! A result file's body, produced chunk by chunk (nothing is held in
//! memory beyond one chunk), with the cut a fault asks for: the connection
//! closed, or the stream stalled, after some bytes.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Bytes;
use http_body::{Body, Frame, SizeHint};

use super::content::ResultContent;
use crate::stats::Stats;

/// Bytes per chunk handed to hyper.
const CHUNK: u64 = 256 * 1024;

/// The longest a stall holds a connection before closing it.
pub const MAX_STALL: Duration = Duration::from_secs(600);

/// How long a drop waits before closing, so that the bytes before it have
/// left: hyper writes out what it holds when the body has nothing ready.
const DROP_DELAY: Duration = Duration::from_millis(20);

/// What happens when the body reaches its cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cut {
    /// Close the connection (the client sees the body end short).
    Drop,
    /// Send nothing more; close after [`MAX_STALL`].
    Stall,
}

/// Bytes `position..end` of `content`, stopping at `cut` if set.
pub struct ResultBody {
    content: ResultContent,
    position: u64,
    end: u64,
    /// Where the body stops (an absolute offset), and how.
    cut: Option<(u64, Cut)>,
    /// The `Content-Length` sent, which a `lie-length` fault makes larger.
    declared: u64,
    /// The wait at the cut before the connection is closed.
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
    stats: Arc<Stats>,
}

impl ResultBody {
    pub fn new(
        content: ResultContent,
        start: u64,
        end: u64,
        cut: Option<(u64, Cut)>,
        declared: u64,
        stats: Arc<Stats>,
    ) -> ResultBody {
        ResultBody {
            content,
            position: start,
            end,
            // A cut at or past the end changes nothing, unless the length
            // declared is longer than the bytes there are (`lie-length`).
            cut: cut
                .filter(|(at, kind)| *at < end || (*kind == Cut::Drop && declared > end - start)),
            declared,
            pause: None,
            stats,
        }
    }
}

impl Body for ResultBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = &mut *self;
        if let Some((at, cut)) = this.cut
            && this.position >= at
        {
            let (wait, what) = match cut {
                Cut::Drop => (DROP_DELAY, "download fault: drop"),
                Cut::Stall => (MAX_STALL, "download fault: stall ended"),
            };
            let sleep = this
                .pause
                .get_or_insert_with(|| Box::pin(tokio::time::sleep(wait)));
            return match sleep.as_mut().poll(cx) {
                Poll::Pending => Poll::Pending,
                Poll::Ready(()) => Poll::Ready(Some(Err(io::Error::other(what)))),
            };
        }
        if this.position >= this.end {
            return Poll::Ready(None);
        }
        let stop = this.cut.map_or(this.end, |(at, _)| at.min(this.end));
        let len = (stop - this.position).min(CHUNK) as usize;
        let mut chunk = vec![0; len];
        let n = this.content.read_at(this.position, &mut chunk);
        chunk.truncate(n);
        this.position += n as u64;
        this.stats
            .bytes_served
            .fetch_add(n as u64, Ordering::Relaxed);
        Poll::Ready(Some(Ok(Frame::data(Bytes::from(chunk)))))
    }

    fn is_end_stream(&self) -> bool {
        self.cut.is_none() && self.position >= self.end
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.declared)
    }
}
