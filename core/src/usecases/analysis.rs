//! The use-case contract as a type: every analysis a use case offers implements [`Analysis`]
//! once, so the faces (a CLI command through `RecordRuns::analyse`, a panel's job, the demo, the
//! wheel) can be written against the contract instead of against each case's free functions.
//! The free functions (`check`, `run`, …) stay the implementation; this trait names them
//! alike, and the types say that only checked params can be run.

use std::path::Path;

use anyhow::Result;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::record::Recordable;
use super::{ParamError, dtw, forecast, fraud, images, pitching, sentiment, spatial, stock};
use crate::compute::Progress;
use crate::compute::images::train::Epoch;
use crate::data::Dataset;
use crate::data::audio::Clip;
use crate::data::images::Folder;
use crate::data::ucr::LabelledSeries;

/// One analysis of a use case: what a user edits, its checked form, what it reads and what it
/// makes.
pub trait Analysis {
    /// Its name in the run store (a registry entry lists it in `runs`).
    const ID: &'static str;
    /// What it is called where a person reads it: a job in the jobs list, the start of its
    /// errors in the status bar.
    const NAME: &'static str;
    /// What a user edits: serde with defaults, stored with each run. Its `Default` is the one
    /// place the analysis's defaults are written.
    type Params: Serialize + DeserializeOwned + Default + Clone;
    /// What `check` returns: a distinct type, the only one `run` accepts.
    type Valid;
    /// What it reads (tables, series, clips, a folder).
    type Inputs<'a>;
    /// What it makes: recorded in the run store, and turned into charts, tables and metrics.
    type Output: Recordable;

    /// The params, or the first one out of range, named with what it accepts.
    fn check(params: &Self::Params) -> Result<Self::Valid, ParamError>;

    /// Run on checked params, reporting to `progress` (which can cancel).
    fn run(
        valid: &Self::Valid,
        inputs: Self::Inputs<'_>,
        progress: &dyn Progress,
    ) -> Result<Self::Output>;
}

/// Out-of-stock detection over daily store × SKU rows.
pub struct StockAlerts;

impl Analysis for StockAlerts {
    const ID: &'static str = stock::ID;
    const NAME: &'static str = "Stock alerts";
    type Params = stock::StockParams;
    type Valid = stock::ValidStockParams;
    type Inputs<'a> = &'a Dataset;
    type Output = stock::StockOutput;

    fn check(params: &Self::Params) -> Result<Self::Valid, ParamError> {
        stock::check(params)
    }

    fn run(valid: &Self::Valid, inputs: &Dataset, progress: &dyn Progress) -> Result<Self::Output> {
        stock::run(valid, inputs, progress)
    }
}

/// One forecast per group of a long table.
pub struct Forecast;

impl Analysis for Forecast {
    const ID: &'static str = forecast::ID;
    const NAME: &'static str = "Forecast";
    type Params = forecast::ForecastParams;
    type Valid = forecast::ValidForecastParams;
    type Inputs<'a> = &'a Dataset;
    type Output = forecast::ForecastOutput;

    fn check(params: &Self::Params) -> Result<Self::Valid, ParamError> {
        forecast::check(params)
    }

    fn run(valid: &Self::Valid, inputs: &Dataset, progress: &dyn Progress) -> Result<Self::Output> {
        forecast::run(valid, inputs, progress)
    }
}

/// Transactions labelled, a decision tree trained and scored.
pub struct FraudTree;

impl Analysis for FraudTree {
    const ID: &'static str = fraud::ID;
    const NAME: &'static str = "Fraud decision tree";
    type Params = fraud::FraudParams;
    type Valid = fraud::ValidFraudParams;
    type Inputs<'a> = &'a Dataset;
    type Output = fraud::FraudOutput;

    fn check(params: &Self::Params) -> Result<Self::Valid, ParamError> {
        fraud::check(params)
    }

    fn run(valid: &Self::Valid, inputs: &Dataset, progress: &dyn Progress) -> Result<Self::Output> {
        fraud::run(valid, inputs, progress)
    }
}

