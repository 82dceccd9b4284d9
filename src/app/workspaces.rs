//! Saving and opening workspaces from the app: Save workspace… (the files fingerprinted in the
//! save job), Open workspace… (read and every dataset checked in a job), and the window that
//! lists the datasets that moved or changed, each with Locate… and Use anyway.

use std::path::PathBuf;

use super::PlaybookApp;
use crate::jobs::{JobError, JobHandle};
use crate::runs::InputFingerprint;
use crate::session::{Payload, PickKind, PickRequest, SaveAs};
use crate::workspace::{self, Standing, Workspace};

/// The key of the Open workspace pick, and of a Locate… pick.
const OPEN_WORKSPACE: &str = "app:workspace";
const LOCATE: &str = "app:locate";

/// A dataset of an opened workspace that is not as it was saved.
#[derive(Clone, Debug)]
pub struct Issue {
    pub saved: InputFingerprint,
    pub standing: Standing,
    /// A located file that holds other data, waiting for Use anyway.
    pub other: Option<PathBuf>,
}

impl Issue {
    fn message(&self) -> String {
        let path = self.saved.path.clone().unwrap_or_default();
        match (&self.other, &self.standing) {
            (Some(p), _) => format!(
                "{}: {} holds other data than the file saved in the workspace",
                self.saved.name,
                p.display()
            ),
            (None, Standing::Missing) => format!(
                "{}: not found at {path} (moved or deleted)",
                self.saved.name
            ),
            (None, Standing::Changed(why)) => {
                format!("{}: {path} is there, but {why}", self.saved.name)
            }
            (None, Standing::Same) => String::new(),
        }
    }
}

/// What the workspace side of the app holds.
#[derive(Default)]
pub struct Workspaces {
    reading: Option<JobHandle<(PathBuf, Workspace, Vec<Standing>)>>,
    /// Datasets that moved or changed, waiting for the user.
    pub issues: Vec<Issue>,
    /// The issue a Locate… pick is for.
    locating: Option<usize>,
    /// A located file being compared with the saved fingerprint: (issue, file, same?).
    comparing: Option<JobHandle<(usize, PathBuf, bool)>>,
    /// The workspace file last opened or saved.
    pub path: Option<PathBuf>,
    /// The screen as that file holds it (`screen_state`), to tell unsaved changes on quit.
    baseline: Option<String>,
    /// Take the baseline once the opened workspace's files have loaded.
    baseline_when_idle: bool,
    /// The opened workspace's files being loaded.
    loading: Vec<PathBuf>,
    /// The screen when a save was asked for (and whether it packs), the baseline once that
    /// save is written.
    saving: Option<(String, bool)>,
    /// The workspace file on screen is packed: saving it packs again.
    pub packed: bool,
    /// Measuring the data a pack would embed.
    measuring: Option<JobHandle<u64>>,
    /// Asking before packing this many bytes.
    confirm_pack: Option<u64>,
    /// Ask before packing more than this (`PACK_WARN_BYTES`; tests lower it).
    pub pack_warn_bytes: Option<u64>,
    /// Asking whether to save before quitting.
    pub asking_to_quit: bool,
    /// Quit once this file is written (Save and quit).
    quit_after: Option<PathBuf>,
    /// The user chose to quit: let the window close.
    pub quitting: bool,
}

/// A window that asks something, in the middle of the screen, fixed in size.
fn question<'a>(title: &'a str, ctx: &egui::Context) -> egui::Window<'a> {
    egui::Window::new(title)
        .collapsible(false)
        .resizable(false)
        .default_pos(ctx.content_rect().center())
        .pivot(egui::Align2::CENTER_CENTER)
}

