//! The Spatial panel: join a points table (longitude/latitude columns) to polygons (GeoJSON)
//! exactly or through H3 cells, as a background job; then a map with toggleable layers
//! (choropleth by count, H3 hexagons, sampled points, world outline) and hover, a sortable
//! table of counts per polygon, and exports: counts and joined points as tables, the map as an
//! image.

mod map;
mod run;

use std::sync::Arc;

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::run_slot::{RunInputs, RunSlot};
use super::{Panel, PanelCtx, choice_combo, save};
use crate::chart::Chart;
use crate::compute::spatial::join;
use crate::jobs::Slot;
use crate::runs::of_dataset;
use crate::usecases::analysis::{Analysis, SpatialJoin};
use crate::usecases::spatial::layers;
use crate::usecases::spatial::{self as usecase, JoinParams, Method, PointColumns};
use map::{Layers, MapView, Zoom};
use run::{JoinResult, JoinRun};

/// The map as a chart and what it was made from (the join, the layers, the points' colours).
type MapChart = (
    Arc<JoinRun>,
    Layers,
    Option<Arc<layers::PointColours>>,
    Arc<Chart>,
);

/// What the panel remembers across restarts.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct SpatialChoices {
    pub points: String,
    pub lon_col: String,
    pub lat_col: String,
    pub polygons: String,
    pub name_col: String,
    /// The polygons' WKT column, for a table of polygons; empty: the one found.
    pub wkt_col: String,
    pub method: Method,
    pub resolution: u8,
    pub layers: Layers,
    /// Colour the points by this column of their table (empty: one colour).
    pub point_colour: String,
    /// The polygons' coordinate system as an EPSG code, for a file that does not say its own
    /// (empty: as the file says, else longitude and latitude).
    pub polygons_crs: String,
    /// Polygon columns carried onto each joined point.
    pub keep_cols: Vec<String>,
}

impl Default for SpatialChoices {
    fn default() -> Self {
        // The use case's defaults, written once in `JoinParams::default`.
        let p = JoinParams::default();
        Self {
            points: "taxi_pickups.csv".into(),
            lon_col: p.points.lon_col,
            lat_col: p.points.lat_col,
            polygons: "nyc_boroughs.geojson".into(),
            name_col: p.name_col.unwrap_or_default(),
            wkt_col: p.wkt_col.unwrap_or_default(),
            method: p.method,
            resolution: p.resolution,
            layers: Layers::default(),
            point_colour: String::new(),
            polygons_crs: p.polygons_crs.unwrap_or_default(),
            keep_cols: p.keep_cols,
        }
    }
}

impl SpatialChoices {
    /// The use case's params from the panel's choices.
    pub fn params(&self) -> JoinParams {
        JoinParams {
            points: PointColumns {
                lon_col: self.lon_col.clone(),
                lat_col: self.lat_col.clone(),
            },
            wkt_col: Some(self.wkt_col.clone()).filter(|c| !c.is_empty()),
            name_col: Some(self.name_col.clone()).filter(|c| !c.is_empty()),
            method: self.method,
            resolution: self.resolution,
            keep_cols: self.keep_cols.clone(),
            polygons_crs: Some(self.polygons_crs.trim().to_owned()).filter(|c| !c.is_empty()),
        }
    }

    fn set_params(&mut self, p: JoinParams) {
        self.lon_col = p.points.lon_col;
        self.lat_col = p.points.lat_col;
        self.wkt_col = p.wkt_col.unwrap_or_default();
        self.name_col = p.name_col.unwrap_or_default();
        self.method = p.method;
        self.resolution = p.resolution;
        self.keep_cols = p.keep_cols;
        self.polygons_crs = p.polygons_crs.unwrap_or_default();
    }
}

