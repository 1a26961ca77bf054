//! Output files are written whole or not at all: into a temporary file beside the target,
//! renamed over it only when complete. What that must never clobber (issue #12):
//!
//! - a target that is not a regular file (`/dev/null`, `/dev/stdout`, a FIFO): written into
//!   as it is, never replaced by a rename; a folder is refused;
//! - a symbolic link: the file it points to is replaced, the link kept;
//! - an input of the run: refused ([`Inputs`]), exit status 2;
//! - folders created for the output: removed again when the write fails;
//! - an interrupted run: the temporary file and new folders are registered with
//!   [`crate::cleanup`], which removes them on SIGINT or SIGTERM.

use crate::cleanup::{self, Tracked, What};
use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Refuses an output file whose extension names another format than the one it would be
/// written in (issue #15: `rate -o r.xlsx` wrote CSV into it): `r.xlsx` for ratings, or
/// `r.json` with `--format csv`. `names` tells the format an extension names, if any; a file
/// with no extension, or `-`, is written in `format` as asked.
pub fn check_extension<F: PartialEq + Copy>(
    path: Option<&Path>,
    format: F,
    names: impl Fn(&str) -> Option<F>,
    format_name: &str,
    extensions: &str,
) -> Result<()> {
    let Some(path) = path.filter(|p| p.as_os_str() != "-") else { return Ok(()) };
    // A device or FIFO named as the output is written into whatever its name.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Ok(());
    }
    let Some(ext) = path.extension().map(|e| e.to_string_lossy().into_owned()) else { return Ok(()) };
    match names(&ext) {
        Some(f) if f == format => Ok(()),
        Some(_) => anyhow::bail!(
            "{}: the extension .{ext} names another format than {format_name}, the one asked for; name the file .{} or leave --format out",
            path.display(),
            format_name.to_ascii_lowercase()
        ),
        None => anyhow::bail!(
            "{}: .{ext} is not a format this command writes; expected a file named {extensions} (or one with no extension, written as {format_name})",
            path.display()
        ),
    }
}

/// Writes what `fill` produces to `path` atomically, or to standard output when `path` is
/// `None` (or `-`).
pub fn write_to(path: Option<&Path>, fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    match path {
        None => to_stdout(fill),
        Some(p) if p.as_os_str() == "-" => to_stdout(fill),
        Some(p) => write_file(p, |w| fill(w)),
    }
}

fn to_stdout(fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    // Buffer the whole output so that an error leaves nothing half-printed.
    let mut buffer = Vec::new();
    fill(&mut buffer)?;
    let mut out = std::io::stdout().lock();
    out.write_all(&buffer).and_then(|()| out.flush()).context("cannot write to standard output")?;
    Ok(())
}

/// Folders created for an output, removed again (when empty) unless [`Created::keep`] is
/// called; registered for removal on a signal meanwhile.
#[derive(Debug, Default)]
pub struct Created {
    folders: Vec<(PathBuf, Tracked)>,
}

impl Created {
    /// Creates `dir` and any missing parents, remembering the ones it made.
    pub fn dirs(&mut self, dir: &Path) -> Result<()> {
        let mut missing = Vec::new();
        let mut at = Some(dir);
        while let Some(d) = at.filter(|d| !d.as_os_str().is_empty()) {
            if d.is_dir() {
                break;
            }
            if d.exists() {
                let e = std::io::Error::new(std::io::ErrorKind::AlreadyExists, format!("{} is not a folder", d.display()));
                return Err(e).with_context(|| format!("cannot create the folder {}", dir.display()));
            }
            missing.push(d.to_path_buf());
            at = d.parent();
        }
        for d in missing.into_iter().rev() {
            let made = cleanup::track(What::Folder, || match std::fs::create_dir(&d) {
                Ok(()) => Ok((true, d.clone())),
                // Made meanwhile by another process (a shard): not ours to remove.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && d.is_dir() => Ok((false, PathBuf::new())),
                Err(e) => Err(e),
            });
            match made {
                Ok((true, tracked)) => self.folders.push((d, tracked)),
                Ok((false, _)) => {}
                Err(e) => return Err(e).with_context(|| format!("cannot create the folder {}", d.display())),
            }
        }
        Ok(())
    }

    /// The folders stay: the output they hold is complete.
    pub fn keep(mut self) {
        self.folders.clear();
    }
}

impl Drop for Created {
    fn drop(&mut self) {
        // Deepest first; a folder that is not empty (it holds something else) stays.
        for (dir, _) in self.folders.drain(..).rev() {
            let _ = std::fs::remove_dir(&dir);
        }
    }
}

