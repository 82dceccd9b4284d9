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

use super::{Panel, PanelCtx};
use crate::chart::Chart;
use crate::compute::fraud::features::FeatureSpec;
use crate::compute::fraud::rules::RuleSet;
use crate::jobs::Slot;
use run::{RuleCounts, RunResult};

/// The PR and ROC charts of a training outcome (for `playbook demo`).
pub fn curve_charts_of(o: &crate::compute::fraud::train::Outcome) -> Vec<Chart> {
    views::curves(o, None)
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum View {
    #[default]
    Model,
    Tree,
    Review,
    Runs,
}

/// What the panel remembers across restarts (the rules are part of the workspace).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Saved {
    pub dataset: String,
    /// Label by the rules (else by `label_col`).
    pub use_rules: bool,
    pub rules: RuleSet,
    pub label_col: String,
    pub max_depth: usize,
    pub max_bins: usize,
    pub balance: bool,
    pub cross_validate: bool,
    pub folds: usize,
    pub seed: u64,
    pub view: View,
    pub features: FeatureSpec,
}

impl Default for Saved {
    fn default() -> Self {
        Self {
            dataset: "transactions_100k.parquet".into(),
            use_rules: true,
            rules: RuleSet::default_rule(),
            label_col: "isFraud".into(),
            max_depth: 5,
            max_bins: 32,
            balance: false,
            cross_validate: false,
            folds: 3,
            seed: 42,
            view: View::Model,
            features: FeatureSpec::default(),
        }
    }
}

/// A finished run, kept to compare runs (balanced against unbalanced).
pub struct RunSummary {
    pub run: u64,
    pub balanced: bool,
    pub max_depth: usize,
    pub max_bins: usize,
    pub pr_train: f64,
    pub pr_test: f64,
    pub roc_train: f64,
    pub roc_test: f64,
    pub test_pr: Vec<(f64, f64)>,
    pub test_roc: Vec<(f64, f64)>,
}

/// Which confusion-matrix cell is listed: (predicted fraud, labelled fraud).
type Cell = (bool, bool);

#[derive(Default)]
pub struct FraudPanel {
    pub saved: Saved,
    next_run: u64,
    run: Slot<u64, Arc<RunResult>>,
    runs: Vec<RunSummary>,
    /// PR and ROC charts of the latest run (with the other balance setting's test curve).
    curves: Vec<Chart>,
    counts: Slot<(String, String), Arc<RuleCounts>>,
    cell: Option<Cell>,
    listing: Slot<(u64, Cell), Arc<views::Listing>>,
    /// The path typed in the Tree view's "Load model" field.
    model_path: String,
    loaded: Slot<u64, Arc<run::LoadedModel>>,
    next_load: u64,
}

impl Panel for FraudPanel {
    fn id(&self) -> &'static str {
        "fraud"
    }

    fn title(&self) -> &'static str {
        "Fraud"
    }

    fn logic(&mut self, ctx: &mut PanelCtx<'_>) {
        let errors = [
            self.run.poll(),
            self.counts.poll(),
            self.listing.poll(),
            self.loaded.poll(),
        ];
        for e in errors.into_iter().flatten() {
            ctx.notices.error(e.to_string());
        }
        if let Some(r) = self.run.latest().cloned()
            && self.runs.last().is_none_or(|s| s.run != r.run)
        {
            self.runs.push(views::summary(&r));
            self.curves = views::curve_charts(&r, &self.runs);
            self.cell = None;
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
            ui.horizontal(|ui| {
                let v = &mut self.saved.view;
                ui.selectable_value(v, View::Model, "Model");
                ui.selectable_value(v, View::Tree, "Tree");
                ui.selectable_value(v, View::Review, "Review queue");
                ui.selectable_value(v, View::Runs, "Runs");
            });
            ui.separator();
            match self.saved.view {
                View::Model => views::model_ui(self, ui, ctx, &r),
                View::Tree => tree_view::ui(self, ui, ctx, &r),
                View::Review => views::review_ui(ui, ctx, &r),
                View::Runs => views::runs_ui(self, ui),
            }
        });
    }

    fn save(&self) -> serde_json::Value {
        serde_json::to_value(&self.saved).unwrap_or_default()
    }

    fn restore(&mut self, saved: &serde_json::Value) {
        if let Ok(s) = serde_json::from_value(saved.clone()) {
            self.saved = s;
        }
    }
}
