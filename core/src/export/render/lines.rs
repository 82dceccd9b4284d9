//! Lines charts: named lines and points, bands, spans, markers, a right-hand axis, and the
//! legend in a column on the right.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::{FONT, axes, axis_number, framed, rgb, span_scale};
use crate::chart::{Chart, ChartData, Mark};
use crate::theme::ChartColors;

/// Draws the lines (after `rescaled_lines`, when their span overflows), with `segments`
/// as thin guides between points (a DTW warping path).
pub(super) fn draw<DB: DrawingBackend>(
    chart: &Chart,
    segments: &[[(f64, f64); 2]],
    root: &DrawingArea<DB, Shift>,
) -> Result<(), String> {
    let e = |err: DrawingAreaErrorKind<DB::ErrorType>| err.to_string();
    let colors = ChartColors::LIGHT;
    // Lines on a right-hand axis come carried into the left axis's units.
    let lines = &chart.drawn_lines();
    let secondary = chart.secondary_map().zip(chart.secondary.as_ref());
    let band_points: Vec<(f64, f64)> = chart
        .bands
        .iter()
        .flat_map(|b| b.points.iter().flat_map(|&(x, lo, hi)| [(x, lo), (x, hi)]))
        .collect();
    let points = lines
        .iter()
        .flat_map(|l| l.points.iter())
        .chain(segments.iter().flatten())
        .chain(band_points.iter())
        .filter(|(x, y)| x.is_finite() && y.is_finite());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in points {
        (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
    }
    if x0 > x1 {
        (x0, x1, y0, y1) = (0.0, 1.0, 0.0, 1.0);
    }
    let pad = ((y1 - y0) * 0.05).max(1e-9);
    // The legend goes in a column right of the plot, so it never covers the data.
    let legend_width = lines_legend_width(chart);
    let (width, _) = root.dim_in_pixel();
    let (plot_area, legend_area) =
        root.split_horizontally(width.saturating_sub(legend_width).max(width / 2));
    // One date label per 120 px at most (dates are wide).
    let x_labels = ((width.saturating_sub(legend_width) / 120) as usize).clamp(2, 10);
    let x_range = x0..x1.max(x0 + 1e-9);
    let x_axis = TickedX {
        inner: x_range.clone().into(),
        ticks: x_ticks(chart, x0, x1, x_labels),
    };
    let (span, one_year) = (
        x1 - x0,
        crate::format::date(x0).get(..4) == crate::format::date(x1).get(..4),
    );
    let mut c = framed(&plot_area, chart, 50)
        .right_y_label_area_size(if secondary.is_some() { 80 } else { 0 })
        .build_cartesian_2d(x_axis, (y0 - pad)..(y1 + pad))
        .map_err(e)?
        // The right-hand axis (the same as the left without one); made before the mesh
        // so that the left axis's labels stay on the left.
        .set_secondary_coord(
            x_range,
            secondary.map_or((y0 - pad)..(y1 + pad), |(map, _)| {
                map.to_secondary(y0 - pad)..map.to_secondary(y1 + pad)
            }),
        );
    axes(&mut c.configure_mesh(), chart, true)
        .x_label_formatter(&|v| {
            if chart.x_dates {
                crate::format::date_tick(*v, span, one_year)
            } else {
                axis_number(*v)
            }
        })
        .y_label_formatter(&|v| axis_number(*v))
        .x_labels(if chart.x_dates { x_labels } else { 10 })
        .draw()
        .map_err(e)?;
    for (label, from, to) in &chart.spans {
        let fill = rgb(colors.accent).mix(0.12).filled();
        c.draw_series(std::iter::once(Rectangle::new(
            [(*from, y0 - pad), (*to, y1 + pad)],
            fill,
        )))
        .map_err(e)?
        .label(label.as_str())
        .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], fill));
    }
    for band in &chart.bands {
        let shade = crate::chart::line_colour(lines, band.line);
        let fill = rgb(shade).mix(0.25).filled();
        let outline: Vec<(f64, f64)> = band
            .points
            .iter()
            .map(|&(x, lo, _)| (x, lo))
            .chain(band.points.iter().rev().map(|&(x, _, hi)| (x, hi)))
            .collect();
        c.draw_series(std::iter::once(Polygon::new(outline, fill)))
            .map_err(e)?
            .label(band.name.as_str())
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], fill));
    }
    let guide = rgb(crate::theme::GUIDE).stroke_width(1);
    c.draw_series(segments.iter().map(|s| PathElement::new(s.to_vec(), guide)))
        .map_err(e)?;
    for (k, line) in lines.iter().enumerate() {
        let palette = line.colour(k);
        let dot = match line.mark {
            Mark::Line => None,
            Mark::Dots => Some((crate::theme::DOTS, 2, true)),
            Mark::Scatter => Some((palette, 2, true)),
            // A ring around the points flagged, as on screen.
            Mark::Alert => Some((crate::theme::DOTS, 5, false)),
        };
        if let Some((color, radius, filled)) = dot {
            let style = if filled {
                rgb(color).filled()
            } else {
                rgb(color).stroke_width(2)
            };
            c.draw_series(line.points.iter().map(|&p| Circle::new(p, radius, style)))
                .map_err(e)?
                .label(line.name.as_str())
                .legend(move |(x, y)| Circle::new((x + 10, y), 3, style));
            continue;
        }
        let style = rgb(palette).stroke_width(2);
        let (_, height) = root.dim_in_pixel();
        let scale = (
            f64::from(width.saturating_sub(legend_width + 120).max(1)) / (x1 - x0).max(1e-12),
            f64::from(height.saturating_sub(140).max(1)) / (y1 - y0 + 2.0 * pad),
        );
        let points = thinned(&line.points, scale);
        // Segment by segment: plotters' wide polyline leaves gaps along flat stretches.
        let segments = points
            .windows(2)
            .filter(|w| w[0].1.is_finite() && w[1].1.is_finite())
            .map(|w| PathElement::new(vec![w[0], w[1]], style));
        c.draw_series(segments)
            .map_err(e)?
            .label(line.name.as_str())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
    }
    for (label, x) in &chart.markers {
        let style = rgb(colors.accent).stroke_width(2);
        c.draw_series(std::iter::once(PathElement::new(
            vec![(*x, y0 - pad), (*x, y1 + pad)],
            style,
        )))
        .map_err(e)?
        .label(label.as_str())
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
    }
    if let Some((_, s)) = secondary {
        c.configure_secondary_axes()
            .y_desc(&s.label)
            .label_style((FONT, 16))
            .axis_desc_style((FONT, 18))
            .y_label_formatter(&|v| axis_number(*v))
            .draw()
            .map_err(e)?;
    }
    if legend_width > 0 {
        legend_column(&legend_area, chart).map_err(e)?;
    }
    Ok(())
}