/// Writes `path` through a temporary file in the same folder, renamed when complete. A target
/// that exists and is not a regular file (a device, a FIFO) is written into instead.
pub fn write_file(path: &Path, fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_dir() {
            bail!("{} is a folder; give a file name", path.display());
        }
        if !meta.is_file() {
            return write_in_place(path, fill);
        }
    }
    // Through a symbolic link: replace the file it points to and keep the link.
    let resolved;
    let path = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            resolved = std::fs::canonicalize(path).with_context(|| format!("cannot write {}", path.display()))?;
            resolved.as_path()
        }
        _ => path,
    };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut created = Created::default();
    created.dirs(dir)?;
    let (mut tmp, _tracked) = cleanup::track(What::File, || {
        let tmp = tempfile::NamedTempFile::new_in(dir)?;
        let temp_path = tmp.path().to_path_buf();
        Ok((tmp, temp_path))
    })
    .with_context(|| format!("cannot write in {}", dir.display()))?;
    {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        fill(&mut w).with_context(|| format!("cannot write {}", path.display()))?;
        w.flush().with_context(|| format!("cannot write {}", path.display()))?;
    }
    // tempfile creates files readable by their owner only; a report is for circulating, so
    // give the file the permissions of the one it replaces, or the usual rw-r--r--.
    let permissions = match std::fs::metadata(path) {
        Ok(existing) => existing.permissions(),
        Err(_) => default_permissions(tmp.as_file())?,
    };
    tmp.as_file().set_permissions(permissions).with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path).map_err(|e| e.error).with_context(|| format!("cannot write {}", path.display()))?;
    created.keep();
    Ok(())
}

/// Writes into an existing target that is not a regular file (`/dev/null`, a terminal, a
/// FIFO): opened for writing, never truncated, renamed or removed.
fn write_in_place(path: &Path, fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let file = std::fs::OpenOptions::new().write(true).open(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut w = std::io::BufWriter::new(file);
    fill(&mut w).with_context(|| format!("cannot write {}", path.display()))?;
    w.flush().with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// The files a run reads, by canonical path, so that no output replaces one of them.
#[derive(Debug, Default)]
pub struct Inputs {
    files: Vec<PathBuf>,
}

impl Inputs {
    /// The files of a plan folder that a plan is read from.
    pub fn plan(&mut self, dir: &Path) -> &mut Inputs {
        for name in scorecard_core::read::plan::PLAN_FILES {
            self.file(&dir.join(name));
        }
        self
    }

    /// One input file (nothing when it does not exist).
    pub fn file(&mut self, path: &Path) -> &mut Inputs {
        if let Ok(p) = std::fs::canonicalize(path) {
            self.files.push(p);
        }
        self
    }

    /// An error when `output` is one of the inputs (after following links and `..`): writing
    /// it would replace what the run reads.
    pub fn refuse(&self, output: &Path) -> Result<()> {
        let Ok(out) = std::fs::canonicalize(output) else { return Ok(()) };
        if self.files.contains(&out) {
            bail!("{} is one of the input files; write the output somewhere else", output.display());
        }
        Ok(())
    }
}

#[cfg(unix)]
fn default_permissions(_: &std::fs::File) -> std::io::Result<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Ok(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions(file: &std::fs::File) -> std::io::Result<std::fs::Permissions> {
    // Elsewhere a temporary file already has a new file's usual permissions.
    Ok(file.metadata()?.permissions())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_no_folder_it_created() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("a/b/c/out.csv");
        let result = write_file(&target, |_| bail!("the rating failed"));
        assert!(result.is_err());
        assert!(!root.path().join("a").exists(), "the folders made for the output were left behind");
        // A folder that was there before stays.
        std::fs::create_dir(root.path().join("kept")).unwrap();
        assert!(write_file(&root.path().join("kept/x/out.csv"), |_| bail!("no")).is_err());
        assert!(root.path().join("kept").is_dir() && !root.path().join("kept/x").exists());
        // And a write that succeeds keeps them.
        write_file(&target, |w| Ok(w.write_all(b"ok")?)).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"ok");
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_written_into_and_a_link_kept() {
        write_file(Path::new("/dev/null"), |w| Ok(w.write_all(b"discarded")?)).unwrap();
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device(), "/dev/null was replaced");
        let root = tempfile::tempdir().unwrap();
        let real = root.path().join("real.csv");
        std::fs::write(&real, "old").unwrap();
        let link = root.path().join("link.csv");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_file(&link, |w| Ok(w.write_all(b"new")?)).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
    }

    #[test]
    fn an_input_is_refused_by_any_path_that_reaches_it() {
        let root = tempfile::tempdir().unwrap();
        let plan = root.path().join("p1");
        std::fs::create_dir(&plan).unwrap();
        std::fs::write(plan.join("updates.csv"), "milestone,period\n").unwrap();
        let mut inputs = Inputs::default();
        inputs.plan(&plan);
        assert!(inputs.refuse(&plan.join("updates.csv")).is_err());
        assert!(inputs.refuse(&plan.join("../p1/./updates.csv")).is_err());
        assert!(inputs.refuse(&plan.join("ratings.csv")).is_ok());
        assert!(inputs.refuse(&plan.join("milestones.csv")).is_ok(), "not there, so not an input");
    }
}
