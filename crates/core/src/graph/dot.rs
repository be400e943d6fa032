//! The graph as Graphviz DOT: one cluster per group, a legend cluster, styled edges.

use std::fmt::Write;

use super::model::{EdgeKind, Graph, Group, NodeKind};

/// A DOT double-quoted string: backslashes and quotes escaped, each line break as `\n`.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn node_style(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Opening => r##"shape=box, style="rounded,filled,bold", fillcolor="#eeeeee""##,
        NodeKind::Stage => r##"shape=cds, style=filled, fillcolor="#c9e4c5""##,
        NodeKind::Flag => r##"shape=hexagon, style=filled, fillcolor="#fff2b3""##,
        NodeKind::Event => r##"shape=box, style=filled, fillcolor="#cfe2f3""##,
        NodeKind::KeyMoment => r##"shape=box, style="rounded,filled", fillcolor="#ddd0ee""##,
        NodeKind::Rupture => r##"shape=box, style="filled,bold", fillcolor="#f3c6dc""##,
        NodeKind::MarkerResponse => r##"shape=note, style=filled, fillcolor="#f9e0ec""##,
        NodeKind::Response => r##"shape=note, style=filled, fillcolor="#ffffff""##,
        NodeKind::RiskCue => r##"shape=octagon, style="filled,bold", fillcolor="#f4b6b6""##,
        NodeKind::SafetyGate => r##"shape=octagon, style=filled, fillcolor="#fbe0e0""##,
        NodeKind::Requirement => r##"shape=box, style=filled, fillcolor="#d5ecd0""##,
        NodeKind::Pass => r##"shape=doubleoctagon, style="filled,bold", fillcolor="#a8d5a0""##,
        NodeKind::Technique => r##"shape=component, style=filled, fillcolor="#fde3c8""##,
    }
}

/// Colour and dash carry the meaning together, so the graph reads in grey print too.
fn edge_style(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Sets => r##"color="#2e7d32""##,
        EdgeKind::Clears => r##"color="#777777", style=dashed, arrowhead=odot"##,
        EdgeKind::Enables => r##"color="#1f5fa8""##,
        EdgeKind::Blocks => r##"color="#c62828", style=dashed, arrowhead=tee"##,
        EdgeKind::Needs => r##"color="#1f5fa8", style=dashed, arrowhead=empty"##,
        EdgeKind::Contraindicates => r##"color="#c62828", penwidth=2, arrowhead=tee"##,
        EdgeKind::Triggers => r##"color="#6a3d9a", penwidth=2"##,
        EdgeKind::Stage => r##"color="#2e7d32", penwidth=2.5, arrowhead=vee"##,
        EdgeKind::RaisesRisk => r##"color="#c62828", penwidth=2.5"##,
        EdgeKind::Fails => r##"color="#c62828", style=bold, arrowhead=diamond"##,
    }
}

fn group_fill(group: Group) -> &'static str {
    match group {
        Group::Safety => "#fff5f5",
        Group::Pass => "#f3faf1",
        Group::Flags => "#fffcef",
        _ => "#f7f7f7",
    }
}

pub fn to_dot(graph: &Graph) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "digraph scenario {{");
    let _ = writeln!(
        w,
        "  graph [rankdir=LR, newrank=true, compound=true, nodesep=0.12, ranksep=1.1, fontname=\"Helvetica\", fontsize=20, labelloc=t, label={}];",
        quote(&graph.title)
    );
    let _ = writeln!(
        w,
        "  node [fontname=\"Helvetica\", fontsize=10, margin=\"0.08,0.03\"];"
    );
    let _ = writeln!(
        w,
        "  edge [fontname=\"Helvetica\", fontsize=8, arrowsize=0.7];"
    );
    let mut columns: Vec<Vec<String>> = vec![Vec::new(); Group::COLUMNS];
    for group in Group::ALL {
        let nodes: Vec<_> = graph.nodes_in(group).collect();
        if nodes.is_empty() {
            continue;
        }
        let _ = writeln!(w, "  subgraph cluster_{} {{", group.key());
        let _ = writeln!(
            w,
            "    label={}; style=\"rounded,filled\"; fillcolor=\"{}\"; color=\"#bbbbbb\"; fontsize=14;",
            quote(group.label()),
            group_fill(group)
        );
        for n in &nodes {
            let _ = writeln!(
                w,
                "    {} [label={}, {}];",
                n.id,
                quote(&n.lines.join("\n")),
                node_style(n.kind)
            );
        }
        let _ = writeln!(w, "  }}");
        if let Some(column) = group.column() {
            columns[column].extend(nodes.iter().map(|n| n.id.clone()));
        }
    }
    legend(graph, w);
    columns[0].push("legend".to_string());
    // Each column on one rank, so edges run between columns rather than along bands, and
    // the columns kept in reading order whatever the edges say.
    let columns: Vec<&Vec<String>> = columns.iter().filter(|c| !c.is_empty()).collect();
    for column in &columns {
        let _ = writeln!(w, "  {{ rank=same; {}; }}", column.join("; "));
    }
    for pair in columns.windows(2) {
        let _ = writeln!(w, "  {} -> {} [style=invis];", pair[0][0], pair[1][0]);
    }
    for e in &graph.edges {
        let label = e
            .label
            .as_deref()
            .map(|l| format!(", label={}", quote(l)))
            .unwrap_or_default();
        let _ = writeln!(
            w,
            "  {} -> {} [{}{}];",
            e.from,
            e.to,
            edge_style(e.kind),
            label
        );
    }
    let _ = writeln!(w, "}}");
    out
}

