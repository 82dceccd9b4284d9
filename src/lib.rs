//! Playbook: a desktop analytics workbench for the use cases of a book of machine-learning case
//! studies. This crate holds the faces: `app` and `panels` the window, `session` what the
//! window's panels share (these three only with the default `gui` feature), `cli` and `demo`
//! the headless face, `jobs` runs work off the UI thread, `workspace` and `report` save and
//! show a session, `settings` the app's settings. The layers below (data, compute, use cases,
//! the run store, charts, export) are the `playbook-core` crate, which cannot import this one.

#[cfg(feature = "gui")]
pub mod app;
pub mod cli;
pub mod demo;
pub mod jobs;
#[cfg(feature = "gui")]
pub mod panels;
pub mod report;
#[cfg(feature = "gui")]
pub mod session;
pub mod settings;
pub mod workspace;

// The layers below the window live in `playbook-core`, which cannot import this crate; they are
// re-exported under their own names so `playbook::data` and `crate::data` read as before.
#[cfg(feature = "mlflow")]
pub use playbook_core::tls;
pub use playbook_core::{chart, compute, data, export, format, runs, theme, usecases};
