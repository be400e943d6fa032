//! Engine mechanics on a small fixture: rewind, ruptures, risk gates, endings.

use attune_core::engine::ApplyError;
use attune_core::model::{Rupture, SafetyGate, SessionEnd, TurnFlag};
use attune_core::scenario::Directiveness;

use crate::common::{choice, fixture, play};

#[test]
fn rewind_restores_the_state_and_replays_identically() {
    let p = fixture();
    let moves = [
        choice("complex_reflection"),
        choice("open_question"),
        choice("suicide_risk_assessment"),
    ];
    let mut s = play(&p, 3, &moves);
    let full: Vec<_> = s.turns().to_vec();
    s.rewind(1);
    assert_eq!(s.turns().len(), 1);
    assert_eq!(s.turns()[0], full[0]);
    assert_eq!(s.state().snapshot(), full[0].after);
    // A new branch from turn 1 differs; replaying the old move gives the old turn back.
    s.apply(&choice("advice_giving")).unwrap();
    assert_ne!(s.turns()[1], full[1]);
    s.rewind(1);
    s.apply(&moves[1]).unwrap();
    assert_eq!(s.turns()[1], full[1]);
}

#[test]
fn an_unknown_technique_is_refused_without_changing_anything() {
    let p = fixture();
    let mut s = play(&p, 1, &[]);
    let err = s.apply(&choice("no_such_move")).unwrap_err();
    assert_eq!(err, ApplyError::UnknownTechnique("no_such_move".into()));
    assert!(s.turns().is_empty());
}

#[test]
fn confronting_a_reactant_client_opens_a_confrontation_rupture_with_its_marker() {
    let p = fixture();
    let s = play(&p, 1, &[choice("confrontation")]);
    let t = &s.turns()[0];
    assert!(
        t.has_flag(|f| matches!(
            f,
            TurnFlag::RuptureOpened {
                rupture: Rupture::Confrontation
            }
        )),
        "{:?}",
        t.flags
    );
    assert_eq!(t.marker, Some(Rupture::Confrontation));
    assert_eq!(&*t.response_id, "marker");
}

#[test]
fn the_risk_cue_must_be_assessed_within_the_window() {
    let p = fixture();
    // The cue comes at turn 2; the window is two turns, so by turn 4.
    let ignored = play(
        &p,
        1,
        &[
            choice("complex_reflection"),
            choice("open_question"),
            choice("complex_reflection"),
            choice("open_question"),
        ],
    );
    assert!(ignored.turns()[1].has_flag(|f| matches!(f, TurnFlag::RiskCue { .. })));
    assert!(ignored.turns()[3].has_flag(|f| matches!(
        f,
        TurnFlag::SafetyGateFailed {
            gate: SafetyGate::RiskNotAssessed,
            ..
        }
    )));
    assert!(!ignored.summary().passed);

    let assessed = play(
        &p,
        1,
        &[
            choice("complex_reflection"),
            choice("open_question"),
            choice("suicide_risk_assessment"),
            choice("complex_reflection"),
        ],
    );
    assert!(assessed.safety_failures().is_empty());
    assert_eq!(&*assessed.turns()[2].response_id, "risk-answer");
    assert!(assessed.turns()[2].has_flag(|f| matches!(f, TurnFlag::RiskAssessed)));
}

#[test]
fn arousal_raising_work_while_risk_is_unassessed_fails_the_safety_gate() {
    let p = fixture();
    let s = play(
        &p,
        1,
        &[
            choice("complex_reflection"),
            choice("open_question"),
            choice("confrontation"),
        ],
    );
    assert!(
        s.safety_failures()
            .iter()
            .any(|f| f.gate == SafetyGate::ArousalWhileAtRisk && f.turn == 3),
        "{:?}",
        s.safety_failures()
    );
}

#[test]
fn the_session_ends_at_the_turn_limit_and_refuses_more_moves() {
    let p = fixture();
    let mut s = play(
        &p,
        1,
        &[
            choice("complex_reflection"),
            choice("open_question"),
            choice("suicide_risk_assessment"),
        ],
    );
    for _ in 0..3 {
        s.apply(&choice("empathic_validation")).unwrap();
    }
    assert_eq!(s.ended(), Some(SessionEnd::TurnLimit));
    assert_eq!(
        s.apply(&choice("complex_reflection")).unwrap_err(),
        ApplyError::SessionOver(SessionEnd::TurnLimit)
    );
}

#[test]
fn repeated_unrepaired_misfit_ends_in_dropout() {
    let p = fixture();
    let mut s = play(&p, 1, &[]);
    let push = attune_core::scenario::Choice {
        directiveness: Directiveness::Prescribe,
        ..choice("advice_giving")
    };
    while s.ended().is_none() {
        s.apply(&push).unwrap();
    }
    assert_eq!(s.ended(), Some(SessionEnd::Dropout));
    assert!(s.summary().flags.iter().any(|f| f.contains("dropped out")));
}

