//! Same scenario, seed and choices: byte-identical results. Golden transcripts pin them.

use attune_core::analysis::expert_playthrough;
use attune_core::engine::transcript::to_json;

use crate::common::{fixture, library, play, root};

#[test]
fn the_same_seed_and_choices_give_identical_json() {
    for stem in [
        "dan-mandated-anger",
        "maria-depression-risk",
        "tom-panic-exposure",
    ] {
        let p = library(stem);
        let expert = expert_playthrough(&p.scenario).expect("expert path");
        let a = to_json(&play(&p, 11, &expert.choices));
        let b = to_json(&play(&p, 11, &expert.choices));
        assert_eq!(a, b, "{stem}");
    }
}

#[test]
fn a_different_seed_changes_the_wording_but_not_the_scoring() {
    let p = fixture();
    let moves: Vec<_> = [
        "complex_reflection",
        "open_question",
        "suicide_risk_assessment",
        "complex_reflection",
        "empathic_validation",
    ]
    .into_iter()
    .map(crate::common::choice)
    .collect();
    let runs: Vec<_> = (1..=6).map(|seed| play(&p, seed, &moves)).collect();
    let lines = |s: &attune_core::engine::Session| {
        s.turns()
            .iter()
            .map(|t| t.client_line.clone())
            .collect::<Vec<_>>()
    };
    let fits = |s: &attune_core::engine::Session| {
        s.turns().iter().map(|t| t.fit.clone()).collect::<Vec<_>>()
    };
    assert!(
        runs.iter().any(|r| lines(r) != lines(&runs[0])),
        "some seed changes the wording"
    );
    for r in &runs {
        assert_eq!(fits(r), fits(&runs[0]), "fit never depends on the seed");
        assert_eq!(r.summary().overall, runs[0].summary().overall);
    }
}

/// Golden transcripts of each library scenario's expert path at a fixed seed. Set
/// `UPDATE_GOLDEN=1` to rewrite them after an intended change, and review the diff.
#[test]
fn golden_transcripts_match() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut mismatched = Vec::new();
    for stem in [
        "dan-mandated-anger",
        "maria-depression-risk",
        "tom-panic-exposure",
    ] {
        let p = library(stem);
        let expert = expert_playthrough(&p.scenario).expect("expert path");
        let json = to_json(&play(&p, 7, &expert.choices)) + "\n";
        let path = root()
            .join("tests/golden")
            .join(format!("{stem}-expert-seed7.json"));
        if update {
            std::fs::write(&path, &json).unwrap();
            continue;
        }
        let golden = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{} is missing: run with UPDATE_GOLDEN=1", path.display()));
        if golden != json {
            mismatched.push(path.display().to_string());
        }
    }
    assert!(
        mismatched.is_empty(),
        "transcripts differ from {mismatched:?}; if intended, run with UPDATE_GOLDEN=1 and review the diff"
    );
}

/// Variety: a response that comes up on consecutive turns does not repeat its last words
/// while it has another variant.
#[test]
fn a_response_does_not_repeat_its_last_variant() {
    let p = crate::common::library("dan-mandated-anger");
    for seed in 0..40 {
        let s = crate::common::play(
            &p,
            seed,
            &[
                "complex_reflection",
                "rolling_with_resistance",
                "complex_reflection",
                "emphasizing_autonomy",
                "complex_reflection",
                "simple_reflection",
            ]
            .map(crate::common::choice),
        );
        let turns = s.turns();
        for pair in turns.windows(2) {
            let variants = p
                .scenario
                .responses
                .iter()
                .find(|r| *r.id == *pair[1].response_id)
                .map_or(0, |r| r.lines.len());
            if pair[0].response_id == pair[1].response_id && variants > 1 {
                assert_ne!(
                    pair[0].client_line, pair[1].client_line,
                    "seed {seed}: `{}` repeated itself",
                    pair[1].response_id
                );
            }
        }
    }
}
