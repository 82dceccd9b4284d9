//! The Images panel: a folder of labelled images (or the bundled digits) → class counts and
//! sample images per class → a small CNN trained as a job, with live loss and accuracy curves
//! and a Stop button that keeps the best epoch → the validation confusion matrix, precision
//! and recall per class, the misclassified images, and the model kept on disk. Runs are
//! recorded; every chart saves.

mod views;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use super::{Panel, PanelCtx};
use crate::chart::Chart;
use crate::compute::Progress;
use crate::compute::images::ImageModel;
use crate::compute::images::train::Epoch;
use crate::data::images::{self as folder, Folder};
use crate::jobs::Slot;
use crate::runs::{RunOrigin, of_folder};
use crate::session::{PickKind, PickRequest};
use crate::usecases::images::{self as usecase, ImagesOutput, ImagesParams};
use crate::usecases::record::recorded;

/// What the panel remembers across restarts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct ImagesChoices {
    /// A folder with one subfolder per class; empty for the bundled digits.
    pub folder: String,
    pub params: ImagesParams,
    /// A saved model to predict with (empty: the last run's).
    pub model_file: String,
    /// Images, or a folder of them, to predict.
    pub predict: String,
}

impl Default for ImagesChoices {
    fn default() -> Self {
        Self {
            folder: String::new(),
            model_file: String::new(),
            predict: String::new(),
            params: usecase::sample_preset(),
        }
    }
}

/// The keys of the panel's picks: the training folder, images to predict, a model file.
const FOLDER_PICK: &str = "images:folder";
const IMAGES_PICK: &str = "images:predict";
const MODEL_PICK: &str = "images:model";

/// Thumbnails per class: up to this many.
const THUMBS: usize = 8;
/// Thumbnail side, in pixels.
const THUMB: usize = 40;

/// A scanned folder with a few images of each class, decoded for display.
pub(crate) struct FolderView {
    pub folder: Folder,
    /// Per class: (file name, thumbnail).
    pub thumbs: Vec<Vec<(String, egui::ColorImage)>>,
}

/// The epochs of the run in progress, and its Stop flag.
#[derive(Default)]
pub struct Live {
    pub run: u64,
    pub epochs: Mutex<Vec<Epoch>>,
    pub stop: AtomicBool,
}

impl Live {
    pub fn epochs(&self) -> Vec<Epoch> {
        self.epochs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// A finished run and what its views show.
pub(crate) struct TrainRun {
    pub run: u64,
    pub run_id: Option<i64>,
    pub warning: Option<String>,
    pub folder_label: String,
    pub params: ImagesParams,
    pub out: ImagesOutput,
    pub model_path: PathBuf,
    /// Loss, accuracy, confusion matrix.
    pub charts: [Chart; 3],
    /// The misclassified validation images, most confident first: (image, caption).
    pub wrong: Vec<(egui::ColorImage, String)>,
}

#[derive(Default)]
pub(crate) struct ImagesPanel {
    pub saved: ImagesChoices,
    scan: Slot<String, Arc<FolderView>>,
    run: Slot<u64, Arc<TrainRun>>,
    live: Option<Arc<Live>>,
    next_run: u64,
    /// A model loaded from `model_file`.
    loaded: Slot<String, Arc<ImageModel>>,
    /// Predictions for (model source, images typed, request number).
    predicted: Slot<u64, Arc<Predictions>>,
    next_prediction: u64,
    /// Images were dropped on the window or chosen: predict them in the next `logic`.
    predict_now: bool,
    /// Textures of thumbnails and gallery images, by a key naming their source.
    textures: std::collections::HashMap<String, egui::TextureHandle>,
    sample_run: super::SampleRun,
}

/// Predictions for the images asked for, each with its thumbnail.
pub(crate) struct Predictions {
    /// Which model: "the last run" or the file's name.
    pub model: String,
    pub rows: Vec<(usecase::Prediction, egui::ColorImage)>,
    pub skipped: Vec<(PathBuf, String)>,
}

/// The image files `typed` names: files, or every image in a folder; paths separated by
/// new lines or semicolons.
fn image_files(typed: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for part in typed
        .split(['\n', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let path = PathBuf::from(part);
        if path.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(&path)
                .into_iter()
                .flatten()
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| folder::is_image(p))
                .collect();
            inside.sort();
            files.extend(inside);
        } else {
            files.push(path);
        }
    }
    files
}

/// The folder a run reads: the typed one, or the bundled digits written under `home`.
fn resolve(typed: &str, home: Option<&Path>) -> anyhow::Result<PathBuf> {
    if typed.trim().is_empty() {
        let home = home.map_or_else(|| std::env::temp_dir().join("playbook"), Path::to_path_buf);
        Ok(folder::bundled_digits(&home)?)
    } else {
        Ok(PathBuf::from(typed.trim()))
    }
}

/// The job's progress and cancel, plus the panel's Stop (which ends training normally).
struct WithStop<'a> {
    job: &'a dyn Progress,
    stop: &'a AtomicBool,
}

