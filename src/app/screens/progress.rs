//! The progress screen: the practising learner's progress read from the records when the
//! screen is entered (their sessions replayed for skill evidence on the scenarios in the
//! library), turned here into the view model `ui::progress` draws.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::{DrawScreen, root_ui, send, showing};
use crate::app::{AppCommand, Records, ScenarioLibrary, Screen};
use crate::records::progress::{NextStep, Progress, Standing, next_step};
use crate::ui::progress::{ClientSeries, NextView, ProgressView, SkillLevel, SkillRow};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<ProgressScreen>()
        .add_systems(OnEnter(Screen::Progress), read_progress);
}

pub(super) fn draw_plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        draw.in_set(DrawScreen).run_if(showing(Screen::Progress)),
    );
}

/// The progress screen's state: what it shows, read when it is entered.
#[derive(Resource, Default)]
pub struct ProgressScreen {
    pub view: ProgressView,
}

fn read_progress(
    mut records: ResMut<Records>,
    library: Res<ScenarioLibrary>,
    mut screen: ResMut<ProgressScreen>,
) {
    let progress = records.progress(|hash| library.by_hash(hash).and_then(|e| e.scenario.clone()));
    screen.view = match progress {
        Some(p) => progress_view(&p, &library),
        None => ProgressView {
            learner: records.practice_learner.clone(),
            notes: vec![
                records
                    .problem
                    .clone()
                    .unwrap_or_else(|| "There are no records to read progress from.".into()),
            ],
            ..Default::default()
        },
    };
}

/// The view of a learner's progress; the next step is chosen among the library's clients.
pub fn progress_view(progress: &Progress, library: &ScenarioLibrary) -> ProgressView {
    let first = progress.attempts.iter().map(|a| a.finished_unix).min();
    let day = |unix: u64| (unix.saturating_sub(first.unwrap_or(unix))) as f64 / 86_400.0;
    let mut clients: Vec<ClientSeries> = Vec::new();
    for a in progress.attempts.iter().filter(|a| a.played_out) {
        let name = library
            .by_id(&a.scenario_id)
            .and_then(|e| e.scenario.as_ref())
            .map_or(a.scenario_title.clone(), |p| p.scenario.client.name.clone());
        let point = [day(a.finished_unix), f64::from(a.overall)];
        match clients.iter_mut().find(|c| c.client == name) {
            Some(c) => c.points.push(point),
            None => clients.push(ClientSeries {
                client: name,
                points: vec![point],
            }),
        }
    }
    let rubric = |f: fn(&crate::records::progress::FinishedAttempt) -> Option<f32>| {
        progress
            .attempts
            .iter()
            .filter_map(|a| Some([day(a.finished_unix), f64::from(f(a)?)]))
            .collect()
    };
    let scenarios: Vec<&crate::scenario::Scenario> = library
        .entries
        .iter()
        .filter_map(|e| e.scenario.as_ref().map(|p| &p.scenario))
        .collect();
    let mut notes = Vec::new();
    if progress.not_replayed > 0 {
        notes.push(format!(
            "{} played on a scenario file no longer in the library (or changed since): their scores show, but not their skills.",
            crate::words::count(progress.not_replayed, "session")
        ));
    }
    ProgressView {
        learner: progress.learner.clone(),
        sessions: progress.attempts.len(),
        scored: progress.attempts.iter().filter(|a| a.played_out).count(),
        drills: progress.drills,
        since: first.map(crate::ui::when::readable),
        clients,
        fis: rubric(|a| a.fis_mean),
        integration: rubric(|a| a.integration_mean),
        skills: progress
            .skills
            .iter()
            .map(|s| SkillRow {
                label: s.skill.label().to_string(),
                percent: s.mean.map(|m| m * 100.0),
                evidence: evidence_words(s.from_turns, s.from_drills),
                standing: s.standing.words().to_string(),
                level: match s.standing {
                    Standing::Strong => SkillLevel::Strong,
                    Standing::Developing => SkillLevel::Developing,
                    Standing::Weak => SkillLevel::Weak,
                    Standing::NotSeen | Standing::TooLittle => SkillLevel::Unknown,
                },
            })
            .collect(),
        next: next_step(progress, &scenarios).map(|n| next_view(n, library)),
        notes,
    }
}

fn evidence_words(turns: usize, drills: usize) -> String {
    let moves = crate::words::count(turns, "move");
    if drills == 0 {
        moves
    } else {
        format!("{moves}, {}", crate::words::count(drills, "drill answer"))
    }
}

fn next_view(next: NextStep, library: &ScenarioLibrary) -> NextView {
    let entry = library.by_id(&next.scenario_id);
    NextView {
        client: entry
            .and_then(|e| e.scenario.as_ref())
            .map_or(next.scenario_title.clone(), |p| {
                p.scenario.client.name.clone()
            }),
        reason: next.reason,
        open: entry.map(|e| e.path.clone()),
    }
}

fn draw(
    mut contexts: EguiContexts,
    screen: Res<ProgressScreen>,
    mut out: MessageWriter<AppCommand>,
) -> Result {
    let mut root = root_ui(&mut contexts)?;
    let actions = crate::ui::progress::show(&mut root, &screen.view);
    send(&mut out, actions);
    Ok(())
}
