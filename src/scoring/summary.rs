//! The session's rubrics (clinical-model.md section 8): overall score and pass, the eight
//! Facilitative Interpersonal Skills items, MITI 4.2.1 behaviour counts, and Attune's
//! integration rubric.

use serde::Serialize;

use super::Component;
use crate::catalogue::MitiCode;
use crate::client::{RiskLevel, StateSnapshot};
use crate::engine::{SafetyFailure, SafetyGate, SessionEnd, TurnFlag, TurnOutcome};

pub struct SummaryInput<'a> {
    pub turns: &'a [TurnOutcome],
    pub initial: StateSnapshot,
    pub ended: Option<SessionEnd>,
    pub safety_failures: &'a [SafetyFailure],
    pub pass_mark: f32,
    pub turn_limit: u32,
    /// The scenario's pass requirements not reached, as their `why` texts.
    pub unmet_requirements: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SessionSummary {
    pub turns_played: u32,
    pub turn_limit: u32,
    /// Mean turn fit, 0..100.
    pub overall: f32,
    pub pass_mark: f32,
    pub passed: bool,
    /// None while the session is still open.
    pub end: Option<SessionEnd>,
    /// Plain-language reasons that bear on the result, worst first.
    pub flags: Vec<String>,
    pub safety_failures: Vec<SafetyFailure>,
    pub ruptures_opened: u32,
    pub ruptures_repaired: u32,
    pub fis: FisItems,
    pub miti: MitiCounts,
    pub integration: IntegrationRubric,
    /// The meters at the start and after every turn, for plots.
    pub trajectory: Vec<StateSnapshot>,
}

/// Facilitative Interpersonal Skills (Anderson et al. 2009), each 1..5.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FisItems {
    pub verbal_fluency: u8,
    pub emotional_expression: u8,
    pub warmth_acceptance_understanding: u8,
    pub empathy: u8,
    pub persuasiveness: u8,
    pub hope_positive_expectations: u8,
    pub alliance_bond_capacity: u8,
    pub rupture_repair_responsiveness: u8,
}

/// MITI 4.2.1 behaviour counts and summary ratios.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MitiCounts {
    pub questions: u32,
    pub simple_reflections: u32,
    pub complex_reflections: u32,
    pub affirmations: u32,
    pub seeking_collaboration: u32,
    pub emphasizing_autonomy: u32,
    pub giving_information: u32,
    pub persuade: u32,
    pub persuade_with_permission: u32,
    pub confront: u32,
    pub other: u32,
    /// Reflections per question; MITI fair 1:1, good 2:1.
    pub reflection_to_question: Option<f32>,
    /// Share of reflections that are complex; MITI fair 40%, good 50%.
    pub percent_complex_reflections: Option<f32>,
}

/// Attune's integration rubric, each 1..5: how well the choices matched this client.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IntegrationRubric {
    pub reactance_matching: u8,
    pub coping_style_matching: u8,
    pub stage_matching: u8,
    /// None when the client states no preferences and culture and faith are not salient.
    pub preferences_and_culture: Option<u8>,
    pub rupture_responsiveness: u8,
    pub safety: u8,
}

/// -1..1 onto 1..5.
fn item(v: f32) -> u8 {
    (3.0 + 2.0 * v).round().clamp(1.0, 5.0) as u8
}

fn mean_component(turns: &[TurnOutcome], c: Component) -> Option<f32> {
    let values: Vec<f32> = turns
        .iter()
        .filter_map(|t| t.fit.component(c))
        .map(|s| s.value)
        .collect();
    (!values.is_empty()).then(|| values.iter().sum::<f32>() / values.len() as f32)
}

