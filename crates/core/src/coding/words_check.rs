//! The trainee's own words beside the move they confirmed: what the words read as, whether
//! they do what the confirmed move does, and the move a script's words alone stand for.
//!
//! The check follows MITI 4.2.1 (Moyers, Rowell, Manuel, Ernst & Houck, 2016): MITI codes
//! what was said, so a question typed where a reflection was claimed is a question, and
//! advice given without asking is persuading without permission, whatever was picked from
//! the palette. The feedback names the difference plainly and gives the definition of what
//! was claimed, so the trainee learns the behaviour, not the label. The wording of the
//! definitions is our own summary of the manual's.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::{Coder, Coding, miti_phrase};
use crate::model::MitiCode;
use crate::scenario::{Choice, Directiveness};
use crate::scoring::Words;

/// How much the session asks for the trainee's own words. A learner can choose it for
/// their practice; an instructor's pack can set it for an assessment.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize,
)]
pub enum WordsMode {
    /// The words box is there; the palette alone is enough.
    #[default]
    Optional,
    /// Words first: the box has the keyboard at every turn and its proposal leads; the
    /// palette alone still plays a move.
    First,
    /// Every move needs words: the palette corrects the proposal but does not play alone.
    Required,
}

impl WordsMode {
    pub const ALL: [WordsMode; 3] = [WordsMode::Optional, WordsMode::First, WordsMode::Required];

    /// What the trainee reads for this setting.
    pub fn label(self) -> &'static str {
        match self {
            WordsMode::Optional => "Words optional",
            WordsMode::First => "Words first",
            WordsMode::Required => "Words required",
        }
    }
}

/// Below this confidence the coder's reading is shown but not held against the trainee:
/// human coders agree only moderately on single utterances (kappa about 0.3 to 0.6), so a
/// mismatch is said only when the reading is clear.
pub const MISMATCH_CONFIDENCE: f32 = 0.5;

/// The coder trained on the built-in corpus, trained once per process on first use.
pub fn shared_coder() -> &'static Coder {
    static CODER: OnceLock<Coder> = OnceLock::new();
    CODER.get_or_init(Coder::builtin)
}

/// Bumped when the coder's method changes in a way its data does not show (features, model,
/// training settings), so that `shared_coder_id` changes with it.
const CODER_METHOD: u32 = 2;

/// Which coder read the words: its method and a digest of everything it learns from (the
/// corpus, the cue rules, the catalogue's examples). A result file keeps it, so that a later
/// version, whose coder may read the same words otherwise, knows not to hold the old
/// readings against it.
pub fn shared_coder_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        // FNV-1a: an identity for the data, not a secret.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for text in [
            super::BUILTIN_CORPUS_TEXT,
            super::DEFAULT_RULES_TEXT,
            crate::model::DEFAULT_CATALOGUE_TEXT,
        ] {
            for byte in text.bytes().chain([0]) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        format!("attune-coder/{CODER_METHOD}-{hash:016x}")
    })
}

/// A reading as people see it: "a question (87%)".
pub fn reading(miti: MitiCode, confidence: f32) -> String {
    format!("{} ({:.0}%)", miti_phrase(miti), confidence * 100.0)
}

/// What a MITI 4.2.1 behaviour code means, in a sentence a trainee can act on.
pub fn miti_definition(code: MitiCode) -> &'static str {
    match code {
        MitiCode::Question => {
            "a question asks the client for information, an opinion or their own reflection, open or closed"
        }
        MitiCode::SimpleReflection => {
            "a simple reflection is a statement that conveys understanding of what the client said, adding little or no meaning or emphasis"
        }
        MitiCode::ComplexReflection => {
            "a complex reflection is a statement that adds substantial meaning or emphasis to what the client said: an unspoken feeling, a metaphor, both sides of their ambivalence, or the next sentence of their paragraph"
        }
        MitiCode::Affirmation => {
            "an affirmation is a genuine, specific positive statement about the client's strengths, efforts, intentions or values, not general praise or the clinician's approval"
        }
        MitiCode::SeekingCollaboration => {
            "seeking collaboration shares power with the client: asking permission, inviting their ideas and expertise, or checking that the plan suits them"
        }
        MitiCode::EmphasizingAutonomy => {
            "emphasising autonomy leaves the choice, and the say over it, with the client"
        }
        MitiCode::GivingInformation => {
            "giving information offers facts, feedback or an explanation without trying to persuade"
        }
        MitiCode::Persuade => {
            "persuading tries to change the client's mind or behaviour by advice, suggestions, argument, one-sided facts or self-disclosure, without the client's permission or room to disagree"
        }
        MitiCode::PersuadeWithPermission => {
            "persuading with permission gives advice or argument after the client has agreed to hear it or asked for it, or offers it with clear room to disagree"
        }
        MitiCode::Confront => {
            "confronting disagrees with, argues with, corrects or shames the client from a one-up position"
        }
        MitiCode::Other => {
            "none of the MITI behaviours (MITI leaves these uncoded): greetings, filler, or talk that does none of the above"
        }
    }
}

