//! Exploring a table: the chart builder behind the Data panel's Chart view and `playbook data
//! plot`. A `PlotSpec` (mark, x, y, colour, aggregation, time bins, a filter expression) and a
//! table give a `Chart` and the plotted numbers as a table whose columns are named after the
//! source columns. Large tables stay drawable: a line keeps the lowest and highest value of
//! each of at most `LINE_BUCKETS` x buckets, and a scatter of more than `SCATTER_MAX` points
//! becomes a density heat map.

use std::collections::HashMap;

use anyhow::{Context, bail};
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use crate::chart::{BoxStats, Chart, ChartData, Line};
use crate::compute::{NoProgress, expr, histogram};
use crate::data::schema;

/// What the chart draws.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlotMark {
    #[default]
    Line,
    Scatter,
    Bar,
    Histogram,
    Box,
    Heat,
}

impl PlotMark {
    pub const ALL: [Self; 6] = [
        Self::Line,
        Self::Scatter,
        Self::Bar,
        Self::Histogram,
        Self::Box,
        Self::Heat,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Line => "line",
            Self::Scatter => "scatter",
            Self::Bar => "bar",
            Self::Histogram => "histogram",
            Self::Box => "box",
            Self::Heat => "heat",
        }
    }
}

/// How the y values of one x (or one time bin) become one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Agg {
    Count,
    Sum,
    #[default]
    Mean,
    Median,
}

impl Agg {
    pub const ALL: [Self; 4] = [Self::Count, Self::Sum, Self::Mean, Self::Median];

    pub fn name(self) -> &'static str {
        match self {
            Self::Count => "count",
            Self::Sum => "sum",
            Self::Mean => "mean",
            Self::Median => "median",
        }
    }

    fn apply(self, values: &mut [f64]) -> f64 {
        match self {
            Self::Count => values.len() as f64,
            Self::Sum => values.iter().sum(),
            Self::Mean => values.iter().sum::<f64>() / values.len() as f64,
            Self::Median => {
                values.sort_by(f64::total_cmp);
                let n = values.len();
                if n % 2 == 1 {
                    values[n / 2]
                } else {
                    (values[n / 2 - 1] + values[n / 2]) / 2.0
                }
            }
        }
    }
}

/// Time bins for a date or time x.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeBin {
    #[default]
    None,
    Day,
    Week,
    Month,
}

impl TimeBin {
    pub const ALL: [Self; 4] = [Self::None, Self::Day, Self::Week, Self::Month];

    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
        }
    }

    /// The first day of `day`'s bin (days since 1970-01-01; weeks start on Monday).
    fn start(self, day: f64) -> f64 {
        let d = day.floor();
        match self {
            Self::None => day,
            Self::Day => d,
            // 1970-01-05 (day 4) was a Monday.
            Self::Week => d - (d - 4.0).rem_euclid(7.0),
            Self::Month => {
                let date = chrono::DateTime::from_timestamp((d as i64) * 86_400, 0)
                    .map(|t| t.date_naive());
                date.and_then(|t| {
                    chrono::NaiveDate::from_ymd_opt(
                        chrono::Datelike::year(&t),
                        chrono::Datelike::month(&t),
                        1,
                    )
                })
                .and_then(|first| first.and_hms_opt(0, 0, 0))
                .map_or(d, |first| (first.and_utc().timestamp() / 86_400) as f64)
            }
        }
    }
}

/// The plotted data as a table, its columns named after the columns they show; a name shown
/// twice (the same column as x and y) gets its role after it, "wind (y)", instead of failing as
/// a duplicate.
fn plotted_table(columns: Vec<Column>) -> PolarsResult<DataFrame> {
    let roles = ["x", "y", "colour"];
    let mut seen: Vec<String> = Vec::new();
    let named = columns
        .into_iter()
        .enumerate()
        .map(|(k, c)| {
            let name = c.name().to_string();
            let c = if seen.contains(&name) {
                let role = roles.get(k).copied().unwrap_or("again");
                c.with_name(format!("{name} ({role})").into())
            } else {
                c
            };
            seen.push(c.name().to_string());
            c
        })
        .collect();
    DataFrame::new_infer_height(named)
}

/// Bins of a histogram, or cells along each axis of a heat map or density: checked by `plot`,
/// read by the chart builder's slider.
pub const BINS: super::Bound<usize> = super::Bound::new("bins", 2, 200);

/// A chart a user builds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlotSpec {
    pub mark: PlotMark,
    pub x: String,
    /// The value (line, scatter, bar, heat); a bar without one counts rows.
    pub y: Option<String>,
    /// One line, set of dots or colour per value of this column.
    pub color: Option<String>,
    pub agg: Agg,
    pub time: TimeBin,
    /// A filter expression (`compute::expr`); empty: every row.
    pub filter: String,
    /// Bins of a histogram or of each heat map axis (`BINS`).
    pub bins: usize,
    /// Small multiples: one chart per value of this column.
    pub facet: Option<String>,
    /// The filter bar's conditions, combined with `filter` (`combined`) before plotting.
    pub conditions: Vec<Condition>,
}

impl PlotSpec {
    /// Every chart this spec draws: the small multiples, or the one chart.
    pub fn charts(plot: &Plot) -> Vec<Chart> {
        if plot.facets.is_empty() {
            vec![plot.chart.clone()]
        } else {
            plot.facets.clone()
        }
    }
}

/// Small multiples at most: the most common values of the facet column.
pub(crate) const MAX_FACETS: usize = 12;

