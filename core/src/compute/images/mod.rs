//! Image classification on the CPU (issue 16): a small CNN (`model`), its training (`train`),
//! the model file, evaluation and prediction. candle provides tensors, autograd and the
//! layers; everything is trained from scratch (no pretrained weights ship or download).

pub mod model;
pub mod train;

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::data::images::ImageSet;
use model::{Cnn, Shape};
use train::TrainSettings;

/// Per-channel mean and standard deviation of the training images, applied to every image
/// the model sees.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Normalise {
    pub mean: Vec<f32>,
    pub std: Vec<f32>,
}

impl Normalise {
    pub(crate) fn from_images(set: &ImageSet, idx: &[usize]) -> Self {
        let plane = set.size * set.size;
        let mut mean = Vec::with_capacity(set.channels);
        let mut std = Vec::with_capacity(set.channels);
        for c in 0..set.channels {
            let (mut sum, mut sq, mut n) = (0.0f64, 0.0f64, 0usize);
            for &i in idx {
                for &v in &set.image(i)[c * plane..(c + 1) * plane] {
                    sum += f64::from(v);
                    sq += f64::from(v) * f64::from(v);
                    n += 1;
                }
            }
            let m = sum / n.max(1) as f64;
            let var = (sq / n.max(1) as f64 - m * m).max(0.0);
            mean.push(m as f32);
            std.push((var.sqrt() as f32).max(1e-3));
        }
        Self { mean, std }
    }

    /// `img` (channel-major, `plane` values per channel) normalised.
    pub fn apply<'a>(
        &'a self,
        img: &'a [f32],
        channels: usize,
        plane: usize,
    ) -> impl Iterator<Item = f32> + 'a {
        (0..channels).flat_map(move |c| {
            img[c * plane..(c + 1) * plane]
                .iter()
                .map(move |v| (v - self.mean[c]) / self.std[c])
        })
    }
}

/// A trained classifier and what it needs to read new images.
pub struct ImageModel {
    pub cnn: Cnn,
    pub classes: Vec<String>,
    pub normalise: Normalise,
    pub settings: TrainSettings,
}

/// The largest models a file may describe (far beyond what `images train` makes).
const MAX_BLOCKS: usize = 8;
const MAX_WIDTH: usize = 1024;
const MAX_SIDE: usize = 4096;
const MAX_CLASSES: usize = 100_000;

/// The model file: a first line naming the format, one line of JSON (the header), then every
/// tensor's values as little-endian f32 in the header's order.
const MAGIC: &str = "playbook image model";

#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    classes: Vec<String>,
    shape: Shape,
    normalise: Normalise,
    settings: TrainSettings,
    tensors: Vec<(String, Vec<usize>)>,
}

/// Why a model file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ModelFileError {
    #[error("{path}: {why}")]
    Bad { path: String, why: String },
}

impl ImageModel {
    pub fn new(
        cnn: &Cnn,
        classes: Vec<String>,
        normalise: Normalise,
        settings: TrainSettings,
    ) -> candle_core::Result<Self> {
        // A copy of the weights, so the training network can keep moving.
        let cnn = Cnn::from_values(cnn.arch, cnn.shape, cnn.values()?)?;
        Ok(Self {
            cnn,
            classes,
            normalise,
            settings,
        })
    }

    pub fn shape(&self) -> Shape {
        self.cnn.shape
    }

    /// Write the model to `path` atomically.
    pub fn save(&self, path: &Path) -> Result<(), ModelFileError> {
        let bad = |why: String| ModelFileError::Bad {
            path: path.display().to_string(),
            why,
        };
        let values = self.cnn.values().map_err(|e| bad(e.to_string()))?;
        let header = Header {
            format: MAGIC.to_owned(),
            version: 1,
            classes: self.classes.clone(),
            shape: self.cnn.shape,
            normalise: self.normalise.clone(),
            settings: self.settings,
            tensors: values
                .iter()
                .map(|(n, d, _)| (n.clone(), d.clone()))
                .collect(),
        };
        let json = serde_json::to_string(&header).map_err(|e| bad(e.to_string()))?;
        crate::export::write_atomic(path, |w| {
            writeln!(w, "{MAGIC}")?;
            writeln!(w, "{json}")?;
            for (_, _, v) in &values {
                for x in v {
                    w.write_all(&x.to_le_bytes())?;
                }
            }
            Ok(())
        })
        .map_err(|e| bad(format!("cannot write: {e}")))
    }

