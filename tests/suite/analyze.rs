//! `attune analyze`: the best-path search, seeded random play, content coverage and the
//! command's JSON.

use std::sync::Arc;

use attune::analysis::{
    PathScore, PathSource, Progress, SearchSettings, Settings, analyze, best_path,
    expert_playthrough, play_random, play_script,
};
use attune::engine::PreparedScenario;

use crate::common::{
    attune, fixture, fixture_text, library_files, prepared_from, prepared_text, root,
};

fn library() -> Vec<(String, Arc<PreparedScenario>)> {
    let files = library_files();
    assert!(!files.is_empty(), "the library has scenarios");
    files
        .iter()
        .map(|p| (p.display().to_string(), prepared_from(p)))
        .collect()
}

/// A small analysis, quick enough for the unoptimised test build.
fn small(playthroughs: u64, seed: u64) -> Settings {
    Settings {
        random_playthroughs: playthroughs,
        seed,
        ..Settings::default()
    }
}

#[test]
fn the_search_finds_a_path_at_least_as_good_as_every_expert_playthrough() {
    let settings = SearchSettings::default();
    let mut report = Vec::new();
    for (name, prepared) in library() {
        let play = expert_playthrough(&prepared.scenario)
            .unwrap_or_else(|| panic!("{name} has no expert playthrough"));
        let expert = PathScore::of(&play_script(&prepared, play));
        // The search's own result, not the analysis's fallback to the expert path.
        let found = best_path(&prepared, &settings, &Progress::new(), 1);
        report.push(format!(
            "{name}: search {:.1} (passed {}), expert {:.1} (passed {})",
            found.score.overall, found.score.passed, expert.overall, expert.passed
        ));
        assert!(found.score.at_least(&expert), "{}", report.join("\n"));
        // The score reported is the score of the session returned.
        assert_eq!(found.score, PathScore::of(&found.session), "{name}");
        assert!(found.score.passed, "{name}: the best path passes");
    }
}

#[test]
fn random_play_is_deterministic_for_a_seed_and_varies_with_it() {
    let p = fixture();
    let a = play_random(&p, 600, 7, &Progress::new());
    let b = play_random(&p, 600, 7, &Progress::new());
    assert_eq!(a, b, "same seed, same playthroughs");
    assert_eq!(a.scores.len(), 600);
    let c = play_random(&p, 600, 8, &Progress::new());
    assert_ne!(a.scores, c.scores, "another seed plays other sessions");
    // Playthrough i depends on (seed, i) alone: a shorter run is a prefix of a longer one,
    // whatever the chunking across threads.
    let prefix = play_random(&p, 260, 7, &Progress::new());
    assert_eq!(prefix.scores[..], a.scores[..260]);

    let d = a.distribution().expect("sessions were played");
    assert_eq!(d.histogram.iter().map(|b| b.count).sum::<u64>(), 600);
    assert!(
        d.min <= d.p10 && d.p10 <= d.median && d.median <= d.p90 && d.p90 <= d.max,
        "{d:?}"
    );
    assert!((0.0..=1.0).contains(&d.pass_rate));

    // The whole report, JSON included, repeats byte for byte.
    let first = analyze(&p, &small(300, 3), &Progress::new()).to_json();
    let second = analyze(&p, &small(300, 3), &Progress::new()).to_json();
    assert_eq!(first, second);
}

