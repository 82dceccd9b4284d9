//! The Forecast panel's result views: the run's summary line, one group's forecast with its
//! components, a group against its siblings, the totals, and the sortable accuracy table.

use std::sync::Arc;

use egui_extras::{Column, TableBuilder};

use super::run::{ForecastRun, ViewKey, ViewKind, charts};
use super::{ForecastPanel, ForecastView, Sort};
use crate::chart::Chart;
use crate::compute::forecast::batch::{Model, Scores};
use crate::panels::chart_view::show_chart;
use crate::panels::{PanelCtx, save};

fn scores_text(s: Option<Scores>) -> String {
    s.map_or("no holdout".into(), |s| {
        format!(
            "sMAPE {:.2}, MASE {:.3}, coverage {:.3}",
            s.smape, s.mase, s.coverage
        )
    })
}

/// One line on the run, the failures and data repairs, and the forecast table's Save buttons.
pub(super) fn summary_ui(ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>, r: &Arc<ForecastRun>) {
    let b = &r.batch;
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "{} series of {} forecast in {:.2} s.{}",
            b.groups.len(),
            r.dataset,
            b.seconds,
            crate::panels::recorded_as(r.run_id)
        ));
        if r.spec.holdout.is_some() {
            ui.label(format!(
                "Holdout: {} (seasonal naive: {}).",
                scores_text(b.mean(Model::Playbook)),
                scores_text(b.mean(Model::SeasonalNaive))
            ))
            .on_hover_text(crate::panels::glossary::forecast_scores());
        }
        if b.duplicates() > 0 || b.missing() > 0 {
            ui.label(format!(
                "{} duplicate dates summed, {} dates missing.",
                b.duplicates(),
                b.missing()
            ));
        }
        if !b.failed.is_empty() {
            let list: Vec<String> = b
                .failed
                .iter()
                .map(|(k, e)| format!("{}: {e}", k.join("/")))
                .collect();
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("{} series failed", b.failed.len()),
            )
            .on_hover_text(list.join("\n"));
        }
        ui.label("Forecasts:");
        let r = Arc::clone(r);
        save::table_buttons(ui, ctx, "the forecast table", "forecast", move || {
            r.batch.forecast_frame(&r.group)
        });
    });
}

/// The charts for `key`, computed by a job; a spinner until they arrive.
fn view_charts(
    p: &mut ForecastPanel,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    r: &Arc<ForecastRun>,
    kind: ViewKind,
) -> Option<Arc<Vec<Chart>>> {
    let key = ViewKey {
        run: r.run,
        kind,
        full: p.saved.full_history,
    };
    let (job_r, job_key) = (Arc::clone(r), key.clone());
    p.charts.request(
        ctx.jobs,
        key.clone(),
        format!("forecast:charts:{key:?}"),
        "Forecast charts".into(),
        move |_| Ok(Arc::new(charts(&job_r, &job_key))),
    );
    let got = p.charts.get(&key).cloned();
    if got.is_none() {
        ui.spinner();
    }
    got
}

fn group_picker(p: &mut ForecastPanel, ui: &mut egui::Ui, r: &ForecastRun) {
    let gs = &r.batch.groups;
    if gs.is_empty() || r.group.is_empty() {
        return;
    }
    p.selected = p.selected.min(gs.len() - 1);
    let title = |g: usize| {
        crate::usecases::forecast::charts::group_title(&r.group, &gs[g].key, &r.value_col)
    };
    ui.horizontal(|ui| {
        if ui.button("Previous").clicked() {
            p.selected = p.selected.checked_sub(1).unwrap_or(gs.len() - 1);
        }
        egui::ComboBox::from_label("Group")
            .selected_text(title(p.selected))
            .height(400.0)
            .show_ui(ui, |ui| {
                for g in 0..gs.len() {
                    ui.selectable_value(&mut p.selected, g, title(g));
                }
            });
        if ui.button("Next").clicked() {
            p.selected = (p.selected + 1) % gs.len();
        }
    });
}

pub(super) fn series_ui(
    p: &mut ForecastPanel,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    r: &Arc<ForecastRun>,
) {
    group_picker(p, ui, r);
    let Some(cs) = view_charts(p, ui, ctx, r, ViewKind::Group(p.selected)) else {
        return;
    };
    let Some((main, parts)) = cs.split_first() else {
        return;
    };
    save::chart_block(ui, ctx, "forecast", main, "forecast", 300.0);
    if parts.is_empty() {
        return;
    }
    // Trend, weekly and yearly side by side; holidays (one bar per name) get a row of their
    // own so their names have room.
    for (row, charts) in parts.chunks(3).enumerate() {
        ui.columns(charts.len(), |cols| {
            for (i, (ui, c)) in cols.iter_mut().zip(charts).enumerate() {
                let id = format!("forecast-component-{}", 3 * row + i);
                ui.strong(&c.title);
                ui.horizontal(|ui| save::chart_buttons(ui, ctx, c, &id));
                show_chart(ui, &id, c, 170.0);
            }
        });
    }
}

