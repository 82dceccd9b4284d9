//! The analyst's queue: one item per problem (an episode: a series' overlapping alerts merged,
//! named by its most specific kind), ranked by the money at stake, each with a state (new,
//! acknowledged, resolved) and a note. The states live in one file in the Playbook home
//! (`stock_triage.json`), keyed by store, SKU, kind and first day, so that they survive a
//! restart and a re-run of the same table; a problem whose key changes (other thresholds move
//! its first day) starts again as new.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::StockOutput;
use crate::compute::stock::Kind;

/// Where a problem stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    #[default]
    New,
    Acknowledged,
    Resolved,
}

impl State {
    pub const ALL: [State; 3] = [State::New, State::Acknowledged, State::Resolved];

    pub fn name(self) -> &'static str {
        match self {
            State::New => "new",
            State::Acknowledged => "acknowledged",
            State::Resolved => "resolved",
        }
    }
}

/// What the analyst recorded for one problem.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Mark {
    pub state: State,
    pub note: String,
}

/// Marks by problem key.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Triage {
    pub marks: BTreeMap<String, Mark>,
}

/// The file is refused above this size before it is read ...
const MAX_FILE_BYTES: u64 = 64 << 20;
/// ... and above this many marks, or a note above this many characters, once read.
pub const MAX_MARKS: usize = 1_000_000;
pub const MAX_NOTE_CHARS: usize = 2_000;
const FILE: &str = "stock_triage.json";

impl Triage {
    /// The file in the Playbook home `home`.
    pub fn path_in(home: &Path) -> PathBuf {
        home.join(FILE)
    }

    /// Read `path`; a missing file is an empty queue. Errors name the file.
    pub fn load(path: &Path) -> Result<Triage> {
        let shown = path.display();
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Triage::default()),
            Err(e) => return Err(e).with_context(|| format!("{shown}")),
        };
        if !meta.is_file() {
            bail!("{shown}: not a regular file");
        }
        if meta.len() > MAX_FILE_BYTES {
            bail!(
                "{shown}: {} bytes, more than the {} MB a triage file may hold",
                meta.len(),
                MAX_FILE_BYTES >> 20
            );
        }
        let text = std::fs::read_to_string(path).with_context(|| format!("{shown}"))?;
        let t: Triage =
            serde_json::from_str(&text).with_context(|| format!("{shown}: not a triage file"))?;
        t.check().map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
        Ok(t)
    }

    fn check(&self) -> std::result::Result<(), String> {
        if self.marks.len() > MAX_MARKS {
            return Err(format!("{} marks, more than {MAX_MARKS}", self.marks.len()));
        }
        if let Some((k, _)) = self
            .marks
            .iter()
            .find(|(_, m)| m.note.chars().count() > MAX_NOTE_CHARS)
        {
            return Err(format!(
                "the note of {k} is over {MAX_NOTE_CHARS} characters"
            ));
        }
        Ok(())
    }

    /// Write `path` atomically (the folder is made when missing).
    pub fn save(&self, path: &Path) -> Result<()> {
        self.check().map_err(anyhow::Error::msg)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("{}", dir.display()))?;
        }
        crate::export::write_atomic(path, |w| {
            serde_json::to_writer_pretty(&mut *w, self).map_err(std::io::Error::other)
        })
        .with_context(|| format!("{}", path.display()))
    }

    /// A problem's state, without copying its note.
    pub fn state(&self, key: &str) -> State {
        self.marks.get(key).map_or(State::New, |m| m.state)
    }

    pub fn mark(&self, key: &str) -> Mark {
        self.marks.get(key).cloned().unwrap_or_default()
    }

    /// Set a problem's mark; a mark back at new with no note is forgotten.
    pub fn set(&mut self, key: &str, mut mark: Mark) {
        if mark.note.chars().count() > MAX_NOTE_CHARS {
            mark.note = mark.note.chars().take(MAX_NOTE_CHARS).collect();
        }
        if mark == Mark::default() {
            self.marks.remove(key);
        } else if self.marks.len() < MAX_MARKS || self.marks.contains_key(key) {
            self.marks.insert(key.to_owned(), mark);
        }
    }
}

/// One problem in the queue.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// Store, SKU, kind and first day: what its mark is kept under.
    pub key: String,
    pub kind: Kind,
    /// Every kind that flagged it.
    pub kinds: Vec<Kind>,
    pub series: usize,
    pub start: i32,
    pub end: i32,
    pub lost_units: f64,
    pub lost_revenue: Option<f64>,
    pub confidence: f64,
    /// The reason of its naming alert.
    pub detail: String,
}

