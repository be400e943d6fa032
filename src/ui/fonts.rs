//! The fonts the screens draw with. egui's default font has no glyph for many accented
//! letters (Vietnamese "Trần Đức Minh" showed boxes), so Noto Sans, cut down to Latin with
//! every accent, Greek and Cyrillic, is built in and drawn first; egui's own fonts stay
//! behind it for emoji and symbols. See `assets/fonts/README.md`.

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily, FontId};

const NOTO_SANS: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular-subset.ttf");
const NOTO_SANS_NAME: &str = "noto-sans";

/// egui's default fonts with Noto Sans first for proportional text and as the fallback for
/// monospace text (whose font, Hack, covers fewer accented letters).
pub fn definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        NOTO_SANS_NAME.to_owned(),
        Arc::new(FontData::from_static(NOTO_SANS)),
    );
    fonts
        .families
        .entry(FontFamily::Proportional)
        .or_default()
        .insert(0, NOTO_SANS_NAME.to_owned());
    let mono = fonts.families.entry(FontFamily::Monospace).or_default();
    let after_hack = mono.len().min(1);
    mono.insert(after_hack, NOTO_SANS_NAME.to_owned());
    fonts
}

/// Installs the fonts; they take effect from the next frame.
pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
}

/// The characters of `text` that no installed font can draw in `family`, each once, in
/// order. Only meaningful once the fonts are in effect (a frame after `install`).
pub fn missing_glyphs(ctx: &egui::Context, family: FontFamily, text: &str) -> Vec<char> {
    let font = FontId::new(14.0, family);
    let mut missing: Vec<char> = Vec::new();
    ctx.fonts_mut(|fonts| {
        for c in text.chars() {
            // Line breaks and tabs are layout, not glyphs.
            if !c.is_control() && !missing.contains(&c) && !fonts.has_glyph(&font, c) {
                missing.push(c);
            }
        }
    });
    missing
}
