//! The Sentiment panel: tweets about crypto assets against their prices (the book's last
//! chapter). Controls pick the tweets and prices tables, the window length and the alert
//! rules; views show the overview of one asset (price, mean sentiment, the class mix, return
//! against sentiment with the fitted line and the regression table, the lead/lag bars), the
//! scored tweets (filter by class, text and window; most negative first), the alerts (click one
//! for its tweets), and the classifier comparison on the labelled corpus. Runs are recorded;
//! every chart and table saves.

mod views;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::run_slot::{Finished, RunInputs, RunSlot};
use super::{Panel, PanelCtx};
use crate::chart::Chart;
use crate::compute::sentiment::Class;
use crate::runs::of_dataset;
use crate::usecases::analysis::{Analysis, SentimentClassifiers, SentimentWindows};
use crate::usecases::sentiment::classifiers::{self, ClassifierParams, Comparison};
use crate::usecases::sentiment::{SentimentOutput, SentimentParams, charts};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum SentimentView {
    #[default]
    Overview,
    Tweets,
    Alerts,
    Classifiers,
}

/// What the panel remembers across restarts.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct SentimentChoices {
    pub tweets: String,
    pub prices: String,
    pub labelled: String,
    pub params: SentimentParams,
    pub classifier: ClassifierParams,
    pub view: SentimentView,
    /// The asset shown (index into the run's assets).
    pub asset: usize,
    /// Tweet table filters.
    pub class: Option<Class>,
    pub contains: String,
    pub most_negative_first: bool,
}

impl Default for SentimentChoices {
    fn default() -> Self {
        Self {
            tweets: "crypto_tweets.parquet".into(),
            prices: "crypto_prices.parquet".into(),
            labelled: "tweets_labelled.csv".into(),
            params: SentimentParams::default(),
            classifier: ClassifierParams::default(),
            view: SentimentView::Overview,
            asset: 0,
            class: None,
            contains: String::new(),
            most_negative_first: true,
        }
    }
}

/// What a run shows, its charts made once in the job.
pub(crate) struct SentimentResult {
    pub out: SentimentOutput,
    /// Per asset: price with mean sentiment, class mix, scatter with the fit, lead/lag.
    pub charts: Vec<[Chart; 4]>,
    /// What the tweet table filters on, read out of the scored table once.
    pub filter: TweetFilter,
}

/// The scored tweets' columns the tweet table filters and sorts by, one entry per row of
/// `SentimentOutput::tweets`: made in the run job, so typing in the filter only scans them.
#[derive(Default)]
pub(crate) struct TweetFilter {
    pub compound: Vec<f64>,
    /// Asset index, −1 for every asset, −2 for a tweet left out.
    pub asset: Vec<i64>,
    pub time: Vec<i64>,
    /// The texts in lower case, for "Text contains".
    pub lower: Vec<String>,
}

impl TweetFilter {
    fn of(out: &SentimentOutput) -> TweetFilter {
        let df = &out.tweets;
        let f64s = |name: &str| -> Vec<f64> {
            df.column(name)
                .ok()
                .and_then(|c| {
                    c.f64()
                        .ok()
                        .map(|c| c.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
                })
                .unwrap_or_default()
        };
        let i64s = |name: &str, missing: i64| -> Vec<i64> {
            df.column(name)
                .ok()
                .and_then(|c| {
                    c.i64()
                        .ok()
                        .map(|c| c.iter().map(|v| v.unwrap_or(missing)).collect())
                })
                .unwrap_or_default()
        };
        let lower = df
            .column(&out.params.columns.text)
            .ok()
            .and_then(|c| c.cast(&polars::prelude::DataType::String).ok())
            .and_then(|c| {
                c.str()
                    .ok()
                    .map(|c| c.iter().map(|v| v.unwrap_or("").to_lowercase()).collect())
            })
            .unwrap_or_default();
        TweetFilter {
            compound: f64s("compound"),
            asset: i64s("asset_index", -2),
            time: i64s("time_ms", i64::MIN),
            lower,
        }
    }
}

/// A finished run of the panel.
pub(crate) type SentimentRun = Finished<SentimentResult>;

/// What a comparison of the classifiers shows.
pub(crate) struct CompareResult {
    pub comparison: Comparison,
    pub chart: Chart,
}

/// What the tweet table's rows depend on.
#[derive(Clone, Debug, PartialEq)]
struct TweetKey {
    run: u64,
    /// Asset index, or None for all.
    asset: Option<usize>,
    class: Option<Class>,
    contains: String,
    /// A window (start, end) in ms picked from the alerts.
    window: Option<(i64, i64)>,
    most_negative_first: bool,
}

#[derive(Default)]
pub(crate) struct SentimentPanel {
    pub saved: SentimentChoices,
    run: RunSlot<SentimentResult>,
    compare: RunSlot<CompareResult>,
    /// The tweet table's row order.
    rows: Option<(TweetKey, Arc<Vec<usize>>)>,
    /// A window chosen in the alert list: (asset, start, end).
    window: Option<(usize, i64, i64)>,
    auto_started: bool,
    sample_run: super::SampleRun,
}

impl SentimentPanel {
    fn start(&mut self, ctx: &mut PanelCtx<'_>, record: bool) {
        let (Some(tweets), Some(prices)) = (
            ctx.catalog.by_name(&self.saved.tweets),
            ctx.catalog.by_name(&self.saved.prices),
        ) else {
            return;
        };
        // The automatic first run (the sample, on opening) is not recorded; Analyse is.
        let inputs = RunInputs {
            fingerprints: vec![of_dataset("tweets", &tweets), of_dataset("prices", &prices)],
            record,
        };
        self.run.start::<SentimentWindows>(
            ctx,
            self.saved.params.clone(),
            inputs,
            move |valid, job| SentimentWindows::run(valid, (&tweets, &prices, None), job),
            |out, _| {
                let charts = out
                    .assets
                    .iter()
                    .map(|a| charts::asset_charts(&out, a))
                    .collect();
                Ok(SentimentResult {
                    filter: TweetFilter::of(&out),
                    out,
                    charts,
                })
            },
        );
    }