/// The problems of a run, most money at stake first (then most units, then store and SKU).
pub fn queue(out: &StockOutput) -> Vec<Item> {
    let alerts = out.alerts();
    let mut items: Vec<Item> = out
        .detection
        .episodes
        .iter()
        .map(|e| {
            let kind = e.kind();
            let s = &out.series[e.series];
            let detail = e
                .alerts
                .iter()
                .map(|&i| &alerts[i])
                .find(|a| a.kind == kind)
                .map(|a| a.detail.clone())
                .unwrap_or_default();
            Item {
                key: format!(
                    "{}/{}/{}/{}",
                    s.store,
                    s.sku,
                    kind.name(),
                    crate::format::date(f64::from(e.start))
                ),
                kind,
                kinds: e.kinds.clone(),
                series: e.series,
                start: e.start,
                end: e.end,
                lost_units: e.lost_units,
                lost_revenue: e.lost_revenue,
                confidence: e.confidence,
                detail,
            }
        })
        .collect();
    let money = |i: &Item| i.lost_revenue.unwrap_or(0.0);
    items.sort_by(|a, b| {
        money(b)
            .total_cmp(&money(a))
            .then(b.lost_units.total_cmp(&a.lost_units))
            .then(a.key.cmp(&b.key))
    });
    items
}

/// The queue as a table with each problem's state and note (`rows`: indices into `items`, in
/// order; None: all).
pub fn queue_frame(
    out: &StockOutput,
    items: &[Item],
    rows: Option<&[usize]>,
    triage: &Triage,
) -> PolarsResult<DataFrame> {
    let all: Vec<usize>;
    let rows = match rows {
        Some(r) => r,
        None => {
            all = (0..items.len()).collect();
            &all
        }
    };
    let pick = |f: &dyn Fn(&Item) -> String| -> Vec<String> {
        rows.iter().map(|&i| f(&items[i])).collect()
    };
    let marks: Vec<Mark> = rows.iter().map(|&i| triage.mark(&items[i].key)).collect();
    let num = |f: &dyn Fn(&Item) -> Option<f64>| -> Vec<Option<f64>> {
        rows.iter().map(|&i| f(&items[i])).collect()
    };
    let day = |d: i32| crate::format::date(f64::from(d));
    DataFrame::new_infer_height(vec![
        Column::new("kind".into(), pick(&|i| i.kind.name().to_owned())),
        Column::new(
            "store".into(),
            pick(&|i| out.series[i.series].store.clone()),
        ),
        Column::new("sku".into(), pick(&|i| out.series[i.series].sku.clone())),
        Column::new("start".into(), pick(&|i| day(i.start))),
        Column::new("end".into(), pick(&|i| day(i.end))),
        Column::new(
            "days".into(),
            rows.iter()
                .map(|&i| i64::from(items[i].end - items[i].start + 1))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "lost_units".into(),
            num(&|i| Some((i.lost_units * 100.0).round() / 100.0)),
        ),
        Column::new(
            "lost_revenue".into(),
            num(&|i| i.lost_revenue.map(|v| (v * 100.0).round() / 100.0)),
        ),
        Column::new("confidence".into(), num(&|i| Some(i.confidence))),
        Column::new(
            "state".into(),
            marks.iter().map(|m| m.state.name()).collect::<Vec<_>>(),
        ),
        Column::new(
            "note".into(),
            marks.iter().map(|m| m.note.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "kinds".into(),
            pick(&|i| {
                i.kinds
                    .iter()
                    .map(|k| k.name())
                    .collect::<Vec<_>>()
                    .join(";")
            }),
        ),
        Column::new("detail".into(), pick(&|i| i.detail.clone())),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_round_trip_and_bad_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("home").join(FILE);
        assert_eq!(Triage::load(&path).unwrap(), Triage::default());
        let mut t = Triage::default();
        t.set(
            "S1/A/phantom/2025-01-02",
            Mark {
                state: State::Acknowledged,
                note: "count on Monday".into(),
            },
        );
        t.set("S1/A/osa/2025-02-02", Mark::default());
        assert_eq!(t.marks.len(), 1, "a default mark is not kept");
        t.save(&path).unwrap();
        assert_eq!(Triage::load(&path).unwrap(), t);
        // Back to new with no note: forgotten.
        t.set("S1/A/phantom/2025-01-02", Mark::default());
        assert!(t.marks.is_empty());

        std::fs::write(&path, "[1,2").unwrap();
        let e = Triage::load(&path).unwrap_err();
        assert!(format!("{e:#}").contains("not a triage file"), "{e:#}");
        let long = format!(
            "{{\"marks\": {{\"k\": {{\"state\": \"new\", \"note\": \"{}\"}}}}}}",
            "x".repeat(MAX_NOTE_CHARS + 1)
        );
        std::fs::write(&path, long).unwrap();
        let e = Triage::load(&path).unwrap_err();
        assert!(format!("{e:#}").contains("over 2000 characters"), "{e:#}");
        let e = Triage::load(dir.path()).unwrap_err();
        assert!(format!("{e:#}").contains("not a regular file"), "{e:#}");
    }
}
