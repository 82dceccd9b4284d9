//! Trained sentiment classifiers on TF-IDF features: multinomial logistic regression (linfa-logistic's
//! objective and solver on sparse rows, `logistic.rs`), a linear SVM (one class against the rest) and
//! multinomial naive Bayes written here (see `LinearSvm` and `NaiveBayes` for why); VADER is scored
//! beside them with the same split and metrics. The regularisation of each model is chosen by k-fold
//! cross-validation on the training part.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rayon::prelude::*;

use super::features::{FeatureParams, Sparse, Tfidf, dot};
use super::logistic::{Logistic, Solver};
use super::{Class, vader};
use crate::compute::{Cancelled, Progress, check};

/// The models the comparison table lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Model {
    Vader,
    Logistic,
    Svm,
    NaiveBayes,
}

impl Model {
    pub const ALL: [Model; 4] = [Model::Vader, Model::Logistic, Model::Svm, Model::NaiveBayes];

    pub fn name(self) -> &'static str {
        match self {
            Model::Vader => "VADER (lexicon)",
            Model::Logistic => "Logistic regression",
            Model::Svm => "Linear SVM",
            Model::NaiveBayes => "Naive Bayes",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Model::Vader => "vader",
            Model::Logistic => "lr",
            Model::Svm => "svm",
            Model::NaiveBayes => "nb",
        }
    }

    pub fn parse(text: &str) -> Option<Model> {
        Model::ALL
            .into_iter()
            .find(|m| m.key() == text.trim().to_ascii_lowercase())
    }

    /// What the regularisation number means for this model, and the values cross-validation
    /// tries.
    pub fn grid(self) -> (&'static str, &'static [f64]) {
        match self {
            Model::Vader => ("none", &[]),
            Model::Logistic => ("L2 penalty alpha", &[0.01, 0.1, 1.0]),
            Model::Svm => ("C", &[0.1, 1.0, 10.0]),
            Model::NaiveBayes => ("smoothing alpha", &[0.01, 0.1, 1.0]),
        }
    }
}

/// Accuracy, macro-averaged F1 and the confusion matrix (rows: truth, columns: predicted, in
/// the order negative, neutral, positive).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Metrics {
    pub n: usize,
    pub accuracy: f64,
    pub macro_f1: f64,
    pub confusion: [[usize; 3]; 3],
}

pub fn metrics(truth: &[Class], predicted: &[Class]) -> Metrics {
    let mut confusion = [[0usize; 3]; 3];
    for (t, p) in truth.iter().zip(predicted) {
        confusion[t.index()][p.index()] += 1;
    }
    let n = truth.len().min(predicted.len());
    let correct: usize = (0..3).map(|k| confusion[k][k]).sum();
    let mut f1_sum = 0.0;
    for (k, row) in confusion.iter().enumerate() {
        let tp = row[k] as f64;
        let predicted_k: usize = confusion.iter().map(|truth| truth[k]).sum();
        let actual_k: usize = row.iter().sum();
        let denominator = predicted_k as f64 + actual_k as f64;
        // scikit-learn's convention: F1 of a class never predicted nor present is 0.
        f1_sum += if denominator > 0.0 {
            2.0 * tp / denominator
        } else {
            0.0
        };
    }
    Metrics {
        n,
        accuracy: if n > 0 {
            correct as f64 / n as f64
        } else {
            0.0
        },
        macro_f1: f1_sum / 3.0,
        confusion,
    }
}

/// A seeded split: the shuffled row numbers of the test part (`fraction` of the rows) and of
/// the training part, each in ascending order.
pub fn split(n: usize, fraction: f64, seed: u64) -> (Vec<usize>, Vec<usize>) {
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    order.shuffle(&mut rng);
    let n_test = ((n as f64) * fraction).round() as usize;
    let mut test = order[..n_test].to_vec();
    let mut train = order[n_test..].to_vec();
    test.sort_unstable();
    train.sort_unstable();
    (train, test)
}

