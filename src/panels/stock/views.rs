//! The Stock panel's views: the headline, the summary (heat map, bars, data problems, tables to
//! save) and the alert table with the charts of the alert clicked.

use std::sync::Arc;

use egui_extras::{Column, TableBuilder};

use super::{OrderKey, SortBy, StockPanel, StockRun};
use crate::compute::stock::{Alert, Kind};
use crate::format::short;
use crate::panels::{PanelCtx, recorded_as, save};
use crate::usecases::stock::triage::{self, State, Triage};
use crate::usecases::stock::{charts, tables};

/// Chart height in the summary and under the alert table.
const CHART_HEIGHT: f32 = 240.0;

pub(super) fn headline(ui: &mut egui::Ui, r: &StockRun) {
    let out = &r.out;
    let revenue = r
        .lost_revenue
        .map_or_else(String::new, |v| format!(", lost revenue {}", money(v)));
    ui.label(format!(
        "{} alerts in {} episodes over {} store × SKU series, {} lost units{revenue}. \
         Expected sales from the forecast engine for {} series, a weekday baseline for the \
         rest. {:.2} s.{}",
        out.alerts().len(),
        out.detection.episodes.len(),
        out.series.len(),
        short(r.lost_units.round()),
        out.detection.forecast_series,
        out.seconds,
        recorded_as(r.run_id)
    ));
    let q = &out.quality;
    let problems: Vec<String> = [
        (q.missing_days, "missing days"),
        (q.duplicate_rows, "duplicated rows (the last kept)"),
        (q.negative_on_hand, "negative on-hand read as 0"),
        (
            q.rows_without_key,
            "rows without date, store or SKU skipped",
        ),
        (q.empty_cells, "empty on-hand or sales cells"),
        (q.single_row_series, "SKUs with a single row"),
        (out.detection.too_short, "series too short to judge"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    if !problems.is_empty() {
        ui.weak(format!("In the data: {}.", problems.join(", ")));
    }
    let uncovered = r.uncovered;
    if uncovered > 0 {
        ui.weak(format!(
            "{uncovered} SKUs have a safety stock below what lead-time demand needs at a {}% \
             service level (see the thresholds table).",
            short(100.0 * out.thresholds.service_level)
        ));
    }
}

fn money(v: f64) -> String {
    if v.abs() >= 1e4 {
        format!("{}k", short((v / 1e3).round()))
    } else {
        short(v.round())
    }
}

/// A chart with its Save buttons above it.
fn chart_block(
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    id: &str,
    chart: &crate::chart::Chart,
    stem: &str,
) {
    save::chart_block(ui, ctx, id, chart, stem, CHART_HEIGHT);
}

pub(super) fn summary_ui(ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>, r: &Arc<StockRun>) {
    for (chart, stem) in r
        .charts
        .iter()
        .zip(["stock-heatmap", "stock-kinds", "stock-stores"])
    {
        chart_block(ui, ctx, stem, chart, stem);
        ui.add_space(6.0);
    }
    for (what, stem, make) in [
        (
            "Summary per store and week",
            "stock-summary",
            tables::summary_frame as fn(&_) -> _,
        ),
        ("Episodes", "stock-episodes", tables::episodes_frame),
        (
            "Safety stock against lead-time demand",
            "stock-thresholds",
            tables::thresholds_frame,
        ),
    ] {
        ui.horizontal_wrapped(|ui| {
            ui.label(what);
            let r = Arc::clone(r);
            save::table_buttons(ui, ctx, &what.to_lowercase(), stem, move || make(&r.out));
        });
    }
}

/// The alerts that pass the filters, in the chosen order.
fn row_order(out: &crate::usecases::stock::StockOutput, key: &OrderKey) -> Vec<usize> {
    let store = key.store.to_lowercase();
    let sku = key.sku.to_lowercase();
    let mut rows: Vec<usize> = out
        .alerts()
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            let s = out.series_of(a);
            key.kind.is_none_or(|k| a.kind == k)
                && s.store.to_lowercase().contains(&store)
                && s.sku.to_lowercase().contains(&sku)
        })
        .map(|(i, _)| i)
        .collect();
    let alerts = out.alerts();
    let value = |a: &Alert| -> f64 {
        match key.sort {
            SortBy::Start => f64::from(a.start),
            SortBy::Days => f64::from(a.days()),
            SortBy::LostUnits => a.lost_units,
            SortBy::LostRevenue => a.lost_revenue.unwrap_or(a.lost_units),
            SortBy::Confidence => a.confidence,
            _ => 0.0,
        }
    };
    rows.sort_by(|&x, &y| {
        let (a, b) = (&alerts[x], &alerts[y]);
        let ord = match key.sort {
            SortBy::Kind => a.kind.cmp(&b.kind),
            SortBy::Store => out.series_of(a).store.cmp(&out.series_of(b).store),
            SortBy::Sku => out.series_of(a).sku.cmp(&out.series_of(b).sku),
            _ => value(a).total_cmp(&value(b)),
        };
        let ord = if key.descending { ord.reverse() } else { ord };
        ord.then(x.cmp(&y))
    });
    rows
}

