//! A diagnostic: one problem (error or warning) at a file, line and column, with an optional
//! suggestion, as `attune check`, the library and every loader report them.

use serde::Serialize;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one file, at one place, in words an instructor can act on.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub col: usize,
    pub message: String,
    /// A suggestion, e.g. "did you mean `complex_reflection`?".
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// A problem with the file as a whole (unreadable, too large).
    pub fn whole_file(file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            line: 1,
            col: 1,
            message: message.into(),
            help: None,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Messages quoting a long value are cut, so one line stays one line's worth.
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file,
            self.line,
            self.col,
            severity,
            super::clip(&self.message)
        )?;
        if let Some(help) = &self.help {
            write!(f, " ({})", super::clip(help))?;
        }
        Ok(())
    }
}

/// A problem found after parsing, at a path into the parsed value; the loader turns the
/// path into a line and column.
#[derive(Clone, Debug, PartialEq)]
pub struct Issue {
    pub path: super::Path,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
}
