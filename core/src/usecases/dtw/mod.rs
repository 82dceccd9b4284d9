//! The DTW use case: match a pattern against every series of a table by dynamic time warping
//! (distances, z-scores, the histogram), sweep the stretch factor, classify labelled series by
//! 1-NN DTW, and compare audio clips on their envelopes. The DTW panel, `playbook dtw` and the
//! demo all come here; the series and the pattern are prepared once, here.

mod matrix;

use std::path::Path;

use anyhow::{Context, Result, bail};
use polars::prelude::{Column, DataFrame, PolarsResult};
use serde::{Deserialize, Serialize};

use super::record::{Recordable, metrics};
use super::{Bound, ParamError, non_empty};
use crate::chart::{Chart, Line};
use crate::compute::dtw::{self, SweepRow, Window};
use crate::compute::histogram::histogram;
use crate::compute::{Progress, stats};
use crate::data::audio::{self, Clip};
use crate::data::series::{self, NamedSeries};
use crate::data::ucr::{self, LabelledSeries};
use crate::data::{Dataset, sample};
use crate::runs::Curve;

pub use matrix::{
    HEAT_CELLS, ID_MATRIX, MAX_SERIES, MatrixOutput, MatrixParams, ValidMatrixParams, check_matrix,
    run_matrix,
};

pub const ID_MATCH: &str = "dtw-match";
pub(crate) const ID_SWEEP: &str = "dtw-sweep";
pub const ID_CLASSIFY: &str = "dtw-classify";
pub const ID_AUDIO: &str = "dtw-audio";

/// The Sakoe-Chiba band as a share of the length: 0 is lock-step, 1 the full window.
pub const STRETCH: Bound<f64> = Bound::new("stretch factor", 0.0, 1.0);
/// Envelope resolution of audio clips.
pub const HOP_MS: Bound<f64> = Bound::new("ms per envelope point", 1.0, 1000.0);
/// The stretch factors a sweep uses by default.
pub const SWEEP: [f64; 7] = [0.0, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5];

/// How the series table is laid out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Layout {
    /// An id column, then one column per time step.
    #[default]
    Wide,
    /// One row per (id, time, value), in these columns.
    Long {
        id: String,
        time: String,
        value: String,
    },
}

/// Where the pattern comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PatternChoice {
    /// One of the table's series, by id.
    Series(String),
    /// The last numeric column of another dataset (named here; given to `prepare`).
    Curve(String),
    /// Numbers typed by the user.
    Typed(String),
}

/// The series and the pattern.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SeriesParams {
    pub layout: Layout,
    /// The wide layout's id column (default: the first column).
    pub id_col: Option<String>,
    pub pattern: PatternChoice,
    /// Z-normalise the pattern and every series first.
    pub znorm: bool,
}

impl Default for SeriesParams {
    fn default() -> Self {
        Self {
            layout: Layout::Wide,
            id_col: None,
            pattern: PatternChoice::Curve("capacity.csv".into()),
            znorm: false,
        }
    }
}

/// A band: a share of the length (`stretch`), or a number of cells when `cells` is set.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WarpingBand {
    pub stretch: f64,
    pub cells: Option<usize>,
}

impl Default for WarpingBand {
    fn default() -> Self {
        Self {
            stretch: 0.05,
            cells: None,
        }
    }
}

impl WarpingBand {
    pub fn check(&self) -> Result<Window, ParamError> {
        match self.cells {
            Some(c) => Ok(Window::Cells(c)),
            None => Ok(Window::Fraction(STRETCH.check(self.stretch)?)),
        }
    }
}

/// "window 0.1 (15 cells)" or "window of 15 cells", for read-outs.
pub fn band_text(window: Window, cells: usize) -> String {
    match window {
        Window::Fraction(f) => format!("window {f} ({cells} cells)"),
        Window::Cells(c) => format!("window of {c} cells"),
    }
}

/// Numbers typed by a user: separated by commas, semicolons, spaces or new lines.
pub(crate) fn parse_typed(text: &str) -> Result<Vec<f64>> {
    let values = text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .with_context(|| format!("typed pattern: '{t}' is not a number"))
        })
        .collect::<Result<Vec<_>>>()?;
    if values.len() < 2 {
        bail!("typed pattern: give at least two numbers");
    }
    Ok(values)
}

