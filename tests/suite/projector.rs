//! Classroom mode: the briefing's choice, the projector screen at the projectors' sizes
//! (through egui_kittest, its text measured on screen), and the headless app opening it
//! and playing a move there.

use attune::app::screens::session_view::{self, Consult};
use attune::app::{Practice, Screen};
use attune::engine::BranchedSession;
use attune::model::Mode;
use attune::ui::class_vote::{ClassVoteView, OpenVote, VoteOption};
use attune::ui::{self, UiAction};
use attune_classroom::invitation::QrMatrix;
use egui::Key;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use crate::app::{headless_app_with, screen, send, update_until};
use crate::common;

/// The two projectors the layout is made for, in pixels, drawn at one pixel a point.
const PROJECTORS: [(f32, f32); 2] = [(1280.0, 720.0), (1920.0, 1080.0)];

struct ProjectorState {
    run: BranchedSession,
    ui: ui::projector::ProjectorUi,
    other_actions: Vec<UiAction>,
    /// The class vote's panel: none for voting not yet opened (on loopback only).
    vote: Option<TestVote>,
}

/// A class vote as the projector's panel shows it, owned by the test.
struct TestVote {
    qr: QrMatrix,
    voted: usize,
    /// The class's choices once the round is closed (technique ids and counts).
    closed: Option<Vec<(&'static str, usize)>>,
    fits_shown: bool,
}

const PAGE: &str = "http://192.168.1.20:8470/";

fn test_vote(state: &ProjectorState) -> ClassVoteView<'_> {
    let Some(vote) = state.vote.as_ref() else {
        return ClassVoteView::Closed {
            interfaces: vec![
                (
                    "192.168.1.20 (wlan0)".into(),
                    "192.168.1.20".parse().unwrap(),
                ),
                (
                    "127.0.0.1 (lo, this computer only)".into(),
                    "127.0.0.1".parse().unwrap(),
                ),
            ],
            problem: None,
        };
    };
    let session = state.run.session();
    let options = vote
        .closed
        .iter()
        .flatten()
        .map(|(id, votes)| {
            let choice = common::choice(id);
            VoteOption {
                label: session.prepared().techniques
                    [session.prepared().technique_index(id).unwrap()]
                .name
                .clone(),
                fit: Some(session.preview_fit(&choice).unwrap().score),
                votes: *votes,
                choice,
            }
        })
        .collect();
    ClassVoteView::Open(OpenVote {
        address: PAGE,
        code: "ACD347",
        qr: Some((vote.qr.width, &vote.qr.dark)),
        turn: session.turns().len() as u32 + 1,
        joined: 31,
        voted: vote.voted,
        open: vote.closed.is_none(),
        options,
        fits_shown: vote.fits_shown,
        ended: session.ended().is_some(),
    })
}

/// The projector screen over Dan's session after `played` moves, a played choice applied
/// as the app does.
fn projector(pixels: (f32, f32), played: &[&str]) -> Harness<'static, ProjectorState> {
    projector_voting(pixels, played, None)
}

/// The projector as `projector` draws it, with the class vote's panel showing `vote`.
fn projector_voting(
    pixels: (f32, f32),
    played: &[&str],
    vote: Option<TestVote>,
) -> Harness<'static, ProjectorState> {
    let mut run = BranchedSession::new(common::library("dan-mandated-anger"), 7, Mode::Practice);
    for id in played {
        run.play(&common::choice(id)).unwrap();
    }
    let state = ProjectorState {
        run,
        ui: Default::default(),
        other_actions: Vec::new(),
        vote,
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(pixels.0, pixels.1))
        .build_ui_state(
            |ui, state: &mut ProjectorState| {
                let view = session_view::view(&state.run, None, &mut Consult::default());
                let vote = test_vote(state);
                let mut ui_state = state.ui.clone();
                let actions = ui::projector::show(ui, &view, &vote, &mut ui_state);
                state.ui = ui_state;
                for action in actions {
                    match action {
                        UiAction::Play(choice) => {
                            state.run.play(&choice).expect("a choice offered applies");
                        }
                        other => state.other_actions.push(other),
                    }
                }
            },
            state,
        );
    ui::theme::apply(&harness.ctx);
    harness.run();
    harness
}

