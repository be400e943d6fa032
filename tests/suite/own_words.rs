//! "Say it in your own words" on the session screen, driven through egui_kittest as a
//! trainee would: type the words, see the proposal, confirm it with Enter or correct it in
//! the palette; the words go into the transcript beside the move the engine scored.

use attune::app::screens::session_view::{self, Consult};
use attune::coding::{WordsMode, shared_coder};
use attune::engine::BranchedSession;
use attune::model::Mode;
use attune::ui::{self, UiAction, words_box::WORDS_LABEL};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use crate::common;

struct State {
    run: BranchedSession,
    ui: ui::session::SessionUi,
    mode: WordsMode,
}

fn harness(mode: WordsMode) -> Harness<'static, State> {
    let state = State {
        run: BranchedSession::new(common::library("dan-mandated-anger"), 7, Mode::Practice),
        ui: Default::default(),
        mode,
    };
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, state: &mut State| {
                let mut view = session_view::view(&state.run, None, &mut Consult::default());
                view.words_mode = state.mode;
                for action in ui::session::show(ui, &view, &mut state.ui) {
                    if let UiAction::Play(choice) = action {
                        state
                            .run
                            .play(&choice)
                            .expect("a choice offered on screen applies");
                    }
                }
            },
            state,
        )
}

fn say(harness: &mut Harness<'static, State>, words: &str) {
    harness.get_by_label_contains(WORDS_LABEL).focus();
    harness.run();
    harness.get_by_label_contains(WORDS_LABEL).type_text(words);
    harness.run();
}

#[test]
fn typed_words_are_coded_proposed_and_played_with_enter_beside_the_move() {
    let words = "What brings you here today?";
    let coded = shared_coder().code(words);
    let mut harness = harness(WordsMode::Optional);
    harness.run();
    say(&mut harness, words);

    // The proposal is on screen and in the palette, adapted as the words read.
    harness.get_by_label_contains("Reads as:");
    harness.get_by_label_contains(&format!("{} (", attune::coding::miti_phrase(coded.miti)));
    harness.get_by_label_contains("Enter plays");
    assert_eq!(
        harness.state().ui.selected.as_deref(),
        Some(coded.technique.as_str()),
        "the palette shows the proposed technique"
    );
    assert!(harness.state().run.session().turns().is_empty());

    harness.key_press(Key::Enter);
    harness.run();
    let turns = harness.state().run.session().turns();
    assert_eq!(turns.len(), 1, "Enter in the box confirms and plays");
    assert_eq!(turns[0].choice.technique, coded.technique);
    assert_eq!(turns[0].choice.say.as_deref(), Some(words));
    let read = turns[0].words.as_ref().expect("the words were coded");
    assert_eq!(read.miti, coded.miti);
    harness.get_by_label_contains("You said: \u{201c}What brings you here today?");
    // The box is empty again for the next turn.
    assert!(harness.state().ui.words.text.is_empty());
}

#[test]
fn a_proposal_corrected_in_the_palette_plays_the_correction_with_the_words_and_says_the_mismatch() {
    let words = "What happened at the depot that day?";
    let mut harness = harness(WordsMode::Optional);
    harness.run();
    say(&mut harness, words);
    assert_ne!(
        harness.state().ui.selected.as_deref(),
        Some("complex_reflection")
    );
    // The trainee corrects the proposal: they meant a complex reflection.
    harness.get_by_label("Find").focus();
    harness.get_by_label("Find").type_text("complex");
    harness.run();
    harness.get_by_label("Complex reflection").click();
    harness.run();
    harness.get_by_label_contains("You corrected it to Complex reflection");
    harness.get_by_label("Use this technique").click();
    harness.run();

    let turns = harness.state().run.session().turns();
    assert_eq!(turns.len(), 1);
    assert_eq!(
        turns[0].choice.technique, "complex_reflection",
        "the engine scores the confirmed choice"
    );
    assert_eq!(turns[0].choice.say.as_deref(), Some(words));
    let read = turns[0].words.as_ref().expect("the words were coded");
    assert_eq!(read.miti, attune::model::MitiCode::Question);
    let mismatch = read
        .mismatch
        .as_deref()
        .expect("a question is not a reflection");
    assert!(mismatch.contains("read as a question"), "{mismatch}");
    // The transcript and the feedback say so, with the MITI definition.
    harness.get_by_label_contains("Your words: You chose a complex reflection");
    assert!(
        harness
            .query_all_by_label_contains("adds substantial meaning")
            .count()
            >= 1
    );
}

