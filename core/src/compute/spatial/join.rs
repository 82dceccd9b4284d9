//! Joining points to polygons: exactly (`PolygonIndex`), or through an H3 grid as the book
//! does (each point's cell at resolution r; a cell belongs to the polygon containing its
//! centre); and hexbins (points counted per H3 cell, with each cell's centre and boundary).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Result, bail};
use h3o::{CellIndex, LatLng, Resolution};
use rayon::prelude::*;

use super::pip::PolygonIndex;
use crate::compute::{Cancelled, Progress, check};
use crate::data::{Dataset, schema};

/// Point coordinates taken from two columns; rows that cannot be points are skipped and
/// counted by reason.
#[derive(Clone, Debug, Default)]
pub struct Points {
    pub lon: Vec<f64>,
    pub lat: Vec<f64>,
    /// The table row of each point.
    pub rows: Vec<u32>,
    pub skipped_nan: usize,
    pub skipped_range: usize,
}

impl Points {
    pub fn len(&self) -> usize {
        self.lon.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lon.is_empty()
    }

    pub fn skipped(&self) -> usize {
        self.skipped_nan + self.skipped_range
    }

    /// "2 rows skipped: 1 with empty or NaN coordinates, 1 outside -90..90 / -180..180".
    pub fn skipped_text(&self) -> Option<String> {
        (self.skipped() > 0).then(|| {
            format!(
                "{} rows skipped: {} with empty or NaN coordinates, {} with a latitude outside \
                 -90..90 or a longitude outside -180..180",
                self.skipped(),
                self.skipped_nan,
                self.skipped_range
            )
        })
    }
}

pub fn points(data: &Dataset, lon_col: &str, lat_col: &str) -> Result<Points> {
    let lon = schema::numeric_rows(&data.name, &data.frame, lon_col)?;
    let lat = schema::numeric_rows(&data.name, &data.frame, lat_col)?;
    let mut p = Points::default();
    for (i, (&x, &y)) in lon.iter().zip(&lat).enumerate() {
        if !x.is_finite() || !y.is_finite() {
            p.skipped_nan += 1;
        } else if !(-90.0..=90.0).contains(&y) || !(-180.0..=180.0).contains(&x) {
            p.skipped_range += 1;
        } else {
            p.lon.push(x);
            p.lat.push(y);
            p.rows.push(i as u32);
        }
    }
    if p.is_empty() && data.frame.height() > 0 {
        bail!(
            "{}: no usable points in '{lon_col}'/'{lat_col}' ({})",
            data.name,
            p.skipped_text().unwrap_or_default()
        );
    }
    Ok(p)
}

/// Which feature each point fell in, and the count per feature.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Assignment {
    pub feature: Vec<Option<u32>>,
    pub counts: Vec<u64>,
    pub matched: usize,
}

fn tally(feature: Vec<Option<u32>>, features: usize) -> Assignment {
    let mut counts = vec![0u64; features];
    for f in feature.iter().flatten() {
        counts[*f as usize] += 1;
    }
    let matched = feature.iter().filter(|f| f.is_some()).count();
    Assignment {
        feature,
        counts,
        matched,
    }
}

/// Share of points two joins assign alike (both to the same feature, or both to none).
pub fn agreement(a: &Assignment, b: &Assignment) -> f64 {
    let n = a.feature.len().min(b.feature.len());
    if n == 0 {
        return f64::NAN;
    }
    let same = a
        .feature
        .iter()
        .zip(&b.feature)
        .filter(|(x, y)| x == y)
        .count();
    same as f64 / n as f64
}

const CHUNK: usize = 1 << 16;

/// Map `f` over the points in parallel chunks, reporting progress and stopping on cancel.
fn par_points<T: Send>(
    n: usize,
    progress: &dyn Progress,
    what: &str,
    f: impl Fn(usize) -> T + Sync,
) -> Result<Vec<T>, Cancelled> {
    let done = AtomicUsize::new(0);
    let chunks: Vec<Option<Vec<T>>> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            if progress.cancelled() {
                return None;
            }
            let out: Vec<T> = (c * CHUNK..((c + 1) * CHUNK).min(n)).map(&f).collect();
            let d = done.fetch_add(out.len(), Ordering::Relaxed) + out.len();
            progress.report(
                d as f32 / n.max(1) as f32,
                &format!("{what}: {d} of {n} points"),
            );
            Some(out)
        })
        .collect();
    check(progress)?;
    let mut out = Vec::with_capacity(n);
    for c in chunks {
        out.extend(c.ok_or(Cancelled)?);
    }
    Ok(out)
}

