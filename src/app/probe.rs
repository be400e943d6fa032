//! A start-up probe for `scripts/measure-app.sh`: when `ATTUNE_PROBE_FIRST_FRAME` is set,
//! the first frame that reaches the window is captured and the wall-clock time of the
//! capture is printed as `first-frame <seconds since 1970>`. The script compares it with the
//! time it launched the process. Shared with the bare comparison window in
//! `examples/bare_window.rs`, so both are timed the same way.

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};

pub const ENV: &str = "ATTUNE_PROBE_FIRST_FRAME";

pub fn plugin(app: &mut App) {
    if std::env::var_os(ENV).is_some() {
        app.add_systems(Startup, capture_first_frame);
    }
}

fn capture_first_frame(mut commands: Commands) {
    commands
        .spawn(Screenshot::primary_window())
        .observe(|_: On<ScreenshotCaptured>| {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            println!("first-frame {:.3}", now.as_secs_f64());
        });
}
