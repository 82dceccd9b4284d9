//! `playbook demo`: the headless "main job". Runs every available use case on the embedded
//! sample data and writes its charts (PNG) and tables (CSV) into a folder, with an `index.html`
//! that lists and shows them. The use cases, their order and what each section shows come from
//! `usecases::registry`; `demo_of` gives each its demo.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};

use crate::chart::Chart;
use crate::compute::{NoProgress, histogram, stats, top_values};
use crate::data::{self, schema};
use crate::export;
use crate::usecases::registry;

/// One file the demo wrote.
#[derive(Clone, Debug)]
pub struct Artifact {
    pub use_case: &'static str,
    pub title: String,
    /// File name inside the output folder.
    pub file: String,
}

/// What one use case's demo made: its files, and one sentence of what its numbers show
/// (worked out from them, so it changes when the data does).
pub(crate) struct Section {
    pub artifacts: Vec<Artifact>,
    pub finding: String,
}

type DemoFn = fn(&Path) -> Result<Section>;

/// How the demo shows the use case with this id (its title and what it shows come from the
/// registry, which also gives the order); every use case has one.
fn demo_of(id: &str) -> Option<DemoFn> {
    Some(match id {
        "pitching" => pitching_demo,
        "sentiment" => sentiment_demo,
        "stock" => stock_demo,
        "forecast" => forecast_demo,
        "fraud" => fraud_demo,
        "dtw" => dtw_demo,
        "images" => images_demo,
        "spatial" => spatial_demo,
        "data" => data_demo,
        _ => return None,
    })
}

pub fn run(out: &Path) -> Result<Vec<Artifact>> {
    std::fs::create_dir_all(out).with_context(|| format!("{}: cannot create", out.display()))?;
    let mut all = Vec::new();
    let mut findings = Vec::new();
    for case in registry::ALL {
        let Some(demo) = demo_of(case.id) else {
            continue;
        };
        let section = demo(out).with_context(|| format!("demo of {}", case.title))?;
        all.extend(section.artifacts);
        findings.push((case.title, section.finding));
    }
    write_index(out, &all, &findings)?;
    Ok(all)
}

