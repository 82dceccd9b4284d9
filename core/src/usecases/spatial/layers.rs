//! What the map draws, made once per join in its job (no egui here): polygon outlines
//! simplified for the screen, their fill as triangles (earcut) coloured by joined count, H3
//! hexagons coloured by count, a sample of the points, and the colour ramp.

use crate::compute::spatial::join::HexCell;
use crate::compute::spatial::polygons::PolygonSet;

/// Web Mercator coordinates of (lon, lat), both 0..1 over the world (y down), so that the
/// map only scales and shifts them each frame instead of projecting every vertex.
pub fn mercator([lon, lat]: [f64; 2]) -> [f64; 2] {
    let r = lat.clamp(-85.0511, 85.0511).to_radians();
    let y = (std::f64::consts::PI - (std::f64::consts::FRAC_PI_4 + r / 2.0).tan().ln())
        / std::f64::consts::TAU;
    [(lon + 180.0) / 360.0, y]
}

/// Triangles to fill: positions (Web Mercator, see `mercator`), one RGBA colour per vertex,
/// and index triples.
#[derive(Clone, Debug, Default)]
pub struct Triangles {
    pub positions: Vec<[f64; 2]>,
    pub colors: Vec<[u8; 4]>,
    pub indices: Vec<u32>,
}

impl Triangles {
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }
}

pub use crate::theme::ramp;

/// Classed breaks for counts: up to five classes of equal width on a log scale (counts of
/// points are heavy-tailed), their bounds rounded up to 1, 2 or 5 times a power of ten, each
/// filled with one colour of the ramp. A legend can then say what each colour means in numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct Classes {
    /// The inclusive upper bound of each class, ascending; the first class starts at 0.
    pub upper: Vec<u64>,
}

/// `v` rounded up to 1, 2 or 5 times a power of ten.
fn nice_up(v: f64) -> u64 {
    if v <= 1.0 {
        return 1;
    }
    let power = 10f64.powf(v.log10().floor());
    let lead = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .find(|m| m * power >= v - 1e-9)
        .unwrap_or(10.0);
    (lead * power).round() as u64
}

impl Classes {
    pub fn of(max: u64) -> Classes {
        let n = 5usize.min(max as usize + 1).max(1);
        let top = (1.0 + max as f64).ln();
        let mut upper: Vec<u64> = (1..n)
            .map(|k| nice_up((top * k as f64 / n as f64).exp() - 1.0))
            .filter(|&b| b < max)
            .collect();
        upper.dedup();
        upper.push(max);
        Classes { upper }
    }

    pub fn index(&self, count: u64) -> usize {
        self.upper
            .iter()
            .position(|&u| count <= u)
            .unwrap_or(self.upper.len().saturating_sub(1))
    }

    pub fn color(&self, count: u64) -> [u8; 3] {
        let n = self.upper.len().max(1) as f64;
        ramp((self.index(count) as f64 + 0.5) / n)
    }

    /// "0–10", "11–50", …, one per class.
    pub fn labels(&self) -> Vec<String> {
        let mut from = 0;
        self.upper
            .iter()
            .map(|&u| {
                let text = if from == u {
                    u.to_string()
                } else {
                    format!("{from}–{u}")
                };
                from = u + 1;
                text
            })
            .collect()
    }

    /// Each class's label, colour and how many of `counts` fall in it.
    pub fn legend(&self, counts: &[u64]) -> Vec<(String, [u8; 3], usize)> {
        let mut members = vec![0; self.upper.len()];
        for &c in counts {
            members[self.index(c)] += 1;
        }
        self.labels()
            .into_iter()
            .enumerate()
            .map(|(i, label)| (label, self.color(self.upper[i]), members[i]))
            .collect()
    }
}

/// Where a count sits on the ramp: log scale, as counts of points are heavy-tailed.
pub fn scale(count: u64, max: u64) -> f64 {
    if max == 0 {
        0.0
    } else {
        (1.0 + count as f64).ln() / (1.0 + max as f64).ln()
    }
}

