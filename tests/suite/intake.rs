//! What the student is told before meeting a client: the intake, never what the client
//! keeps back, on the card, in the briefing and in `attune check`; examples that fit the
//! client or stay general.

use std::sync::Arc;

use attune::app::screens::session_view::{self, Consult};
use attune::engine::{BranchedSession, PreparedScenario};
use attune::model::{Catalogue, Mode};
use attune::scenario::{Scenario, contains_words};
use attune::ui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use crate::common::{self, attune, root, stdout};

/// Everything a student reads about a scenario before the session has gone anywhere,
/// gathered here independently of the lint.
fn student_text(s: &Scenario) -> Vec<String> {
    let mut text = vec![s.meta.title.clone()];
    text.extend(s.meta.tags.iter().cloned());
    text.extend(s.meta.learning_objectives.iter().cloned());
    let intake = s.client.intake.as_ref().expect("an intake");
    text.extend(
        [
            &intake.referred_by,
            &intake.reason,
            &intake.referral,
            &intake.wants,
            &intake.culture,
            &intake.faith,
            &intake.risk,
        ]
        .map(String::clone),
    );
    text.push(s.session.opening_line.clone());
    text.extend(s.session.opening_cues.iter().cloned());
    for t in &s.techniques {
        text.extend([t.name.clone(), t.description.clone(), t.example.clone()]);
    }
    text.extend(s.technique_rules.values().filter_map(|r| r.example.clone()));
    text
}

#[test]
fn every_library_scenario_has_an_intake_that_keeps_its_secrets() {
    let mut kept = 0;
    for path in common::library_files() {
        let prepared = common::prepared_from(&path);
        let s = &prepared.scenario;
        assert!(
            s.client.intake.is_some(),
            "{} has no intake",
            path.display()
        );
        assert!(
            !s.meta.instructor_notes.is_empty(),
            "{} has no instructor notes",
            path.display()
        );
        let text = student_text(s);
        for secret in &s.client.keeps_back {
            kept += 1;
            for word in &secret.give_away_words {
                if let Some(piece) = text.iter().find(|t| contains_words(t, word)) {
                    panic!(
                        "{}: \"{word}\" gives away \"{}\" in: {piece}",
                        path.display(),
                        secret.what
                    );
                }
            }
        }
    }
    assert!(
        kept >= 20,
        "the library names what its clients keep back ({kept})"
    );
    // The clients students reported: each names its secret.
    for (stem, flag) in [
        ("callum-alcohol-maintenance", "lapse_disclosed"),
        ("minh-adolescent-family-culture", "bullying_disclosed"),
        ("minh-adolescent-family-culture", "ideation_voiced"),
        ("ruth-grief-faith", "faith_struggle_disclosed"),
    ] {
        let s = &common::library(stem).scenario;
        assert!(
            s.client
                .keeps_back
                .iter()
                .any(|k| k.disclosure_flag == flag),
            "{stem} keeps back `{flag}`"
        );
    }
}

#[test]
fn check_leaves_no_warning_in_the_library() {
    let out = attune(&["check", "scenarios/"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{}{err}", stdout(&out));
    assert!(err.contains(" 0 warning(s)"), "{}{err}", stdout(&out));
}

/// Callum's file with `from` replaced by `to`, written to a scratch file and checked.
fn check_callum_edited(name: &str, edits: &[(&str, &str)]) -> (String, String) {
    let mut text =
        std::fs::read_to_string(root().join("scenarios/callum-alcohol-maintenance.ron")).unwrap();
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "`{from}` occurs once");
        text = text.replacen(from, to, 1);
    }
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("intake-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.ron"));
    std::fs::write(&file, &text).unwrap();
    let out = attune(&["check", file.to_str().unwrap()]);
    assert!(out.status.success(), "warnings only: {}", stdout(&out));
    (text, stdout(&out) + &String::from_utf8_lossy(&out.stderr))
}

fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].matches('\n').count() + 1
}

