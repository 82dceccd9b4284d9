//! The Images panel's parts: the folder and settings, the dataset (class counts and sample
//! images), training (live curves), and the results.

use std::sync::atomic::Ordering;

use super::{FOLDER_PICK, IMAGES_PICK, ImagesPanel, MODEL_PICK, TrainRun};
use crate::compute::images::train::{Optim, Stop};
use crate::format::whole;
use crate::panels::PanelCtx;
use crate::panels::save::{self, chart_block};
use crate::session::{PickKind, SaveAs};
use crate::usecases::images as usecase;

/// A label and its widget (about `width` wide), kept together on one line when the row wraps.
fn pair(ui: &mut egui::Ui, label: &str, width: f32, widget: impl FnOnce(&mut egui::Ui)) {
    crate::panels::wrap_unless_fits(ui, label, width);
    ui.label(label);
    widget(ui);
}

/// A drag value for a fraction within `b`.
fn fraction(v: &mut f32, b: crate::usecases::Bound<f32>) -> egui::DragValue<'_> {
    egui::DragValue::new(v).range(b.range()).speed(0.01)
}

fn drag(ui: &mut egui::Ui, label: &str, value: &mut usize, bound: crate::usecases::Bound<usize>) {
    pair(ui, label, 56.0, |ui| {
        ui.add(egui::DragValue::new(value).range(bound.range()));
    });
}

pub(super) fn controls(p: &mut ImagesPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Folder");
        ui.add(
            egui::TextEdit::singleline(&mut p.saved.folder)
                .hint_text("one subfolder of images per class (empty: the bundled digits)")
                .desired_width(360.0),
        )
        .on_hover_text("A folder with one subfolder per class, PNG or JPEG images inside, as PyTorch's ImageFolder reads it");
        if ui
            .button("Choose folder…")
            .on_hover_text("Choose a folder with one subfolder of images per class")
            .clicked()
        {
            ImagesPanel::pick(ctx, FOLDER_PICK, "Choose a folder of labelled images", PickKind::Folder);
        }
        if ui
            .add_enabled(!p.saved.folder.is_empty(), egui::Button::new("Bundled digits"))
            .on_hover_text("scikit-learn's 1,797 handwritten digits (8x8, 10 classes)")
            .clicked()
        {
            p.saved.folder.clear();
        }
        let training = p.run.is_pending();
        if training {
            if ui
                .button("Stop")
                .on_hover_text("End training now and keep the best epoch so far")
                .clicked()
                && let Some(live) = &p.live
            {
                live.stop.store(true, Ordering::Relaxed);
            }
            ui.spinner();
        } else if ui
            .button("Train")
            .on_hover_text("Train a network on these images (a job: the app stays usable)")
            .clicked()
        {
            p.start(ctx);
        }
    });
    let s = &mut p.saved.params;
    ui.horizontal_wrapped(|ui| {
        drag(ui, "Size", &mut s.size, usecase::SIZE);
        drag(ui, "Epochs", &mut s.epochs, usecase::EPOCHS);
        drag(ui, "Batch", &mut s.batch, usecase::BATCH);
        pair(ui, "Learning rate", 56.0, |ui| {
            ui.add(
                egui::DragValue::new(&mut s.lr)
                    .range(usecase::LR.range())
                    .speed(0.0001)
                    .custom_formatter(|v, _| format!("{v:.0e}")),
            );
        });
        drag(ui, "Patience", &mut s.patience, usecase::PATIENCE);
        pair(ui, "Optimiser", 110.0, |ui| {
            ui.selectable_value(&mut s.optim, Optim::Adam, "Adam");
            ui.selectable_value(&mut s.optim, Optim::Sgd, "SGD")
                .on_hover_text("SGD with momentum 0.9");
        });
    });
    ui.horizontal_wrapped(|ui| {
        drag(ui, "Conv blocks", &mut s.blocks, usecase::BLOCKS);
        drag(ui, "Width", &mut s.width, usecase::WIDTH);
        pair(ui, "Dropout", 56.0, |ui| {
            ui.add(fraction(&mut s.dropout, usecase::DROPOUT));
        });
        pair(ui, "Augment: shift", 56.0, |ui| {
            ui.add(fraction(&mut s.shift, usecase::SHIFT));
        });
        pair(ui, "brightness", 56.0, |ui| {
            ui.add(fraction(&mut s.brightness, usecase::BRIGHTNESS));
        });
        ui.checkbox(&mut s.flip, "flip")
            .on_hover_text("Mirror left-right at random (not for digits or text)");
        pair(ui, "Seed", 56.0, |ui| {
            ui.add(egui::DragValue::new(&mut s.seed));
        });
    });
    if let Err(e) = usecase::check(s) {
        ui.colored_label(ui.visuals().error_fg_color, e.to_string());
    }
    ui.weak("Trained from scratch on this computer: no pretrained weights ship with Playbook, and nothing is downloaded.");
}

