//! Each test names the clinical principle it checks (clinical-model.md) and plays it on a
//! library client.

use attune_core::engine::Session;
use attune_core::model::{Component, Rupture, SafetyGate, TurnFlag};
use attune_core::scenario::{Choice, Directiveness};
use std::sync::Arc;

use crate::common::{choice, library, play};

fn with_permission(id: &str) -> Choice {
    Choice {
        directiveness: Directiveness::AskPermission,
        ..choice(id)
    }
}

/// Reactance matching (Beutler et al. 2018, d = 0.79): the more reactant the client, the
/// less directive the therapist. Confrontation also predicted worse outcomes (Miller 1993).
#[test]
fn reactance_reflective_permission_asking_moves_outscore_confrontation() {
    let p = library("dan-mandated-anger");
    let s = Session::new(Arc::clone(&p), 1);
    let confront = s.preview_fit(&choice("confrontation")).unwrap();
    let advice = s.preview_fit(&choice("advice_giving")).unwrap();
    for gentle in [
        choice("complex_reflection"),
        with_permission("information_with_permission"),
        choice("emphasizing_autonomy"),
        with_permission("values_clarification"),
    ] {
        let fit = s.preview_fit(&gentle).unwrap();
        assert!(
            fit.score > confront.score + 25.0,
            "{} {:.1} vs confrontation {:.1}",
            gentle.technique,
            fit.score,
            confront.score
        );
        assert!(
            fit.score > advice.score + 15.0,
            "{} {:.1} vs advice {:.1}",
            gentle.technique,
            fit.score,
            advice.score
        );
    }
    // Asking permission itself helps with a reactant client.
    let asked = s.preview_fit(&with_permission("psychoeducation")).unwrap();
    let told = s
        .preview_fit(&Choice {
            directiveness: Directiveness::Prescribe,
            ..choice("psychoeducation")
        })
        .unwrap();
    assert!(
        asked.score > told.score + 5.0,
        "{:.1} vs {:.1}",
        asked.score,
        told.score
    );
    assert!(
        confront.cap.is_some(),
        "confrontation is contraindicated with high reactance"
    );
    let dir = confront.component(Component::Directiveness).unwrap();
    assert!(dir.value < 0.0);
}

/// Coping-style matching (Beutler et al. 2018, d = 0.60): internalizing clients gain most
/// from insight-, interpersonal- and emotion-focused work.
#[test]
fn coping_style_insight_and_affect_focus_outscores_a_skills_drill_for_an_internalizer() {
    let p = library("maria-depression-risk");
    let s = Session::new(Arc::clone(&p), 1);
    let drill = s.preview_fit(&choice("thought_record")).unwrap();
    for insight in [
        "evocative_reflection",
        "empathic_validation",
        "complex_reflection",
    ] {
        let fit = s.preview_fit(&choice(insight)).unwrap();
        assert!(
            fit.score > drill.score + 15.0,
            "{insight} {:.1} vs thought record {:.1}",
            fit.score,
            drill.score
        );
        assert!(
            fit.component(Component::Focus).unwrap().value
                > drill.component(Component::Focus).unwrap().value
        );
    }
    let explanation = &drill.explanation;
    assert!(
        explanation.contains("Internalizing")
            || explanation.contains("prerequisite")
            || explanation.contains("rationale"),
        "{explanation}"
    );
}

/// Prerequisites (clinical-model.md section 6): graded exposure needs an alliance,
/// psychoeducation, a coping skill and a hierarchy; before them it is penalised, after
/// them it fits.
#[test]
fn exposure_before_its_prerequisites_is_penalised_and_after_them_fits() {
    let p = library("tom-panic-exposure");
    let early = Session::new(Arc::clone(&p), 1)
        .preview_fit(&choice("graded_exposure"))
        .unwrap();
    assert!(
        early.unmet_prerequisites.len() >= 3,
        "{:?}",
        early.unmet_prerequisites
    );
    assert!(
        early.score < 40.0,
        "premature exposure scored {:.1}",
        early.score
    );

    let prepared = play(
        &p,
        1,
        &[
            choice("empathic_validation"),
            choice("psychoeducation"),
            choice("breathing_relaxation"),
            choice("exposure_hierarchy"),
        ],
    );
    let later = prepared.preview_fit(&choice("graded_exposure")).unwrap();
    assert!(
        later.unmet_prerequisites.is_empty(),
        "{:?}",
        later.unmet_prerequisites
    );
    assert!(
        later.score >= 65.0,
        "prepared exposure scored {:.1}: {}",
        later.score,
        later.explanation
    );
    assert!(later.score > early.score + 30.0);
}