#[test]
fn check_warns_at_the_line_where_student_text_gives_a_secret_away() {
    let reason = "asks for a 'tune-up' before his daughter's wedding";
    let (text, out) = check_callum_edited(
        "leaky",
        &[
            (
                reason,
                "asks for a 'tune-up' after a Pint last week, before his daughter's wedding",
            ),
            (
                "\"relapse prevention\", \"maintenance\"",
                "\"relapse prevention\", \"lapse\", \"maintenance\"",
            ),
        ],
    );
    let line = line_of(&text, "after a Pint last week");
    assert!(
        out.contains(&format!(":{line}:"))
            && out.contains("intake's reason for referral says \"pint\""),
        "the warning names the intake's line and the word:\n{out}"
    );
    assert!(
        out.contains("reword it without \"pint\""),
        "with a suggestion:\n{out}"
    );
    let tags = line_of(&text, "\"lapse\", \"maintenance\"");
    assert!(
        out.contains(&format!(":{tags}:")) && out.contains("library card's tag says \"lapse\""),
        "tags are checked too:\n{out}"
    );
    // "relapse prevention" is the work he came for: whole words only.
    assert!(!out.contains("says \"relapse"), "{out}");
}

#[test]
fn check_warns_about_a_missing_intake_and_a_misspelt_disclosure_flag() {
    // Callum as a file written before intakes: it loads, and check says what to add.
    let text =
        std::fs::read_to_string(root().join("scenarios/callum-alcohol-maintenance.ron")).unwrap();
    let start = text.find("        intake: (").unwrap();
    let end = start + text[start..].find("\n        ),\n").unwrap() + "\n        ),\n".len();
    let (_, out) = check_callum_edited(
        "no-intake",
        &[
            (&text[start..end], ""),
            (
                "disclosure_flag: \"lapse_disclosed\"",
                "disclosure_flag: \"lapse_disclosd\"",
            ),
        ],
    );
    assert!(out.contains("the client has no `intake`"), "{out}");
    assert!(
        out.contains("add `intake: (referred_by:"),
        "with what to add: {out}"
    );
    assert!(
        out.contains("no response, event or technique sets `lapse_disclosd`"),
        "{out}"
    );
    assert!(out.contains("did you mean `lapse_disclosed`?"), "{out}");
    // Without an intake the card falls back to the old fields, which here give it away.
    assert!(
        out.contains("presenting problem (shown as the intake) says \"had one drink\""),
        "{out}"
    );
}

/// Every text on screen: a label's text is its AccessKit value, a control's its label.
fn labels<S>(harness: &Harness<'_, S>) -> Vec<String> {
    let shown: Vec<String> = harness
        .query_all_by(|_| true)
        .flat_map(|n| {
            let node = n.accesskit_node();
            [node.label(), node.value(), node.description()]
        })
        .flatten()
        .collect();
    assert!(shown.len() > 5, "the screen has text: {shown:?}");
    shown
}

fn assert_nothing_gives_away(shown: &[String], s: &Scenario, screen: &str) {
    for secret in &s.client.keeps_back {
        for word in &secret.give_away_words {
            if let Some(l) = shown.iter().find(|l| contains_words(l, word)) {
                panic!("the {screen} says \"{word}\": {l}");
            }
        }
    }
}

