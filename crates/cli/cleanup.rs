//! What is removed when a run is interrupted (issue #12): every temporary file, staging folder
//! and folder a command created is registered here while it exists, and on SIGINT or SIGTERM
//! a watcher thread removes them all and exits 130 or 143 (128 + the signal), as a shell does.
//!
//! Creating a path and registering it happen under the registry's lock ([`track`]), so a
//! signal arriving in between waits for the registration and the path is removed too. Paths
//! leave the registry when dropped ([`Tracked`]): once a file is renamed into place or a
//! folder holds a finished output. A registered path that no longer exists is skipped, and a
//! created folder is only removed when empty, so a finished output is never removed.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

/// What a registered path is, and so how it is removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// A temporary file: removed.
    File,
    /// A staging folder and all it holds (only ever our own): removed with its contents.
    Staging,
    /// A folder created for an output: removed only when empty.
    Folder,
}

struct Entry {
    id: u64,
    path: PathBuf,
    what: What,
}

static REGISTRY: Mutex<Vec<Entry>> = Mutex::new(Vec::new());
static NEXT: AtomicU64 = AtomicU64::new(0);

fn registry() -> MutexGuard<'static, Vec<Entry>> {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

/// A registered path; dropping it takes the path out of the registry (it is not removed).
#[derive(Debug)]
pub struct Tracked(u64);

impl Drop for Tracked {
    fn drop(&mut self) {
        registry().retain(|e| e.id != self.0);
    }
}

/// Runs `create` (which makes a file or folder and returns it with its path) and registers the
/// path, both under the registry's lock.
pub fn track<T>(what: What, create: impl FnOnce() -> std::io::Result<(T, PathBuf)>) -> std::io::Result<(T, Tracked)> {
    let mut entries = registry();
    let (made, path) = create()?;
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    entries.push(Entry { id, path, what });
    Ok((made, Tracked(id)))
}

/// Removes every registered path, newest first (a file before the folder holding it).
fn remove_all() {
    let entries = registry();
    for e in entries.iter().rev() {
        let _ = match e.what {
            What::File => std::fs::remove_file(&e.path),
            What::Staging => std::fs::remove_dir_all(&e.path),
            What::Folder => std::fs::remove_dir(&e.path),
        };
    }
    // The lock is held on purpose until the process exits: nothing new gets created.
    std::mem::forget(entries);
}

/// Starts the watcher: on SIGINT or SIGTERM, removes what is registered and exits 128 + the
/// signal. Elsewhere than Unix, nothing (an interrupted run may leave a temporary file).
pub fn install() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        use std::io::Write;
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else { return };
        let _ = std::thread::Builder::new().name("signals".into()).spawn(move || {
            if let Some(signal) = signals.forever().next() {
                remove_all();
                let name = if signal == SIGINT { "interrupted" } else { "terminated" };
                let _ = writeln!(std::io::stderr().lock(), "scorecard: {name}; its temporary files and new folders are removed");
                std::process::exit(128 + signal);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropping_a_registration_keeps_the_path_and_forgets_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kept");
        std::fs::write(&path, "x").unwrap();
        let ((), tracked) = track(What::File, || Ok(((), path.clone()))).unwrap();
        assert!(registry().iter().any(|e| e.path == path));
        drop(tracked);
        assert!(!registry().iter().any(|e| e.path == path));
        assert!(path.exists());
    }
}
