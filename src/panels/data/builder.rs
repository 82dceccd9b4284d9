//! The Data panel's Chart view: the chart builder (`usecases::explore`) on the selected
//! dataset. Mark, x, y, colour, aggregation, time bins and a filter expression; the chart is
//! built as a job on every change, the filtered row count shown with it, and a filter's error
//! shown under the filter (with its position) rather than in the status bar.

use std::sync::Arc;

use polars::prelude::DataType;

use super::DataPanel;
use crate::data::Dataset;
use crate::panels::PanelCtx;
use crate::panels::chart_view::{BrushEvent, show_chart, show_chart_brush};
use crate::panels::save;
use crate::session::DatasetId;
use crate::usecases::explore::{self, Agg, Condition, Plot, PlotMark, PlotSpec, TimeBin};

/// A range of x brushed on the builder's chart (dragged across it): until cleared, the Preview,
/// Summary and Charts views show only the rows in it. Tableau's action filter, on one dataset.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Brush {
    pub dataset: DatasetId,
    pub column: String,
    pub lo: f64,
    pub hi: f64,
    /// x is days since 1970 (a date or time column).
    pub dated: bool,
}

impl Brush {
    /// The filter expression of the range, both ends included: the filter bar's range
    /// condition, with no column extent (so it never reads as "every row").
    pub fn filter(&self) -> String {
        let range = Condition::Range {
            column: self.column.clone(),
            lo: self.lo,
            hi: self.hi,
            min: f64::NEG_INFINITY,
            max: f64::INFINITY,
            dated: self.dated,
        };
        range.expr().unwrap_or_default()
    }

    pub fn describe(&self) -> String {
        let (lo, hi) = if self.dated {
            (
                crate::format::date(self.lo.floor()),
                crate::format::date(self.hi.ceil()),
            )
        } else {
            (crate::format::short(self.lo), crate::format::short(self.hi))
        };
        format!("{} from {lo} to {hi}", self.column)
    }
}

/// The brush's bar (what is brushed, how many rows, Clear) and, once filtered (a job), the
/// rows in the range as a dataset of their own id.
pub(super) fn brushed(
    panel: &mut DataPanel,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    brush: &Brush,
    data: &Arc<Dataset>,
) -> Option<(DatasetId, Arc<Dataset>)> {
    let key = (brush.dataset, brush.filter());
    let (d, filter) = (data.clone(), key.1.clone());
    panel.brushed.request(
        ctx.jobs,
        key.clone(),
        format!("brush:{}", brush.dataset),
        "Rows in the brushed range".into(),
        move |_| {
            let frame = crate::compute::expr::filter(&d.frame, &filter)
                .map_err(|e| anyhow::anyhow!("{}: brush {e}", d.name))?;
            Ok(Arc::new(d.with_frame(frame, Vec::new())))
        },
    );
    let got = panel.brushed.get(&key).cloned();
    ui.horizontal_wrapped(|ui| {
        ui.colored_label(ui.visuals().warn_fg_color, "Brushed:");
        ui.label(brush.describe());
        match &got {
            Some(b) => ui.label(format!(
                "— {} of {} rows in Preview, Summary and Charts",
                crate::format::whole(b.rows()),
                crate::format::whole(data.rows())
            )),
            None => ui.spinner(),
        };
        if ui
            .small_button("Clear brush")
            .on_hover_text("Show every row again (or double-click the chart)")
            .clicked()
        {
            panel.brush = None;
        }
    });
    // Its own id, new for each range, so the views' cached results are not the whole table's.
    got.map(|b| ((1 << 62) + panel.brush_serial, b))
}

