//! The DTW panel's Audio view: clips of a phrase spoken (or played) at different speeds,
//! compared by DTW on their amplitude envelopes. Shows the envelopes, how they were downsampled,
//! and the table of pairwise distances. Starts with the bundled sample clips.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::DtwPanel;
use crate::chart::{Chart, Line};
use crate::compute::Progress;
use crate::compute::dtw::{self, Window};
use crate::data::{audio, sample};
use crate::format::short;
use crate::jobs::{JobError, JobHandle};
use crate::panels::chart_view::show_chart;
use crate::panels::{PanelCtx, save};

/// Pairwise distances of a set of clips.
pub struct Outcome {
    pub names: Vec<String>,
    /// (seconds, sample rate, channels, samples per envelope point) per clip.
    pub info: Vec<(f64, u32, u16, usize)>,
    pub envelopes: Vec<Vec<f64>>,
    /// Min/max outline of each clip's samples, for drawing.
    pub waveforms: Vec<Vec<(f64, f64)>>,
    pub hop_ms: f64,
    pub matrix: Vec<Vec<f64>>,
}

impl Outcome {
    fn table(&self) -> PolarsResult<DataFrame> {
        let mut columns = vec![Column::new("clip".into(), &self.names)];
        for (j, n) in self.names.iter().enumerate() {
            let c: Vec<f64> = self.matrix.iter().map(|r| r[j]).collect();
            columns.push(Column::new(n.as_str().into(), c));
        }
        DataFrame::new_infer_height(columns)
    }
}

/// The audio view's own state (not saved: clip files are listed in `Saved::audio_files`).
#[derive(Default)]
pub struct AudioState {
    dialog: Option<JobHandle<Vec<PathBuf>>>,
}

fn compare(
    files: Vec<PathBuf>,
    window: f64,
    hop_ms: f64,
    znorm: bool,
    job: &dyn Progress,
) -> anyhow::Result<Outcome> {
    let w = Window::Fraction(window).validate()?;
    let mut clips = sample::CLIPS
        .iter()
        .map(|(name, bytes)| audio::read_wav_bytes(Path::new(name), bytes))
        .collect::<Result<Vec<_>, _>>()?;
    for f in &files {
        clips.push(audio::read_wav(f)?);
    }
    let envelopes = audio::envelopes(&clips, hop_ms, znorm);
    let matrix = dtw::pairwise(&envelopes, w, job)?;
    Ok(Outcome {
        names: clips.iter().map(|c| c.name.clone()).collect(),
        info: clips
            .iter()
            .map(|c| (c.seconds(), c.sample_rate, c.channels, c.hop(hop_ms)))
            .collect(),
        envelopes,
        waveforms: clips.iter().map(|c| c.waveform(800)).collect(),
        hop_ms,
        matrix,
    })
}

/// Collect clips chosen in the dialog.
pub(super) fn logic(p: &mut DtwPanel, ctx: &mut PanelCtx<'_>) {
    if let Some(h) = &mut p.audio.dialog
        && let Some(outcome) = h.poll()
    {
        p.audio.dialog = None;
        match outcome {
            Ok(paths) => p.saved.audio_files.extend(paths),
            Err(JobError::Cancelled) => {}
            Err(e) => ctx.notices.error(format!("Add clips: {e}")),
        }
    }
}

pub(super) fn ui(p: &mut DtwPanel, ui: &mut egui::Ui, ctx: &mut PanelCtx<'_>) {
    ui.label(
        "Compare recordings of a phrase at different speeds by DTW on their loudness envelopes.",
    );
    ui.horizontal_wrapped(|ui| {
        ui.label("Clips: melody.wav, melody-slow.wav, other.wav (bundled)");
        let mut remove = None;
        for (k, f) in p.saved.audio_files.iter().enumerate() {
            ui.label(crate::data::file_name(f));
            if ui
                .small_button("×")
                .on_hover_text("Remove this clip")
                .clicked()
            {
                remove = Some(k);
            }
        }
        if let Some(k) = remove {
            p.saved.audio_files.remove(k);
        }
        if ui.button("Add clips…").clicked() && p.audio.dialog.is_none() {
            let job = crate::app::pick_files(ctx.jobs, "Choose WAV clips", "WAV", &["wav"]);
            match job {
                Ok(h) => p.audio.dialog = Some(h),
                Err(e) => ctx.notices.error(e.to_string()),
            }
        }
    });
    ui.horizontal(|ui| {
        ui.add(egui::Slider::new(&mut p.saved.audio_window, 0.0..=1.0).text("Stretch factor"));
        ui.add(egui::Slider::new(&mut p.saved.hop_ms, 2.0..=100.0).text("ms per envelope point"));
        ui.checkbox(&mut p.saved.znorm, "Z-normalise");
        if ui.button("Compare clips").clicked() {
            let files = p.saved.audio_files.clone();
            let (w, hop, z) = (p.saved.audio_window, p.saved.hop_ms, p.saved.znorm);
            p.next_run += 1;
            p.audio_result.request(
                ctx.jobs,
                p.next_run,
                format!("dtw:audio:{}", p.next_run),
                "DTW audio comparison".into(),
                move |job| compare(files, w, hop, z, job),
            );
        }
        if p.audio_result.is_pending() {
            ui.spinner();
        }
    });
    let Some(o) = p.audio_result.latest() else {
        return;
    };
    for (name, (secs, rate, ch, hop)) in o.names.iter().zip(&o.info) {
        ui.weak(format!(
            "{name}: {secs:.2} s at {rate} Hz, {ch} channel(s) -> envelope of one RMS point per {hop} samples ({} ms)",
            o.hop_ms
        ));
    }
    let waves = o
        .names
        .iter()
        .zip(&o.waveforms)
        .map(|(n, w)| Line::new(n.clone(), w.clone()))
        .collect();
    let chart = Chart::lines("Waveforms", "seconds", "amplitude", waves, Vec::new());
    ui.horizontal(|ui| {
        ui.strong("Waveforms");
        save::chart_buttons(ui, ctx, &chart, "dtw-audio-waveforms");
    });
    show_chart(ui, "dtw_waves", &chart, 160.0);
    let lines = o
        .names
        .iter()
        .zip(&o.envelopes)
        .map(|(n, e)| {
            Line::new(
                n.clone(),
                e.iter()
                    .enumerate()
                    .map(|(i, &v)| (i as f64 * o.hop_ms / 1000.0, v))
                    .collect(),
            )
        })
        .collect();
    let chart = Chart::lines(
        "Amplitude envelopes",
        "seconds",
        "RMS amplitude",
        lines,
        Vec::new(),
    );
    ui.horizontal(|ui| {
        ui.strong("Envelopes");
        save::chart_buttons(ui, ctx, &chart, "dtw-audio-envelopes");
    });
    show_chart(ui, "dtw_audio", &chart, 180.0);
    ui.strong("Pairwise DTW distances");
    egui::Grid::new("dtw_audio_matrix")
        .striped(true)
        .show(ui, |ui| {
            ui.label("");
            for n in &o.names {
                ui.strong(n);
            }
            ui.end_row();
            for (i, n) in o.names.iter().enumerate() {
                ui.strong(n);
                for v in &o.matrix[i] {
                    ui.label(short(*v));
                }
                ui.end_row();
            }
        });
    ui.horizontal(|ui| {
        save::table_buttons(ui, ctx, "the distance table", "dtw-audio", || o.table());
    });
}
