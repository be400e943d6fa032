//! Who is practising: a picker of the learner profiles in the library's header (switching
//! is one click), a field to add a profile, the way to the learner's progress, and, while
//! no one is practising and the trainee has not chosen to explore without a profile, a
//! prompt asking who it is. Profiles are local names; nothing is sent anywhere for them.

use egui::{RichText, Ui};

use super::{UiAction, theme, widgets};

/// The profiles as the library knows them.
#[derive(Clone, Copy, Debug)]
pub struct Learners<'a> {
    /// Who practises now; none for practice saved without a name.
    pub current: Option<&'a str>,
    /// Every profile's name, in the order they were made.
    pub profiles: &'a [String],
}

/// The picker's own state.
#[derive(Clone, Debug, Default)]
pub struct PickerState {
    /// A new profile's name as being typed.
    pub new_name: String,
    /// Why the name typed was not taken.
    pub problem: Option<String>,
    /// The trainee chose to explore without a profile: the prompt is not shown again this
    /// run.
    pub exploring: bool,
}

/// What "no profile" is called in the picker.
pub const NO_PROFILE: &str = "Just exploring (no profile)";

/// Whether the library asks who is practising: no one is, and the trainee has not chosen
/// to explore without a profile.
pub fn asks(learners: Learners, state: &PickerState) -> bool {
    learners.current.is_none() && !state.exploring
}

/// The header's row: the picker, a field to add a profile (unless the prompt below has
/// one) and the way to the progress screen.
pub fn header(
    ui: &mut Ui,
    learners: Learners,
    state: &mut PickerState,
    actions: &mut Vec<UiAction>,
) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Practising as");
        egui::ComboBox::from_id_salt("practising_as")
            .selected_text(learners.current.unwrap_or(NO_PROFILE))
            .show_ui(ui, |ui| {
                for name in learners.profiles {
                    let chosen = learners.current == Some(name.as_str());
                    if ui.selectable_label(chosen, name).clicked() && !chosen {
                        actions.push(UiAction::SetLearner(name.clone()));
                    }
                }
                if ui
                    .selectable_label(learners.current.is_none(), NO_PROFILE)
                    .clicked()
                    && learners.current.is_some()
                {
                    state.exploring = true;
                    actions.push(UiAction::SetLearner(String::new()));
                }
            })
            .response
            .labelled_by(label.id);
        if !asks(learners, state) {
            add_field(ui, "Add a learner", "Add", state, actions);
        }
        if ui.button("Your progress").clicked() {
            actions.push(UiAction::OpenProgress);
        }
        if ui
            .button("Course and drills")
            .on_hover_text(
                "The course's steps, your skills from your drills, what to practise next",
            )
            .clicked()
        {
            actions.push(UiAction::OpenCourse);
        }
    });
    problem_ui(ui, state);
}

/// The prompt: pick a profile (one click), add one, or explore without one.
pub fn prompt(
    ui: &mut Ui,
    learners: Learners,
    state: &mut PickerState,
    actions: &mut Vec<UiAction>,
) {
    egui::Frame::group(ui.style())
        .inner_margin(10.0)
        .stroke(egui::Stroke::new(1.5, theme::ACCENT))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new("Who is practising?").strong());
            widgets::muted(
                ui,
                "Each learner's sessions, best scores and progress are kept apart, on this computer only.",
            );
            ui.horizontal_wrapped(|ui| {
                for name in learners.profiles {
                    if ui.button(format!("I am {name}")).clicked() {
                        actions.push(UiAction::SetLearner(name.clone()));
                    }
                }
            });
            ui.horizontal_wrapped(|ui| {
                add_field(ui, "Your name", "Start practising", state, actions);
                if ui.button("Just exploring").clicked() {
                    state.exploring = true;
                }
            });
            problem_ui(ui, state);
        });
    ui.add_space(8.0);
}

/// A name field and its button: a name that can be one is asked for as the learner (the
/// app makes it a profile); one that cannot is refused with the reason.
fn add_field(
    ui: &mut Ui,
    label: &str,
    button: &str,
    state: &mut PickerState,
    actions: &mut Vec<UiAction>,
) {
    let label = ui.label(label);
    let field = ui
        .add(
            egui::TextEdit::singleline(&mut state.new_name)
                .hint_text("a name or student id")
                .desired_width(ui.available_width().min(200.0)),
        )
        .labelled_by(label.id);
    let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    if (ui.button(button).clicked() || entered) && !state.new_name.trim().is_empty() {
        match crate::assessment::valid_learner(&state.new_name) {
            Ok(name) => {
                actions.push(UiAction::SetLearner(name));
                state.new_name.clear();
                state.problem = None;
            }
            Err(why) => state.problem = Some(why),
        }
    }
}

fn problem_ui(ui: &mut Ui, state: &PickerState) {
    if let Some(why) = &state.problem {
        ui.label(RichText::new(format!("Not saved: {why}.")).color(theme::BAD));
    }
}
