//! One join of the Spatial panel: the inputs taken from the catalog, and the job that joins,
//! bins and prepares every map layer, so the UI thread only draws.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Result;

use super::layers::{self, Triangles};
use crate::compute::Progress;
use crate::compute::spatial::join::{self, Assignment, HexCell, Points};
use crate::compute::spatial::pip::PolygonIndex;
use crate::compute::spatial::polygons::{self, PolygonSet};
use crate::data::Dataset;

/// Points drawn at most; more are sampled evenly.
pub const MAX_DRAWN_POINTS: usize = 20_000;
/// Outline simplification for the screen, in degrees (about 20 m).
const TOLERANCE: f64 = 0.0002;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Method {
    #[default]
    Exact,
    H3,
}

pub struct JoinInputs {
    pub points: Arc<Dataset>,
    pub lon_col: String,
    pub lat_col: String,
    pub polygons: Arc<Dataset>,
    pub name_col: Option<String>,
    pub method: Method,
    pub resolution: u8,
    /// Countries drawn as a faint world outline under everything.
    pub world: Option<Arc<Dataset>>,
}

pub struct JoinResult {
    pub points_name: String,
    pub polygons_name: String,
    pub method: Method,
    pub resolution: u8,
    pub set: PolygonSet,
    pub index: PolygonIndex,
    pub points: Points,
    pub assignment: Assignment,
    /// For an H3 join: the share of points it puts where the exact join does.
    pub agreement: Option<f64>,
    pub seconds: f64,
    pub cells: Vec<HexCell>,
    /// Where each cell sits in `cells`, for the hover read-out.
    pub cell_at: std::collections::HashMap<h3o::CellIndex, usize>,
    pub fills: Triangles,
    pub hexes: Triangles,
    pub outlines: Vec<Vec<[f64; 2]>>,
    pub world: Vec<Vec<[f64; 2]>>,
    pub drawn_points: Vec<[f64; 2]>,
    /// The same points in Web Mercator coordinates, for drawing.
    pub drawn_points_m: Vec<[f64; 2]>,
}

pub fn compute(i: JoinInputs, progress: &dyn Progress) -> Result<JoinResult> {
    let res = join::resolution(i.resolution)?;
    let set = polygons::from_dataset(&i.polygons, None, i.name_col.as_deref())?;
    let points = join::points(&i.points, &i.lon_col, &i.lat_col)?;
    let started = Instant::now();
    let index = PolygonIndex::new(&set);
    let n = set.names.len();
    let assignment = match i.method {
        Method::Exact => join::exact(&points, &index, n, progress)?,
        Method::H3 => join::h3(&points, &index, n, res, progress)?,
    };
    let seconds = started.elapsed().as_secs_f64();
    let agreement = match i.method {
        Method::Exact => None,
        Method::H3 => Some(join::agreement(
            &assignment,
            &join::exact(&points, &index, n, progress)?,
        )),
    };
    let cells = join::hexbin(&points, res, progress)?;
    let cell_at = cells.iter().enumerate().map(|(i, c)| (c.cell, i)).collect();
    let max = assignment.counts.iter().copied().max().unwrap_or(0);
    let fills = layers::fills(
        &set,
        |f| {
            let [r, g, b] = layers::ramp(layers::scale(assignment.counts[f as usize], max));
            [r, g, b, 170]
        },
        TOLERANCE,
    );
    let hexes = layers::hexagons(&cells, 200);
    let outlines = layers::outlines(&set, TOLERANCE);
    let world = match &i.world {
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
    let drawn_points_m = drawn_points.iter().copied().map(layers::mercator).collect();
    Ok(JoinResult {
        points_name: i.points.name.clone(),
        polygons_name: i.polygons.name.clone(),
        method: i.method,
        resolution: i.resolution,
        set,
        index,
        points,
        assignment,
        agreement,
        seconds,
        cells,
        cell_at,
        fills,
        hexes,
        outlines,
        world,
        drawn_points,
        drawn_points_m,
    })
}
