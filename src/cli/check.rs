use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::catalogue::Catalogue;
use crate::scenario::load_scenario;
use crate::source::Diagnostic;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Every `.ron` file under the given paths, in a stable order.
pub fn scenario_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            collect(path, &mut files)
                .map_err(|e| format!("cannot read folder {}: {e}", path.display()))?;
        } else if path.exists() {
            files.push(path.clone());
        } else {
            return Err(format!("{}: no such file or folder", path.display()));
        }
    }
    Ok(files)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "ron") {
            out.push(p);
        }
    }
    Ok(())
}

pub fn run(paths: &[PathBuf], format: Format) -> Result<ExitCode, String> {
    let files = scenario_files(paths)?;
    let catalogue = Catalogue::builtin();
    let mut all: Vec<Diagnostic> = Vec::new();
    for file in &files {
        match load_scenario(file, &catalogue) {
            Ok(loaded) => all.extend(loaded.warnings),
            Err(diagnostics) => all.extend(diagnostics),
        }
    }
    let errors = all.iter().filter(|d| d.is_error()).count();
    let warnings = all.len() - errors;
    match format {
        Format::Json => {
            let report = serde_json::json!({ "files": files.len(), "errors": errors, "warnings": warnings, "diagnostics": all });
            println!(
                "{}",
                serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
            );
        }
        Format::Text => {
            // Each problem with its source line and a caret under it; files are read again
            // only to show the lines, and split into lines once each (a file can have
            // thousands of problems).
            let mut texts: std::collections::HashMap<&str, Option<String>> =
                std::collections::HashMap::new();
            for d in &all {
                texts
                    .entry(d.file.as_str())
                    .or_insert_with(|| std::fs::read_to_string(&d.file).ok());
            }
            let lines: std::collections::HashMap<&str, Vec<&str>> = texts
                .iter()
                .map(|(file, text)| {
                    (
                        *file,
                        text.as_deref().map_or(Vec::new(), |t| t.lines().collect()),
                    )
                })
                .collect();
            for d in &all {
                let line = lines[d.file.as_str()]
                    .get(d.line.saturating_sub(1))
                    .copied();
                println!("{}\n", crate::source::render_line(d, line));
            }
            let files_word = if files.len() == 1 { "file" } else { "files" };
            eprintln!(
                "checked {} {files_word}: {errors} error(s), {warnings} warning(s)",
                files.len()
            );
        }
    }
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
