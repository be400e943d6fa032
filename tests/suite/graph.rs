//! `attune graph`: the scenario's structure as Graphviz DOT and Mermaid, checked as text
//! (no renderer needed): the right ids and links, balanced DOT, safely escaped Mermaid.

use attune::graph::{EdgeKind, Graph, NodeKind, build_graph, to_dot, to_mermaid};
use attune::model::Catalogue;
use attune::scenario::Scenario;

use crate::common::{attune, fixture_text, library, prepared_text};

fn graph_of(stem: &str) -> Graph {
    build_graph(&library(stem).scenario, &Catalogue::builtin())
}

/// The node of this kind whose label starts with `name`.
fn node_id(graph: &Graph, kind: NodeKind, name: &str) -> String {
    graph
        .nodes
        .iter()
        .find(|n| n.kind == kind && n.lines[0] == name)
        .unwrap_or_else(|| panic!("no {kind:?} node `{name}` in {:#?}", graph.nodes))
        .id
        .clone()
}

fn has_edge(graph: &Graph, from: &str, to: &str, kind: EdgeKind) -> bool {
    graph
        .edges
        .iter()
        .any(|e| e.from == from && e.to == to && e.kind == kind)
}

/// The ids an instructor looks for: events, key moments, pass requirements, techniques.
fn key_ids(s: &Scenario) -> Vec<String> {
    s.events
        .iter()
        .map(|e| e.id.clone())
        .chain(s.key_moments.iter().map(|k| k.id.clone()))
        .chain(s.session.pass_requires.iter().map(|r| r.flag.clone()))
        .chain(s.techniques.iter().map(|t| t.id.clone()))
        .chain(s.technique_rules.keys().cloned())
        .collect()
}

/// Braces and brackets balance outside strings, every string is closed, and every HTML
/// label's angle brackets balance. Panics naming the line otherwise.
fn assert_dot_balanced(dot: &str) {
    let (mut braces, mut brackets, mut angles) = (0i32, 0i32, 0i32);
    let mut in_string = false;
    let mut chars = dot.chars().peekable();
    let mut line = 1;
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
            assert!(
                !in_string || angles > 0,
                "line {line}: a string runs over a line break"
            );
        }
        if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '-' if chars.peek() == Some(&'>') => {
                chars.next();
            }
            '<' => angles += 1,
            '>' => angles -= 1,
            '{' if angles == 0 => braces += 1,
            '}' if angles == 0 => braces -= 1,
            '[' if angles == 0 => brackets += 1,
            ']' if angles == 0 => brackets -= 1,
            _ => {}
        }
        assert!(
            braces >= 0 && brackets >= 0 && angles >= 0,
            "line {line}: closes more than it opened"
        );
    }
    assert!(!in_string, "a string is never closed");
    assert_eq!(
        (braces, brackets, angles),
        (0, 0, 0),
        "braces, brackets and HTML angles balance"
    );
}

/// Every quoted Mermaid string on every line is closed on that line, and holds no markup
/// but `<br/>`: quotes, `<`, `>` and `#` only as entity codes.
fn assert_mermaid_safe(mermaid: &str) {
    assert!(
        mermaid.starts_with("flowchart"),
        "Mermaid output starts with `flowchart`"
    );
    for (i, line) in mermaid.lines().enumerate() {
        let quotes = line.matches('"').count();
        assert!(
            quotes % 2 == 0,
            "line {}: an odd number of quotes: {line}",
            i + 1
        );
        for label in line.split('"').skip(1).step_by(2) {
            let bare = label.replace("<br/>", "");
            assert!(
                !bare.contains(['<', '>', '`', '|']),
                "line {}: unescaped markup in label `{label}`",
                i + 1
            );
            let stray_hash = bare.match_indices('#').any(|(at, _)| {
                !bare[at + 1..].starts_with(|c: char| c.is_ascii_alphanumeric())
                    || !bare[at..].contains(';')
            });
            assert!(
                !stray_hash,
                "line {}: a `#` that is not an entity code in `{label}`",
                i + 1
            );
        }
    }
}

