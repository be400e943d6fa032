//! The client and the score must tell the same story: a line the author wrote as the
//! client's reaction to a misstep must not follow a move that scored as a good fit, and a
//! welcoming line must not follow a poor one (docs/clinical-model.md, Moments). Checked over
//! every session the analysis played (random play, the best path, the scripted
//! playthroughs), from each line's lowest and highest fit.

use serde::Serialize;

use super::coverage::ContentTally;
use crate::engine::PreparedScenario;
use crate::model::Reaction;

/// One line whose reaction the score contradicts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Disagreement {
    /// The response line, by index in the scenario and by id.
    pub response: usize,
    pub id: String,
    pub reaction: Reaction,
    /// The fit of the move that drew it: the highest for a misstep reaction, the lowest
    /// for a welcoming one.
    pub fit: f32,
    /// The technique of that move.
    pub technique: String,
}

impl Disagreement {
    /// The warning as an author reads it.
    pub fn message(&self) -> String {
        match self.reaction {
            Reaction::Misstep => format!(
                "the line `{}` is marked as a reaction to a misstep, but a move scoring {:.0} ({}) can draw it",
                self.id, self.fit, self.technique
            ),
            Reaction::Welcoming => format!(
                "the line `{}` is marked as a welcoming reaction, but a move scoring only {:.0} ({}) can draw it",
                self.id, self.fit, self.technique
            ),
        }
    }

    pub fn suggestion(&self) -> String {
        match self.reaction {
            Reaction::Misstep => "either the move misses something the scoring does not see (give the line before it the `moment` it answers, or add a prerequisite or contraindication for this client), or the line should not follow a good move (narrow its `when`, e.g. with `verdict: Overridden` or `fit: (max: 59)`)".into(),
            Reaction::Welcoming => "either the move fits better than the score says (check the moment and the client's traits), or the line should follow only moves that fit (narrow its `when`, e.g. with `verdict: Answered` or `fit: (min: 40)`)".into(),
        }
    }
}

/// Every line whose reaction some played move contradicts, over the given tallies.
pub fn disagreements(prepared: &PreparedScenario, tallies: &[&ContentTally]) -> Vec<Disagreement> {
    let p = &prepared.config.penalties;
    let (misstep_below, welcoming_from) =
        (p.misstep_fit_below.value, p.welcoming_fit_at_least.value);
    let technique = |i: u32| {
        prepared
            .techniques
            .get(i as usize)
            .map_or_else(String::new, |t| t.id.clone())
    };
    let mut found = Vec::new();
    for (i, r) in prepared.scenario.responses.iter().enumerate() {
        let Some(reaction) = r.reaction else { continue };
        let mut high = (f32::NEG_INFINITY, 0);
        let mut low = (f32::INFINITY, 0);
        for tally in tallies {
            let reach = &tally.responses[i];
            if reach.fit_high > high.0 {
                high = (reach.fit_high, reach.high_technique);
            }
            if reach.fit_low < low.0 {
                low = (reach.fit_low, reach.low_technique);
            }
        }
        let (fit, t) = match reaction {
            Reaction::Misstep if high.0 >= misstep_below => high,
            Reaction::Welcoming if low.0 < welcoming_from => low,
            _ => continue,
        };
        found.push(Disagreement {
            response: i,
            id: r.id.clone(),
            reaction,
            fit,
            technique: technique(t),
        });
    }
    found
}
