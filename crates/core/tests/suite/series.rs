//! One client across sessions (Priya's series): what carries from session 1 into session 2
//! and what fades, the between-session event the seed picks, the not-on-track warning, and
//! the checks of the series rules.

use std::sync::Arc;

use attune_core::engine::{PreparedScenario, SeriesError, Session, continue_from};
use attune_core::model::{Catalogue, Rupture, SessionEnd, Stage};
use attune_core::scenario::{Choice, check_follows, parse_scenario};

use crate::common::{library, root};

fn session_1() -> Arc<PreparedScenario> {
    library("priya-gad-session-1")
}

fn session_2() -> Arc<PreparedScenario> {
    library("priya-gad-session-2")
}

/// Session 1 played as one of its own playthroughs, named by the start of its name.
fn played(name: &str) -> Session {
    let prepared = session_1();
    let play = prepared
        .scenario
        .playthroughs
        .iter()
        .find(|p| p.name.starts_with(name))
        .unwrap_or_else(|| panic!("no playthrough `{name}`"));
    let mut session = Session::new(Arc::clone(&prepared), play.seed);
    // A session the client leaves takes no more moves.
    for c in &play.choices {
        if session.ended().is_some() {
            break;
        }
        session.apply(c).unwrap();
    }
    session
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 1e-5
}

#[test]
fn after_a_good_session_1_the_alliance_stage_and_flags_carry_and_a_little_fades() {
    let before = played("expert");
    assert!(before.summary().passed);
    let end = before.state().clone();
    let began = &session_1().scenario.initial_state;
    let next = continue_from(&session_2(), &before, 11).unwrap();
    let s = &next.start.state;
    // Goals and tasks move back 30% of the way to where session 1 began (no event touches
    // them); the stage is where session 1 left it.
    assert!(close(s.goals, end.goals + 0.3 * (began.goals - end.goals)));
    assert!(close(s.tasks, end.tasks + 0.3 * (began.tasks - end.tasks)));
    assert_eq!(s.stage, end.stage);
    for flag in ["homework_agreed", "worry_beliefs_named"] {
        assert!(end.has_flag(flag) && s.has_flag(flag), "{flag} carries");
    }
    // What the file says and no rule carries starts as the file says.
    assert!(s.has_flag("homework_partial"));
    assert_eq!(s.reactance, session_2().scenario.initial_state.reactance);
    assert!(next.not_on_track.is_none(), "{:?}", next.not_on_track);
}

#[test]
fn distress_partly_returns_and_hope_mostly_stays_between_weeks() {
    let before = played("expert");
    let end = before.state().clone();
    let began = &session_1().scenario.initial_state;
    // A seed whose event leaves the meters alone.
    let next = (1..100)
        .map(|seed| continue_from(&session_2(), &before, seed).unwrap())
        .find(|c| {
            c.event
                .as_ref()
                .is_some_and(|(id, _)| id == "log-as-agreed")
        })
        .expect("the homework done as agreed is the likeliest event");
    let s = &next.start.state;
    assert!(close(
        s.distress,
        end.distress + 0.5 * (began.distress - end.distress)
    ));
    assert!(close(s.hope, end.hope + 0.2 * (began.hope - end.hope)));
    assert!(close(s.bond, end.bond + 0.3 * (began.bond - end.bond)));
    // The file's own opening line, as no event changed it.
    assert!(next.start.opening_line.is_none());
}

#[test]
fn a_session_that_ended_badly_steps_the_stage_back_and_carries_no_unreached_flag() {
    let before = played("novice");
    assert_eq!(before.ended(), Some(SessionEnd::Dropout));
    let next = continue_from(&session_2(), &before, 3).unwrap();
    let s = &next.start.state;
    let left = before.state().stage;
    assert_eq!(s.stage.index(), (left.index() - 1).max(0));
    assert!(s.stage < Stage::Action, "{:?}", s.stage);
    // The file starts with a shared formulation; a session that never reached one does not.
    assert!(!before.state().has_flag("formulation_shared"));
    assert!(!s.has_flag("formulation_shared"));
}

#[test]
fn the_seed_picks_the_between_session_event_among_those_that_can_happen_by_weight() {
    let good = played("expert");
    let poor = played("novice");
    let ids = |session: &Session| -> Vec<String> {
        (0..400)
            .map(|seed| {
                continue_from(&session_2(), session, seed)
                    .unwrap()
                    .event
                    .expect("an event always can happen")
                    .0
            })
            .collect()
    };
    let count = |ids: &[String], id: &str| ids.iter().filter(|i| *i == id).count();
    let after_good = ids(&good);
    // Deterministic: the same seed picks the same event.
    assert_eq!(
        continue_from(&session_2(), &good, 9).unwrap().event,
        continue_from(&session_2(), &good, 9).unwrap().event
    );
    // Homework agreed in a good alliance: done as agreed three times as often as the setback.
    let done = count(&after_good, "log-as-agreed");
    let setback = count(&after_good, "results-letter");
    assert_eq!(done + setback, 400, "{after_good:?}");
    assert!((250..350).contains(&done), "{done} of 400");
    let after_poor = ids(&poor);
    assert_eq!(count(&after_poor, "log-as-agreed"), 0);
    let setback_poor = count(&after_poor, "results-letter");
    assert!(
        setback_poor > 50 && setback_poor < 150,
        "{setback_poor} of 400"
    );
}

