//! `playbook forecast` on generated store-item sales and on real series, and its errors.

use crate::{playbook as run, sample, temp_file};

#[test]
fn forecasts_every_store_item_with_a_scored_holdout() {
    let dir = tempfile::tempdir().unwrap();
    let sales = dir.path().join("sales.csv");
    let out = dir.path().join("fc.csv");
    let o = run(&[
        "gen",
        "store-sales",
        "--stores",
        "2",
        "--items",
        "3",
        "--out",
        sales.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let o = run(&[
        "forecast",
        "--input",
        sales.to_str().unwrap(),
        "--group",
        "store,item",
        "--holdout",
        "90",
        "--json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["series"], 6);
    let smape = v["smape"].as_f64().unwrap();
    let coverage = v["coverage"].as_f64().unwrap();
    assert!(smape < 20.0, "sMAPE {smape}");
    assert!((0.90..=0.99).contains(&coverage), "coverage {coverage}");
    let table = playbook::data::load_path(&out).unwrap();
    let names: Vec<String> = table
        .frame
        .get_column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        names,
        [
            "store",
            "item",
            "date",
            "yhat",
            "yhat_lower",
            "yhat_upper",
            "actual",
            "training_date"
        ]
    );
    assert_eq!(table.rows(), 6 * 90);
}

#[test]
fn forecasts_a_monthly_series_forward() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("air.csv");
    let air = sample("airline.csv");
    let o = run(&[
        "forecast",
        "--input",
        air.to_str().unwrap(),
        "--date-col",
        "Date",
        "--value-col",
        "Passengers",
        "--horizon",
        "30",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count(), 31);
    assert!(
        text.lines().nth(1).unwrap().starts_with("1961-01-01,"),
        "{text}"
    );
}

#[test]
fn bad_inputs_are_clear_errors() {
    let (_d, dates) = temp_file("dates.csv", b"date,sales\n2020-01-01,1\nyesterday,2\n");
    let o = run(&[
        "forecast",
        "--input",
        dates.to_str().unwrap(),
        "--out",
        "/tmp/x.csv",
    ]);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("dates.csv: column 'date': 1 values are not dates"),
        "{e}"
    );
    let w = sample("seattle-weather.csv");
    let o = run(&[
        "forecast",
        "--input",
        w.to_str().unwrap(),
        "--value-col",
        "weather",
        "--out",
        "/tmp/x.csv",
    ]);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("column 'weather' is str (e.g. 'drizzle'), not numeric"),
        "{e}"
    );
    let o = run(&[
        "forecast",
        "--input",
        w.to_str().unwrap(),
        "--value-col",
        "wind",
        "--horizon=-3",
        "--out",
        "/tmp/x.csv",
    ]);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("--horizon and --holdout must be at least 1"),
        "{e}"
    );
    let (_d, short) = temp_file("short.csv", b"date,sales\n2020-01-01,1\n2020-01-02,2\n");
    let o = run(&[
        "forecast",
        "--input",
        short.to_str().unwrap(),
        "--out",
        "/tmp/x.csv",
    ]);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("short.csv: no series could be forecast (2 observations to fit, fewer than two seasons (14))"),
        "{e}"
    );
}

/// Prophet's holdout accuracy on the sample series (tests/fixtures/make_prophet.py, run once
/// with pip's prophet) against Playbook's on the same files, columns and split.
#[test]
fn holdout_smape_is_no_worse_than_prophets() {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/prophet.json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (name, case) in fixture["cases"].as_object().unwrap() {
        let file = sample(case["file"].as_str().unwrap());
        let out = dir.path().join(format!("{name}.csv"));
        let holdout = case["holdout"].to_string();
        let mut args = vec![
            "forecast",
            "--input",
            file.to_str().unwrap(),
            "--value-col",
            case["value"].as_str().unwrap(),
            "--date-col",
            case["date"].as_str().unwrap_or("date"),
            "--holdout",
            &holdout,
            "--mode",
            case["mode"].as_str().unwrap(),
            "--json",
            "--out",
            out.to_str().unwrap(),
        ];
        if let Some(g) = case["group"].as_str() {
            args.extend(["--group", g]);
        }
        let o = run(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["series"], case["series"], "{name}");
        let ours = v["smape"].as_f64().unwrap();
        let prophet = case["smape"].as_f64().unwrap();
        assert!(
            ours <= prophet,
            "{name}: Playbook sMAPE {ours:.2} > Prophet {prophet:.2}"
        );
        let coverage = v["coverage"].as_f64().unwrap();
        assert!(coverage >= 0.9, "{name}: coverage {coverage}");
        // The baseline runs alongside, and is worse on these seasonal series.
        let naive = v["seasonal_naive"]["smape"].as_f64().unwrap();
        assert!(naive > ours, "{name}: seasonal naive {naive} <= {ours}");
    }
}