#[test]
fn callums_card_and_briefing_show_his_intake_and_not_his_pint() {
    let callum = common::library("callum-alcohol-maintenance");
    let s = &callum.scenario;
    let reason = s.client.intake.as_ref().unwrap().reason.clone();
    let cards = [ui::library::LibraryCard {
        path: "scenarios/callum-alcohol-maintenance.ron",
        scenario: Some(s),
        diagnostics: &[],
        best_score: None,
    }];
    let mut library = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, state: &mut ui::library::LibraryUi| {
                ui::library::show(ui, &cards, &Default::default(), state, 1.0);
            },
            Default::default(),
        );
    library.run();
    library.get_by_label(&reason);
    assert_nothing_gives_away(&labels(&library), s, "library card");
    // The search reads the intake, not the author's story.
    library.get_by_label("Search").focus();
    library.get_by_label("Search").type_text("pint");
    library.run();
    assert!(
        library.query_by_label("Meet Callum").is_none(),
        "a search for his secret finds nothing"
    );

    let prepared = Arc::clone(&callum);
    let mut briefing = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, state: &mut ui::briefing::BriefingUi| {
                ui::briefing::show(ui, &prepared.scenario, state, 1, None);
            },
            Default::default(),
        );
    briefing.run();
    briefing.get_by_label(&reason);
    briefing.get_by_label_contains("He was keen to say that nothing has gone wrong");
    briefing.get_by_label("Learning objectives");
    let practice = labels(&briefing);
    assert_nothing_gives_away(&practice, s, "briefing");
    assert!(
        !practice.iter().any(|l| l.contains(&s.client.background)),
        "the background is the author's"
    );

    // In assessment the objectives, which name the moves that fit, give way to what is scored.
    briefing.get_by_label("Assessment").click();
    briefing.run();
    briefing.get_by_label("What is assessed");
    assert!(briefing.query_by_label("Learning objectives").is_none());
    let assessment = labels(&briefing);
    for objective in &s.meta.learning_objectives {
        assert!(
            !assessment.iter().any(|l| l.contains(objective.as_str())),
            "assessment shows an objective: {objective}"
        );
    }
    assert_nothing_gives_away(&assessment, s, "assessment briefing");
}

/// Words that assume one client's problem or family: a catalogue example shown to every
/// client must not use them.
const CLIENT_SPECIFIC: [&str; 18] = [
    "drink",
    "drinks",
    "drinking",
    "alcohol",
    "alcoholic",
    "court",
    "panic",
    "boss",
    "father",
    "mother",
    "sister",
    "son",
    "dad",
    "mum",
    "uncle",
    "eating",
    "bus",
    "gym",
];

#[test]
fn catalogue_examples_and_reasons_stay_general() {
    let catalogue = Catalogue::builtin();
    for t in &catalogue.techniques {
        let reasons = t.contraindications.iter().map(|c| c.reason.as_str());
        for text in std::iter::once(t.example.as_str()).chain(reasons) {
            for word in CLIENT_SPECIFIC {
                assert!(
                    !contains_words(text, word),
                    "`{}` says \"{word}\": {text}",
                    t.id
                );
            }
        }
    }
}

#[test]
fn the_technique_panel_shows_the_clients_own_example_or_the_general_one() {
    let shown_example = |prepared: Arc<PreparedScenario>, search: &str, label: &str| {
        let mut harness = Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .build_ui_state(
                |ui, (run, state): &mut (BranchedSession, ui::session::SessionUi)| {
                    let view = session_view::view(run, None, &mut Consult::default());
                    ui::session::show(ui, &view, state);
                },
                (
                    BranchedSession::new(prepared, 7, Mode::Practice),
                    Default::default(),
                ),
            );
        harness.run();
        harness.get_by_label("Find").focus();
        harness.get_by_label("Find").type_text(search);
        harness.run();
        harness.get_by_label(label).click();
        harness.run();
        labels(&harness)
    };
    let dan = shown_example(
        common::library("dan-mandated-anger"),
        "simple",
        "Simple reflection",
    );
    assert!(
        dan.iter()
            .any(|l| l.contains("You're fed up with being sent here.")),
        "Dan's own example: {dan:?}"
    );
    let maria = shown_example(
        common::library("maria-depression-risk"),
        "simple",
        "Simple reflection",
    );
    assert!(
        !maria.iter().any(|l| l.contains("sent here")),
        "Maria was not sent by anyone"
    );
    let catalogue = Catalogue::builtin();
    let general = &catalogue
        .techniques
        .iter()
        .find(|t| t.id == "simple_reflection")
        .unwrap()
        .example;
    assert!(
        maria.iter().any(|l| l.contains(general.as_str())),
        "the general example for Maria"
    );
}
