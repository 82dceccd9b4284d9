//! GUI tests with egui_kittest: the app starts with the sample data, the sidebar lists every
//! panel, the Data panel draws a histogram once a column is chosen, and every panel has a
//! snapshot image. Snapshots need a wgpu adapter: without one they are reported as skipped,
//! unless PLAYBOOK_REQUIRE_SNAPSHOTS=1 (as in CI), which makes a missing adapter a failure.

use std::io::Write as _;
use std::sync::OnceLock;
use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use playbook::app::{PlaybookApp, RunsHome, Settings};
use playbook::data::sample::SAMPLES;

pub(crate) fn harness(settings: Settings) -> Harness<'static, PlaybookApp> {
    // Each app records its runs in a store of its own, kept for the test process's life.
    let home = crate::process_dir();
    harness_with(settings, &home, egui::vec2(1200.0, 760.0))
}

pub(crate) fn harness_with(
    settings: Settings,
    home: &std::path::Path,
    size: egui::Vec2,
) -> Harness<'static, PlaybookApp> {
    let ctx = egui::Context::default();
    // Tests start on the Data panel unless their settings choose one (a new user sees Start).
    let mut settings = settings;
    if settings.panel.is_empty() {
        settings.panel = "data".into();
    }
    let app = PlaybookApp::with_runs(&ctx, settings, RunsHome::at(home));
    let mut h = Harness::builder().with_size(size).build_ui_state(
        |ui, app: &mut PlaybookApp| {
            app.logic(ui.ctx());
            app.show(ui);
        },
        app,
    );
    settle(&mut h);
    h
}

/// Step until no job has run for a few frames (jobs finish on their own threads).
pub(crate) fn settle(h: &mut Harness<'static, PlaybookApp>) {
    settle_for(h, Duration::from_secs(15));
}

/// `settle`, allowing jobs up to `limit` (about: each quiet-less frame waits 10 ms).
pub(crate) fn settle_for(h: &mut Harness<'static, PlaybookApp>, limit: Duration) {
    let mut quiet = 0;
    let frames = limit.as_millis() / 10;
    for _ in 0..frames {
        h.step();
        if h.state().is_idle() {
            quiet += 1;
            if quiet >= 4 {
                return;
            }
        } else {
            quiet = 0;
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    panic!(
        "jobs still running after {limit:?}: {:?}",
        h.state().jobs.active()
    );
}

fn gpu_available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE
        .get_or_init(|| std::panic::catch_unwind(egui_kittest::wgpu::WgpuTestRenderer::new).is_ok())
}

pub(crate) fn snapshot(h: &mut Harness<'static, PlaybookApp>, name: &str) {
    snapshot_allowing(h, name, 0);
}

/// A snapshot that tolerates `pixels` differing pixels: for views that print a measured time,
/// whose digits change from run to run.
pub(crate) fn snapshot_allowing(h: &mut Harness<'static, PlaybookApp>, name: &str, pixels: usize) {
    if !gpu_available() {
        let required = std::env::var("PLAYBOOK_REQUIRE_SNAPSHOTS").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "snapshot {name}: no wgpu adapter and PLAYBOOK_REQUIRE_SNAPSHOTS=1"
        );
        // Straight to stderr, past the test harness's capture, so that a passing run shows it.
        let _ = writeln!(
            std::io::stderr(),
            "snapshot {name}: skipped (no wgpu adapter)"
        );
        return;
    }
    // Updating writes every snapshot that differs at all: one kept within its tolerance would
    // keep showing an old screen (three kept yesterday's top bar that way).
    let updating = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let allowed = if updating { 0 } else { pixels };
    let options = egui_kittest::SnapshotOptions::new().max_failed_pixels(allowed);
    h.snapshot_options(name, &options);
}

#[test]
fn starts_with_sample_data_and_lists_panels() {
    let h = harness(Settings::default());
    let app = h.state();
    let names: Vec<&str> = app
        .catalog
        .entries()
        .iter()
        .map(|e| e.data.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "seattle-weather.csv",
            "stocks.csv",
            "airline.csv",
            "weekly_sales.csv",
            "capacity.csv",
            "store_sales_small.csv",
            "transactions_100k.parquet",
            "inventory_sample.parquet",
            "pitches_2021_06.parquet",
            "nyc_boroughs.geojson",
            "taxi_pickups.csv",
            "crypto_tweets.parquet",
            "crypto_prices.parquet",
            "tweets_labelled.csv",
            "naturalearth_countries.geojson"
        ]
    );
    for (_, title) in app.panel_titles() {
        h.get_by_label(title);
    }
    h.get_by_label("seattle-weather.csv (1461 rows)");
    h.get_by_label("Open…");
    assert!(app.notices.last_error().is_none());
}

#[test]
fn data_panel_shows_a_histogram_of_the_chosen_column() {
    let mut h = harness(Settings::default());
    h.get_by_label("Charts").click();
    settle(&mut h);
    // The first numeric column is chosen by default; pick another through the combo box.
    h.get_by_label_contains("Histogram of precipitation");
    h.get_by_label("Histogram column").click();
    settle(&mut h);
    h.get_by_label("temp_max").click();
    settle(&mut h);
    h.get_by_label("Histogram of temp_max: 1461 values in 30 bins");
    h.get_by_label("Top 5 values of weather");
    assert_eq!(h.query_all_by_label("Save PNG").count(), 2, "one per chart");
    snapshot(&mut h, "data_charts");
}

#[test]
fn a_bad_file_shows_an_error_and_the_app_keeps_running() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.csv");
    std::fs::write(&bad, b"a,b\n1,2\n3,4,5\n").unwrap();
    let mut h = harness(Settings::default());
    h.state_mut().open_path(bad);
    settle(&mut h);
    let err = h.state().notices.last_error().unwrap().to_owned();
    assert!(err.contains("broken.csv: malformed CSV"), "{err}");
    h.get_by_label_contains("broken.csv: malformed CSV");
    h.get_by_label("Dismiss").click();
    h.step();
    assert!(h.state().notices.last_error().is_none());
    assert_eq!(
        h.state().catalog.entries().len(),
        SAMPLES.len(),
        "samples still there"
    );
    // A file that failed to open is not offered again under Recent.
    assert!(h.state().settings_to_save().recent.is_empty());
}