fn stem(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

/// Whether a numeric column names things rather than measures them: integers named like an id
/// (`id`, `…_id`, `…_pk`, `…code`, `…_number`, `pitcher`, `batter`), or integer codes (at most
/// 50 distinct values, each on 20 rows or more on average: a store, an item). Their histograms
/// say nothing.
fn id_like(df: &polars::prelude::DataFrame, name: &str) -> bool {
    let Ok(col) = df.column(name) else {
        return false;
    };
    if !col.dtype().is_integer() {
        return false;
    }
    let lower = name.to_ascii_lowercase();
    let named = lower == "id"
        || ["_id", "_pk", "code", "_number", "pitcher", "batter"]
            .iter()
            .any(|s| lower.ends_with(s));
    let distinct = col.n_unique().unwrap_or(0);
    let codes = distinct <= 50 && col.len() >= 20 * distinct;
    named || codes
}

fn data_demo(out: &Path) -> Result<Section> {
    let mut made = Vec::new();
    let (mut tables, mut rows) = (0usize, 0usize);
    let mut add = |title: String, file: String| {
        made.push(Artifact {
            use_case: "Data",
            title,
            file,
        })
    };
    for ds in data::sample::load_all()? {
        tables += 1;
        rows += ds.rows();
        let s = stem(&ds.name);
        let rows = stats::summarize(&ds.frame, &NoProgress)?;
        let file = format!("data-{s}-summary.csv");
        export::write_table(&stats::summary_frame(&rows)?, &out.join(&file))?;
        add(format!("{}: summary statistics", ds.name), file);

        let measured: Vec<String> = schema::numeric_columns(&ds.frame)
            .into_iter()
            .filter(|c| !id_like(&ds.frame, c))
            .collect();
        for col in measured.iter().take(4) {
            let values = schema::numeric_values(&ds.name, &ds.frame, col)?;
            let Ok(h) = histogram::histogram(&values, 30, &NoProgress) else {
                continue;
            };
            let file = format!("data-{s}-hist-{}.png", crate::format::slug(col));
            let chart = Chart::histogram(format!("{} — {col}", ds.name), col, h);
            export::write_chart(&chart, &out.join(&file))?;
            add(format!("{}: histogram of {col}", ds.name), file);
        }
        let text_col = ds
            .frame
            .columns()
            .iter()
            .find(|c| c.dtype().is_string() && c.name() != "geometry_type");
        if let Some(col) = text_col {
            let t = top_values::top_values(col, 12, &NoProgress)?;
            let chart =
                Chart::top_values(format!("{} — top {}", ds.name, col.name()), col.name(), &t);
            for ext in ["png", "csv"] {
                let file = format!("data-{s}-top-{}.{ext}", crate::format::slug(col.name()));
                export::write_chart(&chart, &out.join(&file))?;
                add(format!("{}: top values of {}", ds.name, col.name()), file);
            }
        }
    }
    Ok(Section {
        artifacts: made,
        finding: format!(
            "{tables} sample tables, {} rows in all, open with the app and need no download.",
            crate::format::short(rows as f64)
        ),
    })
}

/// The DTW chapter on the samples: weekly sales against the capacity curve (distances, the
/// closest product with its warping path, a stretch sweep) and 1-NN classification of GunPoint.
fn dtw_demo(out: &Path) -> Result<Section> {
    use crate::usecases::dtw::{
        self as usecase, ClassifyParams, MatchParams, SweepParams, WarpingBand,
    };
    let mut made = Vec::new();
    let mut add = |title: &str, file: &str| {
        made.push(Artifact {
            use_case: "DTW",
            title: title.to_owned(),
            file: file.to_owned(),
        })
    };
    let sales = data::sample::load("weekly_sales.csv")?;
    let capacity = data::sample::load("capacity.csv")?;
    let params = MatchParams::default();
    let valid = usecase::check_match(&params)?;
    let m = usecase::run_match(&valid, &sales, Some(&capacity), &NoProgress)?;
    export::write_table(&m.table()?, &out.join("dtw-distances.csv"))?;
    add(
        "weekly sales: DTW distance to the capacity curve (stretch 0.05), with z-scores",
        "dtw-distances.csv",
    );
    if let Some(chart) = &m.chart {
        export::write_chart(chart, &out.join("dtw-distances.png"))?;
        add(
            "histogram of the distances, median marked",
            "dtw-distances.png",
        );
    }
    let chart = m.closest_chart("week", "units").context("no series")?;
    export::write_chart(&chart, &out.join("dtw-closest.png"))?;
    add(
        "the closest product drawn over the pattern, with its warping path",
        "dtw-closest.png",
    );
    let sweep = SweepParams {
        series: params.series.clone(),
        ..SweepParams::default()
    };
    let s = usecase::run_sweep(
        &usecase::check_sweep(&sweep)?,
        &sales,
        Some(&capacity),
        &NoProgress,
    )?;
    export::write_chart(&s.chart(), &out.join("dtw-sweep.png"))?;
    add("stretch sweep", "dtw-sweep.png");
    let all_pairs = usecase::MatrixParams {
        znorm: true,
        band: WarpingBand {
            stretch: 0.1,
            cells: None,
        },
        ..Default::default()
    };
    let pairs = usecase::run_matrix(&usecase::check_matrix(&all_pairs)?, &sales, &NoProgress)?;
    export::write_chart(&pairs.chart, &out.join("dtw-all-pairs.png"))?;
    add(
        "every two products (z-normalised, stretch 0.1), clustered: alike sales curves sit together",
        "dtw-all-pairs.png",
    );
    let closest = chart.title.clone();
    let mut lines = String::from("window,error_rate\n");
    let mut errors = Vec::new();
    for w in [0.0, 1.0] {
        let (train, test) = usecase::gunpoint()?;
        let p = ClassifyParams {
            band: WarpingBand {
                stretch: w,
                cells: None,
            },
            ..ClassifyParams::default()
        };
        let o = usecase::classify(&usecase::check_classify(&p)?, train, test, &NoProgress)?;
        lines.push_str(&format!("{w},{}\n", o.error_rate()));
        errors.push(o.error_rate());
    }
    let path = out.join("dtw-gunpoint.csv");
    export::write_atomic(&path, |w| std::io::Write::write_all(w, lines.as_bytes()))?;
    add(
        "GunPoint 1-NN error rates at window 0 and 1 (UCR: 0.0867, 0.0933)",
        "dtw-gunpoint.csv",
    );
    Ok(Section {
        artifacts: made,
        finding: format!(
            "Closest to the capacity curve: {closest}. GunPoint 1-NN error {:.4} with Euclidean \
             distance and {:.4} with full DTW, the UCR archive's published 0.0867 and 0.0933.",
            errors.first().copied().unwrap_or(f64::NAN),
            errors.last().copied().unwrap_or(f64::NAN)
        ),
    })
}

/// Every store-item series of the small sample with the last 90 days held out, forecast and
/// scored: store 1 item 1's forecast with its band and components, the totals, the accuracy.
fn forecast_demo(out: &Path) -> Result<Section> {
    use crate::usecases::forecast::{self as usecase, ForecastParams, charts};
    let ds = data::sample::load("store_sales_small.csv")?;
    let params = ForecastParams::default();
    let f = usecase::run(&usecase::check(&params)?, &ds, &NoProgress)?;
    let (b, group) = (&f.batch, &params.group);
    let first = b.groups.first().context("no series forecast")?;
    let title = charts::group_title(group, &first.key, "sales");
    let mut made = Vec::new();
    let mut add = |title: String, file: &str| {
        made.push(Artifact {
            use_case: "Forecast",
            title,
            file: file.into(),
        });
    };
    let main = charts::forecast_chart(first, &title, "sales", 0.95, false);
    export::write_chart(&main, &out.join("forecast-store1-item1.png"))?;
    export::write_chart(&main, &out.join("forecast-store1-item1.csv"))?;
    add(main.title.clone(), "forecast-store1-item1.png");
    add(
        format!("{} (data)", main.title),
        "forecast-store1-item1.csv",
    );
    for (i, c) in charts::component_charts(first, "sales", false)
        .iter()
        .enumerate()
    {
        let file = format!("forecast-component-{i}.png");
        export::write_chart(c, &out.join(&file))?;
        add(format!("{title}: {}", c.title), &file);
    }
    let total = charts::total_chart(b, "sales", false);
    export::write_chart(&total, &out.join("forecast-total.png"))?;
    add(total.title.clone(), "forecast-total.png");
    export::write_table(
        &b.accuracy_frame(group)?,
        &out.join("forecast-accuracy.csv"),
    )?;
    add(
        "holdout sMAPE, MASE and coverage per series, next to the seasonal naive".into(),
        "forecast-accuracy.csv",
    );
    use crate::compute::forecast::batch::Model;
    let finding = match (b.mean(Model::Playbook), b.mean(Model::SeasonalNaive)) {
        (Some(m), Some(n)) => format!(
            "Over {} store-item series with the last days held out, the model's mean sMAPE is \
             {:.1}% against {:.1}% for the seasonal naive baseline, and its 95% intervals cover \
             {:.0}% of the held-out days.",
            b.groups.len(),
            m.smape,
            n.smape,
            100.0 * m.coverage
        ),
        _ => format!("{} series forecast.", b.groups.len()),
    };
    Ok(Section {
        artifacts: made,
        finding,
    })
}

fn write_index(out: &Path, artifacts: &[Artifact], findings: &[(&str, String)]) -> Result<()> {
    use crate::report::{Item, Report, Section};
    let sections = registry::ALL
        .iter()
        .filter(|case| demo_of(case.id).is_some())
        .map(|case| {
            let name = &case.title;
            let mut items: Vec<Item> = findings
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, f)| Item::Finding(f.clone()))
                .collect();
            for a in artifacts.iter().filter(|a| a.use_case == *name) {
                items.push(if a.file.ends_with(".png") {
                    Item::ImageLink {
                        title: a.title.clone(),
                        href: a.file.clone(),
                    }
                } else {
                    Item::Link {
                        title: a.title.clone(),
                        href: a.file.clone(),
                    }
                });
            }
            Section {
                title: (*name).to_owned(),
                about: Some(case.demo.to_owned()),
                items,
            }
        })
        .collect();
    let report = Report {
        title: "Playbook demo".into(),
        intro: "Every use case run on the sample data that ships with Playbook. Each section \
                opens with its key chart."
            .into(),
        sections,
    };
    report.write(&out.join("index.html"))
}