/// Douglas-Peucker simplification of a closed ring to within `tol` degrees.
pub(crate) fn simplify(ring: &[[f64; 2]], tol: f64) -> Vec<[f64; 2]> {
    if ring.len() < 5 {
        return ring.to_vec();
    }
    let mut keep = vec![false; ring.len()];
    keep[0] = true;
    keep[ring.len() - 1] = true;
    let mut stack = vec![(0, ring.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let ([x1, y1], [x2, y2]) = (ring[a], ring[b]);
        let (dx, dy) = (x2 - x1, y2 - y1);
        let len = (dx * dx + dy * dy).sqrt();
        let mut far = (0.0, a);
        for (i, &[x, y]) in ring.iter().enumerate().take(b).skip(a + 1) {
            let d = if len > 0.0 {
                ((x - x1) * dy - (y - y1) * dx).abs() / len
            } else {
                ((x - x1).powi(2) + (y - y1).powi(2)).sqrt()
            };
            if d > far.0 {
                far = (d, i);
            }
        }
        if far.0 > tol {
            keep[far.1] = true;
            stack.push((a, far.1));
            stack.push((far.1, b));
        }
    }
    let out: Vec<[f64; 2]> = ring
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(p, _)| *p)
        .collect();
    if out.len() < 4 { ring.to_vec() } else { out }
}

/// Outlines of every part, simplified, in Web Mercator coordinates.
pub fn outlines(set: &PolygonSet, tol: f64) -> Vec<Vec<[f64; 2]>> {
    feature_outlines(set, tol)
        .into_iter()
        .map(|(_, r)| r)
        .collect()
}

/// `outlines`, each ring with the feature it belongs to (to outline the one under the pointer).
pub fn feature_outlines(set: &PolygonSet, tol: f64) -> Vec<(u32, Vec<[f64; 2]>)> {
    set.parts
        .iter()
        .flat_map(|p| p.rings.iter().map(move |r| (p.feature, simplify(r, tol))))
        .map(|(f, r)| (f, r.into_iter().map(mercator).collect()))
        .collect()
}

/// Each part filled in its feature's colour (holes left open).
pub fn fills(set: &PolygonSet, colour: impl Fn(u32) -> [u8; 4], tol: f64) -> Triangles {
    let mut t = Triangles::default();
    for p in &set.parts {
        let rings: Vec<Vec<[f64; 2]>> = p.rings.iter().map(|r| simplify(r, tol)).collect();
        let mut flat = Vec::new();
        let mut holes = Vec::new();
        for (k, r) in rings.iter().enumerate() {
            if k > 0 {
                holes.push(flat.len() / 2);
            }
            // earcut wants open rings.
            for q in &r[..r.len() - 1] {
                flat.extend_from_slice(q);
            }
        }
        let Ok(idx) = earcutr::earcut(&flat, &holes, 2) else {
            continue;
        };
        let base = t.positions.len() as u32;
        let c = colour(p.feature);
        for q in flat.chunks(2) {
            t.positions.push(mercator([q[0], q[1]]));
            t.colors.push(c);
        }
        t.indices.extend(idx.iter().map(|&i| base + i as u32));
    }
    t
}

