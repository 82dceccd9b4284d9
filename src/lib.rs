//! Playbook: a desktop analytics workbench for the use cases of a book of machine-learning case
//! studies. `data` reads files and makes samples, `compute` holds the algorithms (no egui),
//! `jobs` runs them off the UI thread, `chart` describes charts, `export` writes tables and
//! charts atomically, `cli` and `demo` are the headless face, `app` and `panels` the window.

pub mod app;
pub mod chart;
pub mod cli;
pub mod compute;
pub mod data;
pub mod demo;
pub mod export;
pub mod format;
pub mod jobs;
pub mod panels;
pub mod theme;
