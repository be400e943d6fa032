//! Each screen's function driven through egui_kittest, found by the AccessKit labels a
//! screen reader would announce, and clicked as a person would.

use std::sync::Arc;

use attune::app::screens::debrief::DebriefScreen;
use attune::app::screens::session_view::{self, Consult};
use attune::engine::{BranchedSession, PreparedScenario};
use attune::model::Mode;
use attune::source::Diagnostic;
use attune::ui::{self, UiAction};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use crate::common;

fn dan() -> Arc<PreparedScenario> {
    common::library("dan-mandated-anger")
}

/// The session screen with the app's own handling of its actions: a played choice is
/// applied to the session, as the Bevy shell does.
struct SessionHarnessState {
    run: BranchedSession,
    ui: ui::session::SessionUi,
    other_actions: Vec<UiAction>,
}

fn session_harness(mode: Mode) -> Harness<'static, SessionHarnessState> {
    let state = SessionHarnessState {
        run: BranchedSession::new(dan(), 7, mode),
        ui: Default::default(),
        other_actions: Vec::new(),
    };
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, state: &mut SessionHarnessState| {
                let view = session_view::view(&state.run, None, &mut Consult::default());
                for action in ui::session::show(ui, &view, &mut state.ui) {
                    match action {
                        UiAction::Play(choice) => {
                            state
                                .run
                                .play(&choice)
                                .expect("a choice offered on screen applies");
                        }
                        other => state.other_actions.push(other),
                    }
                }
            },
            state,
        )
}

/// Finds a technique as a trainee would: types part of its name into the palette's search
/// box, then clicks it by its label.
fn pick(harness: &mut Harness<'static, SessionHarnessState>, search: &str, label: &str) {
    harness.get_by_label("Find").focus();
    harness.get_by_label("Find").type_text(search);
    harness.run();
    harness.get_by_label(label).click();
    harness.run();
}

#[test]
fn clicking_a_technique_by_its_label_and_using_it_adds_a_turn_to_the_transcript() {
    let mut harness = session_harness(Mode::Practice);
    harness.run();
    assert!(harness.query_by_label_contains("Turn 1. You:").is_none());

    pick(&mut harness, "complex", "Complex reflection");
    assert_eq!(
        harness.state().ui.selected.as_deref(),
        Some("complex_reflection")
    );
    // The adaptation controls for the chosen technique are on screen.
    harness.get_by_label("Collaborative").click();
    harness.run();
    harness.get_by_label("Use this technique").click();
    harness.run();

    let turns = harness.state().run.session().turns();
    assert_eq!(turns.len(), 1);
    assert_eq!(turns[0].choice.technique, "complex_reflection");
    assert_eq!(
        turns[0].choice.framing,
        attune::scenario::Framing::Collaborative,
        "the adaptation chosen on screen was played"
    );
    let line = turns[0].client_line.clone();
    harness.get_by_label_contains("Turn 1. You: Complex reflection");
    harness.get_by_label_contains(&line);
}

#[test]
fn a_whole_turn_can_be_played_from_the_keyboard() {
    let mut harness = session_harness(Mode::Practice);
    harness.run();
    // Narrow the palette by typing, then pick the first match by its number and confirm.
    harness.get_by_label("Find").focus();
    harness.get_by_label("Find").type_text("rolling");
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    harness.key_press(Key::Num1);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    let turns = harness.state().run.session().turns();
    assert_eq!(turns.len(), 1, "number key then Enter plays a turn");
    assert_eq!(turns[0].choice.technique, "rolling_with_resistance");
}

#[test]
fn practice_mode_shows_meters_feedback_and_consult() {
    let mut harness = session_harness(Mode::Practice);
    harness.run();
    for meter in ["Alliance", "Distress", "Hope"] {
        harness.get_by_label(meter);
    }
    assert_eq!(
        harness
            .query_all_by_role(egui::accesskit::Role::ProgressIndicator)
            .count(),
        3
    );
    // Dan opens not yet engaged: the moment is shown, and the consult panel advises for it.
    assert!(
        harness
            .query_all_by_label_contains("Moment: Dan is not yet engaged")
            .count()
            >= 1,
        "the open moment is shown in practice"
    );
    harness.get_by_label("Consult the schools").click();
    harness.run();
    assert!(
        harness.query_all_by_label_contains("Engage first").count() >= 1,
        "consult hints advise for this moment"
    );
    pick(&mut harness, "complex", "Complex reflection");
    harness.get_by_label("Use this technique").click();
    harness.run();
    harness.get_by_label("Last move");
    assert!(
        harness.query_all_by_label_contains("Fit ").count() >= 1,
        "the turn's fit is shown"
    );
}