#[test]
fn a_large_file_shows_its_first_rows_while_it_loads() {
    // 40 MB: the peek reads its first 10,001 lines in milliseconds; the whole file takes longer.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("large.csv");
    let mut text = String::from("id,amount,kind\n");
    let mut k = 0u64;
    while text.len() < 40 << 20 {
        text.push_str(&format!(
            "{k},{}.25,{}\n",
            k * 7 % 100_003,
            ["a", "b", "c"][k as usize % 3]
        ));
        k += 1;
    }
    std::fs::write(&file, text).unwrap();
    let mut h = harness(Settings {
        panel: "start".into(),
        ..Default::default()
    });
    h.state_mut().open_path(file);
    // Opened from the Start page, it shows in the Data panel.
    assert_eq!(h.state().settings_to_save().panel, "data");
    let mut seen_preview = false;
    for _ in 0..3000 {
        h.step();
        if !h
            .query_all_by_label_contains("first 1,000 of about")
            .collect::<Vec<_>>()
            .is_empty()
        {
            seen_preview = true;
            // Sorting waits: the headers are names, not buttons.
            h.get_by_label("amount");
        }
        if h.state().catalog.by_name("large.csv").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(seen_preview, "the first rows were never shown");
    settle(&mut h);
    let loaded = h.state().catalog.by_name("large.csv").unwrap();
    assert_eq!(loaded.rows(), k as usize);
    // Loaded: the usual header, and no preview left.
    assert!(h.state().catalog.preview().is_none());
    h.get_by_label(&format!("{k} rows × 3 columns"));
}

#[test]
fn settings_bring_back_open_files_and_choices() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.csv");
    std::fs::write(&file, b"x,y\n1,2\n3,4\n").unwrap();
    let mut h = harness(Settings::default());
    h.state_mut().open_path(file.clone());
    settle(&mut h);
    h.get_by_label("Summary").click();
    settle(&mut h);
    let saved = h.state().settings_to_save();
    assert_eq!(saved.open_files, vec![file.clone()]);
    assert_eq!(saved.recent, vec![file]);
    assert_eq!(saved.dataset.as_deref(), Some("mine.csv"));
    let mut h2 = harness(saved);
    let app = h2.state();
    assert_eq!(
        app.catalog.selected().map(|e| e.data.name.as_str()),
        Some("mine.csv")
    );
    h2.get_by_label("mean");
    // The summary of the weather sample, for the eye.
    h2.get_by_label("seattle-weather.csv (1461 rows)").click();
    settle(&mut h2);
    snapshot(&mut h2, "data_summary");
}

#[test]
fn sorting_the_preview_by_a_column() {
    let mut h = harness(Settings::default());
    h.get_by_label("airline.csv (144 rows)").click();
    settle(&mut h);
    h.get_by_label("Passengers").click();
    settle(&mut h);
    h.get_by_label("sorted by Passengers, ascending");
    // Second click: descending. The largest value (row 144 of the file) comes to the top,
    // where the file order would not show it.
    assert!(h.query_by_label("622").is_none());
    h.get_by_label("Passengers (asc)").click();
    settle(&mut h);
    h.get_by_label("sorted by Passengers, descending");
    h.get_by_label("622");
    snapshot(&mut h, "data_preview_sorted");
    // Another dataset has no Passengers column: its preview is not "sorted by" it.
    h.get_by_label("stocks.csv (560 rows)").click();
    settle(&mut h);
    assert!(h.query_by_label_contains("sorted by").is_none());
}

#[test]
fn price_over_time_by_symbol_in_three_clicks() {
    let mut h = harness(Settings::default());
    h.get_by_label("stocks.csv (560 rows)").click();
    settle(&mut h);
    // 1: the chart builder starts from the date column against the price.
    h.get_by_label("Chart builder").click();
    settle(&mut h);
    h.get_by_label("mean of price by date");
    h.get_by_label("560 of 560 rows");
    // 2, 3: colour by symbol.
    h.get_by_label("Colour").click();
    settle(&mut h);
    h.get_by_label("symbol").click();
    settle(&mut h);
    h.get_by_label("price by date, per symbol");
    snapshot(&mut h, "data_chart_builder");
    // A filter narrows the rows; a mistake in it is shown with its position, in place.
    let filter = |h: &mut Harness<'static, PlaybookApp>, text: &str| {
        h.get_by_label("Where").click();
        settle(h);
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.get_by_label("Where").type_text(text);
        settle(h);
    };
    filter(
        &mut h,
        r#"symbol in ("IBM", "MSFT") and date >= "2005-01-01""#,
    );
    // IBM and MSFT from January 2005 (counted with Python's csv and datetime too).
    h.get_by_label("126 of 560 rows");
    filter(&mut h, "prices > 100");
    h.get_by_label("stocks.csv: filter at character 1: no column 'prices'");
    // A box plot of price by symbol.
    h.state_mut().restore_panel(
        "data",
        &serde_json::json!({"view": "Chart", "plot": {"mark": "box", "x": "symbol", "y": "price"}}),
    );
    settle(&mut h);
    h.get_by_label("price by symbol");
    snapshot(&mut h, "data_chart_box");
    // Small multiples: one chart per symbol.
    h.state_mut().restore_panel(
        "data",
        &serde_json::json!({"view": "Chart", "plot": {"mark": "line", "x": "date", "y": "price", "facet": "symbol"}}),
    );
    settle(&mut h);
    h.get_by_label("5 charts, one per value of symbol");
    h.get_by_label("symbol = IBM: price by date");
    snapshot(&mut h, "data_chart_facets");
}

#[test]
fn the_filter_bar_adds_conditions_per_column() {
    let mut h = harness(Settings::default());
    h.get_by_label("stocks.csv (560 rows)").click();
    settle(&mut h);
    h.get_by_label("Chart builder").click();
    settle(&mut h);
    h.get_by_label("Filter on").click();
    settle(&mut h);
    h.get_by_label("symbol").click();
    settle(&mut h);
    h.get_by_label("symbol is any of");
    h.get_by_label("IBM").click();
    settle(&mut h);
    h.get_by_label("123 of 560 rows");
    h.get_by_label("MSFT").click();
    settle(&mut h);
    h.get_by_label("246 of 560 rows");
    // A range on the price, with the typed filter: all must hold.
    h.get_by_label("Filter on").click();
    settle(&mut h);
    h.get_by_label("price").click();
    settle(&mut h);
    h.get_by_label("price from");
    h.get_by_label("Where").click();
    h.get_by_label("Where").type_text("price > 100");
    settle(&mut h);
    snapshot(&mut h, "data_filter_bar");
    let by_hand = playbook::compute::expr::filter(
        &h.state().catalog.by_name("stocks.csv").unwrap().frame,
        r#"symbol in ("IBM", "MSFT") and price > 100"#,
    )
    .unwrap()
    .height();
    h.get_by_label(&format!("{by_hand} of 560 rows"));
}