/// A season's pitches scored against each pitcher's history (and an optional earlier table).
pub struct PitchingFlags;

impl Analysis for PitchingFlags {
    const ID: &'static str = pitching::ID;
    const NAME: &'static str = "Pitching flags";
    type Params = pitching::PitchingParams;
    type Valid = pitching::ValidPitchingParams;
    /// The pitches, and earlier pitches for the baselines.
    type Inputs<'a> = (&'a Dataset, Option<&'a Dataset>);
    type Output = pitching::PitchingOutput;

    fn check(params: &Self::Params) -> Result<Self::Valid, ParamError> {
        pitching::check(params)
    }

    fn run(
        valid: &Self::Valid,
        (pitches, history): Self::Inputs<'_>,
        progress: &dyn Progress,
    ) -> Result<Self::Output> {
        pitching::run(valid, pitches, history, progress)
    }
}

/// Tweets scored and summed per window against prices.
pub struct SentimentWindows;

impl Analysis for SentimentWindows {
    const ID: &'static str = sentiment::ID;
    const NAME: &'static str = "Sentiment against prices";
    type Params = sentiment::SentimentParams;
    type Valid = sentiment::ValidSentimentParams;
    /// Tweets, then prices, then the trained model that scores the tweets (None: VADER).
    type Inputs<'a> = (
        &'a Dataset,
        &'a Dataset,
        Option<&'a crate::compute::sentiment::classify::Trained>,
    );
    type Output = sentiment::SentimentOutput;

    fn check(params: &Self::Params) -> Result<Self::Valid, ParamError> {
        sentiment::check_params(params)
    }

    fn run(
        valid: &Self::Valid,
        (tweets, prices, model): Self::Inputs<'_>,
        progress: &dyn Progress,
    ) -> Result<Self::Output> {
        sentiment::run(valid, tweets, prices, model, progress)
    }
}

/// VADER and trained classifiers compared on a labelled table.
pub struct SentimentClassifiers;

impl Analysis for SentimentClassifiers {
    const ID: &'static str = sentiment::classifiers::ID;
    const NAME: &'static str = "Sentiment classifiers";
    type Params = sentiment::classifiers::ClassifierParams;
    type Valid = sentiment::classifiers::ValidClassifierParams;
    type Inputs<'a> = &'a Dataset;
    type Output = sentiment::classifiers::Comparison;

    fn check(params: &Self::Params) -> Result<Self::Valid, ParamError> {
        sentiment::classifiers::check(params)
    }

    fn run(valid: &Self::Valid, inputs: &Dataset, progress: &dyn Progress) -> Result<Self::Output> {
        sentiment::classifiers::compare(valid, inputs, progress)
    }
}

/// Points joined to the polygons that contain them.
pub struct SpatialJoin;

impl Analysis for SpatialJoin {
    const ID: &'static str = spatial::ID_JOIN;
    const NAME: &'static str = "Spatial join";
    type Params = spatial::JoinParams;
    type Valid = spatial::ValidJoinParams;
    /// Points, then polygons.
    type Inputs<'a> = (&'a Dataset, &'a Dataset);
    type Output = spatial::JoinOutput;

    fn check(params: &Self::Params) -> Result<Self::Valid, ParamError> {
        spatial::check(params)
    }

    fn run(
        valid: &Self::Valid,
        (points, polygons): Self::Inputs<'_>,
        progress: &dyn Progress,
    ) -> Result<Self::Output> {
        spatial::join(valid, points, polygons, progress)
    }
}

/// Points counted per H3 cell.
pub struct Hexbin;

impl Analysis for Hexbin {
    const ID: &'static str = spatial::ID_HEXBIN;
    const NAME: &'static str = "Hexagon bins";
    type Params = spatial::HexbinParams;
    type Valid = spatial::ValidHexbinParams;
    type Inputs<'a> = &'a Dataset;
    type Output = spatial::HexbinOutput;

