//! The Sentiment panel's controls and views.

use std::sync::Arc;

use egui_extras::{Column, TableBuilder};

use super::{SentimentPanel, SentimentRun, SentimentView, TweetKey};
use crate::compute::sentiment::Class;
use crate::compute::sentiment::classify::Model;
use crate::format::{p_value, significant};
use crate::panels::{PanelCtx, choice_combo, recorded_as, save};
use crate::usecases::sentiment::{self as usecase, tables};

const CHART_HEIGHT: f32 = 220.0;

pub(super) fn controls(p: &mut SentimentPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
    let names = ctx.catalog.names();
    ui.horizontal_wrapped(|ui| {
        choice_combo(ui, "Tweets", &names, &mut p.saved.tweets);
        choice_combo(ui, "Prices", &names, &mut p.saved.prices);
        let ready = ctx.catalog.by_name(&p.saved.tweets).is_some()
            && ctx.catalog.by_name(&p.saved.prices).is_some();
        if ui
            .add_enabled(ready, egui::Button::new("Analyse"))
            .on_hover_text(
                "Score the tweets, window them and set them against the prices (recorded)",
            )
            .clicked()
        {
            p.start(ctx, true);
        }
        if p.run.is_pending() {
            ui.spinner();
        }
    });
    let s = &mut p.saved.params;
    egui::CollapsingHeader::new("Windows, regression and alert rules")
        .id_salt("sentiment-settings")
        .show(ui, |ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            ui.horizontal_wrapped(|ui| {
                let l = ui.label("Window");
                ui.add(
                    egui::DragValue::new(&mut s.window_minutes)
                        .range(usecase::WINDOW_MINUTES.range())
                        .suffix(" min"),
                )
                .labelled_by(l.id);
                let l = ui.label("Lags up to");
                ui.add(egui::DragValue::new(&mut s.max_lag).range(usecase::MAX_LAG.range()))
                    .labelled_by(l.id)
                    .on_hover_text("Windows either side in the lead/lag chart");
                let l = ui.label("Newey-West lags");
                ui.add(egui::DragValue::new(&mut s.hac_lags).range(usecase::HAC_LAGS.range()))
                    .labelled_by(l.id)
                    .on_hover_text("0 gives classical standard errors");
                let l = ui.label("Granger lags");
                ui.add(
                    egui::DragValue::new(&mut s.granger_lags).range(usecase::GRANGER_LAGS.range()),
                )
                .labelled_by(l.id);
            });
            ui.horizontal_wrapped(|ui| {
                let a = &mut s.alerts;
                let l = ui.label("Alert when the price moves more than");
                ui.add(
                    egui::DragValue::new(&mut a.price_move_pct)
                        .range(usecase::PRICE_MOVE.range())
                        .speed(0.1)
                        .suffix(" %"),
                )
                .labelled_by(l.id);
                let l = ui.label("tweets exceed");
                ui.add(
                    egui::DragValue::new(&mut a.volume_multiple)
                        .range(usecase::VOLUME_MULTIPLE.range())
                        .speed(0.1)
                        .suffix(" × median"),
                )
                .labelled_by(l.id);
                let l = ui.label("mean sentiment swings by");
                ui.add(
                    egui::DragValue::new(&mut a.sentiment_swing)
                        .range(usecase::SENTIMENT_SWING.range())
                        .speed(0.05),
                )
                .labelled_by(l.id)
                .on_hover_text(format!(
                    "Change of the mean −1/0/+1 score from the window before, both windows with \
                     at least {} tweets",
                    usecase::SWING_MIN_TWEETS
                ));
            });
        });
}

pub(super) fn waiting(ui: &mut egui::Ui, pending: bool) {
    if pending {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Scoring the tweets…");
        });
    } else {
        ui.label(
            "Choose a tweets table (timestamp, text, optionally asset) and a prices table \
             (timestamp, asset, price, optionally volume), then press Analyse: every tweet is \
             scored, tweets are summed per asset and window, and set against the price moves.",
        );
    }
}

