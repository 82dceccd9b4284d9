//! CSV reading with polars, with its errors turned into messages that name the file and
//! say what is wrong (ragged rows, bad quoting, text that is not UTF-8).

use std::io::Cursor;
use std::path::Path;

use polars::prelude::*;

use super::error::{DataError, DataResult};

fn options(separator: u8) -> CsvReadOptions {
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(10_000))
        // Rechunking into one buffer per column costs ~25% of a large load and doubles the peak
        // memory; row access and sorting work on chunked columns as they are.
        .with_rechunk(false)
        .with_parse_options(
            CsvParseOptions::default()
                .with_separator(separator)
                .with_try_parse_dates(true),
        )
}

pub(super) fn read_path(path: &Path, separator: u8) -> DataResult<DataFrame> {
    let result = options(separator)
        .try_into_reader_with_file_path(Some(path.to_owned()))
        .and_then(|r| r.finish());
    result.map_err(|e| {
        let bytes = std::fs::read(path).unwrap_or_default();
        describe(path, &bytes, e)
    })
}

pub(super) fn read_bytes(path: &Path, bytes: &[u8], separator: u8) -> DataResult<DataFrame> {
    options(separator)
        .into_reader_with_file_handle(Cursor::new(bytes))
        .finish()
        .map_err(|e| describe(path, bytes, e))
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