    fn check(params: &Self::Params) -> Result<Self::Valid, ParamError> {
        spatial::check_hexbin(params)
    }

    fn run(valid: &Self::Valid, inputs: &Dataset, progress: &dyn Progress) -> Result<Self::Output> {
        spatial::hexbin(valid, inputs, progress)
    }
}

/// One pattern against every series of a table.
pub struct DtwMatch;

impl Analysis for DtwMatch {
    const ID: &'static str = dtw::ID_MATCH;
    const NAME: &'static str = "DTW distances";
    type Params = dtw::MatchParams;
    type Valid = dtw::ValidMatchParams;
    /// The series, and a table holding the pattern when it is not one of them.
    type Inputs<'a> = (&'a Dataset, Option<&'a Dataset>);
    type Output = dtw::MatchOutput;

    fn check(params: &Self::Params) -> Result<Self::Valid, ParamError> {
        dtw::check_match(params)
    }

    fn run(
        valid: &Self::Valid,
        (series, curve): Self::Inputs<'_>,
        progress: &dyn Progress,
    ) -> Result<Self::Output> {
        dtw::run_match(valid, series, curve, progress)
    }
}

/// Distances at several stretch factors.
pub struct DtwSweep;

impl Analysis for DtwSweep {
    const ID: &'static str = dtw::ID_SWEEP;
    const NAME: &'static str = "DTW stretch sweep";
    type Params = dtw::SweepParams;
    type Valid = dtw::ValidSweepParams;
    /// The series, and a table holding the pattern when it is not one of them.
    type Inputs<'a> = (&'a Dataset, Option<&'a Dataset>);
    type Output = dtw::SweepOutput;

    fn check(params: &Self::Params) -> Result<Self::Valid, ParamError> {
        dtw::check_sweep(params)
    }

    fn run(
        valid: &Self::Valid,
        (series, curve): Self::Inputs<'_>,
        progress: &dyn Progress,
    ) -> Result<Self::Output> {
        dtw::run_sweep(valid, series, curve, progress)
    }
}

/// The distances between every two series, clustered.
pub struct DtwMatrix;

impl Analysis for DtwMatrix {
    const ID: &'static str = dtw::ID_MATRIX;
    const NAME: &'static str = "DTW all pairs";
    type Params = dtw::MatrixParams;
    type Valid = dtw::ValidMatrixParams;
    type Inputs<'a> = &'a Dataset;
    type Output = dtw::MatrixOutput;

    fn check(params: &Self::Params) -> Result<Self::Valid, ParamError> {
        dtw::check_matrix(params)
    }

    fn run(valid: &Self::Valid, inputs: &Dataset, progress: &dyn Progress) -> Result<Self::Output> {
        dtw::run_matrix(valid, inputs, progress)
    }
}

/// 1-NN classification of labelled series.
pub struct DtwClassify;

impl Analysis for DtwClassify {
    const ID: &'static str = dtw::ID_CLASSIFY;
    const NAME: &'static str = "DTW 1-NN classification";
    type Params = dtw::ClassifyParams;
    type Valid = dtw::ValidClassifyParams;
    /// Training series, then test series.
    type Inputs<'a> = (LabelledSeries, LabelledSeries);
    type Output = dtw::ClassifyOutput;

    fn check(params: &Self::Params) -> Result<Self::Valid, ParamError> {
        dtw::check_classify(params)
    }

    fn run(
        valid: &Self::Valid,
        (train, test): Self::Inputs<'_>,
        progress: &dyn Progress,
    ) -> Result<Self::Output> {
        dtw::classify(valid, train, test, progress)
    }
}

/// Audio clips compared on their envelopes.
pub struct DtwAudio;

impl Analysis for DtwAudio {
    const ID: &'static str = dtw::ID_AUDIO;
    const NAME: &'static str = "DTW audio comparison";
    type Params = dtw::AudioParams;
    type Valid = dtw::ValidAudioParams;
    type Inputs<'a> = &'a [Clip];
    type Output = dtw::AudioOutput;

