//! The projector screen: a practice session for a class, drawn for the instructor's
//! projector (`ui::projector`), with the class vote beside it. Its moves are played and
//! recorded by the session screen's handler, which plays a choice from either screen, so a
//! classroom session scores, saves and ends to the debrief exactly as practice does.
//!
//! This screen's handler runs before the session's: when a move is played while the class
//! voted on it, the round's votes are kept with the run (and its record) first. After the
//! handlers, the vote's round follows the session onto the next turn.

use std::time::Duration;

use attune_classroom::interfaces;
use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::session_view::{self, Consult};
use super::{DrawScreen, Handles, root_ui, send, showing};
use crate::app::class_vote::{ClassVote, Voting};
use crate::app::flow::{Desk, HandleCommands};
use crate::app::wake::Wakeups;
use crate::app::{AppCommand, Practice, Screen};
use crate::engine::Session;
use crate::engine::transcript::describe_adaptation;
use crate::scenario::Choice;
use crate::ui::class_vote::{ClassVoteView, OpenVote, VoteOption};
use crate::ui::{self, UiAction};

/// What works headless: the class vote's handler, its round kept on the session's turn, and
/// the vote stopped when the projector is left.
pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ClassVote>()
        .add_systems(Update, handle.in_set(Handles(Screen::Projector)))
        .add_systems(Update, follow_the_session.after(HandleCommands))
        .add_systems(OnEnter(Screen::Projector), read_interfaces)
        // Leaving the projector (to the debrief or the library) stops the server.
        .add_systems(OnExit(Screen::Projector), |mut vote: ResMut<ClassVote>| {
            vote.voting = None;
        });
}

fn read_interfaces(mut vote: ResMut<ClassVote>) {
    vote.interfaces = interfaces::list();
    vote.problem = None;
}

fn handle(mut commands: MessageReader<AppCommand>, mut vote: ResMut<ClassVote>, mut desk: Desk) {
    for AppCommand(action) in commands.read() {
        if !desk.practice.classroom || desk.practice.run.is_none() {
            continue;
        }
        match action {
            UiAction::OpenVoting(ip) if vote.voting.is_none() => match Voting::open(*ip) {
                Ok(voting) => {
                    info!("class vote open at {} code {}", voting.page, voting.code);
                    vote.voting = Some(voting);
                    vote.problem = None;
                }
                Err(e) => vote.problem = Some(format!("Voting could not be opened on {ip}: {e}")),
            },
            UiAction::CloseVote => {
                if let Some(voting) = vote.voting.as_mut() {
                    voting.close();
                }
            }
            UiAction::RevealFits => {
                if let Some(voting) = vote.voting.as_mut().filter(|v| v.closed.is_some()) {
                    voting.fits_shown = !voting.fits_shown;
                }
            }
            UiAction::StopVoting => vote.voting = None,
            UiAction::Play(choice) => keep_the_round(&vote, &mut desk, choice),
            _ => {}
        }
    }
}

/// Before a move is played while the class voted on it: the round's votes are kept with
/// the run and saved with its record. Only on the run's first branch, the recorded attempt
/// the class debrief reviews: a branch opened with "Try turn N again" is played without a
/// record of its own until its end, and its turns share numbers with the first branch's.
fn keep_the_round(vote: &ClassVote, desk: &mut Desk, choice: &Choice) {
    let (Some(voting), Some(run)) = (vote.voting.as_ref(), desk.practice.run.as_ref()) else {
        return;
    };
    if run.run.current != 0 {
        return;
    }
    let session = run.run.session();
    let next = session.turns().len() as u32 + 1;
    // Only a move that will be played, on the turn the class voted on.
    if session.ended().is_some() || session.preview_fit(choice).is_err() || voting.turn != next {
        return;
    }
    let Some(round) = voting.round().filter(|r| r.voters > 0) else {
        return;
    };
    desk.records.save_class_round(&round);
    let rounds = &mut desk.practice.class_rounds;
    rounds.retain(|r| r.turn != round.turn);
    rounds.push(round);
}

