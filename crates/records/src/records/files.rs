//! Finding and reading result files for `attune report` and `attune verify`: files named on
//! the command line are taken as they are, folders are searched with every subfolder for
//! `.json` files (the layout `attune play --pack --result` and `attune export` write, one
//! folder per learner). Nothing found is an error that says what was looked for and where;
//! a file that cannot be read, or is not a result, is named with why by whoever reads it.

use std::path::{Path, PathBuf};

/// What `attune report` and `attune verify` read, for messages.
pub const WHAT_RESULTS_ARE: &str = "result files are the `.json` files that `attune play --result`, `attune play --pack --result` and `attune export` write";

/// Every result file under the paths, in a stable order: files as given, folders searched
/// recursively for `.json` files. A path that does not exist, or a folder holding no
/// `.json` file at any depth, is an error.
pub fn result_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let before = out.len();
            json_files_under(p, &mut out)?;
            if out.len() == before {
                return Err(format!(
                    "no result files in {}: no `.json` file in it or in any folder inside it ({WHAT_RESULTS_ARE})",
                    p.display()
                ));
            }
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(format!("{}: no such file or folder", p.display()));
        }
    }
    Ok(out)
}

/// `.json` files in `dir` and every folder inside it, sorted by path. Links to folders are
/// not followed, so a link loop cannot make the search endless. A `.json` name that is not
/// a regular file (a named pipe, a device) is kept, so that reading it refuses it by name.
fn json_files_under(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let mut entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir {
            json_files_under(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "json") && !path.is_dir() {
            out.push(path);
        }
    }
    Ok(())
}

/// Why a text is not a result, in words: the reader's message, and what the text looks
/// like when it is plainly something else.
pub fn why_not_a_result(text: &str, error: &serde_json::Error) -> String {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let looks_like = if trimmed.starts_with("Scenario(")
        || trimmed.starts_with("AssessmentPack(")
        || trimmed.starts_with("//")
        || (trimmed.starts_with('[') && trimmed.contains("technique:"))
    {
        " It looks like a scenario, pack or script (RON), not a result."
    } else if !trimmed.starts_with('{') {
        " It is not JSON."
    } else {
        ""
    };
    format!("not an Attune result file ({error}).{looks_like}")
}

/// A result file's text, or why it cannot be read (a file that is not UTF-8 says so).
pub fn read_result_text(path: &Path) -> Result<String, String> {
    // One bounded reader for every file: regular files only, at most the size limit.
    let bytes = attune_core::source::read_bytes(path).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not an Attune result file: it is not UTF-8 text (byte {} is not), as result files are",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Each file's text, or why it cannot be read, in order.
pub fn read_result_texts(files: &[PathBuf]) -> Vec<Result<String, String>> {
    files.iter().map(|f| read_result_text(f)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("attune-files-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn folders_are_searched_with_their_subfolders() {
        let d = scratch("tree");
        for f in [
            "ann/01-dan.json",
            "ann/02-tom.json",
            "bob/x/01-dan.json",
            "notes.txt",
        ] {
            let p = d.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "{}").unwrap();
        }
        let found = result_files(std::slice::from_ref(&d)).unwrap();
        let names: Vec<String> = found
            .iter()
            .map(|p| p.strip_prefix(&d).unwrap().display().to_string())
            .collect();
        assert_eq!(
            names,
            ["ann/01-dan.json", "ann/02-tom.json", "bob/x/01-dan.json"]
        );
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn an_empty_folder_and_a_missing_path_are_errors_that_say_where() {
        let d = scratch("empty");
        std::fs::create_dir_all(d.join("inner")).unwrap();
        let e = result_files(std::slice::from_ref(&d)).unwrap_err();
        assert!(
            e.contains(&d.display().to_string()) && e.contains("no `.json` file"),
            "{e}"
        );
        let e = result_files(&[d.join("gone")]).unwrap_err();
        assert!(e.contains("no such file or folder"), "{e}");
        std::fs::remove_dir_all(&d).unwrap();
    }

    /// Found by issue 13: a named pipe among results hung `verify` and `report`.
    #[cfg(unix)]
    #[test]
    fn a_named_pipe_in_a_result_folder_is_named_and_not_read() {
        let d = scratch("fifo");
        std::fs::write(d.join("a.json"), "{}").unwrap();
        let pipe = d.join("b.json");
        let name = std::ffi::CString::new(pipe.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let found = result_files(std::slice::from_ref(&d)).unwrap();
        assert_eq!(found, [d.join("a.json"), pipe.clone()]);
        let e = read_result_text(&pipe).unwrap_err();
        assert!(e.starts_with("this is a named pipe (FIFO)"), "{e}");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_scenario_given_as_a_result_is_named_as_one() {
        let text = "Scenario(meta: ())";
        let e = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
        let why = why_not_a_result(text, &e);
        assert!(why.starts_with("not an Attune result file"), "{why}");
        assert!(why.contains("looks like a scenario"), "{why}");
    }

    #[test]
    fn a_file_that_is_not_utf8_says_so() {
        let d = scratch("latin1");
        let f = d.join("r.json");
        std::fs::write(&f, b"{\"learner\": \"Jos\xe9\"}").unwrap();
        let e = read_result_text(&f).unwrap_err();
        assert!(e.contains("not UTF-8"), "{e}");
        std::fs::remove_dir_all(&d).unwrap();
    }
}