/// The name of `table`'s first column (the default id column).
pub fn first_column(table: &Dataset) -> Result<String> {
    table
        .frame
        .get_column_names()
        .first()
        .map(|c| c.to_string())
        .with_context(|| format!("{}: no columns", table.name))
}

/// The series of a table and the pattern, ready for DTW.
pub struct Prepared {
    pub named: NamedSeries,
    pub pattern: Vec<f64>,
    pub pattern_name: String,
}

/// Read the table's series and the pattern (`curve` is the dataset a curve pattern names),
/// reject an empty table or series, and z-normalise if asked.
pub fn prepare(p: &SeriesParams, table: &Dataset, curve: Option<&Dataset>) -> Result<Prepared> {
    let mut named = read_series(table, &p.layout, p.id_col.as_deref())?;
    let (mut pattern, pattern_name) = match &p.pattern {
        PatternChoice::Series(id) => (named.find(&table.name, id)?.to_vec(), id.clone()),
        PatternChoice::Curve(name) => {
            let c = curve.with_context(|| format!("the pattern's dataset '{name}' is not open"))?;
            (series::curve(&c.name, &c.frame)?, c.name.clone())
        }
        PatternChoice::Typed(text) => (parse_typed(text)?, "typed pattern".to_owned()),
    };
    if p.znorm {
        dtw::znorm(&mut pattern);
        named.series.iter_mut().for_each(|s| dtw::znorm(s));
    }
    Ok(Prepared {
        named,
        pattern,
        pattern_name,
    })
}

