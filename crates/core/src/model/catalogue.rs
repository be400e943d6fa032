//! The shared technique catalogue (`assets/techniques.ron`): every technique with the
//! attributes of clinical-model.md section 6.

use serde::{Deserialize, Serialize};

use super::{School, Technique};

/// The catalogue file as shipped in `assets/techniques.ron`, built into the binary.
pub const DEFAULT_CATALOGUE_TEXT: &str = include_str!("../../../../assets/techniques.ron");
pub const DEFAULT_CATALOGUE_PATH: &str = "assets/techniques.ron";

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    pub techniques: Vec<Technique>,
}

impl Catalogue {
    pub fn get(&self, id: &str) -> Option<&Technique> {
        self.techniques.iter().find(|t| t.id == id)
    }

    pub fn schools(&self) -> Vec<School> {
        let mut schools: Vec<School> = self.techniques.iter().map(|t| t.school).collect();
        schools.sort();
        schools.dedup();
        schools
    }
}

impl Catalogue {
    /// Parses and checks a catalogue file; every problem names its line and column.
    pub fn parse(name: &str, text: &str) -> Result<Catalogue, Vec<crate::source::Diagnostic>> {
        use crate::source::{Path, Positioned, Severity, parse_positioned};
        let Positioned {
            value: catalogue,
            source,
            tree,
        } = parse_positioned::<Catalogue>(name, text)?;
        let ids: Vec<&str> = catalogue.techniques.iter().map(|t| t.id.as_str()).collect();
        let mut issues = Vec::new();
        for (i, t) in catalogue.techniques.iter().enumerate() {
            let path = Path::root().field("techniques").index(i);
            if ids[..i].contains(&t.id.as_str()) {
                issues.push(crate::source::Issue {
                    path: path.field("id"),
                    severity: Severity::Error,
                    message: format!("technique id `{}` is used twice", t.id),
                    help: None,
                });
            }
            super::validate_technique(t, &path, &ids, &mut issues);
        }
        let diagnostics: Vec<_> = issues
            .into_iter()
            .filter(|i| i.severity == Severity::Error)
            .map(|i| source.diagnostic_at(tree.locate(&i.path).start, i.severity, i.message))
            .collect();
        if diagnostics.is_empty() {
            Ok(catalogue)
        } else {
            Err(diagnostics)
        }
    }

    /// The catalogue shipped in `assets/techniques.ron`.
    pub fn builtin() -> Catalogue {
        Catalogue::parse(DEFAULT_CATALOGUE_PATH, DEFAULT_CATALOGUE_TEXT)
            .expect("assets/techniques.ron is checked by the test suite")
    }
}
