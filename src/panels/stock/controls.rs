//! The Stock panel's inputs: the table, which column is which, and each detector's thresholds
//! with its formula (hover its name) and the alerts the setting gives.

use std::sync::Arc;

use super::{Counts, StockPanel};
use crate::compute::stock::{Kind, ZeroScope};
use crate::data::schema;
use crate::panels::{PanelCtx, choice_combo};
use crate::usecases::Bound;
use crate::usecases::stock as usecase;

/// A detector's name (its formula on hover) and the alerts the current setting gives.
fn detector_label(ui: &mut egui::Ui, kind: Kind, counts: Option<Counts>, ran: bool) {
    ui.label(egui::RichText::new(kind.title()).strong())
        .on_hover_text(kind.formula());
    let text = match counts {
        Some(c) => format!("{} alerts", c[kind.index()]),
        None if ran => "counting…".to_owned(),
        None => String::new(),
    };
    if !text.is_empty() {
        ui.weak(text)
            .on_hover_text("Alerts this setting gives on the table last run");
    }
}

/// A label and its widget, on a new row when the two do not fit (the row's labels do not break
/// inside, see `ui`).
fn field(ui: &mut egui::Ui, label: &str, widget: impl egui::Widget, hover: &str) -> egui::Response {
    let width = crate::panels::slider_width(ui);
    crate::panels::wrap_unless_fits(ui, label, width);
    let l = ui.label(label);
    let r = ui.add(widget).labelled_by(l.id);
    if hover.is_empty() {
        r
    } else {
        r.on_hover_text(hover)
    }
}

/// A probability threshold on a log scale.
fn probability(value: &mut f64, bound: Bound<f64>) -> egui::Slider<'_> {
    egui::Slider::new(value, bound.range())
        .logarithmic(true)
        .custom_formatter(|v, _| crate::format::chance(v))
        .custom_parser(crate::format::parse_chance)
}

fn days(value: &mut usize, bound: Bound<usize>) -> egui::DragValue<'_> {
    egui::DragValue::new(value)
        .range(bound.range())
        .suffix(" days")
}

pub(super) fn ui(p: &mut StockPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
    let data = ctx.catalog.by_name(&p.saved.dataset);
    ui.horizontal_wrapped(|ui| {
        let names = ctx.catalog.names();
        choice_combo(ui, "Table", &names, &mut p.saved.dataset);
        let run_clicked = ui
            .add_enabled(data.is_some(), egui::Button::new("Find alerts"))
            .on_hover_text("Run the four detectors over every store and SKU (recorded)")
            .clicked();
        if run_clicked && let Some(d) = &data {
            p.start(ctx, Arc::clone(d));
        }
        if p.run.is_pending() {
            ui.spinner();
        }
        if data.is_none() {
            ui.label(format!("'{}' is not open", p.saved.dataset));
        }
    });
    if let Some(d) = &data {
        egui::CollapsingHeader::new("Columns")
            .id_salt("stock-columns")
            .show(ui, |ui| {
                let names = d.column_names();
                let numeric = schema::numeric_columns(&d.frame);
                let c = &mut p.saved.columns;
                ui.horizontal_wrapped(|ui| {
                    choice_combo(ui, "Date", &names, &mut c.date);
                    choice_combo(ui, "Store", &names, &mut c.store);
                    choice_combo(ui, "SKU", &names, &mut c.sku);
                });
                ui.horizontal_wrapped(|ui| {
                    choice_combo(ui, "On hand", &numeric, &mut c.on_hand);
                    choice_combo(ui, "Units sold", &numeric, &mut c.sold);
                    choice_combo(ui, "Units received", &numeric, &mut c.received);
                });
                let mut optional = vec![String::new()];
                optional.extend(numeric.iter().cloned());
                ui.horizontal_wrapped(|ui| {
                    ui.weak("Optional:");
                    choice_combo(ui, "Safety stock", &optional, &mut c.safety_stock);
                    choice_combo(ui, "Lead time", &optional, &mut c.lead_time);
                    choice_combo(ui, "Price", &optional, &mut c.price);
                });
            });
    }
    let counts = p.live_counts();
    let ran = p.run.latest().is_some();
    let edited = p
        .run
        .latest()
        .is_some_and(|r| r.out.thresholds != p.saved.thresholds);
    egui::CollapsingHeader::new("Detectors and thresholds")
        .id_salt("stock-thresholds")
        .default_open(true)
        .show(ui, |ui| {
            // Rows wrap between widgets, never inside a label.
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            let t = &mut p.saved.thresholds;
            ui.horizontal_wrapped(|ui| {
                detector_label(ui, Kind::ZeroSales, counts, ran);
                field(
                    ui,
                    "chance below",
                    probability(&mut t.zero_sales, usecase::ZERO_SALES),
                    "",
                );
                ui.selectable_value(&mut t.zero_scope, ZeroScope::History, "in the history")
                    .on_hover_text(
                        "The chance of a run this long anywhere in the SKU's history: slow \
                         movers' normal long runs do not fire",
                    );
                ui.selectable_value(&mut t.zero_scope, ZeroScope::PerRun, "per run (book)")
                    .on_hover_text("The book's figure: (1 − p)^k for the run alone");
            });
            ui.horizontal_wrapped(|ui| {
                detector_label(ui, Kind::Phantom, counts, ran);
                field(
                    ui,
                    "after",
                    days(&mut t.phantom_min_days, usecase::PHANTOM_MIN_DAYS),
                    "Shortest run without sales, with stock reported, that is a phantom alert",
                );
            });
            ui.horizontal_wrapped(|ui| {
                detector_label(ui, Kind::SafetyStock, counts, ran);
                field(
                    ui,
                    "service level",
                    egui::Slider::new(&mut t.service_level, usecase::SERVICE_LEVEL.range())
                        .fixed_decimals(3),
                    "For a safety stock computed when the table has none, and for checking \
                     that a given one covers lead-time demand",
                );
                field(
                    ui,
                    "lead time",
                    egui::DragValue::new(&mut t.lead_time_days)
                        .range(usecase::LEAD_TIME.range())
                        .suffix(" days"),
                    "Used for SKUs without a lead-time column",
                );
                field(
                    ui,
                    "lasting",
                    days(&mut t.safety_min_days, usecase::SAFETY_MIN_DAYS),
                    "Shortest run of days below safety stock that is an alert",
                );
            });
            ui.horizontal_wrapped(|ui| {
                detector_label(ui, Kind::Osa, counts, ran);
                field(
                    ui,
                    "chance below",
                    probability(&mut t.osa, usecase::OSA),
                    "",
                );
                field(
                    ui,
                    "sales under",
                    egui::Slider::new(&mut t.osa_ratio, usecase::OSA_RATIO.range())
                        .fixed_decimals(2)
                        .custom_formatter(|v, _| format!("{:.0}%", 100.0 * v)),
                    "of the expected sales",
                );
                field(
                    ui,
                    "over",
                    days(&mut t.osa_min_days, usecase::OSA_MIN_DAYS),
                    "Shortest OSA alert",
                );
            });
            if edited {
                ui.weak("Counts are for the edited thresholds; Find alerts to list the alerts.");
            }
        });
}
