//! Libraries of any size made from the scenarios in `scenarios/`: the library's own files
//! first, then copies of them in turn, each with an id and a title of its own so that every
//! file is valid and distinct (an id is lower-case letters, digits, `-` or `_`).

use std::path::{Path, PathBuf};

/// The library's own scenario files, sorted.
pub fn originals() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a readable folder entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    files
}

/// Writes a library of `size` scenario files into `dir` (made afresh); returns their paths.
pub fn write_library(dir: &Path, size: usize) -> Vec<PathBuf> {
    let originals = originals();
    let texts: Vec<String> = originals
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect();
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    (0..size)
        .map(|i| {
            let (source, copy) = (i % originals.len(), i / originals.len());
            let stem = originals[source]
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("a plain file name");
            let (name, text) = if copy == 0 {
                (format!("{stem}.ron"), texts[source].clone())
            } else {
                (
                    format!("{stem}-copy-{copy}.ron"),
                    relabel(&texts[source], copy),
                )
            };
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            path
        })
        .collect()
}

/// The scenario text with `-copy-N` after its id and `Copy N of ` before its title. Both
/// are the first `id:` and `title:` inside `meta: (`, which every library file opens with.
fn relabel(text: &str, copy: usize) -> String {
    let meta = text.find("meta: (").expect("a scenario has a meta section");
    let id = meta + text[meta..].find("id: \"").expect("meta has an id") + "id: \"".len();
    let id_end = id + text[id..].find('"').expect("the id is a closed string");
    let title =
        meta + text[meta..].find("title: \"").expect("meta has a title") + "title: \"".len();
    let mut out = String::with_capacity(text.len() + 32);
    // The id comes before the title in every library file; both edits keep that order.
    assert!(id_end < title, "the id is written before the title");
    out.push_str(&text[..id_end]);
    out.push_str(&format!("-copy-{copy}"));
    out.push_str(&text[id_end..title]);
    out.push_str(&format!("Copy {copy} of "));
    out.push_str(&text[title..]);
    out
}
