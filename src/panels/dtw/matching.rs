//! The DTW panel's Match and Sweep views: choose the table and the pattern, run, then read the
//! distances (histogram with the median), the closest and furthest series, one series drawn
//! over the pattern with its warping path, the outliers by z-score, and the run history.

use egui_extras::TableBuilder;
use polars::prelude::{Column, DataFrame};

use super::runs::{MatchInputs, MatchResult, MatchRun};
use super::{DtwPanel, PatternSource};
use crate::compute::dtw;
use crate::format::short;
use crate::panels::chart_view::show_chart;
use crate::panels::run_slot::RunInputs;
use crate::panels::{PanelCtx, save};
use crate::usecases::analysis::{Analysis, DtwMatch, DtwSweep};
use crate::usecases::dtw::{
    self as usecase, Layout, MatchParams, PatternChoice, SeriesParams, WarpingBand,
};

pub(super) fn dataset_picker(
    ui: &mut egui::Ui,
    ctx: &PanelCtx<'_>,
    label: &str,
    choice: &mut String,
) {
    egui::ComboBox::from_label(label)
        .selected_text(choice.clone())
        .show_ui(ui, |ui| {
            for e in ctx.catalog.entries() {
                ui.selectable_value(choice, e.data.name.clone(), &e.data.name);
            }
        });
}

/// Table and pattern choices, shared by Match and Sweep.
fn inputs_ui(p: &mut DtwPanel, ui: &mut egui::Ui, ctx: &PanelCtx<'_>) {
    ui.horizontal_wrapped(|ui| {
        table_ui(p, ui, ctx);
        ui.separator();
        ui.label("Pattern:");
        let s = &mut p.saved.source;
        ui.selectable_value(s, PatternSource::Curve, "A curve");
        ui.selectable_value(s, PatternSource::Series, "A series");
        ui.selectable_value(s, PatternSource::Typed, "Typed");
        match p.saved.source {
            PatternSource::Curve => dataset_picker(ui, ctx, "Curve", &mut p.saved.curve_dataset),
            PatternSource::Series => {
                let r = ui.add(
                    egui::TextEdit::singleline(&mut p.saved.pattern_id)
                        .desired_width(90.0)
                        .hint_text("e.g. P12"),
                );
                r.on_hover_text("Id of the pattern series");
            }
            PatternSource::Typed => {
                let r = ui.add(egui::TextEdit::singleline(&mut p.saved.typed).desired_width(220.0));
                r.on_hover_text("Pattern values, separated by commas");
            }
        }
        ui.checkbox(&mut p.saved.znorm, "Z-normalise");
    });
}

/// The series table and its layout (Match, Sweep and All pairs), in the caller's row.
pub(super) fn table_ui(p: &mut DtwPanel, ui: &mut egui::Ui, ctx: &PanelCtx<'_>) {
    dataset_picker(ui, ctx, "Series table", &mut p.saved.series_dataset);
    let long = matches!(p.saved.layout, Layout::Long { .. });
    if ui
        .selectable_label(!long, "Wide")
        .on_hover_text("An id column, then one column per time step")
        .clicked()
    {
        p.saved.layout = Layout::Wide;
    }
    if ui
        .selectable_label(long, "Long")
        .on_hover_text("One row per id, time and value")
        .clicked()
        && !long
    {
        p.saved.layout = Layout::Long {
            id: "id".into(),
            time: "time".into(),
            value: "value".into(),
        };
    }
    if let Layout::Long { id, time, value } = &mut p.saved.layout {
        for (text, hint) in [
            (id, "id column"),
            (time, "time column"),
            (value, "value column"),
        ] {
            ui.add(egui::TextEdit::singleline(text).desired_width(70.0))
                .on_hover_text(hint);
        }
    }
}

/// The panel's choices as the use case's params.
pub(super) fn params(p: &DtwPanel) -> MatchParams {
    let s = &p.saved;
    MatchParams {
        series: SeriesParams {
            layout: s.layout.clone(),
            id_col: None,
            pattern: match s.source {
                PatternSource::Series => PatternChoice::Series(s.pattern_id.trim().to_owned()),
                PatternSource::Curve => PatternChoice::Curve(s.curve_dataset.clone()),
                PatternSource::Typed => PatternChoice::Typed(s.typed.clone()),
            },
            znorm: s.znorm,
        },
        band: WarpingBand {
            stretch: s.window,
            cells: None,
        },
    }
}

/// The chosen inputs, taken from the catalog now (the job gets its own handles); a table that
/// is not open goes to the status bar.
fn take_inputs(p: &DtwPanel, ctx: &mut PanelCtx<'_>) -> Option<MatchInputs> {
    match chosen_inputs(p, ctx) {
        Ok(inputs) => Some(inputs),
        Err(e) => {
            ctx.notices.error(e);
            None
        }
    }
}

