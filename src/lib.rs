//! Playbook: a desktop analytics workbench for the use cases of a book of machine-learning case
//! studies. `data` reads files and makes samples, `compute` holds the algorithms (no egui),
//! `usecases` holds each use case's one orchestration (params, check, run, output), `runs` is the
//! run store that records every run, `jobs` runs work off the UI thread, `chart` describes
//! charts, `export` writes tables and charts atomically; `cli` and `demo` are the headless face,
//! `app` and `panels` the window, and `session` what the window's panels share (these three
//! only with the default `gui` feature; the Python wheel builds without them).

#[cfg(feature = "gui")]
pub mod app;
pub mod chart;
pub mod cli;
pub mod compute;
pub mod data;
pub mod demo;
pub mod export;
pub mod format;
pub mod jobs;
#[cfg(feature = "gui")]
pub mod panels;
pub mod report;
pub mod runs;
#[cfg(feature = "gui")]
pub mod session;
pub mod settings;
pub mod theme;
#[cfg(feature = "mlflow")]
pub mod tls;
pub mod usecases;
pub mod workspace;
