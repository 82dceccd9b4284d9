//! The pitching use case's algorithms: pitches read from a Statcast-layout table, a robust
//! per-pitcher baseline and a league spin regression that score each pitch against what the
//! pitcher's earlier outings predict (`score`), the league's weekly view (`league`), and one
//! outing's fatigue and times-through-the-order figures (`outing`). No egui, no files.

pub mod baseline;
pub mod league;
pub mod model;
pub mod outing;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::{Result, bail};
use polars::prelude::*;

pub use baseline::{Baseline, Rule, Score, Scorer};
pub use model::SpinModel;

use crate::data::schema;

/// The columns a pitch table must have.
pub(crate) const REQUIRED: [&str; 7] = [
    "game_pk",
    "game_date",
    "pitcher",
    "pitch_type",
    "release_speed",
    "release_spin_rate",
    "pitch_number",
];

/// One pitch. Text that repeats (names, pitch types, events) is shared, not copied per pitch.
/// Missing measurements are NaN; missing counts and ids are `None`.
#[derive(Clone, Debug, PartialEq)]
pub struct Pitch {
    pub game_pk: i64,
    /// Days since 1970-01-01.
    pub day: i32,
    pub pitcher: i64,
    pub pitch_type: Arc<str>,
    /// mph.
    pub speed: f64,
    /// rpm.
    pub spin: f64,
    pub pitch_number: i32,
    pub at_bat: Option<i32>,
    pub inning: Option<i32>,
    pub batter: Option<i64>,
    pub spin_axis: f64,
    pub release_x: f64,
    pub release_z: f64,
    pub extension: f64,
    pub pfx_x: f64,
    pub pfx_z: f64,
    pub plate_x: f64,
    pub plate_z: f64,
    pub event: Option<Arc<str>>,
    pub description: Option<Arc<str>>,
}

impl Pitch {
    /// The pitch's place in time: day, game, at-bat, pitch of the at-bat.
    pub(crate) fn order_key(&self) -> (i32, i64, i32, i32) {
        (
            self.day,
            self.game_pk,
            self.at_bat.unwrap_or(0),
            self.pitch_number,
        )
    }

    /// Bauer units: spin per mph.
    pub fn bauer(&self) -> f64 {
        self.spin / self.speed
    }

    /// Whether this pitch ended a plate appearance with a strikeout.
    pub fn strikeout(&self) -> bool {
        self.event
            .as_deref()
            .is_some_and(|e| e.starts_with("strikeout"))
    }
}

/// A table of pitches: the pitches in game order, and the pitchers' names where the table has
/// them.
#[derive(Clone, Debug, Default)]
pub struct Pitches {
    pub pitches: Vec<Pitch>,
    pub names: HashMap<i64, Arc<str>>,
    /// Rows left out: no pitch type, no speed, or no game/pitcher id.
    pub skipped: usize,
}

impl Pitches {
    /// The pitcher's name, or his id when the table has no names.
    pub fn name(&self, pitcher: i64) -> String {
        self.names
            .get(&pitcher)
            .map_or_else(|| pitcher.to_string(), |n| n.to_string())
    }

    /// Add `more` (e.g. a live file's pitches) keeping game order.
    pub fn extend(&mut self, more: Pitches) {
        let sorted = self
            .pitches
            .last()
            .zip(more.pitches.first())
            .is_none_or(|(a, b)| a.order_key() <= b.order_key());
        self.pitches.extend(more.pitches);
        if !sorted {
            self.pitches.sort_by_key(Pitch::order_key);
        }
        self.names.extend(more.names);
        self.skipped += more.skipped;
    }
}

/// Shares one `Arc<str>` per distinct text.
#[derive(Default)]
struct Interner(HashMap<String, Arc<str>>);

impl Interner {
    fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.0.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        self.0.insert(s.to_owned(), a.clone());
        a
    }
}

fn text_column(file: &str, df: &DataFrame, name: &str) -> Result<Option<StringChunked>> {
    let Ok(c) = df.column(name) else {
        return Ok(None);
    };
    let s = c
        .cast(&DataType::String)
        .map_err(|e| anyhow::anyhow!("{file}: column '{name}': {e}"))?;
    Ok(Some(s.str()?.clone()))
}

/// A numeric column (NaN where empty), or all-NaN when the table does not have it.
fn optional_numbers(file: &str, df: &DataFrame, name: &str) -> Result<Vec<f64>> {
    if df.column(name).is_err() {
        return Ok(vec![f64::NAN; df.height()]);
    }
    Ok(schema::numeric_rows(file, df, name)?)
}

fn whole(v: f64) -> Option<i64> {
    (v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15).then_some(v as i64)
}

/// Optional counts and ids of a pitch table.
const COUNTS: [&str; 3] = ["at_bat_number", "inning", "batter"];
/// Optional measurements of a pitch table (NaN where missing).
const MEASURES: [&str; 8] = [
    "spin_axis",
    "release_pos_x",
    "release_pos_z",
    "release_extension",
    "pfx_x",
    "pfx_z",
    "plate_x",
    "plate_z",
];
/// Optional text of a pitch table.
const TEXT: [&str; 3] = ["player_name", "events", "description"];

