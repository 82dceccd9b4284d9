//! What a chart shows, apart from how it is drawn: the panels draw a `Chart` with egui_plot,
//! the export module renders the same `Chart` to PNG/SVG with plotters or writes its data as a
//! table. No egui here.

use polars::prelude::*;

use crate::compute::histogram::Histogram;
use crate::compute::top_values::TopValues;

/// The kinds of chart the foundation knows; use-case issues add theirs.
#[derive(Clone, Debug, PartialEq)]
pub enum ChartData {
    /// Bars between consecutive edges.
    Histogram(Histogram),
    /// One bar per label.
    Bars {
        labels: Vec<String>,
        values: Vec<f64>,
    },
    /// One box per label: the quartiles, the median and Tukey's whiskers of a group's values.
    Boxes {
        labels: Vec<String>,
        boxes: Vec<BoxStats>,
    },
    /// Named lines, plus plain segments between points (e.g. a DTW warping path).
    Lines {
        lines: Vec<Line>,
        segments: Vec<[(f64, f64); 2]>,
    },
    /// A map in longitude/latitude: filled or outlined shapes, then points; `legend` says what
    /// each fill (and point) colour means ("0–10 (2 polygons)"). `point_colours` gives each
    /// point its colour, or is empty (all in the accent colour).
    Map {
        shapes: Vec<MapShape>,
        points: Vec<(f64, f64)>,
        point_colours: Vec<[u8; 3]>,
        legend: Vec<(String, [u8; 3])>,
    },
    /// A grid of values coloured on the sequential ramp: `values[r * columns.len() + c]`
    /// (NaN: no value). `y_label` names the value; `x_label` the columns.
    Heatmap {
        rows: Vec<String>,
        columns: Vec<String>,
        values: Vec<f64>,
    },
}

/// A box plot's box: quartiles by linear interpolation (numpy's and pandas' default), whiskers
/// at the furthest values within 1.5 times the interquartile range of the box (Tukey).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BoxStats {
    pub low: f64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub high: f64,
    /// Values in the group.
    pub n: usize,
    /// Values beyond the whiskers.
    pub outliers: usize,
}

impl BoxStats {
    /// The box of `values` (NaN and infinities left out: a box cannot be drawn to infinity);
    /// `None` when none are left.
    pub fn of(values: &[f64]) -> Option<Self> {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let q = |p: f64| {
            let at = p * (v.len() - 1) as f64;
            let (i, f) = (at.floor() as usize, at.fract());
            if i + 1 < v.len() {
                v[i] + (v[i + 1] - v[i]) * f
            } else {
                v[i]
            }
        };
        let (q1, median, q3) = (q(0.25), q(0.5), q(0.75));
        let reach = 1.5 * (q3 - q1);
        let inside = |x: &&f64| **x >= q1 - reach && **x <= q3 + reach;
        let low = v.iter().find(inside).copied().unwrap_or(q1);
        let high = v.iter().rev().find(inside).copied().unwrap_or(q3);
        let outliers = v.iter().filter(|x| !inside(x)).count();
        Some(Self {
            low,
            q1,
            median,
            q3,
            high,
            n: v.len(),
            outliers,
        })
    }
}

/// One ring of a map, filled with a colour or only outlined.
#[derive(Clone, Debug, PartialEq)]
pub struct MapShape {
    pub ring: Vec<(f64, f64)>,
    pub fill: Option<[u8; 3]>,
}

/// The colour of line `k` of a chart's `lines` (`theme::series_colour` by its name; a band takes
/// its line's colour).
pub fn line_colour(lines: &[Line], k: usize) -> [u8; 3] {
    lines
        .get(k)
        .map_or(crate::theme::LINES[k % crate::theme::LINES.len()], |l| {
            l.colour(k)
        })
}

/// What a map shows: the bulk of its shapes and points, and how many it left out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapFrame {
    /// lon0, lat0, lon1, lat1.
    pub bbox: [f64; 4],
    /// Points far from the rest (a GPS at 0, 0), not in the frame.
    pub left_out_points: usize,
    /// Shapes far from the rest (an H3 cell around such points), not in the frame.
    pub left_out_shapes: usize,
}

