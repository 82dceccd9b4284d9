//! The window's icon, drawn at start-up from the same design as `assets/playbook.svg` (bars in
//! the chart colour under a line in the accent colour, on a dark rounded square), so no image
//! file needs decoding.

use crate::theme;

/// The SVG's shapes on its 256-unit canvas.
const BARS: [[f32; 4]; 4] = [
    [48.0, 150.0, 78.0, 210.0],
    [92.0, 118.0, 122.0, 210.0],
    [136.0, 134.0, 166.0, 210.0],
    [180.0, 92.0, 210.0, 210.0],
];
const LINE: [[f32; 2]; 4] = [[50.0, 112.0], [100.0, 76.0], [148.0, 96.0], [206.0, 48.0]];
const BACKGROUND: [u8; 3] = [0x1f, 0x2a, 0x36];

/// Distance from `p` to the segment a–b.
fn to_segment(p: [f32; 2], a: [f32; 2], b: [f32; 2]) -> f32 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let t = (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
    ((p[0] - a[0] - t * dx).powi(2) + (p[1] - a[1] - t * dy).powi(2)).sqrt()
}

/// The colour of the design at canvas point `p`, if any.
fn shade(p: [f32; 2]) -> Option<[u8; 3]> {
    let on_line = LINE.windows(2).any(|w| to_segment(p, w[0], w[1]) <= 6.0)
        || ((p[0] - 206.0).powi(2) + (p[1] - 48.0).powi(2)).sqrt() <= 12.0;
    if on_line {
        return Some(theme::ACCENT);
    }
    if BARS
        .iter()
        .any(|b| p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3])
    {
        return Some(theme::BAR);
    }
    // The rounded square: 8..248 with corners of radius 44.
    let c = [p[0].clamp(52.0, 204.0), p[1].clamp(52.0, 204.0)];
    let inside = (8.0..=248.0).contains(&p[0])
        && (8.0..=248.0).contains(&p[1])
        && ((p[0] - c[0]).powi(2) + (p[1] - c[1]).powi(2)).sqrt() <= 44.0;
    inside.then_some(BACKGROUND)
}

/// The icon as `size` × `size` RGBA pixels (each pixel sampled at its centre).
pub(crate) fn icon(size: u32) -> egui::IconData {
    let scale = 256.0 / size as f32;
    let mut rgba = Vec::with_capacity((size * size * 4) as usize);
    for y in 0..size {
        for x in 0..size {
            let p = [(x as f32 + 0.5) * scale, (y as f32 + 0.5) * scale];
            match shade(p) {
                Some([r, g, b]) => rgba.extend([r, g, b, 255]),
                None => rgba.extend([0, 0, 0, 0]),
            }
        }
    }
    egui::IconData {
        rgba,
        width: size,
        height: size,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_icon_has_its_background_bars_line_and_transparent_corners() {
        let i = icon(64);
        assert_eq!(i.rgba.len(), 64 * 64 * 4);
        let at = |x: usize, y: usize| {
            let k = 4 * (y * 64 + x);
            [i.rgba[k], i.rgba[k + 1], i.rgba[k + 2], i.rgba[k + 3]]
        };
        assert_eq!(at(0, 0)[3], 0, "a corner is transparent");
        let [r, g, b] = BACKGROUND;
        assert_eq!(at(32, 8), [r, g, b, 255]);
        let [r, g, b] = theme::BAR;
        assert_eq!(at(48, 48), [r, g, b, 255], "the tallest bar");
        let [r, g, b] = theme::ACCENT;
        assert_eq!(at(51, 12), [r, g, b, 255], "the line's end");
    }
}