/// The sample transactions labelled by the book's rule, a depth-5 tree: PR and ROC curves,
/// feature importance, and the tree as rules and SQL.
fn images_demo(out: &Path) -> Result<Section> {
    use crate::usecases::images::{self as usecase, ImagesParams};
    // The bundled digits as a folder, apart from the demo's own files.
    let tmp = tempfile::tempdir()?;
    let digits = tmp.path().join("digits");
    data::images::write_files(
        &digits,
        &data::images::digit_pngs(data::images::DIGITS_CSV).map_err(anyhow::Error::msg)?,
    )?;
    // A short run, as the panel's first: 16 pixels, 15 epochs.
    let params = ImagesParams {
        size: 16,
        batch: 32,
        epochs: 15,
        ..ImagesParams::default()
    };
    let model = out.join("images-digits.model");
    let r = usecase::run(
        &usecase::check(&params)?,
        &digits,
        Some(&model),
        &NoProgress,
        &mut |_| {},
    )?;
    let mut made = Vec::new();
    for (c, file) in [
        (
            usecase::curves_chart(&r.trained.history, false),
            "images-loss.png",
        ),
        (
            usecase::curves_chart(&r.trained.history, true),
            "images-accuracy.png",
        ),
        (
            usecase::confusion_chart(&r.set.classes, &r.evaluation),
            "images-confusion.png",
        ),
    ] {
        export::write_chart(&c, &out.join(file))?;
        made.push(Artifact {
            use_case: "Images",
            title: c.title.clone(),
            file: file.into(),
        });
    }
    made.push(Artifact {
        use_case: "Images",
        title: "the trained model (playbook images predict --model images-digits.model IMAGE...)"
            .into(),
        file: "images-digits.model".into(),
    });
    Ok(Section {
        artifacts: made,
        finding: r.summary(),
    })
}

