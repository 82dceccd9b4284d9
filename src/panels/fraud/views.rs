//! The Fraud panel's result views: the headline, the confusion matrix (its cells list their
//! transactions), PR and ROC curves with importance, the review queue, and the run history.

use std::sync::Arc;

use anyhow::Result;
use egui_extras::{Column, TableBuilder};
use polars::prelude::{AnyValue, DataFrame, IdxCa, IdxSize, NamedFrom};

use super::run::FraudRun;
use super::{Cell, FraudPanel, RunSummary};
use crate::chart::Chart;
use crate::compute::fraud::metrics::Confusion;
use crate::data::Dataset;
use crate::panels::{PanelCtx, save};
use crate::usecases::fraud::{self as usecase, ReviewItem, Verdict};

/// Some rows of a table as text, for listing transactions.
pub(crate) struct Listing {
    pub heads: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Rows in the cell (the listing shows at most `LIST` of them).
    pub total: usize,
}

const LIST: usize = 200;

/// The table's rows `rows` (plus leading `extra` columns) as text.
pub fn listing(data: &Dataset, rows: &[u32], extra: &[(&str, Vec<String>)]) -> Result<Listing> {
    let idx = IdxCa::new(
        "idx".into(),
        rows.iter().map(|&r| r as IdxSize).collect::<Vec<_>>(),
    );
    let df: DataFrame = data.frame.take(&idx)?;
    let mut heads: Vec<String> = extra.iter().map(|(h, _)| (*h).to_owned()).collect();
    heads.extend(df.get_column_names().iter().map(|c| c.to_string()));
    let cols = df.columns();
    let out = (0..df.height())
        .map(|i| {
            let mut row: Vec<String> = extra.iter().map(|(_, v)| v[i].clone()).collect();
            for c in cols {
                // Numbers as the data table shows them (1175200.37, not 1.1752e6).
                row.push(match c.get(i) {
                    Ok(v @ (AnyValue::Float64(_) | AnyValue::Float32(_))) => {
                        crate::format::cell(&v)
                    }
                    Ok(v) => v.str_value().to_string(),
                    Err(_) => String::new(),
                });
            }
            row
        })
        .collect();
    Ok(Listing {
        heads,
        rows: out,
        total: rows.len(),
    })
}

fn listing_table(ui: &mut egui::Ui, id: &str, l: &Listing) {
    listing_table_with(ui, id, l, None);
}

/// A leading column drawn by the caller for row k of a listing: its heading and its cell.
type LeadColumn<'a> = (&'a str, &'a mut dyn FnMut(&mut egui::Ui, usize));

/// `listing_table` with an optional leading column (the review queue's verdicts).
fn listing_table_with(ui: &mut egui::Ui, id: &str, l: &Listing, mut lead: Option<LeadColumn<'_>>) {
    let extra = usize::from(lead.is_some());
    ui.push_id(id, |ui| {
        TableBuilder::new(ui)
            .striped(true)
            .max_scroll_height(260.0)
            .columns(Column::auto().at_least(60.0), l.heads.len() + extra)
            .header(20.0, |mut h| {
                if let Some((head, _)) = &lead {
                    h.col(|ui| {
                        ui.strong(*head);
                    });
                }
                for head in &l.heads {
                    h.col(|ui| {
                        ui.strong(head);
                    });
                }
            })
            .body(|body| {
                body.rows(18.0, l.rows.len(), |mut row| {
                    let k = row.index();
                    if let Some((_, cell)) = &mut lead {
                        row.col(|ui| cell(ui, k));
                    }
                    let r = &l.rows[k];
                    for cell in r {
                        row.col(|ui| {
                            ui.label(cell);
                        });
                    }
                });
            });
    });
}

pub fn summary(r: &FraudRun) -> RunSummary {
    let o = &r.out.outcome;
    RunSummary {
        run: r.run,
        run_id: r.run_id,
        dataset: r.data.name.clone(),
        label_text: r.out.label_text.clone(),
        balanced: r.out.effective.balance,
        pr_test: o.test.pr_auc,
        roc_test: o.test.roc_auc,
        test_pr: o.test.pr_curve.clone(),
        test_roc: o.test.roc_curve.clone(),
    }
}

