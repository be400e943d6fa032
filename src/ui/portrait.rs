//! The client, drawn procedurally: face, posture and expression follow the live state
//! (distress, hope, bond, an open rupture), so the trainee can read the client as well as
//! hear them.

use egui::{Color32, Pos2, Rect, Sense, Shape, Stroke, Ui, Vec2, pos2, vec2};

use crate::client::{ClientProfile, Rupture, StateSnapshot};

/// A stable small hash of the client's name, so each client keeps their own look.
fn hash(name: &str) -> u32 {
    name.bytes().fold(2166136261u32, |h, b| (h ^ b as u32).wrapping_mul(16777619))
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

fn paint(p: &egui::Painter, rect: Rect, client: &ClientProfile, s: &StateSnapshot) {
    let h = hash(&client.name);
    let skin = SKIN[(h % 5) as usize];
    let hair = if client.age >= 58 { Color32::from_rgb(180, 180, 185) } else { HAIR[((h >> 3) % 5) as usize] };
    let clothes = CLOTHES[((h >> 6) % 5) as usize];
    let w = rect.width();
    let unit = w.min(rect.height()) / 10.0;

    // Background warms with distress.
    let calm = Color32::from_rgb(226, 234, 242);
    let tense = Color32::from_rgb(246, 222, 210);
    p.rect_filled(rect, 8.0, lerp_colour(calm, tense, s.distress));

    let withdrawn = s.rupture == Rupture::Withdrawal;
    let confronting = s.rupture == Rupture::Confrontation;
    // Leaning in with a good bond, turned away in withdrawal.
    let lean = if withdrawn { -0.9 * unit } else { (s.bond - 0.4).max(0.0) * 2.0 * unit };
    let centre_x = rect.center().x + if withdrawn { 0.8 * unit } else { 0.0 };
    let head_c = pos2(centre_x, rect.top() + 4.0 * unit - lean * 0.3);
    let head_r = 2.1 * unit;

    // Torso and shoulders; drawn in when withdrawn.
    let shoulder = if withdrawn { 3.2 * unit } else { 3.8 * unit };
    let torso = Rect::from_min_max(pos2(centre_x - shoulder, head_c.y + 2.4 * unit), pos2(centre_x + shoulder, rect.bottom()));
    p.rect_filled(torso, egui::CornerRadius::same((1.6 * unit) as u8), clothes);
    // Neck.
    p.rect_filled(Rect::from_center_size(pos2(centre_x, head_c.y + 2.2 * unit), vec2(1.2 * unit, 1.2 * unit)), 2.0, skin);
    if confronting {
        // Arms crossed over the chest.
        let y = torso.top() + 2.0 * unit;
        let arm = Stroke::new(1.3 * unit, darker(clothes));
        p.line_segment([pos2(torso.left() + 0.6 * unit, y - 0.5 * unit), pos2(torso.right() - 0.8 * unit, y + 0.7 * unit)], arm);
        p.line_segment([pos2(torso.right() - 0.6 * unit, y - 0.5 * unit), pos2(torso.left() + 0.8 * unit, y + 0.7 * unit)], arm);
    }

    // Head and hair.
    p.circle_filled(head_c, head_r, skin);
    let hair_top = Rect::from_center_size(pos2(head_c.x, head_c.y - 1.2 * unit), vec2(head_r * 2.1, head_r * 1.2));
    p.rect_filled(hair_top, egui::CornerRadius::same((head_r) as u8), hair);
    if (h >> 9) % 2 == 0 {
        // Longer hair at the sides.
        for side in [-1.0, 1.0] {
            let r = Rect::from_center_size(pos2(head_c.x + side * head_r * 0.95, head_c.y + 0.3 * unit), vec2(0.8 * unit, head_r * 1.6));
            p.rect_filled(r, 3.0, hair);
        }
    }

    // Eyes look down and away in withdrawal.
    let gaze = if withdrawn { vec2(0.35 * unit, 0.25 * unit) } else { Vec2::ZERO };
    let eye_y = head_c.y - 0.1 * unit;
    let ink = Color32::from_rgb(40, 35, 35);
    for side in [-1.0, 1.0] {
        let eye = pos2(head_c.x + side * 0.8 * unit, eye_y);
        p.circle_filled(eye + gaze, 0.22 * unit, ink);
        // Brows: inner ends up with distress (worry), down in confrontation (anger).
        let inner_lift = if confronting { -0.35 * unit } else { 0.45 * unit * s.distress };
        let inner = pos2(head_c.x + side * 0.35 * unit, eye_y - 0.6 * unit - inner_lift);
        let outer = pos2(head_c.x + side * 1.25 * unit, eye_y - 0.65 * unit);
        p.line_segment([inner, outer], Stroke::new(0.18 * unit, darker(hair)));
    }
    if s.distress >= 0.75 {
        // A tear.
        let tear = pos2(head_c.x + 0.85 * unit, eye_y + 0.55 * unit);
        p.circle_filled(tear, 0.16 * unit, Color32::from_rgb(120, 170, 220));
    }

    // Mouth: smiles with hope and bond, turns down with distress.
    let mood = ((s.hope + s.bond) / 2.0 - s.distress).clamp(-0.6, 0.6);
    let mouth_y = head_c.y + 1.0 * unit;
    let half = if confronting { 0.55 * unit } else { 0.75 * unit };
    let curve = mood * 1.2 * unit;
    let points: Vec<Pos2> = (0..=12)
        .map(|i| {
            let t = i as f32 / 12.0 * 2.0 - 1.0;
            pos2(head_c.x + t * half, mouth_y + curve * (1.0 - t * t) - curve * 0.5)
        })
        .collect();
    p.add(Shape::line(points, Stroke::new(0.2 * unit, Color32::from_rgb(120, 60, 60))));
}

fn lerp_colour(a: Color32, b: Color32, t: f32) -> Color32 {
    let t = t.clamp(0.0, 1.0);
    let mix = |x: u8, y: u8| (x as f32 + (y as f32 - x as f32) * t) as u8;
    Color32::from_rgb(mix(a.r(), b.r()), mix(a.g(), b.g()), mix(a.b(), b.b()))
}

fn darker(c: Color32) -> Color32 {
    Color32::from_rgb(c.r() / 2, c.g() / 2, c.b() / 2)
}
