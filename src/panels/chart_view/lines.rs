//! Lines charts on screen: lines and points, bands, spans, markers, a warping path, dates on
//! the x axis and a right-hand axis, the legend in a row above.

use egui::Color32;
use egui_plot::Plot;

use super::{Swatch, legend_entries, markers, nice_spacer, rgb};
use crate::chart::{Chart, ChartData, Mark};
use crate::theme;

/// Shows the chart's lines in `plot`, with `segments` as thin guides; the plot's response.
pub(super) fn show(
    ui: &mut egui::Ui,
    plot: Plot<'_>,
    chart: &Chart,
    segments: &[[(f64, f64); 2]],
) -> egui_plot::PlotResponse<()> {
    // Lines on a right-hand axis come carried into the left axis's units.
    let lines = chart.drawn_lines();
    let secondary = chart.secondary_map().zip(chart.secondary.clone());
    let on_right: Vec<String> = secondary
        .as_ref()
        .map(|(_, s)| {
            s.lines
                .iter()
                .filter_map(|&k| lines.get(k).map(|l| l.name.clone()))
                .collect()
        })
        .unwrap_or_default();
    let secondary_hover = secondary.as_ref().map(|(map, _)| *map);
    let plot = if chart.x_dates {
        // Ticks at month (or year) starts, named at a granularity that suits the span:
        // "Jan", "Feb" over a year rather than 2017-02-03 at odd days.
        let (lo, hi) = x_range(chart);
        let span = hi - lo;
        let one_year = crate::format::date(lo).get(..4) == crate::format::date(hi).get(..4);
        let plot = if span > 60.0 {
            plot.x_grid_spacer(move |input: egui_plot::GridInput| {
                let (a, b) = input.bounds;
                let years = (b - a) > 1100.0;
                let step = if years { 365.0 } else { 30.0 };
                let starts = crate::format::period_starts(a, b, years);
                // Thin the labels to about one per 72 points.
                let per = ((72.0 * input.base_step_size / 8.0) / step).ceil().max(1.0);
                starts
                    .iter()
                    .enumerate()
                    .map(|(i, &d)| egui_plot::GridMark {
                        value: f64::from(d),
                        step_size: if i as f64 % per == 0.0 {
                            step * per
                        } else {
                            step
                        },
                    })
                    .collect()
            })
        } else {
            plot.x_grid_spacer(nice_spacer(72.0, true))
        };
        plot.x_axis_formatter(move |mark, range| {
            let span = range.end() - range.start();
            crate::format::date_tick(mark.value, span, one_year)
        })
        .label_formatter(move |pos| {
            Some(match pos {
                egui_plot::HoverPosition::NearDataPoint {
                    plot_name,
                    position,
                    ..
                } => format!(
                    "{plot_name}\n{}\n{}",
                    crate::format::date(position.x),
                    crate::format::short(match &secondary_hover {
                        Some(map) if on_right.iter().any(|n| n == plot_name) => {
                            map.to_secondary(position.y)
                        }
                        _ => position.y,
                    })
                ),
                egui_plot::HoverPosition::Elsewhere { position } => format!(
                    "{}\n{}",
                    crate::format::date(position.x),
                    crate::format::short(position.y)
                ),
            })
        })
    } else {
        plot.x_grid_spacer(nice_spacer(72.0, chart.x_whole))
            .x_axis_formatter(|mark, _| crate::format::tick(mark.value, mark.step_size))
    };
    let plot = if chart.equal_scale {
        plot.data_aspect(1.0)
    } else {
        plot
    };
    let plot = match secondary {
        Some((map, s)) => plot.custom_y_axes(vec![
            egui_plot::AxisHints::new_y()
                .label(chart.y_label.clone())
                .formatter(|mark, _| crate::format::tick(mark.value, mark.step_size)),
            egui_plot::AxisHints::new_y()
                .label(s.label)
                .placement(egui_plot::HPlacement::Right)
                .formatter(move |mark, _| {
                    crate::format::tick(map.to_secondary(mark.value), mark.step_size / map.scale)
                }),
        ]),
        None => plot,
    };
    // Observations in the text colour, so they read on dark and light backgrounds.
    let dots = ui.visuals().text_color().gamma_multiply(0.8);
    let ring = ui.visuals().strong_text_color();
    legend_row(ui, chart, dots, ring);
    plot.show(ui, |p| {
        spans(p, chart);
        for band in &chart.bands {
            let c = rgb(crate::chart::line_colour(&lines, band.line));
            let fill = Color32::from_rgba_unmultiplied(c.r(), c.g(), c.b(), 60);
            // egui_plot fills convex polygons only: one quad per step keeps it exact.
            for w in band.points.windows(2) {
                let (a, b) = (w[0], w[1]);
                let quad = vec![[a.0, a.1], [b.0, b.1], [b.0, b.2], [a.0, a.2]];
                p.polygon(
                    egui_plot::Polygon::new(band.name.clone(), quad)
                        .fill_color(fill)
                        .stroke(egui::Stroke::NONE)
                        .allow_hover(false),
                );
            }
        }
        let guide = rgb(theme::GUIDE);
        for seg in segments {
            let pts: Vec<[f64; 2]> = seg.iter().map(|&(x, y)| [x, y]).collect();
            p.line(
                egui_plot::Line::new("warping path", pts)
                    .color(guide)
                    .width(1.0),
            );
        }
        for (k, line) in lines.iter().enumerate() {
            let pts: Vec<[f64; 2]> = line.points.iter().map(|&(x, y)| [x, y]).collect();
            let color = rgb(line.colour(k));
            // Alerts ring the points they flag, in the strong text colour, which no
            // series uses.
            let dot = match line.mark {
                Mark::Line => None,
                Mark::Dots => Some((dots, 1.5, true)),
                Mark::Scatter => Some((color, 2.0, true)),
                Mark::Alert => Some((ring, 5.0, false)),
            };
            if let Some((c, radius, filled)) = dot {
                p.points(
                    egui_plot::Points::new(line.name.clone(), pts)
                        .color(c)
                        .radius(radius)
                        .filled(filled),
                );
                continue;
            }
            // egui_plot merges points that share a pixel column into a filled band;
            // for sparse lines with a steep step (a PR curve) that fills a triangle.
            let dense = pts.len() > 2000;
            p.line(
                egui_plot::Line::new(line.name.clone(), pts)
                    .color(color)
                    .width(2.0)
                    .allow_band(dense),
            );
        }
        markers(p, chart);
    })
}

