//! The Pitching panel: the spin-rate ("sticky stuff") dashboard a coach opens first. Three
//! views: **League** (average spin or Bauer units by week and pitch type, the 2021 crackdown
//! shaded; the season's flagged outings), **Pitcher** (searchable by name or id: spin and
//! velocity by outing with his baseline band, movement, release point, his flagged outings
//! with their reasons) and **Live** (a watched folder: each new pitch against the pitcher's
//! band, an alert list, the outing's fatigue and strikeouts by time through the order). The
//! flag rule is stated next to every flag. Season runs are recorded; every chart and table
//! saves.

mod live;
mod views;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::run_slot::{Finished, RunInputs, RunSlot};
use super::{Panel, PanelCtx};
use crate::chart::Chart;
use crate::compute::pitching::Rule;
use crate::jobs::Slot;
use crate::runs::of_dataset;
use crate::usecases::analysis::{Analysis, PitchingFlags};
use crate::usecases::pitching::charts::{self, LeagueMetric};
use crate::usecases::pitching::{PitchingOutput, PitchingParams};

/// The sample the panel opens with (one month of a generated 2021 season).
pub(crate) const SAMPLE: &str = "pitches_2021_06.parquet";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum PitchingView {
    #[default]
    League,
    Pitcher,
    Live,
}

/// What the panel remembers across restarts.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct PitchingChoices {
    pub dataset: String,
    pub rule: Rule,
    pub view: PitchingView,
    pub metric: LeagueMetric,
    /// The pitcher search text and the chosen pitcher's id.
    pub search: String,
    pub pitcher: Option<i64>,
    /// The folder the Live view watches.
    pub folder: String,
    /// Time between pitches when replaying a sample game.
    pub replay_ms: u64,
}

impl Default for PitchingChoices {
    fn default() -> Self {
        Self {
            dataset: SAMPLE.into(),
            rule: Rule::default(),
            view: PitchingView::League,
            metric: LeagueMetric::Spin,
            search: String::new(),
            pitcher: None,
            folder: String::new(),
            replay_ms: crate::usecases::pitching::live::REPLAY_MS,
        }
    }
}

/// A pitcher in the search list.
#[derive(Clone, Debug)]
pub(crate) struct PitcherRow {
    pub id: i64,
    pub name: String,
    pub pitches: usize,
    pub flagged_outings: usize,
}

/// What a season run shows, worked out in the job.
pub(crate) struct PitchingResult {
    pub out: PitchingOutput,
    /// League spin and Bauer units.
    pub league: [Chart; 2],
    /// Pitchers by name.
    pub pitchers: Vec<PitcherRow>,
    /// The flagged outings (indices into `out.outings`), newest first.
    pub flagged: Vec<usize>,
}

/// A finished season run of the panel.
pub(crate) type PitchingRun = Finished<PitchingResult>;

/// One pitcher's charts and flagged outings.
pub(crate) struct PitcherView {
    pub charts: [Chart; 6],
    /// Indices into the run's outings, flagged ones, newest first.
    pub flagged: Vec<usize>,
    pub outings: usize,
}

#[derive(Default)]
pub(crate) struct PitchingPanel {
    pub saved: PitchingChoices,
    run: RunSlot<PitchingResult>,
    pitcher: Slot<(u64, i64), Arc<PitcherView>>,
    /// The first season run starts by itself when the panel is first shown.
    auto_started: bool,
    sample_run: super::SampleRun,
    live: live::Live,
}

impl PitchingPanel {
    fn start(&mut self, ctx: &mut PanelCtx<'_>, data: Arc<crate::data::Dataset>, record: bool) {
        let params = PitchingParams {
            rule: self.saved.rule.clone(),
        };
        // The automatic first run (the sample, on opening) is not recorded; a button press is.
        let inputs = RunInputs {
            fingerprints: vec![of_dataset("pitches", &data)],
            record,
        };
        self.run.start::<PitchingFlags>(
            ctx,
            params,
            inputs,
            move |valid, job| PitchingFlags::run(valid, (&data, None), job),
            |out, _| {
                Ok(PitchingResult {
                    league: [
                        charts::league_chart(&out.league, LeagueMetric::Spin)
                            .with_source(out.name.clone()),
                        charts::league_chart(&out.league, LeagueMetric::Bauer)
                            .with_source(out.name.clone()),
                    ],
                    pitchers: pitcher_rows(&out),
                    flagged: flagged_outings(&out, None),
                    out,
                })
            },
        );
    }

