//! The one list of use cases. Every face reads it: the sidebar's names and each panel's "About
//! this analysis" note, the Start page's cards, "Try it on the sample", `playbook demo`'s sections,
//! "Open in panel" of a recorded run (by the run-store names a case records under) and the CLI's
//! help. A use case is described here once; a face adds only how it draws or prints it.

/// What Playbook says about one use case, wherever it says it.
#[derive(Debug)]
pub struct UseCase {
    /// Stable id: the panel's id in settings and workspaces, the Start card's key.
    pub id: &'static str,
    /// Its name in the sidebar, the demo's index and reports.
    pub title: &'static str,
    /// What its Start card is headed: the name and what it is about.
    pub headline: &'static str,
    /// One sentence for its Start card and the CLI's help.
    pub pitch: &'static str,
    /// What the analysis does, how to read it and what it was checked against: the "About this
    /// analysis" note above its panel.
    pub about: &'static str,
    /// What its section of `playbook demo` shows, in one line.
    pub demo: &'static str,
    /// The run-store names its runs are recorded under (a recorded run of one of these opens in
    /// its panel).
    pub runs: &'static [&'static str],
    /// Those of `runs` whose recorded runs its panel can open again ("Open in panel").
    pub reopens: &'static [&'static str],
    /// The bundled sample tables "Try it on the sample" runs it on.
    pub samples: &'static [&'static str],
    /// The recorded metrics that say how a run of it came out, in plain words (metric, words):
    /// the Runs list's "result" column when runs of several cases are listed shows those a run
    /// has.
    pub results: &'static [(&'static str, &'static str)],
}