/// The table with flattened JSON names found under their Statcast names: a feed that nests a
/// pitch's measurements (`pitch.release_spin_rate`, `details.events`) reads like a Savant
/// export. A name is taken from the one column whose last part it is; two candidates are left
/// alone (and the column reported missing, not guessed).
fn unnested(df: &DataFrame) -> std::borrow::Cow<'_, DataFrame> {
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let mut renames = Vec::new();
    for want in REQUIRED.iter().chain(&COUNTS).chain(&MEASURES).chain(&TEXT) {
        if names.iter().any(|n| n == want) {
            continue;
        }
        let suffix = format!(".{want}");
        let mut found = names.iter().filter(|n| n.ends_with(&suffix));
        if let (Some(one), None) = (found.next(), found.next()) {
            renames.push((one.clone(), *want));
        }
    }
    if renames.is_empty() {
        return std::borrow::Cow::Borrowed(df);
    }
    let mut out = df.clone();
    for (from, to) in renames {
        let _ = out.rename(&from, to.into());
    }
    std::borrow::Cow::Owned(out)
}

/// Read a Statcast-layout table. Every required column must be there (one error names all that
/// are missing); the optional ones are used when present. Rows without a game, pitcher, pitch
/// type or speed are counted in `skipped`, not fatal. The pitches come back in game order.
pub fn from_frame(file: &str, df: &DataFrame) -> Result<Pitches> {
    let df = &unnested(df);
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| df.column(c).is_err())
        .collect();
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().map(|c| format!("'{c}'")).collect();
        bail!(
            "{file}: missing column{} {} (a pitch table needs {})",
            if missing.len() == 1 { "" } else { "s" },
            list.join(", "),
            REQUIRED.join(", ")
        );
    }
    let days = crate::compute::forecast::series::day_numbers(file, df, "game_date")?;
    let game = schema::numeric_rows(file, df, "game_pk")?;
    let pitcher = schema::numeric_rows(file, df, "pitcher")?;
    let speed = schema::numeric_rows(file, df, "release_speed")?;
    let spin = schema::numeric_rows(file, df, "release_spin_rate")?;
    let number = schema::numeric_rows(file, df, "pitch_number")?;
    let types = text_column(file, df, "pitch_type")?;
    let [at_bat, inning, batter] = COUNTS.map(|c| optional_numbers(file, df, c));
    let (at_bat, inning, batter) = (at_bat?, inning?, batter?);
    let [axis, rx, rz, ext, px, pz, lx, lz] = MEASURES.map(|c| optional_numbers(file, df, c));
    let (axis, rx, rz, ext, px, pz, lx, lz) = (axis?, rx?, rz?, ext?, px?, pz?, lx?, lz?);
    let [names, events, descriptions] = TEXT.map(|c| text_column(file, df, c));
    let (names, events, descriptions) = (names?, events?, descriptions?);
    let mut interner = Interner::default();
    let mut out = Pitches::default();
    for i in 0..df.height() {
        let pitch_type = types.as_ref().and_then(|t| t.get(i)).map(str::trim);
        let (Some(day), Some(game_pk), Some(pid), Some(pitch_type)) =
            (days[i], whole(game[i]), whole(pitcher[i]), pitch_type)
        else {
            out.skipped += 1;
            continue;
        };
        if pitch_type.is_empty() || !speed[i].is_finite() || speed[i] <= 0.0 {
            out.skipped += 1;
            continue;
        }
        if let Some(n) = names.as_ref().and_then(|n| n.get(i))
            && !out.names.contains_key(&pid)
        {
            out.names.insert(pid, interner.get(n));
        }
        let opt_text = |c: &Option<StringChunked>, interner: &mut Interner| {
            c.as_ref()
                .and_then(|c| c.get(i))
                .filter(|s| !s.is_empty())
                .map(|s| interner.get(s))
        };
        out.pitches.push(Pitch {
            game_pk,
            day,
            pitcher: pid,
            pitch_type: interner.get(pitch_type),
            speed: speed[i],
            spin: if spin[i] > 0.0 { spin[i] } else { f64::NAN },
            pitch_number: whole(number[i]).map_or(0, |n| n as i32),
            at_bat: whole(at_bat[i]).map(|n| n as i32),
            inning: whole(inning[i]).map(|n| n as i32),
            batter: whole(batter[i]),
            spin_axis: axis[i],
            release_x: rx[i],
            release_z: rz[i],
            extension: ext[i],
            pfx_x: px[i],
            pfx_z: pz[i],
            plate_x: lx[i],
            plate_z: lz[i],
            event: opt_text(&events, &mut interner),
            description: opt_text(&descriptions, &mut interner),
        });
    }
    // Savant exports list the newest pitch first; scoring needs game order.
    out.pitches.sort_by_key(Pitch::order_key);
    if out.pitches.is_empty() {
        bail!(
            "{file}: no usable pitches ({} rows without a game, pitcher, pitch type or speed)",
            out.skipped
        );
    }
    Ok(out)
}

/// The median of `v` (reordered in place); None when empty.
pub fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let n = v.len();
    let (_, m, _) = v.select_nth_unstable_by(n / 2, f64::total_cmp);
    let upper = *m;
    if n % 2 == 1 {
        return Some(upper);
    }
    let lower = v[..n / 2].iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some((lower + upper) / 2.0)
}
