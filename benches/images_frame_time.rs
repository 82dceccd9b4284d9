//! Frame time of the app while the Images panel trains on the bundled digits: the UI thread
//! draws the live curves while the training job uses the cores. Measured on the CPU side of a
//! frame (egui pass + tessellation), without a window or GPU.
//!
//! usage: cargo bench --bench images_frame_time [-- FRAMES]
//! Prints the median, 95th percentile and worst frame, and how far training got meanwhile.

mod common;

use std::time::{Duration, Instant};

use egui::{Event, PointerButton, Pos2};
use playbook::app::{PlaybookApp, Settings};

/// The centre of the widget labelled `label`, read through AccessKit.
fn find(ctx: &egui::Context, app: &mut PlaybookApp, label: &str) -> Option<Pos2> {
    ctx.enable_accesskit();
    let out = ctx.run_ui(common::input(Vec::new()), |ui| {
        app.logic(ui.ctx());
        app.show(ui);
    });
    let update = out.platform_output.accesskit_update?;
    update.nodes.iter().find_map(|(_, n)| {
        (n.label() == Some(label))
            .then(|| n.bounds())
            .flatten()
            .map(|b| Pos2::new(((b.x0 + b.x1) / 2.0) as f32, ((b.y0 + b.y1) / 2.0) as f32))
    })
}

fn main() {
    let frames: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(600);
    let home = tempfile::tempdir().expect("temp dir");
    // SAFETY: set before any other thread reads the environment.
    unsafe { std::env::set_var("PLAYBOOK_HOME", home.path()) };
    let ctx = egui::Context::default();
    let mut app = PlaybookApp::new(&ctx, Settings::default());
    app.select_panel("images");
    // Wait for the samples and the digits folder's scan.
    loop {
        common::frame(&ctx, &mut app, Vec::new());
        if app.is_idle() && !app.catalog.is_loading() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let Some(train) = find(&ctx, &mut app, "Train") else {
        eprintln!("no Train button found");
        return;
    };
    let click = |pressed| Event::PointerButton {
        pos: train,
        button: PointerButton::Primary,
        pressed,
        modifiers: Default::default(),
    };
    common::frame(
        &ctx,
        &mut app,
        vec![Event::PointerMoved(train), click(true)],
    );
    common::frame(&ctx, &mut app, vec![click(false)]);
    let started = Instant::now();
    let mut times = Vec::with_capacity(frames);
    for _ in 0..frames {
        if app.is_idle() {
            break;
        }
        times.push(common::frame(&ctx, &mut app, Vec::new()));
        // About 60 frames a second, as a window would ask for.
        std::thread::sleep(Duration::from_millis(16));
    }
    let training = started.elapsed().as_secs_f64();
    let still = !app.is_idle();
    if times.is_empty() {
        eprintln!("training did not start");
        return;
    }
    times.sort();
    let n = times.len();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{n} frames while training ({training:.1} s{}): median {:.2} ms, p95 {:.2} ms, worst {:.2} ms",
        if still {
            ", still training"
        } else {
            ", training finished"
        },
        ms(times[n / 2]),
        ms(times[n * 95 / 100]),
        ms(times[n - 1])
    );
}
