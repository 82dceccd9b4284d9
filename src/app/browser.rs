//! A small in-app file browser and Save window, for machines where the system file dialog is
//! missing (no xdg-desktop-portal and no zenity on a bare Linux desktop): folders first, then
//! the files Playbook can open (or, to save, every file). Directory listings run as jobs, like
//! all I/O.

use std::path::{Path, PathBuf};

use crate::data::OPEN_EXTENSIONS;
use crate::jobs::{JobRunner, Slot};

/// One row of a listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub name: String,
    pub is_dir: bool,
}

/// List `dir`: sub-folders, then files with an extension Playbook opens (every file when
/// `all`); hidden entries left out.
pub fn list(dir: &Path, all: bool) -> std::io::Result<Vec<Item>> {
    let mut items: Vec<Item> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let is_dir = e.file_type().ok()?.is_dir() || e.path().is_dir();
            let ext = Path::new(&name)
                .extension()
                .and_then(|x| x.to_str())
                .map(str::to_ascii_lowercase)
                .unwrap_or_default();
            let wanted = is_dir || all || OPEN_EXTENSIONS.contains(&ext.as_str());
            (wanted && !name.starts_with('.')).then_some(Item { name, is_dir })
        })
        .collect();
    items.sort_by(|a, b| b.is_dir.cmp(&a.is_dir).then_with(|| a.name.cmp(&b.name)));
    Ok(items)
}

/// Ask for `dir`'s listing in a job (every file when `all`), unless it is there or coming.
fn request_listing(
    listing: &mut Slot<PathBuf, Vec<Item>>,
    jobs: &JobRunner,
    dir: &Path,
    all: bool,
) {
    let d = dir.to_owned();
    listing.request(
        jobs,
        dir.to_owned(),
        format!("list:{}", dir.display()),
        "List folder".into(),
        move |_| list(&d, all).map_err(|e| anyhow::anyhow!("{}: {e}", d.display())),
    );
}

pub struct Browser {
    pub open: bool,
    /// Why it opened by itself, if it did.
    pub note: Option<String>,
    dir: PathBuf,
    typed: String,
    listing: Slot<PathBuf, Vec<Item>>,
}

impl Default for Browser {
    fn default() -> Self {
        let dir = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        Self {
            open: false,
            note: None,
            typed: dir.display().to_string(),
            dir,
            listing: Slot::default(),
        }
    }
}

impl Browser {
    pub fn show_at(&mut self, dir: &Path) {
        self.dir = dir.to_owned();
        self.typed = dir.display().to_string();
        self.open = true;
    }

    /// Collect a finished listing; its error, if any, for the status bar.
    pub fn poll(&mut self) -> Option<String> {
        self.listing.poll().map(|e| e.to_string())
    }

    /// Draw the window; returns a file the user chose.
    pub fn ui(&mut self, ctx: &egui::Context, jobs: &JobRunner) -> Option<PathBuf> {
        if !self.open {
            return None;
        }
        let dir = self.dir.clone();
        request_listing(&mut self.listing, jobs, &dir, false);
        let mut chosen = None;
        let mut go: Option<PathBuf> = None;
        let mut open = self.open;
        egui::Window::new("Open a file")
            .open(&mut open)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .default_size([520.0, 420.0])
            .show(ctx, |ui| {
                if let Some(note) = &self.note {
                    ui.weak(note);
                }
                ui.horizontal(|ui| {
                    if ui.button("Up").clicked() {
                        go = dir.parent().map(Path::to_owned);
                    }
                    let r =
                        ui.add(egui::TextEdit::singleline(&mut self.typed).desired_width(380.0));
                    let r = r.on_hover_text("Folder or file path");
                    if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                        let p = PathBuf::from(self.typed.trim());
                        if p.is_file() {
                            chosen = Some(p);
                        } else {
                            go = Some(p);
                        }
                    }
                });
                ui.separator();
                egui::ScrollArea::vertical().show(ui, |ui| match self.listing.get(&dir) {
                    None if self.listing.failed(&dir) => {
                        ui.label("This folder cannot be read.");
                    }
                    None => {
                        ui.spinner();
                    }
                    Some(items) if items.is_empty() => {
                        ui.weak("No folders or data files here.");
                    }
                    Some(items) => {
                        for item in items {
                            let label = if item.is_dir {
                                format!("{}/", item.name)
                            } else {
                                item.name.clone()
                            };
                            if ui.selectable_label(false, label).clicked() {
                                let p = dir.join(&item.name);
                                if item.is_dir {
                                    go = Some(p);
                                } else {
                                    chosen = Some(p);
                                }
                            }
                        }
                    }
                });
            });
        if let Some(p) = go {
            self.dir = p;
            self.typed = self.dir.display().to_string();
        }
        self.open = open && chosen.is_none();
        chosen
    }
}

/// What the Save window decided this frame.
pub enum SaveChoice {
    /// Write here.
    Save(PathBuf),
    Cancel,
}

/// The in-app Save window: a folder (typed, or walked with Up and the listing), a file name
/// (offered by the panel; the extension is added when left out), and a confirmation before
/// replacing a file.
pub struct SaveDialog {
    dir: PathBuf,
    typed: String,
    name: String,
    /// The request the name was set for (a new save resets it).
    for_file: Option<String>,
    /// A path that exists and waits for "Replace".
    confirm: Option<PathBuf>,
    listing: Slot<PathBuf, Vec<Item>>,
}

