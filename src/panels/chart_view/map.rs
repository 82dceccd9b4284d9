//! Maps on screen: shapes outlined, points on top, at the map's aspect.

use egui_plot::Plot;

use super::rgb;
use crate::chart::MapShape;
use crate::theme;

/// Shows the outlines of `shapes` and the `points` in `plot`.
pub(super) fn show(ui: &mut egui::Ui, plot: Plot<'_>, shapes: &[MapShape], points: &[(f64, f64)]) {
    plot.data_aspect(1.3).show(ui, |p| {
        for s in shapes {
            let pts: Vec<[f64; 2]> = s.ring.iter().map(|&(x, y)| [x, y]).collect();
            p.line(egui_plot::Line::new("", pts).color(rgb(theme::GUIDE)));
        }
        let pts: Vec<[f64; 2]> = points.iter().map(|&(x, y)| [x, y]).collect();
        p.points(egui_plot::Points::new("points", pts).radius(1.0));
    });
}
