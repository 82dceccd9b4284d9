//! ESRI Shapefile reading (.shp + .shx + .dbf, with the `shapefile` crate): the records become
//! a table of properties plus a `geometry_type` column, the shapes GeoJSON geometries beside
//! it, as for GeoJSON. Coordinates must be WGS84 longitude/latitude: a .prj naming another
//! coordinate system is an error that names it.

use std::path::Path;

use geojson::{Geometry, Value};
use polars::prelude::*;
use shapefile::dbase::FieldValue;
use shapefile::{PolygonRing, Shape};

use super::error::{DataError, DataResult};

/// The name in a WKT coordinate system (`PROJCS["NAD83 / New York Long Island",...`).
fn crs_name(prj: &str) -> String {
    prj.split('"').nth(1).unwrap_or(prj).to_owned()
}

/// Accept geographic WGS84 (or a missing .prj); refuse projected or other datums.
fn check_prj(path: &Path) -> DataResult<()> {
    let prj = path.with_extension("prj");
    let Ok(text) = std::fs::read_to_string(&prj) else {
        return Ok(());
    };
    let t = text.to_ascii_uppercase();
    let wgs84 = t.contains("WGS_1984") || t.contains("WGS 84") || t.contains("WGS84");
    if t.trim_start().starts_with("GEOGCS") && wgs84 {
        return Ok(());
    }
    Err(DataError::Other(format!(
        "{}: unsupported coordinate system '{}' (from {}); Playbook reads WGS84 longitude/latitude \
         (EPSG:4326): reproject the file first",
        path.display(),
        crs_name(&text),
        prj.display()
    )))
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

pub(super) fn read_path(path: &Path) -> DataResult<(DataFrame, Vec<Option<Geometry>>)> {
    check_prj(path)?;
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
    Ok((frame, features.into_iter().map(|(_, g)| g).collect()))
}