/// The filter bar: a row per condition (a range for numbers and dates, a pick list for text
/// with few values, a search otherwise), and "+ condition" to add one for a column (its range
/// or values found in a job).
fn conditions(
    panel: &mut DataPanel,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    id: DatasetId,
    data: &Arc<Dataset>,
) {
    let names = data.column_names();
    let spec = spec_for(&mut panel.saved, data);
    spec.conditions
        .retain(|c| names.iter().any(|n| n == c.column()));
    if let Some((_, (made_for, c))) = panel.new_condition.latest().map(|c| (0, c.clone()))
        && made_for == id
    {
        spec.conditions.push(c);
        panel.new_condition.clear();
    }
    let mut remove = None;
    for (k, c) in spec.conditions.iter_mut().enumerate() {
        ui.horizontal_wrapped(|ui| {
            match c {
                Condition::Range {
                    column,
                    lo,
                    hi,
                    min,
                    max,
                    dated,
                } => {
                    ui.label(format!("{column} from"));
                    let dated = *dated;
                    let show = move |v: f64| {
                        if dated {
                            crate::format::date(v)
                        } else {
                            crate::format::short(v)
                        }
                    };
                    let range = *min..=*max;
                    ui.add(
                        egui::Slider::new(lo, range.clone()).custom_formatter(move |v, _| show(v)),
                    );
                    ui.label("to");
                    ui.add(egui::Slider::new(hi, range).custom_formatter(move |v, _| show(v)));
                    if *lo > *hi {
                        std::mem::swap(lo, hi);
                    }
                }
                Condition::OneOf {
                    column,
                    values,
                    options,
                } => {
                    ui.label(format!("{column} is any of"));
                    for o in options.iter() {
                        let mut on = values.contains(o);
                        if ui.checkbox(&mut on, o).changed() {
                            if on {
                                values.push(o.clone());
                            } else {
                                values.retain(|v| v != o);
                            }
                        }
                    }
                    if values.is_empty() {
                        ui.weak("(none ticked: every row)");
                    }
                }
                Condition::Contains {
                    column,
                    text,
                    regex,
                } => {
                    ui.label(format!("{column} contains"));
                    ui.add(egui::TextEdit::singleline(text).desired_width(160.0));
                    ui.checkbox(regex, "regular expression");
                }
            }
            if ui
                .small_button("×")
                .on_hover_text("Remove this condition")
                .clicked()
            {
                remove = Some(k);
            }
        });
    }
    if let Some(k) = remove {
        spec.conditions.remove(k);
    }
    ui.horizontal(|ui| {
        let mut pick: Option<String> = None;
        combo(ui, "Filter on", "+ condition", |ui| {
            for n in &names {
                if ui.selectable_label(false, n).clicked() {
                    pick = Some(n.clone());
                }
            }
        });
        if panel.new_condition.is_pending() {
            ui.spinner();
        }
        if let Some(column) = pick {
            let d = data.clone();
            panel.new_condition.request(
                ctx.jobs,
                (id, column.clone()),
                format!("condition:{id}:{column}"),
                format!("Values of {column}"),
                move |_| Ok((id, Condition::for_column(&d.name, &d.frame, &column)?)),
            );
        }
    });
}

/// A built chart, or why there is none (a filter's error), for (dataset, spec as JSON).
pub(crate) type Built = Result<Arc<Plot>, String>;
pub(crate) type BuiltKey = (DatasetId, String);

/// The spec's columns exist in `data`; if not (another dataset), start from a sensible chart:
/// the first date column against the first number (or the first two numbers).
/// The chart of `data` (by name), made from the last chart (fitted to its columns) the first
/// time.
fn spec_for<'a>(saved: &'a mut super::DataChoices, data: &Dataset) -> &'a mut PlotSpec {
    if !saved.plots.contains_key(&data.name) {
        let mut spec = saved.plot.clone();
        fit_to(&mut spec, data);
        saved.plots.insert(data.name.clone(), spec);
    }
    saved.plots.get_mut(&data.name).expect("inserted above")
}

fn fit_to(spec: &mut PlotSpec, data: &Dataset) {
    let names = data.column_names();
    let has = |c: &Option<String>| c.as_ref().is_none_or(|c| names.contains(c));
    if !spec.x.is_empty() && names.contains(&spec.x) && has(&spec.y) && has(&spec.color) {
        return;
    }
    let frame = &data.frame;
    let dates: Vec<String> = frame
        .columns()
        .iter()
        .filter(|c| matches!(c.dtype(), DataType::Date | DataType::Datetime(..)))
        .map(|c| c.name().to_string())
        .collect();
    let numbers = crate::data::schema::numeric_columns(frame);
    let x = dates
        .first()
        .or(numbers.first())
        .cloned()
        .unwrap_or_default();
    let y = numbers.iter().find(|n| **n != x).cloned();
    *spec = PlotSpec {
        mark: if y.is_some() {
            PlotMark::Line
        } else {
            PlotMark::Histogram
        },
        x,
        y,
        ..PlotSpec::default()
    };
}

