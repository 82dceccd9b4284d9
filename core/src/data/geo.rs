//! GeoJSON reading: a FeatureCollection (or a single Feature or Geometry) becomes a table of
//! its properties plus a `geometry_type` column; the geometries are returned beside the table.

use std::path::Path;

use geojson::{GeoJson, Geometry, Value};
use polars::prelude::*;
use serde_json::Map;

use super::crs::{self, Crs};
use super::error::{DataError, DataResult};

pub(super) type Properties = Option<Map<String, serde_json::Value>>;

/// The table, the geometries, and a note when a legacy `crs` member named a projected system
/// they were brought back to WGS 84 from.
pub(super) fn read_bytes(
    path: &Path,
    bytes: &[u8],
) -> DataResult<(DataFrame, Vec<Option<Geometry>>, Option<String>)> {
    let err = |detail: String| DataError::GeoJson {
        path: path.to_owned(),
        detail,
    };
    let text = std::str::from_utf8(bytes).map_err(|e| DataError::NotUtf8 {
        path: path.to_owned(),
        offset: e.valid_up_to(),
    })?;
    let parsed: GeoJson = text.parse().map_err(|e| err(format!("{e}")))?;
    let mut system = None;
    let features: Vec<(Properties, Option<Geometry>)> = match parsed {
        GeoJson::FeatureCollection(fc) => {
            system = named_system(fc.foreign_members.as_ref()).map_err(&err)?;
            fc.features
                .into_iter()
                .map(|f| (f.properties, f.geometry))
                .collect()
        }
        GeoJson::Feature(f) => vec![(f.properties, f.geometry)],
        GeoJson::Geometry(g) => vec![(None, Some(g))],
    };
    if features.is_empty() {
        return Err(err("the FeatureCollection has no features".to_owned()));
    }
    for (i, (_, g)) in features.iter().enumerate() {
        if let Some(g) = g {
            check_geometry(g).map_err(|what| err(format!("feature {i}: {what}")))?;
        }
    }
    let frame = properties_frame(&features).map_err(|e| err(e.to_string()))?;
    let mut geometries: Vec<Option<Geometry>> = features.into_iter().map(|(_, g)| g).collect();
    let note = match system {
        Some(c) => {
            c.reproject(&mut geometries).map_err(&err)?;
            Some(crs::note(&super::file_name(path), &c))
        }
        None => None,
    };
    Ok((frame, geometries, note))
}

/// The projected system a FeatureCollection's legacy `crs` member names
/// (`{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2263"}}`); None for none,
/// or for WGS 84 / CRS84.
fn named_system(members: Option<&Map<String, serde_json::Value>>) -> Result<Option<Crs>, String> {
    let name = members
        .and_then(|m| m.get("crs"))
        .and_then(|c| c.get("properties"))
        .and_then(|p| p.get("name"))
        .and_then(serde_json::Value::as_str);
    match name {
        Some(n) => crs::from_code(n).map_err(|e| format!("its crs member: {e}")),
        None => Ok(None),
    }
}

/// Point, line and polygon geometries (single and multi) are supported; collections are not.
fn check_geometry(g: &Geometry) -> Result<(), String> {
    match &g.value {
        Value::GeometryCollection(_) => {
            Err("unsupported geometry GeometryCollection (split it into features)".to_owned())
        }
        Value::Polygon(rings) => check_rings(rings),
        Value::MultiPolygon(polys) => polys.iter().try_for_each(|p| check_rings(p)),
        _ => Ok(()),
    }
}

fn check_rings(rings: &[Vec<Vec<f64>>]) -> Result<(), String> {
    for ring in rings {
        if ring.len() < 4 {
            return Err(format!(
                "invalid polygon ring with {} positions (a closed ring needs at least 4)",
                ring.len()
            ));
        }
    }
    Ok(())
}

fn geometry_type(g: &Option<Geometry>) -> &'static str {
    match g.as_ref().map(|g| &g.value) {
        None => "",
        Some(Value::Point(_)) => "Point",
        Some(Value::MultiPoint(_)) => "MultiPoint",
        Some(Value::LineString(_)) => "LineString",
        Some(Value::MultiLineString(_)) => "MultiLineString",
        Some(Value::Polygon(_)) => "Polygon",
        Some(Value::MultiPolygon(_)) => "MultiPolygon",
        Some(Value::GeometryCollection(_)) => "GeometryCollection",
    }
}

/// One column per property key (in order of first appearance), typed from its values.
pub(super) fn properties_frame(
    features: &[(Properties, Option<Geometry>)],
) -> PolarsResult<DataFrame> {
    let mut keys: Vec<String> = Vec::new();
    for (props, _) in features {
        for k in props.iter().flat_map(|p| p.keys()) {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    let mut columns: Vec<Column> = Vec::with_capacity(keys.len() + 1);
    for key in &keys {
        let values: Vec<Option<&serde_json::Value>> = features
            .iter()
            .map(|(p, _)| p.as_ref().and_then(|p| p.get(key)).filter(|v| !v.is_null()))
            .collect();
        columns.push(json_column(key, &values));
    }
    let types: Vec<&str> = features.iter().map(|(_, g)| geometry_type(g)).collect();
    columns.push(Column::new("geometry_type".into(), types));
    DataFrame::new_infer_height(columns)
}

/// One column from JSON values (None: missing or null): integers, numbers, booleans, else
/// text. GeoJSON properties and live pitch files share it.
pub fn json_column(key: &str, values: &[Option<&serde_json::Value>]) -> Column {
    let name = PlSmallStr::from(key);
    let present = || values.iter().flatten();
    if present().all(|v| v.is_i64()) {
        let v: Vec<Option<i64>> = values.iter().map(|v| v.and_then(|v| v.as_i64())).collect();
        Column::new(name, v)
    } else if present().all(|v| v.is_number()) {
        let v: Vec<Option<f64>> = values.iter().map(|v| v.and_then(|v| v.as_f64())).collect();
        Column::new(name, v)
    } else if present().all(|v| v.is_boolean()) {
        let v: Vec<Option<bool>> = values.iter().map(|v| v.and_then(|v| v.as_bool())).collect();
        Column::new(name, v)
    } else {
        let v: Vec<Option<String>> = values
            .iter()
            .map(|v| {
                v.map(|v| match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
            })
            .collect();
        Column::new(name, v)
    }
}