fn asset_picker(p: &mut SentimentPanel, ui: &mut egui::Ui, r: &SentimentRun) {
    if p.saved.asset >= r.out.assets.len() {
        p.saved.asset = 0;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label("Asset");
        for (k, a) in r.out.assets.iter().enumerate() {
            ui.selectable_value(&mut p.saved.asset, k, &a.name);
        }
    });
}

fn stale_note(p: &SentimentPanel, ui: &mut egui::Ui, r: &SentimentRun) {
    let out = &r.out;
    crate::panels::stale_note(
        ui,
        (
            &format!("{} and {}", out.tweets_name, out.prices_name),
            &out.params,
        ),
        (
            &format!("{} and {}", p.saved.tweets, p.saved.prices),
            &p.saved.params,
        ),
        "Analyse",
    );
}

pub(super) fn overview_ui(
    p: &mut SentimentPanel,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    r: &Arc<SentimentRun>,
) {
    let out = &r.out;
    let [neg, neu, pos] = out.class_counts();
    let total = (neg + neu + pos).max(1) as f64;
    ui.label(format!(
        "{} tweets on {} assets in {}-minute windows: {:.0}% positive, {:.0}% neutral, {:.0}% \
         negative; {} alerts. {:.2} s.{}",
        out.n_tweets,
        out.assets.len(),
        out.params.window_minutes,
        100.0 * pos as f64 / total,
        100.0 * neu as f64 / total,
        100.0 * neg as f64 / total,
        out.alerts().count(),
        out.seconds,
        recorded_as(r.run_id)
    ));
    if out.unmatched_tweets > 0 {
        ui.weak(format!(
            "{} tweets left out: no time, or an asset without prices.",
            out.unmatched_tweets
        ));
    }
    stale_note(p, ui, r);
    asset_picker(p, ui, r);
    let k = p.saved.asset;
    let (Some(a), Some(charts)) = (out.assets.get(k), r.charts.get(k)) else {
        return;
    };
    if let Some(finding) = usecase::finding(a) {
        ui.strong(finding);
    }
    let stems = [
        "sentiment-price",
        "sentiment-classes",
        "sentiment-scatter",
        "sentiment-lead-lag",
    ];
    for (i, (chart, stem)) in charts.iter().zip(stems).enumerate() {
        save::chart_block(ui, ctx, &format!("{stem}-{k}"), chart, stem, CHART_HEIGHT);
        if i == 2 {
            regression_table(ui, a);
        }
        ui.add_space(6.0);
    }
    match &a.granger {
        Ok(g) => ui.label(format!(
            "Granger-style F test (predictive precedence, not causation): do the last {} windows \
             of summed sentiment help predict the return beyond its own past? F({}, {}) = {}, p \
             {}.",
            g.lags,
            g.df_num,
            g.df_den,
            significant(g.f, 3),
            p_value(g.p)
        )),
        Err(e) => ui.weak(format!("No Granger test: {e}")),
    };
    for (what, stem, make) in [
        (
            "Windows (every asset)",
            "sentiment-windows",
            tables::windows as fn(&_) -> _,
        ),
        (
            "Regression table",
            "sentiment-regression",
            tables::regression,
        ),
        ("Lead/lag correlations", "sentiment-lags", tables::lags),
    ] {
        ui.horizontal_wrapped(|ui| {
            ui.label(what);
            let r2 = Arc::clone(r);
            save::table_buttons(ui, ctx, &what.to_lowercase(), stem, move || make(&r2.out));
        });
    }
}

fn regression_table(ui: &mut egui::Ui, a: &usecase::AssetAnalysis) {
    let fit = match &a.regression {
        Ok(fit) => fit,
        Err(e) => {
            ui.weak(format!("No regression: {e}"));
            return;
        }
    };
    ui.weak(format!(
        "Return ~ summed sentiment + tweet count; N {}, R² {}, adjusted R² {}; errors: {}.",
        fit.n,
        significant(fit.r_squared, 3),
        significant(fit.adj_r_squared, 3),
        fit.covariance.describe()
    ));
    egui::Grid::new(format!("sentiment-ols-{}", a.name))
        .striped(true)
        .show(ui, |ui| {
            // In return percentage points, the unit the scatter's title and axis use.
            for h in [
                "term",
                "estimate (return %)",
                "std. error (%)",
                "z / t",
                "p",
            ] {
                ui.strong(h);
            }
            ui.end_row();
            for c in &fit.coefficients {
                ui.label(&c.name);
                ui.label(significant(c.estimate * 100.0, 3));
                ui.label(significant(c.std_error * 100.0, 3));
                ui.label(format!("{:.2}", c.t));
                ui.label(p_value(c.p));
                ui.end_row();
            }
        });
}

