//! The Data panel's chart builder on a large table (6,362,620 PaySim-like transactions):
//! how long a filter and a computed column take to show (from the change to the first frame
//! that draws the new chart), and the frame time while the chart is on screen. Measured on the
//! CPU side of a frame (egui pass + tessellation), without a window or GPU.
//!
//! usage: cargo bench --bench explore_frame_time -- TX.parquet [FRAMES]
//! (make TX.parquet with `playbook gen transactions --rows 6362620 --out tx.parquet`)
//! Prints one JSON object: seconds to each updated view, and frame times in milliseconds.

mod common;

use std::time::{Duration, Instant};

use playbook::app::{PlaybookApp, Settings};
use playbook::data::recipe::Step;

/// Draw frames (about 60 a second, as a window asks while a job runs) until nothing runs.
fn until_idle(ctx: &egui::Context, app: &mut PlaybookApp) -> f64 {
    let t = Instant::now();
    loop {
        common::frame(ctx, app, Vec::new());
        if app.is_idle() && !app.catalog.is_loading() {
            // One more frame: the one that draws the result.
            common::frame(ctx, app, Vec::new());
            return t.elapsed().as_secs_f64();
        }
        std::thread::sleep(Duration::from_millis(16));
    }
}

/// The labels on screen that end with `suffix` (the chart builder's "N of M rows", its title).
fn shown(ctx: &egui::Context, app: &mut PlaybookApp, suffix: &str) -> Vec<String> {
    ctx.enable_accesskit();
    let out = ctx.run_ui(common::input(Vec::new()), |ui| {
        app.logic(ui.ctx());
        app.show(ui);
    });
    out.platform_output
        .accesskit_update
        .map(|u| {
            u.nodes
                .iter()
                .filter_map(|(_, n)| n.label().or(n.value()))
                .filter(|l| l.ends_with(suffix))
                .map(str::to_owned)
                .collect::<std::collections::BTreeSet<String>>()
        })
        .unwrap_or_default()
        .into_iter()
        .collect()
}

/// Median, 95th percentile and worst of `n` frames, in milliseconds.
fn frames(ctx: &egui::Context, app: &mut PlaybookApp, n: usize) -> serde_json::Value {
    let mut ms: Vec<f64> = (0..n)
        .map(|_| common::frame(ctx, app, Vec::new()).as_secs_f64() * 1000.0)
        .collect();
    ms.sort_by(f64::total_cmp);
    serde_json::json!({
        "frames": n,
        "median_ms": ms[n / 2],
        "p95_ms": ms[(n * 95 / 100).min(n - 1)],
        "worst_ms": ms[n - 1],
    })
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(file) = args.first() else {
        eprintln!("usage: explore_frame_time TX.parquet [FRAMES]");
        return;
    };
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(300);
    let home = tempfile::tempdir().expect("temp dir");
    // SAFETY: set before any other thread reads the environment.
    unsafe { std::env::set_var("PLAYBOOK_HOME", home.path()) };
    let path = std::path::PathBuf::from(file);
    let name = playbook::data::file_name(&path);
    let chart = |plot: serde_json::Value| serde_json::json!({"view": "Chart", "plot": plot});
    let line = serde_json::json!({
        "mark": "line", "x": "step", "y": "amount", "color": "type", "bins": 40,
    });
    let settings = Settings {
        open_files: vec![path.clone()],
        dataset: Some(name.clone()),
        panel: "data".into(),
        panels: [("data".to_owned(), chart(line.clone()))].into(),
        ..Settings::default()
    };
    let ctx = egui::Context::default();
    let t = Instant::now();
    let mut app = PlaybookApp::new(&ctx, settings);
    let opened = until_idle(&ctx, &mut app);
    let rows = app.catalog.selected().map_or(0, |e| e.data.rows());
    let _ = t;
    let line_shown = shown(&ctx, &mut app, " rows");
    let line_frames = frames(&ctx, &mut app, n);
    // A filter typed in Where.
    let mut filtered = line.clone();
    filtered["filter"] = r#"amount > 1e5 and type in ("TRANSFER", "CASH_OUT")"#.into();
    app.restore_panel("data", &chart(filtered.clone()));
    let filter_s = until_idle(&ctx, &mut app);
    let filter_shown = shown(&ctx, &mut app, " rows");
    let filter_frames = frames(&ctx, &mut app, n);
    // A computed column, then a chart of it: a scatter of 6.36M points drawn as a density.
    let id = app.catalog.selected().map(|e| e.id).expect("a dataset");
    let step = Step::Compute {
        name: "delta".into(),
        expr: "newbalanceOrig - oldbalanceOrg".into(),
    };
    let t = Instant::now();
    app.catalog.change(&app.jobs, id, step).expect("change");
    let computed_s = until_idle(&ctx, &mut app);
    let _ = t;
    let scatter = serde_json::json!({
        "mark": "scatter", "x": "amount", "y": "delta", "bins": 100,
    });
    app.restore_panel("data", &chart(scatter));
    let scatter_s = until_idle(&ctx, &mut app);
    let scatter_shown = shown(&ctx, &mut app, " rows");
    let scatter_frames = frames(&ctx, &mut app, n);
    // The same filter and column alone, without the app: medians of five.
    let frame = app
        .catalog
        .selected()
        .expect("a dataset")
        .data
        .frame
        .clone();
    let median = |f: &dyn Fn() -> usize| {
        let mut runs: Vec<(f64, usize)> = (0..5)
            .map(|_| {
                let t = Instant::now();
                let n = f();
                (t.elapsed().as_secs_f64(), n)
            })
            .collect();
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        runs[2]
    };
    let filter_text = filtered["filter"].as_str().unwrap_or_default().to_owned();
    let (filter_kernel_s, kept) = median(&|| {
        playbook::compute::expr::filter(&frame, &filter_text)
            .expect("filter")
            .height()
    });
    let chunks = frame.column("amount").map_or(0, |c| c.n_chunks());
    let (compute_kernel_s, _) = median(&|| {
        playbook::compute::expr::compute(&frame, "newbalanceOrig - oldbalanceOrg", "delta")
            .expect("compute")
            .len()
    });
    let out = serde_json::json!({
        "filter_kernel_s": filter_kernel_s,
        "filter_kept": kept,
        "compute_kernel_s": compute_kernel_s,
        "chunks": chunks,
        "file": file,
        "rows": rows,
        "open_and_first_chart_s": opened,
        "line_by_type": line_frames,
        "line_shown": line_shown,
        "filter_shown": filter_shown,
        "scatter_shown": scatter_shown,
        "filter_to_view_s": filter_s,
        "filtered_line": filter_frames,
        "computed_column_s": computed_s,
        "scatter_of_computed_to_view_s": scatter_s,
        "scatter_density": scatter_frames,
    });
    println!("{out}");
}
