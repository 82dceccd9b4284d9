//! The Runs panel, and the run browser it shares with the panels' own run histories (Fraud,
//! DTW): every recorded run of the run store, filtered by use case, dataset and status, sorted
//! by any column or metric; two or more selected are compared side by side (differing params
//! highlighted, metrics, curves overlaid); one is opened back in its panel; runs are deleted
//! with their artifacts. The store is read and written in jobs, never on the UI thread.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::{Color32, RichText};
use egui_extras::{Column, TableBuilder};

use super::chart_view::show_chart;
use super::mlflow::{MlflowForm, MlflowSaved};
use super::{Panel, PanelCtx, save};
use crate::chart::{Chart, Line};
use crate::jobs::Slot;
use crate::runs::{self, RunFilter, RunRecord, RunStatus, RunStore};
use crate::session::Request;

/// How often a visible browser re-reads the store (runs from other processes appear).
const REFRESH: Duration = Duration::from_secs(3);

fn accent() -> Color32 {
    let [r, g, b] = crate::theme::ACCENT;
    Color32::from_rgb(r, g, b)
}

/// Which column orders the table.
#[derive(Clone, Debug, PartialEq)]
enum SortBy {
    Id,
    UseCase,
    Status,
    Seconds,
    Metric(String),
}

/// The run browser: a filtered, sortable list of runs with compare, open and delete.
pub(crate) struct RunsBrowser {
    /// A browser inside a use case's panel shows only that use case.
    fixed_use_case: Option<&'static str>,
    use_case: String,
    dataset: String,
    status: Option<RunStatus>,
    generation: u64,
    loaded_at: Option<Instant>,
    list: Slot<u64, Arc<Vec<RunRecord>>>,
    sort: SortBy,
    descending: bool,
    selected: BTreeSet<i64>,
    confirm_delete: bool,
    deleted: Slot<u64, usize>,
    /// Push to and pull from MLflow; the Runs panel's browser only.
    pub mlflow: Option<MlflowForm>,
}

impl RunsBrowser {
    pub fn new(fixed_use_case: Option<&'static str>) -> Self {
        Self {
            fixed_use_case,
            use_case: String::new(),
            dataset: String::new(),
            status: None,
            generation: 0,
            loaded_at: None,
            list: Slot::default(),
            sort: SortBy::Id,
            descending: true,
            selected: BTreeSet::new(),
            confirm_delete: false,
            deleted: Slot::default(),
            mlflow: fixed_use_case.is_none().then(MlflowForm::default),
        }
    }

    /// The filters and the ticked runs, as a workspace keeps them.
    fn save_view(&self) -> serde_json::Value {
        serde_json::json!({
            "use_case": self.use_case,
            "dataset": self.dataset,
            "status": self.status,
            "selected": self.selected,
        })
    }

    fn restore_view(&mut self, v: &serde_json::Value) {
        let text = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
        self.use_case = text("use_case");
        self.dataset = text("dataset");
        self.status = serde_json::from_value(v["status"].clone()).unwrap_or(None);
        self.selected = v["selected"]
            .as_array()
            .map(|a| a.iter().filter_map(serde_json::Value::as_i64).collect())
            .unwrap_or_default();
    }

    /// Read the store again on the next frame.
    pub(crate) fn refresh(&mut self) {
        self.loaded_at = None;
    }

    pub fn logic(&mut self, ctx: &mut PanelCtx<'_>) {
        for e in [self.list.poll(), self.deleted.poll()]
            .into_iter()
            .flatten()
        {
            ctx.notices.error(format!("Runs: {e}"));
        }
        if let Some(n) = self.deleted.latest().copied() {
            self.deleted.clear();
            ctx.notices.info(format!("{n} run(s) deleted"));
            self.selected.clear();
            self.refresh();
        }
        if self.mlflow.as_mut().is_some_and(|m| m.logic(ctx)) {
            self.refresh();
        }
    }

    /// "Pull from MLflow…" (and "Push to MLflow…" when runs are selected), opening the section.
    fn mlflow_buttons(&mut self, ui: &mut egui::Ui, chosen: usize) {
        let Some(m) = self.mlflow.as_mut() else {
            return;
        };
        if chosen > 0
            && ui
                .button("Push to MLflow…")
                .on_hover_text("Send the selected runs to an MLflow tracking server")
                .clicked()
        {
            m.open = true;
        }
        if ui
            .button("Pull from MLflow…")
            .on_hover_text("Bring an MLflow experiment's runs in to compare them here")
            .clicked()
        {
            m.open = true;
        }
    }

