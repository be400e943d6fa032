//! The default course: it checks against the library, and every drill in it prepares to
//! its moment with three different seeds and can be answered.

use std::sync::Arc;

use attune_core::course::{check_course, prepare_drill, resolve_drill};
use attune_core::engine::PreparedScenario;
use attune_core::model::Rupture;
use attune_core::scenario::{Choice, Difficulty};
use attune_core::scoring::Skill;

use crate::common::{library, root};

fn the_library() -> Vec<Arc<PreparedScenario>> {
    let mut stems: Vec<String> = std::fs::read_dir(root().join("scenarios"))
        .expect("the library")
        .filter_map(|e| {
            let path = e.ok()?.path();
            let stem = path.file_stem()?.to_string_lossy().into_owned();
            (path.extension()? == "ron").then_some(stem)
        })
        .collect();
    stems.sort();
    stems.iter().map(|s| library(s)).collect()
}

#[test]
fn the_default_course_checks_and_every_drill_reaches_its_moment_with_three_seeds() {
    let text = std::fs::read_to_string(root().join("courses/default.ron")).expect("course");
    let lib = the_library();
    let course = check_course("courses/default.ron", &text, &lib)
        .unwrap_or_else(|d| panic!("the default course does not check: {d:#?}"));
    // Every library scenario is a session step, in order of difficulty.
    let sessions: Vec<&str> = course
        .steps
        .iter()
        .filter_map(|s| s.session.as_deref())
        .collect();
    assert_eq!(sessions.len(), lib.len());
    let difficulties: Vec<Difficulty> = course
        .steps
        .iter()
        .filter(|s| s.session.is_some())
        .map(|s| s.difficulty)
        .collect();
    assert!(difficulties.is_sorted(), "{difficulties:?}");
    let priya: Vec<&&str> = sessions.iter().filter(|s| s.starts_with("priya")).collect();
    assert_eq!(
        priya,
        [
            &"priya-gad-session-1",
            &"priya-gad-session-2",
            &"priya-gad-session-3"
        ]
    );
    for scenario in &lib {
        let id = &scenario.scenario.meta.id;
        let drills = course.drills().filter(|(_, d)| &d.scenario == id).count();
        assert!(drills >= 2, "{id} has {drills} drill(s)");
    }
    for (step, drill) in course.drills() {
        let prepared = lib
            .iter()
            .find(|p| p.scenario.meta.id == drill.scenario)
            .expect("checked");
        let resolved = resolve_drill(prepared, drill).expect("checked");
        let mut lines = Vec::new();
        for seed in [1, 2, 3] {
            let ready = prepare_drill(prepared, &resolved, seed)
                .unwrap_or_else(|e| panic!("drill `{}` with seed {seed}: {e}", step.id));
            assert_eq!(ready.session.turns().len(), resolved.prefix.len());
            assert!(ready.session.ended().is_none());
            if let Some(moment) = &drill.moment {
                assert_eq!(ready.key_moment.as_ref().map(|m| &m.id), Some(moment));
            }
            // A drill training repair is at an open rupture.
            if step.skills.contains(&Skill::RuptureRepair) {
                assert_ne!(
                    ready.session.state().rupture,
                    Rupture::None,
                    "drill `{}`",
                    step.id
                );
            }
            // The expert's own move, answered, marks the moment and gives commentary; off
            // the expert path, a reflection is answered.
            let choice = ready
                .expert_move
                .clone()
                .unwrap_or_else(|| Choice::new("complex_reflection"));
            let answer = ready.answer(&choice).expect("the move plays");
            if drill.moment.is_some() {
                assert!(!answer.commentary.is_empty(), "drill `{}`", step.id);
            }
            // Every skill the drill names is one the moment tests (its fit term applies to
            // the best move found there).
            let shown = attune_core::scoring::skill_evidence(&answer.best.fit);
            for skill in &step.skills {
                assert!(
                    shown.iter().any(|(s, _)| s == skill),
                    "drill `{}` names {skill:?}, which its best move does not show",
                    step.id
                );
            }
            assert!(answer.fit.score > 0.0);
            lines.push(answer.outcome.client_line.clone());
        }
        assert_eq!(lines.len(), 3);
    }
}

#[test]
fn a_drill_answered_twice_is_unchanged_and_a_fresh_seed_varies_the_wording() {
    let text = std::fs::read_to_string(root().join("courses/default.ron")).expect("course");
    let lib = the_library();
    let course = check_course("courses/default.ron", &text, &lib).expect("checks");
    let (_, drill) = course
        .drills()
        .find(|(s, _)| s.id == "dan-roll-with-it")
        .expect("the drill");
    let dan = library("dan-mandated-anger");
    let resolved = resolve_drill(&dan, drill).expect("resolves");
    let ready = prepare_drill(&dan, &resolved, 1).expect("prepares");
    let first = ready.answer(&Choice::new("confrontation")).expect("plays");
    let again = ready
        .answer(&Choice::new("rolling_with_resistance"))
        .expect("plays");
    assert_eq!(ready.session.turns().len(), resolved.prefix.len());
    assert!(again.fit.score > first.fit.score + 30.0);
    assert!(!first.best.yours_was_best);
    // Words alone answer as the technique they are coded as, the words kept.
    let words = "You're fed up with everyone telling you what to do.";
    let coded = attune_core::coding::shared_coder().code(words).technique;
    let said = ready
        .answer(&Choice {
            say: Some(words.into()),
            ..Choice::default()
        })
        .expect("words alone play");
    assert_eq!(said.choice.technique, coded);
    assert_eq!(said.choice.words(), Some(words));
    assert_eq!(said.outcome.words.as_ref().unwrap().text, words);
    // The same state, other words: the client's last line before the move differs
    // between some of the seeds.
    let mut lines: Vec<String> = (1..=6)
        .map(|seed| {
            let d = prepare_drill(&dan, &resolved, seed).expect("prepares");
            assert_eq!(d.open_moment, ready.open_moment);
            d.session
                .turns()
                .last()
                .expect("a prefix")
                .client_line
                .clone()
        })
        .collect();
    lines.sort();
    lines.dedup();
    assert!(lines.len() > 1, "{lines:?}");
}