#[test]
fn a_range_brushed_on_the_chart_filters_the_preview_until_cleared() {
    let mut h = harness(Settings::default());
    h.get_by_label("stocks.csv (560 rows)").click();
    settle(&mut h);
    h.get_by_label("Chart builder").click();
    settle(&mut h);
    // Drag across the middle of the chart, left to right.
    let press = |pos: egui::Pos2, pressed: bool| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: Default::default(),
    };
    let (from, to) = (egui::pos2(560.0, 450.0), egui::pos2(860.0, 450.0));
    h.input_mut().events.push(egui::Event::PointerMoved(from));
    h.run();
    h.input_mut().events.push(press(from, true));
    h.run();
    for k in 1..=10 {
        let x = from.x + (to.x - from.x) * k as f32 / 10.0;
        h.input_mut()
            .events
            .push(egui::Event::PointerMoved(egui::pos2(x, 450.0)));
        h.run();
    }
    h.input_mut().events.push(press(to, false));
    settle(&mut h);
    h.get_by_label("Brushed:");
    snapshot_allowing(&mut h, "data_chart_brushed", 0);
    // The preview shows only the rows in the range: all five symbols' months in it.
    h.get_by_label("Preview").click();
    settle(&mut h);
    let shown = h
        .query_all_by_label_contains(" rows in Preview, Summary and Charts")
        .count();
    assert_eq!(shown, 1);
    assert!(
        h.query_by_label("560 rows").is_none(),
        "the preview is not the whole table"
    );
    h.get_by_label("Clear brush").click();
    settle(&mut h);
    assert!(h.query_by_label("Brushed:").is_none());
    h.get_by_label("560 rows");
}

#[test]
fn column_types_and_computed_columns_are_kept_and_undone() {
    let mut h = harness(Settings::default());
    h.get_by_label("stocks.csv (560 rows)").click();
    settle(&mut h);
    h.get_by_label("Schema").click();
    settle(&mut h);
    // A computed column.
    h.get_by_label("New column").click();
    h.get_by_label("New column").type_text("thousands");
    h.get_by_label("=").click();
    h.get_by_label("=").type_text("price / 1000");
    settle(&mut h);
    h.get_by_label("Add column").click();
    settle(&mut h);
    h.get_by_label("thousands");
    // The date read as text instead.
    h.get_by_label("Change the type of date").click();
    settle(&mut h);
    h.get_by_label("text").click();
    settle(&mut h);
    h.get_by_label("'date' as text");
    snapshot(&mut h, "data_schema_changes");
    let frame = |h: &Harness<'static, PlaybookApp>| {
        h.state()
            .catalog
            .by_name("stocks.csv")
            .expect("stocks.csv")
            .frame
            .clone()
    };
    assert_eq!(
        frame(&h).column("date").unwrap().dtype(),
        &polars::prelude::DataType::String
    );
    assert_eq!(
        frame(&h).column("thousands").unwrap().f64().unwrap().get(0),
        Some(39.81 / 1000.0)
    );
    // Made again in the next session, from the saved settings.
    let saved = h.state().settings_to_save();
    let mut again = harness(saved);
    let f = again
        .state()
        .catalog
        .by_name("stocks.csv")
        .unwrap()
        .frame
        .clone();
    assert_eq!(
        f.column("date").unwrap().dtype(),
        &polars::prelude::DataType::String
    );
    assert!(f.column("thousands").is_ok());
    // Undo all: the sample as it ships.
    again.get_by_label("stocks.csv (560 rows)").click();
    settle(&mut again);
    again.get_by_label("Schema").click();
    settle(&mut again);
    again.get_by_label("Undo all").click();
    settle(&mut again);
    let f = again
        .state()
        .catalog
        .by_name("stocks.csv")
        .unwrap()
        .frame
        .clone();
    assert_eq!(
        f.column("date").unwrap().dtype(),
        &polars::prelude::DataType::Date
    );
    assert!(f.column("thousands").is_err());
    assert!(again.state().settings_to_save().recipes.is_empty());
}