    /// Read a model written by `save`; anything else is a clear error naming the file.
    pub fn load(path: &Path) -> Result<Self, ModelFileError> {
        let bad = |why: String| ModelFileError::Bad {
            path: path.display().to_string(),
            why,
        };
        let bytes = crate::data::read_regular(path).map_err(|e| ModelFileError::Bad {
            path: path.display().to_string(),
            why: e
                .to_string()
                .replacen(&format!("{}: ", path.display()), "", 1),
        })?;
        let not_model = || {
            bad(
                "not a Playbook image model (save one with `playbook images train --model-out`)"
                    .to_owned(),
            )
        };
        let first = bytes
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(not_model)?;
        if &bytes[..first] != MAGIC.as_bytes() {
            return Err(not_model());
        }
        let rest = &bytes[first + 1..];
        let second = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(not_model)?;
        let header: Header = serde_json::from_slice(&rest[..second])
            .map_err(|e| bad(format!("damaged model header: {e}")))?;
        if header.version != 1 {
            return Err(bad(format!(
                "model format version {} is newer than this Playbook reads (1)",
                header.version
            )));
        }
        // The header's sizes are checked before anything is sized from them: a crafted header
        // (200,000,000 blocks) would otherwise list billions of tensors.
        let (arch, shape) = (&header.settings.arch, header.shape);
        let limits = [
            ("conv blocks", arch.blocks, 1, MAX_BLOCKS),
            ("width", arch.width, 1, MAX_WIDTH),
            ("image size", shape.size, 1, MAX_SIDE),
            ("channels", shape.channels, 1, 3),
            ("classes", shape.classes, 1, MAX_CLASSES),
        ];
        for (what, value, lo, hi) in limits {
            if !(lo..=hi).contains(&value) {
                return Err(bad(format!(
                    "damaged model: {what} {value} is outside {lo} to {hi}"
                )));
            }
        }
        let expected = header.settings.arch.tensors(header.shape);
        if header.tensors != expected || header.classes.len() != header.shape.classes {
            return Err(bad(
                "damaged model: its tensors do not match its architecture".to_owned(),
            ));
        }
        let data = &rest[second + 1..];
        let total: usize = expected
            .iter()
            .map(|(_, d)| d.iter().product::<usize>())
            .sum();
        if data.len() != total * 4 {
            return Err(bad(format!(
                "damaged model: {} bytes of weights, expected {}",
                data.len(),
                total * 4
            )));
        }
        let mut at = 0;
        let mut values = Vec::with_capacity(expected.len());
        for (name, dims) in expected {
            let n: usize = dims.iter().product();
            let v: Vec<f32> = data[at..at + n * 4]
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            if v.iter().any(|x| !x.is_finite()) {
                return Err(bad(format!(
                    "damaged model: tensor {name} holds non-finite values"
                )));
            }
            at += n * 4;
            values.push((name, dims, v));
        }
        let cnn = Cnn::from_values(header.settings.arch, header.shape, values)
            .map_err(|e| bad(format!("damaged model: {e}")))?;
        Ok(Self {
            cnn,
            classes: header.classes,
            normalise: header.normalise,
            settings: header.settings,
        })
    }

    /// Class probabilities for images `idx` of `set` (which must match the model's size and
    /// channels), in batches.
    pub fn probabilities(
        &self,
        set: &ImageSet,
        idx: &[usize],
    ) -> candle_core::Result<Vec<Vec<f32>>> {
        let mut out = Vec::with_capacity(idx.len());
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(0);
        for chunk in idx.chunks(256) {
            let x = train::pixels_batch(set, chunk, &self.normalise, None, &mut rng)?;
            let logits = self.cnn.forward(&x, false, None)?;
            let p = candle_nn::ops::softmax(&logits, 1)?;
            out.extend(p.to_vec2::<f32>()?);
        }
        Ok(out)
    }
}

/// The `k` most likely classes of one image: (class index, probability), most likely first.
pub(crate) fn top_k(probabilities: &[f32], k: usize) -> Vec<(usize, f32)> {
    let mut ranked: Vec<(usize, f32)> = probabilities.iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(k);
    ranked
}

/// How a model does on labelled images.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evaluation {
    /// `confusion[true][predicted]`.
    pub confusion: Vec<Vec<usize>>,
    pub accuracy: f64,
    /// Per class; NaN when the class was never predicted.
    pub precision: Vec<f64>,
    /// Per class; NaN when the class has no images.
    pub recall: Vec<f64>,
    /// (image index, predicted class, its probability) of every wrong prediction, most
    /// confident first.
    pub wrong: Vec<(usize, usize, f32)>,
}

/// Score predictions against the labels of images `idx`.
pub fn evaluate(
    labels: &[usize],
    idx: &[usize],
    probabilities: &[Vec<f32>],
    classes: usize,
) -> Evaluation {
    let mut confusion = vec![vec![0usize; classes]; classes];
    let mut wrong = Vec::new();
    for (&i, p) in idx.iter().zip(probabilities) {
        let (predicted, prob) = top_k(p, 1).first().copied().unwrap_or((0, 0.0));
        confusion[labels[i]][predicted] += 1;
        if predicted != labels[i] {
            wrong.push((i, predicted, prob));
        }
    }
    wrong.sort_by(|a, b| b.2.total_cmp(&a.2));
    let total: usize = confusion.iter().flatten().sum();
    let right: usize = (0..classes).map(|c| confusion[c][c]).sum();
    let ratio = |a: usize, b: usize| {
        if b == 0 {
            f64::NAN
        } else {
            a as f64 / b as f64
        }
    };
    let precision = (0..classes)
        .map(|c| ratio(confusion[c][c], (0..classes).map(|t| confusion[t][c]).sum()))
        .collect();
    let recall = (0..classes)
        .map(|c| ratio(confusion[c][c], confusion[c].iter().sum()))
        .collect();
    Evaluation {
        confusion,
        accuracy: ratio(right, total),
        precision,
        recall,
        wrong,
    }
}
