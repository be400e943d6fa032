//! The components a move's fit is made of (clinical-model.md section 8). Named in the
//! model because scenario files name them (weights, expected reasons); the rules that
//! score each are in `scoring`.

use serde::{Deserialize, Serialize};

/// The match terms of the turn fit (clinical-model.md section 7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum Component {
    Directiveness,
    Focus,
    Collaboration,
    Empathy,
    Warmth,
    Stage,
    Preference,
    Credibility,
    Arousal,
    /// Joins the others only while a rupture is open.
    Repair,
    /// Joins the others only while a risk cue is open and not yet assessed.
    Safety,
    /// Joins the others only while a client moment is open (or a marker move is offered
    /// with none): how well the move answers what the client just did.
    Responsiveness,
}

impl Component {
    pub const ALL: [Component; 12] = [
        Component::Directiveness,
        Component::Focus,
        Component::Collaboration,
        Component::Empathy,
        Component::Warmth,
        Component::Stage,
        Component::Preference,
        Component::Credibility,
        Component::Arousal,
        Component::Repair,
        Component::Safety,
        Component::Responsiveness,
    ];

    /// How many components there are: the length of a weights array.
    pub const COUNT: usize = 12;

    pub fn name(self) -> &'static str {
        match self {
            Component::Directiveness => "directiveness",
            Component::Focus => "focus",
            Component::Collaboration => "collaboration",
            Component::Empathy => "empathy",
            Component::Warmth => "warmth",
            Component::Stage => "stage",
            Component::Preference => "preference",
            Component::Credibility => "credibility",
            Component::Arousal => "arousal",
            Component::Repair => "repair",
            Component::Safety => "safety",
            Component::Responsiveness => "responsiveness",
        }
    }

    pub fn from_name(name: &str) -> Option<Component> {
        Component::ALL.into_iter().find(|c| c.name() == name)
    }
}
