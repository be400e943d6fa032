//! `attune analyze`: does a scenario discriminate good play from poor? The best path the
//! engine can find (`search`), the score distribution of random play (`random`), which
//! response lines, events and key moments are ever reached (`coverage`), and which
//! techniques never fit this client (`technique_fit`), gathered into one report (`report`).
//!
//! Everything here is deterministic: the same scenario and settings give the same report,
//! whatever the number of cores.

mod agreement;
mod best_moves;
mod class_vote;
mod coverage;
mod milestones;
mod moves;
mod progress;
mod random;
mod report;
mod score;
mod search;
mod technique_fit;
mod workers;

pub use agreement::{Disagreement, disagreements};
pub use best_moves::{BestMovesJob, TurnAlternative, best_moves};
pub use class_vote::{ClassRound, OptionReview, RoundReview, Split, VotedMove, review_rounds};
pub use coverage::{ContentIndex, ContentTally, Reach};
pub use milestones::Milestones;
pub use moves::{AdaptationSpace, Candidate, MoveFinder};
pub use progress::Progress;
pub use random::{Bin, Distribution, RandomPlay, for_each_random_session, play_random};
pub use report::{
    Analysis, BestPath, ContentReach, Coverage, ExpertInfo, NeverReached, PathSource, PathTurn,
    ScenarioInfo, SearchInfo, SettingsInfo, Spread, TechniqueStats,
};
pub use score::PathScore;
pub use search::{SearchResult, SearchSettings, best_path};
pub use technique_fit::TechniqueTally;

use std::sync::Arc;

use crate::engine::{PreparedScenario, Session};
use crate::scenario::{Playthrough, Scenario};

#[derive(Clone, Debug)]
pub struct Settings {
    /// Random playthroughs to play.
    pub random_playthroughs: u64,
    /// Seeds random play (and the wording of the searched sessions).
    pub seed: u64,
    pub beam_width: usize,
    pub polish_rounds: usize,
    /// A technique is weak when its mean and its best fit are both below this.
    pub weak_below: f32,
}

impl Default for Settings {
    fn default() -> Self {
        let search = SearchSettings::default();
        Settings {
            random_playthroughs: 10_000,
            seed: 1,
            beam_width: search.beam_width,
            polish_rounds: search.polish_rounds,
            weak_below: 50.0,
        }
    }
}

/// The scenario's expert playthrough: the first whose name starts with "expert".
pub fn expert_playthrough(scenario: &Scenario) -> Option<&Playthrough> {
    scenario
        .playthroughs
        .iter()
        .find(|p| p.name.trim_start().to_lowercase().starts_with("expert"))
}

/// Plays a script as far as it goes (a choice after the session ended is not played).
pub fn play_script(prepared: &Arc<PreparedScenario>, play: &Playthrough) -> Session {
    let mut session = Session::new(Arc::clone(prepared), play.seed);
    for choice in &play.choices {
        if session.apply(choice).is_err() {
            break;
        }
    }
    session
}

