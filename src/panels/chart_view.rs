//! Drawing a `Chart` with egui_plot, with hover read-outs. Shared by every panel; the same
//! `Chart` is what the Save buttons (`panels::save`) export.

use egui::Color32;
use egui_plot::{Bar, BarChart, Plot};

use crate::chart::{Chart, ChartData, Mark};
use crate::theme;

fn bar_color() -> Color32 {
    let [r, g, b] = theme::BAR;
    Color32::from_rgb(r, g, b)
}

fn rgb([r, g, b]: [u8; 3]) -> Color32 {
    Color32::from_rgb(r, g, b)
}

/// The chart's vertical markers, in the accent colour.
fn markers(p: &mut egui_plot::PlotUi<'_>, chart: &Chart) {
    for (label, x) in &chart.markers {
        p.vline(
            egui_plot::VLine::new(label.clone(), *x)
                .color(rgb(theme::ACCENT))
                .width(2.0),
        );
    }
}

/// Grid steps of 1, 2 or 5 times a power of ten, the labelled ones at least `min_px` apart.
/// egui_plot's default grid labels powers of ten only, so an axis from 1,700 to 2,800 rpm
/// showed the one number 2,000.
fn nice_spacer(
    min_px: f64,
    whole: bool,
) -> impl Fn(egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    egui_plot::uniform_grid_spacer(move |input: egui_plot::GridInput| {
        // `base_step_size` spans the grid's smallest spacing, 8 points.
        let mut want = input.base_step_size.abs() * min_px / 8.0;
        if whole {
            // Counts: no step below 1 (a count of 2.5 means nothing).
            want = want.max(1.0);
        }
        if !want.is_finite() || want <= 0.0 {
            return [1.0, 1.0, 1.0];
        }
        let power = 10f64.powf(want.log10().floor());
        let lead = [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .find(|m| m * power >= want)
            .unwrap_or(10.0);
        let step = lead * power;
        // Thin lines too close to be labelled, thick ones at the next round number.
        let thin = match lead as u32 {
            2 => step / 4.0,
            _ => step / 5.0,
        };
        let thick = if lead as u32 == 5 {
            step * 2.0
        } else {
            step * 5.0
        };
        [if whole { thin.max(1.0) } else { thin }, step, thick]
    })
}

/// An x axis of categories at 0, 1, 2, ...: marks at whole positions only (every one named
/// when there is room, else every 5th), never between where no label belongs. A name needs
/// about its own width, not egui_plot's default 60-80 points, before it shows.
fn category_axis<'a>(
    plot: egui_plot::Plot<'a>,
    labels: &[String],
    x_label: &str,
) -> egui_plot::Plot<'a> {
    let names = labels.to_vec();
    let widest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1) as f32;
    let room = 7.0 * widest + 12.0;
    let axis = egui_plot::AxisHints::new_x()
        .label(x_label.to_owned())
        .label_spacing(room..=room + 10.0)
        .formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-9 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        });
    plot.x_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 5.0, 10.0]))
        .custom_x_axes(vec![axis])
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

/// Whether the chart's y axis counts things (histograms, top values): its steps are whole.
fn counts(chart: &Chart) -> bool {
    matches!(chart.data, ChartData::Histogram(_)) || chart.y_label == "count"
}

/// How a legend entry's swatch is drawn.
enum Swatch {
    Line(Color32),
    Dot(Color32),
    Ring(Color32),
    Fill(Color32),
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

/// A histogram's legend, above the plot: the bars and its markers (a median), when it has
/// markers to name (otherwise the title names the bars).
fn histogram_legend(ui: &mut egui::Ui, chart: &Chart) {
    if chart.markers.is_empty() {
        return;
    }
    let bars = std::iter::once((Swatch::Fill(bar_color()), chart.title.as_str()));
    let markers = chart
        .markers
        .iter()
        .map(|(l, _)| (Swatch::Line(rgb(theme::ACCENT)), l.as_str()));
    legend_entries(ui, bars.chain(markers).collect());
}

/// Legend entries in a wrapping row: each swatch, then its name in the body text's size and
/// colour (they were small and grey: unreadable on a projector).
fn legend_entries(ui: &mut egui::Ui, entries: Vec<(Swatch, &str)>) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        let text = ui.visuals().text_color();
        for (swatch, name) in entries {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(20.0, 14.0), egui::Sense::hover());
            let painter = ui.painter();
            let c = rect.center();
            match swatch {
                Swatch::Line(color) => {
                    painter.line_segment(
                        [rect.left_center(), rect.right_center()],
                        egui::Stroke::new(3.0, color),
                    );
                }
                Swatch::Dot(color) => {
                    painter.circle_filled(c, 4.0, color);
                }
                Swatch::Ring(color) => {
                    painter.circle_stroke(c, 5.0, egui::Stroke::new(1.5, color));
                }
                Swatch::Fill(color) => {
                    painter.rect_filled(rect.shrink2(egui::vec2(0.0, 1.0)), 2.0, color);
                }
            }
            ui.label(egui::RichText::new(name).color(text));
            ui.add_space(8.0);
        }
    });
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

