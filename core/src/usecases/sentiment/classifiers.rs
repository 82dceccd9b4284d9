//! The classifier comparison, as the book's table: VADER and the trained classifiers scored on
//! the same seeded test split of a labelled corpus (accuracy, macro-F1, confusion matrix), each
//! trained model's regularisation chosen by cross-validation on the training part.

use anyhow::{Result, bail};
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use crate::compute::sentiment::Class;
use crate::compute::sentiment::classify::{Metrics, Model, metrics, split, train};
use crate::compute::sentiment::features::FeatureParams;
use crate::compute::{Cancelled, Progress};
use crate::data::Dataset;
use crate::data::schema::column;
use crate::usecases::record::{Recordable, metrics as metric_map};
use crate::usecases::{Bound, ParamError, non_empty};

pub const ID: &str = "sentiment-classifiers";

pub(crate) const TEST_SHARE: Bound<f64> = Bound::new("test share", 0.05, 0.5);
pub const FOLDS: Bound<usize> = Bound::new("cross-validation folds", 2, 10);

/// What a user chooses for a comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClassifierParams {
    pub text_col: String,
    /// A rating (numbers: > 0.5 positive, < −0.5 negative, else neutral) or class names
    /// (negative/neutral/positive, neg/neu/pos, −1/0/1).
    pub label_col: String,
    pub models: Vec<Model>,
    pub seed: u64,
    pub test_share: f64,
    pub folds: usize,
    pub features: FeatureParams,
}

impl Default for ClassifierParams {
    fn default() -> Self {
        ClassifierParams {
            text_col: "text".into(),
            label_col: "rating".into(),
            models: Model::ALL.to_vec(),
            seed: 42,
            test_share: 0.2,
            folds: 3,
            features: FeatureParams::default(),
        }
    }
}

/// Classifier params that passed `check`: only these can be run.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidClassifierParams(ClassifierParams);

impl ValidClassifierParams {
    pub fn params(&self) -> &ClassifierParams {
        &self.0
    }
}

pub fn check(p: &ClassifierParams) -> Result<ValidClassifierParams, ParamError> {
    non_empty("text column", &p.text_col)?;
    non_empty("label column", &p.label_col)?;
    TEST_SHARE.check(p.test_share)?;
    FOLDS.check(p.folds)?;
    if p.models.is_empty() {
        return Err(ParamError::Invalid {
            name: "models",
            why: "choose at least one".into(),
        });
    }
    Ok(ValidClassifierParams(p.clone()))
}

/// The corpus: texts with their classes.
pub struct Labelled {
    pub texts: Vec<String>,
    pub classes: Vec<Class>,
    /// Rows without a text or a label.
    pub skipped: usize,
}

/// The class a rating stands for (the rule for the 4,200 rated tweets).
pub(crate) fn class_of_rating(rating: f64) -> Class {
    if rating > 0.5 {
        Class::Positive
    } else if rating < -0.5 {
        Class::Negative
    } else {
        Class::Neutral
    }
}

pub fn read_labelled(
    file: &str,
    df: &DataFrame,
    text_col: &str,
    label_col: &str,
) -> Result<Labelled> {
    let text = column(file, df, text_col)?.cast(&DataType::String)?;
    let label = column(file, df, label_col)?;
    let classes: Vec<Option<Class>> = if label.dtype().is_primitive_numeric() {
        let values = label.cast(&DataType::Float64)?;
        values
            .f64()?
            .iter()
            .map(|v| v.filter(|v| v.is_finite()).map(class_of_rating))
            .collect()
    } else {
        let values = label.cast(&DataType::String)?;
        let mut out = Vec::with_capacity(values.len());
        for v in values.str()?.iter() {
            match v {
                None => out.push(None),
                Some(v) => match Class::parse(v) {
                    Some(c) => out.push(Some(c)),
                    None => bail!(
                        "{file}: column '{label_col}': '{v}' is not a class (expected negative, \
                         neutral or positive, or a numeric rating)"
                    ),
                },
            }
        }
        out
    };
    let mut texts = Vec::new();
    let mut kept = Vec::new();
    let mut skipped = 0;
    for (t, c) in text.str()?.iter().zip(classes) {
        match (t, c) {
            (Some(t), Some(c)) if !t.trim().is_empty() => {
                texts.push(t.to_string());
                kept.push(c);
            }
            _ => skipped += 1,
        }
    }
    if texts.len() < 30 {
        bail!(
            "{file}: {} labelled texts are too few to train and test on (need at least 30)",
            texts.len()
        );
    }
    Ok(Labelled {
        texts,
        classes: kept,
        skipped,
    })
}

