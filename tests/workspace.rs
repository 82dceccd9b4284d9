//! Workspaces: the screen saved and reopened in a fresh app, a changed file held back until the
//! user chooses, and a committed version-1 file that still opens.

use egui_kittest::kittest::Queryable;
use playbook::app::Settings;

use crate::gui::{harness, settle, snapshot};

fn configured(csv: &std::path::Path) -> egui_kittest::Harness<'static, playbook::app::PlaybookApp> {
    let mut h = harness(Settings::default());
    h.state_mut().open_path(csv.to_owned());
    settle(&mut h);
    // Several panels' choices and views.
    h.state_mut().restore_panel(
        "data",
        &serde_json::json!({"view": "Chart", "plot": {"mark": "bar", "x": "region", "y": "sales", "agg": "sum"}}),
    );
    h.state_mut()
        .restore_panel("forecast", &serde_json::json!({"horizon": 21}));
    h.state_mut().restore_panel(
        "images",
        &serde_json::json!({"params": {"size": 12, "epochs": 4}}),
    );
    // Every other panel too: parameters, the selected asset or pitcher search, the map's
    // centre and zoom, the runs filter.
    let others = [
        (
            "spatial",
            serde_json::json!({"resolution": 8, "map": {"centre": [-73.95, 40.72], "zoom": 11.25}}),
        ),
        (
            "sentiment",
            serde_json::json!({"asset": 1, "contains": "moon"}),
        ),
        (
            "pitching",
            serde_json::json!({"search": "Cole", "replay_ms": 250}),
        ),
        (
            "stock",
            serde_json::json!({"sku": "SKU-7", "descending": false}),
        ),
        ("dtw", serde_json::json!({"top_n": 7, "window": 0.2})),
        ("fraud", serde_json::json!({"params": {"max_depth": 7}})),
        (
            "runs",
            serde_json::json!({"view": {"use_case": "fraud", "dataset": "tx"}}),
        ),
    ];
    for (id, choices) in others {
        h.state_mut().restore_panel(id, &choices);
    }
    h.state_mut().select_panel("data");
    settle(&mut h);
    h
}

#[test]
fn a_saved_workspace_reopens_the_same_screen_in_a_fresh_app() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("regions.csv");
    std::fs::write(&csv, "region,sales\nnorth,10\nsouth,25\nnorth,5\neast,7\n").unwrap();
    let mut a = configured(&csv);
    a.get_by_label("sum of sales by region");
    snapshot(&mut a, "workspace_roundtrip");
    let ws = dir.path().join("monday.playbook");
    a.state_mut().save_workspace_to(ws.clone());
    settle(&mut a);
    assert!(ws.exists(), "written");
    let saved = a.state().settings_to_save();
    // One set of snapshot results for the three apps of this test.
    let mut results = a.take_snapshot_results();

    let mut b = harness(Settings::default());
    b.state_mut().open_path(ws.clone());
    settle(&mut b);
    let now = b.state().settings_to_save();
    assert_eq!(now.panel, "data");
    assert_eq!(now.dataset.as_deref(), Some("regions.csv"));
    // Every panel but Data (below) exactly as saved.
    for (id, v) in &saved.panels {
        if id != "data" {
            assert_eq!(now.panels.get(id), Some(v), "{id}");
        }
    }
    assert_eq!(now.panels["spatial"]["map"]["zoom"], 11.25);
    assert_eq!(now.panels["pitching"]["search"], "Cole");
    // The Data panel: its view and the chart of regions.csv (a dataset shown while the file
    // loaded gets a chart of its own, which does not touch this one).
    assert_eq!(now.panels["data"]["view"], saved.panels["data"]["view"]);
    assert_eq!(
        now.panels["data"]["plots"]["regions.csv"],
        saved.panels["data"]["plots"]["regions.csv"]
    );
    assert_eq!(now.recent.first(), Some(&ws), "in the Recent menu");
    b.state_mut().notices.clear_info();
    b.run();
    // The same pixels as the screen that was saved.
    snapshot(&mut b, "workspace_roundtrip");
    results.extend_harness(&mut b);
    // The map opens where it was left.
    b.state_mut().select_panel("spatial");
    settle(&mut b);
    b.get_by_label("Zoom to polygons");
    let map = &b.state().settings_to_save().panels["spatial"]["map"];
    assert_eq!(map["zoom"], 11.25);
    assert_eq!(map["centre"], serde_json::json!([-73.95, 40.72]));

    // The file changes: nothing is computed on it until the user chooses.
    std::fs::write(&csv, "region,sales\nnorth,99\n").unwrap();
    let mut c = harness(Settings::default());
    c.state_mut().open_path(ws);
    settle(&mut c);
    c.get_by_label_contains("is there, but its content changed");
    assert!(c.state().catalog.by_name("regions.csv").is_none());
    c.get_by_label("Use anyway").click();
    settle(&mut c);
    assert_eq!(c.state().catalog.by_name("regions.csv").unwrap().rows(), 1);
    results.extend_harness(&mut c);
    results.unwrap();
}