/// The Kind filter of the queue and the alert table: all kinds, or one of `kinds`.
fn kind_filter(ui: &mut egui::Ui, kind: &mut Option<Kind>, kinds: &[Kind]) {
    egui::ComboBox::from_label("Kind")
        .selected_text(kind.map_or("all kinds", |k| k.title()))
        .show_ui(ui, |ui| {
            ui.selectable_value(kind, None, "all kinds");
            for &k in kinds {
                ui.selectable_value(kind, Some(k), k.title());
            }
        });
}

/// The analyst's queue: one row per problem, most money first, with its state and note.
pub(super) fn queue_ui(
    p: &mut StockPanel,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    r: &Arc<StockRun>,
) {
    let Some(triage) = p.triage.as_mut() else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Reading the queue's marks…");
        });
        return;
    };
    let out = &r.out;
    let open = |t: &Triage, i: &triage::Item| t.state(&i.key) != State::Resolved;
    ui.horizontal_wrapped(|ui| {
        kind_filter(ui, &mut p.saved.kind, &Kind::NAMING);
        ui.checkbox(&mut p.saved.show_resolved, "Show resolved");
    });
    let rows: Vec<usize> = r
        .queue
        .iter()
        .enumerate()
        .filter(|(_, i)| p.saved.kind.is_none_or(|k| i.kind == k))
        .filter(|(_, i)| p.saved.show_resolved || open(triage, i))
        .map(|(k, _)| k)
        .collect();
    ui.horizontal_wrapped(|ui| {
        let count = |s: State| r.queue.iter().filter(|i| triage.state(&i.key) == s).count();
        ui.label(format!(
            "{} problems: {} new, {} acknowledged, {} resolved. Each is one episode, named by \
             its most specific kind, most lost revenue first; states and notes are kept in the \
             Playbook home.",
            r.queue.len(),
            count(State::New),
            count(State::Acknowledged),
            count(State::Resolved)
        ));
        if p.unreadable {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "The marks file could not be read (see the status bar): changes here are not \
                 saved.",
            );
        }
        let (r2, shown, t2) = (Arc::clone(r), rows.clone(), Arc::clone(triage));
        save::table_buttons(ui, ctx, "the queue shown", "stock-queue", move || {
            triage::queue_frame(&r2.out, &r2.queue, Some(&shown), &t2)
        });
    });
    // Money next to the kind: the column the queue is ranked by stays in view on a laptop.
    let heads = [
        "state",
        "kind",
        "lost revenue",
        "store",
        "SKU",
        "start",
        "days",
        "note",
    ];
    let mut changed = false;
    egui::ScrollArea::horizontal()
        .id_salt("stock-queue-h")
        .show(ui, |ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            TableBuilder::new(ui)
                .id_salt("stock-queue")
                .striped(true)
                .max_scroll_height(420.0)
                .columns(Column::auto().at_least(50.0), heads.len() - 1)
                .column(Column::remainder().at_least(160.0))
                .header(22.0, |mut h| {
                    for name in heads {
                        h.col(|ui| {
                            ui.strong(name);
                        });
                    }
                })
                .body(|body| {
                    body.rows(24.0, rows.len(), |mut row| {
                        let item = &r.queue[rows[row.index()]];
                        let s = &out.series[item.series];
                        let mut mark = triage.mark(&item.key);
                        let before = mark.clone();
                        row.col(|ui| {
                            egui::ComboBox::from_id_salt(("stock-state", &item.key))
                                .width(110.0)
                                .selected_text(mark.state.name())
                                .show_ui(ui, |ui| {
                                    for st in State::ALL {
                                        ui.selectable_value(&mut mark.state, st, st.name());
                                    }
                                });
                        });
                        row.col(|ui| {
                            ui.label(item.kind.title()).on_hover_text(format!(
                                "{}\nFlagged by: {}",
                                item.detail,
                                item.kinds
                                    .iter()
                                    .map(|k| k.title())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ));
                        });
                        let cells = [
                            item.lost_revenue.map_or("—".into(), |v| short(v.round())),
                            s.store.clone(),
                            s.sku.clone(),
                            crate::format::date(f64::from(item.start)),
                            (item.end - item.start + 1).to_string(),
                        ];
                        for c in cells {
                            row.col(|ui| {
                                ui.label(c);
                            });
                        }
                        row.col(|ui| {
                            ui.add(
                                egui::TextEdit::singleline(&mut mark.note)
                                    .id_salt(("stock-note", &item.key))
                                    .char_limit(triage::MAX_NOTE_CHARS)
                                    .hint_text("note")
                                    .desired_width(f32::INFINITY),
                            );
                        });
                        if mark != before {
                            Arc::make_mut(triage).set(&item.key, mark);
                            changed = true;
                        }
                    });
                });
        });
    if rows.is_empty() {
        ui.weak(if r.queue.is_empty() {
            "No problems found."
        } else {
            "Nothing open here: every problem shown is resolved (tick Show resolved)."
        });
    }
    if changed {
        p.edits += 1;
    }
}