impl Default for PlotSpec {
    fn default() -> Self {
        Self {
            mark: PlotMark::Line,
            x: String::new(),
            y: None,
            color: None,
            agg: Agg::Mean,
            time: TimeBin::None,
            filter: String::new(),
            bins: 40,
            facet: None,
            conditions: Vec::new(),
        }
    }
}

/// A line keeps at most this many x buckets (each its lowest and highest value).
pub(crate) const LINE_BUCKETS: usize = 2_000;
/// More scatter points than this become a density heat map.
pub(crate) const SCATTER_MAX: usize = 100_000;
/// Colours (lines, dot sets) at most; the rest are left out with a note.
pub(crate) const MAX_COLORS: usize = 20;
/// Bars at most: the largest, with a note.
pub(crate) const MAX_BARS: usize = 60;

/// A built chart, the numbers drawn, and how many rows it used.
pub struct Plot {
    /// The chart (the first small multiple when faceted).
    pub chart: Chart,
    /// One chart per value of the facet column (empty when not faceted).
    pub facets: Vec<Chart>,
    /// The plotted data: one column per encoding, named after its source column.
    pub data: DataFrame,
    /// Rows after the filter, of `total`.
    pub rows: usize,
    pub total: usize,
    /// What was simplified to draw it (down-sampled, binned, colours left out).
    pub notes: Vec<String>,
}

/// A column as numbers: numbers as they are, dates and times as days since 1970 (`true`).
fn numbers(file: &str, df: &DataFrame, name: &str) -> anyhow::Result<(Vec<Option<f64>>, bool)> {
    let col = schema::column(file, df, name)?;
    if matches!(col.dtype(), DataType::Date | DataType::Datetime(..)) {
        let ms = schema::timestamps_ms(file, df, name)?;
        return Ok((
            ms.iter()
                .map(|v| v.map(|m| m as f64 / 86_400_000.0))
                .collect(),
            true,
        ));
    }
    if !(col.dtype().is_primitive_numeric() || col.dtype().is_bool()) {
        bail!(
            "{file}: column '{name}' is {} and this chart needs numbers or dates; change its type in Schema, or use a bar chart",
            col.dtype()
        );
    }
    let f = col.cast(&DataType::Float64)?;
    Ok((
        f.f64()?
            .iter()
            .map(|v| v.filter(|v| v.is_finite()))
            .collect(),
        false,
    ))
}

/// A column as text (a text column as it is, others written out), to group rows by.
fn as_text(file: &str, df: &DataFrame, name: &str) -> anyhow::Result<StringChunked> {
    let col = schema::column(file, df, name)?;
    Ok(col.cast(&DataType::String)?.str()?.clone())
}

/// Row numbers by value of `text`, without copying each row's text.
fn rows_by_value(text: &StringChunked) -> HashMap<String, Vec<usize>> {
    let mut by: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, v) in text.iter().enumerate() {
        by.entry(v.unwrap_or("(empty)")).or_default().push(i);
    }
    by.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// Group row indices by the colour column's value, the largest groups first, at most
/// `MAX_COLORS` (a note says how many were left out). No colour: one group named `all`.
fn groups(
    file: &str,
    df: &DataFrame,
    color: Option<&str>,
    all: &str,
    notes: &mut Vec<String>,
) -> anyhow::Result<Vec<(String, Vec<usize>)>> {
    let Some(color) = color else {
        return Ok(vec![(all.to_owned(), (0..df.height()).collect())]);
    };
    most_common(file, df, color, MAX_COLORS, notes)
}

/// Row indices by the column's value: the `max` largest groups (a note says how many were left
/// out), in name order (MSFT, AAPL ... sorted read better in a legend or a grid).
fn most_common(
    file: &str,
    df: &DataFrame,
    column: &str,
    max: usize,
    notes: &mut Vec<String>,
) -> anyhow::Result<Vec<(String, Vec<usize>)>> {
    let mut groups: Vec<(String, Vec<usize>)> = rows_by_value(&as_text(file, df, column)?)
        .into_iter()
        .collect();
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    if groups.len() > max {
        notes.push(format!(
            "'{column}' has {} values: the {max} most common are drawn",
            groups.len()
        ));
        groups.truncate(max);
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(groups)
}

/// Points sorted by x, then at most `LINE_BUCKETS` buckets of x each kept as its lowest and
/// highest point (in x order), so the drawn line has every peak and trough a pixel can show.
pub(crate) fn min_max_downsample(mut points: Vec<(f64, f64)>, buckets: usize) -> Vec<(f64, f64)> {
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    if points.len() <= 2 * buckets || buckets == 0 {
        return points;
    }
    let (lo, hi) = (points[0].0, points[points.len() - 1].0);
    let width = (hi - lo) / buckets as f64;
    let mut out = Vec::with_capacity(2 * buckets);
    let mut start = 0;
    while start < points.len() {
        let b = if width > 0.0 {
            (((points[start].0 - lo) / width) as usize).min(buckets - 1)
        } else {
            0
        };
        let mut end = start;
        let (mut min, mut max) = (start, start);
        while end < points.len() {
            let bb = if width > 0.0 {
                (((points[end].0 - lo) / width) as usize).min(buckets - 1)
            } else {
                0
            };
            if bb != b {
                break;
            }
            if points[end].1 < points[min].1 {
                min = end;
            }
            if points[end].1 > points[max].1 {
                max = end;
            }
            end += 1;
        }
        let (a, z) = if min <= max { (min, max) } else { (max, min) };
        out.push(points[a]);
        if z != a {
            out.push(points[z]);
        }
        start = end;
    }
    out
}

/// One condition of the filter bar, on one column; `expr` writes it in the expression language
/// so that it combines with a typed filter and runs through the same evaluator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Condition {
    /// Between `lo` and `hi`, both included (days since 1970 when `dated`); `min` and `max`
    /// are the column's, for the sliders.
    Range {
        column: String,
        lo: f64,
        hi: f64,
        min: f64,
        max: f64,
        dated: bool,
    },
    /// One of the values ticked (`options`: the column's most common values).
    OneOf {
        column: String,
        values: Vec<String>,
        options: Vec<String>,
    },
    /// Holds `text` (or matches it as a regular expression).
    Contains {
        column: String,
        text: String,
        regex: bool,
    },
}

