//! A small in-app file browser and Save window, for machines where the system file dialog is
//! missing (no xdg-desktop-portal and no zenity on a bare Linux desktop): folders first, then
//! the files Playbook can open (or, to save, every file). Directory listings run as jobs, like
//! all I/O.

use std::path::{Path, PathBuf};

use crate::jobs::{JobRunner, Slot};
use crate::session::{PickKind, PickRequest};

/// One row of a listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Item {
    pub name: String,
    pub is_dir: bool,
}

/// What a listing shows besides folders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Show {
    /// Files with one of these extensions (lower case).
    Files(&'static [&'static str]),
    /// Every file (to save).
    Every,
    /// Folders only (to choose one).
    Folders,
}

impl Show {
    fn of(kind: PickKind) -> Self {
        match kind {
            PickKind::Files { extensions, .. } => Self::Files(extensions),
            PickKind::Folder => Self::Folders,
        }
    }

    fn wants(self, name: &str) -> bool {
        let ext = Path::new(name)
            .extension()
            .and_then(|x| x.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        match self {
            Self::Files(extensions) => extensions.contains(&ext.as_str()),
            Self::Every => true,
            Self::Folders => false,
        }
    }
}

/// List `dir`: sub-folders, then the files `show` asks for; hidden entries left out.
pub fn list(dir: &Path, show: Show) -> std::io::Result<Vec<Item>> {
    let mut items: Vec<Item> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let is_dir = e.file_type().ok()?.is_dir() || e.path().is_dir();
            let wanted = is_dir || show.wants(&name);
            (wanted && !name.starts_with('.')).then_some(Item { name, is_dir })
        })
        .collect();
    items.sort_by(|a, b| b.is_dir.cmp(&a.is_dir).then_with(|| a.name.cmp(&b.name)));
    Ok(items)
}

type Listing = Slot<(PathBuf, Show), Vec<Item>>;

/// Ask for `dir`'s listing in a job, unless it is there or coming.
fn request_listing(listing: &mut Listing, jobs: &JobRunner, dir: &Path, show: Show) {
    let d = dir.to_owned();
    listing.request(
        jobs,
        (dir.to_owned(), show),
        format!("list:{}", dir.display()),
        "List folder".into(),
        move |_| list(&d, show).map_err(|e| anyhow::anyhow!("{}: {e}", d.display())),
    );
}

/// The folder row: Up, and the path typed or walked to.
fn folder_row(ui: &mut egui::Ui, dir: &Path, typed: &mut String) -> Option<PathBuf> {
    let mut go = None;
    ui.horizontal(|ui| {
        if ui.button("Up").clicked() {
            go = dir.parent().map(Path::to_owned);
        }
        let l = ui.label("Folder");
        let r = ui
            .add(egui::TextEdit::singleline(typed).desired_width(340.0))
            .labelled_by(l.id)
            .on_hover_text("Type a folder (or a file) and press Enter");
        if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            go = Some(PathBuf::from(typed.trim()));
        }
    });
    go
}

/// The in-app browser, for any pick: walk folders (Up, a typed path, the listing) and choose
/// a file, every file shown, or the folder itself.
pub struct Browser {
    dir: PathBuf,
    typed: String,
    listing: Listing,
}