/// A model fitted on TF-IDF features.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Trained {
    pub model: Model,
    /// The chosen regularisation and the cross-validated accuracy of each value tried.
    pub chosen: f64,
    pub cv: Vec<(f64, f64)>,
    tfidf: Option<Tfidf>,
    fitted: Fitted,
}

#[derive(serde::Serialize, serde::Deserialize)]
enum Fitted {
    Vader,
    Logistic(Logistic),
    Svm(LinearSvm),
    NaiveBayes(NaiveBayes),
}

fn class_of(index: usize) -> Class {
    Class::ALL[index.min(2)]
}

/// The class with the highest score (ties: the first).
fn best_of(scores: [f64; 3]) -> Class {
    let best = (0..3)
        .max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a)))
        .unwrap_or(1);
    class_of(best)
}

/// Fits `model` with regularisation `value`; `previous` (the same model fitted on the same rows
/// with the grid's previous value) is where an iterative solver starts.
fn fit(
    model: Model,
    x: &Sparse,
    y: &[Class],
    value: f64,
    previous: Option<&Fitted>,
) -> Result<Fitted, String> {
    let fitted = match model {
        Model::Vader => Fitted::Vader,
        Model::Logistic => {
            let start = match previous {
                Some(Fitted::Logistic(model)) => Some(model),
                _ => None,
            };
            Fitted::Logistic(Logistic::fit(x, y, value, Solver::default(), start)?)
        }
        Model::NaiveBayes => Fitted::NaiveBayes(NaiveBayes::fit(x, y, value)),
        Model::Svm => Fitted::Svm(LinearSvm::fit(x, y, value)),
    };
    Ok(fitted)
}

fn predict(fitted: &Fitted, x: &Sparse, texts: &[&str]) -> Vec<Class> {
    match fitted {
        Fitted::Vader => texts
            .iter()
            .map(|t| Class::of_compound(vader().polarity(t).compound))
            .collect(),
        Fitted::Logistic(model) => model.scores(x).into_iter().map(best_of).collect(),
        Fitted::NaiveBayes(model) => model.predict(x),
        Fitted::Svm(model) => model.predict(x),
    }
}

/// Multinomial naive Bayes as scikit-learn's `MultinomialNB` fits it: per class, the smoothed
/// share of each feature's total weight, and the class frequency as prior. Written here because
/// linfa-bayes 0.8.1's `MultinomialNb::fit` leaves a `dbg!` that prints every class's whole
/// feature table to stderr (megabytes per fit), and takes dense rows only.
#[derive(serde::Serialize, serde::Deserialize)]
struct NaiveBayes {
    /// Per class, ln P(feature | class).
    log_probability: [Vec<f64>; 3],
    log_prior: [f64; 3],
}

impl NaiveBayes {
    fn fit(x: &Sparse, y: &[Class], alpha: f64) -> NaiveBayes {
        let mut counts: [Vec<f64>; 3] = std::array::from_fn(|_| vec![alpha; x.width]);
        let mut sizes = [0usize; 3];
        for (row, class) in x.rows.iter().zip(y) {
            let target = &mut counts[class.index()];
            for &(j, v) in row {
                target[j as usize] += v;
            }
            sizes[class.index()] += 1;
        }
        for row in &mut counts {
            let total: f64 = row.iter().sum();
            for v in row.iter_mut() {
                *v = (*v / total).ln();
            }
        }
        let n = y.len().max(1) as f64;
        NaiveBayes {
            log_probability: counts,
            log_prior: sizes.map(|s| {
                if s > 0 {
                    (s as f64 / n).ln()
                } else {
                    f64::NEG_INFINITY
                }
            }),
        }
    }

    fn predict(&self, x: &Sparse) -> Vec<Class> {
        x.rows
            .iter()
            .map(|row| {
                best_of(std::array::from_fn(|k| {
                    self.log_prior[k] + dot(row, &self.log_probability[k])
                }))
            })
            .collect()
    }
}

