//! The eframe shell: top bar (Open, Recent, theme), sidebar (panels and datasets), status bar
//! (jobs with progress and Cancel, the last error), and the selected panel in the middle.
//! `logic` (poll jobs, dropped files, settings) is kept apart from `show` (drawing).

mod browser;
mod chrome;
mod icon;
mod settings;
mod window;
mod workspaces;

use std::path::PathBuf;
use std::time::Duration;

pub use settings::Settings;

use crate::jobs::{JobError, JobRunner};
use crate::panels::{self, Panel, PanelCtx};

/// The key of the app's Open pick.
const OPEN_PICK: &str = "app:open";
pub use crate::session::{Catalog, Exports, Notices, Request, RunsHome};

pub struct PlaybookApp {
    pub settings: Settings,
    pub catalog: Catalog,
    pub jobs: JobRunner,
    pub notices: Notices,
    pub exports: Exports,
    /// Where runs are recorded.
    pub runs: RunsHome,
    requests: Vec<Request>,
    panels: Vec<Box<dyn Panel>>,
    /// Choosing files or folders: the system dialog, or the in-app browser.
    pub picks: crate::session::Picks,
    /// The in-app file browser, for when the system dialog is missing.
    pub browser: browser::Browser,
    /// The in-app Save window, for the same reason.
    save_dialog: browser::SaveDialog,
    applied_theme: Option<egui::ThemePreference>,
    /// Brings a window restored off the screen back onto it.
    placement: window::Placement,
    /// Workspaces being read, and datasets of an opened one that moved or changed.
    pub workspaces: workspaces::Workspaces,
}

impl PlaybookApp {
    /// Build the app and start loading the samples and the files that were open last time.
    /// Runs are recorded in the default run store (`PLAYBOOK_HOME` or the platform's).
    pub fn new(ctx: &egui::Context, settings: Settings) -> Self {
        Self::with_runs(ctx, settings, RunsHome::default_home())
    }

    /// The same, recording runs in the store at `runs` (tests use a temp folder).
    pub fn with_runs(ctx: &egui::Context, settings: Settings, runs: RunsHome) -> Self {
        let repaint_ctx = ctx.clone();
        let jobs = JobRunner::new(move || repaint_ctx.request_repaint());
        let mut panels = panels::all_panels();
        for p in &mut panels {
            if let Some(v) = settings.panels.get(p.id()) {
                p.restore(v);
            }
        }
        let mut app = Self {
            catalog: Catalog::default(),
            jobs,
            notices: Notices::default(),
            exports: Exports::default(),
            runs,
            requests: Vec::new(),
            panels,
            picks: crate::session::Picks::default(),
            browser: browser::Browser::default(),
            save_dialog: browser::SaveDialog::default(),
            applied_theme: None,
            placement: window::Placement::default(),
            workspaces: workspaces::Workspaces::default(),
            settings,
        };
        if app.panel_index().is_none() {
            app.settings.panel = app.panels[0].id().to_owned();
        }
        app.catalog.set_recipes(app.settings.recipes.clone());
        app.catalog.load_samples(&app.jobs);
        // Reopen last session's files; they are already in the recent list, in their order.
        for path in app.settings.open_files.clone() {
            if let Err(e) = app.catalog.load_file(&app.jobs, &path, false) {
                app.notices.error(format!("{}: {e}", path.display()));
            }
        }
        if let Some(name) = app.settings.dataset.clone() {
            app.catalog.select_by_name(&name);
        }
        app
    }

    fn panel_index(&self) -> Option<usize> {
        self.panels
            .iter()
            .position(|p| p.id() == self.settings.panel)
    }

    /// The panels' (id, title), in sidebar order.
    pub fn panel_titles(&self) -> Vec<(&'static str, &'static str)> {
        self.panels.iter().map(|p| (p.id(), p.title())).collect()
    }

    pub fn select_panel(&mut self, id: &str) {
        if self.panels.iter().any(|p| p.id() == id) {
            self.settings.panel = id.to_owned();
        }
    }

    /// Give the panel `id` choices as its `save` wrote them (settings, workspaces, tests).
    pub fn restore_panel(&mut self, id: &str, choices: &serde_json::Value) {
        if let Some(p) = self.panels.iter_mut().find(|p| p.id() == id) {
            p.restore(choices);
        }
    }

