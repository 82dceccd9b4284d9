//! DTW against published references: the UCR archive's 1-NN error rates on GunPoint, and
//! distances computed by dtaidistance (fixture made by tests/fixtures/make_dtaidistance.py).

use playbook::compute::dtw::{self, Window};

use crate::{playbook, sample, temp_file};

fn classify(window: &str) -> serde_json::Value {
    let (train, test) = (sample("GunPoint_TRAIN.ts"), sample("GunPoint_TEST.ts"));
    let o = playbook(
        &[
            &["dtw", "classify", "--json", "--window", window][..],
            &[
                "--train",
                train.to_str().unwrap(),
                "--test",
                test.to_str().unwrap(),
            ][..],
        ]
        .concat(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn gunpoint_error_rates_are_the_ucr_archives() {
    // Published: Euclidean (window 0) 0.0867, full-window DTW 0.0933.
    let euclid = classify("0");
    assert_eq!(euclid["errors"], 13);
    assert_eq!(
        format!("{:.4}", euclid["error_rate"].as_f64().unwrap()),
        "0.0867"
    );
    assert_eq!(euclid["n_train"], 50);
    assert_eq!(euclid["n_test"], 150);
    let full = classify("1");
    assert_eq!(full["errors"], 14);
    assert_eq!(
        format!("{:.4}", full["error_rate"].as_f64().unwrap()),
        "0.0933"
    );
    assert_eq!(full["window_cells"], 150);
}

#[test]
fn distances_match_dtaidistance() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dtaidistance.json"),
    )
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let series: Vec<Vec<f64>> = serde_json::from_value(v["series"].clone()).unwrap();
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 100);
    for c in cases {
        let (a, b) = (
            &series[c["a"].as_u64().unwrap() as usize],
            &series[c["b"].as_u64().unwrap() as usize],
        );
        let w = match c["w"].as_u64() {
            Some(w) => Window::Cells(w as usize),
            None => Window::Fraction(1.0),
        };
        let want = c["distance"].as_f64().unwrap();
        let got = dtw::distance(a, b, w.cells(a.len(), b.len()));
        assert!((got - want).abs() < 1e-9, "{c}: got {got}");
        // The lane kernel: a batch of copies, all through the SIMD path.
        let copies = vec![b.clone(); dtw::lanes::LANES];
        let batch = dtw::one_against_many(a, &copies, w, &playbook::compute::NoProgress).unwrap();
        assert!(
            batch.iter().all(|d| d.to_bits() == got.to_bits()),
            "{c}: {batch:?}"
        );
    }
}

#[test]
fn bad_series_files_are_clear_errors() {
    let (_d, bad) = temp_file(
        "bad.ts",
        b"@classLabel true 1 2\n@data\n1,2,3:1\n1,oops,3:2\n",
    );
    let train = sample("GunPoint_TRAIN.ts");
    let o = playbook(&[
        "dtw",
        "classify",
        "--train",
        train.to_str().unwrap(),
        "--test",
        bad.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad.ts: line 4: 'oops' is not a number"),
        "{err}"
    );
    let o = playbook(
        &[
            &[
                "dtw",
                "classify",
                "--window",
                "1.5",
                "--train",
                train.to_str().unwrap(),
            ][..],
            &["--test", train.to_str().unwrap()][..],
        ]
        .concat(),
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("stretch factor must be from 0 to 1, got 1.5"),
        "{err}"
    );
}

#[test]
fn the_closest_products_are_the_planted_followers() {
    use playbook::data::weekly::{Planted, planted_kind};
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let o = playbook(args);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    let sales = dir.path().join("sales.csv");
    let capacity = dir.path().join("capacity.csv");
    let out = dir.path().join("d.csv");
    run(&[
        "gen",
        "weekly-sales",
        "--seed",
        "3",
        "--out",
        sales.to_str().unwrap(),
    ]);
    run(&["gen", "capacity", "--out", capacity.to_str().unwrap()]);
    run(&[
        "dtw",
        "distances",
        "--input",
        sales.to_str().unwrap(),
        "--pattern-file",
        capacity.to_str().unwrap(),
        "--window",
        "0.05",
        "--out",
        out.to_str().unwrap(),
    ]);
    let table = std::fs::read_to_string(&out).unwrap();
    let ids: Vec<usize> = table
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap()[1..].parse::<usize>().unwrap() - 1)
        .collect();
    assert_eq!(ids.len(), 811);
    let followers = (0..811)
        .filter(|&k| matches!(planted_kind(k, 811, 3), Planted::Follower { .. }))
        .count();
    let top_hits = ids[..followers]
        .iter()
        .filter(|&&k| matches!(planted_kind(k, 811, 3), Planted::Follower { .. }))
        .count();
    assert!(
        top_hits * 10 >= followers * 9,
        "{top_hits} of the {followers} closest are followers"
    );
}