fn chosen_inputs(p: &DtwPanel, ctx: &PanelCtx<'_>) -> Result<MatchInputs, String> {
    let find = |name: &str| {
        ctx.catalog
            .by_name(name)
            .ok_or_else(|| format!("DTW: no dataset named '{name}' is open"))
    };
    let params = params(p);
    let curve = match &params.series.pattern {
        PatternChoice::Curve(name) => Some(find(name)?),
        _ => None,
    };
    Ok(MatchInputs {
        series: find(&p.saved.series_dataset)?,
        curve,
        params,
    })
}

pub(super) fn ui(p: &mut DtwPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
    inputs_ui(p, ui, ctx);
    ui.horizontal_wrapped(|ui| {
        ui.add(
            egui::Slider::new(&mut p.saved.window, usecase::STRETCH.range()).text("Stretch factor"),
        )
        .on_hover_text(crate::panels::glossary::STRETCH);
        if ui
            .button("Run")
            .on_hover_text("Compute DTW distances")
            .clicked()
        {
            start_match(p, ctx);
        }
        if p.run.is_pending() {
            ui.spinner();
        }
    });
    let Some(r) = p.run.latest().cloned() else {
        ui.label("Choose a table and a pattern, then Run.");
        return;
    };
    ui.separator();
    egui::ScrollArea::vertical().show(ui, |ui| results_ui(p, ui, ctx, &r));
}

/// Match the pattern against every series, as a job (the Run button, and "Try it").
pub(super) fn start_match(p: &mut DtwPanel, ctx: &mut PanelCtx<'_>) {
    let Some(inputs) = take_inputs(p, ctx) else {
        return;
    };
    let fingerprints = RunInputs::recorded(inputs.fingerprints());
    let MatchInputs {
        series,
        curve,
        params,
    } = inputs;
    p.run.start::<DtwMatch>(
        ctx,
        params.clone(),
        fingerprints,
        move |valid, job| DtwMatch::run(valid, (&series, curve.as_deref()), job),
        |out, _| Ok(MatchResult { params, out }),
    );
}

fn results_ui(p: &mut DtwPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>, r: &MatchRun) {
    crate::panels::stale_note(
        ui,
        (&r.dataset, &r.params),
        (&p.saved.series_dataset, &params(p)),
        "Run",
    );
    ui.label(format!(
        "{} series of {} against {}: median distance {}, band {} cells{}.{}",
        r.distances.len(),
        r.dataset,
        r.pattern_name,
        short(r.median),
        r.cells,
        if r.znorm { ", z-normalised" } else { "" },
        crate::panels::recorded_as(r.run_id)
    ))
    .on_hover_text(crate::panels::glossary::BAND_CELLS);
    let chart_height = 240.0;
    ui.columns(2, |cols| {
        if let Some(chart) = &r.chart {
            cols[0].horizontal(|ui| {
                ui.strong("Distances");
                save::chart_buttons(ui, ctx, chart, "dtw-distances");
            });
            show_chart(&mut cols[0], "dtw_hist", chart, chart_height);
        }
        detail_ui(p, &mut cols[1], ctx, r, chart_height);
    });
    ui.columns(2, |cols| {
        let n = p.saved.top_n.min(r.order.len());
        ranked_list(p, &mut cols[0], r, "Closest", r.order.iter().take(n));
        ranked_list(p, &mut cols[1], r, "Furthest", r.order.iter().rev().take(n));
    });
    ui.separator();
    outliers_ui(p, ui, ctx, r);
    ui.separator();
    ui.strong("Runs");
    crate::panels::runs::history_ui(&mut p.history, ui, ctx, usecase::ID_MATCH);
}

fn ranked_list<'a>(
    p: &mut DtwPanel,
    ui: &mut egui::Ui,
    r: &MatchRun,
    title: &str,
    items: impl Iterator<Item = &'a usize>,
) {
    ui.strong(title);
    for &k in items {
        let text = format!("{}  {}", r.ids[k], short(r.distances[k]));
        if ui.selectable_label(p.selected == Some(k), text).clicked() {
            p.selected = Some(k);
        }
    }
}

/// The selected series over the pattern, with the warping path between them.
fn detail_ui(p: &mut DtwPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>, r: &MatchRun, h: f32) {
    let Some(k) = p.selected.filter(|&k| k < r.series.len()) else {
        ui.label("Click a series in the lists below to draw it over the pattern.");
        return;
    };
    let (a, b, cells) = (r.pattern.clone(), r.series[k].clone(), r.cells_for(k));
    p.path.request(
        ctx.jobs,
        (r.run, k),
        format!("dtw:path:{}:{k}", r.run),
        format!("Warping path of {}", r.ids[k]),
        move |_| Ok(dtw::warping_path(&a, &b, cells)),
    );
    let Some(path) = p.path.get(&(r.run, k)) else {
        ui.spinner();
        return;
    };
    let chart = r.path_chart(k, path, "time step", "value");
    ui.horizontal_wrapped(|ui| {
        ui.strong(format!("{} against the pattern", r.ids[k]));
        if ui.small_button("Use as pattern").clicked() {
            p.saved.source = PatternSource::Series;
            p.saved.pattern_id = r.ids[k].clone();
        }
        save::chart_buttons(ui, ctx, &chart, &format!("dtw-{}", r.ids[k]));
    });
    show_chart(ui, "dtw_detail", &chart, h);
}