#[test]
fn assessment_mode_shows_no_meters_feedback_or_hints() {
    let mut harness = session_harness(Mode::Assessment);
    harness.run();
    pick(&mut harness, "complex", "Complex reflection");
    harness.get_by_label("Use this technique").click();
    harness.run();
    assert_eq!(harness.state().run.session().turns().len(), 1);
    for meter in ["Alliance", "Distress", "Hope"] {
        assert!(
            harness.query_by_label(meter).is_none(),
            "assessment mode shows no {meter} meter"
        );
    }
    assert!(
        harness
            .query_by_role(egui::accesskit::Role::ProgressIndicator)
            .is_none()
    );
    for hidden in ["Fit ", "Consult", "Last move", "Moment:"] {
        let found: Vec<String> = harness
            .query_all_by_label_contains(hidden)
            .map(|n| format!("{n:?}").chars().take(300).collect::<String>())
            .collect();
        assert!(
            found.is_empty(),
            "assessment mode shows no `{hidden}`: {found:?}"
        );
    }
    // Ending a graded session early asks once more; "Keep going" takes it back.
    harness.get_by_label("End session").click();
    harness.run();
    assert!(harness.state().other_actions.is_empty());
    harness.get_by_label("Keep going").click();
    harness.run();
    harness.get_by_label("End session").click();
    harness.run();
    harness.get_by_label("End it now").click();
    harness.run();
    assert_eq!(harness.state().other_actions, vec![UiAction::EndSession]);
}

#[test]
fn the_library_shows_a_card_per_client_filters_by_search_and_opens_a_briefing() {
    let scenarios = [
        common::library("dan-mandated-anger"),
        common::library("maria-depression-risk"),
        common::library("tom-panic-exposure"),
    ];
    let paths = [
        "scenarios/dan.ron",
        "scenarios/maria.ron",
        "scenarios/tom.ron",
    ];
    let broken = vec![Diagnostic::whole_file(
        "scenarios/broken.ron",
        "expected `)`".to_string(),
    )];
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, (state, actions): &mut (ui::library::LibraryUi, Vec<UiAction>)| {
                let mut cards: Vec<ui::library::LibraryCard> = scenarios
                    .iter()
                    .zip(paths)
                    .map(|(s, path)| ui::library::LibraryCard {
                        path,
                        scenario: Some(&s.scenario),
                        diagnostics: &[],
                        best_score: None,
                    })
                    .collect();
                cards.push(ui::library::LibraryCard {
                    path: "scenarios/broken.ron",
                    scenario: None,
                    diagnostics: &broken,
                    best_score: None,
                });
                actions.extend(ui::library::show(
                    ui,
                    &cards,
                    &Default::default(),
                    state,
                    1.0,
                ));
            },
            (Default::default(), Vec::new()),
        );
    harness.run();
    for name in ["Meet Dan", "Meet Maria", "Meet Tom"] {
        harness.get_by_label(name);
    }
    harness.get_by_label_contains("scenarios/broken.ron:1:1: error: expected `)`");

    harness.get_by_label("Search").focus();
    harness.get_by_label("Search").type_text("panic");
    harness.run();
    harness.get_by_label("Meet Tom");
    assert!(
        harness.query_by_label("Meet Dan").is_none(),
        "the search hides clients that do not match"
    );
    harness.get_by_label("Meet Tom").click();
    harness.run();
    assert_eq!(
        harness.state().1,
        vec![UiAction::OpenBriefing("scenarios/tom.ron".into())]
    );
}

#[test]
fn the_briefing_offers_practice_or_assessment() {
    let prepared = dan();
    let mut harness = briefing_harness(prepared);
    harness.run();
    harness.get_by_label("Learning objectives");
    harness.get_by_label("Begin session").click();
    harness.run();
    harness.get_by_label("Assessment").click();
    harness.run();
    harness.get_by_label("Begin session").click();
    harness.run();
    assert_eq!(
        harness.state().1,
        vec![
            UiAction::Start {
                mode: Mode::Practice,
                seed: 4242
            },
            UiAction::Start {
                mode: Mode::Assessment,
                seed: ui::briefing::ASSESSMENT_SEED
            }
        ]
    );
}

fn played(mode: Mode, ids: &[&str]) -> BranchedSession {
    let mut run = BranchedSession::new(dan(), 7, mode);
    for id in ids {
        run.play(&common::choice(id)).unwrap();
    }
    run
}

/// The debrief drawn in a test harness, with the session, the screen's state and the
/// actions.
type DebriefHarness = Harness<'static, (BranchedSession, DebriefScreen, Vec<UiAction>)>;

fn debrief_actions(run: BranchedSession, click: Option<&str>) -> (Vec<UiAction>, DebriefHarness) {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 900.0))
        .build_ui_state(
            |ui, (run, screen, actions): &mut (BranchedSession, DebriefScreen, Vec<UiAction>)| {
                actions.extend(screen.show(ui, run, false));
            },
            (run, Default::default(), Vec::new()),
        );
    harness.step();
    // The debrief finds the best move at each turn on a thread: click once it is shown.
    let jobs: Vec<_> = harness.state().1.best_moves.started().cloned().collect();
    jobs.iter().for_each(|j| {
        j.wait();
    });
    harness.run();
    if let Some(label) = click {
        harness.get_by_label(label).click();
        harness.run();
    }
    (harness.state().2.clone(), harness)
}