/// A linear SVM, one class against the rest, fitted as scikit-learn's `LinearSVC` fits it
/// (LIBLINEAR's dual coordinate descent for the L2-regularised squared hinge loss, Hsieh et
/// al. 2008, with the intercept as a constant feature), on sparse rows. Written here because
/// linfa-svm's SMO solver builds the full kernel matrix: 35 s for one of the three binary fits
/// on these 3,360 × 4,000 features, against well under a second here (BENCHMARKS.md).
#[derive(serde::Serialize, serde::Deserialize)]
struct LinearSvm {
    /// Per class: the weights, then the intercept.
    weights: [Vec<f64>; 3],
}

impl LinearSvm {
    fn fit(x: &Sparse, y: &[Class], c: f64) -> LinearSvm {
        let n = x.rows.len();
        let d = x.width;
        let diagonal = 1.0 / (2.0 * c);
        let norms: Vec<f64> = x
            .rows
            .iter()
            .map(|r| r.iter().map(|(_, v)| v * v).sum::<f64>() + 1.0 + diagonal)
            .collect();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let weights = Class::ALL.map(|class| {
            let sign: Vec<f64> = y
                .iter()
                .map(|k| if *k == class { 1.0 } else { -1.0 })
                .collect();
            let mut w = vec![0.0; d + 1];
            let mut alpha = vec![0.0; n];
            let mut order: Vec<usize> = (0..n).collect();
            for _ in 0..1000 {
                order.shuffle(&mut rng);
                let (mut most, mut least) = (f64::NEG_INFINITY, f64::INFINITY);
                for &i in &order {
                    let row = &x.rows[i];
                    let gradient = sign[i] * (dot(row, &w) + w[d]) - 1.0 + diagonal * alpha[i];
                    let projected = if alpha[i] == 0.0 {
                        gradient.min(0.0)
                    } else {
                        gradient
                    };
                    most = most.max(projected);
                    least = least.min(projected);
                    if projected != 0.0 {
                        let old = alpha[i];
                        alpha[i] = (old - gradient / norms[i]).max(0.0);
                        let step = (alpha[i] - old) * sign[i];
                        for &(j, v) in row {
                            w[j as usize] += step * v;
                        }
                        w[d] += step;
                    }
                }
                if most - least < 1e-3 {
                    break;
                }
            }
            w
        });
        LinearSvm { weights }
    }

    fn predict(&self, x: &Sparse) -> Vec<Class> {
        x.rows
            .iter()
            .map(|row| {
                best_of(std::array::from_fn(|k| {
                    let w = &self.weights[k];
                    dot(row, w) + w[w.len() - 1]
                }))
            })
            .collect()
    }
}

fn rows<T: Clone>(items: &[T], at: &[usize]) -> Vec<T> {
    at.iter().map(|&i| items[i].clone()).collect()
}

