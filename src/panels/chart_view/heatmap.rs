//! Heat maps on screen, painted cell by cell.

use super::rgb;
use crate::chart::Chart;
use crate::theme;

/// A heat map drawn cell by cell with the painter: row labels on the left, a few column labels
/// below, the value of the cell under the pointer in a tooltip, the ramp's ends in a legend.
pub(super) fn heatmap(
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