/// The size in points the text of a label drawn in `rect` is set in: the largest size at
/// which the same text, wrapped at the same width, fits the label's height.
fn measured_size(harness: &Harness<'_, ProjectorState>, text: &str, rect: egui::Rect) -> f32 {
    let height_at = |size: f32| {
        harness.ctx.fonts_mut(|f| {
            f.layout(
                text.to_string(),
                egui::FontId::proportional(size),
                egui::Color32::BLACK,
                rect.width() + 1.0,
            )
            .size()
            .y
        })
    };
    let mut size = 8.0;
    while size < 120.0 && height_at(size + 0.25) <= rect.height() + 0.5 {
        size += 0.25;
    }
    size
}

/// The client's last line on the stage, and the size it is drawn in.
fn line_size(harness: &Harness<'_, ProjectorState>) -> (egui::Rect, f32) {
    let line = harness
        .state()
        .run
        .session()
        .turns()
        .last()
        .unwrap()
        .client_line
        .clone();
    let text = format!("\u{201c}{line}\u{201d}");
    let node = harness.get_by_label(&text);
    let rect = node.rect();
    (rect, measured_size(harness, &text, rect))
}

#[test]
fn the_clients_line_is_large_at_720p_and_larger_at_1080p() {
    let mut sizes = Vec::new();
    for pixels in PROJECTORS {
        let harness = projector(pixels, &["complex_reflection", "open_question"]);
        let (_, size) = line_size(&harness);
        assert!(
            size >= ui::projector::LINE_MIN_SIZE - 0.5,
            "at {pixels:?} the line is set in {size} points"
        );
        sizes.push(size);
    }
    assert!(
        sizes[1] > sizes[0] + 6.0,
        "the line is larger on the larger projector: {sizes:?}"
    );
}