/// `text` as a quoted string of the expression language.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A column name as the expression language reads any name.
fn column_ref(name: &str) -> String {
    format!("`{name}`")
}

impl Condition {
    pub fn column(&self) -> &str {
        match self {
            Self::Range { column, .. }
            | Self::OneOf { column, .. }
            | Self::Contains { column, .. } => column,
        }
    }

    /// The condition as an expression; `None` when it keeps every row (nothing ticked, no
    /// text, the whole range).
    pub fn expr(&self) -> Option<String> {
        match self {
            Self::Range {
                column,
                lo,
                hi,
                min,
                max,
                dated,
            } => {
                if lo <= min && hi >= max {
                    return None;
                }
                let col = column_ref(column);
                let (a, b) = if *dated {
                    (
                        quoted(&crate::format::date(lo.floor())),
                        quoted(&crate::format::date(hi.ceil())),
                    )
                } else {
                    (format!("{lo:?}"), format!("{hi:?}"))
                };
                Some(format!("{col} >= {a} and {col} <= {b}"))
            }
            Self::OneOf { column, values, .. } => (!values.is_empty()).then(|| {
                let list: Vec<String> = values.iter().map(|v| quoted(v)).collect();
                format!("{} in ({})", column_ref(column), list.join(", "))
            }),
            Self::Contains {
                column,
                text,
                regex,
            } => (!text.is_empty()).then(|| {
                let f = if *regex { "matches" } else { "contains" };
                format!("{f}({}, {})", column_ref(column), quoted(text))
            }),
        }
    }

    /// A condition for `column` that keeps every row yet: its range for numbers and dates,
    /// its most common values (up to 40) for text with few of them, a text search otherwise.
    pub fn for_column(file: &str, df: &DataFrame, column: &str) -> anyhow::Result<Self> {
        let col = schema::column(file, df, column)?;
        let dtype = col.dtype().clone();
        if dtype.is_primitive_numeric() || matches!(dtype, DataType::Date | DataType::Datetime(..))
        {
            let (values, dated) = numbers(file, df, column)?;
            let (min, max) = values
                .iter()
                .flatten()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                    (a.min(v), b.max(v))
                });
            if min > max {
                bail!("{file}: column '{column}' has no values");
            }
            return Ok(Self::Range {
                column: column.to_owned(),
                lo: min,
                hi: max,
                min,
                max,
                dated,
            });
        }
        // Counted without keeping row numbers, and given up at the 41st value (a column of
        // millions of ids is a search, found out in its first rows).
        let text = as_text(file, df, column)?;
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for v in text.iter() {
            *counts.entry(v.unwrap_or("(empty)")).or_default() += 1;
            if counts.len() > 40 {
                break;
            }
        }
        if counts.len() <= 40 {
            let mut options: Vec<(String, usize)> =
                counts.into_iter().map(|(k, n)| (k.to_owned(), n)).collect();
            options.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            return Ok(Self::OneOf {
                column: column.to_owned(),
                values: Vec::new(),
                options: options.into_iter().map(|o| o.0).collect(),
            });
        }
        Ok(Self::Contains {
            column: column.to_owned(),
            text: String::new(),
            regex: false,
        })
    }
}

/// The filter bar's conditions and a typed expression as one expression (all must hold).
pub fn combined(conditions: &[Condition], typed: &str) -> String {
    let mut parts: Vec<String> = conditions.iter().filter_map(Condition::expr).collect();
    if !typed.trim().is_empty() {
        parts.push(typed.trim().to_owned());
    }
    match parts.len() {
        0 => String::new(),
        1 => parts.remove(0),
        _ => parts
            .iter()
            .map(|p| format!("({p})"))
            .collect::<Vec<_>>()
            .join(" and "),
    }
}

/// Rows of `df` the spec's filter keeps.
pub fn filtered(file: &str, df: &DataFrame, filter: &str) -> anyhow::Result<DataFrame> {
    if filter.trim().is_empty() {
        return Ok(df.clone());
    }
    expr::filter(df, filter).map_err(|e| anyhow::anyhow!("{file}: filter {e}"))
}

/// Build the chart `spec` describes from `df` (named `file` in messages).
pub fn plot(file: &str, df: &DataFrame, spec: &PlotSpec) -> anyhow::Result<Plot> {
    if spec.x.trim().is_empty() {
        bail!("{file}: choose a column for x");
    }
    BINS.check(spec.bins)?;
    match &spec.facet {
        Some(f) => faceted(file, df, spec, f),
        None => one(file, df, spec),
    }
}

