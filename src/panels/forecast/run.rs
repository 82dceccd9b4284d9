//! One forecast run of the panel: its inputs (taken from the catalog before the job starts)
//! and the job, which splits the table into series and runs `compute::forecast::batch`.

use std::sync::Arc;

use anyhow::Result;

use crate::compute::Progress;
use crate::data::Dataset;
use crate::runs::{Origin, of_dataset};
use crate::session::RunsHome;
use crate::usecases::forecast::{
    self as usecase, ForecastOutput, ForecastParams, ValidForecastParams,
};
use crate::usecases::record::recorded;

/// Everything a run needs, owned, so the job never touches the UI's state.
pub struct RunInputs {
    pub run: u64,
    pub data: Arc<Dataset>,
    pub params: ForecastParams,
    pub valid: ValidForecastParams,
    pub home: RunsHome,
}

pub struct RunResult {
    pub run: u64,
    pub run_id: Option<i64>,
    pub warning: Option<String>,
    pub out: ForecastOutput,
    /// What the run was given, to mark the results once the choices change.
    pub dataset: String,
    pub params: ForecastParams,
}

impl std::ops::Deref for RunResult {
    type Target = ForecastOutput;

    fn deref(&self) -> &ForecastOutput {
        &self.out
    }
}

pub fn compute(inputs: RunInputs, progress: &dyn Progress) -> Result<RunResult> {
    let r = recorded(
        inputs.home.as_result(),
        Origin::App,
        usecase::ID,
        &inputs.params,
        vec![of_dataset("table", &inputs.data)],
        || usecase::run(&inputs.valid, &inputs.data, progress),
    )?;
    Ok(RunResult {
        run: inputs.run,
        run_id: r.run_id,
        warning: r.warning,
        out: r.output,
        dataset: inputs.data.name.clone(),
        params: inputs.params,
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

/// Build the charts of a view (in a job: a total sums every group's fit), noting the table.
pub fn charts(r: &RunResult, key: &ViewKey) -> Vec<crate::chart::Chart> {
    view_charts(r, key)
        .into_iter()
        .map(|c| c.with_source(r.dataset.clone()))
        .collect()
}

fn view_charts(r: &RunResult, key: &ViewKey) -> Vec<crate::chart::Chart> {
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
