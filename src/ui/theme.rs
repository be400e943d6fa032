//! Colours and text styles shared by the screens. Plot and meter colours come from the
//! Okabe-Ito palette, which stays distinguishable with the common colour-vision deficiencies.

use egui::Color32;

pub const ALLIANCE: Color32 = Color32::from_rgb(0, 114, 178); // blue
pub const DISTRESS: Color32 = Color32::from_rgb(213, 94, 0); // vermillion
pub const HOPE: Color32 = Color32::from_rgb(0, 158, 115); // bluish green
pub const GOOD: Color32 = Color32::from_rgb(0, 158, 115);
pub const WARN: Color32 = Color32::from_rgb(230, 159, 0); // orange
pub const BAD: Color32 = Color32::from_rgb(213, 94, 0);
pub const MUTED: Color32 = Color32::from_rgb(110, 110, 120);
pub const ACCENT: Color32 = Color32::from_rgb(86, 180, 233); // sky blue

/// A fit score's colour: good, middling or poor.
pub fn fit_colour(score: f32) -> Color32 {
    if score >= 65.0 {
        GOOD
    } else if score >= 45.0 {
        WARN
    } else {
        BAD
    }
}

/// A calm light theme with larger default text, for long reading and projectors, drawn in
/// fonts that cover every letter the library's clients need.
pub fn apply(ctx: &egui::Context) {
    super::fonts::install(ctx);
    ctx.set_visuals(egui::Visuals::light());
    ctx.all_styles_mut(|style| {
        use egui::{FontId, TextStyle};
        style
            .text_styles
            .insert(TextStyle::Body, FontId::proportional(15.0));
        style
            .text_styles
            .insert(TextStyle::Button, FontId::proportional(15.0));
        style
            .text_styles
            .insert(TextStyle::Heading, FontId::proportional(22.0));
        style
            .text_styles
            .insert(TextStyle::Small, FontId::proportional(12.5));
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
    });
}

/// Text in `ui` wraps at the edge of its column rather than running past it and being cut
/// off, in horizontal rows too. Not for whole screens with tables: a grid's columns are
/// sized by what they held last frame, and wrapping text can shrink a column to a sliver.
pub fn wrap_text(ui: &mut egui::Ui) {
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Wrap);
}