impl PlaybookApp {
    /// The screen as a workspace, the files fingerprinted when `make` runs (in the save job).
    fn workspace_maker(&self) -> impl FnOnce() -> anyhow::Result<String> + Send + 'static {
        let make = self.screen_workspace();
        move || make().map(|w| w.to_json())
    }

    /// The screen as a workspace, its files fingerprinted when the closure runs (in a job).
    fn screen_workspace(&self) -> impl FnOnce() -> anyhow::Result<Workspace> + Send + 'static {
        let s = self.settings_to_save();
        move || Workspace::new(&s.open_files, s.dataset, &s.panel, s.panels, s.recipes)
    }

    /// What a workspace holds of the screen, as text to compare: the files, the selected
    /// dataset, the panel, each panel's choices and the datasets' changes.
    fn screen_state(&self) -> String {
        let s = self.settings_to_save();
        serde_json::json!({
            "files": s.open_files,
            "dataset": s.dataset,
            "panel": s.panel,
            "panels": s.panels,
            "recipes": s.recipes,
        })
        .to_string()
    }

    /// True when the screen differs from the workspace file it came from or was saved to.
    pub fn has_unsaved_workspace_changes(&self) -> bool {
        self.workspaces.path.is_some()
            && self
                .workspaces
                .baseline
                .as_ref()
                .is_some_and(|b| *b != self.screen_state())
    }

    /// The window is asked to close: true when it may. With unsaved changes to a workspace,
    /// it asks first (Save and quit, Quit without saving, Cancel).
    pub fn may_quit(&mut self) -> bool {
        if self.workspaces.quitting || !self.has_unsaved_workspace_changes() {
            return true;
        }
        self.workspaces.asking_to_quit = true;
        false
    }

    /// A file the shared save wrote: a workspace becomes the screen's file, unchanged as of the
    /// save; Save and quit quits now.
    pub(super) fn written(&mut self, path: &std::path::Path) {
        if path.extension().and_then(|e| e.to_str()) != Some(workspace::EXTENSION) {
            return;
        }
        self.workspaces.path = Some(path.to_owned());
        let (baseline, packed) = self.workspaces.saving.take().unzip();
        self.workspaces.baseline = baseline;
        self.workspaces.packed = packed.unwrap_or(false);
        self.settings.remember_recent(path);
        if self.workspaces.quit_after.as_deref() == Some(path) {
            self.workspaces.quit_after = None;
            self.workspaces.quitting = true;
        }
    }

    /// A save failed: Save and quit stays open, with the error in the status bar.
    pub(super) fn save_failed(&mut self) {
        self.workspaces.quit_after = None;
    }

    /// Save workspace…: the system Save dialog (or the in-app one), then the file written in a
    /// job.
    pub(crate) fn save_workspace(&mut self) {
        self.workspaces.saving = Some((self.screen_state(), false));
        let payload = Payload::Later(Box::new(self.workspace_maker()));
        if let Err(e) = self
            .exports
            .save(&self.jobs, payload, "workspace", SaveAs::Workspace)
        {
            self.notices.error(e.to_string());
        }
    }

    /// Export report… of the screen: its datasets with fingerprints, each panel's choices and
    /// the runs it shows, as one HTML file (made in the save job).
    pub fn export_workspace_report(&mut self) {
        let make = self.screen_workspace();
        let Some(home) = self.runs.path().map(std::path::Path::to_owned) else {
            self.notices
                .error("Export report: runs are not recorded here, so there is no run store");
            return;
        };
        let name = self
            .workspaces
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from("this screen"));
        let report = move || {
            let ws = make()?;
            let store = crate::runs::RunStore::open(&home)?;
            Ok(crate::report::of_workspace(&store, &name, &ws)?.html())
        };
        if let Err(e) = self.exports.save(
            &self.jobs,
            Payload::Later(Box::new(report)),
            "report",
            SaveAs::Html,
        ) {
            self.notices.error(e.to_string());
        }
    }

    /// The screen packed with its data, written by the save job.
    fn pack_payload(&self) -> Payload {
        let make = self.screen_workspace();
        Payload::Stream(Box::new(move |w| make()?.pack(w)))
    }

    /// Pack workspace…: first the size of the data it would hold (asking above
    /// `PACK_WARN_BYTES`), then the Save dialog and the zip written in a job.
    pub fn pack_workspace(&mut self) {
        let files = self.catalog.open_files();
        let job = self
            .jobs
            .spawn("workspace:measure", "Measure the data to pack", move |_| {
                Ok(files
                    .iter()
                    .filter_map(|p| std::fs::metadata(p).ok())
                    .map(|m| m.len())
                    .sum())
            });
        match job {
            Ok(h) => self.workspaces.measuring = Some(h),
            Err(e) => self.notices.error(e.to_string()),
        }
    }

    fn pack_and_save(&mut self) {
        self.workspaces.saving = Some((self.screen_state(), true));
        let payload = self.pack_payload();
        if let Err(e) = self
            .exports
            .save(&self.jobs, payload, "workspace", SaveAs::Workspace)
        {
            self.notices.error(e.to_string());
        }
    }

    /// Pack the workspace into `path` (tests, scripted runs, Save and quit of a packed one).
    pub(crate) fn pack_workspace_to(&mut self, path: PathBuf) {
        self.workspaces.saving = Some((self.screen_state(), true));
        let payload = self.pack_payload();
        if let Err(e) = self.exports.write_to(&self.jobs, payload, path) {
            self.notices.error(e.to_string());
        }
    }

    /// Where packed workspaces unpack their data: the Playbook home, else a temp folder.
    fn unpack_home(&self) -> PathBuf {
        self.runs
            .path()
            .map_or_else(|| std::env::temp_dir().join("playbook"), ToOwned::to_owned)
    }

    /// Write the workspace to `path` (tests, scripted runs).
    pub fn save_workspace_to(&mut self, path: PathBuf) {
        self.workspaces.saving = Some((self.screen_state(), false));
        let payload = Payload::Later(Box::new(self.workspace_maker()));
        if let Err(e) = self.exports.write_to(&self.jobs, payload, path) {
            self.notices.error(e.to_string());
        }
    }

    /// Open workspace…: choose a `.playbook` file.
    pub(crate) fn open_workspace_dialog(&mut self) {
        let request = PickRequest::new(
            OPEN_WORKSPACE,
            "Open a workspace",
            PickKind::Files {
                filter: "Playbook workspace",
                extensions: &[workspace::EXTENSION],
                multiple: false,
            },
        );
        if let Err(e) = self.picks.request(&self.jobs, request) {
            self.notices.error(e.to_string());
        }
    }

    /// Read the workspace at `path` and check its datasets, in a job; applied when done.
    pub(crate) fn open_workspace(&mut self, path: PathBuf) {
        let file = path.clone();
        let home = self.unpack_home();
        let job = self.jobs.spawn(
            format!("workspace:{}", path.display()),
            format!("Open {}", crate::data::file_name(&path)),
            move |_| {
                let ws = Workspace::open(&file, &home)?;
                let standings = ws.datasets.iter().map(workspace::standing).collect();
                Ok((file, ws, standings))
            },
        );
        match job {
            Ok(h) => self.workspaces.reading = Some(h),
            Err(e) => self.notices.error(e.to_string()),
        }
    }

    /// Put the workspace on screen: panels' choices, changes, the panel and dataset; its files
    /// load, except those that moved or changed, which wait in the issues window.
    fn apply_workspace(&mut self, path: PathBuf, ws: Workspace, standings: Vec<Standing>) {
        let ws_packed = ws.packed.clone();
        self.catalog.set_recipes(ws.recipes.clone());
        for p in &mut self.panels {
            if let Some(v) = ws.panels.get(p.id()) {
                p.restore(v);
            }
        }
        self.select_panel(&ws.panel);
        self.workspaces.issues.clear();
        for (saved, standing) in ws.datasets.into_iter().zip(standings) {
            match (&standing, saved.path.clone()) {
                (Standing::Same, Some(p)) => self.load_workspace_file(PathBuf::from(p)),
                (Standing::Same, None) => {}
                _ => self.workspaces.issues.push(Issue {
                    saved,
                    standing,
                    other: None,
                }),
            }
        }
        if let Some(name) = ws.dataset {
            self.catalog.select_by_name(&name);
        }
        self.settings.remember_recent(&path);
        self.notices.info(format!(
            "Opened workspace {}",
            crate::data::file_name(&path)
        ));
        self.workspaces.path = Some(path);
        self.workspaces.packed = !ws_packed.is_empty();
        self.workspaces.baseline = None;
        self.workspaces.baseline_when_idle = true;
    }

    fn load_workspace_file(&mut self, path: PathBuf) {
        match self.catalog.load_file(&self.jobs, &path, false) {
            Ok(()) | Err(JobError::AlreadyRunning(_)) => self.workspaces.loading.push(path),
            Err(e) => self.notices.error(format!("{}: {e}", path.display())),
        }
    }

    /// Per frame: a workspace read, a workspace chosen, a file located.
    pub(super) fn workspace_logic(&mut self) {
        if let Some(h) = &mut self.workspaces.measuring
            && let Some(done) = h.poll()
        {
            self.workspaces.measuring = None;
            match done {
                Ok(bytes)
                    if bytes
                        > self
                            .workspaces
                            .pack_warn_bytes
                            .unwrap_or(workspace::PACK_WARN_BYTES) =>
                {
                    self.workspaces.confirm_pack = Some(bytes);
                }
                Ok(_) => self.pack_and_save(),
                Err(JobError::Cancelled) => {}
                Err(e) => self.notices.error(format!("Pack workspace: {e}")),
            }
        }
        // An opened workspace is "unchanged" as it stands once its files are in.
        if self.workspaces.baseline_when_idle
            && self.workspaces.reading.is_none()
            && self.workspaces.issues.is_empty()
            && self.is_idle()
            && {
                let open = self.catalog.open_files();
                self.workspaces.loading.iter().all(|p| open.contains(p))
            }
        {
            self.workspaces.loading.clear();
            self.workspaces.baseline_when_idle = false;
            self.workspaces.baseline = Some(self.screen_state());
        }
        if let Some(h) = &mut self.workspaces.reading
            && let Some(done) = h.poll()
        {
            self.workspaces.reading = None;
            match done {
                Ok((path, ws, standings)) => self.apply_workspace(path, ws, standings),
                Err(JobError::Cancelled) => {}
                Err(e) => self.notices.error(format!("Open workspace: {e}")),
            }
        }
        if let Some(path) = self
            .picks
            .take(OPEN_WORKSPACE)
            .and_then(|p| p.into_iter().next())
        {
            self.open_workspace(path);
        }
        if let Some(found) = self.picks.take(LOCATE).and_then(|p| p.into_iter().next())
            && let Some(k) = self.workspaces.locating.take()
            && let Some(issue) = self.workspaces.issues.get(k)
        {
            let saved = issue.saved.clone();
            let job = self.jobs.spawn(
                format!("locate:{}", found.display()),
                format!("Compare {}", crate::data::file_name(&found)),
                move |_| {
                    let same = workspace::same_content(&saved, &found);
                    Ok((k, found, same))
                },
            );
            match job {
                Ok(h) => self.workspaces.comparing = Some(h),
                Err(e) => self.notices.error(e.to_string()),
            }
        }
        if let Some(h) = &mut self.workspaces.comparing
            && let Some(done) = h.poll()
        {
            self.workspaces.comparing = None;
            match done {
                Ok((k, found, true)) if k < self.workspaces.issues.len() => {
                    self.workspaces.issues.remove(k);
                    self.load_workspace_file(found);
                }
                Ok((k, found, false)) if k < self.workspaces.issues.len() => {
                    self.workspaces.issues[k].other = Some(found);
                }
                Ok(_) | Err(JobError::Cancelled) => {}
                Err(e) => self.notices.error(e.to_string()),
            }
        }
    }

    /// Packing more than `PACK_WARN_BYTES`: say how much, and pack only when asked.
    pub(super) fn pack_window(&mut self, ctx: &egui::Context) {
        let Some(bytes) = self.workspaces.confirm_pack else {
            return;
        };
        let mut choice = None;
        question("Pack workspace", ctx).show(ctx, |ui| {
                ui.label(format!(
                    "The open files hold {} of data. Packed, the workspace file will be about that large (text compresses, Parquet does not). Pack them all into one file?",
                    crate::format::bytes(bytes)
                ));
                ui.horizontal(|ui| {
                    if ui.button("Pack").clicked() {
                        choice = Some(true);
                    }
                    if ui.button("Cancel").clicked() {
                        choice = Some(false);
                    }
                });
            });
        match choice {
            Some(true) => {
                self.workspaces.confirm_pack = None;
                self.pack_and_save();
            }
            Some(false) => self.workspaces.confirm_pack = None,
            None => {}
        }
    }

    /// Quitting with unsaved changes to the workspace: save them, drop them, or stay.
    pub(super) fn quit_window(&mut self, ctx: &egui::Context) {
        if self.workspaces.quitting && self.workspaces.asking_to_quit {
            self.workspaces.asking_to_quit = false;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        if !self.workspaces.asking_to_quit {
            return;
        }
        let Some(path) = self.workspaces.path.clone() else {
            self.workspaces.asking_to_quit = false;
            return;
        };
        let saving = self.workspaces.quit_after.is_some();
        let mut choice = None;
        question("Unsaved changes", ctx).show(ctx, |ui| {
            ui.label(format!(
                "This screen has changed since {} was saved. Save the changes before quitting?",
                crate::data::file_name(&path)
            ));
            ui.horizontal(|ui| {
                if saving {
                    ui.spinner();
                    ui.label("Saving…");
                    return;
                }
                if ui.button("Save and quit").clicked() {
                    choice = Some(0);
                }
                if ui.button("Quit without saving").clicked() {
                    choice = Some(1);
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(2);
                }
            });
        });
        match choice {
            Some(0) => {
                self.workspaces.quit_after = Some(path.clone());
                if self.workspaces.packed {
                    self.pack_workspace_to(path);
                } else {
                    self.save_workspace_to(path);
                }
            }
            Some(1) => {
                self.workspaces.quitting = true;
                self.workspaces.asking_to_quit = false;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Some(2) => self.workspaces.asking_to_quit = false,
            _ => {}
        }
    }

    /// The window listing datasets that moved or changed.
    pub(super) fn workspace_window(&mut self, ctx: &egui::Context) {
        if self.workspaces.issues.is_empty() {
            return;
        }
        enum Act {
            Locate(usize),
            Use(usize, PathBuf),
            Skip(usize),
        }
        let mut act = None;
        question("Workspace datasets", ctx)
            .resizable(true)
            .show(ctx, |ui| {
                ui.label("Some datasets of this workspace are not as they were saved. Nothing is computed on them until you choose:");
                for (k, issue) in self.workspaces.issues.iter().enumerate() {
                    ui.separator();
                    ui.colored_label(ui.visuals().warn_fg_color, issue.message());
                    ui.horizontal(|ui| {
                        if ui
                            .button("Locate…")
                            .on_hover_text("Find the file where it is now")
                            .clicked()
                        {
                            act = Some(Act::Locate(k));
                        }
                        let candidate = issue.other.clone().or_else(|| match issue.standing {
                            Standing::Changed(_) => issue.saved.path.clone().map(PathBuf::from),
                            _ => None,
                        });
                        if let Some(p) = candidate
                            && ui
                                .button("Use anyway")
                                .on_hover_text("Open this file as it is now")
                                .clicked()
                        {
                            act = Some(Act::Use(k, p));
                        }
                        if ui.button("Skip").on_hover_text("Leave this dataset out").clicked() {
                            act = Some(Act::Skip(k));
                        }
                    });
                }
            });
        match act {
            Some(Act::Locate(k)) => {
                self.workspaces.locating = Some(k);
                let name = self.workspaces.issues[k].saved.name.clone();
                let request = PickRequest::new(
                    LOCATE,
                    &format!("Locate {name}"),
                    PickKind::Files {
                        filter: "Data",
                        extensions: crate::data::OPEN_EXTENSIONS,
                        multiple: false,
                    },
                );
                if let Err(e) = self.picks.request(&self.jobs, request) {
                    self.notices.error(e.to_string());
                }
            }
            Some(Act::Use(k, p)) => {
                self.workspaces.issues.remove(k);
                self.load_workspace_file(p);
            }
            Some(Act::Skip(k)) => {
                self.workspaces.issues.remove(k);
            }
            None => {}
        }
    }
}