/// A DOT HTML-like label's text: `&`, `<`, `>` and `"` as entities.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn fill_of(kind: NodeKind) -> &'static str {
    let style = node_style(kind);
    let start = style
        .find("fillcolor=\"")
        .map_or(0, |i| i + "fillcolor=\"".len());
    style[start..].split('"').next().unwrap_or("#ffffff")
}

/// How each edge kind looks, drawn in text for the legend table.
fn edge_sample(kind: EdgeKind) -> (&'static str, &'static str) {
    match kind {
        EdgeKind::Sets => ("#2e7d32", "───▶"),
        EdgeKind::Clears => ("#777777", "╌╌╌○"),
        EdgeKind::Enables => ("#1f5fa8", "───▶"),
        EdgeKind::Blocks => ("#c62828", "╌╌╌┤"),
        EdgeKind::Needs => ("#1f5fa8", "╌╌╌▷"),
        EdgeKind::Contraindicates => ("#c62828", "━━━┫"),
        EdgeKind::Triggers => ("#6a3d9a", "━━━▶"),
        EdgeKind::Stage => ("#2e7d32", "━━━➤"),
        EdgeKind::RaisesRisk => ("#c62828", "━━━▶"),
        EdgeKind::Fails => ("#c62828", "━━━◆"),
    }
}

/// One table: a swatch per node kind present, a sample per edge kind present, and notes
/// on what was merged or left out.
fn legend(graph: &Graph, w: &mut String) {
    let kinds = graph.kinds_present();
    let edges = graph.edge_kinds_present();
    let mut rows = String::new();
    for i in 0..kinds.len().max(edges.len()) {
        rows.push_str("<TR>");
        match kinds.get(i) {
            Some(k) => {
                let _ = write!(
                    rows,
                    "<TD BGCOLOR=\"{}\">{}</TD>",
                    fill_of(*k),
                    html(k.meaning())
                );
            }
            None => rows.push_str("<TD BORDER=\"0\"></TD>"),
        }
        match edges.get(i) {
            Some(e) => {
                let (colour, glyph) = edge_sample(*e);
                let _ = write!(
                    rows,
                    "<TD ALIGN=\"LEFT\" BORDER=\"0\"><FONT COLOR=\"{colour}\">{glyph}</FONT> {}</TD>",
                    html(e.meaning())
                );
            }
            None => rows.push_str("<TD BORDER=\"0\"></TD>"),
        }
        rows.push_str("</TR>");
    }
    for note in &graph.notes {
        let text: Vec<String> = super::summary::wrap(note, 60, 4)
            .iter()
            .map(|l| html(l))
            .collect();
        let _ = write!(
            rows,
            "<TR><TD COLSPAN=\"2\" BORDER=\"0\" ALIGN=\"LEFT\">{}</TD></TR>",
            text.join("<BR ALIGN=\"LEFT\"/>")
        );
    }
    let _ = writeln!(
        w,
        "  legend [shape=plaintext, fontsize=11, label=<<TABLE BORDER=\"1\" COLOR=\"#888888\" CELLBORDER=\"1\" CELLSPACING=\"3\" CELLPADDING=\"3\"><TR><TD COLSPAN=\"2\" BORDER=\"0\"><B>Legend</B></TD></TR>{rows}</TABLE>>];"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_quotes_backslashes_and_line_breaks() {
        assert_eq!(quote("a \"b\" c\\d\ne"), r#""a \"b\" c\\d\ne""#);
        assert_eq!(html("<b> & \"c\""), "&lt;b&gt; &amp; &quot;c&quot;");
    }
}