fn class_name(c: Option<Class>) -> &'static str {
    c.map_or("all classes", Class::name)
}

/// Rows of the tweet table for `key`.
fn tweet_rows(r: &SentimentRun, key: &TweetKey) -> Vec<usize> {
    let f = &r.filter;
    let needle = key.contains.to_lowercase();
    let n = f.compound.len().min(f.asset.len()).min(f.time.len());
    let mut rows: Vec<usize> = (0..n)
        .filter(|&i| {
            f.asset[i] > -2
                && key
                    .asset
                    .is_none_or(|a| f.asset[i] == -1 || f.asset[i] == a as i64)
                && key
                    .class
                    .is_none_or(|c| Class::of_compound(f.compound[i]) == c)
                && key
                    .window
                    .is_none_or(|(from, to)| (from..to).contains(&f.time[i]))
                && (needle.is_empty() || f.lower.get(i).is_some_and(|t| t.contains(&needle)))
        })
        .collect();
    if key.most_negative_first {
        rows.sort_by(|&a, &b| f.compound[a].total_cmp(&f.compound[b]).then(a.cmp(&b)));
    } else {
        rows.sort_by_key(|&i| (f.time[i], i));
    }
    rows
}

pub(super) fn tweets_ui(
    p: &mut SentimentPanel,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    r: &Arc<SentimentRun>,
) {
    stale_note(p, ui, r);
    asset_picker(p, ui, r);
    ui.horizontal_wrapped(|ui| {
        egui::ComboBox::from_label("Class")
            .selected_text(class_name(p.saved.class))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut p.saved.class, None, "all classes");
                for c in Class::ALL {
                    ui.selectable_value(&mut p.saved.class, Some(c), c.name());
                }
            });
        let l = ui.label("Text contains");
        ui.add(egui::TextEdit::singleline(&mut p.saved.contains).desired_width(120.0))
            .labelled_by(l.id);
        ui.checkbox(&mut p.saved.most_negative_first, "Most negative first")
            .on_hover_text("Sort by compound score, lowest first (else by time)");
        if let Some((_, from, to)) = p.window {
            ui.label(format!(
                "Window {} to {}",
                crate::format::time_ms(from),
                crate::format::time_ms(to)
            ));
            if ui.button("All windows").clicked() {
                p.window = None;
            }
        }
    });
    let key = TweetKey {
        run: r.run,
        asset: Some(p.saved.asset),
        class: p.saved.class,
        contains: p.saved.contains.trim().to_owned(),
        window: p.window.map(|(_, from, to)| (from, to)),
        most_negative_first: p.saved.most_negative_first,
    };
    let rows = match &p.rows {
        Some((k, rows)) if *k == key => Arc::clone(rows),
        _ => {
            let rows = Arc::new(tweet_rows(r, &key));
            p.rows = Some((key, Arc::clone(&rows)));
            rows
        }
    };
    let df = Arc::clone(&r.out.tweets);
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("{} of {} tweets.", rows.len(), df.height()));
        let (df2, rows2) = (Arc::clone(&df), Arc::clone(&rows));
        save::table_buttons(ui, ctx, "the tweets shown", "sentiment-tweets", move || {
            let idx: Vec<polars::prelude::IdxSize> = rows2
                .iter()
                .map(|&i| i as polars::prelude::IdxSize)
                .collect();
            df2.take(&polars::prelude::IdxCa::from_vec("idx".into(), idx))
        });
    });
    let text_col = r.out.params.columns.text.clone();
    let time_col = r.out.params.columns.tweet_time.clone();
    let cell = |name: &str, i: usize| -> String {
        df.column(name)
            .ok()
            .and_then(|c| c.get(i).ok())
            .map(|v| match v {
                polars::prelude::AnyValue::String(s) => s.to_string(),
                polars::prelude::AnyValue::Null => String::new(),
                other => other.to_string(),
            })
            .unwrap_or_default()
    };
    ui.push_id("sentiment-tweets", |ui| {
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
        TableBuilder::new(ui)
            .striped(true)
            .max_scroll_height(420.0)
            .column(Column::auto().at_least(120.0))
            .column(Column::auto().at_least(60.0))
            .column(Column::auto().at_least(70.0))
            .column(Column::remainder().at_least(200.0).clip(true))
            .header(22.0, |mut h| {
                for name in ["time", "compound", "class", "text"] {
                    h.col(|ui| {
                        ui.strong(name);
                    });
                }
            })
            .body(|body| {
                body.rows(20.0, rows.len(), |mut row| {
                    let i = rows[row.index()];
                    let text = cell(&text_col, i);
                    for value in [cell(&time_col, i), cell("compound", i), cell("class", i)] {
                        row.col(|ui| {
                            ui.label(value);
                        });
                    }
                    row.col(|ui| {
                        ui.add(egui::Label::new(&text).truncate())
                            .on_hover_text(&text);
                    });
                });
            });
    });
}

