//! Polygons to join points against: each feature (a row of a GeoJSON FeatureCollection or of
//! a table with a WKT column) with its name and its parts (a MultiPolygon has several), each
//! part a list of rings (the first the outer boundary, the others holes), in lon/lat.

use anyhow::{Result, bail};

use crate::data::{Dataset, schema};

/// One polygon: rings of (lon, lat), closed (first point = last point), and its bounding box.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    pub feature: u32,
    pub rings: Vec<Vec<[f64; 2]>>,
    /// min lon, min lat, max lon, max lat
    pub bbox: [f64; 4],
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolygonSet {
    /// A display name per feature.
    pub names: Vec<String>,
    pub parts: Vec<Part>,
}

impl PolygonSet {
    pub fn vertices(&self) -> usize {
        self.parts
            .iter()
            .flat_map(|p| p.rings.iter())
            .map(Vec::len)
            .sum()
    }

    /// The bounding box of everything: min lon, min lat, max lon, max lat.
    pub fn bbox(&self) -> [f64; 4] {
        self.parts
            .iter()
            .fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |a, p| {
                [
                    a[0].min(p.bbox[0]),
                    a[1].min(p.bbox[1]),
                    a[2].max(p.bbox[2]),
                    a[3].max(p.bbox[3]),
                ]
            })
    }
}

fn part(feature: u32, rings: Vec<Vec<[f64; 2]>>, what: &str) -> Result<Part> {
    let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for (k, ring) in rings.iter().enumerate() {
        if ring.len() < 4 || ring.first() != ring.last() {
            bail!(
                "{what}: invalid ring {k} ({} positions; a ring is closed and has at least 4)",
                ring.len()
            );
        }
        for &[x, y] in ring {
            if !x.is_finite() || !y.is_finite() {
                bail!("{what}: ring {k} has a non-finite coordinate");
            }
            if x.abs() > 180.0 || y.abs() > 90.0 {
                bail!(
                    "{what}: ring {k} has the point ({x}, {y}), outside longitude -180..180 and \
                     latitude -90..90; the file seems to be in a projected coordinate system \
                     that it does not name: give its EPSG code (--crs EPSG:2263, say), or open \
                     it as a shapefile with its .prj"
                );
            }
            bbox = [
                bbox[0].min(x),
                bbox[1].min(y),
                bbox[2].max(x),
                bbox[3].max(y),
            ];
        }
    }
    if rings.is_empty() {
        bail!("{what}: a polygon with no rings");
    }
    Ok(Part {
        feature,
        rings,
        bbox,
    })
}

/// Feature names from `name_col`, or the first text column, or "feature N".
fn names(data: &Dataset, name_col: Option<&str>) -> Result<Vec<String>> {
    let df = &data.frame;
    let col = match name_col {
        Some(c) => Some(schema::column(&data.name, df, c)?.clone()),
        None => df
            .columns()
            .iter()
            .find(|c| {
                c.dtype() == &polars::prelude::DataType::String
                    && c.name().as_str() != "geometry_type"
                    && !c.name().as_str().to_lowercase().contains("geom")
            })
            .cloned(),
    };
    let n = df.height();
    Ok(match col {
        Some(c) => {
            let s = c.cast(&polars::prelude::DataType::String)?;
            s.str()?
                .iter()
                .enumerate()
                .map(|(i, v)| v.map_or_else(|| format!("feature {i}"), str::to_owned))
                .collect()
        }
        None => (0..n).map(|i| format!("feature {i}")).collect(),
    })
}

fn rings_of(coords: &[Vec<Vec<f64>>]) -> Vec<Vec<[f64; 2]>> {
    coords
        .iter()
        .map(|ring| {
            ring.iter()
                .map(|p| {
                    [
                        p.first().copied().unwrap_or(f64::NAN),
                        p.get(1).copied().unwrap_or(f64::NAN),
                    ]
                })
                .collect()
        })
        .collect()
}

/// The polygons of a dataset: its GeoJSON geometries, or the WKT text of `wkt_col`.
pub fn from_dataset(
    data: &Dataset,
    wkt_col: Option<&str>,
    name_col: Option<&str>,
) -> Result<PolygonSet> {
    let names = names(data, name_col)?;
    let mut parts = Vec::new();
    match (wkt_col, &data.geometries) {
        (Some(col), _) => {
            let c = schema::column(&data.name, &data.frame, col)?;
            let text = c.cast(&polars::prelude::DataType::String)?;
            for (i, t) in text.str()?.iter().enumerate() {
                let Some(t) = t else { continue };
                let what = format!("{}: row {} of column '{col}'", data.name, i + 1);
                for poly in parse_wkt(t).map_err(|e| anyhow::anyhow!("{what}: {e}"))? {
                    parts.push(part(i as u32, poly, &what)?);
                }
            }
        }
        (None, Some(geoms)) => {
            for (i, g) in geoms.iter().enumerate() {
                let what = format!("{}: feature {i}", data.name);
                match g.as_ref().map(|g| &g.value) {
                    Some(geojson::Value::Polygon(p)) => {
                        parts.push(part(i as u32, rings_of(p), &what)?)
                    }
                    Some(geojson::Value::MultiPolygon(ps)) => {
                        for p in ps {
                            parts.push(part(i as u32, rings_of(p), &what)?);
                        }
                    }
                    _ => {}
                }
            }
        }
        (None, None) => match wkt_column(data) {
            Some(col) => return from_dataset(data, Some(&col), name_col),
            None => bail!(
                "{}: no geometries; give a GeoJSON file or a shapefile, or the WKT column of a table",
                data.name
            ),
        },
    }
    if parts.is_empty() {
        bail!("{}: no Polygon or MultiPolygon geometries", data.name);
    }
    Ok(PolygonSet { names, parts })
}

