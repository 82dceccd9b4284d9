//! The one error type for loading data and looking up columns: every variant names the file
//! (and the column) so a message stands on its own in the CLI and in the app's status bar.

use std::path::{Path, PathBuf};

/// What went wrong while reading a data file or using one of its columns.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{}: no such file", .0.display())]
    NotFound(PathBuf),
    #[error("{}: is a directory, not a file", .0.display())]
    IsDirectory(PathBuf),
    #[error("{}: the file is empty", .0.display())]
    Empty(PathBuf),
    #[error("{}: not a regular file (a pipe, device or socket); Playbook reads files", .0.display())]
    NotAFile(PathBuf),
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not valid UTF-8 text (first bad byte at offset {offset}); save it as UTF-8", path.display())]
    NotUtf8 { path: PathBuf, offset: usize },
    #[error("{}: malformed CSV: {detail}", path.display())]
    Csv { path: PathBuf, detail: String },
    #[error("{}: not a readable Parquet file: {detail}", path.display())]
    Parquet { path: PathBuf, detail: String },
    #[error("{}: invalid GeoJSON: {detail}", path.display())]
    GeoJson { path: PathBuf, detail: String },
    #[error("{}: unsupported file type '{ext}' (expected .csv, .parquet or .geojson)", path.display())]
    UnsupportedFormat { path: PathBuf, ext: String },
    #[error("{file}: column '{column}' not found (columns: {available})")]
    ColumnNotFound {
        file: String,
        column: String,
        available: String,
    },
    #[error("{file}: column '{column}' is {dtype}, not numeric")]
    NotNumeric {
        file: String,
        column: String,
        dtype: String,
    },
    #[error("{file}: column '{column}' has no numeric values (all null or NaN)")]
    NoValues { file: String, column: String },
    #[error("{}: line {line}: {detail}", path.display())]
    Malformed {
        path: PathBuf,
        line: usize,
        detail: String,
    },
    #[error("cancelled")]
    Cancelled,
    #[error("{0}")]
    Other(String),
}

impl DataError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        match source.kind() {
            std::io::ErrorKind::NotFound => Self::NotFound(path.to_owned()),
            std::io::ErrorKind::IsADirectory => Self::IsDirectory(path.to_owned()),
            _ => Self::Io {
                path: path.to_owned(),
                source,
            },
        }
    }
}

pub type DataResult<T> = Result<T, DataError>;