/// A heat map drawn cell by cell with the painter: row labels on the left, a few column labels
/// below, the value of the cell under the pointer in a tooltip, the ramp's ends in a legend.
fn heatmap(
    ui: &mut egui::Ui,
    chart: &Chart,
    (rows, columns, values): (&[String], &[String], &[f64]),
    height: f32,
) {
    let (lo, hi) = crate::chart::value_range(values);
    let font = egui::FontId::proportional(11.0);
    let text = ui.visuals().text_color();
    let label_w = rows
        .iter()
        .map(|r| r.chars().count())
        .max()
        .unwrap_or(1)
        .clamp(3, 18) as f32
        * 6.5
        + 6.0;
    let (rect, response) = ui.allocate_exact_size(
        egui::vec2(ui.available_width().max(120.0), height),
        egui::Sense::hover(),
    );
    let painter = ui.painter_at(rect);
    let grid = egui::Rect::from_min_max(
        rect.min + egui::vec2(label_w, 4.0),
        rect.max - egui::vec2(4.0, 50.0),
    );
    let (nr, nc) = (rows.len().max(1), columns.len().max(1));
    let cell = egui::vec2(grid.width() / nc as f32, grid.height() / nr as f32);
    let show_values = cell.x >= 30.0 && cell.y >= 14.0;
    for (k, &v) in values.iter().enumerate() {
        if !v.is_finite() {
            continue;
        }
        let (r, c) = (k / nc, k % nc);
        let min = grid.min + egui::vec2(c as f32 * cell.x, r as f32 * cell.y);
        let fill = rgb(theme::ramp(crate::chart::ramp_position(v, lo, hi)));
        let cell_rect = egui::Rect::from_min_size(min, cell);
        painter.rect_filled(cell_rect, 0.0, fill);
        // A small grid (a confusion matrix) carries its numbers, dark on light cells.
        if show_values {
            let [r8, g8, b8] = theme::ramp(crate::chart::ramp_position(v, lo, hi));
            let light =
                0.299 * f32::from(r8) + 0.587 * f32::from(g8) + 0.114 * f32::from(b8) > 150.0;
            painter.text(
                cell_rect.center(),
                egui::Align2::CENTER_CENTER,
                crate::format::readable(v),
                font.clone(),
                if light {
                    egui::Color32::from_gray(20)
                } else {
                    egui::Color32::from_gray(240)
                },
            );
        }
    }
    // Row labels, thinned to what fits.
    let every_row = ((12.0 / cell.y).ceil() as usize).max(1);
    for (r, name) in rows.iter().enumerate().step_by(every_row) {
        painter.text(
            egui::pos2(grid.min.x - 4.0, grid.min.y + (r as f32 + 0.5) * cell.y),
            egui::Align2::RIGHT_CENTER,
            name,
            font.clone(),
            text,
        );
    }
    // Column labels as wide as the longest needs, so short ones (classes 0–9) all show.
    let label_px = columns.iter().map(|c| c.chars().count()).max().unwrap_or(1) as f32 * 6.5 + 14.0;
    let every_col = ((label_px / cell.x).ceil() as usize).max(1);
    for (c, name) in columns.iter().enumerate().step_by(every_col) {
        // A label that would run past the right edge is left out.
        if grid.min.x + (c as f32 + 0.5) * cell.x + label_px / 2.0 > rect.max.x {
            continue;
        }
        painter.text(
            egui::pos2(grid.min.x + (c as f32 + 0.5) * cell.x, grid.max.y + 3.0),
            egui::Align2::CENTER_TOP,
            name,
            font.clone(),
            text,
        );
    }
    // The column axis's title, under its labels; the value's colour scale below it.
    painter.text(
        egui::pos2(grid.center().x, grid.max.y + 17.0),
        egui::Align2::CENTER_TOP,
        &chart.x_label,
        font.clone(),
        text,
    );
    let legend = format!(
        "{}: {} … {}",
        chart.y_label,
        crate::format::readable(lo),
        crate::format::readable(hi)
    );
    let swatch = egui::Rect::from_min_size(
        egui::pos2(grid.min.x, grid.max.y + 35.0),
        egui::vec2(60.0, 10.0),
    );
    for i in 0..12 {
        let w = swatch.width() / 12.0;
        painter.rect_filled(
            egui::Rect::from_min_size(
                swatch.min + egui::vec2(i as f32 * w, 0.0),
                egui::vec2(w, swatch.height()),
            ),
            0.0,
            rgb(theme::ramp(f64::from(i) / 11.0)),
        );
    }
    painter.text(
        swatch.right_center() + egui::vec2(6.0, 0.0),
        egui::Align2::LEFT_CENTER,
        legend,
        font,
        text,
    );
    if let Some(pos) = response.hover_pos()
        && grid.contains(pos)
    {
        let c = (((pos.x - grid.min.x) / cell.x) as usize).min(nc - 1);
        let r = (((pos.y - grid.min.y) / cell.y) as usize).min(nr - 1);
        let v = values.get(r * nc + c).copied().unwrap_or(f64::NAN);
        let row = rows.get(r).cloned().unwrap_or_default();
        let col = columns.get(c).cloned().unwrap_or_default();
        let what = if v.is_finite() {
            crate::format::readable(v)
        } else {
            "none".to_owned()
        };
        response.on_hover_text_at_pointer(format!(
            "{row}\n{} {col}\n{} {what}",
            chart.x_label, chart.y_label
        ));
    }
}

