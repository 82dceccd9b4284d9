//! The out-of-stock use case: planted problems of generated inventory recovered through the CLI
//! (on the seed the detectors were tuned on and on others), the alert and summary tables, bad
//! input, and the Stock panel in the GUI.

use std::path::Path;

use crate::gui::{harness, settle, snapshot_allowing};
use crate::{playbook as run, temp_file};
use egui_kittest::kittest::{NodeT, Queryable};
use playbook::app::Settings;

fn json(o: &std::process::Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn generate(dir: &Path, seed: u64) -> (String, String) {
    let data = dir.join(format!("inv{seed}.parquet"));
    let o = run(&[
        "gen",
        "inventory",
        "--seed",
        &seed.to_string(),
        "--out",
        data.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let truth = dir.join(format!("inv{seed}_truth.csv"));
    assert!(truth.exists());
    (
        data.to_str().unwrap().to_owned(),
        truth.to_str().unwrap().to_owned(),
    )
}

#[test]
fn planted_problems_are_recovered_on_seeds_tuned_and_not_tuned_on() {
    // Seed 7 is the one the thresholds were looked at on; 21 and 24 were not.
    let dir = tempfile::tempdir().unwrap();
    for seed in [7, 21, 24] {
        let (data, truth) = generate(dir.path(), seed);
        let v = json(&run(&[
            "--no-record",
            "stock",
            "score",
            "--input",
            &data,
            "--truth",
            &truth,
        ]));
        let s = &v["score"];
        let phantom = s["phantom"]["recall"].as_f64().unwrap();
        let display = s["display"]["recall"].as_f64().unwrap();
        let precision = s["precision"].as_f64().unwrap();
        assert!(s["phantom"]["planted"].as_u64().unwrap() >= 40, "{s}");
        assert!(s["display"]["planted"].as_u64().unwrap() >= 30, "{s}");
        assert!(phantom >= 0.9, "seed {seed}: phantom recall {phantom}");
        assert!(display >= 0.8, "seed {seed}: display recall {display}");
        assert!(precision >= 0.8, "seed {seed}: precision {precision}");
        assert_eq!(s["safety_alerts"], s["safety_alerts_below"], "seed {seed}");
        assert!(s["safety_alerts"].as_u64().unwrap() > 0);
    }
}

#[test]
fn alerts_and_summary_tables_have_the_documented_columns() {
    let dir = tempfile::tempdir().unwrap();
    let (data, _) = generate(dir.path(), 3);
    let alerts = dir.path().join("alerts.csv");
    let episodes = dir.path().join("episodes.csv");
    let v = json(&run(&[
        "stock",
        "alerts",
        "--input",
        &data,
        "--json",
        "--out",
        alerts.to_str().unwrap(),
        "--episodes-out",
        episodes.to_str().unwrap(),
    ]));
    let text = std::fs::read_to_string(&alerts).unwrap();
    assert_eq!(
        text.lines().next().unwrap(),
        "kind,store,sku,start,end,days,lost_units,lost_revenue,confidence"
    );
    let rows = text.lines().count() - 1;
    assert_eq!(v["alerts"].as_u64().unwrap() as usize, rows);
    let kinds = [
        "zero_sales",
        "phantom",
        "safety_stock",
        "osa",
        "out_of_stock",
    ];
    let counted: u64 = kinds.iter().map(|k| v[k].as_u64().unwrap()).sum();
    assert_eq!(counted as usize, rows);
    for line in text.lines().skip(1) {
        let kind = line.split(',').next().unwrap();
        assert!(kinds.contains(&kind), "{line}");
    }
    // Episodes merge alerts, so there are fewer of them, and each names its kinds.
    let ep = playbook::data::load_path(&episodes).unwrap();
    assert!(ep.rows() < rows && ep.rows() > 0);
    assert_eq!(v["episodes"].as_u64().unwrap() as usize, ep.rows());
    assert!(v["lost_revenue"].as_f64().unwrap() > 0.0);
    assert!(v["quality"]["missing_days"].as_u64().unwrap() > 0);
    assert!(v["quality"]["duplicate_rows"].as_u64().unwrap() > 0);
    // The summary's alerts add up to the alert table's.
    let summary = dir.path().join("summary.csv");
    let o = run(&[
        "stock",
        "summary",
        "--input",
        &data,
        "--out",
        summary.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = playbook::data::load_path(&summary).unwrap();
    assert_eq!(
        s.column_names(),
        [
            "store",
            "week",
            "alerts",
            "zero_sales",
            "phantom",
            "safety_stock",
            "osa",
            "lost_units",
            "lost_revenue"
        ]
    );
    let total: f64 = s
        .frame
        .column("alerts")
        .unwrap()
        .as_materialized_series()
        .sum::<f64>()
        .unwrap();
    assert_eq!(total as usize, rows);
    // 20 stores, 53 weeks touched by 2025.
    assert_eq!(s.rows(), 20 * 53);
}

#[test]
fn messy_rows_are_counted_not_fatal() {
    // A steady SKU for 60 days, with a duplicated day, a missing day, a negative on-hand, a
    // row without a store, and a SKU that appears once.
    let mut csv = String::from("day,shop,item,stock,sold,in\n");
    for d in 0..60 {
        if d == 30 {
            continue;
        }
        let date = format!("2025-03-{:02}", 1 + d % 31);
        let date = if d < 31 {
            date
        } else {
            format!("2025-04-{:02}", d - 30)
        };
        let stock = if d == 10 { -2 } else { 40 };
        csv.push_str(&format!("{date},A,x,{stock},{},0\n", 3 + d % 3));
        if d == 5 {
            csv.push_str(&format!("{date},A,x,{stock},{},0\n", 3 + d % 3));
        }
    }
    csv.push_str("2025-03-02,,x,5,1,0\n");
    csv.push_str("2025-03-02,B,y,5,1,0\n");
    let (dir, path) = temp_file("messy.csv", csv.as_bytes());
    let out = dir.path().join("alerts.csv");
    let v = json(&run(&[
        "stock",
        "alerts",
        "--input",
        path.to_str().unwrap(),
        "--date-col",
        "day",
        "--store-col",
        "shop",
        "--sku-col",
        "item",
        "--on-hand-col",
        "stock",
        "--sold-col",
        "sold",
        "--received-col",
        "in",
        "--json",
        "--out",
        out.to_str().unwrap(),
    ]));
    let q = &v["quality"];
    assert_eq!(q["duplicate_rows"], 1, "{q}");
    assert_eq!(q["missing_days"], 1, "{q}");
    assert_eq!(q["negative_on_hand"], 1, "{q}");
    assert_eq!(q["rows_without_key"], 1, "{q}");
    assert_eq!(q["single_row_series"], 1, "{q}");
    assert_eq!(v["series"], 2);
    assert_eq!(v["too_short"], 1);
}

#[test]
fn a_missing_or_wrong_column_is_one_clear_error() {
    let (dir, path) = temp_file(
        "inv.csv",
        b"date,store,sku,on_hand,units_sold\n2025-01-01,A,x,3,1\n",
    );
    let out = dir.path().join("a.csv");
    let o = run(&[
        "stock",
        "alerts",
        "--input",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("units_received"), "{err}");
    assert!(err.contains("inv.csv"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let (_d, path) = temp_file(
        "text.csv",
        b"date,store,sku,on_hand,units_sold,units_received\n2025-01-01,A,x,lots,1,0\n",
    );
    let o = run(&[
        "stock",
        "alerts",
        "--input",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success() && err.contains("'on_hand'"), "{err}");
    let o = run(&[
        "stock",
        "alerts",
        "--input",
        path.to_str().unwrap(),
        "--osa-ratio",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("OSA sales ratio must be from 0.05 to 0.95"),
        "{err}"
    );
}

#[test]
fn stock_panel_finds_alerts_and_drills_down_to_one() {
    let mut h = harness(Settings::default());
    h.get_by_label("Stock").click();
    settle(&mut h);
    h.get_by_label("Find alerts").click();
    settle(&mut h);
    h.get_by_label_contains("episodes over 2000 store × SKU series");
    h.get_by_label("Lost revenue per store and week");
    h.get_by_label("Alerts by kind");
    // Each detector shows how many alerts its setting gives.
    assert_eq!(
        h.query_all_by_label_contains(" alerts")
            .filter(|n| {
                n.accesskit_node()
                    .value()
                    .is_some_and(|l| l.ends_with(" alerts"))
            })
            .count(),
        4
    );
    snapshot_allowing(&mut h, "stock_summary", 400);
    h.get_by_label("Alerts").click();
    // Fold the thresholds away, as an analyst reading alerts would.
    h.get_by_label("Detectors and thresholds").click();
    settle(&mut h);
    // The largest loss first; its charts below the table.
    h.get_by_label_contains("alerts. Click a heading to sort");
    h.get_by_label_contains(": on-hand");
    h.get_by_label_contains(": sales");
    h.get_by_label("expected on-hand");
    snapshot_allowing(&mut h, "stock_alert", 400);
    // Filtering by kind narrows the table.
    h.get_by_label("Kind").click();
    settle(&mut h);
    // The popup's entry, after the detector of the same name (the table's cells, which name
    // the kind the same way, are plain labels).
    h.query_all_by_label("Phantom inventory")
        .rfind(|n| n.accesskit_node().role() != egui::accesskit::Role::Label)
        .unwrap()
        .click();
    settle(&mut h);
    h.get_by_label_contains("days without a sale while the reported on-hand stayed");
}

#[test]
fn a_recorded_stock_run_opens_in_the_stock_panel() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("alerts.csv");
    let sample = crate::sample("inventory_sample.parquet");
    let o = crate::playbook_in(
        home.path(),
        &[
            "stock",
            "alerts",
            "--input",
            sample.to_str().unwrap(),
            "--osa-ratio",
            "0.4",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("run 1 recorded"));
    let run = playbook::runs::RunStore::open(home.path())
        .unwrap()
        .get(1)
        .unwrap();
    let mut h =
        crate::gui::harness_with(Settings::default(), home.path(), egui::vec2(1200.0, 760.0));
    h.state_mut().open_run(&run);
    settle(&mut h);
    let saved = h.state().settings_to_save();
    assert_eq!(saved.panel, "stock");
    assert_eq!(saved.panels["stock"]["thresholds"]["osa_ratio"], 0.4);
    assert_eq!(saved.panels["stock"]["dataset"], "inventory_sample.parquet");
    // The panel is shown with no error. (The "opened" note fades after 8 s, which a loaded
    // machine can take to load the sample twice, so it is not looked for.)
    assert!(
        h.state().notices.last_error().is_none(),
        "{:?}",
        h.state().notices.last_error()
    );
    h.get_by_label("Find alerts");
}

/// The queue: one row per problem, most money first; a state set there is written to the
/// Playbook home and is there again in a new session on the same home.
#[test]
fn queue_states_survive_a_restart() {
    let home = tempfile::tempdir().unwrap();
    let session = || {
        let mut h =
            crate::gui::harness_with(Settings::default(), home.path(), egui::vec2(1200.0, 760.0));
        h.get_by_label("Stock").click();
        settle(&mut h);
        h.get_by_label("Find alerts").click();
        settle(&mut h);
        h.get_by_label("Queue").click();
        settle(&mut h);
        h
    };
    let mut h = session();
    h.get_by_label_contains("problems: ");
    let counts = |h: &egui_kittest::Harness<'_, playbook::app::PlaybookApp>| {
        h.get_by_label_contains("problems: ")
            .accesskit_node()
            .value()
            .unwrap_or_default()
    };
    let before = counts(&h);
    assert!(before.contains(" 0 acknowledged"), "{before}");
    snapshot_allowing(&mut h, "stock_queue", 400);
    // The first row's state: new → acknowledged.
    h.query_all_by_value("new").next().unwrap().click();
    settle(&mut h);
    h.query_all_by_label("acknowledged").last().unwrap().click();
    settle(&mut h);
    assert!(counts(&h).contains(" 1 acknowledged"), "{}", counts(&h));
    let file = home.path().join("stock_triage.json");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\"acknowledged\""), "{text}");
    drop(h);
    let h = session();
    assert!(counts(&h).contains(" 1 acknowledged"), "{}", counts(&h));
}