pub(super) fn dataset(p: &mut ImagesPanel, ui: &mut egui::Ui) {
    let Some(view) = p.scan.latest().cloned() else {
        ui.label("Reading the folder…");
        return;
    };
    let f = &view.folder;
    let imbalance = f.imbalance();
    // Open until there are results to read; then folded, above them.
    let has_results = p.run.latest().is_some();
    egui::CollapsingHeader::new(format!(
        "Dataset: {} images in {} classes",
        whole(f.total()),
        f.classes.len()
    ))
    .id_salt(("images-dataset", has_results))
    .default_open(!has_results)
    .show(ui, |ui| {
        if imbalance >= 1.5 {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("The classes are imbalanced: the largest has {imbalance:.1}× the images of the smallest; accuracy favours the large classes, so read recall per class."),
            );
        } else {
            ui.label(format!("Classes are balanced (largest / smallest {imbalance:.2}×)."));
        }
        egui::Grid::new("images-classes").striped(true).show(ui, |ui| {
            for (c, class) in f.classes.iter().enumerate() {
                ui.strong(class);
                ui.label(whole(f.files[c].len()));
                ui.horizontal(|ui| {
                    for (i, (name, img)) in view.thumbs[c].iter().enumerate() {
                        let key = format!("thumb:{}:{c}:{i}", f.root.display());
                        let tex = p.texture(ui, &key, img);
                        ui.image((tex.id(), egui::vec2(32.0, 32.0))).on_hover_text(name);
                    }
                });
                ui.end_row();
            }
        });
    });
}

pub(super) fn training(p: &mut ImagesPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
    let Some(live) = p.live.clone() else { return };
    let epochs = live.epochs();
    ui.separator();
    // The epoch running now, as the status bar counts it (the chart shows those finished).
    let total = p.saved.params.epochs;
    ui.strong(format!(
        "Training: epoch {} of {total} ({} finished)",
        (epochs.len() + 1).min(total),
        epochs.len()
    ));
    if epochs.is_empty() {
        ui.label("Reading the images and starting the first epoch…");
        return;
    }
    ui.columns(2, |cols| {
        chart_block(
            &mut cols[0],
            ctx,
            "images-live-loss",
            &usecase::curves_chart(&epochs, false),
            "images_loss",
            220.0,
        );
        chart_block(
            &mut cols[1],
            ctx,
            "images-live-accuracy",
            &usecase::curves_chart(&epochs, true),
            "images_accuracy",
            220.0,
        );
    });
}

