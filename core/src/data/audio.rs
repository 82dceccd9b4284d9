//! WAV clips for the DTW audio comparison: read any PCM or float WAV (mono or stereo, any
//! sample rate) with hound, mix to mono, and reduce to an amplitude envelope (RMS over short
//! windows) that DTW compares. Also writes WAV bytes, for the generated sample clips.

use std::io::Cursor;
use std::path::Path;

use super::error::{DataError, DataResult};

/// A clip mixed down to mono, samples in -1..1.
#[derive(Clone, Debug)]
pub struct Clip {
    pub name: String,
    pub sample_rate: u32,
    pub channels: u16,
    pub samples: Vec<f32>,
}

impl Clip {
    pub fn seconds(&self) -> f64 {
        self.samples.len() as f64 / self.sample_rate.max(1) as f64
    }

    /// RMS amplitude over consecutive windows of `hop_ms` milliseconds: the series DTW compares.
    pub fn envelope(&self, hop_ms: f64) -> Vec<f64> {
        let hop = self.hop(hop_ms);
        self.samples
            .chunks(hop)
            .map(|w| {
                (w.iter().map(|&s| f64::from(s) * f64::from(s)).sum::<f64>() / w.len() as f64)
                    .sqrt()
            })
            .collect()
    }

    /// The waveform for drawing: (seconds, min) and (seconds, max) of each of about `buckets`
    /// stretches of samples, so a line through them fills the wave's outline.
    pub(crate) fn waveform(&self, buckets: usize) -> Vec<(f64, f64)> {
        let per = (self.samples.len() / buckets.max(1)).max(1);
        let rate = f64::from(self.sample_rate.max(1));
        self.samples
            .chunks(per)
            .enumerate()
            .flat_map(|(k, w)| {
                let t = (k * per) as f64 / rate;
                let (lo, hi) = w
                    .iter()
                    .fold((f32::MAX, f32::MIN), |(a, b), &s| (a.min(s), b.max(s)));
                [(t, f64::from(lo)), (t, f64::from(hi))]
            })
            .collect()
    }

    /// Samples per envelope point.
    pub fn hop(&self, hop_ms: f64) -> usize {
        ((f64::from(self.sample_rate) * hop_ms / 1000.0).round() as usize).max(1)
    }
}

/// The envelopes DTW compares: one RMS point per `hop_ms`, z-normalised if asked (to ignore
/// loudness).
pub fn envelopes(clips: &[Clip], hop_ms: f64, znorm: bool) -> Vec<Vec<f64>> {
    clips
        .iter()
        .map(|c| {
            let mut e = c.envelope(hop_ms);
            if znorm {
                crate::compute::dtw::znorm(&mut e);
            }
            e
        })
        .collect()
}

fn wav_err(path: &Path, e: impl std::fmt::Display) -> DataError {
    DataError::Other(format!("{}: not a readable WAV file: {e}", path.display()))
}

/// Read a WAV file.
pub fn read_wav(path: &Path) -> DataResult<Clip> {
    let bytes = super::read_regular(path)?;
    if bytes.is_empty() {
        return Err(DataError::Empty(path.to_owned()));
    }
    read_wav_bytes(path, &bytes)
}

/// Read WAV bytes; `path` names the clip in messages.
pub fn read_wav_bytes(path: &Path, bytes: &[u8]) -> DataResult<Clip> {
    let mut reader = hound::WavReader::new(Cursor::new(bytes)).map_err(|e| wav_err(path, e))?;
    let spec = reader.spec();
    if spec.channels == 0 {
        return Err(wav_err(path, "no channels"));
    }
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader
            .samples::<f32>()
            .collect::<Result<_, _>>()
            .map_err(|e| wav_err(path, e))?,
        hound::SampleFormat::Int => {
            let scale = 2f32.powi(i32::from(spec.bits_per_sample) - 1);
            reader
                .samples::<i32>()
                .map(|s| s.map(|v| v as f32 / scale))
                .collect::<Result<_, _>>()
                .map_err(|e| wav_err(path, e))?
        }
    };
    if interleaved.is_empty() {
        return Err(wav_err(path, "no samples"));
    }
    if spec.sample_rate == 0 {
        return Err(wav_err(path, "the header declares a sample rate of 0 Hz"));
    }
    let ch = usize::from(spec.channels);
    let samples = interleaved
        .chunks(ch)
        .map(|frame| frame.iter().sum::<f32>() / frame.len() as f32)
        .collect();
    Ok(Clip {
        name: super::file_name(path),
        sample_rate: spec.sample_rate,
        channels: spec.channels,
        samples,
    })
}

