//! What the student may read about a client before meeting them: the intake, and the
//! example a technique is shown with. The library card, the briefing, the technique panel
//! and the intake lint all read through here, so they agree on what a student sees.

use std::borrow::Cow;

use crate::model::Technique;
use crate::model::{ClientProfile, Intake};

use super::Scenario;

/// The client's intake; for a file written before `intake` existed, the fields the
/// briefing showed then (`attune check` warns that these may say too much).
pub fn student_intake(client: &ClientProfile) -> Cow<'_, Intake> {
    match &client.intake {
        Some(intake) => Cow::Borrowed(intake),
        None => Cow::Owned(Intake {
            referred_by: String::new(),
            reason: client.presenting_problem.clone(),
            referral: client.background.clone(),
            wants: client.preferences.notes.clone(),
            culture: client.culture.notes.clone(),
            faith: client.religion.notes.clone(),
            risk: client.risk.notes.clone(),
        }),
    }
}

/// The example shown for a technique with this client: the scenario's own when it gives
/// one, else the catalogue's general one.
pub fn technique_example<'a>(scenario: &'a Scenario, technique: &'a Technique) -> &'a str {
    scenario
        .technique_rules
        .get(&technique.id)
        .and_then(|rules| rules.example.as_deref())
        .unwrap_or(&technique.example)
}

/// Whether `text` contains `words` as whole words (a phrase may hold several), whatever
/// the case: "lapse" is found in "a lapse." but not in "relapse" or "lapsed".
pub fn contains_words(text: &str, words: &str) -> bool {
    let needle = words.trim().to_lowercase();
    if needle.is_empty() {
        return false;
    }
    let haystack = text.to_lowercase();
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    haystack.match_indices(&needle).any(|(at, _)| {
        !is_word(haystack[..at].chars().next_back())
            && !is_word(haystack[at + needle.len()..].chars().next())
    })
}

#[cfg(test)]
mod tests {
    use super::contains_words;

    #[test]
    fn words_match_whole_and_in_any_case() {
        assert!(contains_words("He had a Pint.", "pint"));
        assert!(contains_words("one drink, last week", "one drink"));
        assert!(!contains_words("relapse prevention", "lapse"));
        assert!(!contains_words("he lapsed", "lapse"));
        assert!(!contains_words("anything", ""));
        assert!(contains_words("Trần Đức Minh: bị bắt nạt", "bắt nạt"));
    }
}