pub(super) fn results(
    p: &mut ImagesPanel,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    r: &TrainRun,
) {
    ui.separator();
    let out = &r.out;
    ui.heading(format!(
        "{:.1}% validation accuracy",
        out.evaluation.accuracy * 100.0
    ));
    ui.label(format!(
        "{} — {}.{}",
        r.folder_label,
        out.summary(),
        crate::panels::recorded_as(r.run_id)
    ));
    if out.trained.stop == Stop::Cancelled {
        ui.label("Stopped before the last epoch: the model is the best epoch so far.");
    }
    if r.params != p.saved.params {
        ui.weak("These results are from other settings; press Train to run with the current ones.");
    }
    ui.horizontal_wrapped(|ui| {
        let name = r
            .model_path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        ui.label(format!(
            "Model kept as {name} in the run store's models folder"
        ))
        .on_hover_text(r.model_path.display().to_string());
        if ui
            .small_button("Copy path")
            .on_hover_text("For playbook images predict --model PATH IMAGE...")
            .clicked()
        {
            ui.ctx().copy_text(r.model_path.display().to_string());
        }
        save::file_button(ui, ctx, "Save model as…", &r.model_path, SaveAs::Model);
    });
    if !out.set.skipped.is_empty() {
        egui::CollapsingHeader::new(format!(
            "{} images could not be read and were skipped",
            out.set.skipped.len()
        ))
        .show(ui, |ui| {
            for (path, why) in &out.set.skipped {
                ui.label(format!("{}: {why}", path.display()));
            }
        });
    }
    if p.live.is_none() {
        ui.columns(2, |cols| {
            chart_block(
                &mut cols[0],
                ctx,
                "images-loss",
                &r.charts[0],
                "images_loss",
                220.0,
            );
            chart_block(
                &mut cols[1],
                ctx,
                "images-accuracy",
                &r.charts[1],
                "images_accuracy",
                220.0,
            );
        });
    }
    ui.columns(2, |cols| {
        chart_block(
            &mut cols[0],
            ctx,
            "images-confusion",
            &r.charts[2],
            "images_confusion",
            320.0,
        );
        let ui = &mut cols[1];
        ui.strong("Per class (validation)");
        egui::Grid::new("images-per-class")
            .striped(true)
            .show(ui, |ui| {
                ui.label("class");
                ui.label("images");
                ui.label("precision");
                ui.label("recall");
                ui.end_row();
                let pct = |v: f64| {
                    if v.is_finite() {
                        format!("{:.1}%", v * 100.0)
                    } else {
                        "–".to_owned()
                    }
                };
                for (c, class) in out.set.classes.iter().enumerate() {
                    ui.label(class);
                    ui.label(whole(out.evaluation.confusion[c].iter().sum()));
                    ui.label(pct(out.evaluation.precision[c]));
                    ui.label(pct(out.evaluation.recall[c]));
                    ui.end_row();
                }
            });
    });
    ui.strong(format!(
        "Misclassified validation images: {} (most confident mistakes first)",
        out.evaluation.wrong.len()
    ));
    ui.horizontal_wrapped(|ui| {
        for (i, (img, caption)) in r.wrong.iter().enumerate() {
            let tex = p.texture(ui, &format!("wrong:{}:{i}", r.run), img);
            ui.vertical(|ui| {
                ui.image((tex.id(), egui::vec2(56.0, 56.0)));
                ui.small(caption);
            });
        }
    });
}

pub(super) fn predict(p: &mut ImagesPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
    ui.separator();
    ui.strong("Predict");
    ui.horizontal_wrapped(|ui| {
        ui.label("Model file");
        ui.add(
            egui::TextEdit::singleline(&mut p.saved.model_file)
                .hint_text("empty: the last run's model")
                .desired_width(300.0),
        );
        if ui
            .add_enabled(
                !p.saved.model_file.trim().is_empty(),
                egui::Button::new("Load model"),
            )
            .clicked()
        {
            p.load_model(ctx);
        }
        if ui.button("Choose model…").clicked() {
            let kind = PickKind::Files {
                filter: "Playbook image model",
                extensions: &["model", "bin"],
                multiple: false,
            };
            ImagesPanel::pick(ctx, MODEL_PICK, "Choose a model file", kind);
        }
        let typed = p.saved.model_file.trim().to_owned();
        if let Some(m) = p.loaded.get(&typed).filter(|_| !typed.is_empty()) {
            ui.label(format!(
                "loaded: {} classes, {}x{} pixels",
                m.classes.len(),
                m.shape().size,
                m.shape().size
            ));
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("Images");
        ui.add(
            egui::TextEdit::singleline(&mut p.saved.predict)
                .hint_text("an image file or a folder (or drop images on the window); several separated by ;")
                .desired_width(360.0),
        );
        if ui.button("Predict").clicked() {
            p.predict(ctx);
        }
        if ui
            .button("Choose images…")
            .on_hover_text("Choose images and predict them")
            .clicked()
        {
            let kind = PickKind::Files {
                filter: "Images",
                extensions: &crate::data::images::IMAGE_EXTENSIONS,
                multiple: true,
            };
            ImagesPanel::pick(ctx, IMAGES_PICK, "Choose images to predict", kind);
        }
    });
    let Some(pr) = p.predicted.latest().cloned() else {
        return;
    };
    ui.label(format!(
        "{} images with {}; the three most likely classes of each:",
        pr.rows.len(),
        pr.model
    ));
    for (path, why) in &pr.skipped {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!("skipped {}: {why}", path.display()),
        );
    }
    egui::Grid::new("images-predictions")
        .striped(true)
        .show(ui, |ui| {
            for (i, (prediction, thumb)) in pr.rows.iter().enumerate() {
                let tex = p.texture(ui, &format!("predict:{}:{i}", prediction.file), thumb);
                ui.image((tex.id(), egui::vec2(40.0, 40.0)));
                let name = std::path::Path::new(&prediction.file)
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                ui.label(name).on_hover_text(&prediction.file);
                for c in &prediction.top {
                    ui.label(format!("{} {:.1}%", c.class, c.probability * 100.0));
                }
                ui.end_row();
            }
        });
}
