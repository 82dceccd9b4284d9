//! The Data panel's header (dataset and view pickers) and its Schema, Summary and Charts views.

use std::sync::Arc;

use egui_extras::{Column, TableBuilder};

use super::{DataPanel, DataView};
use crate::chart::Chart;
use crate::compute::{histogram, stats, top_values};
use crate::data::recipe::Step;
use crate::data::types::ColumnType;
use crate::data::{Dataset, schema};
use crate::format;
use crate::panels::PanelCtx;
use crate::panels::chart_view::show_chart;
use crate::panels::save;
use crate::session::DatasetId;

pub(super) fn header(panel: &mut DataPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
    // Wraps, so that the view tabs stay reachable in a narrow window.
    ui.horizontal_wrapped(|ui| {
        if let Some(p) = ctx.catalog.preview() {
            ui.spinner();
            ui.strong(&p.peek.data.name);
            let about = if p.peek.exact { "" } else { "about " };
            ui.label(format!(
                "first {} of {about}{} rows × {} columns; loading the whole file, {:.0}%. Sorting, statistics and charts wait for it.",
                format::whole(p.peek.data.rows()),
                format::whole(p.peek.total_rows),
                p.peek.data.frame.width(),
                100.0 * p.progress.0
            ));
            ui.separator();
            view_tabs(ui, &mut panel.saved.view);
            return;
        }
        let current = ctx.catalog.selected().map(|e| e.id);
        let text = ctx
            .catalog
            .selected()
            .map_or("none".to_owned(), |e| e.data.name.clone());
        let mut pick = current;
        egui::ComboBox::from_label("Dataset")
            .selected_text(text)
            .show_ui(ui, |ui| {
                for e in ctx.catalog.entries() {
                    ui.selectable_value(&mut pick, Some(e.id), &e.data.name);
                }
            });
        if let Some(id) = pick.filter(|id| Some(*id) != current) {
            ctx.catalog.select(id);
        }
        if let Some(e) = ctx.catalog.selected() {
            ui.weak(format!(
                "{} rows × {} columns",
                e.data.rows(),
                e.data.frame.width()
            ));
        }
        ui.separator();
        view_tabs(ui, &mut panel.saved.view);
    });
}

fn view_tabs(ui: &mut egui::Ui, v: &mut DataView) {
    ui.selectable_value(v, DataView::Preview, "Preview");
    ui.selectable_value(v, DataView::Schema, "Schema");
    ui.selectable_value(v, DataView::Summary, "Summary");
    ui.selectable_value(v, DataView::Charts, "Charts");
    ui.selectable_value(v, DataView::Join, "Join")
        .on_hover_text("Join another dataset to this one on key columns");
    ui.selectable_value(v, DataView::Chart, "Chart builder")
        .on_hover_text("Plot columns against each other: line, scatter, bar, histogram, heat map; colour by a column; filter rows");
}

