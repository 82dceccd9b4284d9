//! Workspaces: a `.playbook` file that reopens yesterday's screen. A versioned JSON document
//! holding the datasets by path with their fingerprints (size, modified time, a hash of the
//! first and last megabyte), each dataset's changes (recipes), each panel's choices and view
//! state, the panel on screen and the selected dataset. Opening checks every dataset against
//! its fingerprint, so nothing is silently recomputed on different data.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use crate::data::recipe::Recipe;
use crate::runs::fingerprint::{InputFingerprint, of_file};

/// The format name written in every workspace file.
pub const FORMAT: &str = "playbook-workspace";
/// The version this build writes; it opens this one and every older one.
pub const VERSION: u32 = 1;
/// The file extension.
pub const EXTENSION: &str = "playbook";

/// A saved screen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    pub format: String,
    pub version: u32,
    /// The Playbook that wrote it.
    pub app_version: String,
    /// Files open, with their fingerprints when saved.
    pub datasets: Vec<InputFingerprint>,
    /// The selected dataset's name.
    #[serde(default)]
    pub dataset: Option<String>,
    /// The panel on screen.
    pub panel: String,
    /// Each panel's choices and view state, by panel id (as the panels save them).
    #[serde(default)]
    pub panels: BTreeMap<String, serde_json::Value>,
    /// Each dataset's changes (types, computed columns), by file path or sample name.
    #[serde(default)]
    pub recipes: BTreeMap<String, Recipe>,
    /// The runs it shows (ticked in the Runs panel), by run store id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<i64>,
}

impl Workspace {
    /// A workspace of the files at `files` (fingerprinted now) and the rest as given.
    pub fn new(
        files: &[PathBuf],
        dataset: Option<String>,
        panel: &str,
        panels: BTreeMap<String, serde_json::Value>,
        recipes: BTreeMap<String, Recipe>,
    ) -> anyhow::Result<Self> {
        let runs = panels
            .get("runs")
            .and_then(|r| r["view"]["selected"].as_array())
            .map(|a| a.iter().filter_map(serde_json::Value::as_i64).collect())
            .unwrap_or_default();
        let datasets = files
            .iter()
            .map(|p| {
                of_file("dataset", &crate::data::file_name(p), p)
                    .with_context(|| format!("{}: cannot be read to fingerprint it", p.display()))
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(Self {
            format: FORMAT.to_owned(),
            version: VERSION,
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            datasets,
            dataset,
            panel: panel.to_owned(),
            panels,
            recipes,
            runs,
        })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Read a workspace file: its format and version are checked, older versions upgraded.
    pub fn read(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot be read", path.display()))?;
        Self::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let value: serde_json::Value =
            serde_json::from_str(text).context("not a Playbook workspace (not JSON)")?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            bail!("not a Playbook workspace (no \"format\": \"{FORMAT}\")");
        }
        let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
        if version == 0 {
            bail!("a workspace without a version");
        }
        if version > u64::from(VERSION) {
            bail!(
                "made by a newer Playbook (workspace version {version}; this one reads up to {VERSION})"
            );
        }
        // Version 1 is the first: nothing to upgrade yet. A later version adds its upgrade of
        // the JSON value here, oldest first.
        let ws: Self = serde_json::from_value(value).context("a workspace with missing parts")?;
        Ok(Self {
            version: VERSION,
            ..ws
        })
    }
}

/// How a dataset of a workspace stands now.
#[derive(Clone, Debug, PartialEq)]
pub enum Standing {
    /// As it was saved.
    Same,
    /// Gone from its path.
    Missing,
    /// There, but its size, time or content changed.
    Changed(String),
}

/// Compare a saved dataset with the file at its path now.
pub fn standing(saved: &InputFingerprint) -> Standing {
    let Some(path) = saved.path.as_deref().map(Path::new) else {
        return Standing::Same;
    };
    if !path.exists() {
        return Standing::Missing;
    }
    let Ok(now) = of_file("dataset", &saved.name, path) else {
        return Standing::Missing;
    };
    if now.hash != saved.hash || now.size != saved.size {
        return Standing::Changed(format!(
            "its content changed ({} bytes when saved, {} now)",
            saved.size, now.size
        ));
    }
    Standing::Same
}

/// `candidate` holds the same data as `saved` (a file located elsewhere).
pub fn same_content(saved: &InputFingerprint, candidate: &Path) -> bool {
    of_file("dataset", &saved.name, candidate)
        .is_ok_and(|now| now.hash == saved.hash && now.size == saved.size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workspace_round_trips_and_notices_a_changed_or_moved_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sales.csv");
        std::fs::write(&file, "a,b\n1,2\n").unwrap();
        let ws = Workspace::new(
            std::slice::from_ref(&file),
            Some("sales.csv".into()),
            "data",
            [("data".to_owned(), serde_json::json!({"view": "Schema"}))].into(),
            BTreeMap::new(),
        )
        .unwrap();
        let back = Workspace::parse(&ws.to_json()).unwrap();
        assert_eq!(back, ws);
        assert_eq!(standing(&back.datasets[0]), Standing::Same);
        std::fs::write(&file, "a,b\n1,3\n").unwrap();
        assert!(matches!(standing(&back.datasets[0]), Standing::Changed(_)));
        let moved = dir.path().join("moved.csv");
        std::fs::rename(&file, &moved).unwrap();
        assert_eq!(standing(&back.datasets[0]), Standing::Missing);
        std::fs::write(&moved, "a,b\n1,2\n").unwrap();
        assert!(same_content(&back.datasets[0], &moved));
    }

    #[test]
    fn wrong_and_newer_files_are_refused_with_a_reason() {
        let e = |t: &str| Workspace::parse(t).err().unwrap().to_string();
        assert_eq!(e("{"), "not a Playbook workspace (not JSON)");
        assert_eq!(
            e(r#"{"a": 1}"#),
            "not a Playbook workspace (no \"format\": \"playbook-workspace\")"
        );
        assert_eq!(
            e(r#"{"format": "playbook-workspace", "version": 9}"#),
            "made by a newer Playbook (workspace version 9; this one reads up to 1)"
        );
        assert_eq!(
            e(r#"{"format": "playbook-workspace", "version": 1}"#),
            "a workspace with missing parts"
        );
    }
}
