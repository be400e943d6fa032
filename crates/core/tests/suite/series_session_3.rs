//! Priya's session 3 follows session 2 as session 2 follows session 1: what carries from the
//! end of session 2 over three weeks, the between-session event the seed picks, the
//! not-on-track warning after a poor session 2, and session 3 played from a whole good chain.

use std::sync::Arc;

use attune_core::engine::{Continuation, PreparedScenario, Session, continue_from};
use attune_core::model::{SessionEnd, Stage};

use crate::common::library;

fn session_1() -> Arc<PreparedScenario> {
    library("priya-gad-session-1")
}

fn session_2() -> Arc<PreparedScenario> {
    library("priya-gad-session-2")
}

fn session_3() -> Arc<PreparedScenario> {
    library("priya-gad-session-3")
}

/// Plays the playthrough of `prepared` whose name begins with `name` on `session`, until
/// the client leaves.
fn play_on(mut session: Session, prepared: &PreparedScenario, name: &str) -> Session {
    let play = prepared
        .scenario
        .playthroughs
        .iter()
        .find(|p| p.name.starts_with(name))
        .unwrap_or_else(|| panic!("no playthrough `{name}`"));
    for c in &play.choices {
        if session.ended().is_some() {
            break;
        }
        session.apply(c).unwrap();
    }
    session
}

/// Session 2 played from its file's start as its own playthrough `name`.
fn session_2_played(name: &str) -> Session {
    played(&session_2(), name)
}

/// `prepared` played from its file's start as its own playthrough `name`, with its seed.
fn played(prepared: &Arc<PreparedScenario>, name: &str) -> Session {
    let seed = prepared
        .scenario
        .playthroughs
        .iter()
        .find(|p| p.name.starts_with(name))
        .unwrap()
        .seed;
    play_on(Session::new(Arc::clone(prepared), seed), prepared, name)
}

/// Session 3's start after `before` for `seed`.
fn next(before: &Session, seed: u64) -> Continuation {
    continue_from(&session_3(), before, seed).unwrap()
}

/// The events the seeds 0..400 pick after `before`.
fn events_after(before: &Session) -> Vec<String> {
    (0..400)
        .map(|seed| {
            next(before, seed)
                .event
                .expect("an event always can happen")
                .0
        })
        .collect()
}

fn count(ids: &[String], id: &str) -> usize {
    ids.iter().filter(|i| *i == id).count()
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 1e-5
}

#[test]
fn after_a_good_session_2_the_alliance_stage_and_her_skills_carry_and_a_little_fades() {
    let before = session_2_played("expert");
    assert!(before.summary().passed);
    let end = before.state().clone();
    let began = &session_2().scenario.initial_state;
    let continued = next(&before, 11);
    let s = &continued.start.state;
    // Goals and tasks move 35% of the way back to where session 2 began (no event touches
    // them); the stage is where session 2 left it.
    assert!(close(s.goals, end.goals + 0.35 * (began.goals - end.goals)));
    assert!(close(s.tasks, end.tasks + 0.35 * (began.tasks - end.tasks)));
    assert_eq!(s.stage, end.stage);
    assert_eq!(s.stage, Stage::Action);
    for flag in [
        "goal_agreed",
        "formulation_shared",
        "worry_time_planned",
        "experiment_planned",
    ] {
        assert!(end.has_flag(flag) && s.has_flag(flag), "{flag} carries");
    }
    // What session 2 did in its own room is not done again in session 3's: the review of
    // the weeks since is this session's to do.
    assert!(end.has_flag("homework_reviewed"));
    assert!(!s.has_flag("homework_reviewed"));
    assert!(
        continued.not_on_track.is_none(),
        "{:?}",
        continued.not_on_track
    );
}

#[test]
fn after_the_expected_weeks_distress_partly_returns_hope_mostly_stays_and_she_opens_as_written() {
    let before = session_2_played("expert");
    let end = before.state().clone();
    let began = &session_2().scenario.initial_state;
    let continued = (0..100)
        .map(|seed| next(&before, seed))
        .find(|c| {
            c.event
                .as_ref()
                .is_some_and(|(id, _)| id == "mostly-good-news")
        })
        .expect("the expected weeks are the likeliest event");
    let s = &continued.start.state;
    assert!(close(
        s.distress,
        end.distress + 0.5 * (began.distress - end.distress)
    ));
    assert!(close(s.hope, end.hope + 0.3 * (began.hope - end.hope)));
    assert!(close(s.bond, end.bond + 0.35 * (began.bond - end.bond)));
    // The expected path keeps the file's own opening.
    assert!(continued.start.opening_line.is_none());
    assert!(continued.start.opening_cue.is_none());
    let (_, note) = continued.event.as_ref().unwrap();
    assert!(note.starts_with("Since last session"), "{note}");
}

#[test]
fn a_poor_session_2_steps_the_stage_back_and_carries_no_worry_time_it_never_agreed() {
    let before = session_2_played("novice");
    assert_eq!(before.ended(), Some(SessionEnd::Dropout));
    let continued = next(&before, 3);
    let s = &continued.start.state;
    assert_eq!(before.state().stage, Stage::Action);
    assert_eq!(s.stage, Stage::Preparation);
    // The file starts with worry time planned; a session 2 that never reached it does not.
    assert!(
        session_3()
            .scenario
            .initial_state
            .flags
            .iter()
            .any(|f| f == "worry_time_planned")
    );
    assert!(!before.state().has_flag("worry_time_planned"));
    assert!(!s.has_flag("worry_time_planned"));
    assert!(!s.has_flag("experiment_planned"));
    // What session 1 established, and session 2 kept, still carries.
    assert!(s.has_flag("formulation_shared") && s.has_flag("rationale_given"));
}