/// Keeps the vote's round on the turn about to be played: a new round once a move is
/// played, none taking votes once the session is over.
fn follow_the_session(mut vote: ResMut<ClassVote>, practice: Res<Practice>) {
    let (Some(voting), Some(run)) = (vote.voting.as_mut(), practice.run.as_ref()) else {
        return;
    };
    let session = run.run.session();
    if session.ended().is_some() {
        if voting.is_open() {
            voting.close();
        }
        return;
    }
    let next = session.turns().len() as u32 + 1;
    if voting.turn != next {
        voting.start_round(session, next);
    }
}

pub(super) fn draw_plugin(app: &mut App) {
    app.init_resource::<ProjectorScreen>()
        // No technique is left selected from the last session; the meters choice stays.
        .add_systems(
            OnEnter(Screen::Projector),
            |mut screen: ResMut<ProjectorScreen>| screen.ui.session = Default::default(),
        )
        .add_systems(
            EguiPrimaryContextPass,
            draw.in_set(DrawScreen).run_if(showing(Screen::Projector)),
        )
        .add_systems(Update, wake_while_voting);
}

/// The longest the projector waits for its next frame while a round takes votes.
pub const VOTE_FRAME: Duration = Duration::from_millis(500);

/// The count of votes comes from the server's thread, and nothing there wakes a reactive
/// window: while a round takes votes on the projector, the window runs a frame at least
/// every [`VOTE_FRAME`] (see `app::wake`).
pub fn wake_while_voting(
    vote: Res<ClassVote>,
    screen: Res<State<Screen>>,
    mut wakeups: ResMut<Wakeups>,
) {
    if *screen.get() == Screen::Projector && vote.voting.as_ref().is_some_and(Voting::is_open) {
        wakeups.at_least_every(VOTE_FRAME);
    }
}

/// The projector screen's own state.
#[derive(Resource, Default)]
pub struct ProjectorScreen {
    pub ui: ui::projector::ProjectorUi,
    consult: Consult,
}

fn draw(
    mut contexts: EguiContexts,
    practice: Res<Practice>,
    vote: Res<ClassVote>,
    mut screen: ResMut<ProjectorScreen>,
    mut out: MessageWriter<AppCommand>,
) -> Result {
    let Some(run) = practice.run.as_ref() else {
        return Ok(());
    };
    let mut root = root_ui(&mut contexts)?;
    let screen = &mut *screen;
    let view = session_view::view(&run.run, None, &mut screen.consult);
    let vote_view = vote_view(&vote, run.run.session());
    let actions = ui::projector::show(&mut root, &view, &vote_view, &mut screen.ui);
    send(&mut out, actions);
    Ok(())
}

/// The vote panel's view: the interfaces to open it on, or the vote under way with the
/// class's choices (and each one's fit from the session's state now).
pub fn vote_view<'a>(vote: &'a ClassVote, session: &Session) -> ClassVoteView<'a> {
    let Some(voting) = vote.voting.as_ref() else {
        return ClassVoteView::Closed {
            interfaces: vote
                .interfaces
                .iter()
                .map(|i| (i.label(), i.address))
                .collect(),
            problem: vote.problem.as_deref(),
        };
    };
    let (joined, voted) = voting.counts();
    let options = match &voting.closed {
        None => Vec::new(),
        Some(_) => voting
            .round()
            .map(|round| {
                round
                    .options
                    .into_iter()
                    .map(|o| vote_option(session, o.choice, o.votes))
                    .collect()
            })
            .unwrap_or_default(),
    };
    ClassVoteView::Open(OpenVote {
        address: &voting.page,
        code: &voting.code,
        qr: voting.qr.as_ref().map(|q| (q.width, q.dark.as_slice())),
        turn: voting.turn,
        joined,
        voted: voting.closed.as_ref().map_or(voted, |t| t.voters),
        open: voting.closed.is_none(),
        options,
        fits_shown: voting.fits_shown,
        ended: session.ended().is_some(),
    })
}

fn vote_option(session: &Session, choice: Choice, votes: usize) -> VoteOption {
    let prepared = session.prepared();
    let name = prepared
        .technique_index(&choice.technique)
        .map_or(choice.technique.clone(), |i| {
            prepared.techniques[i].name.clone()
        });
    let adaptation = describe_adaptation(&choice);
    let label = if adaptation.is_empty() {
        name
    } else {
        format!("{name} ({adaptation})")
    };
    VoteOption {
        fit: session.preview_fit(&choice).ok().map(|f| f.score),
        label,
        votes,
        choice,
    }
}
