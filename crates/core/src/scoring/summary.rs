//! The session's rubrics (clinical-model.md section 8): overall score and pass, the eight
//! Facilitative Interpersonal Skills items, MITI 4.2.1 behaviour counts, and Attune's
//! integration rubric.

use serde::Serialize;

use super::fis::{self, FisEvidence, FisItems, FisRules, item};
use crate::model::{Component, MitiCode, RiskLevel, SafetyGate, SessionEnd, StateSnapshot};
use crate::scoring::{SafetyFailure, TurnOutcome};
use crate::words::{count, count_with};

pub struct SummaryInput<'a> {
    pub turns: &'a [TurnOutcome],
    pub initial: StateSnapshot,
    pub ended: Option<SessionEnd>,
    pub safety_failures: &'a [SafetyFailure],
    pub pass_mark: f32,
    pub turn_limit: u32,
    /// The scenario's pass requirements not reached, as their `why` texts.
    pub unmet_requirements: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SessionSummary {
    pub turns_played: u32,
    pub turn_limit: u32,
    /// Mean turn fit, 0..100.
    pub overall: f32,
    pub pass_mark: f32,
    pub passed: bool,
    /// None while the session is still open.
    pub end: Option<SessionEnd>,
    /// Plain-language reasons that bear on the result, worst first.
    pub flags: Vec<String>,
    /// Why the session did not pass, in words, each reason once; empty when it passed.
    pub not_passed_because: Vec<String>,
    /// The flags `not_passed_because` does not already say (the failed safety gates, how
    /// the session ended and the requirements not reached are there), for a screen that
    /// shows both.
    #[serde(skip)]
    pub notes: Vec<String>,
    pub safety_failures: Vec<SafetyFailure>,
    pub ruptures_opened: u32,
    pub ruptures_repaired: u32,
    pub fis: FisItems,
    pub miti: MitiCounts,
    pub integration: IntegrationRubric,
    /// The meters at the start and after every turn, for plots.
    pub trajectory: Vec<StateSnapshot>,
}

/// MITI 4.2.1 behaviour counts and summary ratios.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MitiCounts {
    pub questions: u32,
    pub simple_reflections: u32,
    pub complex_reflections: u32,
    pub affirmations: u32,
    pub seeking_collaboration: u32,
    pub emphasizing_autonomy: u32,
    pub giving_information: u32,
    pub persuade: u32,
    pub persuade_with_permission: u32,
    pub confront: u32,
    pub other: u32,
    /// Reflections per question; MITI fair 1:1, good 2:1.
    pub reflection_to_question: Option<f32>,
    /// Share of reflections that are complex; MITI fair 40%, good 50%.
    pub percent_complex_reflections: Option<f32>,
    /// How many turns were counted from the trainee's own words rather than from the
    /// technique chosen (MITI codes what is said).
    pub from_words: u32,
}

/// Where a MITI summary score stands against the manual's thresholds (MITI 4.2.1, the
/// clinician's "fair" and "good" competence levels).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum MitiBand {
    BelowFair,
    Fair,
    Good,
}

impl MitiBand {
    fn of(value: f32, fair: f32, good: f32) -> MitiBand {
        if value >= good {
            MitiBand::Good
        } else if value >= fair {
            MitiBand::Fair
        } else {
            MitiBand::BelowFair
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MitiBand::BelowFair => "below fair",
            MitiBand::Fair => "fair",
            MitiBand::Good => "good",
        }
    }
}

impl MitiCounts {
    /// The counts of utterances' codes as the coder read them from the trainee's words,
    /// one code an utterance (a learner's MITI profile across attempts): every one counted
    /// from words, with the summary ratios. A permission asked is not counted again as
    /// seeking collaboration here, since only the code is given.
    pub fn of_words_codes(codes: impl IntoIterator<Item = MitiCode>) -> MitiCounts {
        let mut m = MitiCounts::default();
        for code in codes {
            m.tally(code);
            m.from_words += 1;
        }
        m.with_ratios()
    }