#[test]
fn filtered_rows_become_a_dataset_for_any_panel() {
    let mut h = harness(Settings::default());
    h.get_by_label("stocks.csv (560 rows)").click();
    settle(&mut h);
    h.get_by_label("Chart builder").click();
    settle(&mut h);
    h.get_by_label("Where").click();
    h.get_by_label("Where").type_text(r#"symbol == "IBM""#);
    settle(&mut h);
    h.get_by_label("123 of 560 rows");
    h.get_by_label("Keep these rows as a dataset").click();
    settle(&mut h);
    let made = h
        .state()
        .catalog
        .by_name(r#"stocks.csv where symbol == "IBM""#)
        .expect("the kept rows");
    assert_eq!(made.rows(), 123);
    assert_eq!(
        h.state()
            .catalog
            .selected()
            .map(|e| e.data.name.clone())
            .as_deref(),
        Some(r#"stocks.csv where symbol == "IBM""#)
    );
}

#[test]
fn two_datasets_join_on_a_key_into_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let (pitches, names) = (dir.path().join("pitches.csv"), dir.path().join("names.csv"));
    std::fs::write(&pitches, "pitcher,spin\n1,2200\n2,2500\n2,2510\n9,1900\n").unwrap();
    std::fs::write(&names, "pitcher,name\n1,Cole\n2,Bauer\n3,Kershaw\n").unwrap();
    let mut h = harness(Settings::default());
    h.state_mut().open_path(names);
    settle(&mut h);
    h.state_mut().open_path(pitches);
    settle(&mut h);
    h.get_by_label("Join").click();
    settle(&mut h);
    h.get_by_label("Join pitches.csv with");
    // The other dataset and the key start from the column both have.
    h.get_by_label("left").click();
    settle(&mut h);
    snapshot(&mut h, "data_join");
    h.query_all_by_label("Join").last().unwrap().click();
    settle(&mut h);
    let joined = h
        .state()
        .catalog
        .by_name("pitches.csv + names.csv")
        .expect("joined");
    assert_eq!(joined.rows(), 4);
    assert_eq!(joined.frame.column("name").unwrap().null_count(), 1);
    h.get_by_label_contains("1 left rows without a match, 1 right rows unused");
}

#[test]
fn every_panel_has_a_snapshot() {
    let mut h = harness(Settings::default());
    let panels = h.state().panel_titles();
    for (id, _) in panels {
        h.state_mut().select_panel(id);
        settle(&mut h);
        // The Pitching panel scores its sample on first show and prints how long that took.
        let timed = if matches!(id, "pitching" | "sentiment" | "spatial") {
            300
        } else {
            0
        };
        snapshot_allowing(&mut h, &format!("panel_{id}"), timed);
    }
}

/// Each panel as it opens in a window of `w` x `h_px` points.
fn every_panel_at(w: f32, h_px: f32) {
    let home = crate::process_dir();
    let mut h = harness_with(Settings::default(), &home, egui::vec2(w, h_px));
    let panels = h.state().panel_titles();
    for (id, _) in panels {
        h.state_mut().select_panel(id);
        settle(&mut h);
        let timed = if matches!(id, "pitching" | "sentiment" | "spatial") {
            300
        } else {
            0
        };
        snapshot_allowing(&mut h, &format!("panel_{id}_{w}x{h_px}"), timed);
    }
}

#[test]
fn every_panel_in_a_small_window() {
    // A laptop's window beside the slides.
    every_panel_at(800.0, 500.0);
}

#[test]
fn every_panel_in_a_tiny_window() {
    // A projector's 640 x 400 corner, or a window squeezed beside notes.
    every_panel_at(640.0, 400.0);
}

#[test]
fn every_panel_in_a_large_window() {
    every_panel_at(1440.0, 900.0);
}

#[test]
fn the_sidebar_folds_away_and_comes_back() {
    let home = crate::process_dir();
    let mut h = harness_with(Settings::default(), &home, egui::vec2(800.0, 500.0));
    h.get_by_label("Datasets");
    h.get_by_label("Sidebar").click();
    settle(&mut h);
    assert!(h.query_by_label("Datasets").is_none());
    assert!(h.state().settings_to_save().hide_sidebar, "remembered");
    snapshot_allowing(&mut h, "sidebar_folded_800x500", 0);
    h.get_by_label("Sidebar").click();
    settle(&mut h);
    h.get_by_label("Datasets");
}

/// A window narrower than 700 points starts with the sidebar folded (the panel gets the whole
/// width); the Sidebar button shows it for now, without changing the saved choice.
#[test]
fn a_narrow_window_starts_with_the_sidebar_folded() {
    let home = crate::process_dir();
    let mut h = harness_with(Settings::default(), &home, egui::vec2(640.0, 400.0));
    assert!(h.query_by_label("Datasets").is_none());
    snapshot_allowing(&mut h, "start_640x400", 0);
    h.get_by_label("Sidebar").click();
    settle(&mut h);
    h.get_by_label("Datasets");
    assert!(
        !h.state().settings_to_save().hide_sidebar,
        "the saved choice is unchanged"
    );
}

#[test]
fn two_files_with_one_name_can_be_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    for (folder, rows) in [("2023", "a\n1\n"), ("2024", "a\n1\n2\n")] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
        std::fs::write(dir.path().join(folder).join("sales.csv"), rows).unwrap();
    }
    let mut h = harness(Settings::default());
    h.state_mut().open_path(dir.path().join("2023/sales.csv"));
    settle(&mut h);
    h.state_mut().open_path(dir.path().join("2024/sales.csv"));
    settle(&mut h);
    h.get_by_label("sales.csv (1 rows)");
    h.get_by_label("sales.csv (2024) (2 rows)");
    let names = h.state().catalog.names();
    assert!(names.contains(&"sales.csv (2024)".to_owned()), "{names:?}");
    // Opening the same file again replaces it instead of adding a third.
    h.state_mut().open_path(dir.path().join("2024/sales.csv"));
    settle(&mut h);
    let names = h.state().catalog.names();
    let sales: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with("sales.csv"))
        .collect();
    assert_eq!(sales, ["sales.csv", "sales.csv (2024)"], "{names:?}");
}

#[test]
fn every_panel_says_what_its_analysis_does() {
    let mut h = harness(Settings::default());
    let panels = h.state().panel_titles();
    // Every analysis panel (the Start page is not one).
    for (id, _) in panels.into_iter().filter(|(id, _)| *id != "start") {
        h.state_mut().select_panel(id);
        settle(&mut h);
        h.get_by_label("About this analysis").click();
        settle(&mut h);
    }
    // The last one opened (Runs), and one checked against its reference.
    h.get_by_label_contains("Every analysis run, from the app or the command line");
    h.state_mut().select_panel("dtw");
    settle(&mut h);
    h.get_by_label_contains("Distances equal dtaidistance's");
}

#[test]
fn every_view_copes_with_a_header_only_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("header-only.csv");
    std::fs::write(&file, b"a,b,c\n").unwrap();
    let mut h = harness(Settings::default());
    h.state_mut().open_path(file);
    settle(&mut h);
    h.get_by_label("header-only.csv (0 rows)");
    for view in ["Schema", "Summary", "Charts", "Preview"] {
        h.get_by_label(view).click();
        settle(&mut h);
    }
    h.get_by_label("0 rows");
}

#[test]
fn saving_a_chart_from_the_panel_writes_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(Settings::default());
    // Skip the save dialog: exports go straight into this folder.
    h.state_mut().exports.folder = Some(dir.path().to_owned());
    h.get_by_label("Charts").click();
    settle(&mut h);
    let buttons: Vec<_> = h.query_all_by_label("Save SVG").collect();
    buttons[0].click();
    settle(&mut h);
    let path = dir.path().join("hist-precipitation.svg");
    let svg = std::fs::read_to_string(&path).expect("the histogram was saved");
    assert!(svg.contains("seattle-weather.csv — precipitation"));
    let info = h
        .state()
        .notices
        .current_info()
        .unwrap_or_default()
        .to_owned();
    assert!(
        info.starts_with("Saved ") && info.ends_with("hist-precipitation.svg"),
        "{info}"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temp files left"
    );
}

