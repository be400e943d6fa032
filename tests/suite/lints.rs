//! `attune check` lints (src/scenario/lint/): each fires on a scenario written to trip it,
//! at the line and column of the part that causes it, and the library is free of them.

use std::sync::Arc;

use attune::engine::{PreparedScenario, Session};
use attune::lint::{check_scenario, check_scenario_file};
use attune::model::Catalogue;
use attune::scenario::{Choice, Directiveness, FocusShift, Pacing};
use attune::scoring::ScoringConfig;
use attune::source::{Diagnostic, Severity};

use crate::common::{attune, fixture_text, library_files};

/// Two lines that answer every school, so that the fixture has a line for each technique
/// (the coverage lint) without hiding the fallback behind one catch-all line.
const NETS: &str = r#"
        (id: "net-reflective", when: (schools: [PersonCentred, MotivationalInterviewing, EmotionFocused, Psychodynamic, Systemic, SolutionFocused]), lines: ["Mm."]),
        (id: "net-structured", when: (schools: [Cbt, Behavioural, Act, Dbt, Common]), lines: ["Okay."]),"#;

/// The test fixture with the nets: free of every lint (checked below).
fn base() -> String {
    let text = fixture_text();
    let at = text.find("    responses: [").expect("responses") + "    responses: [".len();
    format!("{}{NETS}{}", &text[..at], &text[at..])
}

/// `base()` with each `from` replaced once by its `to`.
fn variant(changes: &[(&str, &str)]) -> String {
    let mut text = base();
    for (from, to) in changes {
        assert_eq!(
            text.matches(from).count(),
            1,
            "`{from}` occurs once in the fixture"
        );
        text = text.replacen(from, to, 1);
    }
    text
}

/// Every diagnostic for `text`, errors and warnings alike.
fn diagnostics(text: &str) -> Vec<Diagnostic> {
    match check_scenario(
        "lint.ron",
        text,
        &Catalogue::builtin(),
        &ScoringConfig::builtin(),
    ) {
        Ok(loaded) => loaded.warnings,
        Err(diagnostics) => diagnostics,
    }
}

/// The one diagnostic whose message contains `fragment`.
fn find(ds: &[Diagnostic], fragment: &str) -> Diagnostic {
    let found: Vec<&Diagnostic> = ds.iter().filter(|d| d.message.contains(fragment)).collect();
    assert_eq!(
        found.len(),
        1,
        "one diagnostic containing `{fragment}` in {ds:#?}"
    );
    found[0].clone()
}

/// 1-based line and column where `needle` (unique in `text`) starts.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    assert_eq!(text.matches(needle).count(), 1, "`{needle}` is unique");
    let before = &text[..text.find(needle).unwrap()];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, col)
}

/// Asserts a warning containing `fragment` points where `needle` starts.
fn assert_warns_at(text: &str, fragment: &str, needle: &str) {
    let d = find(&diagnostics(text), fragment);
    assert_eq!(d.severity, Severity::Warning, "{d}");
    assert_eq!((d.line, d.col), position_of(text, needle), "{d}");
}

#[test]
fn the_base_fixture_is_free_of_every_lint() {
    let ds = diagnostics(&base());
    assert!(ds.is_empty(), "{ds:#?}");
}

// ------------------------------------------------------------------ 1. never holds

const HEARD: &str = r#"when: (tags: ["reflection"], fit: (min: 60)),"#;

