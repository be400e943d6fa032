//! The graph as a Mermaid flowchart: one subgraph per group, classes for node kinds,
//! link styles for edge kinds, and a legend subgraph.

use std::fmt::Write;

use super::model::{EdgeKind, Graph, Group, NodeKind};

/// Label text for a quoted Mermaid string. Mermaid has no backslash escapes: characters
/// that end the string, start markup or an entity are written as its `#name;` entity codes,
/// and line breaks as `<br/>`.
pub fn escape(text: &str) -> String {
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| {
            let mut out = String::with_capacity(line.len());
            for c in line.chars() {
                match c {
                    '#' => out.push_str("#35;"),
                    '"' => out.push_str("#quot;"),
                    '&' => out.push_str("#amp;"),
                    '<' => out.push_str("#lt;"),
                    '>' => out.push_str("#gt;"),
                    '`' => out.push_str("#96;"),
                    '|' => out.push_str("#124;"),
                    '\r' => {}
                    c if c.is_control() => out.push(' '),
                    c => out.push(c),
                }
            }
            out
        })
        .collect();
    lines.join("<br/>")
}

/// A node with its shape: `id(["label"])` and so on.
fn shaped(id: &str, kind: NodeKind, label: &str) -> String {
    let (open, close) = match kind {
        NodeKind::Opening | NodeKind::Pass => ("([", "])"),
        NodeKind::Stage => ("[/", "/]"),
        NodeKind::Flag => ("{{", "}}"),
        NodeKind::Event | NodeKind::Requirement | NodeKind::Technique => ("[", "]"),
        NodeKind::KeyMoment => ("(", ")"),
        NodeKind::Rupture | NodeKind::SafetyGate => ("[[", "]]"),
        NodeKind::MarkerResponse | NodeKind::Response => (">", "]"),
        NodeKind::RiskCue => ("[\\", "\\]"),
    };
    format!("{id}{open}\"{}\"{close}", escape(label))
}

fn class_name(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Opening => "opening",
        NodeKind::Stage => "stage",
        NodeKind::Flag => "flag",
        NodeKind::Event => "event",
        NodeKind::KeyMoment => "keymoment",
        NodeKind::Rupture => "rupture",
        NodeKind::MarkerResponse => "marker",
        NodeKind::Response => "response",
        NodeKind::RiskCue => "riskcue",
        NodeKind::SafetyGate => "gate",
        NodeKind::Requirement => "requirement",
        NodeKind::Pass => "pass",
        NodeKind::Technique => "technique",
    }
}

fn class_style(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Opening => "fill:#eeeeee,stroke:#444444,stroke-width:2px,color:#000000",
        NodeKind::Stage => "fill:#c9e4c5,stroke:#2e7d32,color:#000000",
        NodeKind::Flag => "fill:#fff2b3,stroke:#a68a00,color:#000000",
        NodeKind::Event => "fill:#cfe2f3,stroke:#1f5fa8,color:#000000",
        NodeKind::KeyMoment => "fill:#ddd0ee,stroke:#6a3d9a,color:#000000",
        NodeKind::Rupture => "fill:#f3c6dc,stroke:#9c2765,stroke-width:2px,color:#000000",
        NodeKind::MarkerResponse => "fill:#f9e0ec,stroke:#9c2765,color:#000000",
        NodeKind::Response => "fill:#ffffff,stroke:#666666,color:#000000",
        NodeKind::RiskCue => "fill:#f4b6b6,stroke:#c62828,stroke-width:2px,color:#000000",
        NodeKind::SafetyGate => "fill:#fbe0e0,stroke:#c62828,color:#000000",
        NodeKind::Requirement => "fill:#d5ecd0,stroke:#2e7d32,color:#000000",
        NodeKind::Pass => "fill:#a8d5a0,stroke:#2e7d32,stroke-width:2px,color:#000000",
        NodeKind::Technique => "fill:#fde3c8,stroke:#b35900,color:#000000",
    }
}

/// The link, its colour, and the legend's wording come from the kind.
fn arrow(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Sets | EdgeKind::Enables => "-->",
        EdgeKind::Clears => "-.-o",
        EdgeKind::Blocks => "-.-x",
        EdgeKind::Needs => "-.->",
        EdgeKind::Contraindicates => "==x",
        EdgeKind::Triggers | EdgeKind::Stage | EdgeKind::RaisesRisk => "==>",
        EdgeKind::Fails => "--x",
    }
}

