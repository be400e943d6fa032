//! The client, drawn procedurally: face, posture and expression follow the live state
//! (distress, hope, bond, an open rupture), so the trainee can read the client as well as
//! hear them.

use egui::{Color32, Pos2, Rect, Sense, Shape, Stroke, Ui, Vec2, pos2, vec2};

use crate::model::{ClientProfile, HairColour, HairStyle, Rupture, StateSnapshot};

/// A stable small hash of the client's name, so each client keeps their own look.
fn hash(name: &str) -> u32 {
    name.bytes()
        .fold(2166136261u32, |h, b| (h ^ b as u32).wrapping_mul(16777619))
}

const SKIN: [Color32; 5] = [
    Color32::from_rgb(246, 214, 189),
    Color32::from_rgb(224, 184, 150),
    Color32::from_rgb(198, 144, 105),
    Color32::from_rgb(141, 94, 62),
    Color32::from_rgb(96, 62, 40),
];
const HAIR: [Color32; 5] = [
    Color32::from_rgb(40, 30, 25),
    Color32::from_rgb(90, 60, 35),
    Color32::from_rgb(150, 110, 60),
    Color32::from_rgb(60, 45, 40),
    Color32::from_rgb(20, 20, 22),
];
const CLOTHES: [Color32; 5] = [
    Color32::from_rgb(70, 100, 140),
    Color32::from_rgb(120, 80, 90),
    Color32::from_rgb(80, 120, 90),
    Color32::from_rgb(110, 110, 120),
    Color32::from_rgb(150, 110, 70),
];

/// Plain words for what the portrait shows, for screen readers and tooltips.
pub fn describe(client: &ClientProfile, s: &StateSnapshot) -> String {
    let face = if s.distress >= 0.75 {
        "visibly distressed"
    } else if s.distress >= 0.55 {
        "tense"
    } else if s.hope >= 0.55 {
        "calmer, a little hopeful"
    } else {
        "guarded"
    };
    let posture = match s.rupture {
        Rupture::Confrontation => ", arms crossed, jaw set",
        Rupture::Withdrawal => ", looking away, shoulders drawn in",
        Rupture::None if s.bond >= 0.55 => ", leaning in",
        Rupture::None => "",
    };
    format!("{}: {face}{posture}", client.name)
}

pub fn draw(ui: &mut Ui, client: &ClientProfile, s: &StateSnapshot, size: Vec2) {
    let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
    let description = describe(client, s);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Label, true, &description));
    let response = response.on_hover_text(&description);
    if !ui.is_rect_visible(response.rect) {
        return;
    }
    paint(ui.painter(), rect, client, s);
}

/// The look that stays the same through a session: chosen from the name (skin, clothes),
/// the age (grey hair) and the pronouns (hair style).
struct Look {
    skin: Color32,
    hair: Color32,
    clothes: Color32,
    style: HairStyle,
}

fn look(client: &ClientProfile) -> Look {
    let h = hash(&client.name);
    let pronouns = client.pronouns.to_lowercase();
    let chosen = client.appearance.unwrap_or_default();
    let style = chosen.hair_style.unwrap_or(if pronouns.starts_with("she") {
        if (h >> 9).is_multiple_of(2) {
            HairStyle::Long
        } else {
            HairStyle::Tied
        }
    } else if pronouns.starts_with("he") || (h >> 9).is_multiple_of(2) {
        HairStyle::Short
    } else {
        HairStyle::Tied
    });
    let skin = match chosen.skin_tone {
        Some(tone) => SKIN[(tone.clamp(1, 5) - 1) as usize],
        None => SKIN[(h % 5) as usize],
    };
    let hair = match chosen.hair {
        Some(HairColour::Black) => Color32::from_rgb(24, 22, 24),
        Some(HairColour::DarkBrown) => Color32::from_rgb(50, 36, 28),
        Some(HairColour::Brown) => Color32::from_rgb(96, 64, 38),
        Some(HairColour::Auburn) => Color32::from_rgb(130, 60, 30),
        Some(HairColour::Blonde) => Color32::from_rgb(200, 170, 110),
        Some(HairColour::Grey) => Color32::from_rgb(176, 176, 182),
        None if client.age >= 58 => Color32::from_rgb(176, 176, 182),
        None => HAIR[((h >> 3) % 5) as usize],
    };
    Look {
        skin,
        hair,
        clothes: CLOTHES[((h >> 6) % 5) as usize],
        style,
    }
}