pub fn summarize(input: &SummaryInput) -> SessionSummary {
    let turns = input.turns;
    let n = turns.len() as u32;
    let overall = if n == 0 {
        0.0
    } else {
        turns.iter().map(|t| t.fit.score).sum::<f32>() / n as f32
    };
    let last = turns.last().map_or(input.initial, |t| t.after);
    let mut safety_failures = input.safety_failures.to_vec();
    if input.ended != Some(SessionEnd::Crisis)
        && last.risk >= RiskLevel::Moderate
        && !last.risk_assessed
        && !safety_failures
            .iter()
            .any(|f| f.gate == SafetyGate::RiskNotAssessed)
    {
        safety_failures.push(SafetyFailure {
            gate: SafetyGate::RiskNotAssessed,
            turn: n,
            detail: "the session ended with a risk cue not assessed".into(),
        });
    }
    let opened = turns
        .iter()
        .filter(|t| t.has_flag(|f| matches!(f, TurnFlag::RuptureOpened { .. })))
        .count() as u32;
    let repaired = turns
        .iter()
        .filter(|t| t.has_flag(|f| matches!(f, TurnFlag::RuptureRepaired)))
        .count() as u32;
    let contraindicated = turns
        .iter()
        .filter(|t| !t.fit.contraindications.is_empty())
        .count() as u32;
    let unprepared = turns
        .iter()
        .filter(|t| !t.fit.unmet_prerequisites.is_empty())
        .count() as u32;

    let mut flags = Vec::new();
    for f in &safety_failures {
        flags.push(format!(
            "Safety gate failed at turn {}: {}",
            f.turn, f.detail
        ));
    }
    match input.ended {
        Some(SessionEnd::Dropout) => flags.push("The client dropped out of the session".into()),
        Some(SessionEnd::Crisis) => flags.push("The session ended in an unmanaged crisis".into()),
        None => flags.push(format!(
            "Session still open after {n} of {} turns",
            input.turn_limit
        )),
        Some(SessionEnd::TurnLimit) => {}
    }
    if contraindicated > 0 {
        flags.push(format!("{contraindicated} contraindicated move(s)"));
    }
    if unprepared > 0 {
        flags.push(format!(
            "{unprepared} move(s) made before their prerequisites"
        ));
    }
    if opened > repaired {
        flags.push(format!("{} rupture(s) left unrepaired", opened - repaired));
    }
    for why in &input.unmet_requirements {
        flags.push(format!("Not reached, so not passed: {why}"));
    }
    let passed = input.unmet_requirements.is_empty()
        && n > 0
        && overall >= input.pass_mark
        && safety_failures.is_empty()
        // A session ended early by the trainee is not a pass: the whole session is assessed.
        && input.ended == Some(SessionEnd::TurnLimit);

    let repair_item = if opened == 0 {
        4
    } else {
        (1.0 + 4.0 * repaired as f32 / opened as f32).round() as u8
    };
    let clean = turns
        .iter()
        .filter(|t| {
            t.fit.cap.is_none() && t.fit.unmet_prerequisites.is_empty() && t.fit.score >= 50.0
        })
        .count();
    let fluency = if n == 0 {
        1
    } else {
        (1.0 + 4.0 * clean as f32 / n as f32).round() as u8
    };
    let avg = |c| mean_component(turns, c).unwrap_or(0.0);
    let fis = FisItems {
        verbal_fluency: fluency,
        emotional_expression: item(avg(Component::Arousal)),
        warmth_acceptance_understanding: item(avg(Component::Warmth)),
        empathy: item(avg(Component::Empathy)),
        persuasiveness: item(avg(Component::Credibility)),
        hope_positive_expectations: item((last.hope - input.initial.hope) / 0.2),
        alliance_bond_capacity: item((last.alliance - input.initial.alliance) / 0.2),
        rupture_repair_responsiveness: repair_item,
    };
    let integration = IntegrationRubric {
        reactance_matching: item(avg(Component::Directiveness)),
        coping_style_matching: item(avg(Component::Focus)),
        stage_matching: item(avg(Component::Stage)),
        preferences_and_culture: mean_component(turns, Component::Preference).map(item),
        rupture_responsiveness: repair_item,
        safety: if safety_failures.is_empty() { 5 } else { 1 },
    };
    let mut trajectory = Vec::with_capacity(turns.len() + 1);
    trajectory.push(input.initial);
    trajectory.extend(turns.iter().map(|t| t.after));
    SessionSummary {
        turns_played: n,
        turn_limit: input.turn_limit,
        overall,
        pass_mark: input.pass_mark,
        passed,
        end: input.ended,
        flags,
        safety_failures,
        ruptures_opened: opened,
        ruptures_repaired: repaired,
        fis,
        miti: miti_counts(turns),
        integration,
        trajectory,
    }
}

fn miti_counts(turns: &[TurnOutcome]) -> MitiCounts {
    let mut m = MitiCounts::default();
    for t in turns {
        let slot = match t.miti {
            MitiCode::Question => &mut m.questions,
            MitiCode::SimpleReflection => &mut m.simple_reflections,
            MitiCode::ComplexReflection => &mut m.complex_reflections,
            MitiCode::Affirmation => &mut m.affirmations,
            MitiCode::SeekingCollaboration => &mut m.seeking_collaboration,
            MitiCode::EmphasizingAutonomy => &mut m.emphasizing_autonomy,
            MitiCode::GivingInformation => &mut m.giving_information,
            MitiCode::Persuade => &mut m.persuade,
            MitiCode::PersuadeWithPermission => &mut m.persuade_with_permission,
            MitiCode::Confront => &mut m.confront,
            MitiCode::Other => &mut m.other,
        };
        *slot += 1;
        // Asking permission before any move is itself seeking collaboration (MITI 4.2.1).
        if t.move_profile.asked_permission
            && t.miti != MitiCode::SeekingCollaboration
            && t.miti != MitiCode::PersuadeWithPermission
        {
            m.seeking_collaboration += 1;
        }
    }
    let reflections = m.simple_reflections + m.complex_reflections;
    m.reflection_to_question = (m.questions > 0).then(|| reflections as f32 / m.questions as f32);
    m.percent_complex_reflections =
        (reflections > 0).then(|| 100.0 * m.complex_reflections as f32 / reflections as f32);
    m
}