/// The one framing rule of every map, on screen and exported: each shape (by the mean of its
/// ring) and each point is an item; items farther from the items' median than three times
/// the 90th percentile of that distance are left out; the frame is the box of the kept
/// shapes' rings and kept points. Real taxi data has pickups at (0, 0): the raw extent framed
/// the Atlantic. A distance is measured with longitude shrunk by the cosine of the latitude.
/// None when there is nothing finite to frame.
pub fn map_frame(shapes: &[MapShape], points: &[(f64, f64)]) -> Option<MapFrame> {
    let finite = |&(x, y): &(f64, f64)| x.is_finite() && y.is_finite();
    let centre_of = |s: &MapShape| {
        let pts: Vec<&(f64, f64)> = s.ring.iter().filter(|p| finite(p)).collect();
        (!pts.is_empty()).then(|| {
            let n = pts.len() as f64;
            (
                pts.iter().map(|p| p.0).sum::<f64>() / n,
                pts.iter().map(|p| p.1).sum::<f64>() / n,
            )
        })
    };
    let centres: Vec<Option<(f64, f64)>> = shapes.iter().map(centre_of).collect();
    let items: Vec<(f64, f64)> = centres
        .iter()
        .flatten()
        .copied()
        .chain(points.iter().copied().filter(finite))
        .collect();
    if items.is_empty() {
        return None;
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let mx = median(items.iter().map(|p| p.0).collect());
    let my = median(items.iter().map(|p| p.1).collect());
    let squash = my.to_radians().cos().abs().max(0.1);
    let dist = |&(x, y): &(f64, f64)| ((x - mx) * squash).hypot(y - my);
    let mut d: Vec<f64> = items.iter().map(dist).collect();
    d.sort_by(f64::total_cmp);
    let p90 = d[((d.len() - 1) as f64 * 0.9).round() as usize];
    let reach = (3.0 * p90).max(1e-9);
    let near = |p: &(f64, f64)| dist(p) <= reach;
    let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    let mut grow = |&(x, y): &(f64, f64)| {
        if x.is_finite() && y.is_finite() {
            bbox = [
                bbox[0].min(x),
                bbox[1].min(y),
                bbox[2].max(x),
                bbox[3].max(y),
            ];
        }
    };
    let mut left_out_shapes = 0;
    for (s, c) in shapes.iter().zip(&centres) {
        match c {
            Some(c) if near(c) => s.ring.iter().for_each(&mut grow),
            Some(_) => left_out_shapes += 1,
            None => {}
        }
    }
    let mut left_out_points = 0;
    for p in points.iter().filter(|p| finite(p)) {
        if near(p) {
            grow(p);
        } else {
            left_out_points += 1;
        }
    }
    (bbox[0] <= bbox[2]).then_some(MapFrame {
        bbox,
        left_out_points,
        left_out_shapes,
    })
}

/// How a `Lines` chart draws one of its series.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mark {
    /// A line in the series' palette colour.
    #[default]
    Line,
    /// Observations: small dots in the text colour (under a fitted line).
    Dots,
    /// A scatter by category: dots in the series' palette colour.
    Scatter,
    /// Points to notice: rings around them in the strong text colour (drawn over the series
    /// whose points they flag).
    Alert,
}

/// One named line of a `Lines` chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub mark: Mark,
    /// The palette slot it keeps whatever else is drawn (a filter that removes MSFT leaves
    /// IBM its colour); `None`: its position among the chart's lines.
    pub slot: Option<usize>,
}

/// A shaded range between a lower and an upper value at each x (an uncertainty interval),
/// drawn in a light shade of the colour of line number `line`.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    pub name: String,
    pub line: usize,
    /// (x, lower, upper)
    pub points: Vec<(f64, f64, f64)>,
}

impl Line {
    pub fn new(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self {
            name: name.into(),
            points,
            mark: Mark::Line,
            slot: None,
        }
    }

    /// Its colour as line `k` of a chart: its category's own, else its slot's in the palette.
    pub fn colour(&self, k: usize) -> [u8; 3] {
        crate::theme::series_colour(&self.name, self.slot.unwrap_or(k))
    }