#[test]
fn the_debrief_shows_score_rubrics_plot_and_transcript_and_rewinds_into_a_branch() {
    let run = played(
        Mode::Practice,
        &["complex_reflection", "confrontation", "metacommunication"],
    );
    let overall = run.session().summary().overall;
    let (actions, harness) = debrief_actions(run, Some("Try turn 2 again"));
    harness.get_by_label(&format!("{overall:.0} / 100"));
    harness.get_by_label("Not passed");
    for heading in [
        "Facilitative interpersonal skills (1 to 5)",
        "MITI behaviour counts",
        "Integration rubric (1 to 5)",
        "Alliance, distress and hope by turn",
        "Transcript",
    ] {
        harness.get_by_label(heading);
    }
    harness.get_by_label_contains("Turn 2: Confrontation");
    assert_eq!(actions, vec![UiAction::Rewind(1)]);
}

#[test]
fn two_branches_can_be_compared_side_by_side() {
    let mut run = played(Mode::Practice, &["complex_reflection", "confrontation"]);
    run.rewind(1);
    run.play(&common::choice("rolling_with_resistance"))
        .unwrap();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 900.0))
        .build_ui_state(
            |ui, (run, screen): &mut (BranchedSession, DebriefScreen)| {
                screen.show(ui, run, false);
            },
            (
                run,
                DebriefScreen {
                    ui: ui::debrief::DebriefUi {
                        compare_with: Some(0),
                    },
                    ..Default::default()
                },
            ),
        );
    harness.run();
    harness.get_by_label("Two branches side by side");
    harness.get_by_label_contains("Branch 1 from turn 2: ");
    harness.get_by_label_contains("Original: ");
    // In the comparison (the branch shown also has its own transcript below it).
    for turn in ["Turn 2: Confrontation", "Turn 2: Rolling with resistance"] {
        assert!(
            harness.get_all_by_label_contains(turn).count() >= 1,
            "{turn}"
        );
    }
}

#[test]
fn the_assessment_debrief_has_no_rewind() {
    let run = played(Mode::Assessment, &["complex_reflection", "open_question"]);
    let (_, harness) = debrief_actions(run, None);
    harness.get_by_label("Transcript");
    assert!(harness.query_by_label_contains("again").is_none());
}

/// Every control a person can operate (buttons, checkboxes, radio buttons, combo boxes,
/// text boxes, sliders) has a name a screen reader can announce.
/// The briefing drawn in a test harness at 1280x800, with a practice seed of 4242 and no
/// sitting, and the actions it returns.
pub(crate) type BriefingHarness = Harness<'static, (ui::briefing::BriefingUi, Vec<UiAction>)>;

pub(crate) fn briefing_harness(prepared: Arc<PreparedScenario>) -> BriefingHarness {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            move |ui, (state, actions): &mut (ui::briefing::BriefingUi, Vec<UiAction>)| {
                actions.extend(ui::briefing::show(
                    ui,
                    &prepared.scenario,
                    state,
                    4242,
                    None,
                ));
            },
            (Default::default(), Vec::new()),
        )
}

pub(crate) fn assert_every_control_is_labelled<S>(harness: &Harness<'_, S>, screen: &str) {
    use egui::accesskit::Role;
    let controls = [
        Role::Button,
        Role::CheckBox,
        Role::RadioButton,
        Role::ComboBox,
        Role::TextInput,
        Role::Slider,
        Role::SpinButton,
    ];
    let seen = harness
        .query_all_by(|node| controls.contains(&node.role()))
        .count();
    let unlabelled: Vec<String> = harness
        .query_all_by(|node| {
            controls.contains(&node.role()) && node.label().is_none_or(|l| l.trim().is_empty())
        })
        .map(|node| format!("{node:?}").chars().take(300).collect())
        .collect();
    assert!(seen > 0, "{screen}: no controls found");
    assert!(
        unlabelled.is_empty(),
        "{screen}: controls without an accessible name: {unlabelled:#?}"
    );
}

#[test]
fn every_control_on_every_screen_has_an_accessible_label() {
    let mut session = session_harness(Mode::Practice);
    session.run();
    pick(&mut session, "complex", "Complex reflection");
    assert_every_control_is_labelled(&session, "session");

    let prepared = dan();
    let mut briefing = Harness::new_ui_state(
        |ui, state: &mut ui::briefing::BriefingUi| {
            ui::briefing::show(ui, &prepared.scenario, state, 1, None);
        },
        Default::default(),
    );
    briefing.run();
    assert_every_control_is_labelled(&briefing, "briefing");

    let cards = [ui::library::LibraryCard {
        path: "scenarios/dan.ron",
        scenario: Some(&prepared.scenario),
        diagnostics: &[],
        best_score: Some(71.0),
    }];
    let mut library = Harness::new_ui_state(
        |ui, state: &mut ui::library::LibraryUi| {
            ui::library::show(ui, &cards, &Default::default(), state, 1.0);
        },
        Default::default(),
    );
    library.run();
    assert_every_control_is_labelled(&library, "library");
    library.get_by_label("Your best: 71");

    let mut run = played(Mode::Practice, &["complex_reflection", "confrontation"]);
    run.rewind(1);
    let (_, debrief) = debrief_actions(run, None);
    assert_every_control_is_labelled(&debrief, "debrief");
}

