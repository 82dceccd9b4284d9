//! Image classification (issue 16): a folder of labelled images → a CNN trained from scratch
//! on the CPU → validation scores, the confusion matrix, the misclassified images and a model
//! file; and predictions with a saved model. The Images panel, `playbook images` and the demo
//! call this.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::record::metrics;
use super::{Bound, ParamError, Recordable};
use crate::chart::{Chart, Line};
use crate::compute::Progress;
use crate::compute::images::model::Arch;
use crate::compute::images::train::{self, Augment, Epoch, Optim, Stop, TrainSettings, Trained};
use crate::compute::images::{self, Evaluation, ImageModel};
use crate::data::images::{self as folder, Folder, ImageSet, LoadError};
use crate::runs::Curve;

pub const ID: &str = "images";

pub const SIZE: Bound<usize> = Bound::new("image size", 4, 128);
pub const EPOCHS: Bound<usize> = Bound::new("epochs", 1, 500);
pub const BATCH: Bound<usize> = Bound::new("batch size", 1, 1024);
pub const LR: Bound<f64> = Bound::new("learning rate", 1e-6, 1.0);
pub const PATIENCE: Bound<usize> = Bound::new("patience", 1, 100);
pub(crate) const VAL_FRACTION: Bound<f64> = Bound::new("validation fraction", 0.05, 0.5);
pub const BLOCKS: Bound<usize> = Bound::new("conv blocks", 1, 4);
pub const WIDTH: Bound<usize> = Bound::new("width", 4, 128);
pub const DROPOUT: Bound<f32> = Bound::new("dropout", 0.0, 0.9);
pub const SHIFT: Bound<f32> = Bound::new("shift", 0.0, 0.3);
pub const BRIGHTNESS: Bound<f32> = Bound::new("brightness", 0.0, 0.5);

/// What a user sets for a training run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImagesParams {
    /// Images are resized to size × size.
    pub size: usize,
    pub epochs: usize,
    pub batch: usize,
    pub lr: f64,
    pub patience: usize,
    pub seed: u64,
    pub val_fraction: f64,
    pub blocks: usize,
    pub width: usize,
    pub dropout: f32,
    pub optim: Optim,
    pub flip: bool,
    pub shift: f32,
    pub brightness: f32,
}

impl Default for ImagesParams {
    fn default() -> Self {
        let arch = Arch::default();
        let augment = Augment::default();
        Self {
            size: 32,
            epochs: 30,
            batch: 64,
            lr: 1e-3,
            patience: 5,
            seed: 42,
            val_fraction: 0.2,
            blocks: arch.blocks,
            width: arch.width,
            dropout: arch.dropout,
            optim: Optim::Adam,
            flip: augment.flip,
            shift: augment.shift,
            brightness: augment.brightness,
        }
    }
}

/// The settings "Try it on the sample" trains the bundled digits with: they are 8x8, so 16
/// pixels and 15 epochs reach over 97% in seconds. The panel starts from it.
pub fn sample_preset() -> ImagesParams {
    ImagesParams {
        size: 16,
        batch: 32,
        epochs: 15,
        ..ImagesParams::default()
    }
}

/// Checked parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ValidImagesParams {
    pub size: usize,
    pub settings: TrainSettings,
}