fn link_style(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Sets => "stroke:#2e7d32",
        EdgeKind::Clears => "stroke:#777777",
        EdgeKind::Enables | EdgeKind::Needs => "stroke:#1f5fa8",
        EdgeKind::Blocks | EdgeKind::Contraindicates | EdgeKind::RaisesRisk | EdgeKind::Fails => {
            "stroke:#c62828"
        }
        EdgeKind::Triggers => "stroke:#6a3d9a",
        EdgeKind::Stage => "stroke:#2e7d32",
    }
}

pub fn to_mermaid(graph: &Graph) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "flowchart LR");
    let _ = writeln!(w, "  %% {}", escape(&graph.title));
    for group in Group::ALL {
        let nodes: Vec<_> = graph.nodes_in(group).collect();
        if nodes.is_empty() {
            continue;
        }
        let title = match group {
            Group::Opening => format!("{}: {}", group.label(), graph.title),
            _ => group.label().to_string(),
        };
        let _ = writeln!(w, "  subgraph g_{}[\"{}\"]", group.key(), escape(&title));
        for n in nodes {
            let _ = writeln!(w, "    {}", shaped(&n.id, n.kind, &n.lines.join("\n")));
        }
        let _ = writeln!(w, "  end");
    }
    // Link styles go by link index, in the order links are written (invisible ones too).
    let mut links: Vec<Option<EdgeKind>> = Vec::new();
    for e in &graph.edges {
        let label = e
            .label
            .as_deref()
            .map(|l| format!("|\"{}\"|", escape(l)))
            .unwrap_or_default();
        let _ = writeln!(w, "  {} {}{} {}", e.from, arrow(e.kind), label, e.to);
        links.push(Some(e.kind));
    }
    // Invisible links keep the groups in the same left-to-right order as the DOT output.
    let mut firsts: Vec<Option<&str>> = vec![None; Group::COLUMNS];
    for n in &graph.nodes {
        if let Some(column) = n.kind.group().column() {
            firsts[column].get_or_insert(n.id.as_str());
        }
    }
    let firsts: Vec<&str> = firsts.into_iter().flatten().collect();
    for pair in firsts.windows(2) {
        let _ = writeln!(w, "  {} ~~~ {}", pair[0], pair[1]);
        links.push(None);
    }
    legend(graph, w, &mut links);
    for kind in NodeKind::ALL {
        let _ = writeln!(w, "  classDef {} {}", class_name(kind), class_style(kind));
    }
    for kind in NodeKind::ALL {
        let ids: Vec<&str> = graph
            .nodes
            .iter()
            .filter(|n| n.kind == kind)
            .map(|n| n.id.as_str())
            .collect();
        if !ids.is_empty() {
            let _ = writeln!(w, "  class {} {}", ids.join(","), class_name(kind));
        }
    }
    for kind in EdgeKind::ALL {
        let indices: Vec<String> = links
            .iter()
            .enumerate()
            .filter(|(_, k)| **k == Some(kind))
            .map(|(i, _)| i.to_string())
            .collect();
        if !indices.is_empty() {
            let _ = writeln!(w, "  linkStyle {} {}", indices.join(","), link_style(kind));
        }
    }
    out
}

fn legend(graph: &Graph, w: &mut String, links: &mut Vec<Option<EdgeKind>>) {
    let _ = writeln!(w, "  subgraph g_legend[\"Legend\"]");
    let _ = writeln!(w, "    direction LR");
    for kind in graph.kinds_present() {
        let id = format!("legend_{}", class_name(kind));
        let _ = writeln!(
            w,
            "    {}:::{}",
            shaped(&id, kind, kind.meaning()),
            class_name(kind)
        );
    }
    let edge_kinds = graph.edge_kinds_present();
    for (i, kind) in edge_kinds.iter().enumerate() {
        let _ = writeln!(
            w,
            "    legend_from_{i}[\" \"] {} legend_to_{i}[\"{}\"]",
            arrow(*kind),
            escape(kind.meaning())
        );
        links.push(Some(*kind));
    }
    for (i, note) in graph.notes.iter().enumerate() {
        let text = super::summary::wrap(note, 40, 4).join("\n");
        let _ = writeln!(w, "    legend_note_{i}[\"{}\"]", escape(&text));
    }
    let _ = writeln!(w, "  end");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_writes_markup_as_entity_codes() {
        assert_eq!(escape("say \"hi\""), "say #quot;hi#quot;");
        assert_eq!(
            escape("a < b > c & #1 | `d`"),
            "a #lt; b #gt; c #amp; #35;1 #124; #96;d#96;"
        );
        assert_eq!(escape("one\ntwo"), "one<br/>two");
    }
}
