//! Datasets and how they are read: CSV and Parquet through polars, GeoJSON through the geojson
//! crate (properties become a table, geometries are kept beside it for maps). Loading is plain
//! blocking code; the app runs it as a job, the CLI calls it directly.

pub mod audio;
pub mod crs;
pub mod crypto;
mod csv;
mod error;
pub mod generators;
mod geo;
mod guard;
pub mod images;
pub use geo::json_column;
pub mod inventory;
mod json;
pub use json::json_rows;
mod parquet;
pub mod peek;
pub mod pitches;
pub mod recipe;
pub mod sample;
pub mod schema;
pub mod series;
pub mod shapes;
mod shp;
pub mod store_sales;
pub mod taxi;
mod text;
pub mod transactions;
pub mod types;
pub mod ucr;
pub mod weekly;

use std::path::{Path, PathBuf};

use polars::prelude::DataFrame;

pub use error::{DataError, DataResult};
pub use schema::{ColumnInfo, column_infos};

/// Where a dataset came from: a file the user opened or a sample embedded in the binary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    File(PathBuf),
    Sample,
    /// Made in the app (rows a filter kept); saved only when the user saves it.
    Made,
}

/// A loaded table. Geometries (GeoJSON only) stay aligned with the rows of `frame`.
pub struct Dataset {
    /// Display name: the file name.
    pub name: String,
    pub origin: Origin,
    pub frame: DataFrame,
    pub geometries: Option<Vec<Option<geojson::Geometry>>>,
    /// What the reader changed and the user should know (a repeated or empty header name),
    /// each naming the file; shown on loading (stderr in the CLI, the status bar in the app).
    pub notes: Vec<String>,
}

impl Dataset {
    pub fn rows(&self) -> usize {
        self.frame.height()
    }

    /// The column names, in order.
    pub fn column_names(&self) -> Vec<String> {
        self.frame
            .get_column_names()
            .iter()
            .map(|c| c.to_string())
            .collect()
    }

    /// The same dataset (name, origin) with another table: its changes made, or some of its
    /// rows. The geometries stay only when the rows are the same ones.
    /// A table made in Playbook (a join, kept rows, a table handed over from Python), named
    /// `name`.
    pub fn made(name: &str, frame: DataFrame, notes: Vec<String>) -> Self {
        Self {
            name: name.to_owned(),
            origin: Origin::Made,
            frame,
            geometries: None,
            notes,
        }
    }

    pub fn with_frame(&self, frame: DataFrame, notes: Vec<String>) -> Self {
        let geometries = self
            .geometries
            .clone()
            .filter(|g| g.len() == frame.height() && frame.height() == self.rows());
        Self {
            name: self.name.clone(),
            origin: self.origin.clone(),
            frame,
            geometries,
            notes,
        }
    }

    pub fn path(&self) -> Option<&Path> {
        match &self.origin {
            Origin::File(p) => Some(p),
            Origin::Sample | Origin::Made => None,
        }
    }
}

/// The file formats Playbook reads, chosen by file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv {
        separator: u8,
    },
    Parquet,
    GeoJson,
    /// ESRI Shapefile (.shp with its .shx and .dbf beside it); read from disk only.
    Shapefile,
    /// One JSON object per line (.jsonl, .ndjson); a `.json` file that is not GeoJSON is read
    /// this way too (an array of objects or objects one after another).
    JsonRows,
}

impl Format {
    pub(crate) fn from_path(path: &Path) -> DataResult<Self> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "txt" => Ok(Self::Csv { separator: b',' }),
            "tsv" | "tab" => Ok(Self::Csv { separator: b'\t' }),
            "parquet" | "pq" => Ok(Self::Parquet),
            "geojson" | "json" => Ok(Self::GeoJson),
            "shp" => Ok(Self::Shapefile),
            "jsonl" | "ndjson" => Ok(Self::JsonRows),
            _ => Err(DataError::UnsupportedFormat {
                path: path.to_owned(),
                ext,
            }),
        }
    }
}

/// Extensions offered in the Open dialog.
pub const OPEN_EXTENSIONS: &[&str] = &[
    "csv", "tsv", "txt", "parquet", "pq", "geojson", "json", "jsonl", "ndjson", "shp",
];