#[derive(Default)]
pub(crate) struct SpatialPanel {
    pub saved: SpatialChoices,
    join: RunSlot<JoinResult>,
    zoom: Option<Zoom>,
    /// A map view restored from a workspace, applied when the map is next drawn (after the
    /// join it waits for, instead of fitting the polygons).
    restored_view: Option<Zoom>,
    map: MapView,
    /// Sort the counts table by count (descending) instead of by name.
    by_count: bool,
    /// The drawn points' colours by the chosen column, made in a job per join and column.
    colours: Slot<(u64, String), Arc<layers::PointColours>>,
    /// The map as a chart for the Save buttons, rebuilt only when the join, the layers or the
    /// points' colours change.
    map_chart: Option<MapChart>,
    /// The first join (of the chosen samples) starts by itself when the panel is first shown.
    auto_started: bool,
    sample_run: super::SampleRun,
}

impl SpatialPanel {
    fn controls(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
        let names = ctx.catalog.names();
        let tried = self
            .sample_run
            .ready(ctx, &[&self.saved.points, &self.saved.polygons]);
        let s = &mut self.saved;
        let points = ctx.catalog.by_name(&s.points);
        let polys = ctx.catalog.by_name(&s.polygons);
        let cols = |d: &Option<Arc<crate::data::Dataset>>| -> Vec<String> {
            d.as_ref().map_or_else(Vec::new, |d| {
                d.frame
                    .get_column_names()
                    .iter()
                    .map(|c| c.to_string())
                    .collect()
            })
        };
        ui.horizontal_wrapped(|ui| {
            choice_combo(ui, "Points", &names, &mut s.points);
            let pc = cols(&points);
            choice_combo(ui, "Longitude", &pc, &mut s.lon_col);
            choice_combo(ui, "Latitude", &pc, &mut s.lat_col);
            ui.separator();
            choice_combo(ui, "Polygons", &names, &mut s.polygons);
            let poly_cols = cols(&polys);
            choice_combo(ui, "Name", &poly_cols, &mut s.name_col);
            // A table of polygons (not GeoJSON or a shapefile) names its WKT column.
            if polys.as_ref().is_some_and(|d| d.geometries.is_none()) {
                let mut wkt = vec![String::new()];
                wkt.extend(poly_cols.iter().cloned());
                egui::ComboBox::from_label("WKT column")
                    .selected_text(if s.wkt_col.is_empty() {
                        "found by itself".to_owned()
                    } else {
                        s.wkt_col.clone()
                    })
                    .show_ui(ui, |ui| {
                        for c in &wkt {
                            let text = if c.is_empty() { "found by itself" } else { c };
                            ui.selectable_value(&mut s.wkt_col, c.clone(), text);
                        }
                    })
                    .response
                    .on_hover_text("The column holding each polygon as WKT text");
            }
            crs_field(ui, &mut s.polygons_crs);
        });
        ui.horizontal_wrapped(|ui| {
            ui.label("Join:");
            ui.selectable_value(&mut s.method, Method::Exact, "Exact")
                .on_hover_text("Point in polygon, exactly");
            ui.selectable_value(&mut s.method, Method::H3, "H3")
                .on_hover_text("A point belongs to the polygon containing its H3 cell's centre");
            ui.add(
                egui::Slider::new(&mut s.resolution, usecase::RESOLUTION.range())
                    .text("H3 resolution"),
            )
            .on_hover_text(crate::panels::glossary::H3);
            let ready = points.is_some() && polys.is_some();
            let clicked = ui
                .add_enabled(ready, egui::Button::new("Join"))
                .on_hover_text("Join the points to the polygons as a background job")
                .clicked();
            keep_menu(ui, &cols(&polys), &mut s.keep_cols);
            // The first time the panel is shown it joins its samples by itself (not recorded),
            // so the map shows what the panel does before anything is pressed.
            let first = !self.auto_started && ready;
            if (clicked || first || tried)
                && let (Some(pts), Some(pol)) = (points, polys)
            {
                self.auto_started = true;
                let world = ctx.catalog.by_name("naturalearth_countries.geojson");
                let inputs = RunInputs {
                    fingerprints: vec![of_dataset("points", &pts), of_dataset("polygons", &pol)],
                    record: clicked || tried,
                };
                let (points, polygons) = (Arc::clone(&pts), Arc::clone(&pol));
                let started = self.join.start::<SpatialJoin>(
                    ctx,
                    s.params(),
                    inputs,
                    move |valid, job| SpatialJoin::run(valid, (&points, &polygons), job),
                    move |out, job| run::prepare(out, &pts, &pol, world.as_deref(), job),
                );
                if started {
                    self.zoom = Some(self.restored_view.unwrap_or(Zoom::Polygons));
                }
            }
            if self.join.is_pending() {
                ui.spinner();
            }
        });
    }

