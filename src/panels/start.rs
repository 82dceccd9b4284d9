//! The Start page: what Playbook does, one card per use case (a sketch of its key chart, one
//! sentence, and "Try it on the sample", which opens its panel on the bundled data). The
//! sketches are drawn with the painter from fixed shapes, so nothing is computed or decoded.

use egui::{Color32, Pos2, Rect, Sense, Shape, Stroke, pos2, vec2};

use super::{Panel, PanelCtx};
use crate::session::Request;
use crate::theme;
use crate::usecases::registry::{self, UseCase};

/// What "Try it on the sample" does, said on hover.
fn try_hover(card: &UseCase) -> String {
    if card.samples.is_empty() {
        format!("Open the {} panel", card.title)
    } else {
        format!(
            "Open the {} panel and run it on the bundled {}",
            card.title,
            card.samples.join(", ")
        )
    }
}

/// The sketch on a use case's card, by its id; a case without one gets an empty frame.
#[derive(Clone, Copy)]
enum Sketch {
    Pitching,
    Sentiment,
    Stock,
    Forecast,
    Fraud,
    Dtw,
    Spatial,
    Images,
    Data,
    None,
}

impl Sketch {
    fn of(id: &str) -> Self {
        match id {
            "pitching" => Self::Pitching,
            "sentiment" => Self::Sentiment,
            "stock" => Self::Stock,
            "forecast" => Self::Forecast,
            "fraud" => Self::Fraud,
            "dtw" => Self::Dtw,
            "spatial" => Self::Spatial,
            "images" => Self::Images,
            "data" => Self::Data,
            _ => Self::None,
        }
    }
}

#[derive(Default)]
pub(crate) struct StartPanel;

fn c([r, g, b]: [u8; 3]) -> Color32 {
    Color32::from_rgb(r, g, b)
}

/// A polyline through `ys` (0 = bottom, 1 = top) spread over `rect`.
fn polyline(rect: Rect, ys: &[f32]) -> Vec<Pos2> {
    let n = (ys.len().max(2) - 1) as f32;
    ys.iter()
        .enumerate()
        .map(|(i, y)| {
            pos2(
                rect.left() + rect.width() * i as f32 / n,
                rect.bottom() - rect.height() * y,
            )
        })
        .collect()
}

