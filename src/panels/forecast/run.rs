//! A forecast run of the panel: what it shows, and the charts of its views (built in jobs).

use crate::panels::run_slot::Finished;
use crate::usecases::forecast::{ForecastOutput, ForecastParams};

/// What a run of the panel shows: the output, and what the run was given, to mark the results
/// once the choices change.
pub(crate) struct ForecastResult {
    pub out: ForecastOutput,
    pub dataset: String,
    pub params: ForecastParams,
}

impl std::ops::Deref for ForecastResult {
    type Target = ForecastOutput;

    fn deref(&self) -> &ForecastOutput {
        &self.out
    }
}

/// A finished run of the panel.
pub(crate) type ForecastRun = Finished<ForecastResult>;

/// What a chart job draws.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ViewKind {
    /// One group: forecast, then its components.
    Group(usize),
    /// The group against the groups that differ only in this group column.
    Across(usize, usize),
    Total,
}

/// The key of a set of charts: run, view, and whether the full history is shown.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ViewKey {
    pub run: u64,
    pub kind: ViewKind,
    pub full: bool,
}

/// Build the charts of a view (in a job: a total sums every group's fit), noting the table.
pub fn charts(r: &ForecastRun, key: &ViewKey) -> Vec<crate::chart::Chart> {
    view_charts(r, key)
        .into_iter()
        .map(|c| c.with_source(r.dataset.clone()))
        .collect()
}

fn view_charts(r: &ForecastRun, key: &ViewKey) -> Vec<crate::chart::Chart> {
    use crate::usecases::forecast::charts::*;
    let b = &r.batch;
    match key.kind {
        ViewKind::Group(g) => {
            let Some(grp) = b.groups.get(g) else {
                return Vec::new();
            };
            let title = group_title(&r.group, &grp.key, &r.value_col);
            let mut out = vec![forecast_chart(
                grp,
                &title,
                &r.value_col,
                r.spec.params.interval,
                key.full,
            )];
            out.extend(component_charts(grp, &r.value_col, key.full));
            out
        }
        ViewKind::Across(g, vary) if g < b.groups.len() && vary < r.group.len() => {
            vec![across_chart(b, &r.group, g, vary, &r.value_col)]
        }
        ViewKind::Across(..) => Vec::new(),
        ViewKind::Total => vec![total_chart(b, &r.value_col, key.full)],
    }
}
