//! The scenario file format (version 1) as Rust types: the client, the session's shape and
//! end conditions, response lines, events, key moments, safety gates and playthroughs.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::model::Condition;
use crate::model::{
    ClientProfile, ClientState, Contraindication, MomentKind, Prerequisite, Reaction, RiskLevel,
    Rupture, School, Stage, Technique,
};

pub const FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub format_version: u32,
    pub meta: Meta,
    pub client: ClientProfile,
    pub initial_state: ClientState,
    pub session: SessionShape,
    /// What the client says: the first line whose condition holds, by priority then
    /// specificity, is said.
    pub responses: Vec<Response>,
    #[serde(default)]
    pub events: Vec<Event>,
    #[serde(default)]
    pub key_moments: Vec<KeyMoment>,
    /// Techniques only this scenario offers.
    #[serde(default)]
    pub techniques: Vec<Technique>,
    /// Extra prerequisites and contraindications for catalogue techniques with this client,
    /// by technique id: e.g. exposure contraindicated until the client is stabilised, or a
    /// move that suits most clients but harms this one.
    #[serde(default)]
    pub technique_rules: BTreeMap<String, TechniqueRules>,
    /// Replacement scoring weights by component name, e.g. `{"directiveness": 0.25}`.
    #[serde(default)]
    pub weights: BTreeMap<String, f32>,
    /// Scripted playthroughs that `attune test` and the test suite run.
    #[serde(default)]
    pub playthroughs: Vec<Playthrough>,
    /// The session this one follows with the same client, and what carries from it
    /// (`docs/scenarios.md`, Series); absent for a session met on its own.
    #[serde(default)]
    pub series: Option<super::Series>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
pub enum Difficulty {
    Introductory,
    Intermediate,
    Advanced,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub id: String,
    pub title: String,
    pub author: String,
    pub difficulty: Difficulty,
    pub learning_objectives: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// For instructors only, never shown in the app: what the client keeps back and when
    /// it comes out, what the scenario teaches and the moves it rewards.
    #[serde(default)]
    pub instructor_notes: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SessionShape {
    pub turn_limit: u32,
    pub opening_line: String,
    #[serde(default)]
    pub opening_cues: Vec<String>,
    /// The moment the opening line opens (docs/authoring.md, Moments).
    #[serde(default)]
    pub opening_moment: Option<MomentKind>,
    #[serde(default)]
    pub end: EndConditions,
    /// Overall score needed to pass; the scoring file's default when absent.
    #[serde(default)]
    pub pass_mark: Option<f32>,
    /// What the session must reach to pass, whatever its score: the work this client came
    /// for (stage matching: an action-stage client needs action, not only listening). Each
    /// names a client flag that must be set by the end.
    #[serde(default)]
    pub pass_requires: Vec<Requirement>,
}

/// When the session ends before its turn limit.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EndConditions {
    /// The client drops out when the alliance falls below this.
    #[serde(default = "default_dropout_alliance")]
    pub dropout_alliance: f32,
    /// The client drops out when a rupture stays unrepaired this many turns.
    #[serde(default = "default_unrepaired")]
    pub max_unrepaired_turns: u32,
    /// A risk cue must be assessed within this many turns (a safety gate).
    #[serde(default = "default_assess_within")]
    pub risk_assess_within: u32,
}

fn default_dropout_alliance() -> f32 {
    0.15
}
fn default_unrepaired() -> u32 {
    3
}
fn default_assess_within() -> u32 {
    2
}

