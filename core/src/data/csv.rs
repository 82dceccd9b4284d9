//! CSV reading with polars, with its errors turned into messages that name the file and
//! say what is wrong (ragged rows, bad quoting, text that is not UTF-8).
//!
//! Large files without quote characters are read in slices of whole lines, so that a load
//! reports real progress and stops at the next slice when cancelled. (polars parses a file in
//! one call that cannot be interrupted; with no quotes in the file a newline always ends a row,
//! so cutting at newlines is safe.) Other files are read in one call.

use std::io::Cursor;
use std::path::Path;

use polars::prelude::*;

use super::error::{DataError, DataResult};
use super::guard::guarded;
use crate::compute::Progress;

/// Files at least this large are read in slices.
pub(super) const SLICED_FROM: usize = 64 << 20;
/// Size of one slice.
pub(super) const SLICE: usize = 32 << 20;

/// Rows read to decide each column's type.
const INFER_ROWS: usize = 10_000;

/// The separator a CSV really uses: `default` (',' for .csv, tab for .tsv) unless the header
/// line has more of another common one (';' from European spreadsheets, tab, '|').
pub(super) fn sniff_separator(bytes: &[u8], default: u8) -> u8 {
    let header = bytes.split(|&b| b == b'\n').next().unwrap_or(bytes);
    let count = |sep: u8| header.iter().filter(|&&b| b == sep).count();
    let mut best = (default, count(default));
    for sep in [b',', b';', b'\t', b'|'] {
        let n = count(sep);
        if n > best.1 {
            best = (sep, n);
        }
    }
    best.0
}

/// The column polars' error names when it inferred whole numbers and met one beyond 64 bits
/// ("could not parse `9223372036854775808` as dtype `i64` at column 'v'").
fn too_big_for_i64(err: &PolarsError) -> Option<String> {
    let text = err.to_string();
    let value = text.split('`').nth(1)?;
    let digits = value.strip_prefix('-').unwrap_or(value);
    if !text.contains("as dtype `i64`")
        || digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let column = text.split("at column '").nth(1)?.split('\'').next()?;
    Some(column.to_owned())
}

/// Reads with `read(overrides)`; when a column inferred as whole numbers holds one beyond 64
/// bits (an id of 20 digits, a 400-digit number), reads it again with that column as text
/// (lossless, as pandas keeps such numbers as objects) instead of refusing the whole file.
fn read_widening(
    mut read: impl FnMut(Option<SchemaRef>) -> PolarsResult<DataFrame>,
) -> PolarsResult<DataFrame> {
    let mut overrides = Schema::default();
    loop {
        let schema = (!overrides.is_empty()).then(|| Arc::new(overrides.clone()));
        match read(schema) {
            Err(e) => match too_big_for_i64(&e) {
                Some(col) if overrides.len() < 10_000 && !overrides.contains(&col) => {
                    overrides.with_column(col.into(), DataType::String);
                }
                _ => return Err(e),
            },
            ok => return ok,
        }
    }
}

fn options(separator: u8) -> CsvReadOptions {
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(INFER_ROWS))
        // Rechunking into one buffer per column costs ~25% of a large load and doubles the peak
        // memory; row access and sorting work on chunked columns as they are.
        .with_rechunk(false)
        .with_parse_options(
            CsvParseOptions::default()
                .with_separator(separator)
                // "1,5" means 1.5 in a ';'-separated file from a European spreadsheet.
                .with_decimal_comma(separator == b';')
                .with_try_parse_dates(true),
        )
}

pub(super) fn read_path(
    path: &Path,
    separator: u8,
    progress: &dyn Progress,
) -> DataResult<DataFrame> {
    let file = std::fs::File::open(path).map_err(|e| DataError::io(path, e))?;
    // SAFETY: the map is read-only and dropped before returning; like any reader of a file
    // that another program rewrites meanwhile, the result is then undefined, not unsafe in
    // practice for a file the user chose to open.
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| DataError::io(path, e))?;
    let separator = sniff_separator(&map, separator);
    if map.len() >= SLICED_FROM && memchr::memchr(b'"', &map).is_none() {
        read_sliced(path, &map, separator, SLICE, progress)
    } else {
        read_bytes(path, &map, separator)
    }
}