    /// The drawn points' colours by the chosen column: asked of a job when the join or the
    /// column changes; `None` for one colour or while it runs.
    fn point_colours(
        &mut self,
        ctx: &mut PanelCtx<'_>,
        r: &Arc<JoinRun>,
    ) -> Option<Arc<layers::PointColours>> {
        let column = self.saved.point_colour.clone();
        if column.is_empty() {
            return None;
        }
        let key = (r.run, column.clone());
        let job = Arc::clone(r);
        self.colours.request(
            ctx.jobs,
            key.clone(),
            format!("spatial:colours:{}:{column}", r.run),
            format!("Colour points by {column}"),
            move |_| {
                Ok(Arc::new(layers::colour_points(
                    &job.points_data,
                    &column,
                    &job.drawn_rows,
                )?))
            },
        );
        self.colours.get(&key).cloned()
    }

    fn layers_ui(
        &mut self,
        ui: &mut egui::Ui,
        r: &JoinResult,
        colours: Option<&layers::PointColours>,
    ) {
        let l = &mut self.saved.layers;
        ui.strong("Layers");
        ui.checkbox(&mut l.choropleth, "Polygons: points per polygon");
        ui.checkbox(
            &mut l.hexagons,
            format!("H3 cells (resolution {}): points per cell", r.resolution),
        );
        let sampled = if r.drawn_points.len() < r.points.len() {
            format!(
                "Points: a sample of {} of {}",
                r.drawn_points.len(),
                r.points.len()
            )
        } else {
            format!("Points: all {}", r.points.len())
        };
        ui.checkbox(&mut l.points, sampled);
        if l.points {
            ui.horizontal_wrapped(|ui| {
                let c = &mut self.saved.point_colour;
                let shown = if c.is_empty() {
                    "one colour"
                } else {
                    c.as_str()
                };
                egui::ComboBox::from_label("Colour points by")
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(c, String::new(), "one colour");
                        for name in r.points_data.column_names() {
                            ui.selectable_value(c, name.clone(), name);
                        }
                    });
            });
            if let Some(colours) = colours {
                ui.horizontal_wrapped(|ui| {
                    for (label, [r, g, b]) in &colours.legend {
                        crate::panels::wrap_unless_fits(
                            ui,
                            label,
                            14.0 + ui.spacing().item_spacing.x,
                        );
                        let (rect, _) =
                            ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                        ui.painter().circle_filled(
                            rect.center(),
                            4.0,
                            egui::Color32::from_rgb(*r, *g, *b),
                        );
                        ui.label(label);
                    }
                });
            }
        }
        ui.checkbox(&mut l.world, "World outline (Natural Earth)");
        ui.checkbox(&mut l.tiles, "OpenStreetMap tiles (online)")
            .on_hover_text("Download map tiles from openstreetmap.org; cached on disk");
        if l.tiles {
            // A blank background with no word was all an offline machine got.
            ui.weak(
                "Tiles need a network (or earlier visits in the disk cache); without them the \
                 background stays blank and the layers still draw.",
            );
        }
        if l.choropleth {
            classed_legend(
                ui,
                "Polygon colours: points per polygon",
                &r.assignment.counts,
                "polygon",
            );
        }
        if l.hexagons {
            let cells: Vec<u64> = r.cells.iter().map(|c| c.count).collect();
            classed_legend(ui, "Cell colours: points per H3 cell", &cells, "cell");
        }
        ui.horizontal(|ui| {
            if ui.button("Zoom to polygons").clicked() {
                self.zoom = Some(Zoom::Polygons);
            }
            if ui.button("Zoom to points").clicked() {
                self.zoom = Some(Zoom::Points);
            }
        });
    }

    fn counts_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>, r: &Arc<JoinRun>) {
        ui.horizontal(|ui| {
            ui.strong("Points per polygon");
            let rr = Arc::clone(r);
            save::table_buttons(ui, ctx, "the counts", "spatial-counts", move || {
                rr.out.counts_frame()
            });
        });
        let mut order: Vec<usize> = (0..r.set.names.len()).collect();
        if self.by_count {
            order.sort_by(|&a, &b| r.assignment.counts[b].cmp(&r.assignment.counts[a]));
        } else {
            order.sort_by(|&a, &b| r.set.names[a].cmp(&r.set.names[b]));
        }
        egui::Grid::new("spatial_counts")
            .striped(true)
            .show(ui, |ui| {
                let name_head = if self.by_count {
                    "name"
                } else {
                    "name (sorted)"
                };
                let count_head = if self.by_count {
                    "count (sorted)"
                } else {
                    "count"
                };
                if ui.button(name_head).clicked() {
                    self.by_count = false;
                }
                if ui.button(count_head).clicked() {
                    self.by_count = true;
                }
                ui.end_row();
                for &f in order.iter().take(300) {
                    ui.label(&r.set.names[f]);
                    ui.label(r.assignment.counts[f].to_string());
                    ui.end_row();
                }
                ui.label("no polygon");
                ui.label((r.points.len() - r.assignment.matched).to_string());
                ui.end_row();
            });
        ui.horizontal(|ui| {
            ui.label("Joined points:");
            let rr = Arc::clone(r);
            let data = ctx.catalog.by_name(&r.points_name);
            save::table_buttons(ui, ctx, "the joined points", "spatial-joined", move || {
                let Some(d) = &data else {
                    return Err(PolarsError::ComputeError(
                        "the points table is closed".into(),
                    ));
                };
                rr.out.joined_frame(d)
            });
        });
    }
}

