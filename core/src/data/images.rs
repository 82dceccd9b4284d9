//! Folders of labelled images, as PyTorch's `ImageFolder` reads them: one subfolder per class,
//! PNG or JPEG files of any size inside. `scan` lists them (fast, for the panel's counts);
//! `load` decodes and resizes every image to a square, in parallel. An image that cannot be
//! read is listed with the reason and skipped, never fatal.

use std::path::{Path, PathBuf};

use image::imageops::FilterType;
use rayon::prelude::*;

use super::error::{DataError, DataResult};
use crate::compute::{Cancelled, Progress};

/// File extensions read as images.
pub const IMAGE_EXTENSIONS: [&str; 3] = ["png", "jpg", "jpeg"];

/// The classes of a folder and their files, before any is decoded.
#[derive(Clone, Debug)]
pub struct Folder {
    pub root: PathBuf,
    /// Class names: the subfolders, sorted.
    pub classes: Vec<String>,
    /// Image files per class, sorted by name.
    pub files: Vec<Vec<PathBuf>>,
}

impl Folder {
    pub fn total(&self) -> usize {
        self.files.iter().map(Vec::len).sum()
    }

    /// Class sizes, largest over smallest: 1.0 when balanced.
    pub fn imbalance(&self) -> f64 {
        let counts = self.files.iter().map(Vec::len);
        let (lo, hi) = counts.fold((usize::MAX, 0), |(lo, hi), n| (lo.min(n), hi.max(n)));
        if lo == 0 {
            f64::INFINITY
        } else {
            hi as f64 / lo as f64
        }
    }
}

/// Decoded images, all `size`×`size` with `channels` channels (1 when every image is grey,
/// else 3), pixel values in 0..=1.
#[derive(Clone, Debug)]
pub struct ImageSet {
    pub root: PathBuf,
    pub classes: Vec<String>,
    pub size: usize,
    pub channels: usize,
    /// Image after image, each channel-major (C × H × W).
    pub pixels: Vec<f32>,
    pub labels: Vec<usize>,
    pub files: Vec<PathBuf>,
    /// Files that could not be read, with why.
    pub skipped: Vec<(PathBuf, String)>,
}

impl ImageSet {
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Values per image.
    pub(crate) fn image_len(&self) -> usize {
        self.channels * self.size * self.size
    }

    pub fn image(&self, i: usize) -> &[f32] {
        let n = self.image_len();
        &self.pixels[i * n..(i + 1) * n]
    }

    /// Images per class.
    pub fn counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.classes.len()];
        for &l in &self.labels {
            counts[l] += 1;
        }
        counts
    }
}

/// Whether `path` names a PNG or JPEG file (by its extension).
pub fn is_image(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

fn sorted_entries(dir: &Path) -> DataResult<Vec<PathBuf>> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| DataError::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    Ok(entries)
}

/// The classes (subfolders) of `root` and their image files. Needs at least two classes with
/// an image each.
pub fn scan(root: &Path) -> DataResult<Folder> {
    if !root.is_dir() {
        return Err(if root.exists() {
            DataError::Other(format!(
                "{}: not a folder; choose a folder with one subfolder of images per class",
                root.display()
            ))
        } else {
            DataError::NotFound(root.to_owned())
        });
    }
    let mut classes = Vec::new();
    let mut files = Vec::new();
    for dir in sorted_entries(root)?.into_iter().filter(|p| p.is_dir()) {
        let images: Vec<PathBuf> = sorted_entries(&dir)?
            .into_iter()
            .filter(|p| p.is_file() && is_image(p))
            .collect();
        if images.is_empty() {
            continue;
        }
        classes.push(
            dir.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        );
        files.push(images);
    }
    if classes.len() < 2 {
        return Err(DataError::Other(format!(
            "{}: found {} class folder(s) with images; a classifier needs at least two \
             subfolders, one per class, holding .png or .jpg files",
            root.display(),
            classes.len()
        )));
    }
    Ok(Folder {
        root: root.to_owned(),
        classes,
        files,
    })
}

/// One image decoded and resized to `size`×`size`: grey or RGB bytes, and whether it was grey.
fn decode(path: &Path, size: u32) -> Result<(Vec<u8>, bool), String> {
    super::regular_file(path).map_err(|e| e.to_string())?;
    let img = image::ImageReader::open(path)
        .map_err(|e| e.to_string())?
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .decode()
        .map_err(|e| e.to_string())?;
    if img.width() == 0 || img.height() == 0 {
        return Err("the image is empty".to_owned());
    }
    let grey = img.color().channel_count() <= 2;
    let resized = img.resize_exact(size, size, FilterType::Triangle);
    Ok(if grey {
        (resized.to_luma8().into_raw(), true)
    } else {
        (resized.to_rgb8().into_raw(), false)
    })
}

