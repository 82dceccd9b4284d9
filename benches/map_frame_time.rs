//! Frame time of the Spatial panel's map with every layer on (choropleth, H3 hexagons,
//! sampled points, world outline) after joining a large points file to the NYC boroughs,
//! while the pointer drags the map around (pan + hover read-out each frame). CPU side of a
//! frame (egui pass + tessellation), no window or GPU.
//!
//! usage: cargo bench --bench map_frame_time -- POINTS.parquet [FRAMES]
//! The points file needs pickup_longitude / pickup_latitude columns. Prints the median, 95th
//! percentile and worst frame. Not a test: no thresholds; the numbers go into BENCHMARKS.md.

mod common;

use std::time::{Duration, Instant};

use egui::{Event, PointerButton, Pos2, vec2};
use playbook::app::{PlaybookApp, Settings};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(file) = args.first() else {
        eprintln!("usage: cargo bench --bench map_frame_time -- POINTS.parquet [FRAMES]");
        return;
    };
    let frames: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(300);
    let name = std::path::Path::new(file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut settings = Settings {
        open_files: vec![file.into()],
        panel: "spatial".into(),
        ..Default::default()
    };
    settings.panels.insert(
        "spatial".into(),
        serde_json::json!({
            "points": name,
            "layers": {"choropleth": true, "hexagons": true, "points": true, "world": true},
        }),
    );
    let ctx = egui::Context::default();
    let mut app = PlaybookApp::new(&ctx, settings);
    wait(&ctx, &mut app);
    let t = Instant::now();
    click(&ctx, &mut app, "Join");
    wait(&ctx, &mut app);
    if let Some(e) = app.notices.last_error() {
        eprintln!("error: {e}");
        return;
    }
    println!(
        "loaded and joined {file} in {:.2} s (jobs, off the UI thread)",
        t.elapsed().as_secs_f64()
    );
    // Drag across the map: press, move in a circle, release at the end.
    let centre = Pos2::new(560.0, 420.0);
    let mut times = Vec::with_capacity(frames);
    for i in 0..frames {
        let a = i as f32 / 20.0;
        let pos = centre + vec2(60.0 * a.cos(), 60.0 * a.sin());
        let mut events = vec![Event::PointerMoved(pos)];
        if i == 0 {
            events.push(button(pos, true));
        } else if i == frames - 1 {
            events.push(button(pos, false));
        }
        times.push(common::frame(&ctx, &mut app, events));
    }
    // What a frame holds, to show the layers were drawn: triangles after tessellation.
    let out = ctx.run_ui(common::input(Vec::new()), |ui| app.show(ui));
    let triangles: usize = ctx
        .tessellate(out.shapes, out.pixels_per_point)
        .iter()
        .map(|p| match &p.primitive {
            egui::epaint::Primitive::Mesh(m) => m.indices.len() / 3,
            _ => 0,
        })
        .sum();
    println!("a frame of the map holds {triangles} triangles");
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{frames} frames dragging the map: median {:.2} ms, p95 {:.2} ms, worst {:.2} ms",
        ms(times[frames / 2]),
        ms(times[frames * 95 / 100]),
        ms(times[frames - 1])
    );
}

fn button(pos: Pos2, pressed: bool) -> Event {
    Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers: Default::default(),
    }
}

fn wait(ctx: &egui::Context, app: &mut PlaybookApp) {
    loop {
        common::frame(ctx, app, Vec::new());
        if app.is_idle() && !app.catalog.is_loading() {
            common::frame(ctx, app, Vec::new());
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Click the widget labelled `label`, found through AccessKit.
fn click(ctx: &egui::Context, app: &mut PlaybookApp, label: &str) {
    ctx.enable_accesskit();
    let out = ctx.run_ui(common::input(Vec::new()), |ui| app.show(ui));
    let bounds = out.platform_output.accesskit_update.and_then(|u| {
        u.nodes
            .iter()
            .find(|(_, n)| n.label() == Some(label))
            .and_then(|(_, n)| n.bounds())
    });
    let Some(b) = bounds else {
        eprintln!("no widget labelled {label}");
        return;
    };
    let pos = Pos2::new(((b.x0 + b.x1) / 2.0) as f32, ((b.y0 + b.y1) / 2.0) as f32);
    common::frame(ctx, app, vec![Event::PointerMoved(pos), button(pos, true)]);
    common::frame(ctx, app, vec![button(pos, false)]);
}
