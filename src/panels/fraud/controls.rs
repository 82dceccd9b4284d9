//! The Fraud panel's inputs: the dataset, the labels (a rule editor with live counts of rows
//! and money flagged, or a 0/1 column), the tree's settings, and the Train button.

use std::sync::Arc;

use super::FraudPanel;
use super::run::FraudResult;
use crate::compute::fraud::rules::{Condition, Group, Op, RuleSet};
use crate::panels::PanelCtx;
use crate::panels::run_slot::RunInputs;
use crate::runs::of_dataset;
use crate::usecases::analysis::{Analysis, FraudTree};
use crate::usecases::fraud::{self as usecase, LabelChoice};

/// Give an unlabelled combo box an accessible name (screen readers, GUI tests).
fn name(r: &egui::Response, label: &str, value: &str) {
    r.widget_info(|| {
        let mut info = egui::WidgetInfo::labeled(egui::Role::ComboBox, true, label);
        info.current_text_value = Some(value.to_owned());
        info
    });
}

fn hash(key: &(String, String)) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

fn pct(x: f64) -> String {
    format!("{:.2}%", 100.0 * x)
}

/// The rule editor: one row of conditions per group; groups are ORed.
fn rules_ui(p: &mut FraudPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>, columns: &[String]) {
    ui.label("A row is labelled fraud when all the conditions of any group hold:");
    let counts = {
        let key = (p.saved.dataset.clone(), p.saved.params.rules.to_string());
        if let Some(d) = ctx.catalog.by_name(&p.saved.dataset) {
            let rules = p.saved.params.rules.clone();
            let money = p.saved.params.money_col.clone();
            p.counts.request(
                ctx.jobs,
                key.clone(),
                format!("fraud:counts:{}", hash(&key)),
                "Count rule matches".into(),
                move |_| Ok(Arc::new(usecase::count_rules(&d, &rules, &money)?)),
            );
        }
        p.counts.get(&key).cloned()
    };
    let mut remove_group = None;
    let groups = p.saved.params.rules.groups.len();
    for (gi, g) in p.saved.params.rules.groups.iter_mut().enumerate() {
        ui.horizontal_wrapped(|ui| {
            ui.strong(if gi == 0 { "IF" } else { "OR" });
            let mut remove = None;
            for (ci, c) in g.conditions.iter_mut().enumerate() {
                if ci > 0 {
                    ui.label("AND");
                }
                let r = egui::ComboBox::from_id_salt(("fraud_col", gi, ci))
                    .selected_text(c.column.clone())
                    .width(110.0)
                    .show_ui(ui, |ui| {
                        for n in columns {
                            ui.selectable_value(&mut c.column, n.clone(), n);
                        }
                    })
                    .response;
                name(&r, "column", &c.column);
                let r = egui::ComboBox::from_id_salt(("fraud_op", gi, ci))
                    .selected_text(c.op.symbol())
                    .width(40.0)
                    .show_ui(ui, |ui| {
                        for op in Op::ALL {
                            ui.selectable_value(&mut c.op, op, op.symbol());
                        }
                    })
                    .response;
                name(&r, "comparison", c.op.symbol());
                ui.add(egui::TextEdit::singleline(&mut c.value).desired_width(80.0))
                    .on_hover_text("A number, or a text value for text columns");
                if ui
                    .small_button("×")
                    .on_hover_text("Remove this condition")
                    .clicked()
                {
                    remove = Some(ci);
                }
            }
            if let Some(ci) = remove {
                g.conditions.remove(ci);
            }
            if ui.small_button("+ condition").clicked() {
                g.conditions.push(Condition {
                    column: columns.first().cloned().unwrap_or_default(),
                    op: Op::Gt,
                    value: "0".into(),
                });
            }
            if groups > 1 && ui.small_button("remove group").clicked() {
                remove_group = Some(gi);
            }
            if let Some(k) = counts.as_ref().and_then(|c| c.per_group.get(gi).copied()) {
                let total = counts.as_ref().map_or(1, |c| c.total_rows.max(1));
                let rows = pct(k.rows as f64 / total as f64);
                ui.weak(match k.money_share {
                    Some(m) => format!("{rows} of rows, {} of money", pct(m)),
                    None => format!("{rows} of rows"),
                });
            }
        });
    }
    if let Some(gi) = remove_group {
        p.saved.params.rules.groups.remove(gi);
    }
    p.saved
        .params
        .rules
        .groups
        .retain(|g| !g.conditions.is_empty());
    ui.horizontal_wrapped(|ui| {
        if ui.button("+ group").clicked() {
            p.saved.params.rules.groups.push(Group {
                conditions: vec![Condition {
                    column: "amount".into(),
                    op: Op::Gt,
                    value: "1000000".into(),
                }],
            });
        }
        if ui.button("The book's rule").clicked() {
            p.saved.params.rules = RuleSet::default_rule();
        }
        match &counts {
            Some(c) => {
                let rows = format!(
                    "The rules flag {} rows ({})",
                    c.rows,
                    pct(c.rows as f64 / c.total_rows.max(1) as f64)
                );
                ui.strong(match c.money_share {
                    Some(m) => format!("{rows} and {} of the money", pct(m)),
                    None => rows,
                });
            }
            None if p.counts.is_pending() => {
                ui.spinner();
            }
            None => {}
        }
    });
}

