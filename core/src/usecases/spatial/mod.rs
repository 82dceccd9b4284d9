//! The spatial use case: points (longitude/latitude columns) joined to polygons (GeoJSON,
//! shapefile, or a WKT column) exactly or through H3 cells, with the H3 join's agreement with
//! the exact one, and hexbins of the points. `layers` prepares what a map draws (egui-free).

pub mod layers;

use anyhow::Result;
use polars::prelude::{Column, DataFrame, IdxCa, IdxSize, NewChunkedArray, PolarsResult};
use serde::{Deserialize, Serialize};

use super::record::{Recordable, metrics};
use super::{Bound, ParamError, non_empty};
use crate::compute::Progress;
use crate::compute::spatial::join::{self, Assignment, HexCell, Points};
use crate::compute::spatial::pip::PolygonIndex;
use crate::compute::spatial::polygons::{self, PolygonSet};
use crate::data::{Dataset, schema};

pub const ID_JOIN: &str = "spatial-join";
pub(crate) const ID_HEXBIN: &str = "spatial-hexbin";

pub const RESOLUTION: Bound<u8> = Bound::new("H3 resolution", 0, 15);

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    #[default]
    #[serde(alias = "Exact")]
    Exact,
    #[serde(alias = "H3")]
    H3,
}

/// Which columns hold the points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PointColumns {
    pub lon_col: String,
    pub lat_col: String,
}

impl Default for PointColumns {
    fn default() -> Self {
        Self {
            lon_col: "pickup_longitude".into(),
            lat_col: "pickup_latitude".into(),
        }
    }
}

impl PointColumns {
    /// Longitude and latitude name two different columns.
    pub fn distinct(&self) -> Result<(), ParamError> {
        super::distinct_columns(&[
            ("longitude column", &self.lon_col),
            ("latitude column", &self.lat_col),
        ])
    }
}

/// What a user chooses for a join.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct JoinParams {
    pub points: PointColumns,
    /// The polygons' WKT column, for a table of polygons (default: the one found).
    pub wkt_col: Option<String>,
    /// The polygons' name column (default: the first text column).
    pub name_col: Option<String>,
    pub method: Method,
    pub resolution: u8,
    /// Polygon attributes appended to each joined point (and to the counts per polygon), as
    /// GeoPandas' `sjoin` keeps the right frame's columns: a taxi zone's zone and borough.
    pub keep_cols: Vec<String>,
    /// The polygons' coordinate system as an EPSG code, for a file that does not say its own
    /// (a shapefile's .prj or a GeoJSON `crs` member is read without it).
    pub polygons_crs: Option<String>,
}

