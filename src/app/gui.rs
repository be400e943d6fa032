//! The window and the egui screens: one system per frame builds each screen's view from
//! the resources, draws it, and turns what the trainee did into `AppCommand` messages.

use bevy::prelude::*;
use bevy::winit::WinitSettings;
use bevy_egui::{EguiContexts, EguiPlugin, EguiPrimaryContextPass};

use super::settings::Settings;
use super::{AppCommand, LibraryLocation, PackDesk, Practice, Records, ScenarioLibrary, Screen};
use crate::ui::{self, UiAction};

pub const WINDOW_TITLE: &str = "Attune: psychotherapy practice";

/// Window, rendering and assets. Reactive rendering (no frames while idle) unless a script
/// drives the window, which needs a steady frame clock.
pub fn add_window_plugins(app: &mut App, location: &LibraryLocation, scripted: bool) {
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: WINDOW_TITLE.into(),
                    name: Some("attune".into()),
                    resolution: (1280, 800).into(),
                    ..default()
                }),
                ..default()
            })
            .set(location.asset_plugin(!scripted))
            .add_before::<bevy::asset::AssetPlugin>(location.reader_plugin()),
    );
    app.insert_resource(if scripted {
        WinitSettings::game()
    } else {
        WinitSettings::desktop_app()
    });
}

/// The practising learner's best finished score per scenario id, from the records, read
/// again each time the library is shown and when the learner changes.
#[derive(Resource, Default)]
pub struct BestScores(pub std::collections::HashMap<String, f32>);

/// Pack files beside the library, listed again each time the library is shown.
#[derive(Resource, Default)]
pub struct PackFiles(pub Vec<String>);

/// Per-screen state that only the screens use (search text, the technique being prepared).
#[derive(Resource, Default)]
pub struct ScreenStates {
    pub library: ui::library::LibraryUi,
    pub briefing: ui::briefing::BriefingUi,
    pub session: ui::session::SessionUi,
    pub debrief: ui::debrief::DebriefUi,
    pub pack: ui::pack::PackUi,
    /// The seed a practice session starts with, new for each briefing.
    pub practice_seed: u64,
}

pub struct GuiPlugin;

impl Plugin for GuiPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins(EguiPlugin::default())
            .insert_resource(Settings::load())
            .init_resource::<BestScores>()
            .init_resource::<PackFiles>()
            .init_resource::<ScreenStates>()
            .add_systems(Startup, spawn_camera)
            .add_systems(EguiPrimaryContextPass, draw_screens)
            .add_systems(OnEnter(Screen::Library), refresh_library_desk)
            .add_systems(
                Update,
                (
                    apply_settings,
                    follow_learner.after(apply_settings),
                    set_window_icon,
                    reset_screen_states,
                ),
            );
        super::idle::plugin(app);
        super::probe::plugin(app);
    }
}

fn spawn_camera(mut commands: Commands) {
    commands.spawn(Camera2d);
}

/// What the library screen shows besides its clients, read when it is entered.
fn refresh_library_desk(
    mut records: ResMut<Records>,
    location: Res<LibraryLocation>,
    mut best: ResMut<BestScores>,
    mut packs: ResMut<PackFiles>,
) {
    best.0 = best_scores(&mut records);
    packs.0 = location
        .pack_files()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
}

/// Unfinished work as the library offers it again.
fn interrupted(records: &Records, library: &ScenarioLibrary) -> Vec<ui::library::Interrupted> {
    let name_of = |id: &str| {
        library
            .by_id(id)
            .and_then(|e| e.scenario.as_ref())
            .map_or(id.to_string(), |p| p.scenario.client.name.clone())
    };
    let mut out = Vec::new();
    for s in &records.open_sittings {
        let in_progress = records
            .in_sittings
            .iter()
            .find(|(sitting, _)| *sitting == s.id)
            .map_or(String::new(), |(_, u)| {
                format!(
                    " · session with {} under way, {} saved",
                    name_of(&u.scenario_id),
                    crate::words::count(u.choices.len(), "turn")
                )
            });
        out.push(ui::library::Interrupted {
            resume: UiAction::ResumeSitting(s.id.clone()),
            discard: None,
            what: format!("assessment \"{}\"", s.pack.title),
            detail: format!(
                "{} · {} of {} clients done{in_progress} · begun {}",
                s.learner,
                s.done.len(),
                s.pack.scenarios.len(),
                ui::when::readable(s.started_unix)
            ),
        });
    }
    for u in &records.unfinished {
        let practice = u.mode == crate::engine::Mode::Practice;
        out.push(ui::library::Interrupted {
            resume: UiAction::ResumeAttempt(u.id.clone()),
            discard: practice.then(|| UiAction::DiscardAttempt(u.id.clone())),
            what: format!("session with {}", name_of(&u.scenario_id)),
            detail: format!(
                "{} · {} saved · begun {}",
                if practice { "practice" } else { "assessment" },
                crate::words::count(u.choices.len(), "turn"),
                ui::when::readable_rfc3339(&u.started_at)
            ),
        });
    }
    out
}