fn is_reflection(code: MitiCode) -> bool {
    matches!(
        code,
        MitiCode::SimpleReflection | MitiCode::ComplexReflection
    )
}

/// Whether words coded `said` do what a move coded `claimed` does. Doing more, in the
/// spirit of MI, is no mismatch: a complex reflection also does what a simple one does, and
/// advice given with permission is still advice. Information that turns into advice is:
/// MITI 4.2.1 keeps giving information (no push) apart from persuading.
fn does_what_was_claimed(claimed: MitiCode, said: MitiCode) -> bool {
    claimed == said
        || (claimed == MitiCode::SimpleReflection && said == MitiCode::ComplexReflection)
        || (claimed == MitiCode::Persuade && said == MitiCode::PersuadeWithPermission)
}

/// What differs between the words and the confirmed move, or `None` when they agree (or
/// the reading is not clear enough to say).
pub fn mismatch(coding: &Coding, choice: &Choice, claimed: MitiCode) -> Option<String> {
    let clear = coding.confidence >= MISMATCH_CONFIDENCE;
    // Permission is read from cue words ("would it be OK if..."), not from the classifier.
    let asked = coding.directiveness == Directiveness::AskPermission
        || coding.miti == MitiCode::PersuadeWithPermission
        || coding.miti == MitiCode::SeekingCollaboration;
    if choice.directiveness == Directiveness::AskPermission && !asked && clear {
        return Some(format!(
            "You chose to ask permission first, but your words do not ask it: they read as {}. \
             In MITI terms, {}. Ask before you offer (\"Would it be all right if I shared an idea?\").",
            miti_phrase(coding.miti),
            miti_definition(MitiCode::SeekingCollaboration)
        ));
    }
    // Asking permission alone is the first half of ask and offer: the move asked for.
    if choice.directiveness == Directiveness::AskPermission
        && coding.miti == MitiCode::SeekingCollaboration
    {
        return None;
    }
    if !clear || does_what_was_claimed(claimed, coding.miti) {
        return None;
    }
    let how = match (claimed, coding.miti) {
        (c, MitiCode::Question) if is_reflection(c) => {
            " A reflection is a statement: say back what you heard, without the question."
        }
        (MitiCode::ComplexReflection, MitiCode::SimpleReflection) => {
            " Add what the client has not yet said: the feeling under it, or the other side."
        }
        (MitiCode::Question, c) if is_reflection(c) => {
            " That can be the better move; it is just not the one you chose."
        }
        (MitiCode::GivingInformation, MitiCode::Persuade | MitiCode::PersuadeWithPermission) => {
            " Your words also say what to do: keep to what is known and let the client draw the conclusion."
        }
        (MitiCode::Affirmation, _) => {
            " Name something specific the client did or is, in \"you\" words."
        }
        _ => "",
    };
    Some(format!(
        "You chose {}, but your words read as {}. In MITI terms, {}.{how}",
        miti_phrase(claimed),
        miti_phrase(coding.miti),
        miti_definition(claimed)
    ))
}

/// The words of a move read by the shared coder, with any mismatch against the move
/// confirmed (`claimed` is the move's MITI code as the engine counts it). `None` without
/// words; the coder is trained only once words come.
pub fn read_words(choice: &Choice, claimed: MitiCode) -> Option<Words> {
    let text = choice.words()?;
    let coding = shared_coder().code(text);
    let mismatch = mismatch(&coding, choice, claimed);
    Some(Words {
        text: text.to_string(),
        miti: coding.miti,
        technique: coding.technique,
        directiveness: coding.directiveness,
        framing: coding.framing,
        confidence: coding.confidence,
        mismatch,
    })
}

