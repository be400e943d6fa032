//! The session: the client on screen, the transcript, the technique palette grouped by
//! school with number-key shortcuts, adaptation controls, and in practice mode the meters,
//! per-turn feedback and a consult panel with hints from several schools.

use egui::{RichText, Ui};

use super::{UiAction, portrait, theme, widgets};
use crate::catalogue::{School, Technique};
use crate::client::{Rupture, StateSnapshot};
use crate::engine::{BranchedSession, Mode, TurnFlag, TurnOutcome};
use crate::scenario::{Choice, Directiveness, FocusShift, Framing, Pacing};
use crate::transcript::describe_adaptation;

#[derive(Clone, Debug, Default)]
pub struct SessionUi {
    pub search: String,
    pub selected: Option<String>,
    /// The adaptation being prepared; its `technique` is set when played.
    pub adaptation: Choice,
    /// A line above the session from outside it, e.g. the pack and the time left.
    pub banner: Option<String>,
    /// "End session" asks once more: an unfinished session cannot pass.
    pub confirm_end: bool,
}

/// What ending now means, asked before the session is ended early.
fn end_warning(played: usize, turn_limit: u32) -> String {
    format!(
        "End after {played} of {}? A session ended early does not pass.",
        crate::words::count(turn_limit, "turn")
    )
}

/// The techniques shown in the palette, in display order: grouped by school, filtered by
/// the search. Number keys 1 to 9 pick the first nine of these.
pub fn visible_techniques<'a>(techniques: &'a [Technique], search: &str) -> Vec<&'a Technique> {
    let needle = search.trim().to_lowercase();
    let mut out = Vec::new();
    for school in School::ALL {
        for t in techniques.iter().filter(|t| t.school == school) {
            if needle.is_empty()
                || t.name.to_lowercase().contains(&needle)
                || t.description.to_lowercase().contains(&needle)
                || t.tags.iter().any(|g| g.contains(&needle))
            {
                out.push(t);
            }
        }
    }
    out
}

pub fn show(
    ui: &mut Ui,
    run: &BranchedSession,
    techniques: &[Technique],
    state: &mut SessionUi,
) -> Vec<UiAction> {
    let mut actions = Vec::new();
    let session = run.session();
    let scenario = &session.prepared().scenario;
    let practice = run.mode == Mode::Practice;
    let now = session.state().snapshot();
    let last = session.turns().last();

    egui::Panel::top("session_top").show(ui, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.heading(&scenario.client.name);
            ui.label(format!(
                "Turn {} of {}",
                session.turns().len() + 1,
                scenario.session.turn_limit
            ));
            ui.label(
                RichText::new(if practice { "Practice" } else { "Assessment" })
                    .color(theme::ACCENT),
            );
            if let Some(banner) = &state.banner {
                ui.label(RichText::new(banner).strong());
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if state.confirm_end {
                    if ui.button("Keep going").clicked() {
                        state.confirm_end = false;
                    }
                    if ui.button("End it now").clicked() {
                        actions.push(UiAction::EndSession);
                    }
                    ui.label(
                        RichText::new(end_warning(
                            session.turns().len(),
                            scenario.session.turn_limit,
                        ))
                        .color(theme::WARN),
                    );
                } else if ui.button("End session").clicked() {
                    state.confirm_end = true;
                }
            });
        });
        if practice {
            ui.horizontal(|ui| {
                widgets::meter(ui, "Alliance", now.alliance, theme::ALLIANCE);
                widgets::meter(ui, "Distress", now.distress, theme::DISTRESS);
                widgets::meter(ui, "Hope", now.hope, theme::HOPE);
                ui.label(format!("Stage: {}", now.stage.label()));
            });
        }
        ui.add_space(4.0);
    });

    egui::Panel::left("session_client")
        .default_size(300.0)
        .show(ui, |ui| {
            ui.add_space(6.0);
            portrait::draw(ui, &scenario.client, &now, egui::vec2(260.0, 280.0));
            cues_ui(ui, session.opening_cue(), last, &now);
            if practice && let Some(open) = session.open_moment() {
                ui.label(
                    RichText::new(format!("Moment: {}", session.moment_words(open.kind)))
                        .color(theme::WARN)
                        .strong(),
                );
            }
            if practice && let Some(t) = last {
                feedback_ui(ui, t);
            }
        });

    egui::Panel::right("session_palette")
        .default_size(360.0)
        .show(ui, |ui| {
            palette_ui(ui, run, techniques, state, &mut actions);
        });

    egui::CentralPanel::default().show(ui, |ui| {
        ui.label(RichText::new("Transcript").strong());
        egui::ScrollArea::vertical()
            .id_salt("session_transcript")
            .stick_to_bottom(true)
            .show(ui, |ui| {
                ui.label(RichText::new(format!(
                    "{}: \u{201c}{}\u{201d}",
                    super::library::first_name(&scenario.client.name),
                    session.opening_line()
                )));
                if practice && let Some(kind) = session.opening_moment() {
                    moment_note(ui, &session.moment_words(kind));
                }
                for t in session.turns() {
                    turn_ui(ui, &scenario.client.name, t, practice);
                    if practice && let Some(kind) = t.opened {
                        moment_note(ui, &session.moment_words(kind));
                    }
                }
            });
    });

    keyboard_shortcuts(ui, techniques, state, &mut actions);
    actions
}