    fn check(params: &Self::Params) -> Result<Self::Valid, ParamError> {
        dtw::check_audio(params)
    }

    fn run(valid: &Self::Valid, inputs: &[Clip], progress: &dyn Progress) -> Result<Self::Output> {
        dtw::compare_clips(valid, inputs, progress)
    }
}

/// What an image training run reads: the scanned folder, where the best model is kept, and
/// who hears of each epoch as it ends.
pub struct ImagesInputs<'a> {
    pub folder: Folder,
    pub checkpoint: Option<&'a Path>,
    pub on_epoch: &'a mut dyn FnMut(&Epoch),
}

/// A small CNN trained on a folder of labelled images.
pub struct ImagesTraining;

impl Analysis for ImagesTraining {
    const ID: &'static str = images::ID;
    const NAME: &'static str = "Image classifier training";
    type Params = images::ImagesParams;
    type Valid = images::ValidImagesParams;
    type Inputs<'a> = ImagesInputs<'a>;
    type Output = images::ImagesOutput;

    fn check(params: &Self::Params) -> Result<Self::Valid, ParamError> {
        images::check(params)
    }

    fn run(
        valid: &Self::Valid,
        inputs: ImagesInputs<'_>,
        progress: &dyn Progress,
    ) -> Result<Self::Output> {
        Ok(images::run_scanned(
            valid,
            inputs.folder,
            inputs.checkpoint,
            progress,
            inputs.on_epoch,
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::usecases::registry;

    /// What every analysis promises: its defaults pass its own check, survive a trip through
    /// a run record's JSON unchanged, and its run-store name belongs to a registry entry.
    fn keeps_the_contract<A: Analysis>()
    where
        A::Params: PartialEq + std::fmt::Debug,
    {
        let defaults = A::Params::default();
        if let Err(e) = A::check(&defaults) {
            panic!("{}: the default params fail their own check: {e}", A::ID);
        }
        let json = serde_json::to_string(&defaults).expect("params serialise");
        let back: A::Params = serde_json::from_str(&json).expect("params read back");
        assert_eq!(back, defaults, "{}: params change through JSON", A::ID);
        let empty: A::Params = serde_json::from_str("{}").expect("{} reads as the defaults");
        assert_eq!(empty, defaults, "{}: a record without params", A::ID);
        assert!(
            registry::of_run(A::ID).is_some(),
            "{} is in no registry entry's runs",
            A::ID
        );
        assert!(
            !A::NAME.is_empty() && A::NAME.len() <= 40,
            "{}: a name a jobs list can show",
            A::ID
        );
    }

    #[test]
    fn every_analysis_keeps_the_contract() {
        keeps_the_contract::<StockAlerts>();
        keeps_the_contract::<Forecast>();
        keeps_the_contract::<FraudTree>();
        keeps_the_contract::<PitchingFlags>();
        keeps_the_contract::<SentimentWindows>();
        keeps_the_contract::<SentimentClassifiers>();
        keeps_the_contract::<SpatialJoin>();
        keeps_the_contract::<Hexbin>();
        keeps_the_contract::<DtwMatch>();
        keeps_the_contract::<DtwSweep>();
        keeps_the_contract::<DtwMatrix>();
        keeps_the_contract::<DtwClassify>();
        keeps_the_contract::<DtwAudio>();
        keeps_the_contract::<ImagesTraining>();
    }

    #[test]
    fn params_out_of_range_never_reach_a_run() {
        let bad = dtw::SweepParams {
            stretches: vec![],
            ..Default::default()
        };
        assert!(DtwSweep::check(&bad).is_err());
        let bad = spatial::HexbinParams {
            resolution: 99,
            ..Default::default()
        };
        let e = Hexbin::check(&bad).unwrap_err().to_string();
        assert!(e.contains("resolution"), "{e}");
        let bad = dtw::AudioParams {
            hop_ms: -1.0,
            ..Default::default()
        };
        assert!(DtwAudio::check(&bad).is_err());
    }
}