#[test]
fn coverage_reports_a_response_no_session_can_reach() {
    let text = fixture_text().replacen(
        "        (\n            id: \"fallback\",",
        "        (\n            id: \"unreachable\",\n            when: (tags: [\"reflection\"], turn: (min: 50)),\n            lines: [\"Said on turn fifty, in a six-turn session.\"],\n        ),\n        (\n            id: \"fallback\",",
        1,
    );
    assert_ne!(text, fixture_text(), "the substitution applies");
    let p = prepared_text(&text);
    let progress = Progress::new();
    let analysis = analyze(&p, &small(500, 1), &progress);
    assert!(
        (progress.fraction() - 1.0).abs() < 1e-9,
        "the progress reaches the end"
    );

    let never = &analysis.coverage.never_reached;
    assert_eq!(
        never.responses,
        vec!["unreachable".to_string()],
        "{never:?}"
    );
    let row = |id: &str| {
        analysis
            .coverage
            .responses
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("no row for {id}"))
    };
    assert!(
        !row("unreachable").reached
            && row("unreachable").random_turns == 0
            && !row("unreachable").best_path
    );
    // Lines that random play meets are counted per turn and per session.
    let fallback = row("fallback");
    assert!(
        fallback.reached
            && fallback.random_playthroughs > 0
            && fallback.random_turns >= fallback.random_playthroughs
    );
    assert!(row("heard").reached);
    let risk_cue = analysis
        .coverage
        .events
        .iter()
        .find(|e| e.id == "risk-cue")
        .expect("event row");
    assert_eq!(
        risk_cue.random_playthroughs, 500,
        "an event at turn 2 fires in every session"
    );
    assert!(analysis.coverage.never_reached.events.is_empty());
    // The fixture carries no playthroughs: the search's path is the best path.
    assert!(analysis.expert.is_none());
    assert_eq!(analysis.best_path.source, PathSource::Search);
}

#[test]
fn weak_techniques_are_those_whose_mean_and_best_fit_stay_below_the_threshold() {
    let p = fixture();
    let analysis = analyze(
        &p,
        &Settings {
            weak_below: 60.0,
            ..small(800, 2)
        },
        &Progress::new(),
    );
    assert_eq!(analysis.techniques.len(), p.techniques.len());
    for t in &analysis.techniques {
        let weak = t.mean_fit.is_some_and(|m| m < 60.0) && t.best_fit.is_some_and(|b| b < 60.0);
        assert_eq!(t.weak, weak, "{t:?}");
        assert_eq!(analysis.weak_techniques.contains(&t.id), weak);
        if let (Some(mean), Some(best)) = (t.mean_fit, t.best_fit) {
            assert!(mean <= best, "{t:?}");
        }
    }
    // Confronting a highly reactant client (the fixture's reactance is 0.8) never fits.
    assert!(
        analysis
            .weak_techniques
            .iter()
            .any(|id| id == "confrontation"),
        "{:?}",
        analysis.weak_techniques
    );
    assert!(
        !analysis
            .weak_techniques
            .iter()
            .any(|id| id == "complex_reflection")
    );
}