fn outline_color() -> Color32 {
    let [r, g, b] = theme::ChartColors::LIGHT.bar_outline;
    Color32::from_rgb(r, g, b)
}

/// Draw `chart` filling the available width, `height` points tall.
pub fn show_chart(ui: &mut egui::Ui, id: &str, chart: &Chart, height: f32) {
    show(ui, id, chart, height, false);
}

/// A drag across a chart's x axis under way: where it started and where the pointer is, in x.
#[derive(Clone, Copy, Debug, Default)]
pub struct BrushDrag {
    start: Option<f64>,
    now: Option<f64>,
}

/// What a drag on a brushable chart decided.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BrushEvent {
    /// The x range dragged across.
    Set(f64, f64),
    /// A double click: no range.
    Clear,
}

/// A lines chart on which dragging across x selects a range (shaded while dragging); a double
/// click clears it. Scrolling still zooms and the right button still box-zooms; dragging does
/// not pan. Other kinds of chart are shown as `show_chart` shows them.
pub fn show_chart_brush(
    ui: &mut egui::Ui,
    id: &str,
    chart: &Chart,
    height: f32,
    drag: &mut BrushDrag,
) -> Option<BrushEvent> {
    let shown = match (drag.start, drag.now) {
        (Some(a), Some(b)) => {
            std::borrow::Cow::Owned(chart.clone().with_span("", a.min(b), a.max(b)))
        }
        _ => std::borrow::Cow::Borrowed(chart),
    };
    let resp = show(ui, id, &shown, height, true)?;
    let r = &resp.response;
    let x_at = |pos: egui::Pos2| resp.transform.value_from_position(pos).x;
    let primary = egui::PointerButton::Primary;
    if r.drag_started_by(primary) {
        drag.start = r.interact_pointer_pos().map(x_at);
        drag.now = drag.start;
    } else if r.dragged_by(primary)
        && let Some(p) = r.interact_pointer_pos()
    {
        drag.now = Some(x_at(p));
    }
    if r.drag_stopped_by(primary) {
        let event = match (drag.start, drag.now) {
            (Some(a), Some(b)) if a != b => Some(BrushEvent::Set(a.min(b), a.max(b))),
            _ => None,
        };
        *drag = BrushDrag::default();
        return event;
    }
    r.double_clicked().then_some(BrushEvent::Clear)
}

