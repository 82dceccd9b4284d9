//! Chart rendering with plotters: the same drawing code targets a bitmap (encoded as PNG) and
//! an SVG string. Text uses the Ubuntu font that egui ships, so output does not depend on the
//! fonts installed on the machine. Each chart kind draws in its own module; this one holds what
//! they share: the font, the colours, the legend box and the axis numbers.

use std::sync::Once;

use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::chart::{Chart, ChartData};
use crate::theme::ChartColors;

mod categories;
mod heatmap;
mod histogram;
mod lines;
mod map;

const FONT: &str = "sans-serif";

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are a known-good TTF bundled by egui; failure would leave text unrendered.
        let _ = plotters::style::register_font(
            FONT,
            FontStyle::Normal,
            epaint_default_fonts::UBUNTU_LIGHT,
        );
    });
}

pub(super) fn png(chart: &Chart, size: (u32, u32)) -> Result<Vec<u8>, String> {
    png_of(size, |root| draw(chart, root))
}

pub(super) fn svg(chart: &Chart, size: (u32, u32)) -> Result<String, String> {
    svg_of(size, |root| draw(chart, root))
}

/// A PNG of `(w, h)` pixels painted by `paint`.
fn png_of(
    (w, h): (u32, u32),
    paint: impl FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>) -> Result<(), String>,
) -> Result<Vec<u8>, String> {
    register_font();
    let mut buf = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        paint(&root)?;
        root.present().map_err(|e| e.to_string())?;
    }
    let mut out = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut out),
        &buf,
        w,
        h,
        image::ExtendedColorType::Rgb8,
    )
    .map_err(|e| e.to_string())?;
    Ok(out)
}

/// An SVG of `size` painted by `paint`.
fn svg_of(
    size: (u32, u32),
    paint: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), String>,
) -> Result<String, String> {
    register_font();
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, size).into_drawing_area();
        paint(&root)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(text)
}

/// Columns and rows of a grid of `n` charts: up to three across.
fn grid(n: usize) -> (usize, usize) {
    let cols = n.clamp(1, 3);
    (cols, n.div_ceil(cols))
}

/// Several charts in a grid, each `cell` pixels (scaled down so the image stays under
/// 3,000 pixels wide).
fn draw_grid<DB: DrawingBackend>(
    charts: &[Chart],
    root: &DrawingArea<DB, Shift>,
) -> Result<(), String> {
    let (cols, rows) = grid(charts.len());
    let [r, g, b] = ChartColors::LIGHT.background;
    root.fill(&RGBColor(r, g, b)).map_err(|e| e.to_string())?;
    let cells = root.split_evenly((rows, cols));
    for (chart, cell) in charts.iter().zip(cells.iter()) {
        draw(chart, cell)?;
    }
    Ok(())
}

fn grid_size(n: usize, (w, h): (u32, u32)) -> (u32, u32) {
    let (cols, rows) = grid(n);
    // Cells of two thirds of a single chart, readable side by side.
    let (cw, ch) = (w * 2 / 3, h * 2 / 3);
    (cw * cols as u32, ch * rows as u32)
}

pub(super) fn png_grid(charts: &[Chart], cell: (u32, u32)) -> Result<Vec<u8>, String> {
    png_of(grid_size(charts.len(), cell), |root| {
        draw_grid(charts, root)
    })
}

pub(super) fn svg_grid(charts: &[Chart], cell: (u32, u32)) -> Result<String, String> {
    svg_of(grid_size(charts.len(), cell), |root| {
        draw_grid(charts, root)
    })
}

/// The legend box: the series' labels on a translucent white background.
fn legend<'a, DB, CT>(c: &mut ChartContext<'a, DB, CT>, border: RGBColor) -> Result<(), String>
where
    DB: DrawingBackend + 'a,
    CT: CoordTranslate,
{
    c.configure_series_labels()
        .label_font((FONT, 16))
        .background_style(WHITE.mix(0.8))
        .border_style(border)
        .draw()
        .map_err(|err| err.to_string())
}

/// A chart's frame on `root`: its title above the plot, `x_area` pixels below it for the x
/// labels and 80 to its left for the y labels.
fn framed<'a, 'b, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    chart: &Chart,
    x_area: u32,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(root);
    builder
        .caption(&chart.title, (FONT, 26))
        .margin(20)
        .x_label_area_size(x_area)
        .y_label_area_size(80);
    builder
}

/// The axes every chart kind shares: named as the chart says, in the same type sizes, with the
/// grid in the chart colours (`grid`) or none (maps).
fn axes<'m, 'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
    chart: &Chart,
    grid: bool,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB> {
    let colors = ChartColors::LIGHT;
    mesh.x_desc(&chart.x_label)
        .y_desc(&chart.y_label)
        .label_style((FONT, 16))
        .axis_desc_style((FONT, 18));
    if grid {
        mesh.bold_line_style(rgb(colors.grid))
            .light_line_style(rgb(colors.background))
    } else {
        mesh.disable_mesh()
    }
}

/// The colour of an RGB triple.
fn rgb([r, g, b]: [u8; 3]) -> RGBColor {
    RGBColor(r, g, b)
}