/// The Schema view of a loaded dataset: each column's type can be changed, columns computed
/// from expressions added, and every change undone; changes are made again on reload.
pub(super) fn schema_editor(
    panel: &mut DataPanel,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    id: DatasetId,
    data: &Arc<Dataset>,
) {
    let recipe = ctx
        .catalog
        .get(id)
        .map(|e| e.recipe.clone())
        .unwrap_or_default();
    let busy = ctx.catalog.is_changing(id);
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Date format");
        ui.add(
            egui::TextEdit::singleline(&mut panel.saved.date_format)
                .hint_text("guessed")
                .desired_width(140.0),
        )
        .labelled_by(l.id)
        .on_hover_text(
            "How text becomes a date or time when you change a column's type: empty to guess, or a chrono format such as %d/%m/%Y, %b %d %Y, %Y-%m-%d %H:%M",
        );
        if busy {
            ui.spinner();
            ui.weak("changing…");
        }
    });
    let format = Some(panel.saved.date_format.trim().to_owned()).filter(|f| !f.is_empty());
    let mut step = None;
    let cols = schema::column_infos(&data.frame);
    // Only as tall as its rows (up to the room left above the computed column row): the
    // column dividers are drawn down the whole area the table is given.
    let table_height =
        (28.0 + 22.0 * cols.len() as f32).min((ui.available_height() - 110.0).max(120.0));
    let width = ui.available_width();
    ui.allocate_ui(egui::vec2(width, table_height), |ui| {
        let read_as = |ui: &mut egui::Ui, c: &schema::ColumnInfo| {
            let now = data
                .frame
                .column(&c.name)
                .map_or(ColumnType::Text, |col| ColumnType::of(col.dtype()));
            let mut pick = now;
            egui::ComboBox::from_id_salt(("read-as", &c.name))
                .selected_text(now.name())
                .show_ui(ui, |ui| {
                    for t in ColumnType::ALL {
                        ui.selectable_value(&mut pick, t, t.name());
                    }
                })
                .response
                .on_hover_text(format!("Change the type of {}", c.name));
            if pick != now {
                step = Some(Step::Type {
                    column: c.name.clone(),
                    to: pick,
                    format: format
                        .clone()
                        .filter(|_| matches!(pick, ColumnType::Date | ColumnType::Datetime)),
                });
            }
        };
        schema_table(ui, "schema-edit", &cols, Some(read_as), table_height - 24.0);
    });
    ui.separator();
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("New column");
        ui.add(
            egui::TextEdit::singleline(&mut panel.saved.new_name)
                .hint_text("name")
                .desired_width(120.0),
        )
        .labelled_by(l.id);
        let l = ui.label("=");
        ui.add(
            egui::TextEdit::singleline(&mut panel.saved.new_expr)
                .hint_text("e.g. price / 1000, or newbalanceOrig - oldbalanceOrg")
                .desired_width(320.0),
        )
        .labelled_by(l.id)
        .on_hover_text("An expression of other columns: + - * / %, abs(x), year(date), month(date), comparisons give true/false. Kept as an expression: computed again when the file is reloaded.");
        let ready = !panel.saved.new_name.trim().is_empty() && !panel.saved.new_expr.trim().is_empty();
        if ui.add_enabled(ready, egui::Button::new("Add column")).clicked() {
            step = Some(Step::Compute {
                name: panel.saved.new_name.trim().to_owned(),
                expr: panel.saved.new_expr.trim().to_owned(),
            });
        }
    });
    if let Some(step) = step
        && let Err(e) = ctx.catalog.change(ctx.jobs, id, step)
    {
        ctx.notices.error(e.to_string());
    }
    if !recipe.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label("Changes, made again on reload:");
            for s in &recipe.steps {
                ui.weak(s.describe());
            }
            if ui
                .button("Undo all")
                .on_hover_text("Read the file again as it is")
                .clicked()
                && let Err(e) = ctx.catalog.reset(ctx.jobs, id)
            {
                ctx.notices.error(e.to_string());
            }
        });
    }
}

/// The Join view: this dataset joined with another on key column pairs (inner or left); the
/// result is a new dataset, its unmatched counts in the status bar.
pub(super) fn join(
    panel: &mut DataPanel,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    data: &Arc<Dataset>,
) {
    use crate::compute::join::{self as joins, JoinKind};
    let s = &mut panel.saved;
    let others: Vec<String> = ctx
        .catalog
        .names()
        .into_iter()
        .filter(|n| *n != data.name)
        .collect();
    if !others.contains(&s.join_with) {
        // Start with a dataset that shares a column name with this one, if one does.
        let mine = data.column_names();
        let shares = |n: &String| {
            ctx.catalog
                .by_name(n)
                .is_some_and(|d| d.column_names().iter().any(|c| mine.contains(c)))
        };
        s.join_with = others
            .iter()
            .rev()
            .find(|n| shares(n))
            .or(others.first())
            .cloned()
            .unwrap_or_default();
        s.join_on.clear();
    }
    let Some(other) = ctx.catalog.by_name(&s.join_with) else {
        ui.label("Open another dataset to join with this one.");
        return;
    };
    let (mine, theirs) = (data.column_names(), other.column_names());
    s.join_on
        .retain(|(a, b)| mine.contains(a) && theirs.contains(b));
    if s.join_on.is_empty() {
        // Start from a column both have, if any.
        let shared = mine.iter().find(|c| theirs.contains(c)).cloned();
        let first = (
            shared
                .clone()
                .or_else(|| mine.first().cloned())
                .unwrap_or_default(),
            shared
                .or_else(|| theirs.first().cloned())
                .unwrap_or_default(),
        );
        s.join_on.push(first);
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("Join {} with", data.name));
        egui::ComboBox::from_id_salt("join-with")
            .selected_text(&s.join_with)
            .show_ui(ui, |ui| {
                for n in &others {
                    ui.selectable_value(&mut s.join_with, n.clone(), n);
                }
            });
        ui.selectable_value(&mut s.join_kind, JoinKind::Inner, "inner")
            .on_hover_text("Keep only the rows with a match");
        ui.selectable_value(&mut s.join_kind, JoinKind::Left, "left")
            .on_hover_text(
                "Keep every row of this dataset; the other's columns empty where nothing matched",
            );
    });
    let mut remove = None;
    for (k, (a, b)) in s.join_on.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            ui.label(if k == 0 { "where" } else { "and" });
            egui::ComboBox::from_id_salt(("join-left", k))
                .selected_text(a.as_str())
                .show_ui(ui, |ui| {
                    for c in &mine {
                        ui.selectable_value(a, c.clone(), c);
                    }
                });
            ui.label("=");
            egui::ComboBox::from_id_salt(("join-right", k))
                .selected_text(b.as_str())
                .show_ui(ui, |ui| {
                    for c in &theirs {
                        ui.selectable_value(b, c.clone(), c);
                    }
                });
            if k > 0
                && ui
                    .small_button("×")
                    .on_hover_text("Remove this key")
                    .clicked()
            {
                remove = Some(k);
            }
        });
    }
    if let Some(k) = remove {
        s.join_on.remove(k);
    }
    ui.horizontal(|ui| {
        if ui.button("+ key").clicked() {
            let pair = s.join_on.last().cloned().unwrap_or_default();
            s.join_on.push(pair);
        }
        if ui
            .button("Join")
            .on_hover_text("Make the joined table a new dataset (in memory until saved)")
            .clicked()
        {
            let (left, right, on, kind) =
                (data.clone(), other.clone(), s.join_on.clone(), s.join_kind);
            let name = format!("{} + {}", left.name, right.name);
            let made = ctx.catalog.add_made(ctx.jobs, &name, move || {
                let j = joins::join(
                    (&left.name, &left.frame),
                    (&right.name, &right.frame),
                    &on,
                    kind,
                )?;
                let note = format!("{} joined with {}: {}", left.name, right.name, j.summary());
                Ok((j.frame, vec![note]))
            });
            if let Err(e) = made {
                ctx.notices.error(e.to_string());
            }
        }
    });
    ui.weak("Keys match by their text, so an integer id matches the same id stored as text. The other dataset's key columns are left out; its columns that share a name get _right.");
}