/// Fits `model` on the texts and classes, choosing its regularisation by `folds`-fold
/// cross-validation (accuracy) over the model's grid. Each fold's features are made once and
/// the folds run in parallel.
pub fn train(
    model: Model,
    texts: &[&str],
    classes: &[Class],
    features: FeatureParams,
    folds: usize,
    progress: &dyn Progress,
) -> Result<Result<Trained, String>, Cancelled> {
    if model == Model::Vader {
        return Ok(Ok(Trained {
            model,
            chosen: 0.0,
            cv: Vec::new(),
            tfidf: None,
            fitted: Fitted::Vader,
        }));
    }
    let (param, grid) = model.grid();
    let folds = folds.clamp(2, 10);
    let n = texts.len();
    let fold_of: Vec<usize> = {
        let mut order: Vec<usize> = (0..n).collect();
        order.shuffle(&mut rand_chacha::ChaCha8Rng::seed_from_u64(7));
        let mut fold = vec![0; n];
        for (position, &row) in order.iter().enumerate() {
            fold[row] = position % folds;
        }
        fold
    };
    let done = std::sync::atomic::AtomicUsize::new(0);
    let steps = (grid.len() * folds + 1) as f32;
    progress.report(0.0, &format!("{}: cross-validating", model.name()));
    // Per fold, the correct predictions for each grid value.
    let per_fold: Vec<Result<Vec<usize>, String>> = (0..folds)
        .into_par_iter()
        .map(|fold| {
            let train: Vec<usize> = (0..n).filter(|&i| fold_of[i] != fold).collect();
            let held: Vec<usize> = (0..n).filter(|&i| fold_of[i] == fold).collect();
            let train_texts = rows(texts, &train);
            let held_texts = rows(texts, &held);
            let tfidf = Tfidf::fit(&train_texts, features);
            let (x_train, x_held) = (tfidf.transform(&train_texts), tfidf.transform(&held_texts));
            let (y_train, y_held) = (rows(classes, &train), rows(classes, &held));
            let mut correct = vec![0; grid.len()];
            // From the strongest penalty down (the grids are in ascending order), each fit
            // starting from the previous one's weights: the path warm start that makes the
            // weakly penalised fits converge in fewer steps.
            let mut previous = None;
            for (at, &value) in grid.iter().enumerate().rev() {
                if progress.cancelled() {
                    return Err("cancelled".into());
                }
                // Say which fit runs, so a slow one shows what it is doing.
                let finished = done.load(std::sync::atomic::Ordering::Relaxed);
                progress.report(
                    finished as f32 / steps,
                    &format!(
                        "{}: {finished}/{} fits, fold {} at {param} {value}",
                        model.name(),
                        grid.len() * folds,
                        fold + 1
                    ),
                );
                let fitted = fit(model, &x_train, &y_train, value, previous.as_ref())?;
                let predicted = predict(&fitted, &x_held, &held_texts);
                correct[at] = predicted
                    .iter()
                    .zip(&y_held)
                    .filter(|(p, t)| p == t)
                    .count();
                previous = Some(fitted);
                let k = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                progress.report(
                    k as f32 / steps,
                    &format!("{}: cross-validating", model.name()),
                );
            }
            Ok(correct)
        })
        .collect();
    check(progress)?;
    let mut totals = vec![0usize; grid.len()];
    for fold in per_fold {
        match fold {
            Ok(correct) => totals.iter_mut().zip(correct).for_each(|(t, c)| *t += c),
            Err(e) => return Ok(Err(e)),
        }
    }
    let cv: Vec<(f64, f64)> = grid
        .iter()
        .zip(&totals)
        .map(|(&v, &c)| (v, c as f64 / n.max(1) as f64))
        .collect();
    let chosen = cv
        .iter()
        .copied()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(grid.first().copied().unwrap_or(1.0), |(v, _)| v);
    progress.report(
        (steps - 1.0) / steps,
        &format!("{}: fitting with {chosen}", model.name()),
    );
    let tfidf = Tfidf::fit(texts, features);
    let fitted = match fit(model, &tfidf.transform(texts), classes, chosen, None) {
        Ok(fitted) => fitted,
        Err(e) => return Ok(Err(e)),
    };
    Ok(Ok(Trained {
        model,
        chosen,
        cv,
        tfidf: Some(tfidf),
        fitted,
    }))
}

impl std::fmt::Debug for Trained {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trained")
            .field("model", &self.model)
            .field("chosen", &self.chosen)
            .finish_non_exhaustive()
    }
}

/// What a saved model file starts with, and the version of its layout.
const MODEL_FORMAT: &str = "playbook-sentiment-model";
const MODEL_VERSION: u32 = 1;
/// A model file is refused above this size before it is read (the bundled tweets' models
/// are a few MB).
pub const MAX_MODEL_BYTES: u64 = 512 << 20;

