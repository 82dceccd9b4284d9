//! Sentiment: the VADER port against Python's vaderSentiment 3.3.2, sentence by sentence.

use playbook::compute::sentiment::vader;

/// Every tweet of the bundled corpus and 6,000 made sentences (tests/fixtures/make_vader.py).
#[test]
fn vader_equals_python_on_every_fixture_sentence() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/vader_expected.jsonl"),
    )
    .unwrap();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for line in text.lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let sentence = row["text"].as_str().unwrap();
        let got = vader().polarity(sentence);
        let field = |name: &str| row[name].as_f64().unwrap();
        let close = (got.compound - field("compound")).abs() <= 1e-4
            && (got.neg - field("neg")).abs() <= 1e-3
            && (got.neu - field("neu")).abs() <= 1e-3
            && (got.pos - field("pos")).abs() <= 1e-3;
        if !close {
            wrong.push(format!("{sentence:?}: {got:?} vs {row}"));
        }
        checked += 1;
    }
    assert!(checked >= 10_000, "only {checked} sentences in the fixture");
    assert!(
        wrong.is_empty(),
        "{} of {checked} differ:\n{}",
        wrong.len(),
        wrong[..wrong.len().min(10)].join("\n")
    );
}

/// OLS, Newey-West errors and the Granger F test against statsmodels
/// (tests/fixtures/make_statsmodels_ols.py).
#[test]
fn ols_equals_statsmodels() {
    use playbook::compute::sentiment::ols::{Covariance, granger, ols};
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/statsmodels_ols.json")).unwrap();
    let series = |name: &str| -> Vec<f64> {
        fixture[name]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    };
    let (y, sentiment, volume) = (series("y"), series("sentiment"), series("volume"));
    let columns: [(&str, &[f64]); 2] = [("sentiment", &sentiment), ("volume", &volume)];
    for (key, covariance) in [
        ("classical", Covariance::Classical),
        ("hac4", Covariance::NeweyWest { lags: 4 }),
    ] {
        let fit = ols(&y, &columns, covariance).unwrap();
        let expected = &fixture[key];
        let values = |name: &str| -> Vec<f64> {
            expected[name]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect()
        };
        let close = |got: f64, want: f64, what: &str| {
            assert!(
                (got - want).abs() <= 1e-8,
                "{key} {what}: {got} vs statsmodels {want}"
            );
        };
        for (j, coefficient) in fit.coefficients.iter().enumerate() {
            close(coefficient.estimate, values("coef")[j], "coef");
            close(coefficient.std_error, values("se")[j], "se");
            close(coefficient.t, values("t")[j], "t");
            close(coefficient.p, values("p")[j], "p");
        }
        close(fit.r_squared, expected["r2"].as_f64().unwrap(), "r2");
        close(
            fit.adj_r_squared,
            expected["adj_r2"].as_f64().unwrap(),
            "adj r2",
        );
        assert_eq!(fit.n as u64, expected["n"].as_u64().unwrap());
    }
    let test = granger(&y, &sentiment, 3).unwrap();
    let expected = &fixture["granger3"];
    assert!(
        (test.f - expected["f"].as_f64().unwrap()).abs() <= 1e-8,
        "F {}",
        test.f
    );
    assert!(
        (test.p - expected["p"].as_f64().unwrap()).abs() <= 1e-8,
        "p {}",
        test.p
    );
    assert_eq!(test.df_den as u64, expected["df_den"].as_u64().unwrap());
}

mod generated {
    use playbook::compute::NoProgress;
    use playbook::data::crypto::{CryptoParams, crypto};
    use playbook::data::{Dataset, Origin};
    use playbook::usecases::sentiment::{self as usecase, SentimentOutput, SentimentParams};

    fn analyse(params: CryptoParams) -> SentimentOutput {
        let made = crypto(&params).unwrap();
        let dataset = |name: &str, frame| Dataset {
            name: name.into(),
            origin: Origin::Sample,
            frame,
            geometries: None,
            notes: Vec::new(),
        };
        let valid = usecase::check_params(&SentimentParams::default()).unwrap();
        usecase::run(
            &valid,
            &dataset("tweets", made.tweets),
            &dataset("prices", made.prices),
            None,
            &NoProgress,
        )
        .unwrap()
    }

