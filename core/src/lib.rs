//! Playbook's core: every layer below the window and the command line, in one crate that cannot
//! import them (it has no egui and no clap). `data` reads files and makes samples, `compute`
//! holds the algorithms, `usecases` each use case's one orchestration (params, check, run,
//! output) and the registry of use cases, `runs` the run store that records every run, `chart`
//! describes charts, `export` writes tables and charts atomically, `format` says numbers and
//! sizes in words, `theme` holds the palette screen and export share. The app crate
//! (`playbook`: panels, the app shell, the CLI and the demo) and the Python wheel build on it.

pub mod chart;
pub mod compute;
pub mod data;
pub mod export;
pub mod format;
pub mod runs;
pub mod theme;
#[cfg(feature = "mlflow")]
pub mod tls;
pub mod usecases;