/// The series of `table` in `layout` (the wide layout's id column defaults to the first),
/// refusing an empty table, an empty series and empty or repeated ids.
pub(crate) fn read_series(
    table: &Dataset,
    layout: &Layout,
    id_col: Option<&str>,
) -> Result<NamedSeries> {
    if table.rows() == 0 {
        bail!("{}: the table has no series", table.name);
    }
    let named = match layout {
        Layout::Wide => {
            let id_col = match id_col {
                Some(c) => c.to_owned(),
                None => first_column(table)?,
            };
            series::wide(&table.name, &table.frame, &id_col)?
        }
        Layout::Long { id, time, value } => {
            series::long(&table.name, &table.frame, id, time, value)?
        }
    };
    if let Some(k) = named.series.iter().position(Vec::is_empty) {
        bail!("{}: series '{}' is empty", table.name, named.ids[k]);
    }
    // An empty or repeated id would make a pattern, a match or an outlier ambiguous.
    if let Some(k) = named.ids.iter().position(|id| id.trim().is_empty()) {
        bail!("{}: series {} has an empty id", table.name, k + 1);
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(dup) = named.ids.iter().find(|id| !seen.insert(id.as_str())) {
        bail!(
            "{}: the id '{dup}' names more than one series; ids must be unique",
            table.name
        );
    }
    Ok(named)
}

/// One pattern against every series.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MatchParams {
    pub series: SeriesParams,
    pub band: WarpingBand,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValidMatchParams {
    params: MatchParams,
    window: Window,
}

impl ValidMatchParams {
    pub fn params(&self) -> &MatchParams {
        &self.params
    }
}

pub fn check_match(p: &MatchParams) -> Result<ValidMatchParams, ParamError> {
    if let PatternChoice::Series(id) = &p.series.pattern {
        non_empty("pattern series id", id)?;
    }
    Ok(ValidMatchParams {
        params: p.clone(),
        window: p.band.check()?,
    })
}

/// Distances from the pattern to every series.
pub struct MatchOutput {
    pub dataset: String,
    pub pattern_name: String,
    pub ids: Vec<String>,
    pub series: Vec<Vec<f64>>,
    pub pattern: Vec<f64>,
    pub distances: Vec<f64>,
    pub zscores: Vec<f64>,
    /// Indices sorted by distance, closest first.
    pub order: Vec<usize>,
    pub window: Window,
    pub cells: usize,
    pub znorm: bool,
    pub median: f64,
    /// Histogram of the finite distances with the median marked.
    pub chart: Option<Chart>,
    /// Seconds spent on the distances alone.
    pub seconds: f64,
}

pub fn run_match(
    v: &ValidMatchParams,
    table: &Dataset,
    curve: Option<&Dataset>,
    progress: &dyn Progress,
) -> Result<MatchOutput> {
    let window = v.window.validate()?;
    let prep = prepare(&v.params.series, table, curve)?;
    let named = prep.named;
    let started = std::time::Instant::now();
    let distances = dtw::one_against_many(&prep.pattern, &named.series, window, progress)?;
    let seconds = started.elapsed().as_secs_f64();
    let zscores = stats::zscores(&distances);
    let mut order: Vec<usize> = (0..distances.len()).collect();
    order.sort_by(|&a, &b| distances[a].total_cmp(&distances[b]));
    let median = stats::quantile(&mut distances.clone(), 0.5);
    let finite: Vec<f64> = distances
        .iter()
        .copied()
        .filter(|d| d.is_finite())
        .collect();
    let name = &prep.pattern_name;
    let chart = histogram(&finite, 30, progress).ok().map(|h| {
        Chart::histogram(format!("DTW distances to {name}"), "distance", h)
            .with_marker(format!("median {}", crate::format::short(median)), median)
            .with_source(format!(
                "{}; {}",
                table.name,
                band_text(window, window.cells(prep.pattern.len(), prep.pattern.len()))
            ))
    });
    let length = named
        .series
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(prep.pattern.len());
    Ok(MatchOutput {
        dataset: table.name.clone(),
        pattern_name: prep.pattern_name,
        ids: named.ids,
        series: named.series,
        cells: window.cells(length, length),
        pattern: prep.pattern,
        distances,
        zscores,
        order,
        window,
        znorm: v.params.series.znorm,
        median,
        chart,
        seconds,
    })
}

impl MatchOutput {
    /// id,distance,zscore, closest first.
    pub fn table(&self) -> PolarsResult<DataFrame> {
        dtw::distance_table(&self.ids, &self.distances)
    }

    /// The closest series drawn over the pattern with its warping path.
    pub fn closest_chart(&self, x_label: &str, y_label: &str) -> Option<Chart> {
        let &best = self.order.first()?;
        let path = dtw::warping_path(&self.pattern, &self.series[best], self.cells_for(best));
        Some(self.path_chart(best, &path, x_label, y_label))
    }

    /// The band in cells between the pattern and series `k`.
    pub fn cells_for(&self, k: usize) -> usize {
        self.window.cells(self.pattern.len(), self.series[k].len())
    }

    /// Series `k` drawn over the pattern, with its warping path (`dtw::warping_path`'s
    /// distance and pairs, for the band `cells_for(k)`).
    pub fn path_chart(
        &self,
        k: usize,
        (dist, path): &(f64, Vec<(usize, usize)>),
        x_label: &str,
        y_label: &str,
    ) -> Chart {
        let s = &self.series[k];
        let segments = path
            .iter()
            .map(|&(i, j)| [(i as f64, self.pattern[i]), (j as f64, s[j])])
            .collect();
        Chart::lines(
            format!(
                "{} over {} (distance {})",
                self.ids[k],
                self.pattern_name,
                crate::format::short(*dist)
            ),
            x_label,
            y_label,
            vec![
                Line::indexed(self.pattern_name.clone(), &self.pattern),
                Line::indexed(self.ids[k].clone(), s),
            ],
            segments,
        )
        .with_source(format!(
            "{}; {}",
            self.dataset,
            band_text(self.window, self.cells_for(k))
        ))
    }
}

impl Recordable for MatchOutput {
    fn charts(&self) -> Vec<Chart> {
        self.chart.iter().cloned().collect()
    }

    fn metrics(&self) -> serde_json::Map<String, serde_json::Value> {
        let min = self.order.first().map_or(f64::NAN, |&k| self.distances[k]);
        metrics([
            ("series", self.distances.len() as f64),
            ("median_distance", self.median),
            ("min_distance", min),
            ("band_cells", self.cells as f64),
        ])
    }
}

/// Distances at several stretch factors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SweepParams {
    pub series: SeriesParams,
    pub stretches: Vec<f64>,
}

impl Default for SweepParams {
    fn default() -> Self {
        Self {
            series: SeriesParams::default(),
            stretches: SWEEP.to_vec(),
        }
    }
}

/// Sweep params that passed `check_sweep`: only these can be run.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidSweepParams(SweepParams);

impl ValidSweepParams {
    pub fn params(&self) -> &SweepParams {
        &self.0
    }
}