    /// One more utterance coded `code`.
    fn tally(&mut self, code: MitiCode) {
        let slot = match code {
            MitiCode::Question => &mut self.questions,
            MitiCode::SimpleReflection => &mut self.simple_reflections,
            MitiCode::ComplexReflection => &mut self.complex_reflections,
            MitiCode::Affirmation => &mut self.affirmations,
            MitiCode::SeekingCollaboration => &mut self.seeking_collaboration,
            MitiCode::EmphasizingAutonomy => &mut self.emphasizing_autonomy,
            MitiCode::GivingInformation => &mut self.giving_information,
            MitiCode::Persuade => &mut self.persuade,
            MitiCode::PersuadeWithPermission => &mut self.persuade_with_permission,
            MitiCode::Confront => &mut self.confront,
            MitiCode::Other => &mut self.other,
        };
        *slot += 1;
    }

    /// The counts with their summary ratios: reflections per question (none without a
    /// question) and the complex share of reflections (none without a reflection).
    fn with_ratios(mut self) -> MitiCounts {
        let reflections = self.simple_reflections + self.complex_reflections;
        self.reflection_to_question =
            (self.questions > 0).then(|| reflections as f32 / self.questions as f32);
        self.percent_complex_reflections =
            (reflections > 0).then(|| 100.0 * self.complex_reflections as f32 / reflections as f32);
        self
    }

    /// All the utterances counted, each once (a permission asked also counted as seeking
    /// collaboration makes this more than the turns).
    pub fn total(&self) -> u32 {
        self.questions
            + self.simple_reflections
            + self.complex_reflections
            + self.affirmations
            + self.seeking_collaboration
            + self.emphasizing_autonomy
            + self.giving_information
            + self.persuade
            + self.persuade_with_permission
            + self.confront
            + self.other
    }

    /// Reflections per question against MITI 4.2.1's fair 1:1 and good 2:1.
    pub fn reflection_band(&self) -> Option<MitiBand> {
        self.reflection_to_question
            .map(|r| MitiBand::of(r, 1.0, 2.0))
    }

    /// Complex share of reflections against MITI 4.2.1's fair 40% and good 50%.
    pub fn complex_band(&self) -> Option<MitiBand> {
        self.percent_complex_reflections
            .map(|p| MitiBand::of(p, 40.0, 50.0))
    }
}

/// Attune's integration rubric, each 1..5: how well the choices matched this client.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IntegrationRubric {
    pub reactance_matching: u8,
    pub coping_style_matching: u8,
    pub stage_matching: u8,
    /// None when the client states no preferences and culture and faith are not salient.
    pub preferences_and_culture: Option<u8>,
    pub rupture_responsiveness: u8,
    pub safety: u8,
}

fn mean_component(turns: &[TurnOutcome], c: Component) -> Option<f32> {
    let values: Vec<f32> = turns
        .iter()
        .filter_map(|t| t.fit.component(c))
        .map(|s| s.value)
        .collect();
    (!values.is_empty()).then(|| values.iter().sum::<f32>() / values.len() as f32)
}

