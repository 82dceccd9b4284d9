//! Chart rendering with plotters: the same drawing code targets a bitmap (encoded as PNG) and
//! an SVG string. Text uses the Ubuntu font that egui ships, so output does not depend on the
//! fonts installed on the machine.

use std::sync::Once;

use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordusize};
use plotters::prelude::*;

use crate::chart::{Chart, ChartData, Mark};
use crate::theme::ChartColors;

const FONT: &str = "sans-serif";

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are a known-good TTF bundled by egui; failure would leave text unrendered.
        let _ = plotters::style::register_font(
            FONT,
            FontStyle::Normal,
            epaint_default_fonts::UBUNTU_LIGHT,
        );
    });
}

pub(super) fn png(chart: &Chart, size: (u32, u32)) -> Result<Vec<u8>, String> {
    png_of(size, |root| draw(chart, root))
}

pub(super) fn svg(chart: &Chart, size: (u32, u32)) -> Result<String, String> {
    svg_of(size, |root| draw(chart, root))
}

/// A PNG of `(w, h)` pixels painted by `paint`.
fn png_of(
    (w, h): (u32, u32),
    paint: impl FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>) -> Result<(), String>,
) -> Result<Vec<u8>, String> {
    register_font();
    let mut buf = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        paint(&root)?;
        root.present().map_err(|e| e.to_string())?;
    }
    let mut out = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut out),
        &buf,
        w,
        h,
        image::ExtendedColorType::Rgb8,
    )
    .map_err(|e| e.to_string())?;
    Ok(out)
}

/// An SVG of `size` painted by `paint`.
fn svg_of(
    size: (u32, u32),
    paint: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), String>,
) -> Result<String, String> {
    register_font();
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, size).into_drawing_area();
        paint(&root)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(text)
}

/// Columns and rows of a grid of `n` charts: up to three across.
fn grid(n: usize) -> (usize, usize) {
    let cols = n.clamp(1, 3);
    (cols, n.div_ceil(cols))
}

/// Several charts in a grid, each `cell` pixels (scaled down so the image stays under
/// 3,000 pixels wide).
fn draw_grid<DB: DrawingBackend>(
    charts: &[Chart],
    root: &DrawingArea<DB, Shift>,
) -> Result<(), String> {
    let (cols, rows) = grid(charts.len());
    let [r, g, b] = ChartColors::LIGHT.background;
    root.fill(&RGBColor(r, g, b)).map_err(|e| e.to_string())?;
    let cells = root.split_evenly((rows, cols));
    for (chart, cell) in charts.iter().zip(cells.iter()) {
        draw(chart, cell)?;
    }
    Ok(())
}

fn grid_size(n: usize, (w, h): (u32, u32)) -> (u32, u32) {
    let (cols, rows) = grid(n);
    // Cells of two thirds of a single chart, readable side by side.
    let (cw, ch) = (w * 2 / 3, h * 2 / 3);
    (cw * cols as u32, ch * rows as u32)
}

pub(super) fn png_grid(charts: &[Chart], cell: (u32, u32)) -> Result<Vec<u8>, String> {
    png_of(grid_size(charts.len(), cell), |root| {
        draw_grid(charts, root)
    })
}

pub(super) fn svg_grid(charts: &[Chart], cell: (u32, u32)) -> Result<String, String> {
    svg_of(grid_size(charts.len(), cell), |root| {
        draw_grid(charts, root)
    })
}

/// The legend box: the series' labels on a translucent white background.
fn legend<'a, DB, CT>(c: &mut ChartContext<'a, DB, CT>, border: RGBColor) -> Result<(), String>
where
    DB: DrawingBackend + 'a,
    CT: CoordTranslate,
{
    c.configure_series_labels()
        .label_font((FONT, 16))
        .background_style(WHITE.mix(0.8))
        .border_style(border)
        .draw()
        .map_err(|err| err.to_string())
}

