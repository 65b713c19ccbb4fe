//! A counting global allocator, to show how much heap one validation takes
//! (the 100 KB image body must not be copied more than once).
//!
//! Install it in a binary with `#[global_allocator] static A: Counting = Counting;`,
//! then wrap the work in [`measure`]. Counters are per thread, so the test
//! harness's own threads do not disturb a measurement.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The system allocator, counting this thread's live and peak heap bytes.
pub struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
    static TOTAL: Cell<usize> = const { Cell::new(0) };
}

fn record(grow: usize, shrink: usize, new_block: bool) {
    // `try_with`: allocations during thread teardown are simply not counted.
    let _ = LIVE.try_with(|live| {
        let now = live.get() + grow as isize - shrink as isize;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
    let _ = TOTAL.try_with(|total| total.set(total.get() + grow));
    if new_block {
        let _ = COUNT.try_with(|count| count.set(count.get() + 1));
    }
}

// SAFETY: every call is forwarded unchanged to `System`; the counters are
// plain thread-local cells with const initializers and no destructors, so
// touching them never allocates or recurses into the allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            record(layout.size(), 0, true);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            record(layout.size(), 0, true);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) };
        record(0, layout.size(), false);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            record(new_size, layout.size(), false);
        }
        new
    }
}

/// The heap use of one piece of work on this thread.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Highest live heap during the work, above what was live before it.
    pub peak_bytes: usize,
    /// Heap still live after the work (what its result holds).
    pub retained_bytes: usize,
    /// Blocks allocated.
    pub allocations: usize,
    /// Bytes allocated in all, counting each growth of a `realloc`.
    pub allocated_bytes: usize,
}

/// Runs `work` and reports its heap use; all zero unless [`Counting`] is the
/// global allocator. The result is dropped after measuring, so what it holds
/// shows in `retained_bytes`.
pub fn measure<R>(work: impl FnOnce() -> R) -> (R, Usage) {
    let live_before = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(live_before));
    let count_before = COUNT.with(Cell::get);
    let total_before = TOTAL.with(Cell::get);
    let result = work();
    let usage = Usage {
        peak_bytes: (PEAK.with(Cell::get) - live_before).max(0) as usize,
        retained_bytes: (LIVE.with(Cell::get) - live_before).max(0) as usize,
        allocations: COUNT.with(Cell::get) - count_before,
        allocated_bytes: TOTAL.with(Cell::get) - total_before,
    };
    (result, usage)
}
