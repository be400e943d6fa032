//! A played session as a person reads it (text) and as tools read it (JSON). The JSON is
//! deterministic: the same scenario, seed and choices give the same bytes.

use serde::Serialize;
use std::fmt::Write;

use crate::engine::Session;
use crate::model::TurnFlag;
use crate::scenario::{Choice, Directiveness, FocusShift, Framing, Pacing};
use crate::scoring::{Fit, SessionSummary, TurnOutcome, Words};

#[derive(Serialize)]
pub struct TranscriptJson<'a> {
    pub scenario: &'a str,
    pub title: &'a str,
    pub client: &'a str,
    pub seed: u64,
    pub opening_line: &'a str,
    pub opening_cue: Option<&'a str>,
    pub turns: Vec<TurnJson<'a>>,
    pub summary: SessionSummary,
}

#[derive(Serialize)]
pub struct TurnJson<'a> {
    pub turn: u32,
    pub technique: &'a str,
    pub technique_name: &'a str,
    pub choice: &'a Choice,
    pub client_line: &'a str,
    /// The scenario response (or event) the line came from, for authors checking coverage.
    pub response_id: &'a str,
    pub cues: &'a [String],
    pub marker: Option<crate::model::Rupture>,
    /// The moment the client's words opened.
    pub opened: Option<crate::model::MomentKind>,
    /// The turn's fit, 0..100.
    pub fit: f32,
    pub explanation: &'a str,
    pub fit_detail: &'a Fit,
    pub flags: &'a [TurnFlag],
    pub before: crate::model::StateSnapshot,
    pub after: crate::model::StateSnapshot,
    /// The trainee's own words and how they were coded, when they typed any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words: Option<&'a Words>,
}

pub fn to_json(session: &Session) -> String {
    let scenario = &session.prepared().scenario;
    let view = TranscriptJson {
        scenario: &scenario.meta.id,
        title: &scenario.meta.title,
        client: &scenario.client.name,
        seed: session.seed(),
        opening_line: session.opening_line(),
        opening_cue: session.opening_cue(),
        turns: session.turns().iter().map(turn_json).collect(),
        summary: session.summary(),
    };
    serde_json::to_string_pretty(&view).expect("transcripts hold only plain data")
}

fn turn_json(t: &TurnOutcome) -> TurnJson<'_> {
    TurnJson {
        turn: t.turn,
        technique: &t.choice.technique,
        technique_name: &t.technique_name,
        choice: &t.choice,
        client_line: &t.client_line,
        response_id: &t.response_id,
        cues: &t.cues,
        marker: t.marker,
        opened: t.opened,
        fit: t.fit.score,
        explanation: &t.fit.explanation,
        fit_detail: &t.fit,
        flags: &t.flags,
        before: t.before,
        after: t.after,
        words: t.words.as_ref(),
    }
}

/// How the coder read a turn's words, in a line: "reads as a question (82%); nearest
/// technique Open question; As is; As is".
pub fn words_coding_text(words: &Words, technique_name: &str) -> String {
    format!(
        "reads as {}; nearest technique {}; {}; {}",
        crate::coding::reading(words.miti, words.confidence),
        technique_name,
        words.directiveness.label(),
        words.framing.label()
    )
}

/// The adaptations of a choice in words, e.g. "asking permission, slower".
pub fn describe_adaptation(c: &Choice) -> String {
    let mut parts: Vec<&str> = Vec::new();
    match c.directiveness {
        Directiveness::AskPermission => parts.push("asking permission"),
        Directiveness::OfferAsOption => parts.push("offered as an option"),
        Directiveness::Prescribe => parts.push("prescribed"),
        Directiveness::AsIs => {}
    }
    match c.focus {
        FocusShift::TowardInsight => parts.push("toward insight"),
        FocusShift::TowardSymptom => parts.push("toward symptoms"),
        FocusShift::AsIs => {}
    }
    match c.pacing {
        Pacing::Slower => parts.push("slower"),
        Pacing::Faster => parts.push("faster"),
        Pacing::AsIs => {}
    }
    match c.framing {
        Framing::Collaborative => parts.push("collaborative"),
        Framing::ExpertLed => parts.push("expert-led"),
        Framing::AsIs => {}
    }
    if c.culturally_adapted {
        parts.push("culturally adapted");
    }
    if c.spiritually_adapted {
        parts.push("spiritually adapted");
    }
    parts.join(", ")
}

fn flag_text(f: &TurnFlag) -> Option<String> {
    Some(match f {
        TurnFlag::Contraindicated { reason } => format!("contraindicated: {reason}"),
        TurnFlag::PrerequisiteUnmet { label } => format!("prerequisite not met: {label}"),
        TurnFlag::RuptureOpened { rupture } => format!("rupture opened ({rupture:?})"),
        TurnFlag::RuptureRepaired => "rupture repaired".into(),
        TurnFlag::RiskCue { level } => format!("risk cue: risk now {}", level.label()),
        TurnFlag::RiskAssessed => "risk assessed".into(),
        TurnFlag::SafetyGateFailed { detail, .. } => format!("SAFETY GATE FAILED: {detail}"),
        TurnFlag::StageAdvanced { stage } => format!("stage of change now {}", stage.label()),
        TurnFlag::Established { flag } => format!("established: {}", flag.replace('_', " ")),
        TurnFlag::KeyMoment { id } => format!("key moment: {id}"),
        TurnFlag::Event { .. } => return None,
    })
}