pub fn check_sweep(p: &SweepParams) -> Result<ValidSweepParams, ParamError> {
    if p.stretches.is_empty() {
        return Err(ParamError::Invalid {
            name: "stretch factors",
            why: "give at least one".into(),
        });
    }
    for &w in &p.stretches {
        STRETCH.check(w)?;
    }
    Ok(ValidSweepParams(p.clone()))
}

/// Median, mean, min and max distance per stretch factor.
pub struct SweepOutput {
    pub rows: Vec<SweepRow>,
    /// The table and the pattern, for the chart's source note.
    pub source: String,
}

pub fn run_sweep(
    valid: &ValidSweepParams,
    table: &Dataset,
    curve: Option<&Dataset>,
    progress: &dyn Progress,
) -> Result<SweepOutput> {
    let p = valid.params();
    let prep = prepare(&p.series, table, curve)?;
    let rows = dtw::sweep(&prep.pattern, &prep.named.series, &p.stretches, progress)?;
    Ok(SweepOutput {
        rows,
        source: format!("{} against {}", table.name, prep.pattern_name),
    })
}

impl SweepOutput {
    /// The median and mean distance at each stretch factor.
    pub fn chart(&self) -> Chart {
        let line = |name: &str, f: fn(&SweepRow) -> f64| {
            Line::new(name, self.rows.iter().map(|r| (r.window, f(r))).collect())
        };
        Chart::lines(
            "DTW distance against stretch factor",
            "stretch factor",
            "distance",
            vec![line("median", |r| r.median), line("mean", |r| r.mean)],
            Vec::new(),
        )
        .with_source(self.source.clone())
    }
}

impl Recordable for SweepOutput {
    fn charts(&self) -> Vec<Chart> {
        vec![self.chart()]
    }

    fn metrics(&self) -> serde_json::Map<String, serde_json::Value> {
        let best = self
            .rows
            .iter()
            .map(|r| r.median)
            .fold(f64::INFINITY, f64::min);
        metrics([
            ("stretches", self.rows.len() as f64),
            ("lowest_median_distance", best),
        ])
    }

    fn curves(&self) -> Vec<Curve> {
        vec![Curve {
            chart: "stretch sweep".into(),
            x_label: "stretch factor".into(),
            y_label: "median distance".into(),
            points: self.rows.iter().map(|r| (r.window, r.median)).collect(),
        }]
    }
}

/// 1-NN classification of labelled series.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClassifyParams {
    pub band: WarpingBand,
    pub znorm: bool,
    /// The label column of table inputs.
    pub label_col: String,
}

impl Default for ClassifyParams {
    fn default() -> Self {
        Self {
            band: WarpingBand {
                stretch: 0.0,
                cells: None,
            },
            znorm: false,
            label_col: "label".into(),
        }
    }
}

/// Labelled series from a `.ts` file or from a table with a label column.
pub fn read_labelled(path: &Path, label_col: &str) -> Result<LabelledSeries> {
    let is_ts = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ts"));
    let s = if is_ts {
        ucr::read_ts(path)?
    } else {
        let ds = crate::data::load_path(path)?;
        series::labelled(&ds.name, &ds.frame, label_col)?
    };
    if s.labels.iter().any(String::is_empty) {
        bail!("{}: the series have no class labels", path.display());
    }
    Ok(s)
}

/// The UCR GunPoint train and test series bundled with Playbook.
pub fn gunpoint() -> Result<(LabelledSeries, LabelledSeries)> {
    Ok((
        ucr::parse_ts(Path::new("GunPoint_TRAIN.ts"), sample::GUNPOINT_TRAIN)?,
        ucr::parse_ts(Path::new("GunPoint_TEST.ts"), sample::GUNPOINT_TEST)?,
    ))
}

/// What a classification found.
pub struct ClassifyOutput {
    pub window: Window,
    pub cells: usize,
    pub n_train: usize,
    pub n_test: usize,
    pub errors: usize,
    /// The predicted label of each test series.
    pub predicted: Vec<String>,
    pub actual: Vec<String>,
    /// Class labels, sorted.
    pub labels: Vec<String>,
    /// counts[actual][predicted], in `labels` order.
    pub counts: Vec<Vec<u64>>,
    pub seconds: f64,
}

/// Classification params that passed `check_classify`: only these can be run.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidClassifyParams {
    params: ClassifyParams,
    window: Window,
}