pub(super) fn alerts_ui(
    p: &mut StockPanel,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    r: &Arc<StockRun>,
) {
    let out = &r.out;
    ui.horizontal_wrapped(|ui| {
        kind_filter(ui, &mut p.saved.kind, &Kind::ALL);
        let l = ui.label("Store");
        ui.add(egui::TextEdit::singleline(&mut p.saved.store).desired_width(70.0))
            .labelled_by(l.id);
        let l = ui.label("SKU");
        ui.add(egui::TextEdit::singleline(&mut p.saved.sku).desired_width(70.0))
            .labelled_by(l.id);
    });
    let key = OrderKey {
        kind: p.saved.kind,
        store: p.saved.store.trim().to_owned(),
        sku: p.saved.sku.trim().to_owned(),
        sort: p.saved.sort,
        descending: p.saved.descending,
    };
    let order = match &p.order {
        Some((run, k, rows)) if *run == r.run && *k == key => Arc::clone(rows),
        _ => {
            let rows = Arc::new(row_order(out, &key));
            p.order = Some((r.run, key, Arc::clone(&rows)));
            rows
        }
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "{} of {} alerts. Click a heading to sort, a row for its charts.",
            order.len(),
            out.alerts().len()
        ));
        let (r2, rows) = (Arc::clone(r), Arc::clone(&order));
        save::table_buttons(ui, ctx, "the alerts shown", "stock-alerts", move || {
            tables::alerts_frame(&r2.out, Some(&rows), true)
        });
    });
    let heads = [
        ("kind", SortBy::Kind),
        ("store", SortBy::Store),
        ("SKU", SortBy::Sku),
        ("start", SortBy::Start),
        ("days", SortBy::Days),
        ("lost units", SortBy::LostUnits),
        ("lost revenue", SortBy::LostRevenue),
        ("confidence", SortBy::Confidence),
    ];
    let mut clicked_head = None;
    let mut clicked_row = None;
    egui::ScrollArea::horizontal()
        .id_salt("stock-alerts-h")
        .show(ui, |ui| {
            // Cells on one line (rows have a fixed height); the table scrolls sideways instead.
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            TableBuilder::new(ui)
                .id_salt("stock-alerts")
                .striped(true)
                .sense(egui::Sense::click())
                .max_scroll_height(200.0)
                .columns(Column::auto().at_least(60.0), heads.len())
                .header(22.0, |mut h| {
                    for (name, by) in heads {
                        h.col(|ui| {
                            let arrow = match (p.saved.sort == by, p.saved.descending) {
                                (true, true) => " (desc)",
                                (true, false) => " (asc)",
                                _ => "",
                            };
                            if ui.button(format!("{name}{arrow}")).clicked() {
                                clicked_head = Some(by);
                            }
                        });
                    }
                })
                .body(|body| {
                    body.rows(20.0, order.len(), |mut row| {
                        let i = order[row.index()];
                        let a = &out.alerts()[i];
                        let s = out.series_of(a);
                        row.set_selected(p.selected == Some(i));
                        let cells = [
                            a.kind.title().to_owned(),
                            s.store.clone(),
                            s.sku.clone(),
                            crate::format::date(f64::from(a.start)),
                            a.days().to_string(),
                            short(a.lost_units.round()),
                            a.lost_revenue.map_or("—".into(), |v| short(v.round())),
                            crate::format::confidence(a.confidence),
                        ];
                        for c in cells {
                            row.col(|ui| {
                                ui.label(c);
                            });
                        }
                        if row.response().clicked() {
                            clicked_row = Some(i);
                        }
                    });
                });
        });
    if let Some(by) = clicked_head {
        if p.saved.sort == by {
            p.saved.descending = !p.saved.descending;
        } else {
            p.saved.sort = by;
            p.saved.descending = !matches!(by, SortBy::Kind | SortBy::Store | SortBy::Sku);
        }
    }
    if let Some(i) = clicked_row {
        p.selected = Some(i);
    }
    let Some(i) = p.selected.or_else(|| order.first().copied()) else {
        return;
    };
    alert_detail(p, ui, ctx, r, i);
}