/// Every image of `folder`, resized to `size`×`size`. Unreadable files go to `skipped`.
pub fn load(folder: &Folder, size: usize, progress: &dyn Progress) -> Result<ImageSet, LoadError> {
    let items: Vec<(usize, &PathBuf)> = folder
        .files
        .iter()
        .enumerate()
        .flat_map(|(c, fs)| fs.iter().map(move |f| (c, f)))
        .collect();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = items.len().max(1);
    let decoded: Vec<Result<(Vec<u8>, bool), String>> = items
        .par_iter()
        .map(|(_, path)| {
            if progress.cancelled() {
                return Err(String::new());
            }
            let r = decode(path, size as u32);
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if n.is_multiple_of(64) {
                progress.report(
                    n as f32 / total as f32,
                    &format!("read {n} of {total} images"),
                );
            }
            r
        })
        .collect();
    if progress.cancelled() {
        return Err(LoadError::Cancelled);
    }
    let colour = decoded.iter().any(|d| matches!(d, Ok((_, false))));
    let channels = if colour { 3 } else { 1 };
    let plane = size * size;
    let mut set = ImageSet {
        root: folder.root.clone(),
        classes: folder.classes.clone(),
        size,
        channels,
        pixels: Vec::with_capacity(items.len() * plane * channels),
        labels: Vec::with_capacity(items.len()),
        files: Vec::with_capacity(items.len()),
        skipped: Vec::new(),
    };
    for ((class, path), d) in items.iter().zip(decoded) {
        match d {
            Ok((bytes, grey)) => {
                push_channel_major(&mut set.pixels, &bytes, grey, channels, plane);
                set.labels.push(*class);
                set.files.push((*path).clone());
            }
            Err(why) => set.skipped.push(((*path).clone(), why)),
        }
    }
    let present = set.counts().iter().filter(|&&n| n > 0).count();
    if present < 2 {
        return Err(LoadError::Data(DataError::Other(format!(
            "{}: fewer than two classes have a readable image ({} of {} files could not be read)",
            folder.root.display(),
            set.skipped.len(),
            items.len()
        ))));
    }
    Ok(set)
}

/// Images `files` (no labels) resized to `size` and made `channels` deep, for prediction:
/// the readable ones as a set (label 0 each), and the unreadable ones with why.
pub fn read_files(
    files: &[PathBuf],
    size: usize,
    channels: usize,
) -> (ImageSet, Vec<(PathBuf, String)>) {
    let decoded: Vec<_> = files.par_iter().map(|f| decode(f, size as u32)).collect();
    let plane = size * size;
    let mut set = ImageSet {
        root: PathBuf::new(),
        classes: Vec::new(),
        size,
        channels,
        pixels: Vec::new(),
        labels: Vec::new(),
        files: Vec::new(),
        skipped: Vec::new(),
    };
    for (path, d) in files.iter().zip(decoded) {
        match d {
            Ok((bytes, grey)) if grey || channels == 3 => {
                push_channel_major(&mut set.pixels, &bytes, grey, channels, plane);
                set.labels.push(0);
                set.files.push(path.clone());
            }
            Ok((bytes, _)) => {
                // A colour image for a grey model: its luma.
                let luma: Vec<u8> = bytes
                    .chunks_exact(3)
                    .map(|p| {
                        ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114)
                            / 1000) as u8
                    })
                    .collect();
                push_channel_major(&mut set.pixels, &luma, true, channels, plane);
                set.labels.push(0);
                set.files.push(path.clone());
            }
            Err(why) => set.skipped.push((path.clone(), why)),
        }
    }
    let skipped = std::mem::take(&mut set.skipped);
    (set, skipped)
}

/// Interleaved bytes (grey or RGB) to channel-major floats in 0..=1; grey images are repeated
/// over three channels in a colour set.
fn push_channel_major(out: &mut Vec<f32>, bytes: &[u8], grey: bool, channels: usize, plane: usize) {
    for c in 0..channels {
        for p in 0..plane {
            let v = if grey { bytes[p] } else { bytes[p * 3 + c] };
            out.push(f32::from(v) / 255.0);
        }
    }
}

/// Why a folder could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Data(#[from] DataError),
    #[error("cancelled")]
    Cancelled,
}

