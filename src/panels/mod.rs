//! The use-case panels. Each implements the small `Panel` trait and is registered once in
//! `all_panels`; the sidebar, persistence and the GUI tests walk that list. A panel keeps its
//! own state, starts jobs for anything heavy, and draws; it never computes on the UI thread.

/// `save` and `restore` for a panel whose choices worth keeping are its `saved` field (serde):
/// `persist_saved!();` inside its `impl Panel`.
macro_rules! persist_saved {
    () => {
        fn save(&self) -> serde_json::Value {
            serde_json::to_value(&self.saved).unwrap_or_default()
        }

        fn restore(&mut self, saved: &serde_json::Value) {
            if let Ok(s) = serde_json::from_value(saved.clone()) {
                self.saved = s;
            }
        }
    };
}

pub mod chart_view;
pub mod data;
pub mod dtw;
pub mod forecast;
pub mod fraud;
pub mod glossary;
pub mod images;
pub mod mlflow;
pub mod pitching;
pub mod run_slot;
pub mod runs;
pub mod save;
pub mod sentiment;
pub mod spatial;
pub mod start;
pub mod stock;

use crate::runs::RunRecord;
pub use crate::session::PanelCtx;
use crate::usecases::registry;

pub(crate) trait Panel {
    /// Stable id, used in settings; a use case's panel has its use case's id.
    fn id(&self) -> &'static str;
    /// Name in the sidebar: a use case's title from the registry.
    fn title(&self) -> &'static str {
        registry::get(self.id()).map_or(self.id(), |u| u.title)
    }
    /// Per-frame logic before drawing: collect finished jobs. No drawing here.
    fn logic(&mut self, ctx: &mut PanelCtx<'_>);
    /// Draw the panel.
    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>);
    /// What the analysis does, how to read it, and what it was checked against, for the
    /// "About this analysis" note above the panel (None: no note). A use case's from the registry.
    fn about(&self) -> Option<&'static str> {
        registry::get(self.id()).map(|u| u.about)
    }
    /// Choices worth keeping across restarts.
    fn save(&self) -> serde_json::Value {
        serde_json::Value::Null
    }
    fn restore(&mut self, _saved: &serde_json::Value) {}
    /// Files dropped on the window while this panel is shown: true when the panel took them
    /// (then they are not opened as datasets).
    fn take_dropped(&mut self, _files: &[std::path::PathBuf]) -> bool {
        false
    }
    /// The use cases (run-store names) whose runs this panel can open: a use case's `reopens`.
    fn use_cases(&self) -> &'static [&'static str] {
        registry::get(self.id()).map_or(&[], |u| u.reopens)
    }
    /// The names of the datasets the panel's analysis reads now (the app says which of them are
    /// generated samples).
    fn datasets(&self) -> Vec<&str> {
        Vec::new()
    }
    /// "Try it on the sample" (the Start page): put the panel's choices back to its use case's
    /// sample preset and run it on the sample as soon as the sample's tables are loaded, so the
    /// panel shows a result without another click. Every use-case panel does this the same way,
    /// through `SampleRun`.
    fn try_sample(&mut self) {}
    /// Put a recorded run's params back into the panel, with its datasets loaded. An error
    /// says what could not be restored.
    fn open_run(&mut self, _run: &RunRecord, _ctx: &mut PanelCtx<'_>) -> Result<(), String> {
        Err("this panel cannot open runs".into())
    }
}

/// A use case's run asked for by "Try it on the sample", waiting for the sample's tables to be
/// loaded: each panel keeps one, arms it in `try_sample` and takes it in `logic`, where it starts
/// its run exactly as its Run button does.
#[derive(Debug, Default)]
pub(crate) struct SampleRun {
    armed: bool,
}

impl SampleRun {
    pub(crate) fn arm(&mut self) {
        self.armed = true;
    }