/// The reason, the formula and the two charts of alert `i`.
fn alert_detail(
    p: &mut StockPanel,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    r: &Arc<StockRun>,
    i: usize,
) {
    let Some(a) = r.out.alerts().get(i) else {
        return;
    };
    let s = r.out.series_of(a);
    ui.separator();
    ui.strong(format!(
        "{} · {} · {} from {} to {}",
        a.kind.title(),
        s.store,
        s.sku,
        crate::format::date(f64::from(a.start)),
        crate::format::date(f64::from(a.end))
    ));
    // The reason in words; the formula behind it one hover away.
    ui.label(&a.detail)
        .on_hover_text(format!("How this is computed: {}", a.kind.formula()));
    let key = (r.run, i);
    let r2 = Arc::clone(r);
    p.charts.request(
        ctx.jobs,
        key,
        "stock:alert-charts".into(),
        "Stock: alert charts".into(),
        move |_| {
            let a = &r2.out.alerts()[i];
            Ok(Arc::new(charts::alert_charts(&r2.out, a)))
        },
    );
    match p.charts.get(&key) {
        Some(c) => {
            for (k, chart) in c.iter().enumerate() {
                chart_block(ui, ctx, &format!("stock-alert-{k}"), chart, "stock-alert");
            }
        }
        None => {
            ui.spinner();
        }
    }
}
