//! The `playbook` binary, run as a user would: info, summary, hist, gen, demo, and each error
//! case giving a one-line message and a non-zero exit code.

use std::process::Output;

use crate::{playbook, sample, temp_file};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Run, expect failure, return the single stderr line.
fn fails(args: &[&str]) -> String {
    let o = playbook(args);
    assert!(!o.status.success(), "{args:?} succeeded: {}", stdout(&o));
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "one line, no backtrace: {err}"
    );
    assert!(err.starts_with("error: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn help_lists_every_command() {
    let o = playbook(&["--help"]);
    assert!(o.status.success());
    let text = stdout(&o);
    for cmd in ["data", "gen", "demo", "open"] {
        assert!(text.contains(cmd), "{text}");
    }
    let o = playbook(&["data", "--help"]);
    for cmd in ["info", "summary", "hist"] {
        assert!(stdout(&o).contains(cmd));
    }
    assert!(stdout(&playbook(&["gen", "--help"])).contains("table"));
}

#[test]
fn data_info_json() {
    let path = sample("seattle-weather.csv");
    let o = playbook(&["data", "info", path.to_str().unwrap(), "--json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["rows"], 1461);
    let cols = v["columns"].as_array().unwrap();
    assert_eq!(cols.len(), 6);
    assert_eq!(cols[1]["name"], "precipitation");
    assert_eq!(cols[1]["dtype"], "f64");
    assert_eq!(cols[1]["nulls"], 0);
    assert_eq!(cols[0]["dtype"], "date", "dates are parsed");
}

#[test]
fn data_info_table_on_geojson() {
    let path = sample("nyc_boroughs.geojson");
    let o = playbook(&["data", "info", path.to_str().unwrap()]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(
        text.starts_with("nyc_boroughs.geojson: 5 rows x 5 columns"),
        "{text}"
    );
    assert!(text.contains("BoroName"));
}

#[test]
fn data_hist_matches_numpy() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("hist.csv");
    let path = sample("seattle-weather.csv");
    let args = [
        "data",
        "hist",
        path.to_str().unwrap(),
        "--column",
        "temp_max",
        "--bins",
        "10",
    ];
    let o = playbook(&[&args[..], &["--out", csv.to_str().unwrap()]].concat());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got = std::fs::read_to_string(&csv).unwrap();
    // numpy.histogram(pandas.read_csv("seattle-weather.csv").temp_max, bins=10)[0]
    let numpy = [12, 61, 218, 266, 263, 207, 193, 139, 78, 24];
    let counts: Vec<u64> = got
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(counts, numpy);
    for ext in ["png", "svg"] {
        let out = dir.path().join(format!("hist.{ext}"));
        let o = playbook(&[&args[..], &["--out", out.to_str().unwrap()]].concat());
        assert!(o.status.success());
        assert!(std::fs::metadata(&out).unwrap().len() > 1000);
    }
}

#[test]
fn data_summary_json() {
    let path = sample("airline.csv");
    let o = playbook(&["data", "summary", path.to_str().unwrap(), "--json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let p = &v[1];
    assert_eq!(p["column"], "Passengers");
    assert_eq!(p["count"], 144);
    // pandas: read_csv("airline.csv").Passengers.describe()
    let close = |k: &str, want: f64| {
        let got = p[k].as_f64().unwrap();
        assert!((got - want).abs() < 1e-4, "{k}: {got} vs {want}");
    };
    close("mean", 280.298611);
    close("std", 119.966317);
    close("min", 104.0);
    close("q25", 180.0);
    close("median", 265.5);
    close("q75", 360.5);
    close("max", 622.0);
    // The plain-text table shows every statistic.
    let o = playbook(&["data", "summary", path.to_str().unwrap()]);
    let text = stdout(&o);
    let header: Vec<&str> = text.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(header.len(), 12, "{text}");
    assert_eq!(header[11], "max");
    let passengers: Vec<&str> = text.lines().nth(2).unwrap().split_whitespace().collect();
    assert_eq!(passengers[0], "Passengers");
    assert_eq!(passengers.last(), Some(&"622"));
}

#[test]
fn gen_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let out = |n: &str| dir.path().join(n).to_str().unwrap().to_owned();
    for (name, seed) in [("a.csv", "7"), ("b.csv", "7"), ("c.csv", "8")] {
        let o = playbook(&[
            "gen",
            "table",
            "--rows",
            "500",
            "--seed",
            seed,
            "--out",
            &out(name),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let read = |n: &str| std::fs::read(dir.path().join(n)).unwrap();
    assert_eq!(read("a.csv"), read("b.csv"));
    assert_ne!(read("a.csv"), read("c.csv"));
    let ds = playbook::data::load_path(&dir.path().join("a.csv")).unwrap();
    assert_eq!(ds.rows(), 500);
    let err = fails(&["gen", "nope", "--out", &out("x.csv")]);
    assert!(
        err.contains("unknown generator 'nope'") && err.contains("table"),
        "{err}"
    );
}

#[test]
fn demo_writes_charts_tables_and_an_index() {
    let dir = tempfile::tempdir().unwrap();
    let o = playbook(&["demo", "--out", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let index = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    let files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let pngs: Vec<_> = files.iter().filter(|f| f.ends_with(".png")).collect();
    let csvs: Vec<_> = files.iter().filter(|f| f.ends_with(".csv")).collect();
    assert!(pngs.len() >= 8, "{files:?}");
    assert!(csvs.len() >= 4, "{files:?}");
    for f in pngs.iter().chain(&csvs) {
        assert!(index.contains(f.as_str()), "index lists {f}");
    }
    assert!(files.contains(&"data-seattle-weather-hist-temp_max.png".to_owned()));
    // ID and code columns get no histogram.
    for f in [
        "data-nyc_boroughs-hist-borocode.png",
        "data-store_sales_small-hist-store.png",
        "data-pitches_2021_06-hist-batter.png",
    ] {
        assert!(!files.contains(&f.to_owned()), "{f}");
    }
    // One section per use case, the analyses first, each introduced in a line.
    let order: Vec<usize> = [
        "id=\"pitching\"",
        "id=\"stock\"",
        "id=\"forecast\"",
        "id=\"data\"",
    ]
    .iter()
    .map(|s| index.find(s).unwrap_or_else(|| panic!("{s} in the index")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // Each section opens with a finding worked out from its numbers.
    assert_eq!(index.matches("<p class=\"finding\">").count(), 9, "{index}");
    assert!(index.contains("validation accuracy 9"), "{index}");
    assert!(index.contains("GunPoint 1-NN error 0.0867"), "{index}");
    assert!(index.contains("<p class=\"about\">Spin rates against"));
    for f in [
        "images-loss.png",
        "images-confusion.png",
        "images-digits.model",
        "stock-heatmap.png",
        "stock-alert-on-hand.png",
        "stock-alerts.csv",
        "pitching-league-spin.png",
        "pitching-pitcher-spin.png",
        "pitching-outing-spin.png",
        "pitching-flagged-outings.csv",
    ] {
        assert!(files.contains(&f.to_owned()), "{f} in {files:?}");
    }
}

#[test]
fn errors_are_one_clear_line() {
    let weather = sample("seattle-weather.csv");
    let w = weather.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("h.png");
    let o = out.to_str().unwrap();

    let e = fails(&["data", "info", "/no/such/file.csv"]);
    assert!(e.contains("/no/such/file.csv: no such file"), "{e}");
    let e = fails(&["data", "info", dir.path().to_str().unwrap()]);
    assert!(e.contains("is a directory"), "{e}");
    let e = fails(&["data", "hist", w, "--column", "humidity", "--out", o]);
    assert!(
        e.contains("seattle-weather.csv: column 'humidity' not found"),
        "{e}"
    );
    let e = fails(&["data", "hist", w, "--column", "weather", "--out", o]);
    assert!(
        e.contains("column 'weather' is str (e.g. 'drizzle'), not numeric"),
        "{e}"
    );
    let e = fails(&[
        "data", "hist", w, "--column", "wind", "--bins", "0", "--out", o,
    ]);
    assert!(e.contains("bins must be between 1"), "{e}");
    let e = fails(&[
        "data",
        "hist",
        w,
        "--column",
        "wind",
        "--out",
        "/no/dir/h.png",
    ]);
    assert!(e.contains("/no/dir/h.png"), "{e}");
    assert!(!out.exists());

    let (_d, ragged) = temp_file("ragged.csv", b"a,b\n1,2\n3,4,5\n");
    let e = fails(&["data", "info", ragged.to_str().unwrap()]);
    assert!(e.contains("ragged.csv: malformed CSV"), "{e}");
    let (_d, latin) = temp_file("latin1.csv", b"a\ncaf\xe9\n");
    let e = fails(&["data", "info", latin.to_str().unwrap()]);
    assert!(e.contains("latin1.csv: not valid UTF-8"), "{e}");
    let (_d, empty) = temp_file("empty.csv", b"");
    let e = fails(&["data", "info", empty.to_str().unwrap()]);
    assert!(e.contains("empty.csv: the file is empty"), "{e}");
    let (_d, geo) = temp_file("bad.geojson", b"not json");
    let e = fails(&["data", "info", geo.to_str().unwrap()]);
    assert!(e.contains("bad.geojson: invalid GeoJSON"), "{e}");
    let (_d, pq) = temp_file("bad.parquet", b"PAR1 not really");
    let e = fails(&["data", "info", pq.to_str().unwrap()]);
    assert!(
        e.contains("bad.parquet: not a readable Parquet file"),
        "{e}"
    );
}

#[test]
fn committed_samples_are_what_the_generators_make() {
    // The same seed gives the same bytes: regenerate each generated sample and compare.
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (&["gen", "weekly-sales"], "weekly_sales.csv"),
        (&["gen", "capacity"], "capacity.csv"),
        (
            &["gen", "store-sales", "--stores", "2", "--items", "5"],
            "store_sales_small.csv",
        ),
        (
            &["gen", "transactions", "--rows", "100000"],
            "transactions_100k.parquet",
        ),
        (&["gen", "taxi", "--rows", "20000"], "taxi_pickups.csv"),
    ];
    for (args, file) in cases {
        let out = dir.path().join(file);
        let o = playbook(&[args, &["--out", out.to_str().unwrap()]].concat());
        assert!(o.status.success());
        assert!(
            std::fs::read(&out).unwrap() == std::fs::read(sample(file)).unwrap(),
            "{file}"
        );
    }
    let clips = dir.path().join("clips");
    assert!(
        playbook(&["gen", "clips", "--out", clips.to_str().unwrap()])
            .status
            .success()
    );
    for name in ["melody.wav", "melody-slow.wav", "other.wav"] {
        let made = std::fs::read(clips.join(name)).unwrap();
        assert!(
            made == std::fs::read(sample("clips").join(name)).unwrap(),
            "{name}"
        );
    }
}

/// Sizes past what a generator makes are refused with one line, not cut silently or crashed on.
#[test]
fn generators_refuse_sizes_they_cannot_make() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.csv");
    let out = out.to_str().unwrap();
    let err = fails(&[
        "gen",
        "store-sales",
        "--stores",
        "18446744073709551615",
        "--out",
        out,
    ]);
    assert!(err.contains("choose fewer"), "{err}");
    let err = fails(&["gen", "crypto", "--days", "1000000", "--out", out]);
    assert!(
        err.contains("--days 1000000: crypto makes 1 to 3660 days"),
        "{err}"
    );
}

/// `data plot --bins` outside what a chart draws is refused, as `data hist` refuses its own,
/// instead of silently becoming another number.
#[test]
fn plot_refuses_bins_it_would_not_draw() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("h.png");
    let input = sample("seattle-weather.csv");
    for bins in ["0", "5000", "18446744073709551615"] {
        let err = fails(&[
            "data",
            "plot",
            "--input",
            input.to_str().unwrap(),
            "--x",
            "precipitation",
            "--mark",
            "histogram",
            "--bins",
            bins,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(
            err.contains(&format!("bins must be from 2 to 200, got {bins}")),
            "{err}"
        );
    }
    assert!(!out.exists());
}

/// One column for two roles is refused, naming both roles.
#[test]
fn one_column_for_two_roles_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o.csv");
    let taxi = sample("taxi_pickups.csv");
    let err = fails(&[
        "spatial",
        "hexbin",
        "--points",
        taxi.to_str().unwrap(),
        "--lon-col",
        "pickup_latitude",
        "--lat-col",
        "pickup_latitude",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        err.contains("latitude column: 'pickup_latitude' is also the longitude column"),
        "{err}"
    );
    let inv = sample("inventory_sample.parquet");
    let err = fails(&[
        "stock",
        "alerts",
        "--input",
        inv.to_str().unwrap(),
        "--store-col",
        "store",
        "--sku-col",
        "store",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        err.contains("SKU column: 'store' is also the store column"),
        "{err}"
    );
}

/// A header longer than `format!` can pad (65,535) is cut in the printed tables, not a panic.
#[test]
fn a_huge_header_prints_cut() {
    let name = "h".repeat(100_000);
    let (_dir, path) = temp_file("wide.csv", format!("{name},b\n1,2\n3,4\n").as_bytes());
    for cmd in ["info", "summary"] {
        let o = playbook(&["data", cmd, path.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "data {cmd}: {err}");
        let text = stdout(&o);
        assert!(text.contains(&format!("{}…", "h".repeat(59))), "{text}");
        assert!(
            text.len() < 10_000,
            "data {cmd} printed {} bytes",
            text.len()
        );
    }
}

/// A quoted header with a doubled quote inside names the column with one quote (RFC 4180).
#[test]
fn a_quoted_header_quote_is_unescaped() {
    let (_dir, path) = temp_file("q.csv", b"\"a\"\"b\",c\n1,2\n");
    let o = playbook(&["data", "info", path.to_str().unwrap(), "--json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["columns"][0]["name"], "a\"b");
}

/// Run `playbook` with `args`, giving up (and failing) after `limit` instead of hanging.
fn playbook_within(args: &[&str], limit: std::time::Duration) -> Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(args)
        .env("PLAYBOOK_HOME", crate::test_home())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            panic!("{args:?} still running after {limit:?}: it waits on a pipe");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// A named pipe given as an input is refused at once by every reader (opening one waits for a
/// writer forever).
#[test]
fn pipes_as_inputs_are_refused_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = |name: &str| {
        let p = dir.path().join(name);
        let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        p.to_str().unwrap().to_owned()
    };
    let (ts, wav, png, ws, csv) = (
        fifo("t.ts"),
        fifo("b.wav"),
        fifo("x.png"),
        fifo("w.playbook"),
        fifo("d.csv"),
    );
    let train = sample("GunPoint_TRAIN.ts");
    let clip = sample("clips/melody.wav");
    let out = dir.path().join("r.html");
    let cases: Vec<Vec<&str>> = vec![
        vec![
            "dtw",
            "classify",
            "--train",
            train.to_str().unwrap(),
            "--test",
            &ts,
        ],
        vec!["dtw", "audio", clip.to_str().unwrap(), &wav],
        vec!["data", "info", &csv],
        vec!["report", "--workspace", &ws, "--out", out.to_str().unwrap()],
    ];
    for args in &cases {
        let o = playbook_within(args, std::time::Duration::from_secs(60));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{args:?}");
        assert!(err.contains("not a regular file"), "{args:?}: {err}");
    }
    // An image to predict: listed as unreadable with why.
    let (set, unreadable) =
        playbook::data::images::read_files(&[std::path::PathBuf::from(&png)], 8, 1);
    assert!(set.files.is_empty());
    assert!(
        unreadable[0].1.contains("not a regular file"),
        "{unreadable:?}"
    );
}

/// One column as both x and y plots (its plotted data names the second "wind (y)"), for every
/// mark that tabulates x and y.
#[test]
fn one_column_as_x_and_y_plots() {
    let dir = tempfile::tempdir().unwrap();
    let input = sample("seattle-weather.csv");
    for mark in ["line", "bar", "scatter"] {
        let out = dir.path().join(format!("{mark}.csv"));
        let o = playbook(&[
            "data",
            "plot",
            "--input",
            input.to_str().unwrap(),
            "--x",
            "wind",
            "--y",
            "wind",
            "--mark",
            mark,
            "--out",
            out.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{mark}: {err}");
        let header = std::fs::read_to_string(&out).unwrap();
        let header = header.lines().next().unwrap().to_owned();
        assert!(header.starts_with("wind,"), "{mark}: {header}");
        assert!(header.contains("(y)"), "{mark}: {header}");
    }
}
