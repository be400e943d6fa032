//! Responsive scoring (docs/clinical-model.md, Moments): the client's moment decides what
//! fits. One test per moment kind, each named for its principle: the move the moment calls
//! for outscores the move it rules out on a client whose traits alone prefer the other.
//! Then safety first, the adaptation order, and explanations that teach.

use std::sync::Arc;

use attune_core::engine::{PreparedScenario, Session};
use attune_core::model::{Catalogue, MomentBook, MomentKind, Verdict};
use attune_core::scenario::{Choice, Directiveness};

use crate::common::{choice, fixture_text, prepared_text};

/// Every flag a catalogue prerequisite asks for, so no prerequisite confounds a comparison.
const ALL_GROUND: &str = r#"flags: ["rationale_given", "coping_skill", "hierarchy_built", "goal_agreed", "formulation_shared", "patterns_explored", "marker_self_critical_split", "marker_unfinished_business"]"#;

/// The test fixture with these traits and state, with the opening line opening `moment`.
fn client(
    reactance: f32,
    externalizing: f32,
    stage: &str,
    distress: f32,
    moment: Option<MomentKind>,
) -> Arc<PreparedScenario> {
    let text = fixture_text()
        .replace("reactance: 0.8,", &format!("reactance: {reactance},"))
        .replace("externalizing: 0.3,", &format!("externalizing: {externalizing},"))
        .replace(
            "bond: 0.4,\n        goals: 0.3,\n        tasks: 0.3,\n        distress: 0.5,",
            &format!("bond: 0.6,\n        goals: 0.6,\n        tasks: 0.6,\n        distress: {distress},\n        {ALL_GROUND},"),
        )
        .replace("stage: Contemplation,", &format!("stage: {stage},"))
        .replace(
            "opening_cues: [\"looks at the floor\", \"shrugs\"],",
            &match moment {
                Some(m) => format!("opening_cues: [\"looks at the floor\"],\n        opening_moment: {m:?},"),
                None => "opening_cues: [\"looks at the floor\"],".to_string(),
            },
        );
    prepared_text(&text)
}

fn fit(p: &Arc<PreparedScenario>, c: &Choice) -> f32 {
    Session::new(Arc::clone(p), 1).preview_fit(c).unwrap().score
}

/// The principle: with `kind` open, `called` outscores `ruled_out` clearly and the ruled-out
/// move stays below the pass mark, on a client whose traits alone score `ruled_out` at least
/// as high.
fn moment_decides(
    kind: MomentKind,
    traits: (f32, f32, &str, f32),
    called: Choice,
    ruled_out: Choice,
) {
    let (r, e, stage, distress) = traits;
    let plain = client(r, e, stage, distress, None);
    let open = client(r, e, stage, distress, Some(kind));
    let (c0, o0) = (fit(&plain, &called), fit(&plain, &ruled_out));
    assert!(
        o0 >= c0,
        "{kind:?}: the traits alone should prefer {} ({o0:.1}) to {} ({c0:.1})",
        ruled_out.technique,
        called.technique
    );
    let s = Session::new(Arc::clone(&open), 1);
    let called_fit = s.preview_fit(&called).unwrap();
    let ruled_fit = s.preview_fit(&ruled_out).unwrap();
    assert_eq!(
        called_fit.moment.map(|j| j.verdict),
        Some(Verdict::Answered),
        "{kind:?}: {} should answer it",
        called.technique
    );
    assert_eq!(
        ruled_fit.moment.map(|j| j.verdict),
        Some(Verdict::Overridden),
        "{kind:?}: {} should be ruled out",
        ruled_out.technique
    );
    assert!(
        called_fit.score > ruled_fit.score + 10.0 && ruled_fit.score < 60.0,
        "{kind:?}: {} {:.1} vs {} {:.1}",
        called.technique,
        called_fit.score,
        ruled_out.technique,
        ruled_fit.score
    );
    let rule = open.moments.rule(kind);
    assert!(
        ruled_fit.explanation.contains(&*rule.source),
        "{kind:?}: the explanation names the moment's source: {}",
        ruled_fit.explanation
    );
}

