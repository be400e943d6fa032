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

/// A round that counts as split: no move had a majority of the voters.
const MAJORITY: f32 = 0.5;

/// Moves that each drew at least this share of the voters are weighed against each other
/// for a split by fit.
const SIZEABLE: f32 = 0.25;

/// Two sizeable groups whose moves' fits differ by this many points or more split the class.
const FAR_APART: f32 = 25.0;

/// Why the class split at a turn: the debrief says "the class split here", a place to stop
/// and ask each side to argue for its move.
#[derive(Clone, Debug, PartialEq)]
pub enum Split {
    /// No move had more than half of the voters: the class did not agree on what the
    /// moment called for.
    NoMajority,
    /// At least a quarter of the class voted for each of two moves whose fits differ by
    /// `points` (25 or more): a real difference of clinical judgement, not a shade.
    FarApart { points: f32 },
}

/// One move the class voted for, beside the fit it would have had.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionReview {
    pub choice: Choice,
    pub technique_name: String,
    pub votes: usize,
    /// Its share of the voters, 0..1.
    pub share: f32,
    /// The fit (0..100) it would have had from the state the class voted on; none for a
    /// technique the scenario does not know.
    pub fit: Option<f32>,
    /// It is the move the instructor played.
    pub played: bool,
}

/// One voted turn of a played session, set beside what was played and the best move found.
#[derive(Clone, Debug)]
pub struct RoundReview {
    /// 1 is the first move.
    pub turn: u32,
    pub voters: usize,
    /// Most votes first, as voted.
    pub options: Vec<OptionReview>,
    /// The move played and its fit.
    pub played: Choice,
    pub played_technique_name: String,
    pub played_fit: f32,
    /// The move played had the most votes (or shared the most).
    pub played_was_top: bool,
    /// Why the class split here, if it did.
    pub split: Option<Split>,
    /// The best move the engine finds at this turn, when the search was given.
    pub best: Option<crate::analysis::TurnAlternative>,
}

/// Each round of `rounds` set beside `session` as it was played: every voted move's fit
/// from the very state the class voted on (the session replayed from its seed, each move
/// previewed before the turn is applied), the move played, whether the class split, and the
/// best move at that turn from `best` (from `best_moves`). A round whose turn was not played
/// in `session` is left out. In turn order.
pub fn review_rounds(
    session: &crate::engine::Session,
    rounds: &[ClassRound],
    best: Option<&[crate::analysis::TurnAlternative]>,
) -> Vec<RoundReview> {
    let prepared = session.prepared();
    let name_of = |choice: &Choice| {
        prepared
            .technique_index(&choice.technique)
            .map_or(choice.technique.clone(), |i| {
                prepared.techniques[i].name.clone()
            })
    };
    let mut replay = crate::engine::Session::new(std::sync::Arc::clone(prepared), session.seed());
    let mut out = Vec::new();
    for t in session.turns() {
        // The last round saved for a turn is the one that counts.
        if let Some(round) = rounds.iter().rev().find(|r| r.turn == t.turn) {
            let options: Vec<OptionReview> = round
                .options
                .iter()
                .map(|o| OptionReview {
                    technique_name: name_of(&o.choice),
                    votes: o.votes,
                    share: share(o.votes, round.voters),
                    fit: replay.preview_fit(&o.choice).ok().map(|f| f.score),
                    played: o.choice.same_move(&t.choice),
                    choice: o.choice.clone(),
                })
                .collect();
            let top = options.iter().map(|o| o.votes).max().unwrap_or(0);
            out.push(RoundReview {
                turn: t.turn,
                voters: round.voters,
                played_was_top: top > 0 && options.iter().any(|o| o.played && o.votes == top),
                split: split(&options),
                options,
                played: t.choice.clone(),
                played_technique_name: t.technique_name.to_string(),
                played_fit: t.fit.score,
                best: best.and_then(|b| b.iter().find(|a| a.turn == t.turn).cloned()),
            });
        }
        if replay.apply(&t.choice).is_err() {
            break;
        }
    }
    out
}

fn share(votes: usize, voters: usize) -> f32 {
    if voters == 0 {
        0.0
    } else {
        votes as f32 / voters as f32
    }
}

