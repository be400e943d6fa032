//! The coder's rules, read from data (`assets/utterances/coder.ron`): cue phrases that point
//! at a MITI code, a technique or an adaptation, each with a weight and the reason shown to
//! the trainee, and the typo map. Matching is on normalised words, so case, apostrophes and
//! small typos do not hide a cue.

use std::collections::HashMap;
use std::ops::Range;

use serde::Deserialize;

use super::normalise::{Speller, Token, fold, tokenise};
use crate::model::MitiCode;
use crate::scenario::{Directiveness, Framing};

/// What a cue points at.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub enum Target {
    Miti(MitiCode),
    Technique(String),
    Direction(Directiveness),
    Framing(Framing),
}

/// A group of cue phrases with one target, weight and reason.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CueGroup {
    pub target: Target,
    /// How strongly the cue points at its target (1 = an ordinary hint, 3 = decisive).
    pub weight: f32,
    /// Only at the start of a sentence (question openers: "what", "how").
    #[serde(default)]
    pub at_start: bool,
    /// The phrases, matched on normalised words.
    pub phrases: Vec<String>,
    /// Why the cue points there, for the trainee: "asks for more than yes or no".
    pub why: String,
}

/// The rules file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    /// Common misspellings and their mending, e.g. `"shoudl": "should"`.
    pub typos: HashMap<String, String>,
    pub cues: Vec<CueGroup>,
}

/// A cue phrase compiled to normalised words.
#[derive(Clone, Debug)]
struct Phrase {
    words: Vec<String>,
    group: usize,
    text: String,
}

/// One cue found in an utterance.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub target: Target,
    pub weight: f32,
    /// Byte range in the original text.
    pub span: Range<usize>,
    /// The phrase as written in the rules, and why it counts.
    pub reason: String,
}

/// The compiled rules: phrases indexed by their first word, and the speller.
#[derive(Clone, Debug)]
pub struct Rules {
    groups: Vec<CueGroup>,
    by_first: HashMap<String, Vec<Phrase>>,
    pub speller: Speller,
}

impl Rules {
    /// Parses and compiles the rules file; an empty phrase is an error.
    pub fn parse(text: &str) -> Result<Rules, String> {
        let file: RulesFile = ron::from_str(text).map_err(|e| format!("coder rules: {e}"))?;
        let mut by_first: HashMap<String, Vec<Phrase>> = HashMap::new();
        let mut cue_words = Vec::new();
        for (g, group) in file.cues.iter().enumerate() {
            for p in &group.phrases {
                let words: Vec<String> = tokenise(p).into_iter().map(|t| t.word).collect();
                if words.is_empty() {
                    return Err(format!(
                        "coder rules: empty cue phrase in {:?}",
                        group.target
                    ));
                }
                cue_words.extend(words.iter().filter(|w| *w != "?").cloned());
                by_first.entry(words[0].clone()).or_default().push(Phrase {
                    words,
                    group: g,
                    text: p.clone(),
                });
            }
        }
        for list in by_first.values_mut() {
            // Longest first, so "would it be ok" is tried before "would".
            list.sort_by(|a, b| b.words.len().cmp(&a.words.len()).then(a.text.cmp(&b.text)));
        }
        let typos = file.typos.iter().map(|(k, v)| (fold(k), fold(v))).collect();
        Ok(Rules {
            groups: file.cues,
            by_first,
            speller: Speller::new(&typos, cue_words),
        })
    }

    /// Every cue in the (normalised) tokens, in text order.
    pub fn find(&self, tokens: &[Token]) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (i, tok) in tokens.iter().enumerate() {
            let Some(list) = self.by_first.get(&tok.word) else {
                continue;
            };
            for phrase in list {
                let group = &self.groups[phrase.group];
                if group.at_start && !tok.sentence_start {
                    continue;
                }
                let n = phrase.words.len();
                if i + n > tokens.len() {
                    continue;
                }
                if tokens[i..i + n]
                    .iter()
                    .zip(&phrase.words)
                    .all(|(t, w)| &t.word == w)
                {
                    hits.push(Hit {
                        target: group.target.clone(),
                        weight: group.weight,
                        span: tok.span.start..tokens[i + n - 1].span.end,
                        reason: format!("\"{}\": {}", phrase.text, group.why),
                    });
                }
            }
        }
        hits
    }
}

/// The rules compiled into the core.
pub const DEFAULT_RULES_TEXT: &str = include_str!("../../../../assets/utterances/coder.ron");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_rules_parse() {
        let rules = Rules::parse(DEFAULT_RULES_TEXT).unwrap();
        assert!(rules.by_first.len() > 20);
    }
}