#[test]
fn engaging_comes_before_focusing_evoking_and_planning() {
    moment_decides(
        MomentKind::NotYetEngaged,
        (0.1, 0.9, "Preparation", 0.5),
        choice("complex_reflection"),
        choice("agenda_setting"),
    );
}

#[test]
fn focusing_agrees_a_direction_before_deep_work() {
    moment_decides(
        MomentKind::NeedsFocus,
        (0.1, 0.05, "Contemplation", 0.2),
        choice("summarizing"),
        choice("interpretation"),
    );
}

#[test]
fn change_talk_is_reflected_not_argued_for() {
    moment_decides(
        MomentKind::ChangeTalk,
        (0.1, 0.8, "Preparation", 0.5),
        choice("complex_reflection"),
        choice("advice_giving"),
    );
}

#[test]
fn sustain_talk_is_reflected_not_persuaded_against() {
    moment_decides(
        MomentKind::SustainTalk,
        (0.1, 0.8, "Preparation", 0.5),
        choice("simple_reflection"),
        choice("psychoeducation"),
    );
}

#[test]
fn ambivalence_is_explored_from_both_sides_not_resolved_with_homework() {
    moment_decides(
        MomentKind::Ambivalence,
        (0.1, 0.9, "Preparation", 0.5),
        choice("complex_reflection"),
        choice("homework_assignment"),
    );
}

#[test]
fn discord_is_met_without_defending() {
    moment_decides(
        MomentKind::Discord,
        (0.1, 0.8, "Preparation", 0.5),
        choice("rolling_with_resistance"),
        choice("thought_record"),
    );
}

#[test]
fn readiness_to_plan_is_met_with_planning_not_interpretation() {
    moment_decides(
        MomentKind::ReadyToPlan,
        (0.1, 0.05, "Preparation", 0.2),
        choice("agenda_setting"),
        choice("interpretation"),
    );
}

#[test]
fn a_self_critical_split_is_not_argued_away() {
    moment_decides(
        MomentKind::SelfCriticalSplit,
        (0.1, 0.8, "Preparation", 0.5),
        choice("empathic_validation"),
        choice("thought_record"),
    );
}

#[test]
fn unfinished_business_calls_for_staying_with_it_not_a_drill() {
    moment_decides(
        MomentKind::UnfinishedBusiness,
        (0.1, 0.9, "Action", 0.5),
        choice("evocative_reflection"),
        choice("homework_assignment"),
    );
}

#[test]
fn a_problematic_reaction_is_unfolded_not_interpreted_from_outside() {
    moment_decides(
        MomentKind::ProblematicReaction,
        (0.1, 0.05, "Contemplation", 0.2),
        choice("evocative_reflection"),
        choice("interpretation"),
    );
}

#[test]
fn vulnerability_is_met_by_staying_with_it_not_pushing_for_change() {
    moment_decides(
        MomentKind::Vulnerability,
        (0.1, 0.9, "Preparation", 0.5),
        choice("empathic_validation"),
        choice("homework_assignment"),
    );
}

#[test]
fn a_withdrawal_rupture_calls_for_exploratory_repair() {
    moment_decides(
        MomentKind::WithdrawalRupture,
        (0.1, 0.9, "Preparation", 0.5),
        choice("metacommunication"),
        choice("homework_assignment"),
    );
}

#[test]
fn a_confrontation_rupture_calls_for_non_defensive_acknowledgement() {
    moment_decides(
        MomentKind::ConfrontationRupture,
        (0.1, 0.9, "Action", 0.5),
        choice("metacommunication"),
        choice("advice_giving"),
    );
}

#[test]
fn over_compliance_is_explored_not_taken_at_face_value() {
    moment_decides(
        MomentKind::OverCompliance,
        (0.1, 0.9, "Preparation", 0.5),
        choice("metacommunication"),
        choice("homework_assignment"),
    );
}

#[test]
fn a_disclosure_is_received_before_any_technique() {
    moment_decides(
        MomentKind::Disclosure,
        (0.1, 0.9, "Preparation", 0.5),
        choice("complex_reflection"),
        choice("behavioural_activation"),
    );
}

