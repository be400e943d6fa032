//! What the screens share: the trainee's actions as messages, the practice run and the
//! assessment pack, and `Desk`, the moves more than one screen's handler makes (saving
//! what was played, leaving a session, meeting a sitting's next client, replaying saved
//! turns). Each screen handles its own messages, in `screens/`.

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;

use super::ScenarioLibrary;
use super::records::{Finished, Records};
use super::screens::Screen;
use crate::analysis::ClassRound;
use crate::assessment::{self, AssessmentPack, PackRef, Sitting};
use crate::engine::BranchedSession;
use crate::model::Mode;
use crate::records::Unfinished;
use crate::scenario::Choice;
use crate::ui::UiAction;

/// A trainee action, from the screens, the keyboard, a script or a test.
#[derive(Message, Clone, Debug, PartialEq)]
pub struct AppCommand(pub UiAction);

#[derive(Clone, Debug)]
pub struct PracticeRun {
    /// The library entry being played.
    pub path: String,
    pub run: BranchedSession,
}

#[derive(Resource, Default)]
pub struct Practice {
    /// The library entry whose briefing is open.
    pub selected: Option<String>,
    pub run: Option<PracticeRun>,
    /// The run is a class's, shown on the projector screen rather than the session screen.
    pub classroom: bool,
    /// The class's votes on the run's turns, a round for each turn the class voted on.
    pub class_rounds: Vec<ClassRound>,
    /// What the debrief's last "Export class results" wrote (the files), or why it failed.
    pub class_export: Option<Result<Vec<String>, String>>,
}

/// The assessment pack opened and the sitting under way, if any.
#[derive(Resource, Default)]
pub struct PackDesk {
    /// The pack and the file it was opened from.
    pub opened: Option<(AssessmentPack, String)>,
    pub sitting: Option<Sitting>,
    /// The 1-based position of the client being met in the sitting.
    pub current: Option<usize>,
    /// What went wrong with the last pack or resume asked for, shown on the library.
    pub problems: Vec<String>,
    /// Why the learner's name was refused.
    pub learner_problem: Option<String>,
}

pub fn plugin(app: &mut App) {
    app.init_resource::<Practice>()
        .init_resource::<PackDesk>()
        .add_message::<AppCommand>()
        .configure_sets(Update, HandleCommands.after(super::library::LibrarySync));
}

/// The screens' handlers of `AppCommand`, after the library has taken in its files.
#[derive(SystemSet, Clone, Debug, PartialEq, Eq, Hash)]
pub struct HandleCommands;

/// Recorded choices and what replaying them needs.
pub struct Played<'a> {
    pub scenario_id: &'a str,
    pub content_hash: &'a str,
    pub seed: u64,
    pub mode: Mode,
    pub choices: &'a [Choice],
    pub pass_mark: Option<f32>,
    /// The earlier session it continued, when it began where that one left the client.
    pub continues: Option<&'a crate::records::Continued>,
}

impl<'a> Played<'a> {
    pub fn unfinished(u: &'a Unfinished, pass_mark: Option<f32>) -> Played<'a> {
        Played {
            scenario_id: &u.scenario_id,
            content_hash: &u.content_hash,
            seed: u.seed,
            mode: u.mode,
            choices: &u.choices,
            pass_mark,
            continues: u.continues.as_ref(),
        }
    }
}

/// What a screen's handler may change: the run, the records, the pack and the screen.
#[derive(SystemParam)]
pub struct Desk<'w> {
    pub library: Res<'w, ScenarioLibrary>,
    pub practice: ResMut<'w, Practice>,
    pub records: ResMut<'w, Records>,
    pub packs: ResMut<'w, PackDesk>,
    next: ResMut<'w, NextState<Screen>>,
    state: Res<'w, State<Screen>>,
}

