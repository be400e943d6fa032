//! The debrief's view model: what `ui::debrief` draws, read from the finished session and
//! the search for the best moves, so that the screen never sees the engine.

use crate::analysis::{BestMovesJob, ClassRound, RoundReview, TurnAlternative, review_rounds};
use crate::engine::BranchedSession;
use crate::engine::transcript::describe_adaptation;
use crate::model::{Mode, TurnFlag};
use crate::records::class_export::split_words;
use crate::scenario::{Choice, KeyMoment};
use crate::scoring::{TurnOutcome, ending_words};
use crate::ui::class_debrief::{ClassDebriefView, ClassOptionView, ClassTurnView, ExportNote};
use crate::ui::debrief::{
    BestMoveView, BestMoves, BranchView, Comparison, DebriefTurn, DebriefView, MoveView,
};

/// What the debrief shows of a class's votes: the rounds of the run's first branch (the
/// attempt recorded) and what the last export wrote, or why it failed.
#[derive(Clone, Copy, Default)]
pub struct ClassVotes<'a> {
    pub rounds: &'a [ClassRound],
    pub export: Option<&'a Result<Vec<String>, String>>,
}

/// The debrief's view of `run`: `compare_with` is the branch chosen to compare with,
/// `best` the search for the best moves of the branch shown (see `BestMovesJobs`),
/// `class` the class's votes, if a class voted.
pub fn view<'a>(
    run: &'a BranchedSession,
    compare_with: Option<usize>,
    best: &'a BestMovesJob,
    in_pack: bool,
    class: ClassVotes,
) -> DebriefView<'a> {
    let session = run.session();
    let scenario = &session.prepared().scenario;
    let found = best.result();
    let turns = session
        .turns()
        .iter()
        .map(|t| DebriefTurn {
            played: move_view(t),
            opened: t.opened.map(|k| session.moment_words(k)),
            explanation: &t.fit.explanation,
            best: found
                .and_then(|f| f.iter().find(|a| a.turn == t.turn))
                .map(best_move),
            key_moments: key_moments(&scenario.key_moments, t),
            said: super::session_view::turn_words(t),
        })
        .collect();
    let comparison = compare_with
        .filter(|i| *i != run.current && *i < run.branches.len())
        .map(|other| {
            // The earlier branch on the left, so the original always reads first.
            let pair = [run.current.min(other), run.current.max(other)];
            Comparison {
                branches: pair,
                turns: pair.map(|i| {
                    run.branches[i]
                        .session
                        .turns()
                        .iter()
                        .map(move_view)
                        .collect()
                }),
                shared: run.shared_turns(pair[0], pair[1]),
            }
        });
    DebriefView {
        client_name: &scenario.client.name,
        practice: run.mode == Mode::Practice,
        in_pack,
        summary: session.summary(),
        branches: (0..run.branches.len())
            .map(|i| {
                let summary = run.branches[i].session.summary();
                BranchView {
                    name: run.branch_name(i),
                    ending: ending_words(summary.end, summary.turns_played, summary.turn_limit),
                    summary,
                }
            })
            .collect(),
        current: run.current,
        comparison,
        turns,
        best_moves: match found {
            Some(found) => BestMoves::Found(best_moves_summary(found)),
            None => BestMoves::Finding(best.fraction() as f32),
        },
        class: class_view(run, found, class),
    }
}

/// The class's votes beside the first branch's moves (the class voted on the attempt
/// recorded); the best moves found are used when they are that branch's.
fn class_view(
    run: &BranchedSession,
    found: Option<&[TurnAlternative]>,
    class: ClassVotes,
) -> Option<ClassDebriefView> {
    if class.rounds.is_empty() {
        return None;
    }
    let first = run.branches.first()?;
    let best = found.filter(|_| run.current == 0);
    let reviews = review_rounds(&first.session, class.rounds, best);
    Some(ClassDebriefView {
        turns: reviews.iter().map(class_turn).collect(),
        finding_best: run.current == 0 && found.is_none(),
        export: class.export.map(|r| match r {
            Ok(paths) => ExportNote::Written(paths.clone()),
            Err(why) => ExportNote::Failed(why.clone()),
        }),
    })
}