/// What a reader returns: the table, its geometries (GeoJSON and shapefiles), and a note when
/// it brought them back to WGS 84 from a projected system.
type Read = (
    DataFrame,
    Option<Vec<Option<geojson::Geometry>>>,
    Option<String>,
);

/// GeoJSON, or for a `.json` file (not `.geojson`) whose content is not GeoJSON but rows of
/// objects, those rows. When neither reads, the GeoJSON error stands.
fn geo_or_rows(path: &Path, name: &str, bytes: &[u8]) -> DataResult<Read> {
    let geo_error = match geo::read_bytes(path, bytes) {
        Ok((frame, geoms, note)) => return Ok((frame, Some(geoms), note)),
        Err(e) => e,
    };
    let plain_json = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    match std::str::from_utf8(bytes) {
        Ok(text) if plain_json => {
            json_rows(name, text)
                .map(|f| (f, None, None))
                .map_err(|rows_error| {
                    // Report the reading the file was meant for.
                    if text.contains("\"Feature") || text.contains("\"coordinates\"") {
                        geo_error
                    } else {
                        rows_error
                    }
                })
        }
        _ => Err(geo_error),
    }
}

/// Read a data file from disk, choosing the reader by extension.
pub fn load_path(path: &Path) -> DataResult<Dataset> {
    load_path_with(path, &crate::compute::NoProgress)
}

/// `load_path` reporting progress and stopping early when cancelled (large CSV files).
pub fn load_path_with(path: &Path, progress: &dyn crate::compute::Progress) -> DataResult<Dataset> {
    let meta = regular_file(path)?;
    let format = Format::from_path(path)?;
    if meta.len() == 0 {
        return Err(DataError::Empty(path.to_owned()));
    }
    if matches!(
        format,
        Format::Csv { .. } | Format::GeoJson | Format::JsonRows
    ) {
        let mut head = [0u8; 4096];
        let n = std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
            .map_err(|e| DataError::io(path, e))?;
        if let Some(bytes) = text::utf16_to_utf8(path, &head[..n], || std::fs::read(path))? {
            return load_bytes(&file_name(path), &bytes).map(|d| Dataset {
                origin: Origin::File(path.to_owned()),
                ..d
            });
        }
    }
    let (frame, geometries, reprojected) = match format {
        Format::Csv { separator } => (csv::read_path(path, separator, progress)?, None, None),
        Format::Parquet => (parquet::read_path(path)?, None, None),
        Format::GeoJson => {
            let bytes = std::fs::read(path).map_err(|e| DataError::io(path, e))?;
            geo_or_rows(path, &file_name(path), &bytes)?
        }
        Format::JsonRows => {
            let text = std::fs::read_to_string(path).map_err(|e| DataError::io(path, e))?;
            (json_rows(&file_name(path), &text)?, None, None)
        }
        Format::Shapefile => {
            let (frame, geoms, note) = shp::read_path(path)?;
            (frame, Some(geoms), note)
        }
    };
    let (frame, mut notes) = typed(&file_name(path), format, frame)?;
    notes.extend(reprojected);
    Ok(Dataset {
        name: file_name(path),
        origin: Origin::File(path.to_owned()),
        frame,
        geometries,
        notes,
    })
}

/// Read a dataset from bytes in memory (the embedded samples); `name` decides the format.
pub fn load_bytes(name: &str, bytes: &[u8]) -> DataResult<Dataset> {
    let path = Path::new(name);
    if bytes.is_empty() {
        return Err(DataError::Empty(path.to_owned()));
    }
    let format = Format::from_path(path)?;
    let decoded;
    let bytes = match format {
        Format::Csv { .. } | Format::GeoJson | Format::JsonRows => {
            match text::utf16_to_utf8(path, bytes, || Ok(bytes.to_vec()))? {
                Some(b) => {
                    decoded = b;
                    decoded.as_slice()
                }
                None => bytes,
            }
        }
        _ => bytes,
    };
    let (frame, geometries, reprojected) = match format {
        Format::Csv { separator } => (csv::read_bytes(path, bytes, separator)?, None, None),
        Format::Parquet => (parquet::read_bytes(path, bytes)?, None, None),
        Format::GeoJson => geo_or_rows(path, name, bytes)?,
        Format::JsonRows => {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| DataError::Other(format!("{name}: not UTF-8 text")))?;
            (json_rows(name, text)?, None, None)
        }
        Format::Shapefile => {
            return Err(DataError::Other(format!(
                "{name}: a shapefile is several files; open the .shp from disk"
            )));
        }
    };
    let (frame, mut notes) = typed(name, format, frame)?;
    notes.extend(reprojected);
    Ok(Dataset {
        name: name.to_owned(),
        origin: Origin::Sample,
        frame,
        geometries,
        notes,
    })
}