fn pack_view(sitting: Option<ui::pack::SittingView>, results: bool) -> ui::pack::PackView<'static> {
    let met = sitting.is_some();
    let clients = ["Dan Mercer", "Tom Whitaker"]
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let done = results || (i == 0 && met);
            ui::pack::PackClient {
                name: name.to_string(),
                title: String::new(),
                result: done.then_some((70.0 - 20.0 * i as f32, i == 0)),
                attempt: done.then(|| format!("attempt-{i}")),
            }
        })
        .collect();
    ui::pack::PackView {
        title: "Mid-term",
        class_id: "PSY501",
        instructions: "Two clients, in order.",
        pass_mark: 60.0,
        time_limit_minutes: Some(45),
        words: attune::coding::WordsMode::Required,
        clients,
        sitting,
        saved_to: Some("records.sqlite".into()),
        problems: &[],
    }
}

#[test]
fn the_pack_asks_for_the_learner_once_then_shows_progress_and_results() {
    // Before: the clients, the rules, and the one question.
    let view = pack_view(None, false);
    let mut before = Harness::new_ui_state(
        |ui, (state, actions): &mut (ui::pack::PackUi, Vec<UiAction>)| {
            actions.extend(ui::pack::show(ui, &view, state));
        },
        (ui::pack::PackUi::default(), Vec::new()),
    );
    before.run();
    before.get_by_label_contains("pass mark 60 for each");
    before.get_by_label_contains("45 minutes for the whole pack");
    before.get_by_label_contains("your own words at every move");
    before.get_by_label("Your name or student id").focus();
    before
        .get_by_label("Your name or student id")
        .type_text("Ann Lee");
    before.run();
    before.get_by_label("Begin the assessment").click();
    before.run();
    assert_eq!(
        before.state().1,
        vec![UiAction::BeginSitting("Ann Lee".into())]
    );
    assert_every_control_is_labelled(&before, "pack");

    // Between clients: what is done, the time left, no scores yet.
    let view = pack_view(
        Some(ui::pack::SittingView {
            learner: "Ann Lee".into(),
            next: Some(2),
            seconds_left: Some(1234),
            time_up: false,
        }),
        false,
    );
    let mut during = Harness::new_ui_state(
        |ui, (state, actions): &mut (ui::pack::PackUi, Vec<UiAction>)| {
            actions.extend(ui::pack::show(ui, &view, state));
        },
        (ui::pack::PackUi::default(), Vec::new()),
    );
    during.run();
    during.get_by_label("Time left: 20:34");
    during.get_by_label("1 of 2 done");
    assert!(
        during.query_by_label_contains("70.0").is_none(),
        "no score before the end"
    );
    during.get_by_label("Meet Tom Whitaker (client 2)").click();
    during.run();
    assert_eq!(during.state().1, vec![UiAction::NextClient]);

    // At the end: each client's result.
    let view = pack_view(
        Some(ui::pack::SittingView {
            learner: "Ann Lee".into(),
            next: None,
            seconds_left: Some(0),
            time_up: true,
        }),
        true,
    );
    let mut after = Harness::new_ui_state(
        |ui, (state, actions): &mut (ui::pack::PackUi, Vec<UiAction>)| {
            actions.extend(ui::pack::show(ui, &view, state));
        },
        (ui::pack::PackUi::default(), Vec::new()),
    );
    after.run();
    after.get_by_label("Time is up: the assessment is over");
    after.get_by_label("Passed 1 of 2 clients (pass mark 60).");
    after.get_by_label("70.0 · passed");
    after.get_by_label("50.0 · not passed");
    assert!(
        during.query_by_label("Review Dan Mercer").is_none(),
        "no review before the end"
    );
    after.get_by_label("Review Tom Whitaker").click();
    after.run();
    assert_eq!(
        after.state().1,
        vec![UiAction::ReviewAttempt("attempt-1".into())]
    );
    assert_every_control_is_labelled(&after, "pack results");
}