fn stock_demo(out: &Path) -> Result<Section> {
    use crate::usecases::stock::{self as usecase, StockParams, charts, tables};
    let ds = data::sample::load("inventory_sample.parquet")?;
    let s = usecase::run(&usecase::check(&StockParams::default())?, &ds, &NoProgress)?;
    let mut made = Vec::new();
    let mut chart = |c: &Chart, file: &str| -> Result<()> {
        export::write_chart(c, &out.join(file))?;
        made.push(Artifact {
            use_case: "Stock",
            title: c.title.clone(),
            file: file.into(),
        });
        Ok(())
    };
    let [heatmap, kinds, stores] = charts::summary_charts(&s);
    chart(&heatmap, "stock-heatmap.png")?;
    chart(&kinds, "stock-kinds.png")?;
    chart(&stores, "stock-stores.png")?;
    // The alert with the largest loss, as the panel opens it.
    let top = s
        .alerts()
        .iter()
        .max_by(|a, b| a.lost_units.total_cmp(&b.lost_units))
        .context("no alerts")?;
    let top_series = s.series_of(top);
    let finding = format!(
        "{} alerts over {} store × SKU series, {} units of sales lost; the largest: store {}, \
         {}, {} ({} lost units).",
        s.alerts().len(),
        s.series.len(),
        crate::format::short(s.lost_units().round()),
        top_series.store,
        top_series.sku,
        top.kind.title().to_lowercase(),
        crate::format::short(top.lost_units.round())
    );
    let [on_hand, sales] = charts::alert_charts(&s, top);
    chart(&on_hand, "stock-alert-on-hand.png")?;
    chart(&sales, "stock-alert-sales.png")?;
    export::write_table(
        &tables::alerts_frame(&s, None, true)?,
        &out.join("stock-alerts.csv"),
    )?;
    export::write_table(&tables::summary_frame(&s)?, &out.join("stock-summary.csv"))?;
    made.push(Artifact {
        use_case: "Stock",
        title: format!(
            "{} alerts (zero sales, phantom, safety stock, OSA) with their reasons",
            s.alerts().len()
        ),
        file: "stock-alerts.csv".into(),
    });
    made.push(Artifact {
        use_case: "Stock",
        title: "alerts and lost sales per store and week".into(),
        file: "stock-summary.csv".into(),
    });
    Ok(Section {
        artifacts: made,
        finding,
    })
}