    fn request_pitcher(&mut self, ctx: &mut PanelCtx<'_>) {
        let (Some(r), Some(id)) = (self.run.latest().cloned(), self.saved.pitcher) else {
            return;
        };
        self.pitcher.request(
            ctx.jobs,
            (r.run, id),
            "pitching:pitcher".into(),
            "Pitching: pitcher charts".into(),
            move |_| Ok(Arc::new(pitcher_view(&r.out, id))),
        );
    }
}

fn pitcher_rows(out: &PitchingOutput) -> Vec<PitcherRow> {
    let mut by: std::collections::HashMap<i64, PitcherRow> = std::collections::HashMap::new();
    for p in &out.pitches.pitches {
        by.entry(p.pitcher)
            .or_insert_with(|| PitcherRow {
                id: p.pitcher,
                name: out.pitches.name(p.pitcher),
                pitches: 0,
                flagged_outings: 0,
            })
            .pitches += 1;
    }
    for o in out.flagged_outings() {
        if let Some(r) = by.get_mut(&o.pitcher) {
            r.flagged_outings += 1;
        }
    }
    let mut rows: Vec<PitcherRow> = by.into_values().collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    rows
}

/// The flagged outings (of one pitcher, or all), as indices into `out.outings`, newest first.
fn flagged_outings(out: &PitchingOutput, pitcher: Option<i64>) -> Vec<usize> {
    let mut rows: Vec<usize> = out
        .outings
        .iter()
        .enumerate()
        .filter(|(_, o)| o.is_flagged && pitcher.is_none_or(|id| o.pitcher == id))
        .map(|(i, _)| i)
        .collect();
    rows.reverse();
    rows
}

fn pitcher_view(out: &PitchingOutput, id: i64) -> PitcherView {
    let (pitches, scores) = out.of_pitcher(id);
    let name = out.pitches.name(id);
    let flagged = flagged_outings(out, Some(id));
    PitcherView {
        charts: charts::pitcher_charts(&name, &pitches, &scores, out.rule.z),
        flagged,
        outings: out.outings.iter().filter(|o| o.pitcher == id).count(),
    }
}

impl Panel for PitchingPanel {
    fn id(&self) -> &'static str {
        "pitching"
    }

    fn datasets(&self) -> Vec<&str> {
        vec![self.saved.dataset.as_str()]
    }

    fn try_sample(&mut self) {
        self.saved = PitchingChoices {
            view: self.saved.view,
            ..PitchingChoices::default()
        };
        self.auto_started = true;
        self.sample_run.arm();
    }

    fn logic(&mut self, ctx: &mut PanelCtx<'_>) {
        if let Some(mut d) = self.sample_run.take(ctx, &[&self.saved.dataset]) {
            self.start(ctx, d.remove(0), true);
        }
        self.run.poll(ctx);
        if let Some(e) = self.pitcher.poll() {
            ctx.notices.error(format!("Pitching: {e}"));
        }
        self.live.logic(ctx);
        self.request_pitcher(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
        // The first time the panel is shown it scores its table by itself (not recorded), so a
        // coach sees the dashboard without pressing anything.
        if !self.auto_started
            && let Some(d) = ctx.catalog.by_name(&self.saved.dataset)
        {
            self.auto_started = true;
            self.start(ctx, d, false);
        }
        views::controls(self, ui, ctx);
        ui.separator();
        ui.horizontal(|ui| {
            let v = &mut self.saved.view;
            ui.selectable_value(v, PitchingView::League, "League");
            ui.selectable_value(v, PitchingView::Pitcher, "Pitcher");
            ui.selectable_value(v, PitchingView::Live, "Live game");
        });
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("pitching-view")
            .show(ui, |ui| match self.saved.view {
                PitchingView::League => views::league_ui(self, ui, ctx),
                PitchingView::Pitcher => views::pitcher_ui(self, ui, ctx),
                PitchingView::Live => live::ui(self, ui, ctx),
            });
    }

    persist_saved!();

    fn open_run(
        &mut self,
        run: &crate::runs::RunRecord,
        ctx: &mut PanelCtx<'_>,
    ) -> Result<(), String> {
        let p: PitchingParams = run.params_as()?;
        self.saved.dataset = super::runs::reopen_input(run, "pitches", ctx)?;
        self.saved.rule = p.rule;
        Ok(())
    }
}
