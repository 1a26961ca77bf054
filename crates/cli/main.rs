/*!
The `scorecard` command line: arguments, output files, progress and exit codes.

This crate is glue: reading and rating live in `scorecard-core`, rendering in
`scorecard-report`. Only this crate prints, exits or reads the clock.

Layers, each using only those below it: `main` → `cmd` (one module per command) → `args`
(the clap structs) and the shared `common` and `diff_report` → `output` and `demo` → `cleanup`
(what an interrupted run removes) → the core and report crates.

# Exit status

- 0: done; also when standard output is closed early (`scorecard rate plan | head`).
- 1: `diff` or `rate --check` found a changed rating.
- 2: bad input or usage: a plan's problems, a bad flag or value, a file that cannot be read
  or written.
- 3: an internal error, a bug in scorecard (`scorecard_core::Error::is_internal`: an
  invariant that did not hold, or the columnar engine failing), printed as
  `scorecard: internal error (a bug in scorecard; ...): ...`.
- 130 or 143: interrupted by SIGINT or SIGTERM; temporary files, staging folders and folders
  the run created are removed first.
*/

mod args;
mod cleanup;
mod cmd;
mod common;
mod demo;
mod diff_report;
mod output;

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    // A usage error exits 2 here, as clap does.
    let cli = args::Cli::parse();
    cleanup::install();
    match cmd::run(cli.command) {
        Ok(code) => code,
        Err(err) => match failure(&err) {
            Some((status, message)) => {
                let _ = writeln!(std::io::stderr().lock(), "scorecard: {message}");
                ExitCode::from(status)
            }
            None => ExitCode::SUCCESS,
        },
    }
}

/// The exit status and message for a command's error; `None` for a closed pipe, which is not
/// an error.
fn failure(err: &anyhow::Error) -> Option<(u8, String)> {
    if err.chain().any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)) {
        return None;
    }
    match err.chain().find_map(|e| e.downcast_ref::<scorecard_core::Error>()) {
        Some(core) if core.is_internal() => Some((3, bug_message(err, core))),
        _ => Some((2, chain_once(err))),
    }
}

/// The error and its causes joined by `: `, each said once: a cause that its wrapper's text
/// already ends with (an I/O error inside a core error that quotes it) is not repeated.
fn chain_once(err: &anyhow::Error) -> String {
    let mut message = String::new();
    for link in err.chain() {
        let text = link.to_string();
        if message.ends_with(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message
}

/// A bug as the core words it (`Error::Internal`), with what was being done in front of the
/// detail: `internal error (a bug in scorecard; ...): rating failed: rating engine: ...`.
fn bug_message(err: &anyhow::Error, core: &scorecard_core::Error) -> String {
    let core_text = core.to_string();
    let mut steps: Vec<String> = Vec::new();
    for link in err.chain() {
        if link.downcast_ref::<scorecard_core::Error>().is_some() {
            break;
        }
        // A wrapper that shows its source (`...: {0}`) need not show it twice.
        let text = link.to_string();
        steps.push(text.strip_suffix(core_text.as_str()).map_or(text.clone(), |t| t.trim_end_matches(": ").to_string()));
    }
    steps.push(match core {
        scorecard_core::Error::Internal(detail) => detail.clone(),
        other => other.to_string(),
    });
    steps.retain(|s| !s.is_empty());
    scorecard_core::Error::Internal(steps.join(": ")).to_string()
}

#[cfg(test)]
mod tests {
    use super::failure;
    use anyhow::Context;
    use scorecard_core::Error;

    fn internal(detail: &str) -> Error {
        Error::Internal(detail.to_string())
    }

    #[test]
    fn a_bug_anywhere_in_the_chain_exits_3_worded_as_a_bug() {
        let err = anyhow::Error::new(internal("the batch wrote nothing"));
        let (status, message) = failure(&err).unwrap();
        assert_eq!(status, 3);
        assert_eq!(message, internal("the batch wrote nothing").to_string());
        assert!(message.starts_with("internal error (a bug in scorecard"), "{message}");

        let err = Err::<(), _>(internal("x")).context("rating failed").context("outer").unwrap_err();
        let (status, message) = failure(&err).unwrap();
        assert_eq!(status, 3);
        assert_eq!(message, internal("outer: rating failed: x").to_string());
    }

    #[test]
    fn an_engine_failure_is_a_bug() {
        let engine = Error::Engine(polars::error::PolarsError::ComputeError("column not found".into()));
        let err = Err::<(), _>(engine).context("rating failed").unwrap_err();
        let (status, message) = failure(&err).unwrap();
        assert_eq!(status, 3);
        assert_eq!(message, internal("rating failed: rating engine: column not found").to_string());
    }

    #[test]
    fn input_and_usage_exit_2_with_the_whole_chain() {
        let err = Err::<(), _>(Error::Usage("--period 2013/14 Q9: no such quarter".into())).context("rating failed").unwrap_err();
        assert_eq!(failure(&err), Some((2, "rating failed: --period 2013/14 Q9: no such quarter".to_string())));
        assert_eq!(failure(&anyhow::anyhow!("no plan")), Some((2, "no plan".to_string())));
    }

    #[test]
    fn a_full_disk_is_said_once_with_the_path() {
        let full = std::io::Error::from_raw_os_error(28);
        let core = Error::Io { path: std::path::PathBuf::new(), source: full };
        let err = Err::<(), _>(core).context("cannot write out/ratings.csv").unwrap_err();
        let os = std::io::Error::from_raw_os_error(28).to_string();
        assert_eq!(failure(&err), Some((2, format!("cannot write out/ratings.csv: {os}"))));
        let core = Error::Io { path: "plan/updates.csv".into(), source: std::io::Error::from_raw_os_error(28) };
        assert_eq!(failure(&anyhow::Error::new(core)), Some((2, format!("plan/updates.csv: {os}"))));
    }

    #[test]
    fn a_closed_pipe_is_not_an_error() {
        let err = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert_eq!(failure(&err), None);
    }
}