#[test]
fn audio_clips_at_two_speeds_are_closest() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| playbook(args);
    let o = run(&["gen", "clips", "--out", dir.path().to_str().unwrap()]);
    assert!(o.status.success());
    let clip = |n: &str| dir.path().join(n).to_str().unwrap().to_owned();
    let out = dir.path().join("m.csv");
    let o = run(&[
        "dtw",
        "audio",
        &clip("melody.wav"),
        &clip("melody-slow.wav"),
        &clip("other.wav"),
        "--window",
        "0.1",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let m: Vec<Vec<f64>> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').skip(1).map(|v| v.parse().unwrap()).collect())
        .collect();
    // melody vs its slow version is far closer than either is to the other melody.
    assert!(m[0][1] * 4.0 < m[0][2] && m[0][1] * 4.0 < m[1][2], "{m:?}");
    let (_d, bad) = temp_file("broken.wav", b"RIFF\x10\x00\x00\x00WAVEfmt ");
    let o = run(&["dtw", "audio", &clip("melody.wav"), bad.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("broken.wav: not a readable WAV file"), "{err}");
}

#[test]
fn classify_reads_tables_with_a_label_column() {
    // GunPoint as CSV tables (label, t0..t149) gives the same error rate as the .ts files.
    let dir = tempfile::tempdir().unwrap();
    let train = crate::gunpoint_csv(dir.path(), "GunPoint_TRAIN.ts", "g");
    let test = crate::gunpoint_csv(dir.path(), "GunPoint_TEST.ts", "g");
    let o = playbook(
        &[
            &["dtw", "classify", "--json", "--window", "1"][..],
            &[
                "--train",
                train.to_str().unwrap(),
                "--test",
                test.to_str().unwrap(),
            ][..],
        ]
        .concat(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["errors"], 14);
}

#[test]
fn bad_series_tables_are_clear_errors() {
    let run = |input: &std::path::Path, extra: &[&str]| {
        let o = playbook(
            &[
                &[
                    "dtw",
                    "distances",
                    "--input",
                    input.to_str().unwrap(),
                    "--out",
                    "/tmp/never.csv",
                ][..],
                extra,
            ]
            .concat(),
        );
        assert!(!o.status.success());
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let sales = sample("weekly_sales.csv");
    let e = run(&sales, &["--pattern", "P99999"]);
    assert!(
        e.contains("weekly_sales.csv: no series with id 'P99999'"),
        "{e}"
    );
    let (_d, ragged) = temp_file("ragged.csv", b"id,w0,w1\na,1,2\nb,3,\n");
    let e = run(&ragged, &["--pattern", "a"]);
    assert!(
        e.contains("ragged.csv: series 'b' is ragged: 1 of 2 values missing"),
        "{e}"
    );
    let (_d, text) = temp_file("text.csv", b"id,w0,w1\na,1,x\nb,3,4\n");
    let e = run(&text, &["--pattern", "a"]);
    assert!(
        e.contains("text.csv: column 'w1' is str (e.g. 'x'), not numeric"),
        "{e}"
    );
    let (_d, no_rows) = temp_file("no-rows.csv", b"id,w0,w1\n");
    let e = run(
        &no_rows,
        &["--pattern-file", sample("capacity.csv").to_str().unwrap()],
    );
    assert!(e.contains("no-rows.csv: the table has no series"), "{e}");
    let (_d, empty) = temp_file("only-ids.csv", b"id\na\nb\n");
    let e = run(&empty, &["--pattern", "a"]);
    assert!(e.contains("only-ids.csv: no time-step columns"), "{e}");
    let (_d, pattern) = temp_file("pattern.csv", b"week,capacity\n");
    let e = run(&sales, &["--pattern-file", pattern.to_str().unwrap()]);
    assert!(e.contains("pattern.csv"), "{e}");
    assert!(!std::path::Path::new("/tmp/never.csv").exists());
}

fn read_csv(path: &std::path::Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}

#[test]
fn the_matrix_holds_every_pair_once_and_agrees_with_one_against_many() {
    let dir = tempfile::tempdir().unwrap();
    let input = sample("weekly_sales.csv");
    let input = input.to_str().unwrap();
    let (long, square, one, chart) = (
        dir.path().join("pairs.csv"),
        dir.path().join("square.csv"),
        dir.path().join("one.csv"),
        dir.path().join("heat.svg"),
    );
    let run = |args: &[&str]| {
        let o = playbook(args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        o
    };
    let o = run(&[
        "dtw",
        "matrix",
        "--input",
        input,
        "--window",
        "0.1",
        "--json",
        "--out",
        long.to_str().unwrap(),
        "--chart",
        chart.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let n = v["series"].as_u64().unwrap() as usize;
    assert_eq!(n, 811);
    assert_eq!(v["pairs"].as_u64().unwrap() as usize, n * (n - 1) / 2);
    let pairs = read_csv(&long);
    assert_eq!(pairs.len(), n * (n - 1) / 2);
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.contains("clustered"), "the heat map's title");
    // Every pair with P1 equals P1's one-against-many distance to it.
    run(&[
        "dtw",
        "distances",
        "--input",
        input,
        "--pattern",
        "P1",
        "--window",
        "0.1",
        "--out",
        one.to_str().unwrap(),
    ]);
    let from_p1: std::collections::HashMap<String, f64> = read_csv(&one)
        .into_iter()
        .map(|r| (r[0].clone(), r[1].parse().unwrap()))
        .collect();
    let mut checked = 0;
    for r in pairs.iter().filter(|r| r[0] == "P1") {
        let d: f64 = r[2].parse().unwrap();
        assert!((d - from_p1[&r[1]]).abs() <= 1e-12 * d.max(1.0), "{r:?}");
        checked += 1;
    }
    assert_eq!(checked, n - 1);
    // The square form: symmetric, zero on the diagonal, the same numbers.
    run(&[
        "dtw",
        "matrix",
        "--input",
        input,
        "--window",
        "0.1",
        "--square",
        "--out",
        square.to_str().unwrap(),
    ]);
    let rows = read_csv(&square);
    assert_eq!(rows.len(), n);
    for (i, r) in rows.iter().enumerate().take(40) {
        assert_eq!(r.len(), n + 1);
        assert_eq!(r[i + 1].parse::<f64>().unwrap(), 0.0);
        for (j, other) in rows.iter().enumerate().take(40) {
            assert_eq!(r[j + 1], other[i + 1], "({i}, {j})");
        }
    }
    assert_eq!(rows[0][2], pairs[0][2], "P1 to P2");
}

#[test]
fn a_matrix_of_one_series_is_a_clear_error() {
    let (_d, one) = temp_file("one.csv", b"id,t0,t1,t2\nA,1,2,3\n");
    let o = playbook(&[
        "dtw",
        "matrix",
        "--input",
        one.to_str().unwrap(),
        "--out",
        "/tmp/never-written.csv",
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("one.csv: all pairs needs at least two series"),
        "{err}"
    );
    assert!(!std::path::Path::new("/tmp/never-written.csv").exists());
}
