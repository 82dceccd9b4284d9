//! The Stock panel: on-shelf availability over a daily store × SKU inventory table. Controls
//! pick the table, its columns and the detectors' thresholds (each explained by its formula,
//! with live counts of the alerts a setting gives once the table has been run); views show the
//! summary (lost sales per store and week as a heat map, alerts by kind, stores by loss, data
//! problems), the alert table (filter by kind, store and SKU; sort by any column) and the
//! charts of the alert clicked. Runs are recorded; every chart and table saves.

mod controls;
mod views;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::run_slot::{Finished, RunInputs, RunSlot};
use super::{Panel, PanelCtx};
use crate::chart::Chart;
use crate::compute::stock::{self, Columns, Kind, Series, Thresholds};
use crate::jobs::Slot;
use crate::runs::of_dataset;
use crate::usecases::analysis::{Analysis, StockAlerts};
use crate::usecases::stock::triage::{self, Triage};
use crate::usecases::stock::{self as usecase, StockOutput, StockParams};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum StockView {
    #[default]
    Summary,
    Queue,
    Alerts,
}

/// The alert table's columns, for sorting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum SortBy {
    Kind,
    Store,
    Sku,
    Start,
    Days,
    LostUnits,
    #[default]
    LostRevenue,
    Confidence,
}

/// What the panel remembers across restarts.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct StockChoices {
    pub dataset: String,
    pub columns: Columns,
    pub thresholds: Thresholds,
    pub view: StockView,
    /// Alert table filters: a kind (None: all), text in the store and SKU names.
    pub kind: Option<Kind>,
    pub store: String,
    pub sku: String,
    pub sort: SortBy,
    pub descending: bool,
    /// The queue shows resolved problems too.
    pub show_resolved: bool,
}

impl Default for StockChoices {
    fn default() -> Self {
        Self {
            dataset: "inventory_sample.parquet".into(),
            columns: Columns::default(),
            thresholds: Thresholds::default(),
            view: StockView::Summary,
            kind: None,
            store: String::new(),
            sku: String::new(),
            sort: SortBy::LostRevenue,
            descending: true,
            show_resolved: false,
        }
    }
}

impl StockChoices {
    pub fn params(&self) -> StockParams {
        StockParams {
            columns: self.columns.clone(),
            thresholds: self.thresholds.clone(),
        }
    }
}

/// What a run of the panel shows, worked out once in the job (not on every frame: at 100,000
/// series these passes are not free).
pub(crate) struct StockResult {
    pub out: StockOutput,
    /// Heat map, alerts by kind, stores by loss.
    pub charts: [Chart; 3],
    pub counts: Counts,
    pub lost_units: f64,
    pub lost_revenue: Option<f64>,
    /// SKUs whose safety stock does not cover lead-time demand.
    pub uncovered: usize,
    /// The problems, most money at stake first.
    pub queue: Vec<triage::Item>,
}

/// A finished run of the panel.
pub(crate) type StockRun = Finished<StockResult>;

/// Alerts by kind for a setting of the thresholds, over the last run's series.
type Counts = [usize; stock::KINDS];

#[derive(Default)]
pub(crate) struct StockPanel {
    pub saved: StockChoices,
    run: RunSlot<StockResult>,
    /// Live counts for the thresholds being edited (key: the thresholds and the run).
    preview: Slot<(u64, Thresholds), Arc<Counts>>,
    /// The alert whose charts are shown (index into the run's alerts).
    selected: Option<usize>,
    /// Row order of the alert table for (run, filters and sort).
    order: Option<(u64, OrderKey, Arc<Vec<usize>>)>,
    /// The charts of an alert, for (run, alert).
    charts: Slot<(u64, usize), Arc<[Chart; 2]>>,
    sample_run: super::SampleRun,
    /// The analyst's marks (read once from the Playbook home by `load`), how many edits they
    /// have had, and the job writing the latest back.
    pub(super) triage: Option<Arc<Triage>>,
    load: Slot<(), Triage>,
    pub(super) edits: u64,
    store_job: Slot<u64, ()>,
    /// The marks file could not be read: edits stay in this session, the file is kept.
    pub(super) unreadable: bool,
}

/// What the alert table's row order depends on.
#[derive(Clone, Debug, PartialEq)]
struct OrderKey {
    kind: Option<Kind>,
    store: String,
    sku: String,
    sort: SortBy,
    descending: bool,
}

impl StockPanel {
    fn start(&mut self, ctx: &mut PanelCtx<'_>, data: Arc<crate::data::Dataset>) {
        let inputs = RunInputs::recorded(vec![of_dataset("inventory", &data)]);
        self.run.start::<StockAlerts>(
            ctx,
            self.saved.params(),
            inputs,
            move |valid, job| StockAlerts::run(valid, &data, job),
            |out, _| {
                Ok(StockResult {
                    charts: usecase::charts::summary_charts(&out),
                    counts: out.counts(),
                    lost_units: out.lost_units(),
                    lost_revenue: out.lost_revenue(),
                    uncovered: out.uncovered(),
                    queue: triage::queue(&out),
                    out,
                })
            },
        );
    }

