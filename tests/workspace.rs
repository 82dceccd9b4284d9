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
    for id in ["forecast", "images"] {
        assert_eq!(now.panels[id], saved.panels[id], "{id}");
    }
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
