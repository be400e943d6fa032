//! Which words mode applies to the session about to be played: the learner's own setting,
//! or the pack's when a pack is being sat, whichever asks more. An instructor's pack sets
//! the floor for an assessment; a learner who chose to practise with words keeps doing so.

use crate::app::settings::Settings;
use crate::assessment::Sitting;
use crate::coding::WordsMode;

/// How much a mode asks of the learner: optional words, then words first, then required.
fn strictness(mode: WordsMode) -> u8 {
    match mode {
        WordsMode::Optional => 0,
        WordsMode::First => 1,
        WordsMode::Required => 2,
    }
}

/// The words mode that applies: the pack's (through the sitting being taken) overrides the
/// learner's setting unless the learner's is stricter (Required > First > Optional).
pub fn words_mode(settings: &Settings, sitting: Option<&Sitting>) -> WordsMode {
    match sitting.map(Sitting::words_mode) {
        Some(pack) if strictness(pack) > strictness(settings.words_mode) => pack,
        _ => settings.words_mode,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::{AssessmentPack, PackItem};

    fn sitting(words: WordsMode) -> Sitting {
        let pack = AssessmentPack {
            id: "p".into(),
            title: "P".into(),
            class_id: "C".into(),
            pass_mark: 60.0,
            time_limit_minutes: None,
            instructions: String::new(),
            words,
            scenarios: vec![PackItem {
                scenario: "dan".into(),
                seed: 1,
                content_hash: None,
            }],
        };
        Sitting::new(pack, "p.ron".into(), "Ann".into(), 0)
    }

    fn learner(words_mode: WordsMode) -> Settings {
        Settings {
            words_mode,
            ..Settings::default()
        }
    }

    #[test]
    fn without_a_pack_the_learners_setting_applies() {
        for mode in WordsMode::ALL {
            assert_eq!(words_mode(&learner(mode), None), mode);
        }
    }

    #[test]
    fn the_stricter_of_the_pack_and_the_learner_applies() {
        use WordsMode::{First, Optional, Required};
        let cases = [
            (Optional, Optional, Optional),
            (Optional, First, First),
            (Optional, Required, Required),
            (First, Optional, First),
            (First, Required, Required),
            (Required, Optional, Required),
            (Required, First, Required),
        ];
        for (mine, pack, applies) in cases {
            assert_eq!(
                words_mode(&learner(mine), Some(&sitting(pack))),
                applies,
                "learner {mine:?}, pack {pack:?}"
            );
        }
    }
}