fn sentiment_demo(out: &Path) -> Result<Section> {
    use crate::usecases::sentiment::classifiers::{self, ClassifierParams};
    use crate::usecases::sentiment::{self as usecase, SentimentParams, charts, tables};
    let tweets = data::sample::load("crypto_tweets.parquet")?;
    let prices = data::sample::load("crypto_prices.parquet")?;
    let valid = usecase::check_params(&SentimentParams::default())?;
    let s = usecase::run(&valid, &tweets, &prices, None, &NoProgress)?;
    let mut made = Vec::new();
    let mut chart = |c: &Chart, file: &str| -> Result<()> {
        export::write_chart(c, &out.join(file))?;
        made.push(Artifact {
            use_case: "Sentiment",
            title: c.title.clone(),
            file: file.into(),
        });
        Ok(())
    };
    let a = s.assets.first().context("no asset")?;
    let [price, classes, scatter, lead_lag] = charts::asset_charts(&s, a);
    chart(&price, "sentiment-price.png")?;
    chart(&classes, "sentiment-classes.png")?;
    chart(&scatter, "sentiment-scatter.png")?;
    chart(&lead_lag, "sentiment-lead-lag.png")?;
    // VADER against the human ratings (the trained classifiers take a minute: panel and CLI).
    let labelled = data::sample::load("tweets_labelled.csv")?;
    let params = ClassifierParams {
        models: vec![crate::compute::sentiment::classify::Model::Vader],
        ..ClassifierParams::default()
    };
    let comparison = classifiers::compare(&classifiers::check(&params)?, &labelled, &NoProgress)?;
    let mut tables_made = vec![
        (
            tables::regression(&s)?,
            "sentiment-regression.csv",
            "return on sentiment and tweet count, per asset".to_string(),
        ),
        (
            tables::windows(&s)?,
            "sentiment-windows.csv",
            "every 15-minute window: tweets, classes, return, volatility".into(),
        ),
        (
            tables::lags(&s)?,
            "sentiment-lags.csv",
            "lead/lag correlations with their band".into(),
        ),
        (
            tables::alerts(&s)?,
            "sentiment-alerts.csv",
            format!(
                "{} alerts (price move, tweet volume, sentiment swing)",
                s.alerts().count()
            ),
        ),
    ];
    let vader = comparison.rows.first().context("no VADER row")?;
    let vader_accuracy = vader.test.accuracy;
    tables_made.push((
        tables::comparison(&comparison)?,
        "sentiment-vader-accuracy.csv",
        format!(
            "VADER against 4,200 human-rated tweets: {:.1}% accuracy, macro-F1 {:.3} on the held-out fifth",
            100.0 * vader.test.accuracy,
            vader.test.macro_f1
        ),
    ));
    for (table, file, title) in tables_made {
        export::write_table(&table, &out.join(file))?;
        made.push(Artifact {
            use_case: "Sentiment",
            title,
            file: file.into(),
        });
    }
    let finding = s
        .assets
        .iter()
        .filter_map(usecase::finding)
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Section {
        artifacts: made,
        finding: format!(
            "{finding} VADER agrees with the human raters on {:.1}% of held-out tweets.",
            100.0 * vader_accuracy
        ),
    })
}

