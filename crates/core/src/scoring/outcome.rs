//! What a turn produced, as scoring reads it: the move, the fit, the client's line and
//! state before and after, the flags. The engine makes these; the session rubrics (FIS,
//! the integration rubric, the summary) are computed over them.

use serde::Serialize;
use std::sync::Arc;

use crate::model::{
    MitiCode, MomentKind, Reaction, Rupture, SafetyGate, SessionEnd, StateSnapshot, TurnFlag,
};
use crate::scenario::Choice;
use crate::scoring::{Fit, MoveProfile};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SafetyFailure {
    pub gate: SafetyGate,
    pub turn: u32,
    pub detail: String,
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
