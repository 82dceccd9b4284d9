//! One forecast run of the panel: its inputs (taken from the catalog before the job starts)
//! and the job, which splits the table into series and runs `compute::forecast::batch`.

use std::sync::Arc;

use anyhow::Result;

use crate::compute::Progress;
use crate::compute::forecast::batch::{self, Batch, Spec};
use crate::compute::forecast::series::group_series;
use crate::data::Dataset;

/// Everything a run needs, owned, so the job never touches the UI's state.
pub struct RunInputs {
    pub run: u64,
    pub data: Arc<Dataset>,
    pub date_col: String,
    pub value_col: String,
    pub group: Vec<String>,
    pub spec: Spec,
}

pub struct RunResult {
    pub run: u64,
    pub dataset: String,
    pub value_col: String,
    pub group: Vec<String>,
    pub spec: Spec,
    pub batch: Batch,
}

pub fn compute(inputs: RunInputs, progress: &dyn Progress) -> Result<RunResult> {
    progress.report(0.0, "splitting the table into series");
    let d = &inputs.data;
    let series = group_series(
        &d.name,
        &d.frame,
        &inputs.date_col,
        &inputs.value_col,
        &inputs.group,
    )?;
    let batch = batch::run(&series, &inputs.spec, progress)?;
    if batch.groups.is_empty() {
        let why = batch
            .failed
            .first()
            .map(|(_, e)| e.clone())
            .unwrap_or_default();
        anyhow::bail!("{}: no series could be forecast ({why})", d.name);
    }
    Ok(RunResult {
        run: inputs.run,
        dataset: d.name.clone(),
        value_col: inputs.value_col,
        group: inputs.group,
        spec: inputs.spec,
        batch,
    })
}

/// What a chart job draws.
#[derive(Clone, Debug, PartialEq)]
pub enum ViewKind {
    /// One group: forecast, then its components.
    Group(usize),
    /// The group against the groups that differ only in this group column.
    Across(usize, usize),
    Total,
}

/// The key of a set of charts: run, view, and whether the full history is shown.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewKey {
    pub run: u64,
    pub kind: ViewKind,
    pub full: bool,
}

/// Build the charts of a view (in a job: a total sums every group's fit).
pub fn charts(r: &RunResult, key: &ViewKey) -> Vec<crate::chart::Chart> {
    use super::charts::*;
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