/// Paints `chart` on `root`: the background and source line, then the drawing of its kind.
fn draw<DB: DrawingBackend>(chart: &Chart, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
    // Lines spanning more than f64 holds (1e308 to -1e308) hung plotters' tick search: drawn
    // in units of a power of ten instead, said on the axis.
    let rescaled = lines::rescaled(chart);
    let chart = rescaled.as_ref().unwrap_or(chart);
    let e = |err: DrawingAreaErrorKind<DB::ErrorType>| err.to_string();
    let colors = ChartColors::LIGHT;
    root.fill(&rgb(colors.background)).map_err(e)?;
    // Where the numbers came from, in small grey type at the foot of the image.
    if let Some(source) = &chart.source {
        let (_, h) = root.dim_in_pixel();
        let font = (FONT, 13).into_font().color(&rgb(crate::theme::GUIDE));
        root.draw(&Text::new(
            format!("Data: {source}"),
            (8, h as i32 - 18),
            font,
        ))
        .map_err(e)?;
    }
    match &chart.data {
        ChartData::Histogram(h) => histogram::draw(chart, h, root),
        ChartData::Bars { labels, values } => categories::bars(chart, labels, values, root),
        ChartData::Boxes { labels, boxes } => categories::boxes(chart, labels, boxes, root),
        ChartData::Map {
            shapes,
            points,
            point_colours,
            legend,
        } => map::draw(chart, shapes, points, point_colours, legend, root),
        ChartData::Heatmap {
            rows,
            columns,
            values,
        } => heatmap::draw(chart, rows, columns, values, root),
        ChartData::Lines { segments, .. } => lines::draw(chart, segments, root),
    }
}

/// 1, or a power of ten that brings a range whose span overflows f64 back into range.
fn span_scale(lo: f64, hi: f64) -> f64 {
    let span = hi - lo;
    if span.is_finite() && span < 1e300 {
        1.0
    } else {
        10f64.powi(lo.abs().max(hi.abs()).log10().floor() as i32 - 3)
    }
}

/// An axis tick: short, without trailing zeros ("0.1", not "0.100").
fn axis_number(v: f64) -> String {
    // Whole numbers from ten thousand on read with separators ("72,000"), as on screen; years
    // and small counts stay as they are.
    if v == v.trunc() && (1e4..1e15).contains(&v.abs()) {
        let sign = if v < 0.0 { "-" } else { "" };
        return format!("{sign}{}", crate::format::whole(v.abs() as usize));
    }
    let s = crate::format::short(v);
    if s.contains('.') && !s.contains('e') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {

    /// Bars of -1e308 and 1e308 span an infinite range: the export draws them (cut to the
    /// axis) instead of searching for ticks forever.
    #[test]
    fn bars_spanning_the_whole_float_range_are_drawn() {
        let chart = Chart::new(
            "huge",
            "g",
            "v",
            crate::chart::ChartData::Bars {
                labels: vec!["a".into(), "b".into(), "c".into()],
                values: vec![-1e308, 1e308, 5.0],
            },
        );
        assert!(png(&chart, (400, 300)).is_ok_and(|b| !b.is_empty()));
        assert!(svg(&chart, (400, 300)).is_ok_and(|s| s.contains("<svg")));
        assert_eq!(
            drawable_range(f64::NEG_INFINITY, f64::INFINITY),
            (-1e307, 1e307)
        );
        let (lo, hi) = drawable_range(1e308, 1e308);
        assert!(lo < hi && hi.is_finite(), "{lo} {hi}");
    }

    use super::categories::drawable_range;
    use super::lines::x_ticks;
    use super::*;

    #[test]
    fn date_axes_are_ticked_at_month_starts_and_big_numbers_grouped() {
        // 2016-10-20 to 2017-12-31 in days since 1970.
        let (x0, x1) = (17_094.0, 17_531.0);
        let chart = Chart::lines("t", "date", "y", Vec::new(), Vec::new()).dated();
        let ticks = x_ticks(&chart, x0, x1, 7);
        assert!(!ticks.is_empty() && ticks.len() <= 7, "{ticks:?}");
        for t in &ticks {
            assert!(
                crate::format::date(*t).ends_with("-01"),
                "{}",
                crate::format::date(*t)
            );
        }
        // Not dates: round numbers, as plotters places them.
        let plain = Chart::lines("t", "x", "y", Vec::new(), Vec::new());
        let round = x_ticks(&plain, 0.0, 100.0, 7);
        assert!(round.iter().any(|t| (t - 40.0).abs() < 1e-9), "{round:?}");
        // Whole x values (epochs 1 to 3): whole ticks only.
        let epochs = Chart::lines(
            "t",
            "epoch",
            "loss",
            vec![crate::chart::Line::new(
                "l",
                vec![(1.0, 2.0), (2.0, 1.0), (3.0, 0.5)],
            )],
            Vec::new(),
        )
        .whole_x();
        assert_eq!(x_ticks(&epochs, 1.0, 3.0, 7), [1.0, 2.0, 3.0]);
        assert_eq!(axis_number(72_000.0), "72,000");
        assert_eq!(axis_number(-1_250_000.0), "-1,250,000");
        assert_eq!(axis_number(2017.0), "2017");
        assert_eq!(axis_number(0.25), "0.25");
    }

    #[test]
    fn map_points_are_drawn_in_their_own_colours_with_the_legend() {
        let chart = Chart::new(
            "m",
            "longitude",
            "latitude",
            ChartData::Map {
                shapes: Vec::new(),
                points: vec![(0.0, 0.0), (1.0, 1.0), (0.5, 0.5)],
                point_colours: vec![[1, 2, 3], [200, 100, 50], [1, 2, 3]],
                legend: vec![
                    ("kind: a".into(), [1, 2, 3]),
                    ("kind: b".into(), [200, 100, 50]),
                ],
            },
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.svg");
        crate::export::write_chart(&chart, &path).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(
            svg.contains("#010203") && svg.contains("#C86432"),
            "the points' colours"
        );
        assert!(svg.contains("kind: b"), "the legend");
    }
}
