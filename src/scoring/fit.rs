//! The fit of one move to this client now: a weighted sum of match terms, each -1..1,
//! shown as 0..100 (clinical-model.md section 7), then prerequisite penalties and
//! contraindication caps.

use serde::Serialize;

use super::{Component, ScoringConfig};
use crate::catalogue::{Contraindication, Prerequisite, Technique};
use crate::client::{ClientProfile, ClientState, RiskLevel, Rupture};
use crate::scenario::{Choice, Directiveness, FocusShift, Framing, Pacing};

/// A technique's attributes after the trainee's adaptations.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct MoveProfile {
    pub directiveness: f32,
    pub focus: f32,
    pub arousal: f32,
    pub collaboration: f32,
    pub empathy: f32,
    pub warmth: f32,
    pub credibility: f32,
    pub asked_permission: bool,
    pub culturally_adapted: bool,
    pub spiritually_adapted: bool,
}

impl MoveProfile {
    pub fn of(t: &Technique, choice: &Choice, cfg: &ScoringConfig) -> MoveProfile {
        let a = &cfg.adaptations;
        let dir_shift = match choice.directiveness {
            Directiveness::AskPermission => a.ask_permission.value,
            Directiveness::OfferAsOption => a.offer_as_option.value,
            Directiveness::AsIs => 0.0,
            Directiveness::Prescribe => a.prescribe.value,
        };
        let focus_shift = match choice.focus {
            FocusShift::TowardInsight => -a.focus_shift.value,
            FocusShift::AsIs => 0.0,
            FocusShift::TowardSymptom => a.focus_shift.value,
        };
        let pace_shift = match choice.pacing {
            Pacing::Slower => -a.pacing_shift.value,
            Pacing::AsIs => 0.0,
            Pacing::Faster => a.pacing_shift.value,
        };
        let framing = match choice.framing {
            Framing::Collaborative => a.collaborative_framing.value,
            Framing::AsIs => 0.0,
            Framing::ExpertLed => a.expert_framing.value,
        };
        let asked_permission = choice.directiveness == Directiveness::AskPermission;
        let permission = if asked_permission {
            a.permission_collaboration.value
        } else {
            0.0
        };
        MoveProfile {
            directiveness: (t.directiveness + dir_shift).clamp(0.0, 1.0),
            focus: (t.focus + focus_shift).clamp(0.0, 1.0),
            arousal: (t.arousal + pace_shift).clamp(-1.0, 1.0),
            collaboration: (t.relational.collaboration + framing + permission).clamp(-1.0, 1.0),
            empathy: t.relational.empathy,
            warmth: t.relational.warmth,
            // Expert-led framing lends authority: a little credibility for a little collaboration.
            credibility: (t.relational.credibility - framing * 0.5).clamp(-1.0, 1.0),
            asked_permission,
            culturally_adapted: choice.culturally_adapted,
            spiritually_adapted: choice.spiritually_adapted,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ComponentScore {
    pub component: Component,
    /// The match term, -1..1.
    pub value: f32,
    /// The weight after renormalising over the terms that applied.
    pub weight: f32,
    /// value * weight: this term's share of the raw fit.
    pub contribution: f32,
    /// +1 the move overshot what the client needed, -1 undershot, 0 neither.
    #[serde(skip)]
    pub direction: i8,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fit {
    /// The turn's fit, 0..100.
    pub score: f32,
    /// The weighted match before penalties and caps, 0..100.
    pub base: f32,
    pub components: Vec<ComponentScore>,
    pub penalty: f32,
    /// The cap applied by a contraindication, if any.
    pub cap: Option<f32>,
    pub unmet_prerequisites: Vec<String>,
    pub contraindications: Vec<String>,
    pub explanation: String,
}

impl Fit {
    pub fn component(&self, c: Component) -> Option<&ComponentScore> {
        self.components.iter().find(|s| s.component == c)
    }
}

pub struct FitInput<'a> {
    pub technique: &'a Technique,
    pub mv: &'a MoveProfile,
    pub client: &'a ClientProfile,
    pub state: &'a ClientState,
    pub weights: &'a [f32; 11],
    pub cfg: &'a ScoringConfig,
    pub unmet: &'a [&'a Prerequisite],
    pub contraindicated: &'a [&'a Contraindication],
    /// How many turns in a row, just before this one, used the same technique.
    pub repeats: u32,
    /// How many earlier turns in the session used the same technique.
    pub uses: u32,
}

/// Scores one move. Pure: the same input always gives the same fit.
pub fn score_move(input: &FitInput) -> Fit {
    let FitInput {
        technique: t,
        mv,
        client,
        state,
        weights,
        cfg,
        unmet,
        contraindicated,
        repeats,
        uses,
    } = *input;
    let slope = cfg.matching.gap_slope.value;
    let gap = |have: f32, ideal: f32| {
        (
            (1.0 - slope * (have - ideal).abs()).clamp(-1.0, 1.0),
            direction(have - ideal),
        )
    };
    // A risk cue not yet assessed comes before any other work (safety competencies): the
    // assessment is not judged on matching, and every other move is judged on ignoring it.
    let risk_open = state.risk() >= RiskLevel::Moderate && !state.risk_assessed;
    let safety_first = risk_open && t.assesses_risk;

    let mut terms: Vec<(Component, f32, i8)> = Vec::with_capacity(11);
    if !safety_first {
        // Reactance: ideal directiveness = 1 - state reactance (Beutler et al. 2018). Too
        // little direction is a lost opportunity; too much provokes reactance (Brehm), so
        // undershooting costs less than overshooting.
        // The strongest matching effect, so overshooting steepens with reactance.
        let ideal = 1.0 - state.reactance();
        let under = cfg.matching.under_direction_factor.value;
        let over = 1.0 + cfg.matching.reactance_amplifier.value * state.reactance();
        let gap_size = if mv.directiveness < ideal {
            (ideal - mv.directiveness) * under
        } else {
            (mv.directiveness - ideal) * over
        };
        let v = (1.0 - slope * gap_size).clamp(-1.0, 1.0);
        terms.push((
            Component::Directiveness,
            v,
            direction(mv.directiveness - ideal),
        ));
        // Coping style: ideal focus = externalizing (Beutler et al. 2018).
        let (v, d) = gap(mv.focus, client.traits.externalizing);
        terms.push((Component::Focus, v, d));
    }
    terms.push((Component::Collaboration, mv.collaboration, 0));
    terms.push((Component::Empathy, mv.empathy, 0));
    terms.push((Component::Warmth, mv.warmth, 0));
    if !safety_first {
        let (v, d) = stage_match(t, state, cfg);
        terms.push((Component::Stage, v, d));
        if let Some(v) = preference_match(mv, t, client, cfg) {
            terms.push((Component::Preference, v, 0));
        }
    }
    terms.push((Component::Credibility, mv.credibility, 0));
    // Arousal: raise it when distress is low, lower it first when distress is very high.
    let ideal_arousal = ((cfg.matching.optimal_distress.value - state.distress)
        * cfg.matching.arousal_gain.value)
        .clamp(-1.0, 1.0);
    let v = (1.0 - (mv.arousal - ideal_arousal).abs()).clamp(-1.0, 1.0);
    terms.push((Component::Arousal, v, direction(mv.arousal - ideal_arousal)));
    if state.rupture != Rupture::None {
        terms.push((Component::Repair, t.repair * 2.0 - 1.0, 0));
    }
    if risk_open {
        terms.push((
            Component::Safety,
            if t.assesses_risk { 1.0 } else { -1.0 },
            0,
        ));
    }

    let total: f32 = terms.iter().map(|(c, _, _)| weights[*c as usize]).sum();
    let components: Vec<ComponentScore> = terms
        .iter()
        .map(|&(component, value, direction)| {
            let weight = if total > 0.0 {
                weights[component as usize] / total
            } else {
                0.0
            };
            ComponentScore {
                component,
                value,
                weight,
                contribution: value * weight,
                direction,
            }
        })
        .collect();
    let raw: f32 = components.iter().map(|c| c.contribution).sum();
    let base = 50.0 + 50.0 * raw;
    let penalty = unmet.len() as f32 * cfg.penalties.prerequisite_penalty.value;
    let mut score = (base - penalty).clamp(0.0, 100.0);
    let contraindication_cap =
        (!contraindicated.is_empty()).then_some(cfg.penalties.contraindication_cap.value);
    // Responsiveness: the same move again and again, whatever the client says, is a routine.
    let microskill = t.tags.iter().any(|g| g == "reflection" || g == "question");
    let session_allowed = if microskill {
        cfg.penalties.microskill_session_allowed.value
    } else {
        cfg.penalties.repetition_session_allowed.value
    };
    let in_a_row = repeats as f32 >= cfg.penalties.repetition_run_allowed.value;
    let overused = uses as f32 >= session_allowed;
    let routine = in_a_row || overused;
    let repetition_cap = routine.then_some(cfg.penalties.repetition_cap.value);
    let cap = match (contraindication_cap, repetition_cap) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    if let Some(cap) = cap {
        score = score.min(cap);
    }
    let mut explanation = explain(
        t,
        client,
        state,
        cfg,
        &components,
        score,
        unmet,
        contraindicated,
    );
    if routine && contraindicated.is_empty() && base - penalty > cfg.penalties.repetition_cap.value
    {
        explanation = if in_a_row {
            format!(
                "{} {} times running: responsiveness means answering what the client just did, not repeating a move (Stiles et al. 1998)",
                t.name,
                repeats + 1
            )
        } else {
            format!(
                "{} for the {} time this session: it has done its work; responsiveness means choosing what this moment needs (Stiles et al. 1998)",
                t.name,
                ordinal(uses + 1)
            )
        };
    }
    Fit {
        score,
        base,
        components,
        penalty,
        cap,
        unmet_prerequisites: unmet.iter().map(|p| p.label.clone()).collect(),
        contraindications: contraindicated.iter().map(|c| c.reason.clone()).collect(),
        explanation,
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn direction(delta: f32) -> i8 {
    if delta > 0.1 {
        1
    } else if delta < -0.1 {
        -1
    } else {
        0
    }
}

/// +1 inside the technique's stages, 0 one stage ahead, -1 two or more ahead; lagging
/// behind the client's stage costs a little (Prochaska & DiClemente).
fn stage_match(t: &Technique, state: &ClientState, cfg: &ScoringConfig) -> (f32, i8) {
    if t.fits_stage(state.stage) {
        return (1.0, 0);
    }
    let here = state.stage.index();
    let nearest = t
        .stages
        .iter()
        .map(|s| s.index() - here)
        .min_by_key(|d| d.abs())
        .unwrap_or(0);
    match nearest {
        1 => (0.0, 1),
        d if d > 1 => (-1.0, 1),
        _ => (cfg.matching.stage_behind.value, -1),
    }
}

/// The mean of whichever preference, culture and religion terms apply to this client.
fn preference_match(
    mv: &MoveProfile,
    t: &Technique,
    client: &ClientProfile,
    cfg: &ScoringConfig,
) -> Option<f32> {
    let slope = cfg.matching.gap_slope.value;
    let threshold = cfg.matching.salience_threshold.value;
    let prefs = &client.preferences;
    let mut sum = 0.0;
    let mut n = 0.0;
    let mut add = |v: f32| {
        sum += v;
        n += 1.0;
    };
    if let Some(p) = prefs.directiveness {
        add((1.0 - slope * (mv.directiveness - p).abs()).clamp(-1.0, 1.0));
    }
    if let Some(p) = prefs.focus {
        add((1.0 - slope * (mv.focus - p).abs()).clamp(-1.0, 1.0));
    }
    if prefs.schools.iter().any(|s| t.belongs_to(*s)) {
        add(1.0);
    }
    if prefs.avoid_schools.iter().any(|s| t.belongs_to(*s)) {
        add(-1.0);
    }
    if client.culture.salience >= threshold {
        add(if mv.culturally_adapted {
            1.0
        } else {
            -client.culture.salience
        });
    }
    if client.religion.salience >= threshold {
        add(if mv.spiritually_adapted {
            1.0
        } else {
            -client.religion.salience
        });
    }
    (n > 0.0).then(|| sum / n)
}

fn level(v: f32) -> &'static str {
    if v >= 0.67 {
        "High"
    } else if v <= 0.33 {
        "Low"
    } else {
        "Moderate"
    }
}

/// The client characteristic a component speaks to, in plain words.
fn characteristic(
    c: Component,
    client: &ClientProfile,
    state: &ClientState,
    cfg: &ScoringConfig,
) -> String {
    match c {
        Component::Directiveness => format!("{} reactance", level(state.reactance())),
        Component::Focus => match client.traits.externalizing {
            e if e >= 0.6 => "Externalizing coping".into(),
            e if e <= 0.4 => "Internalizing coping".into(),
            _ => "Mixed coping style".into(),
        },
        Component::Arousal => match state.distress {
            d if d >= 0.75 => "Very high distress".into(),
            d if d >= 0.6 => "High distress".into(),
            d if d <= 0.3 => "Low distress".into(),
            _ => "Moderate distress".into(),
        },
        Component::Stage => {
            let label = state.stage.label();
            let mut chars = label.chars();
            let first = chars
                .next()
                .map(|c| c.to_ascii_uppercase())
                .unwrap_or_default();
            format!("{first}{} stage", chars.as_str())
        }
        Component::Preference => {
            let t = cfg.matching.salience_threshold.value;
            if client.religion.salience >= t && client.religion.salience >= client.culture.salience
            {
                "Faith matters to this client".into()
            } else if client.culture.salience >= t {
                "Culture shapes what help this client accepts".into()
            } else {
                "The client's stated preferences".into()
            }
        }
        Component::Credibility if client.traits.expectations < 0.4 => {
            "Low expectations of therapy".into()
        }
        Component::Credibility => "The client's expectations".into(),
        Component::Safety => format!("Risk cue ({} risk) not yet assessed", state.risk().label()),
        Component::Repair => match state.rupture {
            Rupture::Confrontation => "Open confrontation rupture".into(),
            _ => "Open withdrawal rupture".into(),
        },
        Component::Collaboration | Component::Empathy | Component::Warmth => match state.alliance()
        {
            a if a < 0.35 => "Fragile alliance".into(),
            a if a < 0.6 => "Developing alliance".into(),
            _ => "Solid alliance".into(),
        },
    }
}

#[allow(clippy::too_many_arguments)]
fn explain(
    t: &Technique,
    client: &ClientProfile,
    state: &ClientState,
    cfg: &ScoringConfig,
    components: &[ComponentScore],
    score: f32,
    unmet: &[&Prerequisite],
    contraindicated: &[&Contraindication],
) -> String {
    if let Some(c) = contraindicated.first() {
        return format!("Contraindicated: {}", c.reason);
    }
    if !unmet.is_empty() {
        let labels: Vec<&str> = unmet.iter().map(|p| p.label.as_str()).collect();
        return format!(
            "{} before its prerequisites ({}): the ground was not prepared",
            t.name,
            labels.join("; ")
        );
    }
    // Name the term that moved the score most in the direction of the result.
    let pick = if score >= 60.0 {
        components
            .iter()
            .max_by(|a, b| a.contribution.total_cmp(&b.contribution))
    } else {
        components
            .iter()
            .min_by(|a, b| a.contribution.total_cmp(&b.contribution))
    };
    let Some(c) = pick else {
        return String::new();
    };
    let phrases = cfg.phrases(c.component);
    let template = if c.value >= 0.0 {
        &phrases.good
    } else if c.direction > 0 && !phrases.too_high.is_empty() {
        &phrases.too_high
    } else {
        &phrases.too_low
    };
    template.replace("{trait}", &characteristic(c.component, client, state, cfg))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use crate::client::Stage;

    fn technique(id: &str) -> Technique {
        Catalogue::builtin().get(id).unwrap().clone()
    }

    #[test]
    fn stage_match_follows_the_transtheoretical_model() {
        let cfg = ScoringConfig::builtin();
        let t = technique("graded_exposure"); // Action and Maintenance
        let mut state: ClientState = ron::from_str(
            "(bond: 0.5, goals: 0.5, tasks: 0.5, distress: 0.5, hope: 0.5, stage: Action)",
        )
        .unwrap();
        assert_eq!(stage_match(&t, &state, &cfg).0, 1.0);
        state.stage = Stage::Preparation;
        assert_eq!(
            stage_match(&t, &state, &cfg).0,
            0.0,
            "one stage ahead is neutral"
        );
        state.stage = Stage::Precontemplation;
        assert_eq!(
            stage_match(&t, &state, &cfg).0,
            -1.0,
            "two or more ahead is against"
        );
        let early = technique("decisional_balance");
        state.stage = Stage::Maintenance;
        assert!(
            stage_match(&early, &state, &cfg).0 < 0.0 && stage_match(&early, &state, &cfg).0 > -1.0,
            "lagging costs a little"
        );
    }

    #[test]
    fn adaptations_shift_the_move_as_the_scoring_file_says() {
        let cfg = ScoringConfig::builtin();
        let t = technique("psychoeducation");
        let plain = MoveProfile::of(&t, &Choice::new("psychoeducation"), &cfg);
        let asked = MoveProfile::of(
            &t,
            &Choice {
                directiveness: Directiveness::AskPermission,
                ..Choice::new("psychoeducation")
            },
            &cfg,
        );
        let slower = MoveProfile::of(
            &t,
            &Choice {
                pacing: Pacing::Slower,
                ..Choice::new("psychoeducation")
            },
            &cfg,
        );
        assert!(
            asked.directiveness < plain.directiveness
                && asked.collaboration > plain.collaboration
                && asked.asked_permission
        );
        assert!(slower.arousal < plain.arousal);
    }
}