/// An f64 x axis ticked where `x_ticks` says.
struct TickedX {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ranged for TickedX {
    type ValueType = f64;
    type FormatOption = plotters::coord::ranged1d::DefaultFormatting;

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<H: plotters::coord::ranged1d::KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }
}

/// Where the x axis is labelled: on a date axis of more than two months, the first day of
/// months (or of years, past three years), thinned to at most `count`, as the screen labels
/// them; elsewhere plotters' own round numbers.
pub(super) fn x_ticks(chart: &Chart, x0: f64, x1: f64, count: usize) -> Vec<f64> {
    if chart.x_dates && x1 - x0 > 60.0 {
        let starts = crate::format::period_starts(x0, x1, x1 - x0 > 1100.0);
        let every = starts.len().div_ceil(count.max(1)).max(1);
        return starts
            .iter()
            .step_by(every)
            .map(|&d| f64::from(d))
            .collect();
    }
    let inner: RangedCoordf64 = (x0..x1.max(x0 + 1e-9)).into();
    let ticks = inner.key_points(if chart.x_dates { count } else { 10 });
    if !chart.x_whole {
        return ticks;
    }
    // Whole numbers only: plotters ticks 1..3 at 1.0, 1.2, ...; keep the whole ones, or every
    // whole number in the range when fewer than two are left.
    let whole: Vec<f64> = ticks.iter().copied().filter(|t| t.fract() == 0.0).collect();
    if whole.len() >= 2 {
        return whole;
    }
    let (a, b) = (x0.ceil(), x1.floor());
    (0..=((b - a).max(0.0) as usize).min(count.max(2)))
        .map(|k| a + k as f64)
        .filter(|&t| t <= b)
        .collect()
}

/// A lines chart's legend as a column of swatches and names (in the order the screen's legend
/// row uses: lines and points, bands, markers, spans).
fn legend_column<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let ChartData::Lines { lines, .. } = &chart.data else {
        return Ok(());
    };
    let accent = ChartColors::LIGHT.accent;
    let font = (FONT, 15).into_font().color(&BLACK);
    let mut y = 64;
    let mut row = |swatch: &dyn Fn(i32) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>,
                   name: &str|
     -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        swatch(y)?;
        area.draw(&Text::new(name.to_owned(), (34, y - 8), font.clone()))?;
        y += 22;
        Ok(())
    };
    for (k, line) in lines.iter().enumerate() {
        let palette = rgb(line.colour(k));
        let dots = rgb(crate::theme::DOTS);
        match line.mark {
            Mark::Line => row(
                &|y| {
                    area.draw(&PathElement::new(
                        vec![(6, y), (28, y)],
                        palette.stroke_width(2),
                    ))
                },
                &line.name,
            )?,
            Mark::Dots => row(
                &|y| area.draw(&Circle::new((17, y), 3, dots.filled())),
                &line.name,
            )?,
            Mark::Scatter => row(
                &|y| area.draw(&Circle::new((17, y), 4, palette.filled())),
                &line.name,
            )?,
            Mark::Alert => row(
                &|y| area.draw(&Circle::new((17, y), 5, dots.stroke_width(2))),
                &line.name,
            )?,
        }
    }
    if let ChartData::Lines { segments, .. } = &chart.data
        && !segments.is_empty()
    {
        let guide = rgb(crate::theme::GUIDE);
        row(
            &|y| {
                area.draw(&PathElement::new(
                    vec![(6, y), (28, y)],
                    guide.stroke_width(1),
                ))
            },
            "warping path",
        )?;
    }
    for band in &chart.bands {
        let fill = rgb(crate::chart::line_colour(lines, band.line))
            .mix(0.25)
            .filled();
        row(
            &|y| area.draw(&Rectangle::new([(6, y - 6), (28, y + 6)], fill)),
            &band.name,
        )?;
    }
    for (label, _) in &chart.markers {
        row(
            &|y| {
                area.draw(&PathElement::new(
                    vec![(6, y), (28, y)],
                    rgb(accent).stroke_width(2),
                ))
            },
            label,
        )?;
    }
    for (label, _, _) in &chart.spans {
        let fill = rgb(accent).mix(0.12).filled();
        row(
            &|y| area.draw(&Rectangle::new([(6, y - 6), (28, y + 6)], fill)),
            label,
        )?;
    }
    Ok(())
}

