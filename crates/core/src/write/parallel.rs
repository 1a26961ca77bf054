//! Making pieces of output on every core while one thread writes them in order.
//!
//! Hand-made threads rather than rayon: a rayon version of [`in_order`] (tasks spawned on the
//! global pool, the same bound on pieces made ahead) measured 8 to 10% slower for `batch` to
//! JSON and Parquet on 100 plans on a 2-core machine, interleaved runs (BENCHMARKS.md):
//! rayon's idle workers spin between pieces and take the CPU the writing thread needs.

use crate::error::{Error, Result};

/// The threads to format on: the machine's cores.
pub(crate) fn threads() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).max(1)
}

/// Makes items `0..n` with `make` on as many threads as there are `states` (each thread with
/// its own), and hands them to `take` on this thread in order: `take` writes item `i` while
/// later items are being made. At most one item per thread, and one more, is made ahead of
/// the one `take` waits for. What each item holds depends on `i` alone, never on which thread
/// made it. Stops at the first error.
pub(crate) fn in_order<S: Send + Default, T: Send>(
    n: usize,
    states: &mut [S],
    make: impl Fn(usize, &mut S) -> Result<T> + Sync,
    mut take: impl FnMut(T) -> Result<()>,
) -> Result<()> {
    use std::sync::{Condvar, Mutex};
    let threads = states.len().min(n);
    if threads <= 1 {
        let Some(state) = states.first_mut() else { return Ok(()) };
        for i in 0..n {
            take(make(i, state)?)?;
        }
        return Ok(());
    }
    struct Progress {
        /// The next item to start.
        next: usize,
        /// Items taken so far.
        taken: usize,
        stop: bool,
    }
    let progress = Mutex::new(Progress { next: 0, taken: 0, stop: false });
    let moved = Condvar::new();
    let lead = threads + 1;
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Result<T>)>();
    let (make, progress, moved) = (&make, &progress, &moved);
    std::thread::scope(|scope| {
        for state in &mut states[..threads] {
            let tx = tx.clone();
            scope.spawn(move || loop {
                let i = {
                    let Ok(mut p) = progress.lock() else { return };
                    while !p.stop && p.next < n && p.next >= p.taken + lead {
                        p = match moved.wait(p) {
                            Ok(p) => p,
                            Err(_) => return,
                        };
                    }
                    if p.stop || p.next >= n {
                        return;
                    }
                    p.next += 1;
                    p.next - 1
                };
                // A panic becomes an error, so that the items after it are not waited for.
                let item = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| make(i, &mut *state)))
                    .unwrap_or_else(|_| Err(Error::Internal("a formatting thread panicked".into())));
                let failed = item.is_err();
                if tx.send((i, item)).is_err() || failed {
                    return;
                }
            });
        }
        drop(tx);
        let mut pending = std::collections::BTreeMap::new();
        let mut taken = 0;
        let mut result = Ok(());
        while taken < n {
            let Ok((i, item)) = rx.recv() else {
                result = Err(Error::Internal("a formatting thread stopped".into()));
                break;
            };
            pending.insert(i, item);
            while let Some(item) = pending.remove(&taken) {
                taken += 1;
                result = item.and_then(&mut take);
                if result.is_err() {
                    break;
                }
                if let Ok(mut p) = progress.lock() {
                    p.taken = taken;
                }
                moved.notify_all();
            }
            if result.is_err() {
                break;
            }
        }
        if let Ok(mut p) = progress.lock() {
            p.stop = true;
        }
        moved.notify_all();
        drop(rx);
        result
    })
}
