//! The Pitching panel's Live view: a watched folder streams scored pitches into the panel (a
//! streaming job; the UI drains it each frame). "Replay a sample game" writes a game from the
//! open table into a new folder, one pitch at a time, and watches it, so the view can be shown
//! without a feed.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::PitchingPanel;
use crate::chart::Chart;
use crate::compute::Progress;
use crate::compute::pitching::{self, Pitch, Pitches, Score};
use crate::format::date;
use crate::jobs::{JobError, JobHandle, StreamHandle};
use crate::panels::{PanelCtx, save};
use crate::usecases::pitching::charts;
use crate::usecases::pitching::live::{self, LiveEvent, WatchOptions};

const CHART_HEIGHT: f32 = 240.0;

/// An outing seen live: pitcher and game.
type OutingKey = (i64, i64);

#[derive(Default)]
pub struct Live {
    stream: Option<StreamHandle<LiveEvent>>,
    replay: Option<JobHandle<usize>>,
    /// The folder being watched.
    folder: Option<PathBuf>,
    notify: Option<bool>,
    pitches: Vec<Pitch>,
    scores: Vec<Score>,
    names: HashMap<i64, Arc<str>>,
    files: usize,
    quarantined: Vec<(String, String)>,
    last_latency_ms: Option<f64>,
    /// The outing shown; None follows the latest pitch.
    chosen: Option<OutingKey>,
    /// Charts of (outing, pitches seen, band) so they are rebuilt only when a pitch arrives.
    charts: Option<(OutingKey, usize, u64, Arc<[Chart; 4]>)>,
    replays: u32,
}

impl Live {
    pub fn logic(&mut self, ctx: &mut PanelCtx<'_>) {
        if let Some(s) = &mut self.stream {
            for e in s.drain(500) {
                match e {
                    LiveEvent::Started { notify, .. } => self.notify = Some(notify),
                    LiveEvent::Scored {
                        pitches,
                        scores,
                        names,
                        latency_ms,
                        ..
                    } => {
                        self.files += 1;
                        self.last_latency_ms = Some(latency_ms);
                        self.names.extend(names);
                        self.pitches.extend(pitches);
                        self.scores.extend(scores);
                    }
                    LiveEvent::Quarantined { file, reason } => {
                        ctx.notices
                            .error(format!("Live: {file} quarantined: {reason}"));
                        self.quarantined.push((file, reason));
                    }
                    LiveEvent::Rewritten { file } => ctx.notices.error(format!(
                        "Live: {file} was written again after it was read; its new content \
                         is not read (write new pitches under a new name)"
                    )),
                }
            }
            match s.poll() {
                Some(Err(JobError::Cancelled)) | Some(Ok(())) => self.stream = None,
                Some(Err(e)) => {
                    ctx.notices.error(format!("Live: watching stopped: {e}"));
                    self.stream = None;
                }
                None => {}
            }
        }
        if let Some(r) = &mut self.replay
            && let Some(done) = r.poll()
        {
            match done {
                Ok(n) => ctx
                    .notices
                    .info(format!("Replay finished: {n} pitches written")),
                Err(JobError::Cancelled) => {}
                Err(e) => ctx.notices.error(format!("Replay: {e}")),
            }
            self.replay = None;
        }
    }

    fn stop(&mut self) {
        if let Some(s) = self.stream.take() {
            s.cancel();
        }
        if let Some(r) = self.replay.take() {
            r.cancel();
        }
    }

    fn clear(&mut self) {
        self.pitches.clear();
        self.scores.clear();
        self.names.clear();
        self.files = 0;
        self.quarantined.clear();
        self.last_latency_ms = None;
        self.chosen = None;
        self.charts = None;
        self.notify = None;
    }

    fn name(&self, id: i64) -> String {
        self.names
            .get(&id)
            .map_or_else(|| id.to_string(), |n| n.to_string())
    }

    /// The outings seen, latest first.
    fn outings(&self) -> Vec<OutingKey> {
        let mut seen: Vec<OutingKey> = Vec::new();
        for p in self.pitches.iter().rev() {
            let k = (p.pitcher, p.game_pk);
            if !seen.contains(&k) {
                seen.push(k);
            }
        }
        seen
    }
}

/// The pitches of the last season run, when it scored the table chosen now (so the Live view
/// reuses them instead of reading the table again).
fn scored_table(p: &PitchingPanel) -> Option<Arc<Pitches>> {
    p.run
        .latest()
        .filter(|r| r.out.name == p.saved.dataset)
        .map(|r| Arc::clone(&r.out.pitches))
}

