//! Scoring: how well each move fits this client now (`fit`), and the session's rubrics
//! (`summary`). The weights and constants are data (`config`, `assets/scoring.ron`).

pub mod config;
mod fis;
mod fit;
mod outcome;
mod skills;
mod summary;

pub use config::ScoringConfig;
pub use fis::{FisItem, FisItemText, FisItems, FisRules};
pub use fit::{
    ComponentScore, ComponentScores, Fit, FitInput, MoveProfile, Reason, Repetition, advice,
    score_move,
};
pub use outcome::{SafetyFailure, TurnOutcome, Words};
pub use skills::{Skill, skill_evidence, turn_skill_evidence};
pub use summary::{
    IntegrationRubric, MitiBand, MitiCounts, SessionSummary, SummaryInput, ending_words,
    shown_score, summarize,
};
