//! Output files are written whole or not at all: into a temporary file beside the target,
//! renamed over it only when complete.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

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
    out.write_all(&buffer)?;
    out.flush()?;
    Ok(())
}

/// Writes `path` through a temporary file in the same folder, renamed when complete.
pub fn write_file(path: &Path, fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create the folder {}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).with_context(|| format!("cannot write in {}", dir.display()))?;
    {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        fill(&mut w)?;
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
    Ok(())
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
