//! Charts of categories: one bar, or one box, per label.

use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordusize};
use plotters::prelude::*;

use super::{axes, framed, rgb};
use crate::chart::{BoxStats, Chart};
use crate::theme::ChartColors;

/// One bar per label, from zero (or from below zero when a value is negative).
pub(super) fn bars<DB: DrawingBackend>(
    chart: &Chart,
    labels: &[String],
    values: &[f64],
    root: &DrawingArea<DB, Shift>,
) -> Result<(), String> {
    let e = |err: DrawingAreaErrorKind<DB::ErrorType>| err.to_string();
    let colors = ChartColors::LIGHT;
    let top = values.iter().copied().fold(0.0, f64::max);
    let bottom = values.iter().copied().fold(0.0, f64::min);
    let pad = (top - bottom).max(1e-9) * 0.05;
    let (ymin, ymax) = if bottom < 0.0 {
        (bottom - pad, top + pad)
    } else {
        (0.0, top.max(1.0) * 1.05)
    };
    let mut c = category_chart(root, chart, labels, (ymin, ymax))?;
    let fill = rgb(colors.bar).filled();
    c.draw_series(values.iter().enumerate().map(|(i, &v)| {
        let mut bar = Rectangle::new(
            [
                (SegmentValue::Exact(i), 0.0),
                (SegmentValue::Exact(i + 1), v),
            ],
            fill,
        );
        bar.set_margin(0, 0, 8, 8);
        bar
    }))
    .map_err(e)?;
    Ok(())
}

/// One box per label: quartiles, the median drawn thick and Tukey's whiskers.
pub(super) fn boxes<DB: DrawingBackend>(
    chart: &Chart,
    labels: &[String],
    boxes: &[BoxStats],
    root: &DrawingArea<DB, Shift>,
) -> Result<(), String> {
    let e = |err: DrawingAreaErrorKind<DB::ErrorType>| err.to_string();
    let colors = ChartColors::LIGHT;
    let lo = boxes.iter().map(|b| b.low).fold(f64::INFINITY, f64::min);
    let hi = boxes
        .iter()
        .map(|b| b.high)
        .fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        (lo, hi)
    } else {
        (0.0, 1.0)
    };
    let pad = (hi - lo).max(1e-9) * 0.05;
    let mut c = category_chart(root, chart, labels, (lo - pad, hi + pad))?;
    let stroke = rgb(colors.bar).stroke_width(2);
    let fill = rgb(colors.bar).mix(0.25).filled();
    for (i, b) in boxes.iter().enumerate() {
        let mut body = Rectangle::new(
            [
                (SegmentValue::Exact(i), b.q1),
                (SegmentValue::Exact(i + 1), b.q3),
            ],
            fill,
        );
        body.set_margin(0, 0, 14, 14);
        let mut outline = Rectangle::new(
            [
                (SegmentValue::Exact(i), b.q1),
                (SegmentValue::Exact(i + 1), b.q3),
            ],
            stroke,
        );
        outline.set_margin(0, 0, 14, 14);
        c.draw_series([body, outline]).map_err(e)?;
        let mid = SegmentValue::CenterOf(i);
        c.draw_series([
            PathElement::new(vec![(mid.clone(), b.q3), (mid.clone(), b.high)], stroke),
            PathElement::new(vec![(mid.clone(), b.q1), (mid, b.low)], stroke),
        ])
        .map_err(e)?;
        // The median across the box, drawn thick.
        let mut median = Rectangle::new(
            [
                (SegmentValue::Exact(i), b.median),
                (SegmentValue::Exact(i + 1), b.median),
            ],
            rgb(colors.bar).stroke_width(4),
        );
        median.set_margin(0, 0, 14, 14);
        c.draw_series([median]).map_err(e)?;
    }
    Ok(())
}

/// A value axis plotters can lay out: finite, increasing, and a span that is itself finite.
/// Values from -1e308 to 1e308 span infinity, and plotters' tick search then never ended (a bar
/// or box chart of them hung the export); such a range is cut to ±1e307, non-finite ends to the
/// other end's neighbourhood.
pub(super) fn drawable_range(lo: f64, hi: f64) -> (f64, f64) {
    const LIMIT: f64 = 1e307;
    let clamp = |v: f64, fallback: f64| {
        if v.is_nan() {
            fallback
        } else {
            v.clamp(-LIMIT, LIMIT)
        }
    };
    let (lo, hi) = (clamp(lo, 0.0), clamp(hi, 1.0));
    if hi > lo {
        (lo, hi)
    } else {
        let pad = lo.abs().max(1.0) * 0.05;
        (lo.min(hi) - pad, lo.max(hi) + pad)
    }
}
/// A chart of categories (bars, boxes) with its mesh drawn: one segment per label, named.
fn category_chart<'a, DB: DrawingBackend + 'a>(
    root: &'a DrawingArea<DB, Shift>,
    chart: &'a Chart,
    labels: &'a [String],
    (ymin, ymax): (f64, f64),
) -> Result<
    ChartContext<'a, DB, Cartesian2d<SegmentedCoord<RangedCoordusize>, RangedCoordf64>>,
    String,
> {
    let e = |err: DrawingAreaErrorKind<DB::ErrorType>| err.to_string();
    let n = labels.len().max(1);
    let (ymin, ymax) = drawable_range(ymin, ymax);
    let mut c = framed(root, chart, 60)
        // plotters' integer ranges are inclusive: 0..n-1 gives n segments (a range
        // of one point would divide by zero, so one bar keeps an empty neighbour).
        .build_cartesian_2d((0..(n - 1).max(1)).into_segmented(), ymin..ymax)
        .map_err(e)?;
    axes(&mut c.configure_mesh(), chart, true)
        .x_labels(n)
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .y_label_formatter(&|v| crate::format::short(*v))
        .disable_x_mesh()
        .draw()
        .map_err(e)?;
    Ok(c)
}