#[test]
fn the_graph_links_the_risk_cue_to_its_gate_and_key_moment() {
    let g = graph_of("maria-depression-risk");
    let cue_event = node_id(&g, NodeKind::Event, "risk-cue");
    let cue = node_id(&g, NodeKind::RiskCue, "RISK CUE");
    let gate = g
        .nodes
        .iter()
        .find(|n| {
            n.kind == NodeKind::SafetyGate && n.lines.iter().any(|l| l.contains("within 2 turn"))
        })
        .expect("the assessment window, from session.end (default 2 turns)")
        .id
        .clone();
    assert!(has_edge(&g, &cue_event, &cue, EdgeKind::RaisesRisk));
    assert!(
        has_edge(&g, &cue, &gate, EdgeKind::Enables),
        "the cue starts the assessment clock"
    );
    let moment = node_id(&g, NodeKind::KeyMoment, "risk-cue-appears");
    assert!(
        has_edge(&g, &cue_event, &moment, EdgeKind::Triggers),
        "the key moment reads `event: risk-cue`"
    );
    let assess = node_id(&g, NodeKind::Technique, "suicide_risk_assessment");
    assert!(
        has_edge(&g, &assess, &gate, EdgeKind::Enables),
        "the assessing technique meets the gate"
    );
    let disclosed = node_id(&g, NodeKind::Flag, "ideation_disclosed");
    assert!(has_edge(&g, &cue_event, &disclosed, EdgeKind::Sets));
    let pass = node_id(&g, NodeKind::Pass, "PASS");
    assert!(has_edge(&g, &gate, &pass, EdgeKind::Fails));
}

#[test]
fn the_graph_shows_requirements_rules_and_scenario_techniques() {
    let g = graph_of("priya-gad-session-2");
    let reviewed = node_id(&g, NodeKind::Flag, "homework_reviewed");
    // The scenario's own technique establishes the flag...
    let review = node_id(&g, NodeKind::Technique, "homework_review");
    assert!(has_edge(&g, &review, &reviewed, EdgeKind::Sets));
    // ...which a pass requirement needs...
    let requirement = node_id(&g, NodeKind::Requirement, "requires homework_reviewed");
    assert!(has_edge(&g, &reviewed, &requirement, EdgeKind::Needs));
    // ...and which technique_rules make a prerequisite of a catalogue technique.
    let assignment = node_id(&g, NodeKind::Technique, "homework_assignment");
    assert!(has_edge(&g, &reviewed, &assignment, EdgeKind::Needs));
    // A scenario technique's prerequisite on a flag an event sets.
    let experiment = node_id(&g, NodeKind::Technique, "behavioural_experiment");
    let formulation = node_id(&g, NodeKind::Flag, "formulation_shared");
    assert!(has_edge(&g, &formulation, &experiment, EdgeKind::Needs));
    // A catalogue technique that sets a flag the scenario reads.
    let case_formulation = node_id(&g, NodeKind::Technique, "case_formulation");
    assert!(has_edge(
        &g,
        &case_formulation,
        &formulation,
        EdgeKind::Sets
    ));
    // An event gated on a flag not being set.
    let put_away = node_id(&g, NodeKind::Event, "log-put-away");
    assert!(has_edge(&g, &reviewed, &put_away, EdgeKind::Blocks));
    // The contraindication on reassurance is summarised on the technique.
    let reassurance = g
        .nodes
        .iter()
        .find(|n| n.lines[0] == "giving_reassurance")
        .expect("scenario technique");
    let label = reassurance.lines.join(" ");
    assert!(
        label.contains("✗ when client flag: reassurance_seeking"),
        "{label}"
    );
}

#[test]
fn stages_run_from_the_start_to_action_and_effects_can_set_them() {
    let g = graph_of("callum-alcohol-maintenance");
    let maintenance = node_id(&g, NodeKind::Stage, "Maintenance");
    let opening = node_id(&g, NodeKind::Opening, "OPENING");
    assert!(
        has_edge(&g, &opening, &maintenance, EdgeKind::Stage),
        "starts in maintenance"
    );
    let contemplation = node_id(&g, NodeKind::Stage, "Contemplation");
    let preparation = node_id(&g, NodeKind::Stage, "Preparation");
    assert!(has_edge(&g, &contemplation, &preparation, EdgeKind::Stage));
    assert!(
        g.edges
            .iter()
            .any(|e| e.to == contemplation && e.kind == EdgeKind::Stage && e.from != preparation),
        "a relapse line sets the stage back to contemplation"
    );
    assert!(
        g.nodes.iter().any(|n| n.kind == NodeKind::MarkerResponse),
        "rupture marker lines are drawn"
    );
}