/// The PR and ROC charts of a run, beside the latest run with the other balance setting on the
/// same data and labels (only like with like is overlaid).
pub(crate) fn curve_charts(r: &FraudRun, runs: &[RunSummary]) -> Vec<Chart> {
    let tag = |b: bool| if b { "balanced" } else { "unbalanced" };
    let other = runs
        .iter()
        .rev()
        .find(|s| {
            s.balanced != r.out.effective.balance
                && s.run != r.run
                && s.dataset == r.data.name
                && s.label_text == r.out.label_text
        })
        .map(|s| usecase::OtherRun {
            label: match s.run_id {
                Some(id) => format!("{} run {id}", tag(s.balanced)),
                None => tag(s.balanced).to_owned(),
            },
            pr: s.test_pr.clone(),
            roc: s.test_roc.clone(),
            pr_auc: s.pr_test,
            roc_auc: s.roc_test,
        });
    usecase::curve_charts(&r.out.outcome, other.as_ref())
        .into_iter()
        .map(|c| c.with_source(r.data.name.clone()))
        .collect()
}

pub(super) fn headline(ui: &mut egui::Ui, r: &FraudRun) {
    let o = &r.out.outcome;
    let t = &o.tree;
    ui.label(format!(
        "Tree of depth {} ({} nodes, max bins {}) trained on {} rows of {}{} labelled by {} in {:.2} s. \
         Test PR-AUC {:.4}, ROC-AUC {:.4}.{}",
        t.depth(),
        t.nodes.len(),
        r.out.effective.max_bins,
        crate::format::whole(o.train.rows),
        r.data.name,
        if r.out.effective.balance { " (balanced)" } else { "" },
        r.out.label_text,
        o.seconds,
        o.test.pr_auc,
        o.test.roc_auc,
        crate::panels::recorded_as(r.run_id)
    ))
    .on_hover_text(
        "PR-AUC: the area under the precision–recall curve (1: every fraud ranked above every \
         legitimate row). ROC-AUC: the chance a random fraud scores above a random legitimate row.",
    );
    // Rule-made labels are learnable from the very columns the tree sees: say so where the
    // near-perfect score is shown, before an audience reads it as leakage or as skill.
    if !r.out.label_text.starts_with("column ") {
        ui.label(
            "The labels here come from rules over the same columns the tree splits on, so the \
             tree can learn the rules back: a score near 1 says it found them, not that it \
             catches fraud the rules miss. Train on a label column (PaySim's isFraud) to \
             measure that.",
        );
    }
    if !r.out.cv.is_empty() {
        let cells: Vec<String> = r
            .out
            .cv
            .iter()
            .map(|c| format!("d{} b{}: {:.4}", c.max_depth, c.max_bins, c.pr_auc_mean))
            .collect();
        ui.label(format!(
            "Cross-validation (PR-AUC): {}. Chosen: max depth {}, max bins {}.",
            cells.join(", "),
            r.out.effective.max_depth,
            r.out.effective.max_bins
        ));
    }
}

fn cell_rows(r: &FraudRun, cell: Cell, threshold: f64) -> Vec<u32> {
    let o = &r.out.outcome;
    o.test_rows
        .iter()
        .zip(&o.test_scores)
        .filter(|&(&row, &p)| (p > threshold, r.out.labels[row as usize]) == cell)
        .map(|(&row, _)| row)
        .collect()
}

/// The decision threshold, moved live over the trained model's test scores: the confusion
/// matrix, precision and recall follow without training again (the next Train keeps it).
fn threshold_ui(p: &mut FraudPanel, ui: &mut egui::Ui, r: &FraudRun) -> Confusion {
    let t = &mut p.saved.params.threshold;
    let o = &r.out.outcome;
    ui.horizontal_wrapped(|ui| {
        let moved = ui
            .add(
                egui::Slider::new(t, usecase::THRESHOLD.min..=usecase::THRESHOLD.max)
                    .step_by(0.01)
                    .text("threshold"),
            )
            .on_hover_text(
                "A transaction scoring above the threshold is flagged. Lower catches more fraud \
                 and flags more legitimate transactions; higher the reverse.",
            )
            .changed();
        if moved {
            p.cell = None;
        }
    });
    // Made once per run and threshold, not every frame (a PaySim-sized test set is 1.27M rows).
    let key = (r.run, t.to_bits());
    let c = match p.confusion {
        Some((k, c)) if k == key => c,
        _ => {
            let labels: Vec<bool> = o
                .test_rows
                .iter()
                .map(|&row| r.out.labels[row as usize])
                .collect();
            let c = Confusion::at(&o.test_scores, &labels, *t);
            p.confusion = Some((key, c));
            c
        }
    };
    ui.label(format!(
        "At {:.2}: {} of the flagged test transactions are labelled fraud (precision), and {} of \
         those labelled fraud are flagged (recall).",
        *t,
        crate::format::percent(c.precision()),
        crate::format::percent(c.recall())
    ));
    c
}

