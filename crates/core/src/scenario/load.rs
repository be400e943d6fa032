//! Loading a scenario from a file or text: read through the one bounded reader, parsed with
//! positions and validated, nothing more (the authoring lints are `crate::lint`, run by
//! `attune check`); also reading any text file Attune is given by name.

use std::path::Path as FsPath;

use super::{Scenario, validate_scenario};
use crate::model::Catalogue;
use crate::source::{
    Diagnostic, FileKind, Issue, MAX_SOURCE_BYTES, Node, Positioned, SourceText, parse_positioned,
    read_bytes, too_large, wrong_kind,
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
    let text = read_text(path).map_err(|message| vec![Diagnostic::whole_file(&name, message)])?;
    parse_scenario(&name, &text, catalogue)
}

/// Reads a text file Attune accepts: a regular file, not too large, valid UTF-8.
pub fn read_text(path: &FsPath) -> Result<String, String> {
    let bytes = read_bytes(path).map_err(|e| e.to_string())?;
    decode_text(bytes)
}

/// `read_text` for a file that may be absent (a configuration): `None` when it is not there.
pub fn read_optional_text(path: &FsPath) -> Result<Option<String>, String> {
    match read_bytes(path) {
        Ok(bytes) => decode_text(bytes).map(Some),
        Err(e) if e.is_missing() => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

/// The bytes of a file as text Attune accepts: not too large, valid UTF-8.
pub fn decode_text(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.len() > MAX_SOURCE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "the file is not UTF-8 text (first bad byte at offset {}); save it as UTF-8 in your editor",
            e.utf8_error().valid_up_to()
        )
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
