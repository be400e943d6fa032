//! The screens as states and the trainee's actions as messages: the one place where a
//! choice on screen becomes a change in the session, and where each change is recorded.

use bevy::prelude::*;

use super::ScenarioLibrary;
use super::records::{Finished, Records};
use crate::assessment::{self, AssessmentPack, Available, PackRef, Sitting};
use crate::engine::{BranchedSession, Mode};
use crate::records::Unfinished;
use crate::scenario::Choice;
use crate::ui::UiAction;

#[derive(States, Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Screen {
    #[default]
    Library,
    Briefing,
    Session,
    Debrief,
    /// An assessment pack: who is taking it, progress between clients, the results.
    Pack,
}

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
    app.init_state::<Screen>()
        .init_resource::<Practice>()
        .init_resource::<PackDesk>()
        .add_message::<AppCommand>()
        .add_systems(
            Update,
            (end_session_when_time_is_up, handle_commands)
                .chain()
                .after(super::library::LibrarySync),
        );
}

/// Recorded choices and what replaying them needs.
struct Played<'a> {
    scenario_id: &'a str,
    content_hash: &'a str,
    seed: u64,
    mode: Mode,
    choices: &'a [Choice],
    pass_mark: Option<f32>,
}

impl<'a> Played<'a> {
    fn unfinished(u: &'a Unfinished, pass_mark: Option<f32>) -> Played<'a> {
        Played {
            scenario_id: &u.scenario_id,
            content_hash: &u.content_hash,
            seed: u.seed,
            mode: u.mode,
            choices: &u.choices,
            pass_mark,
        }
    }
}

/// Everything a command may change.
struct Desk<'a> {
    library: &'a ScenarioLibrary,
    practice: &'a mut Practice,
    records: &'a mut Records,
    packs: &'a mut PackDesk,
    next: &'a mut NextState<Screen>,
    screen: Screen,
}

fn handle_commands(
    mut commands: MessageReader<AppCommand>,
    library: Res<ScenarioLibrary>,
    mut practice: ResMut<Practice>,
    mut records: ResMut<Records>,
    mut packs: ResMut<PackDesk>,
    mut next: ResMut<NextState<Screen>>,
    screen: Res<State<Screen>>,
) {
    let mut desk = Desk {
        library: &library,
        practice: &mut practice,
        records: &mut records,
        packs: &mut packs,
        next: &mut next,
        screen: *screen.get(),
    };
    for AppCommand(action) in commands.read() {
        desk.handle(action);
    }
}

/// A pack named on the command line, opened once the library has loaded.
#[derive(Resource)]
struct PendingPack {
    path: Option<String>,
    /// Frames seen since the library loaded, so its files' events have been taken in.
    settled: u32,
}

pub fn open_pack_when_loaded(app: &mut App, path: String) {
    app.insert_resource(PendingPack {
        path: Some(path),
        settled: 0,
    })
    .add_systems(Update, open_pending_pack.before(handle_commands));
}

fn open_pending_pack(
    mut pending: ResMut<PendingPack>,
    library: Res<ScenarioLibrary>,
    server: Res<AssetServer>,
    mut out: MessageWriter<AppCommand>,
) {
    if pending.path.is_none() || !library.is_loaded(&server) {
        return;
    }
    pending.settled += 1;
    if pending.settled >= 3
        && let Some(path) = pending.path.take()
    {
        out.write(AppCommand(UiAction::OpenPack(path)));
    }
}

/// Ends the running session of a timed sitting once its time is up.
fn end_session_when_time_is_up(
    packs: Res<PackDesk>,
    practice: Res<Practice>,
    screen: Res<State<Screen>>,
    mut out: MessageWriter<AppCommand>,
) {
    if *screen.get() == Screen::Session
        && packs.current.is_some()
        && practice.run.is_some()
        && packs
            .sitting
            .as_ref()
            .is_some_and(|s| s.time_is_up(assessment::now_unix()))
    {
        out.write(AppCommand(UiAction::EndSession));
    }
}

