//! Feedback words about the client: first name and pronouns, filled into the templates of
//! the moment book and the scoring file. Templates are parsed once, when their file is
//! read, because explanations are written every turn.

use std::ops::Range;

use serde::{Deserialize, Serialize, Serializer};

use crate::model::ClientProfile;

/// The client as feedback names them: first name and pronouns, worked out once per
/// scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Voice {
    pub name: String,
    pub they: &'static str,
    pub them: &'static str,
    pub their: &'static str,
}

impl Voice {
    pub fn of(client: &ClientProfile) -> Voice {
        let name = client
            .name
            .split_whitespace()
            .next()
            .unwrap_or("The client");
        let subject = client.pronouns.split('/').next().unwrap_or("they").trim();
        let (they, them, their) = if subject.eq_ignore_ascii_case("she") {
            ("she", "her", "her")
        } else if subject.eq_ignore_ascii_case("he") {
            ("he", "him", "his")
        } else {
            ("they", "them", "their")
        };
        Voice {
            name: name.to_string(),
            they,
            them,
            their,
        }
    }

    /// A template filled for this client, with no technique or characteristic named.
    pub fn fill(&self, template: &Template) -> String {
        let mut out = String::with_capacity(template.as_str().len() + 32);
        template.fill_into(&mut out, &Words::about(self));
        out
    }
}

/// What a template's placeholders are filled with.
pub struct Words<'a> {
    pub voice: &'a Voice,
    /// `{technique}`: the move's name.
    pub technique: &'a str,
    /// `{trait}`: the client characteristic a scoring term speaks to.
    pub characteristic: &'a str,
}

impl<'a> Words<'a> {
    pub fn about(voice: &'a Voice) -> Words<'a> {
        Words {
            voice,
            technique: "",
            characteristic: "",
        }
    }
}

/// Feedback text with placeholders: `{name}`, `{they}`, `{them}`, `{their}`, `{technique}`
/// and `{trait}`. Anything else in braces is kept as written.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(from = "String")]
pub struct Template {
    text: String,
    parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq)]
enum Part {
    Text(Range<usize>),
    Name,
    They,
    Them,
    Their,
    Technique,
    Characteristic,
}

impl From<String> for Template {
    fn from(text: String) -> Template {
        let mut parts = Vec::new();
        let mut at = 0;
        let mut literal_from = 0;
        while let Some(open) = text[at..].find('{').map(|i| at + i) {
            let Some(close) = text[open..].find('}').map(|i| open + i) else {
                break;
            };
            let part = match &text[open + 1..close] {
                "name" => Part::Name,
                "they" => Part::They,
                "them" => Part::Them,
                "their" => Part::Their,
                "technique" => Part::Technique,
                "trait" => Part::Characteristic,
                _ => {
                    at = close + 1;
                    continue;
                }
            };
            if literal_from < open {
                parts.push(Part::Text(literal_from..open));
            }
            parts.push(part);
            at = close + 1;
            literal_from = at;
        }
        if literal_from < text.len() {
            parts.push(Part::Text(literal_from..text.len()));
        }
        Template { text, parts }
    }
}

impl From<&str> for Template {
    fn from(text: &str) -> Template {
        Template::from(text.to_string())
    }
}

impl Serialize for Template {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl Template {
    /// The template as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Appends the filled template to `out`.
    pub fn fill_into(&self, out: &mut String, words: &Words) {
        for part in &self.parts {
            out.push_str(match part {
                Part::Text(range) => &self.text[range.clone()],
                Part::Name => &words.voice.name,
                Part::They => words.voice.they,
                Part::Them => words.voice.them,
                Part::Their => words.voice.their,
                Part::Technique => words.technique,
                Part::Characteristic => words.characteristic,
            });
        }
    }

    /// The filled template as a new string.
    pub fn fill(&self, words: &Words) -> String {
        let mut out = String::with_capacity(self.text.len() + 32);
        self.fill_into(&mut out, words);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_names_and_pronouns_and_keeps_unknown_placeholders() {
        let v = Voice {
            name: "Maria".into(),
            they: "she",
            them: "her",
            their: "her",
        };
        let words = Words {
            voice: &v,
            technique: "Case formulation",
            characteristic: "Low reactance",
        };
        assert_eq!(
            Template::from("{name} asked for time: {technique} overrides {them} {x}; {trait}")
                .fill(&words),
            "Maria asked for time: Case formulation overrides her {x}; Low reactance"
        );
        assert_eq!(Template::from("{name").fill(&words), "{name");
        assert_eq!(Template::from("").fill(&words), "");
        assert_eq!(Template::from("{they}{their}").fill(&words), "sheher");
    }
}
