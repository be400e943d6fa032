//! Which kind of Attune file a text is, told from its content rather than its name or
//! folder: a scenario `Scenario(...)`, an assessment pack `AssessmentPack(...)`, or a play
//! script (a list of choices `[...]`), or a course `Course(...)`. Read even when the rest of the file is broken, so
//! each file is checked by its own rules and a file given to the wrong command is named.

use super::{Diagnostic, NodeKind, parse_tree};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Scenario,
    Pack,
    Script,
    Course,
}

impl FileKind {
    /// The kind, in words: "a scenario", "an assessment pack", "a play script".
    pub fn words(self) -> &'static str {
        match self {
            FileKind::Scenario => "a scenario",
            FileKind::Pack => "an assessment pack",
            FileKind::Script => "a play script (a list of choices)",
            FileKind::Course => "a course",
        }
    }

    /// Tells the kind from the first value in the text, past comments and attributes.
    pub fn of(text: &str) -> FileKind {
        let rest = skip_preamble(text.trim_start_matches('\u{feff}'));
        if rest.starts_with('[') {
            return FileKind::Script;
        }
        let name_len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        match &rest[..name_len] {
            "AssessmentPack" => FileKind::Pack,
            "Course" => FileKind::Course,
            "" if rest.starts_with('(') => unnamed(text),
            _ => FileKind::Scenario,
        }
    }
}

/// When text that does not read as `expected` is, by its content, a well-formed file of
/// another kind: a diagnostic saying what it is and which command takes it. Text with a
/// syntax error keeps its syntax errors, which say more.
pub fn wrong_kind(name: &str, text: &str, expected: FileKind) -> Option<Diagnostic> {
    let found = FileKind::of(text);
    if found == expected || parse_tree(&super::normalize(text)).is_err() {
        return None;
    }
    let mut d = Diagnostic::whole_file(
        name,
        format!("this file is {}, not {}", found.words(), expected.words()),
    );
    d.help = Some(match found {
        FileKind::Pack => {
            format!("`attune check {name}` checks it; `attune play --pack {name}` takes it")
        }
        FileKind::Script => format!(
            "`attune check {name}` checks it; `attune play SCENARIO --script {name}` plays it"
        ),
        FileKind::Scenario => format!(
            "`attune check {name}` checks it; `attune play {name} --script SCRIPT` plays it"
        ),
        FileKind::Course => format!(
            "`attune check {name}` checks it; `attune drill {name} DRILL --choice TECHNIQUE` plays a drill"
        ),
    });
    Some(d)
}

/// A struct written without its name: a pack has a `class_id` and no `client`.
fn unnamed(text: &str) -> FileKind {
    let Ok(tree) = parse_tree(text) else {
        return FileKind::Scenario;
    };
    match &tree.kind {
        NodeKind::Struct { fields, .. }
            if fields.iter().any(|(k, _)| k == "class_id")
                && !fields.iter().any(|(k, _)| k == "client") =>
        {
            FileKind::Pack
        }
        _ => FileKind::Scenario,
    }
}

/// Past spaces, `//` and `/* */` comments and `#![...]` attributes.
fn skip_preamble(mut rest: &str) -> &str {
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.find(['\n', '\r']).map_or("", |i| &after[i..]);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |i| &after[i + 2..]);
        } else if rest.starts_with("#!") {
            rest = rest.find(']').map_or("", |i| &rest[i + 1..]);
        } else {
            return rest;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_told_by_its_content() {
        assert_eq!(
            FileKind::of("// pack\nAssessmentPack(id: \"x\")"),
            FileKind::Pack
        );
        assert_eq!(
            FileKind::of("/* a */ #![enable(implicit_some)]\n[(technique: \"x\")]"),
            FileKind::Script
        );
        assert_eq!(
            FileKind::of("\u{feff}Scenario(format_version: 1"),
            FileKind::Scenario
        );
        assert_eq!(
            FileKind::of("(id: \"p\", class_id: \"c\", scenarios: [])"),
            FileKind::Pack
        );
        assert_eq!(FileKind::of("(meta: (), client: ())"), FileKind::Scenario);
        assert_eq!(
            FileKind::of("#![enable(implicit_some)]\nCourse(id: \"c\")"),
            FileKind::Course
        );
        // Broken text still has a kind.
        assert_eq!(
            FileKind::of("AssessmentPack(id: \"x\" title"),
            FileKind::Pack
        );
    }
}
