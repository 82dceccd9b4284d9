//! The Runs panel's MLflow section: push the selected runs to a tracking server, or pull an
//! experiment's runs in to compare them. The work is `runs::mlflow::push` / `pull` in a job (its
//! progress in the status bar); each run's outcome is listed here, errors in the accent colour.
//! The server address and experiment are remembered with the Runs panel.

use serde::{Deserialize, Serialize};

use super::PanelCtx;
use crate::jobs::Slot;
use crate::runs::mlflow::{self, Pulled, PushResult};
use crate::runs::{RunRecord, RunStore};

/// What is remembered between sessions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct MlflowSaved {
    pub uri: String,
    pub experiment: String,
}

impl Default for MlflowSaved {
    fn default() -> Self {
        Self {
            uri: "http://127.0.0.1:5000".into(),
            experiment: mlflow::DEFAULT_EXPERIMENT.into(),
        }
    }
}

/// What a finished push or pull reported.
enum Done {
    Pushed(Vec<PushResult>),
    Pulled(Pulled, String),
}

/// One line of the outcome list.
struct Outcome {
    text: String,
    ok: bool,
    /// The MLflow UI page of a pushed run.
    link: Option<String>,
}

#[derive(Default)]
pub(crate) struct MlflowForm {
    pub open: bool,
    pub saved: MlflowSaved,
    generation: u64,
    job: Slot<u64, Done>,
    outcomes: Vec<Outcome>,
}

impl MlflowForm {
    /// Collect a finished job; true when the store changed (the run list should be re-read).
    pub fn logic(&mut self, ctx: &mut PanelCtx<'_>) -> bool {
        if let Some(e) = self.job.poll() {
            let text = e.to_string();
            ctx.notices.error(text.clone());
            self.outcomes = vec![Outcome {
                text,
                ok: false,
                link: None,
            }];
        }
        let Some(done) = self.job.latest() else {
            return false;
        };
        self.outcomes = match done {
            Done::Pushed(results) => results
                .iter()
                .map(|r| Outcome {
                    text: r.line(),
                    ok: r.outcome.is_ok(),
                    link: r.outcome.as_ref().ok().map(|p| p.link().ui_url()),
                })
                .collect(),
            Done::Pulled(p, experiment) => vec![Outcome {
                text: p.line(experiment),
                ok: true,
                link: None,
            }],
        };
        let failed = self.outcomes.iter().filter(|o| !o.ok).count();
        if failed > 0 {
            ctx.notices.error(format!(
                "MLflow: {failed} run(s) not pushed; see the Runs panel"
            ));
        } else if let Some(first) = self.outcomes.first() {
            ctx.notices.info(format!("MLflow: {}", first.text));
        }
        self.job.clear();
        true
    }

    fn start(&mut self, ctx: &mut PanelCtx<'_>, push: Option<Vec<i64>>) {
        let Some(home) = ctx.runs.path().map(std::path::Path::to_owned) else {
            return;
        };
        let uri = self.saved.uri.trim().to_owned();
        let experiment = self.saved.experiment.trim().to_owned();
        self.generation += 1;
        self.outcomes.clear();
        let name = match &push {
            Some(ids) => format!("Push {} run(s) to MLflow", ids.len()),
            None => format!("Pull '{experiment}' from MLflow"),
        };
        self.job.request(
            ctx.jobs,
            self.generation,
            format!("runs:mlflow:{}", self.generation),
            name,
            move |job| {
                let mut store = RunStore::open(&home)?;
                Ok(match push {
                    Some(ids) => Done::Pushed(mlflow::push(&store, &uri, &experiment, &ids, job)?),
                    None => {
                        let pulled = mlflow::pull(&mut store, &uri, &experiment, job)?;
                        Done::Pulled(pulled, experiment)
                    }
                })
            },
        );
    }

    /// The section: server, experiment, Push and Pull, and the last outcome per run.
    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>, chosen: &[RunRecord]) {
        ui.separator();
        ui.strong("MLflow");
        ui.horizontal_wrapped(|ui| {
            ui.horizontal(|ui| {
                let l = ui.label("Server");
                ui.add(
                    egui::TextEdit::singleline(&mut self.saved.uri)
                        .desired_width(220.0)
                        .hint_text("http://host:5000"),
                )
                .labelled_by(l.id);
            });
            ui.horizontal(|ui| {
                let l = ui.label("Experiment");
                ui.add(egui::TextEdit::singleline(&mut self.saved.experiment).desired_width(140.0))
                    .labelled_by(l.id);
            });
        });
        let busy = self.job.is_pending();
        let ready =
            !busy && !self.saved.uri.trim().is_empty() && !self.saved.experiment.trim().is_empty();
        ui.horizontal_wrapped(|ui| {
            let ids: Vec<i64> = chosen.iter().map(|r| r.id).collect();
            if ui
                .add_enabled(
                    ready && !ids.is_empty(),
                    egui::Button::new(format!("Push {} selected run(s)", ids.len())),
                )
                .on_hover_text("Params, metrics, curves as metric steps, tags (use case, input fingerprints, app version), charts and tables; a run pushed before is not pushed again")
                .clicked()
            {
                self.start(ctx, Some(ids));
            }
            if ui
                .add_enabled(ready, egui::Button::new("Pull this experiment"))
                .on_hover_text("Bring the experiment's finished runs (params and metrics) into the run store to compare them here; runs already here are skipped")
                .clicked()
            {
                self.start(ctx, None);
            }
            if ui.button("Close").clicked() {
                self.open = false;
            }
            if busy {
                ui.spinner();
                ui.label("working… (progress in the status bar)");
            }
        });
        let accent = {
            let [r, g, b] = crate::theme::ACCENT;
            egui::Color32::from_rgb(r, g, b)
        };
        for o in &self.outcomes {
            ui.horizontal_wrapped(|ui| {
                if o.ok {
                    ui.label(&o.text);
                } else {
                    ui.colored_label(accent, &o.text);
                }
                if let Some(url) = &o.link {
                    ui.hyperlink_to("open in MLflow", url);
                }
            });
        }
    }
}