/// Start watching `folder`, with the open table's pitches before `before` (a day number) as
/// history when there is a table.
fn watch(p: &mut PitchingPanel, ctx: &mut PanelCtx<'_>, folder: PathBuf, before: Option<i32>) {
    p.live.stop();
    p.live.clear();
    let scored = scored_table(p);
    let data = ctx.catalog.by_name(&p.saved.dataset);
    let rule = p.saved.rule.clone();
    let opts = WatchOptions::new(&folder);
    let started = ctx.jobs.spawn_stream(
        "pitching:watch",
        format!("Watching {}", crate::data::file_name(&folder)),
        256,
        move |job, tx| {
            // The scored pitches when there are some, else the table read here (off the UI
            // thread); only the days before `before` when replaying a game.
            let mut history = match (scored, &data) {
                (Some(t), _) => Some((*t).clone()),
                (None, Some(d)) => Some(pitching::from_frame(&d.name, &d.frame)?),
                (None, None) => None,
            };
            if let (Some(h), Some(day)) = (&mut history, before) {
                h.pitches.retain(|x| x.day < day);
            }
            let mut files = 0usize;
            job.waiting("waiting for files");
            live::watch(
                &opts,
                &rule,
                history.as_ref(),
                &|| job.cancelled(),
                &mut |e| {
                    if matches!(e, LiveEvent::Scored { .. } | LiveEvent::Quarantined { .. }) {
                        files += 1;
                        // Between files the watcher waits: no clock, no timer in the app.
                        job.waiting(&format!("{files} files read"));
                    }
                    tx.send(e).map_err(anyhow::Error::from)
                },
            )?;
            Ok(())
        },
    );
    match started {
        Ok(s) => {
            p.live.stream = Some(s);
            p.live.folder = Some(folder);
        }
        Err(e) => ctx.notices.error(format!("Live: {e}")),
    }
}

/// Replay a game of the open table into a new folder and watch it: the game of the latest
/// flagged outing of the last run, else the table's last game.
fn replay_sample(p: &mut PitchingPanel, ctx: &mut PanelCtx<'_>) {
    let Some(table) = scored_table(p) else {
        ctx.notices.error(format!(
            "Live: press Score pitches on '{}' first; the replay plays one of its games",
            p.saved.dataset
        ));
        return;
    };
    let latest_flagged = p
        .run
        .latest()
        .and_then(|r| r.out.flagged_outings().last().map(|o| (o.game_pk, o.day)));
    let Some((game_pk, day)) =
        latest_flagged.or_else(|| table.pitches.last().map(|x| (x.game_pk, x.day)))
    else {
        return;
    };
    p.live.replays += 1;
    let folder = std::env::temp_dir().join(format!(
        "playbook-live-{}-{}",
        std::process::id(),
        p.live.replays
    ));
    if let Err(e) = std::fs::create_dir_all(&folder) {
        ctx.notices
            .error(format!("Live: {}: cannot create: {e}", folder.display()));
        return;
    }
    let interval = Duration::from_millis(p.saved.replay_ms.clamp(1, 60_000));
    p.saved.folder = folder.display().to_string();
    watch(p, ctx, folder.clone(), Some(day));
    let replay = ctx.jobs.spawn(
        "pitching:replay",
        format!("Replaying game {game_pk}"),
        move |job| {
            // The game's pitches, picked out here rather than on the UI thread.
            let one = Pitches {
                pitches: table
                    .pitches
                    .iter()
                    .filter(|x| x.game_pk == game_pk)
                    .cloned()
                    .collect(),
                names: table.names.clone(),
                skipped: 0,
            };
            live::replay(
                &one,
                &folder,
                interval,
                1,
                &|| job.cancelled(),
                &mut |i, n| {
                    job.report(i as f32 / n as f32, &format!("pitch {i} of {n}"));
                },
            )
        },
    );
    match replay {
        Ok(h) => p.live.replay = Some(h),
        Err(e) => ctx.notices.error(format!("Live: {e}")),
    }
}

