//! The class vote on the projector: before voting, the instructor's choice of network and
//! the button that opens it (no port is opened until then); while a round is open, the
//! page's address, the join code and a QR code large enough to scan from a desk, and how
//! many have voted; once the instructor closes the round, the class's choices by move
//! (anonymous counts and shares), the fit each would have had when revealed, and a button
//! that plays the class's top choice. The instructor may play any other move from the
//! palette.

use std::net::IpAddr;

use egui::{Color32, RichText, Ui};

use super::{UiAction, theme};
use crate::scenario::Choice;

/// What the vote panel shows.
#[derive(Clone, Debug)]
pub enum ClassVoteView<'a> {
    /// Voting is not open: the interfaces it can be opened on (`label`, address), and why it
    /// could not be opened last time.
    Closed {
        interfaces: Vec<(String, IpAddr)>,
        problem: Option<&'a str>,
    },
    Open(OpenVote<'a>),
}

/// A vote under way.
#[derive(Clone, Debug)]
pub struct OpenVote<'a> {
    /// The page's address (`http://192.168.1.20:8470/`).
    pub address: &'a str,
    pub code: &'a str,
    /// The QR code of the address with the code in it: its width and its modules row by row
    /// (`true` is dark).
    pub qr: Option<(usize, &'a [bool])>,
    /// The turn voted on.
    pub turn: u32,
    /// Devices that joined, and that voted in this round.
    pub joined: usize,
    pub voted: usize,
    /// The round takes votes.
    pub open: bool,
    /// The class's choices once the round is closed, most votes first.
    pub options: Vec<VoteOption>,
    /// The fits are shown.
    pub fits_shown: bool,
    /// The session is over: nothing more to vote on.
    pub ended: bool,
}

/// One move the class chose.
#[derive(Clone, Debug)]
pub struct VoteOption {
    pub choice: Choice,
    /// The technique's name and the adaptation's words.
    pub label: String,
    pub votes: usize,
    /// The fit the move would have had now, without playing it.
    pub fit: Option<f32>,
}

/// The panel's own state.
#[derive(Clone, Debug, Default)]
pub struct ClassVoteUi {
    /// The interface chosen to open voting on (an index into the list offered).
    pub interface: usize,
    /// The QR code is hidden (the class has joined; the room is for the distribution).
    pub qr_hidden: bool,
}

/// The most moves listed; the rest are counted together.
const LISTED: usize = 6;

/// Draws the panel at `size` points; `height` is the window's, for the QR code's size.
pub fn show(
    ui: &mut Ui,
    view: &ClassVoteView,
    state: &mut ClassVoteUi,
    size: f32,
    actions: &mut Vec<UiAction>,
) {
    ui.label(RichText::new("Class vote").strong().size(size * 1.15));
    match view {
        ClassVoteView::Closed {
            interfaces,
            problem,
        } => closed(ui, interfaces, *problem, state, actions),
        ClassVoteView::Open(vote) => open(ui, vote, state, size, actions),
    }
}

fn closed(
    ui: &mut Ui,
    interfaces: &[(String, IpAddr)],
    problem: Option<&str>,
    state: &mut ClassVoteUi,
    actions: &mut Vec<UiAction>,
) {
    theme::wrap_text(ui);
    ui.label("Students vote on each move from their own phones or laptops, on this network.");
    if interfaces.is_empty() {
        ui.label(RichText::new("No network is available to open the vote on.").color(theme::BAD));
        return;
    }
    state.interface = state.interface.min(interfaces.len() - 1);
    let label = ui.label("Network");
    egui::ComboBox::from_id_salt("class_vote_interface")
        .selected_text(&interfaces[state.interface].0)
        .width(ui.available_width())
        .show_ui(ui, |ui| {
            for (i, (label, _)) in interfaces.iter().enumerate() {
                ui.selectable_value(&mut state.interface, i, label);
            }
        })
        .response
        .labelled_by(label.id)
        .on_hover_text("The network the students' devices are on");
    if ui
        .button("Open voting")
        .on_hover_text("Starts the vote's page on the chosen network (V)")
        .clicked()
        || pressed(ui, egui::Key::V)
    {
        actions.push(UiAction::OpenVoting(interfaces[state.interface].1));
    }
    if let Some(problem) = problem {
        ui.label(RichText::new(problem).color(theme::BAD));
    }
}