/// Small multiples: the filter once, then one chart per value of `facet` (the most common
/// `MAX_FACETS`), each titled with its value; the plotted data of all with a `facet` column.
fn faceted(file: &str, df: &DataFrame, spec: &PlotSpec, facet: &str) -> anyhow::Result<Plot> {
    let total = df.height();
    let df = filtered(file, df, &spec.filter)?;
    let mut notes = Vec::new();
    let groups = most_common(file, &df, facet, MAX_FACETS, &mut notes)?;
    let each = PlotSpec {
        facet: None,
        filter: String::new(),
        ..spec.clone()
    };
    let mut facets = Vec::new();
    let mut data: Option<DataFrame> = None;
    for (value, rows) in groups {
        let idx = IdxCa::from_vec("rows".into(), rows.iter().map(|&i| i as IdxSize).collect());
        let part = df.take(&idx)?;
        let p = one(file, &part, &each)?;
        for n in p.notes {
            if !notes.contains(&n) {
                notes.push(n);
            }
        }
        let mut chart = p.chart;
        chart.title = format!("{facet} = {value}: {}", chart.title);
        facets.push(chart);
        let mut d = p.data;
        d.with_column(Column::new(facet.into(), vec![value.clone(); d.height()]))?;
        data = Some(match data {
            Some(all) => all.vstack(&d)?,
            None => d,
        });
    }
    let Some(chart) = facets.first().cloned() else {
        bail!("{file}: no rows to draw");
    };
    Ok(Plot {
        chart,
        facets,
        data: data.unwrap_or_default(),
        rows: df.height(),
        total,
        notes,
    })
}