pub(super) fn read_bytes(path: &Path, bytes: &[u8], separator: u8) -> DataResult<DataFrame> {
    let separator = sniff_separator(bytes, separator);
    parse(path, bytes, || {
        read_widening(|overrides| {
            options(separator)
                .with_schema_overwrite(overrides)
                .into_reader_with_file_handle(Cursor::new(bytes))
                .finish()
        })
    })
}

/// Runs polars' CSV reader on `bytes`, its error described and a panic inside it (polars'
/// parser panics on some malformed files, found by fuzzing) reported as malformed CSV.
fn parse(
    path: &Path,
    bytes: &[u8],
    read: impl FnOnce() -> PolarsResult<DataFrame>,
) -> DataResult<DataFrame> {
    guarded(
        || read().map_err(|e| describe(path, bytes, e)),
        |message| DataError::Csv {
            path: path.to_owned(),
            detail: format!("the CSV reader failed on it ({})", first_line(&message)),
        },
    )
}

/// Read `bytes` (a CSV with a header and no quote characters) in slices of about `slice`
/// bytes cut at newlines. The first slice fixes the schema, as a one-call read would from its
/// first rows.
pub(super) fn read_sliced(
    path: &Path,
    bytes: &[u8],
    separator: u8,
    slice: usize,
    progress: &dyn Progress,
) -> DataResult<DataFrame> {
    let total = bytes.len();
    let mb = |n: usize| n as f64 / 1e6;
    let mut start = 0;
    let mut frame: Option<DataFrame> = None;
    while start < total {
        if progress.cancelled() {
            return Err(DataError::Cancelled);
        }
        let mut end = match memchr::memchr(b'\n', &bytes[(start + slice).min(total)..]) {
            Some(i) => (start + slice).min(total) + i + 1,
            None => total,
        };
        if frame.is_none() {
            // The first slice holds the header and all the rows the schema is inferred from.
            let inferred = memchr::memchr_iter(b'\n', bytes)
                .nth(INFER_ROWS)
                .map_or(total, |i| i + 1);
            end = end.max(inferred);
        }
        let part = &bytes[start..end];
        let parsed = parse(path, part, || match &frame {
            None => read_widening(|overrides| {
                options(separator)
                    .with_schema_overwrite(overrides)
                    .into_reader_with_file_handle(Cursor::new(part))
                    .finish()
            }),
            Some(first) => options(separator)
                .with_has_header(false)
                .with_schema(Some(first.schema().clone()))
                .into_reader_with_file_handle(Cursor::new(part))
                .finish(),
        })?;
        match &mut frame {
            None => frame = Some(parsed),
            Some(f) => {
                f.vstack_mut(&parsed).map_err(|e| describe(path, part, e))?;
            }
        }
        start = end;
        let message = format!("read {:.0} of {:.0} MB", mb(start), mb(total));
        progress.report(start as f32 / total as f32, &message);
    }
    frame.ok_or_else(|| DataError::Empty(path.to_owned()))
}

