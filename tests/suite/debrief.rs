//! The debrief a student reads: the verdict and why, ratings that track what happened, the
//! best move at each turn, branches under one name, and the End-session confirmation.

use std::sync::Arc;

use attune::analysis::{Progress, best_moves, expert_playthrough};
use attune::app::screens::debrief::DebriefScreen;
use attune::app::screens::session_view::{self, Consult};
use attune::engine::{BranchedSession, PreparedScenario, Session};
use attune::model::{Mode, SessionEnd};
use attune::scenario::Choice;
use attune::scoring::FisItem;
use attune::ui::{self, UiAction};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use crate::common::{self, choice, library, library_files, prepared_from};

/// Plays choices until the session ends.
fn play_until_end(prepared: &Arc<PreparedScenario>, seed: u64, choices: &[Choice]) -> Session {
    let mut s = Session::new(Arc::clone(prepared), seed);
    for c in choices {
        if s.ended().is_some() {
            break;
        }
        s.apply(c).expect("choice applies");
    }
    s
}

/// The case: sessions that ended in dropout rated 4 of 5 on warmth and empathy. Now
/// every library playthrough that ends in dropout rates lower than the scenario's expert
/// path on each of the eight items, and no higher than 2 on the relational ones.
#[test]
fn a_dropout_session_rates_clearly_lower_than_the_expert_path_on_every_fis_item() {
    let mut dropouts = 0;
    for path in library_files() {
        let p = prepared_from(&path);
        let Some(expert) = expert_playthrough(&p.scenario) else {
            continue;
        };
        let expert = play_until_end(&p, expert.seed, &expert.choices).summary();
        for pt in &p.scenario.playthroughs {
            let s = play_until_end(&p, pt.seed, &pt.choices);
            if s.ended() != Some(SessionEnd::Dropout) {
                continue;
            }
            dropouts += 1;
            let fis = s.summary().fis;
            for item in FisItem::ALL {
                assert!(
                    fis.get(item) < expert.fis.get(item),
                    "{} `{}`: {item:?} rates {} after a dropout, the expert path {}",
                    path.display(),
                    pt.name,
                    fis.get(item),
                    expert.fis.get(item)
                );
            }
            for item in [
                FisItem::WarmthAcceptanceUnderstanding,
                FisItem::Empathy,
                FisItem::AllianceBondCapacity,
                FisItem::HopePositiveExpectations,
            ] {
                assert!(fis.get(item) <= 2, "{}: {item:?} {:?}", pt.name, fis);
            }
        }
    }
    assert!(
        dropouts >= 2,
        "the library has dropout playthroughs to check"
    );
}

/// The expert path shows the skills: no item below 4 in any library scenario.
#[test]
fn the_expert_path_rates_well_on_every_fis_item() {
    for path in library_files() {
        let p = prepared_from(&path);
        let Some(expert) = expert_playthrough(&p.scenario) else {
            continue;
        };
        let fis = play_until_end(&p, expert.seed, &expert.choices)
            .summary()
            .fis;
        for item in FisItem::ALL {
            assert!(
                fis.get(item) >= 4,
                "{}: {item:?} rates {} on the expert path ({fis:?})",
                path.display(),
                fis.get(item)
            );
        }
    }
}

/// A session the trainee ends early says so in words and gives it as the reason for not
/// passing, with real plurals.
#[test]
fn ending_early_is_said_in_words_and_given_as_the_reason() {
    let s = common::play(
        &common::fixture(),
        1,
        &[choice("complex_reflection"), choice("open_question")],
    );
    let summary = s.summary();
    assert!(!summary.passed);
    assert!(
        summary
            .flags
            .contains(&"You ended the session after 2 of 6 turns".to_string()),
        "{:?}",
        summary.flags
    );
    assert!(
        summary
            .not_passed_because
            .iter()
            .any(|w| w.starts_with("you ended the session after 2 of 6 turns")),
        "{:?}",
        summary.not_passed_because
    );
    assert!(!summary.flags.iter().any(|f| f.contains("(s)")));
    // The debrief shows the reason once, not again among the notes.
    assert!(!summary.notes.iter().any(|n| n.starts_with("You ended")));
}

