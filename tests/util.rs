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

/// The insta filters every whole-run snapshot takes: the repository's path, temporary
/// folders, and the version string, none of which is the behaviour under test.
pub fn run_filters() -> Vec<(String, String)> {
    let tmp = std::env::temp_dir();
    let tmp = tmp.to_string_lossy();
    let tmp = tmp.trim_end_matches('/');
    vec![
        // A temporary folder of TempPlan or `cli_dir`: its random name replaced.
        (format!(r"{}/(?:plan|cli)[A-Za-z0-9_]+", regex_literal(tmp)), "[TMP]".to_string()),
        (regex_literal(&root().display().to_string()), "[ROOT]".to_string()),
        (format!(r"\b{}\b", regex_literal(env!("CARGO_PKG_VERSION"))), "[VERSION]".to_string()),
    ]
}

/// A temporary folder for a whole-run snapshot's outputs (its path reads `[TMP]`).
pub fn cli_dir() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("cli").tempdir().expect("temp dir")
}

/// A whole run of `scorecard ARGS` in `dir` as one text, in the manner of uv's `uv_snapshot!`:
/// the command line, exit status, stdout and stderr. Each stream is checked with
/// [`assert_text_shape`] (or is empty), so the snapshot of this text pins every byte.
pub fn run_text(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scorecard"));
    // Nothing of the caller's terminal: no date override, and help wraps at its own width.
    cmd.args(args).current_dir(dir).env("NO_COLOR", "1").env_remove("SOURCE_DATE_EPOCH").env_remove("COLUMNS").env_remove("LINES");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the scorecard binary runs");
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8(out.stderr).expect("stderr is UTF-8");
    let line: Vec<String> = args.iter().map(|a| if a.contains(' ') || a.is_empty() { format!("'{a}'") } else { a.to_string() }).collect();
    let envs: String = env.iter().map(|(k, v)| format!("{k}={v} ")).collect();
    for (name, text) in [("stdout", &stdout), ("stderr", &stderr)] {
        if !text.is_empty() {
            assert_text_shape(&format!("scorecard {}: {name}", line.join(" ")), text);
        }
    }
    format!(
        "$ {envs}scorecard {}\nsuccess: {}\nexit_code: {}\n----- stdout -----\n{stdout}----- stderr -----\n{stderr}",
        line.join(" "),
        out.status.success(),
        out.status.code().unwrap_or(-1),
    )
}

/// Snapshots a whole run of `scorecard` (see [`run_text`]) with [`run_filters`] and any
/// extra `(regex, replacement)` filters:
///
/// `scorecard_snapshot!("name", dir, &["rate", "..."])`,
/// `scorecard_snapshot!("name", dir, &[args], env = &[("K", "V")], filters = [("re", "X")])`.
macro_rules! scorecard_snapshot {
    ($name:expr, $dir:expr, $args:expr $(, env = $env:expr)? $(, filters = [$(($re:expr, $to:expr)),* $(,)?])? $(,)?) => {{
        let env: &[(&str, &str)] = &[];
        $(let env: &[(&str, &str)] = $env;)?
        let text = $crate::util::run_text($dir, $args, env);
        let mut settings = insta::Settings::clone_current();
        for (re, to) in $crate::util::run_filters() {
            settings.add_filter(&re, to);
        }
        $($(settings.add_filter($re, $to);)*)?
        settings.set_omit_expression(true);
        settings.bind(|| insta::assert_snapshot!($name, text));
    }};
}