pub(super) fn ui(p: &mut PitchingPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Folder");
        ui.add(
            egui::TextEdit::singleline(&mut p.saved.folder)
                .hint_text("a folder that receives pitch files (.json, .csv)")
                .desired_width(320.0),
        );
        let watching = p.live.stream.is_some();
        if watching {
            if ui.button("Stop").clicked() {
                p.live.stop();
            }
        } else {
            let folder = PathBuf::from(p.saved.folder.trim());
            let ok = !p.saved.folder.trim().is_empty();
            if ui
                .add_enabled(ok, egui::Button::new("Watch"))
                .on_hover_text(
                    "Score each new pitch file in the folder as it lands (bad files go to \
                     quarantine/); the open table is the season so far",
                )
                .clicked()
            {
                watch(p, ctx, folder, None);
            }
        }
        if ui
            .button("Replay a sample game")
            .on_hover_text(
                "Write a game of the open table into a new folder, one pitch at a time, and \
                 watch it (the latest game with a flagged outing when the season has been \
                 scored)",
            )
            .clicked()
        {
            replay_sample(p, ctx);
        }
        ui.add(
            egui::DragValue::new(&mut p.saved.replay_ms)
                .range(1..=60_000)
                .suffix(" ms apart"),
        )
        .on_hover_text("Time between replayed pitches (a real game: about 23 s)");
    });
    let l = &p.live;
    if let Some(folder) = &l.folder {
        let how = match l.notify {
            Some(true) => "file notifications and polling",
            Some(false) => "polling",
            None => "starting",
        };
        let state = if l.stream.is_some() {
            "Watching"
        } else {
            "Stopped watching"
        };
        let latency = l.last_latency_ms.map_or_else(String::new, |ms| {
            format!("; last file scored {ms:.0} ms after it landed")
        });
        ui.label(format!(
            "{state} {} ({how}): {} pitches from {} files, {} flagged, {} quarantined{latency}.",
            folder.display(),
            l.pitches.len(),
            l.files,
            l.scores.iter().filter(|s| s.flagged).count(),
            l.quarantined.len()
        ));
    } else {
        ui.label(
            "Watch a folder that receives pitch files, or replay a sample game: each pitch is \
             plotted against the pitcher's band for its type as it arrives.",
        );
        return;
    }
    if p.live.pitches.is_empty() {
        ui.weak("Waiting for the first pitch…");
        return;
    }
    let outings = p.live.outings();
    let current = p
        .live
        .chosen
        .filter(|k| outings.contains(k))
        .unwrap_or(outings[0]);
    ui.horizontal_wrapped(|ui| {
        ui.label("Outing");
        let text = |k: &OutingKey| format!("{} (game {})", p.live.name(k.0), k.1);
        let mut chosen = p.live.chosen;
        egui::ComboBox::from_id_salt("pitching-live-outing")
            .selected_text(if chosen.is_none() {
                format!("latest: {}", text(&current))
            } else {
                text(&current)
            })
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut chosen, None, "follow the latest pitch");
                for k in &outings {
                    ui.selectable_value(&mut chosen, Some(*k), text(k));
                }
            });
        p.live.chosen = chosen;
    });
    let (pitches, scores): (Vec<&Pitch>, Vec<&Score>) = p
        .live
        .pitches
        .iter()
        .zip(&p.live.scores)
        .filter(|(x, _)| (x.pitcher, x.game_pk) == current)
        .unzip();
    let band = p.saved.rule.z;
    let charts = match &p.live.charts {
        Some((k, n, z, c)) if *k == current && *n == pitches.len() && *z == band.to_bits() => {
            c.clone()
        }
        _ => {
            let title = p.live.name(current.0);
            let c = Arc::new(charts::live_charts(&title, &pitches, &scores, band));
            p.live.charts = Some((current, pitches.len(), band.to_bits(), c.clone()));
            c
        }
    };
    let flagged = scores.iter().filter(|s| s.flagged).count();
    let last = pitches.last().map(|x| x.speed).unwrap_or(f64::NAN);
    ui.label(format!(
        "{}: {} pitches this outing ({}), {flagged} flagged; last pitch {last:.1} mph.",
        p.live.name(current.0),
        pitches.len(),
        pitches
            .first()
            .map(|x| date(f64::from(x.day)))
            .unwrap_or_default()
    ));
    ui.weak(p.saved.rule.short())
        .on_hover_text(p.saved.rule.describe());
    if let Some(k) = alerts(ui, &p.live) {
        p.live.chosen = Some(k);
    }
    let stems = [
        "live-spin",
        "live-velocity",
        "live-strikeouts",
        "live-location",
    ];
    for (chart, stem) in charts.iter().zip(stems).take(2) {
        save::chart_block(ui, ctx, stem, chart, stem, CHART_HEIGHT);
        ui.add_space(6.0);
    }
    // Strikeouts beside the pitch locations (one scale for both axes: about square in half
    // the width).
    ui.columns(2, |cols| {
        for (col, k) in cols.iter_mut().zip([2, 3]) {
            save::chart_block(col, ctx, stems[k], &charts[k], stems[k], CHART_HEIGHT);
        }
    });
    if !p.live.quarantined.is_empty() {
        ui.strong("Quarantined files");
        for (file, reason) in &p.live.quarantined {
            ui.label(format!("{file}: {reason}"));
        }
    }
}

/// Flagged pitches, newest first, with their reasons. Returns the outing of the alert clicked.
fn alerts(ui: &mut egui::Ui, l: &Live) -> Option<OutingKey> {
    let flagged: Vec<(&Pitch, &Score)> = l
        .pitches
        .iter()
        .zip(&l.scores)
        .filter(|(_, s)| s.flagged)
        .collect();
    ui.strong(format!("Alerts ({})", flagged.len()));
    if flagged.is_empty() {
        ui.weak("No flagged pitch yet.");
        return None;
    }
    let mut clicked = None;
    let [r, g, b] = crate::theme::ERROR;
    let alert = egui::Color32::from_rgb(r, g, b);
    egui::ScrollArea::vertical()
        .id_salt("pitching-live-alerts")
        .max_height(110.0)
        .show(ui, |ui| {
            for (x, s) in flagged.iter().rev().take(100) {
                let text = egui::RichText::new(format!("{}: {}", l.name(x.pitcher), s.reason))
                    .color(alert);
                if ui
                    .add(egui::Label::new(text).sense(egui::Sense::click()))
                    .on_hover_text("Show this outing")
                    .clicked()
                {
                    clicked = Some((x.pitcher, x.game_pk));
                }
            }
        });
    clicked
}