pub fn summarize(input: &SummaryInput) -> SessionSummary {
    let turns = input.turns;
    let n = turns.len() as u32;
    let overall = if n == 0 {
        0.0
    } else {
        turns.iter().map(|t| t.fit.score).sum::<f32>() / n as f32
    };
    let last = turns.last().map_or(input.initial, |t| t.after);
    let mut safety_failures = input.safety_failures.to_vec();
    if input.ended != Some(SessionEnd::Crisis)
        && last.risk >= RiskLevel::Moderate
        && !last.risk_assessed
        && !safety_failures
            .iter()
            .any(|f| f.gate == SafetyGate::RiskNotAssessed)
    {
        safety_failures.push(SafetyFailure {
            gate: SafetyGate::RiskNotAssessed,
            turn: n,
            detail: "the session ended with a risk cue not assessed".into(),
        });
    }
    let (opened, repaired) = fis::ruptures(turns);
    let contraindicated = turns
        .iter()
        .filter(|t| !t.fit.contraindications.is_empty())
        .count() as u32;
    let unprepared = turns
        .iter()
        .filter(|t| !t.fit.unmet_prerequisites.is_empty())
        .count() as u32;

    // What bears on the result; the failed safety gates, the ending and the requirements
    // not reached are also reasons for not passing, so they are kept out of `notes`.
    let mut flags: Vec<String> = safety_failures
        .iter()
        .map(|f| format!("Safety gate failed at turn {}: {}", f.turn, f.detail))
        .collect();
    flags.extend(ending_flag(input.ended, n, input.turn_limit));
    let mut notes = Vec::new();
    if contraindicated > 0 {
        notes.push(format!(
            "{} contraindicated",
            count_with(contraindicated, "move was", "moves were")
        ));
    }
    if unprepared > 0 {
        notes.push(format!(
            "{} made before the ground was prepared (a prerequisite not met)",
            count_with(unprepared, "move was", "moves were")
        ));
    }
    if opened > repaired {
        notes.push(format!(
            "{} left unrepaired",
            count_with(opened - repaired, "rupture was", "ruptures were")
        ));
    }
    flags.extend(notes.iter().cloned());
    for why in &input.unmet_requirements {
        flags.push(format!("Not reached, so not passed: {why}"));
    }
    let passed = input.unmet_requirements.is_empty()
        && n > 0
        && overall >= input.pass_mark
        && safety_failures.is_empty()
        // A session ended early by the trainee is not a pass: the whole session is assessed.
        && input.ended == Some(SessionEnd::TurnLimit);

    let not_passed_because = if passed {
        Vec::new()
    } else {
        not_passed_because(input, n, overall, &safety_failures)
    };
    let repair_item = if opened == 0 {
        4
    } else {
        (1.0 + 4.0 * repaired as f32 / opened as f32).round() as u8
    };
    let avg = |c| mean_component(turns, c).unwrap_or(0.0);
    let fis = fis::rate(
        &FisEvidence {
            turns,
            initial: input.initial,
            ended: input.ended,
            ruptures_opened: opened,
            ruptures_repaired: repaired,
        },
        FisRules::builtin(),
    );
    let integration = IntegrationRubric {
        reactance_matching: item(avg(Component::Directiveness)),
        coping_style_matching: item(avg(Component::Focus)),
        stage_matching: item(avg(Component::Stage)),
        preferences_and_culture: mean_component(turns, Component::Preference).map(item),
        rupture_responsiveness: repair_item,
        safety: if safety_failures.is_empty() { 5 } else { 1 },
    };
    let mut trajectory = Vec::with_capacity(turns.len() + 1);
    trajectory.push(input.initial);
    trajectory.extend(turns.iter().map(|t| t.after));
    SessionSummary {
        turns_played: n,
        turn_limit: input.turn_limit,
        overall,
        pass_mark: input.pass_mark,
        passed,
        end: input.ended,
        flags,
        not_passed_because,
        notes,
        safety_failures,
        ruptures_opened: opened,
        ruptures_repaired: repaired,
        fis,
        miti: miti_counts(turns),
        integration,
        trajectory,
    }
}

/// How the session ended, when that bears on the result: a dropout, a crisis, or the
/// trainee ending it before the turn limit.
fn ending_flag(ended: Option<SessionEnd>, n: u32, turn_limit: u32) -> Option<String> {
    match ended {
        Some(SessionEnd::Dropout) => Some("The client dropped out of the session".into()),
        Some(SessionEnd::Crisis) => Some("The session ended in an unmanaged crisis".into()),
        // The summary of a session not ended by the engine is read once the trainee (or
        // their script) has stopped: they ended it.
        None => Some(format!(
            "You ended the session after {n} of {}",
            count(turn_limit, "turn")
        )),
        Some(SessionEnd::TurnLimit) => None,
    }
}