/// The fill colours' meaning: one swatch per class with its range of counts and how many
/// shapes fall in it (the same classes the map and its export fill with).
fn classed_legend(ui: &mut egui::Ui, title: &str, counts: &[u64], shape: &str) {
    let classes = layers::Classes::of(counts.iter().copied().max().unwrap_or(0));
    ui.label(title);
    ui.horizontal_wrapped(|ui| {
        for (label, [r, g, b], n) in classes.legend(counts) {
            // A swatch and its label stay on one line.
            let text = format!("{label} ({})", crate::format::count_of(n, shape));
            crate::panels::wrap_unless_fits(ui, &text, 14.0 + ui.spacing().item_spacing.x);
            let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
            ui.painter()
                .rect_filled(rect, 2.0, egui::Color32::from_rgb(r, g, b));
            ui.label(text);
        }
    });
}

/// The map as a chart for PNG/SVG export: the layers on screen, through the one map builder.
fn map_chart(r: &JoinResult, layers: &Layers, colours: Option<&layers::PointColours>) -> Chart {
    let (points, point_colours, point_legend) = match (layers.points, colours) {
        (false, _) => Default::default(),
        (true, c) => (
            r.drawn_points.iter().map(|q| (q[0], q[1])).collect(),
            c.map(|c| c.colours.clone()).unwrap_or_default(),
            c.map(|c| c.legend.clone()).unwrap_or_default(),
        ),
    };
    layers::map_chart(layers::MapLayers {
        title: format!("{} joined to {}", r.points_name, r.polygons_name),
        source: format!("{} and {}", r.points_name, r.polygons_name),
        set: &r.set,
        counts: &r.assignment.counts,
        choropleth: layers.choropleth,
        cells: layers.hexagons.then_some(r.cells.as_slice()),
        points,
        point_colours,
        point_legend,
        nouns: ("points", "polygon"),
    })
}

