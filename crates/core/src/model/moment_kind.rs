//! The moments a client line can open (clinical-model.md section 10): what the client just
//! did that the next move must answer. What each calls for and rules out is data, in
//! `assets/moments.ron`; this is only the vocabulary.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum MomentKind {
    // --- Motivational interviewing (Miller & Rollnick 2013) ---
    /// Early in the work, before a bond: engaging comes before focusing, evoking, planning.
    NotYetEngaged,
    /// Many concerns and no agreed direction: the focusing process.
    NeedsFocus,
    /// Desire, ability, reasons, need or commitment to change.
    ChangeTalk,
    /// Reasons not to change, voiced by the client.
    SustainTalk,
    /// Both sides at once: "I want to, but...".
    Ambivalence,
    /// Friction aimed at the therapist or the process.
    Discord,
    /// Readiness to act: "So what would I actually do?" The planning process.
    ReadyToPlan,
    // --- Emotion-focused task markers (Elliott, Watson, Goldman & Greenberg 2004) ---
    SelfCriticalSplit,
    UnfinishedBusiness,
    /// "I don't know why I reacted like that."
    ProblematicReaction,
    /// Shame, fragility, feeling exposed.
    Vulnerability,
    // --- Rupture markers (Safran & Muran 2000) ---
    WithdrawalRupture,
    ConfrontationRupture,
    OverCompliance,
    // --- Other moments ---
    /// Something painful or shameful said for the first time (Hill 2014).
    Disclosure,
    /// Overwhelmed, panicking, flooded in the session.
    Flooding,
    /// Spaced out, not here (phase-oriented trauma work: grounding first).
    Dissociation,
    /// Talking about feelings from a distance; flat, avoidant.
    Intellectualising,
    /// "What should I do?"
    RequestForGuidance,
    /// "I need to think about it."
    Hesitation,
    /// "Are you sure it's nothing?": asking to be reassured about a feared outcome.
    ReassuranceSeeking,
    /// Hopelessness, "no point going on": safety comes first (clinical-model.md section 9).
    RiskCue,
}

impl MomentKind {
    pub const ALL: [MomentKind; 22] = [
        MomentKind::NotYetEngaged,
        MomentKind::NeedsFocus,
        MomentKind::ChangeTalk,
        MomentKind::SustainTalk,
        MomentKind::Ambivalence,
        MomentKind::Discord,
        MomentKind::ReadyToPlan,
        MomentKind::SelfCriticalSplit,
        MomentKind::UnfinishedBusiness,
        MomentKind::ProblematicReaction,
        MomentKind::Vulnerability,
        MomentKind::WithdrawalRupture,
        MomentKind::ConfrontationRupture,
        MomentKind::OverCompliance,
        MomentKind::Disclosure,
        MomentKind::Flooding,
        MomentKind::Dissociation,
        MomentKind::Intellectualising,
        MomentKind::RequestForGuidance,
        MomentKind::Hesitation,
        MomentKind::ReassuranceSeeking,
        MomentKind::RiskCue,
    ];

    /// The rupture marker a line's `marker` stands for, as a moment.
    pub fn of_rupture(rupture: crate::model::Rupture) -> Option<MomentKind> {
        match rupture {
            crate::model::Rupture::None => None,
            crate::model::Rupture::Withdrawal => Some(MomentKind::WithdrawalRupture),
            crate::model::Rupture::Confrontation => Some(MomentKind::ConfrontationRupture),
        }
    }
}

/// How the move met the moment that was open when it was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum Verdict {
    /// The move is one the moment calls for.
    Answered,
    /// Neither called for nor ruled out: the moment went by unanswered.
    PassedOver,
    /// The move is one the moment rules out.
    Overridden,
}

/// How a client line sits with the move that drew it: the author's own judgement, which
/// the score must agree with (`attune check` and `attune analyze` compare the two).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum Reaction {
    /// The client's reaction to a misstep: pulling away, pushing back, taking it back.
    Misstep,
    /// The client's reaction to a move that landed: opening up, relief, trust.
    Welcoming,
}

/// The moment open before a move: which, and on which turn's line it opened (0 is the
/// opening line).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct OpenMoment {
    pub kind: MomentKind,
    pub opened: u32,
}
