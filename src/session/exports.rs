//! Saving from the app: a save dialog (rfd, asynchronous, so it never blocks the UI thread)
//! and the atomic write from `crate::export`, together as one job. The status bar reports
//! where the file went, or why it failed. Where there is no system dialog (a bare Linux desktop
//! with no portal and no zenity answers at once with nothing), the save waits in `awaiting`
//! for the app's own Save window, and later saves go there directly.

use std::path::PathBuf;

use polars::prelude::DataFrame;

use crate::chart::Chart;
use crate::export;
use crate::jobs::{JobError, JobHandle, JobRunner};

/// File types a user can save.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveAs {
    Png,
    Svg,
    Csv,
    Parquet,
    /// Text files: a model (JSON), rules (SQL or plain text).
    Json,
    Sql,
    Txt,
    /// An image classifier (`compute::images` model file).
    Model,
    /// A workspace (`.playbook`).
    Workspace,
    /// A report.
    Html,
}

impl SaveAs {
    pub fn ext(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Svg => "svg",
            Self::Csv => "csv",
            Self::Parquet => "parquet",
            Self::Json => "json",
            Self::Sql => "sql",
            Self::Txt => "txt",
            Self::Model => "model",
            Self::Workspace => crate::workspace::EXTENSION,
            Self::Html => "html",
        }
    }
}

/// What to write once a path is chosen.
pub enum Payload {
    Chart(Box<Chart>),
    /// Small multiples, written as one image (a grid) or one table.
    Charts(Vec<Chart>),
    Table(DataFrame),
    /// Text written as it is (JSON, SQL, rules).
    Text(String),
    /// A copy of a file Playbook made (a model in the run store).
    File(PathBuf),
    /// Text made when it is written, in the save job (a workspace: its files fingerprinted).
    Later(Box<dyn FnOnce() -> anyhow::Result<String> + Send>),
    /// Bytes streamed into the file by the save job (a packed workspace: a zip of its data).
    Stream(Box<FillStream>),
}

/// Fills a `Payload::Stream`'s file.
pub(crate) type FillStream = dyn FnOnce(&mut StreamTarget<'_>) -> anyhow::Result<()> + Send;

/// Where a `Payload::Stream` writes: the save's temporary file, renamed over the target when
/// the whole stream is in.
pub(crate) type StreamTarget<'a> = std::io::BufWriter<&'a mut std::fs::File>;

/// A save waiting for a path: what to write, and the file name offered.
pub struct SaveRequest {
    pub payload: Payload,
    pub file_name: String,
    pub kind: SaveAs,
}

/// How a save job ended.
enum Outcome {
    Written(PathBuf),
    Cancelled,
    /// The system dialog answered at once with nothing: there is none here.
    NoDialog(Box<SaveRequest>),
}

/// Nobody cancels a dialog within a third of a second: an instant empty answer means there is
/// no system dialog.
pub(crate) const NO_DIALOG_WITHIN: std::time::Duration = std::time::Duration::from_millis(300);

#[derive(Default)]
pub struct Exports {
    pending: Vec<JobHandle<Outcome>>,
    /// When set (tests, scripted runs), files go into this folder without a dialog.
    pub folder: Option<PathBuf>,
    /// No system save dialog here: saves go to the in-app one.
    pub no_system_dialog: bool,
    /// A save waiting for the in-app dialog.
    pub awaiting: Option<SaveRequest>,
}

fn write(payload: Payload, path: &std::path::Path) -> anyhow::Result<()> {
    match payload {
        Payload::Later(make) => {
            let text = make()?;
            export::write_atomic(path, |w| std::io::Write::write_all(w, text.as_bytes()))?
        }
        Payload::Chart(c) => export::write_chart(&c, path)?,
        Payload::Charts(c) => export::write_charts(&c, path)?,
        Payload::Table(df) => export::write_table(&df, path)?,
        Payload::Text(t) => {
            export::write_atomic(path, |w| std::io::Write::write_all(w, t.as_bytes()))?
        }
        Payload::Stream(fill) => {
            let mut failed = None;
            let wrote = export::write_atomic(path, |w| {
                fill(w).map_err(|e| {
                    let text = format!("{e:#}");
                    failed = Some(e);
                    std::io::Error::other(text)
                })
            });
            if let Some(e) = failed {
                return Err(e);
            }
            wrote?
        }
        Payload::File(from) => {
            let mut source = std::fs::File::open(&from)
                .map_err(|e| anyhow::anyhow!("{}: {e}", from.display()))?;
            export::write_atomic(path, |w| std::io::copy(&mut source, w).map(|_| ()))?
        }
    }
    Ok(())
}

impl Exports {
    /// Ask where to save, then write; all in a job (or, with no system dialog, wait for the
    /// in-app one).
    pub fn save(
        &mut self,
        jobs: &JobRunner,
        payload: Payload,
        stem: &str,
        kind: SaveAs,
    ) -> Result<(), JobError> {
        let file_name = format!("{stem}.{}", kind.ext());
        if let Some(dir) = &self.folder {
            return self.write_to(jobs, payload, dir.join(&file_name));
        }
        let request = SaveRequest {
            payload,
            file_name: file_name.clone(),
            kind,
        };
        if self.no_system_dialog {
            self.awaiting = Some(request);
            return Ok(());
        }
        let handle = jobs.spawn(
            format!("export:{file_name}"),
            format!("Save {file_name}"),
            move |_| {
                let started = std::time::Instant::now();
                let path = pollster::block_on(
                    rfd::AsyncFileDialog::new()
                        .set_file_name(&request.file_name)
                        .add_filter(kind.ext(), &[kind.ext()])
                        .save_file(),
                )
                .map(|h| h.path().to_owned());
                match path {
                    Some(path) => {
                        write(request.payload, &path)?;
                        Ok(Outcome::Written(path))
                    }
                    None if started.elapsed() < NO_DIALOG_WITHIN => {
                        Ok(Outcome::NoDialog(Box::new(request)))
                    }
                    None => Ok(Outcome::Cancelled),
                }
            },
        )?;
        self.pending.push(handle);
        Ok(())
    }

    /// Write `payload` to `path` in a job (the in-app dialog's answer).
    pub(crate) fn write_to(
        &mut self,
        jobs: &JobRunner,
        payload: Payload,
        path: PathBuf,
    ) -> Result<(), JobError> {
        let name = crate::data::file_name(&path);
        let handle = jobs.spawn(
            format!("export:{}", path.display()),
            format!("Save {name}"),
            move |_| {
                write(payload, &path)?;
                Ok(Outcome::Written(path))
            },
        )?;
        self.pending.push(handle);
        Ok(())
    }

    /// Finished exports: `Ok(path)` for each file written, `Err` for each failure. A save that
    /// found no system dialog moves to `awaiting`.
    pub fn poll(&mut self) -> Vec<Result<PathBuf, JobError>> {
        let mut done = Vec::new();
        let mut waiting = Vec::new();
        self.pending.retain_mut(|h| match h.poll() {
            None => true,
            Some(Ok(Outcome::Written(p))) => {
                done.push(Ok(p));
                false
            }
            Some(Ok(Outcome::NoDialog(r))) => {
                waiting.push(r);
                false
            }
            Some(Ok(Outcome::Cancelled)) | Some(Err(JobError::Cancelled)) => false,
            Some(Err(e)) => {
                done.push(Err(e));
                false
            }
        });
        if let Some(r) = waiting.pop() {
            self.no_system_dialog = true;
            self.awaiting = Some(*r);
        }
        done
    }
}