    fn start_compare(&mut self, ctx: &mut PanelCtx<'_>) {
        let Some(data) = ctx.catalog.by_name(&self.saved.labelled) else {
            return;
        };
        let inputs = RunInputs::recorded(vec![of_dataset("labelled", &data)]);
        self.compare.start::<SentimentClassifiers>(
            ctx,
            self.saved.classifier.clone(),
            inputs,
            move |valid, job| SentimentClassifiers::run(valid, &data, job),
            |comparison, _| {
                Ok(CompareResult {
                    chart: charts::classifier_bars(&comparison),
                    comparison,
                })
            },
        );
    }
}

impl Panel for SentimentPanel {
    fn id(&self) -> &'static str {
        "sentiment"
    }

    fn datasets(&self) -> Vec<&str> {
        vec![self.saved.tweets.as_str(), self.saved.prices.as_str()]
    }

    fn try_sample(&mut self) {
        self.saved = SentimentChoices {
            view: self.saved.view,
            ..SentimentChoices::default()
        };
        self.auto_started = true;
        self.sample_run.arm();
    }

    fn logic(&mut self, ctx: &mut PanelCtx<'_>) {
        let tables = [self.saved.tweets.as_str(), self.saved.prices.as_str()];
        if self.sample_run.ready(ctx, &tables) {
            self.start(ctx, true);
        }
        if self.run.poll(ctx) {
            self.rows = None;
            self.window = None;
        }
        self.compare.poll(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
        // The first time the panel is shown it runs the sample by itself (not recorded).
        if !self.auto_started
            && ctx.catalog.by_name(&self.saved.tweets).is_some()
            && ctx.catalog.by_name(&self.saved.prices).is_some()
        {
            self.auto_started = true;
            self.start(ctx, false);
        }
        views::controls(self, ui, ctx);
        ui.separator();
        ui.horizontal_wrapped(|ui| {
            let v = &mut self.saved.view;
            ui.selectable_value(v, SentimentView::Overview, "Overview");
            ui.selectable_value(v, SentimentView::Tweets, "Tweets");
            ui.selectable_value(v, SentimentView::Alerts, "Alerts");
            ui.selectable_value(v, SentimentView::Classifiers, "Classifiers");
        });
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("sentiment-view")
            .show(ui, |ui| match self.saved.view {
                SentimentView::Classifiers => views::classifiers_ui(self, ui, ctx),
                view => {
                    let Some(r) = self.run.latest().cloned() else {
                        views::waiting(ui, self.run.is_pending());
                        return;
                    };
                    match view {
                        SentimentView::Tweets => views::tweets_ui(self, ui, ctx, &r),
                        SentimentView::Alerts => views::alerts_ui(self, ui, ctx, &r),
                        _ => views::overview_ui(self, ui, ctx, &r),
                    }
                }
            });
    }

    persist_saved!();

    fn open_run(
        &mut self,
        run: &crate::runs::RunRecord,
        ctx: &mut PanelCtx<'_>,
    ) -> Result<(), String> {
        if run.use_case == classifiers::ID {
            self.saved.classifier = run.params_as()?;
            self.saved.labelled = super::runs::reopen_input(run, "labelled", ctx)?;
            self.saved.view = SentimentView::Classifiers;
            return Ok(());
        }
        let p: SentimentParams = run.params_as()?;
        self.saved.tweets = super::runs::reopen_input(run, "tweets", ctx)?;
        self.saved.prices = super::runs::reopen_input(run, "prices", ctx)?;
        self.saved.params = p;
        self.saved.view = SentimentView::Overview;
        Ok(())
    }
}