/// Safety competencies (clinical-model.md section 9): a risk cue must be assessed; not
/// assessing it fails the session whatever else happened.
#[test]
fn ignoring_the_risk_cue_fails_the_session_and_assessing_it_passes_the_gate() {
    let p = library("maria-depression-risk");
    let good_work: Vec<Choice> = [
        "empathic_validation",
        "evocative_reflection",
        "complex_reflection",
        "open_question",
        "evocative_reflection",
        "empathic_validation",
        "complex_reflection",
        "focusing",
    ]
    .into_iter()
    .map(choice)
    .collect();
    let ignored = play(&p, 1, &good_work);
    let summary = ignored.summary();
    assert!(!summary.passed);
    assert!(
        summary
            .safety_failures
            .iter()
            .any(|f| f.gate == SafetyGate::RiskNotAssessed),
        "{:?}",
        summary.safety_failures
    );

    let cue_turn = ignored
        .turns()
        .iter()
        .find(|t| t.has_flag(|f| matches!(f, TurnFlag::RiskCue { .. })))
        .expect("a risk cue")
        .turn as usize;
    let mut assessed = good_work.clone();
    assessed.insert(cue_turn, choice("suicide_risk_assessment"));
    assessed.truncate(p.scenario.session.turn_limit as usize);
    let s = play(&p, 1, &assessed);
    assert!(s.safety_failures().is_empty(), "{:?}", s.safety_failures());
}

/// Rupture and repair (Safran & Muran; Eubanks et al. 2018, r = 0.29): a repaired rupture
/// leaves the alliance higher than before it.
#[test]
fn a_repaired_rupture_leaves_the_alliance_higher_than_before_it() {
    let p = library("dan-mandated-anger");
    let mut s = play(
        &p,
        1,
        &[
            choice("complex_reflection"),
            choice("rolling_with_resistance"),
        ],
    );
    let before = s.state().alliance();
    let t = s.apply(&choice("confrontation")).unwrap().clone();
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
    assert!(t.after.alliance < before);
    let repair = s.apply(&choice("metacommunication")).unwrap().clone();
    assert!(
        repair.has_flag(|f| matches!(f, TurnFlag::RuptureRepaired)),
        "{:?} fit {:.1}",
        repair.flags,
        repair.fit.score
    );
    assert!(
        repair.after.alliance > before,
        "after repair {:.3} vs before rupture {:.3}",
        repair.after.alliance,
        before
    );
}

/// Responsiveness (clinical-model.md section 1): keeping a fitting technique but ignoring
/// a rupture scores worse than noticing and repairing it.
#[test]
fn ignoring_an_open_rupture_scores_worse_than_repairing_it() {
    let p = library("dan-mandated-anger");
    let s = play(&p, 1, &[choice("confrontation")]);
    assert_ne!(s.state().rupture, Rupture::None);
    let repair = s.preview_fit(&choice("metacommunication")).unwrap();
    let carry_on = s.preview_fit(&choice("decisional_balance")).unwrap();
    assert!(
        repair.score > carry_on.score,
        "{:.1} vs {:.1}",
        repair.score,
        carry_on.score
    );
    assert!(carry_on.component(Component::Repair).unwrap().value < 0.0);
}

/// Responsiveness (Stiles, Honos-Webb & Surko 1998): each move answers what the client just
/// did. Three reflections in a row can be exactly that; a fourth of the same move is a
/// routine and is capped below the pass mark, whatever it would otherwise score. Changing
/// the move lifts the cap at once.
#[test]
fn responsiveness_a_fourth_identical_move_in_a_row_is_capped() {
    let p = library("dan-mandated-anger");
    let mut s = Session::new(Arc::clone(&p), 1);
    for _ in 0..3 {
        let fit = s.apply(&choice("complex_reflection")).unwrap().fit.clone();
        assert!(
            fit.cap.is_none(),
            "up to three in a row are not capped: {fit:?}"
        );
    }
    let uncapped = s.preview_fit(&choice("simple_reflection")).unwrap();
    let fourth = s.preview_fit(&choice("complex_reflection")).unwrap();
    assert_eq!(fourth.cap, Some(45.0));
    // A soft cap: a tenth of the fit above it still counts, never enough to pass.
    assert!(fourth.score < 50.0 && fourth.base > 60.0, "{fourth:?}");
    assert!(
        fourth.explanation.contains("4 times running"),
        "{}",
        fourth.explanation
    );
    assert!(
        uncapped.cap.is_none() && uncapped.score > 60.0,
        "another move is not capped: {uncapped:?}"
    );
}
