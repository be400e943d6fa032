//! Feedback words about the client: first name and pronouns, filled into the moment
//! book's templates.

use crate::client::ClientProfile;

pub struct Voice<'a> {
    pub name: &'a str,
    pub they: &'static str,
    pub them: &'static str,
    pub their: &'static str,
}

impl<'a> Voice<'a> {
    pub fn of(client: &'a ClientProfile) -> Voice<'a> {
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
            name,
            they,
            them,
            their,
        }
    }

    /// Fills `{name}`, `{they}`, `{them}`, `{their}` and `{technique}`.
    pub fn fill(&self, template: &str, technique: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        self.fill_into(&mut out, template, technique);
        out
    }

    /// The same, appended to `out` in one pass (explanations are built every turn).
    pub fn fill_into(&self, out: &mut String, template: &str, technique: &str) {
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return;
            };
            match &after[..close] {
                "name" => out.push_str(self.name),
                "they" => out.push_str(self.they),
                "them" => out.push_str(self.them),
                "their" => out.push_str(self.their),
                "technique" => out.push_str(technique),
                other => {
                    out.push('{');
                    out.push_str(other);
                    out.push('}');
                }
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_names_and_pronouns_and_keeps_unknown_placeholders() {
        let v = Voice {
            name: "Maria",
            they: "she",
            them: "her",
            their: "her",
        };
        assert_eq!(
            v.fill(
                "{name} asked for time: {technique} overrides {them} {x}",
                "Case formulation"
            ),
            "Maria asked for time: Case formulation overrides her {x}"
        );
    }
}
