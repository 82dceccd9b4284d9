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
/// Warping-path segments and other thin guides.
pub const GUIDE: [u8; 3] = [150, 150, 150];
/// Observations drawn as dots (a forecast's actuals).
pub const DOTS: [u8; 3] = [45, 45, 45];