/// Pixels the legend column of a lines chart needs (0 when there is nothing to name): from its
/// longest label, at most 360.
fn lines_legend_width(chart: &Chart) -> u32 {
    let ChartData::Lines { lines, .. } = &chart.data else {
        return 0;
    };
    let names = lines
        .iter()
        .map(|l| l.name.as_str())
        .chain(chart.bands.iter().map(|b| b.name.as_str()))
        .chain(chart.markers.iter().map(|(l, _)| l.as_str()))
        .chain(chart.spans.iter().map(|(l, _, _)| l.as_str()));
    let (count, longest) = names.fold((0, 0), |(n, w), name| (n + 1, w.max(name.chars().count())));
    if count < 2 && chart.markers.is_empty() && chart.spans.is_empty() {
        return 0;
    }
    (40 + 8 * longest as u32).min(360)
}

/// A line with the points closer than 2 pixels to the last one kept left out (the last point
/// always kept): the bitmap backend drops sub-pixel segments of a 2-pixel stroke, so 1,300
/// prices across 500 pixels drew as a broken line. `scale` is pixels per unit in x and y.
fn thinned(points: &[(f64, f64)], scale: (f64, f64)) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(points.len());
    for (i, &p) in points.iter().enumerate() {
        let keep = match out.last() {
            None => true,
            Some(&(x, y)) => {
                let (dx, dy) = ((p.0 - x) * scale.0, (p.1 - y) * scale.1);
                dx * dx + dy * dy >= 4.0
                    || !(dx * dx + dy * dy).is_finite()
                    || i + 1 == points.len()
            }
        };
        if keep {
            out.push(p);
        }
    }
    out
}

/// A lines chart whose x or y values span more than f64 can hold, in units of a power of ten
/// (its axis label says which); None when the chart draws as it is.
pub(super) fn rescaled(chart: &Chart) -> Option<Chart> {
    let ChartData::Lines { lines, segments } = &chart.data else {
        return None;
    };
    let xs = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.0))
        .chain(segments.iter().flatten().map(|p| p.0));
    let ys = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .chain(segments.iter().flatten().map(|p| p.1))
        .chain(
            chart
                .bands
                .iter()
                .flat_map(|b| b.points.iter().flat_map(|p| [p.1, p.2])),
        );
    let extent = |v: &mut dyn Iterator<Item = f64>| {
        v.filter(|x| x.is_finite())
            .fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)))
    };
    let (x0, x1) = extent(&mut { xs });
    let (y0, y1) = extent(&mut { ys });
    let kx = if x0 <= x1 { span_scale(x0, x1) } else { 1.0 };
    let ky = if y0 <= y1 { span_scale(y0, y1) } else { 1.0 };
    // Headroom: the plot pads the range by 5%, which must not overflow either.
    let ky = if ky == 1.0 && (y1 - y0) * 1.1 > f64::MAX / 2.0 {
        10f64.powi(300)
    } else {
        ky
    };
    if kx == 1.0 && ky == 1.0 {
        return None;
    }
    let unit = |k: f64| {
        if k == 1.0 {
            String::new()
        } else {
            format!(" (× 1e{})", k.log10().round())
        }
    };
    let mut out = chart.clone();
    out.x_label = format!("{}{}", chart.x_label, unit(kx));
    out.y_label = format!("{}{}", chart.y_label, unit(ky));
    let scale = |(x, y): (f64, f64)| (x / kx, y / ky);
    out.data = ChartData::Lines {
        lines: lines
            .iter()
            .map(|l| crate::chart::Line {
                points: l.points.iter().copied().map(scale).collect(),
                ..l.clone()
            })
            .collect(),
        segments: segments.iter().map(|s| s.map(scale)).collect(),
    };
    for band in &mut out.bands {
        for p in &mut band.points {
            *p = (p.0 / kx, p.1 / ky, p.2 / ky);
        }
    }
    for (_, x) in &mut out.markers {
        *x /= kx;
    }
    for (_, a, b) in &mut out.spans {
        *a /= kx;
        *b /= kx;
    }
    Some(out)
}
