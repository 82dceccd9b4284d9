//! Time to first rows: opening a large CSV or Parquet file in the app, how long until its first
//! rows are on screen (the Data panel's preview), and how long until the whole file has loaded;
//! beside it the whole load alone (`data::load_path`, no preview), to show that the preview does
//! not slow the full load. Frames are drawn every 2 ms, as a busy UI would.
//!
//! usage: cargo bench --bench first_rows -- FILE [RUNS]
//! Prints medians. Not a test: no thresholds here; the numbers go into BENCHMARKS.md.

mod common;

use std::time::{Duration, Instant};

use playbook::app::{PlaybookApp, Settings};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(file) = args.first().cloned() else {
        eprintln!("usage: cargo bench --bench first_rows -- FILE [RUNS]");
        return;
    };
    let runs: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(5);
    let (mut first, mut whole, mut alone, mut peek) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let ctx = egui::Context::default();
        let mut app = PlaybookApp::new(
            &ctx,
            Settings {
                panel: "data".into(),
                ..Default::default()
            },
        );
        // The samples load first, as at start-up; then the file is opened.
        while !app.is_idle() {
            common::frame(&ctx, &mut app, Vec::new());
            std::thread::sleep(Duration::from_millis(2));
        }
        let start = Instant::now();
        app.open_path(file.clone().into());
        let mut seen = None;
        loop {
            common::frame(&ctx, &mut app, Vec::new());
            if seen.is_none() && app.catalog.preview().is_some() {
                seen = Some(start.elapsed());
            }
            if !app.catalog.is_loading() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        whole.push(start.elapsed().as_secs_f64());
        first.push(seen.map_or(f64::NAN, |d| d.as_secs_f64()));
        let t = Instant::now();
        let p = playbook::data::peek::peek_path(std::path::Path::new(&file));
        peek.push(t.elapsed().as_secs_f64());
        drop(p);
        let t = Instant::now();
        let ds = playbook::data::load_path(std::path::Path::new(&file)).expect("the file loads");
        alone.push(t.elapsed().as_secs_f64());
        drop(ds);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "{file}, median of {runs}: first rows on screen {:.0} ms (the peek alone {:.0} ms); whole file in the app {:.2} s; whole file alone (no preview) {:.2} s",
        1000.0 * median(&mut first),
        1000.0 * median(&mut peek),
        median(&mut whole),
        median(&mut alone)
    );
}