fn confusion_ui(p: &mut FraudPanel, ui: &mut egui::Ui, r: &FraudRun) {
    let c = threshold_ui(p, ui, r);
    let total = c.total().max(1) as f64;
    // Name where the labels came from: the rules, or a label column (label_text says which).
    let source = if r.out.label_text.starts_with("column ") {
        format!("labels from {}", r.out.label_text)
    } else {
        format!("labels from the rules ({})", r.out.label_text)
    };
    ui.strong(format!(
        "Confusion matrix (test set: {source} against the model)"
    ));
    let mut cell_button = |ui: &mut egui::Ui, cell: Cell, n: usize, what: &str| {
        let text = format!(
            "{} ({:.2}%)\n{what}",
            crate::format::whole(n),
            100.0 * n as f64 / total
        );
        if ui
            .selectable_label(p.cell == Some(cell), text)
            .on_hover_text("List these transactions")
            .clicked()
        {
            p.cell = Some(cell);
        }
    };
    egui::Grid::new("fraud_confusion")
        .striped(true)
        .spacing([16.0, 8.0])
        .show(ui, |ui| {
            ui.label("");
            ui.strong("labelled fraud");
            ui.strong("labelled legitimate");
            ui.end_row();
            ui.strong("flagged by the model");
            cell_button(ui, (true, true), c.tp, "caught");
            cell_button(
                ui,
                (true, false),
                c.fp,
                "flagged by the model, not the rules",
            );
            ui.end_row();
            ui.strong("passed by the model");
            cell_button(ui, (false, true), c.fn_, "missed by the model");
            cell_button(ui, (false, false), c.tn, "legitimate");
            ui.end_row();
        });
}

pub(super) fn model_ui(
    p: &mut FraudPanel,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    r: &Arc<FraudRun>,
) {
    confusion_ui(p, ui, r);
    if let Some(cell) = p.cell {
        let threshold = p.saved.params.threshold;
        let key = (r.run, cell, threshold.to_bits());
        let job_r = Arc::clone(r);
        p.listing.request(
            ctx.jobs,
            key,
            format!("fraud:list:{}:{cell:?}:{threshold}", r.run),
            "List transactions".into(),
            move |_| {
                let rows = cell_rows(&job_r, cell, threshold);
                let shown = &rows[..rows.len().min(LIST)];
                let mut l = listing(&job_r.data, shown, &[])?;
                l.total = rows.len();
                Ok(Arc::new(l))
            },
        );
        match p.listing.get(&key) {
            Some(l) => {
                ui.label(format!(
                    "{} transactions in this cell{}",
                    l.total,
                    if l.total > LIST {
                        format!(" (the first {LIST} shown)")
                    } else {
                        String::new()
                    }
                ));
                listing_table(ui, "fraud_cell", l);
            }
            None => {
                ui.spinner();
            }
        }
    }
    let charts = &p.curves;
    // Side by side when each gets room for its title and Save buttons; else one under another.
    if ui.available_width() >= 760.0 {
        ui.columns(charts.len().max(1), |cols| {
            for (i, (ui, c)) in cols.iter_mut().zip(charts).enumerate() {
                let id = format!("fraud-curve-{i}");
                save::chart_block(ui, ctx, &id, c, &id, 260.0);
            }
        });
    } else {
        for (i, c) in charts.iter().enumerate() {
            let id = format!("fraud-curve-{i}");
            save::chart_block(ui, ctx, &id, c, &id, 240.0);
        }
    }
    save::chart_block(
        ui,
        ctx,
        "fraud_importance",
        &r.out.importance,
        "fraud-importance",
        200.0,
    );
}