#[test]
fn a_version_one_workspace_still_opens() {
    let v1 = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/workspace-v1.playbook");
    let mut h = harness(Settings::default());
    h.state_mut().open_path(v1);
    settle(&mut h);
    h.get_by_label("price by symbol");
    assert_eq!(
        h.state().settings_to_save().dataset.as_deref(),
        Some("stocks.csv")
    );
}

#[test]
fn a_file_that_is_not_a_workspace_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("notes.playbook");
    std::fs::write(&bad, "{\"format\": \"something else\"}").unwrap();
    let mut h = harness(Settings::default());
    h.state_mut().open_path(bad);
    settle(&mut h);
    let e = h
        .state()
        .notices
        .last_error()
        .unwrap_or_default()
        .to_owned();
    assert!(
        e.contains("notes.playbook: not a Playbook workspace"),
        "{e}"
    );
}

/// `fraud train` on the sample transactions in `home`.
fn fraud_run(home: &std::path::Path, depth: &str) {
    let o = crate::fraud_train_in(home, &["--max-depth", depth]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn report(home: &std::path::Path, ws: &std::path::Path, out: &std::path::Path) -> String {
    let o = crate::playbook_in(
        home,
        &[
            "report",
            "--workspace",
            ws.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read_to_string(out).unwrap()
}

#[test]
fn a_workspace_keeps_the_runs_it_shows_and_its_report_covers_them() {
    let home = tempfile::tempdir().unwrap();
    fraud_run(home.path(), "4");
    fraud_run(home.path(), "3");
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("fraud.playbook");
    let mut a =
        crate::gui::harness_with(Settings::default(), home.path(), egui::vec2(1200.0, 800.0));
    a.state_mut()
        .open_path(crate::sample("transactions_100k.parquet"));
    a.state_mut().select_panel("runs");
    settle(&mut a);
    a.get_by_label("run 1").click();
    settle(&mut a);
    a.get_by_label_contains("Run 1: fraud from the command line");
    a.state_mut().save_workspace_to(ws.clone());
    settle(&mut a);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&ws).unwrap()).unwrap();
    assert_eq!(saved["runs"], serde_json::json!([1]));

    // Reopened: the same run is ticked and its details shown.
    let mut b =
        crate::gui::harness_with(Settings::default(), home.path(), egui::vec2(1200.0, 800.0));
    b.state_mut().open_path(ws.clone());
    settle(&mut b);
    b.get_by_label_contains("Run 1: fraud from the command line");
    assert_eq!(
        b.state().settings_to_save().panels["runs"]["view"]["selected"],
        serde_json::json!([1])
    );
    // Workspace > Export report… from the app: the same report of the screen.
    let out = tempfile::tempdir().unwrap();
    b.state_mut().exports.folder = Some(out.path().to_owned());
    b.state_mut().export_workspace_report();
    settle(&mut b);
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(html.contains("Workspace fraud.playbook") && html.contains("Run 1 · fraud"));

    // Its report: the workspace's dataset as saved, the run it shows with its curves, not the
    // other run.
    let html = report(home.path(), &ws, &dir.path().join("r.html"));
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(&html, opts).unwrap();
    let svgs = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "svg")
        .count();
    assert!(svgs >= 2, "PR and ROC curves: {svgs}");
    assert!(html.contains("Workspace fraud.playbook"));
    assert!(html.contains("transactions_100k.parquet"));
    assert!(html.contains("as saved"));
    assert!(html.contains("Run 1 · fraud") && !html.contains("Run 2 · fraud"));

    // Showing no runs: the latest finished run on exactly its datasets.
    let mut none = saved.clone();
    none.as_object_mut().unwrap().remove("runs");
    let ws_none = dir.path().join("none.playbook");
    std::fs::write(&ws_none, none.to_string()).unwrap();
    let html = report(home.path(), &ws_none, &dir.path().join("n.html"));
    assert!(html.contains("Run 2 · fraud") && !html.contains("Run 1 · fraud"));
    // A run it names that this store does not have is said, not skipped silently.
    let mut gone = saved;
    gone["runs"] = serde_json::json!([1, 99]);
    let ws_gone = dir.path().join("gone.playbook");
    std::fs::write(&ws_gone, gone.to_string()).unwrap();
    let html = report(home.path(), &ws_gone, &dir.path().join("g.html"));
    assert!(html.contains("Run 99, shown in the workspace, is not in this run store"));
}

#[test]
fn quitting_with_unsaved_changes_to_a_workspace_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("regions.csv");
    std::fs::write(&csv, "region,sales\nnorth,10\nsouth,25\n").unwrap();
    let mut a = configured(&csv);
    // No workspace yet: the session is kept as always, nothing to ask.
    assert!(a.state_mut().may_quit());
    let ws = dir.path().join("monday.playbook");
    a.state_mut().save_workspace_to(ws.clone());
    settle(&mut a);
    assert!(!a.state().has_unsaved_workspace_changes(), "just saved");

    let mut b = harness(Settings::default());
    b.state_mut().open_path(ws.clone());
    settle(&mut b);
    assert!(!b.state().has_unsaved_workspace_changes(), "as opened");
    assert!(b.state_mut().may_quit());
    b.state_mut()
        .restore_panel("forecast", &serde_json::json!({"horizon": 30}));
    b.run();
    assert!(!b.state_mut().may_quit(), "a change to the workspace");
    b.run();
    b.get_by_label_contains("This screen has changed since monday.playbook was saved");
    b.get_by_label("Cancel").click();
    b.run();
    assert!(b.query_by_label("Save and quit").is_none());
    assert!(!b.state_mut().may_quit());
    b.run();
    b.get_by_label("Save and quit").click();
    settle(&mut b);
    assert!(b.state().workspaces.quitting, "quits once saved");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&ws).unwrap()).unwrap();
    assert_eq!(saved["panels"]["forecast"]["horizon"], 30);
    assert!(!b.state().has_unsaved_workspace_changes());
}