/// A table handed over in memory (the Python wheel's Arrow input), named `name` in messages:
/// dates in text columns are found as in a CSV (`types::detect`).
pub fn from_frame(name: &str, frame: DataFrame) -> DataResult<Dataset> {
    let (frame, notes) = types::detect(name, frame)?;
    Ok(Dataset::made(name, frame, notes))
}

/// A text file's frame with its dates and times found (`types::detect`), and the notes on
/// its header and on guesses a person might read otherwise.
fn typed(name: &str, format: Format, frame: DataFrame) -> DataResult<(DataFrame, Vec<String>)> {
    match format {
        Format::Csv { .. } | Format::JsonRows => {
            let frame = if matches!(format, Format::Csv { .. }) {
                unescape_header(frame)
            } else {
                frame
            };
            let mut notes = header_notes(name, &frame);
            let (frame, guesses) = types::detect(name, frame)?;
            notes.extend(guesses);
            Ok((frame, notes))
        }
        _ => Ok((frame, Vec::new())),
    }
}

/// A quoted CSV header name with a quote inside, `"a""b"`, names the column `a"b` (RFC 4180);
/// polars keeps the doubled quote. A name that would then repeat another is left as it is.
fn unescape_header(mut frame: DataFrame) -> DataFrame {
    let names: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    for name in names.iter().filter(|n| n.contains("\"\"")) {
        let plain = name.replace("\"\"", "\"");
        if !names.contains(&plain) {
            // Renaming to a name no other column has cannot fail.
            let _ = frame.rename(name, plain.into());
        }
    }
    frame
}

/// Header names a CSV repeats or leaves empty: polars reads the later copies of a name as
/// `<name>_duplicated_<n>` (and an empty name as ``), which a user choosing a column by name would
/// not expect.
pub(crate) fn header_notes(file: &str, frame: &DataFrame) -> Vec<String> {
    let names: Vec<&str> = frame
        .get_column_names()
        .iter()
        .map(|n| n.as_str())
        .collect();
    let mut notes = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            notes.push(format!(
                "{file}: column {} has no name in the header; it is read as ''",
                i + 1
            ));
            continue;
        }
        if let Some((base, n)) = name.rsplit_once("_duplicated_")
            && n.parse::<usize>().is_ok()
            && let Some(first) = names.iter().position(|c| *c == base)
        {
            let shown = if base.is_empty() {
                "''".to_owned()
            } else {
                format!("'{}'", crate::format::bounded(base, 40))
            };
            notes.push(format!(
                "{file}: the header names {shown} twice or more (columns {} and {}); column {} is \
                 read as '{}'",
                first + 1,
                i + 1,
                i + 1,
                crate::format::bounded(name, 60)
            ));
        }
    }
    if notes.len() > 5 {
        let more = notes.len() - 5;
        notes.truncate(5);
        notes.push(format!(
            "{file}: and {more} more repeated or empty header names"
        ));
    }
    notes
}

/// The metadata of `path` when it is a regular file (links followed): a folder, a pipe, a
/// device or a socket is refused before it is opened, since opening a pipe waits for a writer
/// forever. Every reader of a user's file asks this first.
pub fn regular_file(path: &Path) -> DataResult<std::fs::Metadata> {
    let meta = std::fs::metadata(path).map_err(|e| DataError::io(path, e))?;
    if meta.is_dir() {
        return Err(DataError::IsDirectory(path.to_owned()));
    }
    if !meta.is_file() {
        return Err(DataError::NotAFile(path.to_owned()));
    }
    Ok(meta)
}

/// A whole user file, once `regular_file` says it is one.
pub(crate) fn read_regular(path: &Path) -> DataResult<Vec<u8>> {
    regular_file(path)?;
    std::fs::read(path).map_err(|e| DataError::io(path, e))
}

/// The last component of a path, for display.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