    fn mlflow_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>, chosen: &[RunRecord]) {
        if let Some(m) = self.mlflow.as_mut().filter(|m| m.open) {
            m.ui(ui, ctx, chosen);
        }
    }

    fn reload_if_stale(&mut self, ctx: &PanelCtx<'_>) {
        let stale = self.loaded_at.is_none_or(|t| t.elapsed() > REFRESH);
        if !stale || self.list.is_pending() {
            return;
        }
        let Some(home) = ctx.runs.path().map(std::path::Path::to_owned) else {
            return;
        };
        self.generation += 1;
        self.loaded_at = Some(Instant::now());
        self.list.request(
            ctx.jobs,
            self.generation,
            format!("runs:list:{}", self.generation),
            "Read the run store".into(),
            move |_| {
                let store = RunStore::open(&home)?;
                Ok(Arc::new(store.list(&RunFilter::default())?))
            },
        );
    }

    fn filter(&self) -> RunFilter {
        let use_case = match self.fixed_use_case {
            Some(u) => Some(u.to_owned()),
            None => Some(self.use_case.clone()).filter(|u| !u.is_empty()),
        };
        RunFilter {
            use_case,
            dataset: Some(self.dataset.trim().to_owned()).filter(|d| !d.is_empty()),
            status: self.status,
        }
    }

    /// The runs that pass the filters, in the chosen order.
    fn shown(&self, all: &[RunRecord]) -> Vec<RunRecord> {
        let filter = self.filter();
        let mut shown: Vec<RunRecord> = all.iter().filter(|r| filter.keeps(r)).cloned().collect();
        let key = |r: &RunRecord| -> (Option<f64>, String) {
            match &self.sort {
                SortBy::Id => (Some(r.id as f64), String::new()),
                SortBy::UseCase => (None, r.use_case.clone()),
                SortBy::Status => (None, r.status.as_str().to_owned()),
                SortBy::Seconds => (r.seconds, String::new()),
                SortBy::Metric(m) => (r.metric(m), String::new()),
            }
        };
        shown.sort_by(|a, b| {
            let (ka, kb) = (key(a), key(b));
            // Runs without the value go last whichever the direction.
            let o = match (ka.0, kb.0) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => return std::cmp::Ordering::Less,
                (None, Some(_)) => return std::cmp::Ordering::Greater,
                (None, None) => ka.1.cmp(&kb.1),
            };
            let o = if self.descending { o.reverse() } else { o };
            o.then(b.id.cmp(&a.id))
        });
        shown
    }

    fn filters_ui(&mut self, ui: &mut egui::Ui, all: &[RunRecord]) {
        ui.horizontal_wrapped(|ui| {
            if self.fixed_use_case.is_none() {
                let mut cases: Vec<String> = all.iter().map(|r| r.use_case.clone()).collect();
                cases.sort();
                cases.dedup();
                let shown = if self.use_case.is_empty() {
                    "all".to_owned()
                } else {
                    self.use_case.clone()
                };
                ui.horizontal(|ui| {
                    ui.label("Use case");
                    egui::ComboBox::from_id_salt("runs_use_case")
                        .selected_text(shown)
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut self.use_case, String::new(), "all");
                            for c in cases {
                                ui.selectable_value(&mut self.use_case, c.clone(), c);
                            }
                        });
                });
            }
            // Each label wraps together with its field.
            ui.horizontal(|ui| {
                let l = ui.label("Dataset");
                ui.add(
                    egui::TextEdit::singleline(&mut self.dataset)
                        .desired_width(120.0)
                        .hint_text("any"),
                )
                .labelled_by(l.id);
            });
            ui.horizontal(|ui| {
                ui.label("Status");
                egui::ComboBox::from_id_salt(("runs_status", self.fixed_use_case))
                    .width(80.0)
                    .selected_text(self.status.map_or("any", RunStatus::as_str))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.status, None, "any");
                        for s in RunStatus::ALL {
                            ui.selectable_value(&mut self.status, Some(s), s.as_str());
                        }
                    });
            });
            if ui
                .button("Refresh")
                .on_hover_text("Read the run store again")
                .clicked()
            {
                self.refresh();
            }
        });
    }

    fn header(&mut self, ui: &mut egui::Ui, label: &str, by: SortBy) {
        let arrow = match (self.sort == by, self.descending) {
            (true, true) => " (desc)",
            (true, false) => " (asc)",
            _ => "",
        };
        if ui
            .button(RichText::new(format!("{label}{arrow}")).strong())
            .on_hover_text(format!("Sort by {label}"))
            .clicked()
        {
            if self.sort == by {
                self.descending = !self.descending;
            } else {
                self.sort = by;
                self.descending = true;
            }
        }
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, shown: &[RunRecord]) {
        // Metric columns: every metric of the shown runs when one use case is shown, else the
        // one sorted by.
        let one_case = shown
            .first()
            .is_some_and(|f| shown.iter().all(|r| r.use_case == f.use_case));
        let metrics: Vec<String> = if one_case {
            runs::metric_names(shown)
        } else if let SortBy::Metric(m) = &self.sort {
            vec![m.clone()]
        } else {
            Vec::new()
        };
        // Runs of several cases share no metric: each shows how it came out in plain words.
        let result = !one_case;
        let id_salt = self.fixed_use_case.unwrap_or("all");
        // Wide tables scroll sideways instead of widening the panel (and the charts below), with
        // a bar of its own under the rows rather than one floating over the last row.
        ui.spacing_mut().scroll = egui::style::ScrollStyle::solid();
        egui::ScrollArea::horizontal()
            .id_salt(("runs_table_scroll", id_salt))
            .show(ui, |ui| self.table(ui, shown, (&metrics, result), id_salt));
    }

    fn table(
        &mut self,
        ui: &mut egui::Ui,
        shown: &[RunRecord],
        (metrics, result): (&[String], bool),
        id_salt: &str,
    ) {
        // Cells keep their text on one line; the table scrolls sideways instead.
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
        TableBuilder::new(ui)
            .id_salt(("runs_table", id_salt))
            .striped(true)
            .max_scroll_height(280.0)
            .columns(Column::auto().at_least(40.0), 6)
            .columns(
                Column::auto().at_least(70.0),
                metrics.len() + usize::from(result),
            )
            .header(22.0, |mut h| {
                h.col(|ui| self.header(ui, "run", SortBy::Id));
                h.col(|ui| self.header(ui, "use case", SortBy::UseCase));
                h.col(|ui| self.header(ui, "status", SortBy::Status));
                h.col(|ui| {
                    ui.strong("started (UTC)");
                });
                h.col(|ui| self.header(ui, "seconds", SortBy::Seconds));
                h.col(|ui| {
                    ui.strong("datasets");
                });
                if result {
                    h.col(|ui| {
                        ui.strong("result");
                    });
                }
                for m in metrics {
                    h.col(|ui| self.header(ui, m, SortBy::Metric(m.clone())));
                }
            })
            .body(|body| {
                body.rows(20.0, shown.len(), |mut row| {
                    let r = &shown[row.index()];
                    row.col(|ui| {
                        let mut on = self.selected.contains(&r.id);
                        let resp = ui
                            .checkbox(&mut on, format!("run {}", r.id))
                            .on_hover_text("Select to compare, open or delete");
                        if resp.changed() {
                            if on {
                                self.selected.insert(r.id);
                            } else {
                                self.selected.remove(&r.id);
                            }
                        }
                    });
                    row.col(|ui| {
                        ui.label(&r.use_case);
                    });
                    row.col(|ui| {
                        let s = ui.label(r.status.as_str());
                        if let Some(m) = &r.message {
                            s.on_hover_text(m);
                        }
                    });
                    row.col(|ui| {
                        ui.label(r.started.replace('T', " ").trim_end_matches('Z'));
                    });
                    row.col(|ui| {
                        ui.label(r.seconds.map_or_else(|| "-".into(), |s| format!("{s:.2}")));
                    });
                    row.col(|ui| {
                        ui.label(r.dataset_names());
                    });
                    if result {
                        row.col(|ui| {
                            ui.label(result_text(r));
                        });
                    }
                    for m in metrics {
                        row.col(|ui| {
                            ui.label(runs::cell_text(r.metrics.get(m)));
                        });
                    }
                });
            });
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
        if let Err(e) = &ctx.runs.0 {
            ui.colored_label(accent(), format!("Runs are not recorded: {e}"));
            return;
        }
        self.reload_if_stale(ctx);
        let loaded = self.list.latest().is_some();
        let all = self.list.latest().cloned().unwrap_or_default();
        self.filters_ui(ui, &all);
        let shown = self.shown(&all);
        // Selections that the filters hide do not count (once the list is there: a selection
        // restored from a workspace waits for it).
        if loaded {
            let visible: BTreeSet<i64> = shown.iter().map(|r| r.id).collect();
            self.selected.retain(|id| visible.contains(id));
        }
        if shown.is_empty() {
            ui.label(if self.list.is_pending() && all.is_empty() {
                "Reading the run store…"
            } else {
                "No runs yet. Every analysis run from a panel or the command line is recorded here."
            });
            ui.horizontal(|ui| self.mlflow_buttons(ui, 0));
            self.mlflow_ui(ui, ctx, &[]);
            return;
        }
        ui.label(format!(
            "{} of {} runs; tick two or more to compare them",
            shown.len(),
            all.len()
        ));
        self.table_ui(ui, &shown);
        let chosen: Vec<RunRecord> = shown
            .iter()
            .filter(|r| self.selected.contains(&r.id))
            .cloned()
            .collect();
        ui.horizontal_wrapped(|ui| {
            let one = (chosen.len() == 1).then(|| &chosen[0]);
            if ui
                .add_enabled(one.is_some(), egui::Button::new("Open in panel"))
                .on_hover_text("Put the run's parameters and datasets back into its panel")
                .clicked()
                && let Some(r) = one
            {
                ctx.requests.push(Request::OpenRun(Box::new(r.clone())));
            }
            if ui
                .add_enabled(!chosen.is_empty(), egui::Button::new("Delete…"))
                .on_hover_text("Delete the selected runs and the artifacts kept for them")
                .clicked()
            {
                self.confirm_delete = true;
            }
            if ui
                .add_enabled(!chosen.is_empty(), egui::Button::new("Export report…"))
                .on_hover_text("One HTML file of the selected runs: parameters, metrics, inputs with fingerprints, charts and tables; opens anywhere, prints to PDF")
                .clicked()
                && let Some(home) = ctx.runs.path().map(std::path::Path::to_owned)
            {
                let ids: Vec<i64> = chosen.iter().map(|r| r.id).collect();
                let make = move || {
                    let store = RunStore::open(&home)?;
                    Ok(crate::report::of_runs(&store, &ids)?.html())
                };
                if let Err(e) = ctx.exports.save(
                    ctx.jobs,
                    crate::session::Payload::Later(Box::new(make)),
                    "report",
                    crate::session::SaveAs::Html,
                ) {
                    ctx.notices.error(e.to_string());
                }
            }
            save::table_buttons(ui, ctx, "the shown runs as a table", "runs", || {
                runs::runs_frame(&shown)
            });
            self.mlflow_buttons(ui, chosen.len());
        });
        self.mlflow_ui(ui, ctx, &chosen);
        if self.confirm_delete && !chosen.is_empty() {
            ui.horizontal(|ui| {
                ui.colored_label(
                    accent(),
                    format!(
                        "Delete {} run(s) and their kept artifacts? This cannot be undone.",
                        chosen.len()
                    ),
                );
                if ui.button("Delete").clicked() {
                    self.delete(ctx, chosen.iter().map(|r| r.id).collect());
                    self.confirm_delete = false;
                }
                if ui.button("Keep").clicked() {
                    self.confirm_delete = false;
                }
            });
        }
        match chosen.as_slice() {
            [one] => {
                ui.separator();
                details_ui(ui, one);
            }
            [] => {}
            several => {
                ui.separator();
                compare_ui(ui, ctx, several);
            }
        }
    }

    fn delete(&mut self, ctx: &mut PanelCtx<'_>, ids: Vec<i64>) {
        let Some(home) = ctx.runs.path().map(std::path::Path::to_owned) else {
            return;
        };
        self.generation += 1;
        self.deleted.request(
            ctx.jobs,
            self.generation,
            format!("runs:delete:{}", self.generation),
            "Delete runs".into(),
            move |_| Ok(RunStore::open(&home)?.delete(&ids)?),
        );
    }
}