/// A text column whose first value is WKT polygon text (e.g. the taxi zones' `the_geom`).
fn wkt_column(data: &Dataset) -> Option<String> {
    data.frame.columns().iter().find_map(|c| {
        let s = c.str().ok()?;
        let first = s.iter().flatten().next()?.trim_start().to_ascii_uppercase();
        (first.starts_with("POLYGON") || first.starts_with("MULTIPOLYGON"))
            .then(|| c.name().to_string())
    })
}

/// POLYGON ((x y, ...), (...)) or MULTIPOLYGON (((x y, ...)), ...): polygons of rings.
pub fn parse_wkt(text: &str) -> Result<Vec<Vec<Vec<[f64; 2]>>>> {
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    let (multi, rest) = if let Some(r) = upper.strip_prefix("MULTIPOLYGON") {
        (true, &t[t.len() - r.len()..])
    } else if let Some(r) = upper.strip_prefix("POLYGON") {
        (false, &t[t.len() - r.len()..])
    } else {
        bail!(
            "not a WKT POLYGON or MULTIPOLYGON: '{}'",
            t.chars().take(30).collect::<String>()
        );
    };
    let rest = rest
        .trim()
        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .trim();
    if rest.eq_ignore_ascii_case("EMPTY") {
        return Ok(Vec::new());
    }
    let mut pos = 0;
    let bytes = rest.as_bytes();
    let value = nested(bytes, &mut pos)?;
    let polys = match (multi, value) {
        (true, Nested::List(ps)) => ps,
        (false, v) => vec![v],
        (true, _) => bail!("malformed MULTIPOLYGON"),
    };
    polys
        .into_iter()
        .map(|p| match p {
            Nested::List(rings) => rings
                .into_iter()
                .map(|r| match r {
                    Nested::Coords(c) => Ok(c),
                    Nested::List(_) => bail!("malformed ring"),
                })
                .collect(),
            Nested::Coords(_) => bail!("malformed polygon"),
        })
        .collect()
}

enum Nested {
    List(Vec<Nested>),
    Coords(Vec<[f64; 2]>),
}

