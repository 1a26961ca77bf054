//! Test helpers: a temporary plan folder and a way to run the binary.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What a run of `scorecard` gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `scorecard` with `args` in `dir`.
pub fn scorecard_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_scorecard"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the scorecard binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `scorecard` with `args` from the repository root (so `fixtures/...` paths work).
pub fn scorecard(args: &[&str]) -> Run {
    scorecard_in(&root(), args)
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture plan's path.
pub fn fixture(name: &str) -> String {
    root().join("fixtures").join(name).display().to_string()
}

/// A temporary folder holding a plan made of `files` (name, contents).
pub struct TempPlan {
    pub dir: tempfile::TempDir,
}

impl TempPlan {
    pub fn new(files: &[(&str, &str)]) -> TempPlan {
        let dir = tempfile::Builder::new().prefix("plan").tempdir().expect("temp dir");
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).expect("write plan file");
        }
        TempPlan { dir }
    }

    /// The plan folder's path as a string.
    pub fn path(&self) -> String {
        self.dir.path().display().to_string()
    }
}

/// Every fixture plan's folder name (`fixtures/*/`), sorted.
pub fn fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("fixtures"))
        .expect("fixtures folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The folder holding every insta snapshot of the integration tests.
pub fn snapshots_dir() -> PathBuf {
    root().join("tests").join("snapshots")
}

/// Checks what a text snapshot cannot see. insta compares text snapshots after trimming
/// trailing whitespace, turning CRLF into LF and (for old snapshots) dropping leading
/// newlines, so those bytes are pinned here instead: no carriage return, no leading newline,
/// and an end of exactly one `\n` after a non-blank character. With the snapshot for
/// everything else, any change of a byte fails a test.
pub fn assert_text_shape(what: &str, text: &str) {
    assert!(!text.contains('\r'), "{what}: has a carriage return");
    assert!(!text.starts_with('\n'), "{what}: starts with a blank line");
    let body = text.strip_suffix('\n').unwrap_or_else(|| panic!("{what}: does not end with a newline"));
    assert!(!body.ends_with(char::is_whitespace), "{what}: ends with whitespace before its last newline");
}

/// `text` made safe to match literally inside an insta filter's regex.
pub fn regex_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
