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
            "actual"
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
    assert!(e.contains("column 'weather' is str, not numeric"), "{e}");
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
        e.contains("--horizon and --holdout must be at least 1 day"),
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
        e.contains("short.csv: no series could be forecast") && e.contains("at least 28"),
        "{e}"
    );
}
