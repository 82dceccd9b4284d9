//! Maps in longitude and latitude: shapes filled or outlined, then points, the fills' legend
//! in a column on the right.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{FONT, axes, framed, rgb};
use crate::chart::{Chart, MapShape};
use crate::theme::ChartColors;

/// Draws the shapes, then the points (each in its colour, or the accent), framed by
/// `chart::map_frame` and widened so a kilometre is as long across as up.
pub(super) fn draw<DB: DrawingBackend>(
    chart: &Chart,
    shapes: &[MapShape],
    points: &[(f64, f64)],
    point_colours: &[[u8; 3]],
    legend: &[(String, [u8; 3])],
    root: &DrawingArea<DB, Shift>,
) -> Result<(), String> {
    let e = |err: DrawingAreaErrorKind<DB::ErrorType>| err.to_string();
    let colors = ChartColors::LIGHT;
    // The one framing rule of maps (`chart::map_frame`: far-off points and cells, e.g.
    // at 0,0, left out and counted, the count said under the legend).
    let frame = crate::chart::map_frame(shapes, points);
    let note = frame.filter(|f| f.left_out_points > 0).map(|f| {
        format!(
            "{} far from the rest (e.g. at 0, 0) not shown",
            crate::format::count_of(f.left_out_points, "point")
        )
    });
    // The legend of the fills goes in a column right of the map, as a lines legend does.
    let (full_w, _) = root.dim_in_pixel();
    let legend_w = if legend.is_empty() && note.is_none() {
        0
    } else {
        let longest = legend
            .iter()
            .map(|(l, _)| l.chars().count())
            .chain(note.as_ref().map(|n| n.chars().count() * 14 / 15))
            .max()
            .unwrap_or(0);
        (44 + 8 * longest as u32).min(360)
    };
    let (map_area, legend_area) =
        root.split_horizontally(full_w.saturating_sub(legend_w).max(full_w / 2));
    if !legend.is_empty() {
        let font = (FONT, 15).into_font().color(&BLACK);
        for (k, (label, fill)) in legend.iter().enumerate() {
            let y = 64 + 22 * k as i32;
            legend_area
                .draw(&Rectangle::new(
                    [(6, y - 7), (28, y + 7)],
                    rgb(*fill).mix(0.85).filled(),
                ))
                .map_err(e)?;
            legend_area
                .draw(&Text::new(label.clone(), (34, y - 8), font.clone()))
                .map_err(e)?;
        }
    }
    if let Some(note) = note {
        let font = (FONT, 14).into_font().color(&RGBColor(90, 90, 90));
        let y = 64 + 22 * legend.len() as i32;
        legend_area
            .draw(&Text::new(note, (6, y), font))
            .map_err(e)?;
    }
    let root = &map_area;
    // Widened so that a kilometre is as long across as up at the map's latitude.
    let [mut x0, mut y0, mut x1, mut y1] = frame.map_or([0.0, 0.0, 1.0, 1.0], |f| f.bbox);
    let squash = ((y0 + y1) / 2.0).to_radians().cos().max(0.1);
    let (w, h) = root.dim_in_pixel();
    let want = f64::from(w.saturating_sub(140).max(1)) / f64::from(h.saturating_sub(110).max(1));
    let (dx, dy) = ((x1 - x0) * squash, y1 - y0);
    if dx / dy.max(1e-12) < want {
        let grow = (dy * want / squash - (x1 - x0)) / 2.0;
        (x0, x1) = (x0 - grow, x1 + grow);
    } else {
        let grow = (dx / want - dy) / 2.0;
        (y0, y1) = (y0 - grow, y1 + grow);
    }
    let points: Vec<((f64, f64), [u8; 3])> = points
        .iter()
        .enumerate()
        .map(|(k, &p)| (p, point_colours.get(k).copied().unwrap_or(colors.accent)))
        .filter(|&((x, y), _)| x >= x0 && x <= x1 && y >= y0 && y <= y1)
        .collect();
    let mut c = framed(root, chart, 50)
        .build_cartesian_2d(x0..x1.max(x0 + 1e-9), y0..y1.max(y0 + 1e-9))
        .map_err(e)?;
    axes(&mut c.configure_mesh(), chart, false)
        .draw()
        .map_err(e)?;
    // Shapes wholly outside the frame (a cell around points at 0,0) are not drawn.
    let inside = |&(x, y): &(f64, f64)| x >= x0 && x <= x1 && y >= y0 && y <= y1;
    for s in shapes.iter().filter(|s| s.ring.iter().any(inside)) {
        if let Some(f) = s.fill {
            c.draw_series(std::iter::once(Polygon::new(
                s.ring.clone(),
                rgb(f).mix(0.85).filled(),
            )))
            .map_err(e)?;
        }
        c.draw_series(std::iter::once(PathElement::new(
            s.ring.clone(),
            rgb(crate::theme::GUIDE).stroke_width(1),
        )))
        .map_err(e)?;
    }
    // Points small and see-through, so the fills under them still read.
    c.draw_series(
        points
            .iter()
            .map(|&(p, colour)| Circle::new(p, 1, rgb(colour).mix(0.45).filled())),
    )
    .map_err(e)?;
    Ok(())
}
