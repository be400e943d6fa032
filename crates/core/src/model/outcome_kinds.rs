//! The names a turn's and a session's outcome use: how a session ended, the safety gates,
//! and the flags a turn can carry. They sit in the model because scenario files name them
//! (a playthrough expects `Crisis` or a `RuptureOpened` flag), below the engine that
//! produces them.

use serde::{Deserialize, Serialize};

use super::{RiskLevel, Rupture, Stage};

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