impl ValidClassifyParams {
    pub fn params(&self) -> &ClassifyParams {
        &self.params
    }
}

pub fn check_classify(p: &ClassifyParams) -> Result<ValidClassifyParams, ParamError> {
    Ok(ValidClassifyParams {
        params: p.clone(),
        window: p.band.check()?,
    })
}

pub fn classify(
    valid: &ValidClassifyParams,
    mut train: LabelledSeries,
    mut test: LabelledSeries,
    progress: &dyn Progress,
) -> Result<ClassifyOutput> {
    let p = valid.params();
    let window = valid.window.validate()?;
    if train.series.is_empty() || test.series.is_empty() {
        bail!("classification needs at least one training and one test series");
    }
    if !test.labels.iter().any(|l| train.labels.contains(l)) {
        let names = |s: &LabelledSeries| {
            let mut l: Vec<&str> = s.labels.iter().map(String::as_str).collect();
            l.sort_unstable();
            l.dedup();
            crate::format::name_list(l, 6)
        };
        bail!(
            "the training and test series share no label (training: {}; test: {}): every \
             prediction would be wrong",
            names(&train),
            names(&test)
        );
    }
    if p.znorm {
        train.series.iter_mut().for_each(|s| dtw::znorm(s));
        test.series.iter_mut().for_each(|s| dtw::znorm(s));
    }
    let started = std::time::Instant::now();
    let hits = dtw::classify_1nn(&train.series, &test.series, window, progress)?;
    let seconds = started.elapsed().as_secs_f64();
    let predicted: Vec<String> = hits
        .iter()
        .map(|h| h.map(|k| train.labels[k].clone()).unwrap_or_default())
        .collect();
    let mut labels: Vec<String> = train.labels.iter().chain(&test.labels).cloned().collect();
    labels.sort();
    labels.dedup();
    let at = |l: &str| labels.iter().position(|x| x == l).unwrap_or(0);
    let mut counts = vec![vec![0u64; labels.len()]; labels.len()];
    let mut errors = 0;
    for (predicted, actual) in predicted.iter().zip(&test.labels) {
        if predicted != actual {
            errors += 1;
        }
        counts[at(actual)][at(predicted)] += 1;
    }
    let length = test.series.iter().map(Vec::len).max().unwrap_or(0);
    Ok(ClassifyOutput {
        window,
        cells: window.cells(length, length),
        n_train: train.series.len(),
        n_test: test.series.len(),
        errors,
        predicted,
        actual: test.labels,
        labels,
        counts,
        seconds,
    })
}

impl ClassifyOutput {
    pub fn error_rate(&self) -> f64 {
        self.errors as f64 / self.n_test.max(1) as f64
    }

    /// actual x predicted counts.
    pub fn confusion_table(&self) -> PolarsResult<DataFrame> {
        let mut columns = vec![Column::new("actual".into(), &self.labels)];
        for (j, l) in self.labels.iter().enumerate() {
            let c: Vec<u64> = self.counts.iter().map(|row| row[j]).collect();
            columns.push(Column::new(format!("predicted {l}").into(), c));
        }
        DataFrame::new_infer_height(columns)
    }

    /// index,label,predicted per test series.
    pub fn predictions_table(&self) -> PolarsResult<DataFrame> {
        DataFrame::new_infer_height(vec![
            Column::new("index".into(), (0..self.n_test as u64).collect::<Vec<_>>()),
            Column::new("label".into(), &self.actual),
            Column::new("predicted".into(), &self.predicted),
        ])
    }
}

impl Recordable for ClassifyOutput {
    fn metrics(&self) -> serde_json::Map<String, serde_json::Value> {
        metrics([
            ("error_rate", self.error_rate()),
            ("errors", self.errors as f64),
            ("n_train", self.n_train as f64),
            ("n_test", self.n_test as f64),
            ("band_cells", self.cells as f64),
        ])
    }
}

/// Clips compared on their envelopes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AudioParams {
    pub band: WarpingBand,
    pub hop_ms: f64,
    /// Z-normalise the envelopes (ignore loudness).
    pub znorm: bool,
}

impl Default for AudioParams {
    fn default() -> Self {
        Self {
            band: WarpingBand {
                stretch: 0.1,
                cells: None,
            },
            hop_ms: 10.0,
            znorm: false,
        }
    }
}

