//! The map: egui_plot in longitude/latitude (pan, zoom, an aspect true at the data's latitude)
//! with the layers drawn as meshes — polygons filled by joined count (a choropleth), H3
//! hexagons by count, a sample of the points — over a plain background with the polygons'
//! outlines and a world outline from the bundled countries, so it needs no network. Hover
//! names the polygon and the cell under the pointer with their counts.

use egui::{Color32, Mesh, Pos2, Shape};
use egui_plot::{
    Line, Plot, PlotBounds, PlotGeometry, PlotItem, PlotItemBase, PlotPoint, PlotTransform, Points,
};
use h3o::LatLng;

use super::layers::Triangles;
use super::run::JoinResult;

/// A filled triangle mesh in plot coordinates: egui_plot's own polygons fill only convex
/// shapes, and one item per hexagon would not scale to thousands of them.
struct MeshItem<'a> {
    base: PlotItemBase,
    t: &'a Triangles,
    color: Color32,
}

impl<'a> MeshItem<'a> {
    fn new(name: &str, t: &'a Triangles, color: Color32) -> Self {
        Self {
            base: PlotItemBase::new(name.to_owned()),
            t,
            color,
        }
    }
}

impl PlotItem for MeshItem<'_> {
    fn shapes(&self, _ui: &egui::Ui, transform: &PlotTransform, shapes: &mut Vec<Shape>) {
        let mut mesh = Mesh::default();
        mesh.reserve_vertices(self.t.positions.len());
        for (p, c) in self.t.positions.iter().zip(&self.t.colors) {
            let pos: Pos2 = transform.position_from_point(&PlotPoint::new(p[0], p[1]));
            mesh.colored_vertex(pos, Color32::from_rgba_unmultiplied(c[0], c[1], c[2], c[3]));
        }
        mesh.indices = self.t.indices.clone();
        shapes.push(Shape::mesh(mesh));
    }

    fn initialize(&mut self, _x_range: std::ops::RangeInclusive<f64>) {}

    fn color(&self) -> Color32 {
        self.color
    }

    fn geometry(&self) -> PlotGeometry<'_> {
        PlotGeometry::None
    }

    fn allow_hover(&self) -> bool {
        false
    }

    fn bounds(&self) -> PlotBounds {
        let mut b = PlotBounds::NOTHING;
        for p in &self.t.positions {
            b.extend_with(&PlotPoint::new(p[0], p[1]));
        }
        b
    }

    fn base(&self) -> &PlotItemBase {
        &self.base
    }

    fn base_mut(&mut self) -> &mut PlotItemBase {
        &mut self.base
    }
}

/// Which layers are on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Layers {
    pub choropleth: bool,
    pub hexagons: bool,
    pub points: bool,
    pub world: bool,
}

impl Default for Layers {
    fn default() -> Self {
        Self {
            choropleth: true,
            hexagons: false,
            points: true,
            world: true,
        }
    }
}

/// A pending "zoom to" request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Zoom {
    Polygons,
    Points,
}

fn bbox_of(points: impl Iterator<Item = [f64; 2]>) -> Option<[f64; 4]> {
    points.fold(None, |b: Option<[f64; 4]>, [x, y]| {
        Some(match b {
            None => [x, y, x, y],
            Some(b) => [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)],
        })
    })
}

/// Draw the map; returns the hover text for the pointer's position, if any.
pub fn show(
    ui: &mut egui::Ui,
    r: &JoinResult,
    layers: &Layers,
    zoom: Option<Zoom>,
    height: f32,
) -> Option<String> {
    let outline = ui.visuals().strong_text_color().gamma_multiply(0.7);
    let world = ui.visuals().weak_text_color().gamma_multiply(0.5);
    let lat0 = r.set.bbox()[1].to_radians();
    let target = match zoom {
        Some(Zoom::Polygons) => Some(r.set.bbox()),
        Some(Zoom::Points) => bbox_of(r.drawn_points.iter().copied()),
        None => None,
    };
    let plot = Plot::new("spatial_map")
        .height(height)
        .data_aspect((1.0 / lat0.cos().max(0.1)) as f32)
        .x_axis_label("longitude")
        .y_axis_label("latitude")
        .legend(egui_plot::Legend::default())
        .show_grid(false)
        .allow_scroll(false);
    let response = plot.show(ui, |p| {
        if let Some(b) = target {
            let pad_x = (b[2] - b[0]) * 0.05;
            let pad_y = (b[3] - b[1]) * 0.05;
            p.set_plot_bounds(PlotBounds::from_min_max(
                [b[0] - pad_x, b[1] - pad_y],
                [b[2] + pad_x, b[3] + pad_y],
            ));
        }
        if layers.world {
            for ring in &r.world {
                let pts: Vec<[f64; 2]> = ring.clone();
                p.line(
                    Line::new("", pts)
                        .color(world)
                        .width(1.0)
                        .allow_hover(false),
                );
            }
        }
        if layers.choropleth && !r.fills.is_empty() {
            p.add(MeshItem::new(
                "polygons: points per polygon",
                &r.fills,
                Color32::from_rgb(33, 145, 140),
            ));
        }
        if layers.hexagons && !r.hexes.is_empty() {
            p.add(MeshItem::new(
                &format!("H3 cells (resolution {}): points per cell", r.resolution),
                &r.hexes,
                Color32::from_rgb(253, 231, 37),
            ));
        }
        for ring in &r.outlines {
            p.line(
                Line::new("", ring.clone())
                    .color(outline)
                    .width(1.0)
                    .allow_hover(false),
            );
        }
        if layers.points {
            let name = if r.drawn_points.len() < r.points.len() {
                format!(
                    "points (a sample of {} of {})",
                    r.drawn_points.len(),
                    r.points.len()
                )
            } else {
                format!("points ({})", r.points.len())
            };
            p.points(
                Points::new(name, r.drawn_points.clone())
                    .color(Color32::from_rgb(228, 87, 86))
                    .radius(1.2)
                    .allow_hover(false),
            );
        }
        p.pointer_coordinate()
    });
    let pos = response.inner?;
    let mut lines = Vec::new();
    if let Some(f) = r.index.locate(pos.x, pos.y) {
        lines.push(format!(
            "{}: {} points",
            r.set.names[f as usize], r.assignment.counts[f as usize]
        ));
    }
    if layers.hexagons
        && let Ok(ll) = LatLng::new(pos.y, pos.x)
        && let Ok(res) = h3o::Resolution::try_from(r.resolution)
    {
        let cell = ll.to_cell(res);
        if let Some(c) = r.cells.iter().find(|c| c.cell == cell) {
            lines.push(format!("cell {}: {} points", c.cell, c.count));
        }
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}
