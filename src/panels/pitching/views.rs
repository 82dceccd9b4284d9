//! The Pitching panel's controls, League view and Pitcher view.

use std::sync::Arc;

use egui_extras::{Column, TableBuilder};

use super::{PitchingPanel, PitchingRun};
use crate::format::{date, short};
use crate::panels::{PanelCtx, choice_combo, recorded_as, save};
use crate::usecases::pitching::charts::LeagueMetric;
use crate::usecases::pitching::{self as usecase, tables};

const CHART_HEIGHT: f32 = 260.0;

pub(super) fn controls(p: &mut PitchingPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
    let data = ctx.catalog.by_name(&p.saved.dataset);
    ui.horizontal_wrapped(|ui| {
        let names = ctx.catalog.names();
        choice_combo(ui, "Pitches", &names, &mut p.saved.dataset);
        let clicked = ui
            .add_enabled(data.is_some(), egui::Button::new("Score pitches"))
            .on_hover_text(
                "Score every pitch against the pitcher's earlier outings (recorded in the run \
                 store)",
            )
            .clicked();
        if clicked && let Some(d) = &data {
            p.start(ctx, Arc::clone(d), true);
        }
        if p.run.is_pending() {
            ui.spinner();
            ui.weak("scoring…");
        }
        if data.is_none() {
            ui.label(format!("'{}' is not open", p.saved.dataset));
        }
    });
    egui::CollapsingHeader::new("Flag rule")
        .id_salt("pitching-rule")
        .show(ui, |ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            let r = &mut p.saved.rule;
            ui.horizontal_wrapped(|ui| {
                ui.label("spin z ≥");
                ui.add(
                    egui::DragValue::new(&mut r.z)
                        .speed(0.05)
                        .range(usecase::Z.range()),
                )
                .on_hover_text("Robust SDs above his velocity-adjusted median");
                ui.label("regression z ≥");
                ui.add(
                    egui::DragValue::new(&mut r.regression_z)
                        .speed(0.05)
                        .range(usecase::REGRESSION_Z.range()),
                )
                .on_hover_text("Robust SDs above the league spin regression's expectation");
                ui.label("or sustained z ≥");
                ui.add(
                    egui::DragValue::new(&mut r.sustained_z)
                        .speed(0.05)
                        .range(usecase::SUSTAINED_Z.range()),
                )
                .on_hover_text(
                    "A pitch this high is also flagged when the median of this outing's pitches \
                     of its type so far is this high too",
                );
                ui.label("over");
                ui.add(
                    egui::DragValue::new(&mut r.sustained_pitches)
                        .range(usecase::SUSTAINED_PITCHES.range())
                        .suffix(" pitches"),
                );
            });
            ui.horizontal_wrapped(|ui| {
                ui.label("baseline: last");
                ui.add(
                    egui::DragValue::new(&mut r.history_outings)
                        .range(usecase::HISTORY_OUTINGS.range())
                        .suffix(" outings"),
                );
                ui.label("needs");
                ui.add(
                    egui::DragValue::new(&mut r.min_outings)
                        .range(usecase::MIN_OUTINGS.range())
                        .suffix(" outings"),
                );
                ui.label("and");
                ui.add(
                    egui::DragValue::new(&mut r.min_pitches)
                        .range(usecase::MIN_PITCHES.range())
                        .suffix(" pitches"),
                );
                ui.label("outing flagged at");
                ui.add(
                    egui::DragValue::new(&mut r.min_flagged)
                        .range(usecase::MIN_FLAGGED.range())
                        .suffix(" pitches"),
                );
            });
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Wrap);
            ui.weak(p.saved.rule.describe());
        });
}