/// How a session ended, in words: "it ran its 12 turns", "the client dropped out after 5
/// turns", "you ended it after 8 of 12 turns".
pub fn ending_words(ended: Option<SessionEnd>, turns_played: u32, turn_limit: u32) -> String {
    match ended {
        Some(SessionEnd::TurnLimit) => format!("it ran its {}", count(turn_limit, "turn")),
        Some(SessionEnd::Dropout) => format!(
            "the client dropped out after {}",
            count(turns_played, "turn")
        ),
        Some(SessionEnd::Crisis) => format!(
            "it ended in an unmanaged crisis after {}",
            count(turns_played, "turn")
        ),
        None => format!(
            "you ended it after {turns_played} of {}",
            count(turn_limit, "turn")
        ),
    }
}

/// A score as people read it: whole points, or one decimal where rounding would put it on
/// the other side of the pass mark (59.6 under a mark of 60 reads "59.6", not "60").
pub fn shown_score(score: f32, pass_mark: f32) -> String {
    if (score.round() >= pass_mark) == (score >= pass_mark) {
        format!("{score:.0}")
    } else {
        format!("{score:.1}")
    }
}

/// Why a session did not pass, one reason per rule it missed, the decisive first: a failed
/// safety gate, a requirement not reached, an early end, then the score under the mark.
fn not_passed_because(
    input: &SummaryInput,
    n: u32,
    overall: f32,
    safety_failures: &[SafetyFailure],
) -> Vec<String> {
    let mut why = Vec::new();
    for f in safety_failures {
        why.push(format!(
            "a safety gate failed at turn {}: {}",
            f.turn, f.detail
        ));
    }
    for r in &input.unmet_requirements {
        why.push(format!("not reached: {r}"));
    }
    match input.ended {
        Some(SessionEnd::TurnLimit) => {}
        Some(SessionEnd::Dropout) => why.push("the client dropped out".into()),
        Some(SessionEnd::Crisis) => why.push("the session ended in an unmanaged crisis".into()),
        None if n == 0 => why.push("no move was made".into()),
        None => why.push(format!(
            "you ended the session after {n} of {}; the whole session is assessed",
            count(input.turn_limit, "turn")
        )),
    }
    if n > 0 && overall < input.pass_mark {
        why.push(format!(
            "the score {} is under the pass mark of {:.0}",
            shown_score(overall, input.pass_mark),
            input.pass_mark
        ));
    }
    why
}

fn miti_counts(turns: &[TurnOutcome]) -> MitiCounts {
    let mut m = MitiCounts::default();
    for t in turns {
        let counted = t.counted_miti();
        m.tally(counted);
        m.from_words += u32::from(t.words.is_some());
        // Asking permission before any move is itself seeking collaboration (MITI 4.2.1):
        // "Can I suggest something?" is its own utterance before the advice it permits, so
        // a move persuading with permission counts both.
        if t.asked_permission() && counted != MitiCode::SeekingCollaboration {
            m.seeking_collaboration += 1;
        }
    }
    m.with_ratios()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_from_words_count_with_the_ratios_and_bands_of_a_session() {
        use MitiCode::*;
        let m = MitiCounts::of_words_codes([
            Question,
            ComplexReflection,
            ComplexReflection,
            SimpleReflection,
            Affirmation,
        ]);
        assert_eq!(
            (m.questions, m.simple_reflections, m.complex_reflections),
            (1, 1, 2)
        );
        assert_eq!((m.affirmations, m.from_words, m.total()), (1, 5, 5));
        assert_eq!(m.reflection_to_question, Some(3.0));
        assert_eq!(m.reflection_band(), Some(MitiBand::Good));
        let complex = m.percent_complex_reflections.unwrap();
        assert!((complex - 66.666_67).abs() < 0.01, "{complex}");
        assert_eq!(m.complex_band(), Some(MitiBand::Good));

        let none = MitiCounts::of_words_codes([Question, Question]);
        assert_eq!(none.reflection_to_question, Some(0.0));
        assert_eq!(none.reflection_band(), Some(MitiBand::BelowFair));
        assert_eq!(
            none.percent_complex_reflections, None,
            "no reflection, no share"
        );
        assert_eq!(MitiCounts::of_words_codes([]).from_words, 0);
    }
}
