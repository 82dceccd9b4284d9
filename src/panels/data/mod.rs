//! The Data panel: a dataset's preview table (virtual scrolling, sortable), its schema, summary
//! statistics per column, a histogram of a numeric column and a bar chart of a categorical
//! column's top values, and the chart builder (`builder.rs`). Every derived result is a job
//! kept in a `Slot`.

mod builder;
mod table;
mod views;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Panel, PanelCtx};
use crate::chart::Chart;
use crate::compute::stats::ColumnSummary;
use crate::jobs::Slot;
use crate::session::DatasetId;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum DataView {
    #[default]
    Preview,
    Schema,
    Summary,
    Charts,
    /// The chart builder.
    Chart,
    /// Join with another dataset.
    Join,
}

/// The choices the panel remembers across restarts.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct DataChoices {
    pub view: DataView,
    pub bins: usize,
    pub hist_column: Option<String>,
    pub top_column: Option<String>,
    pub top_n: usize,
    /// The chart builder's last chart: the start for a dataset that has none of its own yet.
    pub plot: crate::usecases::explore::PlotSpec,
    /// The chart builder's chart of each dataset, by name: switching datasets (or a dataset
    /// still loading) never rewrites another's chart.
    pub plots: std::collections::BTreeMap<String, crate::usecases::explore::PlotSpec>,
    /// The date format for type changes (empty: guessed).
    pub date_format: String,
    /// A computed column being written: its name and expression.
    pub new_name: String,
    pub new_expr: String,
    /// The dataset to join with, the key pairs (this dataset's column, the other's), the kind.
    pub join_with: String,
    pub join_on: Vec<(String, String)>,
    pub join_kind: crate::compute::join::JoinKind,
}

impl Default for DataChoices {
    fn default() -> Self {
        Self {
            view: DataView::Preview,
            bins: 30,
            hist_column: None,
            top_column: None,
            top_n: 12,
            plot: Default::default(),
            plots: Default::default(),
            date_format: String::new(),
            new_name: String::new(),
            new_expr: String::new(),
            join_with: String::new(),
            join_on: Vec::new(),
            join_kind: Default::default(),
        }
    }
}

type ColumnKey = (DatasetId, String, usize);

#[derive(Default)]
pub(crate) struct DataPanel {
    pub saved: DataChoices,
    summary: Slot<DatasetId, Vec<ColumnSummary>>,
    hist: Slot<ColumnKey, Chart>,
    top: Slot<ColumnKey, Chart>,
    order: Slot<(DatasetId, String, bool), Vec<u32>>,
    built: Slot<builder::BuiltKey, builder::Built>,
    /// A range brushed on the builder's chart, the drag under way, the rows in the range.
    brush: Option<builder::Brush>,
    brush_drag: crate::panels::chart_view::BrushDrag,
    brush_serial: u64,
    brushed: Slot<(DatasetId, String), Arc<crate::data::Dataset>>,
    /// A filter bar condition being made for a column (its range or values): for the dataset.
    new_condition: Slot<(DatasetId, String), (DatasetId, crate::usecases::explore::Condition)>,
    /// Column and direction (descending?) the preview is sorted by.
    sort: Option<(String, bool)>,
}

impl Panel for DataPanel {
    fn id(&self) -> &'static str {
        "data"
    }

    fn logic(&mut self, ctx: &mut PanelCtx<'_>) {
        let errors = [
            self.summary.poll(),
            self.hist.poll(),
            self.top.poll(),
            self.order.poll(),
            self.built.poll(),
            self.brushed.poll(),
            self.new_condition.poll(),
        ];
        for e in errors.into_iter().flatten() {
            ctx.notices.error(e.to_string());
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
        views::header(self, ui, ctx);
        // A large file the user just opened: its first rows and schema while it loads.
        if let Some(preview) = ctx.catalog.preview() {
            ui.separator();
            match self.saved.view {
                DataView::Preview => table::peek_rows(ui, preview),
                DataView::Schema => views::schema(ui, &preview.peek.data),
                DataView::Summary | DataView::Charts | DataView::Chart | DataView::Join => {
                    ui.label(format!(
                        "The statistics and charts wait for the whole file ({:.0}% read).",
                        100.0 * preview.progress.0
                    ));
                }
            }
            return;
        }
        let Some(entry) = ctx.catalog.selected() else {
            ui.label("No dataset loaded. Open a file or drop one on the window.");
            return;
        };
        let (id, data) = (entry.id, entry.data.clone());
        ui.separator();
        // A range brushed on the chart builder's chart: the other views show only its rows.
        if self.brush.as_ref().is_some_and(|b| b.dataset != id) {
            self.brush = None;
        }
        let (id, data) = match self.brush.clone() {
            Some(b) => {
                let brushed = builder::brushed(self, ui, ctx, &b, &data);
                match self.saved.view {
                    DataView::Preview | DataView::Summary | DataView::Charts => match brushed {
                        Some(view) => view,
                        None => return,
                    },
                    _ => (id, data),
                }
            }
            None => (id, data),
        };
        match self.saved.view {
            DataView::Preview => table::preview(self, ui, ctx, id, &data),
            DataView::Schema => views::schema_editor(self, ui, ctx, id, &data),
            DataView::Summary => views::summary(self, ui, ctx, id, &data),
            DataView::Charts => views::charts(self, ui, ctx, id, &data),
            DataView::Chart => builder::builder(self, ui, ctx, id, &data),
            DataView::Join => views::join(self, ui, ctx, &data),
        }
    }

    persist_saved!();
}