/// Points on an ellipse between two angles (radians; 0 points right, -PI/2 up).
fn arc(c: Pos2, r: Vec2, from: f32, to: f32, steps: usize) -> Vec<Pos2> {
    (0..=steps)
        .map(|i| from + (to - from) * i as f32 / steps as f32)
        .map(|a| pos2(c.x + r.x * a.cos(), c.y + r.y * a.sin()))
        .collect()
}

fn paint(p: &egui::Painter, rect: Rect, client: &ClientProfile, s: &StateSnapshot) {
    use std::f32::consts::PI;
    let look = look(client);
    let unit = rect.width().min(rect.height()) / 10.0;
    let ink = Color32::from_rgb(45, 38, 38);

    // Background warms with distress.
    let calm = Color32::from_rgb(226, 234, 242);
    let tense = Color32::from_rgb(246, 222, 210);
    p.rect_filled(rect, 8.0, lerp_colour(calm, tense, s.distress));
    let p = p.with_clip_rect(rect.shrink(1.0));

    let withdrawn = s.rupture == Rupture::Withdrawal;
    let confronting = s.rupture == Rupture::Confrontation;
    // Leaning in (head lower and nearer) with a good bond; head down and turned in withdrawal.
    let lean = (s.bond - 0.45).max(0.0) * 1.5 * unit;
    let cx = rect.center().x + if withdrawn { 0.5 * unit } else { 0.0 };
    let head_c = pos2(
        cx + if withdrawn { 0.3 * unit } else { 0.0 },
        rect.top() + 3.9 * unit + lean + if withdrawn { 0.5 * unit } else { 0.0 },
    );
    let head_r = vec2(1.75 * unit, 2.15 * unit);

    // Long hair falls behind the shoulders.
    if look.style == HairStyle::Long {
        let back = Rect::from_min_max(
            pos2(head_c.x - 2.15 * unit, head_c.y - 1.6 * unit),
            pos2(head_c.x + 2.15 * unit, head_c.y + 3.4 * unit),
        );
        p.rect_filled(
            back,
            egui::CornerRadius::same((1.4 * unit) as u8),
            look.hair,
        );
    }

    // Shoulders and torso; drawn in when withdrawn.
    let shoulder = if withdrawn { 3.1 * unit } else { 3.7 * unit };
    let neck_base = head_c.y + 2.5 * unit;
    let torso = Rect::from_min_max(
        pos2(cx - shoulder, neck_base),
        pos2(cx + shoulder, rect.bottom() + unit),
    );
    let round = (1.5 * unit) as u8;
    p.rect_filled(
        torso,
        egui::CornerRadius {
            nw: round,
            ne: round,
            sw: 0,
            se: 0,
        },
        look.clothes,
    );
    // Neck and an open collar.
    p.rect_filled(
        Rect::from_min_max(
            pos2(head_c.x - 0.6 * unit, head_c.y + 1.4 * unit),
            pos2(head_c.x + 0.6 * unit, neck_base + 0.3 * unit),
        ),
        2.0,
        look.skin,
    );
    p.add(Shape::convex_polygon(
        vec![
            pos2(head_c.x - 0.6 * unit, neck_base),
            pos2(head_c.x + 0.6 * unit, neck_base),
            pos2(head_c.x, neck_base + 1.0 * unit),
        ],
        look.skin,
        Stroke::NONE,
    ));
    let collar = Stroke::new(0.12 * unit, darker(look.clothes));
    p.line_segment(
        [
            pos2(head_c.x - 0.9 * unit, neck_base - 0.1 * unit),
            pos2(head_c.x, neck_base + 1.1 * unit),
        ],
        collar,
    );
    p.line_segment(
        [
            pos2(head_c.x + 0.9 * unit, neck_base - 0.1 * unit),
            pos2(head_c.x, neck_base + 1.1 * unit),
        ],
        collar,
    );
    if confronting {
        // Arms folded across the chest, hands at the elbows.
        let y = neck_base + 2.6 * unit;
        let sleeve = Stroke::new(1.1 * unit, darker(look.clothes));
        p.line_segment(
            [
                pos2(cx - shoulder + 0.7 * unit, y - 0.4 * unit),
                pos2(cx + shoulder - 1.0 * unit, y + 0.4 * unit),
            ],
            sleeve,
        );
        p.line_segment(
            [
                pos2(cx + shoulder - 0.7 * unit, y - 0.4 * unit),
                pos2(cx - shoulder + 1.0 * unit, y + 0.4 * unit),
            ],
            sleeve,
        );
        p.circle_filled(
            pos2(cx + shoulder - 0.9 * unit, y + 0.4 * unit),
            0.5 * unit,
            look.skin,
        );
        p.circle_filled(
            pos2(cx - shoulder + 0.9 * unit, y + 0.4 * unit),
            0.5 * unit,
            look.skin,
        );
    }

    // Ears, head.
    for side in [-1.0, 1.0] {
        p.add(Shape::ellipse_filled(
            pos2(head_c.x + side * head_r.x, head_c.y + 0.1 * unit),
            vec2(0.3 * unit, 0.5 * unit),
            darker_by(look.skin, 0.92),
        ));
    }
    p.add(Shape::ellipse_filled(head_c, head_r, look.skin));

    // Hair on top: the upper part of a slightly larger ellipse, cut by the hairline.
    let hair_r = head_r + vec2(0.18 * unit, 0.22 * unit);
    let hairline: f32 = if look.style == HairStyle::Short {
        0.55
    } else {
        0.4
    };
    let start = PI + hairline.asin();
    let cap = arc(head_c, hair_r, start, 3.0 * PI - start, 20);
    if look.style == HairStyle::Bald {
        // Hair only at the sides, above the ears.
        for side in [-1.0, 1.0] {
            let r = Rect::from_center_size(
                pos2(
                    head_c.x + side * (head_r.x - 0.05 * unit),
                    head_c.y - 0.5 * unit,
                ),
                vec2(0.45 * unit, 1.1 * unit),
            );
            p.rect_filled(r, egui::CornerRadius::same((0.2 * unit) as u8), look.hair);
        }
    } else {
        p.add(Shape::convex_polygon(cap, look.hair, Stroke::NONE));
    }
    if matches!(look.style, HairStyle::Long | HairStyle::Tied) {
        // Hair framing the face down to the jaw.
        for side in [-1.0, 1.0] {
            let x = head_c.x + side * (head_r.x - 0.05 * unit);
            let r = Rect::from_center_size(
                pos2(x, head_c.y - 0.2 * unit),
                vec2(0.55 * unit, 2.6 * unit),
            );
            p.rect_filled(r, egui::CornerRadius::same((0.25 * unit) as u8), look.hair);
        }
    }
    if look.style == HairStyle::Tied {
        p.circle_filled(
            pos2(head_c.x, head_c.y - head_r.y - 0.3 * unit),
            0.75 * unit,
            look.hair,
        );
    }

    // Eyes: white, iris, and upper lids that droop with low hope or in withdrawal; the gaze
    // drops and turns away in withdrawal and fixes straight ahead in confrontation.
    let eye_y = head_c.y - 0.1 * unit;
    let gaze = if withdrawn {
        vec2(0.12 * unit, 0.1 * unit)
    } else {
        Vec2::ZERO
    };
    let droop = ((0.45 - s.hope).max(0.0) * 0.5 + if withdrawn { 0.25 } else { 0.0 }).min(0.45);
    for side in [-1.0, 1.0] {
        let eye = pos2(head_c.x + side * 0.72 * unit, eye_y);
        let eye_r = vec2(0.4 * unit, 0.26 * unit);
        p.add(Shape::ellipse_filled(
            eye,
            eye_r,
            Color32::from_rgb(250, 248, 245),
        ));
        p.circle_filled(eye + gaze, 0.17 * unit, ink);
        if droop > 0.0 {
            let lid = Rect::from_min_max(
                pos2(eye.x - eye_r.x - 1.0, eye.y - eye_r.y - 1.0),
                pos2(
                    eye.x + eye_r.x + 1.0,
                    eye.y - eye_r.y + droop * 2.0 * eye_r.y,
                ),
            );
            p.rect_filled(lid, 0.0, look.skin);
        }
        p.line_segment(
            [
                pos2(eye.x - eye_r.x, eye.y - eye_r.y + droop * 2.0 * eye_r.y),
                pos2(eye.x + eye_r.x, eye.y - eye_r.y + droop * 2.0 * eye_r.y),
            ],
            Stroke::new(0.06 * unit, darker(look.skin)),
        );
        // Brows: inner ends rise with distress (worry) and drop in confrontation (anger).
        let inner_lift = if confronting {
            -0.3 * unit
        } else {
            0.4 * unit * s.distress
        };
        let inner = pos2(
            head_c.x + side * 0.32 * unit,
            eye_y - 0.55 * unit - inner_lift,
        );
        let outer = pos2(head_c.x + side * 1.15 * unit, eye_y - 0.6 * unit);
        p.line_segment([inner, outer], Stroke::new(0.16 * unit, darker(look.hair)));
    }
    // Nose.
    let nose = Stroke::new(0.09 * unit, darker_by(look.skin, 0.7));
    p.line_segment(
        [
            pos2(head_c.x + 0.05 * unit, eye_y + 0.25 * unit),
            pos2(head_c.x + 0.2 * unit, eye_y + 0.8 * unit),
        ],
        nose,
    );
    p.line_segment(
        [
            pos2(head_c.x + 0.2 * unit, eye_y + 0.8 * unit),
            pos2(head_c.x - 0.15 * unit, eye_y + 0.88 * unit),
        ],
        nose,
    );
    if s.distress >= 0.75 {
        // A tear.
        p.add(Shape::ellipse_filled(
            pos2(head_c.x + 0.8 * unit, eye_y + 0.55 * unit),
            vec2(0.1 * unit, 0.16 * unit),
            Color32::from_rgb(120, 170, 220),
        ));
    }

    // Mouth: lifts with hope and bond, turns down with distress, tightens in confrontation.
    let mood = ((s.hope + s.bond) / 2.0 - s.distress).clamp(-0.6, 0.6);
    let mouth_y = head_c.y + 1.15 * unit;
    let half = if confronting {
        0.45 * unit
    } else {
        0.65 * unit
    };
    let curve = mood * unit;
    let points: Vec<Pos2> = (0..=12)
        .map(|i| {
            let t = i as f32 / 12.0 * 2.0 - 1.0;
            pos2(
                head_c.x + t * half,
                mouth_y + curve * (1.0 - t * t) - curve * 0.5,
            )
        })
        .collect();
    p.add(Shape::line(
        points,
        Stroke::new(0.16 * unit, Color32::from_rgb(130, 62, 62)),
    ));
}

fn lerp_colour(a: Color32, b: Color32, t: f32) -> Color32 {
    let t = t.clamp(0.0, 1.0);
    let mix = |x: u8, y: u8| (x as f32 + (y as f32 - x as f32) * t) as u8;
    Color32::from_rgb(mix(a.r(), b.r()), mix(a.g(), b.g()), mix(a.b(), b.b()))
}

fn darker(c: Color32) -> Color32 {
    Color32::from_rgb(c.r() / 2, c.g() / 2, c.b() / 2)
}

fn darker_by(c: Color32, f: f32) -> Color32 {
    Color32::from_rgb(
        (c.r() as f32 * f) as u8,
        (c.g() as f32 * f) as u8,
        (c.b() as f32 * f) as u8,
    )
}
