//! Heatmaps: a grid of values on the sequential ramp, with a colour bar on the right.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{FONT, axis_number};
use crate::chart::Chart;

/// Draws `values` (row by row, NaN left empty) with `rows` down and `columns` across.
pub(super) fn draw<DB: DrawingBackend>(
    chart: &Chart,
    rows: &[String],
    columns: &[String],
    values: &[f64],
    root: &DrawingArea<DB, Shift>,
) -> Result<(), String> {
    let e = |err: DrawingAreaErrorKind<DB::ErrorType>| err.to_string();
    let (nr, nc) = (rows.len().max(1), columns.len().max(1));
    let (lo, hi) = crate::chart::value_range(values);
    // The colour bar goes in a strip right of the grid, never over it.
    let (full_w, _) = root.dim_in_pixel();
    let below_title = root.titled(&chart.title, (FONT, 26)).map_err(e)?;
    let (grid_area, bar_area) = below_title.split_horizontally(full_w.saturating_sub(150));
    // Segmented axes put each label at the centre of its row or column; rows run top
    // to bottom, so row r sits in segment nr - 1 - r.
    let mut c = ChartBuilder::on(&grid_area)
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(90)
        .build_cartesian_2d(
            (0..(nc - 1).max(1)).into_segmented(),
            (0..(nr - 1).max(1)).into_segmented(),
        )
        .map_err(e)?;
    let label = |names: &[String], v: &SegmentValue<usize>, flip: bool| match v {
        SegmentValue::CenterOf(i) => {
            let i = if flip {
                (nr - 1).checked_sub(*i)
            } else {
                Some(*i)
            };
            i.and_then(|i| names.get(i)).cloned().unwrap_or_default()
        }
        _ => String::new(),
    };
    c.configure_mesh()
        .x_desc(&chart.x_label)
        .label_style((FONT, 16))
        .axis_desc_style((FONT, 18))
        .disable_mesh()
        // As many column labels as fit: about 110 pixels for a date.
        .x_labels(nc.min((full_w.saturating_sub(240) / 110).max(2) as usize))
        .y_labels(nr.min(30))
        .x_label_formatter(&|v| label(columns, v, false))
        .y_label_formatter(&|v| label(rows, v, true))
        .draw()
        .map_err(e)?;
    c.draw_series(values.iter().enumerate().filter_map(|(k, &v)| {
        let (r, col) = (k / nc, k % nc);
        v.is_finite().then(|| {
            let y = nr - r - 1;
            let [cr, cg, cb] = crate::theme::ramp(crate::chart::ramp_position(v, lo, hi));
            Rectangle::new(
                [
                    (SegmentValue::Exact(col), SegmentValue::Exact(y)),
                    (SegmentValue::Exact(col + 1), SegmentValue::Exact(y + 1)),
                ],
                RGBColor(cr, cg, cb).filled(),
            )
        })
    }))
    .map_err(e)?;
    colour_bar(&bar_area, &chart.y_label, lo, hi).map_err(e)?;
    Ok(())
}

/// A vertical colour bar: the ramp from `hi` (top) to `lo` (bottom), named and numbered at
/// both ends.
fn colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    name: &str,
    lo: f64,
    hi: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let font = (FONT, 15).into_font().color(&BLACK);
    let (top, height, steps) = (60, 220, 44);
    area.draw(&Text::new(name.to_owned(), (6, top - 36), font.clone()))?;
    for k in 0..steps {
        let t = 1.0 - f64::from(k) / f64::from(steps - 1);
        let [r, g, b] = crate::theme::ramp(t);
        let y = top + k * height / steps;
        area.draw(&Rectangle::new(
            [(6, y), (30, y + height / steps + 1)],
            RGBColor(r, g, b).filled(),
        ))?;
    }
    area.draw(&Text::new(axis_number(hi), (36, top - 6), font.clone()))?;
    area.draw(&Text::new(axis_number(lo), (36, top + height - 10), font))?;
    Ok(())
}