pub(super) fn across_ui(
    p: &mut ForecastPanel,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    r: &Arc<ForecastRun>,
) {
    group_picker(p, ui, r);
    ui.horizontal(|ui| {
        ui.label("Compare across:");
        for (i, c) in r.group.iter().enumerate() {
            ui.selectable_value(&mut p.vary, i, c.as_str());
        }
    });
    p.vary = p.vary.min(r.group.len().saturating_sub(1));
    let kind = ViewKind::Across(p.selected, p.vary);
    if let Some(cs) = view_charts(p, ui, ctx, r, kind)
        && let Some(c) = cs.first()
    {
        save::chart_block(ui, ctx, "forecast-across", c, "forecast-across", 320.0);
    }
}

pub(super) fn total_ui(
    p: &mut ForecastPanel,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    r: &Arc<ForecastRun>,
) {
    if let Some(cs) = view_charts(p, ui, ctx, r, ViewKind::Total)
        && let Some(c) = cs.first()
    {
        save::chart_block(ui, ctx, "forecast-total", c, "forecast-total", 320.0);
    }
}

/// One accuracy table cell's value: group key text or a score.
fn score_of(r: &ForecastRun, g: usize, col: usize) -> f64 {
    let models = Model::ALL;
    let s = r.batch.groups[g].forecast(models[col / 3]).scores;
    s.map_or(f64::NAN, |s| [s.smape, s.mase, s.coverage][col % 3])
}

fn row_order(p: &mut ForecastPanel, r: &ForecastRun) -> Vec<usize> {
    if let Some((run, sort, order)) = &p.order
        && *run == r.run
        && *sort == p.sort
    {
        return order.clone();
    }
    let mut order: Vec<usize> = (0..r.batch.groups.len()).collect();
    if let Some(col) = p.sort.column {
        order.sort_by(|&a, &b| score_of(r, a, col).total_cmp(&score_of(r, b, col)));
        if p.sort.descending {
            order.reverse();
        }
    }
    p.order = Some((r.run, p.sort.clone(), order.clone()));
    order
}

pub(super) fn accuracy_ui(
    p: &mut ForecastPanel,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    r: &Arc<ForecastRun>,
) {
    ui.horizontal(|ui| {
        ui.strong("Accuracy per series");
        let r = Arc::clone(r);
        save::table_buttons(
            ui,
            ctx,
            "the accuracy table",
            "forecast-accuracy",
            move || r.batch.accuracy_frame(&r.group),
        );
    });
    if r.spec.holdout.is_none() {
        ui.label("Tick 'Score on a holdout' and Run to score the forecasts.");
        return;
    }
    ui.label("Click a heading to sort, a row to see its forecast.")
        .on_hover_text(crate::panels::glossary::forecast_scores());
    let order = row_order(p, r);
    let key_cols = r.group.len().max(1);
    let heads: Vec<String> = Model::ALL
        .iter()
        .flat_map(|m| ["sMAPE", "MASE", "coverage"].map(|s| format!("{} {s}", m.name())))
        .collect();
    let mut clicked_row = None;
    let mut clicked_head = None;
    TableBuilder::new(ui)
        .striped(true)
        .columns(Column::auto().at_least(60.0), key_cols)
        .columns(Column::auto().at_least(150.0), heads.len())
        .header(22.0, |mut h| {
            let keys: Vec<String> = if r.group.is_empty() {
                vec!["series".into()]
            } else {
                r.group.clone()
            };
            for k in keys {
                h.col(|ui| {
                    ui.strong(k);
                });
            }
            for (i, head) in heads.iter().enumerate() {
                h.col(|ui| {
                    let arrow = match (p.sort.column == Some(i), p.sort.descending) {
                        (true, false) => " (asc)",
                        (true, true) => " (desc)",
                        _ => "",
                    };
                    if ui.button(format!("{head}{arrow}")).clicked() {
                        clicked_head = Some(i);
                    }
                });
            }
        })
        .body(|body| {
            body.rows(20.0, order.len() + 1, |mut row| {
                let i = row.index();
                if i == 0 {
                    for k in 0..key_cols {
                        row.col(|ui| {
                            if k == 0 {
                                ui.strong("mean");
                            }
                        });
                    }
                    for m in Model::ALL {
                        let s = r.batch.mean(m);
                        for j in 0..3 {
                            row.col(|ui| {
                                let v = s.map_or(f64::NAN, |s| [s.smape, s.mase, s.coverage][j]);
                                ui.strong(format!("{v:.3}"));
                            });
                        }
                    }
                    return;
                }
                let g = order[i - 1];
                let key = &r.batch.groups[g].key;
                for k in 0..key_cols {
                    row.col(|ui| {
                        let text = key.get(k).cloned().unwrap_or_else(|| r.value_col.clone());
                        if ui.selectable_label(p.selected == g, text).clicked() {
                            clicked_row = Some(g);
                        }
                    });
                }
                for c in 0..heads.len() {
                    row.col(|ui| {
                        ui.label(format!("{:.3}", score_of(r, g, c)));
                    });
                }
            });
        });
    if let Some(i) = clicked_head {
        p.sort = match (p.sort.column == Some(i), p.sort.descending) {
            (true, false) => Sort {
                column: Some(i),
                descending: true,
            },
            (true, true) => Sort::default(),
            _ => Sort {
                column: Some(i),
                descending: false,
            },
        };
    }
    if let Some(g) = clicked_row {
        p.selected = g;
        p.saved.view = ForecastView::Series;
    }
}