pub fn check(p: &ImagesParams) -> Result<ValidImagesParams, ParamError> {
    let size = SIZE.check(p.size)?;
    let blocks = BLOCKS.check(p.blocks)?;
    if size >> blocks == 0 {
        return Err(ParamError::Invalid {
            name: "conv blocks",
            why: format!(
                "{blocks} blocks halve a {size}-pixel image to nothing; use fewer blocks or a larger size"
            ),
        });
    }
    Ok(ValidImagesParams {
        size,
        settings: TrainSettings {
            arch: Arch {
                blocks,
                width: WIDTH.check(p.width)?,
                dropout: DROPOUT.check(p.dropout)?,
            },
            optim: p.optim,
            lr: LR.check(p.lr)?,
            batch: BATCH.check(p.batch)?,
            epochs: EPOCHS.check(p.epochs)?,
            patience: PATIENCE.check(p.patience)?,
            val_fraction: VAL_FRACTION.check(p.val_fraction)?,
            augment: Augment {
                flip: p.flip,
                shift: SHIFT.check(p.shift)?,
                brightness: BRIGHTNESS.check(p.brightness)?,
            },
            seed: p.seed,
        },
    })
}

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum ImagesError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Data(#[from] crate::data::DataError),
    #[error("{}: {error}", dir.display())]
    Train {
        error: train::TrainError,
        dir: PathBuf,
    },
    #[error(transparent)]
    Model(#[from] images::ModelFileError),
    #[error("the network failed: {0}")]
    Candle(#[from] candle_core::Error),
}

/// A finished training run.
pub struct ImagesOutput {
    pub folder: Folder,
    pub set: ImageSet,
    pub trained: Trained,
    /// The best model on the validation images.
    pub evaluation: Evaluation,
}

impl ImagesOutput {
    pub fn model(&self) -> &ImageModel {
        &self.trained.model
    }

    /// Images per class, in the loaded set.
    pub fn counts(&self) -> Vec<usize> {
        self.set.counts()
    }

    /// One line for the CLI and the panel's headline.
    pub fn summary(&self) -> String {
        let stop = match self.trained.stop {
            Stop::Completed => "all epochs ran".to_owned(),
            Stop::EarlyStopped => format!(
                "stopped early: no better validation loss for {} epochs",
                self.trained.model.settings.patience
            ),
            Stop::Cancelled => "cancelled; the best epoch so far is kept".to_owned(),
        };
        format!(
            "validation accuracy {:.2}% on {} images ({} classes); best epoch {} of {} run ({stop}); {:.1} s",
            self.evaluation.accuracy * 100.0,
            self.trained.split.val.len(),
            self.set.classes.len(),
            self.trained.best_epoch,
            self.trained.history.len(),
            self.trained.seconds
        )
    }

    pub fn best(&self) -> Option<&Epoch> {
        self.trained
            .history
            .iter()
            .find(|e| e.epoch == self.trained.best_epoch)
    }
}

/// Scan `dir`, then `run_scanned`.
pub fn run(
    valid: &ValidImagesParams,
    dir: &Path,
    checkpoint: Option<&Path>,
    progress: &dyn Progress,
    on_epoch: &mut dyn FnMut(&Epoch),
) -> Result<ImagesOutput, ImagesError> {
    run_scanned(valid, folder::scan(dir)?, checkpoint, progress, on_epoch)
}

/// Load a scanned folder, train, and score the best epoch's model on the validation images.
/// The best model is written to `checkpoint` whenever it improves, so a cancelled run keeps
/// it. (Callers that fingerprint the folder's files first scan it once and pass it here.)
pub fn run_scanned(
    valid: &ValidImagesParams,
    folder: Folder,
    checkpoint: Option<&Path>,
    progress: &dyn Progress,
    on_epoch: &mut dyn FnMut(&Epoch),
) -> Result<ImagesOutput, ImagesError> {
    let dir = folder.root.clone();
    let set = folder::load(&folder, valid.size, progress)?;
    let trained =
        train::train(&set, &valid.settings, checkpoint, progress, on_epoch).map_err(|error| {
            ImagesError::Train {
                error,
                dir: dir.to_owned(),
            }
        })?;
    let probabilities = trained.model.probabilities(&set, &trained.split.val)?;
    let evaluation = images::evaluate(
        &set.labels,
        &trained.split.val,
        &probabilities,
        set.classes.len(),
    );
    Ok(ImagesOutput {
        folder,
        set,
        trained,
        evaluation,
    })
}

/// One image's most likely classes.
#[derive(Clone, Debug, Serialize)]
pub struct Prediction {
    pub file: String,
    pub top: Vec<ClassProbability>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ClassProbability {
    pub class: String,
    pub probability: f64,
}

/// Predictions, and the files that could not be read with why.
pub(crate) type Predicted = (Vec<Prediction>, Vec<(PathBuf, String)>);

/// The `top` most likely classes of each image in `files`; unreadable files with why.
pub fn predict(
    model: &ImageModel,
    files: &[PathBuf],
    top: usize,
) -> Result<Predicted, ImagesError> {
    let (set, skipped) = folder::read_files(files, model.shape().size, model.shape().channels);
    let idx: Vec<usize> = (0..set.len()).collect();
    let probabilities = model.probabilities(&set, &idx)?;
    let predictions = set
        .files
        .iter()
        .zip(&probabilities)
        .map(|(file, p)| Prediction {
            file: file.display().to_string(),
            top: images::top_k(p, top)
                .into_iter()
                .map(|(c, prob)| ClassProbability {
                    class: model.classes[c].clone(),
                    probability: f64::from(prob),
                })
                .collect(),
        })
        .collect();
    Ok((predictions, skipped))
}

/// Loss and accuracy per epoch, train and validation.
pub fn curves_chart(history: &[Epoch], accuracy: bool) -> Chart {
    let pick = |f: &dyn Fn(&Epoch) -> f64| -> Vec<(f64, f64)> {
        history.iter().map(|e| (e.epoch as f64, f(e))).collect()
    };
    let (title, y, train, val) = if accuracy {
        (
            "Accuracy per epoch",
            "accuracy",
            pick(&|e| e.train_accuracy),
            pick(&|e| e.val_accuracy),
        )
    } else {
        (
            "Loss per epoch",
            "cross-entropy loss",
            pick(&|e| e.train_loss),
            pick(&|e| e.val_loss),
        )
    };
    Chart::lines(
        title,
        "epoch",
        y,
        vec![Line::new("train", train), Line::new("validation", val)],
        Vec::new(),
    )
    .whole_x()
}

/// The validation confusion matrix: rows the true class, columns the predicted one.
pub fn confusion_chart(classes: &[String], e: &Evaluation) -> Chart {
    Chart::heatmap(
        "Validation confusion matrix (rows: true class)",
        "predicted class",
        "images",
        classes.to_vec(),
        classes.to_vec(),
        e.confusion.iter().flatten().map(|&n| n as f64).collect(),
    )
}

impl Recordable for ImagesOutput {
    fn metrics(&self) -> serde_json::Map<String, serde_json::Value> {
        let best = self.best();
        let mut m = metrics([
            ("val_accuracy", self.evaluation.accuracy),
            ("val_loss", best.map_or(f64::NAN, |b| b.val_loss)),
            ("epochs_run", self.trained.history.len() as f64),
            ("best_epoch", self.trained.best_epoch as f64),
            ("seconds", self.trained.seconds),
            ("images", self.set.len() as f64),
            ("skipped", self.set.skipped.len() as f64),
        ]);
        for (c, r) in self.set.classes.iter().zip(&self.evaluation.recall) {
            m.extend(metrics([(format!("recall_{c}").as_str(), *r)]));
        }
        m
    }

    fn curves(&self) -> Vec<Curve> {
        let h = &self.trained.history;
        let curve = |chart: &str, y: &str, f: fn(&Epoch) -> f64| Curve {
            chart: chart.to_owned(),
            x_label: "epoch".to_owned(),
            y_label: y.to_owned(),
            points: h.iter().map(|e| (e.epoch as f64, f(e))).collect(),
        };
        vec![
            curve("validation loss", "loss", |e| e.val_loss),
            curve("validation accuracy", "accuracy", |e| e.val_accuracy),
        ]
    }

    fn charts(&self) -> Vec<Chart> {
        vec![
            curves_chart(&self.trained.history, false),
            curves_chart(&self.trained.history, true),
            confusion_chart(&self.set.classes, &self.evaluation),
        ]
    }
}
