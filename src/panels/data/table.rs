//! The preview table: draws only the visible rows (egui_extras' virtual body), so millions of
//! rows scroll smoothly. Clicking a header sorts by that column through a job that computes the
//! row order once.

use std::sync::Arc;

use egui_extras::{Column, TableBuilder};
use polars::prelude::AnyValue;

use super::DataPanel;
use crate::compute::Progress as _;
use crate::compute::sort::sort_order;
use crate::data::Dataset;
use crate::panels::{PanelCtx, save};
use crate::session::DatasetId;

const ROW_HEIGHT: f32 = 18.0;

pub(super) fn preview(
    panel: &mut DataPanel,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    id: DatasetId,
    data: &Arc<Dataset>,
) {
    let frame = &data.frame;
    // A sort by a column this dataset does not have (chosen on another dataset) is dropped.
    if panel
        .sort
        .as_ref()
        .is_some_and(|(c, _)| frame.column(c).is_err())
    {
        panel.sort = None;
    }
    // Only use a sort order computed for this dataset and column.
    let key = panel
        .sort
        .as_ref()
        .map(|(col, desc)| (id, col.clone(), *desc));
    if let Some(key) = &key {
        let (d, c, desc) = (data.clone(), key.1.clone(), key.2);
        panel.order.request(
            ctx.jobs,
            key.clone(),
            format!("sort:{id}:{c}:{desc}"),
            format!("Sort {} by {c}", data.name),
            move |job| {
                job.report(
                    0.0,
                    &format!("sorting {} rows", crate::format::whole(d.frame.height())),
                );
                Ok(sort_order(d.frame.column(&c)?, desc))
            },
        );
    }
    let order = key.as_ref().and_then(|k| panel.order.get(k));
    ui.horizontal(|ui| {
        ui.label(format!("{} rows", frame.height()));
        if let Some((col, desc)) = &panel.sort {
            let arrow = if *desc { "descending" } else { "ascending" };
            ui.label(format!("sorted by {col}, {arrow}"));
            if panel.order.is_pending() {
                ui.spinner();
            }
            if ui.small_button("Unsort").clicked() {
                panel.sort = None;
            }
        }
        let stem = data.name.split('.').next().unwrap_or("table").to_owned();
        save::table_buttons(ui, ctx, "the whole table", &stem, || Ok(frame.clone()));
    });
    let clicked = rows_table(ui, ("preview", id), frame, order, Some(&panel.sort));
    if let Some(name) = clicked {
        // First click ascending, second descending, third back to file order.
        panel.sort = match panel.sort.take() {
            Some((c, false)) if c == name => Some((c, true)),
            Some((c, true)) if c == name => None,
            _ => Some((name, false)),
        };
    }
}

/// The rows of `frame` (in `order`, or the file's), drawing only the visible ones. With `sort`
/// (the current sort), the headers are buttons and the clicked column is returned; without,
/// plain names.
fn rows_table(
    ui: &mut egui::Ui,
    salt: impl std::hash::Hash + std::fmt::Debug,
    frame: &polars::prelude::DataFrame,
    order: Option<&Vec<u32>>,
    sort: Option<&Option<(String, bool)>>,
) -> Option<String> {
    let names: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    let columns = frame.columns();
    let numeric: Vec<bool> = columns
        .iter()
        .map(|c| c.dtype().is_primitive_numeric())
        .collect();
    let mut clicked: Option<String> = None;
    let sortable = sort.is_some();
    egui::ScrollArea::horizontal()
        .id_salt("preview_wide")
        .show(ui, |ui| {
            TableBuilder::new(ui)
                .id_salt(salt)
                .striped(true)
                .resizable(true)
                .auto_shrink([false, false])
                .column(Column::initial(70.0).at_least(40.0))
                .columns(
                    Column::initial(120.0).at_least(40.0).clip(true),
                    names.len(),
                )
                .header(22.0, |mut header| {
                    header.col(|ui| {
                        ui.strong("#");
                    });
                    for name in &names {
                        header.col(|ui| {
                            if !sortable {
                                ui.strong(name)
                                    .on_hover_text("Sorting waits for the whole file");
                                return;
                            }
                            let mark = match sort.and_then(|s| s.as_ref()) {
                                Some((c, false)) if c == name => " (asc)",
                                Some((c, true)) if c == name => " (desc)",
                                _ => "",
                            };
                            if ui
                                .button(format!("{name}{mark}"))
                                .on_hover_text(format!("Sort by {name}"))
                                .clicked()
                            {
                                clicked = Some(name.clone());
                            }
                        });
                    }
                })
                .body(|body| {
                    body.rows(ROW_HEIGHT, frame.height(), |mut row| {
                        let i = row.index();
                        let r = order.and_then(|o| o.get(i)).map_or(i, |&r| r as usize);
                        row.col(|ui| {
                            ui.weak((r + 1).to_string());
                        });
                        for (col, &numeric) in columns.iter().zip(&numeric) {
                            row.col(|ui| {
                                let draw = |ui: &mut egui::Ui| match col.get(r) {
                                    Ok(AnyValue::Null) => ui.weak("null"),
                                    Ok(AnyValue::String(s)) => ui.label(s),
                                    Ok(v) => ui.label(cell_text(&v)),
                                    Err(_) => ui.weak("?"),
                                };
                                if numeric {
                                    let layout = egui::Layout::right_to_left(egui::Align::Min);
                                    ui.with_layout(layout, |ui| {
                                        ui.add_space(6.0);
                                        draw(ui)
                                    });
                                } else {
                                    draw(ui);
                                }
                            });
                        }
                    });
                });
        });
    clicked
}

/// The first rows of a large file, while it loads: no sorting, no saving (they are not the
/// table).
pub(super) fn peek_rows(ui: &mut egui::Ui, preview: &crate::session::Preview) {
    rows_table(
        ui,
        ("peek", &preview.path),
        &preview.peek.data.frame,
        None,
        None,
    );
}

pub(crate) use crate::format::cell as cell_text;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_read_as_plain_decimals() {
        let cases = [
            (1111300.0, "1111300.0"),
            (5138700.25, "5138700.25"),
            (0.1, "0.1"),
            (-2.5, "-2.5"),
            (0.0, "0.0"),
            (1.5e20, "1.5e20"),
            (2e-7, "2e-7"),
        ];
        for (x, want) in cases {
            assert_eq!(cell_text(&AnyValue::Float64(x)), want);
        }
        assert_eq!(cell_text(&AnyValue::Int64(42)), "42");
    }
}
