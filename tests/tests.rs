//! Integration tests: each module runs the real `scorecard` binary on fixtures or on small
//! plans written into a temporary folder, and checks exit status, stdout, stderr and files.

#[macro_use]
mod util;

mod bad_input;
mod batch;
mod cli;
mod diff;
mod hostile;
mod import;
mod input;
mod outputs;
mod overview;
mod rate;
mod ratings;
mod report;
mod validate;
mod workbook;
