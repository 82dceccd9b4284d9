//! The Fraud panel: experts' rules (or a label column) give the labels, a decision tree learns
//! them as a background job, and analysts read the result: a confusion matrix of rule labels
//! against predictions (cells list their transactions), PR and ROC curves (train and test,
//! balanced and unbalanced runs side by side), feature importance, the tree as a collapsible
//! diagram exported as rules, SQL or JSON, and a review queue of the least certain cases.

mod controls;
mod run;
mod tree_view;
mod views;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::run_slot::RunSlot;
use super::{Panel, PanelCtx};
use crate::chart::Chart;
use crate::jobs::Slot;
use crate::runs::RunRecord;
use crate::usecases::fraud::{self as usecase, FraudParams, RuleCounts};
use run::FraudResult;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum FraudView {
    #[default]
    Model,
    Tree,
    Review,
    Runs,
}

/// The panel's choices: the dataset, the use case's params, the view.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct FraudChoices {
    pub dataset: String,
    pub params: FraudParams,
    pub view: FraudView,
}

impl Default for FraudChoices {
    fn default() -> Self {
        Self {
            dataset: "transactions_100k.parquet".into(),
            params: FraudParams::default(),
            view: FraudView::Model,
        }
    }
}

/// What the PR/ROC overlay keeps of a finished run of this session.
pub(crate) struct RunSummary {
    pub run: u64,
    pub run_id: Option<i64>,
    pub dataset: String,
    pub label_text: String,
    pub balanced: bool,
    pub pr_test: f64,
    pub roc_test: f64,
    pub test_pr: Vec<(f64, f64)>,
    pub test_roc: Vec<(f64, f64)>,
}

/// Which confusion-matrix cell is listed: (predicted fraud, labelled fraud).
type Cell = (bool, bool);

#[derive(Default)]
pub(crate) struct FraudPanel {
    pub saved: FraudChoices,
    run: RunSlot<FraudResult>,
    runs: Vec<RunSummary>,
    /// PR and ROC charts of the latest run (with the other balance setting's test curve).
    curves: Vec<Chart>,
    counts: Slot<(String, String), Arc<RuleCounts>>,
    cell: Option<Cell>,
    /// The test confusion at the slider's threshold, by (run, threshold bits).
    confusion: Option<((u64, u64), crate::compute::fraud::metrics::Confusion)>,
    /// The listing of a confusion cell, by run, cell and threshold.
    listing: Slot<(u64, Cell, u64), Arc<views::Listing>>,
    /// The path typed in the Tree view's "Load model" field.
    model_path: String,
    loaded: Slot<u64, Arc<run::LoadedModel>>,
    next_load: u64,
    /// The Runs view: this use case's runs in the run store.
    history: super::runs::RunsBrowser,
    sample_run: super::SampleRun,
}

impl Panel for FraudPanel {
    fn id(&self) -> &'static str {
        "fraud"
    }

    fn datasets(&self) -> Vec<&str> {
        vec![self.saved.dataset.as_str()]
    }

    fn try_sample(&mut self) {
        self.saved = FraudChoices {
            view: self.saved.view,
            ..FraudChoices::default()
        };
        self.sample_run.arm();
    }

    fn logic(&mut self, ctx: &mut PanelCtx<'_>) {
        if let Some(mut d) = self.sample_run.take(ctx, &[&self.saved.dataset]) {
            controls::start(self, ctx, d.remove(0));
        }
        let new_run = self.run.poll(ctx);
        let errors = [self.counts.poll(), self.listing.poll(), self.loaded.poll()];
        for e in errors.into_iter().flatten() {
            ctx.notices.error(e.to_string());
        }
        self.history.logic(ctx);
        if new_run && let Some(r) = self.run.latest().cloned() {
            self.runs.push(views::summary(&r));
            self.curves = views::curve_charts(&r, &self.runs);
            self.cell = None;
            self.history.refresh();
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
        egui::ScrollArea::vertical().show(ui, |ui| {
            controls::ui(self, ui, ctx);
            let Some(r) = self.run.latest().cloned() else {
                ui.separator();
                ui.label("Edit the rules (or pick a label column), then Train.");
                return;
            };
            ui.separator();
            views::headline(ui, &r);
            super::stale_note(
                ui,
                (&r.data.name, &r.params),
                (&self.saved.dataset, &self.saved.params),
                "Train",
            );
            ui.horizontal(|ui| {
                let v = &mut self.saved.view;
                ui.selectable_value(v, FraudView::Model, "Model");
                ui.selectable_value(v, FraudView::Tree, "Tree");
                ui.selectable_value(v, FraudView::Review, "Review queue");
                ui.selectable_value(v, FraudView::Runs, "Runs");
            });
            ui.separator();
            match self.saved.view {
                FraudView::Model => views::model_ui(self, ui, ctx, &r),
                FraudView::Tree => tree_view::ui(self, ui, ctx, &r),
                FraudView::Review => {
                    let p = &mut self.saved.params;
                    views::review_ui(ui, ctx, &r, p.threshold, &mut p.verdicts);
                }
                FraudView::Runs => super::runs::history_ui(&mut self.history, ui, ctx, usecase::ID),
            }
        });
    }

    persist_saved!();

    fn open_run(&mut self, run: &RunRecord, ctx: &mut PanelCtx<'_>) -> Result<(), String> {
        let params: FraudParams = run.params_as()?;
        self.saved.dataset = super::runs::reopen_input(run, "transactions", ctx)?;
        self.saved.params = params;
        self.saved.view = FraudView::Model;
        Ok(())
    }
}