impl Progress for WithStop<'_> {
    fn report(&self, fraction: f32, message: &str) {
        self.job.report(fraction, message);
    }
    fn cancelled(&self) -> bool {
        self.job.cancelled() || self.stop.load(Ordering::Relaxed)
    }
}

/// Grey or colour pixels in 0..=1 (channel-major) as an egui image of `side` pixels, scaled up
/// by nearest neighbour (small images stay crisp).
pub(crate) fn color_image(
    pixels: &[f32],
    channels: usize,
    size: usize,
    side: usize,
) -> egui::ColorImage {
    let mut rgba = Vec::with_capacity(side * side * 4);
    let plane = size * size;
    for y in 0..side {
        for x in 0..side {
            let p = (y * size / side) * size + x * size / side;
            let v =
                |c: usize| (pixels[c.min(channels - 1) * plane + p].clamp(0.0, 1.0) * 255.0) as u8;
            rgba.extend_from_slice(&[v(0), v(1), v(2), 255]);
        }
    }
    egui::ColorImage::from_rgba_unmultiplied([side, side], &rgba)
}

fn scan_view(dir: &Path) -> anyhow::Result<FolderView> {
    let folder = folder::scan(dir)?;
    let thumbs = folder
        .files
        .iter()
        .map(|files| {
            let some: Vec<PathBuf> = files.iter().take(THUMBS).cloned().collect();
            let (set, _) = folder::read_files(&some, THUMB, 3);
            (0..set.len())
                .map(|i| {
                    let name = set.files[i]
                        .file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                    (name, color_image(set.image(i), 3, THUMB, THUMB))
                })
                .collect()
        })
        .collect();
    Ok(FolderView { folder, thumbs })
}

impl ImagesPanel {
    fn home(ctx: &PanelCtx<'_>) -> Option<PathBuf> {
        ctx.runs.0.as_ref().ok().cloned()
    }

    fn request_scan(&mut self, ctx: &mut PanelCtx<'_>) {
        let typed = self.saved.folder.clone();
        let home = Self::home(ctx);
        self.scan.request(
            ctx.jobs,
            typed.clone(),
            "images:scan".into(),
            "Images: reading the folder".into(),
            move |_| Ok(Arc::new(scan_view(&resolve(&typed, home.as_deref())?)?)),
        );
    }

