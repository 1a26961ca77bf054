//! Making pieces of output on every core while one thread writes them in order, on rayon's
//! pool.

use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::sync::{mpsc, Mutex};

/// The threads to format on: rayon's pool (the machine's cores unless `RAYON_NUM_THREADS`
/// says otherwise).
pub(crate) fn threads() -> usize {
    rayon::current_num_threads().max(1)
}

/// Makes items `0..n` with `make` on rayon's pool (each task with one of `states`, reused from
/// task to task), and hands them to `take` on this thread in order: `take` writes item `i`
/// while later items are being made. At most one item per state, and one more, is made ahead
/// of the one `take` waits for. What each item holds depends on `i` alone, never on which task
/// made it. Stops at the first error.
pub(crate) fn in_order<S: Send + Default, T: Send>(
    n: usize,
    states: &mut [S],
    make: impl Fn(usize, &mut S) -> Result<T> + Sync,
    mut take: impl FnMut(T) -> Result<()>,
) -> Result<()> {
    let threads = states.len().min(n);
    if threads <= 1 || rayon::current_num_threads() <= 1 {
        let Some(state) = states.first_mut() else { return Ok(()) };
        for i in 0..n {
            take(make(i, state)?)?;
        }
        return Ok(());
    }
    let lead = threads + 1;
    let free = Mutex::new(states.iter_mut().collect::<Vec<&mut S>>());
    let (tx, rx) = mpsc::channel::<(usize, Result<T>)>();
    let (make, free) = (&make, &free);
    rayon::in_place_scope(|scope| {
        let spawn = |i: usize| {
            let tx = tx.clone();
            scope.spawn(move |_| {
                // A panic becomes an error, so that the items after it are not waited for.
                let run = |state: &mut S| {
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| make(i, state)))
                        .unwrap_or_else(|_| Err(Error::Internal("a formatting task panicked".into())))
                };
                let item = match free.lock().ok().and_then(|mut f| f.pop()) {
                    Some(state) => {
                        let item = run(&mut *state);
                        if let Ok(mut f) = free.lock() {
                            f.push(state);
                        }
                        item
                    }
                    // More tasks than states run at once only on a pool larger than the
                    // caller planned for: such a task makes its own.
                    None => run(&mut S::default()),
                };
                let _ = tx.send((i, item));
            });
        };
        let mut next = 0;
        while next < n.min(lead) {
            spawn(next);
            next += 1;
        }
        let mut pending = BTreeMap::new();
        let mut taken = 0;
        let mut result = Ok(());
        while taken < n {
            let Ok((i, item)) = rx.recv() else {
                result = Err(Error::Internal("a formatting task stopped".into()));
                break;
            };
            pending.insert(i, item);
            while let Some(item) = pending.remove(&taken) {
                taken += 1;
                result = item.and_then(&mut take);
                if result.is_err() {
                    break;
                }
                if next < n {
                    spawn(next);
                    next += 1;
                }
            }
            if result.is_err() {
                break;
            }
        }
        result
    })
}
