//! What a turn produced, as scoring reads it: the move, the fit, the client's line and
//! state before and after, the flags. The engine makes these; the session rubrics (FIS,
//! the integration rubric, the summary) are computed over them.

use serde::Serialize;
use std::sync::Arc;

use crate::model::{
    MitiCode, MomentKind, Reaction, Rupture, SafetyGate, SessionEnd, StateSnapshot, TurnFlag,
};
use crate::scenario::{Choice, Directiveness, Framing};
use crate::scoring::{Fit, MoveProfile};

/// The trainee's own words for a move, as the coder read them (`coding`). They are shown
/// and counted (the MITI counts come from the words when there are words) but never
/// change the move's fit: the engine scores the confirmed choice.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Words {
    pub text: String,
    /// The MITI 4.2.1 behaviour code the words read as.
    pub miti: MitiCode,
    /// The nearest catalogue technique the words read as.
    pub technique: String,
    pub directiveness: Directiveness,
    pub framing: Framing,
    /// The coder's confidence in the code, 0..1.
    pub confidence: f32,
    /// When the words do not do what the confirmed move does: what differs, plainly, with
    /// the MITI definition of what was claimed.
    pub mismatch: Option<String>,
}

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
    /// The trainee's own words for the move, when they typed any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words: Option<Words>,
}

impl TurnOutcome {
    /// The MITI code the turn counts as: the words' code when there are words (what was
    /// said is what MITI codes), else the confirmed technique's.
    pub fn counted_miti(&self) -> MitiCode {
        self.words.as_ref().map_or(self.miti, |w| w.miti)
    }

    /// Whether the turn asked permission: in the words when there are words (a request, so
    /// with a question: "since you asked" or "now that you've agreed" tell of a permission
    /// given, and ask nothing), else in the move.
    pub fn asked_permission(&self) -> bool {
        self.words
            .as_ref()
            .map_or(self.move_profile.asked_permission, |w| {
                w.directiveness == Directiveness::AskPermission && w.text.contains('?')
            })
    }

    pub fn has_flag(&self, f: impl Fn(&TurnFlag) -> bool) -> bool {
        self.flags.iter().any(f)
    }
}