    fn correlation_at(cc: &playbook::compute::sentiment::lags::CrossCorrelation, lag: i64) -> f64 {
        cc.lags.iter().find(|l| l.lag == lag).unwrap().correlation
    }

    /// Tweet bursts before "leaked" jumps make tweet volume lead volatility by one or two
    /// 15-minute windows; without leaks it does not.
    #[test]
    fn the_planted_lead_of_tweet_volume_over_volatility_is_recovered() {
        let leaked = analyse(CryptoParams {
            days: 20,
            leak_share: 1.0,
            seed: 5,
            ..CryptoParams::default()
        });
        let none = analyse(CryptoParams {
            days: 20,
            leak_share: 0.0,
            seed: 5,
            ..CryptoParams::default()
        });
        for (a, b) in leaked.assets.iter().zip(&none.assets) {
            let band = a.volume_volatility.band;
            for lag in [1, 2] {
                let with = correlation_at(&a.volume_volatility, lag);
                let without = correlation_at(&b.volume_volatility, lag);
                assert!(
                    with > 2.0 * band,
                    "{}: lag {lag}: {with} vs band {band}",
                    a.name
                );
                assert!(
                    without < band,
                    "{}: lag {lag} without leaks: {without}",
                    b.name
                );
            }
            // Volume after the move is there either way.
            assert!(correlation_at(&b.volume_volatility, -1) > 2.0 * band);
        }
    }

    /// The generator draws each tweet's class from the trailing 15-minute return: the
    /// regression finds a positive slope, and sentiment does not lead returns.
    #[test]
    fn sentiment_follows_returns_as_the_generator_plants_it() {
        let linked = analyse(CryptoParams {
            days: 20,
            seed: 6,
            ..CryptoParams::default()
        });
        let unlinked = analyse(CryptoParams {
            days: 20,
            seed: 6,
            link: 0.0,
            ..CryptoParams::default()
        });
        for (a, b) in linked.assets.iter().zip(&unlinked.assets) {
            let slope = a
                .regression
                .as_ref()
                .unwrap()
                .coefficient("sentiment")
                .unwrap()
                .clone();
            assert!(
                slope.estimate > 0.0 && slope.p < 0.001,
                "{}: {slope:?}",
                a.name
            );
            let band = a.sentiment_return.band;
            assert!(correlation_at(&a.sentiment_return, 0) > 2.0 * band);
            assert!(
                correlation_at(&a.sentiment_return, 2).abs() < band,
                "{}",
                a.name
            );
            let flat = b
                .regression
                .as_ref()
                .unwrap()
                .coefficient("sentiment")
                .unwrap()
                .clone();
            assert!(flat.t.abs() < 3.0, "{} without the link: {flat:?}", b.name);
        }
    }
}

mod cli {
    use crate::playbook as run;