/// Dan after two confrontations: a rupture left open, counted in words.
#[test]
fn one_rupture_is_one_rupture() {
    let dan = library("dan-mandated-anger");
    let s = common::play(&dan, 7, &[choice("confrontation"), choice("advice_giving")]);
    let summary = s.summary();
    let left = summary.ruptures_opened - summary.ruptures_repaired;
    assert!(left >= 1, "{:?}", summary.flags);
    let expected = if left == 1 {
        "1 rupture was left unrepaired".to_string()
    } else {
        format!("{left} ruptures were left unrepaired")
    };
    assert!(summary.flags.contains(&expected), "{:?}", summary.flags);
}

/// A score under the pass mark is given as the reason, and never rounds up to the mark.
#[test]
fn a_score_under_the_mark_is_the_reason_and_does_not_round_up_to_it() {
    use attune::scoring::shown_score;
    assert_eq!(shown_score(59.6, 60.0), "59.6");
    assert_eq!(shown_score(60.2, 60.0), "60");
    assert_eq!(shown_score(71.4, 60.0), "71");
    let dan = library("dan-mandated-anger");
    let limit = dan.scenario.session.turn_limit as usize;
    let s = play_until_end(&dan, 7, &vec![choice("open_question"); limit]);
    let summary = s.summary();
    if summary.overall < summary.pass_mark {
        assert!(
            summary
                .not_passed_because
                .iter()
                .any(|w| w.contains("under the pass mark of 60")),
            "{:?}",
            summary.not_passed_because
        );
    }
}

/// The best move at each turn is found from that very state: previewing it on the session
/// replayed to that turn gives the fit reported; it is never worse than the trainee's move
/// or than any technique played plainly; its explanation names a principle and a source.
#[test]
fn the_best_move_at_each_turn_is_found_from_that_state_and_beats_the_plain_moves() {
    let dan = library("dan-mandated-anger");
    let choices = [
        "complex_reflection",
        "confrontation",
        "advice_giving",
        "open_question",
    ]
    .map(choice);
    let session = play_until_end(&dan, 7, &choices);
    let progress = Progress::new();
    let found = best_moves(&session, &progress);
    assert_eq!(found.len(), session.turns().len());
    let mut before = Session::new(Arc::clone(&dan), 7);
    for (alt, t) in found.iter().zip(session.turns()) {
        assert_eq!(alt.turn, t.turn);
        assert_eq!(alt.played_fit, t.fit.score);
        assert!(alt.fit.score >= t.fit.score, "turn {}", t.turn);
        let previewed = before.preview_fit(&alt.best).unwrap();
        assert_eq!(previewed.score, alt.fit.score, "turn {}", t.turn);
        for tech in &dan.techniques {
            let plain = before.preview_fit(&Choice::new(&tech.id)).unwrap();
            assert!(
                alt.fit.score + 0.5 >= plain.score,
                "turn {}: {} plain fits {:.1}, the best found {:.1}",
                t.turn,
                tech.id,
                plain.score,
                alt.fit.score
            );
        }
        assert!(!alt.fit.explanation.is_empty());
        assert!(!alt.fit.reason.principle.is_empty() && !alt.fit.reason.source.is_empty());
        before.apply(&t.choice).unwrap();
    }
    // A confrontation of a reactant client is not the best move: something better is found.
    let confrontation = &found[1];
    assert!(!confrontation.played_was_best);
    assert!(confrontation.gain() >= 20.0, "{confrontation:?}");
    assert_ne!(confrontation.best.technique, "confrontation");
}