#[test]
fn without_a_system_dialog_saves_go_through_the_in_app_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(Settings::default());
    // As on a desktop with no portal and no zenity (found out at the first save).
    h.state_mut().exports.no_system_dialog = true;
    h.get_by_label("Charts").click();
    settle(&mut h);
    let save_svg = |h: &mut Harness<'static, PlaybookApp>| {
        let buttons: Vec<_> = h.query_all_by_label("Save SVG").collect();
        buttons[0].click();
        settle(h);
    };
    save_svg(&mut h);
    h.get_by_label_contains("No system file dialog is available here");
    let folder = |h: &Harness<'static, PlaybookApp>| {
        h.query_all_by_label("Folder")
            .find(|n| n.value().is_some())
            .expect("the folder field")
            .click();
    };
    folder(&h);
    settle(&mut h);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.query_all_by_label("Folder")
        .find(|n| n.value().is_some())
        .expect("the folder field")
        .type_text(dir.path().to_str().unwrap());
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    h.get_by_label("Save").click();
    settle(&mut h);
    let path = dir.path().join("hist-precipitation.svg");
    assert!(path.exists(), "saved through the in-app window");
    let info = h
        .state()
        .notices
        .current_info()
        .unwrap_or_default()
        .to_owned();
    assert!(
        info.starts_with("Saved ") && info.ends_with("hist-precipitation.svg"),
        "{info}"
    );
    // The same name again: asked before replacing; the folder is remembered, and listed anew
    // with the file just saved in it (it said "An empty folder." until a restart).
    std::fs::write(&path, "old").unwrap();
    save_svg(&mut h);
    settle(&mut h);
    assert!(h.query_by_label("An empty folder.").is_none());
    h.get_by_label("hist-precipitation.svg");
    h.get_by_label("Save").click();
    settle(&mut h);
    h.get_by_label_contains("exists. Replace it?");
    h.get_by_label("Replace").click();
    settle(&mut h);
    assert!(std::fs::read_to_string(&path).unwrap().contains("<svg"));
    // Cancel says so.
    save_svg(&mut h);
    h.get_by_label("Cancel").click();
    settle(&mut h);
    assert_eq!(
        h.state().notices.current_info(),
        Some("Not saved: hist-precipitation.svg")
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// A file dropped on the window, as the windowing backend would hand it to egui.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropped_files_are_loaded_and_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dropped.csv");
    std::fs::write(&file, b"k,v\na,1\nb,2\nc,3\n").unwrap();
    let mut h = harness(Settings::default());
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(file.clone())));
    settle(&mut h);
    h.get_by_label("dropped.csv (3 rows)");
    let app = h.state();
    assert_eq!(
        app.catalog.selected().map(|e| e.data.name.as_str()),
        Some("dropped.csv")
    );
    assert_eq!(app.settings.recent, vec![file.clone()]);
    // The Recent menu lists it; choosing it again reloads it in place.
    h.get_by_label("Recent").click();
    settle(&mut h);
    h.get_by_label(file.display().to_string().as_str()).click();
    settle(&mut h);
    assert_eq!(
        h.state().catalog.entries().len(),
        SAMPLES.len() + 1,
        "reloaded, not added twice"
    );
}

#[test]
fn the_status_bar_cancels_a_running_job() {
    let mut h = harness(Settings::default());
    let job = h
        .state()
        .jobs
        .spawn("test:long", "Long test job", |ctx| -> anyhow::Result<()> {
            loop {
                ctx.check()?;
                std::thread::sleep(Duration::from_millis(2));
            }
        })
        .unwrap();
    h.step();
    h.get_by_label("Long test job");
    h.get_by_label("Cancel").click();
    h.step();
    assert!(h.state().is_idle());
    assert_eq!(job.wait(), Err(playbook::jobs::JobError::Cancelled));
    h.step();
    assert!(h.query_by_label("Long test job").is_none());
}

#[test]
fn the_theme_and_presenting_follow_the_view_menu() {
    let mut h = harness(Settings::default());
    // Opens the View menu when a click closed it, then picks the item.
    fn view_item(h: &mut Harness<'static, PlaybookApp>, item: &str) {
        if h.query_by_label(item).is_none() {
            h.get_by_label("View").click();
            settle(h);
        }
        h.get_by_label(item).click();
    }
    view_item(&mut h, "Light");
    h.step();
    h.step();
    assert_eq!(
        h.state().settings.theme,
        playbook::settings::ThemeChoice::Light
    );
    assert_eq!(h.ctx.theme(), egui::Theme::Light);
    view_item(&mut h, "Dark");
    h.step();
    h.step();
    assert_eq!(h.ctx.theme(), egui::Theme::Dark);
    // Presenting draws everything larger, and back.
    assert_eq!(h.ctx.zoom_factor(), 1.0);
    view_item(&mut h, "Presenting");
    settle(&mut h);
    assert!(h.state().settings.presenting);
    assert_eq!(h.ctx.zoom_factor(), playbook::settings::PRESENTING_ZOOM);
    view_item(&mut h, "Presenting");
    settle(&mut h);
    assert_eq!(h.ctx.zoom_factor(), 1.0);
}

#[test]
fn dtw_panel_matches_the_capacity_curve() {
    let mut h = harness(Settings::default());
    h.get_by_label("DTW").click();
    settle(&mut h);
    h.get_by_label("Run").click();
    settle(&mut h);
    h.get_by_label_contains("811 series of weekly_sales.csv against capacity.csv");
    h.get_by_label("Closest");
    h.get_by_label("Outliers");
    // The closest series is drawn over the pattern with its warping path.
    h.get_by_label_contains("against the pattern");
    snapshot(&mut h, "dtw_match");
    // A second run at another stretch factor is kept in the history.
    h.state_mut().select_panel("dtw");
    h.get_by_label("Run").click();
    settle(&mut h);
    // Both runs are recorded in the app's run store, which the history shows.
    let home = h.state().runs.path().unwrap().to_owned();
    let store = playbook::runs::RunStore::open(&home).unwrap();
    let runs = store
        .list(&playbook::runs::RunFilter::use_case("dtw-match"))
        .unwrap();
    assert_eq!(runs.len(), 2, "two runs recorded");
    assert!(
        runs.iter()
            .all(|r| r.status == playbook::runs::RunStatus::Done)
    );
}

#[test]
fn dtw_panel_sweeps_and_classifies() {
    let mut h = harness(Settings::default());
    h.get_by_label("DTW").click();
    settle(&mut h);
    h.get_by_label("Stretch sweep").click();
    settle(&mut h);
    h.get_by_label("Run sweep").click();
    settle(&mut h);
    h.get_by_label("Median distance by stretch factor");
    snapshot(&mut h, "dtw_sweep");
    // A changed pattern marks the sweep stale.
    h.get_by_label("Typed").click();
    settle(&mut h);
    h.get_by_label_contains("settings before your edits: press Run sweep to update them");
    h.get_by_label("Classify").click();
    settle(&mut h);
    h.get_by_label("Run classification").click();
    settle(&mut h);
    // Window 0 is Euclidean: the UCR archive's published error rate.
    h.get_by_label("Error rate 0.0867 (13 of 150 wrong)");
    h.get_by_label("actual 1");
    snapshot(&mut h, "dtw_classify");
    h.get_by_label("Z-normalise").click();
    settle(&mut h);
    h.get_by_label_contains("UCR GunPoint with the settings before your edits");
}

