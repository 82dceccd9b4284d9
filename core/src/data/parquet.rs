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
use polars_parquet_format::thrift::protocol::TCompactInputProtocol;
use polars_parquet_format::{FileMetaData, PageHeader, PageType, RowGroup};

use super::error::{DataError, DataResult};
use super::guard::guarded;
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
/// inside on some corrupt files (its footer decoder, for one).
fn caught<T>(path: &Path, read: impl FnOnce() -> DataResult<T>) -> DataResult<T> {
    guarded(read, |_| {
        corrupt(path, "the file is corrupt or truncated".to_owned())
    })
}

fn corrupt(path: &Path, detail: String) -> DataError {
    DataError::Parquet {
        path: path.to_owned(),
        detail,
    }
}

/// Checks what the footer and page headers declare before polars reads them: the footer is
/// decoded by a Thrift reader with an allocation budget (polars' own decoder sizes each list
/// from its declared length, and a fuzzed footer asked it for 38 GB), then no count may be
/// negative, no column chunk may lie outside the file, no page may hold more values than its
/// row group has rows (for top-level columns), no dictionary may have more entries than bits,
/// and the file may hold at most [`MAX_ROWS`] rows. The file is rewound afterwards.
pub(super) fn check_layout<R: Read + Seek>(path: &Path, file: &mut R) -> DataResult<()> {
    caught(path, || {
        let result = check_file(file).map_err(|detail| corrupt(path, detail));
        file.rewind().map_err(|e| DataError::io(path, e))?;
        result
    })
}

fn check_file<R: Read + Seek>(file: &mut R) -> Result<(), String> {
    let (metadata, len) = read_footer(file)?;
    let declared = metadata
        .row_groups
        .iter()
        .try_fold(0u64, |sum, group| {
            u64::try_from(group.num_rows)
                .ok()
                .map(|n| sum.saturating_add(n))
        })
        .ok_or("a row group declares a negative number of rows")?;
    if declared > MAX_ROWS {
        return Err(format!(
            "it declares {} rows; a table holds at most {}",
            whole(declared as usize),
            whole(MAX_ROWS as usize)
        ));
    }
    for (index, group) in metadata.row_groups.iter().enumerate() {
        check_group(file, len, group)
            .map_err(|detail| format!("row group {}: {detail}", index + 1))?;
    }
    Ok(())
}

/// The footer, decoded with an allocation budget in proportion to its size, and the file's
/// length.
fn read_footer<R: Read + Seek>(file: &mut R) -> Result<(FileMetaData, u64), String> {
    let len = file.seek(SeekFrom::End(0)).map_err(|e| e.to_string())?;
    if len < 12 {
        return Err(format!("{len} bytes is too short for a Parquet file"));
    }
    let mut tail = [0u8; 8];
    file.seek(SeekFrom::End(-8)).map_err(|e| e.to_string())?;
    file.read_exact(&mut tail).map_err(|e| e.to_string())?;
    if &tail[4..] != b"PAR1" {
        return Err("it does not end with the Parquet marker PAR1".to_owned());
    }
    let footer_len = u64::from(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
    if footer_len + 12 > len {
        return Err(format!(
            "its footer claims {footer_len} bytes, more than the {len}-byte file holds"
        ));
    }
    file.seek(SeekFrom::Start(len - 8 - footer_len))
        .map_err(|e| e.to_string())?;
    let mut footer = vec![0u8; footer_len as usize];
    file.read_exact(&mut footer).map_err(|e| e.to_string())?;
    // Every list element and byte string takes at least a byte, and the reader charges 8 bytes
    // per element: 16 bytes per footer byte is more than any real footer spends.
    let budget = (footer_len as usize)
        .saturating_mul(16)
        .saturating_add(1 << 16);
    let mut protocol = TCompactInputProtocol::new(footer.as_slice(), budget);
    let metadata = FileMetaData::read_from_in_protocol(&mut protocol)
        .map_err(|e| format!("unreadable footer: {}", first_line(&e.to_string())))?;
    Ok((metadata, len))
}

fn check_group<R: Read + Seek>(file: &mut R, len: u64, group: &RowGroup) -> Result<(), String> {
    let rows = group.num_rows as u64;
    for chunk in &group.columns {
        let Some(column) = &chunk.meta_data else {
            continue;
        };
        let name = column.path_in_schema.join(".");
        // A top-level column has one value per row; a nested one may have more.
        let flat = column.path_in_schema.len() == 1;
        let start = match column.dictionary_page_offset {
            Some(dict) => dict.min(column.data_page_offset),
            None => column.data_page_offset,
        };
        let end = start.checked_add(column.total_compressed_size);
        let range = match (u64::try_from(start), end.map(u64::try_from)) {
            (Ok(start), Some(Ok(end))) if start <= end && end <= len => start..end,
            _ => {
                return Err(format!(
                    "column '{name}' declares {} bytes at byte {start}, outside the {len}-byte file",
                    column.total_compressed_size
                ));
            }
        };
        let declared = column.num_values;
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