pub(super) fn alerts_ui(
    p: &mut SentimentPanel,
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx<'_>,
    r: &Arc<SentimentRun>,
) {
    stale_note(p, ui, r);
    let out = &r.out;
    let rules = &out.params.alerts;
    ui.label(format!(
        "Windows where the price moved more than {}%, tweets exceeded {}× the asset's median \
         count, or the mean sentiment swung by more than {} (change the rules above and press \
         Analyse). Click a row for its tweets.",
        rules.price_move_pct, rules.volume_multiple, rules.sentiment_swing
    ));
    let alerts: Vec<&usecase::Alert> = out.alerts().collect();
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("{} alerts.", alerts.len()));
        let r2 = Arc::clone(r);
        save::table_buttons(ui, ctx, "the alerts", "sentiment-alerts", move || {
            tables::alerts(&r2.out)
        });
    });
    let length = i64::from(out.params.window_minutes) * 60_000;
    let mut clicked = None;
    ui.push_id("sentiment-alerts", |ui| {
        // Cells on one line: rows have a fixed height.
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
        TableBuilder::new(ui)
            .striped(true)
            .sense(egui::Sense::click())
            .max_scroll_height(420.0)
            .columns(Column::auto().at_least(70.0), 5)
            .header(22.0, |mut h| {
                for name in ["asset", "window", "rule", "value", "tweets"] {
                    h.col(|ui| {
                        ui.strong(name);
                    });
                }
            })
            .body(|body| {
                body.rows(20.0, alerts.len(), |mut row| {
                    let a = alerts[row.index()];
                    let w = &out.assets[a.asset].windows[a.window];
                    let value = match a.rule {
                        usecase::BrokenRule::PriceMove => format!("{:+.2}%", a.value),
                        usecase::BrokenRule::TweetVolume => format!("{:.1}× median", a.value),
                        usecase::BrokenRule::SentimentSwing => format!("{:+.2}", a.value),
                    };
                    let window = Some((a.asset, w.start, w.start + length));
                    row.col(|ui| {
                        ui.label(&out.assets[a.asset].name);
                    });
                    row.col(|ui| {
                        if ui
                            .link(crate::format::time_ms(w.start))
                            .on_hover_text("The window's tweets, most negative first")
                            .clicked()
                        {
                            clicked = window;
                        }
                    });
                    for c in [a.rule.name().to_string(), value, w.tweets.to_string()] {
                        row.col(|ui| {
                            ui.label(c);
                        });
                    }
                    if row.response().clicked() {
                        clicked = window;
                    }
                });
            });
    });
    if let Some((asset, from, to)) = clicked {
        p.window = Some((asset, from, to));
        p.saved.asset = asset;
        p.saved.view = SentimentView::Tweets;
        p.saved.most_negative_first = true;
    }
}