    /// Ask for the counts the edited thresholds give (when they differ from the run's).
    fn request_preview(&mut self, ctx: &mut PanelCtx<'_>) {
        let Some(r) = self.run.latest() else { return };
        let t = self.saved.thresholds.clone();
        if t == r.out.thresholds || usecase::check(&self.saved.params()).is_err() {
            return;
        }
        let series: Arc<Vec<Series>> = Arc::clone(&r.out.series);
        let key = (r.run, t.clone());
        self.preview.request(
            ctx.jobs,
            key,
            "stock:preview".into(),
            "Stock: counting alerts".into(),
            move |job| {
                let d = stock::detect(&series, &t, job)?;
                Ok(Arc::new(stock::counts(&d.alerts)))
            },
        );
    }

    /// Read the marks once; write them back (in a job, atomically) after each edit. A failed
    /// read leaves the queue unmarked and says why; the file is then not overwritten.
    fn keep_triage(&mut self, ctx: &mut PanelCtx<'_>) {
        let path = match &ctx.runs.0 {
            Ok(home) => Triage::path_in(home),
            Err(e) => {
                if self.triage.is_none() {
                    ctx.notices.error(format!(
                        "Stock: the queue's marks cannot be kept (no Playbook home: {e})"
                    ));
                    self.triage = Some(Arc::default());
                }
                return;
            }
        };
        if self.triage.is_none() {
            let from = path.clone();
            self.load.request(
                ctx.jobs,
                (),
                "stock:triage-load".into(),
                "Stock: reading the queue's marks".into(),
                move |_| Triage::load(&from),
            );
            if let Some(e) = self.load.poll() {
                ctx.notices.error(format!(
                    "Stock: the queue's marks were not read, and will not be saved over: {e}"
                ));
                self.unreadable = true;
                self.triage = Some(Arc::default());
            } else {
                self.triage = self.load.latest().cloned().map(Arc::new);
            }
            return;
        }
        if self.unreadable {
            return;
        }
        if let Some(e) = self.store_job.poll() {
            ctx.notices
                .error(format!("Stock: the queue's marks were not saved: {e}"));
        }
        let done = self.store_job.get(&self.edits).is_some() || self.store_job.failed(&self.edits);
        if self.edits > 0 && !done {
            let Some(t) = self.triage.clone() else { return };
            self.store_job.request(
                ctx.jobs,
                self.edits,
                "stock:triage-save".into(),
                "Stock: saving the queue's marks".into(),
                move |_| t.save(&path),
            );
        }
    }

    /// The counts to show beside the thresholds: the run's own when they are unchanged, else
    /// the preview's (None while it computes).
    fn live_counts(&self) -> Option<Counts> {
        let r = self.run.latest()?;
        if self.saved.thresholds == r.out.thresholds {
            return Some(r.counts);
        }
        self.preview
            .get(&(r.run, self.saved.thresholds.clone()))
            .map(|c| **c)
    }
}

impl Panel for StockPanel {
    fn id(&self) -> &'static str {
        "stock"
    }

    fn datasets(&self) -> Vec<&str> {
        vec![self.saved.dataset.as_str()]
    }

    fn try_sample(&mut self) {
        self.saved = StockChoices::default();
        self.sample_run.arm();
    }

    fn logic(&mut self, ctx: &mut PanelCtx<'_>) {
        if let Some(mut d) = self.sample_run.take(ctx, &[&self.saved.dataset]) {
            self.start(ctx, d.remove(0));
        }
        if self.run.poll(ctx) {
            self.selected = None;
            self.order = None;
        }
        for e in [self.preview.poll(), self.charts.poll()]
            .into_iter()
            .flatten()
        {
            ctx.notices.error(format!("Stock: {e}"));
        }
        self.request_preview(ctx);
        self.keep_triage(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
        controls::ui(self, ui, ctx);
        let Some(r) = self.run.latest().cloned() else {
            ui.separator();
            ui.label(
                "Choose a daily inventory table (date, store, SKU, on-hand, units sold, units \
                 received) and press Find alerts: four detectors look for empty shelves the \
                 system thinks are stocked, unlikely runs without sales, stock below safety \
                 level, and sales far below the forecast.",
            );
            return;
        };
        ui.separator();
        views::headline(ui, &r);
        super::stale_note(
            ui,
            (&r.out.name, &r.out.thresholds),
            (&self.saved.dataset, &self.saved.thresholds),
            "Find alerts",
        );
        ui.horizontal(|ui| {
            let v = &mut self.saved.view;
            ui.selectable_value(v, StockView::Summary, "Summary");
            ui.selectable_value(v, StockView::Queue, "Queue");
            ui.selectable_value(v, StockView::Alerts, "Alerts");
        });
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("stock-view")
            .show(ui, |ui| match self.saved.view {
                StockView::Summary => views::summary_ui(ui, ctx, &r),
                StockView::Queue => views::queue_ui(self, ui, ctx, &r),
                StockView::Alerts => views::alerts_ui(self, ui, ctx, &r),
            });
    }

    persist_saved!();

    fn open_run(
        &mut self,
        run: &crate::runs::RunRecord,
        ctx: &mut PanelCtx<'_>,
    ) -> Result<(), String> {
        let p: StockParams = run.params_as()?;
        self.saved.dataset = super::runs::reopen_input(run, "inventory", ctx)?;
        self.saved.columns = p.columns;
        self.saved.thresholds = p.thresholds;
        Ok(())
    }
}