/// The split rule. A vote is for teaching, not for deciding: the instructor wants to know
/// where to stop and discuss. Two things are worth stopping for: the class not agreeing on
/// a move at all (no majority: the moment was read in several ways), and a sizeable part of
/// the class choosing a move far better or worse than another sizeable part chose (the
/// votes look settled by a count, but the judgements behind them are far apart).
pub fn split(options: &[OptionReview]) -> Option<Split> {
    if options.iter().all(|o| o.votes == 0) {
        return None;
    }
    if !options.iter().any(|o| o.share > MAJORITY) {
        return Some(Split::NoMajority);
    }
    let fits: Vec<f32> = options
        .iter()
        .filter(|o| o.share >= SIZEABLE)
        .filter_map(|o| o.fit)
        .collect();
    let high = fits.iter().copied().fold(f32::MIN, f32::max);
    let low = fits.iter().copied().fold(f32::MAX, f32::min);
    (fits.len() >= 2 && high - low >= FAR_APART).then_some(Split::FarApart { points: high - low })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::engine::{PreparedScenario, Session};
    use crate::model::Catalogue;
    use crate::scoring::ScoringConfig;

    fn dan_played(moves: &[&str]) -> Session {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/dan-mandated-anger.ron");
        let prepared =
            PreparedScenario::from_file(&path, &Catalogue::builtin(), &ScoringConfig::builtin())
                .unwrap();
        let mut session = Session::new(prepared, 11);
        for m in moves {
            session.apply(&Choice::new(m)).unwrap();
        }
        session
    }

    fn voted(technique: &str, votes: usize) -> VotedMove {
        VotedMove {
            choice: Choice::new(technique),
            votes,
        }
    }

    fn option(votes: usize, voters: usize, fit: f32) -> OptionReview {
        OptionReview {
            choice: Choice::new("open_question"),
            technique_name: "Open question".into(),
            votes,
            share: share(votes, voters),
            fit: Some(fit),
            played: false,
        }
    }

    #[test]
    fn each_option_has_the_fit_it_would_have_had_from_the_state_voted_on() {
        let session = dan_played(&["complex_reflection", "open_question", "affirmation"]);
        let round = ClassRound {
            turn: 2,
            voters: 10,
            options: vec![
                voted("open_question", 6),
                voted("confrontation", 3),
                voted("no_such_move", 1),
            ],
        };
        let reviews = review_rounds(&session, std::slice::from_ref(&round), None);
        assert_eq!(reviews.len(), 1);
        let r = &reviews[0];
        // The state before turn 2: the session replayed through turn 1 only.
        let mut before = Session::new(std::sync::Arc::clone(session.prepared()), session.seed());
        before.apply(&Choice::new("complex_reflection")).unwrap();
        for o in &r.options[..2] {
            assert_eq!(o.fit, Some(before.preview_fit(&o.choice).unwrap().score));
        }
        assert_eq!(r.options[2].fit, None, "an unknown technique has no fit");
        assert_eq!(r.options[0].share, 0.6);
        assert!(r.options[0].played && !r.options[1].played);
        assert!(r.played_was_top);
        assert_eq!(r.played, Choice::new("open_question"));
        assert_eq!(r.played_fit, session.turns()[1].fit.score);
        assert!(r.best.is_none());
    }

    #[test]
    fn a_turn_the_class_did_not_vote_on_is_absent_and_the_best_move_is_its_turns() {
        let session = dan_played(&["complex_reflection", "confrontation"]);
        let best = crate::analysis::best_moves(&session, &crate::analysis::Progress::new());
        let rounds = [
            ClassRound {
                turn: 2,
                voters: 4,
                options: vec![voted("open_question", 3), voted("confrontation", 1)],
            },
            // Voted on, never played (the instructor ended the session first).
            ClassRound {
                turn: 3,
                voters: 4,
                options: vec![voted("open_question", 4)],
            },
        ];
        let reviews = review_rounds(&session, &rounds, Some(&best));
        assert_eq!(reviews.iter().map(|r| r.turn).collect::<Vec<_>>(), [2]);
        let r = &reviews[0];
        assert!(
            !r.played_was_top,
            "the instructor played the minority's move"
        );
        assert!(r.options[1].played);
        let found = r.best.as_ref().unwrap();
        assert_eq!(found.turn, 2);
        assert_eq!(found.best, best[1].best);
    }

    #[test]
    fn the_class_splits_without_a_majority_or_when_sizeable_groups_are_far_apart() {
        // 4 of 10 is no majority, whatever the fits.
        let none = [
            option(4, 10, 70.0),
            option(3, 10, 70.0),
            option(3, 10, 72.0),
        ];
        assert_eq!(split(&none), Some(Split::NoMajority));
        // A majority, the rest close in fit: settled.
        let close = [option(6, 10, 70.0), option(4, 10, 60.0)];
        assert_eq!(split(&close), None);
        // A majority, but a third of the class chose a move 40 points worse.
        let apart = [option(6, 9, 80.0), option(3, 9, 40.0)];
        assert_eq!(split(&apart), Some(Split::FarApart { points: 40.0 }));
        // A lone voter far off does not split the class.
        let lone = [option(9, 10, 80.0), option(1, 10, 10.0)];
        assert_eq!(split(&lone), None);
        // Exactly half is not a majority.
        assert_eq!(
            split(&[option(2, 4, 50.0), option(2, 4, 50.0)]),
            Some(Split::NoMajority)
        );
        assert_eq!(split(&[]), None, "no votes, no split");
    }
}
