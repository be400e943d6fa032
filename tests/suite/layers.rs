//! The direction of the layers, read from the code's own imports: every module of a crate
//! names (`crate::x`) only the modules below it, so no two modules import each other.
//! The crates themselves are ordered by Cargo (`attune-core` has no dependency on
//! `attune-records`, Bevy or egui; `attune-records` none on Bevy or egui); this test orders
//! the modules inside each crate, which the compiler does not.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::common::root;

/// The core's modules from the ground up: text, the model, the scenario format, scoring,
/// the engine, then the authoring tools.
const CORE: &[&str] = &[
    "save", "words", "source", "model", "scenario", "scoring", "coding", "engine", "analysis",
    "course", "graph", "lint", "fuzz",
];

/// The records crate: assessment packs and sittings below the records that keep them.
const RECORDS: &[&str] = &["assessment", "records"];

/// The classroom crate: the ballot box, the machine's interfaces and the invitation (the
/// page's address and QR code) below the server that takes the votes.
const CLASSROOM: &[&str] = &["ballot", "interfaces", "invitation", "server"];

/// The root package: the screens (plain egui over view models) below the Bevy shell, and the
/// command line, which can open the app, above both. The re-exported core and records
/// modules are below all three.
const ROOT: &[&str] = &["ui", "app", "cli"];

/// Modules compiled only for a crate's own tests (`#[cfg(test)] mod testing;`): fixtures
/// that may name any layer, and be named by any test, without being a layer themselves.
const TEST_SUPPORT: &[&str] = &["testing"];

/// One `crate::name` reference: the file and line it is on and the module it names.
#[derive(Debug)]
struct Reference {
    file: PathBuf,
    line: usize,
    from: String,
    to: String,
}

/// The top-level module a source file belongs to (`engine/session.rs` -> `engine`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The crate's top-level modules: each folder and each file but the root files in `src`.
fn modules_of(src: &Path) -> BTreeSet<String> {
    std::fs::read_dir(src)
        .unwrap()
        .map(|e| module_of(src, &e.unwrap().path()))
        .filter(|m| m != "lib" && m != "main" && !TEST_SUPPORT.contains(&m.as_str()))
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn ident_at(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The modules a line of code names through `crate::`: `crate::a::X` names `a`, and
/// `use crate::{a::X, b}` names `a` and `b` (a group may span lines, so the rest of the file
/// is passed in).
fn named_after(rest: &str) -> Vec<String> {
    if let Some(group) = rest.strip_prefix('{') {
        let mut names = Vec::new();
        let mut depth = 0;
        let mut at_item_start = true;
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => at_item_start = true,
                c if at_item_start && depth == 0 && !c.is_whitespace() => {
                    names.push(ident_at(&group[i..]).to_string());
                    at_item_start = false;
                }
                _ => {}
            }
        }
        names
    } else {
        vec![ident_at(rest).to_string()]
    }
}

/// Every `crate::` reference in a crate's code, comments left out.
fn references(src: &Path) -> Vec<Reference> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut found = Vec::new();
    for file in files {
        let from = module_of(src, &file);
        let text = std::fs::read_to_string(&file).unwrap();
        let mut offset = 0;
        for (n, line) in text.lines().enumerate() {
            let start = offset;
            offset += line.len() + 1;
            let code = line.split("//").next().unwrap_or("");
            let mut searched = 0;
            while let Some(at) = code[searched..].find("crate::") {
                let from_here = start + searched + at + "crate::".len();
                searched += at + "crate::".len();
                // `attune_core::` and the like are other crates, not this one's modules.
                let before = &code[..searched - "crate::".len()];
                if before.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                for to in named_after(&text[from_here..]) {
                    found.push(Reference {
                        file: file.clone(),
                        line: n + 1,
                        from: from.clone(),
                        to,
                    });
                }
            }
        }
    }
    found
}

/// The references that point up or sideways in `order`; modules not in `order` count as
/// below all of it (`below`), or are not allowed at all.
fn against_the_layers(src: &Path, order: &[&str], below: &[&str]) -> Vec<String> {
    let rank = |m: &str| order.iter().position(|o| *o == m);
    let modules = modules_of(src);
    let mut wrong = Vec::new();
    // An item of the crate's root file (`crate::repo_root()`) is not a module: no layer.
    for r in references(src)
        .into_iter()
        .filter(|r| modules.contains(&r.to))
    {
        let Some(from) = rank(&r.from) else {
            if r.from != "lib" && r.from != "main" && !TEST_SUPPORT.contains(&r.from.as_str()) {
                wrong.push(format!("{}: a module outside the layers", r.file.display()));
            }
            continue;
        };
        let allowed = match rank(&r.to) {
            Some(to) => to < from || r.to == r.from,
            None => below.contains(&r.to.as_str()),
        };
        if !allowed {
            wrong.push(format!(
                "{}:{}: `{}` names `{}`",
                r.file.display(),
                r.line,
                r.from,
                r.to
            ));
        }
    }
    wrong
}

#[test]
fn each_core_module_imports_only_the_layers_below_it() {
    let wrong = against_the_layers(&root().join("crates/core/src"), CORE, &[]);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn assessment_is_below_the_records_that_keep_it() {
    let wrong = against_the_layers(&root().join("crates/records/src"), RECORDS, &[]);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_ballot_box_is_below_the_server_that_takes_the_votes() {
    let wrong = against_the_layers(&root().join("crates/classroom/src"), CLASSROOM, &[]);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_screens_are_below_the_shell_and_the_command_line_above_both() {
    let mut below: Vec<&str> = CORE.to_vec();
    below.extend(RECORDS);
    let wrong = against_the_layers(&root().join("src"), ROOT, &below);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_screens_take_view_models_not_the_running_engine() {
    let wrong: Vec<String> = references(&root().join("src/ui"))
        .into_iter()
        .filter(|r| ["engine", "analysis", "app"].contains(&r.to.as_str()))
        .map(|r| format!("{}:{}: names `{}`", r.file.display(), r.line, r.to))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_two_modules_of_any_crate_import_each_other() {
    for src in [
        "crates/core/src",
        "crates/records/src",
        "crates/classroom/src",
        "src",
    ] {
        let modules = modules_of(&root().join(src));
        let edges: BTreeSet<(String, String)> = references(&root().join(src))
            .into_iter()
            .filter(|r| r.from != r.to && modules.contains(&r.from) && modules.contains(&r.to))
            .map(|r| (r.from, r.to))
            .collect();
        let mutual: Vec<_> = edges
            .iter()
            .filter(|(a, b)| a < b && edges.contains(&(b.clone(), a.clone())))
            .collect();
        assert!(mutual.is_empty(), "{src}: {mutual:?}");
    }
}

#[test]
fn the_reader_of_imports_finds_what_it_must() {
    assert_eq!(named_after("engine::Session;"), ["engine"]);
    assert_eq!(
        named_after("{\n    model::{A, B},\n    scoring::Fit,\n};"),
        ["model", "scoring"]
    );
    // A module that points up is caught: the check is not vacuous.
    let found = references(&root().join("crates/core/src"));
    assert!(
        found
            .iter()
            .any(|r| r.from == "engine" && r.to == "scoring"),
        "the engine's imports of scoring are seen"
    );
    let reversed: Vec<&str> = CORE.iter().rev().copied().collect();
    assert!(
        !against_the_layers(&root().join("crates/core/src"), &reversed, &[]).is_empty(),
        "the layers in the wrong order are refused"
    );
}