impl Default for SaveDialog {
    fn default() -> Self {
        let dir = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        Self {
            typed: dir.display().to_string(),
            dir,
            name: String::new(),
            for_file: None,
            confirm: None,
            listing: Slot::default(),
        }
    }
}

impl SaveDialog {
    /// Collect a finished listing; its error, if any, for the status bar.
    pub fn poll(&mut self) -> Option<String> {
        self.listing.poll().map(|e| e.to_string())
    }

    /// The path for the typed name: the extension `ext` added when the name has none.
    fn target(&self, ext: &str) -> Option<PathBuf> {
        let name = self.name.trim();
        if name.is_empty() || name.contains('/') || name.contains('\\') {
            return None;
        }
        let has_ext = Path::new(name).extension().is_some();
        let file = if has_ext {
            name.to_owned()
        } else {
            format!("{name}.{ext}")
        };
        Some(self.dir.join(file))
    }

    /// Draw the window for a save of `file_name` (extension `ext`).
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        jobs: &JobRunner,
        file_name: &str,
        ext: &str,
    ) -> Option<SaveChoice> {
        if self.for_file.as_deref() != Some(file_name) {
            self.for_file = Some(file_name.to_owned());
            self.name = file_name.to_owned();
            self.confirm = None;
        }
        let dir = self.dir.clone();
        request_listing(&mut self.listing, jobs, &dir, true);
        let mut choice = None;
        let mut go: Option<PathBuf> = None;
        let mut open = true;
        egui::Window::new("Save as")
            .open(&mut open)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .default_size([520.0, 420.0])
            .collapsible(false)
            .show(ctx, |ui| {
                ui.weak("No system file dialog is available here; choose where to save.");
                ui.horizontal(|ui| {
                    if ui.button("Up").clicked() {
                        go = dir.parent().map(Path::to_owned);
                    }
                    let l = ui.label("Folder");
                    let r = ui
                        .add(egui::TextEdit::singleline(&mut self.typed).desired_width(340.0))
                        .labelled_by(l.id)
                        .on_hover_text("Type a folder and press Enter");
                    if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                        go = Some(PathBuf::from(self.typed.trim()));
                    }
                });
                ui.separator();
                egui::ScrollArea::vertical()
                    .max_height(240.0)
                    .show(ui, |ui| match self.listing.get(&dir) {
                        None if self.listing.failed(&dir) => {
                            ui.label("This folder cannot be read.");
                        }
                        None => {
                            ui.spinner();
                        }
                        Some(items) if items.is_empty() => {
                            ui.weak("An empty folder.");
                        }
                        Some(items) => {
                            for item in items {
                                if item.is_dir {
                                    if ui
                                        .selectable_label(false, format!("{}/", item.name))
                                        .clicked()
                                    {
                                        go = Some(dir.join(&item.name));
                                    }
                                } else if ui
                                    .selectable_label(false, &item.name)
                                    .on_hover_text("Use this name (asks before replacing)")
                                    .clicked()
                                {
                                    self.name = item.name.clone();
                                    self.confirm = None;
                                }
                            }
                        }
                    });
                ui.separator();
                let target = self.target(ext);
                ui.horizontal(|ui| {
                    let l = ui.label("File name");
                    if ui
                        .add(egui::TextEdit::singleline(&mut self.name).desired_width(300.0))
                        .labelled_by(l.id)
                        .changed()
                    {
                        self.confirm = None;
                    }
                });
                if let Some(path) = self.confirm.clone() {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!("{} exists. Replace it?", path.display()),
                    );
                    ui.horizontal(|ui| {
                        if ui.button("Replace").clicked() {
                            choice = Some(SaveChoice::Save(path));
                        }
                        if ui.button("Keep it").clicked() {
                            self.confirm = None;
                        }
                    });
                } else {
                    ui.horizontal(|ui| {
                        let save = ui.add_enabled(target.is_some(), egui::Button::new("Save"));
                        if save.clicked()
                            && let Some(path) = target
                        {
                            if path.exists() {
                                self.confirm = Some(path);
                            } else {
                                choice = Some(SaveChoice::Save(path));
                            }
                        }
                        if ui.button("Cancel").clicked() {
                            choice = Some(SaveChoice::Cancel);
                        }
                    });
                }
            });
        if let Some(p) = go {
            self.dir = p;
            self.typed = self.dir.display().to_string();
            self.confirm = None;
        }
        if !open {
            choice = Some(SaveChoice::Cancel);
        }
        if choice.is_some() {
            self.for_file = None;
            self.confirm = None;
        }
        choice
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_folders_then_data_files() {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "b.csv",
            "a.parquet",
            "notes.txt.bak",
            ".hidden.csv",
            "z.geojson",
        ] {
            std::fs::write(dir.path().join(f), "x").unwrap();
        }
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let names: Vec<String> = list(dir.path(), false)
            .unwrap()
            .into_iter()
            .map(|i| i.name)
            .collect();
        assert_eq!(names, ["sub", "a.parquet", "b.csv", "z.geojson"]);
    }
}
