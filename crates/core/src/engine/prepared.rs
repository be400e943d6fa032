//! A scenario made ready to play: its techniques, the response lines indexed by what they
//! answer, the moment book looked up per technique, the scoring constants and the client's
//! voice, all worked out once so that a turn does only the state-dependent part.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;
use std::sync::Arc;

use crate::model::Component;
use crate::model::{BookIndex, Catalogue, Condition, MomentBook, Technique, Voice};
use crate::scenario::{Scenario, Trigger};
use crate::scoring::{Repetition, ScoringConfig};
use crate::source::Diagnostic;

/// A scenario made ready to play: its techniques (the catalogue's plus its own) indexed,
/// and its scoring weights resolved. Built once, shared by every session and branch.
#[derive(Clone, Debug)]
pub struct PreparedScenario {
    pub scenario: Scenario,
    pub techniques: Vec<Technique>,
    index: HashMap<String, usize, BuildHasherDefault<IdHasher>>,
    pub config: ScoringConfig,
    /// What each client moment calls for and rules out (`assets/moments.ron`).
    pub moments: &'static MomentBook,
    pub weights: [f32; Component::COUNT],
    /// Whether each condition's technique part accepts each technique, worked out once.
    pub identity: IdentityTable,
    /// The moment book looked up for these techniques.
    pub book_index: BookIndex,
    /// How feedback names the client (first name, pronouns).
    pub voice: Voice,
    /// Each technique's name and each response's id, shared with every turn that records
    /// them rather than copied.
    pub technique_names: Vec<Arc<str>>,
    /// How often each technique may come again before it is routine.
    pub repetition: Vec<Repetition>,
    pub response_ids: Vec<Arc<str>>,
}

/// For each technique: the response lines whose condition's technique part (`techniques`,
/// `not_techniques`, `schools`, `tags`) accepts it, in the order the engine tries them; and
/// for each `When` event and key moment whether its technique part accepts it. A turn then
/// tries only the lines that can follow its technique and checks only the rest.
#[derive(Clone, Debug, Default)]
pub struct IdentityTable {
    techniques: usize,
    responses_for: Vec<Vec<u32>>,
    events: Vec<bool>,
    key_moments: Vec<bool>,
}

impl IdentityTable {
    fn new<'c>(
        techniques: &[Technique],
        responses: &[&'c Condition],
        response_order: &[usize],
        events: impl Iterator<Item = Option<&'c Condition>>,
        key_moments: impl Iterator<Item = &'c Condition>,
    ) -> IdentityTable {
        let row = |c: Option<&Condition>| -> Vec<bool> {
            techniques
                .iter()
                .map(|t| c.is_none_or(|c| c.identity_holds(Some(t))))
                .collect()
        };
        IdentityTable {
            techniques: techniques.len(),
            responses_for: techniques
                .iter()
                .map(|t| {
                    response_order
                        .iter()
                        .filter(|&&i| responses[i].identity_holds(Some(t)))
                        .map(|&i| i as u32)
                        .collect()
                })
                .collect(),
            events: events.flat_map(row).collect(),
            key_moments: key_moments.flat_map(|c| row(Some(c))).collect(),
        }
    }

    /// The lines that can follow a technique, in the order they are tried.
    pub fn responses_for(&self, technique: usize) -> impl Iterator<Item = usize> + '_ {
        self.responses_for[technique].iter().map(|&i| i as usize)
    }

    pub fn event(&self, event: usize, technique: usize) -> bool {
        self.events[event * self.techniques + technique]
    }

    pub fn key_moment(&self, moment: usize, technique: usize) -> bool {
        self.key_moments[moment * self.techniques + technique]
    }
}

/// FNV-1a for technique ids: short strings from the project's own files, looked up on every
/// turn, where the standard hasher's defence against hash flooding buys nothing.
struct IdHasher(u64);

impl Default for IdHasher {
    fn default() -> IdHasher {
        IdHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum PrepareError {
    DuplicateTechnique(String),
    UnknownWeight(String),
    UnknownTechnique(String),
    MomentBook(String),
}

impl fmt::Display for PrepareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrepareError::DuplicateTechnique(id) => {
                write!(
                    f,
                    "technique `{id}` is defined twice (in the catalogue and the scenario?)"
                )
            }
            PrepareError::UnknownWeight(name) => write!(f, "`{name}` is not a scoring component"),
            PrepareError::UnknownTechnique(id) => {
                write!(f, "technique_rules names `{id}`, which is not a technique")
            }
            PrepareError::MomentBook(e) => write!(f, "the moment book: {e}"),
        }
    }
}

impl std::error::Error for PrepareError {}

