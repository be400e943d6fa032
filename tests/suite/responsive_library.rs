//! Responsive scoring over the whole library: the score agrees with the clinicians' expert
//! and novice paths and with the client's own reactions, safety comes first, and every
//! explanation names what it rests on.

use std::sync::Arc;

use attune::analysis::{self, ContentIndex, ContentTally, Progress, Settings};
use attune::engine::{PreparedScenario, Session};
use attune::model::{Reaction, RiskLevel};
use attune::scenario::{Choice, Directiveness, FocusShift, Framing, Pacing};

use crate::common::{fixture_text, library, prepared_text, root};

fn library_stems() -> Vec<String> {
    let mut stems: Vec<String> = std::fs::read_dir(root().join("scenarios"))
        .expect("scenarios folder")
        .filter_map(|e| {
            let path = e.ok()?.path();
            (path.extension()? == "ron").then(|| path.file_stem()?.to_str().map(String::from))?
        })
        .collect();
    stems.sort();
    stems
}

fn playthrough_score(p: &Arc<PreparedScenario>, prefix: &str) -> f32 {
    let play = p
        .scenario
        .playthroughs
        .iter()
        .find(|play| play.name.to_lowercase().starts_with(prefix))
        .unwrap_or_else(|| panic!("{}: no {prefix} playthrough", p.scenario.meta.id));
    analysis::play_script(p, play).summary().overall
}

