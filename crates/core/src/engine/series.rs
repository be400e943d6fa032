//! Sessions with one client across weeks: the start of session N+1 worked out from the end
//! of a played session N by the carry rules in N+1's file, the between-session event the
//! seed picks, and whether the client is on track after session N (routine outcome
//! monitoring: feedback on clients not on track improves their outcomes, Lambert and
//! colleagues' meta-analyses).

use std::fmt;
use std::sync::Arc;

use super::rng::{Purpose, pick};
use super::{PreparedScenario, Session};
use crate::model::{ClientState, RiskLevel, Rupture, SessionEnd, Stage};
use crate::scenario::{Carried, Effect, Measure, Scenario, Series};

/// Where a continuing session begins: the carried state and what the client opens with.
#[derive(Clone, Debug)]
pub struct SeriesStart {
    pub state: ClientState,
    /// The between-session event's opening line, instead of the file's.
    pub opening_line: Option<String>,
    pub opening_cue: Option<String>,
}

/// The start of the next session, what happened between, and how the client stood.
#[derive(Clone, Debug)]
pub struct Continuation {
    pub start: Arc<SeriesStart>,
    /// The id of the between-session event that happened, and what the learner reads of it.
    pub event: Option<(String, String)>,
    /// Why the client is not on track after the session before, when she is not.
    pub not_on_track: Option<NotOnTrack>,
}

impl Continuation {
    /// The session of `prepared` that begins here.
    pub fn session(&self, prepared: Arc<PreparedScenario>, seed: u64) -> Session {
        Session::continuing(prepared, seed, Arc::clone(&self.start))
    }
}

/// Why a session cannot continue the one given.
#[derive(Clone, Debug, PartialEq)]
pub enum SeriesError {
    /// The scenario does not follow any other.
    NotASeries(String),
    /// The session given is not of the scenario followed.
    FollowsAnother { follows: String, played: String },
}

impl fmt::Display for SeriesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeriesError::NotASeries(id) => write!(f, "`{id}` does not follow another session"),
            SeriesError::FollowsAnother { follows, played } => write!(
                f,
                "this session follows `{follows}`, not the `{played}` session given"
            ),
        }
    }
}

impl std::error::Error for SeriesError {}

/// The start of `next` after `previous` was played, for `seed`: the carry rules applied to
/// where `previous` ended, then the between-session event the seed picks. Deterministic.
pub fn continue_from(
    next: &PreparedScenario,
    previous: &Session,
    seed: u64,
) -> Result<Continuation, SeriesError> {
    let scenario = &next.scenario;
    let series = series_of(scenario, previous)?;
    let mut state = carried_state(scenario, series, previous);
    let chosen = choose_between(series, &state, seed);
    let (mut opening_line, mut opening_cue, mut event) = (None, None, None);
    if let Some(i) = chosen {
        let e = &series.between[i];
        for effect in &e.effects {
            apply(effect, &mut state);
        }
        opening_line = e.opening_line.clone();
        opening_cue = e
            .opening_cues
            .get(pick(
                seed,
                1,
                Purpose::BetweenSessions,
                i,
                e.opening_cues.len(),
            ))
            .cloned();
        event = Some((e.id.clone(), e.note.clone()));
    }
    clamp(&mut state);
    Ok(Continuation {
        start: Arc::new(SeriesStart {
            state,
            opening_line,
            opening_cue,
        }),
        event,
        not_on_track: on_track(series, previous).err(),
    })
}

fn series_of<'a>(scenario: &'a Scenario, previous: &Session) -> Result<&'a Series, SeriesError> {
    let series = scenario
        .series
        .as_ref()
        .ok_or_else(|| SeriesError::NotASeries(scenario.meta.id.clone()))?;
    let played = &previous.prepared().scenario.meta.id;
    if &series.follows != played {
        return Err(SeriesError::FollowsAnother {
            follows: series.follows.clone(),
            played: played.clone(),
        });
    }
    Ok(series)
}

/// The file's initial state with what carries put in: meters faded back toward where the
/// session before began, the stage as it left it (one back after a bad ending), flags
/// as they were at its end.
fn carried_state(scenario: &Scenario, series: &Series, previous: &Session) -> ClientState {
    let mut state = scenario.initial_state.clone();
    let end = previous.state();
    let began = &previous.prepared().scenario.initial_state;
    let faded = |end: f32, began: f32, fade: Option<f32>| end + fade.unwrap_or(0.0) * (began - end);
    for rule in &series.carry {
        match &rule.carries {
            Carried::Alliance => {
                state.bond = faded(end.bond, began.bond, rule.fade);
                state.goals = faded(end.goals, began.goals, rule.fade);
                state.tasks = faded(end.tasks, began.tasks, rule.fade);
            }
            Carried::Distress => state.distress = faded(end.distress, began.distress, rule.fade),
            Carried::Hope => state.hope = faded(end.hope, began.hope, rule.fade),
            Carried::Stage => {
                state.stage = if ended_badly(previous) {
                    step_back(end.stage)
                } else {
                    end.stage
                }
            }
            Carried::Flag(flag) => {
                if end.has_flag(flag) {
                    state.set_flag(flag);
                } else {
                    state.clear_flag(flag);
                }
            }
        }
    }
    state
}