/// What a clip is, as read.
#[derive(Clone, Debug, PartialEq)]
pub struct ClipInfo {
    pub name: String,
    pub seconds: f64,
    pub sample_rate: u32,
    pub channels: u16,
    /// Samples per envelope point.
    pub hop: usize,
}

/// Pairwise distances of a set of clips.
pub struct AudioOutput {
    pub clips: Vec<ClipInfo>,
    pub envelopes: Vec<Vec<f64>>,
    /// Min/max outline of each clip's samples, for drawing.
    pub waveforms: Vec<Vec<(f64, f64)>>,
    pub hop_ms: f64,
    pub matrix: Vec<Vec<f64>>,
}

/// The bundled sample clips.
pub fn sample_clips() -> Result<Vec<Clip>> {
    Ok(sample::CLIPS
        .iter()
        .map(|(name, bytes)| audio::read_wav_bytes(Path::new(name), bytes))
        .collect::<Result<Vec<_>, _>>()?)
}

/// Audio params that passed `check_audio`: only these can be run.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidAudioParams {
    params: AudioParams,
    window: Window,
    hop_ms: f64,
}

impl ValidAudioParams {
    pub fn params(&self) -> &AudioParams {
        &self.params
    }
}

pub fn check_audio(p: &AudioParams) -> Result<ValidAudioParams, ParamError> {
    Ok(ValidAudioParams {
        params: p.clone(),
        window: p.band.check()?,
        hop_ms: HOP_MS.check(p.hop_ms)?,
    })
}

pub fn compare_clips(
    valid: &ValidAudioParams,
    clips: &[Clip],
    progress: &dyn Progress,
) -> Result<AudioOutput> {
    let p = valid.params();
    let window = valid.window.validate()?;
    let hop_ms = valid.hop_ms;
    if clips.len() < 2 {
        bail!("compare at least two clips");
    }
    let envelopes = audio::envelopes(clips, hop_ms, p.znorm);
    let matrix = dtw::pairwise(&envelopes, window, progress)?;
    Ok(AudioOutput {
        clips: clips
            .iter()
            .map(|c| ClipInfo {
                name: c.name.clone(),
                seconds: c.seconds(),
                sample_rate: c.sample_rate,
                channels: c.channels,
                hop: c.hop(hop_ms),
            })
            .collect(),
        envelopes,
        waveforms: clips.iter().map(|c| c.waveform(800)).collect(),
        hop_ms,
        matrix,
    })
}

impl AudioOutput {
    pub fn names(&self) -> Vec<String> {
        self.clips.iter().map(|c| c.name.clone()).collect()
    }

    /// clip, then one column per clip.
    pub fn table(&self) -> PolarsResult<DataFrame> {
        let names = self.names();
        let mut columns = vec![Column::new("clip".into(), &names)];
        for (j, n) in names.iter().enumerate() {
            let c: Vec<f64> = self.matrix.iter().map(|r| r[j]).collect();
            columns.push(Column::new(n.as_str().into(), c));
        }
        DataFrame::new_infer_height(columns)
    }
}

impl Recordable for AudioOutput {
    fn metrics(&self) -> serde_json::Map<String, serde_json::Value> {
        let off: Vec<f64> = self
            .matrix
            .iter()
            .enumerate()
            .flat_map(|(i, r)| {
                r.iter()
                    .enumerate()
                    .filter(move |(j, _)| *j > i)
                    .map(|(_, &v)| v)
            })
            .collect();
        metrics([
            ("clips", self.clips.len() as f64),
            (
                "closest_pair_distance",
                off.iter().copied().fold(f64::INFINITY, f64::min),
            ),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_patterns() {
        assert_eq!(
            parse_typed("1, 2;3 4\n5").unwrap(),
            vec![1.0, 2.0, 3.0, 4.0, 5.0]
        );
        assert!(
            parse_typed("1, x")
                .unwrap_err()
                .to_string()
                .contains("'x' is not a number")
        );
        assert!(parse_typed("7").is_err());
    }

    #[test]
    fn bands_are_checked_once() {
        let b = WarpingBand {
            stretch: 1.5,
            cells: None,
        };
        assert!(
            b.check()
                .unwrap_err()
                .to_string()
                .contains("stretch factor")
        );
        let b = WarpingBand {
            stretch: 9.0,
            cells: Some(3),
        };
        assert_eq!(b.check().unwrap(), Window::Cells(3));
    }
}