fn cues_ui(
    ui: &mut Ui,
    opening_cue: Option<&str>,
    last: Option<&TurnOutcome>,
    now: &StateSnapshot,
) {
    let cues: Vec<&str> = match last {
        Some(t) => t.cues.iter().map(String::as_str).collect(),
        None => opening_cue.into_iter().collect(),
    };
    for cue in cues {
        ui.label(
            RichText::new(format!("({cue})"))
                .italics()
                .color(theme::MUTED),
        );
    }
    match now.rupture {
        Rupture::Confrontation => {
            ui.label(
                RichText::new("Rupture: confrontation")
                    .color(theme::BAD)
                    .strong(),
            );
        }
        Rupture::Withdrawal => {
            ui.label(
                RichText::new("Rupture: withdrawal")
                    .color(theme::BAD)
                    .strong(),
            );
        }
        Rupture::None => {}
    }
}

/// A moment the client's line opened, under the line in the transcript (practice only).
fn moment_note(ui: &mut Ui, words: &str) {
    ui.label(
        RichText::new(format!("Moment: {words}"))
            .italics()
            .color(theme::WARN),
    );
}

fn feedback_ui(ui: &mut Ui, t: &TurnOutcome) {
    widgets::section(ui, "Last move");
    ui.horizontal(|ui| {
        widgets::fit_badge(ui, t.fit.score);
        ui.label(&t.technique_name);
    });
    ui.label(&t.fit.explanation);
    for flag in &t.flags {
        let text = match flag {
            TurnFlag::RuptureOpened { .. } => {
                "A rupture opened: notice it and repair it.".to_string()
            }
            TurnFlag::RuptureRepaired => "The rupture was repaired.".to_string(),
            TurnFlag::RiskCue { level } => format!("Risk cue: risk is now {}.", level.label()),
            TurnFlag::SafetyGateFailed { detail, .. } => format!("Safety: {detail}."),
            TurnFlag::PrerequisiteUnmet { label } => format!("Not yet prepared: {label}."),
            TurnFlag::StageAdvanced { stage } => format!("Stage of change now {}.", stage.label()),
            _ => continue,
        };
        ui.label(RichText::new(text).color(theme::WARN));
    }
}

fn turn_ui(ui: &mut Ui, client_name: &str, t: &TurnOutcome, practice: bool) {
    ui.add_space(6.0);
    let adaptation = describe_adaptation(&t.choice);
    let adaptation = if adaptation.is_empty() {
        String::new()
    } else {
        format!(" ({adaptation})")
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!(
                "Turn {}. You: {}{}",
                t.turn, t.technique_name, adaptation
            ))
            .color(theme::ACCENT),
        );
        if practice {
            widgets::fit_badge(ui, t.fit.score);
        }
    });
    ui.label(format!(
        "{}: \u{201c}{}\u{201d}",
        super::library::first_name(client_name),
        t.client_line
    ));
    for cue in &t.cues {
        ui.label(
            RichText::new(format!("({cue})"))
                .italics()
                .color(theme::MUTED),
        );
    }
    if let Some(marker) = t.marker {
        let kind = if marker == Rupture::Confrontation {
            "confrontation"
        } else {
            "withdrawal"
        };
        ui.label(RichText::new(format!("Rupture marker: {kind}")).color(theme::BAD));
    }
}

