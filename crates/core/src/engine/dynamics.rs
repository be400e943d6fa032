//! How the client's state moves after a move (clinical-model.md section 7): alliance with
//! fit, distress with arousal and relief, hope with credibility and progress, stage with
//! stage-matched work, ruptures from misfit and over-direction, repair.

use crate::model::Component;
use crate::model::{
    ClientProfile, ClientState, MomentKind, RiskLevel, Rupture, Stage, Technique, Verdict,
};
use crate::scoring::config::Dynamics;
use crate::scoring::{Fit, MoveProfile, ScoringConfig};

/// What the session remembers between turns beyond the client state.
#[derive(Clone, Debug, Default)]
pub struct Memory {
    /// Bond, goals and tasks just before the open rupture began.
    pub pre_rupture: Option<[f32; 3]>,
    pub unrepaired_turns: u32,
    /// The stage the session began in (one session advances it one stage at most).
    pub start_stage: Option<Stage>,
}

/// What changed, for the turn's flags.
#[derive(Default)]
pub struct Changes {
    pub rupture_opened: bool,
    pub rupture_repaired: bool,
    pub stage_advanced: bool,
    pub risk_assessed: bool,
    pub established: Vec<String>,
}

pub struct Step<'a> {
    pub technique: &'a Technique,
    pub mv: &'a MoveProfile,
    pub fit: &'a Fit,
    pub client: &'a ClientProfile,
    pub cfg: &'a ScoringConfig,
}

pub fn evolve(state: &mut ClientState, memory: &mut Memory, step: &Step) -> Changes {
    let Step {
        technique: t,
        mv,
        fit,
        client,
        cfg,
    } = *step;
    let d: &Dynamics = &cfg.dynamics;
    let mut changes = Changes::default();
    let before = [state.bond, state.goals, state.tasks];
    let fit_n = (fit.score - 50.0) / 50.0;
    let tolerated = 1.0 - state.reactance();
    // Direction beyond what this client tolerates (Brehm's reactance).
    let excess = (mv.directiveness - tolerated).max(0.0);
    let dir_term = fit
        .component(Component::Directiveness)
        .map_or(0.0, |c| c.value);

    // Alliance: the bond grows more slowly with insecure attachment (Levy et al. 2018).
    let attachment = if fit_n > 0.0 {
        let least = d.insecure_bond_share.value;
        least + (1.0 - least) * client.traits.attachment_security
    } else {
        1.0
    };
    state.bond += d.bond_rate.value * fit_n * attachment;
    let shared = d.goals_collaboration_weight.value;
    state.goals += d.goals_rate.value * (fit_n + shared * mv.collaboration) / (1.0 + shared);
    state.tasks += d.tasks_rate.value * (fit_n + dir_term) / 2.0;

    // Distress follows arousal, and falls with fitting work inside a good alliance.
    state.distress += d.distress_arousal_rate.value * mv.arousal
        - d.relief_rate.value * fit_n.max(0.0) * state.alliance();
    // Hope: a credible rationale that lands, and the felt progress of a fitting move.
    let credible = if fit.score >= 50.0 {
        mv.credibility.max(0.0)
    } else {
        0.0
    };
    state.hope += d.hope_rate.value * (fit_n + credible);

    // State reactance rises with over-direction and drifts back toward the trait.
    let mut reactance = state.reactance() + d.reactance_rise.value * excess;
    reactance += (client.traits.reactance - reactance) * d.reactance_recovery.value;
    state.reactance = Some(reactance.clamp(0.0, 1.0));

    // Ruptures from misfit and over-direction; repair with a fitting repair move.
    if fit.score >= 50.0 {
        state.strain *= d.strain_decay.value;
    }
    // A move that answers the client's moment is met as a response, not as pressure: its
    // direction adds no strain (responsiveness, Stiles et al. 1998).
    let answered = fit.moment.is_some_and(|j| j.verdict == Verdict::Answered);
    let pressure = if answered {
        0.0
    } else {
        excess * client.traits.reactance
    };
    state.strain += ((50.0 - fit.score) / 50.0).max(0.0) + pressure;
    // Repair is what a repair move does, or any move that answers the rupture's own moment
    // well enough: direct repair (explaining the rationale, changing the task) as well as
    // exploratory (Safran & Muran 2000).
    let repairs = t.repair >= d.repair_min.value
        || fit.moment.is_some_and(|j| {
            j.verdict == Verdict::Answered
                && matches!(
                    j.kind,
                    MomentKind::WithdrawalRupture | MomentKind::ConfrontationRupture
                )
                && j.value >= d.repair_min.value
        });
    match state.rupture {
        Rupture::None if state.strain >= d.strain_threshold.value => {
            state.rupture = client.traits.rupture_kind();
            state.bond -= d.rupture_bond_drop.value;
            state.strain = 0.0;
            memory.pre_rupture = Some(before);
            memory.unrepaired_turns = 0;
            changes.rupture_opened = true;
        }
        Rupture::None => {}
        _ if repairs && fit.score >= d.repair_fit_min.value => {
            // A repaired rupture leaves the alliance above where it stood before
            // (Eubanks, Muran & Safran 2018).
            let pre = memory.pre_rupture.take().unwrap_or(before);
            let bonus = d.repair_bonus.value;
            state.bond = state.bond.max(pre[0] + bonus);
            state.goals = state.goals.max(pre[1] + bonus);
            state.tasks = state.tasks.max(pre[2] + bonus);
            state.rupture = Rupture::None;
            state.strain = 0.0;
            memory.unrepaired_turns = 0;
            changes.rupture_repaired = true;
        }
        _ => memory.unrepaired_turns += 1,
    }

    // Prerequisites a well-enough delivered move establishes (a rationale, a skill).
    if fit.score >= d.establish_fit_min.value && fit.contraindications.is_empty() {
        for flag in &t.establishes {
            if !state.has_flag(flag) {
                state.set_flag(flag);
                changes.established.push(flag.clone());
            }
        }
    }

    if t.assesses_risk {
        changes.risk_assessed = !state.risk_assessed && state.risk() > RiskLevel::None;
        state.risk_assessed = true;
        // Assessing and safety planning together lower an elevated risk by one level.
        if state.risk() >= RiskLevel::Moderate {
            state.risk = Some(state.risk().lower());
        }
    }

    // Stage advances with stage-matched, fitting work in a good enough alliance. Stages take
    // time (Prochaska & DiClemente): one session's work moves a client one stage at most,
    // and maintenance means change sustained for months, so no single session moves a client
    // from action into it; only a between-session effect can.
    let stage_term = fit.component(Component::Stage).map_or(0.0, |c| c.value);
    let start = *memory.start_stage.get_or_insert(state.stage);
    let can_advance = state.stage < Stage::Action && state.stage <= start;
    if can_advance
        && stage_term >= 0.0
        && fit.score >= d.stage_fit_min.value
        && state.alliance() >= d.stage_alliance_min.value
    {
        state.stage_progress += d.stage_rate.value * fit_n;
        if state.stage_progress >= 1.0 && state.stage != state.stage.next() {
            state.stage = state.stage.next();
            state.stage_progress = 0.0;
            changes.stage_advanced = true;
        }
    }

    clamp(state);
    changes
}

pub fn clamp(state: &mut ClientState) {
    for v in [
        &mut state.bond,
        &mut state.goals,
        &mut state.tasks,
        &mut state.distress,
        &mut state.hope,
        &mut state.stage_progress,
    ] {
        *v = v.clamp(0.0, 1.0);
    }
    state.strain = state.strain.clamp(0.0, 4.0);
}