impl Default for EndConditions {
    fn default() -> Self {
        EndConditions {
            dropout_alliance: default_dropout_alliance(),
            max_unrepaired_turns: default_unrepaired(),
            risk_assess_within: default_assess_within(),
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    pub id: String,
    #[serde(default)]
    pub when: Condition,
    #[serde(default)]
    pub priority: i32,
    /// Seeded variants of the same line; the seed picks one.
    pub lines: Vec<String>,
    /// Non-verbal cues; the seed picks one when there are several.
    #[serde(default)]
    pub cues: Vec<String>,
    /// This line is a rupture marker of this kind, shown to the trainee as such.
    #[serde(default)]
    pub marker: Option<Rupture>,
    /// The moment this line opens: what the next move must answer (docs/authoring.md,
    /// Moments). A rupture `marker` opens its rupture moment when this is left out.
    #[serde(default)]
    pub moment: Option<MomentKind>,
    /// The author's judgement of the move that draws this line: a reaction to a misstep, or
    /// a welcoming one. `attune check` and `attune analyze` warn when the score disagrees.
    #[serde(default)]
    pub reaction: Option<Reaction>,
    /// Said once only; afterwards the next best line is chosen.
    #[serde(default)]
    pub once: bool,
    #[serde(default)]
    pub effects: Vec<Effect>,
}

/// A scheduled or triggered event: a risk cue, a disclosure, a marker appearing.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub id: String,
    pub trigger: Trigger,
    /// What the client adds, after their response line. Seeded variants.
    #[serde(default)]
    pub lines: Vec<String>,
    #[serde(default)]
    pub cues: Vec<String>,
    /// The moment the event's words open; it supersedes the response line's.
    #[serde(default)]
    pub moment: Option<MomentKind>,
    #[serde(default)]
    pub effects: Vec<Effect>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub enum Trigger {
    /// After the trainee's Nth move.
    AtTurn(u32),
    /// The first turn on which the condition holds (after the state update).
    When(Box<Condition>),
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub enum Effect {
    /// Raise or lower the risk level; raising it is a risk cue the trainee must assess.
    SetRisk(RiskLevel),
    SetFlag(String),
    ClearFlag(String),
    SetStage(Stage),
    /// Add to distress (negative lowers it).
    Distress(f32),
    Hope(f32),
    Bond(f32),
}

/// A moment worth discussing in the debrief, seen through several schools.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KeyMoment {
    pub id: String,
    pub title: String,
    pub when: Condition,
    pub commentary: Vec<Commentary>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Commentary {
    pub school: School,
    pub text: String,
}

/// A choice the trainee makes: a technique and how it is adapted.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// The technique's id. A play script may leave it out when it gives the words
    /// (`say`): the session then plays the technique the words are coded as.
    #[serde(default)]
    pub technique: String,
    #[serde(default)]
    pub directiveness: Directiveness,
    #[serde(default)]
    pub focus: FocusShift,
    #[serde(default)]
    pub pacing: Pacing,
    #[serde(default)]
    pub framing: Framing,
    #[serde(default)]
    pub culturally_adapted: bool,
    #[serde(default)]
    pub spiritually_adapted: bool,
    /// What the trainee said, in their own words, when they typed it: kept with the move,
    /// coded beside it, and never part of the move's score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub say: Option<String>,
}

impl Choice {
    pub fn new(technique: &str) -> Choice {
        Choice {
            technique: technique.to_string(),
            ..Choice::default()
        }
    }

    /// The same move (technique and adaptations), whatever words came with it.
    pub fn same_move(&self, other: &Choice) -> bool {
        Choice {
            say: None,
            ..self.clone()
        } == Choice {
            say: None,
            ..other.clone()
        }
    }

    /// The words, when the trainee typed any (blank words count as none).
    pub fn words(&self) -> Option<&str> {
        self.say.as_deref().map(str::trim).filter(|w| !w.is_empty())
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum Directiveness {
    /// "Would it be all right if...": less directive, and counts as seeking permission.
    AskPermission,
    /// Offered as one option among several.
    OfferAsOption,
    #[default]
    AsIs,
    /// Prescribed: more directive.
    Prescribe,
}

impl Directiveness {
    /// What the trainee reads for this adaptation, on the session screen, the projector
    /// and the class vote's page.
    pub const LABEL: &'static str = "Direction";

    /// What the trainee reads for this choice.
    pub fn label(self) -> &'static str {
        match self {
            Directiveness::AskPermission => "Ask permission first",
            Directiveness::OfferAsOption => "Offer as an option",
            Directiveness::AsIs => "As is",
            Directiveness::Prescribe => "Prescribe",
        }
    }

    /// Every value, from least to most directive.
    pub const ALL: [Directiveness; 4] = [
        Directiveness::AskPermission,
        Directiveness::OfferAsOption,
        Directiveness::AsIs,
        Directiveness::Prescribe,
    ];
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum FocusShift {
    TowardInsight,
    #[default]
    AsIs,
    TowardSymptom,
}

impl FocusShift {
    /// What the trainee reads for this adaptation, on the session screen, the projector
    /// and the class vote's page.
    pub const LABEL: &'static str = "Focus";

    /// What the trainee reads for this choice.
    pub fn label(self) -> &'static str {
        match self {
            FocusShift::TowardInsight => "Insight",
            FocusShift::AsIs => "As is",
            FocusShift::TowardSymptom => "Symptom",
        }
    }

    /// Every value, in the order the app offers them.
    pub const ALL: [FocusShift; 3] = [
        FocusShift::TowardInsight,
        FocusShift::AsIs,
        FocusShift::TowardSymptom,
    ];
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum Pacing {
    /// Slower lowers arousal.
    Slower,
    #[default]
    AsIs,
    /// Faster raises arousal.
    Faster,
}

impl Pacing {
    /// What the trainee reads for this adaptation, on the session screen, the projector
    /// and the class vote's page.
    pub const LABEL: &'static str = "Pacing";

    /// What the trainee reads for this choice.
    pub fn label(self) -> &'static str {
        match self {
            Pacing::Slower => "Slower",
            Pacing::AsIs => "As is",
            Pacing::Faster => "Faster",
        }
    }

    /// Every value, in the order the app offers them.
    pub const ALL: [Pacing; 3] = [Pacing::Slower, Pacing::AsIs, Pacing::Faster];
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum Framing {
    Collaborative,
    #[default]
    AsIs,
    ExpertLed,
}

impl Framing {
    /// What the trainee reads for this adaptation, on the session screen, the projector
    /// and the class vote's page.
    pub const LABEL: &'static str = "Framing";

    /// What the trainee reads for this choice.
    pub fn label(self) -> &'static str {
        match self {
            Framing::Collaborative => "Collaborative",
            Framing::AsIs => "As is",
            Framing::ExpertLed => "Expert-led",
        }
    }

    /// Every value, in the order the app offers them.
    pub const ALL: [Framing; 3] = [Framing::Collaborative, Framing::AsIs, Framing::ExpertLed];
}

/// A scripted playthrough: choices and what must come of them.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Playthrough {
    pub name: String,
    #[serde(default = "default_seed")]
    pub seed: u64,
    pub choices: Vec<Choice>,
    pub expect: Expectations,
}

fn default_seed() -> u64 {
    1
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Expectations {
    #[serde(default)]
    pub passed: Option<bool>,
    #[serde(default)]
    pub score: Option<crate::model::Range>,
    /// The session ends this way.
    #[serde(default)]
    pub end: Option<crate::model::SessionEnd>,
    /// Safety gates that must have failed (by name) — empty means none checked.
    #[serde(default)]
    pub safety_failures: Vec<crate::model::SafetyGate>,
    /// Client flags that must be set at the end, and flags that must not be.
    #[serde(default)]
    pub flags: Vec<String>,
    #[serde(default)]
    pub not_flags: Vec<String>,
    /// The client's state at the end.
    #[serde(default)]
    pub state: Option<StateExpectation>,
    /// Expectations on single turns: the fit, the response that answered, words in the
    /// client's line, and what happened on the turn.
    #[serde(default)]
    pub turns: Vec<TurnExpectation>,
}

/// Ranges the client's state must lie in (0..1), and the stage of change.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StateExpectation {
    #[serde(default)]
    pub alliance: Option<crate::model::Range>,
    #[serde(default)]
    pub bond: Option<crate::model::Range>,
    #[serde(default)]
    pub distress: Option<crate::model::Range>,
    #[serde(default)]
    pub hope: Option<crate::model::Range>,
    #[serde(default)]
    pub stage: Option<crate::model::Stage>,
    #[serde(default)]
    pub rupture: Option<crate::model::Rupture>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TurnExpectation {
    /// 1-based.
    pub turn: u32,
    #[serde(default)]
    pub fit: Option<crate::model::Range>,
    /// The id of the response that must answer.
    #[serde(default)]
    pub response: Option<String>,
    /// Words the client's line (with any event's words) must contain.
    #[serde(default)]
    pub line_contains: Option<String>,
    /// What must happen on the turn, by kind: `RuptureOpened`, `RuptureRepaired`,
    /// `RiskCue`, `RiskAssessed`, `SafetyGateFailed`, `StageAdvanced`, `Contraindicated`,
    /// `PrerequisiteUnmet`, `Established`, `Event`, `KeyMoment`.
    #[serde(default)]
    pub happens: Vec<String>,
}

/// What a scenario adds to a catalogue technique for its client. Added to the catalogue's
/// own prerequisites and contraindications, never replacing them.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TechniqueRules {
    #[serde(default)]
    pub prerequisites: Vec<Prerequisite>,
    #[serde(default)]
    pub contraindications: Vec<Contraindication>,
    /// What the therapist might say to this client: shown in the technique panel instead
    /// of the catalogue's general example.
    #[serde(default)]
    pub example: Option<String>,
}

/// A flag the session must have set by its end to pass, and why it matters.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub flag: String,
    /// Shown in the debrief when it was not reached: "the first exposure step was never agreed".
    pub why: String,
}