/// Turn a polars CSV error into a readable one. Only runs on failure, so it may re-read.
fn describe(path: &Path, bytes: &[u8], err: PolarsError) -> DataError {
    if let Err(e) = std::str::from_utf8(bytes) {
        return DataError::NotUtf8 {
            path: path.to_owned(),
            offset: e.valid_up_to(),
        };
    }
    let text = err.to_string();
    let lower = text.to_lowercase();
    let detail = if lower.contains("more fields") || lower.contains("ragged") {
        format!(
            "a row has more fields than the header ({}); check for ragged rows or an unescaped separator",
            first_line(&text)
        )
    } else if lower.contains("quote") {
        format!("bad quoting ({})", first_line(&text))
    } else {
        first_line(&text).to_owned()
    };
    DataError::Csv {
        path: path.to_owned(),
        detail,
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::NoProgress;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Whole numbers beyond 64 bits make their column text (lossless), not a refused file.
    #[test]
    fn numbers_beyond_64_bits_are_read_as_text() {
        let big = "9223372036854775808";
        let huge = "1".repeat(400);
        let csv = format!("id,v,w\n1,5,{huge}\n2,{big},7\n");
        let df = read_bytes(Path::new("big.csv"), csv.as_bytes(), b',').unwrap();
        assert_eq!(df.column("id").unwrap().dtype(), &DataType::Int64);
        let v = df.column("v").unwrap();
        assert_eq!(v.dtype(), &DataType::String);
        assert_eq!(v.str().unwrap().get(1), Some(big));
        assert_eq!(
            df.column("w").unwrap().str().unwrap().get(0),
            Some(huge.as_str())
        );
    }

    fn sample_csv(rows: usize) -> String {
        let mut s = String::from("id,kind,amount,day\n");
        for i in 0..rows {
            let kind = ["CASH_IN", "PAYMENT", "TRANSFER"][i % 3];
            let amount = if i % 17 == 0 {
                String::new()
            } else {
                format!("{}.{}", i * 7, i % 10)
            };
            s.push_str(&format!("{i},{kind},{amount},2020-01-{:02}\n", 1 + i % 28));
        }
        s
    }

    #[test]
    fn separators_are_sniffed_from_the_header() {
        assert_eq!(sniff_separator(b"a;b;c\n1;2,5;3\n", b','), b';');
        assert_eq!(sniff_separator(b"a,b\n1;2\n", b','), b',');
        assert_eq!(sniff_separator(b"a\tb\tc\n", b','), b'\t');
        assert_eq!(sniff_separator(b"single\n1\n", b','), b',');
        let df = read_bytes(Path::new("eu.csv"), b"a;b\n1;2,5\n3;4\n", b',').unwrap();
        assert_eq!(df.width(), 2);
        let b: Vec<Option<f64>> = df.column("b").unwrap().f64().unwrap().iter().collect();
        assert_eq!(b, vec![Some(2.5), Some(4.0)]);
    }

    #[test]
    fn slices_give_the_same_frame_as_one_read() {
        let text = sample_csv(25_000);
        let path = Path::new("t.csv");
        let whole = read_bytes(path, text.as_bytes(), b',').unwrap();
        for slice in [1, 100, 4096, 50_000, 300_000, 1 << 20] {
            let sliced = read_sliced(path, text.as_bytes(), b',', slice, &NoProgress).unwrap();
            assert!(sliced.equals_missing(&whole), "slice {slice}");
        }
        // No trailing newline.
        let trimmed = text.trim_end();
        let sliced = read_sliced(path, trimmed.as_bytes(), b',', 700, &NoProgress).unwrap();
        assert!(sliced.equals_missing(&whole));
    }

    struct CancelAfter(AtomicUsize);

    impl Progress for CancelAfter {
        fn report(&self, _: f32, _: &str) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
        fn cancelled(&self) -> bool {
            self.0.load(Ordering::SeqCst) >= 2
        }
    }

    #[test]
    fn a_sliced_read_stops_when_cancelled() {
        let text = sample_csv(25_000);
        let p = CancelAfter(AtomicUsize::new(0));
        let r = read_sliced(Path::new("t.csv"), text.as_bytes(), b',', 50_000, &p);
        assert!(matches!(r, Err(DataError::Cancelled)));
        assert_eq!(
            p.0.load(Ordering::SeqCst),
            2,
            "stopped after the second slice"
        );
    }

    #[test]
    fn a_bad_row_in_a_later_slice_is_reported() {
        let mut text = sample_csv(20_000);
        text.push_str("20000,PAYMENT,12.5,2020-01-01,extra\n");
        let r = read_sliced(
            Path::new("late.csv"),
            text.as_bytes(),
            b',',
            2000,
            &NoProgress,
        );
        let msg = r.unwrap_err().to_string();
        assert!(msg.contains("late.csv: malformed CSV"), "{msg}");
    }
}
