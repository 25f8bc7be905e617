//! Writing a file so that nothing is lost: the one way `wf` writes a file
//! (`wf fmt`, the REPL's `:save`, and every file a later command writes).
//!
//! Contract of [`write`] and [`write_with`]:
//! - **All or nothing.** The new bytes go to a temporary file in the same
//!   folder, which is flushed to the disk (`fsync`) and then renamed over
//!   the target in one step. Whatever fails — a full disk, a write error,
//!   the process killed half-way — the target holds either its old bytes or
//!   the new ones, never a part; on an error the temporary file is removed
//!   and the target is untouched.
//! - **Same file, same permissions.** When the target exists, the new file
//!   gets its permission bits (owner and group are the writer's, as for any
//!   new file). A new target gets the usual `0666` less the umask. A target
//!   that is a symbolic link is written through: the link stays, the file
//!   it points to is replaced.
//! - **Regular files only.** A target that exists but is not a regular file
//!   (a folder, a FIFO, a device) is refused with
//!   [`std::io::ErrorKind::InvalidInput`]: replacing a FIFO with a file, or
//!   opening it and waiting for a reader, are both wrong.
//! - The folder is flushed after the rename where the system allows it, so
//!   the new name survives a power cut.
//!
//! Errors are plain [`std::io::Error`]s; callers say which file could not be
//! written ("FILE: cannot write: …").

use std::fs::{File, Permissions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Replaces the file at `path` with `bytes`, all or nothing (see the module
/// header).
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with(path, |file| file.write_all(bytes))
}

/// Replaces the file at `path` with what `fill` writes into the open
/// temporary file, all or nothing: if `fill` fails, its error is returned
/// and `path` keeps its old bytes. This is also the seam tests use to make
/// a write fail half-way.
pub fn write_with(path: &Path, fill: impl FnOnce(&mut File) -> io::Result<()>) -> io::Result<()> {
    let target = resolve_links(path)?;
    let existing = match std::fs::metadata(&target) {
        Ok(m) if m.is_file() => Some(m.permissions()),
        Ok(_) => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file",
            ));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".wf-").suffix(".tmp");
    if existing.is_none() {
        new_file_permissions(&mut builder);
    }
    let mut temp = builder.tempfile_in(&dir)?;
    if let Some(permissions) = existing {
        temp.as_file().set_permissions(permissions)?;
    }
    fill(temp.as_file_mut())?;
    temp.as_file_mut().flush()?;
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|e| e.error)?;
    sync_dir(&dir);
    Ok(())
}

/// The file a path names, through any symbolic links (a missing file is
/// its own path).
fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path),
        _ => Ok(path.to_path_buf()),
    }
}

/// A new file's permissions: `0666` less the umask, as `File::create`
/// gives (the temporary file would otherwise keep its private `0600`).
#[cfg(unix)]
fn new_file_permissions(builder: &mut tempfile::Builder<'_, '_>) {
    use std::os::unix::fs::PermissionsExt;
    builder.permissions(Permissions::from_mode(0o666));
}

/// Elsewhere a new file has the system's default permissions.
#[cfg(not(unix))]
fn new_file_permissions(_builder: &mut tempfile::Builder<'_, '_>) {}

/// Flushes a folder's entries so a rename in it is on the disk; systems
/// that cannot open a folder for this skip it.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests;