/// Runs the whole analysis, advancing `progress` as it goes.
pub fn analyze(
    prepared: &Arc<PreparedScenario>,
    settings: &Settings,
    progress: &Progress,
) -> Analysis {
    let search_settings = SearchSettings {
        beam_width: settings.beam_width,
        polish_rounds: settings.polish_rounds,
        seed: settings.seed,
    };
    // The search gets about a third of the bar, random play the rest.
    let steps = search::progress_steps(prepared, &search_settings).max(1);
    let step_units = (settings.random_playthroughs / (2 * steps)).max(1);
    progress.add_total(steps * step_units + settings.random_playthroughs);

    let found = best_path(prepared, &search_settings, progress, step_units);
    let expert = expert_playthrough(&prepared.scenario).map(|play| {
        let session = play_script(prepared, play);
        (play, PathScore::of(&session), session)
    });
    let random = play_random(
        prepared,
        settings.random_playthroughs,
        settings.seed,
        progress,
    );

    let at_least_expert = expert
        .as_ref()
        .map(|(_, score, _)| found.score.at_least(score));
    let (source, best_session, best_score) = match &expert {
        Some((_, score, session)) if at_least_expert == Some(false) => {
            (PathSource::Expert, session, *score)
        }
        _ => (PathSource::Search, &found.session, found.score),
    };
    let index = ContentIndex::new(prepared);
    let mut on_best = ContentTally::new(prepared);
    on_best.record_session(&index, best_session.turns());
    let mut scripted = ContentTally::new(prepared);
    for play in &prepared.scenario.playthroughs {
        scripted.record_session(&index, play_script(prepared, play).turns());
    }

    let distribution = random.distribution();
    let spread = distribution.as_ref().map(|d| Spread {
        best_minus_mean: best_score.overall - d.mean,
        best_minus_median: best_score.overall - d.median,
        best_minus_p90: best_score.overall - d.p90,
        best_minus_random_max: best_score.overall - d.max,
    });
    let scenario = &prepared.scenario;
    Analysis {
        scenario: ScenarioInfo {
            id: scenario.meta.id.clone(),
            title: scenario.meta.title.clone(),
            turn_limit: scenario.session.turn_limit,
            pass_mark: prepared.pass_mark(),
            techniques: prepared.techniques.len(),
        },
        settings: SettingsInfo {
            random_playthroughs: settings.random_playthroughs,
            seed: settings.seed,
            beam_width: settings.beam_width,
            polish_rounds: settings.polish_rounds,
            weak_below: settings.weak_below,
        },
        best_path: BestPath {
            source,
            score: best_score,
            requirements_total: scenario.session.pass_requires.len() as u32,
            end: best_session.ended(),
            turns: best_session.turns().iter().map(PathTurn::of).collect(),
        },
        search: SearchInfo {
            score: found.score,
            at_least_expert,
            moves_played: found.moves_played,
            moves_previewed: found.moves_previewed,
        },
        expert: expert.as_ref().map(|(play, score, _)| ExpertInfo {
            name: play.name.clone(),
            seed: play.seed,
            score: *score,
        }),
        random: distribution,
        spread,
        coverage: coverage_report(prepared, &random.content, &on_best, &scripted),
        techniques: technique_report(
            prepared,
            &random.techniques,
            best_session,
            settings.weak_below,
        ),
        weak_techniques: Vec::new(),
        disagreements: disagreements(prepared, &[&random.content, &on_best, &scripted]),
    }
    .with_weak_list()
}

impl Analysis {
    fn with_weak_list(mut self) -> Analysis {
        self.weak_techniques = self
            .techniques
            .iter()
            .filter(|t| t.weak)
            .map(|t| t.id.clone())
            .collect();
        self
    }
}

fn coverage_report(
    prepared: &PreparedScenario,
    random: &ContentTally,
    best: &ContentTally,
    scripted: &ContentTally,
) -> Coverage {
    let s = &prepared.scenario;
    let rows = |ids: Vec<&String>, pick: fn(&ContentTally) -> &[Reach]| -> Vec<ContentReach> {
        ids.into_iter()
            .enumerate()
            .map(|(i, id)| {
                let r = pick(random)[i];
                let best_path = pick(best)[i].turns > 0;
                let scripted = pick(scripted)[i].turns > 0;
                ContentReach {
                    id: id.clone(),
                    random_turns: r.turns,
                    random_playthroughs: r.sessions,
                    best_path,
                    scripted,
                    reached: r.turns > 0 || best_path || scripted,
                }
            })
            .collect()
    };
    let responses = rows(s.responses.iter().map(|r| &r.id).collect(), |t| {
        &t.responses
    });
    let events = rows(s.events.iter().map(|e| &e.id).collect(), |t| &t.events);
    let key_moments = rows(s.key_moments.iter().map(|m| &m.id).collect(), |t| {
        &t.moments
    });
    let never = |rows: &[ContentReach]| {
        rows.iter()
            .filter(|r| !r.reached)
            .map(|r| r.id.clone())
            .collect()
    };
    let never_reached = NeverReached {
        responses: never(&responses),
        events: never(&events),
        key_moments: never(&key_moments),
    };
    Coverage {
        responses,
        events,
        key_moments,
        never_reached,
    }
}

fn technique_report(
    prepared: &PreparedScenario,
    random: &TechniqueTally,
    best: &Session,
    weak_below: f32,
) -> Vec<TechniqueStats> {
    let mut on_best = TechniqueTally::new(prepared.techniques.len());
    for t in best.turns() {
        if let Some(i) = prepared.technique_index(&t.choice.technique) {
            on_best.record(i, t.fit.score);
        }
    }
    prepared
        .techniques
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mean_fit = random.mean(i);
            let best_fit = match (random.best(i), on_best.best(i)) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
            // Unplayed techniques are not called weak: nothing is known about them.
            let weak = mean_fit.is_some_and(|m| m < weak_below)
                && best_fit.is_some_and(|b| b < weak_below);
            TechniqueStats {
                id: t.id.clone(),
                name: t.name.clone(),
                uses: random.uses[i],
                mean_fit,
                best_fit,
                weak,
            }
        })
        .collect()
}
