//! The course the app offers a learner: read once the library has loaded, from `courses/`
//! beside the scenarios folder (the first that checks, `default.ron` first), and checked
//! against the library as `attune check` does. A course that does not check is not offered;
//! its problems are kept for the course screen to show.

use std::path::Path;

use bevy::asset::LoadedFolder;
use bevy::prelude::*;

use super::LibraryLocation;
use super::library::{LibrarySync, ScenarioLibrary};
use crate::course::{Course, PracticeSchedule, check_course};

/// The course offered, and why none is.
#[derive(Resource)]
pub struct CourseDesk {
    pub course: Option<Course>,
    /// The course file's name as shown (`courses/default.ron`).
    pub file: Option<String>,
    /// Why no course is offered: each course file's problems, or that there is none.
    pub problems: Vec<String>,
    /// The review schedule drills follow (`assets/practice_schedule.ron`).
    pub schedule: PracticeSchedule,
    read: bool,
}

impl Default for CourseDesk {
    fn default() -> Self {
        CourseDesk {
            course: None,
            file: None,
            problems: Vec::new(),
            schedule: PracticeSchedule::builtin(),
            read: false,
        }
    }
}

pub fn plugin(app: &mut App) {
    app.init_resource::<CourseDesk>()
        .add_systems(Update, read_course_once_loaded.after(LibrarySync));
}

fn read_course_once_loaded(
    mut desk: ResMut<CourseDesk>,
    library: Res<ScenarioLibrary>,
    server: Res<AssetServer>,
    folders: Res<Assets<LoadedFolder>>,
    location: Res<LibraryLocation>,
) {
    if desk.read || !library.is_complete(&server, &folders) {
        return;
    }
    desk.read = true;
    let scenarios: Vec<_> = library
        .entries
        .iter()
        .filter_map(|e| e.scenario.clone())
        .collect();
    let mut files = location.course_files();
    // The default course first, then the others by name.
    files.sort_by_key(|f| f.file_name().is_none_or(|n| n != "default.ron"));
    if files.is_empty() {
        desk.problems =
            vec!["No course: put a course file in `courses/` beside the scenarios folder.".into()];
    }
    for file in files {
        let name = shown_name(&file);
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(e) => {
                desk.problems.push(format!("{name}: {e}"));
                continue;
            }
        };
        match check_course(&name, &text, &scenarios) {
            Ok(course) => {
                desk.course = Some(course);
                desk.file = Some(name);
                desk.problems.clear();
                return;
            }
            Err(problems) => desk.problems.extend(problems.iter().map(|d| d.to_string())),
        }
    }
}

/// `courses/default.ron`: the folder and the file's name.
fn shown_name(file: &Path) -> String {
    let folder = file
        .parent()
        .and_then(|p| p.file_name())
        .map_or(String::new(), |n| format!("{}/", n.to_string_lossy()));
    format!(
        "{folder}{}",
        file.file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned())
    )
}
