//! What every panel may use of the running app, in one place that both `app/` (which owns it)
//! and `panels/` (which borrow it) import, so neither imports the other's internals: the catalog
//! of open datasets, the job runner, the notices, the exports, and where the run store lives.

mod catalog;
mod exports;
mod notices;
mod picks;

use std::path::{Path, PathBuf};

pub use catalog::{Catalog, DatasetId, Entry, Preview};
pub use exports::{Exports, Payload, SaveAs, SaveRequest};
pub use notices::Notices;
pub use picks::{PickKind, PickRequest, Picks};

use crate::jobs::JobRunner;

/// A panel's view of the app for one frame.
pub struct PanelCtx<'a> {
    pub catalog: &'a mut Catalog,
    pub jobs: &'a JobRunner,
    pub notices: &'a mut Notices,
    pub exports: &'a mut Exports,
    /// Choosing files or a folder (system dialog, or the in-app browser).
    pub picks: &'a mut Picks,
    pub runs: &'a RunsHome,
    /// What the panel asks the app to do after this frame ("Open in panel" from the Runs panel).
    pub requests: &'a mut Vec<Request>,
}

/// Where runs are recorded: the run store's folder, or why there is none.
#[derive(Clone, Debug)]
pub struct RunsHome(pub Result<PathBuf, String>);

impl RunsHome {
    /// `PLAYBOOK_HOME` or the platform's data folder.
    pub(crate) fn default_home() -> Self {
        Self(crate::runs::home().map_err(|e| e.to_string()))
    }

    pub fn at(path: &Path) -> Self {
        Self(Ok(path.to_owned()))
    }

    pub fn path(&self) -> Option<&Path> {
        self.as_result().ok()
    }

    /// The home as `usecases::record::recorded` takes it.
    pub(crate) fn as_result(&self) -> Result<&Path, &str> {
        match &self.0 {
            Ok(p) => Ok(p.as_path()),
            Err(e) => Err(e.as_str()),
        }
    }
}

/// Something a panel asks the app to do after this frame.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// Give a recorded run's params to the panel of its use case, and show that panel.
    OpenRun(Box<crate::runs::RunRecord>),
    /// Show the panel with this id and run its use case on the sample (the Start page's "Try
    /// it on the sample").
    TrySample(&'static str),
}