    fn start(&mut self, ctx: &mut PanelCtx<'_>) {
        let params = self.saved.params.clone();
        let valid = match usecase::check(&params) {
            Ok(v) => v,
            Err(e) => {
                ctx.notices.error(format!("Images: {e}"));
                return;
            }
        };
        self.next_run += 1;
        let run = self.next_run;
        let live = Arc::new(Live {
            run,
            ..Live::default()
        });
        self.live = Some(Arc::clone(&live));
        let typed = self.saved.folder.clone();
        let home = Self::home(ctx);
        let runs = ctx.runs.clone();
        self.run.request(
            ctx.jobs,
            run,
            format!("images:train:{run}"),
            "Images: training".into(),
            move |job| {
                let dir = resolve(&typed, home.as_deref())?;
                let models = home
                    .clone()
                    .unwrap_or_else(std::env::temp_dir)
                    .join("models");
                std::fs::create_dir_all(&models)?;
                let model_path = (1..)
                    .map(|n| models.join(format!("images-{n}.model")))
                    .find(|p| !p.exists())
                    .unwrap_or_else(|| models.join("images.model"));
                let scanned = folder::scan(&dir)?;
                let files: Vec<PathBuf> = scanned.files.iter().flatten().cloned().collect();
                let progress = WithStop {
                    job,
                    stop: &live.stop,
                };
                let r = recorded(
                    runs.as_result(),
                    RunOrigin::App,
                    usecase::ID,
                    &params,
                    vec![of_folder("images", &dir, &files)],
                    || {
                        let mut on_epoch = |e: &Epoch| {
                            live.epochs
                                .lock()
                                .unwrap_or_else(PoisonError::into_inner)
                                .push(*e);
                        };
                        Ok(usecase::run_scanned(
                            &valid,
                            scanned,
                            Some(&model_path),
                            &progress,
                            &mut on_epoch,
                        )?)
                    },
                )?;
                let out = r.output;
                let set = &out.set;
                let wrong = out
                    .evaluation
                    .wrong
                    .iter()
                    .take(24)
                    .map(|&(i, predicted, p)| {
                        (
                            color_image(set.image(i), set.channels, set.size, 56),
                            format!(
                                "{} as {} ({:.0}%)",
                                set.classes[set.labels[i]],
                                set.classes[predicted],
                                p * 100.0
                            ),
                        )
                    })
                    .collect();
                Ok(Arc::new(TrainRun {
                    run,
                    run_id: r.run_id,
                    warning: r.warning,
                    folder_label: if typed.trim().is_empty() {
                        "bundled digits".to_owned()
                    } else {
                        typed.clone()
                    },
                    params,
                    charts: [
                        usecase::curves_chart(&out.trained.history, false),
                        usecase::curves_chart(&out.trained.history, true),
                        usecase::confusion_chart(&set.classes, &out.evaluation),
                    ],
                    wrong,
                    model_path,
                    out,
                }))
            },
        );
    }

    /// Ask for a pick (the system dialog, or the in-app browser where there is none).
    fn pick(ctx: &mut PanelCtx<'_>, key: &str, title: &str, kind: PickKind) {
        if let Err(e) = ctx
            .picks
            .request(ctx.jobs, PickRequest::new(key, title, kind))
        {
            ctx.notices.error(format!("Images: {e}"));
        }
    }

    /// Use what the picks chose: a training folder, images to predict, a model to load.
    fn take_picks(&mut self, ctx: &mut PanelCtx<'_>) {
        if let Some(dir) = ctx
            .picks
            .take(FOLDER_PICK)
            .and_then(|p| p.into_iter().next())
        {
            self.saved.folder = dir.display().to_string();
        }
        if let Some(files) = ctx.picks.take(IMAGES_PICK) {
            self.take_dropped(&files);
        }
        if let Some(file) = ctx
            .picks
            .take(MODEL_PICK)
            .and_then(|p| p.into_iter().next())
        {
            self.saved.model_file = file.display().to_string();
            self.load_model(ctx);
        }
    }

    /// Load the model file typed (a job).
    fn load_model(&mut self, ctx: &mut PanelCtx<'_>) {
        let path = self.saved.model_file.trim().to_owned();
        if path.is_empty() {
            return;
        }
        self.loaded.request(
            ctx.jobs,
            path.clone(),
            "images:load-model".into(),
            "Images: loading the model".into(),
            move |_| Ok(Arc::new(ImageModel::load(Path::new(&path))?)),
        );
    }

