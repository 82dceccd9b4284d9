//! One join of the Spatial panel: what it shows, binned and with every map layer prepared in
//! the join's job, so the UI thread only draws.

use std::sync::Arc;

use anyhow::Result;

use crate::compute::Progress;
use crate::compute::spatial::join::{self, HexCell};
use crate::compute::spatial::polygons;
use crate::data::Dataset;
use crate::panels::run_slot::Finished;
use crate::usecases::spatial::JoinOutput;
use crate::usecases::spatial::layers::{self, Triangles};

/// Points drawn at most; more are sampled evenly (all 20,000 sample pickups hid the
/// choropleth under Manhattan).
pub(crate) const MAX_DRAWN_POINTS: usize = 5_000;
/// Outline simplification for the screen, in degrees (about 20 m).
const TOLERANCE: f64 = 0.0002;

/// What a join of the panel shows.
pub(crate) struct JoinResult {
    /// The points table, for colouring the drawn points by one of its columns.
    pub points_data: Arc<Dataset>,
    pub points_name: String,
    pub polygons_name: String,
    /// The join as the use case made it (its polygons, points, assignment, kept columns).
    pub out: JoinOutput,
    pub cells: Vec<HexCell>,
    /// Where each cell sits in `cells`, for the hover read-out.
    pub cell_at: std::collections::HashMap<h3o::CellIndex, usize>,
    pub fills: Triangles,
    pub hexes: Triangles,
    /// Each polygon ring (Web Mercator, simplified) with its feature.
    pub outlines: Vec<(u32, Vec<[f64; 2]>)>,
    pub world: Vec<Vec<[f64; 2]>>,
    pub drawn_points: Vec<[f64; 2]>,
    /// The same points in Web Mercator coordinates, for drawing.
    pub drawn_points_m: Vec<[f64; 2]>,
    /// The table row of each drawn point.
    pub drawn_rows: Vec<u32>,
}

impl std::ops::Deref for JoinResult {
    type Target = JoinOutput;

    fn deref(&self) -> &JoinOutput {
        &self.out
    }
}

/// A finished join of the panel.
pub(crate) type JoinRun = Finished<JoinResult>;

/// Bin the joined points into H3 cells and prepare every map layer from the join `j` (in the
/// join's job), with the world's outline under it when `world` is open.
pub(crate) fn prepare(
    j: JoinOutput,
    points_data: &Arc<Dataset>,
    polygons: &Dataset,
    world: Option<&Dataset>,
    progress: &dyn Progress,
) -> Result<JoinResult> {
    let res = join::resolution(j.resolution)?;
    let cells = join::hexbin(&j.points, res, progress)?;
    let cell_at = cells.iter().enumerate().map(|(i, c)| (c.cell, i)).collect();
    let (assignment, set, points) = (&j.assignment, &j.set, &j.points);
    let classes = layers::Classes::of(assignment.counts.iter().copied().max().unwrap_or(0));
    let fills = layers::fills(
        set,
        |f| {
            let [r, g, b] = classes.color(assignment.counts[f as usize]);
            [r, g, b, 170]
        },
        TOLERANCE,
    );
    let hexes = layers::hexagons(&cells, 200);
    let outlines = layers::feature_outlines(set, TOLERANCE);
    let world = match world {
        Some(w) => polygons::from_dataset(w, None, None)
            .map(|s| layers::outlines(&s, 0.05))
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let step = points.len().div_ceil(MAX_DRAWN_POINTS).max(1);
    let drawn_points: Vec<[f64; 2]> = (0..points.len())
        .step_by(step)
        .map(|k| [points.lon[k], points.lat[k]])
        .collect();
    let drawn_rows: Vec<u32> = (0..points.len())
        .step_by(step)
        .map(|k| points.rows[k])
        .collect();
    let drawn_points_m = drawn_points.iter().copied().map(layers::mercator).collect();
    Ok(JoinResult {
        points_data: Arc::clone(points_data),
        points_name: points_data.name.clone(),
        polygons_name: polygons.name.clone(),
        cells,
        cell_at,
        fills,
        hexes,
        outlines,
        world,
        drawn_points,
        drawn_points_m,
        drawn_rows,
        out: j,
    })
}
