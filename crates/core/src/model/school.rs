//! The schools of therapy the technique palette is grouped by.

use serde::{Deserialize, Serialize};

/// Schools of therapy the palette is grouped by. `Common` holds moves every school shares
/// (risk assessment, metacommunication about the relationship).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum School {
    Cbt,
    Behavioural,
    Psychodynamic,
    PersonCentred,
    EmotionFocused,
    MotivationalInterviewing,
    Act,
    Dbt,
    Systemic,
    SolutionFocused,
    Common,
}

impl School {
    pub const ALL: [School; 11] = [
        School::Cbt,
        School::Behavioural,
        School::Psychodynamic,
        School::PersonCentred,
        School::EmotionFocused,
        School::MotivationalInterviewing,
        School::Act,
        School::Dbt,
        School::Systemic,
        School::SolutionFocused,
        School::Common,
    ];

    pub fn label(self) -> &'static str {
        match self {
            School::Cbt => "Cognitive-behavioural",
            School::Behavioural => "Behavioural",
            School::Psychodynamic => "Psychodynamic",
            School::PersonCentred => "Person-centred",
            School::EmotionFocused => "Emotion-focused",
            School::MotivationalInterviewing => "Motivational interviewing",
            School::Act => "Acceptance and commitment",
            School::Dbt => "Dialectical behaviour",
            School::Systemic => "Systemic",
            School::SolutionFocused => "Solution-focused",
            School::Common => "Common factors",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            School::Cbt => "cbt",
            School::Behavioural => "behavioural",
            School::Psychodynamic => "psychodynamic",
            School::PersonCentred => "person_centred",
            School::EmotionFocused => "emotion_focused",
            School::MotivationalInterviewing => "motivational_interviewing",
            School::Act => "act",
            School::Dbt => "dbt",
            School::Systemic => "systemic",
            School::SolutionFocused => "solution_focused",
            School::Common => "common",
        }
    }
}
