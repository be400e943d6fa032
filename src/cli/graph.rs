//! `attune graph`: writes a scenario's structure as Graphviz DOT or a Mermaid flowchart.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::graph::{build_graph, to_dot, to_mermaid};
use crate::model::Catalogue;
use crate::scenario::load_scenario;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    /// Graphviz DOT: render with `dot -Tpng scenario.dot -o scenario.png`.
    Dot,
    /// A Mermaid flowchart, for Markdown pages and the Mermaid live editor.
    Mermaid,
}

pub fn run(
    scenario_path: &Path,
    format: Format,
    output: Option<&PathBuf>,
) -> Result<ExitCode, String> {
    if !scenario_path.is_file() {
        let what = if scenario_path.exists() {
            "is not a file"
        } else {
            "no such file"
        };
        return Err(format!("{}: {what}", scenario_path.display()));
    }
    let catalogue = Catalogue::builtin();
    let loaded = match load_scenario(scenario_path, &catalogue) {
        Ok(loaded) => loaded,
        Err(diagnostics) => {
            for line in crate::source::listed(&diagnostics) {
                eprintln!("{line}");
            }
            eprintln!(
                "{}: the scenario has errors; fix them (see `attune check`) to draw its graph",
                scenario_path.display()
            );
            return Ok(ExitCode::FAILURE);
        }
    };
    let graph = build_graph(&loaded.scenario, &catalogue);
    let text = match format {
        Format::Dot => to_dot(&graph),
        Format::Mermaid => to_mermaid(&graph),
    };
    match output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
