//! Parquet reading with polars; a truncated or foreign file becomes a `DataError::Parquet`.
//!
//! Before polars decodes a file, [`check_layout`] reads the footer and every page header and
//! checks the counts they declare. polars sizes its buffers from those counts, and a corrupt
//! header (a negative value count, found by fuzzing) made it ask for 2^61 bytes: an allocation
//! failure aborts the process, which no `catch_unwind` can stop.

use std::io::{BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::Path;

use polars::io::mmap::MmapBytesReader;
use polars::prelude::*;
use polars_parquet::parquet::metadata::RowGroupMetadata;
use polars_parquet_format::thrift::protocol::TCompactInputProtocol;
use polars_parquet_format::{PageHeader, PageType};

use super::error::{DataError, DataResult};
use crate::format::whole;

/// The most rows one table can hold: polars indexes rows with `u32`.
const MAX_ROWS: u64 = u32::MAX as u64;
/// The largest page header read; real ones are tens of bytes, plus statistics.
const MAX_HEADER_BYTES: usize = 1 << 20;

pub(super) fn read_path(path: &Path) -> DataResult<DataFrame> {
    let mut file = std::fs::File::open(path).map_err(|e| DataError::io(path, e))?;
    check_layout(path, &mut file)?;
    finish(path, ParquetReader::new(file))
}

pub(super) fn read_bytes(path: &Path, bytes: &[u8]) -> DataResult<DataFrame> {
    check_layout(path, &mut Cursor::new(bytes))?;
    finish(path, ParquetReader::new(Cursor::new(bytes)))
}

fn finish<R: MmapBytesReader>(path: &Path, reader: ParquetReader<R>) -> DataResult<DataFrame> {
    caught(path, || {
        reader
            .finish()
            .map_err(|e| corrupt(path, first_line(&e.to_string())))
    })
}

/// `read` with a panic inside polars turned into a corrupt-file error: polars panics deep
/// inside on some corrupt files (its footer decoder, for one), and must not take the caller down.
fn caught<T>(path: &Path, read: impl FnOnce() -> DataResult<T>) -> DataResult<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read))
        .unwrap_or_else(|_| Err(corrupt(path, "the file is corrupt or truncated".to_owned())))
}

fn corrupt(path: &Path, detail: String) -> DataError {
    DataError::Parquet {
        path: path.to_owned(),
        detail,
    }
}

/// Checks the row and value counts that the footer and page headers declare: none negative,
/// no page holding more values than its row group has rows (for columns that are not lists),
/// no dictionary with more entries than bytes, and at most [`MAX_ROWS`] rows in all. The file
/// is rewound afterwards.
pub(super) fn check_layout<R: Read + Seek>(path: &Path, file: &mut R) -> DataResult<()> {
    caught(path, || check_layout_unguarded(path, file))
}

fn check_layout_unguarded<R: Read + Seek>(path: &Path, file: &mut R) -> DataResult<()> {
    let len = file
        .seek(SeekFrom::End(0))
        .map_err(|e| DataError::io(path, e))?;
    file.rewind().map_err(|e| DataError::io(path, e))?;
    let metadata = match polars_parquet::parquet::read::read_metadata(file) {
        Ok(metadata) => metadata,
        Err(e) => return Err(corrupt(path, first_line(&e.to_string()))),
    };
    let declared: u64 = metadata
        .row_groups
        .iter()
        .map(|group| group.num_rows() as u64)
        .fold(0, u64::saturating_add);
    if declared > MAX_ROWS {
        return Err(corrupt(
            path,
            format!(
                "it declares {} rows; a table holds at most {}",
                whole(declared as usize),
                whole(MAX_ROWS as usize)
            ),
        ));
    }
    for (index, group) in metadata.row_groups.iter().enumerate() {
        check_group(file, len, group)
            .map_err(|detail| corrupt(path, format!("row group {}: {detail}", index + 1)))?;
    }
    file.rewind().map_err(|e| DataError::io(path, e))?;
    Ok(())
}

