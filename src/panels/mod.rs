//! The use-case panels. Each implements the small `Panel` trait and is registered once in
//! `all_panels`; the sidebar, persistence and the GUI tests walk that list. A panel keeps its
//! own state, starts jobs for anything heavy, and draws; it never computes on the UI thread.

pub mod chart_view;
pub mod data;
pub mod dtw;
pub mod forecast;
pub mod fraud;
pub mod save;
pub mod spatial;

use crate::app::{Catalog, Exports, Notices};
use crate::jobs::JobRunner;

/// What a panel may use of the app.
pub struct PanelCtx<'a> {
    pub catalog: &'a mut Catalog,
    pub jobs: &'a JobRunner,
    pub notices: &'a mut Notices,
    pub exports: &'a mut Exports,
}

pub trait Panel {
    /// Stable id, used in settings.
    fn id(&self) -> &'static str;
    /// Name in the sidebar.
    fn title(&self) -> &'static str;
    /// Per-frame logic before drawing: collect finished jobs. No drawing here.
    fn logic(&mut self, ctx: &mut PanelCtx<'_>);
    /// Draw the panel.
    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>);
    /// Choices worth keeping across restarts.
    fn save(&self) -> serde_json::Value {
        serde_json::Value::Null
    }
    fn restore(&mut self, _saved: &serde_json::Value) {}
}

/// A labelled drop-down choosing one of `choices` (a dataset, a column).
pub fn choice_combo(ui: &mut egui::Ui, label: &str, choices: &[String], choice: &mut String) {
    egui::ComboBox::from_label(label)
        .selected_text(choice.clone())
        .show_ui(ui, |ui| {
            for c in choices {
                ui.selectable_value(choice, c.clone(), c);
            }
        });
}

/// Every panel, in sidebar order. A new use case adds one line here.
pub fn all_panels() -> Vec<Box<dyn Panel>> {
    vec![
        Box::<data::DataPanel>::default(),
        Box::<dtw::DtwPanel>::default(),
        Box::<forecast::ForecastPanel>::default(),
        Box::<fraud::FraudPanel>::default(),
        Box::<spatial::SpatialPanel>::default(),
    ]
}
