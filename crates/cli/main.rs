/*!
The `scorecard` command line: arguments, output files, progress and exit codes.

This crate is glue: reading and rating live in `scorecard-core`, rendering in
`scorecard-report`. Only this crate prints or exits. Exit status: 0 done, 1 `diff` found
changes, 2 bad input or usage.
*/

mod args;
mod cmd_batch;
mod cmd_diff;
mod cmd_generate;
mod cmd_overview;
mod cmd_report;
mod demo;
mod output;

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = args::parse();
    match args::run(args) {
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
