//! The Save buttons every panel uses: PNG/SVG/CSV for a chart, CSV/Parquet for a table. Each
//! click starts an export job (dialog + atomic write); failures go to the status bar.

use polars::prelude::{DataFrame, PolarsResult};

use super::PanelCtx;
use crate::chart::Chart;
use crate::session::{Payload, SaveAs};

fn save(ctx: &mut PanelCtx<'_>, payload: Payload, stem: &str, kind: SaveAs) {
    if let Err(e) = ctx.exports.save(ctx.jobs, payload, stem, kind) {
        ctx.notices.error(e.to_string());
    }
}

/// "Save PNG", "Save SVG", "Save CSV" (the chart's numbers) for `chart`.
pub(crate) fn chart_buttons(ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>, chart: &Chart, stem: &str) {
    image_buttons(ui, ctx, chart, stem);
    chart_button(ui, ctx, chart, stem, "Save CSV", SaveAs::Csv);
}

/// "Save PNG", "Save SVG" for `chart` (its numbers saved some other way).
pub(crate) fn image_buttons(ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>, chart: &Chart, stem: &str) {
    chart_button(ui, ctx, chart, stem, "Save PNG", SaveAs::Png);
    chart_button(ui, ctx, chart, stem, "Save SVG", SaveAs::Svg);
}

/// "Save PNG", "Save SVG" for small multiples: one image of them all, in a grid.
pub(crate) fn grid_buttons(
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    charts: &[Chart],
    stem: &str,
) {
    for (label, kind) in [("Save PNG", SaveAs::Png), ("Save SVG", SaveAs::Svg)] {
        if ui
            .button(label)
            .on_hover_text(format!("{label} of the {} charts in a grid", charts.len()))
            .clicked()
        {
            save(ctx, Payload::Charts(charts.to_vec()), stem, kind);
        }
    }
}

fn chart_button(
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    chart: &Chart,
    stem: &str,
    label: &str,
    kind: SaveAs,
) {
    let hover = format!("{label} of {}", chart.title);
    if ui.button(label).on_hover_text(hover).clicked() {
        save(ctx, Payload::Chart(Box::new(chart.clone())), stem, kind);
    }
}

/// "Save CSV", "Save Parquet" for a table; `table` builds it only when a button is clicked.
pub(crate) fn table_buttons(
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    what: &str,
    stem: &str,
    table: impl Fn() -> PolarsResult<DataFrame>,
) {
    for (label, kind) in [("Save CSV", SaveAs::Csv), ("Save Parquet", SaveAs::Parquet)] {
        if ui
            .button(label)
            .on_hover_text(format!("Save {what}"))
            .clicked()
        {
            match table() {
                Ok(df) => save(ctx, Payload::Table(df), stem, kind),
                Err(e) => ctx.notices.error(e.to_string()),
            }
        }
    }
}

/// One "Save ..." button for a copy of `file` (a model Playbook keeps in the run store).
pub(crate) fn file_button(
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    label: &str,
    file: &std::path::Path,
    kind: SaveAs,
) {
    let stem = file
        .file_stem()
        .map_or_else(|| "file".to_owned(), |s| s.to_string_lossy().into_owned());
    if ui
        .button(label)
        .on_hover_text(format!("Save a copy of {}", file.display()))
        .clicked()
    {
        save(ctx, Payload::File(file.to_owned()), &stem, kind);
    }
}

/// One "Save ..." button for text made on click (a model as JSON, rules as SQL).
pub(crate) fn text_button(
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    label: &str,
    stem: &str,
    kind: SaveAs,
    text: impl Fn() -> String,
) {
    if ui.button(label).clicked() {
        save(ctx, Payload::Text(text()), stem, kind);
    }
}

/// A chart's title with its Save buttons, then the chart, `height` points tall.
pub(crate) fn chart_block(
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    id: &str,
    chart: &Chart,
    stem: &str,
    height: f32,
) {
    ui.horizontal_wrapped(|ui| {
        ui.strong(&chart.title);
        chart_buttons(ui, ctx, chart, stem);
    });
    super::chart_view::show_chart(ui, id, chart, height);
}
