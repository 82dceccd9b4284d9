//! The use-case layer: one orchestration per use case, called by its panel, its CLI command and
//! `playbook demo`. Each use case's module owns the same four things (linfa's `Params` /
//! `ValidParams` pattern):
//!
//! - `…Params`: what a user edits; serde, with defaults; stored with each run;
//! - `check`: `…Params` to the validated form a run accepts, or a `ParamError` that names the
//!   parameter and its allowed range. Bounds are `Bound` constants that the panels' widgets
//!   read too, so a range is written once;
//! - `run(valid params, inputs, &dyn Progress) -> Result<…Output>`;
//! - `…Output` to charts, tables and metrics (`Recordable`: what the run store keeps).
//!
//! `record` wraps any run in a run-store record. Nothing here imports egui or the panels.

pub mod analysis;
pub mod dtw;
pub mod explore;
pub mod forecast;
pub mod fraud;
pub mod images;
pub mod pitching;
pub mod record;
pub mod registry;
pub mod sentiment;
pub mod spatial;
pub mod stock;

use std::fmt::Display;
use std::ops::RangeInclusive;

pub use analysis::Analysis;
pub use record::{OpenRecord, Recordable};

/// A parameter a run cannot accept, named, with what it accepts.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParamError {
    #[error("{name} must be from {min} to {max}, got {got}")]
    OutOfRange {
        name: &'static str,
        min: String,
        max: String,
        got: String,
    },
    #[error("{name}: {why}")]
    Invalid { name: &'static str, why: String },
}

/// The allowed range of a numeric parameter: `check` and the panel's slider both read it.
#[derive(Clone, Copy, Debug)]
pub struct Bound<T> {
    /// The parameter's name as the user sees it (the CLI flag names it the same way).
    pub name: &'static str,
    pub min: T,
    pub max: T,
}

impl<T: PartialOrd + Copy + Display> Bound<T> {
    pub const fn new(name: &'static str, min: T, max: T) -> Self {
        Self { name, min, max }
    }

    /// `value` if it lies in the range (NaN never does), else an error naming the parameter.
    pub fn check(&self, value: T) -> Result<T, ParamError> {
        if value >= self.min && value <= self.max {
            Ok(value)
        } else {
            Err(ParamError::OutOfRange {
                name: self.name,
                min: self.min.to_string(),
                max: self.max.to_string(),
                got: value.to_string(),
            })
        }
    }

    /// The range, for a slider or drag value.
    pub fn range(&self) -> RangeInclusive<T> {
        self.min..=self.max
    }
}

/// A parameter that must be non-empty text (a column name).
pub(crate) fn non_empty(name: &'static str, value: &str) -> Result<String, ParamError> {
    let v = value.trim();
    if v.is_empty() {
        Err(ParamError::Invalid {
            name,
            why: "must not be empty".into(),
        })
    } else {
        Ok(v.to_owned())
    }
}

/// Column roles that must name different columns (longitude and latitude, store and SKU): the
/// first repeated one is an error naming both roles.
pub(crate) fn distinct_columns(roles: &[(&'static str, &str)]) -> Result<(), ParamError> {
    for (k, (name, column)) in roles.iter().enumerate() {
        if let Some((other, _)) = roles[..k].iter().find(|(_, c)| c.trim() == column.trim()) {
            return Err(ParamError::Invalid {
                name,
                why: format!(
                    "'{}' is also the {other}; each role needs its own column",
                    column.trim()
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_name_the_parameter_and_its_range() {
        let b = Bound::new("max depth", 1usize, 30);
        assert_eq!(b.check(5), Ok(5));
        let e = b.check(0).unwrap_err().to_string();
        assert_eq!(e, "max depth must be from 1 to 30, got 0");
        let w = Bound::new("stretch factor", 0.0f64, 1.0);
        assert!(w.check(f64::NAN).is_err());
        assert!(w.check(1.0).is_ok());
        assert_eq!(w.range(), 0.0..=1.0);
        assert!(non_empty("label column", "  ").is_err());
    }
}
