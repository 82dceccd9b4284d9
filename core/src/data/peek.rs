//! The first rows of a large CSV or Parquet file, read in a few milliseconds, so that the app
//! can show them (and the schema) while the whole file loads. A peek is only a preview: the
//! panels compute on the full load, never on this.

use std::path::Path;

use polars::prelude::*;

use super::{DataError, Dataset, Format, Origin, csv, file_name};

/// Files smaller than this load whole in about the time a peek takes: no preview.
pub const PEEK_FROM: u64 = 16 << 20;
/// Bytes of a CSV a peek parses at most (whole lines).
const PEEK_BYTES: usize = 4 << 20;
/// Rows a peek keeps.
pub(crate) const PEEK_ROWS: usize = 1_000;

/// The first rows of a file and what is known of its size.
pub struct Peek {
    pub data: Dataset,
    /// Rows in the whole file: exact for Parquet (its footer says), estimated for CSV from the
    /// bytes per row of the peeked part.
    pub total_rows: usize,
    pub exact: bool,
}

/// The first `PEEK_ROWS` rows of a CSV (UTF-8) or Parquet file of at least `PEEK_FROM` bytes;
/// `None` for anything else or anything the peek cannot read (the full load then says why).
pub fn peek_path(path: &Path) -> Option<Peek> {
    let size = std::fs::metadata(path).ok()?.len();
    if size < PEEK_FROM {
        return None;
    }
    match Format::from_path(path).ok()? {
        Format::Csv { separator } => peek_csv(path, separator, size),
        Format::Parquet => peek_parquet(path),
        _ => None,
    }
}

fn dataset(path: &Path, frame: DataFrame) -> Dataset {
    Dataset {
        name: file_name(path),
        origin: Origin::File(path.to_owned()),
        frame,
        geometries: None,
        notes: Vec::new(),
    }
}

fn peek_csv(path: &Path, separator: u8, size: u64) -> Option<Peek> {
    let file = std::fs::File::open(path).ok()?;
    // SAFETY: read-only map, dropped before returning (as in `csv::read_path`).
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    // UTF-16 files are converted by the full load; a peek does not try.
    if map.starts_with(&[0xFF, 0xFE]) || map.starts_with(&[0xFE, 0xFF]) {
        return None;
    }
    // The header and PEEK_ROWS rows, cut at a newline, within PEEK_BYTES. Types are inferred
    // from these rows (the full load looks at 10,000: parsing them takes polars about 140 ms,
    // too long for a first screen); a column that changes type later shows its full type once
    // loaded.
    let limit = map.len().min(PEEK_BYTES);
    let end = memchr::memchr_iter(b'\n', &map[..limit])
        .nth(PEEK_ROWS + 1)
        .or_else(|| memchr::memrchr(b'\n', &map[..limit]))?
        + 1;
    let part = &map[..end];
    let separator = csv::sniff_separator(part, separator);
    let frame = csv::read_bytes(path, part, separator).ok()?;
    if frame.height() == 0 {
        return None;
    }
    // A quoted field may hold a newline: the last row of a cut could be a part of a row.
    let complete = if memchr::memchr(b'"', part).is_some() {
        frame.height().saturating_sub(1)
    } else {
        frame.height()
    };
    let per_row = end as f64 / (frame.height() as f64 + 1.0);
    let total_rows = if end == map.len() {
        frame.height()
    } else {
        (size as f64 / per_row).round() as usize
    };
    Some(Peek {
        data: dataset(path, frame.head(Some(complete.min(PEEK_ROWS)))),
        total_rows,
        exact: end == map.len(),
    })
}

fn peek_parquet(path: &Path) -> Option<Peek> {
    let mut file = std::fs::File::open(path).ok()?;
    // A file whose headers declare impossible counts is left to the full load to report.
    super::parquet::check_layout(path, &mut file).ok()?;
    let mut reader = ParquetReader::new(file);
    let total_rows = reader.num_rows().ok()?;
    let reader = reader.with_slice(Some((0, PEEK_ROWS)));
    // polars may panic inside on a corrupt file; the full load reports it properly.
    let frame = super::guard::guarded(
        || reader.finish().map_err(|e| DataError::Other(e.to_string())),
        DataError::Other,
    )
    .ok()?;
    Some(Peek {
        data: dataset(path, frame),
        total_rows,
        exact: true,
    })
}

/// `bytes` as a CSV's first rows, for tests of the cut.
#[cfg(test)]
fn peek_bytes(bytes: &[u8]) -> Option<DataFrame> {
    csv::read_bytes(Path::new("t.csv"), bytes, b',').ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big_csv(dir: &Path, quoted: bool) -> std::path::PathBuf {
        let path = dir.join("big.csv");
        let mut text = String::from("id,when,amount,name\n");
        let mut k = 0;
        while text.len() < PEEK_FROM as usize + 1000 {
            let name = if quoted {
                format!("\"n {k:07}, quoted\"")
            } else {
                format!("n{k:07}")
            };
            // Rows of one length, so that the row count estimate can be checked closely.
            text.push_str(&format!(
                "{k:07},2024-01-{:02},{:07}.5,{name}\n",
                k % 28 + 1,
                k
            ));
            k += 1;
        }
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_peek_has_the_first_rows_and_the_full_loads_schema() {
        let dir = tempfile::tempdir().unwrap();
        for quoted in [false, true] {
            let path = big_csv(dir.path(), quoted);
            let peek = peek_path(&path).expect("a peek of a large CSV");
            let full = super::super::load_path(&path).unwrap();
            assert_eq!(peek.data.rows(), PEEK_ROWS);
            assert_eq!(peek.data.frame.schema(), full.frame.schema());
            assert!(peek.data.frame.equals(&full.frame.head(Some(PEEK_ROWS))));
            assert!(!peek.exact);
            let (got, want) = (peek.total_rows as f64, full.rows() as f64);
            assert!((got - want).abs() / want < 0.01, "estimate {got} of {want}");
        }
    }

    #[test]
    fn small_files_and_other_formats_are_not_peeked() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("small.csv");
        std::fs::write(&small, "a,b\n1,2\n").unwrap();
        assert!(peek_path(&small).is_none());
        assert!(peek_path(&dir.path().join("missing.csv")).is_none());
        assert!(peek_bytes(b"a,b\n1,2\n").is_some());
    }
}
