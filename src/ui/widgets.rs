//! Small widgets the screens share.

use egui::{Color32, RichText, Ui};

/// A labelled 0..1 meter with a bar `bar_width` points long. The label is also the
/// accessible name.
pub fn meter(ui: &mut Ui, label: &str, value: f32, colour: Color32, bar_width: f32) {
    ui.horizontal(|ui| {
        ui.label(label);
        let bar = egui::ProgressBar::new(value.clamp(0.0, 1.0))
            .fill(colour)
            .desired_width(bar_width);
        let response = ui.add(bar).on_hover_text(format!("{label}: {:.2}", value));
        response.widget_info(|| {
            egui::WidgetInfo::labeled(
                egui::WidgetType::ProgressIndicator,
                true,
                format!("{label} {:.0}%", value * 100.0),
            )
        });
        ui.label(RichText::new(format!("{:.0}%", value * 100.0)).monospace());
    });
}

/// A row whose `add` fills it from the right, as tall as what it holds (a `with_layout`
/// would take the whole height left): add the end-most widget first, then a wrapping
/// left-to-right layout for the rest.
pub fn row_with_end(ui: &mut Ui, add: impl FnOnce(&mut Ui)) {
    ui.allocate_ui_with_layout(
        egui::vec2(ui.available_width(), 0.0),
        egui::Layout::right_to_left(egui::Align::Min),
        add,
    );
}

/// A fit score as a coloured badge, e.g. "Fit 78".
pub fn fit_badge(ui: &mut Ui, score: f32) {
    let text = RichText::new(format!(" Fit {score:.0} "))
        .color(Color32::WHITE)
        .background_color(super::theme::fit_colour(score))
        .strong();
    ui.label(text);
}

/// A heading followed by muted small text.
pub fn section(ui: &mut Ui, title: &str) {
    ui.add_space(6.0);
    ui.label(RichText::new(title).strong().size(16.0));
}

pub fn muted(ui: &mut Ui, text: impl Into<String>) {
    ui.label(
        RichText::new(text.into())
            .color(super::theme::MUTED)
            .small(),
    );
}