#[test]
fn analyze_json_has_the_documented_fields() {
    let out = attune(&[
        "analyze",
        "scenarios/dan-mandated-anger.ron",
        "--random",
        "300",
        "--seed",
        "5",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "no progress bar when stderr is not a terminal: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let get = |path: &str| -> &serde_json::Value {
        path.split('.').fold(&v, |node, key| {
            node.get(key)
                .unwrap_or_else(|| panic!("`{path}` is missing from the JSON"))
        })
    };
    assert_eq!(get("scenario.id"), "dan-mandated-anger");
    for field in [
        "scenario.title",
        "scenario.turn_limit",
        "scenario.pass_mark",
        "scenario.techniques",
    ] {
        get(field);
    }
    assert_eq!(get("settings.random_playthroughs"), 300);
    assert_eq!(get("settings.seed"), 5);
    for field in [
        "settings.beam_width",
        "settings.polish_rounds",
        "settings.weak_below",
    ] {
        get(field);
    }
    assert_eq!(get("best_path.source"), "search");
    for field in ["passed", "safe", "completed", "requirements_met", "overall"] {
        get(&format!("best_path.score.{field}"));
        get(&format!("search.score.{field}"));
        get(&format!("expert.score.{field}"));
    }
    let turns = get("best_path.turns").as_array().expect("turns");
    assert_eq!(
        turns.len() as u64,
        get("scenario.turn_limit").as_u64().unwrap()
    );
    for field in [
        "turn",
        "choice",
        "technique_name",
        "fit",
        "response_id",
        "events",
        "key_moments",
    ] {
        assert!(turns[0].get(field).is_some(), "turn field `{field}`");
    }
    assert!(turns[0]["choice"]["technique"].is_string());
    assert_eq!(get("search.at_least_expert"), true);
    get("search.moves_played");
    get("search.moves_previewed");
    assert!(get("expert.name").as_str().unwrap().starts_with("expert"));
    assert_eq!(get("random.playthroughs"), 300);
    for field in [
        "mean",
        "median",
        "p10",
        "p90",
        "min",
        "max",
        "pass_rate",
        "dropout_rate",
        "crisis_rate",
        "safety_failure_rate",
    ] {
        assert!(
            get(&format!("random.{field}")).is_number(),
            "random.{field}"
        );
    }
    let histogram = get("random.histogram").as_array().expect("histogram");
    assert_eq!(histogram.len(), 10);
    assert_eq!(
        histogram
            .iter()
            .map(|b| b["count"].as_u64().unwrap())
            .sum::<u64>(),
        300
    );
    for field in [
        "best_minus_mean",
        "best_minus_median",
        "best_minus_p90",
        "best_minus_random_max",
    ] {
        assert!(get(&format!("spread.{field}")).is_number());
    }
    assert!(
        get("spread.best_minus_median").as_f64().unwrap() > 0.0,
        "the best path beats the median random session"
    );
    for kind in ["responses", "events", "key_moments"] {
        let rows = get(&format!("coverage.{kind}"))
            .as_array()
            .expect("coverage rows");
        assert!(!rows.is_empty(), "{kind}");
        for field in [
            "id",
            "random_turns",
            "random_playthroughs",
            "best_path",
            "scripted",
            "reached",
        ] {
            assert!(
                rows[0].get(field).is_some(),
                "coverage.{kind} field `{field}`"
            );
        }
        assert!(get(&format!("coverage.never_reached.{kind}")).is_array());
    }
    let techniques = get("techniques").as_array().expect("techniques");
    for field in ["id", "name", "uses", "mean_fit", "best_fit", "weak"] {
        assert!(
            techniques[0].get(field).is_some(),
            "technique field `{field}`"
        );
    }
    assert!(get("weak_techniques").is_array());
}

#[test]
fn analyze_prints_a_table_and_rejects_bad_input() {
    let out = attune(&["analyze", "tests/fixtures/minimal.ron", "--random", "200"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for heading in [
        "Best path",
        "Random play (200 playthroughs",
        "mean",
        "p10",
        "p90",
        "passed",
        "Coverage:",
        "technique",
    ] {
        assert!(text.contains(heading), "`{heading}` missing from:\n{text}");
    }
    assert!(
        text.contains(" 90-100 |"),
        "the histogram's last bin:\n{text}"
    );

    let missing = attune(&["analyze", "no/such/scenario.ron"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no/such/scenario.ron"));
    let zero = attune(&["analyze", "tests/fixtures/minimal.ron", "--random", "0"]);
    assert!(!zero.status.success(), "at least one random playthrough");
}

#[test]
fn milestones_lead_back_from_the_pass_requirement_to_the_ground_it_needs() {
    let p = prepared_from(&root().join("scenarios/tom-panic-exposure.ron"));
    let milestones = attune::analysis::Milestones::of(&p);
    // The first exposure needs a hierarchy, a coping skill and a rationale first.
    for flag in [
        "first_exposure_done",
        "hierarchy_built",
        "coping_skill",
        "rationale_given",
    ] {
        assert!(
            milestones.flags().iter().any(|f| f == flag),
            "{flag} in {:?}",
            milestones.flags()
        );
    }
    // Without pass requirements there is nothing to lead to.
    assert!(
        attune::analysis::Milestones::of(&fixture())
            .flags()
            .is_empty()
    );
}
