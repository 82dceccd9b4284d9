//! Bad input found by the hardening battery (issue 19): each case ends in a clean one-line
//! error or the right answer, never a panic, a hang or a destroyed input.

use crate::{playbook, temp_file};

/// Run a command that must fail with one `error:` line; return it.
fn fails(args: &[&str]) -> String {
    let o = playbook(args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!o.status.success(), "{args:?} succeeded");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("error: "), "{err}");
    err
}

#[test]
fn histograms_leave_out_infinities_and_survive_huge_ranges() {
    let (dir, path) = temp_file("inf.csv", b"a\n1\n-inf\n4\nNaN\n2\n");
    let png = dir.path().join("h.png");
    let o = playbook(&[
        "data",
        "hist",
        path.to_str().unwrap(),
        "--column",
        "a",
        "--bins",
        "3",
        "--out",
        png.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("2 NaN or infinite values left out"), "{err}");
    assert!(std::fs::metadata(&png).unwrap().len() > 1000);
    // Counts as CSV: three finite values in three bins.
    let csv = dir.path().join("h.csv");
    let o = playbook(&[
        "data",
        "hist",
        path.to_str().unwrap(),
        "--column",
        "a",
        "--bins",
        "3",
        "--out",
        csv.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(
        text,
        "bin_start,bin_end,count\n1.0,2.0,1\n2.0,3.0,1\n3.0,4.0,1\n"
    );
    let (dir2, big) = temp_file("big.csv", b"a\n1e308\n-1e308\n3\n");
    let png = dir2.path().join("b.png");
    let started = std::time::Instant::now();
    let o = playbook(&[
        "data",
        "hist",
        big.to_str().unwrap(),
        "--column",
        "a",
        "--out",
        png.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(started.elapsed().as_secs() < 60, "no hang");
}

#[test]
fn absurd_sizes_are_refused_not_allocated() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.csv");
    let o = out.to_str().unwrap();
    let e = fails(&["gen", "table", "--rows", "18446744073709551615", "--out", o]);
    assert!(e.contains("rows must be from 1 to 100000000"), "{e}");
    let e = fails(&[
        "gen",
        "inventory",
        "--stores",
        "100000",
        "--skus",
        "100000",
        "--out",
        o,
    ]);
    assert!(e.contains("make more than 100000000 rows"), "{e}");
    assert!(!out.exists());
}

/// Horizons and fold counts past what the data can use were allocated (240 GB) or ran for
/// minutes; tree bins of 0 or 1 built a tree anyway; grid options without --cv were ignored.
#[test]
fn absurd_horizons_folds_and_bins_are_refused() {
    let sales = crate::sample("store_sales_small.csv");
    let tx = crate::sample("transactions_100k.parquet");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let (sales, tx, o) = (
        sales.to_str().unwrap(),
        tx.to_str().unwrap(),
        out.to_str().unwrap(),
    );
    for horizon in ["100000000", "1000000"] {
        let e = fails(&[
            "--no-record",
            "forecast",
            "--input",
            sales,
            "--group",
            "store,item",
            "--horizon",
            horizon,
            "--out",
            o,
        ]);
        assert!(
            e.contains(&format!("horizon must be from 1 to 3650, got {horizon}")),
            "{e}"
        );
    }
    let train = [
        "--no-record",
        "fraud",
        "train",
        "--input",
        tx,
        "--label-col",
        "isFraud",
    ];
    let e = fails(&[&train[..], &["--cv", "100000"]].concat());
    assert!(e.contains("folds must be from 2 to 10, got 100000"), "{e}");
    for bins in ["0", "1"] {
        let e = fails(&[&train[..], &["--max-bins", bins]].concat());
        assert!(
            e.contains(&format!("max bins must be from 2 to 256, got {bins}")),
            "{e}"
        );
        let e = fails(&[&train[..], &["--cv", "3", "--grid-bins", bins]].concat());
        assert!(
            e.contains(&format!("max bins must be from 2 to 256, got {bins}")),
            "{e}"
        );
    }
    let e = fails(&[&train[..], &["--grid-bins", "10"]].concat());
    assert!(e.contains("--cv"), "{e}");
    assert!(!out.exists());
}

#[test]
fn an_output_never_replaces_an_input_or_another_output() {
    let (dir, input) = temp_file("s.csv", b"date,sales\n2024-01-01,3\n2024-01-02,4\n");
    let before = std::fs::read(&input).unwrap();
    let i = input.to_str().unwrap();
    let e = fails(&["data", "summary", i, "--out", i]);
    assert!(e.contains("is one of the command's inputs"), "{e}");
    let e = fails(&["data", "hist", i, "--column", "sales", "--out", i]);
    assert!(e.contains("is one of the command's inputs"), "{e}");
    let e = fails(&["forecast", "--input", i, "--horizon", "3", "--out", i]);
    assert!(e.contains("is one of the command's inputs"), "{e}");
    assert_eq!(
        std::fs::read(&input).unwrap(),
        before,
        "the input is untouched"
    );
    // A bad second output stops the command before the first is written.
    let fc = dir.path().join("fc.csv");
    let acc = dir.path().join("acc.xlsx");
    let e = fails(&[
        "forecast",
        "--input",
        i,
        "--holdout",
        "1",
        "--out",
        fc.to_str().unwrap(),
        "--accuracy-out",
        acc.to_str().unwrap(),
    ]);
    assert!(
        e.contains("--accuracy-out") && e.contains("unsupported type 'xlsx'"),
        "{e}"
    );
    assert!(!fc.exists(), "nothing written");
    let e = fails(&[
        "forecast",
        "--input",
        i,
        "--out",
        fc.to_str().unwrap(),
        "--accuracy-out",
        dir.path().join("a.csv").to_str().unwrap(),
    ]);
    assert!(e.contains("--accuracy-out needs --holdout"), "{e}");
    let e = fails(&[
        "fraud",
        "train",
        "--input",
        i,
        "--label-col",
        "sales",
        "--out",
        fc.to_str().unwrap(),
        "--model-out",
        fc.to_str().unwrap(),
    ]);
    assert!(e.contains("names the same file"), "{e}");
    let e = fails(&[
        "stock",
        "alerts",
        "--input",
        i,
        "--out",
        dir.path().join("no-such-folder/a.csv").to_str().unwrap(),
    ]);
    assert!(e.contains("does not exist"), "{e}");
}

/// A change made to a saved model.
type Damage = fn(&mut serde_json::Value);

#[test]
fn a_damaged_model_is_refused_on_load() {
    let dir = tempfile::tempdir().unwrap();
    let tx = dir.path().join("tx.csv");
    let o = playbook(&[
        "gen",
        "transactions",
        "--rows",
        "3000",
        "--out",
        tx.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let model = dir.path().join("model.json");
    let o = playbook(&[
        "--no-record",
        "fraud",
        "train",
        "--input",
        tx.to_str().unwrap(),
        "--rule",
        "default",
        "--model-out",
        model.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let good: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&model).unwrap()).unwrap();
    assert!(good["nodes"][0]["split"].is_object(), "the root splits");
    let out = dir.path().join("scored.csv");
    let damaged = dir.path().join("damaged.json");
    let cases: [(&str, Damage); 4] = [
        ("splits on feature 999", |m| {
            m["nodes"][0]["split"]["feature"] = 999.into()
        }),
        ("left child 0 is not a later node", |m| {
            m["nodes"][0]["split"]["left"] = 0.into()
        }),
        ("right child 100000 is not a later node", |m| {
            m["nodes"][0]["split"]["right"] = 100_000.into()
        }),
        ("the tree has no nodes", |m| {
            m["nodes"] = serde_json::json!([])
        }),
    ];
    for (why, damage) in cases {
        let mut m = good.clone();
        damage(&mut m);
        std::fs::write(&damaged, serde_json::to_vec(&m).unwrap()).unwrap();
        let e = fails(&[
            "fraud",
            "predict",
            "--model",
            damaged.to_str().unwrap(),
            "--input",
            tx.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(
            e.contains("not a usable model") && e.contains(why),
            "{why}: {e}"
        );
        assert!(!out.exists());
    }
}

#[test]
fn a_huge_window_is_the_full_window_and_unknown_features_are_named() {
    let train = crate::sample("GunPoint_TRAIN.ts");
    let test = crate::sample("GunPoint_TEST.ts");
    let o = playbook(&[
        "--no-record",
        "dtw",
        "classify",
        "--train",
        train.to_str().unwrap(),
        "--test",
        test.to_str().unwrap(),
        "--window-cells",
        "18446744073709551615",
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // The UCR archive's full-window DTW error rate on GunPoint.
    assert!(
        (v["error_rate"].as_f64().unwrap() - 0.0933).abs() < 1e-3,
        "{v}"
    );
    let (_dir, tx) = temp_file("tx.csv", b"type,amount\nTRANSFER,3\n");
    let e = fails(&[
        "fraud",
        "train",
        "--input",
        tx.to_str().unwrap(),
        "--rule",
        "default",
        "--drop-col",
        "nope",
    ]);
    assert!(
        e.contains("--drop-col nope: not one of the features (type, amount"),
        "{e}"
    );
}

#[test]
fn utf16_tables_load_as_text() {
    let mut bytes = vec![0xFF, 0xFE];
    for u in "date,temp\n2024-01-01,3.5\n2024-01-02,4\n".encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    let (_dir, path) = temp_file("unicode.csv", &bytes);
    let o = playbook(&["data", "info", path.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["rows"], 2, "{v}");
    let text = v.to_string();
    assert!(text.contains("\"temp\"") && text.contains("f64"), "{v}");
}

#[test]
fn messages_stay_short_whatever_the_input() {
    // A header of 5,000 columns: "not found" lists a few of them, not all.
    let header: Vec<String> = (0..5000).map(|i| format!("column_{i}")).collect();
    let row: Vec<&str> = (0..5000).map(|_| "1").collect();
    let text = format!("{}\n{}\n", header.join(","), row.join(","));
    let (_dir, path) = temp_file("wide.csv", text.as_bytes());
    let out = path.with_file_name("h.png");
    let e = fails(&[
        "data",
        "hist",
        path.to_str().unwrap(),
        "--column",
        "nope",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(e.contains("column 'nope' not found"), "{e}");
    assert!(e.contains("and 4988 more"), "{e}");
    assert!(e.len() < 1200, "{} characters", e.len());
}

#[test]
fn swapped_coordinates_zero_hertz_and_repeated_groups_are_explained() {
    let taxi = crate::sample("taxi_pickups.csv");
    let boroughs = crate::sample("nyc_boroughs.geojson");
    let o = playbook(&[
        "--no-record",
        "spatial",
        "join",
        "--points",
        taxi.to_str().unwrap(),
        "--polygons",
        boroughs.to_str().unwrap(),
        "--lon-col",
        "pickup_latitude",
        "--lat-col",
        "pickup_longitude",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(String::from_utf8_lossy(&o.stdout).contains(" 0 matched"));
    assert!(err.contains("the two columns may be swapped"), "{err}");
    // A WAV header declaring 0 Hz.
    let mut wav = playbook::data::audio::wav_bytes(&[0.0, 0.5, -0.5, 0.0], 8000).unwrap();
    wav[24..28].copy_from_slice(&0u32.to_le_bytes()); // sample rate
    wav[28..32].copy_from_slice(&0u32.to_le_bytes()); // byte rate, consistent with it
    let (_dir, clip) = temp_file("zero.wav", &wav);
    let e = fails(&[
        "dtw",
        "audio",
        clip.to_str().unwrap(),
        clip.to_str().unwrap(),
    ]);
    assert!(e.contains("sample rate of 0 Hz"), "{e}");
    let sales = crate::sample("store_sales_small.csv");
    let dir = tempfile::tempdir().unwrap();
    let e = fails(&[
        "forecast",
        "--input",
        sales.to_str().unwrap(),
        "--group",
        "store,store",
        "--out",
        dir.path().join("f.csv").to_str().unwrap(),
    ]);
    assert!(e.contains("group columns: 'store' is given twice"), "{e}");
}

#[test]
fn usage_errors_ambiguous_ids_and_negative_multiplicative_sales_are_one_line() {
    let e = fails(&["data", "info"]);
    assert!(e.contains("required arguments were not provided"), "{e}");
    assert!(e.contains("usage: playbook data info <FILE>"), "{e}");
    let (_d, clip) = temp_file("c.wav", b"RIFF");
    let e = fails(&[
        "dtw",
        "audio",
        clip.to_str().unwrap(),
        clip.to_str().unwrap(),
        "--hop-ms",
        "-5",
    ]);
    assert!(e.contains("must be from 1 to 1000, got -5"), "{e}");
    let (dir, table) = temp_file("s.csv", b"id,t0,t1,t2\nA,1,2,3\nB,2,3,4\nA,5,5,5\n");
    let out = dir.path().join("d.csv");
    let e = fails(&[
        "dtw",
        "distances",
        "--input",
        table.to_str().unwrap(),
        "--pattern",
        "B",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(e.contains("the id 'A' names more than one series"), "{e}");
    let mut csv = String::from("date,sales\n");
    for d in 1..=60 {
        csv.push_str(&format!(
            "2024-{:02}-{:02},{}\n",
            1 + (d - 1) / 28,
            1 + (d - 1) % 28,
            -(d as i64)
        ));
    }
    let (dir, sales) = temp_file("neg.csv", csv.as_bytes());
    let e = fails(&[
        "forecast",
        "--input",
        sales.to_str().unwrap(),
        "--out",
        dir.path().join("f.csv").to_str().unwrap(),
    ]);
    assert!(
        e.contains("60 negative values") && e.contains("--mode additive"),
        "{e}"
    );
}

#[test]
fn labels_outside_the_header_or_not_shared_and_empty_pattern_columns_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let train = dir.path().join("train.ts");
    let test = dir.path().join("test.ts");
    std::fs::write(&train, "@classLabel true 1 2\n@data\n1,2,3:1\n2,3,4:3\n").unwrap();
    std::fs::write(&test, "@classLabel true 1 2\n@data\n1,2,3:1\n").unwrap();
    let e = fails(&[
        "dtw",
        "classify",
        "--train",
        train.to_str().unwrap(),
        "--test",
        test.to_str().unwrap(),
    ]);
    assert!(
        e.contains("label '3' is not one of the header's @classLabel list (1, 2)"),
        "{e}"
    );
    std::fs::write(&train, "@classLabel true a b\n@data\n1,2,3:a\n2,3,4:b\n").unwrap();
    std::fs::write(&test, "@classLabel true x\n@data\n1,2,3:x\n").unwrap();
    let e = fails(&[
        "dtw",
        "classify",
        "--train",
        train.to_str().unwrap(),
        "--test",
        test.to_str().unwrap(),
    ]);
    assert!(
        e.contains("share no label (training: a, b; test: x)"),
        "{e}"
    );
    let table = dir.path().join("s.csv");
    std::fs::write(&table, "id,t0,t1\nA,1,2\nB,2,3\n").unwrap();
    let pattern = dir.path().join("p.csv");
    std::fs::write(&pattern, "week,value\n1,\n2,\n").unwrap();
    let e = fails(&[
        "dtw",
        "distances",
        "--input",
        table.to_str().unwrap(),
        "--pattern-file",
        pattern.to_str().unwrap(),
        "--out",
        dir.path().join("d.csv").to_str().unwrap(),
    ]);
    assert!(e.contains("column 'value', the last, has no values"), "{e}");
}

#[test]
fn money_shares_survive_infinite_and_huge_amounts() {
    let (_d, tx) = temp_file(
        "tx.csv",
        b"type,amount\nTRANSFER,1e308\nTRANSFER,1e308\nPAYMENT,-inf\nPAYMENT,1e308\n",
    );
    let rule = "type == TRANSFER";
    let (_d2, rules) = temp_file("r.txt", rule.as_bytes());
    let o = playbook(&[
        "fraud",
        "rules",
        "--input",
        tx.to_str().unwrap(),
        "--rule-file",
        rules.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let share = v["flagged_money_share"].as_f64().unwrap();
    assert!((share - 2.0 / 3.0).abs() < 1e-12, "{v}");
    assert_eq!(v["non_finite_money"], 1);
}

#[test]
fn a_column_that_is_not_numbers_says_what_it_holds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("h.png");
    let o = out.to_str().unwrap();
    let cases: [(&str, &[u8], &str); 3] = [
        (
            "header.csv",
            b"a,b\n",
            "has no rows (the file holds only its header)",
        ),
        ("empty.csv", b"a,b\n,1\n,2\n", "column 'a' is empty"),
        (
            "nan.csv",
            b"a,b\nnan,1\nx,2\n",
            "column 'a' is str (e.g. 'nan'), not numeric",
        ),
    ];
    for (name, bytes, want) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let e = fails(&[
            "data",
            "hist",
            path.to_str().unwrap(),
            "--column",
            "a",
            "--out",
            o,
        ]);
        assert!(e.contains(want), "{name}: {e}");
    }
}

#[test]
fn polygons_in_an_unnamed_projected_system_are_refused() {
    let geo =
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"a"},
        "geometry":{"type":"Polygon","coordinates":[[[1000000,200000],[1001000,200000],
        [1001000,201000],[1000000,200000]]]}}]}"#;
    let (dir, polygons) = temp_file("feet.geojson", geo);
    let points = dir.path().join("p.csv");
    std::fs::write(&points, "lon,lat\n-73.9,40.7\n").unwrap();
    let e = fails(&[
        "spatial",
        "join",
        "--points",
        points.to_str().unwrap(),
        "--polygons",
        polygons.to_str().unwrap(),
        "--lon-col",
        "lon",
        "--lat-col",
        "lat",
    ]);
    assert!(
        e.contains("projected coordinate system") && e.contains("--crs"),
        "{e}"
    );
}

#[test]
fn the_data_panel_draws_histograms_of_infinite_and_huge_values() {
    use egui_kittest::kittest::Queryable;
    let (_dir, path) = temp_file("big.csv", b"a,b\n1e308,1\n-1e308,2\n0,inf\n3,-inf\n");
    let mut h = crate::gui::harness(playbook::app::Settings::default());
    h.state_mut().open_path(path.clone());
    crate::gui::settle(&mut h);
    h.state_mut().restore_panel(
        "data",
        &serde_json::json!({"view": "Charts", "hist_column": "a"}),
    );
    crate::gui::settle(&mut h);
    h.get_by_label_contains("Histogram of a: 4 values");
    h.state_mut().restore_panel(
        "data",
        &serde_json::json!({"view": "Charts", "hist_column": "b"}),
    );
    crate::gui::settle(&mut h);
    h.get_by_label_contains("Histogram of b: 2 values in 30 bins (2 NaN or infinite left out)");
    assert!(h.state().notices.last_error().is_none());
}

#[test]
fn a_repeated_or_empty_header_name_is_reported_not_silently_renamed() {
    let (_d, path) = temp_file(
        "weather.csv",
        b"date,temp_max,temp_max,\n2012-01-01,12.8,5.0,1\n2012-01-02,10.6,2.8,2\n",
    );
    let o = playbook(&["data", "info", path.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains(
            "warning: weather.csv: the header names 'temp_max' twice or more (columns 2 and 3); \
             column 3 is read as 'temp_max_duplicated_0'"
        ),
        "{err}"
    );
    assert!(
        err.contains("warning: weather.csv: column 4 has no name in the header"),
        "{err}"
    );
    // The same note reaches the app's status bar.
    let ds = playbook::data::load_path(&path).unwrap();
    assert_eq!(ds.notes.len(), 2, "{:?}", ds.notes);
    // A clean header says nothing.
    let (_d2, clean) = temp_file("clean.csv", b"a,b\n1,2\n");
    let o = playbook(&["data", "info", clean.to_str().unwrap()]);
    assert!(!String::from_utf8_lossy(&o.stderr).contains("warning"));
}

/// A write that fails names the file asked for, never the temp file written first.
#[test]
fn a_failed_write_names_the_destination_not_the_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.json");
    let o = crate::playbook(&[
        "--no-record",
        "fraud",
        "train",
        "--input",
        crate::sample("transactions_100k.parquet").to_str().unwrap(),
        "--label-col",
        "isFraud",
        "--model-out",
        model.to_str().unwrap(),
        "--rules-out",
        "/proc/rules.txt",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("/proc/rules.txt: cannot write"), "{err}");
    assert!(!err.contains(".playbook-"), "{err}");
}

/// A box plot of a column holding infinities draws the finite values and says what it left
/// out (it spun at full CPU before).
#[test]
fn box_plots_leave_out_infinities() {
    let (dir, path) = temp_file("box.csv", b"g,v\na,1\na,inf\na,3\nb,-inf\nb,2\nb,5\n");
    for ext in ["png", "svg"] {
        let out = dir.path().join(format!("b.{ext}"));
        let o = playbook(&[
            "data",
            "plot",
            "--input",
            path.to_str().unwrap(),
            "--x",
            "g",
            "--y",
            "v",
            "--mark",
            "box",
            "--out",
            out.to_str().unwrap(),
        ]);
        let said =
            String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{said}");
        assert!(std::fs::metadata(&out).unwrap().len() > 0);
        assert!(
            said.contains("2 infinite value(s) of 'v' left out"),
            "{said}"
        );
    }
}

/// Lines whose values span more than f64 can hold (1e308 and -1e308) still export.
#[test]
fn lines_with_huge_values_export() {
    use playbook::chart::{Chart, Line};
    let dir = tempfile::tempdir().unwrap();
    let chart = Chart::lines(
        "huge",
        "x",
        "y",
        vec![Line::new(
            "a",
            vec![(0.0, 1e308), (1.0, -1e308), (2.0, 0.0)],
        )],
        Vec::new(),
    );
    for ext in ["png", "svg"] {
        let path = dir.path().join(format!("c.{ext}"));
        playbook::export::write_chart(&chart, &path).unwrap();
        assert!(std::fs::metadata(&path).unwrap().len() > 0);
    }
    // Drawn in units of a power of ten, which the axis says.
    let svg = std::fs::read_to_string(dir.path().join("c.svg")).unwrap();
    assert!(svg.contains("y (× 1e"), "the y axis names its unit");
}

/// Files that fuzzing found to crash polars (a panic on a CSV worker thread, a panic in the
/// Parquet footer decoder, allocations of 2^61 and 38 GB) give one line on the command line:
/// no panic message, no abort.
#[test]
fn files_that_crashed_polars_give_one_line() {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    for (file, says) in [
        (
            "csv/parser_slice_panic.csv",
            "malformed CSV: the CSV reader failed on it",
        ),
        ("parquet/footer_thrift_panic.parquet", "unreadable footer"),
        ("parquet/footer_list_of_2e31.parquet", "unreadable footer"),
        (
            "parquet/negative_value_count.parquet",
            "declares -63 values",
        ),
    ] {
        let path = corpus.join(file);
        let e = fails(&["data", "info", path.to_str().unwrap()]);
        assert!(e.contains(says), "{file}: {e}");
    }
}
