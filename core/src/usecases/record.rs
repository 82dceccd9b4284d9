//! Every run recorded in the run store, the same way from the app, the CLI and the demo: a
//! `OpenRecord` is started with the use case, its params and inputs before the work, and finished
//! with the work's result. A store that cannot be opened never stops the analysis: the recording
//! is then off and says why (`warning`).

use std::path::Path;

use serde::Serialize;

use crate::chart::Chart;
use crate::compute::Cancelled;
use crate::runs::{
    ArtifactRecord, Curve, InputFingerprint, RunFinish, RunOrigin, RunRecorder, RunStart, RunStore,
};

/// What the run store keeps of a use case's output.
pub trait Recordable {
    /// Named numbers to sort and compare runs by.
    fn metrics(&self) -> serde_json::Map<String, serde_json::Value>;
    /// Curves to overlay when runs are compared.
    fn curves(&self) -> Vec<Curve> {
        Vec::new()
    }
    /// Charts kept beside the store with the run (as SVG), deleted with it.
    fn charts(&self) -> Vec<Chart> {
        Vec::new()
    }
}

/// Write `out`'s charts as SVG into the run's artifact folder: the artifacts, and a warning
/// for any that could not be written.
fn keep_charts(
    out: &impl Recordable,
    dir: &Path,
    artifacts: &mut Vec<ArtifactRecord>,
) -> Option<String> {
    let charts = out.charts();
    if charts.is_empty() {
        return None;
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        return Some(format!(
            "{}: cannot keep the run's charts: {e}",
            dir.display()
        ));
    }
    let mut failed = None;
    for (i, chart) in charts.iter().enumerate() {
        let path = dir.join(format!("{i}-{}.svg", crate::format::slug(&chart.title)));
        match crate::export::write_chart(chart, &path) {
            Ok(()) => artifacts.push(ArtifactRecord {
                title: chart.title.clone(),
                path: path.display().to_string(),
                owned: true,
            }),
            Err(e) => failed = Some(format!("cannot keep a chart of the run: {e}")),
        }
    }
    failed
}

/// A run being recorded (or not, when recording is off or the store is unusable).
pub struct OpenRecord {
    recorder: Option<RunRecorder>,
    /// Why the run is not recorded, when the store could not be used.
    pub warning: Option<String>,
}

/// Build a metrics map from (name, value) pairs; non-finite values are left out.
pub fn metrics<'a>(
    pairs: impl IntoIterator<Item = (&'a str, f64)>,
) -> serde_json::Map<String, serde_json::Value> {
    pairs
        .into_iter()
        .filter(|(_, v)| v.is_finite())
        .map(|(k, v)| (k.to_owned(), v.into()))
        .collect()
}

impl OpenRecord {
    /// Not recorded (`--no-record`).
    pub fn off() -> Self {
        Self {
            recorder: None,
            warning: None,
        }
    }

    /// Record the start of a run in the store in `home` (see `runs::home`).
    pub fn start(
        home: &Path,
        origin: RunOrigin,
        use_case: &str,
        params: &impl Serialize,
        inputs: Vec<InputFingerprint>,
    ) -> Self {
        let started = RunStore::open(home).and_then(|store| {
            store.start(RunStart {
                use_case: use_case.to_owned(),
                params: serde_json::to_value(params).unwrap_or_default(),
                inputs,
                origin,
            })
        });
        match started {
            Ok(r) => Self {
                recorder: Some(r),
                warning: None,
            },
            Err(e) => Self {
                recorder: None,
                warning: Some(format!("{e}; this run is not recorded")),
            },
        }
    }

    /// Not recorded because the store cannot be found; says why.
    pub fn unavailable(why: impl std::fmt::Display) -> Self {
        Self {
            recorder: None,
            warning: Some(format!("{why}; this run is not recorded")),
        }
    }

    /// The run's id in the store, when it is recorded.
    pub fn id(&self) -> Option<i64> {
        self.recorder.as_ref().map(RunRecorder::id)
    }

    /// Finish the record from the work's result: done with its metrics and curves, cancelled,
    /// or failed with the error's message. Returns a warning when the store could not be written.
    pub fn finish<T: Recordable>(
        self,
        result: &anyhow::Result<T>,
        mut artifacts: Vec<ArtifactRecord>,
    ) -> Option<String> {
        let recorder = self.recorder?;
        let mut kept = None;
        let written = match result {
            Ok(out) => {
                kept = keep_charts(out, &recorder.artifact_dir(), &mut artifacts);
                recorder.done(RunFinish {
                    metrics: out.metrics(),
                    curves: out.curves(),
                    artifacts,
                })
            }
            Err(e) if e.is::<Cancelled>() => recorder.cancelled(),
            Err(e) => recorder.failed(&format!("{e:#}")),
        };
        written
            .err()
            .map(|e| format!("{e}; the run's end is not recorded"))
            .or(kept)
    }
}

/// An artifact the run wrote at `path` (a CLI output), not owned by the store.
pub fn written(title: &str, path: &std::path::Path) -> ArtifactRecord {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    ArtifactRecord {
        title: title.to_owned(),
        path: path.display().to_string(),
        owned: false,
    }
}

/// A use case's output with what became of its record (for app jobs).
pub struct RecordedOutput<T> {
    pub output: T,
    /// The run's id in the store, when it was recorded.
    pub run_id: Option<i64>,
    /// Why it was not recorded, or its end not written.
    pub warning: Option<String>,
}

/// Run `work` recorded in the store at `home` (or not, saying why when `home` is an error).
/// A failing or cancelled `work` is recorded as such and its error returned.
pub fn recorded<T: Recordable>(
    home: Result<&Path, &str>,
    origin: RunOrigin,
    use_case: &str,
    params: &impl Serialize,
    inputs: Vec<InputFingerprint>,
    work: impl FnOnce() -> anyhow::Result<T>,
) -> anyhow::Result<RecordedOutput<T>> {
    let rec = match home {
        Ok(home) => OpenRecord::start(home, origin, use_case, params, inputs),
        Err(why) => OpenRecord::unavailable(why),
    };
    let run_id = rec.id();
    let mut warning = rec.warning.clone();
    let result = work();
    if let Some(w) = rec.finish(&result, Vec::new()) {
        warning = Some(w);
    }
    result.map(|output| RecordedOutput {
        output,
        run_id,
        warning,
    })
}

/// `recorded` when `home` is given; without it the work alone, unrecorded and with no warning
/// (a panel's automatic first run on its sample, which is not worth a record).
pub fn recorded_if<T: Recordable>(
    home: Option<Result<&Path, &str>>,
    origin: RunOrigin,
    use_case: &str,
    params: &impl Serialize,
    inputs: Vec<InputFingerprint>,
    work: impl FnOnce() -> anyhow::Result<T>,
) -> anyhow::Result<RecordedOutput<T>> {
    match home {
        Some(home) => recorded(home, origin, use_case, params, inputs, work),
        None => work().map(|output| RecordedOutput {
            output,
            run_id: None,
            warning: None,
        }),
    }
}
