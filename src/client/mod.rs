//! The simulated client: fixed traits (clinical-model.md sections 2 to 4) and the live
//! state that every turn moves (section 7).

mod state;
mod traits;

pub use state::{ClientState, RiskLevel, Rupture, Stage, StateSnapshot};
pub use traits::{
    Appearance, ClientProfile, ClientTraits, Culture, HairColour, HairStyle, Intake, KeptBack,
    Preferences, RiskProfile,
};
