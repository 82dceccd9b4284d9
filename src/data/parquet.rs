//! Parquet reading with polars; a truncated or foreign file becomes a `DataError::Parquet`.

use std::io::Cursor;
use std::path::Path;

use polars::io::mmap::MmapBytesReader;
use polars::prelude::*;

use super::error::{DataError, DataResult};

pub(super) fn read_path(path: &Path) -> DataResult<DataFrame> {
    let file = std::fs::File::open(path).map_err(|e| DataError::io(path, e))?;
    finish(path, ParquetReader::new(file))
}

pub(super) fn read_bytes(path: &Path, bytes: &[u8]) -> DataResult<DataFrame> {
    finish(path, ParquetReader::new(Cursor::new(bytes)))
}

fn finish<R: MmapBytesReader>(path: &Path, reader: ParquetReader<R>) -> DataResult<DataFrame> {
    // polars may panic deep inside on some corrupt files; keep that from reaching the caller.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reader.finish()));
    match result {
        Ok(Ok(df)) => Ok(df),
        Ok(Err(e)) => Err(DataError::Parquet {
            path: path.to_owned(),
            detail: e.to_string().lines().next().unwrap_or("").to_owned(),
        }),
        Err(_) => Err(DataError::Parquet {
            path: path.to_owned(),
            detail: "the file is corrupt or truncated".to_owned(),
        }),
    }
}
