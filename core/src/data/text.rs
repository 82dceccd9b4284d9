//! Text encodings of tables and GeoJSON: UTF-8 is read as it is; UTF-16 with a byte-order mark
//! (Excel's "Unicode text", Windows tools) is decoded to UTF-8; UTF-16 without a mark, which
//! would load as garbage column names, is refused with what to do instead.

use std::path::Path;

use super::{DataError, DataResult};

/// `None` when `head` (the file's first bytes) is not UTF-16; the whole file decoded to UTF-8
/// when it starts with a UTF-16 byte-order mark (`all` reads the whole file); an error when it
/// looks like UTF-16 without one.
pub(super) fn utf16_to_utf8(
    path: &Path,
    head: &[u8],
    all: impl FnOnce() -> std::io::Result<Vec<u8>>,
) -> DataResult<Option<Vec<u8>>> {
    let little = match head {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => {
            // ASCII text in UTF-16 has a NUL in every other byte.
            let nul = head.iter().filter(|b| **b == 0).count();
            if head.len() >= 8 && nul * 3 >= head.len() {
                return Err(DataError::Other(format!(
                    "{}: looks like UTF-16 text without a byte-order mark; save it as UTF-8 \
                     (in Excel: CSV UTF-8)",
                    path.display()
                )));
            }
            return Ok(None);
        }
    };
    let bytes = all().map_err(|e| DataError::io(path, e))?;
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|c| {
            if little {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        })
        .collect();
    String::from_utf16(&units)
        .map(|s| Some(s.into_bytes()))
        .map_err(|_| {
            DataError::Other(format!(
                "{}: starts as UTF-16 but is not valid UTF-16; save it as UTF-8",
                path.display()
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, little: bool) -> Vec<u8> {
        let mut out = if little {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in text.encode_utf16() {
            out.extend(if little {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            });
        }
        out
    }

    #[test]
    fn utf16_with_a_mark_is_decoded_and_without_one_refused() {
        let p = Path::new("t.csv");
        for little in [true, false] {
            let b = utf16("date,ä\n2024-01-01,3\n", little);
            let got = utf16_to_utf8(p, &b, || Ok(b.clone())).unwrap().unwrap();
            assert_eq!(String::from_utf8(got).unwrap(), "date,ä\n2024-01-01,3\n");
        }
        let plain = b"date,value\n2024-01-01,3\n";
        assert_eq!(
            utf16_to_utf8(p, plain, || Ok(plain.to_vec())).unwrap(),
            None
        );
        let bare: Vec<u8> = utf16("date,value\n1,2\n", true)[2..].to_vec();
        let e = utf16_to_utf8(p, &bare, || Ok(bare.clone())).unwrap_err();
        assert!(
            e.to_string()
                .contains("UTF-16 text without a byte-order mark"),
            "{e}"
        );
    }
}