/// A label, then its drop-down (read left to right: "x [date]"), labelled for screen readers.
fn combo(ui: &mut egui::Ui, label: &str, selected: &str, items: impl FnOnce(&mut egui::Ui)) {
    // The label and its drop-down wrap to the next row together.
    crate::panels::wrap_unless_fits(ui, label, ui.spacing().combo_width + 8.0);
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(("builder", label))
        .selected_text(selected)
        .show_ui(ui, items)
        .response
        .labelled_by(l.id);
}

fn optional_column(ui: &mut egui::Ui, label: &str, choice: &mut Option<String>, names: &[String]) {
    let selected = choice.clone().unwrap_or_else(|| "none".to_owned());
    combo(ui, label, &selected, |ui| {
        ui.selectable_value(choice, None, "none");
        for n in names {
            ui.selectable_value(choice, Some(n.clone()), n);
        }
    });
}

/// Small multiples in a grid of up to three columns, each titled, sharing the height left.
fn small_multiples(ui: &mut egui::Ui, charts: &[crate::chart::Chart]) {
    let cols = charts.len().clamp(1, 3);
    let rows = charts.len().div_ceil(cols);
    let height = ((ui.available_height() - 8.0) / rows as f32 - 22.0).max(160.0);
    egui::ScrollArea::vertical()
        .id_salt("facets")
        .show(ui, |ui| {
            for (r, row) in charts.chunks(cols).enumerate() {
                ui.columns(cols, |columns| {
                    for (k, (col, chart)) in columns.iter_mut().zip(row).enumerate() {
                        col.small(&chart.title);
                        show_chart(col, &format!("facet-{}", r * cols + k), chart, height);
                    }
                });
            }
        });
}