#[test]
fn dtw_panel_computes_all_pairs_as_a_clustered_heat_map() {
    let mut h = harness(Settings::default());
    h.get_by_label("DTW").click();
    settle(&mut h);
    h.get_by_label("All pairs").click();
    settle(&mut h);
    h.get_by_label("Compute all pairs").click();
    settle(&mut h);
    // weekly_sales.csv: 811 series, 811 x 810 / 2 pairs.
    h.get_by_label_contains("811 series of weekly_sales.csv: 328,455 pairs");
    h.get_by_label("Every pair:");
    snapshot(&mut h, "dtw_matrix");
    h.get_by_label("Z-normalise").click();
    settle(&mut h);
    h.get_by_label_contains("press Compute all pairs to update them");
}

#[test]
fn dtw_panel_compares_audio_clips() {
    let mut h = harness(Settings::default());
    h.get_by_label("DTW").click();
    settle(&mut h);
    h.get_by_label("Audio").click();
    settle(&mut h);
    h.get_by_label("Compare clips").click();
    settle(&mut h);
    h.get_by_label("Pairwise DTW distances");
    h.get_by_label_contains("melody-slow.wav: 1.50 s at 8000 Hz");
    snapshot(&mut h, "dtw_audio");
    h.get_by_label("Z-normalise").click();
    settle(&mut h);
    h.get_by_label_contains("the clips compared with the settings before your edits");
}

#[test]
fn dtw_panel_classifies_tables_from_the_catalog() {
    // GunPoint written as two CSV tables with a label column.
    let dir = tempfile::tempdir().unwrap();
    let files = ["GunPoint_TRAIN.ts", "GunPoint_TEST.ts"]
        .map(|n| crate::gunpoint_csv(dir.path(), n, ""))
        .to_vec();
    let mut settings = Settings {
        panel: "dtw".into(),
        open_files: files,
        ..Default::default()
    };
    settings.panels.insert(
        "dtw".into(),
        serde_json::json!({
            "view": "Classify",
            "classify_tables": true,
            "train_dataset": "GunPoint_TRAIN.csv",
            "test_dataset": "GunPoint_TEST.csv",
            "classify_window": 1.0
        }),
    );
    let mut h = harness(settings);
    h.get_by_label("Run classification").click();
    settle(&mut h);
    h.get_by_label("Error rate 0.0933 (14 of 150 wrong)");
}

#[test]
fn dtw_panel_reads_long_tables() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("long.csv");
    let mut text = String::from("sku,week,units\n");
    for (sku, shift) in [("a", 0), ("b", 1), ("c", 5)] {
        for t in 0..12 {
            let v = if (t + shift) % 12 == 6 { 10 } else { 1 };
            text.push_str(&format!("{sku},{t},{v}\n"));
        }
    }
    std::fs::write(&file, text).unwrap();
    let mut settings = Settings {
        panel: "dtw".into(),
        open_files: vec![file],
        ..Default::default()
    };
    settings.panels.insert(
        "dtw".into(),
        serde_json::json!({
            "series_dataset": "long.csv",
            "layout": {"Long": {"id": "sku", "time": "week", "value": "units"}},
            "source": "Typed",
            "typed": "1,1,1,1,1,1,10,1,1,1,1,1",
            "window": 0.1
        }),
    );
    let mut h = harness(settings);
    h.get_by_label("Run").click();
    settle(&mut h);
    h.get_by_label_contains("3 series of long.csv against typed pattern");
    // "a" matches exactly; "b" is one step early, within the band. (With three series each
    // one is in both the closest and the furthest list.)
    assert!(h.query_all_by_label("a  0").count() >= 1);
    assert!(h.query_all_by_label("b  0").count() >= 1);
    assert_eq!(h.query_all_by_label("c  0").count(), 0);
}

#[test]
fn the_in_app_browser_opens_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("inner")).unwrap();
    std::fs::write(dir.path().join("inner").join("found.csv"), b"a,b\n1,2\n").unwrap();
    std::fs::write(dir.path().join("skip.txt.bak"), b"x").unwrap();
    let mut h = harness(Settings::default());
    h.get_by_label("Browse…").click();
    settle(&mut h);
    h.get_by_label("Choose files to open");
    h.state_mut().browser.show_at(dir.path());
    settle(&mut h);
    assert!(h.query_by_label("skip.txt.bak").is_none());
    h.get_by_label("inner/").click();
    settle(&mut h);
    h.get_by_label("found.csv").click();
    settle(&mut h);
    h.get_by_label("found.csv (1 rows)");
    assert!(h.state().picks.awaiting.is_none(), "closes after choosing");
}

#[test]
fn reopened_files_do_not_steal_the_restored_selection() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.csv");
    std::fs::write(&file, b"x,y\n1,2\n").unwrap();
    let settings = Settings {
        open_files: vec![file],
        dataset: Some("stocks.csv".into()),
        ..Default::default()
    };
    let h = harness(settings);
    let app = h.state();
    assert_eq!(app.catalog.entries().len(), SAMPLES.len() + 1);
    assert_eq!(
        app.catalog.selected().map(|e| e.data.name.as_str()),
        Some("stocks.csv")
    );
}

#[test]
fn forecast_panel_runs_the_sample_store_sales() {
    let mut h = harness(Settings::default());
    h.get_by_label("Forecast").click();
    settle(&mut h);
    h.get_by_label("Run").click();
    settle(&mut h);
    h.get_by_label_contains("10 series of store_sales_small.csv forecast in");
    h.get_by_label_contains("Forecast of store 1, item 1 (holdout sMAPE");
    // The band's legend entry, and the components.
    h.get_by_label("95% interval");
    h.get_by_label("Weekly seasonality");
    h.get_by_label("Yearly seasonality");
    // "forecast in 0.12 s": the digits of the time may change. And on a loaded machine (a cold
    // CI build) the small yearly-seasonality chart once settled on a slightly taller y range
    // (about 6,500 pixels of that one chart); the rest of the view must match.
    snapshot_allowing(&mut h, "forecast_series", 9000);
    h.get_by_label("Accuracy").click();
    settle(&mut h);
    h.get_by_label("Accuracy per series");
    h.get_by_label("playbook sMAPE").click();
    settle(&mut h);
    h.get_by_label("playbook sMAPE (asc)");
    snapshot_allowing(&mut h, "forecast_accuracy", 150);
    // A row opens that series.
    h.get_by_label("Across groups").click();
    settle(&mut h);
    h.get_by_label_contains("Forecast of item 1 in every store");
    h.get_by_label("Total").click();
    settle(&mut h);
    h.get_by_label("Total of 10 series");
    // The scores' terms are explained on hover.
    h.get_by_label_contains("Holdout: sMAPE").hover();
    h.run();
    h.get_by_label_contains("MASE: the error divided by the error of repeating last week");
}

