//! One input through the path `attune check` takes (text decoding, positioned parsing,
//! validation, rendering each diagnostic), then on to `PreparedScenario::new` as `attune
//! play` would, and through the play-script reader.

use crate::engine::PreparedScenario;
use crate::lint::check_scenario;
use crate::model::Catalogue;
use crate::scenario::{decode_text, parse_script};
use crate::scoring::ScoringConfig;
use crate::source::{Diagnostic, render_line};

/// The name inputs are given in messages.
const NAME: &str = "fuzz.ron";

/// Which readers an input goes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Readers {
    Scenario,
    Script,
    Both,
}

impl Readers {
    pub fn scenario(self) -> bool {
        self != Readers::Script
    }
    pub fn script(self) -> bool {
        self != Readers::Scenario
    }
}

/// How far an input got through one reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// Too large, or not UTF-8.
    NotText,
    /// Refused by the positioned syntax check (bad syntax, nesting too deep).
    SyntaxError,
    /// Past the syntax check, refused by the typed reader or by validation.
    Rejected,
    /// A valid scenario that `PreparedScenario::new` refused.
    Unprepared,
    /// A valid scenario, prepared and ready to play; or a valid script.
    Ready,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::NotText,
        Outcome::SyntaxError,
        Outcome::Rejected,
        Outcome::Unprepared,
        Outcome::Ready,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Outcome::NotText => "not text",
            Outcome::SyntaxError => "syntax error",
            Outcome::Rejected => "type or validation error",
            Outcome::Unprepared => "not prepared",
            Outcome::Ready => "accepted",
        }
    }

    fn of_errors(diagnostics: &[Diagnostic]) -> Outcome {
        if diagnostics
            .iter()
            .any(|d| d.message.starts_with("syntax error"))
        {
            Outcome::SyntaxError
        } else {
            Outcome::Rejected
        }
    }
}

/// Where one input got to, by reader.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Checked {
    pub scenario: Option<Outcome>,
    pub script: Option<Outcome>,
}

/// What checking needs, built once: the catalogue, the scoring model, the technique ids.
pub struct CheckPath {
    catalogue: Catalogue,
    config: ScoringConfig,
    known: Vec<String>,
}

impl Default for CheckPath {
    fn default() -> Self {
        CheckPath::new()
    }
}

impl CheckPath {
    pub fn new() -> CheckPath {
        let catalogue = Catalogue::builtin();
        let known = catalogue.techniques.iter().map(|t| t.id.clone()).collect();
        CheckPath {
            catalogue,
            config: ScoringConfig::builtin(),
            known,
        }
    }

    /// Checks one input. `Err` names a diagnostic that points outside the text or names
    /// the wrong file: not a crash, but a message an author could not act on.
    pub fn check(&self, bytes: &[u8], readers: Readers) -> Result<Checked, String> {
        let text = match decode_text(bytes.to_vec()) {
            Ok(text) => text,
            Err(e) => {
                sound(&[Diagnostic::whole_file(NAME, e.to_string())], "")?;
                let not_text = Some(Outcome::NotText);
                return Ok(Checked {
                    scenario: not_text.filter(|_| readers.scenario()),
                    script: not_text.filter(|_| readers.script()),
                });
            }
        };
        Ok(Checked {
            scenario: readers
                .scenario()
                .then(|| self.scenario(&text))
                .transpose()?,
            script: readers.script().then(|| self.script(&text)).transpose()?,
        })
    }

    fn script(&self, text: &str) -> Result<Outcome, String> {
        let known: Vec<&str> = self.known.iter().map(String::as_str).collect();
        match parse_script(NAME, text, &known) {
            Ok(_) => Ok(Outcome::Ready),
            Err(diagnostics) => {
                sound(&diagnostics, text)?;
                Ok(Outcome::of_errors(&diagnostics))
            }
        }
    }

    fn scenario(&self, text: &str) -> Result<Outcome, String> {
        let loaded = match check_scenario(NAME, text, &self.catalogue, &self.config) {
            Ok(loaded) => loaded,
            Err(diagnostics) => {
                sound(&diagnostics, text)?;
                return Ok(Outcome::of_errors(&diagnostics));
            }
        };
        sound(&loaded.warnings, text)?;
        match PreparedScenario::new(loaded.scenario, &self.catalogue, &self.config) {
            Ok(prepared) => {
                // What the app and `attune play` read first from a prepared scenario.
                let _ = prepared.pass_mark();
                Ok(Outcome::Ready)
            }
            Err(e) => {
                let _ = e.to_string();
                Ok(Outcome::Unprepared)
            }
        }
    }
}

/// Renders each diagnostic as `attune check` prints it, in text and JSON, and checks that
/// it names the file and a line and column inside the text.
fn sound(diagnostics: &[Diagnostic], text: &str) -> Result<(), String> {
    if diagnostics.is_empty() {
        return Ok(());
    }
    // As `attune check` does: the text split into lines once, for every diagnostic.
    let shown_lines: Vec<&str> = text.lines().collect();
    let lines: Vec<&str> = text.split('\n').collect();
    for d in diagnostics {
        let shown = render_line(d, shown_lines.get(d.line.saturating_sub(1)).copied());
        if d.file != NAME {
            return Err(format!("a diagnostic names the file `{}`: {shown}", d.file));
        }
        let Some(line) = lines.get(d.line.wrapping_sub(1)) else {
            return Err(format!(
                "a diagnostic points outside the text ({} lines): {shown}",
                lines.len()
            ));
        };
        // Columns count characters, which are never more than bytes (and counting them
        // for every diagnostic on one long line would be slow).
        if d.col == 0 || d.col > line.len() + 1 {
            return Err(format!("a diagnostic points outside its line: {shown}"));
        }
    }
    serde_json::to_string(diagnostics).map_err(|e| format!("diagnostics do not serialise: {e}"))?;
    Ok(())
}