/// The hexagons, each a fan of triangles, coloured by count.
pub fn hexagons(cells: &[HexCell], alpha: u8) -> Triangles {
    let classes = Classes::of(cells.iter().map(|c| c.count).max().unwrap_or(0));
    let mut t = Triangles::default();
    for c in cells {
        let [r, g, b] = classes.color(c.count);
        let base = t.positions.len() as u32;
        t.positions.push(mercator([c.lon, c.lat]));
        t.colors.push([r, g, b, alpha]);
        let n = c.boundary.len() as u32;
        for v in &c.boundary {
            t.positions.push(mercator(*v));
            t.colors.push([r, g, b, alpha]);
        }
        for k in 0..n {
            t.indices
                .extend([base, base + 1 + k, base + 1 + (k + 1) % n]);
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplify_keeps_corners_and_drops_collinear_points() {
        let square = [
            [0.0, 0.0],
            [0.5, 0.0],
            [1.0, 0.0],
            [1.0, 1.0],
            [0.0, 1.0],
            [0.0, 0.0],
        ];
        let s = simplify(&square, 1e-6);
        assert_eq!(
            s,
            [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
        );
        assert_eq!(ramp(0.0), [68, 1, 84]);
        assert_eq!(ramp(1.0), [253, 231, 37]);
    }
}

#[cfg(test)]
mod class_tests {
    use super::Classes;

    #[test]
    fn classes_are_round_log_spaced_and_cover_every_count() {
        let c = Classes::of(10_095);
        assert_eq!(c.upper, vec![10, 50, 500, 2000, 10_095]);
        assert_eq!(c.labels()[0], "0–10");
        assert_eq!(c.labels()[4], "2001–10095");
        assert_eq!(
            (c.index(0), c.index(10), c.index(11), c.index(10_095)),
            (0, 0, 1, 4)
        );
        let legend = c.legend(&[0, 5, 300, 10_095]);
        assert_eq!(
            legend.iter().map(|l| l.2).collect::<Vec<_>>(),
            [2, 0, 1, 0, 1]
        );
        assert_eq!(Classes::of(0).upper, vec![0]);
        assert_eq!(Classes::of(2).labels(), ["0–1", "2"]);
    }
}

/// Points coloured by a column of their table: each point's colour and what the colours mean.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PointColours {
    pub colours: Vec<[u8; 3]>,
    pub legend: Vec<(String, [u8; 3])>,
}

/// Categories shown in their own colour; the rest are "other".
const TOP_CATEGORIES: usize = 6;

/// Colour the points at table `rows` by `column`: a numeric column with many values in five
/// quantile classes of the ramp, anything else by its most common values (one palette colour
/// each, the rest grey). Missing values are grey too.
pub fn colour_points(
    data: &crate::data::Dataset,
    column: &str,
    rows: &[u32],
) -> Result<PointColours, crate::data::DataError> {
    use polars::prelude::DataType;
    let col = crate::data::schema::column(&data.name, &data.frame, column)?;
    let grey = crate::theme::GUIDE;
    let numeric = col.dtype().is_primitive_numeric();
    let values: Option<Vec<Option<f64>>> = numeric
        .then(|| col.cast(&DataType::Float64).ok())
        .flatten()
        .and_then(|c| {
            let f = c.f64().ok()?.clone();
            Some(
                rows.iter()
                    .map(|&r| f.get(r as usize).filter(|v| v.is_finite()))
                    .collect(),
            )
        });
    if let Some(values) = values {
        let mut sorted: Vec<f64> = values.iter().flatten().copied().collect();
        sorted.sort_by(f64::total_cmp);
        sorted.dedup();
        if sorted.len() > 2 * TOP_CATEGORIES {
            let mut all: Vec<f64> = values.iter().flatten().copied().collect();
            all.sort_by(f64::total_cmp);
            let at = |q: f64| all[((all.len() - 1) as f64 * q).round() as usize];
            let bounds: Vec<f64> = (0..=5).map(|k| at(f64::from(k) / 5.0)).collect();
            let class = |v: f64| bounds[1..5].iter().filter(|&&b| v > b).count();
            let colour = |k: usize| ramp((k as f64 + 0.5) / 5.0);
            let legend = (0..5)
                .map(|k| {
                    let (a, b) = (bounds[k], bounds[k + 1]);
                    let text = format!(
                        "{column} {} – {}",
                        crate::format::short(a),
                        crate::format::short(b)
                    );
                    (text, colour(k))
                })
                .chain(
                    values
                        .iter()
                        .any(Option::is_none)
                        .then(|| (format!("{column}: no value"), grey)),
                )
                .collect();
            let colours = values
                .iter()
                .map(|v| v.map_or(grey, |v| colour(class(v))))
                .collect();
            return Ok(PointColours { colours, legend });
        }
    }
    let text = col
        .cast(&DataType::String)
        .map_err(|e| crate::data::DataError::Other(format!("{}: {column}: {e}", data.name)))?;
    let text = text
        .str()
        .map_err(|e| crate::data::DataError::Other(format!("{}: {column}: {e}", data.name)))?
        .clone();
    let labels: Vec<Option<String>> = rows
        .iter()
        .map(|&r| text.get(r as usize).map(str::to_owned))
        .collect();
    let mut counts: std::collections::HashMap<&str, usize> = Default::default();
    for l in labels.iter().flatten() {
        *counts.entry(l.as_str()).or_default() += 1;
    }
    let mut top: Vec<(&str, usize)> = counts.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let others = top.len().saturating_sub(TOP_CATEGORIES);
    top.truncate(TOP_CATEGORIES);
    let palette = |k: usize| crate::theme::LINES[k % crate::theme::LINES.len()];
    let colours = labels
        .iter()
        .map(|l| {
            l.as_deref()
                .and_then(|l| top.iter().position(|(t, _)| *t == l))
                .map_or(grey, palette)
        })
        .collect();
    let mut legend: Vec<(String, [u8; 3])> = top
        .iter()
        .enumerate()
        .map(|(k, (t, _))| (format!("{column}: {t}"), palette(k)))
        .collect();
    if others > 0 {
        legend.push((
            format!("{column}: {} other values", crate::format::whole(others)),
            grey,
        ));
    }
    if labels.iter().any(Option::is_none) {
        legend.push((format!("{column}: no value"), grey));
    }
    Ok(PointColours { colours, legend })
}

#[cfg(test)]
mod colour_tests {
    use super::*;
    use polars::prelude::{Column, DataFrame};

    fn data(columns: Vec<Column>) -> crate::data::Dataset {
        crate::data::Dataset {
            name: "t.csv".into(),
            origin: crate::data::Origin::Sample,
            frame: DataFrame::new_infer_height(columns).unwrap(),
            geometries: None,
            notes: Vec::new(),
        }
    }

    #[test]
    fn points_take_their_categorys_colour_or_their_quantile_class() {
        let kinds: Vec<&str> = (0..100).map(|k| ["card", "cash", "other"][k % 3]).collect();
        let fares: Vec<Option<f64>> = (0..100).map(|k| (k != 7).then_some(f64::from(k))).collect();
        let d = data(vec![
            Column::new("kind".into(), kinds),
            Column::new("fare".into(), fares),
        ]);
        let rows: Vec<u32> = (0..100).collect();
        let c = colour_points(&d, "kind", &rows).unwrap();
        // The most common first: card (34), then cash and other (33 each, by name).
        assert_eq!(c.legend[0].0, "kind: card");
        assert_eq!(c.colours[0], c.legend[0].1);
        assert_eq!(c.colours[1], c.legend[1].1);
        assert_ne!(c.colours[0], c.colours[1]);
        let f = colour_points(&d, "fare", &rows).unwrap();
        assert_eq!(
            f.legend.len(),
            6,
            "five classes and 'no value': {:?}",
            f.legend
        );
        assert_eq!(f.colours[7], crate::theme::GUIDE);
        assert_eq!(
            f.colours[0], f.legend[0].1,
            "the lowest fare, the first class"
        );
        assert_eq!(f.colours[99], f.legend[4].1, "the highest, the last");
        let err = colour_points(&d, "nope", &rows).unwrap_err().to_string();
        assert!(err.contains("t.csv") && err.contains("nope"), "{err}");
    }
}

/// What a joined map shows, for its one chart builder (the Spatial panel's Save and the demo).
pub struct MapLayers<'a> {
    pub title: String,
    pub source: String,
    pub set: &'a PolygonSet,
    /// Points per feature of `set`.
    pub counts: &'a [u64],
    /// Fill the polygons by their counts.
    pub choropleth: bool,
    /// H3 cells drawn over them, by their counts.
    pub cells: Option<&'a [HexCell]>,
    pub points: Vec<(f64, f64)>,
    /// Each point's colour (empty: one colour), and their legend.
    pub point_colours: Vec<[u8; 3]>,
    pub point_legend: Vec<(String, [u8; 3])>,
    /// What a point and a polygon are called in the legend ("pickups", "borough").
    pub nouns: (&'a str, &'a str),
}

/// The map as a chart: classed fills with their legend, H3 cells, outlines and points. Its
/// extent is `chart::map_frame`'s, on export as on screen.
pub fn map_chart(m: MapLayers<'_>) -> crate::chart::Chart {
    use crate::chart::{Chart, ChartData, MapShape};
    let (point_noun, polygon_noun) = m.nouns;
    let counts = m.counts;
    let classes = Classes::of(counts.iter().copied().max().unwrap_or(0));
    let mut legend = Vec::new();
    if m.choropleth {
        legend.extend(classes.legend(counts).into_iter().map(|(label, color, n)| {
            (
                format!(
                    "{label} {point_noun} ({})",
                    crate::format::count_of(n, polygon_noun)
                ),
                color,
            )
        }));
    }
    let mut shapes: Vec<MapShape> = m
        .set
        .parts
        .iter()
        .map(|p| MapShape {
            ring: simplify(&p.rings[0], 0.0002)
                .iter()
                .map(|q| (q[0], q[1]))
                .collect(),
            fill: m
                .choropleth
                .then(|| classes.color(counts.get(p.feature as usize).copied().unwrap_or(0))),
        })
        .collect();
    if let Some(cells) = m.cells {
        let cell_counts: Vec<u64> = cells.iter().map(|c| c.count).collect();
        let cell_classes = Classes::of(cell_counts.iter().copied().max().unwrap_or(0));
        legend.extend(
            cell_classes
                .legend(&cell_counts)
                .into_iter()
                .map(|(label, color, n)| {
                    (
                        format!(
                            "{label} {point_noun} ({})",
                            crate::format::count_of(n, "H3 cell")
                        ),
                        color,
                    )
                }),
        );
        shapes.extend(cells.iter().map(|c| MapShape {
            ring: c.boundary.iter().map(|q| (q[0], q[1])).collect(),
            fill: Some(cell_classes.color(c.count)),
        }));
    }
    legend.extend(m.point_legend);
    Chart::new(
        m.title,
        "longitude",
        "latitude",
        ChartData::Map {
            shapes,
            points: m.points,
            point_colours: m.point_colours,
            legend,
        },
    )
    .with_source(m.source)
}

#[cfg(test)]
mod map_chart_tests {
    use super::*;
    use crate::compute::NoProgress;
    use crate::usecases::spatial::{JoinParams, check, join};

    /// The bundled taxi sample has pickups at (0, 0), as real NYC data does: its map frames
    /// New York, and the exported legend says how many points it left out.
    #[test]
    fn the_taxi_map_frames_new_york_and_says_what_it_left_out() {
        let taxi = crate::data::sample::load("taxi_pickups.csv").unwrap();
        let boroughs = crate::data::sample::load("nyc_boroughs.geojson").unwrap();
        let valid = check(&JoinParams::default()).unwrap();
        let out = join(&valid, &taxi, &boroughs, &NoProgress).unwrap();
        let points: Vec<(f64, f64)> = out
            .points
            .lon
            .iter()
            .zip(&out.points.lat)
            .map(|(&x, &y)| (x, y))
            .collect();
        let at_zero = points.iter().filter(|p| **p == (0.0, 0.0)).count();
        assert!(at_zero > 0, "the sample has pickups at 0, 0");
        let cells = crate::compute::spatial::join::hexbin(
            &out.points,
            crate::compute::spatial::join::resolution(7).unwrap(),
            &NoProgress,
        )
        .unwrap();
        let chart = map_chart(MapLayers {
            title: "taxi".into(),
            source: "test".into(),
            set: &out.set,
            counts: &out.assignment.counts,
            choropleth: true,
            cells: Some(&cells),
            points: points.clone(),
            point_colours: Vec::new(),
            point_legend: Vec::new(),
            nouns: ("pickups", "borough"),
        });
        let crate::chart::ChartData::Map { shapes, points, .. } = &chart.data else {
            panic!("a map");
        };
        let frame = crate::chart::map_frame(shapes, points).unwrap();
        let [x0, y0, x1, y1] = frame.bbox;
        assert!(
            x0 > -74.5 && x1 < -73.5 && y0 > 40.3 && y1 < 41.1,
            "{:?}",
            frame.bbox
        );
        assert!(frame.left_out_points >= at_zero, "{frame:?}");
        let dir = tempfile::tempdir().unwrap();
        let svg = dir.path().join("map.svg");
        crate::export::write_chart(&chart, &svg).unwrap();
        let text = std::fs::read_to_string(&svg).unwrap();
        let note = format!(
            "{} far from the rest (e.g. at 0, 0) not shown",
            crate::format::count_of(frame.left_out_points, "point")
        );
        assert!(text.contains(&note), "the legend says {note}");
    }
}
