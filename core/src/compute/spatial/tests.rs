//! The indexed point-in-polygon test against PNPOLY over every edge, on random points, points
//! near edges and in holes; the boundary rule on two polygons that share an edge.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::pip::{PolygonIndex, contains_brute_force};
use super::polygons::{Part, PolygonSet};

/// A star-shaped ring with `n` vertices around (cx, cy), wobbly radius.
fn star(rng: &mut ChaCha8Rng, cx: f64, cy: f64, r: f64, n: usize) -> Vec<[f64; 2]> {
    let mut ring: Vec<[f64; 2]> = (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n as f64;
            let rr = r * (0.5 + 0.5 * rng.random::<f64>());
            [cx + rr * a.cos(), cy + rr * a.sin()]
        })
        .collect();
    ring.push(ring[0]);
    ring
}

fn part(feature: u32, rings: Vec<Vec<[f64; 2]>>) -> Part {
    let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for &[x, y] in rings.iter().flatten() {
        bbox = [
            bbox[0].min(x),
            bbox[1].min(y),
            bbox[2].max(x),
            bbox[3].max(y),
        ];
    }
    Part {
        feature,
        rings,
        bbox,
    }
}

#[test]
fn index_equals_brute_force_including_near_edges_and_holes() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let mut parts = Vec::new();
    for f in 0..6u32 {
        let (cx, cy) = (rng.random::<f64>() * 10.0, rng.random::<f64>() * 10.0);
        let outer = star(&mut rng, cx, cy, 3.0, 2000);
        let hole = star(&mut rng, cx, cy, 0.8, 50);
        parts.push(part(f, vec![outer, hole]));
    }
    let set = PolygonSet {
        names: (0..6).map(|i| format!("p{i}")).collect(),
        parts,
    };
    let index = PolygonIndex::new(&set);
    let mut points: Vec<[f64; 2]> = (0..6_000)
        .map(|_| {
            [
                rng.random::<f64>() * 14.0 - 2.0,
                rng.random::<f64>() * 14.0 - 2.0,
            ]
        })
        .collect();
    // Points a hair off the middle of edges, and exactly on vertices.
    for p in &set.parts {
        for r in &p.rings {
            for w in r.windows(2).step_by(7) {
                let m = [(w[0][0] + w[1][0]) / 2.0, (w[0][1] + w[1][1]) / 2.0];
                points.push([m[0] + 1e-12, m[1]]);
                points.push([m[0] - 1e-12, m[1] + 1e-12]);
                points.push(w[0]);
            }
        }
    }
    let mut inside_hole_tested = 0;
    for &[x, y] in &points {
        let want = set
            .parts
            .iter()
            .filter(|p| contains_brute_force(p, x, y))
            .map(|p| p.feature)
            .min();
        assert_eq!(index.locate(x, y), want, "point ({x}, {y})");
        // A point in a hole's bounding box but inside the hole belongs to no part there.
        if set.parts.iter().any(|p| {
            contains_brute_force(
                &Part {
                    rings: vec![p.rings[1].clone()],
                    ..p.clone()
                },
                x,
                y,
            )
        }) {
            inside_hole_tested += 1;
        }
    }
    assert!(
        inside_hole_tested > 50,
        "{inside_hole_tested} points in holes"
    );
}

#[test]
fn a_point_on_a_shared_border_belongs_to_exactly_one_polygon() {
    let left = part(
        0,
        vec![vec![
            [0.0, 0.0],
            [1.0, 0.0],
            [1.0, 1.0],
            [0.0, 1.0],
            [0.0, 0.0],
        ]],
    );
    let right = part(
        1,
        vec![vec![
            [1.0, 0.0],
            [2.0, 0.0],
            [2.0, 1.0],
            [1.0, 1.0],
            [1.0, 0.0],
        ]],
    );
    let set = PolygonSet {
        names: vec!["left".into(), "right".into()],
        parts: vec![left, right],
    };
    let index = PolygonIndex::new(&set);
    for k in 0..100 {
        let y = k as f64 / 100.0;
        // On the shared edge x = 1: the polygon to the right owns it (half-open rule).
        assert_eq!(index.locate(1.0, y), Some(1), "y {y}");
    }
    // Bottom edges are inside, top edges outside; the left edge of the left square is inside.
    assert_eq!(index.locate(0.5, 0.0), Some(0));
    assert_eq!(index.locate(0.5, 1.0), None);
    assert_eq!(index.locate(0.0, 0.5), Some(0));
    assert_eq!(index.locate(2.0, 0.5), None);
}