/// A move given by its words alone (a script's `(say: "...")`): the technique and the
/// adaptations the shared coder reads in the words, confirmed as coded. A move that names
/// its technique is returned as it is, without the coder.
pub fn confirmed_as_coded(choice: &Choice) -> Cow<'_, Choice> {
    match choice.words() {
        Some(text) if choice.technique.is_empty() => {
            let coding = shared_coder().code(text);
            Cow::Owned(Choice {
                technique: coding.technique,
                directiveness: coding.directiveness,
                framing: coding.framing,
                ..choice.clone()
            })
        }
        _ => Cow::Borrowed(choice),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coding(miti: MitiCode, confidence: f32) -> Coding {
        Coding {
            miti,
            technique: String::new(),
            directiveness: Directiveness::AsIs,
            framing: crate::scenario::Framing::AsIs,
            confidence,
            cues: Vec::new(),
            why: String::new(),
        }
    }

    #[test]
    fn a_question_typed_where_a_reflection_was_claimed_is_said_with_the_definition() {
        let said = mismatch(
            &coding(MitiCode::Question, 0.9),
            &Choice::new("complex_reflection"),
            MitiCode::ComplexReflection,
        )
        .expect("a mismatch");
        assert!(said.contains("You chose a complex reflection"), "{said}");
        assert!(said.contains("read as a question"), "{said}");
        assert!(said.contains(miti_definition(MitiCode::ComplexReflection)));
    }

    #[test]
    fn advice_typed_where_permission_was_claimed_is_said() {
        let choice = Choice {
            directiveness: Directiveness::AskPermission,
            ..Choice::new("advice_giving")
        };
        let said = mismatch(
            &coding(MitiCode::Persuade, 0.8),
            &choice,
            MitiCode::PersuadeWithPermission,
        )
        .expect("a mismatch");
        assert!(said.contains("do not ask it"), "{said}");
        assert!(said.contains(miti_definition(MitiCode::SeekingCollaboration)));
    }

    #[test]
    fn asking_permission_alone_answers_a_move_that_asks_first() {
        let choice = Choice {
            directiveness: Directiveness::AskPermission,
            ..Choice::new("information_with_permission")
        };
        assert_eq!(
            mismatch(
                &coding(MitiCode::SeekingCollaboration, 0.9),
                &choice,
                MitiCode::GivingInformation
            ),
            None
        );
    }

    #[test]
    fn information_that_turns_into_advice_is_said() {
        let said = mismatch(
            &coding(MitiCode::PersuadeWithPermission, 0.8),
            &Choice::new("psychoeducation"),
            MitiCode::GivingInformation,
        )
        .expect("advice is not information");
        assert!(said.contains("also say what to do"), "{said}");
    }

    #[test]
    fn words_that_do_what_was_claimed_or_more_or_read_unclearly_raise_nothing() {
        let reflect = Choice::new("simple_reflection");
        assert_eq!(
            mismatch(
                &coding(MitiCode::SimpleReflection, 0.9),
                &reflect,
                MitiCode::SimpleReflection
            ),
            None
        );
        assert_eq!(
            mismatch(
                &coding(MitiCode::ComplexReflection, 0.9),
                &reflect,
                MitiCode::SimpleReflection
            ),
            None
        );
        assert_eq!(
            mismatch(
                &coding(MitiCode::Question, 0.3),
                &reflect,
                MitiCode::SimpleReflection
            ),
            None
        );
    }

    #[test]
    fn words_alone_are_confirmed_as_coded_and_a_named_technique_is_kept() {
        let coder = shared_coder();
        let said = Choice {
            say: Some("What brings you here today?".into()),
            ..Choice::default()
        };
        let confirmed = confirmed_as_coded(&said);
        assert_eq!(
            confirmed.technique,
            coder.code("What brings you here today?").technique
        );
        assert!(!confirmed.technique.is_empty());
        assert_eq!(confirmed.say, said.say);
        let named = Choice {
            say: Some("What brings you here today?".into()),
            ..Choice::new("affirmation")
        };
        assert_eq!(*confirmed_as_coded(&named), named);
    }

    #[test]
    fn the_coders_id_names_its_method_and_is_the_same_each_time() {
        let id = shared_coder_id();
        assert!(
            id.starts_with(&format!("attune-coder/{CODER_METHOD}-")),
            "{id}"
        );
        assert_eq!(id.len(), "attune-coder/2-".len() + 16);
        assert_eq!(shared_coder_id(), id);
    }

    #[test]
    fn blank_words_are_no_words() {
        let choice = Choice {
            say: Some("   ".into()),
            ..Choice::new("open_question")
        };
        assert_eq!(read_words(&choice, MitiCode::Question), None);
    }
}
