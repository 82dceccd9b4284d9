//! The tree as a collapsible diagram: each node's split rule, rows, class mix (a bar: red for
//! fraud) and purity; the first levels open. Saves as readable rules, SQL or a JSON model.

use std::sync::Arc;

use super::FraudPanel;
use super::run::{self, FraudRun};
use crate::compute::fraud::explain;
use crate::compute::fraud::tree::Tree;
use crate::panels::{PanelCtx, save};
use crate::session::SaveAs;
use crate::theme;

/// A small bar: the node's share of fraud in red, the rest in the bar colour.
fn mix_bar(ui: &mut egui::Ui, share: f64) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(60.0, 10.0), egui::Sense::hover());
    let [r, g, b] = theme::ACCENT;
    let [r2, g2, b2] = theme::BAR;
    let split = rect.left() + rect.width() * share as f32;
    let p = ui.painter();
    p.rect_filled(
        egui::Rect::from_min_max(rect.min, egui::pos2(split, rect.bottom())),
        0.0,
        egui::Color32::from_rgb(r, g, b),
    );
    p.rect_filled(
        egui::Rect::from_min_max(egui::pos2(split, rect.top()), rect.max),
        0.0,
        egui::Color32::from_rgb(r2, g2, b2),
    );
}

fn rule(tree: &Tree, feature: usize, threshold: f64, left: bool) -> String {
    let name = tree.feature_names.get(feature).map_or("?", String::as_str);
    let (lo, hi) = if left {
        (f64::NEG_INFINITY, threshold)
    } else {
        (threshold, f64::INFINITY)
    };
    if let Some((col, levels)) = explain::type_levels(tree, feature, lo, hi) {
        return format!("{col} in {}", levels.join(", "));
    }
    let t = crate::format::short(threshold);
    if left {
        format!("{name} <= {t}")
    } else {
        format!("{name} > {t}")
    }
}

fn node_ui(ui: &mut egui::Ui, tree: &Tree, i: usize, label: String) {
    let Some(n) = tree.nodes.get(i) else {
        return;
    };
    // Plain words on the node; the precise term (Gini impurity) one hover away.
    let text = format!(
        "{label}: {} rows, {:.1}% fraud",
        crate::format::whole(n.samples),
        100.0 * n.probability()
    );
    let impurity = format!(
        "Gini impurity {:.3}: the chance that two rows drawn from this node have different \
         labels (0: all one label, 0.5: half and half)",
        n.gini()
    );
    match &n.split {
        None => {
            ui.horizontal(|ui| {
                mix_bar(ui, n.probability());
                ui.label(format!("{text} (leaf)")).on_hover_text(&impurity);
            });
        }
        Some(s) => {
            let id = ui.make_persistent_id(("fraud_node", i));
            egui::collapsing_header::CollapsingState::load_with_default_open(
                ui.ctx(),
                id,
                n.depth < 2,
            )
            .show_header(ui, |ui| {
                mix_bar(ui, n.probability());
                ui.label(text).on_hover_text(&impurity);
            })
            .body(|ui| {
                node_ui(ui, tree, s.left, rule(tree, s.feature, s.threshold, true));
                node_ui(ui, tree, s.right, rule(tree, s.feature, s.threshold, false));
            });
        }
    }
}

/// Load a saved model (a path typed in) and score the panel's dataset with it.
fn load_ui(p: &mut FraudPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
    ui.horizontal(|ui| {
        let label = ui.label("Model file");
        ui.add(
            egui::TextEdit::singleline(&mut p.model_path)
                .desired_width(320.0)
                .hint_text("path of a saved model (.json)"),
        )
        .labelled_by(label.id);
        let data = ctx.catalog.by_name(&p.saved.dataset);
        if ui
            .add_enabled(data.is_some(), egui::Button::new("Load model"))
            .on_hover_text("Read the model and score the chosen transactions with it")
            .clicked()
            && let Some(d) = data
        {
            p.next_load += 1;
            let path = std::path::PathBuf::from(p.model_path.trim());
            let params = p.saved.params.clone();
            p.loaded.request(
                ctx.jobs,
                p.next_load,
                format!("fraud:load:{}", p.next_load),
                "Load model".into(),
                move |_| Ok(Arc::new(run::load_model(&path, &d, &params)?)),
            );
        }
        if p.loaded.is_pending() {
            ui.spinner();
        }
    });
    if let Some(m) = p.loaded.latest().cloned() {
        let c = m.eval.confusion;
        ui.label(format!(
            "Loaded model {}: on all {} rows of {}, PR-AUC {:.4}, ROC-AUC {:.4}; tp {} fp {} tn {} fn {}",
            m.path.display(),
            m.eval.rows,
            m.dataset,
            m.eval.pr_auc,
            m.eval.roc_auc,
            c.tp,
            c.fp,
            c.tn,
            c.fn_
        ));
        egui::CollapsingHeader::new("The loaded model's tree")
            .id_salt("fraud_loaded_tree")
            .show(ui, |ui| node_ui(ui, &m.tree, 0, "all training rows".into()));
    }
}

pub(super) fn ui(p: &mut FraudPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>, r: &Arc<FraudRun>) {
    load_ui(p, ui, ctx);
    ui.separator();
    let tree = &r.out.outcome.tree;
    ui.horizontal(|ui| {
        ui.strong(format!("Decision tree ({} nodes)", tree.nodes.len()));
        let (a, b, c) = (Arc::clone(r), Arc::clone(r), Arc::clone(r));
        save::text_button(
            ui,
            ctx,
            "Save rules",
            "fraud-rules",
            SaveAs::Txt,
            move || explain::rules_text(&a.out.outcome.tree),
        );
        save::text_button(ui, ctx, "Save SQL", "fraud-rules", SaveAs::Sql, move || {
            explain::sql_case(&b.out.outcome.tree)
        });
        save::text_button(
            ui,
            ctx,
            "Save model",
            "fraud-model",
            SaveAs::Json,
            move || serde_json::to_string_pretty(&c.out.outcome.tree).unwrap_or_default(),
        );
    });
    ui.label("Red: share of fraud among the node's training rows. Click a node to open it.");
    node_ui(ui, tree, 0, "all training rows".into());
}
