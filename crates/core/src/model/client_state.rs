//! The client's live state: stage of change, alliance, distress, hope, rupture and risk,
//! as it moves turn by turn, and a snapshot of it for the debrief's trajectories.

use serde::{Deserialize, Serialize};

/// Transtheoretical stages of change (Prochaska & DiClemente), in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum Stage {
    Precontemplation,
    Contemplation,
    Preparation,
    Action,
    Maintenance,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Precontemplation,
        Stage::Contemplation,
        Stage::Preparation,
        Stage::Action,
        Stage::Maintenance,
    ];

    pub fn index(self) -> i32 {
        self as i32
    }

    pub fn next(self) -> Stage {
        match self {
            Stage::Precontemplation => Stage::Contemplation,
            Stage::Contemplation => Stage::Preparation,
            Stage::Preparation => Stage::Action,
            Stage::Action | Stage::Maintenance => Stage::Maintenance,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Precontemplation => "precontemplation",
            Stage::Contemplation => "contemplation",
            Stage::Preparation => "preparation",
            Stage::Action => "action",
            Stage::Maintenance => "maintenance",
        }
    }
}

/// An alliance rupture (Safran & Muran): none, withdrawal or confrontation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum Rupture {
    #[default]
    None,
    Withdrawal,
    Confrontation,
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize,
)]
pub enum RiskLevel {
    #[default]
    None,
    Low,
    Moderate,
    High,
    Imminent,
}

impl RiskLevel {
    pub fn lower(self) -> RiskLevel {
        match self {
            RiskLevel::None => RiskLevel::None,
            RiskLevel::Low | RiskLevel::Moderate => RiskLevel::Low,
            RiskLevel::High => RiskLevel::Moderate,
            RiskLevel::Imminent => RiskLevel::High,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RiskLevel::None => "none",
            RiskLevel::Low => "low",
            RiskLevel::Moderate => "moderate",
            RiskLevel::High => "high",
            RiskLevel::Imminent => "imminent",
        }
    }
}

/// The live client state. Everything here is 0..1 unless said otherwise.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClientState {
    /// The three alliance components (Bordin): bond, agreement on goals, agreement on tasks.
    pub bond: f32,
    pub goals: f32,
    pub tasks: f32,
    pub distress: f32,
    pub hope: f32,
    pub stage: Stage,
    /// State reactance; when absent in a scenario it starts at the trait value.
    #[serde(default)]
    pub reactance: Option<f32>,
    #[serde(default)]
    pub rupture: Rupture,
    /// Risk now; when absent it starts at the risk profile's level.
    #[serde(default)]
    pub risk: Option<RiskLevel>,
    #[serde(default)]
    pub risk_assessed: bool,
    /// Prerequisites already met and markers already present at the start, e.g.
    /// "rationale_given".
    #[serde(default)]
    pub flags: Vec<String>,
    /// Accumulated strain from misfit; a rupture opens when it crosses the threshold.
    #[serde(default)]
    pub strain: f32,
    /// Progress toward the next stage of change, 0..1.
    #[serde(default)]
    pub stage_progress: f32,
}

impl ClientState {
    pub fn alliance(&self) -> f32 {
        (self.bond + self.goals + self.tasks) / 3.0
    }

    pub fn reactance(&self) -> f32 {
        self.reactance.unwrap_or(0.5)
    }

    pub fn risk(&self) -> RiskLevel {
        self.risk.unwrap_or_default()
    }

    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }

    pub fn set_flag(&mut self, flag: &str) {
        if !self.has_flag(flag) {
            self.flags.push(flag.to_string());
        }
    }

    pub fn clear_flag(&mut self, flag: &str) {
        self.flags.retain(|f| f != flag);
    }

    pub fn snapshot(&self) -> StateSnapshot {
        StateSnapshot {
            bond: self.bond,
            goals: self.goals,
            tasks: self.tasks,
            alliance: self.alliance(),
            distress: self.distress,
            hope: self.hope,
            reactance: self.reactance(),
            stage: self.stage,
            rupture: self.rupture,
            risk: self.risk(),
            risk_assessed: self.risk_assessed,
        }
    }
}

/// The meters at one moment, small and copyable, for transcripts and plots.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct StateSnapshot {
    pub bond: f32,
    pub goals: f32,
    pub tasks: f32,
    pub alliance: f32,
    pub distress: f32,
    pub hope: f32,
    pub reactance: f32,
    pub stage: Stage,
    pub rupture: Rupture,
    pub risk: RiskLevel,
    pub risk_assessed: bool,
}