fn draw<DB: DrawingBackend>(chart: &Chart, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
    // Lines spanning more than f64 holds (1e308 to -1e308) hung plotters' tick search: drawn
    // in units of a power of ten instead, said on the axis.
    let rescaled = rescaled_lines(chart);
    let chart = rescaled.as_ref().unwrap_or(chart);
    let e = |err: DrawingAreaErrorKind<DB::ErrorType>| err.to_string();
    let colors = ChartColors::LIGHT;
    let rgb = |c: [u8; 3]| RGBColor(c[0], c[1], c[2]);
    root.fill(&rgb(colors.background)).map_err(e)?;
    // Where the numbers came from, in small grey type at the foot of the image.
    if let Some(source) = &chart.source {
        let (_, h) = root.dim_in_pixel();
        let font = (FONT, 13).into_font().color(&rgb(crate::theme::GUIDE));
        root.draw(&Text::new(
            format!("Data: {source}"),
            (8, h as i32 - 18),
            font,
        ))
        .map_err(e)?;
    }
    match &chart.data {
        ChartData::Histogram(h) => {
            let (x0, x1) = (h.edges[0], *h.edges.last().unwrap_or(&h.edges[0]));
            // Coordinates divided by `k` (1 unless the range's span overflows), ticks multiplied
            // back: plotters cannot tick -1e308..1e308.
            let k = span_scale(x0, x1);
            let ymax = h.counts.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.05;
            let mut c = ChartBuilder::on(root)
                .caption(&chart.title, (FONT, 26))
                .margin(20)
                .x_label_area_size(50)
                .y_label_area_size(80)
                .build_cartesian_2d(x0 / k..x1 / k, 0f64..ymax)
                .map_err(e)?;
            c.configure_mesh()
                .x_desc(&chart.x_label)
                .y_desc(&chart.y_label)
                .label_style((FONT, 16))
                .axis_desc_style((FONT, 18))
                .bold_line_style(rgb(colors.grid))
                .light_line_style(rgb(colors.background))
                .x_label_formatter(&|v| axis_number(v * k))
                // Counts: whole ticks only (a tall bar of 1 would otherwise tick 0.1, 0.2 ...).
                .y_labels(((ymax.floor() as usize) + 1).clamp(2, 10))
                .y_label_formatter(&|v| {
                    if v.fract().abs() < 1e-9 {
                        format!("{v:.0}")
                    } else {
                        String::new()
                    }
                })
                .draw()
                .map_err(e)?;
            let fill = rgb(colors.bar).filled();
            c.draw_series(h.counts.iter().enumerate().map(|(i, &n)| {
                Rectangle::new(
                    [(h.edges[i] / k, 0.0), (h.edges[i + 1] / k, n as f64)],
                    fill,
                )
            }))
            .map_err(e)?;
            c.draw_series(h.counts.iter().enumerate().map(|(i, &n)| {
                Rectangle::new(
                    [(h.edges[i] / k, 0.0), (h.edges[i + 1] / k, n as f64)],
                    rgb(colors.bar_outline).stroke_width(1),
                )
            }))
            .map_err(e)?;
            for (label, x) in &chart.markers {
                let style = rgb(colors.accent).stroke_width(2);
                c.draw_series(std::iter::once(PathElement::new(
                    vec![(*x / k, 0.0), (*x / k, ymax)],
                    style,
                )))
                .map_err(e)?
                .label(label.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
            }
            if !chart.markers.is_empty() {
                legend(&mut c, rgb(colors.grid))?;
            }
        }
        ChartData::Bars { labels, values } => {
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
        }
        ChartData::Boxes { labels, boxes } => {
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
        }
        ChartData::Map {
            shapes,
            points,
            point_colours,
            legend,
        } => {
            // The one framing rule of maps (`chart::map_frame`: far-off points and cells, e.g.
            // at 0,0, left out and counted, the count said under the legend).
            let frame = crate::chart::map_frame(shapes, points);
            let note = frame.filter(|f| f.left_out_points > 0).map(|f| {
                format!(
                    "{} far from the rest (e.g. at 0, 0) not shown",
                    crate::format::count_of(f.left_out_points, "point")
                )
            });
            // The legend of the fills goes in a column right of the map, as a lines legend does.
            let (full_w, _) = root.dim_in_pixel();
            let legend_w = if legend.is_empty() && note.is_none() {
                0
            } else {
                let longest = legend
                    .iter()
                    .map(|(l, _)| l.chars().count())
                    .chain(note.as_ref().map(|n| n.chars().count() * 14 / 15))
                    .max()
                    .unwrap_or(0);
                (44 + 8 * longest as u32).min(360)
            };
            let (map_area, legend_area) =
                root.split_horizontally(full_w.saturating_sub(legend_w).max(full_w / 2));
            if !legend.is_empty() {
                let font = (FONT, 15).into_font().color(&BLACK);
                for (k, (label, fill)) in legend.iter().enumerate() {
                    let y = 64 + 22 * k as i32;
                    legend_area
                        .draw(&Rectangle::new(
                            [(6, y - 7), (28, y + 7)],
                            rgb(*fill).mix(0.85).filled(),
                        ))
                        .map_err(e)?;
                    legend_area
                        .draw(&Text::new(label.clone(), (34, y - 8), font.clone()))
                        .map_err(e)?;
                }
            }
            if let Some(note) = note {
                let font = (FONT, 14).into_font().color(&RGBColor(90, 90, 90));
                let y = 64 + 22 * legend.len() as i32;
                legend_area
                    .draw(&Text::new(note, (6, y), font))
                    .map_err(e)?;
            }
            let root = &map_area;
            // Widened so that a kilometre is as long across as up at the map's latitude.
            let [mut x0, mut y0, mut x1, mut y1] = frame.map_or([0.0, 0.0, 1.0, 1.0], |f| f.bbox);
            let squash = ((y0 + y1) / 2.0).to_radians().cos().max(0.1);
            let (w, h) = root.dim_in_pixel();
            let want =
                f64::from(w.saturating_sub(140).max(1)) / f64::from(h.saturating_sub(110).max(1));
            let (dx, dy) = ((x1 - x0) * squash, y1 - y0);
            if dx / dy.max(1e-12) < want {
                let grow = (dy * want / squash - (x1 - x0)) / 2.0;
                (x0, x1) = (x0 - grow, x1 + grow);
            } else {
                let grow = (dx / want - dy) / 2.0;
                (y0, y1) = (y0 - grow, y1 + grow);
            }
            let points: Vec<((f64, f64), [u8; 3])> = points
                .iter()
                .enumerate()
                .map(|(k, &p)| (p, point_colours.get(k).copied().unwrap_or(colors.accent)))
                .filter(|&((x, y), _)| x >= x0 && x <= x1 && y >= y0 && y <= y1)
                .collect();
            let mut c = ChartBuilder::on(root)
                .caption(&chart.title, (FONT, 26))
                .margin(20)
                .x_label_area_size(50)
                .y_label_area_size(80)
                .build_cartesian_2d(x0..x1.max(x0 + 1e-9), y0..y1.max(y0 + 1e-9))
                .map_err(e)?;
            c.configure_mesh()
                .x_desc(&chart.x_label)
                .y_desc(&chart.y_label)
                .label_style((FONT, 16))
                .axis_desc_style((FONT, 18))
                .disable_mesh()
                .draw()
                .map_err(e)?;
            // Shapes wholly outside the frame (a cell around points at 0,0) are not drawn.
            let inside = |&(x, y): &(f64, f64)| x >= x0 && x <= x1 && y >= y0 && y <= y1;
            for s in shapes.iter().filter(|s| s.ring.iter().any(inside)) {
                if let Some(f) = s.fill {
                    c.draw_series(std::iter::once(Polygon::new(
                        s.ring.clone(),
                        rgb(f).mix(0.85).filled(),
                    )))
                    .map_err(e)?;
                }
                c.draw_series(std::iter::once(PathElement::new(
                    s.ring.clone(),
                    rgb(crate::theme::GUIDE).stroke_width(1),
                )))
                .map_err(e)?;
            }
            // Points small and see-through, so the fills under them still read.
            c.draw_series(
                points
                    .iter()
                    .map(|&(p, colour)| Circle::new(p, 1, rgb(colour).mix(0.45).filled())),
            )
            .map_err(e)?;
        }
        ChartData::Heatmap {
            rows,
            columns,
            values,
        } => {
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
        }
        ChartData::Lines { segments, .. } => {
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
            let mut c = ChartBuilder::on(&plot_area)
                .caption(&chart.title, (FONT, 26))
                .margin(20)
                .x_label_area_size(50)
                .y_label_area_size(80)
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
            c.configure_mesh()
                .x_desc(&chart.x_label)
                .y_desc(&chart.y_label)
                .label_style((FONT, 16))
                .axis_desc_style((FONT, 18))
                .bold_line_style(rgb(colors.grid))
                .light_line_style(rgb(colors.background))
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
                    f64::from(width.saturating_sub(legend_width + 120).max(1))
                        / (x1 - x0).max(1e-12),
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
        }
    }
    Ok(())
}

/// A lines chart's legend as a column of swatches and names (in the order the screen's legend
/// row uses: lines and points, bands, markers, spans).
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

/// A chart of categories (bars, boxes) with its mesh drawn: one segment per label, named.
/// A value axis plotters can lay out: finite, increasing, and a span that is itself finite.
/// Values from -1e308 to 1e308 span infinity, and plotters' tick search then never ended (a bar
/// or box chart of them hung the export); such a range is cut to ±1e307, non-finite ends to the
/// other end's neighbourhood.
fn drawable_range(lo: f64, hi: f64) -> (f64, f64) {
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
    let colors = ChartColors::LIGHT;
    let rgb = |c: [u8; 3]| RGBColor(c[0], c[1], c[2]);
    let n = labels.len().max(1);
    let (ymin, ymax) = drawable_range(ymin, ymax);
    let mut c = ChartBuilder::on(root)
        .caption(&chart.title, (FONT, 26))
        .margin(20)
        .x_label_area_size(60)
        .y_label_area_size(80)
        // plotters' integer ranges are inclusive: 0..n-1 gives n segments (a range
        // of one point would divide by zero, so one bar keeps an empty neighbour).
        .build_cartesian_2d((0..(n - 1).max(1)).into_segmented(), ymin..ymax)
        .map_err(e)?;
    c.configure_mesh()
        .x_desc(&chart.x_label)
        .y_desc(&chart.y_label)
        .x_labels(n)
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .label_style((FONT, 16))
        .axis_desc_style((FONT, 18))
        .bold_line_style(rgb(colors.grid))
        .light_line_style(rgb(colors.background))
        .y_label_formatter(&|v| crate::format::short(*v))
        .disable_x_mesh()
        .draw()
        .map_err(e)?;
    Ok(c)
}

/// Where the x axis is labelled: on a date axis of more than two months, the first day of
/// months (or of years, past three years), thinned to at most `count`, as the screen labels
/// them; elsewhere plotters' own round numbers.
fn x_ticks(chart: &Chart, x0: f64, x1: f64, count: usize) -> Vec<f64> {
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

fn legend_column<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let ChartData::Lines { lines, .. } = &chart.data else {
        return Ok(());
    };
    let rgb = |c: [u8; 3]| RGBColor(c[0], c[1], c[2]);
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
fn rescaled_lines(chart: &Chart) -> Option<Chart> {
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

/// 1, or a power of ten that brings a range whose span overflows f64 back into range.
fn span_scale(lo: f64, hi: f64) -> f64 {
    let span = hi - lo;
    if span.is_finite() && span < 1e300 {
        1.0
    } else {
        10f64.powi(lo.abs().max(hi.abs()).log10().floor() as i32 - 3)
    }
}

/// An axis tick: short, without trailing zeros ("0.1", not "0.100").
fn axis_number(v: f64) -> String {
    // Whole numbers from ten thousand on read with separators ("72,000"), as on screen; years
    // and small counts stay as they are.
    if v == v.trunc() && (1e4..1e15).contains(&v.abs()) {
        let sign = if v < 0.0 { "-" } else { "" };
        return format!("{sign}{}", crate::format::whole(v.abs() as usize));
    }
    let s = crate::format::short(v);
    if s.contains('.') && !s.contains('e') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {

    /// Bars of -1e308 and 1e308 span an infinite range: the export draws them (cut to the
    /// axis) instead of searching for ticks forever.
    #[test]
    fn bars_spanning_the_whole_float_range_are_drawn() {
        let chart = Chart::new(
            "huge",
            "g",
            "v",
            crate::chart::ChartData::Bars {
                labels: vec!["a".into(), "b".into(), "c".into()],
                values: vec![-1e308, 1e308, 5.0],
            },
        );
        assert!(png(&chart, (400, 300)).is_ok_and(|b| !b.is_empty()));
        assert!(svg(&chart, (400, 300)).is_ok_and(|s| s.contains("<svg")));
        assert_eq!(
            drawable_range(f64::NEG_INFINITY, f64::INFINITY),
            (-1e307, 1e307)
        );
        let (lo, hi) = drawable_range(1e308, 1e308);
        assert!(lo < hi && hi.is_finite(), "{lo} {hi}");
    }

    use super::*;

    #[test]
    fn date_axes_are_ticked_at_month_starts_and_big_numbers_grouped() {
        // 2016-10-20 to 2017-12-31 in days since 1970.
        let (x0, x1) = (17_094.0, 17_531.0);
        let chart = Chart::lines("t", "date", "y", Vec::new(), Vec::new()).dated();
        let ticks = x_ticks(&chart, x0, x1, 7);
        assert!(!ticks.is_empty() && ticks.len() <= 7, "{ticks:?}");
        for t in &ticks {
            assert!(
                crate::format::date(*t).ends_with("-01"),
                "{}",
                crate::format::date(*t)
            );
        }
        // Not dates: round numbers, as plotters places them.
        let plain = Chart::lines("t", "x", "y", Vec::new(), Vec::new());
        let round = x_ticks(&plain, 0.0, 100.0, 7);
        assert!(round.iter().any(|t| (t - 40.0).abs() < 1e-9), "{round:?}");
        // Whole x values (epochs 1 to 3): whole ticks only.
        let epochs = Chart::lines(
            "t",
            "epoch",
            "loss",
            vec![crate::chart::Line::new(
                "l",
                vec![(1.0, 2.0), (2.0, 1.0), (3.0, 0.5)],
            )],
            Vec::new(),
        )
        .whole_x();
        assert_eq!(x_ticks(&epochs, 1.0, 3.0, 7), [1.0, 2.0, 3.0]);
        assert_eq!(axis_number(72_000.0), "72,000");
        assert_eq!(axis_number(-1_250_000.0), "-1,250,000");
        assert_eq!(axis_number(2017.0), "2017");
        assert_eq!(axis_number(0.25), "0.25");
    }

    #[test]
    fn map_points_are_drawn_in_their_own_colours_with_the_legend() {
        let chart = Chart::new(
            "m",
            "longitude",
            "latitude",
            ChartData::Map {
                shapes: Vec::new(),
                points: vec![(0.0, 0.0), (1.0, 1.0), (0.5, 0.5)],
                point_colours: vec![[1, 2, 3], [200, 100, 50], [1, 2, 3]],
                legend: vec![
                    ("kind: a".into(), [1, 2, 3]),
                    ("kind: b".into(), [200, 100, 50]),
                ],
            },
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.svg");
        crate::export::write_chart(&chart, &path).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(
            svg.contains("#010203") && svg.contains("#C86432"),
            "the points' colours"
        );
        assert!(svg.contains("kind: b"), "the legend");
    }
}
