//! The window's frame around the panels: top bar, sidebar and status bar. Drawing only; what a
//! click asks for is done through `PlaybookApp` methods.

use egui::{Color32, RichText};

use super::PlaybookApp;
use crate::theme;

fn rgb(c: [u8; 3]) -> Color32 {
    Color32::from_rgb(c[0], c[1], c[2])
}

pub(super) fn top_bar(app: &mut PlaybookApp, ui: &mut egui::Ui) {
    egui::Panel::top("top_bar").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            let narrow = is_narrow(ui.ctx());
            let hidden = app.sidebar_hidden(narrow);
            if ui
                .selectable_label(!hidden, "Sidebar")
                .on_hover_text(match (hidden, narrow) {
                    (true, true) => {
                        "The window is narrow, so the panels and datasets are folded away: show them"
                    }
                    (true, false) => "Show the panels and datasets",
                    (false, _) => "Fold the panels and datasets away (more room for the panel)",
                })
                .clicked()
            {
                app.toggle_sidebar(narrow);
            }
            ui.heading("Playbook");
            ui.separator();
            if ui
                .button("Open…")
                .on_hover_text("Open CSV, Parquet or GeoJSON files (or drop them on the window)")
                .clicked()
            {
                app.open_dialog();
            }
            if ui
                .button("Browse…")
                .on_hover_text("Pick a file with Playbook's own browser")
                .clicked()
            {
                app.picks.browse(PlaybookApp::open_request());
            }
            ui.menu_button("Workspace", |ui| {
                if ui
                    .button("Save workspace…")
                    .on_hover_text(
                        "Save this screen: the files, each panel's choices, the panel on screen",
                    )
                    .clicked()
                {
                    app.save_workspace();
                    ui.close();
                }
                if ui
                    .button("Pack workspace…")
                    .on_hover_text("Save this screen with its data files inside: one file that opens on another laptop with nothing else")
                    .clicked()
                {
                    app.pack_workspace();
                    ui.close();
                }
                if ui
                    .button("Open workspace…")
                    .on_hover_text("Reopen a saved screen (.playbook)")
                    .clicked()
                {
                    app.open_workspace_dialog();
                    ui.close();
                }
                if ui
                    .button("Export report…")
                    .on_hover_text("One HTML file of this screen: the files with their fingerprints, each panel's choices, and the runs it shows (ticked in Runs) with their charts")
                    .clicked()
                {
                    app.export_workspace_report();
                    ui.close();
                }
            });
            let mut chosen = None;
            ui.menu_button("Recent", |ui| {
                if app.settings.recent.is_empty() {
                    ui.label("No recent files");
                }
                for path in &app.settings.recent {
                    if ui.button(path.display().to_string()).clicked() {
                        chosen = Some(path.clone());
                    }
                }
            });
            if let Some(path) = chosen {
                app.open_path(path);
            }
            // How the window looks, in one menu so the bar fits on one line at 640 px.
            ui.menu_button("View", |ui| {
                ui.checkbox(&mut app.settings.presenting, "Presenting")
                    .on_hover_text(
                        "Everything larger (text, legends, axes) for a room reading a projector",
                    );
                ui.separator();
                ui.label("Theme");
                let theme = &mut app.settings.theme;
                ui.selectable_value(theme, crate::settings::ThemeChoice::Dark, "Dark");
                ui.selectable_value(theme, crate::settings::ThemeChoice::Light, "Light");
                ui.selectable_value(theme, crate::settings::ThemeChoice::System, "System");
            });
        });
    });
}

/// Below this width (in points) the sidebar starts folded: a 640-pixel window gives the panel
/// the whole width.
const NARROW: f32 = 700.0;

fn is_narrow(ctx: &egui::Context) -> bool {
    ctx.content_rect().width() < NARROW
}

pub(super) fn sidebar(app: &mut PlaybookApp, ui: &mut egui::Ui) {
    if app.sidebar_hidden(is_narrow(ui.ctx())) {
        return;
    }
    egui::Panel::left("sidebar")
        .resizable(true)
        .default_size(285.0)
        .min_size(110.0)
        .show(ui, |ui| {
            // Long names are cut (whole on hover) so the sidebar can be dragged narrow.
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            ui.add_space(4.0);
            ui.strong("Panels");
            for (id, title) in app.panel_titles() {
                let on = app.settings.panel == id;
                if ui.selectable_label(on, title).clicked() {
                    app.select_panel(id);
                }
            }
            ui.separator();
            ui.strong("Datasets");
            let selected = app.catalog.selected().map(|e| e.id);
            let mut pick = None;
            let mut close = None;
            egui::ScrollArea::vertical().show(ui, |ui| {
                for e in app.catalog.entries() {
                    // Right to left: the close buttons line up at the edge, the name takes the
                    // rest (cut when the sidebar is narrow).
                    let row = egui::vec2(ui.available_width(), ui.spacing().interact_size.y);
                    let right = egui::Layout::right_to_left(egui::Align::Center);
                    ui.allocate_ui_with_layout(row, right, |ui| {
                        if ui
                            .small_button("×")
                            .on_hover_text(format!("Close {}", e.data.name))
                            .clicked()
                        {
                            close = Some(e.id);
                        }
                        let text = format!("{} ({} rows)", e.data.name, e.data.rows());
                        ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                            let whence = match e.data.path() {
                                Some(p) => p.display().to_string(),
                                None => "embedded sample".to_owned(),
                            };
                            if ui
                                .selectable_label(selected == Some(e.id), &text)
                                .on_hover_text(format!("{text}\n{whence}"))
                                .clicked()
                            {
                                pick = Some(e.id);
                            }
                        });
                    });
                }
                for (name, done) in app.catalog.loading() {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        if done > 0.0 {
                            ui.label(format!("{name} ({:.0}%)", 100.0 * done));
                        } else {
                            ui.label(format!("{name}…"));
                        }
                    });
                }
            });
            if let Some(id) = pick {
                app.catalog.select(id);
            }
            if let Some(id) = close {
                app.catalog.remove(id);
            }
        });
}

