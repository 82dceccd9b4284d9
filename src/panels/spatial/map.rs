//! The map: a walkers map (Web Mercator; drag to pan, scroll or pinch to zoom). OpenStreetMap
//! tiles are an opt-in layer (downloaded with Playbook's user agent into an on-disk cache);
//! without them, offline or when tiles fail, the map is a plain background with the loaded
//! polygons and a world outline from the bundled countries. The layers are painted over it as
//! meshes: polygons filled by joined count (a choropleth), H3 hexagons by count, a sample of
//! the points. Hover names the polygon and the cell under the pointer with their counts.

use egui::{Color32, Mesh, Pos2, Stroke, vec2};
use h3o::LatLng;
use walkers::sources::OpenStreetMap;
use walkers::{HttpOptions, HttpTiles, MapMemory, Projector, lon_lat};

// Layers hold Web Mercator coordinates (`layers::mercator`), made once in the join's job.

use super::run::JoinResult;
use crate::usecases::spatial::layers::{PointColours, Triangles};

/// Which layers are on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Layers {
    pub choropleth: bool,
    pub hexagons: bool,
    pub points: bool,
    pub world: bool,
    /// OpenStreetMap tiles from the network (off by default: the tool works offline).
    pub tiles: bool,
}

impl Default for Layers {
    fn default() -> Self {
        Self {
            choropleth: true,
            hexagons: false,
            points: true,
            world: true,
            tiles: false,
        }
    }
}

/// A pending "zoom to" request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Zoom {
    Polygons,
    Points,
    /// A saved view: the centre (longitude, latitude) where the user moved the map, and the
    /// zoom level.
    At {
        centre: Option<[f64; 2]>,
        zoom: f64,
    },
}

/// The map's own state: where it looks, and the tile layer once tiles were turned on.
#[derive(Default)]
pub(crate) struct MapView {
    memory: MapMemory,
    tiles: Option<HttpTiles>,
    /// Drawn at least once: its view is the user's (else walkers' default, not worth keeping).
    drawn: bool,
}

impl MapView {
    /// Where the map looks: the centre if the user moved it, and the zoom level; `None` until
    /// it is first drawn.
    pub fn view(&self) -> Option<Zoom> {
        self.drawn.then(|| Zoom::At {
            centre: self.memory.detached().map(|p| [p.x(), p.y()]),
            zoom: self.memory.zoom(),
        })
    }
}

/// Where downloaded tiles are kept: `$XDG_CACHE_HOME/playbook/tiles` or `~/.cache/...`.
fn tile_cache() -> Option<std::path::PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cache")))?;
    Some(base.join("playbook").join("tiles"))
}

fn http_options() -> HttpOptions {
    HttpOptions {
        cache: tile_cache(),
        user_agent: Some(walkers::HeaderValue::from_static(concat!(
            "Playbook/",
            env!("CARGO_PKG_VERSION"),
            " (desktop analytics workbench)"
        ))),
        ..Default::default()
    }
}

/// Web Mercator y of a latitude, in turns (0..1 over the world).
fn mercator_y(lat: f64) -> f64 {
    let r = lat.clamp(-85.0, 85.0).to_radians();
    (std::f64::consts::PI - ((std::f64::consts::FRAC_PI_4 + r / 2.0).tan()).ln())
        / std::f64::consts::TAU
}

/// The zoom at which `b` fills `size` (256-pixel tiles), a little margin kept.
fn zoom_for(b: [f64; 4], size: egui::Vec2) -> f64 {
    let dx = ((b[2] - b[0]) / 360.0).max(1e-9);
    let dy = (mercator_y(b[1]) - mercator_y(b[3])).abs().max(1e-9);
    let zx = (f64::from(size.x) * 0.9 / (256.0 * dx)).log2();
    let zy = (f64::from(size.y) * 0.9 / (256.0 * dy)).log2();
    zx.min(zy).clamp(1.0, 18.0)
}

/// Web Mercator (see `layers::mercator`) to screen for this frame: two reference points are
/// projected by walkers, everything else is scaled and shifted, one multiply-add per axis.
#[derive(Clone, Copy)]
struct Screen {
    origin: [f64; 2],
    at: Pos2,
    scale: [f64; 2],
}