    /// Observations drawn as dots.
    pub fn dots(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self {
            mark: Mark::Dots,
            ..Self::new(name, points)
        }
    }

    /// One category of a scatter plot (dots in the series' colour).
    pub fn scatter(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self {
            mark: Mark::Scatter,
            ..Self::new(name, points)
        }
    }

    /// Points to notice (flagged), ringed.
    pub fn alert(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self {
            mark: Mark::Alert,
            ..Self::new(name, points)
        }
    }

    /// A series drawn against its index (0, 1, 2, ...).
    pub(crate) fn indexed(name: impl Into<String>, values: &[f64]) -> Self {
        Self::new(
            name,
            values
                .iter()
                .enumerate()
                .map(|(i, &v)| (i as f64, v))
                .collect(),
        )
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub data: ChartData,
    /// Labelled vertical lines drawn over the chart (a median, a threshold).
    pub markers: Vec<(String, f64)>,
    /// Shaded intervals under the lines (`Lines` charts only).
    pub bands: Vec<Band>,
    /// The x values are days since 1970-01-01, shown and exported as dates.
    pub x_dates: bool,
    /// The x values are whole numbers (epochs): the axis is ticked at whole numbers only, on
    /// screen and in exports (no epoch 1.5).
    pub x_whole: bool,
    /// Shaded x ranges (label, from, to) behind the lines, e.g. an alert's window (`Lines`
    /// charts only).
    pub spans: Vec<(String, f64, f64)>,
    /// Lines drawn against a second axis on the right (`Lines` charts only).
    pub secondary: Option<Secondary>,
    /// Where the numbers came from ("crypto_tweets.parquet, crypto_prices.parquet"), printed
    /// at the foot of an exported image.
    pub source: Option<String>,
    /// A unit of x as long as a unit of y (a pitch's location over the plate) on screen.
    pub equal_scale: bool,
}

/// Which lines of a `Lines` chart are read on a right-hand axis, and its name.
#[derive(Clone, Debug, PartialEq)]
pub struct Secondary {
    pub label: String,
    pub lines: Vec<usize>,
}

/// How the right-hand axis lies over the left one: left = offset + scale × right, scale > 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AxisMap {
    pub scale: f64,
    pub offset: f64,
}

impl AxisMap {
    pub(crate) fn to_primary(self, v: f64) -> f64 {
        self.offset + self.scale * v
    }

    pub fn to_secondary(self, v: f64) -> f64 {
        (v - self.offset) / self.scale
    }
}

/// The finite y range of `lines`' points.
fn y_extent<'a>(lines: impl Iterator<Item = &'a Line>) -> Option<(f64, f64)> {
    let (lo, hi) = lines
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .filter(|y| y.is_finite())
        .fold((f64::MAX, f64::MIN), |(a, b), y| (a.min(y), b.max(y)));
    (lo <= hi).then_some((lo, hi))
}

impl Chart {
    /// A chart of any kind, without markers, bands or spans.
    pub fn new(
        title: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
        data: ChartData,
    ) -> Self {
        Self {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            data,
            markers: Vec::new(),
            bands: Vec::new(),
            x_dates: false,
            x_whole: false,
            spans: Vec::new(),
            secondary: None,
            source: None,
            equal_scale: false,
        }
    }

    /// The same chart drawn with x and y to one scale on screen.
    pub fn equal_scale(mut self) -> Self {
        self.equal_scale = true;
        self
    }

    /// The same chart with a note of its data's source.
    pub fn with_source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The same chart with lines `lines` read on a right-hand axis named `label`.
    pub(crate) fn with_secondary(mut self, label: impl Into<String>, lines: Vec<usize>) -> Self {
        self.secondary = Some(Secondary {
            label: label.into(),
            lines,
        });
        self
    }