/// The pack's screen as plain data.
fn pack_view<'a>(
    packs: &'a PackDesk,
    library: &ScenarioLibrary,
    records: &Records,
) -> Option<ui::pack::PackView<'a>> {
    let (pack, _) = packs.opened.as_ref()?;
    let now = crate::assessment::now_unix();
    let clients = pack
        .scenarios
        .iter()
        .map(|item| {
            let scenario = library
                .by_id(&item.scenario)
                .and_then(|e| e.scenario.as_ref())
                .map(|p| &p.scenario);
            let done = packs
                .sitting
                .as_ref()
                .and_then(|s| s.done.iter().find(|d| d.scenario == item.scenario));
            ui::pack::PackClient {
                name: scenario.map_or(item.scenario.clone(), |s| s.client.name.clone()),
                title: scenario.map_or(String::new(), |s| s.meta.title.clone()),
                result: done.map(|d| (d.overall, d.passed)),
                attempt: done.map(|d| d.attempt_id.clone()),
            }
        })
        .collect();
    Some(ui::pack::PackView {
        title: &pack.title,
        class_id: &pack.class_id,
        instructions: &pack.instructions,
        pass_mark: pack.pass_mark,
        time_limit_minutes: pack.time_limit_minutes,
        clients,
        sitting: packs.sitting.as_ref().map(|s| ui::pack::SittingView {
            learner: s.learner.clone(),
            next: s.next(now).map(|(position, _)| position),
            seconds_left: s.seconds_left(now),
            time_up: s.time_is_up(now),
        }),
        saved_to: records.path.as_ref().map(|p| p.display().to_string()),
        problems: &packs.problems,
    })
}

#[allow(clippy::too_many_arguments)]
fn draw_screens(
    mut contexts: EguiContexts,
    screen: Res<State<Screen>>,
    library: Res<ScenarioLibrary>,
    practice: Res<Practice>,
    settings: Res<Settings>,
    best: Res<BestScores>,
    packs: Res<PackDesk>,
    pack_files: Res<PackFiles>,
    records: Res<Records>,
    mut states: ResMut<ScreenStates>,
    mut themed: Local<Option<f32>>,
    mut out: MessageWriter<AppCommand>,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    if *themed != Some(settings.text_scale) {
        ui::theme::apply(&ctx);
        ctx.set_zoom_factor(settings.text_scale);
        *themed = Some(settings.text_scale);
    }
    let mut root = egui::Ui::new(
        ctx.clone(),
        egui::Id::new("attune_root"),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    );
    let states = &mut *states;
    let selected = practice
        .selected
        .as_deref()
        .and_then(|p| library.get(p))
        .and_then(|e| e.scenario.as_ref());
    let pack_title = packs.sitting.as_ref().map(|s| s.pack.title.as_str());
    // In a timed sitting the session shows the time left.
    states.session.banner = packs.sitting.as_ref().and_then(|s| {
        let position = packs.current?;
        let left = s
            .seconds_left(crate::assessment::now_unix())
            .map_or(String::new(), |l| {
                ctx.request_repaint_after(std::time::Duration::from_secs(1));
                format!(" · {} left", ui::pack::clock(l))
            });
        Some(format!(
            "Client {position} of {}{left}",
            s.pack.scenarios.len()
        ))
    });
    let actions: Vec<UiAction> = match (screen.get(), practice.run.as_ref(), selected) {
        (Screen::Briefing, _, Some(prepared)) => ui::briefing::show(
            &mut root,
            &prepared.scenario,
            &mut states.briefing,
            states.practice_seed,
            pack_title,
        ),
        (Screen::Pack, _, _) if packs.opened.is_some() => {
            let view = pack_view(&packs, &library, &records).expect("a pack is open");
            states.pack.learner_problem = packs.learner_problem.clone();
            ui::pack::show(&mut root, &view, &mut states.pack)
        }
        (Screen::Session, Some(run), _) => ui::session::show(
            &mut root,
            &run.run,
            &run.run.session().prepared().techniques,
            &mut states.session,
        ),
        (Screen::Debrief, Some(run), _) => {
            states.debrief.in_pack = packs.sitting.is_some();
            ui::debrief::show(&mut root, &run.run, &mut states.debrief)
        }
        _ => {
            let cards: Vec<ui::library::LibraryCard> = library
                .entries
                .iter()
                .map(|e| ui::library::LibraryCard {
                    path: &e.path,
                    scenario: e.scenario.as_ref().map(|p| &p.scenario),
                    diagnostics: &e.diagnostics,
                    best_score: e
                        .scenario
                        .as_ref()
                        .and_then(|p| best.0.get(&p.scenario.meta.id).copied()),
                })
                .collect();
            let mut problems: Vec<String> = records.problem.iter().cloned().collect();
            problems.extend(packs.problems.iter().cloned());
            let desk = ui::library::LibraryDesk {
                interrupted: interrupted(&records, &library),
                packs: pack_files.0.clone(),
                problems,
                learner: settings.learner.clone(),
            };
            ui::library::show(
                &mut root,
                &cards,
                &desk,
                &mut states.library,
                settings.text_scale,
            )
        }
    };
    for action in actions {
        out.write(AppCommand(action));
    }
    Ok(())
}