fn headline(ui: &mut egui::Ui, r: &PitchingRun, saved: &super::PitchingChoices) {
    ui.label(format!("{}.{}", r.out.summary(), recorded_as(r.run_id)));
    // Results of other inputs than the ones chosen now are marked, not passed off as current.
    crate::panels::stale_note(
        ui,
        (&r.out.name, &r.out.rule),
        (&saved.dataset, &saved.rule),
        "Score pitches",
    );
    ui.weak(r.out.rule.short()).on_hover_text(format!(
        "{}\n\nVelocity-adjusted: expected spin = his median Bauer units (spin / mph) × this \
         pitch's speed. Robust SD = 1.4826 × median absolute deviation. The regression is \
         fitted with linfa on speed per pitch type, release height and side, and extension.",
        r.out.rule.describe()
    ));
    if r.out.pitches.skipped > 0 {
        ui.weak(format!(
            "{} rows without a game, pitcher, pitch type or speed were left out.",
            r.out.pitches.skipped
        ));
    }
}

pub(super) fn league_ui(p: &mut PitchingPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
    let Some(r) = p.run.latest().cloned() else {
        waiting(p, ui);
        return;
    };
    headline(ui, &r, &p.saved);
    ui.horizontal(|ui| {
        let m = &mut p.saved.metric;
        ui.selectable_value(m, LeagueMetric::Spin, "Spin rate");
        ui.selectable_value(m, LeagueMetric::Bauer, "Bauer units")
            .on_hover_text(
                "Spin per mph of velocity: spin that does not come from throwing harder",
            );
    });
    let chart = match p.saved.metric {
        LeagueMetric::Spin => &r.league[0],
        LeagueMetric::Bauer => &r.league[1],
    };
    save::chart_block(
        ui,
        ctx,
        "pitching-league",
        chart,
        "pitching-league",
        CHART_HEIGHT,
    );
    ui.horizontal_wrapped(|ui| {
        ui.strong("League by week");
        let out = r.clone();
        save::table_buttons(
            ui,
            ctx,
            "the league's weeks",
            "pitching-league-weeks",
            move || tables::league_frame(&out.out.league),
        );
    });
    ui.add_space(6.0);
    let flagged = &r.flagged;
    ui.horizontal_wrapped(|ui| {
        ui.strong("Every pitch with its score and reason");
        let out = r.clone();
        save::table_buttons(ui, ctx, "every pitch's flag", "pitching-flags", move || {
            tables::flags_frame(&out.out)
        });
    });
    ui.horizontal_wrapped(|ui| {
        ui.strong(format!("Flagged outings ({})", flagged.len()));
        let out = r.clone();
        save::table_buttons(
            ui,
            ctx,
            "the flagged outings",
            "pitching-flagged-outings",
            move || tables::outings_frame(&out.out, true),
        );
    });
    if let Some(id) = outings_table(ui, "pitching-league-outings", &r, flagged) {
        p.saved.pitcher = Some(id);
        p.saved.view = super::PitchingView::Pitcher;
    }
}

fn waiting(p: &PitchingPanel, ui: &mut egui::Ui) {
    if p.run.is_pending() {
        ui.label("Scoring the pitches…");
    } else {
        ui.label(
            "Choose a pitch table in Statcast's layout (game_pk, game_date, pitcher, pitch_type, \
             release_speed, release_spin_rate, pitch_number) and press Score pitches: each pitch \
             is measured against what the pitcher's earlier outings predict.",
        );
    }
}