fn sketch(ui: &egui::Ui, rect: Rect, kind: Sketch) {
    let p = ui.painter_at(rect);
    let line = |k: usize| c(theme::LINES[k % theme::LINES.len()]);
    let text = ui.visuals().text_color();
    let weak = ui.visuals().weak_text_color();
    let r = rect.shrink(6.0);
    match kind {
        Sketch::Pitching => {
            let band = Rect::from_min_max(
                pos2(r.left(), r.top() + r.height() * 0.45),
                pos2(r.right(), r.top() + r.height() * 0.75),
            );
            p.rect_filled(band, 2.0, line(0).gamma_multiply(0.25));
            for i in 0..24 {
                let x = r.left() + r.width() * i as f32 / 23.0;
                let high = (14..18).contains(&i);
                let y = if high {
                    r.top() + r.height() * 0.2
                } else {
                    band.center().y + ((i * 37 % 11) as f32 - 5.0) * 2.0
                };
                p.circle_filled(pos2(x, y), 2.5, text);
                if high {
                    p.circle_stroke(
                        pos2(x, y),
                        6.0,
                        Stroke::new(1.5, ui.visuals().strong_text_color()),
                    );
                }
            }
        }
        Sketch::Sentiment => {
            p.line(
                polyline(r, &[0.3, 0.35, 0.3, 0.6, 0.55, 0.5, 0.8, 0.75, 0.7, 0.72]),
                Stroke::new(2.0, line(0)),
            );
            p.line(
                polyline(r, &[0.5, 0.2, 0.45, 0.7, 0.4, 0.3, 0.8, 0.5, 0.6, 0.55]),
                Stroke::new(1.5, line(1)),
            );
        }
        Sketch::Stock => {
            for i in 0..14 {
                let h = if (6..10).contains(&i) {
                    0.0
                } else {
                    0.3 + ((i * 7 % 5) as f32) * 0.12
                };
                let x0 = r.left() + r.width() * i as f32 / 14.0;
                let bar = Rect::from_min_max(
                    pos2(x0 + 2.0, r.bottom() - r.height() * h),
                    pos2(x0 + r.width() / 14.0 - 2.0, r.bottom()),
                );
                p.rect_filled(bar, 1.0, c(theme::BAR));
            }
            let gap = Rect::from_min_max(
                pos2(r.left() + r.width() * 6.0 / 14.0, r.top()),
                pos2(r.left() + r.width() * 10.0 / 14.0, r.bottom()),
            );
            p.rect_filled(gap, 0.0, c(theme::ACCENT).gamma_multiply(0.2));
        }
        Sketch::Forecast => {
            let split = r.left() + r.width() * 0.65;
            let future = Rect::from_min_max(pos2(split, r.top()), r.max);
            let past = Rect::from_min_max(r.min, pos2(split, r.bottom()));
            let ys = [0.3, 0.5, 0.35, 0.55, 0.4, 0.6, 0.45, 0.65];
            p.line(polyline(past, &ys), Stroke::new(2.0, line(0)));
            let upper = polyline(future, &[0.65, 0.85, 0.75, 0.95]);
            let lower = polyline(future, &[0.55, 0.5, 0.4, 0.45]);
            let mut band = upper.clone();
            band.extend(lower.iter().rev());
            p.add(Shape::convex_polygon(
                band,
                line(1).gamma_multiply(0.25),
                Stroke::NONE,
            ));
            p.line(
                polyline(future, &[0.6, 0.68, 0.58, 0.7]),
                Stroke::new(2.0, line(1)),
            );
        }
        Sketch::Fraud => {
            let curve: Vec<Pos2> = (0..=20)
                .map(|i| {
                    let x = i as f32 / 20.0;
                    pos2(
                        r.left() + r.width() * x,
                        r.bottom() - r.height() * x.powf(0.15),
                    )
                })
                .collect();
            p.line(curve, Stroke::new(2.0, line(0)));
            p.line(vec![r.left_bottom(), r.right_top()], Stroke::new(1.0, weak));
        }
        Sketch::Dtw => {
            let a = [0.2, 0.3, 0.7, 0.8, 0.5, 0.3, 0.25, 0.2];
            let b = [0.2, 0.2, 0.3, 0.7, 0.8, 0.5, 0.3, 0.2];
            let top = Rect::from_min_max(r.min, pos2(r.right(), r.center().y));
            let bottom = Rect::from_min_max(pos2(r.left(), r.center().y), r.max);
            let pa = polyline(top, &a);
            let pb = polyline(bottom, &b);
            for (i, j) in [(0, 0), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (7, 7)] {
                p.line_segment([pa[i], pb[j]], Stroke::new(1.0, weak));
            }
            p.line(pa, Stroke::new(2.0, line(0)));
            p.line(pb, Stroke::new(2.0, line(1)));
        }
        Sketch::Spatial => {
            let shapes = [
                (vec![(0.1, 0.2), (0.35, 0.1), (0.45, 0.5), (0.2, 0.6)], 0.3),
                (vec![(0.45, 0.5), (0.75, 0.3), (0.9, 0.7), (0.55, 0.9)], 0.9),
                (
                    vec![(0.35, 0.1), (0.75, 0.05), (0.75, 0.3), (0.45, 0.5)],
                    0.6,
                ),
            ];
            for (pts, shade) in shapes {
                let ring: Vec<Pos2> = pts
                    .iter()
                    .map(|(x, y)| pos2(r.left() + r.width() * x, r.top() + r.height() * y))
                    .collect();
                p.add(Shape::convex_polygon(
                    ring,
                    c(theme::ramp(shade)),
                    Stroke::new(1.0, text),
                ));
            }
        }
        Sketch::Images => {
            // Image tiles on the left, one ringed; the predicted classes' bars on the right.
            let side = (r.height() / 2.0 - 3.0).min(r.width() / 8.0);
            for row in 0..2 {
                for col in 0..4 {
                    let tile = Rect::from_min_size(
                        pos2(
                            r.left() + col as f32 * (side + 4.0),
                            r.top() + row as f32 * (side + 4.0),
                        ),
                        vec2(side, side),
                    );
                    let shade = 0.25 + ((row * 4 + col) * 37 % 10) as f32 * 0.05;
                    p.rect_filled(tile, 2.0, weak.gamma_multiply(shade));
                    if (row, col) == (1, 2) {
                        p.rect_stroke(
                            tile,
                            2.0,
                            Stroke::new(2.0, line(0)),
                            egui::StrokeKind::Outside,
                        );
                    }
                }
            }
            let left = r.left() + 4.0 * (side + 4.0) + 12.0;
            for (k, share) in [0.9_f32, 0.35, 0.15].into_iter().enumerate() {
                let y = r.top() + 6.0 + k as f32 * (r.height() - 12.0) / 3.0;
                let bar = Rect::from_min_size(
                    pos2(left, y),
                    vec2((r.right() - left) * share, (r.height() - 12.0) / 3.0 - 6.0),
                );
                p.rect_filled(
                    bar,
                    1.0,
                    if k == 0 {
                        line(1)
                    } else {
                        weak.gamma_multiply(0.5)
                    },
                );
            }
        }
        Sketch::None => {}
        Sketch::Data => {
            for row in 0..5 {
                for col in 0..4 {
                    let cell = Rect::from_min_size(
                        pos2(
                            r.left() + col as f32 * r.width() / 4.0,
                            r.top() + row as f32 * r.height() / 5.0,
                        ),
                        vec2(r.width() / 4.0 - 3.0, r.height() / 5.0 - 3.0),
                    );
                    let fill = if row == 0 {
                        line(0).gamma_multiply(0.5)
                    } else {
                        weak.gamma_multiply(0.3)
                    };
                    p.rect_filled(cell, 1.0, fill);
                }
            }
        }
    }
}