#[test]
fn a_words_required_session_plays_nothing_without_words() {
    let mut harness = harness(WordsMode::Required);
    harness.run();
    harness.get_by_label_contains("this session asks for them");
    harness.get_by_label("Find").focus();
    harness.get_by_label("Find").type_text("complex");
    harness.run();
    harness.get_by_label("Complex reflection").click();
    harness.run();
    harness.get_by_label("Use this technique").click();
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert!(
        harness.state().run.session().turns().is_empty(),
        "a move without words was played"
    );
    say(
        &mut harness,
        "You're angry that nobody listened about the brakes.",
    );
    harness.key_press(Key::Enter);
    harness.run();
    let turns = harness.state().run.session().turns();
    assert_eq!(turns.len(), 1);
    assert!(turns[0].words.is_some());
}

#[test]
fn words_first_gives_the_box_the_keyboard_at_each_turn() {
    let mut harness = harness(WordsMode::First);
    harness.run();
    harness.run();
    // No click: the box already has the keyboard.
    assert!(harness.get_by_label_contains(WORDS_LABEL).is_focused());
    harness
        .get_by_label_contains(WORDS_LABEL)
        .type_text("You didn't want to come today.");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(harness.state().run.session().turns().len(), 1);
    harness.run();
    harness
        .get_by_label_contains(WORDS_LABEL)
        .type_text("What would make this worth your time?");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    let turns = harness.state().run.session().turns();
    assert_eq!(
        turns.len(),
        2,
        "the box kept the keyboard for the next turn"
    );
    assert_eq!(
        turns[1].choice.say.as_deref(),
        Some("What would make this worth your time?")
    );
}

#[test]
fn the_debrief_shows_each_turns_words_and_counts_miti_from_them_against_the_thresholds() {
    let mut run = BranchedSession::new(common::library("dan-mandated-anger"), 7, Mode::Practice);
    // Claimed as complex reflections; two of the three are said as questions.
    for words in [
        "What happened with Kieran?",
        "You're furious that the one time you spoke up, you're the one sent here.",
        "Why do you think you lost it?",
    ] {
        run.play(&attune::scenario::Choice {
            say: Some(words.into()),
            ..attune::scenario::Choice::new("complex_reflection")
        })
        .unwrap();
    }
    let summary = run.session().summary();
    let questions = run
        .session()
        .turns()
        .iter()
        .filter(|t| t.words.as_ref().unwrap().miti == attune::model::MitiCode::Question)
        .count() as u32;
    assert_eq!(summary.miti.from_words, 3);
    assert_eq!(
        summary.miti.questions, questions,
        "the counts come from the words, not from the techniques claimed"
    );
    assert!(questions >= 1);

    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 900.0))
        .build_ui_state(
            |ui,
             (run, screen): &mut (
                BranchedSession,
                attune::app::screens::debrief::DebriefScreen,
            )| {
                screen.show(ui, run, false);
            },
            (run, Default::default()),
        );
    harness.run();
    harness.get_by_label_contains("You said: \u{201c}What happened with Kieran?");
    harness.get_by_label_contains("Counted from your own words on 3 of 3 turns");
    let band = summary
        .miti
        .reflection_band()
        .expect("a question was asked");
    harness.get_by_label_contains(&format!("({})", band.label()));
    assert!(
        harness
            .query_all_by_label_contains(
                "You chose a complex reflection, but your words read as a question"
            )
            .count()
            >= 1
    );
}

#[test]
fn the_briefing_lets_the_learner_choose_words_first_and_shows_a_packs_rule_as_fixed() {
    let mut harness = crate::screens::briefing_harness(common::library("dan-mandated-anger"));
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Your own words:")
        .click();
    harness.run();
    harness.get_by_label("Words first").click();
    harness.run();
    assert_eq!(
        harness.state().1,
        vec![UiAction::SetWordsMode(WordsMode::First)],
        "the choice is sent to be remembered"
    );
    harness.get_by_label_contains("Words first: say it in your own words at every turn");

    // A pack's rule is shown, not offered.
    harness.state_mut().0.words_mode = WordsMode::Required;
    harness.state_mut().0.words_fixed = true;
    harness.run();
    harness.get_by_label("Words required (set by the pack)");
    assert!(
        harness
            .query_by_role_and_label(egui::accesskit::Role::ComboBox, "Your own words:")
            .is_none()
    );
}
