//! A class's vote on the moves of a session played on the projector: for each turn the class
//! voted on, how many voted and each move they voted for with its count. The app gathers a
//! round from the class vote's ballot box when the instructor plays the turn; the records
//! keep the rounds with the attempt; the class debrief sets them beside the fit each move
//! would have had and the move played.

use serde::{Deserialize, Serialize};

use crate::scenario::Choice;

/// One round of a class vote: the votes on the move played at `turn`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassRound {
    /// The turn voted on (1 is the first move).
    pub turn: u32,
    /// The devices that voted.
    pub voters: usize,
    /// Each move voted for and its count, most votes first.
    pub options: Vec<VotedMove>,
}

/// A move the class voted for and how many voted for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VotedMove {
    pub choice: Choice,
    pub votes: usize,
}