#[test]
fn nothing_on_the_projector_is_cut_off_at_720p_or_1080p() {
    let mut failures = Vec::new();
    for pixels in PROJECTORS {
        let mut harness = projector(pixels, &["complex_reflection", "open_question"]);
        // A technique chosen, so its details and "Use this technique" are on screen too.
        harness.key_press(Key::Num1);
        harness.run();
        let window =
            egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(pixels.0, pixels.1)).expand(0.5);
        let (line, _) = line_size(&harness);
        let must_show = [
            "Dan Mercer",
            "Meters",
            "End session",
            "Find",
            "Use this technique",
            "Earlier",
        ];
        let mut shown: Vec<(String, egui::Rect)> = must_show
            .iter()
            .map(|label| (label.to_string(), harness.get_by_label(label).rect()))
            .collect();
        shown.push(("the client's line".into(), line));
        for meter in harness.query_all_by_role(Role::ProgressIndicator) {
            shown.push((
                meter.accesskit_node().label().unwrap_or_default(),
                meter.rect(),
            ));
        }
        let portrait = harness.get_by_label_contains("Dan Mercer: ");
        shown.push(("the portrait".into(), portrait.rect()));
        assert!(
            portrait.rect().height() >= pixels.1 * 0.35,
            "the portrait is large: {:?}",
            portrait.rect()
        );
        for (what, rect) in shown {
            if !window.contains_rect(rect) {
                failures.push(format!("{pixels:?}: {what} cut off at {rect:?}"));
            }
        }
        // Nothing at all runs off either side.
        for node in harness.query_all_by(|n| n.bounding_box().is_some()) {
            let r = node.rect();
            if r.min.x < window.min.x || r.max.x > window.max.x {
                let label = node.accesskit_node().label().unwrap_or_default();
                failures.push(format!("{pixels:?}: {label:?} off the side at {r:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_meters_are_hidden_and_shown_at_the_instructors_choice() {
    let mut harness = projector((1280.0, 720.0), &["complex_reflection"]);
    assert_eq!(
        harness.query_all_by_role(Role::ProgressIndicator).count(),
        3
    );
    harness.get_by_label("Meters").click();
    harness.run();
    assert_eq!(
        harness.query_all_by_role(Role::ProgressIndicator).count(),
        0,
        "the meters are hidden"
    );
    for meter in ["Alliance", "Distress", "Hope"] {
        assert!(harness.query_by_label(meter).is_none(), "no {meter} label");
    }
    // M brings them back, as the keyboard is the instructor's at a projector.
    harness.key_press(Key::M);
    harness.run();
    assert_eq!(
        harness.query_all_by_role(Role::ProgressIndicator).count(),
        3
    );
}

#[test]
fn the_instructor_plays_a_move_from_the_keyboard_and_the_stage_shows_the_answer() {
    let mut harness = projector((1920.0, 1080.0), &[]);
    let opening = harness.state().run.session().opening_line().to_string();
    harness.get_by_label(&format!("\u{201c}{opening}\u{201d}"));
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
    let answer = format!("\u{201c}{}\u{201d}", turns[0].client_line);
    harness.get_by_label(&answer);
    harness.get_by_label("You: Rolling with resistance");
    // The schools' hints are not on the wall: they would answer what the class is asked.
    assert!(harness.query_by_label("Consult the schools").is_none());
}

#[test]
fn the_briefing_offers_classroom_beside_practice_and_assessment() {
    let prepared = common::library("dan-mandated-anger");
    let mut harness = crate::screens::briefing_harness(prepared);
    harness.run();
    harness.get_by_label("Classroom").click();
    harness.run();
    harness.get_by_label_contains("Classroom: a practice session for a projector");
    // A class practises: the learning objectives are shown, as in practice.
    harness.get_by_label("Learning objectives");
    harness.get_by_label("Begin session").click();
    harness.run();
    assert_eq!(
        harness.state().1,
        vec![UiAction::StartClassroom { seed: 4242 }]
    );
}

#[test]
fn choosing_classroom_opens_the_projector_and_a_move_played_there_advances_the_session() {
    let records = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("projector-records-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&records);
    let mut app = headless_app_with(
        &common::root().join("scenarios"),
        false,
        records.join("records.sqlite"),
    );
    let key = "scenarios/dan-mandated-anger.ron".to_string();
    update_until(&mut app, "Dan's scenario", |w| {
        w.resource::<attune::app::ScenarioLibrary>()
            .get(&key)
            .is_some_and(|e| e.scenario.is_some())
    });
    send(&mut app, UiAction::OpenBriefing(key));
    send(&mut app, UiAction::StartClassroom { seed: 7 });
    assert_eq!(screen(&app), Screen::Projector);
    let run = |app: &bevy::prelude::App| {
        let practice = app.world().resource::<Practice>();
        let run = &practice.run.as_ref().expect("a session runs").run;
        (run.mode, run.session().turns().len())
    };
    assert_eq!(
        run(&app),
        (Mode::Practice, 0),
        "a class session is practice"
    );

    send(
        &mut app,
        UiAction::Play(common::choice("complex_reflection")),
    );
    assert_eq!(run(&app), (Mode::Practice, 1), "the move was played");
    assert_eq!(screen(&app), Screen::Projector, "the class plays on");

    // Ending it goes to the debrief, as practice does, and a turn tried again there is
    // played on the projector too.
    send(&mut app, UiAction::EndSession);
    assert_eq!(screen(&app), Screen::Debrief);
    send(&mut app, UiAction::Rewind(0));
    assert_eq!(screen(&app), Screen::Projector);
    assert_eq!(
        run(&app),
        (Mode::Practice, 0),
        "the new branch starts afresh"
    );

    // A practice session after the class's is back at the desk.
    send(&mut app, UiAction::BackToLibrary);
    send(
        &mut app,
        UiAction::OpenBriefing("scenarios/dan-mandated-anger.ron".into()),
    );
    send(
        &mut app,
        UiAction::Start {
            mode: Mode::Practice,
            seed: 7,
        },
    );
    assert_eq!(screen(&app), Screen::Session);
    send(&mut app, UiAction::EndSession);
    send(&mut app, UiAction::Rewind(0));
    assert_eq!(screen(&app), Screen::Session);
}

#[test]
fn every_control_on_the_projector_has_an_accessible_label() {
    let mut harness = projector((1280.0, 720.0), &["complex_reflection"]);
    harness.key_press(Key::Num1);
    harness.run();
    crate::screens::assert_every_control_is_labelled(&harness, "projector");
}

fn open_vote(closed: Option<Vec<(&'static str, usize)>>, voted: usize) -> Option<TestVote> {
    Some(TestVote {
        qr: QrMatrix::of(&format!("{PAGE}?code=ACD347")).unwrap(),
        voted,
        closed,
        fits_shown: false,
    })
}

#[test]
fn voting_is_opened_only_by_the_instructor_on_the_network_chosen() {
    let mut harness = projector((1280.0, 720.0), &[]);
    harness.get_by_label("Class vote");
    harness.get_by_label("Network").click();
    harness.run();
    harness
        .get_by_label("127.0.0.1 (lo, this computer only)")
        .click();
    harness.run();
    assert!(
        harness.state().other_actions.is_empty(),
        "choosing opens nothing"
    );
    harness.get_by_label("Open voting").click();
    harness.run();
    assert_eq!(
        harness.state().other_actions,
        vec![UiAction::OpenVoting("127.0.0.1".parse().unwrap())]
    );
}

#[test]
fn an_open_vote_shows_its_address_code_qr_code_and_count_within_the_projector() {
    for pixels in PROJECTORS {
        let mut harness = projector_voting(pixels, &["complex_reflection"], open_vote(None, 12));
        let window =
            egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(pixels.0, pixels.1)).expand(0.5);
        let qr = harness.get_by_label("QR code of the vote's page").rect();
        // A phone scans a code a few metres from a projected one about a fifth of the
        // screen's height.
        assert!(
            qr.height() >= pixels.1 * 0.2 && window.contains_rect(qr),
            "{pixels:?}: QR code at {qr:?}"
        );
        for label in [
            PAGE,
            "ACD347",
            "Turn 2: 12 voted",
            "31 devices joined",
            "Close the vote",
        ] {
            let rect = harness.get_by_label(label).rect();
            assert!(
                window.contains_rect(rect),
                "{pixels:?}: {label} at {rect:?}"
            );
        }
        // The stage keeps the client large beside the vote and the palette.
        let (_, size) = line_size(&harness);
        assert!(
            size >= ui::projector::LINE_MIN_SIZE - 0.5,
            "{pixels:?}: line at {size}"
        );
        for node in harness.query_all_by(|n| n.bounding_box().is_some()) {
            let r = node.rect();
            assert!(
                r.min.x >= window.min.x && r.max.x <= window.max.x,
                "{pixels:?}: {:?} off the side at {r:?}",
                node.accesskit_node().label()
            );
        }
        harness.get_by_label("Close the vote").click();
        harness.run();
        assert_eq!(harness.state().other_actions, vec![UiAction::CloseVote]);
        harness.get_by_label("Hide the QR code").click();
        harness.run();
        assert!(
            harness
                .query_by_label("QR code of the vote's page")
                .is_none()
        );
    }
}

#[test]
fn a_closed_vote_shows_the_class_choices_hides_fits_until_revealed_and_plays_the_top_one() {
    let closed = vec![
        ("open_question", 14),
        ("complex_reflection", 9),
        ("confrontation", 3),
    ];
    let mut harness = projector_voting((1280.0, 720.0), &[], open_vote(Some(closed), 26));
    harness.get_by_label("Turn 1: 26 voted");
    harness.get_by_label("14 (54%)");
    harness.get_by_label("9 (35%)");
    harness.get_by_label("3 (12%)");
    assert!(
        harness.query_by_label_contains("Fit ").is_none(),
        "no fit is shown before the instructor reveals them"
    );
    harness.get_by_label("Reveal fits").click();
    harness.run();
    assert_eq!(harness.state().other_actions, vec![UiAction::RevealFits]);
    harness.state_mut().vote.as_mut().unwrap().fits_shown = true;
    harness.state_mut().other_actions.clear();
    harness.run();
    let session = harness.state().run.session();
    let fits: Vec<String> = ["open_question", "complex_reflection", "confrontation"]
        .iter()
        .map(|id| {
            let fit = session.preview_fit(&common::choice(id)).unwrap().score;
            format!(" Fit {fit:.0} ")
        })
        .collect();
    for fit in &fits {
        assert!(harness.query_all_by_label(fit).count() >= 1, "{fit} shown");
    }
    harness.get_by_label("Play the class's choice").click();
    harness.run();
    let turns = harness.state().run.session().turns();
    assert_eq!(turns.len(), 1, "the top choice was played");
    assert_eq!(turns[0].choice.technique, "open_question");
}

/// A minimal app with the projector's wake-up system, on the projector, with `settings`.
fn waking_app(settings: bevy::winit::WinitSettings) -> bevy::app::App {
    use attune::app::class_vote::ClassVote;
    use bevy::prelude::*;
    let mut app = App::new();
    app.add_plugins(bevy::state::app::StatesPlugin)
        .insert_state(Screen::Projector)
        .init_resource::<ClassVote>()
        .insert_resource(settings)
        .add_plugins(attune::app::wake::plugin)
        .add_systems(Update, attune::app::screens::projector::wake_while_voting);
    app
}

fn update_modes(app: &bevy::app::App) -> (bevy::winit::UpdateMode, bevy::winit::UpdateMode) {
    let settings = app.world().resource::<bevy::winit::WinitSettings>();
    (settings.focused_mode, settings.unfocused_mode)
}

/// Voting opened on loopback with a round on Dan's first move.
fn voting_on_dan() -> attune::app::class_vote::Voting {
    use std::net::{IpAddr, Ipv4Addr};
    let mut voting = attune::app::class_vote::Voting::open(IpAddr::V4(Ipv4Addr::LOCALHOST))
        .expect("a loopback port");
    let session = attune::engine::Session::new(common::library("dan-mandated-anger"), 7);
    voting.start_round(&session, 1);
    voting
}

#[test]
fn the_projector_wakes_every_half_second_only_while_a_round_takes_votes() {
    use attune::app::class_vote::ClassVote;
    use attune::app::screens::projector::VOTE_FRAME;
    use bevy::winit::{UpdateMode, WinitSettings};
    let mut app = waking_app(WinitSettings::desktop_app());
    let own = update_modes(&app);
    app.update();
    assert_eq!(update_modes(&app), own, "no vote: the window's own modes");

    app.world_mut().resource_mut::<ClassVote>().voting = Some(voting_on_dan());
    app.update();
    let waking = UpdateMode::reactive(VOTE_FRAME);
    assert_eq!(update_modes(&app), (waking, waking), "a round takes votes");
    app.update();
    assert_eq!(update_modes(&app), (waking, waking), "and still does");

    let mut vote = app.world_mut().resource_mut::<ClassVote>();
    vote.voting.as_mut().unwrap().close();
    app.update();
    assert_eq!(
        update_modes(&app),
        own,
        "the round closed: the window's own modes"
    );

    app.world_mut().resource_mut::<ClassVote>().voting = Some(voting_on_dan());
    app.update();
    assert_eq!(update_modes(&app), (waking, waking), "a new vote");
    app.world_mut()
        .insert_resource(bevy::state::state::NextState::Pending(Screen::Library));
    app.update();
    app.update();
    assert_eq!(update_modes(&app), own, "the projector left");
}

#[test]
fn a_projector_that_does_not_run_reactively_is_left_as_it_is() {
    use attune::app::class_vote::ClassVote;
    use bevy::winit::WinitSettings;
    let mut app = waking_app(WinitSettings::game());
    let own = update_modes(&app);
    app.world_mut().resource_mut::<ClassVote>().voting = Some(voting_on_dan());
    app.update();
    assert_eq!(update_modes(&app), own);
}