/// One run: where it came from, its inputs and what it wrote or kept.
/// How a run came out, in its use case's plain words: "test PR-AUC 0.998, predicted fraud 812".
pub(crate) fn result_text(r: &RunRecord) -> String {
    let Some(case) = crate::usecases::registry::of_run(&r.use_case) else {
        return String::new();
    };
    case.results
        .iter()
        .filter_map(|(key, words)| {
            let v = r.metrics.get(*key)?;
            let text = runs::cell_text(Some(v));
            (!text.is_empty()).then(|| format!("{words} {text}"))
        })
        .take(2)
        .collect::<Vec<_>>()
        .join(", ")
}

fn details_ui(ui: &mut egui::Ui, r: &RunRecord) {
    ui.strong(format!(
        "Run {}: {} from {}, Playbook {}",
        r.id,
        r.use_case,
        r.origin.describe(),
        r.app_version
    ));
    if let Some(m) = &r.message {
        ui.colored_label(accent(), m);
    }
    for i in &r.inputs {
        let place = i.path.as_deref().unwrap_or("embedded sample");
        ui.label(format!(
            "{}: {} ({}, {})",
            i.role,
            i.name,
            place,
            crate::format::bytes(i.size)
        ));
    }
    for a in &r.artifacts {
        let how = if a.owned {
            "kept with the run"
        } else {
            "written by the run"
        };
        ui.label(format!("{}: {} ({how})", a.title, a.path));
    }
    for l in &r.mlflow {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!(
                "MLflow: {}ed {} ({}, run {})",
                l.direction,
                l.at.replace('T', " ").trim_end_matches('Z'),
                l.server,
                l.mlflow_run_id
            ));
            ui.hyperlink_to("open in MLflow", l.ui_url());
        });
    }
}