impl From<Cancelled> for LoadError {
    fn from(_: Cancelled) -> Self {
        Self::Cancelled
    }
}

/// scikit-learn's handwritten digits, embedded (`sample-data/digits.csv`: 64 pixel values
/// 0..=16 then the label per line; UCI, CC BY 4.0).
pub const DIGITS_CSV: &str = include_str!("../../../sample-data/digits.csv");

/// Digits as a class-per-folder PNG set: `<digit>/<line>.png`, 8×8 grey, 0..=16 scaled to
/// 0..=255.
pub fn digit_pngs(csv: &str) -> Result<Vec<super::generators::NamedFile>, String> {
    let mut files = Vec::new();
    for (line_no, line) in csv
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let bad = || {
            format!(
                "digits line {}: expected 64 pixel values from 0 to 16 and a label",
                line_no + 1
            )
        };
        let values: Vec<u8> = line
            .split(',')
            .map(|v| v.trim().parse::<u8>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad())?;
        if values.len() != 65 || values[..64].iter().any(|&v| v > 16) {
            return Err(bad());
        }
        let pixels: Vec<u8> = values[..64]
            .iter()
            .map(|&v| (u16::from(v) * 255 / 16) as u8)
            .collect();
        let img = image::GrayImage::from_raw(8, 8, pixels).ok_or_else(bad)?;
        let mut bytes = Vec::new();
        img.write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .map_err(|e| e.to_string())?;
        files.push((format!("{}/{line_no:04}.png", values[64]), bytes));
    }
    Ok(files)
}

/// Write named files (names may hold one folder level) under `dir`, atomically each.
pub fn write_files(dir: &Path, files: &[super::generators::NamedFile]) -> DataResult<()> {
    for (name, bytes) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| DataError::io(parent, e))?;
        }
        crate::export::write_atomic(&path, |w| std::io::Write::write_all(w, bytes))
            .map_err(|e| DataError::io(&path, e))?;
    }
    Ok(())
}

/// The bundled digits as a folder under `home` (written on first use), for the Images panel
/// and the demo.
pub fn bundled_digits(home: &Path) -> DataResult<PathBuf> {
    let dir = home.join("samples").join("digits");
    let marker = dir.join("9");
    if !marker.is_dir() {
        let files = digit_pngs(DIGITS_CSV).map_err(DataError::Other)?;
        write_files(&dir, &files)?;
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::NoProgress;

    #[test]
    fn a_folder_of_classes_loads_and_a_broken_image_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let csv = "0,0,16,16,16,16,0,0,0,0,16,0,0,16,0,0,0,0,16,0,0,16,0,0,0,0,16,0,0,16,0,0,0,0,16,0,0,16,0,0,0,0,16,0,0,16,0,0,0,0,16,0,0,16,0,0,0,0,16,16,16,16,0,0,0\n\
                   0,0,0,16,16,0,0,0,0,0,0,16,16,0,0,0,0,0,0,16,16,0,0,0,0,0,0,16,16,0,0,0,0,0,0,16,16,0,0,0,0,0,0,16,16,0,0,0,0,0,0,16,16,0,0,0,0,0,0,16,16,0,0,0,1\n";
        write_files(dir.path(), &digit_pngs(csv).unwrap()).unwrap();
        std::fs::write(dir.path().join("1/broken.png"), b"not a png").unwrap();
        std::fs::write(dir.path().join("1/notes.txt"), b"ignored").unwrap();
        let folder = scan(dir.path()).unwrap();
        assert_eq!(folder.classes, vec!["0", "1"]);
        assert_eq!(folder.total(), 3);
        let set = load(&folder, 4, &NoProgress).unwrap();
        assert_eq!((set.len(), set.channels, set.image_len()), (2, 1, 16));
        assert_eq!(set.skipped.len(), 1);
        assert!(set.skipped[0].0.ends_with("broken.png"));
        // The "1" is a vertical bar in the middle: its middle columns are bright, its edges dark.
        let one = set.image(1);
        assert!(one[1] > 0.5 && one[0] < 0.2, "{one:?}");
    }

    #[test]
    fn a_folder_without_two_classes_says_what_it_needs() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("only")).unwrap();
        image::GrayImage::new(2, 2)
            .save(dir.path().join("only/a.png"))
            .unwrap();
        let e = scan(dir.path()).unwrap_err().to_string();
        assert!(e.contains("at least two subfolders"), "{e}");
        let e = scan(&dir.path().join("only/a.png"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a folder"), "{e}");
    }
}
