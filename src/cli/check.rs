//! `attune check`: validates scenarios, packs, play scripts and courses (told apart by their
//! content)
//! and prints every problem at its line, capped per file; `--format json` for tools.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::assessment::{Unloadable, check_pack};
use crate::course::check_course;
use crate::lint::check_scenario;
use crate::model::Catalogue;
use crate::records::HashedLibrary;
use crate::scenario::{LoadedScenario, check_follows, read_text};
use crate::scoring::ScoringConfig;
use crate::source::{
    Diagnostic, FileKind, NodeKind, Path as TreePath, Severity, clip, parse_tree, render_file,
    shown_and_rest,
};

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

/// One file's problems, with its text when it could be read (to show the lines).
struct Checked {
    text: Option<String>,
    diagnostics: Vec<Diagnostic>,
}

pub fn run(paths: &[PathBuf], library_dir: &Path, format: Format) -> Result<ExitCode, String> {
    let files = scenario_files(paths)?;
    let catalogue = Catalogue::builtin();
    let scoring = ScoringConfig::builtin();
    let mut library = None;
    let mut checked: Vec<Checked> = Vec::new();
    let mut kinds = [0usize; 4];
    for file in &files {
        let name = file.display().to_string();
        let text = match read_text(file) {
            Ok(text) => text,
            Err(e) => {
                checked.push(Checked {
                    text: None,
                    diagnostics: vec![Diagnostic::whole_file(&name, e.to_string())],
                });
                continue;
            }
        };
        let kind = FileKind::of(&text);
        kinds[kind as usize] += 1;
        let diagnostics = match kind {
            FileKind::Scenario => match check_scenario(&name, &text, &catalogue, &scoring) {
                Ok(loaded) if loaded.scenario.series.is_some() => {
                    let library = library.get_or_insert_with(|| Library::scan(library_dir));
                    let mut all = library.check_follows(&loaded, &catalogue);
                    all.extend(loaded.warnings);
                    all.sort_by_key(|d| (d.severity, d.line, d.col));
                    all
                }
                Ok(loaded) => loaded.warnings,
                Err(diagnostics) => diagnostics,
            },
            FileKind::Pack => {
                let library = library.get_or_insert_with(|| Library::scan(library_dir));
                library.check_pack(&name, &text)
            }
            FileKind::Script => {
                let library = library.get_or_insert_with(|| Library::scan(library_dir));
                library.check_script(&name, &text, &catalogue)
            }
            FileKind::Course => {
                let library = library.get_or_insert_with(|| Library::scan(library_dir));
                library.check_course(&name, &text)
            }
        };
        if !diagnostics.is_empty() {
            checked.push(Checked {
                text: Some(text),
                diagnostics,
            });
        }
    }
    let all = checked.iter().flat_map(|c| &c.diagnostics);
    let errors = all.clone().filter(|d| d.is_error()).count();
    let warnings = all.count() - errors;
    // Each file shows its first problems and counts the rest, so that a file with
    // thousands of them gives a report of bounded size.
    match format {
        Format::Json => {
            let mut shown = Vec::new();
            let mut omitted = Vec::new();
            let mut omitted_count = 0;
            for c in &checked {
                let (first, rest) = shown_and_rest(&c.diagnostics);
                shown.extend(first.iter().map(clipped));
                if let Some(d) = rest.first() {
                    omitted.push(serde_json::json!({ "file": d.file, "count": rest.len() }));
                    omitted_count += rest.len();
                }
            }
            let report = serde_json::json!({
                "files": files.len(),
                "errors": errors,
                "warnings": warnings,
                "diagnostics": shown,
                "omitted": omitted_count,
                "omitted_by_file": omitted,
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
            );
        }
        Format::Text => {
            for c in &checked {
                for block in render_file(&c.diagnostics, c.text.as_deref()) {
                    println!("{block}\n");
                }
            }
            eprintln!(
                "checked {}: {errors} error(s), {warnings} warning(s)",
                what_was_checked(files.len(), kinds)
            );
        }
    }
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// A diagnostic with its message and suggestion cut as the text report cuts them.
fn clipped(d: &Diagnostic) -> Diagnostic {
    Diagnostic {
        message: clip(&d.message).into_owned(),
        help: d.help.as_deref().map(|h| clip(h).into_owned()),
        ..d.clone()
    }
}

/// "3 files (1 scenario, 1 assessment pack, 1 play script)", or "1 file" for one scenario.
fn what_was_checked(files: usize, kinds: [usize; 4]) -> String {
    let files_word = if files == 1 { "file" } else { "files" };
    let [scenarios, packs, scripts, courses] = kinds;
    if packs + scripts + courses == 0 {
        return format!("{files} {files_word}");
    }
    let parts: Vec<String> = [
        (scenarios, "scenario"),
        (packs, "assessment pack"),
        (scripts, "play script"),
        (courses, "course"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, word)| format!("{n} {word}{}", if n == 1 { "" } else { "s" }))
    .collect();
    format!("{files} {files_word} ({})", parts.join(", "))
}

/// The scenario library packs and scripts are checked against: what loads, and the files
/// that do not, by the id they give.
struct Library {
    dir: PathBuf,
    loaded: HashedLibrary,
    unloadable: Vec<(String, String)>,
}

impl Library {
    fn scan(dir: &Path) -> Library {
        let files = scenario_files(&[dir.to_path_buf()]).unwrap_or_default();
        let loaded = HashedLibrary::scan(&files);
        let unloadable = files
            .iter()
            .filter(|f| !loaded.scenarios.iter().any(|s| &s.file == *f))
            .filter_map(|f| {
                let text = read_text(f).ok()?;
                (FileKind::of(&text) == FileKind::Scenario)
                    .then(|| (id_written_in(&text, f), f.display().to_string()))
            })
            .collect();
        Library {
            dir: dir.to_path_buf(),
            loaded,
            unloadable,
        }
    }

    /// A pack: its own rules, and that each scenario it names is in the library and loads.
    fn check_pack(&self, name: &str, text: &str) -> Vec<Diagnostic> {
        let available = self.loaded.available();
        let unloadable: Vec<Unloadable> = self
            .unloadable
            .iter()
            .map(|(id, file)| Unloadable { id, file })
            .collect();
        match check_pack(name, text, &available, &unloadable) {
            Ok(_) => Vec::new(),
            Err(mut problems) => {
                if available.is_empty() && unloadable.is_empty() {
                    let mut d = Diagnostic::whole_file(
                        name,
                        format!(
                            "no scenarios found in {} to check the pack against",
                            self.dir.display()
                        ),
                    );
                    d.severity = Severity::Warning;
                    d.help = Some("give the library with `--scenarios DIR`".into());
                    problems.push(d);
                }
                problems
            }
        }
    }

    /// A scenario that follows another: the one it follows is in the library, and every
    /// flag it carries or expects is one that session can set.
    fn check_follows(&self, loaded: &LoadedScenario, catalogue: &Catalogue) -> Vec<Diagnostic> {
        let Some(series) = &loaded.scenario.series else {
            return Vec::new();
        };
        let followed = self
            .loaded
            .scenarios
            .iter()
            .map(|s| &s.prepared.scenario)
            .find(|s| s.meta.id == series.follows);
        let available: Vec<&str> = self
            .loaded
            .scenarios
            .iter()
            .map(|s| s.prepared.scenario.meta.id.as_str())
            .collect();
        check_follows(&loaded.scenario, followed, &available, catalogue)
            .into_iter()
            .map(|issue| loaded.diagnostic(issue))
            .collect()
    }

    /// A course: its own rules, and each scenario, key moment and prefix it names checked
    /// against the library.
    fn check_course(&self, name: &str, text: &str) -> Vec<Diagnostic> {
        let library: Vec<_> = self
            .loaded
            .scenarios
            .iter()
            .map(|s| std::sync::Arc::clone(&s.prepared))
            .collect();
        match check_course(name, text, &library) {
            Ok(_) => Vec::new(),
            Err(mut problems) => {
                if library.is_empty() {
                    let mut d = Diagnostic::whole_file(
                        name,
                        format!(
                            "no scenarios found in {} to check the course against",
                            self.dir.display()
                        ),
                    );
                    d.severity = Severity::Warning;
                    d.help = Some("give the library with `--scenarios DIR`".into());
                    problems.push(d);
                }
                problems
            }
        }
    }

    /// A script: its choices, each naming a technique of the catalogue or of a library
    /// scenario (a script does not say which scenario it is for).
    fn check_script(&self, name: &str, text: &str, catalogue: &Catalogue) -> Vec<Diagnostic> {
        let mut known: Vec<&str> = catalogue.techniques.iter().map(|t| t.id.as_str()).collect();
        for s in &self.loaded.scenarios {
            known.extend(s.prepared.scenario.techniques.iter().map(|t| t.id.as_str()));
        }
        match super::attempts::parse_play_script(name, text, &known) {
            Ok(choices) if choices.is_empty() => {
                let mut d = Diagnostic::whole_file(name, "the script has no choices");
                d.severity = Severity::Warning;
                d.help =
                    Some("list one choice per turn: `[(technique: \"open_question\")]`".into());
                vec![d]
            }
            Ok(_) => Vec::new(),
            Err(problems) => problems,
        }
    }
}

/// The `meta.id` a scenario file gives, read from its syntax alone; its file name when even
/// that cannot be read.
fn id_written_in(text: &str, file: &Path) -> String {
    let id = parse_tree(text).ok().and_then(|tree| {
        let node = tree.locate(&TreePath::root().field("meta").field("id"));
        match &node.kind {
            NodeKind::Str(id) => Some(id.clone()),
            _ => None,
        }
    });
    id.unwrap_or_else(|| {
        file.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    })
}