/// Text size and learner changes apply at once and are remembered for the next run.
fn apply_settings(mut commands: MessageReader<AppCommand>, mut settings: ResMut<Settings>) {
    for AppCommand(action) in commands.read() {
        match action {
            UiAction::SetTextScale(scale) => settings.text_scale = scale.clamp(0.8, 2.0),
            // The library checks the name before it asks; an invalid one names no one.
            UiAction::SetLearner(typed) => {
                settings.learner = crate::assessment::valid_learner(typed).ok()
            }
            _ => continue,
        }
        if let Err(e) = settings.save() {
            warn!("could not save the settings: {e}");
        }
    }
}

/// Practice is recorded under the learner the settings name, and "Your best" is theirs.
fn follow_learner(
    settings: Res<Settings>,
    mut records: ResMut<Records>,
    mut best: ResMut<BestScores>,
) {
    if records.practice_learner != settings.learner {
        records.practice_learner = settings.learner.clone();
        best.0 = best_scores(&mut records);
    }
}

fn best_scores(records: &mut Records) -> std::collections::HashMap<String, f32> {
    records
        .best_scores()
        .into_iter()
        .map(|(k, v)| (k, v as f32))
        .collect()
}

/// Fresh screen state on entering a screen: a new seed for each briefing, no technique
/// left selected from the last session.
fn reset_screen_states(screen: Res<State<Screen>>, mut states: ResMut<ScreenStates>) {
    if !screen.is_changed() {
        return;
    }
    match screen.get() {
        Screen::Briefing => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64);
            states.practice_seed = nanos % 1_000_000 + 1;
        }
        Screen::Session => states.session = Default::default(),
        Screen::Debrief => states.debrief = Default::default(),
        Screen::Library => states.pack = Default::default(),
        Screen::Pack => {}
    }
}

/// The window icon, drawn in code: a speech bubble in the accent colour.
fn icon_rgba(size: u32) -> Vec<u8> {
    let mut rgba = Vec::with_capacity((size * size * 4) as usize);
    let c = size as f32 / 2.0;
    for y in 0..size {
        for x in 0..size {
            let (dx, dy) = (x as f32 - c, y as f32 - c * 0.85);
            let bubble = (dx * dx) / (c * c * 0.8) + (dy * dy) / (c * c * 0.5) <= 1.0;
            let tail = y as f32 > c * 1.2
                && (x as f32) > c * 0.45
                && (x as f32) < c * 0.45 + (size as f32 - y as f32) * 0.6;
            if bubble || tail {
                rgba.extend_from_slice(&[0, 114, 178, 255]);
            } else {
                rgba.extend_from_slice(&[0, 0, 0, 0]);
            }
        }
    }
    rgba
}

fn set_window_icon(
    windows: Query<Entity, With<bevy::window::PrimaryWindow>>,
    mut done: Local<bool>,
    _main_thread: bevy::ecs::system::NonSendMarker,
) {
    if *done {
        return;
    }
    let Ok(entity) = windows.single() else { return };
    bevy::winit::WINIT_WINDOWS.with_borrow(|winit_windows| {
        if let Some(window) = winit_windows.get_window(entity) {
            if let Ok(icon) = winit::window::Icon::from_rgba(icon_rgba(64), 64, 64) {
                window.set_window_icon(Some(icon));
            }
            *done = true;
        }
    });
}