/// Scenarios may add their own techniques and override scoring weights.
#[test]
fn scenario_specific_techniques_and_weight_overrides_take_effect() {
    let own = r#"
    techniques: [
        (
            id: "name_the_elephant",
            name: "Name the elephant",
            school: Systemic,
            description: "Names the family secret everyone works around.",
            example: "Nobody has mentioned your brother yet.",
            directiveness: 0.5,
            focus: 0.2,
            arousal: 0.4,
            relational: (empathy: 0.3, collaboration: 0.2, warmth: 0.2, credibility: 0.3),
            miti: ComplexReflection,
        ),
    ],
    weights: {"empathy": 0.9},
)"#;
    let base = crate::common::fixture_text();
    let text = format!("{}{own}", &base[..base.rfind(')').unwrap()]);
    let p = crate::common::prepared_text(&text);
    let s = play(&p, 1, &[choice("name_the_elephant")]);
    assert_eq!(&*s.turns()[0].technique_name, "Name the elephant");

    // Weighting empathy heavily gives it a larger share of the fit, and an empathic move
    // gains by it.
    use attune_core::model::Component;
    let plain = fixture();
    let empathic = |p: &std::sync::Arc<attune_core::engine::PreparedScenario>| {
        attune_core::engine::Session::new(p.clone(), 1)
            .preview_fit(&choice("empathic_validation"))
            .unwrap()
    };
    let (heavy, normal) = (empathic(&p), empathic(&plain));
    let share = |f: &attune_core::scoring::Fit| f.component(Component::Empathy).unwrap().weight;
    assert!(
        share(&heavy) > 2.0 * share(&normal),
        "{} vs {}",
        share(&heavy),
        share(&normal)
    );
    assert!(
        heavy.score > normal.score,
        "{} vs {}",
        heavy.score,
        normal.score
    );
}

#[test]
fn a_scenario_technique_clashing_with_the_catalogue_is_an_error() {
    let base = crate::common::fixture_text();
    let clash = r#"
    techniques: [(id: "open_question", name: "x", school: Cbt, description: "x", example: "x", directiveness: 0.1, focus: 0.1, arousal: 0.0, relational: (empathy: 0.0, collaboration: 0.0, warmth: 0.0, credibility: 0.0), miti: Question)],
)"#;
    let text = format!("{}{clash}", &base[..base.rfind(')').unwrap()]);
    let err = attune_core::scenario::parse_scenario(
        "clash.ron",
        &text,
        &attune_core::model::Catalogue::builtin(),
    )
    .unwrap_err();
    assert!(
        err.iter()
            .any(|d| d.message.contains("already exists in the catalogue")),
        "{err:?}"
    );
}

/// A scenario can add its client's own prerequisites and contraindications to a catalogue
/// technique: here a reflection is harmful while flag `numb` is set and needs `asked`.
#[test]
fn a_scenario_adds_its_own_rules_to_a_catalogue_technique() {
    let text = crate::common::fixture_text().replacen(
        "    responses: [",
        r#"    technique_rules: {
        "complex_reflection": (
            contraindications: [(when: (flags: ["numb"]), reason: "reflecting feeling while she is numb pushes her further away")],
            prerequisites: [(needs: (flags: ["asked"]), label: "she has been asked what she needs")],
        ),
    },
    responses: ["#,
        1,
    );
    let p = crate::common::prepared_text(&text);
    let t = p.technique("complex_reflection").unwrap();
    assert_eq!(
        t.contraindications.last().unwrap().reason,
        "reflecting feeling while she is numb pushes her further away"
    );
    let s = attune_core::engine::Session::new(std::sync::Arc::clone(&p), 1);
    let fit = s
        .preview_fit(&crate::common::choice("complex_reflection"))
        .unwrap();
    assert_eq!(
        fit.unmet_prerequisites,
        vec!["she has been asked what she needs".to_string()]
    );
    // The catalogue itself is untouched: another scenario's reflection has no such rule.
    let plain = crate::common::fixture();
    assert!(
        plain
            .technique("complex_reflection")
            .unwrap()
            .prerequisites
            .iter()
            .all(|r| r.label != "she has been asked what she needs")
    );

    // An unknown technique in the rules is an error at its key, with a suggestion.
    let typo = text.replacen("\"complex_reflection\": (", "\"complex_reflexion\": (", 1);
    let catalogue = attune_core::model::Catalogue::builtin();
    let errors = attune_core::scenario::parse_scenario("rules.ron", &typo, &catalogue)
        .expect_err("an error");
    let e = errors
        .iter()
        .find(|d| d.message.contains("complex_reflexion"))
        .expect("names the id");
    assert_eq!(
        e.help.as_deref(),
        Some("did you mean `complex_reflection`?")
    );
    assert!(e.line > 30, "points at the rule, not the file start: {e}");
}

