//! The DTW panel's Classify view: 1-NN DTW on the UCR GunPoint series bundled with Playbook,
//! at a chosen window: the error rate and the confusion matrix (actual x predicted).

use std::sync::Arc;

use super::DtwPanel;
use crate::data::ucr::LabelledSeries;
use crate::data::{Dataset, sample, series};
use crate::panels::{PanelCtx, save};
use crate::runs::{InputFingerprint, of_bytes, of_dataset};
use crate::usecases::analysis::{Analysis, DtwClassify};
use crate::usecases::dtw::{self as usecase, ClassifyParams, WarpingBand};

/// What a classification run found (the use case's output).
pub use crate::usecases::dtw::ClassifyOutput as Outcome;

/// Which labelled series to classify.
pub(crate) enum Source {
    /// The UCR GunPoint train and test files bundled with Playbook.
    GunPoint,
    /// Two tables from the catalog with a label column and one column per time step.
    Tables {
        train: Arc<Dataset>,
        test: Arc<Dataset>,
        label_col: String,
    },
}

/// What a classification shows, and what it was asked.
pub(crate) struct ClassifyRun {
    /// "GunPoint" or the two tables' names.
    pub what: String,
    pub params: ClassifyParams,
    pub out: Outcome,
}

impl std::ops::Deref for ClassifyRun {
    type Target = Outcome;

    fn deref(&self) -> &Outcome {
        &self.out
    }
}

/// What the panel's choices classify, in words: the bundled set or the two tables' names.
fn inputs_text(p: &DtwPanel) -> String {
    if p.saved.classify_tables {
        format!("{} and {}", p.saved.train_dataset, p.saved.test_dataset)
    } else {
        "UCR GunPoint".to_owned()
    }
}

/// The params the panel's choices give.
fn params_of(p: &DtwPanel) -> ClassifyParams {
    ClassifyParams {
        band: WarpingBand {
            stretch: p.saved.classify_window,
            cells: None,
        },
        znorm: p.saved.znorm,
        label_col: p.saved.label_col.clone(),
    }
}

/// The labelled train and test series of `source`, with their fingerprints (read in the job).
fn read(
    source: Source,
) -> anyhow::Result<((LabelledSeries, LabelledSeries), Vec<InputFingerprint>)> {
    Ok(match &source {
        Source::GunPoint => {
            let inputs = vec![
                of_bytes(
                    "train",
                    "GunPoint_TRAIN.ts",
                    sample::GUNPOINT_TRAIN.as_bytes(),
                ),
                of_bytes("test", "GunPoint_TEST.ts", sample::GUNPOINT_TEST.as_bytes()),
            ];
            (usecase::gunpoint()?, inputs)
        }
        Source::Tables {
            train,
            test,
            label_col,
        } => (
            (
                series::labelled(&train.name, &train.frame, label_col)?,
                series::labelled(&test.name, &test.frame, label_col)?,
            ),
            vec![of_dataset("train", train), of_dataset("test", test)],
        ),
    })
}

pub(super) fn ui(p: &mut DtwPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Series:");
        let g = &mut p.saved.classify_tables;
        ui.selectable_value(g, false, "Bundled UCR GunPoint (50 train, 150 test)");
        ui.selectable_value(g, true, "Tables");
        if p.saved.classify_tables {
            super::matching::dataset_picker(ui, ctx, "Train", &mut p.saved.train_dataset);
            super::matching::dataset_picker(ui, ctx, "Test", &mut p.saved.test_dataset);
            ui.add(egui::TextEdit::singleline(&mut p.saved.label_col).desired_width(70.0))
                .on_hover_text("Label column of both tables");
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.add(
            egui::Slider::new(&mut p.saved.classify_window, usecase::STRETCH.range())
                .text("Window"),
        );
        ui.checkbox(&mut p.saved.znorm, "Z-normalise");
        if ui.button("Run classification").clicked() {
            let params = params_of(p);
            let what = inputs_text(p);
            let source = if p.saved.classify_tables {
                let find = |name: &str| ctx.catalog.by_name(name);
                match (find(&p.saved.train_dataset), find(&p.saved.test_dataset)) {
                    (Some(train), Some(test)) => Some(Source::Tables {
                        train,
                        test,
                        label_col: p.saved.label_col.clone(),
                    }),
                    _ => None,
                }
            } else {
                Some(Source::GunPoint)
            };
            match source {
                Some(source) => {
                    p.classify.start_reading::<DtwClassify, _>(
                        ctx,
                        params.clone(),
                        true,
                        move |_| read(source),
                        |valid, inputs, job| DtwClassify::run(valid, inputs, job),
                        move |out, _| Ok(ClassifyRun { what, params, out }),
                    );
                }
                None => ctx
                    .notices
                    .error("Classify: choose open train and test tables"),
            }
        }
        if p.classify.is_pending() {
            ui.spinner();
        }
    });
    let Some(o) = p.classify.latest() else {
        ui.weak("Published 1-NN error rates: 0.0867 with window 0 (Euclidean), 0.0933 with the full window.")
            .on_hover_text(crate::panels::glossary::ONE_NN);
        return;
    };
    crate::panels::stale_note(
        ui,
        (&o.what, &o.params),
        (&inputs_text(p), &params_of(p)),
        "Run classification",
    );
    ui.heading(format!(
        "Error rate {:.4} ({} of {} wrong)",
        o.error_rate(),
        o.errors,
        o.n_test
    ))
    .on_hover_text(crate::panels::glossary::ONE_NN);
    ui.label(format!(
        "{}, {} training series.{}",
        usecase::band_text(o.window, o.cells),
        o.n_train,
        crate::panels::recorded_as(o.run_id)
    ));
    ui.strong("Confusion matrix (rows: actual class, columns: predicted)");
    egui::Grid::new("dtw_confusion")
        .striped(true)
        .show(ui, |ui| {
            ui.label("");
            for l in &o.labels {
                ui.strong(format!("predicted {l}"));
            }
            ui.end_row();
            for (i, l) in o.labels.iter().enumerate() {
                ui.strong(format!("actual {l}"));
                for c in &o.counts[i] {
                    ui.label(c.to_string());
                }
                ui.end_row();
            }
        });
    ui.horizontal_wrapped(|ui| {
        save::table_buttons(ui, ctx, "the confusion matrix", "dtw-confusion", || {
            o.confusion_table()
        });
    });
}