impl Desk<'_> {
    /// Goes to `screen` at the next frame's state transition.
    pub fn go(&mut self, screen: Screen) {
        self.next.set(screen);
    }

    /// The screen shown, or the one asked for this frame.
    pub fn screen(&self) -> Screen {
        match *self.next {
            NextState::Pending(s) | NextState::PendingIfNeq(s) => s,
            NextState::Unchanged => *self.state.get(),
        }
    }

    /// Saves the first branch's new turns; seals the attempt when it is over.
    pub fn save(&mut self, closing: bool) {
        let Some(run) = self.practice.run.as_ref() else {
            return;
        };
        if let Some(finished) = self.records.sync(run, closing) {
            self.finished(finished);
        }
    }

    fn finished(&mut self, finished: Finished) {
        let packs = &mut *self.packs;
        let Some(sitting) = packs.sitting.as_mut() else {
            return;
        };
        if packs.current.take().is_none() {
            return;
        }
        if sitting.client_done(finished.sitting_item(), assessment::now_unix()) {
            let id = sitting.id.clone();
            self.records.finish_sitting(&id);
        }
    }

    /// After a session: the debrief, or the pack's progress in a sitting.
    pub fn leave_session(&mut self) {
        if self.packs.sitting.is_some() {
            self.practice.run = None;
            self.practice.selected = None;
            self.go(Screen::Pack);
        } else {
            self.go(Screen::Debrief);
        }
    }

    /// Opens the briefing of the sitting's next client, or stays on the pack's screen
    /// when the sitting is over.
    pub fn next_client(&mut self) {
        let Some(sitting) = self.packs.sitting.as_ref() else {
            return;
        };
        let Some((_, item)) = sitting.next(assessment::now_unix()) else {
            let id = sitting.id.clone();
            self.records.finish_sitting(&id);
            self.go(Screen::Pack);
            return;
        };
        match self.library.by_id(&item.scenario) {
            Some(entry) => {
                self.practice.selected = Some(entry.path.clone());
                self.go(Screen::Briefing);
            }
            None => {
                self.packs.problems = vec![format!(
                    "scenario `{}` of the pack is no longer in the library",
                    item.scenario
                )];
                self.go(Screen::Pack);
            }
        }
    }

    /// Replays recorded choices on the scenario they were played on (matched by content
    /// hash), with a pack's pass mark when there was one, from where the earlier session
    /// they continued left the client when they continued one; `doing` names what for, in the
    /// message shown when it cannot be done.
    pub fn replay(&mut self, played: Played, doing: &str) -> Option<PracticeRun> {
        let Some(entry) = self.library.by_hash(played.content_hash) else {
            self.packs.problems = vec![format!(
                "The session with `{}` cannot be {doing}: its scenario file has changed since it was played.",
                played.scenario_id
            )];
            return None;
        };
        let library = &self.library;
        let find = |hash: &str| library.by_hash(hash).and_then(|e| e.scenario.clone());
        let replayed = match crate::records::replay_attempt(
            entry.scenario.as_ref()?,
            played.pass_mark,
            played.seed,
            played.choices,
            played.continues,
            &find,
        ) {
            Ok(replayed) => replayed,
            Err(why) => {
                self.packs.problems = vec![format!(
                    "The session with `{}` cannot be {doing}: {why}.",
                    played.scenario_id
                )];
                return None;
            }
        };
        let session = match replayed.whole() {
            Ok(session) => session,
            Err(stopped) => {
                self.packs.problems = vec![format!(
                    "The saved turns no longer replay: {}",
                    stopped.error
                )];
                return None;
            }
        };
        let run = PracticeRun {
            path: entry.path.clone(),
            run: BranchedSession {
                mode: played.mode,
                branches: vec![crate::engine::Branch {
                    session,
                    parent: None,
                }],
                current: 0,
            },
        };
        self.practice.selected = Some(entry.path.clone());
        Some(run)
    }

    /// Carries on an interrupted attempt, replayed, where it stopped; one interrupted after
    /// its last turn was saved but before its result was is sealed now.
    pub fn take_up(&mut self, run: PracticeRun, u: &Unfinished, pack: Option<PackRef>) {
        self.records.resume(u, pack);
        self.practice.run = Some(run);
        self.practice.classroom = false;
        self.practice.class_rounds.clear();
        self.practice.class_export = None;
        self.go(Screen::Session);
        self.save(false);
        if self
            .practice
            .run
            .as_ref()
            .is_some_and(|r| r.run.session().ended().is_some())
        {
            self.leave_session();
        }
    }
}