fn palette_ui(
    ui: &mut Ui,
    run: &BranchedSession,
    techniques: &[Technique],
    state: &mut SessionUi,
    actions: &mut Vec<UiAction>,
) {
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        let label = ui.label("Find");
        ui.add(
            egui::TextEdit::singleline(&mut state.search)
                .hint_text("technique")
                .desired_width(200.0),
        )
        .labelled_by(label.id);
    });
    let visible = visible_techniques(techniques, &state.search);
    let list_height = (ui.available_height() * 0.5).max(160.0);
    egui::ScrollArea::vertical()
        .id_salt("palette")
        .max_height(list_height)
        .show(ui, |ui| {
            let mut index = 0;
            for school in School::ALL {
                let in_school: Vec<&&Technique> =
                    visible.iter().filter(|t| t.school == school).collect();
                if in_school.is_empty() {
                    continue;
                }
                ui.label(RichText::new(school.label()).strong().color(theme::MUTED));
                for t in in_school {
                    index += 1;
                    ui.horizontal(|ui| {
                        let key = if index <= 9 {
                            index.to_string()
                        } else {
                            String::new()
                        };
                        ui.add_sized(
                            [14.0, 18.0],
                            egui::Label::new(RichText::new(key).small().color(theme::MUTED)),
                        );
                        let selected = state.selected.as_deref() == Some(t.id.as_str());
                        let response =
                            ui.selectable_label(selected, &t.name)
                                .on_hover_text(format!(
                                    "{}\n\u{201c}{}\u{201d}",
                                    t.description, t.example
                                ));
                        if response.clicked() {
                            select(state, &t.id);
                        }
                    });
                }
            }
        });
    ui.separator();
    if let Some(id) = state.selected.clone()
        && let Some(t) = techniques.iter().find(|t| t.id == id)
    {
        ui.label(RichText::new(&t.name).strong());
        ui.label(&t.description);
        ui.label(RichText::new(format!("\u{201c}{}\u{201d}", t.example)).italics());
        adaptation_ui(ui, &mut state.adaptation);
        let play = egui::Button::new(RichText::new("Use this technique").strong());
        let ended = run.session().ended().is_some();
        if ui
            .add_enabled(!ended, play)
            .on_hover_text("Enter")
            .clicked()
        {
            actions.push(UiAction::Play(Choice {
                technique: id.clone(),
                ..state.adaptation.clone()
            }));
        }
    } else {
        widgets::muted(
            ui,
            "Pick a technique (click, or press its number), adapt it, then use it.",
        );
    }
    if run.mode == Mode::Practice {
        consult_ui(ui, run, techniques);
    }
}

fn select(state: &mut SessionUi, id: &str) {
    if state.selected.as_deref() != Some(id) {
        state.selected = Some(id.to_string());
        state.adaptation = Choice::default();
    }
}