pub(super) fn schema(ui: &mut egui::Ui, data: &Dataset) {
    let cols = schema::column_infos(&data.frame);
    let none: Option<fn(&mut egui::Ui, &schema::ColumnInfo)> = None;
    schema_table(ui, "schema", &cols, none, 800.0);
}

/// Each column's name, dtype and empty cells, and a last cell drawn by `last` (the type
/// picker) when there is one.
fn schema_table(
    ui: &mut egui::Ui,
    id: &str,
    cols: &[schema::ColumnInfo],
    mut last: Option<impl FnMut(&mut egui::Ui, &schema::ColumnInfo)>,
    height: f32,
) {
    let mut table = TableBuilder::new(ui)
        .id_salt(id)
        .striped(true)
        .column(Column::initial(220.0).resizable(true))
        .column(Column::initial(140.0).resizable(true))
        .max_scroll_height(height);
    let mut heads = vec!["column", "dtype", "nulls"];
    if last.is_some() {
        table = table
            .column(Column::initial(80.0).resizable(true))
            .column(Column::remainder());
        heads.push("read as");
    } else {
        table = table.column(Column::remainder());
    }
    table
        .header(22.0, |mut h| {
            for t in heads {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(22.0, cols.len(), |mut row| {
                let c = &cols[row.index()];
                row.col(|ui| {
                    ui.label(&c.name);
                });
                row.col(|ui| {
                    ui.label(&c.dtype);
                });
                row.col(|ui| {
                    ui.label(c.nulls.to_string());
                });
                if let Some(f) = last.as_mut() {
                    row.col(|ui| f(ui, c));
                }
            });
        });
}

pub(super) fn summary(
    panel: &mut DataPanel,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    id: DatasetId,
    data: &Arc<Dataset>,
) {
    let d = data.clone();
    panel.summary.request(
        ctx.jobs,
        id,
        format!("summary:{id}"),
        format!("Summarise {}", data.name),
        move |job| Ok(stats::summarize(&d.frame, job)?),
    );
    let Some(rows) = panel.summary.get(&id) else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("computing summary statistics…");
        });
        return;
    };
    let stem = format!("{}-summary", data.name.split('.').next().unwrap_or("data"));
    ui.horizontal(|ui| {
        save::table_buttons(ui, ctx, "the summary table", &stem, || {
            stats::summary_frame(rows)
        });
    });
    let heads = format::SUMMARY_HEADS;
    egui::ScrollArea::horizontal()
        .id_salt("summary_wide")
        .show(ui, |ui| {
            TableBuilder::new(ui)
                .id_salt("summary")
                .striped(true)
                .resizable(true)
                .column(Column::initial(120.0).clip(true))
                .columns(Column::initial(64.0).clip(true), heads.len() - 1)
                .header(22.0, |mut h| {
                    for t in heads {
                        h.col(|ui| {
                            ui.strong(t);
                        });
                    }
                })
                .body(|body| {
                    body.rows(18.0, rows.len(), |mut row| {
                        let s = &rows[row.index()];
                        let cells = format::summary_cells(s);
                        for c in cells {
                            row.col(|ui| {
                                ui.label(c);
                            });
                        }
                    });
                });
        });
}

