//! The Forecast panel's inputs: dataset, date/value/group columns, horizon, holdout, interval
//! and mode, and the Run button that starts the job.

use std::sync::Arc;

use polars::prelude::DataType;

use super::ForecastPanel;
use super::run::ForecastResult;
use crate::compute::forecast::Mode;
use crate::data::{Dataset, schema};
use crate::panels::run_slot::RunInputs;
use crate::panels::{PanelCtx, choice_combo};
use crate::runs::of_dataset;
use crate::usecases::analysis::{Analysis, Forecast};
use crate::usecases::forecast as usecase;

/// Sensible columns for a dataset the current choices do not fit: the first date-like column,
/// the last numeric one, no groups.
fn guess_columns(p: &mut ForecastPanel, d: &Dataset, names: &[String]) {
    let has = |c: &str| names.iter().any(|n| n == c);
    if has(&p.saved.date_col) && has(&p.saved.value_col) {
        p.saved.group.retain(|g| has(g));
        return;
    }
    let date = d
        .frame
        .columns()
        .iter()
        .find(|c| c.dtype() == &DataType::Date || c.name().to_lowercase().contains("date"));
    p.saved.date_col = date.map_or_else(
        || names.first().cloned().unwrap_or_default(),
        |c| c.name().to_string(),
    );
    p.saved.value_col = schema::numeric_columns(&d.frame)
        .into_iter()
        .rfind(|c| *c != p.saved.date_col)
        .unwrap_or_default();
    p.saved.group.clear();
}

pub(super) fn ui(p: &mut ForecastPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
    let data = ctx.catalog.by_name(&p.saved.dataset);
    ui.horizontal_wrapped(|ui| {
        egui::ComboBox::from_label("Table")
            .selected_text(p.saved.dataset.clone())
            .show_ui(ui, |ui| {
                for e in ctx.catalog.entries() {
                    ui.selectable_value(&mut p.saved.dataset, e.data.name.clone(), &e.data.name);
                }
            });
        let Some(d) = &data else {
            ui.label(format!("'{}' is not open", p.saved.dataset));
            return;
        };
        let names = d.column_names();
        guess_columns(p, d, &names);
        ui.separator();
        choice_combo(ui, "Date", &names, &mut p.saved.date_col);
        ui.separator();
        let numeric = schema::numeric_columns(&d.frame);
        choice_combo(ui, "Value", &numeric, &mut p.saved.value_col);
        ui.separator();
        ui.label("Groups:");
        for n in &names {
            if *n == p.saved.date_col || *n == p.saved.value_col {
                continue;
            }
            let mut on = p.saved.group.contains(n);
            if ui
                .checkbox(&mut on, n.as_str())
                .on_hover_text(format!("One model per value of {n}"))
                .changed()
            {
                if on {
                    p.saved.group.push(n.clone());
                } else {
                    p.saved.group.retain(|g| g != n);
                }
            }
        }
    });
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Horizon");
        ui.add(egui::DragValue::new(&mut p.saved.horizon).range(usecase::HORIZON.range()))
            .labelled_by(l.id)
            .on_hover_text("Steps to forecast: days for daily data, months for monthly data");
        ui.checkbox(&mut p.saved.holdout, "Score on a holdout")
            .on_hover_text("Hide the last horizon steps of every series, forecast and score them");
        ui.add(
            egui::Slider::new(&mut p.saved.interval, usecase::INTERVAL.range())
                .text("Interval")
                .fixed_decimals(2),
        );
        let m = &mut p.saved.mode;
        ui.selectable_value(m, Mode::Multiplicative, "Multiplicative")
            .on_hover_text("Seasonality scales with the trend (the book's setting)");
        ui.selectable_value(m, Mode::Additive, "Additive")
            .on_hover_text("Seasonality adds to the trend (for values that cross zero)");
        ui.checkbox(&mut p.saved.us_holidays, "US holidays")
            .on_hover_text(
                "One effect per US federal holiday (observed dates), fitted with the other terms; \
             a table of your own: playbook forecast --holidays FILE",
            );
        let run_clicked = ui
            .add_enabled(data.is_some(), egui::Button::new("Run"))
            .on_hover_text("Fit one model per group as a background job")
            .clicked();
        if run_clicked && let Some(d) = &data {
            start(p, ctx, Arc::clone(d));
        }
        if p.run.is_pending() {
            ui.spinner();
        }
    });
}

pub(super) fn start(p: &mut ForecastPanel, ctx: &mut PanelCtx<'_>, data: Arc<Dataset>) {
    let params = p.saved.params();
    let inputs = RunInputs::recorded(vec![of_dataset("table", &data)]);
    p.run.start::<Forecast>(
        ctx,
        params.clone(),
        inputs,
        {
            let data = Arc::clone(&data);
            move |valid, job| Forecast::run(valid, &data, job)
        },
        move |out, _| {
            Ok(ForecastResult {
                out,
                dataset: data.name.clone(),
                params,
            })
        },
    );
}