impl Default for JoinParams {
    fn default() -> Self {
        Self {
            points: PointColumns::default(),
            wkt_col: None,
            name_col: Some("BoroName".into()),
            method: Method::Exact,
            resolution: 7,
            keep_cols: Vec::new(),
            polygons_crs: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValidJoinParams(JoinParams);

impl ValidJoinParams {
    pub fn params(&self) -> &JoinParams {
        &self.0
    }
}

pub fn check(p: &JoinParams) -> Result<ValidJoinParams, ParamError> {
    non_empty("longitude column", &p.points.lon_col)?;
    non_empty("latitude column", &p.points.lat_col)?;
    p.points.distinct()?;
    RESOLUTION.check(p.resolution)?;
    let mut keep = p.keep_cols.clone();
    for c in &mut keep {
        *c = non_empty("kept polygon column", c)?;
    }
    if let Some(twice) = keep
        .iter()
        .enumerate()
        .find_map(|(k, c)| keep[..k].contains(c).then_some(c))
    {
        return Err(ParamError::Invalid {
            name: "kept polygon columns",
            why: format!("'{twice}' is listed twice"),
        });
    }
    let polygons_crs = p
        .polygons_crs
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            crate::data::crs::from_code(c)
                .map(|_| c.to_owned())
                .map_err(|why| ParamError::Invalid {
                    name: "polygons' coordinate system",
                    why,
                })
        })
        .transpose()?;
    Ok(ValidJoinParams(JoinParams {
        keep_cols: keep,
        polygons_crs,
        ..p.clone()
    }))
}

/// A join's result.
pub struct JoinOutput {
    pub set: PolygonSet,
    pub index: PolygonIndex,
    pub points: Points,
    pub assignment: Assignment,
    pub method: Method,
    pub resolution: u8,
    /// For an H3 join: the share of points it puts where the exact join does.
    pub agreement: Option<f64>,
    /// Seconds of the join itself (index included, loading not).
    pub seconds: f64,
    /// What is wrong with the polygons that did not stop the join (projected coordinates,
    /// rings that cross themselves), one line each.
    pub warnings: Vec<String>,
    /// The kept polygon attributes (`keep_cols`), one value per polygon.
    pub kept: Vec<Column>,
}

/// Read the polygons and the points, join them, and for H3 measure the agreement.
pub fn join(
    v: &ValidJoinParams,
    points: &Dataset,
    polygons: &Dataset,
    progress: &dyn Progress,
) -> Result<JoinOutput> {
    let p = &v.0;
    let res = join::resolution(p.resolution)?;
    let reprojected = match &p.polygons_crs {
        Some(code) => crate::data::crs::reprojected(polygons, code).map_err(anyhow::Error::msg)?,
        None => None,
    };
    let polygons = reprojected.as_ref().unwrap_or(polygons);
    // Say what `--crs` did, as a reader says what a .prj did.
    let mut said: Vec<String> = reprojected
        .as_ref()
        .and_then(|r| r.notes.last().cloned())
        .into_iter()
        .collect();
    let set = polygons::from_dataset(polygons, p.wkt_col.as_deref(), p.name_col.as_deref())?;
    // Polygon k is the polygon table's row k.
    let kept = p
        .keep_cols
        .iter()
        .map(|c| schema::column(&polygons.name, &polygons.frame, c).cloned())
        .collect::<Result<Vec<_>, _>>()?;
    said.extend(polygons::problems(&set, &polygons.name));
    let warnings = said;
    let pts = join::points(points, &p.points.lon_col, &p.points.lat_col)?;
    let started = std::time::Instant::now();
    let index = PolygonIndex::new(&set);
    let n = set.names.len();
    let assignment = match p.method {
        Method::Exact => join::exact(&pts, &index, n, progress)?,
        Method::H3 => join::h3(&pts, &index, n, res, progress)?,
    };
    let seconds = started.elapsed().as_secs_f64();
    let agreement = match p.method {
        Method::Exact => None,
        Method::H3 => Some(join::agreement(
            &assignment,
            &join::exact(&pts, &index, n, progress)?,
        )),
    };
    Ok(JoinOutput {
        set,
        index,
        points: pts,
        assignment,
        method: p.method,
        resolution: p.resolution,
        agreement,
        seconds,
        warnings,
        kept,
    })
}

impl JoinOutput {
    /// name, the kept polygon attributes, count: one row per polygon.
    pub fn counts_frame(&self) -> PolarsResult<DataFrame> {
        let mut columns = vec![Column::new("name".into(), self.set.names.clone())];
        columns.extend(self.kept.iter().cloned());
        columns.push(Column::new("count".into(), self.assignment.counts.clone()));
        DataFrame::new_infer_height(unique_names(columns))
    }

