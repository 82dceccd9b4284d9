//! The DTW panel's All pairs view: the distance between every two series of the table, as a
//! heat map ordered by hierarchical clustering (alike series sit together), with the table of
//! pairs to save.

use super::DtwPanel;
use super::matching::table_ui;
use crate::format::short;
use crate::panels::chart_view::show_chart;
use crate::panels::run_slot::RunInputs;
use crate::panels::{PanelCtx, save};
use crate::runs::of_dataset;
use crate::usecases::analysis::{Analysis, DtwMatrix};
use crate::usecases::dtw::{self as usecase, MatrixOutput, MatrixParams, WarpingBand};

/// What an all-pairs run shows.
pub(crate) struct MatrixResult {
    /// What the run was asked (to mark its results stale once the choices change).
    pub params: MatrixParams,
    pub out: MatrixOutput,
}

fn params(p: &DtwPanel) -> MatrixParams {
    MatrixParams {
        layout: p.saved.layout.clone(),
        id_col: None,
        znorm: p.saved.znorm,
        band: WarpingBand {
            stretch: p.saved.window,
            cells: None,
        },
    }
}

pub(super) fn ui(p: &mut DtwPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
    ui.horizontal_wrapped(|ui| {
        table_ui(p, ui, ctx);
        ui.checkbox(&mut p.saved.znorm, "Z-normalise");
    });
    ui.horizontal_wrapped(|ui| {
        ui.add(
            egui::Slider::new(&mut p.saved.window, usecase::STRETCH.range()).text("Stretch factor"),
        )
        .on_hover_text(crate::panels::glossary::STRETCH);
        if ui
            .button("Compute all pairs")
            .on_hover_text(format!(
                "DTW distance between every two series of the table (up to {} series), then cluster them",
                crate::format::whole(usecase::MAX_SERIES)
            ))
            .clicked()
        {
            start(p, ctx);
        }
        if p.matrix.is_pending() {
            ui.spinner();
        }
    });
    let Some(r) = p.matrix.latest().cloned() else {
        ui.label(
            "Compute all pairs to see which series are alike: the heat map orders them so that similar series sit together.",
        );
        return;
    };
    ui.separator();
    crate::panels::stale_note(
        ui,
        (&r.out.dataset, &r.params),
        (&p.saved.series_dataset, &params(p)),
        "Compute all pairs",
    );
    let n = r.out.ids.len();
    ui.label(format!(
        "{} series of {}: {} pairs, median distance {}, {}{}.{}",
        crate::format::whole(n),
        r.out.dataset,
        crate::format::whole(r.out.condensed.len()),
        short(r.out.median),
        usecase::band_text(r.out.window, r.out.cells),
        if p.saved.znorm { ", z-normalised" } else { "" },
        crate::panels::recorded_as(r.run_id)
    ))
    .on_hover_text(format!(
        "The distances took {} s on the {} kernel ({} series at once, both cores).",
        crate::format::significant(r.out.seconds, 2),
        crate::compute::dtw::instruction_set(),
        crate::compute::dtw::lanes::LANES,
    ));
    ui.horizontal_wrapped(|ui| {
        ui.strong("Distances, clustered");
        save::chart_buttons(ui, ctx, &r.out.chart, "dtw-matrix");
        ui.separator();
        // The label stays on the line of its two buttons.
        crate::panels::wrap_unless_fits(ui, "Every pair:", 200.0);
        ui.label("Every pair:");
        save::table_buttons(ui, ctx, "every pair (a, b, distance)", "dtw-pairs", || {
            r.out.long_table()
        });
    });
    let height = (ui.available_height() - 8.0).clamp(260.0, 900.0);
    show_chart(ui, "dtw_matrix", &r.out.chart, height);
}

fn start(p: &mut DtwPanel, ctx: &mut PanelCtx<'_>) {
    let Some(series) = ctx.catalog.by_name(&p.saved.series_dataset) else {
        ctx.notices.error(format!(
            "DTW: no dataset named '{}' is open",
            p.saved.series_dataset
        ));
        return;
    };
    let params = params(p);
    let inputs = RunInputs::recorded(vec![of_dataset("series", &series)]);
    p.matrix.start::<DtwMatrix>(
        ctx,
        params.clone(),
        inputs,
        move |valid, job| DtwMatrix::run(valid, &series, job),
        |out, _| Ok(MatrixResult { params, out }),
    );
}
