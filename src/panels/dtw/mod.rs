//! The DTW panel: find the products whose weekly sales follow a pattern (a series of the table,
//! a curve from another dataset, or numbers typed in) even when peaks come early or late; sweep
//! the stretch factor; classify labelled series with 1-NN DTW. Every computation is a job.

mod audio;
mod classify;
mod matching;
mod matrix;
mod runs;

use serde::{Deserialize, Serialize};

use super::run_slot::RunSlot;
use super::{Panel, PanelCtx};
use crate::jobs::Slot;
use crate::usecases::dtw::{
    self as usecase, AudioParams, ClassifyParams, Layout, MatchParams, PatternChoice,
};
use runs::MatchResult;

/// Where the pattern comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum PatternSource {
    /// One of the table's series, by id.
    Series,
    /// The last numeric column of another dataset (e.g. capacity.csv).
    #[default]
    Curve,
    /// Numbers typed in the panel.
    Typed,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum DtwView {
    #[default]
    Match,
    Sweep,
    /// Every series against every other, clustered.
    Matrix,
    Classify,
    Audio,
}

/// What the panel remembers across restarts.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct DtwChoices {
    pub view: DtwView,
    pub series_dataset: String,
    pub layout: Layout,
    pub source: PatternSource,
    pub pattern_id: String,
    pub curve_dataset: String,
    pub typed: String,
    pub window: f64,
    pub znorm: bool,
    pub top_n: usize,
    pub z_threshold: f64,
    pub classify_window: f64,
    /// Classify tables from the catalog instead of the bundled GunPoint files.
    pub classify_tables: bool,
    pub train_dataset: String,
    pub test_dataset: String,
    pub label_col: String,
    pub audio_files: Vec<std::path::PathBuf>,
    pub audio_window: f64,
    pub hop_ms: f64,
}

impl Default for DtwChoices {
    fn default() -> Self {
        // The analyses' defaults, written once in their params' `Default`.
        let (matching, classify, audio) = (
            MatchParams::default(),
            ClassifyParams::default(),
            AudioParams::default(),
        );
        Self {
            view: DtwView::Match,
            series_dataset: "weekly_sales.csv".into(),
            layout: Layout::Wide,
            source: PatternSource::Curve,
            pattern_id: String::new(),
            curve_dataset: "capacity.csv".into(),
            typed: "1, 2, 4, 8, 4, 2, 1".into(),
            window: matching.band.stretch,
            znorm: false,
            top_n: 8,
            z_threshold: 2.0,
            classify_window: classify.band.stretch,
            classify_tables: false,
            train_dataset: String::new(),
            test_dataset: String::new(),
            label_col: classify.label_col,
            audio_files: Vec::new(),
            audio_window: audio.band.stretch,
            hop_ms: audio.hop_ms,
        }
    }
}

/// What a sweep shows, and what it was asked.
pub(crate) struct SweepResult {
    pub dataset: String,
    pub series: usecase::SeriesParams,
    pub out: usecase::SweepOutput,
}

/// A distance and its warping path, as `dtw::warping_path` returns them.
type WarpingPath = (f64, Vec<(usize, usize)>);

#[derive(Default)]
pub(crate) struct DtwPanel {
    pub saved: DtwChoices,
    run: RunSlot<MatchResult>,
    /// The Match view's run history: this use case's runs in the run store.
    history: super::runs::RunsBrowser,
    /// Index (into the latest run) of the series shown over the pattern.
    selected: Option<usize>,
    path: Slot<(u64, usize), WarpingPath>,
    sweep: RunSlot<SweepResult>,
    matrix: RunSlot<matrix::MatrixResult>,
    classify: RunSlot<classify::ClassifyRun>,
    audio_result: RunSlot<audio::AudioRun>,
    sample_run: super::SampleRun,
}

impl Panel for DtwPanel {
    fn id(&self) -> &'static str {
        "dtw"
    }

    fn datasets(&self) -> Vec<&str> {
        vec![
            self.saved.series_dataset.as_str(),
            self.saved.curve_dataset.as_str(),
        ]
    }

    fn try_sample(&mut self) {
        self.saved = DtwChoices::default();
        self.sample_run.arm();
    }

    fn logic(&mut self, ctx: &mut PanelCtx<'_>) {
        let tables = [
            self.saved.series_dataset.as_str(),
            self.saved.curve_dataset.as_str(),
        ];
        if self.sample_run.ready(ctx, &tables) {
            matching::start_match(self, ctx);
        }
        let new_run = self.run.poll(ctx);
        self.matrix.poll(ctx);
        self.sweep.poll(ctx);
        self.classify.poll(ctx);
        self.audio_result.poll(ctx);
        if let Some(e) = self.path.poll() {
            ctx.notices.error(format!("DTW: {e}"));
        }
        audio::logic(self, ctx);
        self.history.logic(ctx);
        // A new run: select its closest series.
        if new_run && let Some(r) = self.run.latest() {
            self.selected = r.order.first().copied();
            self.history.refresh();
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
        ui.horizontal(|ui| {
            let v = &mut self.saved.view;
            ui.selectable_value(v, DtwView::Match, "Match a pattern");
            ui.selectable_value(v, DtwView::Sweep, "Stretch sweep");
            ui.selectable_value(v, DtwView::Matrix, "All pairs");
            ui.selectable_value(v, DtwView::Classify, "Classify");
            ui.selectable_value(v, DtwView::Audio, "Audio");
        });
        ui.separator();
        match self.saved.view {
            DtwView::Match => matching::ui(self, ui, ctx),
            DtwView::Sweep => {
                egui::ScrollArea::vertical().show(ui, |ui| matching::sweep_ui(self, ui, ctx));
            }
            DtwView::Matrix => {
                egui::ScrollArea::vertical().show(ui, |ui| matrix::ui(self, ui, ctx));
            }
            DtwView::Classify => {
                egui::ScrollArea::vertical().show(ui, |ui| classify::ui(self, ui, ctx));
            }
            DtwView::Audio => {
                egui::ScrollArea::vertical().show(ui, |ui| audio::ui(self, ui, ctx));
            }
        }
    }

    persist_saved!();

    fn open_run(
        &mut self,
        run: &crate::runs::RunRecord,
        ctx: &mut PanelCtx<'_>,
    ) -> Result<(), String> {
        if run.use_case == usecase::ID_MATRIX {
            let p: usecase::MatrixParams = run.params_as()?;
            self.saved.series_dataset = super::runs::reopen_input(run, "series", ctx)?;
            self.saved.layout = p.layout;
            self.saved.znorm = p.znorm;
            self.saved.window = p.band.stretch;
            self.saved.view = DtwView::Matrix;
            return Ok(());
        }
        let p: MatchParams = run.params_as()?;
        self.saved.series_dataset = super::runs::reopen_input(run, "series", ctx)?;
        match p.series.pattern {
            PatternChoice::Series(id) => {
                self.saved.source = PatternSource::Series;
                self.saved.pattern_id = id;
            }
            PatternChoice::Curve(_) => {
                self.saved.source = PatternSource::Curve;
                self.saved.curve_dataset = super::runs::reopen_input(run, "pattern", ctx)?;
            }
            PatternChoice::Typed(text) => {
                self.saved.source = PatternSource::Typed;
                self.saved.typed = text;
            }
        }
        self.saved.layout = p.series.layout;
        self.saved.znorm = p.series.znorm;
        self.saved.window = p.band.stretch;
        self.saved.view = DtwView::Match;
        Ok(())
    }
}
