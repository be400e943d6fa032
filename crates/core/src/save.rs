//! Saving a file whole or not at all, and privately. Every file Attune writes for a learner
//! (result files, exports, reports, settings) goes through `write_atomically`: the bytes go
//! to a temporary file beside the target (so the rename stays on one file system), which is
//! synced to disk, renamed over the target, and the folder synced so that the rename itself
//! survives a power cut. On any error (a full disk, a read-only folder) the temporary file
//! is removed, so nothing half written or 0-byte is left, and the error names the file.
//! Files are made readable by their owner only (0600) and folders created here 0700: they
//! hold learners' names and grades.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

/// Writes `bytes` to `path` whole or not at all; the error names the file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let name = path
        .file_name()
        .ok_or_else(|| format!("{}: not a file name", path.display()))?;
    let dir = folder_of(path);
    // Unique per process and per call, so two writers never share a temporary file.
    static CALLS: AtomicU32 = AtomicU32::new(0);
    let tmp = dir.join(format!(
        ".{}.{}-{}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        CALLS.fetch_add(1, Ordering::Relaxed)
    ));
    let written = write_synced(&tmp, bytes).and_then(|()| fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(failed(path, &e));
    }
    sync_folder(dir).map_err(|e| {
        format!(
            "{}: written, but its folder could not be synced to disk: {e}",
            path.display()
        )
    })
}

/// Creates a folder (and any missing parents) readable by its owner only. A folder that
/// already exists keeps its permissions: they are never loosened, nor changed at all.
pub fn create_private_dir(dir: &Path) -> Result<(), String> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| failed(dir, &e))
}

/// Creates an empty file readable by its owner only, unless it exists already.
pub fn create_private_file(path: &Path) -> Result<(), String> {
    match private_options().write(true).create_new(true).open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(failed(path, &e)),
    }
}

fn private_options() -> OpenOptions {
    #[allow(unused_mut)]
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

fn write_synced(tmp: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = private_options().write(true).create_new(true).open(tmp)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// The folder a path is in; `.` for a bare file name.
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn sync_folder(dir: &Path) -> std::io::Result<()> {
    // A folder is synced through a handle to it; only Unix systems offer one.
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = (dir, File::open);
    Ok(())
}

/// The error for a path, with what to do where there is something to do.
fn failed(path: &Path, e: &std::io::Error) -> String {
    let advice = match e.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
            "; nothing was written: free some space or write to another disk"
        }
        ErrorKind::ReadOnlyFilesystem => {
            "; nothing was written: choose a folder on a writable disk"
        }
        _ => "",
    };
    format!("{}: {e}{advice}", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("attune-save-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_file_is_written_whole_and_replaces_the_old_one() {
        let dir = temp_dir("whole");
        create_private_dir(&dir).unwrap();
        let path = dir.join("r.json");
        write_atomically(&path, b"first").unwrap();
        write_atomically(&path, b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        assert_eq!(names_in(&dir), ["r.json"], "no temporary file is left");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file_and_names_the_file() {
        let dir = temp_dir("failed");
        create_private_dir(&dir).unwrap();
        // A folder where the file should go: the rename fails after the data was written.
        let path = dir.join("taken");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("inside"), "x").unwrap();
        let err = write_atomically(&path, b"data").unwrap_err();
        assert!(err.starts_with(&path.display().to_string()), "{err}");
        assert_eq!(names_in(&dir), ["taken"], "the temporary file is removed");
        // A folder that does not exist: the error names the file.
        let missing = dir.join("no/such/folder/r.json");
        let err = write_atomically(&missing, b"data").unwrap_err();
        assert!(err.starts_with(&missing.display().to_string()), "{err}");
        let _ = fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn records_are_created_private_and_existing_folders_keep_their_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = temp_dir("private");
        create_private_dir(&dir.join("a/b")).unwrap();
        assert_eq!(mode(&dir.join("a")), 0o700);
        assert_eq!(mode(&dir.join("a/b")), 0o700);
        write_atomically(&dir.join("a/b/r.json"), b"{}").unwrap();
        assert_eq!(mode(&dir.join("a/b/r.json")), 0o600);
        create_private_file(&dir.join("a/db")).unwrap();
        assert_eq!(mode(&dir.join("a/db")), 0o600);
        // An existing folder, shared on purpose, is left as it is.
        let shared = dir.join("shared");
        fs::create_dir(&shared).unwrap();
        fs::set_permissions(&shared, fs::Permissions::from_mode(0o750)).unwrap();
        create_private_dir(&shared).unwrap();
        assert_eq!(mode(&shared), 0o750);
        let _ = fs::remove_dir_all(&dir);
    }
}