/// For every library client: the best path the analyser finds is at most 5 points above the
/// expert path and draws no line the author marked as a misstep reaction; expert minus
/// novice is at least 30 points; random play passes at most 10% of the time.
#[test]
fn the_score_agrees_with_the_expert_the_novice_and_the_client() {
    let mut failures = Vec::new();
    for stem in library_stems() {
        let p = library(&stem);
        let a = analysis::analyze(&p, &Settings::default(), &Progress::new());
        let expert = playthrough_score(&p, "expert");
        let novice = playthrough_score(&p, "novice");
        let best = a.search.score.overall;
        let missteps: Vec<&str> = a
            .best_path
            .turns
            .iter()
            .filter_map(|t| {
                let r = p
                    .scenario
                    .responses
                    .iter()
                    .find(|r| r.id == t.response_id)?;
                (r.reaction == Some(Reaction::Misstep)).then_some(r.id.as_str())
            })
            .collect();
        let random = a.random.as_ref().expect("random play ran");
        let pass_rate = random.pass_rate;
        let line = format!(
            "{stem}: best {best:.1}, expert {expert:.1}, novice {novice:.1}, random pass {:.1}%, misstep lines on the best path {missteps:?}",
            100.0 * pass_rate
        );
        if best > expert + 5.0 || !missteps.is_empty() || expert - novice < 30.0 || pass_rate > 0.10
        {
            failures.push(line);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every line marked as a reaction agrees with the score over the analyser's sessions.
#[test]
fn no_library_line_contradicts_the_score() {
    let mut found = Vec::new();
    for stem in library_stems() {
        let p = library(&stem);
        let a = analysis::analyze(
            &p,
            &Settings {
                random_playthroughs: 2_000,
                ..Settings::default()
            },
            &Progress::new(),
        );
        found.extend(
            a.disagreements
                .iter()
                .map(|d| format!("{stem}: {}", d.message())),
        );
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// A fixture for each kind of disagreement: a misstep reaction drawn by a fitting move, and
/// a welcoming one drawn by a poor move, are both reported (with the line and a suggestion).
#[test]
fn disagreements_of_each_kind_are_reported() {
    let text = fixture_text().replace(
        "            id: \"heard\",\n            when: (tags: [\"reflection\"], fit: (min: 60)),",
        "            id: \"heard\",\n            reaction: Misstep,\n            when: (tags: [\"reflection\"], fit: (min: 60)),",
    ).replace(
        "            id: \"fallback\",",
        "            id: \"fallback\",\n            reaction: Welcoming,",
    );
    let p = prepared_text(&text);
    let index = ContentIndex::new(&p);
    let mut tally = ContentTally::new(&p);
    let random = analysis::play_random(&p, 500, 1, &Progress::new());
    tally.merge(&random.content);
    let _ = index;
    let found = analysis::disagreements(&p, &[&tally]);
    let kinds: Vec<(&str, Reaction)> = found.iter().map(|d| (d.id.as_str(), d.reaction)).collect();
    assert!(kinds.contains(&("heard", Reaction::Misstep)), "{kinds:?}");
    assert!(
        kinds.contains(&("fallback", Reaction::Welcoming)),
        "{kinds:?}"
    );
    let heard = found.iter().find(|d| d.id == "heard").unwrap();
    assert!(heard.fit >= 60.0 && !heard.suggestion().is_empty());

    // `attune check` reports them at the line, as warnings.
    let dir = tempdir();
    let file = dir.join("disagree.ron");
    std::fs::write(&file, &text).unwrap();
    let out = crate::common::attune_command()
        .args(["check", file.to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "warnings only: {stdout}");
    assert!(
        stdout.contains("the client and the score disagree") && stdout.contains("`heard`"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("attune-agree-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every combination of adaptations a trainee can choose for one technique.
fn all_adaptations(technique: &str) -> Vec<Choice> {
    let mut out = Vec::new();
    for directiveness in Directiveness::ALL {
        for focus in FocusShift::ALL {
            for pacing in Pacing::ALL {
                for framing in Framing::ALL {
                    for (culturally_adapted, spiritually_adapted) in
                        [(false, false), (true, false), (false, true), (true, true)]
                    {
                        out.push(Choice {
                            technique: technique.to_string(),
                            directiveness,
                            focus,
                            pacing,
                            framing,
                            culturally_adapted,
                            spiritually_adapted,
                            say: None,
                        });
                    }
                }
            }
        }
    }
    out
}

/// Safety first (clinical-model.md section 9): while a risk cue is open and unassessed, no
/// move that does not assess the risk reaches the pass mark, however it is
/// adapted, over the whole catalogue; the explanation says why. Checked in every library
/// scenario where the expert path meets a risk cue, and for a cue present from the start.
#[test]
fn after_a_risk_cue_only_assessing_or_containing_it_can_pass() {
    let mut checked = 0;
    let mut sessions: Vec<(String, Session)> = Vec::new();
    for stem in library_stems() {
        let p = library(&stem);
        let Some(play) = analysis::expert_playthrough(&p.scenario) else {
            continue;
        };
        let mut s = Session::new(Arc::clone(&p), play.seed);
        for c in &play.choices {
            if risk_open(&s) {
                break;
            }
            if s.apply(c).is_err() {
                break;
            }
        }
        if risk_open(&s) {
            sessions.push((stem, s));
        }
    }
    // A cue present from the opening line.
    let at_start = prepared_text(&fixture_text().replace(
        "opening_cues: [\"looks at the floor\", \"shrugs\"],",
        "opening_cues: [\"looks at the floor\"],\n        opening_moment: RiskCue,",
    ));
    sessions.push((
        "fixture, cue at the start".into(),
        Session::new(at_start, 1),
    ));
    assert!(
        sessions.len() >= 4,
        "library scenarios with a risk cue: {}",
        sessions.len()
    );
    for (name, s) in &sessions {
        let pass_mark = s.prepared().pass_mark();
        for t in &s.prepared().techniques {
            for c in all_adaptations(&t.id) {
                let fit = s.preview_fit(&c).unwrap();
                if !t.assesses_risk {
                    assert!(
                        fit.score < pass_mark,
                        "{name}: {} ({c:?}) scores {:.1} with a risk cue open",
                        t.id,
                        fit.score
                    );
                    assert!(
                        fit.explanation.contains("risk")
                            || fit.explanation.contains("Contraindicated"),
                        "{name}: {}: {}",
                        t.id,
                        fit.explanation
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 10_000, "{checked}");
}

fn risk_open(s: &Session) -> bool {
    s.state().risk() >= RiskLevel::Moderate && !s.state().risk_assessed
}

/// A risk cue present from the start has the same assessment clock as one raised later:
/// not assessing it within the window fails the gate.
#[test]
fn a_risk_cue_present_at_the_start_has_an_assessment_clock() {
    let p = prepared_text(
        &fixture_text()
            .replace(
                "opening_cues: [\"looks at the floor\", \"shrugs\"],",
                "opening_cues: [\"looks at the floor\"],\n        opening_moment: RiskCue,",
            )
            .replace("AtTurn(2)", "AtTurn(5)"),
    );
    let mut s = Session::new(Arc::clone(&p), 1);
    s.apply(&Choice::new("complex_reflection")).unwrap();
    s.apply(&Choice::new("empathic_validation")).unwrap();
    assert!(
        s.safety_failures()
            .iter()
            .any(|f| f.gate == attune::model::SafetyGate::RiskNotAssessed),
        "{:?}",
        s.safety_failures()
    );
    let mut s = Session::new(p, 1);
    s.apply(&Choice::new("suicide_risk_assessment")).unwrap();
    s.apply(&Choice::new("empathic_validation")).unwrap();
    assert!(s.safety_failures().is_empty());
}

/// Explanations that teach: over the library's playthroughs and 10,000 random sessions per
/// scenario, at least 95% of turn explanations name a characteristic or a moment and carry
/// the principle's source.
#[test]
fn explanations_name_what_they_rest_on_and_its_source() {
    let mut total = 0u64;
    let mut teaching = 0u64;
    let mut examples = Vec::new();
    let mut count = |s: &Session| {
        for t in s.turns() {
            total += 1;
            let r = &t.fit.reason;
            if !r.subject.is_empty()
                && !r.source.is_empty()
                && t.fit.explanation.contains(&*r.source)
            {
                teaching += 1;
            } else if examples.len() < 5 {
                examples.push(t.fit.explanation.clone());
            }
        }
    };
    for stem in library_stems() {
        let p = library(&stem);
        for play in &p.scenario.playthroughs {
            count(&analysis::play_script(&p, play));
        }
        analysis::for_each_random_session(&p, 10_000, 1, &mut count);
    }
    let share = teaching as f64 / total as f64;
    eprintln!(
        "{teaching} of {total} turn explanations ({:.1}%) name what they rest on and its source",
        100.0 * share
    );
    assert!(
        share >= 0.95,
        "{teaching} of {total} ({:.1}%) explanations teach; e.g. {examples:?}",
        100.0 * share
    );
}
