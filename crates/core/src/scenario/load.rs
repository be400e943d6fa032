//! Loading a scenario from a file or text: read through the one bounded reader, parsed with
//! positions and validated, nothing more (the authoring lints are `crate::lint`, run by
//! `attune check`); also reading any text file Attune is given by name.

use std::path::Path as FsPath;

use super::{Scenario, validate_scenario};
use crate::model::Catalogue;
use crate::source::{
    Diagnostic, FileKind, Issue, MAX_SOURCE_BYTES, Node, Positioned, ReadError, SourceText,
    parse_positioned, read_bytes, wrong_kind,
};

/// A scenario that parsed and passed validation, with its text kept for positions.
#[derive(Clone, Debug)]
pub struct LoadedScenario {
    pub scenario: Scenario,
    pub source: SourceText,
    /// The parsed tree, to place a later finding (a lint's) at its line and column.
    pub tree: Node,
    pub warnings: Vec<Diagnostic>,
}

impl LoadedScenario {
    /// An issue found at a path in the scenario, as a diagnostic at its line and column.
    pub fn diagnostic(&self, issue: Issue) -> Diagnostic {
        let node = self.tree.locate(&issue.path);
        let mut d = self
            .source
            .diagnostic_at(node.start, issue.severity, issue.message);
        d.help = issue.help;
        d
    }
}

/// Reads and checks a scenario file. Every problem comes back as a diagnostic naming the
/// file, line and column; nothing panics on bad input.
pub fn load_scenario(
    path: &FsPath,
    catalogue: &Catalogue,
) -> Result<LoadedScenario, Vec<Diagnostic>> {
    let name = path.display().to_string();
    let text = read_text(path).map_err(|e| vec![Diagnostic::whole_file(&name, e.to_string())])?;
    parse_scenario(&name, &text, catalogue)
}

/// Why a file's text was not taken: the file itself was refused or could not be read (not
/// there, not a regular file, too large), or its bytes are not UTF-8. A caller that treats
/// an absent file as no file asks `is_missing`; the messages are the ones users read.
#[derive(Debug, thiserror::Error)]
pub enum TextError {
    #[error(transparent)]
    File(#[from] ReadError),
    /// Not UTF-8: the offset of the first byte that is not.
    #[error(
        "the file is not UTF-8 text (first bad byte at offset {offset}); save it as UTF-8 in your editor"
    )]
    NotUtf8 { offset: usize },
}

impl TextError {
    /// The file is not there at all.
    pub fn is_missing(&self) -> bool {
        matches!(self, TextError::File(e) if e.is_missing())
    }
}

/// Reads a text file Attune accepts: a regular file, not too large, valid UTF-8.
pub fn read_text(path: &FsPath) -> Result<String, TextError> {
    decode_text(read_bytes(path)?)
}

/// `read_text` for a file that may be absent (a configuration): `None` when it is not there.
pub fn read_optional_text(path: &FsPath) -> Result<Option<String>, TextError> {
    match read_text(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.is_missing() => Ok(None),
        Err(e) => Err(e),
    }
}

/// The bytes of a file as text Attune accepts: not too large, valid UTF-8.
pub fn decode_text(bytes: Vec<u8>) -> Result<String, TextError> {
    if bytes.len() > MAX_SOURCE_BYTES {
        return Err(ReadError::TooLarge(Some(bytes.len() as u64)).into());
    }
    let text = String::from_utf8(bytes).map_err(|e| TextError::NotUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })?;
    // A byte-order mark and old Mac line endings are read as if absent, here as well as
    // when parsing, so that lines shown beside a problem are the lines it counts.
    Ok(match crate::source::normalize(&text) {
        std::borrow::Cow::Borrowed(same) if same.len() == text.len() => text,
        plain => plain.into_owned(),
    })
}

/// Parses and validates scenario text; `name` is the path used in messages. This is all
/// loading does (for play, a library or a hot reload): the authoring lints play the scenario
/// many times over and are `attune check`'s (`crate::lint::check_scenario`).
pub fn parse_scenario(
    name: &str,
    text: &str,
    catalogue: &Catalogue,
) -> Result<LoadedScenario, Vec<Diagnostic>> {
    let Positioned {
        value: scenario,
        source,
        tree,
    } = parse_positioned::<Scenario>(name, text).map_err(|problems| {
        wrong_kind(name, text, FileKind::Scenario).map_or(problems, |d| vec![d])
    })?;
    let issues = validate_scenario(&scenario, catalogue);
    let mut loaded = LoadedScenario {
        scenario,
        source,
        tree,
        warnings: Vec::new(),
    };
    let mut diagnostics: Vec<Diagnostic> =
        issues.into_iter().map(|i| loaded.diagnostic(i)).collect();
    diagnostics.sort_by_key(|d| (d.severity, d.line, d.col));
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    loaded.warnings = diagnostics;
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("attune-text-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_missing_file_is_missing_and_an_optional_one_reads_as_none() {
        let path = FsPath::new("/nonexistent/attune/lrs.ron");
        let e = read_text(path).unwrap_err();
        assert!(e.is_missing(), "{e}");
        assert!(matches!(e, TextError::File(ReadError::Io(_))), "{e:?}");
        assert!(read_optional_text(path).unwrap().is_none());
    }

    #[test]
    fn a_folder_is_not_missing_so_an_optional_read_still_refuses_it() {
        let d = scratch("folder");
        let e = read_optional_text(&d).unwrap_err();
        assert!(!e.is_missing());
        assert!(
            matches!(e, TextError::File(ReadError::NotAFile("a folder"))),
            "{e:?}"
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_as_not_a_regular_file() {
        let d = scratch("fifo");
        let f = d.join("x.ron");
        let name = std::ffi::CString::new(f.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let e = read_text(&f).unwrap_err();
        assert!(
            matches!(
                e,
                TextError::File(ReadError::NotAFile("a named pipe (FIFO)"))
            ),
            "{e:?}"
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn bytes_that_are_not_utf8_say_where_and_are_not_a_read_failure() {
        let e = decode_text(b"ok\xff".to_vec()).unwrap_err();
        assert!(matches!(e, TextError::NotUtf8 { offset: 2 }), "{e:?}");
        assert_eq!(
            e.to_string(),
            "the file is not UTF-8 text (first bad byte at offset 2); save it as UTF-8 in your editor"
        );
    }

    #[test]
    fn bytes_over_the_limit_are_too_large_with_their_size() {
        let size = MAX_SOURCE_BYTES + 1;
        let e = decode_text(vec![b' '; size]).unwrap_err();
        assert!(
            matches!(e, TextError::File(ReadError::TooLarge(Some(n))) if n == size as u64),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            format!("the file is {size} bytes; the limit is {MAX_SOURCE_BYTES}")
        );
    }
}
