//! The commands, one file each; `run` sends a parsed command line to its command.
//!
//! A command reads its arguments (`crate::args`), does its work through the shared layer
//! (`crate::common`, `crate::diff_report`) and the core and report crates, and returns the exit
//! status. Commands do not call one another.

mod batch;
mod diff;
mod generate;
mod import;
mod overview;
mod rate;
mod report;
mod validate;

use crate::args::Command;
use anyhow::Result;
use std::process::ExitCode;

/// Runs the command.
pub fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Validate { plan } => validate::run(&plan),
        Command::Rate(args) => rate::run(args),
        Command::Batch(args) => batch::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Overview(args) => overview::run(args),
        Command::Report(args) => report::run(args),
        Command::Import(args) => import::run(args),
    }
}
