//! The window's size and place when it opens. eframe restores the last session's geometry and
//! only keeps it at least 64 points, and on Linux does not check the position: a corrupt or
//! foreign settings file opened a 64-point window 24,000 pixels off the screen (issue 19).
//! Before the window exists, the restored size is kept between [`MIN_SIZE`] and the screen and
//! an absurd position dropped; once the window reports where it is, [`Placement`] moves it
//! back onto the screen if too little of it shows.

use egui::{Pos2, Rect, Vec2, ViewportBuilder, ViewportCommand};

/// The smallest window every panel is laid out for.
pub(crate) const MIN_SIZE: Vec2 = Vec2::new(640.0, 400.0);
/// The first window, before any size was saved.
pub(crate) const DEFAULT_SIZE: Vec2 = Vec2::new(1280.0, 800.0);
/// No desktop reaches this far; a saved position beyond it is corrupt.
const FARTHEST: f32 = 32_768.0;
/// How much of the window must show on the screen, in points, for it to stay where it is.
const GRIP: Vec2 = Vec2::new(120.0, 40.0);

/// The restored viewport made usable before the window is created: the size at least
/// [`MIN_SIZE`] (eframe has already kept it within the largest monitor), and a position that
/// is not a number or lies past [`FARTHEST`] dropped, so the window manager places the window.
pub(crate) fn restore(mut builder: ViewportBuilder) -> ViewportBuilder {
    let size = builder.inner_size.unwrap_or(DEFAULT_SIZE);
    builder.inner_size = Some(at_least_min(size));
    if let Some(pos) = builder.position
        && !(pos.x.abs() < FARTHEST && pos.y.abs() < FARTHEST)
    {
        builder.position = None;
    }
    builder
}

fn at_least_min(size: Vec2) -> Vec2 {
    // NaN compares false, so it becomes the minimum too.
    Vec2::new(
        if size.x >= MIN_SIZE.x {
            size.x
        } else {
            MIN_SIZE.x
        },
        if size.y >= MIN_SIZE.y {
            size.y
        } else {
            MIN_SIZE.y
        },
    )
}

/// Where a window at `outer` should go on a screen of `screen` points: `None` when at least
/// [`GRIP`] of it shows (it stays), else a place that shows it whole, or centred when it is
/// larger than the screen.
pub(crate) fn onto_screen(outer: Rect, screen: Vec2) -> Option<Pos2> {
    let visible = outer.intersect(Rect::from_min_size(Pos2::ZERO, screen));
    if visible.width() >= GRIP.x.min(outer.width())
        && visible.height() >= GRIP.y.min(outer.height())
    {
        return None;
    }
    let free = (screen - outer.size()).max(Vec2::ZERO);
    Some(Pos2::new(
        outer.min.x.clamp(0.0, free.x),
        outer.min.y.clamp(0.0, free.y),
    ))
}

/// Checks the window's place once it is known, for the first few frames only: the user may
/// later move the window wherever they like.
#[derive(Default)]
pub(crate) struct Placement {
    frames: u32,
}

impl Placement {
    /// Frames to wait for the window to report its place and its monitor.
    const PATIENCE: u32 = 30;

    pub fn check(&mut self, ctx: &egui::Context) {
        if self.frames >= Self::PATIENCE {
            return;
        }
        self.frames += 1;
        let (outer, screen) = ctx.input(|i| (i.viewport().outer_rect, i.viewport().monitor_size));
        let (Some(outer), Some(screen)) = (outer, screen) else {
            return;
        };
        self.frames = Self::PATIENCE;
        if outer.height() < MIN_SIZE.y || outer.width() < MIN_SIZE.x {
            let inner = ctx
                .input(|i| i.viewport().inner_rect)
                .map_or(MIN_SIZE, |r| r.size());
            ctx.send_viewport_cmd(ViewportCommand::InnerSize(at_least_min(inner)));
        }
        if let Some(pos) = onto_screen(outer, screen) {
            tracing::warn!("the window was off the screen at {outer:?}; moved to {pos:?}");
            ctx.send_viewport_cmd(ViewportCommand::OuterPosition(pos));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tiny_or_broken_saved_size_opens_at_the_minimum() {
        for (saved, expected) in [
            (Vec2::new(64.0, 63.0), MIN_SIZE),
            (Vec2::new(5.0, 3.0), MIN_SIZE),
            (Vec2::new(f32::NAN, 900.0), Vec2::new(640.0, 900.0)),
            (Vec2::new(1440.0, 63.0), Vec2::new(1440.0, 400.0)),
            (Vec2::new(1440.0, 900.0), Vec2::new(1440.0, 900.0)),
        ] {
            let b = restore(ViewportBuilder::default().with_inner_size(saved));
            assert_eq!(b.inner_size, Some(expected), "saved {saved:?}");
        }
        assert_eq!(
            restore(ViewportBuilder::default()).inner_size,
            Some(DEFAULT_SIZE)
        );
    }

    #[test]
    fn an_absurd_saved_position_is_dropped_and_a_real_one_kept() {
        for (saved, kept) in [
            (Pos2::new(-90_000.0, 50_000.0), false),
            (Pos2::new(f32::NAN, 10.0), false),
            (Pos2::new(1e30, 1e30), false),
            (Pos2::new(100.0, 80.0), true),
            // A second monitor to the left has negative coordinates.
            (Pos2::new(-1900.0, 0.0), true),
        ] {
            let b = restore(ViewportBuilder::default().with_position(saved));
            assert_eq!(b.position.is_some(), kept, "saved {saved:?}");
        }
    }

    #[test]
    fn a_window_off_the_screen_comes_back_and_one_on_it_stays() {
        let screen = Vec2::new(1440.0, 900.0);
        let at =
            |x: f32, y: f32, w: f32, h: f32| Rect::from_min_size(Pos2::new(x, y), Vec2::new(w, h));
        // Where the broken settings file put it.
        assert_eq!(
            onto_screen(at(-24_464.0, -15_536.0, 640.0, 400.0), screen),
            Some(Pos2::new(0.0, 0.0))
        );
        assert_eq!(
            onto_screen(at(5000.0, 300.0, 640.0, 400.0), screen),
            Some(Pos2::new(800.0, 300.0))
        );
        // Only 20 points of its title bar show: moved so it shows whole.
        assert_eq!(
            onto_screen(at(100.0, 880.0, 640.0, 400.0), screen),
            Some(Pos2::new(100.0, 500.0))
        );
        // Larger than the screen: put at the corner.
        assert_eq!(
            onto_screen(at(-3000.0, 10.0, 2000.0, 1000.0), screen),
            Some(Pos2::new(0.0, 0.0))
        );
        assert_eq!(onto_screen(at(0.0, 0.0, 1280.0, 800.0), screen), None);
        assert_eq!(onto_screen(at(1200.0, 700.0, 1280.0, 800.0), screen), None);
    }
}