#[test]
fn fraud_panel_trains_on_the_default_rule() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(Settings::default());
    h.state_mut().exports.folder = Some(dir.path().to_owned());
    h.get_by_label("Fraud").click();
    settle(&mut h);
    h.get_by_label_contains("The rules flag");
    h.get_by_label("Train").click();
    settle(&mut h);
    h.get_by_label_contains("Tree of depth");
    h.get_by_label_contains("Confusion matrix (test set: labels from the rules (");
    h.get_by_label("Precision-recall curve");
    h.get_by_label("ROC curve");
    // "flagged by the model, not the rules" lists its transactions.
    h.get_by_label_contains("missed by the model").click();
    settle(&mut h);
    h.get_by_label_contains("transactions in this cell");
    snapshot_allowing(&mut h, "fraud_model", 150);
    h.get_by_label("Tree").click();
    settle(&mut h);
    h.get_by_label_contains("all training rows:");
    h.get_by_label("Save SQL");
    snapshot_allowing(&mut h, "fraud_tree", 150);
    // Save the model, load it back: it scores the sample as the panel's model does.
    h.get_by_label("Save model").click();
    settle(&mut h);
    let model = dir.path().join("fraud-model.json");
    assert!(model.exists(), "the model was saved");
    let field = h
        .query_all_by_label("Model file")
        .find(|n| n.value().is_some())
        .expect("the model path field");
    field.click();
    field.type_text(model.to_str().unwrap());
    h.run();
    h.get_by_label("Load model").click();
    settle(&mut h);
    h.get_by_label_contains("on all 100000 rows of transactions_100k.parquet, PR-AUC");
    h.get_by_label("Review queue").click();
    settle(&mut h);
    // The sample's depth-5 tree has pure leaves only: nothing is uncertain, and it says so.
    h.get_by_label_contains(
        "Review queue: no uncertain cases (every test transaction falls in a pure leaf",
    );
}

#[test]
fn spatial_panel_joins_the_sample_pickups_to_the_boroughs() {
    let mut h = harness(Settings::default());
    h.get_by_label("Spatial").click();
    settle(&mut h);
    h.get_by_label("Join").click();
    settle(&mut h);
    h.get_by_label_contains(
        "points of taxi_pickups.csv joined to 5 polygons of nyc_boroughs.geojson",
    );
    h.get_by_label("Points per polygon");
    h.get_by_label("Manhattan");
    // The layers' legend.
    h.get_by_label("Layers");
    h.get_by_label("Polygons: points per polygon");
    // The fills' classes in numbers, with how many boroughs each holds.
    h.get_by_label("2001–10095 (3 polygons)");
    h.get_by_label("51–500 (1 polygon)");
    h.get_by_label("H3 cells (resolution 7): points per cell")
        .click();
    settle(&mut h);
    snapshot_allowing(&mut h, "spatial_map", 150);
    // Points coloured by a column of their table, with what the colours mean.
    let choices = serde_json::json!({"point_colour": "passenger_count"});
    h.state_mut().restore_panel("spatial", &choices);
    settle(&mut h);
    h.get_by_label_contains("passenger_count: 1");
    h.get_by_label("H3").click();
    h.get_by_label("Join").click();
    settle(&mut h);
    h.get_by_label_contains("Same polygon as the exact join for");
}

#[test]
fn runs_panel_compares_two_trainings_and_opens_one_in_its_panel() {
    let home = tempfile::tempdir().unwrap();
    let mut h = harness_with(Settings::default(), home.path(), egui::vec2(1200.0, 900.0));
    h.get_by_label("Fraud").click();
    settle(&mut h);
    for depth in [3, 6] {
        let choices = serde_json::json!({"params": {"max_depth": depth}});
        h.state_mut().restore_panel("fraud", &choices);
        h.step();
        h.get_by_label("Train").click();
        settle(&mut h);
        h.get_by_label_contains("Tree of depth");
    }
    h.state_mut().select_panel("runs");
    settle(&mut h);
    h.get_by_label("run 1").click();
    h.get_by_label("run 2").click();
    settle(&mut h);
    h.get_by_label("Comparing 2 runs");
    h.get_by_label("max_depth (differs)");
    h.get_by_label("PR (test)");
    // Curves of unlike runs are overlaid with what sets them apart, and a note says so.
    h.get_by_label_contains("These runs differ in max_depth: their curves are overlaid");
    assert!(h.query_all_by_label("run 1 (max_depth 3)").count() >= 1);
    assert!(h.query_all_by_label("run 2 (max_depth 6)").count() >= 1);
    // Start times and durations differ from run to run: allow their digits to change.
    snapshot_allowing(&mut h, "runs_compare", 4000);
    // Both runs in one report file.
    let out = tempfile::tempdir().unwrap();
    h.state_mut().exports.folder = Some(out.path().to_owned());
    h.get_by_label("Export report…").click();
    settle(&mut h);
    let report = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(report.contains("Run 1 · fraud") && report.contains("Run 2 · fraud"));
    assert!(report.contains("max_depth"));
    // Only the depth-3 run selected: Open in panel puts depth 3 back into the Fraud panel.
    // (The first "run 2" is the table's check box; the comparison's column heads follow.)
    h.query_all_by_label("run 2").next().unwrap().click();
    settle(&mut h);
    h.get_by_label("Open in panel").click();
    settle(&mut h);
    let saved = h.state().settings_to_save();
    assert_eq!(saved.panel, "fraud");
    assert_eq!(saved.panels["fraud"]["params"]["max_depth"], 3);
    h.get_by_label_contains("Run 1 opened in Fraud");
}

/// Results of inputs or settings that are no longer the chosen ones are marked (the shared
/// `stale_note`, on the Sentiment panel, which runs its sample when first shown).
#[test]
fn results_of_other_inputs_are_marked_stale() {
    let mut h = harness(Settings::default());
    h.state_mut().select_panel("sentiment");
    settle(&mut h);
    h.get_by_label_contains("tweets on 2 assets");
    assert!(h.query_by_label_contains("These results are for").is_none());
    h.state_mut().restore_panel(
        "sentiment",
        &serde_json::json!({"tweets": "tweets_labelled.csv"}),
    );
    settle(&mut h);
    h.get_by_label_contains("(now tweets_labelled.csv and crypto_prices.parquet is chosen)");
    h.state_mut().restore_panel(
        "sentiment",
        &serde_json::json!({"tweets": "crypto_tweets.parquet", "params": {"window_minutes": 30}}),
    );
    settle(&mut h);
    h.get_by_label_contains("with the settings before your edits: press Analyse");
}