fn adaptation_ui(ui: &mut Ui, a: &mut Choice) {
    egui::Grid::new("adaptation").num_columns(2).show(ui, |ui| {
        let label = ui.label("Direction");
        egui::ComboBox::from_id_salt("directiveness")
            .selected_text(match a.directiveness {
                Directiveness::AskPermission => "Ask permission first",
                Directiveness::OfferAsOption => "Offer as an option",
                Directiveness::AsIs => "As is",
                Directiveness::Prescribe => "Prescribe",
            })
            .show_ui(ui, |ui| {
                ui.selectable_value(
                    &mut a.directiveness,
                    Directiveness::AskPermission,
                    "Ask permission first",
                );
                ui.selectable_value(
                    &mut a.directiveness,
                    Directiveness::OfferAsOption,
                    "Offer as an option",
                );
                ui.selectable_value(&mut a.directiveness, Directiveness::AsIs, "As is");
                ui.selectable_value(&mut a.directiveness, Directiveness::Prescribe, "Prescribe");
            })
            .response
            .labelled_by(label.id);
        ui.end_row();
        ui.label("Focus");
        ui.horizontal(|ui| {
            ui.radio_value(&mut a.focus, FocusShift::TowardInsight, "Insight");
            ui.radio_value(&mut a.focus, FocusShift::AsIs, "As is");
            ui.radio_value(&mut a.focus, FocusShift::TowardSymptom, "Symptom");
        });
        ui.end_row();
        ui.label("Pacing");
        ui.horizontal(|ui| {
            ui.radio_value(&mut a.pacing, Pacing::Slower, "Slower");
            ui.radio_value(&mut a.pacing, Pacing::AsIs, "As is");
            ui.radio_value(&mut a.pacing, Pacing::Faster, "Faster");
        });
        ui.end_row();
        ui.label("Framing");
        ui.horizontal(|ui| {
            ui.radio_value(&mut a.framing, Framing::Collaborative, "Collaborative");
            ui.radio_value(&mut a.framing, Framing::AsIs, "As is");
            ui.radio_value(&mut a.framing, Framing::ExpertLed, "Expert-led");
        });
        ui.end_row();
        ui.label("Wording");
        ui.horizontal(|ui| {
            ui.checkbox(&mut a.culturally_adapted, "Culturally adapted");
            ui.checkbox(&mut a.spiritually_adapted, "Spiritually adapted");
        });
        ui.end_row();
    });
}

/// Hints from several schools: the best-fitting move each school offers right now, with
/// advice for this moment (what the open moment calls for, or what the move gets right).
fn consult_ui(ui: &mut Ui, run: &BranchedSession, techniques: &[Technique]) {
    let session = run.session();
    if session.ended().is_some() {
        return;
    }
    egui::CollapsingHeader::new("Consult: what would each school try now?").show(ui, |ui| {
        let mut hints: Vec<(School, &Technique, crate::scoring::Fit)> = School::ALL
            .iter()
            .filter_map(|school| {
                techniques
                    .iter()
                    .filter(|t| t.school == *school)
                    .filter_map(|t| {
                        session
                            .preview_fit(&Choice::new(&t.id))
                            .ok()
                            .map(|f| (*school, t, f))
                    })
                    .max_by(|a, b| a.2.score.total_cmp(&b.2.score))
            })
            .collect();
        hints.sort_by(|a, b| b.2.score.total_cmp(&a.2.score));
        // The same advice (what the open moment calls for) is given once, not under every
        // school that answers it.
        let mut said: Vec<String> = Vec::new();
        for (school, t, _) in hints.iter().take(4) {
            ui.label(RichText::new(format!("{}: {}", school.label(), t.name)).strong());
            if let Ok(advice) = session.advice(&Choice::new(&t.id))
                && !said.contains(&advice)
            {
                widgets::muted(ui, &advice);
                said.push(advice);
            }
        }
    });
}

/// Number keys pick the first nine visible techniques; Enter uses the selected one.
fn keyboard_shortcuts(
    ui: &mut Ui,
    techniques: &[Technique],
    state: &mut SessionUi,
    actions: &mut Vec<UiAction>,
) {
    if ui.ctx().egui_wants_keyboard_input() {
        return;
    }
    const KEYS: [egui::Key; 9] = [
        egui::Key::Num1,
        egui::Key::Num2,
        egui::Key::Num3,
        egui::Key::Num4,
        egui::Key::Num5,
        egui::Key::Num6,
        egui::Key::Num7,
        egui::Key::Num8,
        egui::Key::Num9,
    ];
    let visible = visible_techniques(techniques, &state.search);
    for (i, key) in KEYS.iter().enumerate() {
        if ui.input(|inp| inp.key_pressed(*key))
            && let Some(t) = visible.get(i)
        {
            select(state, &t.id);
        }
    }
    // Enter on a focused control presses that control; only with nothing focused does it
    // use the chosen technique.
    if ui.input(|inp| inp.key_pressed(egui::Key::Enter))
        && ui.ctx().memory(|m| m.focused().is_none())
        && let Some(id) = &state.selected
    {
        actions.push(UiAction::Play(Choice {
            technique: id.clone(),
            ..state.adaptation.clone()
        }));
    }
}