/// A session ended badly when the client left, a crisis ended it, or a rupture was still
/// open at its end.
fn ended_badly(session: &Session) -> bool {
    matches!(
        session.ended(),
        Some(SessionEnd::Dropout | SessionEnd::Crisis)
    ) || session.state().rupture != Rupture::None
}

fn step_back(stage: Stage) -> Stage {
    Stage::ALL[(stage.index() - 1).max(0) as usize]
}

/// The between-session event the seed picks among those whose condition holds, weighted.
fn choose_between(series: &Series, state: &ClientState, seed: u64) -> Option<usize> {
    let open: Vec<(usize, u32)> = series
        .between
        .iter()
        .enumerate()
        .filter(|(_, e)| e.weight > 0 && e.when.holds(state))
        .map(|(i, e)| (i, e.weight))
        .collect();
    let total: u32 = open.iter().map(|(_, w)| w).sum();
    if total == 0 {
        return None;
    }
    let mut ticket = pick(seed, 0, Purpose::BetweenSessions, 0, total as usize) as u32;
    for (i, weight) in open {
        if ticket < weight {
            return Some(i);
        }
        ticket -= weight;
    }
    None
}

fn apply(effect: &Effect, state: &mut ClientState) {
    match effect {
        Effect::SetRisk(level) => {
            if *level > state.risk.unwrap_or(RiskLevel::None) {
                state.risk_assessed = false;
            }
            state.risk = Some(*level);
        }
        Effect::SetFlag(f) => state.set_flag(f),
        Effect::ClearFlag(f) => state.clear_flag(f),
        Effect::SetStage(stage) => state.stage = *stage,
        Effect::Distress(d) => state.distress += d,
        Effect::Hope(h) => state.hope += h,
        Effect::Bond(b) => state.bond += b,
    }
}

fn clamp(state: &mut ClientState) {
    for v in [
        &mut state.bond,
        &mut state.goals,
        &mut state.tasks,
        &mut state.distress,
        &mut state.hope,
    ] {
        *v = v.clamp(0.0, 1.0);
    }
}

/// Where the client fell short of the expected course after a session.
#[derive(Clone, Debug, PartialEq)]
pub struct Shortfall {
    /// What was measured and found, e.g. "alliance 0.38, expected at least 0.50".
    pub found: String,
    /// What the learner might do about it.
    pub advice: String,
}

/// A client not on track: each way she fell short, with what to do.
#[derive(Clone, Debug, PartialEq)]
pub struct NotOnTrack {
    pub shortfalls: Vec<Shortfall>,
}

impl NotOnTrack {
    /// The warning a learner reads on the briefing.
    pub fn warning(&self) -> String {
        let mut text = String::from(
            "Not on track: after last session she is below the course expected for this point.",
        );
        for s in &self.shortfalls {
            text.push_str(&format!("\n- {}: {}", s.found, s.advice));
        }
        text
    }
}

/// Whether the client is on the expected course after `previous` (the session the series
/// follows): `Err` with each shortfall when she is not.
pub fn on_track(series: &Series, previous: &Session) -> Result<(), NotOnTrack> {
    let end = previous.state();
    let shortfalls: Vec<Shortfall> = series
        .expected
        .iter()
        .filter_map(|e| {
            let found = match (&e.measure, e.at_least) {
                (Measure::Alliance, Some(least)) => {
                    (end.alliance() < least).then_some((end.alliance(), least, "alliance"))
                }
                (Measure::Hope, Some(least)) => {
                    (end.hope < least).then_some((end.hope, least, "hope"))
                }
                (Measure::Flag(flag), _) => {
                    return (!end.has_flag(flag)).then(|| Shortfall {
                        found: format!("`{flag}` was not reached"),
                        advice: e.advice.clone(),
                    });
                }
                _ => None,
            };
            found.map(|(value, least, what)| Shortfall {
                found: format!("{what} {value:.2}, expected at least {least:.2}"),
                advice: e.advice.clone(),
            })
        })
        .collect();
    if shortfalls.is_empty() {
        Ok(())
    } else {
        Err(NotOnTrack { shortfalls })
    }
}