    /// The point table's rows plus the name of the polygon each fell in (empty: none) and the
    /// kept polygon attributes (null outside every polygon). A kept column whose name the point
    /// table already has is suffixed `_polygon`.
    pub fn joined_frame(&self, points: &Dataset) -> PolarsResult<DataFrame> {
        let mut feature: Vec<Option<IdxSize>> = vec![None; points.frame.height()];
        for (k, f) in self.assignment.feature.iter().enumerate() {
            feature[self.points.rows[k] as usize] = f.map(|f| f as IdxSize);
        }
        let names: Vec<Option<&str>> = feature
            .iter()
            .map(|f| f.map(|f| self.set.names[f as usize].as_str()))
            .collect();
        let mut columns = points.frame.columns().to_vec();
        columns.push(Column::new("polygon".into(), names));
        let rows = IdxCa::from_iter_options("rows".into(), feature.into_iter());
        for c in &self.kept {
            columns.push(c.take(&rows)?);
        }
        DataFrame::new_infer_height(unique_names(columns))
    }
}

/// Columns under the names they are written with: a name already taken gets `_polygon`
/// (again, until it is free), so a kept attribute never replaces a point column.
fn unique_names(mut columns: Vec<Column>) -> Vec<Column> {
    let mut seen = std::collections::HashSet::new();
    for c in &mut columns {
        let mut name = c.name().to_string();
        while !seen.insert(name.clone()) {
            name.push_str("_polygon");
        }
        if name != c.name().as_str() {
            c.rename(name.into());
        }
    }
    columns
}

impl Recordable for JoinOutput {
    fn metrics(&self) -> serde_json::Map<String, serde_json::Value> {
        let n = self.points.len();
        let mut m = metrics([
            ("points", n as f64),
            ("matched", self.assignment.matched as f64),
            ("unmatched", (n - self.assignment.matched) as f64),
            ("skipped_rows", self.points.skipped() as f64),
            ("polygons", self.set.names.len() as f64),
            ("join_seconds", self.seconds),
        ]);
        if let Some(a) = self.agreement {
            m.extend(metrics([("same_as_exact", a)]));
        }
        m
    }
}

/// What a user chooses for a hexbin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HexbinParams {
    pub points: PointColumns,
    pub resolution: u8,
}

impl Default for HexbinParams {
    fn default() -> Self {
        Self {
            points: PointColumns::default(),
            resolution: 7,
        }
    }
}

/// Points counted per H3 cell.
pub struct HexbinOutput {
    pub points: Points,
    pub cells: Vec<HexCell>,
}

/// Hexbin params that passed `check_hexbin`: only these can be run.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidHexbinParams(HexbinParams);

impl ValidHexbinParams {
    pub fn params(&self) -> &HexbinParams {
        &self.0
    }
}

pub(crate) fn check_hexbin(p: &HexbinParams) -> Result<ValidHexbinParams, ParamError> {
    non_empty("longitude column", &p.points.lon_col)?;
    non_empty("latitude column", &p.points.lat_col)?;
    p.points.distinct()?;
    RESOLUTION.check(p.resolution)?;
    Ok(ValidHexbinParams(p.clone()))
}

pub fn hexbin(
    valid: &ValidHexbinParams,
    points: &Dataset,
    progress: &dyn Progress,
) -> Result<HexbinOutput> {
    let p = valid.params();
    let res = join::resolution(p.resolution)?;
    let pts = join::points(points, &p.points.lon_col, &p.points.lat_col)?;
    let cells = join::hexbin(&pts, res, progress)?;
    Ok(HexbinOutput { points: pts, cells })
}

impl HexbinOutput {
    /// h3,count,lat,lon per cell.
    pub fn frame(&self) -> PolarsResult<DataFrame> {
        let c = &self.cells;
        DataFrame::new_infer_height(vec![
            Column::new(
                "h3".into(),
                c.iter().map(|c| c.cell.to_string()).collect::<Vec<_>>(),
            ),
            Column::new(
                "count".into(),
                c.iter().map(|c| c.count).collect::<Vec<_>>(),
            ),
            Column::new("lat".into(), c.iter().map(|c| c.lat).collect::<Vec<_>>()),
            Column::new("lon".into(), c.iter().map(|c| c.lon).collect::<Vec<_>>()),
        ])
    }
}

impl Recordable for HexbinOutput {
    fn metrics(&self) -> serde_json::Map<String, serde_json::Value> {
        metrics([
            ("points", self.points.len() as f64),
            ("cells", self.cells.len() as f64),
            ("skipped_rows", self.points.skipped() as f64),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_column_never_replaces_a_point_column() {
        let cols = vec![
            Column::new("zone".into(), [1i64]),
            Column::new("polygon".into(), ["a"]),
            Column::new("zone".into(), [2i64]),
            Column::new("zone_polygon".into(), [3i64]),
        ];
        let names: Vec<String> = unique_names(cols)
            .iter()
            .map(|c| c.name().to_string())
            .collect();
        assert_eq!(
            names,
            ["zone", "polygon", "zone_polygon", "zone_polygon_polygon"]
        );
        let p = JoinParams {
            keep_cols: vec!["zone".into(), " zone ".into()],
            ..JoinParams::default()
        };
        let e = check(&p).unwrap_err().to_string();
        assert!(e.contains("'zone' is listed twice"), "{e}");
    }
}
