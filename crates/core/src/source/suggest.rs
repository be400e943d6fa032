//! "Did you mean ...?": the one place Attune looks for the known name closest to one an
//! author typed (a flag, a technique id, a response id, a field, a scenario id, ...).

/// The closest known name by edit distance, when it is close enough to be a typo.
pub fn closest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let len = word.chars().count();
    let near = |k: &str| 3.max(k.len() / 4);
    known
        .iter()
        // The distance is at least the difference in length; skipping words too long or
        // short to be near keeps a huge unknown id from costing seconds and gigabytes.
        .filter(|k| len.abs_diff(k.chars().count()) <= near(k) && **k != word)
        .map(|k| (strsim::damerau_levenshtein(word, k), *k))
        .filter(|(d, k)| *d <= near(k))
        .min()
        .map(|(_, k)| k)
}

/// The help line for a mistyped name: "did you mean `rationale_given`?", when one is close.
pub fn did_you_mean(word: &str, known: &[&str]) -> Option<String> {
    closest(word, known).map(|k| format!("did you mean `{k}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_finds_the_name_meant_and_a_stranger_finds_none() {
        let flags = ["rationale_given", "risk_assessed", "goal_agreed"];
        assert_eq!(
            did_you_mean("rationale_givn", &flags).as_deref(),
            Some("did you mean `rationale_given`?")
        );
        assert_eq!(closest("goal_agred", &flags), Some("goal_agreed"));
        assert_eq!(closest("completely_different", &flags), None);
        // A name that is already known is not "meant" as something else.
        assert_eq!(closest("risk_assessed", &["risk_assessed"]), None);
    }
}
