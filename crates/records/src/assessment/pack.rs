//! The assessment pack: a RON file an instructor hands out, naming the clients a learner
//! meets in order (by scenario id, each with a fixed seed so every learner meets the same
//! wording), the pass mark, an optional time limit, how much the learner's own words are
//! asked for, and the class the results belong to.

use serde::{Deserialize, Serialize};

use attune_core::coding::WordsMode;
use attune_core::source::{Diagnostic, Path, Positioned, Problems, parse_positioned};

/// The longest time limit a pack may set, in minutes (a working day).
pub const MAX_TIME_LIMIT_MINUTES: u32 = 8 * 60;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "AssessmentPack")]
pub struct AssessmentPack {
    /// A short id for the pack, letters, digits, `-` and `_`, e.g. `psy501-midterm`.
    pub id: String,
    pub title: String,
    /// The class or cohort the results are for; it travels with every result.
    pub class_id: String,
    /// The overall score (0 to 100) each session must reach; it replaces the scenarios' own.
    pub pass_mark: f32,
    /// Minutes for the whole pack; the session running when time is up ends there.
    #[serde(default)]
    pub time_limit_minutes: Option<u32>,
    /// Shown on the pack's first screen.
    #[serde(default)]
    pub instructions: String,
    /// How much each move must come with the learner's own words: `Optional` (the
    /// default), `First` (the words box leads) or `Required` (no move without words). It
    /// overrides the learner's own setting unless theirs is stricter.
    #[serde(default)]
    pub words: WordsMode,
    pub scenarios: Vec<PackItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackItem {
    /// The scenario's `meta.id`.
    pub scenario: String,
    pub seed: u64,
    /// Pins the exact version of the scenario file (`blake3:...`, as `attune check
    /// --hash` or a result file shows it); a changed file is then refused.
    #[serde(default)]
    pub content_hash: Option<String>,
}

/// A scenario a pack may name: its id and the content hash of its file as it is now.
#[derive(Clone, Debug)]
pub struct Available<'a> {
    pub id: &'a str,
    pub content_hash: &'a str,
}

/// A scenario file in the library that does not load, by the id it gives (or its file
/// name when even that cannot be read).
#[derive(Clone, Debug)]
pub struct Unloadable<'a> {
    pub id: &'a str,
    pub file: &'a str,
}

/// Reads and checks a pack against the scenarios available; every problem is reported at
/// its line and column.
pub fn parse_pack(
    name: &str,
    text: &str,
    available: &[Available],
) -> Result<AssessmentPack, Vec<Diagnostic>> {
    check_pack(name, text, available, &[])
}