impl Panel for SpatialPanel {
    fn id(&self) -> &'static str {
        "spatial"
    }

    fn datasets(&self) -> Vec<&str> {
        vec![self.saved.points.as_str(), self.saved.polygons.as_str()]
    }

    fn try_sample(&mut self) {
        self.saved = SpatialChoices::default();
        self.auto_started = true;
        self.sample_run.arm();
    }

    fn logic(&mut self, ctx: &mut PanelCtx<'_>) {
        self.join.poll(ctx);
        if let Some(e) = self.colours.poll() {
            ctx.notices.error(format!("Spatial: {e}"));
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
        self.controls(ui, ctx);
        // The results scroll under the controls, as every panel's do: in a small window the
        // map is reached by scrolling, not cut off.
        egui::ScrollArea::vertical()
            .id_salt("spatial_body")
            .show(ui, |ui| self.results_ui(ui, ctx));
    }

    fn save(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(&self.saved).unwrap_or_default();
        // A restored view not drawn yet is still the view.
        if let Some(Zoom::At { centre, zoom }) = self.restored_view.or_else(|| self.map.view()) {
            v["map"] = serde_json::json!({ "centre": centre, "zoom": zoom });
        }
        v
    }

    fn restore(&mut self, saved: &serde_json::Value) {
        if let Ok(s) = serde_json::from_value(saved.clone()) {
            self.saved = s;
        }
        let map = &saved["map"];
        if let Some(zoom) = map["zoom"].as_f64() {
            let centre = serde_json::from_value(map["centre"].clone()).unwrap_or(None);
            let at = Zoom::At { centre, zoom };
            self.restored_view = Some(at);
            self.zoom = Some(at);
        }
    }

    fn open_run(
        &mut self,
        run: &crate::runs::RunRecord,
        ctx: &mut PanelCtx<'_>,
    ) -> Result<(), String> {
        let params: JoinParams = run.params_as()?;
        let points = super::runs::reopen_input(run, "points", ctx)?;
        let polygons = super::runs::reopen_input(run, "polygons", ctx)?;
        self.saved.points = points;
        self.saved.polygons = polygons;
        self.saved.set_params(params);
        Ok(())
    }
}

impl SpatialPanel {
    fn results_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
        let Some(r) = self.join.latest().cloned() else {
            ui.separator();
            ui.label("Choose the points and the polygons, then Join.");
            return;
        };
        ui.separator();
        let method = match r.method {
            Method::Exact => "exact".to_owned(),
            Method::H3 => format!("H3 at resolution {}", r.resolution),
        };
        let mut head = format!(
            "{} points of {} joined to {} polygons of {} ({method}) in {:.3} s: {} matched, {} unmatched.",
            r.points.len(),
            r.points_name,
            r.set.names.len(),
            r.polygons_name,
            r.seconds,
            r.assignment.matched,
            r.points.len() - r.assignment.matched
        );
        head += &super::recorded_as(r.run_id);
        if let Some(a) = r.agreement {
            head += &format!(
                " Same polygon as the exact join for {:.2}% of the points.",
                100.0 * a
            );
        }
        if let Some(s) = r.points.skipped_text() {
            head += &format!(" {s}.");
        }
        if let Some(h) = join::no_match_hint(&r.points, r.set.bbox(), r.assignment.matched) {
            head += &format!(" {}{}.", h[..1].to_uppercase(), &h[1..]);
        }
        ui.label(head);
        for w in &r.warnings {
            ui.colored_label(ui.visuals().warn_fg_color, w);
        }
        super::stale_note(
            ui,
            (
                &format!("{} and {}", r.points_name, r.polygons_name),
                &(r.method, r.resolution),
            ),
            (
                &format!("{} and {}", self.saved.points, self.saved.polygons),
                &(self.saved.method, self.saved.resolution),
            ),
            "Join",
        );
        let layers = self.saved.layers;
        let colours = self.point_colours(ctx, &r);
        let fresh = self.map_chart.as_ref().is_some_and(|(jr, l, c, _)| {
            Arc::ptr_eq(jr, &r)
                && *l == layers
                && c.as_ref().map(Arc::as_ptr) == colours.as_ref().map(Arc::as_ptr)
        });
        if !fresh {
            let chart = Arc::new(map_chart(&r, &layers, colours.as_deref()));
            self.map_chart = Some((Arc::clone(&r), layers, colours.clone(), chart));
        }
        if let Some((_, _, _, chart)) = &self.map_chart {
            let chart = Arc::clone(chart);
            ui.horizontal(|ui| {
                ui.strong("Map");
                save::chart_buttons(ui, ctx, &chart, "spatial-map");
            });
        }
        let zoom = self.zoom.take();
        if zoom.is_some() && zoom == self.restored_view {
            self.restored_view = None;
        }
        // As tall as a small window allows (60% of it), up to 460 points.
        let h = (ui.ctx().content_rect().height() * 0.6).clamp(220.0, 460.0);
        ui.columns(2, |cols| {
            let hover = map::show(
                &mut cols[0],
                &mut self.map,
                (&r, colours.as_deref()),
                &self.saved.layers,
                zoom,
                h,
            );
            cols[0].label(hover.unwrap_or_else(|| {
                "Point at the map to read a polygon's or a cell's count.".to_owned()
            }));
            egui::ScrollArea::vertical()
                .id_salt("spatial_side")
                .max_height(h)
                .show(&mut cols[1], |ui| {
                    self.layers_ui(ui, &r, colours.as_deref());
                    ui.separator();
                    self.counts_ui(ui, ctx, &r);
                });
        });
    }
}