#[test]
fn the_library_offers_interrupted_work_and_assessment_packs() {
    let desk = ui::library::LibraryDesk {
        interrupted: vec![
            ui::library::Interrupted {
                resume: UiAction::ResumeAttempt("a1".into()),
                discard: Some(UiAction::DiscardAttempt("a1".into())),
                what: "session with Dan Mercer".into(),
                detail: "practice · 4 turn(s) saved".into(),
            },
            ui::library::Interrupted {
                resume: UiAction::ResumeSitting("s1".into()),
                discard: None,
                what: "assessment \"Mid-term\"".into(),
                detail: "Ann Lee · 1 of 3 clients done".into(),
            },
        ],
        packs: vec!["packs/midterm.ron".into()],
        problems: vec!["pack.ron:3:5: error: no scenario with id `x`".into()],
        learner: None,
        learners: Vec::new(),
        course_position: None,
    };
    let mut harness = Harness::new_ui_state(
        |ui, (state, actions): &mut (ui::library::LibraryUi, Vec<UiAction>)| {
            actions.extend(ui::library::show(ui, &[], &desk, state, 1.0));
        },
        (Default::default(), Vec::new()),
    );
    harness.run();
    harness.get_by_label_contains("no scenario with id `x`");
    assert!(
        harness
            .query_by_label("Discard assessment \"Mid-term\"")
            .is_none(),
        "an assessment is never offered for discarding"
    );
    harness
        .get_by_label("Resume session with Dan Mercer")
        .click();
    harness.run();
    harness
        .get_by_label("Discard session with Dan Mercer")
        .click();
    harness.run();
    harness
        .get_by_label("Resume assessment \"Mid-term\"")
        .click();
    harness.run();
    harness.get_by_label("Open midterm.ron").click();
    harness.run();
    harness.get_by_label("Pack file").focus();
    harness
        .get_by_label("Pack file")
        .type_text("elsewhere/final.ron");
    harness.run();
    harness.get_by_label("Open pack").click();
    harness.run();
    assert_eq!(
        harness.state().1,
        vec![
            UiAction::ResumeAttempt("a1".into()),
            UiAction::DiscardAttempt("a1".into()),
            UiAction::ResumeSitting("s1".into()),
            UiAction::OpenPack("packs/midterm.ron".into()),
            UiAction::OpenPack("elsewhere/final.ron".into()),
        ]
    );
    assert_every_control_is_labelled(&harness, "library with packs");
}

// ---------------------------------------------------------------------------------------
// Every text size on common laptop screens, the fonts, and the palette's search.

/// The window sizes of common school laptops, in pixels.
const LAPTOPS: [(f32, f32); 2] = [(1280.0, 800.0), (1366.0, 768.0)];

/// Every text size the library's slider offers (0.8 to 2.0 in steps of 0.1).
fn text_sizes() -> Vec<f32> {
    (8..=20).map(|tenths| tenths as f32 / 10.0).collect()
}

/// A harness drawing `screen` in a window of `pixels` at text size `scale`, as the app does:
/// the zoom factor turns the window into `pixels / scale` points.
fn zoomed<S>(
    pixels: (f32, f32),
    scale: f32,
    screen: impl FnMut(&mut egui::Ui, &mut S) + 'static,
    state: S,
) -> Harness<'static, S> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(pixels.0 / scale, pixels.1 / scale))
        .with_pixels_per_point(scale)
        .build_ui_state(screen, state);
    ui::theme::apply(&harness.ctx);
    harness.run();
    harness
}

/// Every node that has a place on screen.
fn laid_out<'a, S>(harness: &'a Harness<'_, S>) -> impl Iterator<Item = egui_kittest::Node<'a>> {
    harness.query_all_by(|n| n.bounding_box().is_some())
}

/// Nodes whose rect is not wholly inside the window (with half a point for rounding).
fn cut_off<'a, S>(
    harness: &'a Harness<'_, S>,
    size: egui::Vec2,
    nodes: impl Iterator<Item = egui_kittest::Node<'a>>,
    horizontally_only: bool,
) -> Vec<String> {
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, size).expand(0.5);
    let _ = harness;
    nodes
        .filter(|n| {
            let r = n.rect();
            if horizontally_only {
                r.min.x < screen.min.x || r.max.x > screen.max.x
            } else {
                !screen.contains_rect(r)
            }
        })
        .map(|n| {
            let label = n.accesskit_node().label().or(n.accesskit_node().value());
            let label = label.unwrap_or_default();
            format!(
                "{label:?} ({:?}) at {:?}",
                n.accesskit_node().role(),
                n.rect()
            )
        })
        .collect()
}