    /// Where the right-hand axis lies: the secondary lines' range drawn over the primary
    /// lines' range, so both fill the height. None without a secondary axis.
    pub fn secondary_map(&self) -> Option<AxisMap> {
        let (Some(secondary), ChartData::Lines { lines, .. }) = (&self.secondary, &self.data)
        else {
            return None;
        };
        let on_right = |k: &usize| secondary.lines.contains(k);
        let primary = y_extent(
            lines
                .iter()
                .enumerate()
                .filter(|(k, _)| !on_right(k))
                .map(|(_, l)| l),
        )?;
        let right = y_extent(
            lines
                .iter()
                .enumerate()
                .filter(|(k, _)| on_right(k))
                .map(|(_, l)| l),
        )?;
        let span = |(lo, hi): (f64, f64)| if hi > lo { hi - lo } else { 1.0 };
        let scale = span(primary) / span(right);
        Some(AxisMap {
            scale,
            offset: primary.0 - scale * right.0,
        })
    }

    /// The lines as drawn: those on the right-hand axis carried into the left axis's units.
    /// Borrowed as they are when there is no right-hand axis (the screen asks every frame).
    pub fn drawn_lines(&self) -> std::borrow::Cow<'_, [Line]> {
        let ChartData::Lines { lines, .. } = &self.data else {
            return std::borrow::Cow::Borrowed(&[]);
        };
        let (Some(map), Some(secondary)) = (self.secondary_map(), &self.secondary) else {
            return std::borrow::Cow::Borrowed(lines);
        };
        lines
            .iter()
            .enumerate()
            .map(|(k, l)| {
                if secondary.lines.contains(&k) {
                    Line {
                        points: l
                            .points
                            .iter()
                            .map(|&(x, y)| (x, map.to_primary(y)))
                            .collect(),
                        ..l.clone()
                    }
                } else {
                    l.clone()
                }
            })
            .collect()
    }

    /// A heat map of `values` (row-major, one row per label in `rows`).
    pub fn heatmap(
        title: impl Into<String>,
        x_label: &str,
        value_label: &str,
        rows: Vec<String>,
        columns: Vec<String>,
        values: Vec<f64>,
    ) -> Self {
        Self::new(
            title,
            x_label,
            value_label,
            ChartData::Heatmap {
                rows,
                columns,
                values,
            },
        )
    }

    /// The same chart with a shaded x range.
    pub fn with_span(mut self, label: impl Into<String>, from: f64, to: f64) -> Self {
        self.spans.push((label.into(), from, to));
        self
    }

    /// A histogram; its title says how many non-finite values were left out, if any.
    pub fn histogram(title: impl Into<String>, column: &str, h: Histogram) -> Self {
        let mut title = title.into();
        if let Some(note) = h.left_out_note() {
            title = format!("{title} {note}");
        }
        Self::new(title, column, "count", ChartData::Histogram(h))
    }

    pub fn top_values(title: impl Into<String>, column: &str, t: &TopValues) -> Self {
        Self::new(
            title,
            column,
            "count",
            ChartData::Bars {
                labels: t.values.iter().map(|(v, _)| v.clone()).collect(),
                values: t.values.iter().map(|(_, c)| *c as f64).collect(),
            },
        )
    }

    /// One bar per label (values may be negative).
    pub fn bars(
        title: impl Into<String>,
        x_label: &str,
        labels: Vec<String>,
        values: Vec<f64>,
    ) -> Self {
        Self::new(title, x_label, "value", ChartData::Bars { labels, values })
    }

    /// A chart of lines.
    pub fn lines(
        title: impl Into<String>,
        x_label: &str,
        y_label: &str,
        lines: Vec<Line>,
        segments: Vec<[(f64, f64); 2]>,
    ) -> Self {
        Self::new(
            title,
            x_label,
            y_label,
            ChartData::Lines { lines, segments },
        )
    }

    /// The same chart with a labelled vertical line at `x`.
    pub(crate) fn with_marker(mut self, label: impl Into<String>, x: f64) -> Self {
        self.markers.push((label.into(), x));
        self
    }

    /// The same chart with a shaded interval.
    pub(crate) fn with_band(mut self, band: Band) -> Self {
        self.bands.push(band);
        self
    }

    /// The same chart with x read as days since 1970-01-01.
    pub fn dated(mut self) -> Self {
        self.x_dates = true;
        self
    }

    /// Tick the x axis at whole numbers only (see `x_whole`).
    pub(crate) fn whole_x(mut self) -> Self {
        self.x_whole = true;
        self
    }

    /// The chart's numbers as a table, for CSV/Parquet export.
    pub(crate) fn to_frame(&self) -> PolarsResult<DataFrame> {
        match &self.data {
            ChartData::Histogram(h) => {
                let n = h.counts.len();
                DataFrame::new_infer_height(vec![
                    Column::new("bin_start".into(), &h.edges[..n]),
                    Column::new("bin_end".into(), &h.edges[1..]),
                    Column::new("count".into(), &h.counts),
                ])
            }
            ChartData::Bars { labels, values } => {
                let y = self.y_label.as_str().into();
                // Counts stay integers in the CSV.
                let y = if values.iter().all(|v| v.fract() == 0.0 && v.abs() < 9e15) {
                    Column::new(y, values.iter().map(|&v| v as i64).collect::<Vec<_>>())
                } else {
                    Column::new(y, values)
                };
                DataFrame::new_infer_height(vec![
                    Column::new(self.x_label.as_str().into(), labels),
                    y,
                ])
            }
            ChartData::Boxes { labels, boxes } => {
                let y = &self.y_label;
                let stat = |f: fn(&BoxStats) -> f64| boxes.iter().map(f).collect::<Vec<f64>>();
                DataFrame::new_infer_height(vec![
                    Column::new(self.x_label.as_str().into(), labels),
                    Column::new(
                        "n".into(),
                        boxes.iter().map(|b| b.n as u64).collect::<Vec<_>>(),
                    ),
                    Column::new(format!("{y} low whisker").into(), stat(|b| b.low)),
                    Column::new(format!("{y} q1").into(), stat(|b| b.q1)),
                    Column::new(format!("{y} median").into(), stat(|b| b.median)),
                    Column::new(format!("{y} q3").into(), stat(|b| b.q3)),
                    Column::new(format!("{y} high whisker").into(), stat(|b| b.high)),
                    Column::new(
                        "outliers".into(),
                        boxes.iter().map(|b| b.outliers as u64).collect::<Vec<_>>(),
                    ),
                ])
            }
            ChartData::Map { shapes, points, .. } => {
                // The shapes' vertices and the points, each tagged with its layer.
                let mut layer = Vec::new();
                let (mut x, mut y) = (Vec::new(), Vec::new());
                for (i, s) in shapes.iter().enumerate() {
                    for &(px, py) in &s.ring {
                        layer.push(format!("shape {i}"));
                        x.push(px);
                        y.push(py);
                    }
                }
                for &(px, py) in points {
                    layer.push("point".to_owned());
                    x.push(px);
                    y.push(py);
                }
                DataFrame::new_infer_height(vec![
                    Column::new("layer".into(), layer),
                    Column::new(self.x_label.as_str().into(), x),
                    Column::new(self.y_label.as_str().into(), y),
                ])
            }
            ChartData::Heatmap {
                rows,
                columns,
                values,
            } => {
                // Long form: one row per cell with a value.
                let (mut r, mut c, mut v) = (Vec::new(), Vec::new(), Vec::new());
                for (i, row) in rows.iter().enumerate() {
                    for (j, col) in columns.iter().enumerate() {
                        let x = values
                            .get(i * columns.len() + j)
                            .copied()
                            .unwrap_or(f64::NAN);
                        if x.is_finite() {
                            r.push(row.clone());
                            c.push(col.clone());
                            v.push(x);
                        }
                    }
                }
                DataFrame::new_infer_height(vec![
                    Column::new("row".into(), r),
                    Column::new(self.x_label.as_str().into(), c),
                    Column::new(self.y_label.as_str().into(), v),
                ])
            }
            ChartData::Lines { lines, .. } => {
                let n: usize = lines.iter().map(|l| l.points.len()).sum();
                let mut name = Vec::with_capacity(n);
                let (mut x, mut y) = (Vec::with_capacity(n), Vec::with_capacity(n));
                for l in lines {
                    for &(px, py) in &l.points {
                        name.push(l.name.clone());
                        x.push(px);
                        y.push(py);
                    }
                }
                // A band is two more lines: "<name> lower" and "<name> upper".
                for b in &self.bands {
                    for (suffix, pick) in [("lower", 1), ("upper", 2)] {
                        for &(px, lo, hi) in &b.points {
                            name.push(format!("{} {suffix}", b.name));
                            x.push(px);
                            y.push(if pick == 1 { lo } else { hi });
                        }
                    }
                }
                let x = Column::new(self.x_label.as_str().into(), x);
                let x = if self.x_dates {
                    let days: Vec<i32> = x.f64()?.into_no_null_iter().map(|d| d as i32).collect();
                    Column::new(self.x_label.as_str().into(), days).cast(&DataType::Date)?
                } else {
                    x
                };
                DataFrame::new_infer_height(vec![
                    Column::new("line".into(), name),
                    x,
                    Column::new(self.y_label.as_str().into(), y),
                ])
            }
        }
    }
}