/// Safety competencies (clinical-model.md section 9): risk that keeps rising while nobody
/// asks makes the matter more urgent, not less. A second cue before the first was assessed
/// does not restart the time to ask.
#[test]
fn rising_risk_does_not_restart_the_time_to_assess_it() {
    let text = crate::common::fixture_text().replacen(
        "    events: [",
        "    events: [\n        (id: \"plan\", trigger: AtTurn(3), lines: [\"I've thought about how.\"], effects: [SetRisk(High)]),",
        1,
    );
    let p = crate::common::prepared_text(&text);
    let window = p.scenario.session.end.risk_assess_within;
    let mut s = attune_core::engine::Session::new(std::sync::Arc::clone(&p), 1);
    for _ in 0..6 {
        if s.apply(&choice("complex_reflection")).is_err() {
            break;
        }
    }
    let failure = s
        .safety_failures()
        .iter()
        .find(|f| f.gate == SafetyGate::RiskNotAssessed)
        .expect("the gate fails");
    assert_eq!(
        failure.turn,
        2 + window,
        "the clock runs from the first cue at turn 2"
    );
    assert_eq!(s.ended(), Some(SessionEnd::Crisis));
    assert_eq!(s.turns().len() as u32, 2 + window.max(1));
}

/// A scenario can require the work its client came for (stage matching): a session that
/// never reaches it does not pass, however well each move fitted, and the debrief says why.
#[test]
fn a_session_that_never_reaches_the_required_work_does_not_pass() {
    let moves: Vec<_> = [
        "complex_reflection",
        "open_question",
        "suicide_risk_assessment",
        "empathic_validation",
        "complex_reflection",
        "summarizing",
    ]
    .map(choice)
    .to_vec();
    let plain = play(&fixture(), 1, &moves);
    assert!(
        plain.summary().passed,
        "the path passes without a requirement: {:?}",
        plain.summary()
    );

    let why = "the first step was never agreed";
    let required = |flag_source: &str| {
        crate::common::fixture_text()
            .replacen("        opening_line:", &format!("        pass_requires: [(flag: \"step_agreed\", why: \"{why}\")],\n        opening_line:"), 1)
            .replacen("    events: [", &format!("    events: [\n{flag_source}"), 1)
    };
    // Reached: an event sets the flag during the session.
    let reached = crate::common::prepared_text(&required(
        "        (id: \"agreed\", trigger: AtTurn(5), lines: [\"Okay, I'll try it.\"], effects: [SetFlag(\"step_agreed\")]),",
    ));
    assert!(play(&reached, 1, &moves).summary().passed);
    // Not reached: the flag's event needs a move this path never makes.
    let missed = crate::common::prepared_text(&required(
        "        (id: \"agreed\", trigger: When((techniques: [\"graded_exposure\"])), lines: [\"Okay, I'll try it.\"], effects: [SetFlag(\"step_agreed\")]),",
    ));
    let summary = play(&missed, 1, &moves).summary();
    assert!(!summary.passed);
    assert!(
        summary.flags.iter().any(|f| f.contains(why)),
        "{:?}",
        summary.flags
    );
}

/// The whole session is assessed: ending after a few good moves is not a pass, however high
/// their average.
#[test]
fn a_session_ended_early_does_not_pass() {
    let s = play(
        &fixture(),
        1,
        &[choice("complex_reflection"), choice("open_question")],
    );
    let summary = s.summary();
    assert!(
        summary.overall >= summary.pass_mark,
        "the moves themselves fit: {}",
        summary.overall
    );
    assert!(!summary.passed);
    assert!(
        summary
            .flags
            .iter()
            .any(|f| f == "You ended the session after 2 of 6 turns"),
        "{:?}",
        summary.flags
    );
}

/// Responsiveness over a whole session: a structured intervention repeated through the
/// session (a formulation again and again) is capped from its fourth use, even with other
/// moves in between; reflections and questions, the units of every conversation, have room
/// for more.
#[test]
fn a_structured_technique_overused_in_one_session_is_capped() {
    let p = crate::common::library("tom-panic-exposure");
    let mut s = attune_core::engine::Session::new(std::sync::Arc::clone(&p), 1);
    for _ in 0..3 {
        s.apply(&choice("case_formulation")).unwrap();
        s.apply(&choice("complex_reflection")).unwrap();
    }
    let fourth = s.preview_fit(&choice("case_formulation")).unwrap();
    assert_eq!(fourth.cap, Some(45.0), "{fourth:?}");
    assert!(
        fourth.explanation.contains("4th time this session"),
        "{}",
        fourth.explanation
    );
    // A fourth reflection is not a routine (it may still miss what Tom just asked for).
    let reflection = s.preview_fit(&choice("complex_reflection")).unwrap();
    assert!(
        reflection.reason.subject != "Routine" && !reflection.explanation.contains("this session"),
        "a fourth reflection is not capped as a routine: {reflection:?}"
    );
}