#[test]
fn every_text_size_keeps_the_session_readable_on_laptop_screens() {
    use egui::accesskit::Role;
    let mut failures = Vec::new();
    for pixels in LAPTOPS {
        for scale in text_sizes() {
            let mut run = BranchedSession::new(dan(), 7, Mode::Practice);
            for id in ["complex_reflection", "open_question"] {
                run.play(&common::choice(id)).unwrap();
            }
            let state = SessionHarnessState {
                run,
                ui: ui::session::SessionUi {
                    selected: Some("complex_reflection".into()),
                    ..Default::default()
                },
                other_actions: Vec::new(),
            };
            let mut harness = zoomed(
                pixels,
                scale,
                |ui, state: &mut SessionHarnessState| {
                    let view = session_view::view(&state.run, None, &mut Consult::default());
                    ui::session::show(ui, &view, &mut state.ui);
                },
                state,
            );
            harness.run();
            let size = egui::vec2(pixels.0 / scale, pixels.1 / scale);
            let at = format!("{}x{} at text size {scale:.1}", pixels.0, pixels.1);

            // The transcript: the client's first line is laid out at a readable width.
            let session = harness.state().run.session();
            let opening_line = format!("Dan: \u{201c}{}", session.opening_line());
            let chosen = session.prepared().techniques.iter();
            let description = chosen
                .filter(|t| t.id == "complex_reflection")
                .map(|t| t.description.clone())
                .next()
                .unwrap();
            // In a short palette the description is folded under the technique's name.
            if harness.query_by_label(&description).is_none() {
                let header = harness.query_all_by_label("Complex reflection").last();
                header.expect("the chosen technique is shown").click();
                harness.run();
            }
            let opening = harness.get_by_label_contains(&opening_line);
            if opening.rect().width() < ui::session::TRANSCRIPT_MIN_WIDTH - 40.0 {
                failures.push(format!(
                    "{at}: the transcript is {:.0} points wide",
                    opening.rect().width()
                ));
            }
            // The palette: the chosen technique's description likewise.
            let description = harness.get_by_label(&description);
            if description.rect().width() < ui::session::PALETTE_MIN_WIDTH - 40.0 {
                failures.push(format!(
                    "{at}: the palette is {:.0} points wide",
                    description.rect().width()
                ));
            }
            // What must always be in view is wholly inside the window...
            let always: Vec<_> = harness
                .query_all_by(|n| {
                    let text = n.label().or(n.value()).unwrap_or_default();
                    n.role() == Role::ProgressIndicator
                        || ["End session", "Find", "Use this technique", "Dan Mercer"]
                            .contains(&text.as_str())
                        || text.starts_with("Stage: ")
                        || text.starts_with("Turn 3 of")
                })
                .collect();
            if always.len() < 9 {
                let found: Vec<String> = always
                    .iter()
                    .map(|n| {
                        let n = n.accesskit_node();
                        n.label().or(n.value()).unwrap_or_default()
                    })
                    .collect();
                failures.push(format!("{at}: only {found:?} shown"));
            }
            for c in cut_off(&harness, size, always.into_iter(), false) {
                failures.push(format!("{at}: cut off: {c}"));
            }
            // ...and nothing (controls, technique names, lines) runs off the side.
            for c in cut_off(&harness, size, laid_out(&harness), true) {
                failures.push(format!("{at}: off the side: {c}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_text_size_keeps_the_library_usable_on_laptop_screens() {
    let prepared: Vec<_> = common::library_files()
        .iter()
        .map(|f| common::prepared_from(f))
        .collect();
    let paths: Vec<String> = common::library_files()
        .iter()
        .map(|f| format!("scenarios/{}", f.file_name().unwrap().to_string_lossy()))
        .collect();
    let mut failures = Vec::new();
    for pixels in LAPTOPS {
        for scale in text_sizes() {
            let (prepared, paths) = (prepared.clone(), paths.clone());
            let desk = ui::library::LibraryDesk {
                interrupted: vec![ui::library::Interrupted {
                    resume: UiAction::ResumeAttempt("a1".into()),
                    discard: Some(UiAction::DiscardAttempt("a1".into())),
                    what: "session with Jessica (Jess) Reid".into(),
                    detail: "practice · 4 turns saved · begun Sun 6 Dec, 14:05".into(),
                }],
                packs: vec!["packs/sample-midterm.ron".into()],
                problems: Vec::new(),
                learner: Some("Ann Lee".into()),
                learners: vec!["Ann Lee".into(), "Trần Đức Minh".into()],
                course_position: None,
            };
            let harness = zoomed(
                pixels,
                scale,
                move |ui, state: &mut ui::library::LibraryUi| {
                    let cards: Vec<ui::library::LibraryCard> = prepared
                        .iter()
                        .zip(&paths)
                        .map(|(p, path)| ui::library::LibraryCard {
                            path,
                            scenario: Some(&p.scenario),
                            diagnostics: &[],
                            best_score: Some(71.0),
                        })
                        .collect();
                    ui::library::show(ui, &cards, &desk, state, scale);
                },
                ui::library::LibraryUi::default(),
            );
            let size = egui::vec2(pixels.0 / scale, pixels.1 / scale);
            let at = format!("library {}x{} at text size {scale:.1}", pixels.0, pixels.1);
            let always = harness.query_all_by(|n| {
                let text = n.label().or(n.value()).unwrap_or_default();
                ["Text size", "Search", "Difficulty", "Attune"]
                    .iter()
                    .any(|l| text.starts_with(l))
            });
            for c in cut_off(&harness, size, always, false) {
                failures.push(format!("{at}: cut off: {c}"));
            }
            for c in cut_off(&harness, size, laid_out(&harness), true) {
                failures.push(format!("{at}: off the side: {c}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_library_clients_name_and_title_is_drawn_without_a_missing_glyph() {
    let prepared: Vec<_> = common::library_files()
        .iter()
        .map(|f| common::prepared_from(f))
        .collect();
    let shown = prepared.clone();
    let mut harness = zoomed(
        (1280.0, 800.0),
        1.0,
        move |ui, state: &mut ui::library::LibraryUi| {
            let cards: Vec<ui::library::LibraryCard> = shown
                .iter()
                .map(|p| ui::library::LibraryCard {
                    path: "scenarios/x.ron",
                    scenario: Some(&p.scenario),
                    diagnostics: &[],
                    best_score: None,
                })
                .collect();
            ui::library::show(ui, &cards, &Default::default(), state, 1.0);
        },
        ui::library::LibraryUi::default(),
    );
    harness.run();
    let mut missing = Vec::new();
    for p in &prepared {
        let client = &p.scenario.client;
        // The card is on screen, then every letter of what it names has a glyph.
        let card = format!("{}, {}", client.name, client.age);
        assert!(
            harness.query_all_by_label_contains(&card).count() >= 1,
            "{card}"
        );
        for text in [&client.name, &p.scenario.meta.title] {
            let gaps =
                ui::fonts::missing_glyphs(&harness.ctx, egui::FontFamily::Proportional, text);
            if !gaps.is_empty() {
                missing.push(format!("{text:?}: no glyph for {gaps:?}"));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));

    // The check can fail: egui's own fonts lack Vietnamese letters (the bug this fixes),
    // and the built-in ones cover Greek and Cyrillic too.
    let plain = egui::Context::default();
    plain
        .run_ui(Default::default(), |_| {})
        .textures_delta
        .clear();
    assert!(
        !ui::fonts::missing_glyphs(&plain, egui::FontFamily::Proportional, "Trần Đức Minh")
            .is_empty()
    );
    for text in [
        "Trần Đức Minh",
        "Σωκράτης Παπαδόπουλος",
        "Наталья Смирнова",
        "Łukasz Żółć",
    ] {
        assert_eq!(
            ui::fonts::missing_glyphs(&harness.ctx, egui::FontFamily::Proportional, text),
            Vec::<char>::new(),
            "{text}"
        );
    }
}

#[test]
fn enter_plays_only_a_technique_the_search_still_shows() {
    let mut harness = session_harness(Mode::Practice);
    harness.run();
    pick(&mut harness, "complex", "Complex reflection");
    // A new search hides the chosen technique: neither Enter nor a button plays it.
    harness.get_by_label("Find").focus();
    for _ in 0.."complex".len() {
        harness.key_press(Key::Backspace);
    }
    harness.get_by_label("Find").type_text("rolling");
    harness.run();
    harness.get_by_label("Rolling with resistance");
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Use this technique").is_none());
    harness.key_press(Key::Enter);
    harness.run();
    assert!(
        harness.state().run.session().turns().is_empty(),
        "Enter played a technique the search hides"
    );
    // Once it is shown again, it is still chosen, with its adaptation.
    harness.get_by_label("Find").focus();
    for _ in 0.."rolling".len() {
        harness.key_press(Key::Backspace);
    }
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    let turns = harness.state().run.session().turns();
    assert_eq!(turns.len(), 1);
    assert_eq!(turns[0].choice.technique, "complex_reflection");
}

#[test]
fn a_search_with_no_match_says_so_and_offers_to_clear_it() {
    let mut harness = session_harness(Mode::Practice);
    harness.run();
    harness.get_by_label("Find").focus();
    harness.get_by_label("Find").type_text("xyz");
    harness.run();
    harness.get_by_label("No technique matches \u{2018}xyz\u{2019}.");
    harness.get_by_label("Clear the search").click();
    harness.run();
    assert_eq!(harness.state().ui.search, "");
    harness.get_by_label("Complex reflection");
}

/// Technique names shown in the palette's list whose rows are inside the window.
fn rows_in_view(harness: &Harness<'static, SessionHarnessState>, bottom: f32) -> usize {
    let prepared = Arc::clone(harness.state().run.session().prepared());
    prepared
        .techniques
        .iter()
        .filter(|t| {
            harness
                .query_all_by_label(&t.name)
                .any(|n| n.rect().min.y >= 0.0 && n.rect().max.y <= bottom)
        })
        .count()
}

#[test]
fn the_technique_list_fills_the_height_it_has() {
    let mut harness = session_harness(Mode::Practice);
    harness.run();
    // Nothing chosen: the list reaches down to the hint below it.
    let hint = harness
        .get_by_label_contains("Pick a technique")
        .rect()
        .min
        .y;
    let shown = rows_in_view(&harness, hint);
    assert!(
        shown >= 16,
        "only {shown} techniques in view above {hint:.0} in a window 800 high"
    );
    // One chosen: its details take the bottom, and the list still fills what is left.
    pick(&mut harness, "", "Complex reflection");
    let details = harness.get_by_label("Direction").rect().min.y;
    let shown = rows_in_view(&harness, details);
    assert!(
        shown >= 10,
        "only {shown} techniques in view with one chosen"
    );
}

/// The briefing and the pack's screen at every text size on laptop screens: nothing runs
/// off the side of the window, and no name is broken over lines.
#[test]
fn every_text_size_keeps_the_other_screens_within_the_window() {
    let mut failures = Vec::new();
    for pixels in LAPTOPS {
        for scale in text_sizes() {
            let size = egui::vec2(pixels.0 / scale, pixels.1 / scale);
            let at = format!("{}x{} at text size {scale:.1}", pixels.0, pixels.1);
            let prepared = dan();
            let briefing = zoomed(
                pixels,
                scale,
                move |ui, state: &mut ui::briefing::BriefingUi| {
                    ui::briefing::show(ui, &prepared.scenario, state, 1, Some("Mid-term"));
                },
                Default::default(),
            );
            for c in cut_off(&briefing, size, laid_out(&briefing), true) {
                failures.push(format!("briefing {at}: {c}"));
            }
            let view = pack_view(
                Some(ui::pack::SittingView {
                    learner: "Trần Đức Minh".into(),
                    next: None,
                    seconds_left: Some(0),
                    time_up: true,
                }),
                true,
            );
            let pack = zoomed(
                pixels,
                scale,
                move |ui, state: &mut ui::pack::PackUi| {
                    ui::pack::show(ui, &view, state);
                },
                Default::default(),
            );
            for c in cut_off(&pack, size, laid_out(&pack), true) {
                failures.push(format!("pack {at}: {c}"));
            }
            for n in pack.query_all_by_label("Dan Mercer") {
                if n.rect().height() > 30.0 {
                    failures.push(format!("pack {at}: a client's name broken over lines"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The consult panel's hints are offered in practice only and while the session is open,
/// and are worked out afresh for each new turn (Dan's first line and his answer to a
/// reflection open different moments, so the advice differs).
#[test]
fn the_consult_hints_follow_the_session_and_are_offered_in_practice_only() {
    let mut consult = Consult::default();
    let mut run = BranchedSession::new(dan(), 7, Mode::Practice);
    let opening = consult.hints(&run).expect("offered in practice");
    assert_eq!(
        opening.len(),
        4,
        "the four best-fitting schools: {opening:?}"
    );
    assert_eq!(opening, session_view::consult_hints(run.session()));
    let advice: Vec<&String> = opening.iter().filter_map(|h| h.advice.as_ref()).collect();
    let mut unique = advice.clone();
    unique.dedup();
    assert_eq!(advice, unique, "the same advice is given once");

    run.play(&common::choice("complex_reflection")).unwrap();
    let after = consult.hints(&run).expect("offered in practice");
    assert_eq!(after, session_view::consult_hints(run.session()));
    assert_ne!(
        opening, after,
        "the hints are for the turn now, not the first"
    );

    run.play(&common::choice("confrontation")).unwrap();
    let view = session_view::view(&run, Some("Client 1 of 2".into()), &mut consult);
    assert_eq!(view.turns.len(), 2);
    assert_eq!(view.turns[1].technique_name, "Confrontation");
    assert_eq!(view.banner.as_deref(), Some("Client 1 of 2"));
    assert!(view.consult.is_some());

    let assessment = BranchedSession::new(dan(), 7, Mode::Assessment);
    assert!(
        consult.hints(&assessment).is_none(),
        "no hints in assessment"
    );
    assert!(
        session_view::view(&assessment, None, &mut consult)
            .consult
            .is_none()
    );
    let mut ended = played(Mode::Practice, &["complex_reflection"]);
    let turns = ended.session().prepared().scenario.session.turn_limit as usize;
    while ended.session().ended().is_none() && ended.session().turns().len() < turns {
        ended.play(&common::choice("complex_reflection")).unwrap();
    }
    assert!(ended.session().ended().is_some());
    assert!(
        consult.hints(&ended).is_none(),
        "no hints once it has ended"
    );
}

/// A screen whose state has nothing to show (no client chosen, no session, no pack) draws
/// the library instead of an empty window.
#[test]
fn a_screen_with_nothing_to_show_draws_the_library() {
    use attune::app::screens::drawn;
    use attune::app::{PackDesk, Practice, PracticeRun, ScenarioLibrary, Screen};
    let library = ScenarioLibrary::default();
    let packs = PackDesk::default();
    let mut practice = Practice::default();
    for screen in [
        Screen::Library,
        Screen::Briefing,
        Screen::Session,
        Screen::Debrief,
        Screen::Pack,
        Screen::Projector,
    ] {
        assert_eq!(
            drawn(screen, &practice, &packs, &library),
            Screen::Library,
            "{screen:?} with nothing to show"
        );
    }
    // A client chosen that the library does not hold is still nothing to brief.
    practice.selected = Some("scenarios/gone.ron".into());
    assert_eq!(
        drawn(Screen::Briefing, &practice, &packs, &library),
        Screen::Library
    );
    practice.run = Some(PracticeRun {
        path: "scenarios/dan.ron".into(),
        run: BranchedSession::new(dan(), 7, Mode::Practice),
    });
    for screen in [Screen::Session, Screen::Projector, Screen::Debrief] {
        assert_eq!(drawn(screen, &practice, &packs, &library), screen);
    }
    assert_eq!(
        drawn(Screen::Library, &practice, &packs, &library),
        Screen::Library
    );
}

/// `ui/` promises that no engine type appears there: the screens take view models. Its
/// source names no engine item but `Mode` (the practice-or-assessment choice), and
/// nothing from the analysis.
#[test]
fn the_screens_name_no_engine_type() {
    let dir = common::root().join("src/ui");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        seen += 1;
        for (n, line) in text.lines().enumerate() {
            let at = format!("{}:{}: {line}", path.display(), n + 1);
            assert!(!line.contains("crate::analysis"), "{at}");
            assert!(!line.contains("crate::engine"), "{at}");
            let words: Vec<&str> = line
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .collect();
            for engine_type in ["BranchedSession", "Session", "TurnOutcome", "TurnFlag"] {
                assert!(!words.contains(&engine_type), "{at}");
            }
        }
    }
    assert!(seen >= 10, "the screens' files were read");
}
