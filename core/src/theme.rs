//! The few colours Playbook uses, in one place, for the app (egui) and exported charts
//! (plotters) alike. Plain RGB arrays so that nothing here depends on a GUI crate.

/// Colours of a chart.
#[derive(Clone, Copy, Debug)]
pub struct ChartColors {
    pub background: [u8; 3],
    pub grid: [u8; 3],
    pub bar: [u8; 3],
    pub bar_outline: [u8; 3],
    pub accent: [u8; 3],
}

impl ChartColors {
    /// Exported images use the light scheme: they end up in slides and documents.
    pub const LIGHT: Self = Self {
        background: [255, 255, 255],
        grid: [230, 230, 230],
        bar: [76, 120, 168],
        bar_outline: [40, 70, 110],
        accent: [228, 87, 86],
    };
}

/// The bar colour the panels use on screen (the same hue as exports).
pub const BAR: [u8; 3] = ChartColors::LIGHT.bar;
/// Marks that stand out: medians, selections.
pub const ACCENT: [u8; 3] = ChartColors::LIGHT.accent;
/// Error text.
pub const ERROR: [u8; 3] = [220, 60, 60];

/// Colours of successive lines in a chart (the first is the pattern or main series).
pub const LINES: [[u8; 3]; 6] = [
    [228, 87, 86],
    [76, 120, 168],
    [84, 162, 75],
    [178, 121, 162],
    [242, 142, 43],
    [114, 183, 178],
];
/// Categories that keep one colour in every chart, on screen and exported, whatever else the
/// chart shows: pitch types as Baseball Savant draws them (the colours its users know), and
/// the sentiment classes.
const CATEGORIES: [(&str, [u8; 3]); 18] = [
    ("FF", [210, 45, 73]),
    ("SI", [254, 157, 0]),
    ("FC", [147, 63, 44]),
    ("SL", [238, 231, 22]),
    ("ST", [221, 179, 58]),
    ("SV", [147, 175, 212]),
    ("CU", [0, 209, 237]),
    ("KC", [98, 54, 205]),
    ("CS", [0, 104, 255]),
    ("CH", [29, 190, 58]),
    ("FS", [59, 172, 172]),
    ("FO", [85, 204, 171]),
    ("KN", [60, 68, 205]),
    ("EP", [136, 136, 136]),
    ("positive", [84, 162, 75]),
    ("negative", [228, 87, 86]),
    ("neutral", [150, 150, 150]),
    // A guide, not a series: the strike zone's outline.
    ("strike", [150, 150, 150]),
];

/// The colour of series `k`, named `name`, of a chart: a known category's own colour
/// (`CATEGORIES`, by the name's first word: "FF", "FF band", "FF (5-pitch mean)"), else the
/// palette's `k`-th. Screen and export both ask this, so a pitcher's four-seamer is red in every
/// chart of every pitcher.
pub(crate) fn series_colour(name: &str, k: usize) -> [u8; 3] {
    let first = name.split([' ', '(']).next().unwrap_or(name);
    CATEGORIES
        .iter()
        .find(|(n, _)| *n == first)
        .map_or(LINES[k % LINES.len()], |(_, c)| *c)
}

/// Warping-path segments and other thin guides.
pub const GUIDE: [u8; 3] = [150, 150, 150];
/// Observations drawn as dots (a forecast's actuals).
pub(crate) const DOTS: [u8; 3] = [45, 45, 45];

/// A sequential colour ramp (viridis stops), `t` in 0..=1.
pub fn ramp(t: f64) -> [u8; 3] {
    const STOPS: [[f64; 3]; 5] = [
        [68.0, 1.0, 84.0],
        [59.0, 82.0, 139.0],
        [33.0, 145.0, 140.0],
        [94.0, 201.0, 98.0],
        [253.0, 231.0, 37.0],
    ];
    let t = t.clamp(0.0, 1.0) * (STOPS.len() - 1) as f64;
    let i = (t.floor() as usize).min(STOPS.len() - 2);
    let f = t - i as f64;
    let c = |k: usize| (STOPS[i][k] + f * (STOPS[i + 1][k] - STOPS[i][k])).round() as u8;
    [c(0), c(1), c(2)]
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_category_keeps_its_colour_in_every_series_named_after_it() {
        let ff = super::series_colour("FF", 3);
        assert_eq!(super::series_colour("FF (5-pitch mean)", 0), ff);
        assert_eq!(super::series_colour("FF band", 5), ff);
        assert_ne!(super::series_colour("FFX", 0), ff);
        assert_eq!(super::series_colour("sales", 1), super::LINES[1]);
    }
}