#[derive(serde::Serialize, serde::Deserialize)]
struct ModelFile<T> {
    format: String,
    version: u32,
    trained: T,
}

impl Trained {
    fn features(&self, texts: &[&str]) -> Sparse {
        match &self.tfidf {
            Some(tfidf) => tfidf.transform(texts),
            None => Sparse {
                rows: vec![Vec::new(); texts.len()],
                width: 0,
            },
        }
    }

    pub fn predict(&self, texts: &[&str]) -> Vec<Class> {
        predict(&self.fitted, &self.features(texts), texts)
    }

    /// Each text's class and a score from −1 (negative) to 1 (positive), what VADER's compound
    /// is to its class: for logistic regression P(positive) − P(negative); for VADER the
    /// compound; for the SVM and naive Bayes, whose scores are not probabilities, the class
    /// itself (−1, 0 or 1).
    pub fn sentiment(&self, texts: &[&str]) -> Vec<(Class, f64)> {
        let value = |c: Class| match c {
            Class::Negative => -1.0,
            Class::Neutral => 0.0,
            Class::Positive => 1.0,
        };
        match &self.fitted {
            Fitted::Vader => texts
                .par_iter()
                .map(|t| {
                    let compound = vader().polarity(t).compound;
                    (Class::of_compound(compound), compound)
                })
                .collect(),
            Fitted::Logistic(model) => model
                .scores(&self.features(texts))
                .into_iter()
                .map(|s| {
                    let top = s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    let e = s.map(|v| (v - top).exp());
                    let sum: f64 = e.iter().sum();
                    let p = |c: Class| e[c.index()] / sum;
                    (best_of(s), p(Class::Positive) - p(Class::Negative))
                })
                .collect(),
            _ => self
                .predict(texts)
                .into_iter()
                .map(|c| (c, value(c)))
                .collect(),
        }
    }