impl PreparedScenario {
    pub fn new(
        scenario: Scenario,
        catalogue: &Catalogue,
        config: &ScoringConfig,
    ) -> Result<PreparedScenario, PrepareError> {
        let mut techniques: Vec<Technique> = catalogue
            .techniques
            .iter()
            .chain(&scenario.techniques)
            .cloned()
            .collect();
        let mut index = HashMap::with_capacity_and_hasher(techniques.len(), Default::default());
        for (i, t) in techniques.iter().enumerate() {
            if index.insert(t.id.clone(), i).is_some() {
                return Err(PrepareError::DuplicateTechnique(t.id.clone()));
            }
        }
        // This client's own rules for catalogue techniques.
        for (id, rules) in &scenario.technique_rules {
            let i = *index
                .get(id)
                .ok_or_else(|| PrepareError::UnknownTechnique(id.clone()))?;
            techniques[i]
                .prerequisites
                .extend(rules.prerequisites.iter().cloned());
            techniques[i]
                .contraindications
                .extend(rules.contraindications.iter().cloned());
        }
        let mut weights = [0.0; Component::COUNT];
        for c in Component::ALL {
            weights[c as usize] = config.weight(c);
        }
        for (name, value) in &scenario.weights {
            let c = Component::from_name(name)
                .ok_or_else(|| PrepareError::UnknownWeight(name.clone()))?;
            weights[c as usize] = *value;
        }
        // Lines in the order the engine tries them: priority, then specificity, then place in
        // the file. The first whose condition holds is said.
        let mut response_order: Vec<usize> = (0..scenario.responses.len()).collect();
        response_order.sort_by_key(|&i| {
            let r = &scenario.responses[i];
            (std::cmp::Reverse((r.priority, r.when.specificity())), i)
        });
        let conditions: Vec<&Condition> = scenario.responses.iter().map(|r| &r.when).collect();
        let identity = IdentityTable::new(
            &techniques,
            &conditions,
            &response_order,
            scenario.events.iter().map(|e| match &e.trigger {
                Trigger::When(c) => Some(c.as_ref()),
                Trigger::AtTurn(_) => None,
            }),
            scenario.key_moments.iter().map(|m| &m.when),
        );
        let moments = MomentBook::builtin();
        let book_index = moments
            .index(&techniques)
            .map_err(PrepareError::MomentBook)?;
        Ok(PreparedScenario {
            book_index,
            voice: Voice::of(&scenario.client),
            technique_names: techniques
                .iter()
                .map(|t| Arc::from(t.name.as_str()))
                .collect(),
            repetition: techniques
                .iter()
                .map(|t| Repetition::of(t, config))
                .collect(),
            response_ids: scenario
                .responses
                .iter()
                .map(|r| Arc::from(r.id.as_str()))
                .collect(),
            identity,
            scenario,
            techniques,
            index,
            config: config.clone(),
            moments,
            weights,
        })
    }

    /// A scenario file read, validated and made ready, or every problem that stops it. The
    /// authoring lints and their warnings are left to `attune check`.
    pub fn from_file(
        path: &Path,
        catalogue: &Catalogue,
        config: &ScoringConfig,
    ) -> Result<Arc<PreparedScenario>, Vec<Diagnostic>> {
        let name = path.display().to_string();
        let text = crate::scenario::read_text(path)
            .map_err(|e| vec![Diagnostic::whole_file(&name, e.to_string())])?;
        PreparedScenario::from_text(&name, &text, catalogue, config)
    }

    /// The same for a scenario's text; `name` is how messages name the file.
    pub fn from_text(
        name: &str,
        text: &str,
        catalogue: &Catalogue,
        config: &ScoringConfig,
    ) -> Result<Arc<PreparedScenario>, Vec<Diagnostic>> {
        let loaded = crate::scenario::parse_scenario(name, text, catalogue)?;
        PreparedScenario::new(loaded.scenario, catalogue, config)
            .map(Arc::new)
            .map_err(|e| vec![Diagnostic::whole_file(name, e.to_string())])
    }

    pub fn technique_index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub fn technique(&self, id: &str) -> Option<&Technique> {
        self.technique_index(id).map(|i| &self.techniques[i])
    }

    /// The same scenario with another pass mark: an assessment pack sets its own.
    pub fn with_pass_mark(&self, pass_mark: f32) -> PreparedScenario {
        let mut copy = self.clone();
        copy.scenario.session.pass_mark = Some(pass_mark);
        copy
    }

    pub fn pass_mark(&self) -> f32 {
        self.scenario
            .session
            .pass_mark
            .unwrap_or(self.config.penalties.pass_mark.value)
    }
}
