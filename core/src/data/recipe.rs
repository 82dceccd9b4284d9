//! What a user changed in a dataset, kept as steps so that they are made again when the file is
//! reloaded (and saved with the app's settings): a column's type changed, a column computed
//! from an expression (`compute::expr`). The file itself is never rewritten.

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::types::{ColumnType, convert};
use super::{DataError, DataResult};

/// One change, as the user made it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// Change `column` to `to`; dates and times read with `format` (guessed when none).
    Type {
        column: String,
        to: ColumnType,
        #[serde(default)]
        format: Option<String>,
    },
    /// Add (or replace) column `name` computed from `expr`.
    Compute { name: String, expr: String },
}

impl Step {
    /// A short description for lists and messages.
    pub fn describe(&self) -> String {
        match self {
            Self::Type { column, to, format } => match format {
                Some(f) => format!("'{column}' as {} ({f})", to.name()),
                None => format!("'{column}' as {}", to.name()),
            },
            Self::Compute { name, expr } => format!("'{name}' = {expr}"),
        }
    }
}

/// The steps made to a dataset, in order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Recipe {
    pub steps: Vec<Step>,
}

impl Recipe {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The recipe with `step` added; a later change of the same column replaces the earlier.
    pub fn with(&self, step: Step) -> Self {
        let target = |s: &Step| match s {
            Step::Type { column, .. } => (0, column.clone()),
            Step::Compute { name, .. } => (1, name.clone()),
        };
        let key = target(&step);
        let mut steps: Vec<Step> = self
            .steps
            .iter()
            .filter(|s| target(s) != key)
            .cloned()
            .collect();
        steps.push(step);
        Self { steps }
    }
}

/// Make one step on `frame` (named `file` in messages). A type change that leaves some rows
/// empty says how many, with examples, in the returned note.
pub fn apply_step(
    file: &str,
    frame: &DataFrame,
    step: &Step,
) -> DataResult<(DataFrame, Option<String>)> {
    let mut out = frame.clone();
    match step {
        Step::Type { column, to, format } => {
            let col = super::schema::column(file, frame, column)?;
            let c = convert(file, col, *to, format.as_deref())?;
            let note = (c.failed > 0).then(|| {
                format!(
                    "{file}: column '{column}' as {}: {} of {} rows did not convert and are empty now (e.g. {})",
                    to.name(),
                    c.failed,
                    frame.height(),
                    c.examples
                        .iter()
                        .map(|e| format!("'{e}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            });
            out.replace(column, c.column)
                .map_err(|e| DataError::Other(format!("{file}: column '{column}': {e}")))?;
            Ok((out, note))
        }
        Step::Compute { name, expr } => {
            if name.trim().is_empty() {
                return Err(DataError::Other(format!(
                    "{file}: a computed column needs a name"
                )));
            }
            let s = crate::compute::expr::compute(frame, expr, name.trim()).map_err(|e| {
                DataError::Other(format!("{file}: computed column '{}': {e}", name.trim()))
            })?;
            out.with_column(s.into_column())
                .map_err(|e| DataError::Other(format!("{file}: column '{name}': {e}")))?;
            Ok((out, None))
        }
    }
}

/// Make every step of `recipe` on `frame`. A step that no longer fits the file (a column gone)
/// is skipped with a note: the file still opens.
pub fn apply(file: &str, frame: DataFrame, recipe: &Recipe) -> (DataFrame, Vec<String>) {
    let mut frame = frame;
    let mut notes = Vec::new();
    for step in &recipe.steps {
        match apply_step(file, &frame, step) {
            Ok((f, note)) => {
                frame = f;
                notes.extend(note);
            }
            Err(e) => notes.push(format!("{e} (the change {} was not made)", step.describe())),
        }
    }
    (frame, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_made_again_in_order_and_a_stale_one_is_skipped_with_a_note() {
        let frame = DataFrame::new_infer_height(vec![
            Column::new("when".into(), ["2021-01-05", "soon", "2021-02-01"]),
            Column::new("a".into(), [1.0, 2.0, 3.0]),
            Column::new("b".into(), [10.0, 20.0, 30.0]),
        ])
        .unwrap();
        let recipe = Recipe::default()
            .with(Step::Type {
                column: "when".into(),
                to: ColumnType::Date,
                format: None,
            })
            .with(Step::Compute {
                name: "sum".into(),
                expr: "a + b".into(),
            })
            .with(Step::Compute {
                name: "sum".into(),
                expr: "a + b * 2".into(),
            })
            .with(Step::Compute {
                name: "gone".into(),
                expr: "c * 2".into(),
            });
        assert_eq!(recipe.steps.len(), 3, "the second 'sum' replaced the first");
        let (out, notes) = apply("t.csv", frame, &recipe);
        assert_eq!(out.column("when").unwrap().dtype(), &DataType::Date);
        let sum: Vec<f64> = out
            .column("sum")
            .unwrap()
            .f64()
            .unwrap()
            .into_no_null_iter()
            .collect();
        assert_eq!(sum, [21.0, 42.0, 63.0]);
        assert_eq!(
            notes,
            [
                "t.csv: column 'when' as date: 1 of 3 rows did not convert and are empty now (e.g. 'soon')",
                "t.csv: computed column 'gone': at character 1: no column 'c' (the change 'gone' = c * 2 was not made)",
            ]
        );
        // Saved with the settings as JSON, and read back.
        let json = serde_json::to_string(&recipe).unwrap();
        assert_eq!(serde_json::from_str::<Recipe>(&json).unwrap(), recipe);
    }
}