#[test]
fn a_packed_workspace_opens_on_another_laptop_with_none_of_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("regions.csv");
    std::fs::write(&csv, "region,sales\nnorth,10\nsouth,25\nnorth,5\neast,7\n").unwrap();
    let mut a = configured(&csv);
    a.get_by_label("sum of sales by region");
    let saved = a.state().settings_to_save();
    // Pack workspace… asks first when the data is large (the limit lowered for the test).
    let out = tempfile::tempdir().unwrap();
    a.state_mut().exports.folder = Some(out.path().to_owned());
    a.state_mut().workspaces.pack_warn_bytes = Some(10);
    a.state_mut().pack_workspace();
    settle(&mut a);
    a.get_by_label_contains("The open files hold 46 B of data");
    a.get_by_label("Pack").click();
    settle(&mut a);
    let ws = out.path().join("workspace.playbook");
    assert!(playbook::workspace::is_packed(&ws), "written as a zip");
    assert!(a.state().workspaces.packed);
    // The original file is gone: the pack alone reopens the screen, on another home.
    drop(dir);
    let other_home = tempfile::tempdir().unwrap();
    let mut b = crate::gui::harness_with(
        Settings::default(),
        other_home.path(),
        egui::vec2(1200.0, 760.0),
    );
    b.state_mut().open_path(ws.clone());
    settle(&mut b);
    assert!(b.state().workspaces.issues.is_empty(), "nothing missing");
    let ds = b
        .state()
        .catalog
        .by_name("regions.csv")
        .expect("unpacked and loaded");
    assert_eq!(ds.rows(), 4);
    assert!(
        ds.path()
            .unwrap()
            .starts_with(other_home.path().join("unpacked"))
    );
    let now = b.state().settings_to_save();
    assert_eq!(now.panel, "data");
    assert_eq!(now.panels["forecast"], saved.panels["forecast"]);
    b.get_by_label("sum of sales by region");
    assert!(b.state().workspaces.packed);
    // Save and quit of a changed packed workspace packs it again.
    b.state_mut()
        .restore_panel("forecast", &serde_json::json!({"horizon": 45}));
    b.run();
    assert!(!b.state_mut().may_quit());
    b.run();
    b.get_by_label("Save and quit").click();
    settle(&mut b);
    assert!(b.state().workspaces.quitting);
    assert!(playbook::workspace::is_packed(&ws), "still packed");
    let home = tempfile::tempdir().unwrap();
    let back = playbook::workspace::Workspace::open(&ws, home.path()).unwrap();
    assert_eq!(back.panels["forecast"]["horizon"], 45);
}
