//! ESRI Shapefile reading (.shp + .shx + .dbf, with the `shapefile` crate): the records become
//! a table of properties plus a `geometry_type` column, the shapes GeoJSON geometries beside
//! it, as for GeoJSON. A .prj naming a projected system (State Plane feet, UTM, Web Mercator)
//! has the shapes brought back to WGS 84 longitude/latitude (`crs`); one Playbook cannot
//! reproject is an error that names it.

use std::path::Path;

use geojson::{Geometry, Value};
use polars::prelude::*;
use shapefile::dbase::FieldValue;
use shapefile::{PolygonRing, Shape};

use super::crs::{self, Crs};
use super::error::{DataError, DataResult};

/// The projected system the .prj beside `path` describes (None: geographic WGS 84 or NAD83, or
/// no .prj, read as WGS 84).
fn system_of(path: &Path) -> DataResult<Option<Crs>> {
    let prj = path.with_extension("prj");
    let Ok(meta) = std::fs::metadata(&prj) else {
        return Ok(None);
    };
    if meta.len() > crs::MAX_WKT as u64 {
        return Err(DataError::Other(format!(
            "{}: {} bytes is not a coordinate system (a .prj is under 1 KB)",
            prj.display(),
            meta.len()
        )));
    }
    let text = std::fs::read_to_string(&prj).map_err(|e| DataError::io(&prj, e))?;
    crs::from_wkt(&text).map_err(|e| DataError::Other(format!("{}: {e}", prj.display())))
}

fn position(x: f64, y: f64) -> Vec<f64> {
    vec![x, y]
}

fn geometry(shape: Shape) -> Option<Geometry> {
    let value = match shape {
        Shape::Polygon(p) => {
            let mut polys: Vec<Vec<Vec<Vec<f64>>>> = Vec::new();
            for ring in p.into_inner() {
                match ring {
                    PolygonRing::Outer(pts) => {
                        polys.push(vec![pts.iter().map(|q| position(q.x, q.y)).collect()])
                    }
                    PolygonRing::Inner(pts) => {
                        let r = pts.iter().map(|q| position(q.x, q.y)).collect();
                        match polys.last_mut() {
                            Some(last) => last.push(r),
                            None => polys.push(vec![r]),
                        }
                    }
                }
            }
            Value::MultiPolygon(polys)
        }
        Shape::Point(q) => Value::Point(position(q.x, q.y)),
        Shape::Polyline(l) => Value::MultiLineString(
            l.parts()
                .iter()
                .map(|part| part.iter().map(|q| position(q.x, q.y)).collect())
                .collect(),
        ),
        _ => return None,
    };
    Some(Geometry::new(value))
}

fn json(v: FieldValue) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        FieldValue::Character(s) => s.map_or(J::Null, |s| J::String(s.trim().to_owned())),
        FieldValue::Numeric(n) => n.map_or(J::Null, |n| serde_json::json!(n)),
        FieldValue::Float(f) => f.map_or(J::Null, |f| serde_json::json!(f64::from(f))),
        FieldValue::Integer(i) => J::from(i),
        FieldValue::Double(d) | FieldValue::Currency(d) => serde_json::json!(d),
        FieldValue::Logical(b) => b.map_or(J::Null, J::Bool),
        FieldValue::Date(d) => d.map_or(J::Null, |d| {
            J::String(format!("{}-{:02}-{:02}", d.year(), d.month(), d.day()))
        }),
        other => J::String(format!("{other:?}")),
    }
}

/// The table, the shapes, and a note when they were reprojected.
pub(super) fn read_path(
    path: &Path,
) -> DataResult<(DataFrame, Vec<Option<Geometry>>, Option<String>)> {
    let system = system_of(path)?;
    let err = |e: shapefile::Error| DataError::Other(format!("{}: {e}", path.display()));
    let mut reader = shapefile::Reader::from_path(path).map_err(err)?;
    let mut features = Vec::new();
    for item in reader.iter_shapes_and_records() {
        let (shape, record) = item.map_err(err)?;
        let props: serde_json::Map<String, serde_json::Value> =
            record.into_iter().map(|(k, v)| (k, json(v))).collect();
        features.push((Some(props), geometry(shape)));
    }
    if features.is_empty() {
        return Err(DataError::Other(format!(
            "{}: the shapefile has no shapes",
            path.display()
        )));
    }
    let frame = super::geo::properties_frame(&features)
        .map_err(|e| DataError::Other(format!("{}: {e}", path.display())))?;
    let mut geometries: Vec<Option<Geometry>> = features.into_iter().map(|(_, g)| g).collect();
    let note = match system {
        Some(c) => {
            c.reproject(&mut geometries)
                .map_err(|e| DataError::Other(format!("{}: {e}", path.display())))?;
            Some(crs::note(&super::file_name(path), &c))
        }
        None => None,
    };
    Ok((frame, geometries, note))
}
