//! `playbook images train/predict`: a CNN trained from scratch on a folder of labelled images,
//! and predictions with a saved model, through `usecases::images` like the Images panel.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};

use super::outputs::{self, Kind, Output};
use super::{RecordRuns, finish};
use crate::compute::NoProgress;
use crate::compute::images::ImageModel;
use crate::compute::images::train::Optim;
use crate::data::images as folder;
use crate::runs::{ArtifactRecord, of_folder};
use crate::usecases::images::{self as usecase, ImagesParams};

flag_enum! {
    OptimArg mirrors Optim {
        Adam,
        /// SGD with momentum 0.9.
        Sgd,
    }
}

/// The training run's folder and settings; every default is the use case's own.
#[derive(Args, Debug)]
pub struct TrainArgs {
    #[arg(long)]
    pub dir: PathBuf,
    /// Images are resized to size x size pixels.
    #[arg(long, default_value_t = ImagesParams::default().size)]
    pub size: usize,
    #[arg(long, default_value_t = ImagesParams::default().epochs)]
    pub epochs: usize,
    #[arg(long, default_value_t = ImagesParams::default().batch)]
    pub batch: usize,
    #[arg(long, default_value_t = ImagesParams::default().lr)]
    pub lr: f64,
    /// Stop after this many epochs without a better validation loss.
    #[arg(long, default_value_t = ImagesParams::default().patience)]
    pub patience: usize,
    #[arg(long, default_value_t = ImagesParams::default().seed)]
    pub seed: u64,
    /// Share of each class held out for validation.
    #[arg(long, default_value_t = ImagesParams::default().val_fraction)]
    pub val_fraction: f64,
    /// Conv blocks (conv, batch norm, ReLU, 2x2 max pool); each halves the image.
    #[arg(long, default_value_t = ImagesParams::default().blocks)]
    pub blocks: usize,
    /// Channels of the first block; each further block doubles them.
    #[arg(long, default_value_t = ImagesParams::default().width)]
    pub width: usize,
    #[arg(long, default_value_t = ImagesParams::default().dropout)]
    pub dropout: f32,
    #[arg(long, value_enum, default_value_t = ImagesParams::default().optim.into())]
    pub optimizer: OptimArg,
    /// Mirror training images left-right at random (not for digits or text).
    #[arg(long)]
    pub flip: bool,
    /// Shift training images by up to this fraction of their side.
    #[arg(long, default_value_t = ImagesParams::default().shift)]
    pub shift: f32,
    /// Scale training images' brightness by up to this fraction.
    #[arg(long, default_value_t = ImagesParams::default().brightness)]
    pub brightness: f32,
}

impl TrainArgs {
    fn params(&self) -> ImagesParams {
        ImagesParams {
            size: self.size,
            epochs: self.epochs,
            batch: self.batch,
            lr: self.lr,
            patience: self.patience,
            seed: self.seed,
            val_fraction: self.val_fraction,
            blocks: self.blocks,
            width: self.width,
            dropout: self.dropout,
            optim: self.optimizer.into(),
            flip: self.flip,
            shift: self.shift,
            brightness: self.brightness,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum ImagesCommand {
    /// Train a small CNN on a folder with one subfolder of images (PNG/JPEG) per class; the
    /// best epoch's model (lowest validation loss) is written to --model-out.
    Train {
        #[command(flatten)]
        args: TrainArgs,
        #[arg(long)]
        json: bool,
        #[arg(long)]
        model_out: PathBuf,
    },
    /// The most likely classes of each image, with a model saved by `images train`.
    Predict {
        #[arg(long)]
        model: PathBuf,
        #[arg(required = true)]
        images: Vec<PathBuf>,
        #[arg(long, default_value_t = 3)]
        top: usize,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: ImagesCommand, record: RecordRuns) -> Result<()> {
    match command {
        ImagesCommand::Train {
            args,
            json,
            model_out,
        } => {
            let dir = &args.dir;
            let params = args.params();
            let valid = usecase::check(&params)?;
            outputs::check(
                &[dir],
                &[Output::new("--model-out", &model_out, Kind::Text)],
            )?;
            let scanned = folder::scan(dir)?;
            let files: Vec<PathBuf> = scanned.files.iter().flatten().cloned().collect();
            let rec = record.start(usecase::ID, &params, vec![of_folder("images", dir, &files)]);
            let mut artifacts = Vec::new();
            let mut on_epoch = |e: &crate::compute::images::train::Epoch| {
                if !json {
                    eprintln!(
                        "epoch {:>3}: train loss {:.4} accuracy {:.4}; validation loss {:.4} accuracy {:.4} ({:.1} s)",
                        e.epoch,
                        e.train_loss,
                        e.train_accuracy,
                        e.val_loss,
                        e.val_accuracy,
                        e.seconds
                    );
                }
            };
            let result = usecase::run_scanned(
                &valid,
                scanned,
                Some(&model_out),
                &NoProgress,
                &mut on_epoch,
            )
            .map_err(anyhow::Error::from)
            .inspect(|_| {
                artifacts.push(ArtifactRecord {
                    title: "model".to_owned(),
                    path: model_out.display().to_string(),
                    owned: false,
                });
            });
            let out = finish(rec, result, artifacts)?;
            for (path, why) in &out.set.skipped {
                eprintln!("skipped {}: {why}", path.display());
            }
            if json {
                let best = out.best();
                let recall: serde_json::Map<String, serde_json::Value> = out
                    .set
                    .classes
                    .iter()
                    .zip(&out.evaluation.recall)
                    .map(|(c, r)| (c.clone(), serde_json::json!(r)))
                    .collect();
                let v = serde_json::json!({
                    "val_accuracy": out.evaluation.accuracy,
                    "val_loss": best.map(|b| b.val_loss),
                    "epochs_run": out.trained.history.len(),
                    "best_epoch": out.trained.best_epoch,
                    "seconds": out.trained.seconds,
                    "recall": recall,
                    "classes": out.set.classes,
                    "images": out.set.len(),
                    "skipped": out.set.skipped.iter().map(|(p, w)| serde_json::json!({"file": p.display().to_string(), "why": w})).collect::<Vec<_>>(),
                    "history": out.trained.history,
                });
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                println!("{}", out.summary());
                println!("model written to {}", model_out.display());
            }
            Ok(())
        }
        ImagesCommand::Predict {
            model,
            images,
            top,
            json,
        } => {
            let m = ImageModel::load(&model)?;
            let (predictions, skipped) = usecase::predict(&m, &images, top.max(1))?;
            for (path, why) in &skipped {
                eprintln!("skipped {}: {why}", path.display());
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&predictions)?);
            } else {
                for p in &predictions {
                    let tops: Vec<String> = p
                        .top
                        .iter()
                        .map(|c| format!("{} {:.1}%", c.class, c.probability * 100.0))
                        .collect();
                    println!("{}: {}", p.file, tops.join(", "));
                }
            }
            if predictions.is_empty() {
                anyhow::bail!("none of the {} images could be read", images.len());
            }
            Ok(())
        }
    }
}