impl Panel for StartPanel {
    fn id(&self) -> &'static str {
        "start"
    }

    fn title(&self) -> &'static str {
        "Start"
    }

    fn logic(&mut self, _ctx: &mut PanelCtx<'_>) {}

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
        egui::ScrollArea::vertical()
            .id_salt("start")
            .show(ui, |ui| {
                ui.heading("Playbook");
                ui.label(
                    "Machine-learning case studies as a desktop tool: every analysis runs on this \
                 laptop, offline, and opens on sample data that ships with it. Open your own \
                 files with Open… or by dropping them on the window; every chart and table saves.",
                );
                ui.add_space(8.0);
                // Cards in rows, as many across as fit (one at 800 × 500).
                let gap = 8.0;
                let cols = ((ui.available_width() + gap) / (280.0 + gap))
                    .floor()
                    .max(1.0) as usize;
                let width =
                    ((ui.available_width() - gap * (cols - 1) as f32) / cols as f32).min(380.0);
                for row in registry::ALL.chunks(cols) {
                    ui.horizontal_top(|ui| {
                        ui.spacing_mut().item_spacing.x = gap;
                        for card in row {
                            ui.allocate_ui_with_layout(
                                vec2(width, 0.0),
                                egui::Layout::top_down(egui::Align::Min),
                                |ui| {
                                    egui::Frame::group(ui.style()).show(ui, |ui| {
                                        ui.set_width(width - 16.0);
                                        ui.strong(card.headline);
                                        let (rect, _) = ui.allocate_exact_size(
                                            vec2(width - 16.0, 70.0),
                                            Sense::hover(),
                                        );
                                        sketch(ui, rect, Sketch::of(card.id));
                                        ui.label(card.pitch);
                                        if ui
                                            .button("Try it on the sample")
                                            .on_hover_text(try_hover(card))
                                            .clicked()
                                        {
                                            ctx.requests.push(Request::TrySample(card.id));
                                        }
                                    });
                                },
                            );
                        }
                    });
                    ui.add_space(gap);
                }
            });
    }
}