/// Every use case, in the Start page's and the demo's order: the analyses first, the general
/// table tools last. A new use case is one entry here.
pub const ALL: &[UseCase] = &[
    UseCase {
        id: "pitching",
        title: "Pitching",
        headline: "Pitching · spin rates",
        pitch: "Spin rates against each pitcher's own history: sticky outings flagged with a \
                reason, the 2021 crackdown league-wide, a game replayed live.",
        about: "Each pitch's spin is compared with what the pitcher's own earlier outings predict \
                at its speed, and with a league regression (speed per pitch type, release point, \
                extension); pitches well above both, or a sustained rise within an outing, are \
                flagged, each with its reason. The League view shows the 2021 grip-aid crackdown; \
                Live watches a folder for new pitch files. Recall and precision of flagged outings \
                were measured on generated seasons with planted sticky outings (BENCHMARKS.md).",
        demo: "Spin rates against each pitcher's own history: the 2021 crackdown league-wide, and \
               the outings flagged as sticky, with the pitcher who threw the latest one.",
        runs: &[super::pitching::ID],
        reopens: &[super::pitching::ID],
        samples: &["pitches_2021_06.parquet"],
        results: &[
            ("flagged_outings", "flagged outings"),
            ("pitches", "pitches"),
        ],
    },
    UseCase {
        id: "sentiment",
        title: "Sentiment",
        headline: "Sentiment · tweets and prices",
        pitch: "Tweets scored with VADER and summed per 15 minutes against crypto prices: \
                regression, lead/lag, alerts, and trained classifiers compared.",
        about: "Every tweet is scored with VADER, a lexicon-and-rules model (a port equal to \
                Python's vaderSentiment 3.3.2 on 10,200 sentences): compound ≥ 0.05 is positive, \
                ≤ −0.05 negative, else neutral. Tweets are summed per asset in windows (−1/0/+1 \
                each) and set against the window's log return and realised volatility. The \
                regression of return on summed sentiment and tweet count uses Newey-West errors \
                because windows are autocorrelated (equal to statsmodels' OLS to 1e-8); the \
                lead/lag chart correlates one series with the other shifted by k windows (k > 0: \
                the first moves first), the band is ±1.96/√n; the Granger F test asks whether \
                past sentiment helps predict returns, which is precedence, not causation. The \
                Classifiers view compares VADER with classifiers trained on 4,200 human-rated \
                tweets, against scikit-learn on the same split (BENCHMARKS.md).",
        demo: "Tweets about BTC and ETH scored with VADER and summed per 15 minutes against the \
               prices: the class mix, return against sentiment with its regression, tweet volume \
               leading and following volatility, and VADER's accuracy on 4,200 human-rated tweets.",
        runs: &[super::sentiment::ID, super::sentiment::classifiers::ID],
        reopens: &[super::sentiment::ID, super::sentiment::classifiers::ID],
        samples: &[
            "crypto_tweets.parquet",
            "crypto_prices.parquet",
            "tweets_labelled.csv",
        ],
        results: &[
            ("lr_accuracy", "logistic regression accuracy"),
            ("alerts", "alerts"),
            ("tweets", "tweets"),
        ],
    },
    UseCase {
        id: "stock",
        title: "Stock",
        headline: "Stock · empty shelves",
        pitch: "Empty shelves the system thinks are stocked, unlikely runs without sales, and the \
                revenue they cost, per store and SKU.",
        about: "Four detectors look at each store and SKU day by day: days without sales that are \
                unlikely given how often it sells (zero sales), such runs while the system still \
                reports stock (phantom inventory), stock below its safety level, and sales far \
                below the forecast with stock on hand (on-shelf availability). Each alert \
                estimates the units and revenue lost. Recall and precision were measured on \
                generated inventory with planted problems (BENCHMARKS.md).",
        demo: "Empty shelves the system thinks are stocked, runs without sales, stock below safety \
               level, and sales far below the forecast, with the revenue they cost.",
        runs: &[super::stock::ID],
        reopens: &[super::stock::ID],
        samples: &["inventory_sample.parquet"],
        results: &[("alerts", "alerts"), ("lost_revenue", "lost revenue")],
    },
    UseCase {
        id: "forecast",
        title: "Forecast",
        headline: "Forecast · demand per store and item",
        pitch: "One model per store and item with trend and seasonality, intervals, and its \
                accuracy on held-out days against a baseline.",
        about: "One model per group of a long table (a store and item): a trend that can bend, \
                weekly and yearly seasonality, and an interval from simulated futures, like \
                Prophet. The last days are held out and scored (sMAPE, MASE, coverage) next to \
                the seasonal naive forecast that repeats last week, so you can see whether the \
                model earns its keep. Checked against Prophet on the same series.",
        demo: "One model per store and item with the last days held out: a forecast with its \
               interval, its trend and seasonality, and the accuracy of every series.",
        runs: &[super::forecast::ID],
        reopens: &[super::forecast::ID],
        samples: &["store_sales_small.csv"],
        results: &[("smape", "sMAPE"), ("series", "series")],
    },
    UseCase {
        id: "fraud",
        title: "Fraud",
        headline: "Fraud · rules and a decision tree",
        pitch: "Rules turned into labels, a decision tree trained at PaySim scale, PR and ROC \
                curves, and the tree saved as SQL.",
        about: "Transactions are labelled by rules (the book's rule, or yours) or by a 0/1 \
                column, then a decision tree learns to flag them. The confusion matrix compares \
                the labels with the tree on held-out transactions (click a cell to list them); \
                the PR and ROC curves show the trade-off between catching fraud and false alarms; \
                the tree reads as rules or SQL. Scores and curves agree with scikit-learn's on the \
                same data.",
        demo: "A decision tree trained on transactions labelled by the book's rule: its \
               precision-recall and ROC curves, what it relies on, and the tree as rules.",
        runs: &[super::fraud::ID],
        reopens: &[super::fraud::ID],
        samples: &["transactions_100k.parquet"],
        results: &[
            ("pr_auc_test", "test PR-AUC"),
            ("predicted_fraud", "predicted fraud"),
        ],
    },
    UseCase {
        id: "dtw",
        title: "DTW",
        headline: "DTW · shapes of time series",
        pitch: "Which products' weekly sales follow the capacity curve, allowing for a shift of a \
                few weeks; time series classified by their shape.",
        about: "Dynamic time warping measures how alike two series are when one may run a little \
                ahead of or behind the other (the stretch factor says how far). Match a pattern \
                against every series (a histogram of distances, the closest ones drawn over the \
                pattern with their warping path), sweep the stretch factor, classify series by \
                their nearest neighbour (1-NN), or compare audio clips. Distances equal \
                dtaidistance's to 1e-9; GunPoint's error rates match the UCR archive's published \
                ones.",
        demo: "Products whose weekly sales follow the factory's capacity curve, allowing for a few \
               weeks' shift, and 1-NN classification of the GunPoint series.",
        runs: &[
            super::dtw::ID_MATCH,
            super::dtw::ID_SWEEP,
            super::dtw::ID_CLASSIFY,
            super::dtw::ID_AUDIO,
            super::dtw::ID_MATRIX,
        ],
        reopens: &[super::dtw::ID_MATCH, super::dtw::ID_MATRIX],
        samples: &["weekly_sales.csv", "capacity.csv"],
        results: &[
            ("error_rate", "error rate"),
            ("median_distance", "median distance"),
            ("series", "series"),
        ],
    },
    UseCase {
        id: "spatial",
        title: "Spatial",
        headline: "Spatial · points in polygons",
        pitch: "Taxi pickups joined to the NYC boroughs, exactly or through H3 cells, on a map you \
                can zoom.",
        about: "Each point (a pickup) is placed in the polygon (a borough) that contains it, \
                exactly or through H3 hexagonal cells, which are faster and nearly as right (the \
                agreement is shown). The map colours polygons and cells by how many points fell \
                in them. Counts match GeoPandas' spatial join; H3 cells match h3-py.",
        demo: "Taxi pickups joined to the NYC boroughs, exactly and through H3 cells.",
        runs: &[super::spatial::ID_JOIN, super::spatial::ID_HEXBIN],
        reopens: &[super::spatial::ID_JOIN],
        samples: &["taxi_pickups.csv", "nyc_boroughs.geojson"],
        results: &[("matched", "points matched"), ("cells", "cells")],
    },
    UseCase {
        id: "images",
        title: "Images",
        headline: "Images · a classifier from folders",
        pitch: "A small network trained from scratch on folders of labelled images, with live \
                curves, the confusion matrix, the mistakes, and predictions for new images.",
        about: "Trains a small convolutional network on a folder of labelled images, on this \
                computer's processor: one subfolder per class, PNG or JPEG of any size. A fifth of \
                each class is held out to validate, training images are shifted and brightened at \
                random, and training stops once the validation loss has not improved for a few \
                epochs; the best epoch's model is kept on disk. Models are trained from scratch: \
                no pretrained weights ship with Playbook and nothing is downloaded. On the bundled \
                handwritten digits it reaches over 97% validation accuracy in seconds, each batch \
                split over the processor's cores (BENCHMARKS.md).",
        demo: "A small CNN trained from scratch on the 1,797 handwritten digits: its loss and \
               accuracy per epoch and the validation confusion matrix.",
        runs: &[super::images::ID],
        reopens: &[super::images::ID],
        samples: &["digits"],
        results: &[("val_accuracy", "validation accuracy")],
    },
    UseCase {
        id: "data",
        title: "Data",
        headline: "Data · any table",
        pitch: "Any CSV, Parquet or GeoJSON file: sort it, fix its column types, filter it, join \
                it, and build charts from its columns.",
        about: "A first look at a table: its rows (sort by any column), each column's type and \
                empty cells, summary statistics (count, mean, spread, quantiles), a histogram of a \
                numeric column and the most common values of a text column, and a chart builder: \
                line, scatter, bar, histogram or heat map of any columns, coloured by a column, \
                per day, week or month, over the rows a filter keeps. Numbers are computed with \
                polars; the statistics match pandas' describe() on the same files.",
        demo: "Each sample table at a glance: summary statistics, histograms of its measured \
               columns and its most common values (ID and code columns left out).",
        runs: &[],
        reopens: &[],
        samples: &[],
        results: &[],
    },
];

/// The use case whose runs are recorded under this run-store name.
pub fn of_run(name: &str) -> Option<&'static UseCase> {
    ALL.iter().find(|u| u.runs.contains(&name))
}

/// The use case with this id.
pub fn get(id: &str) -> Option<&'static UseCase> {
    ALL.iter().find(|u| u.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_run_names_are_unique() {
        let mut ids: Vec<&str> = ALL.iter().map(|u| u.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ALL.len());
        let mut runs: Vec<&str> = ALL.iter().flat_map(|u| u.runs.iter().copied()).collect();
        let n = runs.len();
        runs.sort_unstable();
        runs.dedup();
        assert_eq!(runs.len(), n, "a run-store name belongs to two use cases");
    }

    #[test]
    fn every_sample_a_case_runs_on_is_bundled() {
        for u in ALL {
            for s in u.samples {
                assert!(
                    crate::data::sample::bytes_of(s).is_some() || *s == "digits",
                    "{}: sample {s} is not bundled",
                    u.id
                );
            }
        }
    }
}