/// The transcript as text for a terminal.
pub fn to_text(session: &Session) -> String {
    let scenario = &session.prepared().scenario;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}, {}) - {}   seed {}",
        scenario.client.name,
        scenario.client.age,
        scenario.client.pronouns,
        scenario.meta.title,
        session.seed()
    );
    let _ = writeln!(out, "\nClient: \"{}\"", session.opening_line());
    if let Some(cue) = session.opening_cue() {
        let _ = writeln!(out, "        [{cue}]");
    }
    if let Some(kind) = session.opening_moment() {
        let _ = writeln!(out, "  Moment: {}", session.moment_words(kind));
    }
    for t in session.turns() {
        let adaptation = describe_adaptation(&t.choice);
        let adaptation = if adaptation.is_empty() {
            String::new()
        } else {
            format!(" ({adaptation})")
        };
        let _ = writeln!(out, "\nTurn {}: {}{}", t.turn, t.technique_name, adaptation);
        if let Some(w) = &t.words {
            let prepared = session.prepared();
            let name = prepared
                .technique_index(&w.technique)
                .map_or(w.technique.as_str(), |i| &prepared.technique_names[i]);
            let _ = writeln!(out, "  You said: \"{}\"", w.text);
            let _ = writeln!(out, "  Coded: {}", words_coding_text(w, name));
            if let Some(m) = &w.mismatch {
                let _ = writeln!(out, "  ! words: {m}");
            }
        }
        let _ = writeln!(out, "  Client: \"{}\"", t.client_line);
        for cue in &t.cues {
            let _ = writeln!(out, "          [{cue}]");
        }
        if let Some(marker) = t.marker {
            let _ = writeln!(out, "  Rupture marker: {marker:?}");
        }
        if let Some(kind) = t.opened {
            let _ = writeln!(out, "  Moment: {}", session.moment_words(kind));
        }
        let _ = writeln!(out, "  Fit {:.0}/100: {}", t.fit.score, t.fit.explanation);
        for f in t.flags.iter().filter_map(flag_text) {
            let _ = writeln!(out, "  ! {f}");
        }
        let _ = writeln!(
            out,
            "  alliance {:.2} -> {:.2}   distress {:.2} -> {:.2}   hope {:.2} -> {:.2}   stage {}",
            t.before.alliance,
            t.after.alliance,
            t.before.distress,
            t.after.distress,
            t.before.hope,
            t.after.hope,
            t.after.stage.label()
        );
    }
    let s = session.summary();
    let _ = writeln!(out, "\nSummary");
    let verdict = if s.passed { "PASSED" } else { "NOT PASSED" };
    let _ = writeln!(
        out,
        "  Overall {:.1}/100 - {verdict} (pass mark {:.0}); {} of {} turns; ending: {}",
        s.overall,
        s.pass_mark,
        s.turns_played,
        s.turn_limit,
        crate::scoring::ending_words(s.end, s.turns_played, s.turn_limit)
    );
    if !s.not_passed_because.is_empty() {
        let _ = writeln!(out, "  Why not passed: {}", s.not_passed_because.join("; "));
    }
    for f in &s.flags {
        let _ = writeln!(out, "  ! {f}");
    }
    let f = &s.fis;
    let _ = writeln!(
        out,
        "  FIS (1-5): fluency {} | emotional expression {} | warmth {} | empathy {} | persuasiveness {} | hope {} | alliance bond {} | repair {}",
        f.verbal_fluency,
        f.emotional_expression,
        f.warmth_acceptance_understanding,
        f.empathy,
        f.persuasiveness,
        f.hope_positive_expectations,
        f.alliance_bond_capacity,
        f.rupture_repair_responsiveness
    );
    let m = &s.miti;
    let ratio = m.reflection_to_question.map_or("-".into(), |r| {
        format!("{r:.1} ({})", m.reflection_band().map_or("", |b| b.label()))
    });
    let pct = m.percent_complex_reflections.map_or("-".into(), |p| {
        format!("{p:.0}% ({})", m.complex_band().map_or("", |b| b.label()))
    });
    let _ = writeln!(
        out,
        "  MITI counts{}: questions {} | reflections {} simple, {} complex | affirm {} | seek collaboration {} | autonomy {} | inform {} | persuade without permission {} | persuade with permission {} | confront {} | R:Q {ratio} | complex {pct}",
        if m.from_words > 0 {
            format!(
                " ({} of {} turns from your words)",
                m.from_words, s.turns_played
            )
        } else {
            String::new()
        },
        m.questions,
        m.simple_reflections,
        m.complex_reflections,
        m.affirmations,
        m.seeking_collaboration,
        m.emphasizing_autonomy,
        m.giving_information,
        m.persuade,
        m.persuade_with_permission,
        m.confront
    );
    let i = &s.integration;
    let _ = writeln!(
        out,
        "  Integration (1-5): reactance {} | coping style {} | stage {} | preferences and culture {} | rupture responsiveness {} | safety {}",
        i.reactance_matching,
        i.coping_style_matching,
        i.stage_matching,
        i.preferences_and_culture
            .map_or("n/a".into(), |v| v.to_string()),
        i.rupture_responsiveness,
        i.safety
    );
    out
}