fn pitching_demo(out: &Path) -> Result<Section> {
    use crate::usecases::pitching::{self as usecase, PitchingParams, charts, tables};
    let ds = data::sample::load("pitches_2021_06.parquet")?;
    let s = usecase::run(
        &usecase::check(&PitchingParams::default())?,
        &ds,
        None,
        &NoProgress,
    )?;
    let mut made = Vec::new();
    let mut chart = |c: &Chart, file: &str| -> Result<()> {
        export::write_chart(c, &out.join(file))?;
        made.push(Artifact {
            use_case: "Pitching",
            title: c.title.clone(),
            file: file.into(),
        });
        Ok(())
    };
    chart(
        &charts::league_chart(&s.league, charts::LeagueMetric::Spin),
        "pitching-league-spin.png",
    )?;
    chart(
        &charts::league_chart(&s.league, charts::LeagueMetric::Bauer),
        "pitching-league-bauer.png",
    )?;
    // The pitcher of the latest flagged outing, as the panel shows him, and that outing as the
    // live view draws it.
    if let Some(o) = s.flagged_outings().last() {
        let (pitches, scores) = s.of_pitcher(o.pitcher);
        let name = s.pitches.name(o.pitcher);
        let [spin, speed, movement, release, location, _] =
            charts::pitcher_charts(&name, &pitches, &scores, s.rule.z);
        chart(&spin, "pitching-pitcher-spin.png")?;
        chart(&speed, "pitching-pitcher-velocity.png")?;
        chart(&movement, "pitching-pitcher-movement.png")?;
        chart(&release, "pitching-pitcher-release.png")?;
        chart(&location, "pitching-pitcher-location.png")?;
        let (game_p, game_s): (Vec<_>, Vec<_>) = pitches
            .iter()
            .zip(&scores)
            .filter(|(p, _)| p.game_pk == o.game_pk)
            .map(|(p, s)| (*p, *s))
            .unzip();
        let [live_spin, _, strikeouts, _] = charts::live_charts(&name, &game_p, &game_s, s.rule.z);
        chart(&live_spin, "pitching-outing-spin.png")?;
        chart(&strikeouts, "pitching-outing-strikeouts.png")?;
    }
    export::write_table(
        &tables::outings_frame(&s, true)?,
        &out.join("pitching-flagged-outings.csv"),
    )?;
    made.push(Artifact {
        use_case: "Pitching",
        title: format!(
            "{} flagged outings with the strongest pitch's reason ({})",
            s.flagged_outings().count(),
            s.summary()
        ),
        file: "pitching-flagged-outings.csv".into(),
    });
    export::write_table(
        &tables::league_frame(&s.league)?,
        &out.join("pitching-league.csv"),
    )?;
    made.push(Artifact {
        use_case: "Pitching",
        title: "average spin, speed and Bauer units per week and pitch type".into(),
        file: "pitching-league.csv".into(),
    });
    // Four-seam spin in the league's first and last week of the sample.
    let ff: Vec<&crate::compute::pitching::league::WeekRow> =
        s.league.iter().filter(|w| &*w.pitch_type == "FF").collect();
    let spin_change = match (ff.first(), ff.last()) {
        (Some(a), Some(b)) if a.week != b.week => format!(
            " League four-seam spin went from {:.0} rpm in the week of {} to {:.0} rpm in the week \
             of {}.",
            a.spin,
            crate::format::date(f64::from(a.week)),
            b.spin,
            crate::format::date(f64::from(b.week))
        ),
        _ => String::new(),
    };
    Ok(Section {
        artifacts: made,
        finding: format!("{}.{spin_change}", s.summary()),
    })
}

fn fraud_demo(out: &Path) -> Result<Section> {
    use crate::usecases::fraud::{self as usecase, FraudParams};
    let ds = data::sample::load("transactions_100k.parquet")?;
    let f = usecase::run(&usecase::check(&FraudParams::default())?, &ds, &NoProgress)?;
    let mut made = Vec::new();
    for (i, c) in usecase::curve_charts(&f.outcome, None).iter().enumerate() {
        let metric = if i == 0 {
            format!("test PR-AUC {:.4}", f.outcome.test.pr_auc)
        } else {
            format!("test ROC-AUC {:.4}", f.outcome.test.roc_auc)
        };
        let file = format!("fraud-curve-{i}.png");
        export::write_chart(c, &out.join(&file))?;
        made.push(Artifact {
            use_case: "Fraud",
            title: format!("{} ({metric})", c.title),
            file,
        });
    }
    let text = f.rules_and_sql();
    export::write_atomic(&out.join("fraud-rules.sql"), |w| {
        std::io::Write::write_all(w, text.as_bytes())
    })?;
    made.push(Artifact {
        use_case: "Fraud",
        title: "the tree as readable rules and a SQL CASE WHEN expression".into(),
        file: "fraud-rules.sql".into(),
    });
    Ok(Section {
        artifacts: made,
        finding: format!(
            "A decision tree learns the rule's labels from the transactions' columns: on held-out \
             transactions its PR-AUC is {:.3} and its ROC-AUC {:.3}.",
            f.outcome.test.pr_auc, f.outcome.test.roc_auc
        ),
    })
}

