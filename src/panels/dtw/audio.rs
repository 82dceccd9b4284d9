//! The DTW panel's Audio view: clips of a phrase spoken (or played) at different speeds,
//! compared by DTW on their amplitude envelopes. Shows the envelopes, how they were downsampled,
//! and the table of pairwise distances. Starts with the bundled sample clips.

use std::path::PathBuf;

use super::DtwPanel;
use crate::chart::{Chart, Line};
use crate::data::{audio, sample};
use crate::format::short;
use crate::panels::chart_view::show_chart;
use crate::panels::{PanelCtx, save};
use crate::runs::InputFingerprint;
use crate::session::{PickKind, PickRequest};
use crate::usecases::analysis::{Analysis, DtwAudio};
pub use crate::usecases::dtw::AudioOutput as Outcome;
use crate::usecases::dtw::{self as usecase, AudioParams};

/// The key of the Add clips pick.
const CLIPS_PICK: &str = "dtw:audio-clips";

/// A finished comparison and what it was asked.
pub(crate) struct AudioRun {
    pub files: Vec<PathBuf>,
    pub params: AudioParams,
    pub out: Outcome,
}

impl std::ops::Deref for AudioRun {
    type Target = Outcome;

    fn deref(&self) -> &Outcome {
        &self.out
    }
}

/// The params the panel's choices give.
fn params_of(p: &DtwPanel) -> AudioParams {
    AudioParams {
        band: usecase::WarpingBand {
            stretch: p.saved.audio_window,
            cells: None,
        },
        hop_ms: p.saved.hop_ms,
        znorm: p.saved.znorm,
    }
}

/// The bundled clips and the chosen files, with their fingerprints (read in the job).
fn read(files: &[PathBuf]) -> anyhow::Result<(Vec<audio::Clip>, Vec<InputFingerprint>)> {
    let mut clips = usecase::sample_clips()?;
    let mut inputs: Vec<_> = sample::CLIPS
        .iter()
        .map(|(name, bytes)| crate::runs::of_bytes("clip", name, bytes))
        .collect();
    for f in files {
        clips.push(audio::read_wav(f)?);
        if let Ok(fp) = crate::runs::of_file("clip", &crate::data::file_name(f), f) {
            inputs.push(fp);
        }
    }
    Ok((clips, inputs))
}

/// Collect clips chosen in the dialog.
pub(super) fn logic(p: &mut DtwPanel, ctx: &mut PanelCtx<'_>) {
    if let Some(paths) = ctx.picks.take(CLIPS_PICK) {
        p.saved.audio_files.extend(paths);
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
        if ui.button("Add clips…").clicked() {
            let request = PickRequest::new(
                CLIPS_PICK,
                "Choose WAV clips",
                PickKind::Files {
                    filter: "WAV",
                    extensions: &["wav"],
                    multiple: true,
                },
            );
            if let Err(e) = ctx.picks.request(ctx.jobs, request) {
                ctx.notices.error(e.to_string());
            }
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.add(
            egui::Slider::new(&mut p.saved.audio_window, usecase::STRETCH.range())
                .text("Stretch factor"),
        )
        .on_hover_text(crate::panels::glossary::STRETCH);
        ui.add(
            egui::Slider::new(&mut p.saved.hop_ms, usecase::HOP_MS.range())
                .logarithmic(true)
                .text("ms per envelope point"),
        );
        ui.checkbox(&mut p.saved.znorm, "Z-normalise");
        if ui.button("Compare clips").clicked() {
            let files = p.saved.audio_files.clone();
            let chosen = files.clone();
            let params = params_of(p);
            p.audio_result.start_reading::<DtwAudio, _>(
                ctx,
                params.clone(),
                true,
                move |_| read(&chosen),
                |valid, clips, job| DtwAudio::run(valid, &clips, job),
                move |out, _| Ok(AudioRun { files, params, out }),
            );
        }
        if p.audio_result.is_pending() {
            ui.spinner();
        }
    });
    let Some(o) = p.audio_result.latest() else {
        return;
    };
    let then = "the clips compared".to_owned();
    let now = if o.files == p.saved.audio_files {
        then.clone()
    } else {
        "another list of clips".to_owned()
    };
    crate::panels::stale_note(
        ui,
        (&then, &o.params),
        (&now, &params_of(p)),
        "Compare clips",
    );
    if let Some(id) = o.run_id {
        ui.label(format!(
            "{} clips compared. Recorded as run {id}.",
            o.clips.len()
        ));
    }
    for c in &o.clips {
        ui.weak(format!(
            "{}: {:.2} s at {} Hz, {} channel(s) -> envelope of one RMS point per {} samples ({} ms)",
            c.name, c.seconds, c.sample_rate, c.channels, c.hop, o.hop_ms
        ));
    }
    let names = o.names();
    let waves = names
        .iter()
        .zip(&o.waveforms)
        .map(|(n, w)| Line::new(n.clone(), w.clone()))
        .collect();
    let chart = Chart::lines("Waveforms", "seconds", "amplitude", waves, Vec::new());
    ui.horizontal_wrapped(|ui| {
        ui.strong("Waveforms");
        save::chart_buttons(ui, ctx, &chart, "dtw-audio-waveforms");
    });
    show_chart(ui, "dtw_waves", &chart, 160.0);
    let lines = names
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
    ui.horizontal_wrapped(|ui| {
        ui.strong("Envelopes");
        save::chart_buttons(ui, ctx, &chart, "dtw-audio-envelopes");
    });
    show_chart(ui, "dtw_audio", &chart, 180.0);
    ui.strong("Pairwise DTW distances");
    egui::Grid::new("dtw_audio_matrix")
        .striped(true)
        .show(ui, |ui| {
            ui.label("");
            for n in &names {
                ui.strong(n);
            }
            ui.end_row();
            for (i, n) in names.iter().enumerate() {
                ui.strong(n);
                for v in &o.matrix[i] {
                    ui.label(short(*v));
                }
                ui.end_row();
            }
        });
    ui.horizontal_wrapped(|ui| {
        save::table_buttons(ui, ctx, "the distance table", "dtw-audio", || o.table());
    });
}