/// The selected runs side by side: params (differing ones highlighted), metrics, and the
/// curves they have in common overlaid.
fn compare_ui(ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>, chosen: &[RunRecord]) {
    let cmp = runs::compare(chosen);
    ui.strong(format!("Comparing {} runs", chosen.len()));
    egui::ScrollArea::horizontal()
        .id_salt("runs_compare_scroll")
        .show(ui, |ui| {
            egui::Grid::new("runs_compare")
                .striped(true)
                .show(ui, |ui| {
                    ui.strong("");
                    for id in &cmp.ids {
                        ui.strong(format!("run {id}"));
                    }
                    ui.end_row();
                    let mut section = "";
                    for row in &cmp.rows {
                        if row.kind != section {
                            section = row.kind;
                            let head = match row.kind {
                                "param" => "Parameters",
                                "metric" => "Metrics",
                                _ => "Run",
                            };
                            ui.strong(head);
                            ui.end_row();
                        }
                        let highlight = row.differs && row.kind == "param";
                        let name = if highlight {
                            RichText::new(format!("{} (differs)", row.name))
                                .color(accent())
                                .strong()
                        } else {
                            RichText::new(&row.name)
                        };
                        ui.label(name);
                        for c in &row.cells {
                            let short: String = c.chars().take(60).collect();
                            let text = if highlight {
                                RichText::new(short).color(accent()).strong()
                            } else {
                                RichText::new(short)
                            };
                            ui.label(text).on_hover_text(c);
                        }
                        ui.end_row();
                    }
                });
        });
    let differ = differences(chosen);
    if !differ.is_empty() && chosen.iter().any(|r| !r.curves.is_empty()) {
        let names: Vec<&str> = differ.iter().map(|(n, _)| n.as_str()).collect();
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "These runs differ in {}: their curves are overlaid for reference, not as like \
                 with like (each line says its run's setting).",
                names.join(", ")
            ),
        );
    }
    for chart in overlay_charts(chosen) {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            ui.strong(&chart.title);
            save::chart_buttons(ui, ctx, &chart, "runs-compare");
        });
        show_chart(ui, &format!("runs_overlay_{}", chart.title), &chart, 220.0);
    }
}