#[test]
fn a_short_group_fails_alone_and_monthly_holdouts_count_months() {
    let mut csv = String::from("date,shop,sales\n");
    for d in 0..120 {
        let day = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Duration::days(d);
        csv += &format!("{day},A,{}\n", 10 + d % 7);
        if d < 5 {
            csv += &format!("{day},B,3\n");
        }
    }
    csv += "2020-01-03,A,5\n";
    let (dir, path) = temp_file("shops.csv", csv.as_bytes());
    let out = dir.path().join("fc.csv");
    let o = run(&[
        "forecast",
        "--input",
        path.to_str().unwrap(),
        "--value-col",
        "sales",
        "--group",
        "shop",
        "--holdout",
        "14",
        "--json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["series"], 1);
    assert_eq!(v["duplicate_dates_summed"], 1);
    let failed = v["failed"][0].as_str().unwrap();
    assert!(failed.starts_with("B: "), "{failed}");
    // Monthly data: --holdout 24 hides 24 months, not 24 days.
    let air = sample("airline.csv");
    let o = run(&[
        "forecast",
        "--input",
        air.to_str().unwrap(),
        "--date-col",
        "Date",
        "--value-col",
        "Passengers",
        "--holdout",
        "24",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count(), 25);
    assert!(
        text.lines().nth(1).unwrap().starts_with("1959-01-01,"),
        "{text}"
    );
}

/// Rolling-origin cross-validation: a table by model and step with every fold of every series
/// counted, the model ahead of the seasonal naive baseline, and its flags checked.
#[test]
fn cross_validation_scores_every_step_of_every_fold() {
    let sales = sample("store_sales_small.csv");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fc.csv");
    let cv = dir.path().join("cv.csv");
    let args = |extra: &[&str]| {
        let mut a = vec![
            "--no-record",
            "forecast",
            "--input",
            sales.to_str().unwrap(),
            "--group",
            "store,item",
            "--horizon",
            "7",
            "--json",
            "--out",
            out.to_str().unwrap(),
        ];
        a.extend_from_slice(extra);
        a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let o = run(&args(&[
        "--cv-horizon",
        "14",
        "--cv-folds",
        "4",
        "--cv-period",
        "7",
        "--cv-out",
        cv.to_str().unwrap(),
    ])
    .iter()
    .map(String::as_str)
    .collect::<Vec<_>>());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["cv"]["series"], 10);
    assert_eq!(v["cv"]["fits"], 40);
    let table = playbook::data::load_path(&cv).unwrap().frame;
    let names: Vec<&str> = table
        .get_column_names()
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(names, ["model", "step", "n", "smape", "mase", "coverage"]);
    assert_eq!(table.height(), 2 * 14);
    let n = table
        .column("n")
        .unwrap()
        .cast(&polars::prelude::DataType::Int64)
        .unwrap();
    assert!(
        n.i64().unwrap().iter().all(|v| v == Some(40)),
        "10 series x 4 folds"
    );
    let mean = |model: &str| {
        let steps: Vec<&serde_json::Value> = v["cv"]["by_step"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["model"] == model)
            .collect();
        steps
            .iter()
            .map(|s| s["mase"].as_f64().unwrap())
            .sum::<f64>()
            / steps.len() as f64
    };
    assert!(
        mean("playbook") < mean("seasonal naive"),
        "{} vs {}",
        mean("playbook"),
        mean("seasonal naive")
    );
    for (extra, want) in [
        (vec!["--cv-out", "x.csv"], "--cv-out needs --cv-horizon"),
        (
            vec!["--cv-horizon", "14", "--cv-folds", "0"],
            "cross-validation folds",
        ),
        (
            vec!["--cv-horizon", "3000", "--cv-folds", "2"],
            "no series could be cross-validated",
        ),
    ] {
        let o = run(&args(&extra).iter().map(String::as_str).collect::<Vec<_>>());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            !o.status.success() && err.contains(want),
            "{extra:?}: {err}"
        );
    }
}

/// Holidays: the bundled US calendar or a table in Prophet's layout; a table that does not
/// read is one error naming the file.
#[test]
fn holidays_come_from_the_us_calendar_or_a_table() {
    let sales = sample("store_sales_small.csv");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fc.csv");
    let go = |holidays: &str| {
        run(&[
            "--no-record",
            "forecast",
            "--input",
            sales.to_str().unwrap(),
            "--group",
            "store,item",
            "--holdout",
            "60",
            "--json",
            "--holidays",
            holidays,
            "--out",
            out.to_str().unwrap(),
        ])
    };
    let o = go("us");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["series"], 10);
    assert!(v["smape"].as_f64().unwrap() < 30.0, "{v}");
    let (_d, table) = temp_file(
        "promos.csv",
        b"ds,holiday\n2016-11-25,black friday\n2017-11-24,black friday\n",
    );
    assert!(go(table.to_str().unwrap()).status.success());
    for (name, body, want) in [
        ("bad.csv", &b"ds,holiday\nnot a day,x\n"[..], "not dates"),
        (
            "cols.csv",
            &b"when,what\n2016-11-25,x\n"[..],
            "no 'ds' or 'date' column",
        ),
    ] {
        let (_d, path) = temp_file(name, body);
        let o = go(path.to_str().unwrap());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success() && err.contains(want), "{err}");
        assert!(err.contains(name), "{err}");
    }
}
