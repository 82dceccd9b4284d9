//! Frame time of the app while scrolling the preview table of a large dataset, measured on
//! the CPU side of a frame (egui pass + tessellation), without a window or GPU.
//!
//! usage: cargo bench --bench frame_time -- FILE.csv [FRAMES]
//! Prints the median, 95th percentile and worst frame. Not a test: no thresholds here; the
//! numbers go into BENCHMARKS.md.

mod common;

use std::time::{Duration, Instant};

use egui::{Event, MouseWheelSource, MouseWheelUnit, Pos2, TouchPhase, vec2};
use playbook::app::{PlaybookApp, Settings};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(file) = args.first() else {
        eprintln!("usage: cargo bench --bench frame_time -- FILE.csv [FRAMES]");
        return;
    };
    let frames: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(400);
    let ctx = egui::Context::default();
    let mut app = PlaybookApp::new(&ctx, Settings::default());
    app.open_path(file.into());
    let load = Instant::now();
    loop {
        common::frame(&ctx, &mut app, Vec::new());
        if app.is_idle() && !app.catalog.is_loading() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    if let Some(e) = app.notices.last_error() {
        eprintln!("error: {e}");
        return;
    }
    let rows = app.catalog.selected().map_or(0, |e| e.data.rows());
    println!(
        "loaded {file} ({rows} rows) in {:.2} s (load job, off the UI thread)",
        load.elapsed().as_secs_f64()
    );
    let over_table = Pos2::new(700.0, 400.0);
    let mut times = Vec::with_capacity(frames);
    for i in 0..frames {
        // Mostly wheel steps, a page jump every 20 frames, and a long fling (about 200,000
        // rows, as when dragging the scroll bar) every 100 frames.
        let (unit, dy) = if i % 100 == 99 {
            (MouseWheelUnit::Point, -3.6e6)
        } else if i % 20 == 19 {
            (MouseWheelUnit::Page, -5.0)
        } else {
            (MouseWheelUnit::Line, -6.0)
        };
        let events = vec![
            Event::PointerMoved(over_table),
            Event::MouseWheel {
                unit,
                delta: vec2(0.0, dy),
                phase: TouchPhase::Move,
                source: MouseWheelSource::Wheel,
                modifiers: Default::default(),
            },
        ];
        times.push(common::frame(&ctx, &mut app, events));
    }
    // Check that the table really scrolled: read the row numbers on screen through AccessKit.
    ctx.enable_accesskit();
    let out = ctx.run_ui(common::input(Vec::new()), |ui| app.show(ui));
    let visible: Vec<u64> = out
        .platform_output
        .accesskit_update
        .map(|u| {
            u.nodes
                .iter()
                .filter_map(|(_, n)| n.label().or(n.value()).and_then(|l| l.parse().ok()))
                .collect()
        })
        .unwrap_or_default();
    let row_numbers = visible.iter().filter(|&&v| v > 1000);
    println!(
        "row numbers on screen after scrolling: up to {:?}",
        row_numbers.max()
    );
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{frames} frames scrolling the preview: median {:.2} ms, p95 {:.2} ms, worst {:.2} ms",
        ms(times[frames / 2]),
        ms(times[frames * 95 / 100]),
        ms(times[frames - 1])
    );
}