/// `parse_pack`, also naming the library's files that do not load, so that a pack naming
/// one hears why it is missing rather than that it does not exist.
pub fn check_pack(
    name: &str,
    text: &str,
    available: &[Available],
    unloadable: &[Unloadable],
) -> Result<AssessmentPack, Vec<Diagnostic>> {
    let Positioned {
        value: pack,
        source,
        tree,
    } = parse_positioned::<AssessmentPack>(name, text).map_err(|problems| {
        attune_core::source::wrong_kind(name, text, attune_core::source::FileKind::Pack)
            .map_or(problems, |d| vec![d])
    })?;
    let mut problems = Problems::new(&source, &tree);
    let root = Path::root();
    if pack.id.is_empty()
        || !pack
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        problems.at(
            &root.field("id"),
            "the pack id must be letters, digits, `-` or `_`, e.g. `psy501-midterm`",
            None,
        );
    }
    if pack.title.trim().is_empty() {
        problems.at(&root.field("title"), "the title is empty", None);
    }
    if pack.class_id.trim().is_empty() {
        problems.at(
            &root.field("class_id"),
            "the class id is empty; results are grouped by it",
            None,
        );
    }
    if !(0.0..=100.0).contains(&pack.pass_mark) {
        problems.at(
            &root.field("pass_mark"),
            "the pass mark is an overall score from 0 to 100",
            None,
        );
    }
    if let Some(minutes) = pack.time_limit_minutes
        && !(1..=MAX_TIME_LIMIT_MINUTES).contains(&minutes)
    {
        problems.at(
            &root.field("time_limit_minutes"),
            &format!("the time limit is in minutes, from 1 to {MAX_TIME_LIMIT_MINUTES}"),
            Some("leave it out, or write `None`, for no limit"),
        );
    }
    if pack.scenarios.is_empty() {
        problems.at(
            &root.field("scenarios"),
            "the pack names no scenarios",
            Some("add `(scenario: \"an-id\", seed: 1)` entries"),
        );
    }
    let known: Vec<&str> = available.iter().map(|a| a.id).collect();
    for (i, item) in pack.scenarios.iter().enumerate() {
        let at = root.field("scenarios").index(i);
        if pack.scenarios[..i]
            .iter()
            .any(|other| other.scenario == item.scenario)
        {
            problems.at(
                &at.field("scenario"),
                &format!("`{}` is named twice", item.scenario),
                None,
            );
            continue;
        }
        match available.iter().find(|a| a.id == item.scenario) {
            None => {
                let broken = unloadable.iter().find(|u| u.id == item.scenario);
                let (message, help) = match broken {
                    Some(broken) => (
                        format!(
                            "scenario `{}` is in the library ({}) but does not load, so the pack cannot be taken",
                            item.scenario, broken.file
                        ),
                        Some(format!("`attune check {}` lists its problems", broken.file)),
                    ),
                    None => (
                        format!("no scenario with id `{}` in the library", item.scenario),
                        attune_core::source::did_you_mean(&item.scenario, &known),
                    ),
                };
                problems.at(&at.field("scenario"), &message, help.as_deref());
            }
            Some(found) => {
                if let Some(pinned) = &item.content_hash
                    && pinned != found.content_hash
                {
                    problems.at(
                        &at.field("content_hash"),
                        &format!(
                            "scenario `{}` has changed since the pack was made (it is now {})",
                            item.scenario, found.content_hash
                        ),
                        Some("ask for the scenario file the pack was written for, or update the hash"),
                    );
                }
            }
        }
    }
    problems.or_value(pack)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACK: &str = r#"AssessmentPack(
    id: "psy501-midterm",
    title: "Mid-term",
    class_id: "PSY501-A",
    pass_mark: 65,
    time_limit_minutes: 45,
    scenarios: [
        (scenario: "dan", seed: 4),
        (scenario: "maria", seed: 9, content_hash: "blake3:aa"),
    ],
)"#;

    fn available() -> Vec<Available<'static>> {
        vec![
            Available {
                id: "dan",
                content_hash: "blake3:dd",
            },
            Available {
                id: "maria",
                content_hash: "blake3:aa",
            },
        ]
    }

    #[test]
    fn a_good_pack_reads() {
        let pack = parse_pack("p.ron", PACK, &available()).unwrap();
        assert_eq!(pack.scenarios.len(), 2);
        assert_eq!(pack.time_limit_minutes, Some(45));
        assert_eq!(pack.pass_mark, 65.0);
    }

    #[test]
    fn an_unknown_scenario_is_reported_at_its_line_with_a_suggestion() {
        let text = PACK.replace("\"dan\"", "\"dna\"");
        let errors = parse_pack("p.ron", &text, &available()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 8);
        assert!(errors[0].message.contains("no scenario with id `dna`"));
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `dan`?"));
    }

    #[test]
    fn a_changed_scenario_is_refused_when_pinned() {
        let text = PACK.replace("blake3:aa", "blake3:old");
        let errors = parse_pack("p.ron", &text, &available()).unwrap_err();
        assert_eq!(errors[0].line, 9);
        assert!(
            errors[0]
                .message
                .contains("has changed since the pack was made")
        );
    }

    #[test]
    fn bad_marks_limits_and_duplicates_are_each_reported() {
        let text = PACK
            .replace("pass_mark: 65", "pass_mark: 165")
            .replace("time_limit_minutes: 45", "time_limit_minutes: 0")
            .replace("\"maria\"", "\"dan\"");
        let errors = parse_pack("p.ron", &text, &available()).unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![5, 6, 9], "{errors:?}");
    }

    #[test]
    fn the_words_mode_defaults_to_optional_and_reads_when_given() {
        let pack = parse_pack("p.ron", PACK, &available()).unwrap();
        assert_eq!(pack.words, WordsMode::Optional);
        let text = PACK.replace("    scenarios:", "    words: Required,\n    scenarios:");
        let pack = parse_pack("p.ron", &text, &available()).unwrap();
        assert_eq!(pack.words, WordsMode::Required);
    }

    #[test]
    fn a_bad_words_mode_is_an_error_at_its_value() {
        let text = PACK.replace("    scenarios:", "    words: Always,\n    scenarios:");
        let errors = parse_pack("p.ron", &text, &available()).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!((errors[0].line, errors[0].col), (7, 12), "{errors:?}");
        assert!(errors[0].message.contains("Always"), "{errors:?}");
    }

    #[test]
    fn a_misspelt_field_is_an_error_with_its_position() {
        let text = PACK.replace("class_id", "class");
        let errors = parse_pack("p.ron", &text, &available()).unwrap_err();
        assert_eq!(errors[0].line, 4, "{errors:?}");
    }
}
