/*!
The `scorecard` command line: arguments, output files, progress and exit codes.

This crate is glue: reading and rating live in `scorecard-core`, rendering in
`scorecard-report`. Only this crate prints or exits. Exit status: 0 done, 1 `diff` found
changes, 2 bad input or usage.

Layers, each using only those below it: `main` → `cmd` (one module per command) → `args`
(the clap structs) and the shared `common` and `diff_report` → `output` and `demo` → the core
and report crates.
*/

mod args;
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
    match cmd::run(cli.command) {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`scorecard rate plan | head`) is not an error.
            if let Some(e) = err.downcast_ref::<std::io::Error>() {
                if e.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "scorecard: {err:#}");
            ExitCode::from(2)
        }
    }
}
