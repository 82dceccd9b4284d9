//! Geospatial joins as the book's chapter does them, on one laptop: points (longitude,
//! latitude) assigned to polygons exactly (`pip`: an R-tree of parts and slab-bucketed edges)
//! or through an H3 grid (`join::h3`, h3o), and hexbins of points per H3 cell. Polygons come
//! from GeoJSON or a WKT column (`polygons`).

pub mod join;
pub mod pip;
pub mod polygons;

#[cfg(test)]
mod tests;