#[test]
fn every_library_scenario_draws_in_both_formats() {
    let catalogue = Catalogue::builtin();
    let mut count = 0;
    for file in crate::common::library_files() {
        let stem = file.file_stem().unwrap().to_str().unwrap().to_string();
        let s = library(&stem).scenario.clone();
        let g = build_graph(&s, &catalogue);
        let ids: std::collections::HashSet<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids.len(), g.nodes.len(), "{stem}: node ids are unique");
        for e in &g.edges {
            assert!(
                ids.contains(e.from.as_str()) && ids.contains(e.to.as_str()),
                "{stem}: edge {e:?} joins drawn nodes"
            );
        }
        let (dot, mermaid) = (to_dot(&g), to_mermaid(&g));
        assert_dot_balanced(&dot);
        assert_mermaid_safe(&mermaid);
        for id in key_ids(&s) {
            assert!(dot.contains(&id), "{stem}: DOT names {id}");
            assert!(mermaid.contains(&id), "{stem}: Mermaid names {id}");
        }
        count += 1;
    }
    assert!(count >= 3, "the library has {count} scenarios");
}

#[test]
fn labels_with_quotes_and_markup_are_escaped_in_both_formats() {
    let text = fixture_text()
        .replacen(
            r#"title: "Test client""#,
            r#"title: "Test \"client\" <b>&amp; #1 | `x` a\\b""#,
            1,
        )
        .replacen(
            r#"title: "A risk cue""#,
            r#"title: "The \"point\" of it all""#,
            1,
        );
    let prepared = prepared_text(&text);
    let g = build_graph(&prepared.scenario, &Catalogue::builtin());
    let (dot, mermaid) = (to_dot(&g), to_mermaid(&g));
    assert_dot_balanced(&dot);
    assert!(
        dot.contains(r#"Test \"client\" <b>&amp; #1 | `x` a\\b"#),
        "DOT escapes quotes and backslashes:\n{dot}"
    );
    assert!(dot.contains(r#"“The \"point\" of it all”"#));
    assert_mermaid_safe(&mermaid);
    assert!(
        mermaid.contains("Test #quot;client#quot; #lt;b#gt;#amp;amp; #35;1 #124; #96;x#96; a\\b"),
        "Mermaid writes quotes and markup as entity codes:\n{mermaid}"
    );
    assert!(mermaid.contains("#quot;point#quot;"));
    // The fixture's risk cue and key moment are there too.
    for id in ["risk-cue", "cue", "RISK CUE"] {
        assert!(dot.contains(id) && mermaid.contains(id), "{id}");
    }
}

#[test]
fn the_command_writes_both_formats_for_a_library_scenario() {
    let out = attune(&["graph", "scenarios/maria-depression-risk.ron"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dot = String::from_utf8(out.stdout).unwrap();
    assert!(dot.starts_with("digraph"), "DOT is the default format");
    assert_dot_balanced(&dot);
    for id in [
        "risk-cue",
        "grief-disclosure",
        "risk-cue-appears",
        "risk-assessed",
        "felt-understanding",
        "RISK CUE",
        "PASS",
    ] {
        assert!(dot.contains(id), "DOT names {id}");
    }

    let path = std::env::temp_dir().join(format!("attune-graph-{}.mmd", std::process::id()));
    let out = attune(&[
        "graph",
        "scenarios/tom-panic-exposure.ron",
        "--format",
        "mermaid",
        "--output",
        path.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stdout.is_empty(),
        "with --output nothing goes to standard output"
    );
    let mermaid = std::fs::read_to_string(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    assert_mermaid_safe(&mermaid);
    let tom = library("tom-panic-exposure");
    assert!(!tom.scenario.session.pass_requires.is_empty());
    for id in key_ids(&tom.scenario) {
        assert!(mermaid.contains(&id), "Mermaid names {id}");
    }
}

#[test]
fn a_missing_or_broken_scenario_fails_with_a_clear_message() {
    let out = attune(&["graph", "scenarios/no-such-client.ron"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("scenarios/no-such-client.ron: no such file"),
        "{stderr}"
    );

    let broken =
        std::env::temp_dir().join(format!("attune-graph-broken-{}.ron", std::process::id()));
    std::fs::write(
        &broken,
        fixture_text().replacen("turn_limit: 6", "turn_limit: \"six\"", 1),
    )
    .unwrap();
    let out = attune(&["graph", broken.to_str().unwrap(), "--format", "mermaid"]);
    let _ = std::fs::remove_file(&broken);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(":36:") && stderr.contains("attune check"),
        "names the position and the fix: {stderr}"
    );

    let out = attune(&[
        "graph",
        "scenarios/maria-depression-risk.ron",
        "--format",
        "svg",
    ]);
    assert!(!out.status.success(), "an unknown format is refused");
}
