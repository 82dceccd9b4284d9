//! Drawing a `Chart` with egui_plot, with hover read-outs. Shared by every panel; the same
//! `Chart` is what the Save buttons (`panels::save`) export.

//! Each kind of chart is drawn in its own module; this one holds what they share: colours,
//! grid spacing, markers and the legend row.

use egui::Color32;
use egui_plot::Plot;

use crate::chart::{Chart, ChartData};
use crate::theme;

mod categories;
mod heatmap;
mod histogram;
mod lines;
mod map;

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

fn outline_color() -> Color32 {
    let [r, g, b] = theme::ChartColors::LIGHT.bar_outline;
    Color32::from_rgb(r, g, b)
}

/// Draw `chart` filling the available width, `height` points tall.
pub(crate) fn show_chart(ui: &mut egui::Ui, id: &str, chart: &Chart, height: f32) {
    show(ui, id, chart, height, false);
}

/// A drag across a chart's x axis under way: where it started and where the pointer is, in x.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct BrushDrag {
    start: Option<f64>,
    now: Option<f64>,
}

/// What a drag on a brushable chart decided.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum BrushEvent {
    /// The x range dragged across.
    Set(f64, f64),
    /// A double click: no range.
    Clear,
}

/// A lines chart on which dragging across x selects a range (shaded while dragging); a double
/// click clears it. Scrolling still zooms and the right button still box-zooms; dragging does
/// not pan. Other kinds of chart are shown as `show_chart` shows them.
pub(crate) fn show_chart_brush(
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
        ChartData::Histogram(h) => histogram::show(ui, plot, chart, h),
        ChartData::Bars { labels, values } => categories::bars(ui, plot, chart, labels, values),
        ChartData::Boxes { labels, boxes } => categories::boxes(ui, plot, chart, labels, boxes),
        ChartData::Lines { segments, .. } => return Some(lines::show(ui, plot, chart, segments)),
        ChartData::Heatmap {
            rows,
            columns,
            values,
        } => heatmap::heatmap(ui, chart, (rows, columns, values), height),
        ChartData::Map { shapes, points, .. } => map::show(ui, plot, shapes, points),
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
