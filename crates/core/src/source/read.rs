//! Reading a file Attune was given by name: a scenario, pack, play script, result file,
//! `lrs.ron`, `settings.ron`. Only regular files are read, whatever the name, and never
//! more than the size limit plus one byte, whatever the file's metadata says: a device
//! (`/dev/zero`, `/dev/urandom`) or a named pipe is refused by name at once, before a read
//! could block or run until memory is exhausted.

use std::fs::{File, FileType, OpenOptions};
use std::io::Read;
use std::path::Path;

use super::MAX_SOURCE_BYTES;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file system's own answer: missing, no permission, a read failing.
    #[error("cannot read this file: {0}")]
    Io(#[source] std::io::Error),
    /// Not a regular file; says what it is instead ("a named pipe").
    #[error("this is {0}, not a regular file, so it is not read; give the path of a file")]
    NotAFile(&'static str),
    /// Larger than the limit: its size when the file system reports one.
    #[error("{}", too_large_message(*.0))]
    TooLarge(Option<u64>),
}

impl ReadError {
    /// The file is not there at all (an optional file, such as a configuration, may be
    /// absent).
    pub fn is_missing(&self) -> bool {
        matches!(self, ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound)
    }
}

/// Over the limit, with the size when it is known.
fn too_large_message(size: Option<u64>) -> String {
    match size {
        Some(size) => too_large(size),
        None => format!(
            "the file is over {MAX_SOURCE_BYTES} bytes, the limit; nothing Attune reads is that large"
        ),
    }
}

/// The message for a text of `size` bytes over the limit.
fn too_large(size: u64) -> String {
    format!("the file is {size} bytes; the limit is {MAX_SOURCE_BYTES}")
}

/// What a file type is in words, when it is not a regular file.
pub fn not_a_regular_file(kind: FileType) -> Option<&'static str> {
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if kind.is_char_device() {
            return Some("a character device");
        }
        if kind.is_block_device() {
            return Some("a block device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// The bytes of a regular file of at most `MAX_SOURCE_BYTES`. Links are followed; anything
/// that is not a regular file is refused before it is opened, and checked again on the
/// opened handle (opened without blocking), so a file swapped for a pipe in between cannot
/// hang the read either.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    refuse_what_is_not_a_file(&meta)?;
    let file = open_without_blocking(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    refuse_what_is_not_a_file(&meta)?;
    let limit = MAX_SOURCE_BYTES as u64;
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    // At most one byte past the limit, whatever the metadata said: enough to know the
    // file is too large, never more.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(None));
    }
    Ok(bytes)
}

fn refuse_what_is_not_a_file(meta: &std::fs::Metadata) -> Result<(), ReadError> {
    if let Some(what) = not_a_regular_file(meta.file_type()) {
        return Err(ReadError::NotAFile(what));
    }
    if meta.len() > MAX_SOURCE_BYTES as u64 {
        return Err(ReadError::TooLarge(Some(meta.len())));
    }
    Ok(())
}

#[cfg(unix)]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // A pipe opened for reading would wait for a writer; a terminal could become the
    // process's controlling terminal. Neither flag changes how a regular file reads.
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    OpenOptions::new().read(true).open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("attune-read-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_regular_file_is_read_whole() {
        let d = scratch("plain");
        let f = d.join("x.ron");
        std::fs::write(&f, "[]").unwrap();
        assert_eq!(read_bytes(&f).unwrap(), b"[]");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_file_at_the_limit_is_read_and_one_byte_over_is_refused_with_its_size() {
        let d = scratch("limit");
        let f = d.join("x.ron");
        std::fs::write(&f, vec![b' '; MAX_SOURCE_BYTES]).unwrap();
        assert_eq!(read_bytes(&f).unwrap().len(), MAX_SOURCE_BYTES);
        std::fs::write(&f, vec![b' '; MAX_SOURCE_BYTES + 1]).unwrap();
        let e = read_bytes(&f).unwrap_err();
        assert_eq!(e.to_string(), too_large(MAX_SOURCE_BYTES as u64 + 1));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_missing_file_says_so() {
        let e = read_bytes(Path::new("/nonexistent/attune/x.ron")).unwrap_err();
        assert!(e.is_missing(), "{e}");
        assert!(e.to_string().starts_with("cannot read this file: "), "{e}");
    }

    #[test]
    fn a_folder_is_refused_as_one() {
        let d = scratch("folder");
        let e = read_bytes(&d).unwrap_err();
        assert_eq!(
            e.to_string(),
            "this is a folder, not a regular file, so it is not read; give the path of a file"
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn dev_zero_is_refused_as_a_device_without_reading() {
        let e = read_bytes(Path::new("/dev/zero")).unwrap_err();
        assert!(
            matches!(e, ReadError::NotAFile("a character device")),
            "{e}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_refused_at_once() {
        let d = scratch("fifo");
        let f = d.join("x.ron");
        let name = std::ffi::CString::new(f.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let e = read_bytes(&f).unwrap_err();
        assert!(
            matches!(e, ReadError::NotAFile("a named pipe (FIFO)")),
            "{e}"
        );
        std::fs::remove_dir_all(&d).unwrap();
    }
}