/// Draw `chart`; a lines chart's plot response (for brushing, where dragging does not pan).
fn show(
    ui: &mut egui::Ui,
    id: &str,
    chart: &Chart,
    height: f32,
    brushing: bool,
) -> Option<egui_plot::PlotResponse<()>> {
    let plot = Plot::new(id)
        .height(height)
        .x_axis_label(chart.x_label.clone())
        .y_axis_label(chart.y_label.clone())
        .y_grid_spacer(nice_spacer(24.0, counts(chart)))
        .y_axis_formatter(|mark, _| crate::format::tick(mark.value, mark.step_size))
        .allow_scroll(false)
        .allow_drag(!brushing);
    match &chart.data {
        ChartData::Histogram(h) => {
            let bars: Vec<Bar> = h
                .counts
                .iter()
                .enumerate()
                .map(|(i, &n)| {
                    let (a, b) = (h.edges[i], h.edges[i + 1]);
                    Bar::new((a + b) / 2.0, n as f64)
                        .width(b - a)
                        .fill(bar_color())
                        .stroke(egui::Stroke::new(1.0, outline_color()))
                })
                .collect();
            let formatter = |bar: &Bar, _: &BarChart| {
                let half = bar.bar_width / 2.0;
                format!(
                    "[{}, {})\ncount {}",
                    crate::format::short(bar.argument - half),
                    crate::format::short(bar.argument + half),
                    bar.value
                )
            };
            // A legend only when there is a marker to name (the bars' name is the title), as a
            // row above the plot like the lines charts'.
            histogram_legend(ui, chart);
            plot.show(ui, |p| {
                p.bar_chart(
                    BarChart::new(chart.title.clone(), bars)
                        .color(bar_color())
                        .element_formatter(Box::new(formatter)),
                );
                markers(p, chart);
            });
        }
        ChartData::Bars { labels, values } => {
            let bars: Vec<Bar> = values
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    Bar::new(i as f64, v)
                        .width(0.7)
                        .fill(bar_color())
                        .name(&labels[i])
                })
                .collect();
            let hover_names = labels.clone();
            let y_label = chart.y_label.clone();
            category_axis(plot, labels, &chart.x_label).show(ui, |p| {
                p.bar_chart(
                    BarChart::new(chart.title.clone(), bars)
                        .color(bar_color())
                        .element_formatter(Box::new(move |bar, _| {
                            let name = hover_names
                                .get(bar.argument.round() as usize)
                                .cloned()
                                .unwrap_or_default();
                            format!("{name}\n{y_label} {}", crate::format::short(bar.value))
                        })),
                );
            });
        }
        ChartData::Boxes { labels, boxes } => {
            let elems: Vec<egui_plot::BoxElem> = boxes
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    egui_plot::BoxElem::new(
                        i as f64,
                        egui_plot::BoxSpread::new(b.low, b.q1, b.median, b.q3, b.high),
                    )
                    .box_width(0.6)
                    .whisker_width(0.3)
                    .name(&labels[i])
                })
                .collect();
            let (names, stats, y_label) = (labels.clone(), boxes.clone(), chart.y_label.clone());
            category_axis(plot, labels, &chart.x_label).show(ui, |p| {
                p.box_plot(
                    egui_plot::BoxPlot::new(chart.title.clone(), elems)
                        .color(bar_color())
                        .element_formatter(Box::new(move |e, _| {
                            let i = e.argument.round() as usize;
                            let (Some(name), Some(b)) = (names.get(i), stats.get(i)) else {
                                return String::new();
                            };
                            let f = crate::format::short;
                            format!(
                                "{name}: {} values of {y_label}\nmedian {}\nquartiles {} to {}\nwhiskers {} to {}\n{} beyond the whiskers",
                                b.n,
                                f(b.median),
                                f(b.q1),
                                f(b.q3),
                                f(b.low),
                                f(b.high),
                                b.outliers
                            )
                        })),
                );
            });
        }
        ChartData::Lines { segments, .. } => {
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
                            crate::format::tick(
                                map.to_secondary(mark.value),
                                mark.step_size / map.scale,
                            )
                        }),
                ]),
                None => plot,
            };
            // Observations in the text colour, so they read on dark and light backgrounds.
            let dots = ui.visuals().text_color().gamma_multiply(0.8);
            let ring = ui.visuals().strong_text_color();
            legend_row(ui, chart, dots, ring);
            let shown = plot.show(ui, |p| {
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
            });
            return Some(shown);
        }
        ChartData::Heatmap {
            rows,
            columns,
            values,
        } => heatmap(ui, chart, (rows, columns, values), height),
        ChartData::Map { shapes, points, .. } => {
            plot.data_aspect(1.3).show(ui, |p| {
                for s in shapes {
                    let pts: Vec<[f64; 2]> = s.ring.iter().map(|&(x, y)| [x, y]).collect();
                    p.line(egui_plot::Line::new("", pts).color(rgb(theme::GUIDE)));
                }
                let pts: Vec<[f64; 2]> = points.iter().map(|&(x, y)| [x, y]).collect();
                p.points(egui_plot::Points::new("points", pts).radius(1.0));
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(min_px: f64, whole: bool, bounds: (f64, f64), base: f64) -> Vec<f64> {
        let spacer = nice_spacer(min_px, whole);
        let marks = spacer(egui_plot::GridInput {
            bounds,
            base_step_size: base,
        });
        let mut s: Vec<f64> = marks.iter().map(|m| m.step_size).collect();
        s.sort_by(f64::total_cmp);
        s.dedup();
        s
    }

    #[test]
    fn axes_step_by_one_two_or_five_and_counts_by_whole_numbers() {
        // 1,100 rpm over 200 points (8 points = 44 rpm): labelled steps of 200, not 1,000.
        let s = steps(24.0, false, (1700.0, 2800.0), 44.0);
        assert!(s.contains(&200.0), "{s:?}");
        // A count axis from 0 to 3 over 300 points: no step below 1.
        let s = steps(24.0, true, (0.0, 3.0), 0.08);
        assert!(s.iter().all(|x| *x >= 1.0), "{s:?}");
        let s = steps(24.0, false, (0.0, 3.0), 0.08);
        assert!(s.iter().any(|x| *x < 1.0), "{s:?}");
    }
}