#[test]
fn flooding_calls_for_lowering_arousal_first() {
    moment_decides(
        MomentKind::Flooding,
        (0.1, 0.05, "Contemplation", 0.5),
        choice("grounding"),
        choice("evocative_reflection"),
    );
}

#[test]
fn dissociation_calls_for_grounding_before_deepening() {
    moment_decides(
        MomentKind::Dissociation,
        (0.1, 0.05, "Contemplation", 0.5),
        choice("grounding"),
        choice("focusing"),
    );
}

#[test]
fn intellectualising_calls_for_approaching_the_feeling_not_soothing() {
    moment_decides(
        MomentKind::Intellectualising,
        (0.1, 0.9, "Preparation", 0.8),
        choice("evocative_reflection"),
        choice("breathing_relaxation"),
    );
}

#[test]
fn a_request_for_guidance_is_served_by_direction() {
    moment_decides(
        MomentKind::RequestForGuidance,
        (0.9, 0.1, "Contemplation", 0.5),
        choice("information_with_permission"),
        choice("complex_reflection"),
    );
}

#[test]
fn hesitation_calls_for_slowing_down_not_pressing_on() {
    moment_decides(
        MomentKind::Hesitation,
        (0.1, 0.9, "Preparation", 0.5),
        choice("complex_reflection"),
        choice("case_formulation"),
    );
}

#[test]
fn a_bid_for_reassurance_is_met_without_reassuring() {
    moment_decides(
        MomentKind::ReassuranceSeeking,
        (0.1, 0.8, "Preparation", 0.5),
        choice("empathic_validation"),
        choice("advice_giving"),
    );
}

#[test]
fn a_risk_cue_comes_before_any_other_work() {
    moment_decides(
        MomentKind::RiskCue,
        (0.9, 0.1, "Contemplation", 0.5),
        choice("suicide_risk_assessment"),
        choice("complex_reflection"),
    );
}

#[test]
fn every_moment_kind_has_a_principle_test_and_the_book_is_sound() {
    // The book names every kind, with a source, and its conditions name real techniques
    // and tags and never read the fit (unknown before the move is scored).
    let book = MomentBook::builtin();
    let catalogue = Catalogue::builtin();
    // A tag is known when a catalogue technique or a library scenario's own technique
    // carries it (scenarios that offer reassurance tag their move "reassurance").
    let library_techniques: Vec<attune_core::model::Technique> =
        std::fs::read_dir(crate::common::root().join("scenarios"))
            .unwrap()
            .flat_map(|e| {
                let path = e.unwrap().path();
                crate::common::prepared_from(&path)
                    .scenario
                    .techniques
                    .clone()
            })
            .collect();
    let known_tag = |g: &String| {
        catalogue
            .techniques
            .iter()
            .chain(&library_techniques)
            .any(|t| t.has_tag(g))
    };
    for kind in MomentKind::ALL {
        let rule = book.rule(kind);
        assert!(
            !rule.source.is_empty() && !rule.principle.is_empty(),
            "{kind:?}"
        );
        let conditions = rule
            .calls_for
            .iter()
            .map(|c| &c.when)
            .chain(&rule.rules_out);
        for c in conditions {
            assert!(c.fit.is_none(), "{kind:?} reads the fit");
            for id in &c.techniques {
                assert!(
                    catalogue.get(id).is_some(),
                    "{kind:?}: unknown technique {id}"
                );
            }
            for g in &c.tags {
                assert!(known_tag(g), "{kind:?}: no technique carries the tag {g}");
            }
        }
    }
    for (id, m) in &book.marker_moves {
        assert!(catalogue.get(id).is_some(), "marker move {id}");
        assert!(!m.markers.is_empty() && !m.source.is_empty());
    }
    // One test above per kind: the list in this file is kept in step with the vocabulary.
    let here = include_str!("moments.rs");
    for kind in MomentKind::ALL {
        assert!(
            here.contains(&format!("MomentKind::{kind:?},")),
            "no principle test for {kind:?}"
        );
    }
}

