//! Feedback words about the client: first name and pronouns, filled into the moment
//! book's templates.

use crate::client::ClientProfile;

pub struct Voice<'a> {
    pub name: &'a str,
    pub they: &'a str,
    pub them: &'a str,
    pub their: &'a str,
}

impl<'a> Voice<'a> {
    pub fn of(client: &'a ClientProfile) -> Voice<'a> {
        let name = client.name.split_whitespace().next().unwrap_or("The client");
        let subject = client
            .pronouns
            .split('/')
            .next()
            .unwrap_or("they")
            .trim()
            .to_lowercase();
        let (they, them, their) = match subject.as_str() {
            "she" => ("she", "her", "her"),
            "he" => ("he", "him", "his"),
            _ => ("they", "them", "their"),
        };
        Voice {
            name,
            they,
            them,
            their,
        }
    }

    /// Fills `{name}`, `{they}`, `{them}`, `{their}` and `{technique}`.
    pub fn fill(&self, template: &str, technique: &str) -> String {
        template
            .replace("{name}", self.name)
            .replace("{they}", self.they)
            .replace("{them}", self.them)
            .replace("{their}", self.their)
            .replace("{technique}", technique)
    }
}
