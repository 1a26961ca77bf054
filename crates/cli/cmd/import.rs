//! `scorecard import fingertips|lginform`: published data into a plan folder's `values.csv` and
//! `benchmarks.csv` (issue #13).
//!
//! The plan's files are read, the download's rows placed against its measures, and the new
//! files checked by reading the whole plan with them in memory before anything is written: a
//! plan the import would break is refused (exit 2) and nothing changes. An existing
//! `values.csv` or `benchmarks.csv` is overwritten only with `--merge`; each file is written
//! through a temporary file renamed into place.

use crate::args::{ImportCommand, ImportTarget};
use crate::common::{user_error, write_file};
use anyhow::{bail, Context, Result};
use scorecard_core::import::{self, Imported};
use scorecard_core::read::plan::PLAN_FILES;
use scorecard_core::Plan;
use std::path::Path;
use std::process::ExitCode;

/// Runs `scorecard import`.
pub fn run(command: ImportCommand) -> Result<ExitCode> {
    match command {
        ImportCommand::Fingertips(a) => {
            let options = import::FingertipsOptions {
                area: a.area.clone(),
                sex: a.sex,
                age: a.age,
                category: a.category,
                national_label: a.national_label,
                parent_label: a.parent_label,
            };
            import_into(&a.target, &a.download, true, |plan, source, bytes| import::fingertips(plan, source, bytes, &options))
        }
        ImportCommand::Lginform(a) => {
            let options =
                import::LginformOptions { area: a.area.clone(), metric: a.metric, label: a.label, national_label: a.national_label };
            import_into(&a.target, &a.export, false, |plan, source, bytes| import::lginform(plan, source, bytes, &options))
        }
    }
}

fn plan_files(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    if !dir.is_dir() {
        bail!("{}: not a plan folder; expected a folder holding measures.csv", dir.display());
    }
    let mut files = Vec::new();
    for name in PLAN_FILES {
        let path = dir.join(name);
        if path.is_file() {
            files.push((name.to_string(), std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?));
        }
    }
    Ok(files)
}

fn import_into(
    target: &ImportTarget,
    download: &Path,
    filters: bool,
    read: impl FnOnce(&Plan, &str, &[u8]) -> scorecard_core::Result<Imported>,
) -> Result<ExitCode> {
    let dir = &target.output;
    let mut files = plan_files(dir)?;
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "plan".into());
    let shown = dir.display().to_string();
    let existing =
        |files: &[(String, Vec<u8>)], f: &str| files.iter().find(|(n, _)| n == f).map(|(_, b)| String::from_utf8_lossy(b).into_owned());
    let (old_values, old_benchmarks) = (existing(&files, "values.csv"), existing(&files, "benchmarks.csv"));
    for (f, old) in [("values.csv", &old_values), ("benchmarks.csv", &old_benchmarks)] {
        if old.is_some() && !target.merge {
            bail!("{}: {f} exists; give --merge to merge the import into it (rows for the same measure, period and label are replaced, the others kept)", dir.display());
        }
    }
    // The plan as it stands (a measures.csv without values yet reads with an empty values.csv).
    let mut reading = files.clone();
    if old_values.is_none() {
        reading.push(("values.csv".into(), b"measure,period,value\n".to_vec()));
    }
    let plan = Plan::from_files(&name, &shown, reading).map_err(user_error)?;
    let bytes = std::fs::read(download).with_context(|| format!("cannot read {}", download.display()))?;
    let imported = read(&plan, &download.display().to_string(), &bytes).map_err(user_error)?;
    let values = import::merge_values(&plan, old_values.as_deref(), &imported.values).map_err(user_error)?;
    let benchmarks = (!imported.benchmarks.is_empty() || old_benchmarks.is_some())
        .then(|| import::merge_benchmarks(&plan, old_benchmarks.as_deref(), &imported.benchmarks))
        .transpose()
        .map_err(user_error)?;

    // The plan with the new files must read: check before writing anything.
    files.retain(|(n, _)| n != "values.csv" && n != "benchmarks.csv");
    files.push(("values.csv".into(), values.clone().into_bytes()));
    if let Some(b) = &benchmarks {
        files.push(("benchmarks.csv".into(), b.clone().into_bytes()));
    }
    Plan::from_files(&name, &shown, files).map_err(|e| user_error(e).context("the imported plan does not read; nothing was written"))?;

    for u in &imported.unplaced {
        eprintln!("{}:{}: {}", download.display(), u.line, u.message);
    }
    write_file(&dir.join("values.csv"), |w| Ok(w.write_all(values.as_bytes())?))?;
    if let Some(b) = &benchmarks {
        write_file(&dir.join("benchmarks.csv"), |w| Ok(w.write_all(b.as_bytes())?))?;
    }
    let filtered = if filters { format!("; {} rows left out by --sex, --age and --category", imported.filtered) } else { String::new() };
    println!(
        "{}: imported {} values and {} benchmarks{filtered}; {} {} not placed",
        dir.display(),
        imported.values.len(),
        imported.benchmarks.len(),
        imported.unplaced.len(),
        if filters { "rows" } else { "cells or rows" }
    );
    Ok(ExitCode::SUCCESS)
}