/// 16-bit mono WAV bytes of `samples` (-1..1).
pub fn wav_bytes(samples: &[f32], sample_rate: u32) -> Result<Vec<u8>, hound::Error> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut out = Cursor::new(Vec::new());
    {
        let mut w = hound::WavWriter::new(&mut out, spec)?;
        for &s in samples {
            w.write_sample((s.clamp(-1.0, 1.0) * 32767.0) as i16)?;
        }
        w.finalize()?;
    }
    Ok(out.into_inner())
}

/// A sequence of tones, each (frequency Hz, loudness 0..1, seconds), with short fades so the
/// envelope shows each note. The same melody at another tempo stretches in time only.
pub(crate) fn tone_sequence(notes: &[(f32, f32, f32)], sample_rate: u32) -> Vec<f32> {
    let mut out = Vec::new();
    for &(freq, loud, secs) in notes {
        let n = (secs * sample_rate as f32) as usize;
        let fade = (n / 10).max(1);
        for i in 0..n {
            let t = i as f32 / sample_rate as f32;
            let gain = (i.min(n - i) as f32 / fade as f32).min(1.0);
            out.push(loud * gain * (std::f32::consts::TAU * freq * t).sin());
        }
    }
    out
}

/// The sample clips: a melody, the same melody 1.5x slower, and a different one.
pub fn sample_clips(sample_rate: u32) -> Vec<(String, Vec<f32>)> {
    let melody = [
        (440.0, 1.0, 0.25),
        (660.0, 0.4, 0.25),
        (550.0, 0.8, 0.25),
        (880.0, 0.3, 0.25),
    ];
    let slow: Vec<_> = melody.iter().map(|&(f, l, s)| (f, l, s * 1.5)).collect();
    let other = [
        (330.0, 0.3, 0.2),
        (880.0, 1.0, 0.4),
        (330.0, 0.3, 0.2),
        (660.0, 0.9, 0.3),
    ];
    vec![
        ("melody.wav".to_owned(), tone_sequence(&melody, sample_rate)),
        (
            "melody-slow.wav".to_owned(),
            tone_sequence(&slow, sample_rate),
        ),
        ("other.wav".to_owned(), tone_sequence(&other, sample_rate)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_envelope() {
        let tone = tone_sequence(&[(440.0, 0.5, 0.5)], 8000);
        let bytes = wav_bytes(&tone, 8000).unwrap();
        let clip = read_wav_bytes(Path::new("t.wav"), &bytes).unwrap();
        assert_eq!(
            (clip.sample_rate, clip.channels, clip.samples.len()),
            (8000, 1, 4000)
        );
        assert!((clip.seconds() - 0.5).abs() < 1e-9);
        let env = clip.envelope(10.0);
        assert_eq!(clip.hop(10.0), 80);
        assert_eq!(env.len(), 50);
        // A steady sine of amplitude 0.5 has RMS 0.5 / sqrt(2).
        assert!((env[25] - 0.5 / 2f64.sqrt()).abs() < 0.01, "{}", env[25]);
        let wave = clip.waveform(100);
        assert_eq!(wave.len(), 200);
        let peak = wave.iter().map(|p| p.1).fold(0.0, f64::max);
        assert!((peak - 0.5).abs() < 0.01, "{peak}");
    }

    #[test]
    fn stereo_is_mixed_to_mono() {
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 1000,
            bits_per_sample: 32,
            sample_format: hound::SampleFormat::Float,
        };
        let mut out = Cursor::new(Vec::new());
        {
            let mut w = hound::WavWriter::new(&mut out, spec).unwrap();
            for _ in 0..10 {
                w.write_sample(0.5f32).unwrap();
                w.write_sample(-0.1f32).unwrap();
            }
            w.finalize().unwrap();
        }
        let clip = read_wav_bytes(Path::new("s.wav"), out.get_ref()).unwrap();
        assert_eq!(clip.channels, 2);
        assert_eq!(clip.samples.len(), 10);
        assert!((clip.samples[3] - 0.2).abs() < 1e-6);
    }

    #[test]
    fn corrupt_files_are_clear_errors() {
        let e = read_wav_bytes(Path::new("bad.wav"), b"RIFF1234WAVEjunk").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("bad.wav: not a readable WAV file"),
            "{e}"
        );
        let good = wav_bytes(&[0.1; 100], 8000).unwrap();
        let e = read_wav_bytes(Path::new("cut.wav"), &good[..30]).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("cut.wav: not a readable WAV file"),
            "{e}"
        );
    }
}