/// The polygons' coordinate system, typed as an EPSG code; empty means as the file says.
fn crs_field(ui: &mut egui::Ui, crs: &mut String) {
    crate::panels::wrap_unless_fits(ui, "CRS", 110.0);
    ui.add(
        egui::TextEdit::singleline(crs)
            .hint_text("as the file says")
            .desired_width(110.0),
    )
    .on_hover_text(
        "The polygons' coordinate system as an EPSG code (EPSG:2263 is New York's State Plane \
         in feet), for a file that does not say its own. A shapefile's .prj or a GeoJSON crs \
         member is read without it; empty means longitude and latitude (EPSG:4326).",
    );
    ui.label("CRS");
}

/// Which polygon columns each joined point carries (as GeoPandas' sjoin keeps them).
fn keep_menu(ui: &mut egui::Ui, columns: &[String], keep: &mut Vec<String>) {
    let title = if keep.is_empty() {
        "Keep columns".to_owned()
    } else {
        format!("Keep columns ({})", keep.len())
    };
    // Open until a click outside it: several columns are ticked in one go.
    let menu = egui::containers::menu::MenuButton::new(title).config(
        egui::containers::menu::MenuConfig::new()
            .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside),
    );
    let (response, _) = menu.ui(ui, |ui| {
        ui.label("Polygon columns added to each joined point:");
        for c in columns {
            let mut on = keep.contains(c);
            if ui.checkbox(&mut on, c).changed() {
                if on {
                    keep.push(c.clone());
                } else {
                    keep.retain(|k| k != c);
                }
            }
        }
    });
    response.on_hover_text(
        "Polygon attributes (a zone's borough, say) added to each point in the joined table",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crs_and_kept_columns_reach_the_join_params_and_come_back() {
        let choices = SpatialChoices {
            polygons_crs: " EPSG:2263 ".into(),
            keep_cols: vec!["BoroCode".into()],
            ..SpatialChoices::default()
        };
        let params = choices.params();
        assert_eq!(params.polygons_crs.as_deref(), Some("EPSG:2263"));
        assert_eq!(params.keep_cols, ["BoroCode"]);
        assert!(usecase::check(&params).is_ok());
        let mut back = SpatialChoices::default();
        back.set_params(params);
        assert_eq!(
            (back.polygons_crs.as_str(), back.keep_cols.as_slice()),
            ("EPSG:2263", ["BoroCode".to_owned()].as_slice())
        );
        // Empty: as the file says.
        let plain = SpatialChoices::default().params();
        assert_eq!(plain.polygons_crs, None);
        let typo = SpatialChoices {
            polygons_crs: "EPSG:99999999".into(),
            ..SpatialChoices::default()
        };
        assert!(usecase::check(&typo.params()).is_err());
    }
}