/// A marker move with no marker open answers nothing the client did.
#[test]
fn metacommunication_with_no_strain_open_does_not_fit_well() {
    let p = client(0.5, 0.5, "Contemplation", 0.5, None);
    let s = Session::new(Arc::clone(&p), 1);
    let meta = s.preview_fit(&choice("metacommunication")).unwrap();
    let reflect = s.preview_fit(&choice("complex_reflection")).unwrap();
    assert!(
        meta.score < 60.0 && reflect.score > meta.score + 10.0,
        "metacommunication {:.1}, reflection {:.1}",
        meta.score,
        reflect.score
    );
    let open = client(
        0.5,
        0.5,
        "Contemplation",
        0.5,
        Some(MomentKind::WithdrawalRupture),
    );
    let repair = Session::new(open, 1)
        .preview_fit(&choice("metacommunication"))
        .unwrap();
    assert!(repair.score > meta.score + 20.0, "{:.1}", repair.score);
}

/// Hesitation answered closes the moment; a move that overrides it leaves it open for the
/// next line to supersede or for it to lapse.
#[test]
fn a_moment_stays_open_until_answered_or_superseded() {
    let text = fixture_text().replace("AtTurn(2)", "AtTurn(5)");
    let p = prepared_text(&text.replace(
        "opening_cues: [\"looks at the floor\", \"shrugs\"],",
        "opening_cues: [\"looks at the floor\"],\n        opening_moment: Hesitation,",
    ));
    let mut s = Session::new(Arc::clone(&p), 1);
    assert_eq!(
        s.open_moment().map(|m| m.kind),
        Some(MomentKind::Hesitation)
    );
    s.apply(&choice("case_formulation")).unwrap();
    assert_eq!(
        s.open_moment().map(|m| m.kind),
        Some(MomentKind::Hesitation)
    );
    s.apply(&choice("complex_reflection")).unwrap();
    assert_eq!(s.open_moment(), None);
}

/// Direction the client asked for: prescribe > as is > offer > ask, the reverse of the
/// reactant client's order (below).
#[test]
fn a_client_who_asks_for_direction_is_served_by_direction() {
    let p = client(
        0.2,
        0.7,
        "Preparation",
        0.5,
        Some(MomentKind::RequestForGuidance),
    );
    let s = Session::new(Arc::clone(&p), 1);
    for t in directive_techniques() {
        let fits = fits_by_directiveness(&s, &t);
        assert!(
            fits[3] >= fits[2] && fits[2] >= fits[1] && fits[1] >= fits[0] && fits[3] > fits[0],
            "{t}: ask, offer, as is, prescribe = {fits:?}"
        );
    }
}

/// The technique's fit now asked permission for, offered as an option, as is and
/// prescribed (`Directiveness::ALL`'s order).
fn fits_by_directiveness(s: &Session, technique: &str) -> Vec<f32> {
    Directiveness::ALL
        .iter()
        .map(|d| {
            s.preview_fit(&Choice {
                directiveness: *d,
                ..choice(technique)
            })
            .unwrap()
            .score
        })
        .collect()
}

/// The catalogue's directive techniques (directiveness 0.5 or more).
fn directive_techniques() -> Vec<String> {
    Catalogue::builtin()
        .techniques
        .iter()
        .filter(|t| t.directiveness >= 0.5)
        .map(|t| t.id.clone())
        .collect()
}

/// Reactance matching (Beutler et al. 2018, d = 0.79): for directive techniques and reactant
/// clients, ask permission > offer as an option > as is > prescribe, strictly, over the
/// whole catalogue and a grid of reactance values, at every stage and distress tried.
#[test]
fn reactant_clients_ask_permission_beats_offer_beats_as_is_beats_prescribe() {
    for reactance in [0.6, 0.7, 0.8, 0.9, 1.0] {
        for (stage, distress) in [
            ("Contemplation", 0.5),
            ("Action", 0.3),
            ("Preparation", 0.8),
        ] {
            let p = client(reactance, 0.5, stage, distress, None);
            let s = Session::new(Arc::clone(&p), 1);
            for t in directive_techniques() {
                let fits = fits_by_directiveness(&s, &t);
                assert!(
                    fits[0] > fits[1] && fits[1] > fits[2] && fits[2] > fits[3],
                    "{t} at reactance {reactance}, {stage}: ask, offer, as is, prescribe = {fits:?}"
                );
            }
        }
    }
}