fn heard_with(extra: &str) -> String {
    variant(&[(
        HEARD,
        &format!(r#"when: (tags: ["reflection"], fit: (min: 60), {extra}),"#),
    )])
}

#[test]
fn risk_bounds_that_exclude_each_other_never_hold() {
    let text = heard_with("risk_at_least: High, risk_below: Moderate");
    assert_warns_at(
        &text,
        "`risk_at_least: High` and `risk_below: Moderate` exclude each other",
        "Moderate),",
    );
    // `Some(None)`: with implicit `Some`, a bare `None` would mean "no bound".
    let text = heard_with("risk_below: Some(None)");
    assert_warns_at(&text, "risk is never below `None`", "Some(None)),");
}

#[test]
fn risk_the_client_never_reaches_never_holds() {
    // The fixture's only risk event raises risk to Moderate.
    let text = heard_with("risk_at_least: Imminent");
    assert_warns_at(&text, "risk never reaches Imminent", "Imminent),");
}

#[test]
fn a_flag_both_required_and_excluded_never_holds() {
    let text = heard_with(r#"flags: ["rationale_given"], not_flags: ["rationale_given"]"#);
    assert_warns_at(
        &text,
        "is both required (`flags`) and excluded",
        r#""rationale_given"]),"#,
    );
}

#[test]
fn excluding_a_flag_set_from_the_start_and_never_cleared_never_holds() {
    let text = variant(&[
        (
            "stage: Contemplation,",
            r#"stage: Contemplation, flags: ["goal_agreed"],"#,
        ),
        (
            HEARD,
            r#"when: (tags: ["reflection"], fit: (min: 60), not_flags: ["goal_agreed"]),"#,
        ),
    ]);
    assert_warns_at(
        &text,
        "flag `goal_agreed` is set from the start",
        r#""goal_agreed"]),"#,
    );
}

#[test]
fn techniques_that_cannot_carry_the_tags_also_required_never_hold() {
    let text = variant(&[(
        HEARD,
        r#"when: (techniques: ["psychoeducation"], tags: ["reflection"]),"#,
    )]);
    assert_warns_at(
        &text,
        "none of the techniques listed (`psychoeducation`) carries `reflection`",
        r#"["psychoeducation"]"#,
    );
    let text = variant(&[(
        HEARD,
        r#"when: (techniques: ["psychoeducation"], schools: [PersonCentred]),"#,
    )]);
    assert_warns_at(
        &text,
        "belongs to `PersonCentred`",
        r#"["psychoeducation"]"#,
    );
}

#[test]
fn a_tag_no_technique_carries_never_holds() {
    let text = variant(&[(HEARD, r#"when: (tags: ["reflektion"]),"#)]);
    assert_warns_at(
        &text,
        "no technique carries the tag(s) `reflektion`",
        r#"["reflektion"]"#,
    );
}

#[test]
fn a_delivery_no_allowed_technique_can_reach_never_holds() {
    // Complex reflection is 0.1 directive; prescribing adds 0.2.
    let text = variant(&[(
        HEARD,
        r#"when: (techniques: ["complex_reflection"], directiveness: (min: 0.9)),"#,
    )]);
    assert_warns_at(
        &text,
        "can be delivered with directiveness at least 0.9",
        "(min: 0.9)",
    );
}

#[test]
fn a_stage_the_client_never_reaches_never_holds() {
    // The fixture's client starts in contemplation and no effect sets a stage.
    let text = heard_with("stages: [Precontemplation]");
    assert_warns_at(
        &text,
        "the client is only ever in `Contemplation`, `Preparation`, `Action`",
        "[Precontemplation]",
    );
}

#[test]
fn a_turn_past_the_limit_and_clinical_flags_the_client_lacks_never_hold() {
    let text = heard_with("turn: (min: 7)");
    assert_warns_at(&text, "the session has at most 6 turns", "(min: 7)");
    let text = heard_with(r#"client_flags: ["psychosis"]"#);
    assert_warns_at(
        &text,
        "the client has no clinical flags",
        r#"["psychosis"]"#,
    );
}

#[test]
fn ruptures_that_open_and_mend_on_one_turn_never_hold() {
    let text = heard_with("rupture_repaired: true, rupture_opened: true");
    assert_warns_at(
        &text,
        "cannot open and be repaired on the same turn",
        "true, rupture_opened: true)",
    );
    let text = heard_with("rupture_repaired: true, rupture: [Confrontation]");
    assert_warns_at(&text, "no rupture is open any more", "[Confrontation]");
}

#[test]
fn a_response_waiting_for_an_event_never_holds() {
    let text = heard_with(r#"event: "risk-cue", turn: (min: 1)"#);
    assert_warns_at(
        &text,
        "response lines are chosen before the turn's events fire",
        r#""risk-cue", turn"#,
    );
}

#[test]
fn a_key_moment_at_an_unreachable_stage_never_comes_up() {
    let text = variant(&[(
        r#"when: (event: "risk-cue"),"#,
        r#"when: (event: "risk-cue", stages: [Maintenance]),"#,
    )]);
    assert_warns_at(&text, "key moment `cue` can never come up", "[Maintenance]");
}

#[test]
fn gates_cannot_see_the_fit_or_the_events_of_their_turn() {
    let rules = r#"    technique_rules: {
        "psychoeducation": (
            prerequisites: [(needs: (fit: (min: 50)), label: "a good fit")],
            contraindications: [(when: (event: "risk-cue"), reason: "after the cue")],
        ),
    },
    key_moments: ["#;
    let text = variant(&[("    key_moments: [", rules)]);
    assert_warns_at(
        &text,
        "the prerequisite \"a good fit\" of `psychoeducation` can never be met",
        "(min: 50)),",
    );
    assert_warns_at(
        &text,
        "this contraindication of `psychoeducation` can never apply",
        r#""risk-cue"), reason"#,
    );
}

#[test]
fn a_scenario_technique_waiting_on_a_flag_nothing_sets_is_always_penalised() {
    // Validation leaves flags inside techniques alone (catalogue techniques name any
    // scenario's flags), so the lint is the only one to say so for the scenario's own.
    let own = r#"    techniques: [
        (
            id: "own_move",
            name: "Own move",
            school: Behavioural,
            description: "A move only this client is offered.",
            example: "Let's try this.",
            directiveness: 0.5,
            focus: 0.5,
            arousal: 0.0,
            relational: (empathy: 0.2, collaboration: 0.2, warmth: 0.2, credibility: 0.2),
            miti: Other,
            prerequisites: [(needs: (flags: ["never_set"]), label: "something first")],
        ),
    ],
    key_moments: ["#;
    let text = variant(&[("    key_moments: [", own)]);
    assert_warns_at(
        &text,
        "the prerequisite \"something first\" of `own_move` can never be met",
        r#""never_set"]"#,
    );
}

#[test]
fn a_contraindication_for_a_state_this_client_never_reaches_is_a_safeguard_not_a_lint() {
    let rules = r#"    technique_rules: {
        "psychoeducation": (contraindications: [(when: (risk_at_least: Imminent), reason: "imminent risk")]),
    },
    key_moments: ["#;
    let ds = diagnostics(&variant(&[("    key_moments: [", rules)]));
    assert!(ds.is_empty(), "{ds:#?}");
}

#[test]
fn ranges_out_of_bounds_or_reversed_stay_validation_errors() {
    for extra in ["distress: (min: 1.2)", "distress: (min: 0.8, max: 0.2)"] {
        let text = heard_with(extra);
        let ds = diagnostics(&text);
        assert!(
            ds.iter()
                .any(|d| d.is_error() && d.message.contains("distress")),
            "{extra}: {ds:#?}"
        );
    }
}

// ------------------------------------------------------------------ 2. shadowed lines

fn with_response(response: &str) -> String {
    variant(&[(
        "    responses: [",
        &format!("    responses: [\n        {response},"),
    )])
}

#[test]
fn a_line_outranked_by_one_that_always_holds_with_it_is_never_said() {
    // `risk-answer` (priority 30, any risk assessment) holds whenever this does.
    let text = with_response(
        r#"(id: "shadowed", priority: 10, when: (tags: ["risk_assessment"], distress: (min: 0.7)), lines: ["..."])"#,
    );
    assert_warns_at(
        &text,
        "response `shadowed` can never be said: `risk-answer` holds whenever it does",
        r#""shadowed""#,
    );
}

#[test]
fn at_equal_priority_the_more_specific_line_shadows() {
    let text = with_response(
        r#"(id: "reflect-a", when: (techniques: ["complex_reflection"]), lines: ["a"]),
        (id: "reflect-b", when: (techniques: ["complex_reflection"], not_techniques: ["simple_reflection"]), lines: ["b"])"#,
    );
    let d = find(
        &diagnostics(&text),
        "response `reflect-a` can never be said",
    );
    assert!(
        d.message.contains("`reflect-b`") && d.message.contains("more specific"),
        "{d}"
    );
    assert_eq!((d.line, d.col), position_of(&text, r#""reflect-a""#));
}

#[test]
fn a_once_line_or_a_narrower_one_does_not_shadow() {
    // Said once, `risk-answer` leaves the next best line to later turns.
    let text = variant(&[
        (
            "    responses: [",
            "    responses: [\n        (id: \"later\", priority: 10, when: (tags: [\"risk_assessment\"]), lines: [\"...\"]),",
        ),
        (
            "            priority: 30,\n",
            "            priority: 30,\n            once: true,\n",
        ),
    ]);
    let ds = diagnostics(&text);
    assert!(
        !ds.iter().any(|d| d.message.contains("can never be said")),
        "{ds:#?}"
    );
    // `heard` needs a fit of 60 as well, so a plain reflection line still has turns of its own.
    let ds = diagnostics(&with_response(
        r#"(id: "plain", when: (tags: ["reflection"]), lines: ["..."])"#,
    ));
    assert!(
        !ds.iter().any(|d| d.message.contains("can never be said")),
        "{ds:#?}"
    );
}

// ------------------------------------------------------------------ 3. events

fn with_event(event: &str) -> String {
    variant(&[("    events: [", &format!("    events: [\n        {event},"))])
}

#[test]
fn an_event_whose_trigger_never_holds_never_fires() {
    let text = with_event(
        r#"(id: "late", trigger: When((stages: [Precontemplation])), effects: [Hope(0.1)])"#,
    );
    assert_warns_at(&text, "event `late` can never fire", "[Precontemplation]");
}

#[test]
fn an_event_waiting_for_a_later_or_dead_event_never_fires() {
    // Events are checked in file order: `risk-cue` comes after this one.
    let text = with_event(
        r#"(id: "after-cue", trigger: When((event: "risk-cue")), effects: [Hope(0.1)])"#,
    );
    assert_warns_at(&text, "comes after this one", r#""risk-cue")),"#);
    // A chain: `second` waits for `first`, which never fires; the key moment waits for `second`.
    let text = variant(&[
        (
            "    events: [",
            "    events: [\n        (id: \"first\", trigger: When((turn: (min: 9))), effects: [Hope(0.1)]),\n        (id: \"second\", trigger: When((event: \"first\")), effects: [Hope(0.1)]),",
        ),
        (
            r#"when: (event: "risk-cue"),"#,
            r#"when: (event: "second"),"#,
        ),
    ]);
    let ds = diagnostics(&text);
    assert_warns_at(
        &text,
        "event `first` can never fire: the session has at most 6 turns",
        "(min: 9)",
    );
    assert_warns_at(
        &text,
        "event `second` can never fire: event `first` can never fire",
        r#""first")),"#,
    );
    let d = find(
        &ds,
        "key moment `cue` can never come up: event `second` can never fire",
    );
    assert_eq!((d.line, d.col), position_of(&text, r#""second"),"#));
}

#[test]
fn scheduled_events_past_the_turn_limit_and_triggers_on_unset_flags_stay_reported_once() {
    let text = variant(&[("trigger: AtTurn(2),", "trigger: AtTurn(9),")]);
    let d = find(&diagnostics(&text), "outside turns 1 to 6");
    assert!(d.is_error());
    let text = with_event(
        r#"(id: "never", trigger: When((flags: ["no_such_flag"])), effects: [Hope(0.1)])"#,
    );
    let d = find(&diagnostics(&text), "no_such_flag");
    assert_eq!((d.line, d.col), position_of(&text, r#""no_such_flag""#));
}

// ------------------------------------------------------------------ 4. coverage

#[test]
fn techniques_without_a_line_of_their_own_are_listed_once_at_the_responses() {
    let text = fixture_text();
    let d = find(&diagnostics(&text), "have no response of their own");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(
        (d.line, d.col),
        position_of(&text, "[\n        (\n            id: \"marker\"")
    );
    // Reflections are answered by `heard`, risk assessment by `risk-answer`; a line on the
    // state alone (the rupture marker) answers no technique in particular.
    assert!(
        d.message.contains("`open_question`") && d.message.contains("`graded_exposure`"),
        "{d}"
    );
    assert!(
        !d.message.contains("`complex_reflection`")
            && !d.message.contains("`suicide_risk_assessment`"),
        "{d}"
    );
}

// ------------------------------------------------------------------ 5. traits

#[test]
fn a_reactant_client_who_asks_to_be_directed_contradicts_their_reactance() {
    // Reactance 0.8: the model's ideal directiveness is 0.2.
    let text = variant(&[(
        "    client: (\n",
        "    client: (\n        preferences: (directiveness: 0.8),\n",
    )]);
    assert_warns_at(
        &text,
        "a preferred directiveness of 0.8 contradicts reactance 0.8",
        "0.8),\n",
    );
    let ok = variant(&[(
        "    client: (\n",
        "    client: (\n        preferences: (directiveness: 0.3),\n",
    )]);
    assert!(diagnostics(&ok).is_empty());
}

#[test]
fn a_preferred_focus_far_from_the_coping_style_contradicts_it() {
    // Externalizing 0.3: the ideal focus is 0.3.
    let text = variant(&[(
        "    client: (\n",
        "    client: (\n        preferences: (focus: 0.95),\n",
    )]);
    assert_warns_at(
        &text,
        "a preferred focus of 0.95 contradicts coping style",
        "0.95),",
    );
    let ok = variant(&[(
        "    client: (\n",
        "    client: (\n        preferences: (focus: 0.6),\n",
    )]);
    assert!(diagnostics(&ok).is_empty());
}

#[test]
fn a_school_both_preferred_and_avoided_contradicts_itself() {
    let text = variant(&[(
        "    client: (\n",
        "    client: (\n        preferences: (schools: [Cbt], avoid_schools: [Dbt, Cbt]),\n",
    )]);
    assert_warns_at(
        &text,
        "Cbt is both a preferred school and one to avoid",
        "Cbt]),",
    );
}

// ------------------------------------------------------------------ 6. commentary

#[test]
fn a_key_moment_without_commentary_is_an_error_of_its_own() {
    let start = base().find("            commentary: [").unwrap();
    let end = start + base()[start..].find("            ],\n").unwrap() + "            ],\n".len();
    let text = format!(
        "{}            commentary: [],\n{}",
        &base()[..start],
        &base()[end..]
    );
    let ds = diagnostics(&text);
    let d = find(&ds, "key moment `cue` has no commentary");
    assert!(d.is_error());
    assert_eq!((d.line, d.col), position_of(&text, "[],"));
    assert!(
        !ds.iter().any(|d| d.message.contains("school(s)")),
        "not also the fewer-than-three warning: {ds:#?}"
    );
}

// ------------------------------------------------------------------ 7. no path passes

#[test]
fn a_scenario_no_session_can_pass_is_flagged_at_the_session() {
    let text = variant(&[(
        "        turn_limit: 6,\n",
        "        turn_limit: 6,\n        pass_mark: 99,\n",
    )]);
    let d = find(
        &diagnostics(&text),
        "no passing session found: it has no expert playthrough",
    );
    assert!(d.message.contains("pass mark of 99.0"), "{d}");
    assert_eq!(
        (d.line, d.col),
        position_of(&text, "(\n        turn_limit: 6,")
    );
}

#[test]
fn a_failing_expert_playthrough_is_named_when_the_search_finds_nothing_either() {
    let play = r#"    playthroughs: [
        (name: "expert: listen", choices: [(technique: "complex_reflection")], expect: (passed: true)),
    ],
)"#;
    let text = variant(&[(
        "        turn_limit: 6,\n",
        "        turn_limit: 6,\n        pass_mark: 99,\n",
    )]);
    let end = text.rfind(')').unwrap();
    let text = format!("{}{play}{}", &text[..end], &text[end + 1..]);
    assert_warns_at(
        &text,
        "its expert playthroughs do not pass",
        r#""expert: listen""#,
    );
}

#[test]
fn a_scenario_with_a_passing_expert_playthrough_or_a_found_path_is_not_flagged() {
    // The base fixture has no playthroughs: the search finds a passing session.
    assert!(diagnostics(&base()).is_empty());
    // Every library scenario passes through its own expert playthrough; without them the
    // search still finds a pass for each (so the check is not vacuous there).
    let catalogue = Catalogue::builtin();
    for file in library_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let cut = text
            .find("    playthroughs: [")
            .expect("library scenarios carry playthroughs");
        let stripped = format!("{}\n)\n", &text[..cut]);
        let ds = match check_scenario("x.ron", &stripped, &catalogue, &ScoringConfig::builtin()) {
            Ok(loaded) => loaded.warnings,
            Err(ds) => ds,
        };
        assert!(
            !ds.iter().any(|d| d.message.contains("no passing session")),
            "{}: {ds:#?}",
            file.display()
        );
    }
}

// ------------------------------------------------------------------ the library

#[test]
fn the_library_is_free_of_every_lint() {
    let catalogue = Catalogue::builtin();
    let mut found = Vec::new();
    for file in library_files() {
        match check_scenario_file(&file, &catalogue, &ScoringConfig::builtin()) {
            Ok(loaded) => found.extend(loaded.warnings.iter().map(ToString::to_string)),
            Err(ds) => found.extend(ds.iter().map(ToString::to_string)),
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

/// The lints are sound: what they call unreachable never happens, over many random
/// sessions of every library scenario and of the fixtures written to trip them.
#[test]
fn lines_and_events_called_unreachable_never_occur_in_random_play() {
    let catalogue = Catalogue::builtin();
    let mut texts: Vec<(String, String)> = library_files()
        .iter()
        .map(|f| (f.display().to_string(), std::fs::read_to_string(f).unwrap()))
        .collect();
    texts.push((
        "shadowed fixture".into(),
        with_response(r#"(id: "shadowed", priority: 10, when: (tags: ["risk_assessment"], distress: (min: 0.7)), lines: ["..."])"#),
    ));
    texts.push((
        "equal-priority fixture".into(),
        with_response(
            r#"(id: "reflect-a", when: (techniques: ["complex_reflection"]), lines: ["a"]),
        (id: "reflect-b", when: (techniques: ["complex_reflection"], not_techniques: ["simple_reflection"]), lines: ["b"])"#,
        ),
    ));
    texts.push((
        "event fixture".into(),
        with_event(
            r#"(id: "after-cue", trigger: When((event: "risk-cue")), effects: [Hope(0.1)])"#,
        ),
    ));
    let mut checked = 0;
    for (name, text) in texts {
        let loaded = check_scenario(&name, &text, &catalogue, &ScoringConfig::builtin())
            .unwrap_or_else(|d| panic!("{name}: {d:#?}"));
        let dead: Vec<String> = loaded
            .warnings
            .iter()
            .filter_map(|d| {
                let m = &d.message;
                let id = m.split('`').nth(1)?;
                (m.starts_with("response `") && m.contains("can never be said")
                    || m.starts_with("event `") && m.contains("can never fire")
                    || m.starts_with("key moment `") && m.contains("can never come up"))
                .then(|| id.to_string())
            })
            .collect();
        if dead.is_empty() {
            continue;
        }
        checked += dead.len();
        let prepared = Arc::new(
            PreparedScenario::new(loaded.scenario, &catalogue, &ScoringConfig::builtin()).unwrap(),
        );
        for seed in 0..150u64 {
            for outcome in random_session(&prepared, seed).turns() {
                let mut seen = vec![outcome.response_id.to_string()];
                for flag in &outcome.flags {
                    match flag {
                        attune::model::TurnFlag::Event { id }
                        | attune::model::TurnFlag::KeyMoment { id } => seen.push(id.clone()),
                        _ => {}
                    }
                }
                for id in seen {
                    assert!(
                        !dead.contains(&id),
                        "{name}: `{id}` was called unreachable but occurred (seed {seed})"
                    );
                }
            }
        }
    }
    assert!(
        checked >= 3,
        "the fixtures give the check something to test"
    );
}

/// A session of random moves, adapted at random, from a small deterministic generator.
fn random_session(prepared: &Arc<PreparedScenario>, seed: u64) -> Session {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = |n: usize| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((x >> 33) as usize) % n
    };
    let mut session = Session::new(Arc::clone(prepared), seed);
    while session.ended().is_none() {
        let t = &prepared.techniques[next(prepared.techniques.len())];
        let choice = Choice {
            directiveness: [
                Directiveness::AskPermission,
                Directiveness::OfferAsOption,
                Directiveness::AsIs,
                Directiveness::Prescribe,
            ][next(4)],
            focus: [
                FocusShift::TowardInsight,
                FocusShift::AsIs,
                FocusShift::TowardSymptom,
            ][next(3)],
            pacing: [Pacing::Slower, Pacing::AsIs, Pacing::Faster][next(3)],
            culturally_adapted: next(2) == 0,
            spiritually_adapted: next(2) == 0,
            ..Choice::new(&t.id)
        };
        if session.apply(&choice).is_err() {
            break;
        }
    }
    session
}

// ------------------------------------------------------------------ the command line

fn check_file(name: &str, text: &str, json: bool) -> std::process::Output {
    let dir = std::env::temp_dir().join(format!("attune-lints-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let mut args = vec!["check", path.to_str().unwrap()];
    if json {
        args.extend(["--format", "json"]);
    }
    attune(&args)
}

#[test]
fn check_prints_lints_in_json_and_exits_zero_on_warnings_only() {
    let text = heard_with("stages: [Precontemplation]");
    let out = check_file("lint-warning.ron", &text, true);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 1);
    let d = &report["diagnostics"][0];
    assert_eq!(d["severity"], "warning");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("response `heard` can never be said"),
        "{d}"
    );
    let (line, col) = position_of(&text, "[Precontemplation]");
    assert_eq!(
        (
            d["line"].as_u64().unwrap() as usize,
            d["col"].as_u64().unwrap() as usize
        ),
        (line, col)
    );
}

#[test]
fn check_exits_non_zero_on_a_lint_error() {
    let start = base().find("            commentary: [").unwrap();
    let end = start + base()[start..].find("            ],\n").unwrap() + "            ],\n".len();
    let text = format!(
        "{}            commentary: [],\n{}",
        &base()[..start],
        &base()[end..]
    );
    let out = check_file("lint-error.ron", &text, false);
    assert!(!out.status.success());
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        printed.contains("error: key moment `cue` has no commentary"),
        "{printed}"
    );
}

/// `attune analyze` asks the lints why content was never reached: the rupture kind a line
/// needs is one this client never opens (which kind opens follows from the traits), and a
/// part that can never hold is named as the lint names it.
#[test]
fn why_never_names_the_part_of_a_condition_no_state_meets() {
    use attune::lint::{Content, WhyNever};
    let text = variant(&[(
        "when: (rupture_opened: true),\n            lines: [\"Why are you pushing me?\"",
        "when: (rupture_opened: true, rupture: [Withdrawal]),\n            lines: [\"Why are you pushing me?\"",
    )]);
    let catalogue = Catalogue::builtin();
    let scoring = ScoringConfig::builtin();
    let loaded =
        check_scenario("why.ron", &text, &catalogue, &ScoringConfig::builtin()).expect("loads");
    let why = WhyNever::of(&loaded.scenario, &catalogue, &scoring);
    let reasons = why.why(Content::Response, "marker");
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(
        reasons[0].contains(
            "it needs a Withdrawal rupture, but with reactance 0.8 and externalizing 0.3 this client's ruptures open as Confrontation"
        ),
        "{reasons:?}"
    );
    // A line nothing rules out has no reason; an unknown id has none either.
    assert!(why.why(Content::Response, "fallback").is_empty());
    assert!(why.why(Content::Response, "no-such-line").is_empty());
}