/// One chart of `df`'s rows that the spec's filter keeps.
fn one(file: &str, df: &DataFrame, spec: &PlotSpec) -> anyhow::Result<Plot> {
    let total = df.height();
    // Each colour group's palette slot among all the table's groups, so a filter that removes
    // one group leaves the others their colours.
    let slots: HashMap<String, usize> = match spec.color.as_deref() {
        Some(color) if !spec.filter.trim().is_empty() => {
            most_common(file, df, color, MAX_COLORS, &mut Vec::new())?
                .into_iter()
                .enumerate()
                .map(|(k, (name, _))| (name, k))
                .collect()
        }
        _ => HashMap::new(),
    };
    let df = filtered(file, df, &spec.filter)?;
    let mut notes = Vec::new();
    let title_of = |what: &str| {
        if spec.filter.trim().is_empty() {
            what.to_owned()
        } else {
            format!("{what} where {}", spec.filter.trim())
        }
    };
    let y_needed = |mark: &str| {
        spec.y
            .clone()
            .with_context(|| format!("{file}: a {mark} chart needs a column for y"))
    };
    let (chart, data) = match spec.mark {
        PlotMark::Line | PlotMark::Scatter => {
            let y = y_needed(spec.mark.name())?;
            let (xs, dated) = numbers(file, &df, &spec.x)?;
            let (ys, _) = numbers(file, &df, &y)?;
            let groups = groups(file, &df, spec.color.as_deref(), &y, &mut notes)?;
            let binned = dated && spec.time != TimeBin::None;
            let is_line = spec.mark == PlotMark::Line;
            // A group's points; a line's rows that share an x (or a time bin) become one point,
            // the aggregate of their y (true when that happened).
            let points_of = |rows: &[usize]| -> (Vec<(f64, f64)>, bool) {
                let mut raw: Vec<(f64, f64)> = rows
                    .iter()
                    .filter_map(|&i| Some((xs[i]?, ys[i]?)))
                    .map(|(x, y)| (if binned { spec.time.start(x) } else { x }, y))
                    .collect();
                if !is_line && !binned {
                    return (raw, false);
                }
                raw.sort_by(|a, b| a.0.total_cmp(&b.0));
                if !raw.windows(2).any(|w| w[0].0 == w[1].0) {
                    return (raw, binned);
                }
                let mut out = Vec::new();
                let mut values = Vec::new();
                let mut i = 0;
                while i < raw.len() {
                    values.clear();
                    let x = raw[i].0;
                    while i < raw.len() && raw[i].0 == x {
                        values.push(raw[i].1);
                        i += 1;
                    }
                    out.push((x, spec.agg.apply(&mut values)));
                }
                (out, true)
            };
            let mut drawn = 0usize;
            let mut aggregated = false;
            let all_points: Vec<(String, Vec<(f64, f64)>)> = groups
                .iter()
                .map(|(name, rows)| {
                    let (points, agg) = points_of(rows);
                    aggregated |= agg;
                    (name.clone(), points)
                })
                .collect();
            let count: usize = all_points.iter().map(|(_, p)| p.len()).sum();
            let y_label = if binned {
                format!("{} of {y} per {}", spec.agg.name(), spec.time.name())
            } else if aggregated {
                notes.push(format!(
                    "rows that share a value of '{}' are drawn as one point, the {} of their '{y}'",
                    spec.x,
                    spec.agg.name()
                ));
                format!("{} of {y}", spec.agg.name())
            } else {
                y.clone()
            };
            if spec.mark == PlotMark::Scatter && count > SCATTER_MAX {
                notes.push(format!(
                    "{count} points: drawn as a density of {b}x{b} cells",
                    b = spec.bins
                ));
                // One group (no colour) is moved, not copied: millions of points.
                let points: Vec<(f64, f64)> = if all_points.len() == 1 {
                    all_points
                        .into_iter()
                        .next()
                        .map(|(_, p)| p)
                        .unwrap_or_default()
                } else {
                    all_points.into_iter().flat_map(|(_, p)| p).collect()
                };
                heat(
                    file,
                    &spec.x,
                    &y,
                    &points,
                    spec.bins,
                    &title_of(&format!("{y} against {}", spec.x)),
                    dated,
                )?
            } else {
                let mut lines = Vec::new();
                let mut table: (Vec<f64>, Vec<f64>, Vec<String>) = Default::default();
                for (name, points) in all_points {
                    let points = if spec.mark == PlotMark::Line {
                        let n = points.len();
                        let p = min_max_downsample(points, LINE_BUCKETS);
                        if p.len() < n {
                            drawn += 1;
                        }
                        p
                    } else {
                        points
                    };
                    for &(x, y) in &points {
                        table.0.push(x);
                        table.1.push(y);
                        table.2.push(name.clone());
                    }
                    let slot = slots.get(&name).copied();
                    let mut line = if spec.mark == PlotMark::Line {
                        Line::new(name, points)
                    } else {
                        Line::scatter(name, points)
                    };
                    line.slot = slot;
                    lines.push(line);
                }
                if drawn > 0 {
                    notes.push(format!(
                        "{drawn} line(s) down-sampled to the lowest and highest value of each of {LINE_BUCKETS} steps"
                    ));
                }
                let per = spec
                    .color
                    .as_ref()
                    .map(|c| format!(", per {c}"))
                    .unwrap_or_default();
                let mut chart = Chart::lines(
                    title_of(&format!("{y_label} by {}{per}", spec.x)),
                    &spec.x,
                    &y_label,
                    lines,
                    Vec::new(),
                );
                if dated {
                    chart = chart.dated();
                }
                let x_col = if dated {
                    Column::new(
                        spec.x.as_str().into(),
                        table.0.iter().map(|d| d.floor() as i32).collect::<Vec<_>>(),
                    )
                    .cast(&DataType::Date)?
                } else {
                    Column::new(spec.x.as_str().into(), table.0)
                };
                let mut cols = vec![x_col, Column::new(y.as_str().into(), table.1)];
                if let Some(c) = &spec.color {
                    cols.push(Column::new(c.as_str().into(), table.2));
                }
                (chart, plotted_table(cols)?)
            }
        }
        PlotMark::Bar => {
            let ys = match &spec.y {
                Some(y) if spec.agg != Agg::Count => Some(numbers(file, &df, y)?.0),
                _ => None,
            };
            // Rows by bar: a date's time bin, or the x value as text.
            let rows: HashMap<String, Vec<usize>> = match numbers(file, &df, &spec.x) {
                Ok((days, true)) if spec.time != TimeBin::None => {
                    let mut bins: HashMap<i64, Vec<usize>> = HashMap::new();
                    for (i, d) in days.iter().enumerate() {
                        if let Some(d) = d {
                            bins.entry(spec.time.start(*d) as i64).or_default().push(i);
                        }
                    }
                    bins.into_iter()
                        .map(|(d, r)| (crate::format::date(d as f64), r))
                        .collect()
                }
                _ => rows_by_value(&as_text(file, &df, &spec.x)?),
            };
            let by: HashMap<String, Vec<f64>> = rows
                .into_iter()
                .map(|(k, r)| {
                    let values = match &ys {
                        Some(ys) => r.iter().filter_map(|&i| ys[i]).collect(),
                        None => vec![1.0; r.len()],
                    };
                    (k, values)
                })
                .filter(|(_, v)| !v.is_empty())
                .collect();
            let agg = if ys.is_some() { spec.agg } else { Agg::Count };
            let mut bars: Vec<(String, f64)> = by
                .into_iter()
                .map(|(k, mut v)| {
                    let value = agg.apply(&mut v);
                    (k, value)
                })
                .collect();
            let dated_keys = spec.time != TimeBin::None;
            if dated_keys {
                bars.sort_by(|a, b| a.0.cmp(&b.0));
            } else {
                bars.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            }
            if bars.len() > MAX_BARS {
                notes.push(format!(
                    "{} bars: the {MAX_BARS} {} are drawn",
                    bars.len(),
                    if dated_keys { "first" } else { "largest" }
                ));
                bars.truncate(MAX_BARS);
            }
            let y_name = match (&spec.y, agg) {
                (Some(y), a) if a != Agg::Count => y.clone(),
                _ => "count".to_owned(),
            };
            let y_label = if agg == Agg::Count {
                "count".to_owned()
            } else {
                format!("{} of {y_name}", agg.name())
            };
            let chart = Chart {
                y_label: y_label.clone(),
                ..Chart::bars(
                    title_of(&format!("{y_label} by {}", spec.x)),
                    &spec.x,
                    bars.iter().map(|b| b.0.clone()).collect(),
                    bars.iter().map(|b| b.1).collect(),
                )
            };
            let data = plotted_table(vec![
                Column::new(
                    spec.x.as_str().into(),
                    bars.iter().map(|b| b.0.clone()).collect::<Vec<_>>(),
                ),
                Column::new(
                    y_name.as_str().into(),
                    bars.iter().map(|b| b.1).collect::<Vec<_>>(),
                ),
            ])?;
            (chart, data)
        }
        PlotMark::Histogram => {
            let (xs, _) = numbers(file, &df, &spec.x)?;
            let values: Vec<f64> = xs.into_iter().flatten().collect();
            let h = histogram::histogram(&values, spec.bins, &NoProgress)
                .map_err(|e| anyhow::anyhow!("{file}: column '{}': {e}", spec.x))?;
            let data = DataFrame::new_infer_height(vec![
                Column::new(
                    format!("{} from", spec.x).into(),
                    h.edges[..h.counts.len()].to_vec(),
                ),
                Column::new(format!("{} to", spec.x).into(), h.edges[1..].to_vec()),
                Column::new("count".into(), h.counts.clone()),
            ])?;
            (
                Chart::histogram(title_of(&format!("Distribution of {}", spec.x)), &spec.x, h),
                data,
            )
        }
        PlotMark::Box => {
            let y = y_needed("box")?;
            let (ys, _) = numbers(file, &df, &y)?;
            let mut groups: Vec<(String, Vec<usize>)> =
                rows_by_value(&as_text(file, &df, &spec.x)?)
                    .into_iter()
                    .collect();
            groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
            if groups.len() > MAX_BARS {
                notes.push(format!(
                    "'{}' has {} values: the {MAX_BARS} most common are drawn",
                    spec.x,
                    groups.len()
                ));
                groups.truncate(MAX_BARS);
            }
            groups.sort_by(|a, b| a.0.cmp(&b.0));
            // `numbers` leaves infinities out (a box cannot reach them): say how many.
            let infinite = schema::column(file, &df, &y)?
                .cast(&DataType::Float64)?
                .f64()?
                .iter()
                .filter(|v| v.is_some_and(f64::is_infinite))
                .count();
            if infinite > 0 {
                notes.push(format!(
                    "{} infinite value(s) of '{y}' left out of the boxes",
                    crate::format::whole(infinite)
                ));
            }
            let (mut labels, mut boxes) = (Vec::new(), Vec::new());
            for (k, rows) in groups {
                let values: Vec<f64> = rows.iter().filter_map(|&i| ys[i]).collect();
                if let Some(b) = BoxStats::of(&values) {
                    labels.push(k);
                    boxes.push(b);
                }
            }
            if labels.is_empty() {
                bail!("{file}: no rows with a value of '{y}'");
            }
            let chart = Chart::new(
                title_of(&format!("{y} by {}", spec.x)),
                &spec.x,
                &y,
                ChartData::Boxes { labels, boxes },
            );
            let data = chart.to_frame()?;
            (chart, data)
        }
        PlotMark::Heat => {
            let y = y_needed("heat")?;
            let (xs, dated) = numbers(file, &df, &spec.x)?;
            let (ys, _) = numbers(file, &df, &y)?;
            let points: Vec<(f64, f64)> = xs
                .iter()
                .zip(&ys)
                .filter_map(|(x, y)| Some(((*x)?, (*y)?)))
                .collect();
            heat(
                file,
                &spec.x,
                &y,
                &points,
                spec.bins,
                &title_of(&format!("Rows by {} and {y}", spec.x)),
                dated,
            )?
        }
    };
    Ok(Plot {
        chart: chart.with_source(file),
        facets: Vec::new(),
        data,
        rows: df.height(),
        total,
        notes,
    })
}

