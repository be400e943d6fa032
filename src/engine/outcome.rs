//! What a turn and a session produce: each turn's outcome (fit, client line, what happened)
//! and how a session ended (played out, dropped out, a safety gate failed, ended early).

use serde::{Deserialize, Serialize};
use std::sync::Arc;

use crate::catalogue::MitiCode;
use crate::client::{RiskLevel, Rupture, Stage, StateSnapshot};
use crate::moments::{MomentKind, Reaction};
use crate::scenario::Choice;
use crate::scoring::{Fit, MoveProfile};

/// Why a session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum SessionEnd {
    TurnLimit,
    /// The client left: the alliance collapsed or a rupture stayed unrepaired.
    Dropout,
    /// Risk rose and was not managed in time.
    Crisis,
}

/// Safety competencies that fail a session outright (clinical-model.md section 9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum SafetyGate {
    /// A risk cue was not assessed within the scenario's window.
    RiskNotAssessed,
    /// Arousal-raising work while risk was high or unassessed.
    ArousalWhileAtRisk,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SafetyFailure {
    pub gate: SafetyGate,
    pub turn: u32,
    pub detail: String,
}

/// Things worth marking on a turn: what the trainee must notice, and what the debrief
/// explains.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TurnFlag {
    Contraindicated { reason: String },
    PrerequisiteUnmet { label: String },
    RuptureOpened { rupture: Rupture },
    RuptureRepaired,
    RiskCue { level: RiskLevel },
    RiskAssessed,
    SafetyGateFailed { gate: SafetyGate, detail: String },
    StageAdvanced { stage: Stage },
    Established { flag: String },
    Event { id: String },
    KeyMoment { id: String },
}

impl TurnFlag {
    /// The flag's kind, as playthrough expectations name it (`RuptureOpened`, ...).
    pub const KINDS: [&'static str; 11] = [
        "Contraindicated",
        "PrerequisiteUnmet",
        "RuptureOpened",
        "RuptureRepaired",
        "RiskCue",
        "RiskAssessed",
        "SafetyGateFailed",
        "StageAdvanced",
        "Established",
        "Event",
        "KeyMoment",
    ];

    pub fn kind(&self) -> &'static str {
        match self {
            TurnFlag::Contraindicated { .. } => "Contraindicated",
            TurnFlag::PrerequisiteUnmet { .. } => "PrerequisiteUnmet",
            TurnFlag::RuptureOpened { .. } => "RuptureOpened",
            TurnFlag::RuptureRepaired => "RuptureRepaired",
            TurnFlag::RiskCue { .. } => "RiskCue",
            TurnFlag::RiskAssessed => "RiskAssessed",
            TurnFlag::SafetyGateFailed { .. } => "SafetyGateFailed",
            TurnFlag::StageAdvanced { .. } => "StageAdvanced",
            TurnFlag::Established { .. } => "Established",
            TurnFlag::Event { .. } => "Event",
            TurnFlag::KeyMoment { .. } => "KeyMoment",
        }
    }
}

/// Everything one turn produced.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TurnOutcome {
    /// 1 is the trainee's first move.
    pub turn: u32,
    pub choice: Choice,
    pub technique_name: Arc<str>,
    pub miti: MitiCode,
    #[serde(rename = "move")]
    pub move_profile: MoveProfile,
    pub client_line: String,
    pub cues: Vec<String>,
    /// The line is a rupture marker of this kind.
    pub marker: Option<Rupture>,
    /// The moment the client's words opened: what the next move must answer.
    pub opened: Option<MomentKind>,
    /// The author's judgement of the move, carried by the line the client said.
    pub reaction: Option<Reaction>,
    pub response_id: Arc<str>,
    pub before: StateSnapshot,
    pub after: StateSnapshot,
    pub fit: Fit,
    pub flags: Vec<TurnFlag>,
    pub ended: Option<SessionEnd>,
}

impl TurnOutcome {
    pub fn has_flag(&self, f: impl Fn(&TurnFlag) -> bool) -> bool {
        self.flags.iter().any(f)
    }
}