pub(super) fn ui(p: &mut FraudPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
    let data = ctx.catalog.by_name(&p.saved.dataset);
    let columns: Vec<String> = data.as_ref().map_or_else(Vec::new, |d| d.column_names());
    ui.horizontal_wrapped(|ui| {
        egui::ComboBox::from_label("Transactions")
            .selected_text(p.saved.dataset.clone())
            .show_ui(ui, |ui| {
                for e in ctx.catalog.entries() {
                    ui.selectable_value(&mut p.saved.dataset, e.data.name.clone(), &e.data.name);
                }
            });
        ui.separator();
        ui.label("Labels:");
        let labels = &mut p.saved.params.labels;
        ui.selectable_value(labels, LabelChoice::Rules, "From rules");
        ui.selectable_value(labels, LabelChoice::Column, "From a column");
        if p.saved.params.labels == LabelChoice::Column {
            egui::ComboBox::from_label("Label column")
                .selected_text(p.saved.params.label_col.clone())
                .show_ui(ui, |ui| {
                    for n in &columns {
                        ui.selectable_value(&mut p.saved.params.label_col, n.clone(), n);
                    }
                });
        }
    });
    let numeric = data
        .as_ref()
        .map_or_else(Vec::new, |d| crate::data::schema::numeric_columns(&d.frame));
    if data.is_none() {
        ui.label(format!("'{}' is not open.", p.saved.dataset));
    } else if p.saved.params.labels == LabelChoice::Rules {
        rules_ui(p, ui, ctx, &columns);
    }
    features_ui(p, ui, &numeric);
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Max depth");
        ui.add(egui::DragValue::new(&mut p.saved.params.max_depth).range(usecase::MAX_DEPTH.range()))
            .labelled_by(l.id);
        let l = ui.label("Max bins");
        ui.add(egui::DragValue::new(&mut p.saved.params.max_bins).range(usecase::MAX_BINS.range()))
            .labelled_by(l.id)
            .on_hover_text("Numeric features are cut into at most this many bins (Spark's maxBins)");
        ui.checkbox(&mut p.saved.params.balance, "Balance classes")
            .on_hover_text("Undersample the majority class of the training rows (seeded)");
        ui.checkbox(&mut p.saved.params.cross_validate, "Cross-validate")
            .on_hover_text("k-fold CV over max depth 5, 10, 15 x max bins 10, 20, 30; trains the best by PR-AUC");
        if p.saved.params.cross_validate {
            let l = ui.label("Folds");
            ui.add(egui::DragValue::new(&mut p.saved.params.folds).range(usecase::FOLDS.range()))
                .labelled_by(l.id);
        }
        let l = ui.label("Seed");
        ui.add(egui::DragValue::new(&mut p.saved.params.seed)).labelled_by(l.id);
        let clicked = ui
            .add_enabled(data.is_some(), egui::Button::new("Train"))
            .on_hover_text("Train a decision tree as a background job (80/20 split)")
            .clicked();
        if clicked && let Some(d) = data {
            start(p, ctx, d);
        }
        if p.run.is_pending() {
            ui.spinner();
        }
    });
}

/// Which columns the tree may use: the type index, numeric columns, the balance differences.
fn features_ui(p: &mut FraudPanel, ui: &mut egui::Ui, numeric: &[String]) {
    let f = &mut p.saved.params.features;
    ui.horizontal_wrapped(|ui| {
        ui.label("Features:");
        let mut typed = f.type_col.is_some();
        if ui.checkbox(&mut typed, "type").changed() {
            f.type_col = typed.then(|| "type".to_owned());
        }
        for c in numeric {
            let mut on = f.numeric.contains(c);
            if ui.checkbox(&mut on, c.as_str()).changed() {
                if on {
                    f.numeric.push(c.clone());
                } else {
                    f.numeric.retain(|x| x != c);
                }
            }
        }
        ui.checkbox(&mut f.balance_diffs, "orgDiff, destDiff")
            .on_hover_text("newbalanceOrig - oldbalanceOrg and newbalanceDest - oldbalanceDest");
        if ui.small_button("The book's features").clicked() {
            *f = crate::compute::fraud::features::FeatureSpec::default();
        }
    });
}

pub(super) fn start(p: &mut FraudPanel, ctx: &mut PanelCtx<'_>, data: Arc<crate::data::Dataset>) {
    let params = p.saved.params.clone();
    let inputs = RunInputs::recorded(vec![of_dataset("transactions", &data)]);
    p.run.start::<FraudTree>(
        ctx,
        params.clone(),
        inputs,
        {
            let data = Arc::clone(&data);
            move |valid, job| FraudTree::run(valid, &data, job)
        },
        move |out, _| {
            let review_listing = super::views::review_listing(&data, &out.review, &out.labels)?;
            Ok(FraudResult {
                params,
                data,
                out,
                review_listing,
            })
        },
    );
}