    /// Write the model to `path` (JSON, atomically).
    pub fn save(&self, path: &std::path::Path) -> anyhow::Result<()> {
        let file = ModelFile {
            format: MODEL_FORMAT.to_owned(),
            version: MODEL_VERSION,
            trained: self,
        };
        crate::export::write_atomic(path, |w| {
            serde_json::to_writer(&mut *w, &file).map_err(std::io::Error::other)
        })
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    /// Read a model `save` wrote. A file that is not one, is too large, or whose parts do not
    /// fit together is refused with the file named, before anything is sized from it.
    pub fn load(path: &std::path::Path) -> anyhow::Result<Trained> {
        let shown = path.display();
        let size = crate::data::regular_file(path)?.len();
        if size > MAX_MODEL_BYTES {
            anyhow::bail!(
                "{shown}: {size} bytes, more than the {} MB a sentiment model may hold",
                MAX_MODEL_BYTES >> 20
            );
        }
        let bytes = crate::data::read_regular(path)?;
        let file: ModelFile<Trained> = serde_json::from_slice(&bytes)
            .map_err(|e| anyhow::anyhow!("{shown}: not a Playbook sentiment model ({e})"))?;
        if file.format != MODEL_FORMAT {
            anyhow::bail!("{shown}: not a Playbook sentiment model");
        }
        if file.version != MODEL_VERSION {
            anyhow::bail!(
                "{shown}: a sentiment model of layout {}, this Playbook reads {MODEL_VERSION}",
                file.version
            );
        }
        let t = file.trained;
        if let Some(why) = t.problem() {
            anyhow::bail!("{shown}: {why}");
        }
        Ok(t)
    }

    /// Why the parts of a model read from a file do not fit together.
    fn problem(&self) -> Option<String> {
        let width = self.tfidf.as_ref().map_or(0, Tfidf::n_features);
        if let Some(why) = self.tfidf.as_ref().and_then(Tfidf::problem) {
            return Some(why);
        }
        let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
        let ok = match (&self.fitted, &self.tfidf) {
            (Fitted::Vader, _) => self.model == Model::Vader,
            (_, None) => false,
            (Fitted::Logistic(m), _) => {
                self.model == Model::Logistic
                    && m.weights()
                        .iter()
                        .all(|w| w.len() == width + 1 && finite(w))
            }
            (Fitted::Svm(m), _) => {
                self.model == Model::Svm
                    && m.weights.iter().all(|w| w.len() == width + 1 && finite(w))
            }
            (Fitted::NaiveBayes(m), _) => {
                self.model == Model::NaiveBayes
                    && m.log_probability
                        .iter()
                        .all(|w| w.len() == width && w.iter().all(|x| !x.is_nan()))
                    && m.log_prior.iter().all(|x| !x.is_nan())
            }
        };
        (!ok).then(|| {
            format!(
                "its {} weights do not match its {width} features",
                self.model.name()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_match_hand_counts() {
        use Class::*;
        let truth = [Positive, Positive, Negative, Neutral, Negative];
        let predicted = [Positive, Negative, Negative, Neutral, Positive];
        let m = metrics(&truth, &predicted);
        assert_eq!(m.accuracy, 0.6);
        // F1: negative 2*1/(2+2)=0.5, neutral 1, positive 2*1/(2+2)=0.5.
        assert!((m.macro_f1 - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(m.confusion[0], [1, 0, 1]);
    }

    #[test]
    fn a_saved_model_reads_back_whole_and_a_crafted_one_is_refused() {
        let texts = [
            "great happy day love it",
            "awful sad terrible day",
            "the bus comes at noon",
            "love this great phone",
            "terrible awful service sad",
            "the meeting is at noon",
        ];
        let classes = [
            Class::Positive,
            Class::Negative,
            Class::Neutral,
            Class::Positive,
            Class::Negative,
            Class::Neutral,
        ];
        let features = FeatureParams {
            min_df: 1,
            ..FeatureParams::default()
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        for model in [Model::Logistic, Model::Svm, Model::NaiveBayes, Model::Vader] {
            let t = train(
                model,
                &texts,
                &classes,
                features,
                2,
                &crate::compute::NoProgress,
            )
            .unwrap()
            .unwrap();
            t.save(&path).unwrap();
            let back = Trained::load(&path).unwrap();
            assert_eq!(back.model, model);
            assert_eq!(back.predict(&texts), t.predict(&texts), "{model:?}");
            // Equal to the last bits of the TF-IDF norm (summed in hash order).
            for (a, b) in back.sentiment(&texts).iter().zip(t.sentiment(&texts)) {
                assert!(
                    a.0 == b.0 && (a.1 - b.1).abs() < 1e-12,
                    "{model:?}: {a:?} {b:?}"
                );
            }
        }
        // A term pointing past its block: refused before it can index anything.
        let t = train(
            Model::NaiveBayes,
            &texts,
            &classes,
            features,
            2,
            &crate::compute::NoProgress,
        )
        .unwrap()
        .unwrap();
        t.save(&path).unwrap();
        let mut v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let index = v["trained"]["tfidf"]["words"]["index"]
            .as_object_mut()
            .unwrap();
        let term = index.keys().next().unwrap().clone();
        index.insert(term, serde_json::json!(1_000_000));
        std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
        let e = Trained::load(&path).unwrap_err().to_string();
        assert!(e.contains("points at column 1000000"), "{e}");
        v["version"] = serde_json::json!(99);
        std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
        let e = Trained::load(&path).unwrap_err().to_string();
        assert!(e.contains("layout 99"), "{e}");
    }

    #[test]
    fn split_is_seeded_and_disjoint() {
        let (train, test) = split(100, 0.2, 3);
        assert_eq!((train.len(), test.len()), (80, 20));
        assert!(test.iter().all(|t| !train.contains(t)));
        assert_eq!(split(100, 0.2, 3).1, test);
        assert_ne!(split(100, 0.2, 4).1, test);
    }
}
