//! Choosing files or a folder from the app: the system dialog (rfd, asynchronous, in a job so
//! the UI thread never waits), or, where there is none (a bare Linux desktop with no portal and
//! no zenity answers at once with nothing), Playbook's own browser. One mechanism for every
//! panel and for the app's Open: a caller asks under a key and takes the answer under that key
//! in a later frame, whichever of the two dialogs gave it.

use std::path::PathBuf;
use std::time::Instant;

use crate::jobs::{JobError, JobHandle, JobRunner};

/// What a pick chooses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickKind {
    /// Files with one of these extensions (lower case); several at once when `multiple`.
    Files {
        filter: &'static str,
        extensions: &'static [&'static str],
        multiple: bool,
    },
    /// One folder.
    Folder,
}

/// A pick asked for: under which key the answer goes, the dialog's title, what it chooses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PickRequest {
    pub key: String,
    pub title: String,
    pub kind: PickKind,
    /// It waits for the in-app browser because the system dialog answered at once with nothing.
    pub no_dialog: bool,
}

impl PickRequest {
    pub fn new(key: &str, title: &str, kind: PickKind) -> Self {
        Self {
            key: key.to_owned(),
            title: title.to_owned(),
            kind,
            no_dialog: false,
        }
    }
}

#[derive(Default)]
pub struct Picks {
    pending: Vec<(PickRequest, Instant, JobHandle<Vec<PathBuf>>)>,
    ready: Vec<(String, Vec<PathBuf>)>,
    /// No system dialog here: picks go to the in-app browser at once.
    pub no_system_dialog: bool,
    /// A pick waiting for the in-app browser.
    pub awaiting: Option<PickRequest>,
}

/// Run the system dialog for `request` (blocking: call it in a job).
fn system_dialog(request: &PickRequest) -> Vec<PathBuf> {
    let dialog = rfd::AsyncFileDialog::new().set_title(&request.title);
    let chosen = match request.kind {
        PickKind::Folder => pollster::block_on(dialog.pick_folder()).map(|f| vec![f]),
        PickKind::Files {
            filter,
            extensions,
            multiple: true,
        } => pollster::block_on(dialog.add_filter(filter, extensions).pick_files()),
        PickKind::Files {
            filter, extensions, ..
        } => pollster::block_on(dialog.add_filter(filter, extensions).pick_file()).map(|f| vec![f]),
    };
    chosen
        .unwrap_or_default()
        .iter()
        .map(|f| f.path().to_owned())
        .collect()
}

impl Picks {
    /// Ask for a pick; the answer comes from `take(key)` in a later frame. A second request
    /// for a key that is still open is ignored.
    pub fn request(&mut self, jobs: &JobRunner, request: PickRequest) -> Result<(), JobError> {
        if self.is_open(&request.key) {
            return Ok(());
        }
        if self.no_system_dialog {
            self.awaiting = Some(PickRequest {
                no_dialog: true,
                ..request
            });
            return Ok(());
        }
        let asked = request.clone();
        let handle = jobs.spawn(
            format!("dialog:{}", request.key),
            request.title.clone(),
            move |_| Ok(system_dialog(&asked)),
        )?;
        self.pending.push((request, Instant::now(), handle));
        Ok(())
    }

    /// Show the in-app browser for `request` (the Browse… button), without the system dialog.
    pub(crate) fn browse(&mut self, request: PickRequest) {
        self.awaiting = Some(request);
    }

    /// Collect the system dialogs that answered; their errors, for the status bar. A dialog
    /// that answered at once with nothing means there is none: its pick moves to the browser.
    pub fn poll(&mut self) -> Vec<String> {
        let mut errors = Vec::new();
        let mut pending = std::mem::take(&mut self.pending);
        pending.retain_mut(|(request, started, handle)| match handle.poll() {
            None => true,
            Some(Ok(paths)) if paths.is_empty() => {
                if started.elapsed() < super::exports::NO_DIALOG_WITHIN {
                    self.no_system_dialog = true;
                    self.awaiting = Some(PickRequest {
                        no_dialog: true,
                        ..request.clone()
                    });
                }
                false
            }
            Some(Ok(paths)) => {
                self.ready.push((request.key.clone(), paths));
                false
            }
            Some(Err(JobError::Cancelled)) => false,
            Some(Err(e)) => {
                errors.push(format!("{}: {e}", request.title));
                false
            }
        });
        self.pending = pending;
        errors
    }

    /// The in-app browser's answer to the waiting pick (nothing when it was closed).
    pub fn answer(&mut self, paths: Vec<PathBuf>) {
        if let Some(request) = self.awaiting.take()
            && !paths.is_empty()
        {
            self.ready.push((request.key, paths));
        }
    }

    /// The paths chosen for `key`, once.
    pub fn take(&mut self, key: &str) -> Option<Vec<PathBuf>> {
        let at = self.ready.iter().position(|(k, _)| k == key)?;
        Some(self.ready.remove(at).1)
    }

    /// A pick for `key` is open: its dialog is showing or its answer not yet taken.
    pub(crate) fn is_open(&self, key: &str) -> bool {
        self.pending.iter().any(|(r, ..)| r.key == key)
            || self.awaiting.as_ref().is_some_and(|r| r.key == key)
            || self.ready.iter().any(|(k, _)| k == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_no_system_dialog_a_pick_waits_for_the_browser_and_its_answer_goes_to_its_key() {
        let jobs = JobRunner::default();
        let mut picks = Picks {
            no_system_dialog: true,
            ..Picks::default()
        };
        let folder = PickRequest::new("images:folder", "Choose a folder", PickKind::Folder);
        picks.request(&jobs, folder.clone()).unwrap();
        assert_eq!(
            picks.awaiting.as_ref().map(|r| (&r.key, r.no_dialog)),
            Some((&folder.key, true))
        );
        assert!(picks.is_open("images:folder"));
        picks.answer(vec![PathBuf::from("/data/photos")]);
        assert!(picks.awaiting.is_none());
        assert_eq!(picks.take("other"), None);
        assert_eq!(
            picks.take("images:folder"),
            Some(vec![PathBuf::from("/data/photos")])
        );
        assert_eq!(picks.take("images:folder"), None, "an answer is taken once");
        // Closing the browser answers nothing.
        picks.request(&jobs, folder).unwrap();
        picks.answer(Vec::new());
        assert!(!picks.is_open("images:folder"));
    }
}