/// One model's row of the table.
#[derive(Clone, Debug, Serialize)]
pub struct ModelResult {
    pub model: Model,
    pub test: Metrics,
    /// The regularisation cross-validation chose (none for VADER) and each value's accuracy.
    pub chosen: f64,
    pub cv: Vec<(f64, f64)>,
    pub seconds: f64,
    /// The fitted model, to save (`sentiment train --model-out`) or apply to new text.
    #[serde(skip)]
    pub trained: Option<std::sync::Arc<crate::compute::sentiment::classify::Trained>>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub name: String,
    pub rows: Vec<ModelResult>,
    pub n_train: usize,
    pub n_test: usize,
    /// Row numbers (0-based, among the kept rows) of the test part, for peers to use the
    /// same split.
    pub test_rows: Vec<usize>,
    pub class_counts: [usize; 3],
    pub skipped: usize,
    pub seed: u64,
}

pub fn compare(
    valid: &ValidClassifierParams,
    ds: &Dataset,
    progress: &dyn Progress,
) -> Result<Comparison> {
    let p = valid.params();
    let labelled = read_labelled(&ds.name, &ds.frame, &p.text_col, &p.label_col)?;
    let (train_rows, test_rows) = split(labelled.texts.len(), p.test_share, p.seed);
    let pick_texts = |rows: &[usize]| -> Vec<&str> {
        rows.iter().map(|&i| labelled.texts[i].as_str()).collect()
    };
    let pick_classes =
        |rows: &[usize]| -> Vec<Class> { rows.iter().map(|&i| labelled.classes[i]).collect() };
    let (train_texts, train_classes) = (pick_texts(&train_rows), pick_classes(&train_rows));
    let (test_texts, test_classes) = (pick_texts(&test_rows), pick_classes(&test_rows));
    let mut class_counts = [0; 3];
    for c in &labelled.classes {
        class_counts[c.index()] += 1;
    }
    let mut rows = Vec::new();
    for (k, &model) in p.models.iter().enumerate() {
        let started = std::time::Instant::now();
        let share = |f: f32| (k as f32 + f) / p.models.len() as f32;
        let scoped = Scoped {
            inner: progress,
            map: &share,
        };
        let trained = match train(
            model,
            &train_texts,
            &train_classes,
            p.features,
            p.folds,
            &scoped,
        ) {
            Ok(Ok(t)) => t,
            Ok(Err(e)) => bail!("{}: {e}", model.name()),
            Err(Cancelled) => return Err(Cancelled.into()),
        };
        let predicted = trained.predict(&test_texts);
        rows.push(ModelResult {
            model,
            test: metrics(&test_classes, &predicted),
            chosen: trained.chosen,
            cv: trained.cv.clone(),
            seconds: started.elapsed().as_secs_f64(),
            trained: Some(std::sync::Arc::new(trained)),
        });
    }
    Ok(Comparison {
        name: ds.name.clone(),
        n_train: train_rows.len(),
        n_test: test_rows.len(),
        test_rows,
        class_counts,
        skipped: labelled.skipped,
        seed: p.seed,
        rows,
    })
}

/// Progress of one model mapped into its share of the whole comparison.
struct Scoped<'a> {
    inner: &'a dyn Progress,
    map: &'a (dyn Fn(f32) -> f32 + Sync),
}

impl Progress for Scoped<'_> {
    fn report(&self, fraction: f32, message: &str) {
        self.inner.report((self.map)(fraction), message);
    }
    fn cancelled(&self) -> bool {
        self.inner.cancelled()
    }
}

impl Recordable for Comparison {
    fn metrics(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut m = metric_map([("train", self.n_train as f64), ("test", self.n_test as f64)]);
        for r in &self.rows {
            m.extend(metric_map([
                (
                    format!("{}_accuracy", r.model.key()).as_str(),
                    r.test.accuracy,
                ),
                (
                    format!("{}_macro_f1", r.model.key()).as_str(),
                    r.test.macro_f1,
                ),
            ]));
        }
        m
    }

    fn charts(&self) -> Vec<crate::chart::Chart> {
        vec![super::charts::classifier_bars(self)]
    }
}