    /// Start loading a file (from Open, Recent, drag-and-drop or the command line).
    pub fn open_path(&mut self, path: PathBuf) {
        let is_workspace = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case(crate::workspace::EXTENSION));
        if is_workspace {
            self.open_workspace(path);
            return;
        }
        // Opened from the Start page: show it (its first rows while a large file loads).
        if self.settings.panel == "start" {
            self.select_panel("data");
        }
        match self.catalog.load_file(&self.jobs, &path, true) {
            Ok(()) | Err(JobError::AlreadyRunning(_)) => {}
            Err(e) => self.notices.error(format!("{}: {e}", path.display())),
        }
    }

    /// What the Open dialog (and Browse…) chooses: the files Playbook opens.
    pub fn open_request() -> crate::session::PickRequest {
        crate::session::PickRequest::new(
            OPEN_PICK,
            "Choose files to open",
            crate::session::PickKind::Files {
                filter: "Data",
                extensions: crate::data::OPEN_EXTENSIONS,
                multiple: true,
            },
        )
    }

    /// Show the Open dialog (the system's in a job, or the in-app browser).
    pub fn open_dialog(&mut self) {
        if let Err(e) = self.picks.request(&self.jobs, Self::open_request()) {
            self.notices.error(e.to_string());
        }
    }

    /// True when no job is running: nothing is loading, computing or saving.
    pub fn is_idle(&self) -> bool {
        self.jobs.active().is_empty()
    }

    /// Per-frame logic: collect finished jobs, take dropped files, apply the theme.
    pub fn logic(&mut self, ctx: &egui::Context) {
        if self.applied_theme != Some(self.settings.theme) {
            ctx.set_theme(self.settings.theme);
            self.applied_theme = Some(self.settings.theme);
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        let taken = !dropped.is_empty()
            && self
                .panels
                .iter_mut()
                .find(|p| p.id() == self.settings.panel)
                .is_some_and(|p| p.take_dropped(&dropped));
        if !taken {
            for path in dropped {
                self.open_path(path);
            }
        }
        let open_shortcut = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::O);
        if ctx.input_mut(|i| i.consume_shortcut(&open_shortcut)) {
            self.open_dialog();
        }
        for e in self.picks.poll() {
            self.notices.error(e);
        }
        self.workspace_logic();
        if let Some(paths) = self.picks.take(OPEN_PICK) {
            paths.into_iter().for_each(|p| self.open_path(p));
        }
        if let Some(e) = self.save_dialog.poll() {
            self.notices.error(e);
        }
        if let Some(e) = self.browser.poll() {
            self.notices.error(e);
        }
        for e in self.catalog.poll() {
            self.notices.error(e.to_string());
        }
        for note in self.catalog.take_notes() {
            self.notices.warning(note);
        }
        for path in self.catalog.take_opened() {
            self.settings.remember_recent(&path);
        }
        if ctx.input(|i| i.viewport().close_requested()) && !self.may_quit() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        }
        for done in self.exports.poll() {
            match done {
                Ok(path) => {
                    self.notices.info(format!("Saved {}", path.display()));
                    self.written(&path);
                }
                Err(e) => {
                    self.notices.error(format!("Save failed: {e}"));
                    self.save_failed();
                }
            }
        }
        let (panels, mut pctx) = self.panels_and_ctx();
        for p in panels {
            p.logic(&mut pctx);
        }
        self.handle_requests();
        if !self.is_idle() {
            // Keep progress bars and elapsed times moving while jobs run.
            ctx.request_repaint_after(Duration::from_millis(100));
        }
    }

    /// The panels and, apart from them, the context they are given.
    fn panels_and_ctx(&mut self) -> (&mut [Box<dyn Panel>], PanelCtx<'_>) {
        let ctx = PanelCtx {
            catalog: &mut self.catalog,
            jobs: &self.jobs,
            notices: &mut self.notices,
            exports: &mut self.exports,
            picks: &mut self.picks,
            runs: &self.runs,
            requests: &mut self.requests,
        };
        (&mut self.panels, ctx)
    }

    /// Carry out what panels asked for: open a recorded run in its panel.
    fn handle_requests(&mut self) {
        for request in std::mem::take(&mut self.requests) {
            match request {
                Request::OpenRun(run) => self.open_run(&run),
                Request::ShowPanel(id) => self.select_panel(id),
            }
        }
    }

    /// Give a recorded run to the panel of its use case and show that panel.
    pub fn open_run(&mut self, run: &crate::runs::RunRecord) {
        let Some(index) = self
            .panels
            .iter()
            .position(|p| p.use_cases().contains(&run.use_case.as_str()))
        else {
            self.notices.error(format!(
                "Run {}: no panel opens {} runs",
                run.id, run.use_case
            ));
            return;
        };
        let (outcome, id, title) = {
            let (panels, mut pctx) = self.panels_and_ctx();
            let panel = &mut panels[index];
            (panel.open_run(run, &mut pctx), panel.id(), panel.title())
        };
        match outcome {
            Ok(()) => {
                self.settings.panel = id.to_owned();
                self.notices
                    .info(format!("Run {} opened in {title}", run.id));
            }
            Err(e) => self.notices.error(format!("Run {}: {e}", run.id)),
        }
    }

    /// Draw the whole window.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        chrome::top_bar(self, ui);
        chrome::status_bar(self, ui);
        chrome::sidebar(self, ui);
        let index = self.panel_index().unwrap_or(0);
        let (panels, mut pctx) = self.panels_and_ctx();
        let panel = &mut panels[index];
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(text) = panel.about() {
                egui::CollapsingHeader::new("About this analysis")
                    .id_salt(("about", panel.id()))
                    .show(ui, |ui| {
                        ui.label(text);
                    });
            }
            panel.ui(ui, &mut pctx);
        });
        if let Some(request) = self.picks.awaiting.clone()
            && let Some(paths) = self.browser.ui(ui.ctx(), &self.jobs, &request)
        {
            self.picks.answer(paths);
        }
        self.save_window(ui.ctx());
        self.workspace_window(ui.ctx());
        self.quit_window(ui.ctx());
        self.pack_window(ui.ctx());
        chrome::drop_hint(ui.ctx());
    }

    /// The in-app Save window while a save waits for it (no system dialog here).
    fn save_window(&mut self, ctx: &egui::Context) {
        let Some(request) = &self.exports.awaiting else {
            return;
        };
        let (file_name, ext) = (request.file_name.clone(), request.kind.ext());
        match self.save_dialog.ui(ctx, &self.jobs, &file_name, ext) {
            None => {}
            Some(browser::SaveChoice::Cancel) => {
                self.exports.awaiting = None;
                self.notices.info(format!("Not saved: {file_name}"));
            }
            Some(browser::SaveChoice::Save(path)) => {
                if let Some(r) = self.exports.awaiting.take()
                    && let Err(e) = self.exports.write_to(&self.jobs, r.payload, path)
                {
                    self.notices.error(format!("Save failed: {e}"));
                }
            }
        }
    }

    /// Settings as they should be saved now.
    pub fn settings_to_save(&self) -> Settings {
        let mut s = self.settings.clone();
        s.open_files = self.catalog.open_files();
        s.recipes = self.catalog.recipes();
        s.dataset = self.catalog.selected().map(|e| e.data.name.clone());
        for p in &self.panels {
            s.panels.insert(p.id().to_owned(), p.save());
        }
        s
    }
}

impl eframe::App for PlaybookApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.placement.check(ctx);
        PlaybookApp::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.settings_to_save());
    }
}

/// Open the window (blocks until it is closed), loading `files` besides the remembered ones.
pub fn run(files: Vec<PathBuf>) -> eframe::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .init();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Playbook")
            .with_inner_size(window::DEFAULT_SIZE)
            .with_min_inner_size(window::MIN_SIZE)
            .with_icon(icon::icon(64))
            .with_drag_and_drop(true),
        // Runs after eframe has applied the saved geometry.
        window_builder: Some(Box::new(window::restore)),
        ..Default::default()
    };
    eframe::run_native(
        "Playbook",
        options,
        Box::new(|cc| {
            let settings: Settings = cc
                .storage
                .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
                .unwrap_or_default();
            let mut app = PlaybookApp::new(&cc.egui_ctx, settings);
            for f in files {
                app.open_path(f);
            }
            Ok(Box::new(app))
        }),
    )
}