fn class_turn(r: &RoundReview) -> ClassTurnView {
    ClassTurnView {
        turn: r.turn,
        voters: r.voters,
        options: r
            .options
            .iter()
            .map(|o| ClassOptionView {
                words: move_words(&o.technique_name, &o.choice),
                votes: o.votes,
                share: o.share,
                fit: o.fit,
                played: o.played,
            })
            .collect(),
        played_words: move_words(&r.played_technique_name, &r.played),
        played_fit: r.played_fit,
        played_was_top: r.played_was_top,
        split: r.split.as_ref().map(|s| split_words(Some(s))),
        best: r
            .best
            .as_ref()
            .map(|b| (move_words(&b.technique_name, &b.best), b.fit.score)),
    }
}

fn move_view(t: &TurnOutcome) -> MoveView<'_> {
    MoveView {
        turn: t.turn,
        fit: t.fit.score,
        words: move_words(&t.technique_name, &t.choice),
        client_line: &t.client_line,
    }
}

fn best_move(alt: &TurnAlternative) -> BestMoveView<'_> {
    BestMoveView {
        played_was_best: alt.played_was_best,
        fit: alt.fit.score,
        words: move_words(&alt.technique_name, &alt.best),
        gain: alt.gain(),
        explanation: &alt.fit.explanation,
    }
}

/// The key moments a turn brought about.
fn key_moments<'a>(moments: &'a [KeyMoment], t: &TurnOutcome) -> Vec<&'a KeyMoment> {
    t.flags
        .iter()
        .filter_map(|f| match f {
            TurnFlag::KeyMoment { id } => moments.iter().find(|m| &m.id == id),
            _ => None,
        })
        .collect()
}

/// "Complex reflection (ask permission)".
fn move_words(name: &str, choice: &Choice) -> String {
    let adaptation = describe_adaptation(choice);
    if adaptation.is_empty() {
        name.to_string()
    } else {
        format!("{name} ({adaptation})")
    }
}

/// Where the best moves found would have gained most.
fn best_moves_summary(found: &[TurnAlternative]) -> String {
    let mut gains: Vec<&TurnAlternative> = found.iter().filter(|a| a.gain() >= 5.0).collect();
    if gains.is_empty() {
        return "Beside each move: the best move the engine finds from the same moment. \
                None of them beats yours by 5 points or more."
            .into();
    }
    gains.sort_by(|a, b| b.gain().total_cmp(&a.gain()).then(a.turn.cmp(&b.turn)));
    let most: Vec<String> = gains
        .iter()
        .take(3)
        .map(|a| format!("turn {} (+{:.0})", a.turn, a.gain()))
        .collect();
    format!(
        "Beside each move: the best move the engine finds from the same moment. \
         The most to gain: {}.",
        most.join(", ")
    )
}

/// The best move at each turn of each branch shown, found once per branch and length on
/// a background thread.
#[derive(Default)]
pub struct BestMovesJobs {
    /// Which session each job is for: the branch and its number of turns.
    jobs: Vec<((usize, usize), BestMovesJob)>,
}

impl BestMovesJobs {
    /// The job for the branch shown, started the first time it is asked for; `notify` is
    /// called as it advances and when it is done (to draw again).
    pub fn for_run(
        &mut self,
        run: &BranchedSession,
        notify: impl Fn() + Send + 'static,
    ) -> &BestMovesJob {
        let key = (run.current, run.session().turns().len());
        let index = match self.jobs.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                self.jobs
                    .push((key, BestMovesJob::start(run.session(), notify)));
                self.jobs.len() - 1
            }
        };
        &self.jobs[index].1
    }

    /// Every job started, oldest first.
    pub fn started(&self) -> impl Iterator<Item = &BestMovesJob> {
        self.jobs.iter().map(|(_, job)| job)
    }
}