/// The exact join: each point's containing feature.
pub fn exact(
    p: &Points,
    index: &PolygonIndex,
    features: usize,
    progress: &dyn Progress,
) -> Result<Assignment, Cancelled> {
    let f = par_points(p.len(), progress, "joining", |i| {
        index.locate(p.lon[i], p.lat[i])
    })?;
    Ok(tally(f, features))
}

pub fn resolution(r: u8) -> Result<Resolution> {
    Resolution::try_from(r).map_err(|_| anyhow::anyhow!("H3 resolution must be 0..15, got {r}"))
}

/// Each point's H3 cell at `res`.
pub fn cells(
    p: &Points,
    res: Resolution,
    progress: &dyn Progress,
) -> Result<Vec<Option<CellIndex>>, Cancelled> {
    par_points(p.len(), progress, "H3 cells", |i| {
        LatLng::new(p.lat[i], p.lon[i])
            .ok()
            .map(|ll| ll.to_cell(res))
    })
}

/// The H3 join: a point belongs to the feature containing its cell's centre. Only the cells
/// that hold points are looked up, once each.
pub fn h3(
    p: &Points,
    index: &PolygonIndex,
    features: usize,
    res: Resolution,
    progress: &dyn Progress,
) -> Result<Assignment, Cancelled> {
    let cells = cells(p, res, progress)?;
    let mut distinct: Vec<CellIndex> = cells.iter().flatten().copied().collect();
    distinct.par_sort_unstable();
    distinct.dedup();
    let owner: HashMap<CellIndex, Option<u32>> = distinct
        .par_iter()
        .map(|&c| {
            let ll = LatLng::from(c);
            (c, index.locate(ll.lng(), ll.lat()))
        })
        .collect();
    let f = cells
        .iter()
        .map(|c| c.and_then(|c| owner.get(&c).copied().flatten()))
        .collect();
    Ok(tally(f, features))
}

/// Points counted per H3 cell, with the cell's centre and boundary (lon, lat).
#[derive(Clone, Debug, PartialEq)]
pub struct HexCell {
    pub cell: CellIndex,
    pub count: u64,
    pub lat: f64,
    pub lon: f64,
    pub boundary: Vec<[f64; 2]>,
}

pub fn hexbin(
    p: &Points,
    res: Resolution,
    progress: &dyn Progress,
) -> Result<Vec<HexCell>, Cancelled> {
    let cells = cells(p, res, progress)?;
    let mut counts: HashMap<CellIndex, u64> = HashMap::new();
    for c in cells.into_iter().flatten() {
        *counts.entry(c).or_default() += 1;
    }
    let mut out: Vec<HexCell> = counts
        .into_iter()
        .map(|(cell, count)| {
            let ll = LatLng::from(cell);
            HexCell {
                cell,
                count,
                lat: ll.lat(),
                lon: ll.lng(),
                boundary: cell.boundary().iter().map(|v| [v.lng(), v.lat()]).collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.cell.cmp(&b.cell)));
    Ok(out)
}
/// When no point matched: why, in words. Either the points lie outside the polygons' extent
/// altogether, or they would lie inside it with longitude and latitude swapped (then the
/// columns probably are). `bbox` is min lon, min lat, max lon, max lat.
pub fn no_match_hint(points: &Points, bbox: [f64; 4], matched: usize) -> Option<String> {
    if matched > 0 || points.is_empty() {
        return None;
    }
    let inside = |x: f64, y: f64| x >= bbox[0] && x <= bbox[2] && y >= bbox[1] && y <= bbox[3];
    let n = points.len() as f64;
    let share = |swap: bool| {
        points
            .lon
            .iter()
            .zip(&points.lat)
            .filter(|&(&x, &y)| if swap { inside(y, x) } else { inside(x, y) })
            .count() as f64
            / n
    };
    let (straight, swapped) = (share(false), share(true));
    let extent = format!(
        "longitude {} to {}, latitude {} to {}",
        crate::format::short(bbox[0]),
        crate::format::short(bbox[2]),
        crate::format::short(bbox[1]),
        crate::format::short(bbox[3])
    );
    Some(if swapped > 0.5 && swapped > straight {
        format!(
            "no point fell in a polygon, but with longitude and latitude swapped {:.0}% would \
             lie within the polygons' extent ({extent}): the two columns may be swapped",
            100.0 * swapped
        )
    } else if straight == 0.0 {
        format!("no point lies within the polygons' extent ({extent})")
    } else {
        format!(
            "no point fell in a polygon; {:.0}% lie within the polygons' extent ({extent})",
            100.0 * straight
        )
    })
}
