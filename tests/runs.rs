//! The run store from the command line: every analysis command records its run; `runs list`,
//! `show`, `compare`, `delete` and `export`; a run killed mid-way shows as failed; two commands
//! recording at once are both kept.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::{playbook_in, sample};

fn list(home: &Path) -> Vec<serde_json::Value> {
    let o = playbook_in(home, &["runs", "list", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice::<serde_json::Value>(&o.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

use crate::fraud_train_in as train_with;

fn train(home: &Path, depth: &str) -> std::process::Output {
    train_with(home, &["--max-depth", depth])
}

#[test]
fn fraud_train_is_recorded_and_listed_shown_compared_exported_deleted() {
    let home = tempfile::tempdir().unwrap();
    let o = train(home.path(), "4");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("run 1 recorded"), "{err}");
    let runs = list(home.path());
    assert_eq!(runs.len(), 1);
    let r = &runs[0];
    for key in [
        "id", "use_case", "status", "params", "metrics", "started", "seconds",
    ] {
        assert!(r.get(key).is_some(), "{key} missing: {r}");
    }
    assert_eq!(r["use_case"], "fraud");
    assert_eq!(r["status"], "done");
    assert_eq!(r["params"]["max_depth"], 4);
    let pr = r["metrics"]["pr_auc_test"].as_f64().unwrap();
    assert!(pr > 0.5 && pr <= 1.0, "{pr}");
    assert!(r["seconds"].as_f64().unwrap() > 0.0);
    assert_eq!(r["inputs"][0]["name"], "transactions_100k.parquet");
    assert_eq!(r["inputs"][0]["hash"].as_str().unwrap().len(), 64);

    assert!(train(home.path(), "6").status.success());
    let o = playbook_in(home.path(), &["runs", "compare", "1", "2", "--json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = v["rows"].as_array().unwrap();
    let depth = rows.iter().find(|r| r["name"] == "max_depth").unwrap();
    assert_eq!(depth["differs"], true);
    assert_eq!(depth["values"], serde_json::json!(["4", "6"]));
    let seed = rows.iter().find(|r| r["name"] == "seed").unwrap();
    assert_eq!(seed["differs"], false);
    let o = playbook_in(home.path(), &["runs", "show", "2"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("metric pr_auc_test"));

    let out = home.path().join("runs.csv");
    let o = playbook_in(
        home.path(),
        &["runs", "export", "--out", out.to_str().unwrap()],
    );
    assert!(o.status.success());
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.lines().next().unwrap().contains("pr_auc_test"));

    // The run keeps its PR, ROC and importance charts beside the store; delete removes them.
    let o = playbook_in(home.path(), &["runs", "show", "1", "--json"]);
    let shown: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let kept: Vec<std::path::PathBuf> = shown["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["owned"] == true)
        .map(|a| a["path"].as_str().unwrap().into())
        .collect();
    assert_eq!(kept.len(), 3, "{shown}");
    for k in &kept {
        let svg = std::fs::read_to_string(k).unwrap();
        assert!(svg.contains("<svg"), "{}", k.display());
    }
    assert!(
        playbook_in(home.path(), &["runs", "delete", "1"])
            .status
            .success()
    );
    assert!(
        kept.iter().all(|k| !k.exists()),
        "kept charts deleted with the run"
    );
    assert_eq!(list(home.path()).len(), 1);
    let o = playbook_in(home.path(), &["runs", "show", "1"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("run 1 not found"));
    // --no-record leaves no trace.
    let tx = sample("transactions_100k.parquet");
    let o = playbook_in(
        home.path(),
        &[
            "fraud",
            "rules",
            "--input",
            tx.to_str().unwrap(),
            "--no-record",
        ],
    );
    assert!(o.status.success());
    assert!(train_with(home.path(), &["--no-record"]).status.success());
    assert_eq!(list(home.path()).len(), 1);
}

#[test]
fn a_failed_run_is_recorded_with_its_message() {
    let home = tempfile::tempdir().unwrap();
    let tx = sample("transactions_100k.parquet");
    let o = playbook_in(
        home.path(),
        &[
            "fraud",
            "train",
            "--input",
            tx.to_str().unwrap(),
            "--label-col",
            "type",
        ],
    );
    assert!(!o.status.success());
    let runs = list(home.path());
    assert_eq!(runs[0]["status"], "failed");
    assert!(
        runs[0]["message"].as_str().unwrap().contains("type"),
        "{}",
        runs[0]
    );
}

#[test]
fn rules_label_a_table_without_an_amount_column() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("balances.csv");
    let mut text = String::from("type,oldbalanceOrg,newbalanceOrig\n");
    for i in 0..400 {
        let old = (i * 37 % 1000) as f64;
        let t = if i % 3 == 0 { "TRANSFER" } else { "PAYMENT" };
        text.push_str(&format!("{t},{old},{}\n", old * 0.5));
    }
    std::fs::write(&data, text).unwrap();
    let rules = dir.path().join("r.txt");
    std::fs::write(&rules, "oldbalanceOrg > 500 AND type == TRANSFER\n").unwrap();
    let o = playbook_in(
        home.path(),
        &[
            "fraud",
            "train",
            "--input",
            data.to_str().unwrap(),
            "--rule-file",
            rules.to_str().unwrap(),
            "--drop-col",
            "amount,oldbalanceDest,newbalanceDest,orgDiff",
            "--add-col",
            "oldbalanceOrg,newbalanceOrig",
            "--json",
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["positives"].as_u64().unwrap() > 0);
}

#[test]
fn a_killed_run_shows_as_failed_afterwards() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tx = dir.path().join("tx.parquet");
    let o = playbook_in(
        home.path(),
        &[
            "gen",
            "transactions",
            "--rows",
            "400000",
            "--out",
            tx.to_str().unwrap(),
        ],
    );
    assert!(o.status.success());
    // A long run: cross-validation over the book's 3 x 3 grid, 5 folds.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args([
            "fraud",
            "train",
            "--input",
            tx.to_str().unwrap(),
            "--rule",
            "default",
            "--cv",
            "5",
        ])
        .env("PLAYBOOK_HOME", home.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        let runs = list(home.path());
        if runs.first().is_some_and(|r| r["status"] == "running") {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it was seen running"
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "never seen running"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // kill -9: no chance to finish the record.
    child.kill().unwrap();
    child.wait().unwrap();
    let runs = list(home.path());
    assert_eq!(runs[0]["status"], "failed", "{}", runs[0]);
    assert!(runs[0]["message"].as_str().unwrap().contains("interrupted"));
}

#[test]
fn two_commands_recording_at_once_are_both_kept() {
    let home = tempfile::tempdir().unwrap();
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| train(home.path(), "3"));
        let b = s.spawn(|| train(home.path(), "5"));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    let runs = list(home.path());
    assert_eq!(runs.len(), 2);
    assert!(runs.iter().all(|r| r["status"] == "done"));
    let mut depths: Vec<i64> = runs
        .iter()
        .map(|r| r["params"]["max_depth"].as_i64().unwrap())
        .collect();
    depths.sort();
    assert_eq!(depths, [3, 5]);
}

#[test]
fn a_store_that_cannot_be_opened_is_a_warning_and_the_analysis_still_runs() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the home folder should be.
    let home = dir.path().join("not-a-folder");
    std::fs::write(&home, b"x").unwrap();
    let o = train(&home, "3");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("warning: run store") && err.contains("not recorded"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("PR-AUC"));
    let o = playbook_in(&home, &["runs", "list"]);
    assert!(!o.status.success());
}

#[test]
fn every_analysis_command_records_its_use_case() {
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let s = |name: &str| sample(name).to_str().unwrap().to_owned();
    let commands: Vec<Vec<String>> = vec![
        vec![
            "dtw".into(),
            "distances".into(),
            "--input".into(),
            s("weekly_sales.csv"),
            "--pattern-file".into(),
            s("capacity.csv"),
            "--out".into(),
            out("d.csv"),
        ],
        vec![
            "dtw".into(),
            "sweep".into(),
            "--input".into(),
            s("weekly_sales.csv"),
            "--pattern".into(),
            "P1".into(),
            "--windows".into(),
            "0,0.1".into(),
            "--out".into(),
            out("s.csv"),
        ],
        vec![
            "dtw".into(),
            "classify".into(),
            "--train".into(),
            s("GunPoint_TRAIN.ts"),
            "--test".into(),
            s("GunPoint_TEST.ts"),
            "--window".into(),
            "0".into(),
        ],
        vec![
            "forecast".into(),
            "--input".into(),
            s("store_sales_small.csv"),
            "--group".into(),
            "store,item".into(),
            "--holdout".into(),
            "30".into(),
            "--out".into(),
            out("f.csv"),
        ],
        vec![
            "spatial".into(),
            "join".into(),
            "--points".into(),
            s("taxi_pickups.csv"),
            "--polygons".into(),
            s("nyc_boroughs.geojson"),
            "--name-col".into(),
            "BoroName".into(),
        ],
        vec![
            "spatial".into(),
            "hexbin".into(),
            "--points".into(),
            s("taxi_pickups.csv"),
            "--out".into(),
            out("h.csv"),
        ],
    ];
    for c in &commands {
        let args: Vec<&str> = c.iter().map(String::as_str).collect();
        let o = playbook_in(home.path(), &args);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let runs = list(home.path());
    let mut cases: Vec<&str> = runs
        .iter()
        .map(|r| r["use_case"].as_str().unwrap())
        .collect();
    cases.sort();
    assert_eq!(
        cases,
        [
            "dtw-classify",
            "dtw-match",
            "dtw-sweep",
            "forecast",
            "spatial-hexbin",
            "spatial-join"
        ]
    );
    assert!(runs.iter().all(|r| r["status"] == "done"));
    let f = runs.iter().find(|r| r["use_case"] == "forecast").unwrap();
    assert!(f["metrics"]["smape"].as_f64().unwrap() > 0.0);
    let c = runs
        .iter()
        .find(|r| r["use_case"] == "dtw-classify")
        .unwrap();
    let rate = c["metrics"]["error_rate"].as_f64().unwrap();
    assert!((rate - 0.0867).abs() < 1e-3, "{rate}");
}

/// A screenshot of `html` by headless Chromium, or why there is none.
fn chromium_shot(html: &Path) -> Result<std::path::PathBuf, String> {
    let png = html.with_extension("png");
    let o = std::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=1100,1400",
        ])
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .map_err(|e| format!("chromium did not start: {e}"))?;
    if !png.exists() {
        return Err(format!(
            "chromium wrote no screenshot: {}",
            String::from_utf8_lossy(&o.stderr)
        ));
    }
    Ok(png)
}

/// Every element named `tag` under `node`.
fn all<'a>(doc: &'a roxmltree::Document<'a>, tag: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.tag_name().name() == tag)
        .collect()
}

#[test]
fn a_run_report_holds_every_chart_table_and_fingerprint_in_one_file() {
    let home = tempfile::tempdir().unwrap();
    let o = train(home.path(), "4");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let run = &list(home.path())[0];
    let out = home.path().join("report.html");
    let o = playbook_in(
        home.path(),
        &["report", "--runs", "1", "--out", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(&out).unwrap();
    // Parsed as XML: every element closed, every attribute quoted.
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(&html, opts).expect("well-formed");
    let shown = run["show"].clone();
    let artifacts = run["artifacts"].as_array().cloned().unwrap_or_default();
    let pngs = artifacts
        .iter()
        .filter(|a| a["path"].as_str().unwrap_or("").ends_with(".png"))
        .count();
    let tables = artifacts
        .iter()
        .filter(|a| a["path"].as_str().unwrap_or("").ends_with(".csv"))
        .count();
    let curves = run["curves"].as_array().map_or(0, Vec::len);
    assert!(pngs + curves > 0, "the run has charts: {run}");
    let _ = shown;
    // Each curve is an inline SVG chart; each saved chart an embedded image.
    let figures = all(&doc, "figure");
    assert_eq!(
        figures
            .iter()
            .filter(|f| f.attribute("class") == Some("chart"))
            .count(),
        curves
    );
    let images: Vec<_> = all(&doc, "img");
    assert_eq!(images.len(), pngs);
    assert!(images.iter().all(|i| {
        i.attribute("src")
            .is_some_and(|s| s.starts_with("data:image/png;base64,"))
    }));
    assert_eq!(all(&doc, "table").len(), tables);
    // The parameters, the run id and each input's fingerprint are written out.
    let text: String = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(text.contains("max_depth"), "params");
    for input in run["inputs"].as_array().unwrap() {
        assert!(
            text.contains(input["hash"].as_str().unwrap()),
            "fingerprint of {input}"
        );
    }
    // Self-contained: nothing fetched from elsewhere (the SVG namespace is a name, not a
    // request).
    for needle in [
        "src=\"http",
        "href=\"http",
        "url(",
        "<link",
        "@import",
        "<script",
    ] {
        assert!(!html.contains(needle), "{needle}");
    }
    // Rendered in a real browser: headless Chromium (Debian's package, installed by .ci/run)
    // takes a screenshot, kept in the tests' output; it must not be blank.
    match chromium_shot(&out) {
        Ok(png) => {
            let img = image::open(&png).expect("a PNG").to_rgb8();
            let dark = img
                .pixels()
                .filter(|p| p.0.iter().all(|&c| c < 128))
                .count();
            assert!(
                dark > 2_000,
                "the report rendered as a blank page ({dark} dark pixels)"
            );
            let kept =
                std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-chromium.png");
            std::fs::copy(&png, &kept).unwrap();
            println!("report as Chromium renders it: {}", kept.display());
        }
        Err(why) if std::env::var_os("PLAYBOOK_REQUIRE_SNAPSHOTS").is_some() => {
            panic!("Chromium is required in CI: {why}")
        }
        Err(why) => println!("skipped the browser check: {why}"),
    }
    // A run that is not there is named.
    let o = playbook_in(
        home.path(),
        &["report", "--runs", "9", "--out", out.to_str().unwrap()],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains('9'));
}

/// The run store is never an output: a report or a model written over `runs.sqlite` (or into its
/// artifacts folder) is refused before anything runs, and every recorded run is still there.
#[test]
fn the_run_store_is_refused_as_an_output() {
    let home = tempfile::tempdir().unwrap();
    let o = train(home.path(), "3");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let store = home.path().join("runs.sqlite");
    let store_arg = store.to_str().unwrap();
    for args in [
        vec!["report", "--runs", "1", "--out", store_arg],
        vec![
            "fraud",
            "train",
            "--input",
            sample("transactions_100k.parquet").to_str().unwrap(),
            "--rule",
            "default",
            "--model-out",
            store_arg,
        ],
    ] {
        let o = playbook_in(home.path(), &args);
        assert!(!o.status.success(), "{args:?} succeeded");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("is Playbook's run store"), "{err}");
    }
    let artifact = home.path().join("artifacts").join("1").join("x.html");
    let o = playbook_in(
        home.path(),
        &["report", "--runs", "1", "--out", artifact.to_str().unwrap()],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && err.contains("artifacts folder"),
        "{err}"
    );
    assert_eq!(list(home.path()).len(), 1, "the recorded run is kept");
}
