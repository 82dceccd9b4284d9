//! What Playbook remembers across restarts (eframe persistence): theme, recent files, the files
//! that were open, the chosen panel and dataset, and each panel's own choices. Plain data with no
//! window types, so the settings fuzz target builds without the window.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How much larger everything is drawn while presenting.
pub const PRESENTING_ZOOM: f32 = 1.4;

/// How many recent files the Recent menu keeps.
pub const MAX_RECENT: usize = 10;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub theme: ThemeChoice,
    pub recent: Vec<PathBuf>,
    pub open_files: Vec<PathBuf>,
    /// `Panel::id` of the panel on screen.
    pub panel: String,
    /// Name of the selected dataset.
    pub dataset: Option<String>,
    /// Each panel's saved choices, by panel id.
    pub panels: BTreeMap<String, serde_json::Value>,
    /// The sidebar (panels and datasets) is folded away, for small windows and demos.
    pub hide_sidebar: bool,
    /// Everything drawn larger (text, legends, axes) for a room reading a projector.
    pub presenting: bool,
    /// Each dataset's changes (column types, computed columns), by file path or sample name.
    pub recipes: BTreeMap<String, crate::data::recipe::Recipe>,
}

/// The theme the user chose. Written as egui's `ThemePreference` is, so settings saved before
/// this type existed read back the same.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    Dark,
    Light,
    #[default]
    System,
}

impl Settings {
    pub fn remember_recent(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_owned());
        self.recent.truncate(MAX_RECENT);
    }
}
