//! Training: a seeded stratified split, per-channel normalisation from the training images,
//! augmentation on the fly (training images only), mini-batches with Adam or SGD with
//! momentum, the validation loss after every epoch, early stopping with patience, and the best
//! epoch's weights kept (and written to a checkpoint file, so a cancelled or crashed run keeps
//! its best model).

use std::time::Instant;

use candle_core::backprop::GradStore;
use candle_core::{Device, Tensor, Var};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::model::{Arch, Cnn, Shape, Weights};
use super::{ImageModel, Normalise};
use crate::compute::Progress;
use crate::data::images::ImageSet;

/// Seconds between checkpoint writes while the validation loss keeps improving.
const CHECKPOINT_EVERY: f64 = 5.0;

/// How the weights are moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Optim {
    Adam,
    /// SGD with momentum 0.9.
    Sgd,
}

/// Augmentation of training images, drawn per image per epoch.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Augment {
    /// Mirror left-right half the time (off for digits and text).
    pub flip: bool,
    /// Shift by up to this fraction of the side, in each direction, filling with the edge.
    pub shift: f32,
    /// Scale brightness by up to ± this fraction.
    pub brightness: f32,
}

impl Default for Augment {
    fn default() -> Self {
        Self {
            flip: false,
            shift: 0.1,
            brightness: 0.1,
        }
    }
}

/// Everything a training run takes besides the images.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainSettings {
    pub arch: Arch,
    pub optim: Optim,
    pub lr: f64,
    pub batch: usize,
    pub epochs: usize,
    pub patience: usize,
    pub val_fraction: f64,
    pub augment: Augment,
    pub seed: u64,
}

/// One epoch's numbers.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Epoch {
    /// From 1.
    pub epoch: usize,
    pub train_loss: f64,
    pub train_accuracy: f64,
    pub val_loss: f64,
    pub val_accuracy: f64,
    pub seconds: f64,
}

/// Why training ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stop {
    /// All epochs ran.
    Completed,
    /// The validation loss did not improve for `patience` epochs.
    EarlyStopped,
    /// Cancelled; the best epoch so far is kept.
    Cancelled,
}

/// Which images train and which validate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrainValSplit {
    pub train: Vec<usize>,
    pub val: Vec<usize>,
}

/// A stratified split: in each class, a seeded shuffle and `fraction` of it (rounded, at least
/// one when the class has two or more) to validation.
pub fn split(labels: &[usize], classes: usize, fraction: f64, seed: u64) -> TrainValSplit {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_5b17);
    let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); classes];
    for (i, &l) in labels.iter().enumerate() {
        by_class[l].push(i);
    }
    let (mut train, mut val) = (Vec::new(), Vec::new());
    for mut members in by_class {
        members.shuffle(&mut rng);
        let mut k = (members.len() as f64 * fraction).round() as usize;
        if members.len() >= 2 {
            k = k.clamp(1, members.len() - 1);
        } else {
            k = 0;
        }
        val.extend_from_slice(&members[..k]);
        train.extend_from_slice(&members[k..]);
    }
    train.sort_unstable();
    val.sort_unstable();
    TrainValSplit { train, val }
}

/// What training gives: the best model, its history and where it stopped.
pub struct Trained {
    pub model: ImageModel,
    pub history: Vec<Epoch>,
    /// From 1; 0 when no epoch finished.
    pub best_epoch: usize,
    pub stop: Stop,
    pub split: TrainValSplit,
    pub seconds: f64,
}

/// Why training failed.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error("{0}")]
    Invalid(String),
    #[error("cancelled before the first epoch finished")]
    Cancelled,
    #[error("the network failed: {0}")]
    Candle(#[from] candle_core::Error),
    #[error("{0}")]
    Checkpoint(String),
}

