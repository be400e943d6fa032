//! The trainee's screens as plain functions over plain data: each draws with egui and
//! returns what the trainee asked for as `UiAction`s. A screen takes a view model the app
//! builds (`app::screens`: `SessionView`, `DebriefView`, `PackView`, library cards) or the
//! scenario as written, never a session or a turn's outcome: nothing here names the
//! engine (`tests/suite/layers.rs` and `screens.rs` check it). So the screens are driven in
//! tests by `egui_kittest` without a window.

pub mod briefing;
pub mod class_debrief;
pub mod class_vote;
pub mod course;
pub mod debrief;
pub mod drill;
pub mod fonts;
pub mod learner_picker;
pub mod library;
pub mod pack;
pub mod portrait;
pub mod progress;
pub mod projector;
pub mod session;
pub mod theme;
pub mod when;
pub mod widgets;
pub mod words_box;

use crate::model::Mode;
use crate::scenario::Choice;

/// What the trainee asked for on a screen.
#[derive(Clone, Debug, PartialEq)]
pub enum UiAction {
    /// Open the briefing of the library entry with this path.
    OpenBriefing(String),
    /// Start a session with the selected client.
    Start {
        mode: Mode,
        seed: u64,
    },
    /// Start a practice session with the selected client, shown on the projector screen
    /// for a class.
    StartClassroom {
        seed: u64,
    },
    Play(Choice),
    /// End the session now and go to the debrief.
    EndSession,
    /// Open a new branch from just after this many turns, and play on from there.
    Rewind(usize),
    SwitchBranch(usize),
    BackToLibrary,
    /// Change the text size (a zoom factor) and remember it.
    SetTextScale(f32),
    /// How much sessions ask for the trainee's own words (the learner's setting).
    SetWordsMode(crate::coding::WordsMode),
    /// Practise as this learner (a name or id; empty for none) and remember it.
    SetLearner(String),
    /// Show the practising learner's progress.
    OpenProgress,
    /// Open the assessment pack in this file.
    OpenPack(String),
    /// Begin the opened pack as this learner (the name or id as typed).
    BeginSitting(String),
    /// Go on to the next client of the pack.
    NextClient,
    /// Take up an interrupted attempt, by its id.
    ResumeAttempt(String),
    /// Delete an interrupted practice attempt, by its id.
    DiscardAttempt(String),
    /// Take up an interrupted assessment sitting, by its id.
    ResumeSitting(String),
    /// Open the debrief of a finished attempt, by its id (a pack's client, at the end).
    ReviewAttempt(String),
    /// Open the class vote on the projector, its page served on this address only.
    OpenVoting(std::net::IpAddr),
    /// Close the class's vote on this turn: no more votes; the choices are shown.
    CloseVote,
    /// Show or hide the fit each move the class chose would have had.
    RevealFits,
    /// Stop the class vote: its page's server stops.
    StopVoting,
    /// Open the course screen: where the learner stands on the course.
    OpenCourse,
    /// Open the course's drill with this step id.
    OpenDrill(String),
    /// Answer the drill open with this move (it is not played in any session).
    AnswerDrill(Choice),
    /// The same drill again, the client's words varied.
    DrillAgain,
    /// Write the class's votes shown on the debrief as JSON and CSV in the data folder.
    ExportClassResults,
}
