//! Exact point-in-polygon, fast for polygons with tens of thousands of vertices. Each part's
//! edges are bucketed into horizontal slabs, so a point tests only the edges that cross its
//! own slab instead of walking every edge; an R-tree (rstar) over the parts' bounding boxes
//! finds the candidate parts. The test is the crossing-number rule (PNPOLY) over all rings, so
//! holes work, and a point exactly on a boundary follows PNPOLY's half-open rule: it is inside
//! when the polygon lies to its right or above it (left and bottom edges belong to the polygon,
//! right and top edges do not). A point on the border between two adjacent polygons therefore
//! belongs to exactly one of them.

use rstar::{AABB, RTree, RTreeObject};

use super::polygons::{Part, PolygonSet};

/// Edges of one part bucketed by horizontal slab.
#[derive(Clone, Debug)]
struct PartIndex {
    bbox: [f64; 4],
    y0: f64,
    slab_height: f64,
    /// Edge ids of slab s: `ids[offsets[s]..offsets[s + 1]]`.
    offsets: Vec<u32>,
    ids: Vec<u32>,
    /// (x1, y1, x2, y2)
    edges: Vec<[f64; 4]>,
}

impl PartIndex {
    fn new(p: &Part) -> Self {
        let edges: Vec<[f64; 4]> = p
            .rings
            .iter()
            .flat_map(|r| r.windows(2).map(|w| [w[0][0], w[0][1], w[1][0], w[1][1]]))
            .filter(|e| e[1] != e[3]) // horizontal edges never cross a horizontal ray
            .collect();
        let n = (edges.len() / 4).clamp(1, 8192);
        let y0 = p.bbox[1];
        let slab_height = ((p.bbox[3] - p.bbox[1]) / n as f64).max(f64::MIN_POSITIVE);
        let slab = |y: f64| (((y - y0) / slab_height) as usize).min(n - 1);
        let mut counts = vec![0u32; n + 1];
        for e in &edges {
            let (lo, hi) = (slab(e[1].min(e[3])), slab(e[1].max(e[3])));
            for c in &mut counts[lo..=hi] {
                *c += 1;
            }
        }
        let mut offsets = vec![0u32; n + 1];
        for s in 0..n {
            offsets[s + 1] = offsets[s] + counts[s];
        }
        let mut fill = offsets.clone();
        let mut ids = vec![0u32; offsets[n] as usize];
        for (i, e) in edges.iter().enumerate() {
            let (lo, hi) = (slab(e[1].min(e[3])), slab(e[1].max(e[3])));
            for f in &mut fill[lo..=hi] {
                ids[*f as usize] = i as u32;
                *f += 1;
            }
        }
        Self {
            bbox: p.bbox,
            y0,
            slab_height,
            offsets,
            ids,
            edges,
        }
    }

    fn contains(&self, x: f64, y: f64) -> bool {
        let b = self.bbox;
        if x < b[0] || x > b[2] || y < b[1] || y > b[3] {
            return false;
        }
        let n = self.offsets.len() - 1;
        let s = (((y - self.y0) / self.slab_height) as usize).min(n - 1);
        let mut inside = false;
        for &i in &self.ids[self.offsets[s] as usize..self.offsets[s + 1] as usize] {
            let [x1, y1, x2, y2] = self.edges[i as usize];
            if (y1 > y) != (y2 > y) && x < (x2 - x1) * (y - y1) / (y2 - y1) + x1 {
                inside = !inside;
            }
        }
        inside
    }
}

/// PNPOLY over every edge of every ring: the reference the index is tested against.
#[cfg(test)]
pub(crate) fn contains_brute_force(p: &Part, x: f64, y: f64) -> bool {
    let mut inside = false;
    for r in &p.rings {
        for w in r.windows(2) {
            let ([x1, y1], [x2, y2]) = (w[0], w[1]);
            if (y1 > y) != (y2 > y) && x < (x2 - x1) * (y - y1) / (y2 - y1) + x1 {
                inside = !inside;
            }
        }
    }
    inside
}

struct Boxed {
    part: usize,
    bbox: [f64; 4],
}

impl RTreeObject for Boxed {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        AABB::from_corners([self.bbox[0], self.bbox[1]], [self.bbox[2], self.bbox[3]])
    }
}

/// Every part of a polygon set, indexed.
pub struct PolygonIndex {
    parts: Vec<PartIndex>,
    features: Vec<u32>,
    tree: RTree<Boxed>,
}

impl PolygonIndex {
    pub fn new(set: &PolygonSet) -> Self {
        use rayon::prelude::*;
        let parts: Vec<PartIndex> = set.parts.par_iter().map(PartIndex::new).collect();
        let tree = RTree::bulk_load(
            set.parts
                .iter()
                .enumerate()
                .map(|(i, p)| Boxed {
                    part: i,
                    bbox: p.bbox,
                })
                .collect(),
        );
        Self {
            parts,
            features: set.parts.iter().map(|p| p.feature).collect(),
            tree,
        }
    }

    /// The feature containing (x, y); the lowest-numbered one when features overlap.
    pub fn locate(&self, x: f64, y: f64) -> Option<u32> {
        let mut best: Option<u32> = None;
        for b in self
            .tree
            .locate_in_envelope_intersecting(&AABB::from_point([x, y]))
        {
            let f = self.features[b.part];
            if best.is_some_and(|bf| bf <= f) {
                continue;
            }
            if self.parts[b.part].contains(x, y) {
                best = Some(f);
            }
        }
        best
    }
}