fn open(
    ui: &mut Ui,
    vote: &OpenVote,
    state: &mut ClassVoteUi,
    size: f32,
    actions: &mut Vec<UiAction>,
) {
    ui.label(RichText::new(vote.address).monospace().size(size * 1.1));
    ui.horizontal(|ui| {
        ui.label("Code");
        ui.label(
            RichText::new(vote.code)
                .monospace()
                .strong()
                .size(size * 1.6)
                .color(theme::ACCENT),
        );
    });
    // The QR code while the class joins and votes; once the round is closed its room is
    // the class's choices' (the code above still lets a late device join).
    if vote.open && !vote.ended {
        if !state.qr_hidden
            && let Some((width, dark)) = vote.qr
        {
            let side = (ui.available_width() * 0.8).min(ui.available_height() * 0.45);
            qr_code(ui, width, dark, side);
        }
        ui.checkbox(&mut state.qr_hidden, "Hide the QR code");
    }
    ui.separator();
    if vote.ended {
        ui.label("The session is over.");
    } else if vote.open {
        ui.label(
            RichText::new(format!("Turn {}: {} voted", vote.turn, vote.voted)).size(size * 1.1),
        );
        ui.label(
            RichText::new(format!("{} devices joined", vote.joined))
                .color(theme::MUTED)
                .size(size * 0.85),
        );
        if ui
            .button("Close the vote")
            .on_hover_text("No more votes; show the class's choices (V)")
            .clicked()
            || pressed(ui, egui::Key::V)
        {
            actions.push(UiAction::CloseVote);
        }
    } else {
        results(ui, vote, size, actions);
    }
    ui.add_space(size * 0.5);
    if ui
        .button("Stop voting")
        .on_hover_text("Closes the vote's page: no device can reach it any more")
        .clicked()
    {
        actions.push(UiAction::StopVoting);
    }
}

/// The closed round: the class's choices with their shares, the fits once revealed, and
/// playing the top choice.
fn results(ui: &mut Ui, vote: &OpenVote, size: f32, actions: &mut Vec<UiAction>) {
    ui.label(RichText::new(format!("Turn {}: {} voted", vote.turn, vote.voted)).size(size * 1.1));
    if vote.options.is_empty() {
        ui.label(RichText::new("Nobody voted. Play a move from the palette.").color(theme::MUTED));
        return;
    }
    let total = vote.voted.max(1) as f32;
    for option in vote.options.iter().take(LISTED) {
        let share = option.votes as f32 / total;
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&option.label).size(size * 0.9));
            if vote.fits_shown
                && let Some(fit) = option.fit
            {
                super::widgets::fit_badge(ui, fit);
            }
        });
        ui.horizontal(|ui| {
            let bar = egui::ProgressBar::new(share)
                .desired_width((ui.available_width() - size * 5.5).max(40.0))
                .fill(theme::ACCENT);
            ui.add(bar);
            ui.label(
                RichText::new(format!("{} ({:.0}%)", option.votes, share * 100.0))
                    .monospace()
                    .size(size * 0.85),
            );
        });
    }
    let rest: usize = vote.options.iter().skip(LISTED).map(|o| o.votes).sum();
    if rest > 0 {
        ui.label(
            RichText::new(format!("{rest} more on other moves"))
                .color(theme::MUTED)
                .size(size * 0.85),
        );
    }
    if vote.options.len() > 1 && vote.options[1].votes == vote.options[0].votes {
        ui.label(
            RichText::new("A tie at the top: the class's choice is the first listed; play either.")
                .color(theme::WARN)
                .size(size * 0.85),
        );
    }
    ui.add_space(size * 0.3);
    ui.horizontal_wrapped(|ui| {
        let reveal = if vote.fits_shown {
            "Hide fits"
        } else {
            "Reveal fits"
        };
        if ui
            .button(reveal)
            .on_hover_text("The fit each move would have had now, without playing it (F)")
            .clicked()
            || pressed(ui, egui::Key::F)
        {
            actions.push(UiAction::RevealFits);
        }
        if ui
            .button("Play the class's choice")
            .on_hover_text(format!("Plays {} (P)", vote.options[0].label))
            .clicked()
            || pressed(ui, egui::Key::P)
        {
            actions.push(UiAction::Play(vote.options[0].choice.clone()));
        }
    });
}

/// A QR code `side` points wide with its quiet zone of four modules, dark on white whatever
/// the theme (a scanner needs the contrast).
fn qr_code(ui: &mut Ui, width: usize, dark: &[bool], side: f32) {
    let modules = width + 8;
    let module = (side / modules as f32).floor().max(2.0);
    let side = module * modules as f32;
    let (rect, response) = ui.allocate_exact_size(egui::vec2(side, side), egui::Sense::hover());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::WidgetType::Image, true, "QR code of the vote's page")
    });
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, Color32::WHITE);
    for y in 0..width {
        for x in 0..width {
            if dark[y * width + x] {
                let min = rect.min + egui::vec2((x + 4) as f32, (y + 4) as f32) * module;
                painter.rect_filled(
                    egui::Rect::from_min_size(min, egui::vec2(module, module)),
                    0.0,
                    Color32::BLACK,
                );
            }
        }
    }
}

/// A key pressed with nothing taking typed text.
fn pressed(ui: &Ui, key: egui::Key) -> bool {
    !ui.ctx().egui_wants_keyboard_input() && ui.input(|i| i.key_pressed(key))
}
