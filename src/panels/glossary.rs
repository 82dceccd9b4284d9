//! The analyses' terms in plain words, one line each, for the hover text beside them. Written
//! once here so that every panel explains a term the same way.

pub(crate) const SMAPE: &str = "sMAPE: the average error as a percentage of the actual and forecast \
    values (0 is perfect; under 20 is usually good for daily sales).";
pub const MASE: &str = "MASE: the error divided by the error of repeating last week (below 1 \
    beats that naive forecast).";
pub(crate) const COVERAGE: &str = "Coverage: the share of held-out days that fell inside the interval \
    (close to the interval's level, e.g. 0.95, is honest).";
pub(crate) const SEASONAL_NAIVE: &str = "Seasonal naive: the forecast that repeats the last week; the \
    baseline a model has to beat.";
pub(crate) const STRETCH: &str = "Stretch factor: how far in time the matching may shift, as a share of \
    the series' length (0 compares step by step; 0.1 lets a peak move by a tenth of the series).";
pub(crate) const BAND_CELLS: &str = "Band: how many time steps either side each point may be matched \
    to (the stretch factor in steps).";
pub const Z: &str = "|z|: how many standard deviations a distance is from the average distance \
    (above 2 is unusual).";
pub(crate) const ONE_NN: &str = "1-NN: each test series gets the label of the single most similar \
    training series.";
pub const H3: &str = "H3 resolution: the size of the hexagonal cells (7: about 5 km², 9: about \
    0.1 km²); finer cells follow borders more closely and take longer.";

/// The forecast's three scores and its baseline, for hover text on a line that shows them.
pub(crate) fn forecast_scores() -> String {
    [SMAPE, MASE, COVERAGE, SEASONAL_NAIVE].join("\n")
}
