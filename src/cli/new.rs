//! `attune new NAME`: starts a scenario from the commented template (`assets/template.ron`,
//! the same file docs/authoring.md walks through), with the id set to NAME.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::source::{Path as TreePath, parse_tree};

/// The template, built into the binary so `attune new` works from any folder.
pub const TEMPLATE: &str = include_str!("../../assets/template.ron");

pub fn run(name: &str, dir: &Path) -> Result<ExitCode, String> {
    check_name(name)?;
    let path = dir.join(format!("{name}.ron"));
    let text = scenario_text(name)?;
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create the folder {}: {e}", dir.display()))?;
    // `create_new` refuses an existing file, so an author's work is never overwritten.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => format!(
                "{} already exists; choose another name, or edit that file (nothing was written)",
                path.display()
            ),
            _ => format!("cannot write {}: {e}", path.display()),
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    print!("{}", next_steps(&path));
    Ok(ExitCode::SUCCESS)
}

/// A scenario id is also its file name: lower-case letters, digits and hyphens.
fn check_name(name: &str) -> Result<(), String> {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-');
    if valid {
        return Ok(());
    }
    let rule = "a scenario name is its id and file name: lower-case letters, digits and hyphens, not starting or ending with a hyphen, e.g. `gareth-insomnia`";
    if let Some(stem) = name.strip_suffix(".ron") {
        return Err(format!(
            "`{name}`: give the name without `.ron`, e.g. `attune new {stem}`"
        ));
    }
    let suggestion = slug(name);
    if suggestion.is_empty() {
        Err(format!("`{name}` cannot be used: {rule}"))
    } else {
        Err(format!(
            "`{name}` cannot be used: {rule}; did you mean `{suggestion}`?"
        ))
    }
}

/// The nearest valid name: lower case, anything else turned into single hyphens.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The template with `meta.id` set to `name`. The id is found through the positioned
/// tree, so comments and other text in the template can change freely.
pub fn scenario_text(name: &str) -> Result<String, String> {
    let tree = parse_tree(TEMPLATE)
        .map_err(|e| format!("the built-in template does not parse: {}", e.message))?;
    let id = tree.locate(&TreePath::root().field("meta").field("id"));
    if !TEMPLATE[id.start..id.end].starts_with('"') {
        return Err("the built-in template has no `meta.id`".into());
    }
    Ok(format!(
        "{}\"{name}\"{}",
        &TEMPLATE[..id.start],
        &TEMPLATE[id.end..]
    ))
}

fn next_steps(path: &Path) -> String {
    let shown = path.display();
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.display().to_string(),
        _ => ".".to_string(),
    };
    format!(
        "Created {shown} from the template (a short, complete client to rewrite as your own).\n\
         Next steps:\n\
         \x20 1. Edit {shown}: the client, the lines, the playthroughs (docs/authoring.md explains every part).\n\
         \x20 2. attune check {shown}    (each problem with its line and a suggestion)\n\
         \x20 3. attune test {shown}     (plays the playthroughs at the end of the file)\n\
         \x20 4. attune --scenarios {folder}  (opens the app; saving the file reloads it)\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_id_rule_and_bad_ones_get_a_suggestion() {
        assert!(check_name("gareth-insomnia-2").is_ok());
        let err = check_name("Gareth Insomnia").unwrap_err();
        assert!(err.contains("did you mean `gareth-insomnia`?"), "{err}");
        assert!(
            check_name("gareth.ron")
                .unwrap_err()
                .contains("without `.ron`")
        );
        assert!(check_name("").is_err());
        assert!(check_name("-x").is_err());
        assert!(
            check_name("a_b")
                .unwrap_err()
                .contains("did you mean `a-b`?")
        );
    }

    #[test]
    fn only_the_id_changes() {
        let text = scenario_text("my-client").unwrap();
        assert!(text.contains("id: \"my-client\""));
        assert_eq!(
            text.len(),
            TEMPLATE.len() - "example-client".len() + "my-client".len()
        );
    }
}