    /// Predict the images typed with the loaded model, or the last run's (a job).
    fn predict(&mut self, ctx: &mut PanelCtx<'_>) {
        let files = image_files(&self.saved.predict);
        if files.is_empty() {
            ctx.notices
                .error("Images: name an image file or a folder of images to predict");
            return;
        }
        let typed = self.saved.model_file.trim().to_owned();
        let (model, label): (Arc<dyn AsModel>, String) = match self.loaded.get(&typed) {
            Some(m) if !typed.is_empty() => (
                Arc::clone(m) as Arc<dyn AsModel>,
                Path::new(&typed)
                    .file_name()
                    .map_or_else(|| typed.clone(), |n| n.to_string_lossy().into_owned()),
            ),
            _ => match self.run.latest() {
                Some(r) => (
                    Arc::clone(r) as Arc<dyn AsModel>,
                    "the last run's model".to_owned(),
                ),
                None => {
                    ctx.notices
                        .error("Images: train a model or load one to predict with");
                    return;
                }
            },
        };
        self.next_prediction += 1;
        self.predicted.request(
            ctx.jobs,
            self.next_prediction,
            "images:predict".into(),
            "Images: predicting".into(),
            move |_| {
                let m = model.model();
                let (predictions, skipped) = usecase::predict(m, &files, 3)?;
                let (set, _) = folder::read_files(
                    &predictions
                        .iter()
                        .map(|p| PathBuf::from(&p.file))
                        .collect::<Vec<_>>(),
                    THUMB,
                    3,
                );
                let rows = predictions
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let thumb = if i < set.len() {
                            color_image(set.image(i), 3, THUMB, THUMB)
                        } else {
                            egui::ColorImage::filled([THUMB, THUMB], egui::Color32::GRAY)
                        };
                        (p, thumb)
                    })
                    .collect();
                Ok(Arc::new(Predictions {
                    model: label,
                    rows,
                    skipped,
                }))
            },
        );
    }

    /// A texture for `image`, made once per `key`.
    fn texture(
        &mut self,
        ui: &egui::Ui,
        key: &str,
        image: &egui::ColorImage,
    ) -> egui::TextureHandle {
        self.textures
            .entry(key.to_owned())
            .or_insert_with(|| {
                ui.ctx()
                    .load_texture(key, image.clone(), egui::TextureOptions::NEAREST)
            })
            .clone()
    }
}

/// Something holding a model: a finished run, or a loaded model file.
trait AsModel: Send + Sync {
    fn model(&self) -> &ImageModel;
}

impl AsModel for TrainRun {
    fn model(&self) -> &ImageModel {
        self.out.model()
    }
}

impl AsModel for ImageModel {
    fn model(&self) -> &ImageModel {
        self
    }
}

impl Panel for ImagesPanel {
    fn id(&self) -> &'static str {
        "images"
    }

    fn try_sample(&mut self) {
        self.saved = ImagesChoices::default();
        self.sample_run.arm();
    }

    fn logic(&mut self, ctx: &mut PanelCtx<'_>) {
        // The bundled digits are in the binary: nothing to wait for.
        if self.sample_run.ready(ctx, &[]) {
            self.start(ctx);
        }
        let last = self.run.latest().map(|r| r.run);
        for e in [
            self.scan.poll(),
            self.run.poll(),
            self.loaded.poll(),
            self.predicted.poll(),
        ]
        .into_iter()
        .flatten()
        {
            ctx.notices.error(format!("Images: {e}"));
        }
        if let Some(r) = self.run.latest()
            && Some(r.run) != last
        {
            if let Some(w) = &r.warning {
                ctx.notices.error(w.clone());
            }
            ctx.notices.info(format!("Images: {}", r.out.summary()));
            // Gallery textures of an older run are not needed any more.
            self.textures.retain(|k, _| !k.starts_with("wrong:"));
        }
        if !self.run.is_pending()
            && self
                .live
                .as_ref()
                .is_some_and(|l| self.run.latest().is_some_and(|r| r.run == l.run))
        {
            self.live = None;
        }
        self.take_picks(ctx);
        if std::mem::take(&mut self.predict_now) {
            self.predict(ctx);
        }
        self.request_scan(ctx);
    }

    fn take_dropped(&mut self, files: &[PathBuf]) -> bool {
        if !files.iter().all(|p| p.is_dir() || folder::is_image(p)) {
            return false;
        }
        self.saved.predict = files
            .iter()
            .map(|f| f.display().to_string())
            .collect::<Vec<_>>()
            .join(";");
        self.predict_now = true;
        true
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
        views::controls(self, ui, ctx);
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("images-view")
            .show(ui, |ui| {
                views::dataset(self, ui);
                views::training(self, ui, ctx);
                if let Some(r) = self.run.latest().cloned() {
                    views::results(self, ui, ctx, &r);
                }
                views::predict(self, ui, ctx);
            });
    }

    persist_saved!();

    fn open_run(
        &mut self,
        run: &crate::runs::RunRecord,
        _ctx: &mut PanelCtx<'_>,
    ) -> Result<(), String> {
        self.saved.params = run.params_as()?;
        let input = run.inputs.iter().find(|i| i.role == "images");
        self.saved.folder = match input.and_then(|i| i.path.clone()) {
            Some(p) if p.contains("samples/digits") => String::new(),
            Some(p) => p,
            None => String::new(),
        };
        Ok(())
    }
}