fn outliers_ui(p: &mut DtwPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>, r: &MatchRun) {
    let rows: Vec<usize> = r
        .order
        .iter()
        .copied()
        .filter(|&k| r.zscores[k].abs() > p.saved.z_threshold)
        .collect();
    ui.horizontal_wrapped(|ui| {
        ui.strong("Outliers");
        ui.add(egui::Slider::new(&mut p.saved.z_threshold, 0.5..=4.0).text("|z| above"))
            .on_hover_text(crate::panels::glossary::Z);
        ui.label(format!("{} of {}", rows.len(), r.order.len()));
        save::table_buttons(ui, ctx, "the outliers", "dtw-outliers", || {
            DataFrame::new_infer_height(vec![
                Column::new(
                    "id".into(),
                    rows.iter().map(|&k| r.ids[k].as_str()).collect::<Vec<_>>(),
                ),
                Column::new(
                    "distance".into(),
                    rows.iter().map(|&k| r.distances[k]).collect::<Vec<_>>(),
                ),
                Column::new(
                    "zscore".into(),
                    rows.iter().map(|&k| r.zscores[k]).collect::<Vec<_>>(),
                ),
            ])
        });
        if ui
            .button("Save all distances")
            .on_hover_text("id, distance, zscore of every series, closest first (CSV)")
            .clicked()
        {
            match dtw::distance_table(&r.ids, &r.distances) {
                Ok(df) => {
                    if let Err(e) = ctx.exports.save(
                        ctx.jobs,
                        crate::session::Payload::Table(df),
                        "dtw-distances",
                        crate::session::SaveAs::Csv,
                    ) {
                        ctx.notices.error(e.to_string());
                    }
                }
                Err(e) => ctx.notices.error(e.to_string()),
            }
        }
    });
    TableBuilder::new(ui)
        .id_salt("dtw_outliers")
        .striped(true)
        .max_scroll_height(160.0)
        .columns(egui_extras::Column::initial(120.0), 3)
        .header(20.0, |mut h| {
            for t in ["id", "distance", "z-score"] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(18.0, rows.len(), |mut row| {
                let k = rows[row.index()];
                for text in [r.ids[k].clone(), short(r.distances[k]), short(r.zscores[k])] {
                    row.col(|ui| {
                        ui.label(text);
                    });
                }
            });
        });
}

pub(super) fn sweep_ui(p: &mut DtwPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
    inputs_ui(p, ui, ctx);
    ui.horizontal_wrapped(|ui| {
        let list = usecase::SWEEP.map(|w| w.to_string()).join(", ");
        if ui
            .button("Run sweep")
            .on_hover_text(format!("Median distance at stretch factors {list}"))
            .clicked()
        {
            start_sweep(p, ctx);
        }
        if p.sweep.is_pending() {
            ui.spinner();
        }
    });
    let Some(run) = p.sweep.latest() else {
        ui.label("Run a sweep to see how the distances shrink as the stretch factor grows.");
        return;
    };
    crate::panels::stale_note(
        ui,
        (&run.dataset, &run.series),
        (&p.saved.series_dataset, &params(p).series),
        "Run sweep",
    );
    let rows = &run.out.rows;
    let chart = run.out.chart();
    ui.horizontal_wrapped(|ui| {
        ui.strong("Median distance by stretch factor");
        save::chart_buttons(ui, ctx, &chart, "dtw-sweep");
    });
    show_chart(ui, "dtw_sweep", &chart, 260.0);
    ui.horizontal_wrapped(|ui| {
        save::table_buttons(ui, ctx, "the sweep table", "dtw-sweep", || {
            dtw::sweep_table(rows)
        });
    });
    egui::Grid::new("dtw_sweep_table")
        .striped(true)
        .show(ui, |ui| {
            for t in ["stretch", "median", "mean", "min", "max"] {
                ui.strong(t);
            }
            ui.end_row();
            for r in rows {
                for v in [r.window, r.median, r.mean, r.min, r.max] {
                    ui.label(short(v));
                }
                ui.end_row();
            }
        });
}

/// The median distance at each of the sweep's stretch factors, as a job.
fn start_sweep(p: &mut DtwPanel, ctx: &mut PanelCtx<'_>) {
    let Some(inputs) = take_inputs(p, ctx) else {
        return;
    };
    let fingerprints = RunInputs::recorded(inputs.fingerprints());
    let params = usecase::SweepParams {
        series: inputs.params.series.clone(),
        stretches: usecase::SWEEP.to_vec(),
    };
    let series = params.series.clone();
    let dataset = inputs.series.name.clone();
    p.sweep.start::<DtwSweep>(
        ctx,
        params,
        fingerprints,
        move |valid, job| DtwSweep::run(valid, (&inputs.series, inputs.curve.as_deref()), job),
        |out, _| {
            Ok(super::SweepResult {
                dataset,
                series,
                out,
            })
        },
    );
}