/// The sample pickups joined to the NYC boroughs: counts per borough, the same through H3 at
/// resolutions 7 and 9 with their agreement, and the map.
fn spatial_demo(out: &Path) -> Result<Section> {
    use crate::usecases::spatial::{self as usecase, JoinParams, Method, layers};
    let taxi = data::sample::load("taxi_pickups.csv")?;
    let boroughs = data::sample::load("nyc_boroughs.geojson")?;
    let exact = usecase::join(
        &usecase::check(&JoinParams::default())?,
        &taxi,
        &boroughs,
        &NoProgress,
    )?;
    let mut agreement = Vec::new();
    let mut lines = String::from("method,borough,count,same_as_exact\n");
    for (name, c) in exact.set.names.iter().zip(&exact.assignment.counts) {
        let _ = writeln!(lines, "exact,{name},{c},1");
    }
    for r in [7u8, 9] {
        let p = JoinParams {
            method: Method::H3,
            resolution: r,
            ..JoinParams::default()
        };
        let a = usecase::join(&usecase::check(&p)?, &taxi, &boroughs, &NoProgress)?;
        let same = a.agreement.unwrap_or(f64::NAN);
        agreement.push((r, same));
        for (name, c) in a.set.names.iter().zip(&a.assignment.counts) {
            let _ = writeln!(lines, "h3 resolution {r},{name},{c},{same:.4}");
        }
    }
    export::write_atomic(&out.join("spatial-counts.csv"), |w| {
        std::io::Write::write_all(w, lines.as_bytes())
    })?;
    let counts = &exact.assignment.counts;
    let p = &exact.points;
    let chart = layers::map_chart(layers::MapLayers {
        title: format!("{} taxi pickups per borough", p.len()),
        source: "taxi_pickups.csv and nyc_boroughs.geojson".into(),
        set: &exact.set,
        counts,
        choropleth: true,
        cells: None,
        points: p
            .lon
            .iter()
            .zip(&p.lat)
            .step_by(4)
            .map(|(&x, &y)| (x, y))
            .collect(),
        point_colours: Vec::new(),
        point_legend: Vec::new(),
        nouns: ("pickups", "borough"),
    });
    export::write_chart(&chart, &out.join("spatial-map.png"))?;
    let joined: u64 = counts.iter().sum();
    let busiest = exact
        .set
        .names
        .iter()
        .zip(counts)
        .max_by_key(|(_, c)| **c)
        .map(|(n, c)| format!("{n} ({c})"))
        .unwrap_or_default();
    let h3: Vec<String> = agreement
        .iter()
        .map(|(r, same)| format!("{:.1}% at resolution {r}", 100.0 * same))
        .collect();
    Ok(Section {
        artifacts: vec![
            Artifact {
                use_case: "Spatial",
                title: "pickups per borough: exact, and through H3 at resolutions 7 and 9".into(),
                file: "spatial-counts.csv".into(),
            },
            Artifact {
                use_case: "Spatial",
                title: chart.title.clone(),
                file: "spatial-map.png".into(),
            },
        ],
        finding: format!(
            "{joined} of {} pickups fall in a borough, most in {busiest}; the H3 join agrees with \
             the exact one on {}.",
            p.len(),
            h3.join(" and ")
        ),
    })
}

#[cfg(test)]
mod registry_tests {
    #[test]
    fn every_use_case_has_a_demo() {
        for case in super::registry::ALL {
            assert!(super::demo_of(case.id).is_some(), "{} has no demo", case.id);
        }
    }
}
