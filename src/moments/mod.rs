//! Client moments (clinical-model.md section 10): a line can open a moment (change talk, a
//! self-critical split, a withdrawal, a request for guidance, a risk cue...) that stays open
//! until answered or superseded, and while it is open the fit judges the move on how it
//! answers it (responsiveness: Stiles, Honos-Webb & Surko 1998). `kind` is the vocabulary,
//! `book` what each moment calls for and rules out (data), `voice` the feedback's words.

mod book;
mod kind;
mod voice;

pub use book::{
    BookIndex, Call, DEFAULT_MOMENTS_TEXT, Judgement, MarkerMove, MomentBook, MomentRule,
};
pub use kind::{MomentKind, Reaction, Verdict};
pub use voice::{Template, Voice, Words};

use serde::Serialize;

/// The moment open before a move: which, and on which turn's line it opened (0 is the
/// opening line).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct OpenMoment {
    pub kind: MomentKind,
    pub opened: u32,
}