/// The outings at `rows` (indices into the run's outings): date, pitcher, flagged pitches,
/// types, strongest z and its reason. Returns the pitcher clicked.
fn outings_table(ui: &mut egui::Ui, id: &str, r: &PitchingRun, rows: &[usize]) -> Option<i64> {
    let mut clicked = None;
    ui.push_id(id, |ui| {
        // Cells stay on one line (a wrapped name would run into the next row); the reason is
        // clipped, with the whole of it on hover.
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
        TableBuilder::new(ui)
            .striped(true)
            .max_scroll_height(260.0)
            .column(Column::auto())
            .column(Column::auto())
            .column(Column::auto())
            .column(Column::auto())
            .column(Column::auto())
            .column(Column::remainder().clip(true))
            .header(20.0, |mut h| {
                for t in ["date", "pitcher", "flagged", "types", "max z", "reason"] {
                    h.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|body| {
                body.rows(20.0, rows.len(), |mut row| {
                    let o = &r.out.outings[rows[row.index()]];
                    row.col(|ui| {
                        ui.label(date(f64::from(o.day)));
                    });
                    row.col(|ui| {
                        if ui
                            .link(r.out.pitches.name(o.pitcher))
                            .on_hover_text("Show this pitcher")
                            .clicked()
                        {
                            clicked = Some(o.pitcher);
                        }
                    });
                    row.col(|ui| {
                        ui.label(format!("{} of {}", o.flagged, o.pitches));
                    });
                    row.col(|ui| {
                        ui.label(o.types.iter().map(|t| &**t).collect::<Vec<_>>().join(", "));
                    });
                    row.col(|ui| {
                        ui.label(format!("{:+.1}", o.max_z));
                    });
                    row.col(|ui| {
                        ui.label(&o.reason).on_hover_text(&o.reason);
                    });
                });
            });
    });
    clicked
}

pub(super) fn pitcher_ui(p: &mut PitchingPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
    let Some(r) = p.run.latest().cloned() else {
        waiting(p, ui);
        return;
    };
    ui.horizontal_wrapped(|ui| {
        ui.label("Find a pitcher");
        ui.add(
            egui::TextEdit::singleline(&mut p.saved.search)
                .hint_text("name or id")
                .desired_width(200.0),
        );
        if let Some(id) = p.saved.pitcher {
            ui.label(format!("showing {} ({id})", r.out.pitches.name(id)));
        }
    });
    let needle = p.saved.search.trim().to_lowercase();
    let matches: Vec<&super::PitcherRow> = r
        .pitchers
        .iter()
        .filter(|x| {
            needle.is_empty()
                || x.name.to_lowercase().contains(&needle)
                || x.id.to_string().contains(&needle)
        })
        .collect();
    egui::ScrollArea::vertical()
        .id_salt("pitching-pitchers")
        .max_height(120.0)
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                for x in matches.iter().take(200) {
                    let label = if x.flagged_outings > 0 {
                        format!("{} ({} flagged)", x.name, x.flagged_outings)
                    } else {
                        x.name.clone()
                    };
                    let chosen = p.saved.pitcher == Some(x.id);
                    if ui
                        .selectable_label(chosen, label)
                        .on_hover_text(format!(
                            "id {}; {} pitches; {} flagged outings",
                            x.id,
                            short(x.pitches as f64),
                            x.flagged_outings
                        ))
                        .clicked()
                    {
                        p.saved.pitcher = Some(x.id);
                    }
                }
                if matches.len() > 200 {
                    ui.weak(format!(
                        "… {} more: type more of the name",
                        matches.len() - 200
                    ));
                }
                if matches.is_empty() {
                    ui.weak("No pitcher matches.");
                }
            });
        });
    ui.separator();
    let Some(id) = p.saved.pitcher else {
        ui.label("Choose a pitcher (in brackets: his flagged outings).");
        return;
    };
    let Some(v) = p.pitcher.get(&(r.run, id)).cloned() else {
        ui.spinner();
        return;
    };
    ui.label(format!(
        "{} outings, {} flagged.",
        v.outings,
        v.flagged.len()
    ));
    if !v.flagged.is_empty() {
        outings_table(ui, "pitching-pitcher-outings", &r, &v.flagged);
    }
    let stems = [
        "pitcher-spin",
        "pitcher-velocity",
        "pitcher-movement",
        "pitcher-release",
        "pitcher-location",
        "pitcher-spin-axis",
    ];
    // Spin and velocity across the page; the scatters in pairs, so the location chart (one
    // scale for both axes) is about as wide as it is tall.
    for (chart, stem) in v.charts.iter().zip(stems).take(2) {
        save::chart_block(ui, ctx, stem, chart, stem, CHART_HEIGHT);
        ui.add_space(6.0);
    }
    for pair in [[2, 3], [4, 5]] {
        ui.columns(2, |cols| {
            for (col, k) in cols.iter_mut().zip(pair) {
                save::chart_block(col, ctx, stems[k], &v.charts[k], stems[k], CHART_HEIGHT);
            }
        });
        ui.add_space(6.0);
    }
}