    /// The tables named `names`, once, when a run was asked for and all of them are open;
    /// None until then (and after).
    pub fn take(
        &mut self,
        ctx: &PanelCtx<'_>,
        names: &[&str],
    ) -> Option<Vec<std::sync::Arc<crate::data::Dataset>>> {
        if !self.armed {
            return None;
        }
        let tables: Option<Vec<_>> = names.iter().map(|n| ctx.catalog.by_name(n)).collect();
        if tables.is_some() {
            self.armed = false;
        }
        tables
    }

    /// Whether a run is asked for and its tables are all open: for panels whose start reads
    /// the tables itself.
    pub(crate) fn ready(&mut self, ctx: &PanelCtx<'_>, names: &[&str]) -> bool {
        self.take(ctx, names).is_some()
    }
}

/// A labelled drop-down choosing one of `choices` (a dataset, a column).
pub(crate) fn choice_combo(
    ui: &mut egui::Ui,
    label: &str,
    choices: &[String],
    choice: &mut String,
) {
    egui::ComboBox::from_label(label)
        .selected_text(choice.clone())
        .show_ui(ui, |ui| {
            for c in choices {
                ui.selectable_value(choice, c.clone(), c);
            }
        });
}

/// In a `horizontal_wrapped` row, start a new row unless a label and the widget after it fit
/// (`widget_width` points for the widget). egui wraps single widgets by itself, but a composite
/// one (a slider with its value box) is laid out in a nested row it cannot move, so it ran off
/// the right edge at 800 × 500 and widened everything below it.
pub(crate) fn wrap_unless_fits(ui: &mut egui::Ui, label: &str, widget_width: f32) {
    let text = egui::WidgetText::from(label).into_galley(
        ui,
        Some(egui::TextWrapMode::Extend),
        f32::INFINITY,
        egui::TextStyle::Body,
    );
    let need = text.size().x + ui.spacing().item_spacing.x * 2.0 + widget_width;
    // In a wrapping row, what is left of the current row (`available_width` is the whole row).
    if ui.available_size_before_wrap().x < need {
        ui.end_row();
    }
}

/// The width a slider with its value box takes in a row.
pub(crate) fn slider_width(ui: &egui::Ui) -> f32 {
    ui.spacing().slider_width + ui.spacing().interact_size.x * 1.5 + ui.spacing().item_spacing.x
}

/// The mark on results whose inputs are no longer the ones chosen: "These results are for …:
/// press … to update them." Nothing when `now` equals `then` (dataset and params alike).
pub fn stale_note<P: PartialEq>(
    ui: &mut egui::Ui,
    (then_data, then_params): (&str, &P),
    (now_data, now_params): (&str, &P),
    button: &str,
) {
    let what = if then_data != now_data {
        format!("{then_data} (now {now_data} is chosen)")
    } else if then_params != now_params {
        format!("{then_data} with the settings before your edits")
    } else {
        return;
    };
    ui.colored_label(
        ui.visuals().warn_fg_color,
        format!("These results are for {what}: press {button} to update them."),
    );
}

/// " Recorded as run 12." after a result's headline, or nothing when the run was not recorded.
pub(crate) fn recorded_as(run_id: Option<i64>) -> String {
    run_id.map_or_else(String::new, |id| format!(" Recorded as run {id}."))
}

/// Every panel, in sidebar order. A new use case adds one line here.
pub(crate) fn all_panels() -> Vec<Box<dyn Panel>> {
    vec![
        Box::<start::StartPanel>::default(),
        Box::<data::DataPanel>::default(),
        Box::<dtw::DtwPanel>::default(),
        Box::<forecast::ForecastPanel>::default(),
        Box::<fraud::FraudPanel>::default(),
        Box::<spatial::SpatialPanel>::default(),
        Box::<stock::StockPanel>::default(),
        Box::<pitching::PitchingPanel>::default(),
        Box::<sentiment::SentimentPanel>::default(),
        Box::<images::ImagesPanel>::default(),
        Box::<runs::RunsPanel>::default(),
    ]
}