/// The x extent of a lines chart's points (0..1 when it has none).
fn x_range(chart: &Chart) -> (f64, f64) {
    let ChartData::Lines { lines, .. } = &chart.data else {
        return (0.0, 1.0);
    };
    let xs = lines.iter().flat_map(|l| l.points.iter().map(|p| p.0));
    let (lo, hi) = xs
        .filter(|x| x.is_finite())
        .fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
    if lo > hi { (0.0, 1.0) } else { (lo, hi) }
}

/// A `Lines` chart's legend as a row above the plot (wrapping), so that it never covers the
/// data: lines, points, rings, then bands, markers and spans, each with its swatch.
fn legend_row(ui: &mut egui::Ui, chart: &Chart, dots: Color32, ring: Color32) {
    let ChartData::Lines { lines, segments } = &chart.data else {
        return;
    };
    let mut entries: Vec<(Swatch, &str)> = Vec::new();
    for (k, line) in lines.iter().enumerate() {
        let color = rgb(line.colour(k));
        entries.push(match line.mark {
            Mark::Line => (Swatch::Line(color), line.name.as_str()),
            Mark::Dots => (Swatch::Dot(dots), line.name.as_str()),
            Mark::Scatter => (Swatch::Dot(color), line.name.as_str()),
            Mark::Alert => (Swatch::Ring(ring), line.name.as_str()),
        });
    }
    if !segments.is_empty() {
        entries.push((Swatch::Line(rgb(theme::GUIDE)), "warping path"));
    }
    for band in &chart.bands {
        let c = rgb(crate::chart::line_colour(lines, band.line));
        let fill = Color32::from_rgba_unmultiplied(c.r(), c.g(), c.b(), 90);
        entries.push((Swatch::Fill(fill), band.name.as_str()));
    }
    for (label, _) in &chart.markers {
        entries.push((Swatch::Line(rgb(theme::ACCENT)), label.as_str()));
    }
    let [r, g, b] = theme::ACCENT;
    // A span without a name (a brushed range, described elsewhere) has no entry.
    let named: Vec<&str> = chart
        .spans
        .iter()
        .map(|s| s.0.as_str())
        .filter(|l| !l.is_empty())
        .collect();
    for label in &named {
        let fill = Color32::from_rgba_unmultiplied(r, g, b, 70);
        entries.push((Swatch::Fill(fill), label));
    }
    if entries.len() < 2 && chart.markers.is_empty() && named.is_empty() {
        // One series: the title names it.
        return;
    }
    legend_entries(ui, entries);
}

/// The chart's shaded x ranges, from the bottom to the top of its lines.
fn spans(p: &mut egui_plot::PlotUi<'_>, chart: &Chart) {
    if chart.spans.is_empty() {
        return;
    }
    let ChartData::Lines { lines, .. } = &chart.data else {
        return;
    };
    let ys = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .chain(
            chart
                .bands
                .iter()
                .flat_map(|b| b.points.iter().flat_map(|p| [p.1, p.2])),
        )
        .filter(|y| y.is_finite());
    let (lo, hi) = ys.fold((f64::MAX, f64::MIN), |(a, b), y| (a.min(y), b.max(y)));
    if lo > hi {
        return;
    }
    let [r, g, b] = theme::ACCENT;
    let fill = Color32::from_rgba_unmultiplied(r, g, b, 36);
    for (label, from, to) in &chart.spans {
        p.polygon(
            egui_plot::Polygon::new(
                label.clone(),
                vec![[*from, lo], [*to, lo], [*to, hi], [*from, hi]],
            )
            .fill_color(fill)
            .stroke(egui::Stroke::NONE)
            .allow_hover(false),
        );
    }
}
