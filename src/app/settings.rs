//! Settings that persist between runs (the text size, the learner, how much the learner
//! asks of their own words), in `settings.ron` under the user's
//! configuration folder (`$XDG_CONFIG_HOME/attune`, or `~/.config/attune`;
//! `ATTUNE_CONFIG_DIR` overrides it).

use std::path::PathBuf;

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use crate::coding::WordsMode;

#[derive(Resource, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Zoom factor for all text and controls, 0.8 to 2.0.
    pub text_scale: f32,
    /// Who practises here: practice attempts are saved under this name or id, and the
    /// library's "Your best" is this learner's. None: attempts saved with no name.
    pub learner: Option<String>,
    /// How much the learner's practice asks for their own words at each move (a pack being
    /// sat may ask more: `words_mode::words_mode`). A file from before this setting loads
    /// as `Optional`.
    pub words_mode: WordsMode,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            text_scale: 1.0,
            learner: None,
            words_mode: WordsMode::Optional,
        }
    }
}

pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ATTUNE_CONFIG_DIR") {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_CONFIG_HOME") {
        return Some(PathBuf::from(dir).join("attune"));
    }
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config").join("attune"))
}

impl Settings {
    /// The saved settings, or the defaults when there are none or they do not parse.
    pub fn load() -> Settings {
        config_dir().map_or_else(Settings::default, |dir| Settings::load_from(&dir))
    }

    pub fn save(&self) -> Result<(), String> {
        let dir = config_dir().ok_or("no configuration folder (HOME is not set)")?;
        self.save_to(&dir)
    }

    pub fn load_from(dir: &std::path::Path) -> Settings {
        let path = dir.join("settings.ron");
        let text = match crate::scenario::read_optional_text(&path) {
            Ok(Some(text)) => text,
            Ok(None) => return Settings::default(),
            Err(e) => {
                warn!("{}: {e}; using default settings", path.display());
                return Settings::default();
            }
        };
        match ron::from_str::<Settings>(&text) {
            Ok(mut s) => {
                s.text_scale = if s.text_scale.is_finite() {
                    s.text_scale.clamp(0.8, 2.0)
                } else {
                    1.0
                };
                s.learner = s
                    .learner
                    .and_then(|l| crate::assessment::valid_learner(&l).ok());
                s
            }
            Err(e) => {
                warn!("{}: {e}; using default settings", path.display());
                Settings::default()
            }
        }
    }

    /// Saves whole or not at all, readable by its owner only (it names the learner).
    pub fn save_to(&self, dir: &std::path::Path) -> Result<(), String> {
        crate::save::create_private_dir(dir)?;
        let text = ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
            .map_err(|e| e.to_string())?;
        crate::save::write_atomically(&dir.join("settings.ron"), text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("attune-settings-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    /// Found by issue 13: a named pipe read as a file waits for a writer for ever.
    #[cfg(unix)]
    #[test]
    fn a_named_pipe_as_settings_ron_gives_the_defaults_at_once() {
        let dir = temp_dir("fifo");
        std::fs::create_dir_all(&dir).unwrap();
        let pipe = dir.join("settings.ron");
        let name = std::ffi::CString::new(pipe.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        assert_eq!(Settings::load_from(&dir), Settings::default());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_text_size_survives_a_restart() {
        let dir = temp_dir("roundtrip");
        assert_eq!(
            Settings::load_from(&dir),
            Settings::default(),
            "no file yet: defaults"
        );
        Settings {
            text_scale: 1.4,
            learner: Some("Trần Đức Minh".into()),
            words_mode: WordsMode::First,
        }
        .save_to(&dir)
        .unwrap();
        let loaded = Settings::load_from(&dir);
        assert_eq!(loaded.text_scale, 1.4);
        assert_eq!(loaded.learner.as_deref(), Some("Trần Đức Minh"));
        assert_eq!(loaded.words_mode, WordsMode::First);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn every_words_mode_survives_a_restart_and_an_older_file_loads_as_optional() {
        let dir = temp_dir("words");
        for mode in WordsMode::ALL {
            Settings {
                words_mode: mode,
                ..Settings::default()
            }
            .save_to(&dir)
            .unwrap();
            assert_eq!(Settings::load_from(&dir).words_mode, mode);
        }
        // Written before the setting existed: the rest kept, words optional.
        std::fs::write(
            dir.join("settings.ron"),
            "(text_scale: 1.2, learner: Some(\"Ann\"))",
        )
        .unwrap();
        let old = Settings::load_from(&dir);
        assert_eq!(old.words_mode, WordsMode::Optional);
        assert_eq!(old.text_scale, 1.2);
        assert_eq!(old.learner.as_deref(), Some("Ann"));
        // A mode that does not exist spoils the file as any bad value does: defaults.
        std::fs::write(dir.join("settings.ron"), "(words_mode: Always)").unwrap();
        assert_eq!(Settings::load_from(&dir), Settings::default());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_damaged_or_out_of_range_file_falls_back_safely() {
        let dir = temp_dir("damaged");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("settings.ron"), "(text_scale: ").unwrap();
        assert_eq!(Settings::load_from(&dir), Settings::default());
        std::fs::write(dir.join("settings.ron"), "(text_scale: 40.0)").unwrap();
        assert_eq!(Settings::load_from(&dir).text_scale, 2.0);
        // A file from before learners were remembered loads with none; a blank one is none.
        assert_eq!(Settings::load_from(&dir).learner, None);
        std::fs::write(dir.join("settings.ron"), "(learner: Some(\"  \"))").unwrap();
        assert_eq!(Settings::load_from(&dir).learner, None);
        // A name edited by hand to hold a line break or an escape names no one.
        std::fs::write(
            dir.join("settings.ron"),
            "(learner: Some(\"Ann\\nfake line\\u{1b}[2J\"))",
        )
        .unwrap();
        assert_eq!(Settings::load_from(&dir).learner, None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