/// What sets the runs apart: the datasets and every parameter that differs, as (name, one cell
/// per run). Empty when the runs are like with like.
pub(crate) fn differences(chosen: &[RunRecord]) -> Vec<(String, Vec<String>)> {
    runs::compare(chosen)
        .rows
        .into_iter()
        .filter(|r| r.differs && (r.kind == "param" || r.name == "datasets"))
        .map(|r| (r.name, r.cells))
        .collect()
}

/// One chart per curve kind the runs share, with a line per run. When the runs differ in their
/// data or parameters (other labels, another depth), each line's name says how, so that curves
/// of unlike runs are not read as comparable.
pub(crate) fn overlay_charts(chosen: &[RunRecord]) -> Vec<Chart> {
    let differ = differences(chosen);
    let name_of = |k: usize, id: i64| -> String {
        let mut parts: Vec<String> = differ
            .iter()
            .take(2)
            .map(|(name, cells)| {
                let value: String = cells[k].chars().take(24).collect();
                format!("{name} {value}")
            })
            .collect();
        if differ.len() > 2 {
            parts.push("…".into());
        }
        if parts.is_empty() {
            format!("run {id}")
        } else {
            format!("run {id} ({})", parts.join(", "))
        }
    };
    let mut kinds: Vec<&runs::Curve> = Vec::new();
    for r in chosen {
        for c in &r.curves {
            if !kinds.iter().any(|k| k.chart == c.chart) {
                kinds.push(c);
            }
        }
    }
    kinds
        .into_iter()
        .map(|kind| {
            let lines = chosen
                .iter()
                .enumerate()
                .filter_map(|(k, r)| {
                    r.curves
                        .iter()
                        .find(|c| c.chart == kind.chart)
                        .map(|c| Line::new(name_of(k, r.id), c.points.clone()))
                })
                .collect();
            Chart::lines(
                kind.chart.clone(),
                &kind.x_label,
                &kind.y_label,
                lines,
                Vec::new(),
            )
        })
        .collect()
}

