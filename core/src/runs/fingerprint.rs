//! What identifies an input file without reading it all: its path, size, modification time and
//! a BLAKE3 hash of its first and last megabyte. Samples embedded in the binary are fingerprinted
//! by their bytes in the same way, with no path.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::data::{Dataset, Origin};

/// How much of each end of a file the hash covers.
const EDGE: u64 = 1 << 20;

/// One input of a run: which dataset, in which role ("points", "polygons", "series" ...).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InputFingerprint {
    pub role: String,
    /// The dataset's display name (the file name, or the sample's name).
    pub name: String,
    /// The file it was read from; `None` for a sample embedded in the binary.
    pub path: Option<String>,
    pub size: u64,
    /// Modification time, seconds since 1970; `None` for samples and unknown times.
    pub modified: Option<f64>,
    /// BLAKE3 of the first and last MB (the whole content when smaller), hex.
    pub hash: String,
}

fn edges_hash(mut read: impl Read + Seek, size: u64) -> std::io::Result<String> {
    let mut h = blake3::Hasher::new();
    let mut buf = Vec::with_capacity(EDGE.min(size) as usize);
    read.by_ref().take(EDGE).read_to_end(&mut buf)?;
    h.update(&buf);
    if size > 2 * EDGE {
        read.seek(SeekFrom::End(-(EDGE as i64)))?;
        buf.clear();
        read.take(EDGE).read_to_end(&mut buf)?;
        h.update(&buf);
    } else if size > EDGE {
        buf.clear();
        read.read_to_end(&mut buf)?;
        h.update(&buf);
    }
    h.update(&size.to_le_bytes());
    Ok(h.finalize().to_hex().to_string())
}

/// Fingerprint a file on disk.
pub fn of_file(role: &str, name: &str, path: &Path) -> std::io::Result<InputFingerprint> {
    let meta = std::fs::metadata(path)?;
    let size = meta.len();
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_secs_f64());
    let hash = edges_hash(File::open(path)?, size)?;
    // Absolute, so that the run can be reopened from any working folder.
    let path = std::path::absolute(path)?;
    Ok(InputFingerprint {
        role: role.to_owned(),
        name: name.to_owned(),
        path: Some(path.display().to_string()),
        size,
        modified,
        hash,
    })
}

/// Fingerprint bytes held in memory (an embedded sample).
pub fn of_bytes(role: &str, name: &str, bytes: &[u8]) -> InputFingerprint {
    let size = bytes.len() as u64;
    let hash = edges_hash(std::io::Cursor::new(bytes), size).unwrap_or_default();
    InputFingerprint {
        role: role.to_owned(),
        name: name.to_owned(),
        path: None,
        size,
        modified: None,
        hash,
    }
}

/// Fingerprint a loaded dataset: its file if it has one, else the embedded sample's bytes.
/// A file that has gone since it was loaded is recorded with its path and an empty hash.
pub fn of_dataset(role: &str, ds: &Dataset) -> InputFingerprint {
    match &ds.origin {
        Origin::File(p) => of_file(role, &ds.name, p).unwrap_or_else(|_| InputFingerprint {
            role: role.to_owned(),
            name: ds.name.clone(),
            path: Some(p.display().to_string()),
            size: 0,
            modified: None,
            hash: String::new(),
        }),
        // A table made in the app (a filtered view) has no bytes of its own: recorded by name.
        Origin::Sample | Origin::Made => {
            match crate::data::sample::bytes_of(&ds.name).filter(|_| ds.origin == Origin::Sample) {
                Some(bytes) => of_bytes(role, &ds.name, bytes),
                None => InputFingerprint {
                    role: role.to_owned(),
                    name: ds.name.clone(),
                    path: None,
                    size: 0,
                    modified: None,
                    hash: String::new(),
                },
            }
        }
    }
}

/// A folder of files (an image folder): size is the files' total, the hash covers every file's
/// relative path, size and modification time (not the content, which may be gigabytes).
pub fn of_folder(role: &str, dir: &Path, files: &[std::path::PathBuf]) -> InputFingerprint {
    let mut h = blake3::Hasher::new();
    let mut size = 0u64;
    let mut newest: Option<f64> = None;
    for f in files {
        let rel = f.strip_prefix(dir).unwrap_or(f);
        h.update(rel.to_string_lossy().as_bytes());
        if let Ok(meta) = std::fs::metadata(f) {
            size += meta.len();
            h.update(&meta.len().to_le_bytes());
            let t = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_secs_f64());
            if let Some(t) = t {
                h.update(&t.to_le_bytes());
                newest = Some(newest.map_or(t, |n: f64| n.max(t)));
            }
        }
    }
    InputFingerprint {
        role: role.to_owned(),
        name: dir.file_name().map_or_else(
            || dir.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        path: Some(dir.display().to_string()),
        size,
        modified: newest,
        hash: h.finalize().to_hex().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_changes_with_either_end_and_not_with_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let mut big = vec![7u8; 3 * EDGE as usize];
        let a = dir.path().join("a.bin");
        std::fs::write(&a, &big).unwrap();
        let fa = of_file("input", "a.bin", &a).unwrap();
        let b = dir.path().join("b.bin");
        std::fs::write(&b, &big).unwrap();
        assert_eq!(fa.hash, of_file("input", "b.bin", &b).unwrap().hash);
        let n = big.len();
        big[n - 1] = 8;
        std::fs::write(&b, &big).unwrap();
        assert_ne!(fa.hash, of_file("input", "b.bin", &b).unwrap().hash);
        big[n - 1] = 7;
        big[0] = 9;
        std::fs::write(&b, &big).unwrap();
        assert_ne!(fa.hash, of_file("input", "b.bin", &b).unwrap().hash);
        // Small content hashes the same from a file and from memory.
        std::fs::write(&b, b"x,y\n1,2\n").unwrap();
        assert_eq!(
            of_file("input", "b", &b).unwrap().hash,
            of_bytes("input", "b", b"x,y\n1,2\n").hash
        );
    }
}