fn nested(b: &[u8], pos: &mut usize) -> Result<Nested> {
    let skip = |pos: &mut usize| {
        while *pos < b.len() && b[*pos].is_ascii_whitespace() {
            *pos += 1;
        }
    };
    skip(pos);
    if b.get(*pos) != Some(&b'(') {
        bail!("expected '(' at character {}", *pos + 1);
    }
    *pos += 1;
    skip(pos);
    if b.get(*pos) == Some(&b'(') {
        let mut items = Vec::new();
        loop {
            items.push(nested(b, pos)?);
            skip(pos);
            match b.get(*pos) {
                Some(b',') => *pos += 1,
                Some(b')') => {
                    *pos += 1;
                    return Ok(Nested::List(items));
                }
                _ => bail!("expected ',' or ')' at character {}", *pos + 1),
            }
        }
    }
    let end = b[*pos..]
        .iter()
        .position(|&c| c == b')')
        .map(|e| *pos + e)
        .ok_or_else(|| anyhow::anyhow!("unclosed '('"))?;
    let text = std::str::from_utf8(&b[*pos..end])?;
    *pos = end + 1;
    let coords = text
        .split(',')
        .map(|pair| {
            let mut it = pair.split_whitespace().map(str::parse::<f64>);
            match (it.next(), it.next()) {
                (Some(Ok(x)), Some(Ok(y))) => Ok([x, y]),
                _ => bail!("'{}' is not a coordinate pair", pair.trim()),
            }
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Nested::Coords(coords))
}

/// What is wrong with a set of polygons that still joins: rings that cross themselves (a point
/// near the crossing may be counted in or out). One line, naming `file` and at most three
/// features. (Coordinates outside WGS84's range are an error when the polygons are read.)
pub fn problems(set: &PolygonSet, file: &str) -> Vec<String> {
    let mut out = Vec::new();
    let name = |f: u32| set.names.get(f as usize).cloned().unwrap_or_default();
    let listed = |mut names: Vec<String>| {
        names.dedup();
        let n = names.len();
        let mut text = names
            .iter()
            .take(3)
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(", ");
        if n > 3 {
            text += &format!(" and {} more", n - 3);
        }
        text
    };
    let crossing: Vec<String> = set
        .parts
        .iter()
        .filter(|p| p.rings.iter().any(|r| crosses_itself(r)))
        .map(|p| name(p.feature))
        .collect();
    if !crossing.is_empty() {
        out.push(format!(
            "{file}: {} has a ring that crosses itself; points near the crossing may be counted in the wrong polygon",
            listed(crossing)
        ));
    }
    out
}

/// True when two segments of `ring` that are not neighbours cross (touching and overlapping
/// collinear segments do not count). Segments are bucketed in a grid, so a ring of 100,000
/// vertices takes milliseconds; a ring too tangled for the budget is reported as not crossing.
pub fn crosses_itself(ring: &[[f64; 2]]) -> bool {
    let n = ring.len();
    if n < 4 {
        return false;
    }
    let seg = |i: usize| (ring[i], ring[(i + 1) % n]);
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for q in ring {
        (x0, y0, x1, y1) = (x0.min(q[0]), y0.min(q[1]), x1.max(q[0]), y1.max(q[1]));
    }
    if !(x0.is_finite() && y0.is_finite() && x1.is_finite() && y1.is_finite()) {
        return false;
    }
    let side = ((n as f64).sqrt().ceil() as usize).clamp(1, 1024);
    let (w, h) = ((x1 - x0).max(1e-12), (y1 - y0).max(1e-12));
    let cell = |x: f64, y: f64| {
        let cx = (((x - x0) / w) * side as f64)
            .floor()
            .clamp(0.0, side as f64 - 1.0) as usize;
        let cy = (((y - y0) / h) * side as f64)
            .floor()
            .clamp(0.0, side as f64 - 1.0) as usize;
        (cx, cy)
    };
    let mut grid: Vec<Vec<u32>> = vec![Vec::new(); side * side];
    for i in 0..n {
        let (a, b) = seg(i);
        let (ax, ay) = cell(a[0].min(b[0]), a[1].min(b[1]));
        let (bx, by) = cell(a[0].max(b[0]), a[1].max(b[1]));
        for cx in ax..=bx {
            for cy in ay..=by {
                grid[cy * side + cx].push(i as u32);
            }
        }
    }
    let orient = |p: [f64; 2], q: [f64; 2], r: [f64; 2]| {
        (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    };
    let mut budget: u64 = 20_000_000;
    for members in &grid {
        for (k, &i) in members.iter().enumerate() {
            for &j in &members[k + 1..] {
                let (i, j) = (i as usize, j as usize);
                let gap = i.abs_diff(j);
                if gap <= 1 || gap == n - 1 {
                    continue;
                }
                if budget == 0 {
                    return false;
                }
                budget -= 1;
                let ((p1, p2), (p3, p4)) = (seg(i), seg(j));
                let (d1, d2) = (orient(p3, p4, p1), orient(p3, p4, p2));
                let (d3, d4) = (orient(p1, p2, p3), orient(p1, p2, p4));
                if d1 * d2 < 0.0 && d3 * d4 < 0.0 {
                    return true;
                }
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_wkt_polygons_and_multipolygons() {
        let p = parse_wkt("POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 2 1, 2 2, 1 1))").unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].len(), 2);
        assert_eq!(p[0][1][2], [2.0, 2.0]);
        let m = parse_wkt("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))").unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m[1][0][0], [5.0, 5.0]);
        assert!(parse_wkt("POINT (1 2)").is_err());
        let e = parse_wkt("POLYGON ((0 0, 1 x, 0 0))")
            .unwrap_err()
            .to_string();
        assert!(e.contains("'1 x' is not a coordinate pair"), "{e}");
    }

    #[test]
    fn a_bow_tie_crosses_itself_and_a_square_does_not() {
        let square = vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]];
        assert!(!crosses_itself(&square));
        let bow = vec![[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]];
        assert!(crosses_itself(&bow));
        // A long ring (a 20,000-gon) with one crossing made near its end.
        let mut big: Vec<[f64; 2]> = (0..20_000)
            .map(|k| {
                let t = std::f64::consts::TAU * k as f64 / 20_000.0;
                [t.cos(), t.sin()]
            })
            .collect();
        big.push(big[0]);
        assert!(!crosses_itself(&big));
        let n = big.len();
        big.swap(n - 100, n - 5000);
        assert!(crosses_itself(&big));
    }

    #[test]
    fn problems_name_the_file_and_the_features() {
        let part = |feature: u32, ring: Vec<[f64; 2]>| {
            let bbox = ring
                .iter()
                .fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b, q| {
                    [
                        b[0].min(q[0]),
                        b[1].min(q[1]),
                        b[2].max(q[0]),
                        b[3].max(q[1]),
                    ]
                });
            Part {
                feature,
                rings: vec![ring],
                bbox,
            }
        };
        let set = PolygonSet {
            names: vec!["ok".into(), "bow".into()],
            parts: vec![
                part(0, vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]),
                part(
                    1,
                    vec![[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]],
                ),
            ],
        };
        let p = problems(&set, "zones.geojson");
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("zones.geojson: 'bow' has a ring that crosses itself"),
            "{}",
            p[0]
        );
    }
}