impl Default for RunsBrowser {
    fn default() -> Self {
        Self::new(None)
    }
}

/// A use case panel's "Runs" view: the browser, showing only `use_case`'s runs.
pub(crate) fn history_ui(
    browser: &mut RunsBrowser,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    use_case: &'static str,
) {
    browser.fixed_use_case = Some(use_case);
    browser.ui(ui, ctx);
}

/// The dataset a run used in `role`, opened in the catalog if it is not: returns its name as
/// the panels know it. A file that has changed since the run is said so (the run's numbers
/// came from other data); one that has gone is an error.
pub(crate) fn reopen_input(
    run: &RunRecord,
    role: &str,
    ctx: &mut PanelCtx<'_>,
) -> Result<String, String> {
    let input = run
        .inputs
        .iter()
        .find(|i| i.role == role)
        .ok_or_else(|| format!("the run has no {role} input"))?;
    let Some(path) = &input.path else {
        // An embedded sample: always open.
        return Ok(input.name.clone());
    };
    let path = std::path::PathBuf::from(path);
    let meta =
        std::fs::metadata(&path).map_err(|_| format!("{}: no longer there", path.display()))?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs_f64());
    if meta.len() != input.size || modified != input.modified {
        ctx.notices.error(format!(
            "{}: changed since run {} (its results came from the earlier file)",
            path.display(),
            run.id
        ));
    }
    let open = ctx
        .catalog
        .entries()
        .iter()
        .any(|e| e.data.path() == Some(path.as_path()));
    if !open {
        ctx.catalog
            .load_file(ctx.jobs, &path, false)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(input.name.clone())
}

/// The Runs panel: the browser over every use case.
#[derive(Default)]
pub(crate) struct RunsPanel {
    browser: RunsBrowser,
}

impl Panel for RunsPanel {
    fn id(&self) -> &'static str {
        "runs"
    }

    fn about(&self) -> Option<&'static str> {
        Some(
            "Every analysis run, from the app or the command line, is recorded with its parameters, its input files' fingerprints, its metrics and its key charts. Filter and sort them, tick two or more to compare (differing parameters highlighted, curves overlaid), or open one back in its panel.",
        )
    }

    fn title(&self) -> &'static str {
        "Runs"
    }

    fn save(&self) -> serde_json::Value {
        let saved = self.browser.mlflow.as_ref().map(|m| &m.saved);
        serde_json::json!({ "mlflow": saved, "view": self.browser.save_view() })
    }

    fn restore(&mut self, saved: &serde_json::Value) {
        if saved.get("view").is_some() {
            self.browser.restore_view(&saved["view"]);
        }
        if let (Some(m), Ok(s)) = (
            self.browser.mlflow.as_mut(),
            serde_json::from_value::<MlflowSaved>(saved["mlflow"].clone()),
        ) {
            m.saved = s;
        }
    }

    fn logic(&mut self, ctx: &mut PanelCtx<'_>) {
        self.browser.logic(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading("Runs");
            ui.label("Every run of every analysis, from the app or the command line (playbook runs list).");
            self.browser.ui(ui, ctx);
        });
    }
}