impl Screen {
    fn new(p: &Projector, bbox: [f64; 4]) -> Self {
        let (a, b) = (
            [bbox[0] - 1.0, bbox[1] - 1.0],
            [bbox[2] + 1.0, bbox[3] + 1.0],
        );
        let (pa, pb) = (
            p.project(lon_lat(a[0], a[1])).to_pos2(),
            p.project(lon_lat(b[0], b[1])).to_pos2(),
        );
        let (ma, mb) = (
            crate::usecases::spatial::layers::mercator(a),
            crate::usecases::spatial::layers::mercator(b),
        );
        Self {
            origin: ma,
            at: pa,
            scale: [
                f64::from(pb.x - pa.x) / (mb[0] - ma[0]),
                f64::from(pb.y - pa.y) / (mb[1] - ma[1]),
            ],
        }
    }

    fn pos(&self, m: [f64; 2]) -> Pos2 {
        Pos2::new(
            self.at.x + ((m[0] - self.origin[0]) * self.scale[0]) as f32,
            self.at.y + ((m[1] - self.origin[1]) * self.scale[1]) as f32,
        )
    }
}

fn mesh(s: Screen, t: &Triangles) -> Mesh {
    let mut m = Mesh::default();
    m.reserve_vertices(t.positions.len());
    for (q, c) in t.positions.iter().zip(&t.colors) {
        m.colored_vertex(
            s.pos(*q),
            Color32::from_rgba_unmultiplied(c[0], c[1], c[2], c[3]),
        );
    }
    m.indices = t.indices.clone();
    m
}

/// Small squares for the points, in one mesh (cheaper than a circle each), each in its colour.
fn dots(s: Screen, points: &[[f64; 2]], colour: impl Fn(usize) -> Color32, half: f32) -> Mesh {
    let mut m = Mesh::default();
    m.reserve_vertices(4 * points.len());
    for (k, q) in points.iter().enumerate() {
        let c = s.pos(*q);
        let colour = colour(k);
        let i = m.vertices.len() as u32;
        for d in [
            vec2(-half, -half),
            vec2(half, -half),
            vec2(half, half),
            vec2(-half, half),
        ] {
            m.colored_vertex(c + d, colour);
        }
        m.indices.extend([i, i + 1, i + 2, i, i + 2, i + 3]);
    }
    m
}

/// The closest zoom at which the world outline is drawn (about a country's width on screen).
const WORLD_MAX_ZOOM: f64 = 7.0;