/// A combo box of `options`, keeping `choice` valid (first option when unset or gone).
fn column_picker(ui: &mut egui::Ui, label: &str, choice: &mut Option<String>, options: &[String]) {
    if choice.as_ref().is_none_or(|c| !options.contains(c)) {
        *choice = options.first().cloned();
    }
    egui::ComboBox::from_label(label)
        .selected_text(choice.clone().unwrap_or_default())
        .show_ui(ui, |ui| {
            for o in options {
                ui.selectable_value(choice, Some(o.clone()), o);
            }
        });
}

pub(super) fn charts(
    panel: &mut DataPanel,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    id: DatasetId,
    data: &Arc<Dataset>,
) {
    let numeric = schema::numeric_columns(&data.frame);
    let categorical = schema::categorical_columns(&data.frame);
    let half = ((ui.available_height() - 190.0) / 2.0).max(160.0);
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.heading("Histogram");
        if numeric.is_empty() {
            ui.label("This dataset has no numeric columns.");
        } else {
            ui.horizontal(|ui| {
                column_picker(
                    ui,
                    "Histogram column",
                    &mut panel.saved.hist_column,
                    &numeric,
                );
                ui.add(egui::Slider::new(&mut panel.saved.bins, 1..=200).text("Bins"));
            });
            if let Some(col) = panel.saved.hist_column.clone() {
                let bins = panel.saved.bins;
                let d = data.clone();
                let c = col.clone();
                panel.hist.request(
                    ctx.jobs,
                    (id, col.clone(), bins),
                    format!("hist:{id}:{col}:{bins}"),
                    format!("Histogram of {col}"),
                    move |job| {
                        let values = schema::numeric_values(&d.name, &d.frame, &c)?;
                        let h = histogram::histogram(&values, bins, job)
                            .map_err(|e| anyhow::anyhow!("{}: column '{c}': {e}", d.name))?;
                        Ok(Chart::histogram(format!("{} — {c}", d.name), &c, h))
                    },
                );
                chart_block(
                    ui,
                    ctx,
                    &panel.hist,
                    &(id, col.clone(), bins),
                    "hist",
                    half,
                    |chart| match &chart.data {
                        crate::chart::ChartData::Histogram(h) => format!(
                            "Histogram of {}: {} values in {} bins{}",
                            chart.x_label,
                            h.total(),
                            h.counts.len(),
                            h.left_out_note()
                                .map_or_else(String::new, |n| format!(" {n}"))
                        ),
                        _ => String::new(),
                    },
                );
            }
        }
        ui.separator();
        ui.heading("Top values");
        if categorical.is_empty() {
            ui.label("This dataset has no categorical columns.");
            return;
        }
        ui.horizontal(|ui| {
            column_picker(
                ui,
                "Category column",
                &mut panel.saved.top_column,
                &categorical,
            );
            ui.add(egui::Slider::new(&mut panel.saved.top_n, 3..=50).text("Top N"));
        });
        if let Some(col) = panel.saved.top_column.clone() {
            let n = panel.saved.top_n;
            let d = data.clone();
            let c = col.clone();
            panel.top.request(
                ctx.jobs,
                (id, col.clone(), n),
                format!("top:{id}:{col}:{n}"),
                format!("Top values of {col}"),
                move |job| {
                    let column = schema::column(&d.name, &d.frame, &c)?;
                    let t = top_values::top_values(column, n, job)?;
                    Ok(Chart::top_values(format!("{} — top {c}", d.name), &c, &t))
                },
            );
            chart_block(
                ui,
                ctx,
                &panel.top,
                &(id, col.clone(), n),
                "top",
                half,
                |chart| match &chart.data {
                    crate::chart::ChartData::Bars { labels, .. } => {
                        format!("Top {} values of {}", labels.len(), chart.x_label)
                    }
                    _ => String::new(),
                },
            );
        }
    });
}

/// A chart from a slot: its caption, the plot, and export buttons; a spinner while computing.
fn chart_block(
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    slot: &crate::jobs::Slot<super::ColumnKey, Chart>,
    key: &super::ColumnKey,
    id: &str,
    height: f32,
    caption: impl Fn(&Chart) -> String,
) {
    if slot.failed(key) {
        ui.weak(format!("No chart for {}: see the error below.", key.1));
        return;
    }
    // While a new chart computes, keep showing the previous one (its caption says which).
    let chart = slot.get(key).or(slot.latest());
    let Some(chart) = chart else {
        ui.spinner();
        return;
    };
    ui.horizontal(|ui| {
        ui.label(caption(chart));
        if slot.is_pending() {
            ui.spinner();
        }
        let stem = format!("{id}-{}", key.1);
        save::chart_buttons(ui, ctx, chart, &stem);
    });
    show_chart(ui, id, chart, height);
}