pub(super) fn classifiers_ui(p: &mut SentimentPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
    let names = ctx.catalog.names();
    ui.horizontal_wrapped(|ui| {
        choice_combo(ui, "Labelled texts", &names, &mut p.saved.labelled);
        if let Some(d) = ctx.catalog.by_name(&p.saved.labelled) {
            let columns = d.column_names();
            choice_combo(ui, "Text", &columns, &mut p.saved.classifier.text_col);
            choice_combo(ui, "Label", &columns, &mut p.saved.classifier.label_col);
            ui.weak("(a rating: > 0.5 positive, < −0.5 negative; or class names)");
        }
    });
    ui.horizontal_wrapped(|ui| {
        for model in Model::ALL {
            let mut on = p.saved.classifier.models.contains(&model);
            if ui.checkbox(&mut on, model.name()).changed() {
                p.saved.classifier.models.retain(|m| *m != model);
                if on {
                    p.saved.classifier.models.push(model);
                    p.saved
                        .classifier
                        .models
                        .sort_by_key(|m| Model::ALL.iter().position(|x| x == m));
                }
            }
        }
        let ready = ctx.catalog.by_name(&p.saved.labelled).is_some()
            && !p.saved.classifier.models.is_empty();
        if ui
            .add_enabled(ready, egui::Button::new("Compare"))
            .on_hover_text(
                "Hold out a seeded 20% of the texts, train each model on the rest (choosing its \
                 regularisation by 3-fold cross-validation) and score all on the held-out part \
                 (recorded). Logistic regression takes about a minute.",
            )
            .clicked()
        {
            p.start_compare(ctx);
        }
        if p.compare.is_pending() {
            ui.spinner();
            ui.label("training…");
        }
    });
    let Some(c) = p.compare.latest().cloned() else {
        ui.label(
            "Press Compare to train the classifiers on the labelled tweets and score them beside \
             VADER on the same held-out texts, as the book's comparison table does.",
        );
        return;
    };
    let cmp = &c.comparison;
    let [neg, neu, pos] = cmp.class_counts;
    ui.label(format!(
        "{}: {} texts ({pos} positive, {neu} neutral, {neg} negative), {} to train, {} to test \
         (seed {}).{}",
        cmp.name,
        cmp.n_train + cmp.n_test,
        cmp.n_train,
        cmp.n_test,
        cmp.seed,
        recorded_as(c.run_id)
    ));
    egui::Grid::new("sentiment-classifiers")
        .striped(true)
        .show(ui, |ui| {
            for h in [
                "model",
                "accuracy",
                "macro-F1",
                "chosen by CV",
                "seconds",
                "confusion (rows: true neg/neu/pos)",
            ] {
                ui.strong(h);
            }
            ui.end_row();
            for r in &cmp.rows {
                ui.label(r.model.name());
                ui.label(format!("{:.1}%", 100.0 * r.test.accuracy));
                ui.label(format!("{:.3}", r.test.macro_f1));
                ui.label(match r.model.grid() {
                    ("none", _) => "—".to_string(),
                    (what, _) => format!("{what} {}", r.chosen),
                });
                ui.label(format!("{:.1}", r.seconds));
                let m = r.test.confusion;
                ui.monospace(format!(
                    "{:>4} {:>4} {:>4} | {:>4} {:>4} {:>4} | {:>4} {:>4} {:>4}",
                    m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2], m[2][0], m[2][1], m[2][2]
                ));
                ui.end_row();
            }
        });
    ui.horizontal_wrapped(|ui| {
        let c2 = Arc::clone(&c);
        save::table_buttons(
            ui,
            ctx,
            "the comparison",
            "sentiment-classifiers",
            move || tables::comparison(&c2.comparison),
        );
    });
    save::chart_block(
        ui,
        ctx,
        "sentiment-classifier-bars",
        &c.chart,
        "sentiment-classifiers",
        CHART_HEIGHT,
    );
}