/// Draw the map, `height` points tall; returns the hover text for the pointer, if any.
pub fn show(
    ui: &mut egui::Ui,
    view: &mut MapView,
    (r, colours): (&JoinResult, Option<&PointColours>),
    layers: &Layers,
    zoom: Option<Zoom>,
    height: f32,
) -> Option<String> {
    let bbox = r.set.bbox();
    let size = vec2(ui.available_width(), height);
    let target = match zoom {
        Some(Zoom::Polygons) => Some(bbox),
        // The maps' one framing rule: the bulk of the points, not pickups at 0, 0.
        Some(Zoom::Points) => {
            let pts: Vec<(f64, f64)> = r.drawn_points.iter().map(|&[x, y]| (x, y)).collect();
            crate::chart::map_frame(&[], &pts).map(|f| f.bbox)
        }
        Some(Zoom::At { centre, zoom }) => {
            if let Some([lon, lat]) = centre {
                view.memory.center_at(lon_lat(lon, lat));
            }
            let _ = view.memory.set_zoom(zoom);
            None
        }
        None => None,
    };
    if let Some(b) = target {
        view.memory
            .center_at(lon_lat((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0));
        let _ = view.memory.set_zoom(zoom_for(b, size));
    }
    view.drawn = true;
    if layers.tiles && view.tiles.is_none() {
        crate::tls::install();
        view.tiles = Some(HttpTiles::with_options(
            OpenStreetMap,
            http_options(),
            ui.ctx().clone(),
        ));
    }
    let home = lon_lat((bbox[0] + bbox[2]) / 2.0, (bbox[1] + bbox[3]) / 2.0);
    let outline = ui.visuals().strong_text_color().gamma_multiply(0.7);
    let world = ui.visuals().weak_text_color().gamma_multiply(0.6);
    let background = ui.visuals().extreme_bg_color;
    let tiles = if layers.tiles {
        view.tiles.as_mut().map(|t| t as &mut dyn walkers::Tiles)
    } else {
        None
    };
    let mut hover = None;
    ui.allocate_ui(size, |ui| {
        ui.painter().rect_filled(
            egui::Rect::from_min_size(ui.cursor().min, size),
            0.0,
            background,
        );
        let world_zoom = view.memory.zoom() < WORLD_MAX_ZOOM;
        walkers::Map::new(tiles, &mut view.memory, home)
            .zoom_with_ctrl(false)
            // walkers' default (2.0) zoomed about 2.5x per wheel notch; a quarter of that steps
            // about 1.25x, so a notch no longer jumps past the borough being shown.
            .zoom_speed(0.5)
            .show(ui, |ui, response, projector, _| {
                let painter = ui.painter().with_clip_rect(response.rect);
                let s = Screen::new(projector, bbox);
                // The world outline is Natural Earth at 1:110m (simplified further): at city
                // zoom its coastlines cut straight across boroughs, so it shows only zoomed out.
                if layers.world && world_zoom {
                    for ring in &r.world {
                        let pts = ring.iter().map(|q| s.pos(*q)).collect();
                        painter.line(pts, Stroke::new(1.0, world));
                    }
                }
                if layers.choropleth && !r.fills.is_empty() {
                    painter.add(mesh(s, &r.fills));
                }
                if layers.hexagons && !r.hexes.is_empty() {
                    painter.add(mesh(s, &r.hexes));
                }
                for (_, ring) in &r.outlines {
                    let pts = ring.iter().map(|q| s.pos(*q)).collect();
                    painter.line(pts, Stroke::new(1.0, outline));
                }
                if layers.points {
                    // See-through, so the choropleth under dense points still reads.
                    let see_through =
                        |[r, g, b]: [u8; 3]| Color32::from_rgba_unmultiplied(r, g, b, 150);
                    let colour = |k: usize| {
                        see_through(
                            colours
                                .and_then(|c| c.colours.get(k).copied())
                                .unwrap_or([228, 87, 86]),
                        )
                    };
                    painter.add(dots(s, &r.drawn_points_m, colour, 1.0));
                }
                if layers.tiles {
                    painter.text(
                        response.rect.right_bottom() - vec2(4.0, 4.0),
                        egui::Align2::RIGHT_BOTTOM,
                        "© OpenStreetMap contributors",
                        egui::FontId::proportional(11.0),
                        ui.visuals().text_color(),
                    );
                }
                let Some(pos) = response.hover_pos() else {
                    return;
                };
                let at = projector.unproject(pos.to_vec2());
                let (feature, text) = under_pointer(r, layers, at.x(), at.y());
                // The shape under the pointer outlined in the accent colour, and its counts in
                // a tooltip at the pointer (they used to sit in a line under the map).
                if let Some(f) = feature {
                    let accent = ui.visuals().selection.bg_fill;
                    for (_, ring) in r.outlines.iter().filter(|(g, _)| *g == f) {
                        let pts = ring.iter().map(|q| s.pos(*q)).collect();
                        painter.line(pts, Stroke::new(2.5, accent));
                    }
                }
                if let Some(text) = &text {
                    response.clone().on_hover_text_at_pointer(text.clone());
                }
                hover = text;
            });
    });
    hover
}

/// The polygon (feature) under (lon, lat) and the read-out of what is there: the polygon's and
/// the H3 cell's counts.
fn under_pointer(
    r: &JoinResult,
    layers: &Layers,
    lon: f64,
    lat: f64,
) -> (Option<u32>, Option<String>) {
    let mut lines = Vec::new();
    let feature = r.index.locate(lon, lat);
    if let Some(f) = feature {
        lines.push(format!(
            "{}: {}",
            r.set.names[f as usize],
            crate::format::count_of(r.assignment.counts[f as usize] as usize, "point")
        ));
    }
    if layers.hexagons
        && let Ok(ll) = LatLng::new(lat, lon)
        && let Ok(res) = h3o::Resolution::try_from(r.resolution)
    {
        let cell = ll.to_cell(res);
        if let Some(c) = r.cell_at.get(&cell).map(|&i| &r.cells[i]) {
            // In words: the cell's id means nothing to a room (its size says what it is).
            let across_km = 2.0 * res.edge_length_km();
            let across = if across_km >= 1.0 {
                format!("{across_km:.1} km")
            } else {
                format!("{:.0} m", (across_km * 100.0).round() * 10.0)
            };
            lines.push(format!(
                "this hexagon (about {across} across): {}",
                crate::format::count_of(c.count as usize, "point")
            ));
        }
    }
    (feature, (!lines.is_empty()).then(|| lines.join("\n")))
}