/// A new user opens on the Start page: one card per use case of the registry. "Try it on the
/// sample" opens the case's panel and runs it on its sample, recorded like any run, for every
/// card alike (before, four of them opened an empty panel).
#[test]
fn the_start_page_runs_each_use_case_on_its_sample() {
    use playbook::runs::{RunFilter, RunStatus, RunStore};
    use playbook::usecases::registry;
    let home = tempfile::tempdir().unwrap();
    let mut h = harness_with(
        Settings {
            panel: "start".into(),
            ..Settings::default()
        },
        home.path(),
        egui::vec2(1200.0, 760.0),
    );
    h.get_by_label_contains("every analysis runs on this laptop, offline");
    assert_eq!(
        h.query_all_by_label("Try it on the sample").count(),
        registry::ALL.len()
    );
    snapshot(&mut h, "start_page");
    let store = RunStore::open(home.path()).unwrap();
    for (k, case) in registry::ALL.iter().enumerate() {
        h.state_mut().select_panel("start");
        settle(&mut h);
        // Scrolled to first: a card below the window's fold is there but not clickable.
        h.query_all_by_label("Try it on the sample")
            .nth(k)
            .unwrap()
            .scroll_to_me();
        settle(&mut h);
        h.query_all_by_label("Try it on the sample")
            .nth(k)
            .unwrap()
            .click();
        // Training the CNN takes longer than the other samples.
        settle_for(&mut h, Duration::from_secs(300));
        assert_eq!(h.state().settings_to_save().panel, case.id);
        if case.id == "sentiment" {
            h.get_by_label_contains("tweets on 2 assets");
        }
        let done = case
            .runs
            .iter()
            .flat_map(|name| store.list(&RunFilter::use_case(name)).unwrap())
            .filter(|r| r.status == RunStatus::Done)
            .count();
        // The Data card opens the table tools: nothing to run.
        let expected = usize::from(!case.runs.is_empty());
        assert_eq!(done, expected, "{}: finished runs after Try it", case.id);
    }
}

#[test]
fn images_panel_trains_on_the_bundled_digits() {
    let mut h = harness(Settings::default());
    // A short run: three epochs of 8x8 digits.
    h.state_mut().restore_panel(
        "images",
        &serde_json::json!({"folder": "", "params": {"size": 8, "epochs": 3, "batch": 32}}),
    );
    h.get_by_label("Images").click();
    settle(&mut h);
    h.get_by_label_contains("Dataset: 1,797 images in 10 classes");
    h.get_by_label_contains("Classes are balanced");
    snapshot(&mut h, "images_dataset");
    h.get_by_label("Train").click();
    settle(&mut h);
    h.get_by_label_contains("% validation accuracy");
    h.get_by_label("Loss per epoch");
    h.get_by_label("Validation confusion matrix (rows: true class)");
    h.get_by_label_contains("Misclassified validation images:");
    h.get_by_label_contains("Model kept as images-1.model");
    // The summary prints the seconds the run took.
    snapshot_allowing(&mut h, "images_results", 400);
    // Images dropped on the window are predicted with the run's model, not opened as tables.
    let sevens = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/digits/7");
    let datasets = h.state().catalog.entries().len();
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(sevens)));
    settle(&mut h);
    h.get_by_label_contains("179 images with the last run's model");
    assert_eq!(h.state().catalog.entries().len(), datasets);
}

#[test]
fn images_panel_chooses_and_saves_without_a_system_dialog() {
    let out = tempfile::tempdir().unwrap();
    let mut h = harness(Settings::default());
    // As on a desktop with no portal and no zenity; saves go straight to `out`.
    h.state_mut().picks.no_system_dialog = true;
    h.state_mut().exports.folder = Some(out.path().to_owned());
    h.state_mut().restore_panel(
        "images",
        &serde_json::json!({"folder": "", "params": {"size": 8, "epochs": 1, "batch": 64}}),
    );
    h.get_by_label("Images").click();
    settle(&mut h);
    // The training folder, walked to in the in-app browser.
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    h.get_by_label("Choose folder…").click();
    settle(&mut h);
    h.get_by_label_contains("No system file dialog is available here");
    h.state_mut().browser.show_at(&samples);
    settle(&mut h);
    h.get_by_label("digits/").click();
    settle(&mut h);
    h.get_by_label("Use this folder").click();
    settle(&mut h);
    let digits = samples.join("digits");
    assert_eq!(
        h.state().settings_to_save().panels["images"]["folder"],
        digits.display().to_string()
    );
    h.get_by_label_contains("Dataset: 1,797 images in 10 classes");
    h.get_by_label("Train").click();
    settle(&mut h);
    // Save model as: a copy of the model the run store keeps.
    h.get_by_label("Save model as…").click();
    settle(&mut h);
    let saved = out.path().join("images-1.model");
    let kept = h.state().runs.path().unwrap().join("models/images-1.model");
    assert_eq!(
        std::fs::read(&saved).unwrap(),
        std::fs::read(&kept).unwrap()
    );
    // The saved model, chosen in the browser, loads back.
    // Predict sits below the results: scroll to it.
    h.get_by_label("Choose model…").scroll_to_me();
    settle(&mut h);
    h.get_by_label("Choose model…").click();
    settle(&mut h);
    h.state_mut().browser.show_at(out.path());
    settle(&mut h);
    h.get_by_label("images-1.model").click();
    settle(&mut h);
    h.get_by_label_contains("loaded: 10 classes, 8x8 pixels");
    // Every image of a folder, chosen at once, predicted with that model.
    h.get_by_label("Choose images…").click();
    settle(&mut h);
    h.state_mut().browser.show_at(&digits.join("3"));
    settle(&mut h);
    h.get_by_label_contains("Choose all 183 here").click();
    settle(&mut h);
    h.get_by_label_contains("183 images with images-1.model");
}

/// Escape stops the newest job, as its Cancel button in the status bar does.
#[test]
fn escape_cancels_the_newest_job() {
    let mut h = harness(Settings::default());
    h.state_mut().restore_panel(
        "images",
        &serde_json::json!({"folder": "", "params": {"size": 16, "epochs": 500, "batch": 32, "patience": 100}}),
    );
    h.get_by_label("Images").click();
    settle(&mut h);
    h.get_by_label("Train").click();
    h.step();
    h.step();
    assert!(
        h.state()
            .jobs
            .active()
            .iter()
            .any(|j| j.name == "Images: training"),
        "{:?}",
        h.state().jobs.active()
    );
    h.key_press(egui::Key::Escape);
    h.step();
    settle(&mut h);
    assert_eq!(
        h.state().notices.current_info(),
        Some("Cancelled: Images: training")
    );
}