    fn ok(o: &std::process::Output) -> String {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    #[test]
    fn gen_then_score_and_correlate() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("c.csv");
        ok(&run(&[
            "gen",
            "crypto",
            "--assets",
            "btc,sol",
            "--days",
            "3",
            "--seed",
            "2",
            "--out",
            out.to_str().unwrap(),
        ]));
        let tweets = dir.path().join("c_tweets.csv");
        let prices = dir.path().join("c_prices.csv");
        assert!(dir.path().join("c_truth.csv").exists());
        let scored = dir.path().join("scored.csv");
        ok(&run(&[
            "sentiment",
            "score",
            "--input",
            tweets.to_str().unwrap(),
            "--out",
            scored.to_str().unwrap(),
        ]));
        let text = std::fs::read_to_string(&scored).unwrap();
        let header = text.lines().next().unwrap();
        assert_eq!(
            header,
            "timestamp,asset,text,followers,retweets,neg,neu,pos,compound,class"
        );
        // Every class follows VADER's neutral band of ±0.05.
        let ds = playbook::data::load_path(&scored).unwrap();
        let compound = ds.frame.column("compound").unwrap().f64().unwrap().clone();
        let class = ds.frame.column("class").unwrap().str().unwrap().clone();
        for (c, k) in compound.iter().zip(class.iter()) {
            let (c, k) = (c.unwrap(), k.unwrap());
            let want = if c >= 0.05 {
                "positive"
            } else if c <= -0.05 {
                "negative"
            } else {
                "neutral"
            };
            assert_eq!(k, want, "{c}");
        }
        let windows = dir.path().join("w.csv");
        let v: serde_json::Value = serde_json::from_str(&ok(&run(&[
            "sentiment",
            "correlate",
            "--tweets",
            tweets.to_str().unwrap(),
            "--prices",
            prices.to_str().unwrap(),
            "--window",
            "1h",
            "--json",
            "--out",
            windows.to_str().unwrap(),
        ])))
        .unwrap();
        assert_eq!(v["window_minutes"], 60);
        let assets: Vec<&str> = v["assets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["asset"].as_str().unwrap())
            .collect();
        assert_eq!(assets, ["BTC", "SOL"]);
        // 3 days of hourly windows per asset.
        assert_eq!(v["assets"][0]["windows"], 72);
        assert!(v["assets"][0]["regression"]["Ok"]["coefficients"][1]["name"] == "sentiment");
        let lines = std::fs::read_to_string(&windows).unwrap().lines().count();
        assert_eq!(lines, 1 + 2 * 72);
    }

    #[test]
    fn train_compares_vader_and_naive_bayes_on_one_split() {
        let corpus = crate::sample("tweets_labelled.csv");
        let table = tempfile::tempdir().unwrap();
        let out = table.path().join("cmp.csv");
        let v: serde_json::Value = serde_json::from_str(&ok(&run(&[
            "sentiment",
            "train",
            "--input",
            corpus.to_str().unwrap(),
            "--model",
            "nb",
            "--folds",
            "2",
            "--json",
            "--out",
            out.to_str().unwrap(),
        ])))
        .unwrap();
        assert_eq!(
            (v["n_train"].as_u64(), v["n_test"].as_u64()),
            (Some(3360), Some(840))
        );
        assert_eq!(v["test_rows"].as_array().unwrap().len(), 840);
        let nb = &v["rows"][0];
        assert_eq!(nb["model"], "NaiveBayes");
        let accuracy = nb["test"]["accuracy"].as_f64().unwrap();
        // The majority class alone is 55%; scikit-learn's MultinomialNB gets 0.70 here.
        assert!((0.65..0.8).contains(&accuracy), "{accuracy}");
        let v: serde_json::Value = serde_json::from_str(&ok(&run(&[
            "--no-record",
            "sentiment",
            "train",
            "--input",
            corpus.to_str().unwrap(),
            "--model",
            "vader",
            "--json",
        ])))
        .unwrap();
        // The same split: VADER's 80.7% (bench/sentiment_vs_python.py gives the same from Python).
        let vader = v["rows"][0]["test"]["accuracy"].as_f64().unwrap();
        assert!((vader - 0.8071).abs() < 1e-3, "{vader}");
        assert!(
            std::fs::read_to_string(&out)
                .unwrap()
                .starts_with("model,accuracy,macro_f1")
        );
    }

    /// A model trained and saved once scores a new file and drives `correlate`; a file that
    /// is not a model, or whose parts do not fit, is one clear error.
    #[test]
    fn a_saved_model_scores_new_text_and_drives_correlate() {
        let corpus = crate::sample("tweets_labelled.csv");
        let dir = tempfile::tempdir().unwrap();
        let model = dir.path().join("lr.json");
        let v: serde_json::Value = serde_json::from_str(&ok(&run(&[
            "--no-record",
            "sentiment",
            "train",
            "--input",
            corpus.to_str().unwrap(),
            "--model",
            "lr",
            "--folds",
            "2",
            "--json",
            "--model-out",
            model.to_str().unwrap(),
        ])))
        .unwrap();
        let test_rows: Vec<usize> = v["test_rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_u64().unwrap() as usize)
            .collect();
        let trained_accuracy = v["rows"][0]["test"]["accuracy"].as_f64().unwrap();
        // Score the held-out rows alone, as a new file: the saved model gives the accuracy
        // train measured on them.
        let all = playbook::data::load_path(&corpus).unwrap().frame;
        let idx = polars::prelude::IdxCa::from_vec(
            "i".into(),
            test_rows
                .iter()
                .map(|&i| i as polars::prelude::IdxSize)
                .collect(),
        );
        let held = all.take(&idx).unwrap();
        let new_file = dir.path().join("held.csv");
        playbook::export::write_table(&held, &new_file).unwrap();
        let scored = dir.path().join("scored.csv");
        ok(&run(&[
            "sentiment",
            "score",
            "--input",
            new_file.to_str().unwrap(),
            "--model",
            model.to_str().unwrap(),
            "--out",
            scored.to_str().unwrap(),
        ]));
        let ds = playbook::data::load_path(&scored).unwrap().frame;
        assert!(ds.column("compound").is_err(), "no VADER columns");
        let score = ds.column("score").unwrap().f64().unwrap().clone();
        assert!(
            score
                .iter()
                .all(|s| s.is_some_and(|s| (-1.0..=1.0).contains(&s)))
        );
        let class = ds.column("class").unwrap().str().unwrap().clone();
        let rating = ds
            .column("rating")
            .unwrap()
            .cast(&polars::prelude::DataType::Float64)
            .unwrap();
        let truth = |r: f64| {
            if r > 0.5 {
                "positive"
            } else if r < -0.5 {
                "negative"
            } else {
                "neutral"
            }
        };
        let correct = class
            .iter()
            .zip(rating.f64().unwrap().iter())
            .filter(|(c, r)| *c == Some(truth(r.unwrap())))
            .count();
        let accuracy = correct as f64 / ds.height() as f64;
        assert!(
            (accuracy - trained_accuracy).abs() < 1e-9,
            "{accuracy} vs {trained_accuracy}"
        );
        // The model drives correlate.
        let windows = dir.path().join("w.csv");
        let v: serde_json::Value = serde_json::from_str(&ok(&run(&[
            "--no-record",
            "sentiment",
            "correlate",
            "--tweets",
            crate::sample("crypto_tweets.parquet").to_str().unwrap(),
            "--prices",
            crate::sample("crypto_prices.parquet").to_str().unwrap(),
            "--model",
            model.to_str().unwrap(),
            "--json",
            "--out",
            windows.to_str().unwrap(),
        ])))
        .unwrap();
        assert_eq!(v["scorer"], "Logistic regression");
        // Not a model; a model whose weights do not fit its features.
        let (_d, junk) = crate::temp_file("junk.json", b"{\"a\": 1}");
        let bad = dir.path().join("bad.json");
        let text = std::fs::read_to_string(&model).unwrap();
        std::fs::write(
            &bad,
            text.replacen("\"weights\":[[", "\"weights\":[[0.5,", 1),
        )
        .unwrap();
        for (path, want) in [
            (junk.to_str().unwrap(), "not a Playbook sentiment model"),
            (bad.to_str().unwrap(), "weights do not match"),
        ] {
            let o = run(&[
                "--no-record",
                "sentiment",
                "score",
                "--input",
                corpus.to_str().unwrap(),
                "--model",
                path,
                "--out",
                dir.path().join("x.csv").to_str().unwrap(),
            ]);
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(!o.status.success() && err.contains(want), "{err}");
            assert!(err.contains(path), "{err}");
        }
    }

    #[test]
    fn bad_input_names_the_file_and_the_column() {
        let (_d, tweets) = crate::temp_file("tweets.csv", b"time,body\n2024-01-01 00:00,hello\n");
        let (_e, prices) =
            crate::temp_file("prices.csv", b"timestamp,asset,price\nyesterday,BTC,1\n");
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("o.csv");
        let o = run(&[
            "sentiment",
            "score",
            "--input",
            tweets.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            !o.status.success() && err.contains("tweets.csv") && err.contains("'text' not found"),
            "{err}"
        );
        let o = run(&[
            "sentiment",
            "correlate",
            "--tweets",
            tweets.to_str().unwrap(),
            "--prices",
            prices.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            !o.status.success()
                && err.contains("prices.csv")
                && err.contains("'timestamp'")
                && err.contains("yesterday"),
            "{err}"
        );
        let o = run(&[
            "sentiment",
            "correlate",
            "--tweets",
            "t.csv",
            "--prices",
            "p.csv",
            "--window",
            "15x",
            "--out",
            "o.csv",
        ]);
        assert!(String::from_utf8_lossy(&o.stderr).contains("unknown unit 'x'"));
        assert!(!out.exists(), "nothing is written on error");
    }
}

mod gui {
    use std::time::Instant;

    use crate::gui::{harness, settle, snapshot_allowing};
    use egui_kittest::kittest::Queryable;
    use playbook::app::Settings;

    #[test]
    fn sentiment_panel_shows_assets_tweets_alerts_and_the_classifier_table() {
        let mut h = harness(Settings::default());
        h.state_mut().select_panel("sentiment");
        settle(&mut h);
        h.get_by_label_contains("tweets on 2 assets");
        h.get_by_label_contains("windows with more positive tweets had higher returns");
        snapshot_allowing(&mut h, "sentiment_overview", 300);
        h.get_by_label("Alerts").click();
        settle(&mut h);
        h.get_by_label_contains("alerts.");
        // The first alert's window opens its tweets, most negative first.
        h.query_all_by_label_contains("2024-03-")
            .next()
            .expect("an alert")
            .click();
        settle(&mut h);
        h.get_by_label_contains("Window 2024-03-");
        h.get_by_label("All windows");
        snapshot_allowing(&mut h, "sentiment_window_tweets", 300);
        // VADER and naive Bayes only: logistic regression takes a minute in a debug build.
        h.state_mut().restore_panel(
            "sentiment",
            &serde_json::json!({"view": "Classifiers", "classifier": {"models": ["Vader", "NaiveBayes"], "folds": 2}}),
        );
        settle(&mut h);
        h.get_by_label("Compare").click();
        let started = Instant::now();
        while h.query_by_label_contains("to train, 840 to test").is_none() {
            assert!(
                started.elapsed().as_secs() < 120,
                "the comparison did not finish"
            );
            h.step();
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        settle(&mut h);
        h.get_by_label("80.7%");
        snapshot_allowing(&mut h, "sentiment_classifiers", 300);
    }
}

/// Tweets as newline-delimited JSON (as streams deliver them) and as a JSON array.
#[test]
fn tweets_load_from_json_lines_and_json_arrays() {
    let lines = b"{\"timestamp\": \"2024-03-01T10:00:00Z\", \"text\": \"great day :)\", \"asset\": \"BTC\"}\n{\"timestamp\": \"2024-03-01T10:05:00Z\", \"text\": \"awful\", \"asset\": \"BTC\"}\n";
    let (_d, path) = crate::temp_file("tweets.jsonl", lines);
    let ds = playbook::data::load_path(&path).unwrap();
    assert_eq!((ds.rows(), ds.column_names().len()), (2, 3));
    let times =
        playbook::data::schema::timestamps_ms("tweets.jsonl", &ds.frame, "timestamp").unwrap();
    assert_eq!(times[1].unwrap() - times[0].unwrap(), 300_000);
    let (_e, array) = crate::temp_file(
        "tweets.json",
        b"[{\"timestamp\": 1709287200, \"text\": \"ok\"}]",
    );
    let ds = playbook::data::load_path(&array).unwrap();
    let times =
        playbook::data::schema::timestamps_ms("tweets.json", &ds.frame, "timestamp").unwrap();
    assert_eq!(times[0], Some(1_709_287_200_000));
    let (_f, bad) = crate::temp_file("bad.json", b"[1, 2]");
    let Err(e) = playbook::data::load_path(&bad) else {
        panic!("[1, 2] read as a table");
    };
    let e = e.to_string();
    assert!(e.contains("bad.json") && e.contains("not an object"), "{e}");
}