#[test]
fn the_seed_picks_the_event_that_fits_how_session_2_went_by_weight() {
    let good = session_2_played("expert");
    let poor = session_2_played("novice");
    assert_eq!(next(&good, 9).event, next(&good, 9).event, "deterministic");
    // Worry time and the experiment agreed in a good alliance: mostly good news, three
    // times as often as bad news at work.
    let after_good = events_after(&good);
    let expected = count(&after_good, "mostly-good-news");
    let letter = count(&after_good, "post-at-risk-letter");
    assert_eq!(expected + letter, 400, "{after_good:?}");
    assert!((250..350).contains(&expected), "{expected} of 400");
    // Worry time never agreed: she found it herself, or the letter came.
    let after_poor = events_after(&poor);
    assert_eq!(count(&after_poor, "mostly-good-news"), 0);
    let her_own = count(&after_poor, "worry-time-of-her-own");
    assert_eq!(
        her_own + count(&after_poor, "post-at-risk-letter"),
        400,
        "{after_poor:?}"
    );
    assert!((250..350).contains(&her_own), "{her_own} of 400");
}

#[test]
fn an_event_changes_the_carried_state_and_gives_her_its_opening_line() {
    let poor = session_2_played("novice");
    let (seed, own) = (0..100)
        .map(|seed| (seed, next(&poor, seed)))
        .find(|(_, c)| {
            c.event
                .as_ref()
                .is_some_and(|(id, _)| id == "worry-time-of-her-own")
        })
        .unwrap();
    let letter = (0..100)
        .map(|seed| next(&poor, seed))
        .find(|c| {
            c.event
                .as_ref()
                .is_some_and(|(id, _)| id == "post-at-risk-letter")
        })
        .expect("the letter comes for some seed");
    // Both start from the same carried state: the letter raises distress, her own worry
    // time costs a little hope.
    assert!(close(
        letter.start.state.distress,
        own.start.state.distress + 0.06
    ));
    assert!(close(
        own.start.state.hope,
        letter.start.state.hope + 0.03 - 0.04
    ));
    let session = own.session(session_3(), seed);
    assert!(
        session.opening_line().contains("NHS website"),
        "{}",
        session.opening_line()
    );
    assert_eq!(
        session.opening_cue(),
        Some("She has printed the NHS page and folded it into her diary.")
    );
    assert!(own.event.as_ref().unwrap().1.contains("never agreed"));
}

#[test]
fn the_client_is_not_on_track_after_a_poor_session_2_and_the_warning_says_what_to_do() {
    let poor = session_2_played("novice");
    let warning = next(&poor, 1)
        .not_on_track
        .expect("not on track after the novice session 2");
    let text = warning.warning();
    assert!(text.starts_with("Not on track"), "{text}");
    assert!(
        text.contains("Repair the alliance before planning the ending"),
        "{text}"
    );
    assert!(text.contains("Worry time was never agreed"), "{text}");
    // Warm but without the work: the alliance holds, the review and worry time are missing.
    let reflective = session_2_played("reflective");
    let warning = next(&reflective, 1)
        .not_on_track
        .expect("not on track without the review or worry time");
    assert!(!warning.warning().contains("Repair the alliance"));
    assert!(
        warning.warning().contains("never reviewed"),
        "{}",
        warning.warning()
    );
    assert!(next(&session_2_played("expert"), 1).not_on_track.is_none());
}

#[test]
fn without_an_earlier_session_3_starts_as_its_file_says() {
    let file = &session_3().scenario;
    assert_eq!(
        file.series.as_ref().map(|s| s.follows.as_str()),
        Some("priya-gad-session-2")
    );
    let plain = Session::new(session_3(), 5);
    assert!(plain.series_start().is_none());
    assert_eq!(plain.opening_line(), file.session.opening_line);
    assert_eq!(plain.state().bond, file.initial_state.bond);
    assert_eq!(plain.state().flags, file.initial_state.flags);
}

#[test]
fn a_good_chain_from_session_1_carries_into_session_3_and_its_expert_path_still_passes() {
    // Session 1 as its expert played it; session 2 continued from it and played as its
    // expert; session 3 continued from that.
    let s1 = played(&session_1(), "expert");
    assert!(s1.summary().passed);
    let into_2 = continue_from(&session_2(), &s1, 7).unwrap();
    let s2 = play_on(into_2.session(session_2(), 7), &session_2(), "expert");
    assert!(s2.summary().passed);
    let into_3 = next(&s2, 7);
    assert!(into_3.not_on_track.is_none());
    let s = &into_3.start.state;
    assert_eq!(s.stage, Stage::Action);
    assert!(s.has_flag("worry_time_planned") && s.has_flag("experiment_planned"));
    let s3 = play_on(into_3.session(session_3(), 1), &session_3(), "expert");
    let summary = s3.summary();
    assert!(summary.passed, "{summary:?}");
    for flag in ["setback_addressed", "blueprint_built"] {
        assert!(s3.state().has_flag(flag), "{flag}");
    }
}
