//! Lint: what the student reads before meeting the client must not give away what the
//! client keeps back (`client.keeps_back`), and a scenario needs an intake for the library
//! card and the briefing to show. A student reads the title, tags and intake on the card,
//! the learning objectives in the briefing, and the opening line, the opening cues and the
//! techniques' names, descriptions and examples when the session starts.

use super::{reach::Reach, warning};
use crate::scenario::{Scenario, contains_words};
use crate::source::closest;
use crate::source::{Issue, Path};

/// One piece of student-facing text, where it is and what the student sees it as.
struct Shown<'a> {
    path: Path,
    place: &'static str,
    text: &'a str,
}

pub fn check(s: &Scenario, reach: &Reach, issues: &mut Vec<Issue>) {
    let client = Path::root().field("client");
    if s.client.intake.is_none() {
        issues.push(warning(
            client.clone(),
            "the client has no `intake`, so the library card and the briefing show `presenting_problem` and `background`, the author's whole story, secrets included".into(),
            Some("add `intake: (referred_by: \"...\", reason: \"...\", referral: \"...\")` to `client`: what a referral letter would tell a counsellor (docs/authoring.md, \"What the student is told\")".into()),
        ));
    } else if let Some(intake) = &s.client.intake {
        for (field, text) in [("reason", &intake.reason), ("referral", &intake.referral)] {
            if text.trim().is_empty() {
                issues.push(warning(
                    client.field("intake").field(field),
                    format!(
                        "the intake's `{field}` is empty, so the student is told nothing there"
                    ),
                    None,
                ));
            }
        }
    }
    let mut flags: Vec<&str> = reach.settable_flags.iter().copied().collect();
    flags.sort_unstable();
    let shown = shown_before_meeting(s);
    for (i, kept) in s.client.keeps_back.iter().enumerate() {
        let at = client.field("keeps_back").index(i);
        if !reach.settable_flags.contains(kept.disclosure_flag.as_str()) {
            let help = match closest(&kept.disclosure_flag, &flags) {
                Some(near) => format!("did you mean `{near}`?"),
                None => {
                    "name the flag the disclosure's response or event sets with `SetFlag`".into()
                }
            };
            issues.push(warning(
                at.field("disclosure_flag"),
                format!(
                    "no response, event or technique sets `{}`, so this never comes out in a session",
                    kept.disclosure_flag
                ),
                Some(help),
            ));
        }
        if kept.give_away_words.is_empty() {
            issues.push(warning(
                at.field("give_away_words"),
                "no give-away words, so `attune check` cannot keep this out of what the student reads".into(),
                Some("list the words that would give it away, e.g. `give_away_words: [\"pint\", \"drank\"]`".into()),
            ));
        }
        for word in &kept.give_away_words {
            for piece in shown.iter().filter(|p| contains_words(p.text, word)) {
                issues.push(warning(
                    piece.path.clone(),
                    format!(
                        "the {} says \"{word}\", which gives away what {} keeps back until `{}`: {}",
                        piece.place, s.client.name, kept.disclosure_flag, kept.what
                    ),
                    Some(format!(
                        "the student reads this before the disclosure: reword it without \"{word}\", and keep the detail in `meta.instructor_notes`"
                    )),
                ));
            }
        }
    }
}

/// Everything a student can read before the session has gone anywhere.
fn shown_before_meeting(s: &Scenario) -> Vec<Shown<'_>> {
    let meta = Path::root().field("meta");
    let client = Path::root().field("client");
    let session = Path::root().field("session");
    let mut shown = vec![Shown {
        path: meta.field("title"),
        place: "title",
        text: &s.meta.title,
    }];
    for (i, tag) in s.meta.tags.iter().enumerate() {
        shown.push(Shown {
            path: meta.field("tags").index(i),
            place: "library card's tag",
            text: tag,
        });
    }
    for (i, objective) in s.meta.learning_objectives.iter().enumerate() {
        shown.push(Shown {
            path: meta.field("learning_objectives").index(i),
            place: "learning objective",
            text: objective,
        });
    }
    match &s.client.intake {
        Some(intake) => {
            let at = client.field("intake");
            for (field, place, text) in [
                ("referred_by", "intake's referrer", &intake.referred_by),
                ("reason", "intake's reason for referral", &intake.reason),
                ("referral", "referral", &intake.referral),
                ("wants", "intake's account of what they want", &intake.wants),
                ("culture", "intake's culture note", &intake.culture),
                ("faith", "intake's faith note", &intake.faith),
                ("risk", "intake's risk note", &intake.risk),
            ] {
                shown.push(Shown {
                    path: at.field(field),
                    place,
                    text,
                });
            }
        }
        // Without an intake the briefing shows these (`student_intake`).
        None => {
            let c = &s.client;
            for (path, place, text) in [
                (
                    client.field("presenting_problem"),
                    "presenting problem (shown as the intake)",
                    &c.presenting_problem,
                ),
                (
                    client.field("background"),
                    "background (shown as the intake)",
                    &c.background,
                ),
                (
                    client.field("preferences").field("notes"),
                    "preferences' notes (shown in the briefing)",
                    &c.preferences.notes,
                ),
                (
                    client.field("culture").field("notes"),
                    "culture notes (shown in the briefing)",
                    &c.culture.notes,
                ),
                (
                    client.field("religion").field("notes"),
                    "religion notes (shown in the briefing)",
                    &c.religion.notes,
                ),
                (
                    client.field("risk").field("notes"),
                    "risk notes (shown in the briefing)",
                    &c.risk.notes,
                ),
            ] {
                shown.push(Shown { path, place, text });
            }
        }
    }
    shown.push(Shown {
        path: session.field("opening_line"),
        place: "opening line",
        text: &s.session.opening_line,
    });
    for (i, cue) in s.session.opening_cues.iter().enumerate() {
        shown.push(Shown {
            path: session.field("opening_cues").index(i),
            place: "opening cue",
            text: cue,
        });
    }
    // The palette lists this scenario's own techniques from the first turn.
    for (i, t) in s.techniques.iter().enumerate() {
        let at = Path::root().field("techniques").index(i);
        shown.push(Shown {
            path: at.field("name"),
            place: "technique name",
            text: &t.name,
        });
        shown.push(Shown {
            path: at.field("description"),
            place: "technique description",
            text: &t.description,
        });
        shown.push(Shown {
            path: at.field("example"),
            place: "technique example",
            text: &t.example,
        });
    }
    for (id, rules) in &s.technique_rules {
        if let Some(example) = &rules.example {
            shown.push(Shown {
                path: Path::root()
                    .field("technique_rules")
                    .key(id)
                    .field("example"),
                place: "technique example",
                text: example,
            });
        }
    }
    shown
}
