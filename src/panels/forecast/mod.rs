//! The Forecast panel: one model per group of a long table (date, value, group columns), all
//! groups in a background job, scored on a holdout next to the seasonal naive baseline. Views:
//! one group's forecast with its band and components, a group against its siblings, the
//! totals, and the accuracy table. Every chart and table saves.

mod controls;
mod run;
mod views;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::run_slot::RunSlot;
use super::{Panel, PanelCtx};
use crate::chart::Chart;
use crate::compute::forecast::Mode;
use crate::jobs::Slot;
use crate::usecases::forecast::ForecastParams;
use run::{ForecastResult, ViewKey};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum ForecastView {
    #[default]
    Series,
    Across,
    Total,
    Accuracy,
}

/// What the panel remembers across restarts.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct ForecastChoices {
    pub dataset: String,
    pub date_col: String,
    pub value_col: String,
    pub group: Vec<String>,
    pub horizon: usize,
    /// Hide the last `horizon` steps of each series, forecast and score them.
    pub holdout: bool,
    pub interval: f64,
    pub mode: Mode,
    /// The bundled US federal holidays as effects.
    pub us_holidays: bool,
    pub view: ForecastView,
    pub full_history: bool,
}

impl Default for ForecastChoices {
    fn default() -> Self {
        // The use case's defaults, written once in `ForecastParams::default`.
        let p = ForecastParams::default();
        Self {
            dataset: "store_sales_small.csv".into(),
            date_col: p.date_col,
            value_col: p.value_col,
            group: p.group,
            horizon: p.horizon,
            holdout: p.holdout.is_some(),
            interval: p.interval,
            mode: p.mode,
            us_holidays: p.us_holidays,
            view: ForecastView::Series,
            full_history: false,
        }
    }
}

/// The accuracy table's order: by which column, descending or not.
#[derive(Clone, Debug, Default, PartialEq)]
struct Sort {
    column: Option<usize>,
    descending: bool,
}

impl ForecastChoices {
    /// The use case's params from the panel's choices.
    pub fn params(&self) -> ForecastParams {
        ForecastParams {
            date_col: self.date_col.clone(),
            value_col: self.value_col.clone(),
            group: self.group.clone(),
            horizon: self.horizon,
            holdout: self.holdout.then_some(self.horizon),
            interval: self.interval,
            mode: self.mode,
            us_holidays: self.us_holidays,
            ..ForecastParams::default()
        }
    }
}

#[derive(Default)]
pub(crate) struct ForecastPanel {
    pub saved: ForecastChoices,
    run: RunSlot<ForecastResult>,
    /// The group shown in the Series and Across views (index into the run's groups).
    selected: usize,
    /// The group column that varies in the Across view.
    vary: usize,
    charts: Slot<ViewKey, Arc<Vec<Chart>>>,
    sort: Sort,
    /// Row order of the accuracy table for (run, sort).
    order: Option<(u64, Sort, Vec<usize>)>,
    sample_run: super::SampleRun,
}

impl Panel for ForecastPanel {
    fn id(&self) -> &'static str {
        "forecast"
    }

    fn datasets(&self) -> Vec<&str> {
        vec![self.saved.dataset.as_str()]
    }

    fn try_sample(&mut self) {
        self.saved = ForecastChoices {
            view: self.saved.view,
            ..ForecastChoices::default()
        };
        self.sample_run.arm();
    }

    fn logic(&mut self, ctx: &mut PanelCtx<'_>) {
        if let Some(mut d) = self.sample_run.take(ctx, &[&self.saved.dataset]) {
            controls::start(self, ctx, d.remove(0));
        }
        if self.run.poll(ctx) {
            self.selected = 0;
            self.vary = 0;
        }
        if let Some(e) = self.charts.poll() {
            ctx.notices.error(format!("Forecast: {e}"));
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
        controls::ui(self, ui, ctx);
        let Some(r) = self.run.latest().cloned() else {
            ui.separator();
            ui.label(
                "Choose a table, its date, value and group columns, then Run: one model per \
                 group, with the last days held out and scored.",
            );
            return;
        };
        ui.separator();
        views::summary_ui(ui, ctx, &r);
        super::stale_note(
            ui,
            (&r.dataset, &r.params),
            (&self.saved.dataset, &self.saved.params()),
            "Run",
        );
        ui.horizontal(|ui| {
            let v = &mut self.saved.view;
            ui.selectable_value(v, ForecastView::Series, "Series");
            if !r.group.is_empty() {
                ui.selectable_value(v, ForecastView::Across, "Across groups");
            }
            ui.selectable_value(v, ForecastView::Total, "Total");
            ui.selectable_value(v, ForecastView::Accuracy, "Accuracy");
            ui.separator();
            ui.checkbox(&mut self.saved.full_history, "Full history")
                .on_hover_text("Show all the history, not only the last year");
        });
        ui.separator();
        egui::ScrollArea::vertical().show(ui, |ui| match self.saved.view {
            ForecastView::Series => views::series_ui(self, ui, ctx, &r),
            ForecastView::Across if !r.group.is_empty() => views::across_ui(self, ui, ctx, &r),
            ForecastView::Across | ForecastView::Total => views::total_ui(self, ui, ctx, &r),
            ForecastView::Accuracy => views::accuracy_ui(self, ui, ctx, &r),
        });
    }

    persist_saved!();

    fn open_run(
        &mut self,
        run: &crate::runs::RunRecord,
        ctx: &mut PanelCtx<'_>,
    ) -> Result<(), String> {
        let p: ForecastParams = run.params_as()?;
        self.saved.dataset = super::runs::reopen_input(run, "table", ctx)?;
        self.saved.date_col = p.date_col;
        self.saved.value_col = p.value_col;
        self.saved.group = p.group;
        self.saved.horizon = p.holdout.unwrap_or(p.horizon);
        self.saved.holdout = p.holdout.is_some();
        self.saved.interval = p.interval;
        self.saved.mode = p.mode;
        self.saved.us_holidays = p.us_holidays;
        Ok(())
    }
}