#[test]
fn an_event_changes_the_carried_state_and_gives_her_its_opening_line() {
    let before = played("expert");
    let next = (0..100)
        .map(|seed| (seed, continue_from(&session_2(), &before, seed).unwrap()))
        .find(|(_, c)| {
            c.event
                .as_ref()
                .is_some_and(|(id, _)| id == "results-letter")
        })
        .expect("the setback happens for some seed");
    let (seed, next) = next;
    let quiet = (0..100)
        .map(|seed| continue_from(&session_2(), &before, seed).unwrap())
        .find(|c| {
            c.event
                .as_ref()
                .is_some_and(|(id, _)| id == "log-as-agreed")
        })
        .unwrap();
    assert!(close(
        next.start.state.distress,
        quiet.start.state.distress + 0.08
    ));
    assert!(
        next.event
            .as_ref()
            .unwrap()
            .1
            .starts_with("Since last week")
    );
    let session = next.session(session_2(), seed);
    assert!(
        session.opening_line().contains("more tests"),
        "{}",
        session.opening_line()
    );
    assert_eq!(
        session.opening_cue(),
        Some("The hospital letter is folded inside the notebook.")
    );
    // Rewinding goes back to the carried start, not to the file's.
    let mut rewound = session.clone();
    rewound.apply(&Choice::new("empathic_validation")).unwrap();
    rewound.rewind(0);
    assert!(close(rewound.state().distress, session.state().distress));
    assert!(rewound.opening_line().contains("more tests"));
}

#[test]
fn the_client_is_not_on_track_after_a_poor_session_1_and_the_warning_says_what_to_do() {
    let poor = played("novice");
    let next = continue_from(&session_2(), &poor, 1).unwrap();
    let warning = next
        .not_on_track
        .expect("not on track after the novice session");
    let text = warning.warning();
    assert!(text.starts_with("Not on track"), "{text}");
    assert!(text.contains("alliance"), "{text}");
    assert!(text.contains("Repair the alliance first"), "{text}");
    assert!(
        warning
            .shortfalls
            .iter()
            .any(|s| s.advice.contains("collaboratively")),
        "{text}"
    );
    let good = played("expert");
    assert!(
        continue_from(&session_2(), &good, 1)
            .unwrap()
            .not_on_track
            .is_none()
    );
}

#[test]
fn a_session_continues_only_the_session_it_follows() {
    let before = played("expert");
    let dan = library("dan-mandated-anger");
    assert_eq!(
        continue_from(&dan, &before, 1).unwrap_err(),
        SeriesError::NotASeries("dan-mandated-anger".into())
    );
    let other = Session::new(Arc::clone(&dan), 1);
    assert!(matches!(
        continue_from(&session_2(), &other, 1),
        Err(SeriesError::FollowsAnother { .. })
    ));
    // Without a previous session the ordinary start is unchanged.
    let plain = Session::new(session_2(), 5);
    assert!(plain.series_start().is_none());
    assert_eq!(
        plain.opening_line(),
        session_2().scenario.session.opening_line
    );
    assert_eq!(plain.state().bond, session_2().scenario.initial_state.bond);
}

fn session_2_text() -> String {
    std::fs::read_to_string(root().join("scenarios/priya-gad-session-2.ron")).unwrap()
}

#[test]
fn a_fade_out_of_range_is_refused_at_its_line_and_column() {
    let text = session_2_text().replacen("fade: 0.3", "fade: 1.5", 1);
    let problems = parse_scenario("s2.ron", &text, &Catalogue::builtin()).unwrap_err();
    let d = problems
        .iter()
        .find(|d| d.message.contains("fade is 1.5"))
        .unwrap_or_else(|| panic!("{problems:?}"));
    let line = text.lines().position(|l| l.contains("fade: 1.5")).unwrap() + 1;
    assert_eq!(d.line, line, "{d:?}");
    assert!(d.col > 1);
}

#[test]
fn an_event_reading_a_flag_nothing_carries_is_refused() {
    let text = session_2_text().replacen(
        "when: (not_flags: [\"homework_agreed\"])",
        "when: (not_flags: [\"homework_agred\"])",
        1,
    );
    let problems = parse_scenario("s2.ron", &text, &Catalogue::builtin()).unwrap_err();
    let d = problems
        .iter()
        .find(|d| d.message.contains("homework_agred"))
        .unwrap_or_else(|| panic!("{problems:?}"));
    assert!(
        d.help.as_deref().unwrap_or("").contains("homework_agreed"),
        "{d:?}"
    );
}

#[test]
fn a_carried_flag_never_set_in_the_session_followed_and_an_unknown_one_followed_are_errors() {
    let catalogue = Catalogue::builtin();
    let text = session_2_text().replacen("Flag(\"goal_agreed\")", "Flag(\"goal_agred\")", 1);
    let loaded = parse_scenario("s2.ron", &text, &catalogue).unwrap();
    let s1 = session_1();
    let issues = check_follows(&loaded.scenario, Some(&s1.scenario), &[], &catalogue);
    assert_eq!(issues.len(), 1, "{issues:?}");
    let d = loaded.diagnostic(issues[0].clone());
    assert!(
        d.message.contains("never set in `priya-gad-session-1`"),
        "{d:?}"
    );
    let line = text.lines().position(|l| l.contains("goal_agred")).unwrap() + 1;
    assert_eq!(d.line, line);
    assert_eq!(d.help.as_deref(), Some("did you mean `goal_agreed`?"));
    let good = parse_scenario("s2.ron", &session_2_text(), &catalogue).unwrap();
    assert!(check_follows(&good.scenario, Some(&s1.scenario), &[], &catalogue).is_empty());
    let missing = check_follows(&good.scenario, None, &["priya-gad-session-3"], &catalogue);
    assert!(
        missing[0].message.contains("not in the library"),
        "{missing:?}"
    );
    let _ = Rupture::None;
}
