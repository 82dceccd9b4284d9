//! Workspaces: a `.playbook` file that reopens yesterday's screen. A versioned JSON document
//! holding the datasets by path with their fingerprints (size, modified time, a hash of the
//! first and last megabyte), each dataset's changes (recipes), each panel's choices and view
//! state, the panel on screen and the selected dataset. Opening checks every dataset against
//! its fingerprint, so nothing is silently recomputed on different data.
//!
//! A packed workspace is a zip holding the same JSON (`workspace.json`) and the datasets
//! themselves (`data/<n>-<name>`), so it opens on a laptop with none of the files. Opening one
//! unpacks the data into the Playbook home (`unpacked/<hash of the pack>/`) once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use crate::data::recipe::Recipe;
use crate::runs::fingerprint::{InputFingerprint, of_file};

/// The format name written in every workspace file.
pub(crate) const FORMAT: &str = "playbook-workspace";
/// The version this build writes; it opens this one and every older one.
pub(crate) const VERSION: u32 = 1;
/// The file extension.
pub const EXTENSION: &str = "playbook";
/// Pack workspace asks before embedding more data than this.
pub const PACK_WARN_BYTES: u64 = 200 << 20;
/// The workspace JSON inside a packed workspace.
const MANIFEST: &str = "workspace.json";

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
    /// In a packed workspace: each dataset's entry in the zip (empty for one not embedded).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packed: Vec<String>,
}

/// The largest `workspace.json` a pack may hold.
const MAX_MANIFEST: u64 = 64 << 20;
/// The most datasets a pack may carry.
const MAX_PACKED_FILES: usize = 1_000;
/// The most a pack may unpack to, in all (the sizes its manifest declares).
const MAX_UNPACKED: u64 = 64 << 30;