/// Train on `set`. `on_epoch` sees each epoch as it ends (live curves); `checkpoint` is
/// rewritten with the best model each time the validation loss improves.
pub fn train(
    set: &ImageSet,
    settings: &TrainSettings,
    checkpoint: Option<&std::path::Path>,
    progress: &dyn Progress,
    on_epoch: &mut dyn FnMut(&Epoch),
) -> Result<Trained, TrainError> {
    let started = Instant::now();
    let classes = set.classes.len();
    let split = split(&set.labels, classes, settings.val_fraction, settings.seed);
    if split.train.is_empty() || split.val.is_empty() {
        return Err(TrainError::Invalid(format!(
            "{} images are too few to hold some out for validation",
            set.len()
        )));
    }
    let shape = Shape {
        size: set.size,
        channels: set.channels,
        classes,
    };
    if settings.arch.final_side(set.size) == 0 {
        return Err(TrainError::Invalid(format!(
            "{} conv blocks halve a {}-pixel image to nothing; use fewer blocks or a larger size",
            settings.arch.blocks, set.size
        )));
    }
    let normalise = Normalise::from_images(set, &split.train);
    let cnn = Cnn::new(settings.arch, shape, settings.seed)?;
    let trainable = cnn.trainable();
    let replica = cnn.replica()?;
    let mut optimiser = Optimiser::new(settings.optim, trainable.clone(), settings.lr)?;
    let mut rng = ChaCha8Rng::seed_from_u64(settings.seed.wrapping_add(1));
    let batches_per_epoch = split.train.len().div_ceil(settings.batch);
    let total_batches = (batches_per_epoch * settings.epochs).max(1);
    let val_batch = pixels_batch(set, &split.val, &normalise, None, &mut rng)?;
    let val_labels = labels_tensor(set, &split.val)?;

    let mut history = Vec::new();
    // (validation loss, epoch, weights) of the best epoch so far.
    let mut best: Option<(f64, usize, Weights)> = None;
    let mut stop = Stop::Completed;
    let mut order = split.train.clone();
    let (mut last_write, mut written) = (None, 0);
    'epochs: for epoch in 1..=settings.epochs {
        let epoch_started = Instant::now();
        order.shuffle(&mut rng);
        let (mut loss_sum, mut correct) = (0.0f64, 0usize);
        for (b, chunk) in order.chunks(settings.batch).enumerate() {
            if progress.cancelled() {
                stop = Stop::Cancelled;
                break 'epochs;
            }
            // Half of the batch on each core: the halves' gradients, each scaled by its share
            // of the batch, sum to the whole batch's. Inputs and dropout masks are drawn in
            // order first, so the result does not depend on the number of threads.
            let (first, second) = chunk.split_at(if chunk.len() >= 4 {
                chunk.len().div_ceil(2)
            } else {
                chunk.len()
            });
            let mut part = |idx: &[usize]| -> candle_core::Result<Option<Part>> {
                if idx.is_empty() {
                    return Ok(None);
                }
                Ok(Some(Part {
                    x: pixels_batch(set, idx, &normalise, Some(&settings.augment), &mut rng)?,
                    y: labels_tensor(set, idx)?,
                    mask: cnn.dropout_mask(idx.len(), &mut rng)?,
                    share: idx.len() as f64 / chunk.len() as f64,
                }))
            };
            let (pa, pb) = (part(first)?, part(second)?);
            let (ra, rb) = rayon::join(
                || pa.map(|p| p.step(&cnn)).transpose(),
                || pb.map(|p| p.step(&replica)).transpose(),
            );
            let (mut grads, loss_a, correct_a) =
                ra?.ok_or_else(|| candle_core::Error::Msg("an empty batch".into()))?;
            let (mut loss, mut right) = (loss_a, correct_a);
            if let Some((more, loss_b, correct_b)) = rb? {
                for var in &trainable {
                    if let Some(gb) = more.get(var.as_tensor()) {
                        let sum = match grads.remove(var.as_tensor()) {
                            Some(ga) => (ga + gb)?,
                            None => gb.clone(),
                        };
                        grads.insert(var.as_tensor(), sum);
                    }
                }
                loss += loss_b;
                right += correct_b;
            }
            optimiser.step(&grads)?;
            loss_sum += loss * chunk.len() as f64;
            correct += right;
            let done = (epoch - 1) * batches_per_epoch + b + 1;
            progress.report(
                done as f32 / total_batches as f32,
                &format!(
                    "epoch {epoch} of {}, batch {} of {batches_per_epoch}",
                    settings.epochs,
                    b + 1
                ),
            );
        }
        let logits = cnn.forward(&val_batch, false, None)?;
        let val_loss =
            f64::from(candle_nn::loss::cross_entropy(&logits, &val_labels)?.to_scalar::<f32>()?);
        let val_correct = count_correct(&logits, &val_labels)?;
        let stats = Epoch {
            epoch,
            train_loss: loss_sum / split.train.len() as f64,
            train_accuracy: correct as f64 / split.train.len() as f64,
            val_loss,
            val_accuracy: val_correct as f64 / split.val.len() as f64,
            seconds: epoch_started.elapsed().as_secs_f64(),
        };
        history.push(stats);
        on_epoch(&stats);
        let improved = best.as_ref().is_none_or(|(b, _, _)| val_loss < *b);
        if improved {
            let values = cnn.values()?;
            // A synced write can take a second on a slow disk: at most one every few
            // seconds while improving, and the best one always at the end.
            if let Some(path) = checkpoint
                && last_write.is_none_or(|t: Instant| t.elapsed().as_secs_f64() >= CHECKPOINT_EVERY)
            {
                let model =
                    ImageModel::new(&cnn, set.classes.clone(), normalise.clone(), *settings)?;
                model
                    .save(path)
                    .map_err(|e| TrainError::Checkpoint(e.to_string()))?;
                last_write = Some(Instant::now());
                written = epoch;
            }
            best = Some((val_loss, epoch, values));
        } else if best
            .as_ref()
            .is_some_and(|(_, e, _)| epoch - e >= settings.patience)
        {
            stop = Stop::EarlyStopped;
            break;
        }
    }
    let Some((_, best_epoch, values)) = best else {
        return Err(TrainError::Cancelled);
    };
    cnn.restore(&values)?;
    let model = ImageModel::new(&cnn, set.classes.clone(), normalise, *settings)?;
    if let Some(path) = checkpoint
        && written != best_epoch
    {
        model
            .save(path)
            .map_err(|e| TrainError::Checkpoint(e.to_string()))?;
    }
    Ok(Trained {
        model,
        history,
        best_epoch,
        stop,
        split,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Images `idx` as a normalised N × C × H × W tensor, augmented when `augment` is given.
pub(super) fn pixels_batch(
    set: &ImageSet,
    idx: &[usize],
    normalise: &Normalise,
    augment: Option<&Augment>,
    rng: &mut ChaCha8Rng,
) -> candle_core::Result<Tensor> {
    let (c, s) = (set.channels, set.size);
    let mut data = Vec::with_capacity(idx.len() * set.image_len());
    for &i in idx {
        let img = set.image(i);
        match augment {
            None => data.extend(normalise.apply(img, c, s * s)),
            Some(a) => data.extend(normalise.apply(&augmented(img, c, s, a, rng), c, s * s)),
        }
    }
    Tensor::from_vec(data, (idx.len(), c, s, s), &Device::Cpu)
}

/// One image flipped, shifted (edge pixels repeated) and brightened as `a` allows.
fn augmented(
    img: &[f32],
    channels: usize,
    side: usize,
    a: &Augment,
    rng: &mut ChaCha8Rng,
) -> Vec<f32> {
    let flip = a.flip && rng.random::<bool>();
    let max_shift = (a.shift * side as f32).round() as i64;
    let (dx, dy) = if max_shift > 0 {
        (
            rng.random_range(-max_shift..=max_shift),
            rng.random_range(-max_shift..=max_shift),
        )
    } else {
        (0, 0)
    };
    let gain = if a.brightness > 0.0 {
        1.0 + rng.random_range(-a.brightness..=a.brightness)
    } else {
        1.0
    };
    let last = side as i64 - 1;
    let mut out = Vec::with_capacity(img.len());
    for c in 0..channels {
        let plane = &img[c * side * side..(c + 1) * side * side];
        for y in 0..side as i64 {
            for x in 0..side as i64 {
                let sx = if flip { last - x } else { x } - dx;
                let sy = y - dy;
                let v = plane[(sy.clamp(0, last) * side as i64 + sx.clamp(0, last)) as usize];
                out.push((v * gain).clamp(0.0, 1.0));
            }
        }
    }
    out
}

pub(super) fn labels_tensor(set: &ImageSet, idx: &[usize]) -> candle_core::Result<Tensor> {
    let labels: Vec<u32> = idx.iter().map(|&i| set.labels[i] as u32).collect();
    Tensor::from_vec(labels, idx.len(), &Device::Cpu)
}

fn count_correct(logits: &Tensor, labels: &Tensor) -> candle_core::Result<usize> {
    let predicted = logits.argmax(1)?.to_vec1::<u32>()?;
    let truth = labels.to_vec1::<u32>()?;
    Ok(predicted.iter().zip(&truth).filter(|(p, t)| p == t).count())
}

/// One half of a batch, ready to run.
struct Part {
    x: Tensor,
    y: Tensor,
    mask: Option<Tensor>,
    /// Its share of the batch, which scales its loss.
    share: f64,
}

impl Part {
    /// Forward and backward through `model`: the gradients of the scaled loss, the loss
    /// (the half's mean, scaled) and the images it got right.
    fn step(self, model: &Cnn) -> candle_core::Result<(GradStore, f64, usize)> {
        let logits = model.forward(&self.x, true, self.mask.as_ref())?;
        let loss = (candle_nn::loss::cross_entropy(&logits, &self.y)? * self.share)?;
        let grads = loss.backward()?;
        let value = f64::from(loss.to_scalar::<f32>()?);
        Ok((grads, value, count_correct(&logits, &self.y)?))
    }
}

/// Adam (candle's AdamW without weight decay) or SGD with momentum 0.9 (candle's SGD has no
/// momentum; the buffer update is PyTorch's).
enum Optimiser {
    Adam(AdamW),
    Sgd {
        vars: Vec<Var>,
        velocity: Vec<Option<Tensor>>,
        lr: f64,
    },
}

impl Optimiser {
    fn new(kind: Optim, vars: Vec<Var>, lr: f64) -> candle_core::Result<Self> {
        Ok(match kind {
            Optim::Adam => Self::Adam(AdamW::new(
                vars,
                ParamsAdamW {
                    lr,
                    weight_decay: 0.0,
                    ..Default::default()
                },
            )?),
            Optim::Sgd => Self::Sgd {
                velocity: vec![None; vars.len()],
                vars,
                lr,
            },
        })
    }

    fn step(&mut self, grads: &GradStore) -> candle_core::Result<()> {
        match self {
            Self::Adam(adam) => adam.step(grads),
            Self::Sgd { vars, velocity, lr } => {
                for (var, v) in vars.iter().zip(velocity.iter_mut()) {
                    let Some(g) = grads.get(var) else { continue };
                    let next = match v.take() {
                        Some(prev) => ((prev * 0.9)? + g)?,
                        None => g.clone(),
                    };
                    var.set(&(var.as_tensor() - (&next * *lr)?)?)?;
                    *v = Some(next);
                }
                Ok(())
            }
        }
    }
}
