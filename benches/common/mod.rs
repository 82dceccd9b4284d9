//! What the frame-time benchmarks share: one timed app frame at a fixed window size.

use std::time::{Duration, Instant};

use egui::{Event, Pos2, RawInput, Rect, vec2};
use playbook::app::PlaybookApp;

/// The window the benchmarks draw into.
pub const SIZE: egui::Vec2 = vec2(1280.0, 800.0);

/// The raw input of one frame with `events`.
pub fn input(events: Vec<Event>) -> RawInput {
    RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, SIZE)),
        events,
        ..Default::default()
    }
}

/// One frame: the egui pass (logic + drawing) and tessellation, timed.
pub fn frame(ctx: &egui::Context, app: &mut PlaybookApp, events: Vec<Event>) -> Duration {
    let t = Instant::now();
    let out = ctx.run_ui(input(events), |ui| {
        app.logic(ui.ctx());
        app.show(ui);
    });
    let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
    t.elapsed()
}