/// The finite values' range (0..1 when there are none).
pub fn value_range(values: &[f64]) -> (f64, f64) {
    let (lo, hi) = values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
    if lo > hi { (0.0, 1.0) } else { (lo, hi) }
}

/// Where `v` sits on the colour ramp between `lo` and `hi`.
pub fn ramp_position(v: f64, lo: f64, hi: f64) -> f64 {
    if hi > lo { (v - lo) / (hi - lo) } else { 1.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_right_hand_axis_spans_the_left_ones_height() {
        let chart = Chart::lines(
            "price and sentiment",
            "time",
            "price",
            vec![
                Line::new("price", vec![(0.0, 100.0), (1.0, 200.0)]),
                Line::new("sentiment", vec![(0.0, -0.5), (1.0, 0.5)]),
            ],
            Vec::new(),
        )
        .with_secondary("sentiment", vec![1]);
        let map = chart.secondary_map().unwrap();
        assert_eq!((map.to_primary(-0.5), map.to_primary(0.5)), (100.0, 200.0));
        assert!((map.to_secondary(150.0) - 0.0).abs() < 1e-12);
        let drawn = chart.drawn_lines();
        assert_eq!(drawn[1].points, vec![(0.0, 100.0), (1.0, 200.0)]);
        assert_eq!(
            drawn[0],
            Line::new("price", vec![(0.0, 100.0), (1.0, 200.0)])
        );
        let plain = Chart::lines(
            "p",
            "t",
            "v",
            vec![Line::new("a", vec![(0.0, 1.0)])],
            Vec::new(),
        );
        assert!(plain.secondary_map().is_none());
    }
}

#[cfg(test)]
mod map_frame_tests {
    use super::*;

    #[test]
    fn a_map_frames_the_bulk_and_counts_what_it_left_out() {
        // 1,000 points around New York and 3 at (0, 0), as real taxi data has.
        let mut points: Vec<(f64, f64)> = (0..1000)
            .map(|i| {
                let t = i as f64 / 1000.0;
                (-74.2 + 0.5 * t, 40.5 + 0.4 * ((t * 37.0).sin() * 0.5 + 0.5))
            })
            .collect();
        points.extend([(0.0, 0.0); 3]);
        let cell_at_zero = MapShape {
            ring: vec![(-0.01, -0.01), (0.01, -0.01), (0.0, 0.01)],
            fill: None,
        };
        let borough = MapShape {
            ring: vec![(-74.3, 40.4), (-73.6, 40.4), (-73.6, 41.0), (-74.3, 41.0)],
            fill: None,
        };
        let f = map_frame(&[borough, cell_at_zero], &points).unwrap();
        assert_eq!(f.left_out_points, 3);
        assert_eq!(f.left_out_shapes, 1);
        assert_eq!(f.bbox, [-74.3, 40.4, -73.6, 41.0]);
        // Points alone: their own bulk.
        let f = map_frame(&[], &points).unwrap();
        assert!(f.bbox[0] >= -74.2 && f.bbox[2] <= -73.7, "{:?}", f.bbox);
        assert_eq!(f.left_out_points, 3);
        assert!(map_frame(&[], &[(f64::NAN, 1.0)]).is_none());
    }
}