pub(super) fn builder(
    panel: &mut DataPanel,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    id: DatasetId,
    data: &Arc<Dataset>,
) {
    let spec = spec_for(&mut panel.saved, data);
    let names = data.column_names();
    let x_is_date = data
        .frame
        .column(&spec.x)
        .is_ok_and(|c| matches!(c.dtype(), DataType::Date | DataType::Datetime(..)));
    ui.horizontal_wrapped(|ui| {
        for m in PlotMark::ALL {
            ui.selectable_value(&mut spec.mark, m, m.name());
        }
        ui.separator();
        let selected = spec.x.clone();
        combo(ui, "x", &selected, |ui| {
            for n in &names {
                ui.selectable_value(&mut spec.x, n.clone(), n);
            }
        });
        if spec.mark != PlotMark::Histogram {
            optional_column(ui, "y", &mut spec.y, &names);
        }
        if matches!(spec.mark, PlotMark::Line | PlotMark::Scatter) {
            optional_column(ui, "Colour", &mut spec.color, &names);
        }
        optional_column(ui, "Facet", &mut spec.facet, &names);
    });
    ui.horizontal_wrapped(|ui| {
        // A line aggregates the rows that share an x (or a time bin).
        let aggregates = matches!(spec.mark, PlotMark::Bar | PlotMark::Line);
        if aggregates {
            combo(ui, "y per x", spec.agg.name(), |ui| {
                for a in Agg::ALL {
                    ui.selectable_value(&mut spec.agg, a, a.name());
                }
            });
        }
        if x_is_date && matches!(spec.mark, PlotMark::Line | PlotMark::Bar) {
            combo(ui, "Time bins", spec.time.name(), |ui| {
                for t in TimeBin::ALL {
                    ui.selectable_value(&mut spec.time, t, t.name());
                }
            });
        }
        if matches!(spec.mark, PlotMark::Histogram | PlotMark::Heat) {
            ui.add(
                egui::Slider::new(&mut spec.bins, crate::usecases::explore::BINS.range())
                    .text("Bins"),
            );
        }
    });
    ui.horizontal(|ui| {
        let l = ui.label("Where");
        ui.add(
            egui::TextEdit::singleline(&mut spec.filter)
                .hint_text("e.g. price > 100 and symbol in (\"IBM\", \"MSFT\")")
                .desired_width(ui.available_width().min(560.0)),
        )
        .labelled_by(l.id)
        .on_hover_text(
            "Keep the rows where this holds: comparisons (== != < <= > >=), in (...), and, or, not, + - * /, contains(col, \"text\"), matches(col, \"regex\"), is_null(col), year(date), month(date). Dates compare with text: date >= \"2005-01-01\". Names with spaces go in backticks.",
        );
        if !spec.filter.is_empty() && ui.small_button("×").on_hover_text("Clear the filter").clicked() {
            spec.filter.clear();
        }
    });
    conditions(panel, ui, ctx, id, data);
    let spec_now = spec_for(&mut panel.saved, data).clone();
    // The last chart made: the start for a dataset without its own.
    panel.saved.plot = spec_now.clone();
    // The conditions and the typed expression, as one filter.
    let spec = PlotSpec {
        filter: explore::combined(&spec_now.conditions, &spec_now.filter),
        conditions: Vec::new(),
        ..spec_now.clone()
    };
    let spec_filter = spec.filter.clone();
    let spec_facet = spec.facet.clone().unwrap_or_default();
    let spec_x = spec.x.clone();
    let key: BuiltKey = (id, serde_json::to_string(&spec).unwrap_or_default());
    let d = data.clone();
    panel.built.request(
        ctx.jobs,
        key.clone(),
        format!("plot:{id}"),
        format!("Chart of {}", spec.x),
        move |_| {
            Ok(explore::plot(&d.name, &d.frame, &spec)
                .map(Arc::new)
                .map_err(|e| e.to_string()))
        },
    );
    let current = panel.built.get(&key);
    let shown = current.or(panel.built.latest());
    match shown {
        None => {
            ui.spinner();
        }
        Some(Err(e)) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        Some(Ok(p)) => {
            ui.horizontal_wrapped(|ui| {
                if current.is_none() {
                    ui.spinner();
                }
                ui.label(format!(
                    "{} of {} rows",
                    crate::format::whole(p.rows),
                    crate::format::whole(p.total)
                ));
                if p.rows < p.total
                    && ui
                        .small_button("Keep these rows as a dataset")
                        .on_hover_text("A new dataset of the rows the filter keeps, for any panel (in memory until saved)")
                        .clicked()
                {
                    let (d, filter) = (data.clone(), spec_filter.clone());
                    let name = format!("{} where {}", data.name, filter.trim());
                    let made = ctx.catalog.add_made(ctx.jobs, &name, move || {
                        Ok((explore::filtered(&d.name, &d.frame, &filter)?, Vec::new()))
                    });
                    if let Err(e) = made {
                        ctx.notices.error(e.to_string());
                    }
                }
                for n in &p.notes {
                    ui.weak(format!("· {n}"));
                }
            });
            let plotted = p.data.clone();
            if p.facets.is_empty() {
                ui.horizontal_wrapped(|ui| {
                    ui.strong(&p.chart.title);
                    save::image_buttons(ui, ctx, &p.chart, "chart");
                    save::table_buttons(ui, ctx, "the plotted data", "chart-data", || {
                        Ok(plotted.clone())
                    });
                });
                let brushable = matches!(p.chart.data, crate::chart::ChartData::Lines { .. });
                if brushable {
                    ui.weak("Drag across the chart to brush a range of x: Preview, Summary and Charts then show only those rows. Double-click to clear.");
                }
                let height = (ui.available_height() - 8.0).max(220.0);
                let chart = match &panel.brush {
                    Some(b) if b.column == spec_x && b.dataset == id => {
                        p.chart.clone().with_span("", b.lo, b.hi)
                    }
                    _ => p.chart.clone(),
                };
                let event =
                    show_chart_brush(ui, "data-builder", &chart, height, &mut panel.brush_drag);
                match event {
                    Some(BrushEvent::Set(lo, hi)) => {
                        panel.brush_serial += 1;
                        panel.brush = Some(Brush {
                            dataset: id,
                            column: spec_x.clone(),
                            lo,
                            hi,
                            dated: p.chart.x_dates,
                        });
                    }
                    Some(BrushEvent::Clear) => panel.brush = None,
                    None => {}
                }
            } else {
                ui.horizontal_wrapped(|ui| {
                    ui.strong(format!(
                        "{} charts, one per value of {spec_facet}",
                        p.facets.len()
                    ));
                    save::grid_buttons(ui, ctx, &p.facets, "charts");
                    save::table_buttons(ui, ctx, "the plotted data", "chart-data", || {
                        Ok(plotted.clone())
                    });
                });
                small_multiples(ui, &p.facets);
            }
        }
    }
}