/// Timing: the best moves of a whole session, measured (in the debug build the tests use).
#[test]
fn the_best_moves_of_a_whole_session_are_found_in_well_under_a_second() {
    let dan = library("dan-mandated-anger");
    let expert = expert_playthrough(&dan.scenario).unwrap();
    let session = play_until_end(&dan, 7, &expert.choices);
    let start = std::time::Instant::now();
    let found = best_moves(&session, &Progress::new());
    let took = start.elapsed();
    eprintln!(
        "best moves of {} turns took {:.1} ms",
        found.len(),
        took.as_secs_f64() * 1000.0
    );
    assert!(took.as_secs_f64() < 2.0, "{took:?}");
}

type DebriefState = (BranchedSession, DebriefScreen, Vec<UiAction>);

fn debrief_harness(
    run: BranchedSession,
    width: f32,
    height: f32,
) -> Harness<'static, DebriefState> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(width, height))
        .build_ui_state(
            |ui, (run, screen, actions): &mut DebriefState| {
                actions.extend(screen.show(ui, run, false));
            },
            (run, Default::default(), Vec::new()),
        );
    harness.step();
    // The best moves are found on a thread: wait for them, then draw again.
    let job = harness
        .state_mut()
        .1
        .best_moves
        .started()
        .next()
        .cloned()
        .expect("the debrief starts finding the best moves");
    job.wait();
    harness.run();
    harness
}

fn dan_run(mode: Mode, ids: &[&str]) -> BranchedSession {
    let mut run = BranchedSession::new(library("dan-mandated-anger"), 7, mode);
    for id in ids {
        run.play(&choice(id)).unwrap();
    }
    run
}

/// The screen: the verdict's reason, the best move beside a poor one, plain MITI words.
#[test]
fn the_debrief_says_why_not_passed_and_shows_the_best_move_beside_each_turn() {
    let run = dan_run(
        Mode::Practice,
        &["complex_reflection", "confrontation", "open_question"],
    );
    let harness = debrief_harness(run, 1280.0, 800.0);
    harness.get_by_label("Not passed");
    harness.get_by_label_contains("Why not passed: you ended the session after 3 of 12 turns");
    assert!(
        harness
            .get_all_by_label_contains("Best move here:")
            .next()
            .is_some()
    );
    harness.get_by_label_contains("The most to gain: turn 2");
    harness.get_by_label("Persuading without permission");
    harness.get_by_label("Persuading with permission");
    assert!(harness.query_by_label_contains("(s)").is_none());
    assert!(
        harness
            .query_by_label_contains("Session still open")
            .is_none()
    );
}

/// The score's colour never contradicts the verdict.
#[test]
fn the_score_takes_the_verdicts_colour() {
    assert_eq!(
        ui::debrief::verdict_colour(false),
        ui::theme::BAD,
        "a score beside Not passed is never green"
    );
    assert_eq!(ui::debrief::verdict_colour(true), ui::theme::GOOD);
}

/// Branches have one name everywhere, and the comparison shows both branches' moves and
/// the client's words side by side.
#[test]
fn branches_have_one_name_and_the_comparison_shows_the_clients_words() {
    let mut run = dan_run(Mode::Practice, &["complex_reflection", "confrontation"]);
    run.rewind(1);
    run.play(&choice("rolling_with_resistance")).unwrap();
    let line_original = run.branches[0].session.turns()[1].client_line.clone();
    let line_branch = run.branches[1].session.turns()[1].client_line.clone();
    let mut harness = debrief_harness(run, 1280.0, 900.0);
    // Chosen as a person would: open "Compare with", pick the original.
    harness.get_by_label("Compare with").click();
    harness.run();
    harness.get_by_label("Original").click();
    harness.run();
    assert_eq!(harness.state().1.ui.compare_with, Some(0));
    // The branch buttons and the comparison use the same names.
    harness.get_by_label_contains("Original (");
    harness.get_by_label_contains("Branch 1 from turn 2 (");
    harness.get_by_label_contains("Original: ");
    harness.get_by_label_contains("Branch 1 from turn 2: ");
    harness.get_by_label_contains("The first move is the same in both.");
    for line in [line_original, line_branch] {
        assert!(
            harness.get_all_by_label_contains(&line).count() >= 1,
            "the client's words are shown: {line}"
        );
    }
    assert!(harness.query_by_label_contains("branch 0").is_none());
}