/// What unpacking `ws` would write, checked before anything is written: each zip entry named by
/// one dataset only, at most `MAX_PACKED_FILES` of them, and their declared sizes within
/// `MAX_UNPACKED` in all. Each entry is then copied up to its declared size and no further.
fn check_packed(ws: &Workspace) -> anyhow::Result<()> {
    let entries: Vec<&String> = ws.packed.iter().filter(|e| !e.is_empty()).collect();
    if entries.len() > MAX_PACKED_FILES || ws.datasets.len() > MAX_PACKED_FILES {
        bail!(
            "it lists {} datasets; a pack holds at most {MAX_PACKED_FILES}",
            ws.datasets.len().max(entries.len())
        );
    }
    let mut seen = std::collections::HashSet::new();
    for e in &entries {
        if !seen.insert(*e) {
            bail!("{e}: named by two datasets; the pack was altered");
        }
    }
    let total: u64 = ws
        .packed
        .iter()
        .zip(&ws.datasets)
        .filter(|(e, _)| !e.is_empty())
        .map(|(_, d)| d.size)
        .fold(0, u64::saturating_add);
    if total > MAX_UNPACKED {
        bail!(
            "its datasets declare {} in all; Playbook unpacks at most {}",
            crate::format::bytes(total),
            crate::format::bytes(MAX_UNPACKED)
        );
    }
    Ok(())
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
            packed: Vec::new(),
        })
    }

    /// Write the workspace as a zip with its datasets inside (Parquet stored as it is, text
    /// compressed). A file that changed since it was fingerprinted is refused.
    pub fn pack<W: std::io::Write + std::io::Seek>(&self, out: W) -> anyhow::Result<()> {
        use zip::write::SimpleFileOptions;
        let mut zip = zip::ZipWriter::new(out);
        let options = SimpleFileOptions::default().large_file(true);
        let mut manifest = self.clone();
        manifest.packed.clear();
        for (i, d) in self.datasets.iter().enumerate() {
            let Some(path) = d.path.as_deref().map(Path::new) else {
                manifest.packed.push(String::new());
                continue;
            };
            if !same_content(d, path) {
                bail!(
                    "{}: changed since the workspace was made; pack again",
                    path.display()
                );
            }
            let entry = format!("data/{i}-{}", d.name);
            let parquet = path.extension().is_some_and(|e| e == "parquet");
            let method = if parquet {
                zip::CompressionMethod::Stored
            } else {
                zip::CompressionMethod::Deflated
            };
            zip.start_file(entry.as_str(), options.compression_method(method))?;
            let mut f = std::fs::File::open(path)
                .with_context(|| format!("{}: cannot be read", path.display()))?;
            std::io::copy(&mut f, &mut zip)
                .with_context(|| format!("{}: cannot be packed", path.display()))?;
            manifest.packed.push(entry);
        }
        zip.start_file(
            MANIFEST,
            options.compression_method(zip::CompressionMethod::Deflated),
        )?;
        std::io::Write::write_all(&mut zip, manifest.to_json().as_bytes())?;
        zip.finish()?;
        Ok(())
    }

    /// Open a workspace file, plain or packed. A packed one's datasets are unpacked under
    /// `home` (once: files already there with the same content are kept) and its paths (and
    /// the recipes kept by path) point there.
    pub fn open(path: &Path, home: &Path) -> anyhow::Result<Self> {
        crate::data::regular_file(path)?;
        if !is_packed(path) {
            return Self::read(path);
        }
        Self::unpack(path, home).map_err(|e| anyhow::anyhow!("{}: {e:#}", path.display()))
    }

    fn unpack(path: &Path, home: &Path) -> anyhow::Result<Self> {
        use std::io::Read as _;
        let file = std::fs::File::open(path).context("cannot be read")?;
        let mut zip = zip::ZipArchive::new(file).context("a damaged packed workspace")?;
        let text = {
            let entry = zip
                .by_name(MANIFEST)
                .context("a zip without a workspace.json: not a packed workspace")?;
            let mut text = String::new();
            entry
                .take(MAX_MANIFEST + 1)
                .read_to_string(&mut text)
                .context("its workspace.json cannot be read")?;
            if text.len() as u64 > MAX_MANIFEST {
                bail!(
                    "its workspace.json is over {} (a workspace lists files, it does not hold \
                     them)",
                    crate::format::bytes(MAX_MANIFEST)
                );
            }
            text
        };
        let mut ws = Self::parse(&text)?;
        check_packed(&ws)?;
        let key = of_file("pack", "pack", path)?.hash;
        let dir = home.join("unpacked").join(key.get(..16).unwrap_or(&key));
        for i in 0..ws.datasets.len() {
            let entry = ws.packed.get(i).cloned().unwrap_or_default();
            if entry.is_empty() {
                continue;
            }
            let d = &ws.datasets[i];
            // The name comes from the file: a bare file name only, nothing like "../x".
            let name = Path::new(&d.name)
                .file_name()
                .filter(|n| *n == d.name.as_str())
                .with_context(|| format!("dataset name {:?} is not a file name", d.name))?
                .to_owned();
            let target = dir.join(i.to_string()).join(name);
            if !same_content(d, &target) {
                let parent = target.parent().unwrap_or(&dir);
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("{}: cannot be made", parent.display()))?;
                let src = zip
                    .by_name(&entry)
                    .with_context(|| format!("{entry}: missing from the pack"))?;
                if src.size() != d.size {
                    bail!(
                        "{entry}: the pack says it unpacks to {} bytes but its manifest declares \
                         {} for {}; the pack was altered",
                        src.size(),
                        d.size,
                        d.name
                    );
                }
                // Never more than the manifest declares, whatever the entry's header says.
                let mut limited = src.take(d.size + 1);
                let mut copied = 0;
                crate::export::write_atomic(&target, |w| {
                    copied = std::io::copy(&mut limited, w)?;
                    let what = if copied > d.size {
                        "more bytes than"
                    } else {
                        "fewer bytes than"
                    };
                    if copied == d.size {
                        Ok(())
                    } else {
                        Err(std::io::Error::other(format!(
                            "{entry} unpacks to {what} the {} its manifest declares; the pack \
                             was altered",
                            d.size
                        )))
                    }
                })
                .with_context(|| format!("{}: cannot be written", target.display()))?;
            }
            let new = target.display().to_string();
            let old = ws.datasets[i].path.replace(new.clone());
            if let Some(r) = old.and_then(|o| ws.recipes.remove(&o)) {
                ws.recipes.insert(new, r);
            }
        }
        Ok(ws)
    }

    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Read a workspace file: its format and version are checked, older versions upgraded.
    pub fn read(path: &Path) -> anyhow::Result<Self> {
        crate::data::regular_file(path)?;
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

/// True when the file is a zip (a packed workspace), not JSON.
pub fn is_packed(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
        .is_ok_and(|()| magic == *b"PK\x03\x04")
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
pub(crate) fn standing(saved: &InputFingerprint) -> Standing {
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
pub(crate) fn same_content(saved: &InputFingerprint, candidate: &Path) -> bool {
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
    fn a_packed_workspace_carries_its_data_and_recipes_to_another_folder() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("sales.csv");
        std::fs::write(&csv, "a,b\n1,2\n3,4\n").unwrap();
        let key = csv.display().to_string();
        let recipe: Recipe = serde_json::from_value(serde_json::json!({"steps": []})).unwrap();
        let ws = Workspace::new(
            std::slice::from_ref(&csv),
            Some("sales.csv".into()),
            "data",
            BTreeMap::new(),
            [(key.clone(), recipe.clone())].into(),
        )
        .unwrap();
        let packed = dir.path().join("w.playbook");
        ws.pack(std::fs::File::create(&packed).unwrap()).unwrap();
        assert!(is_packed(&packed));
        std::fs::remove_file(&csv).unwrap();
        let home = tempfile::tempdir().unwrap();
        let back = Workspace::open(&packed, home.path()).unwrap();
        let now = back.datasets[0].path.clone().unwrap();
        assert!(now.starts_with(&home.path().display().to_string()), "{now}");
        assert_eq!(std::fs::read_to_string(&now).unwrap(), "a,b\n1,2\n3,4\n");
        assert_eq!(standing(&back.datasets[0]), Standing::Same);
        assert_eq!(back.recipes.get(&now), Some(&recipe));
        assert!(!back.recipes.contains_key(&key));
        // Opened again: the unpacked file is reused as it is.
        let again = Workspace::open(&packed, home.path()).unwrap();
        assert_eq!(again.datasets[0].path.as_deref(), Some(now.as_str()));
        // A pack whose dataset name tries to leave the folder is refused.
        let bad = dir.path().join("bad.playbook");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&bad).unwrap());
        let o = zip::write::SimpleFileOptions::default();
        zip.start_file("data/0-x", o).unwrap();
        std::io::Write::write_all(&mut zip, b"a\n").unwrap();
        let mut manifest = ws.clone();
        manifest.datasets[0].name = "../escape.csv".into();
        manifest.packed = vec!["data/0-x".into()];
        zip.start_file("workspace.json", o).unwrap();
        std::io::Write::write_all(&mut zip, manifest.to_json().as_bytes()).unwrap();
        zip.finish().unwrap();
        let e = Workspace::open(&bad, home.path()).unwrap_err().to_string();
        assert!(e.contains("is not a file name"), "{e}");
        // Not a zip we know.
        std::fs::write(&bad, b"PK\x03\x04junk").unwrap();
        let e = Workspace::open(&bad, home.path()).unwrap_err().to_string();
        assert!(e.contains("damaged packed workspace"), "{e}");
    }

    /// A pack that would unpack more than its manifest declares, or one entry many times, is
    /// refused before (or while) writing, and leaves nothing but what it declared.
    #[test]
    fn a_zip_bomb_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("small.csv");
        std::fs::write(&csv, "a,b\n1,2\n").unwrap();
        let ws = Workspace::new(
            std::slice::from_ref(&csv),
            Some("small.csv".into()),
            "data",
            BTreeMap::new(),
            BTreeMap::new(),
        )
        .unwrap();
        let write_pack = |path: &Path, manifest: &Workspace, body: &[u8]| {
            let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
            let o = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            zip.start_file("data/0-small.csv", o).unwrap();
            std::io::Write::write_all(&mut zip, body).unwrap();
            zip.start_file("workspace.json", o).unwrap();
            std::io::Write::write_all(&mut zip, manifest.to_json().as_bytes()).unwrap();
            zip.finish().unwrap();
        };
        let mut manifest = ws.clone();
        manifest.packed = vec!["data/0-small.csv".into()];
        let home = tempfile::tempdir().unwrap();
        // 8 bytes declared, 50 MB of zeros inside (a few KB packed).
        let bomb = dir.path().join("bomb.playbook");
        write_pack(&bomb, &manifest, &vec![0u8; 50 << 20]);
        assert!(std::fs::metadata(&bomb).unwrap().len() < 1 << 20);
        let e = Workspace::open(&bomb, home.path()).unwrap_err().to_string();
        assert!(e.contains("the pack was altered"), "{e}");
        let unpacked: u64 = walk_sizes(&home.path().join("unpacked"));
        assert!(unpacked <= 8, "{unpacked} bytes unpacked");
        // Ten thousand datasets naming one entry.
        let mut many = manifest.clone();
        many.datasets = vec![manifest.datasets[0].clone(); 10_000];
        many.packed = vec!["data/0-small.csv".into(); 10_000];
        let fan = dir.path().join("fan.playbook");
        write_pack(&fan, &many, b"a,b\n1,2\n");
        let e = Workspace::open(&fan, home.path()).unwrap_err().to_string();
        assert!(e.contains("a pack holds at most 1000"), "{e}");
        many.datasets.truncate(2);
        many.packed.truncate(2);
        write_pack(&fan, &many, b"a,b\n1,2\n");
        let e = Workspace::open(&fan, home.path()).unwrap_err().to_string();
        assert!(e.contains("named by two datasets"), "{e}");
    }

    fn walk_sizes(dir: &Path) -> u64 {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return 0;
        };
        entries
            .flatten()
            .map(|e| {
                let p = e.path();
                if p.is_dir() {
                    walk_sizes(&p)
                } else {
                    e.metadata().map_or(0, |m| m.len())
                }
            })
            .sum()
    }

    #[test]
    fn a_damaged_zip_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.playbook");
        std::fs::write(&bad, b"PK\x03\x04junk").unwrap();
        let home = tempfile::tempdir().unwrap();
        let e = Workspace::open(&bad, home.path()).unwrap_err().to_string();
        assert!(e.contains("damaged packed workspace"), "{e}");
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