pub(super) fn status_bar(app: &mut PlaybookApp, ui: &mut egui::Ui) {
    egui::Panel::bottom("status_bar").show(ui, |ui| {
        let jobs = app.jobs.active();
        for job in &jobs {
            let moving = !job.waiting;
            ui.horizontal(|ui| {
                ui.label(&job.name);
                // A job with no fraction yet turns a spinner beside its bar: egui's animated bar
                // draws its spinner over the bar's text ("2Ø3 files").
                if job.fraction == 0.0 && moving {
                    ui.spinner();
                }
                let bar = egui::ProgressBar::new(job.fraction)
                    .desired_width(180.0)
                    .text(job.message.clone());
                ui.add(bar);
                // A job that has reported nothing for a while (a watcher waiting for files) is
                // not redrawn by a timer, so it shows no clock that would stand still.
                if moving {
                    ui.label(format!("{:.1} s", job.elapsed.as_secs_f32()));
                }
                if ui
                    .button("Cancel")
                    .on_hover_text(format!("Cancel {}", job.name))
                    .clicked()
                {
                    app.jobs.cancel(job.id);
                }
            });
        }
        let mut dismiss = false;
        let mut dismiss_all = false;
        ui.horizontal(|ui| {
            let older = app.notices.errors().len().saturating_sub(1);
            if let Some(err) = app.notices.last_error() {
                let text = if app.notices.is_warning(err) {
                    RichText::new(format!("Note: {err}")).color(ui.visuals().warn_fg_color)
                } else {
                    RichText::new(format!("Error: {err}")).color(rgb(theme::ERROR))
                };
                // A long message is cut with "…" (whole on hover) so that Dismiss and the
                // earlier ones stay on screen in a narrow window.
                let buttons = if older > 0 { 160.0 } else { 80.0 };
                let width = (ui.available_width() - buttons).max(80.0);
                ui.allocate_ui(egui::vec2(width, ui.available_height()), |ui| {
                    ui.add(egui::Label::new(text).truncate());
                });
                dismiss = ui.small_button("Dismiss").clicked();
                if older > 0 {
                    ui.menu_button(format!("{older} more"), |ui| {
                        for e in app.notices.errors().iter().rev().skip(1) {
                            let color = if app.notices.is_warning(e) {
                                ui.visuals().warn_fg_color
                            } else {
                                rgb(theme::ERROR)
                            };
                            ui.label(RichText::new(e).color(color));
                        }
                        dismiss_all = ui.button("Dismiss all").clicked();
                    })
                    .response
                    .on_hover_text("Earlier errors of this session, newest first");
                }
                // Good news is not hidden behind an old error.
                if let Some(info) = app.notices.current_info() {
                    ui.separator();
                    ui.label(info);
                }
            } else if let Some(info) = app.notices.current_info() {
                ui.label(info);
            } else if jobs.is_empty() {
                ui.weak("Ready");
            }
        });
        if dismiss {
            app.notices.dismiss_error();
        }
        if dismiss_all {
            app.notices.dismiss_all();
        }
    });
}

/// While files are dragged over the window, dim it and say what dropping does.
pub(super) fn drop_hint(ctx: &egui::Context) {
    let names: Vec<String> = ctx.input(|i| {
        i.raw
            .hovered_files
            .iter()
            .map(|f| {
                f.path
                    .as_ref()
                    .and_then(|p| p.file_name())
                    .map_or_else(|| "file".to_owned(), |n| n.to_string_lossy().into_owned())
            })
            .collect()
    });
    if names.is_empty() {
        return;
    }
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("drop_hint"),
    ));
    let rect = ctx.content_rect();
    painter.rect_filled(rect, 0.0, Color32::from_black_alpha(180));
    painter.text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        format!("Drop to open {}", names.join(", ")),
        egui::FontId::proportional(22.0),
        Color32::WHITE,
    );
}