/// Practice "End session" asks first, saying how far the session got.
#[test]
fn ending_a_practice_session_asks_first() {
    type State = (BranchedSession, ui::session::SessionUi, Vec<UiAction>);
    let run = dan_run(Mode::Practice, &["complex_reflection", "open_question"]);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, (run, state, actions): &mut State| {
                let view = session_view::view(run, None, &mut Consult::default());
                actions.extend(ui::session::show(ui, &view, state));
            },
            (run, Default::default(), Vec::new()),
        );
    harness.run();
    harness.get_by_label("End session").click();
    harness.run();
    assert!(
        harness.state().2.is_empty(),
        "nothing ends on the first click"
    );
    harness.get_by_label_contains("End after 2 of 12 turns?");
    harness.get_by_label("Keep going").click();
    harness.run();
    assert!(harness.state().2.is_empty());
    harness.get_by_label("End session").click();
    harness.run();
    harness.get_by_label("End it now").click();
    harness.run();
    assert_eq!(harness.state().2, vec![UiAction::EndSession]);
}

/// Every turn is labelled on the plot's axis when there is room, every other when crowded.
#[test]
fn the_trajectory_labels_every_turn_or_every_other() {
    use ui::debrief::turn_label_step;
    assert_eq!(turn_label_step(12, 480.0), 1);
    assert_eq!(turn_label_step(20, 480.0), 1);
    assert_eq!(turn_label_step(30, 480.0), 2);
    assert_eq!(turn_label_step(12, 200.0), 2);
}

/// A failed safety gate is given as the reason with its turn and what was missed, once.
#[test]
fn a_failed_safety_gate_is_the_reason_with_its_turn() {
    let maria = library("maria-depression-risk");
    let gate = maria
        .scenario
        .playthroughs
        .iter()
        .find(|p| p.name.starts_with("gate:"))
        .expect("Maria's safety-gate playthrough");
    let summary = play_until_end(&maria, gate.seed, &gate.choices).summary();
    assert!(!summary.safety_failures.is_empty());
    let turn = summary.safety_failures[0].turn;
    assert!(
        summary.not_passed_because[0]
            .starts_with(&format!("a safety gate failed at turn {turn}: ")),
        "{:?}",
        summary.not_passed_because
    );
    assert!(!summary.notes.iter().any(|n| n.contains("Safety gate")));
}

/// The job tells whoever drew it when it is done, so a reactive window draws the result
/// without polling; its result is the same as finding the best moves directly.
#[test]
fn the_best_moves_job_notifies_when_done_and_agrees_with_the_direct_result() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let dan = library("dan-mandated-anger");
    let session = play_until_end(
        &dan,
        7,
        &["complex_reflection", "confrontation", "open_question"].map(choice),
    );
    let notices = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&notices);
    let job = attune::analysis::BestMovesJob::start(&session, move || {
        counted.fetch_add(1, Ordering::SeqCst);
    });
    let found = job.wait();
    let direct = best_moves(&session, &Progress::new());
    assert_eq!(found.len(), direct.len());
    for (a, b) in found.iter().zip(&direct) {
        assert_eq!(
            (a.turn, &a.best, a.fit.score),
            (b.turn, &b.best, b.fit.score)
        );
    }
    assert_eq!(job.fraction(), 1.0);
    // The notice comes just after the result is set: give the thread a moment to make it.
    let start = std::time::Instant::now();
    while notices.load(Ordering::SeqCst) == 0 && start.elapsed().as_secs() < 5 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(notices.load(Ordering::SeqCst) >= 1);
}