pub(super) fn review_ui(
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    r: &Arc<FraudRun>,
    threshold: f64,
    verdicts: &mut Vec<Verdict>,
) {
    let trained = r.out.effective.threshold;
    if (threshold - trained).abs() > 1e-9 {
        ui.weak(format!(
            "Ranked by nearness to the threshold this model was trained with ({trained:.2}); \
             Train again to rank at {threshold:.2}."
        ));
    }
    ui.horizontal_wrapped(|ui| {
        // A tree whose leaves are pure is sure of everything: say so rather than list 0s and 1s
        // as "least sure".
        let uncertain = r
            .out
            .review
            .iter()
            .filter(|x| x.probability > 0.0 && x.probability < 1.0)
            .count();
        if uncertain == 0 {
            ui.strong(format!(
                "Review queue: no uncertain cases (every test transaction falls in a pure leaf, \
                 probability 0 or 1); the {} listed are those nearest the threshold",
                r.out.review.len()
            ));
        } else {
            ui.strong(format!(
                "Review queue: the {} test transactions the model is least sure of",
                r.out.review.len()
            ));
        }
        let rr = Arc::clone(r);
        save::table_buttons(ui, ctx, "the review queue", "fraud-review", move || {
            let rows: Vec<u32> = rr.out.review.iter().map(|x| x.row).collect();
            let idx = IdxCa::new(
                "idx".into(),
                rows.iter().map(|&x| x as IdxSize).collect::<Vec<_>>(),
            );
            let mut df = rr.data.frame.take(&idx)?;
            let prob: Vec<f64> = rr.out.review.iter().map(|x| x.probability).collect();
            let label: Vec<i32> = rows
                .iter()
                .map(|&x| i32::from(rr.out.labels[x as usize]))
                .collect();
            df.insert_column(0, polars::prelude::Column::new("probability".into(), prob))?;
            df.insert_column(1, polars::prelude::Column::new("label".into(), label))?;
            df.insert_column(0, polars::prelude::Column::new("row".into(), rows))?;
            Ok(df)
        });
    });
    verdicts_ui(ui, ctx, verdicts);
    let review = &r.out.review;
    let mut cell = |ui: &mut egui::Ui, k: usize| {
        if let Some(item) = review.get(k) {
            verdict_cell(ui, verdicts, item.row);
        }
    };
    listing_table_with(
        ui,
        "fraud_review",
        &r.review_listing,
        Some(("your verdict", &mut cell)),
    );
}

/// How many verdicts the analyst has given, what they do, and their Save and Clear buttons.
fn verdicts_ui(ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>, verdicts: &mut Vec<Verdict>) {
    ui.horizontal_wrapped(|ui| {
        if verdicts.is_empty() {
            ui.label(
                "Mark a transaction fraud or legit: your verdicts replace its label when you \
                 Train again.",
            );
            return;
        }
        let fraud = verdicts.iter().filter(|v| v.fraud).count();
        ui.label(format!(
            "Your verdicts: {} ({fraud} fraud, {} legit); Train uses them as their rows' labels.",
            crate::format::count_of(verdicts.len(), "row"),
            verdicts.len() - fraud
        ));
        let saved = verdicts.clone();
        save::table_buttons(ui, ctx, "your verdicts", "fraud-verdicts", move || {
            usecase::verdicts_frame(&saved)
        });
        if ui
            .button("Clear verdicts")
            .on_hover_text("Forget every verdict (the labels go back to the rules' or column's)")
            .clicked()
        {
            verdicts.clear();
        }
    });
}

/// Fraud and legit toggles for one row: clicking the chosen one again takes the verdict back.
fn verdict_cell(ui: &mut egui::Ui, verdicts: &mut Vec<Verdict>, row: u32) {
    let now = verdicts.iter().find(|v| v.row == row).map(|v| v.fraud);
    ui.horizontal(|ui| {
        for (fraud, text) in [(true, "fraud"), (false, "legit")] {
            if ui.selectable_label(now == Some(fraud), text).clicked() {
                verdicts.retain(|v| v.row != row);
                if now != Some(fraud) {
                    verdicts.push(Verdict { row, fraud });
                }
            }
        }
    });
}

/// The first rows of the review queue as text (at most `LIST`), made in the run's job.
pub(crate) fn review_listing(
    data: &Dataset,
    review: &[ReviewItem],
    labels: &[bool],
) -> Result<Listing> {
    let shown = &review[..review.len().min(LIST)];
    let rows: Vec<u32> = shown.iter().map(|x| x.row).collect();
    let extra = [
        ("row", rows.iter().map(|x| x.to_string()).collect()),
        (
            "probability",
            shown
                .iter()
                .map(|x| format!("{:.4}", x.probability))
                .collect(),
        ),
        (
            "label",
            rows.iter()
                .map(|&x| i32::from(labels[x as usize]).to_string())
                .collect(),
        ),
    ];
    listing(data, &rows, &extra)
}
