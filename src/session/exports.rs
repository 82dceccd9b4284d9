//! Saving from the app: a save dialog (rfd, asynchronous, so it never blocks the UI thread)
//! and the atomic write from `crate::export`, together as one job. The status bar reports
//! where the file went, or why it failed.

use std::path::PathBuf;

use polars::prelude::DataFrame;

use crate::chart::Chart;
use crate::export;
use crate::jobs::{JobError, JobHandle, JobRunner};

/// Show an Open dialog for several files in a job (a dialog must not block the UI thread);
/// the handle yields the chosen paths (none if the user cancelled).
pub fn pick_files(
    jobs: &JobRunner,
    title: &str,
    filter: &str,
    extensions: &'static [&'static str],
) -> Result<JobHandle<Vec<PathBuf>>, JobError> {
    let (filter, heading) = (filter.to_owned(), title.to_owned());
    jobs.spawn(format!("dialog:{title}"), title.to_owned(), move |_| {
        let files = pollster::block_on(
            rfd::AsyncFileDialog::new()
                .set_title(&heading)
                .add_filter(&filter, extensions)
                .pick_files(),
        );
        Ok(files
            .unwrap_or_default()
            .iter()
            .map(|f| f.path().to_owned())
            .collect())
    })
}

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
        }
    }
}

/// What to write once a path is chosen.
pub enum Payload {
    Chart(Chart),
    Table(DataFrame),
    /// Text written as it is (JSON, SQL, rules).
    Text(String),
}

#[derive(Default)]
pub struct Exports {
    pending: Vec<JobHandle<Option<PathBuf>>>,
    /// When set (tests, scripted runs), files go into this folder without a dialog.
    pub folder: Option<PathBuf>,
}

impl Exports {
    /// Ask where to save, then write; all in a job.
    pub fn save(
        &mut self,
        jobs: &JobRunner,
        payload: Payload,
        stem: &str,
        kind: SaveAs,
    ) -> Result<(), JobError> {
        let file_name = format!("{stem}.{}", kind.ext());
        let folder = self.folder.clone();
        let handle = jobs.spawn(
            format!("export:{file_name}"),
            format!("Save {file_name}"),
            move |_| {
                let path = match folder {
                    Some(dir) => Some(dir.join(&file_name)),
                    None => pollster::block_on(
                        rfd::AsyncFileDialog::new()
                            .set_file_name(&file_name)
                            .add_filter(kind.ext(), &[kind.ext()])
                            .save_file(),
                    )
                    .map(|h| h.path().to_owned()),
                };
                let Some(path) = path else {
                    return Ok(None);
                };
                match &payload {
                    Payload::Chart(c) => export::write_chart(c, &path)?,
                    Payload::Table(df) => export::write_table(df, &path)?,
                    Payload::Text(t) => {
                        export::write_atomic(&path, |w| std::io::Write::write_all(w, t.as_bytes()))?
                    }
                }
                Ok(Some(path))
            },
        )?;
        self.pending.push(handle);
        Ok(())
    }

    /// Finished exports: `Ok(path)` for each file written, `Err` for each failure.
    pub fn poll(&mut self) -> Vec<Result<PathBuf, JobError>> {
        let mut done = Vec::new();
        self.pending.retain_mut(|h| match h.poll() {
            None => true,
            Some(Ok(Some(p))) => {
                done.push(Ok(p));
                false
            }
            Some(Ok(None)) | Some(Err(JobError::Cancelled)) => false,
            Some(Err(e)) => {
                done.push(Err(e));
                false
            }
        });
        done
    }

    pub fn is_busy(&self) -> bool {
        !self.pending.is_empty()
    }
}