fn check_group<R: Read + Seek>(
    file: &mut R,
    len: u64,
    group: &RowGroupMetadata,
) -> Result<(), String> {
    let rows = group.num_rows() as u64;
    for column in group.parquet_columns() {
        let name = column.descriptor().path_in_schema.join(".");
        let flat = column.descriptor().descriptor.max_rep_level == 0;
        let range = column.byte_range();
        if range.start > range.end || range.end > len {
            return Err(format!(
                "column '{name}' lies at bytes {}..{}, past the end of the {len}-byte file",
                range.start, range.end
            ));
        }
        let declared = column.num_values();
        if declared < 0 || (flat && declared as u64 > rows) {
            return Err(format!(
                "column '{name}' declares {declared} values in {rows} rows"
            ));
        }
        let mut at = range.start;
        let mut seen: u64 = 0;
        while at < range.end && seen < declared as u64 {
            let (header, header_len) = read_header(file, at).map_err(|e| {
                format!("column '{name}': unreadable page header at byte {at}: {e}")
            })?;
            let values = page_values(&header)
                .map_err(|what| format!("column '{name}': a page at byte {at} declares {what}"))?;
            seen = seen.saturating_add(values);
            if flat && seen > rows {
                return Err(format!(
                    "column '{name}': its pages declare more values than the row group's {rows} rows"
                ));
            }
            at = at + header_len + header.compressed_page_size as u64;
        }
    }
    Ok(())
}

/// The page header at byte `at`, and its length in bytes.
fn read_header<R: Read + Seek>(file: &mut R, at: u64) -> Result<(PageHeader, u64), String> {
    file.seek(SeekFrom::Start(at)).map_err(|e| e.to_string())?;
    // Buffered: the protocol reads a byte at a time.
    let mut buffered = BufReader::with_capacity(1024, file);
    let mut counted = Counted {
        inner: &mut buffered,
        read: 0,
    };
    let mut protocol = TCompactInputProtocol::new(&mut counted, MAX_HEADER_BYTES);
    let header =
        PageHeader::read_from_in_protocol(&mut protocol).map_err(|e| first_line(&e.to_string()))?;
    Ok((header, counted.read))
}

/// How many values a data page adds, after checking that none of its sizes is negative.
fn page_values(header: &PageHeader) -> Result<u64, String> {
    if header.compressed_page_size < 0 || header.uncompressed_page_size < 0 {
        return Err(format!(
            "a negative size ({} bytes compressed, {} uncompressed)",
            header.compressed_page_size, header.uncompressed_page_size
        ));
    }
    let negative =
        |n: i32| -> Result<u64, String> { u64::try_from(n).map_err(|_| format!("{n} values")) };
    match header.type_ {
        PageType::DATA_PAGE => match &header.data_page_header {
            Some(data) => negative(data.num_values),
            None => Err("a data page with no data page header".to_owned()),
        },
        PageType::DATA_PAGE_V2 => match &header.data_page_header_v2 {
            Some(data) => {
                if data.num_nulls < 0 || data.num_rows < 0 || data.num_nulls > data.num_values {
                    return Err(format!(
                        "{} values, {} of them null, in {} rows",
                        data.num_values, data.num_nulls, data.num_rows
                    ));
                }
                negative(data.num_values)
            }
            None => Err("a data page with no data page header".to_owned()),
        },
        PageType::DICTIONARY_PAGE => match &header.dictionary_page_header {
            Some(dict)
                if dict.num_values < 0
                    || dict.num_values > header.uncompressed_page_size.max(1).saturating_mul(8) =>
            {
                Err(format!(
                    "a dictionary of {} values in {} bytes",
                    dict.num_values, header.uncompressed_page_size
                ))
            }
            Some(_) => Ok(0),
            None => Err("a dictionary page with no dictionary header".to_owned()),
        },
        _ => Ok(0),
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").to_owned()
}

/// A reader that counts the bytes read through it.
struct Counted<'a, R> {
    inner: &'a mut R,
    read: u64,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}