/// A heat map of how many points fall in each of `bins`×`bins` cells (rows: y, top is high).
fn heat(
    file: &str,
    x: &str,
    y: &str,
    points: &[(f64, f64)],
    bins: usize,
    title: &str,
    dated: bool,
) -> anyhow::Result<(Chart, DataFrame)> {
    if points.is_empty() {
        bail!("{file}: no rows with both '{x}' and '{y}'");
    }
    let extent = |f: fn(&(f64, f64)) -> f64| {
        points
            .iter()
            .map(f)
            .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)))
    };
    let ((x0, x1), (y0, y1)) = (extent(|p| p.0), extent(|p| p.1));
    let cell = |v: f64, lo: f64, hi: f64| {
        if hi > lo {
            (((v - lo) / (hi - lo) * bins as f64) as usize).min(bins - 1)
        } else {
            0
        }
    };
    let mut counts = vec![0.0; bins * bins];
    for &(px, py) in points {
        let (c, r) = (cell(px, x0, x1), cell(py, y0, y1));
        counts[(bins - 1 - r) * bins + c] += 1.0;
    }
    let edge = |lo: f64, hi: f64, k: usize| lo + (hi - lo) * k as f64 / bins as f64;
    let name = |v: f64, is_date: bool, step: f64| {
        if is_date {
            crate::format::date(v)
        } else {
            crate::format::tick(v, step)
        }
    };
    let (x_step, y_step) = ((x1 - x0) / bins as f64, (y1 - y0) / bins as f64);
    let columns: Vec<String> = (0..bins)
        .map(|k| name(edge(x0, x1, k), dated, x_step))
        .collect();
    let rows: Vec<String> = (0..bins)
        .rev()
        .map(|k| name(edge(y0, y1, k), false, y_step))
        .collect();
    let mut table: (Vec<f64>, Vec<f64>, Vec<f64>) = Default::default();
    for r in 0..bins {
        for c in 0..bins {
            let n = counts[(bins - 1 - r) * bins + c];
            if n > 0.0 {
                table.0.push(edge(x0, x1, c));
                table.1.push(edge(y0, y1, r));
                table.2.push(n);
            }
        }
    }
    // Skewed counts (one cell holding most rows) read on a log scale; the table keeps counts.
    let most = counts.iter().copied().fold(0.0, f64::max);
    let log = most >= 100.0;
    let value_label = if log { "log10 of rows" } else { "rows" };
    let values = counts
        .iter()
        .map(|&n| match n {
            n if n <= 0.0 => f64::NAN,
            n if log => n.log10(),
            n => n,
        })
        .collect();
    let chart = Chart {
        y_label: value_label.to_owned(),
        ..Chart::heatmap(title, x, value_label, rows, columns, values)
    };
    let data = DataFrame::new_infer_height(vec![
        Column::new(format!("{x} from").into(), table.0),
        Column::new(format!("{y} from").into(), table.1),
        Column::new("rows".into(), table.2),
    ])?;
    Ok((chart, data))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stocks() -> DataFrame {
        crate::data::load_path(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../sample-data/stocks.csv"
        )))
        .unwrap()
        .frame
    }

    /// A filter that removes a symbol leaves every other symbol its colour.
    #[test]
    fn series_keep_their_colours_when_a_filter_removes_one() {
        let spec = PlotSpec {
            x: "date".into(),
            y: Some("price".into()),
            color: Some("symbol".into()),
            ..PlotSpec::default()
        };
        let colours = |spec: &PlotSpec| -> Vec<(String, [u8; 3])> {
            let p = plot("stocks.csv", &stocks(), spec).unwrap();
            let crate::chart::ChartData::Lines { lines, .. } = &p.chart.data else {
                panic!("a lines chart");
            };
            (0..lines.len())
                .map(|k| (lines[k].name.clone(), crate::chart::line_colour(lines, k)))
                .collect()
        };
        let all = colours(&spec);
        let filtered = colours(&PlotSpec {
            filter: "symbol != \"AMZN\"".into(),
            ..spec
        });
        assert_eq!(filtered.len(), 4);
        for (name, colour) in &filtered {
            let before = all.iter().find(|(n, _)| n == name).unwrap();
            assert_eq!(&before.1, colour, "{name} changed colour");
        }
    }

    #[test]
    fn price_over_time_by_symbol_is_one_dated_line_per_symbol() {
        let spec = PlotSpec {
            x: "date".into(),
            y: Some("price".into()),
            color: Some("symbol".into()),
            ..PlotSpec::default()
        };
        let p = plot("stocks.csv", &stocks(), &spec).unwrap();
        let crate::chart::ChartData::Lines { lines, .. } = &p.chart.data else {
            panic!("a lines chart");
        };
        let names: Vec<&str> = lines.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["AAPL", "AMZN", "GOOG", "IBM", "MSFT"]);
        assert!(p.chart.x_dates);
        assert_eq!(p.data.height(), 560);
        assert_eq!(p.data.get_column_names(), ["date", "price", "symbol"]);
        // MSFT's first price, on 2000-01-01.
        let msft = &lines[4].points[0];
        assert_eq!(
            (crate::format::date(msft.0), msft.1),
            ("2000-01-01".to_owned(), 39.81)
        );
    }

    #[test]
    fn yearly_means_and_bars_match_a_hand_count() {
        let df = stocks();
        let spec = PlotSpec {
            mark: PlotMark::Bar,
            x: "symbol".into(),
            y: Some("price".into()),
            agg: Agg::Mean,
            filter: "date >= \"2005-01-01\" and date < \"2006-01-01\"".into(),
            ..PlotSpec::default()
        };
        let p = plot("stocks.csv", &df, &spec).unwrap();
        assert_eq!(p.rows, 60);
        // By hand: the twelve 2005 prices of IBM.
        let ibm =
            crate::compute::expr::filter(&df, "symbol == \"IBM\" and year(date) == 2005").unwrap();
        let mean = ibm.column("price").unwrap().f64().unwrap().mean().unwrap();
        let labels = p.data.column("symbol").unwrap().str().unwrap();
        let values = p.data.column("price").unwrap().f64().unwrap();
        let at = labels.iter().position(|l| l == Some("IBM")).unwrap();
        assert!((values.get(at).unwrap() - mean).abs() < 1e-9);
        // Counting rows per symbol: every row counted once.
        let counts = plot(
            "stocks.csv",
            &df,
            &PlotSpec {
                mark: PlotMark::Bar,
                x: "symbol".into(),
                agg: Agg::Count,
                ..PlotSpec::default()
            },
        )
        .unwrap();
        let total: f64 = counts
            .data
            .column("count")
            .unwrap()
            .f64()
            .unwrap()
            .sum()
            .unwrap();
        assert_eq!(total, 560.0);
    }

    #[test]
    fn time_bins_aggregate_per_period() {
        let spec = PlotSpec {
            x: "date".into(),
            y: Some("price".into()),
            time: TimeBin::Month,
            agg: Agg::Sum,
            ..PlotSpec::default()
        };
        let p = plot("stocks.csv", &stocks(), &spec).unwrap();
        let crate::chart::ChartData::Lines { lines, .. } = &p.chart.data else {
            panic!("lines");
        };
        // 2000-01: MSFT 39.81 + AMZN 64.56 + IBM 100.52 + AAPL 25.94 (GOOG starts in 2004).
        let first = lines[0].points[0];
        assert_eq!(crate::format::date(first.0), "2000-01-01");
        assert!(
            (first.1 - (39.81 + 64.56 + 100.52 + 25.94)).abs() < 1e-9,
            "{first:?}"
        );
        // Without bins or colour, the rows of one date are one point: their mean.
        let plain = PlotSpec {
            time: TimeBin::None,
            agg: Agg::Mean,
            ..spec.clone()
        };
        let p = plot("stocks.csv", &stocks(), &plain).unwrap();
        let crate::chart::ChartData::Lines { lines, .. } = &p.chart.data else {
            panic!("lines");
        };
        let first = lines[0].points[0];
        assert!(
            (first.1 - (39.81 + 64.56 + 100.52 + 25.94) / 4.0).abs() < 1e-9,
            "{first:?}"
        );
        assert_eq!(p.chart.y_label, "mean of price");
        assert_eq!(TimeBin::Week.start(6.0), 4.0);
        assert_eq!(TimeBin::Week.start(4.0), 4.0);
        assert_eq!(TimeBin::Week.start(3.0), -3.0);
    }

    #[test]
    fn boxes_have_numpys_quartiles_and_tukeys_whiskers() {
        // numpy.percentile([1..9, 100], [25, 50, 75]) = 3.25, 5.5, 7.75.
        let mut v: Vec<f64> = (1..10).map(f64::from).collect();
        v.push(100.0);
        let b = BoxStats::of(&v).unwrap();
        assert_eq!((b.q1, b.median, b.q3), (3.25, 5.5, 7.75));
        // Fences at 3.25 - 6.75 and 7.75 + 6.75: 100 is beyond.
        assert_eq!((b.low, b.high, b.outliers, b.n), (1.0, 9.0, 1, 10));
        assert!(BoxStats::of(&[f64::NAN]).is_none());
        let p = plot(
            "stocks.csv",
            &stocks(),
            &PlotSpec {
                mark: PlotMark::Box,
                x: "symbol".into(),
                y: Some("price".into()),
                ..PlotSpec::default()
            },
        )
        .unwrap();
        assert_eq!(
            p.data.get_column_names(),
            [
                "symbol",
                "n",
                "price low whisker",
                "price q1",
                "price median",
                "price q3",
                "price high whisker",
                "outliers"
            ]
        );
        let n: u64 = p.data.column("n").unwrap().u64().unwrap().sum().unwrap();
        assert_eq!(n, 560);
    }

    #[test]
    fn facets_draw_one_chart_per_value_with_the_rows_of_that_value() {
        let spec = PlotSpec {
            mark: PlotMark::Histogram,
            x: "price".into(),
            facet: Some("symbol".into()),
            filter: "price > 20".into(),
            bins: 10,
            ..PlotSpec::default()
        };
        let df = stocks();
        let p = plot("stocks.csv", &df, &spec).unwrap();
        assert_eq!(p.facets.len(), 5);
        assert!(
            p.facets[3]
                .title
                .starts_with("symbol = IBM: Distribution of price"),
            "{}",
            p.facets[3].title
        );
        // Each facet counts the rows of its symbol the filter keeps.
        for (chart, symbol) in p.facets.iter().zip(["AAPL", "AMZN", "GOOG", "IBM", "MSFT"]) {
            let crate::chart::ChartData::Histogram(h) = &chart.data else {
                panic!("histograms");
            };
            let want = crate::compute::expr::filter(
                &df,
                &format!("symbol == \"{symbol}\" and price > 20"),
            )
            .unwrap()
            .height() as u64;
            assert_eq!(h.total(), want, "{symbol}");
        }
        assert_eq!(
            p.data.get_column_names().last().map(|c| c.as_str()),
            Some("symbol")
        );
        assert_eq!(PlotSpec::charts(&p).len(), 5);
    }

    #[test]
    fn filter_bar_conditions_write_expressions_that_keep_the_right_rows() {
        let df = stocks();
        let mut date = Condition::for_column("stocks.csv", &df, "date").unwrap();
        let mut symbol = Condition::for_column("stocks.csv", &df, "symbol").unwrap();
        assert_eq!(date.expr(), None, "the whole range keeps every row");
        assert_eq!(symbol.expr(), None, "nothing ticked keeps every row");
        let Condition::OneOf {
            options, values, ..
        } = &mut symbol
        else {
            panic!("few values: a pick list");
        };
        assert_eq!(options.len(), 5);
        values.extend(["IBM".to_owned(), "MS\"FT".to_owned()]);
        if let Condition::Range { lo, .. } = &mut date {
            *lo = 12_784.0; // 2005-01-01
        }
        let text = combined(&[date, symbol], "price > 0");
        assert_eq!(
            text,
            r#"(`date` >= "2005-01-01" and `date` <= "2010-03-01") and (`symbol` in ("IBM", "MS\"FT")) and (price > 0)"#
        );
        let kept = crate::compute::expr::filter(&df, &text).unwrap();
        let by_hand =
            crate::compute::expr::filter(&df, r#"symbol == "IBM" and year(date) >= 2005"#).unwrap();
        assert_eq!(kept.height(), by_hand.height());
        let search = Condition::Contains {
            column: "symbol".into(),
            text: "^A".into(),
            regex: true,
        };
        let a = crate::compute::expr::filter(&df, &search.expr().unwrap()).unwrap();
        assert_eq!(a.height(), 123 + 123, "AAPL and AMZN, 123 months each");
    }

    #[test]
    fn down_sampling_keeps_every_bucket_extreme() {
        let points: Vec<(f64, f64)> = (0..100_000)
            .map(|i| (f64::from(i), f64::from(i % 997)))
            .collect();
        let kept = min_max_downsample(points.clone(), 1000);
        assert!(kept.len() <= 2000);
        assert!(kept.windows(2).all(|w| w[0].0 <= w[1].0));
        // Brute force: each bucket's max is kept.
        for b in 0..1000 {
            let bucket = &points[b * 100..(b + 1) * 100];
            let max = bucket.iter().map(|p| p.1).fold(f64::MIN, f64::max);
            let min = bucket.iter().map(|p| p.1).fold(f64::MAX, f64::min);
            let inside: Vec<f64> = kept
                .iter()
                .filter(|p| p.0 >= bucket[0].0 && p.0 <= bucket[99].0)
                .map(|p| p.1)
                .collect();
            assert!(inside.contains(&max) && inside.contains(&min), "bucket {b}");
        }
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        let df = stocks();
        let e = |spec: PlotSpec| plot("stocks.csv", &df, &spec).err().unwrap().to_string();
        assert_eq!(
            e(PlotSpec {
                x: "date".into(),
                ..PlotSpec::default()
            }),
            "stocks.csv: a line chart needs a column for y"
        );
        assert_eq!(
            e(PlotSpec {
                x: "symbol".into(),
                y: Some("price".into()),
                ..PlotSpec::default()
            }),
            "stocks.csv: column 'symbol' is str and this chart needs numbers or dates; change its type in Schema, or use a bar chart"
        );
        assert_eq!(
            e(PlotSpec {
                x: "date".into(),
                y: Some("price".into()),
                filter: "prce > 3".into(),
                ..PlotSpec::default()
            }),
            "stocks.csv: filter at character 1: no column 'prce'"
        );
    }
}