impl Default for Browser {
    fn default() -> Self {
        let dir = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        Self {
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
    }

    /// Collect a finished listing; its error, if any, for the status bar.
    pub fn poll(&mut self) -> Option<String> {
        self.listing.poll().map(|e| e.to_string())
    }

    /// Draw the window for `request`; the paths chosen once the user has chosen (none when
    /// the window was closed).
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        jobs: &JobRunner,
        request: &PickRequest,
    ) -> Option<Vec<PathBuf>> {
        let dir = self.dir.clone();
        let show = Show::of(request.kind);
        request_listing(&mut self.listing, jobs, &dir, show);
        let mut chosen = None;
        let mut go: Option<PathBuf> = None;
        let mut open = true;
        egui::Window::new(&request.title)
            .open(&mut open)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .default_size([520.0, 420.0])
            .collapsible(false)
            .show(ctx, |ui| {
                // The same size in every folder: a short listing does not shrink the window.
                ui.set_min_size(egui::vec2(460.0, 300.0));
                if request.no_dialog {
                    ui.weak("No system file dialog is available here; choose below.");
                }
                if let Some(p) = folder_row(ui, &dir, &mut self.typed) {
                    // Listed anew, even the same folder (made since it could not be read).
                    self.listing.clear();
                    match request.kind {
                        PickKind::Files { .. } if p.is_file() => chosen = Some(vec![p]),
                        _ => go = Some(p),
                    }
                }
                ui.separator();
                let items = self.listing.get(&(dir.clone(), show));
                egui::ScrollArea::vertical()
                    .max_height(300.0)
                    .show(ui, |ui| match items {
                        None if self.listing.failed(&(dir.clone(), show)) => {
                            ui.label("This folder cannot be read.");
                        }
                        None => {
                            ui.spinner();
                        }
                        Some(items) if items.is_empty() => {
                            ui.weak(match show {
                                Show::Folders => "No folders here.",
                                _ => "No folders or files of this kind here.",
                            });
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
                                        chosen = Some(vec![p]);
                                    }
                                }
                            }
                        }
                    });
                let files: Vec<PathBuf> = items
                    .into_iter()
                    .flatten()
                    .filter(|i| !i.is_dir)
                    .map(|i| dir.join(&i.name))
                    .collect();
                match request.kind {
                    PickKind::Folder => {
                        ui.separator();
                        if ui
                            .button("Use this folder")
                            .on_hover_text(dir.display().to_string())
                            .clicked()
                        {
                            chosen = Some(vec![dir.clone()]);
                        }
                    }
                    PickKind::Files { multiple: true, .. } if files.len() > 1 => {
                        ui.separator();
                        if ui
                            .button(format!("Choose all {} here", files.len()))
                            .clicked()
                        {
                            chosen = Some(files);
                        }
                    }
                    PickKind::Files { .. } => {}
                }
            });
        if let Some(p) = go {
            self.show_at(&p);
        }
        if !open {
            return Some(Vec::new());
        }
        chosen
    }
}

/// What the Save window decided this frame.
pub(crate) enum SaveChoice {
    /// Write here.
    Save(PathBuf),
    Cancel,
}

/// The in-app Save window: a folder (typed, or walked with Up and the listing), a file name
/// (offered by the panel; the extension is added when left out), and a confirmation before
/// replacing a file.
pub(crate) struct SaveDialog {
    dir: PathBuf,
    typed: String,
    name: String,
    /// The request the name was set for (a new save resets it).
    for_file: Option<String>,
    /// A path that exists and waits for "Replace".
    confirm: Option<PathBuf>,
    listing: Listing,
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
            // A new save lists its folder anew: the last save may have written into it (it
            // showed "An empty folder." for a folder holding files until a restart).
            self.listing.clear();
        }
        let dir = self.dir.clone();
        request_listing(&mut self.listing, jobs, &dir, Show::Every);
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
                ui.set_min_size(egui::vec2(460.0, 300.0));
                ui.weak("No system file dialog is available here; choose where to save.");
                if let Some(p) = folder_row(ui, &dir, &mut self.typed) {
                    // Listed anew, even the same folder (made since it could not be read).
                    self.listing.clear();
                    go = Some(p);
                }
                ui.separator();
                egui::ScrollArea::vertical()
                    .max_height(240.0)
                    .show(ui, |ui| {
                        match self.listing.get(&(dir.clone(), Show::Every)) {
                            None if self.listing.failed(&(dir.clone(), Show::Every)) => {
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
        let names: Vec<String> = list(dir.path(), Show::Files(crate::data::OPEN_EXTENSIONS))
            .unwrap()
            .into_iter()
            .map(|i| i.name)
            .collect();
        assert_eq!(names, ["sub", "a.parquet", "b.csv", "z.geojson"]);
    }
}