impl Desk<'_> {
    fn go(&mut self, screen: Screen) {
        self.next.set(screen);
        self.screen = screen;
    }

    fn handle(&mut self, action: &UiAction) {
        match action {
            UiAction::OpenBriefing(path) => {
                if self.library.get(path).is_some_and(|e| e.scenario.is_some()) {
                    self.practice.selected = Some(path.clone());
                    self.go(Screen::Briefing);
                }
            }
            UiAction::Start { mode, seed } => self.start(*mode, *seed),
            UiAction::Play(choice) => {
                let Some(run) = self.practice.run.as_mut() else {
                    return;
                };
                match run.run.play(choice) {
                    Ok(turn) => {
                        let ended = turn.ended.is_some();
                        self.save(false);
                        if ended {
                            self.leave_session();
                        }
                    }
                    Err(e) => warn!("choice not played: {e}"),
                }
            }
            UiAction::EndSession => {
                if self.practice.run.is_some() {
                    self.save(true);
                    self.leave_session();
                }
            }
            UiAction::Rewind(turn) => {
                if let Some(run) = self.practice.run.as_mut()
                    && run.run.rewind(*turn).is_some()
                {
                    self.go(Screen::Session);
                }
            }
            UiAction::SwitchBranch(i) => {
                if let Some(run) = self.practice.run.as_mut()
                    && *i < run.run.branches.len()
                {
                    run.run.current = *i;
                }
            }
            UiAction::BackToLibrary => self.back(),
            UiAction::SetTextScale(_) | UiAction::SetLearner(_) => {}
            UiAction::OpenPack(path) => self.open_pack(path),
            UiAction::BeginSitting(typed) => self.begin_sitting(typed),
            UiAction::NextClient => self.next_client(),
            UiAction::ResumeAttempt(id) => self.resume_attempt(id),
            UiAction::DiscardAttempt(id) => {
                if self
                    .records
                    .unfinished
                    .iter()
                    .any(|u| &u.id == id && u.mode == Mode::Practice)
                {
                    self.records.discard(id);
                }
            }
            UiAction::ResumeSitting(id) => self.resume_sitting(id),
            UiAction::ReviewAttempt(id) => self.review(id),
        }
    }

    fn start(&mut self, mode: Mode, seed: u64) {
        let Some(path) = self.practice.selected.clone() else {
            return;
        };
        let Some(entry) = self.library.get(&path) else {
            return;
        };
        let Some(prepared) = entry.scenario.clone() else {
            return;
        };
        let hash = entry.content_hash.clone();
        let Some(sitting) = self.packs.sitting.as_ref() else {
            let run = PracticeRun {
                path,
                run: BranchedSession::new(prepared, seed, mode),
            };
            self.records.begin_practice(&run, &hash);
            self.practice.run = Some(run);
            self.go(Screen::Session);
            return;
        };
        let id = &prepared.scenario.meta.id;
        match sitting.meet(id, &hash, assessment::now_unix()) {
            Ok(meeting) => {
                let run = PracticeRun {
                    path,
                    run: BranchedSession::new(
                        sitting.scored_by_pack(&prepared),
                        meeting.item.seed,
                        Mode::Assessment,
                    ),
                };
                self.records.begin(
                    &run,
                    &hash,
                    Some(&sitting.learner),
                    Some((sitting, meeting.position)),
                );
                self.packs.current = Some(meeting.position);
                self.practice.run = Some(run);
                self.go(Screen::Session);
            }
            // In a sitting only its next client is met: the time is up, or this is not it.
            Err(assessment::Refusal::NotNext) => self.next_client(),
            Err(assessment::Refusal::Changed) => {
                self.packs.problems = vec![format!(
                    "{path} has changed since the pack was made; ask your instructor for the file the pack names"
                )];
                self.go(Screen::Pack);
            }
        }
    }

    /// Saves the first branch's new turns; seals the attempt when it is over.
    fn save(&mut self, closing: bool) {
        let Some(run) = self.practice.run.as_ref() else {
            return;
        };
        if let Some(finished) = self.records.sync(run, closing) {
            self.finished(finished);
        }
    }

    fn finished(&mut self, finished: Finished) {
        let Some(sitting) = self.packs.sitting.as_mut() else {
            return;
        };
        if self.packs.current.take().is_none() {
            return;
        }
        if sitting.client_done(finished.sitting_item(), assessment::now_unix()) {
            let id = sitting.id.clone();
            self.records.finish_sitting(&id);
        }
    }

    /// After a session: the debrief, or the pack's progress in a sitting.
    fn leave_session(&mut self) {
        if self.packs.sitting.is_some() {
            self.practice.run = None;
            self.practice.selected = None;
            self.go(Screen::Pack);
        } else {
            self.go(Screen::Debrief);
        }
    }

    fn back(&mut self) {
        if matches!(self.screen, Screen::Briefing | Screen::Debrief) && self.packs.sitting.is_some()
        {
            self.practice.run = None;
            self.practice.selected = None;
            self.go(Screen::Pack);
            return;
        }
        if self.practice.run.is_some() && self.records.is_recording() {
            self.save(true);
        }
        self.practice.run = None;
        self.practice.selected = None;
        self.packs.opened = None;
        self.packs.sitting = None;
        self.packs.current = None;
        self.packs.learner_problem = None;
        self.go(Screen::Library);
    }

    fn open_pack(&mut self, path: &str) {
        let available: Vec<Available> = self
            .library
            .entries
            .iter()
            .filter_map(|e| {
                Some(Available {
                    id: &e.scenario.as_ref()?.scenario.meta.id,
                    content_hash: &e.content_hash,
                })
            })
            .collect();
        let parsed = crate::scenario::read_text(std::path::Path::new(path))
            .map_err(|e| vec![format!("{path}: {e}")])
            .and_then(|text| {
                assessment::parse_pack(path, &text, &available)
                    .map_err(|ds| ds.iter().map(|d| d.to_string()).collect())
            });
        match parsed {
            Ok(pack) => {
                self.packs.problems.clear();
                self.packs.learner_problem = None;
                self.packs.opened = Some((pack, path.to_string()));
                self.packs.sitting = None;
                self.go(Screen::Pack);
            }
            Err(problems) => {
                for p in &problems {
                    warn!("{p}");
                }
                self.packs.problems = problems;
            }
        }
    }

    fn begin_sitting(&mut self, typed: &str) {
        let Some((pack, file)) = self.packs.opened.clone() else {
            return;
        };
        let sitting = match Sitting::begin(pack, file, typed, assessment::now_unix()) {
            Ok(sitting) => sitting,
            Err(why) => {
                self.packs.learner_problem = Some(why);
                return;
            }
        };
        // Nothing of an assessment may be lost: without a working records database it
        // does not begin.
        if !self.records.begin_sitting(&sitting) {
            self.packs.learner_problem = Some(self.records.problem.clone().unwrap_or_else(|| {
                "Attempts cannot be saved here, so the assessment cannot begin.".into()
            }));
            return;
        }
        self.packs.learner_problem = None;
        self.packs.sitting = Some(sitting);
        self.next_client();
    }

    /// Opens the briefing of the sitting's next client, or stays on the pack's screen
    /// when the sitting is over.
    fn next_client(&mut self) {
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
    /// hash), with a pack's pass mark when there was one; `doing` names what for, in the
    /// message shown when it cannot be done.
    fn replay(&mut self, played: Played, doing: &str) -> Option<PracticeRun> {
        let Some(entry) = self.library.by_hash(played.content_hash) else {
            self.packs.problems = vec![format!(
                "The session with `{}` cannot be {doing}: its scenario file has changed since it was played.",
                played.scenario_id
            )];
            return None;
        };
        let replayed = crate::records::replay(
            entry.scenario.as_ref()?,
            played.pass_mark,
            played.seed,
            played.choices,
        );
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
    fn take_up(&mut self, run: PracticeRun, u: &Unfinished, pack: Option<PackRef>) {
        self.records.resume(u, pack);
        self.practice.run = Some(run);
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

    fn resume_attempt(&mut self, id: &str) {
        let Some(u) = self.records.unfinished.iter().find(|u| u.id == id).cloned() else {
            return;
        };
        if let Some(run) = self.replay(Played::unfinished(&u, None), "resumed") {
            self.take_up(run, &u, None);
        }
    }

    /// Opens the debrief of a finished attempt: its result replayed on the scenario it was
    /// played on, with its pack's pass mark.
    fn review(&mut self, id: &str) {
        let Some(result) = self.records.result_of(id) else {
            return;
        };
        let played = Played {
            scenario_id: &result.scenario.id,
            content_hash: &result.scenario.content_hash,
            seed: result.seed,
            mode: result.mode,
            choices: &result.choices,
            pass_mark: result.pack.as_ref().map(|p| p.pass_mark),
        };
        if let Some(run) = self.replay(played, "shown") {
            self.practice.run = Some(run);
            self.go(Screen::Debrief);
        }
    }

    fn resume_sitting(&mut self, id: &str) {
        let Some(sitting) = self
            .records
            .open_sittings
            .iter()
            .find(|s| s.id == id)
            .cloned()
        else {
            return;
        };
        self.packs.opened = Some((sitting.pack.clone(), sitting.pack_file.clone()));
        let interrupted = self.records.unfinished_in(&sitting.id);
        let pass_mark = sitting.pack.pass_mark;
        self.packs.sitting = Some(sitting);
        self.packs.problems.clear();
        match interrupted {
            Some((u, position)) => {
                let Some(run) = self.replay(Played::unfinished(&u, Some(pass_mark)), "resumed")
                else {
                    self.go(Screen::Pack);
                    return;
                };
                let pack = self.packs.sitting.as_ref().map(|s| s.pack_ref(position));
                self.packs.current = Some(position);
                self.take_up(run, &u, pack);
            }
            None => {
                // A sitting whose time ran out, or whose last client was done, while the
                // app was closed is over now.
                if let Some(s) = self.packs.sitting.as_ref()
                    && s.is_complete(assessment::now_unix())
                {
                    let id = s.id.clone();
                    self.records.finish_sitting(&id);
                }
                self.go(Screen::Pack)
            }
        }
    }
}
