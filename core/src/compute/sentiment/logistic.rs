//! Multinomial logistic regression on sparse rows: the softmax loss with an L2 penalty on the
//! weights (not the intercepts), minimised by argmin's L-BFGS with a Moré–Thuente line search.
//! The objective and the solver are linfa-logistic's (`-Σ log softmax + α/2 ‖W‖²`, L-BFGS with
//! 10 corrections, the same gradient tolerance), so the fit is the same model; what differs is
//! that the loss and its gradient are computed over each row's non-zero features instead of a
//! dense matrix, which is what made the fit slow (BENCHMARKS.md, "The classifier table").

use std::sync::Mutex;

use argmin::core::{CostFunction, Error, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use ndarray::Array1;

use super::Class;
use super::features::{Sparse, dot};

const CLASSES: usize = 3;

/// A fitted model: per class, the weights of each feature, then the intercept.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Logistic {
    weights: [Vec<f64>; CLASSES],
}

/// How long the solver may run and when it stops.
#[derive(Debug, Clone, Copy)]
pub struct Solver {
    pub max_iterations: u64,
    /// Stop when the gradient's norm falls below this (linfa-logistic's default: 1e-4).
    pub gradient_tolerance: f64,
}

impl Default for Solver {
    fn default() -> Solver {
        Solver {
            max_iterations: 150,
            gradient_tolerance: 1e-4,
        }
    }
}

/// The parameters laid out as one vector: feature `j`'s weight for class `k` at `j * 3 + k`,
/// then the three intercepts.
/// A point with its loss and gradient.
type Evaluated = (Array1<f64>, f64, Array1<f64>);

struct Problem<'a> {
    x: &'a Sparse,
    y: Vec<usize>,
    alpha: f64,
    /// The last point evaluated, with its loss and gradient: the line search asks for the cost
    /// and then the gradient of the same point, and both come out of one pass over the rows.
    last: Mutex<Option<Evaluated>>,
}

impl Problem<'_> {
    fn evaluate(&self, w: &Array1<f64>) -> (f64, Array1<f64>) {
        if let Ok(last) = self.last.lock()
            && let Some((at, loss, gradient)) = last.as_ref()
            && at == w
        {
            return (*loss, gradient.clone());
        }
        let d = self.x.width;
        let params = w.as_slice().unwrap_or(&[]);
        let (weights, intercept) = params.split_at(d * CLASSES);
        let mut gradient = Array1::<f64>::zeros(w.len());
        let g = gradient.as_slice_mut().unwrap_or(&mut []);
        let mut loss = 0.0;
        for (row, &truth) in self.x.rows.iter().zip(&self.y) {
            let mut z = [intercept[0], intercept[1], intercept[2]];
            for &(j, v) in row {
                let at = j as usize * CLASSES;
                for (k, zk) in z.iter_mut().enumerate() {
                    *zk += v * weights[at + k];
                }
            }
            let top = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let total: f64 = z.iter().map(|zk| (zk - top).exp()).sum();
            let log_total = top + total.ln();
            loss += log_total - z[truth];
            let mut diff = [0.0; CLASSES];
            for k in 0..CLASSES {
                diff[k] = (z[k] - log_total).exp() - if k == truth { 1.0 } else { 0.0 };
                g[d * CLASSES + k] += diff[k];
            }
            for &(j, v) in row {
                let at = j as usize * CLASSES;
                for (k, dk) in diff.iter().enumerate() {
                    g[at + k] += v * dk;
                }
            }
        }
        let mut penalty = 0.0;
        for (gj, wj) in g[..d * CLASSES].iter_mut().zip(weights) {
            penalty += wj * wj;
            *gj += self.alpha * wj;
        }
        loss += 0.5 * self.alpha * penalty;
        if let Ok(mut last) = self.last.lock() {
            *last = Some((w.clone(), loss, gradient.clone()));
        }
        (loss, gradient)
    }
}

impl CostFunction for Problem<'_> {
    type Param = Array1<f64>;
    type Output = f64;

    fn cost(&self, w: &Array1<f64>) -> Result<f64, Error> {
        Ok(self.evaluate(w).0)
    }
}

impl Gradient for Problem<'_> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;

    fn gradient(&self, w: &Array1<f64>) -> Result<Array1<f64>, Error> {
        Ok(self.evaluate(w).1)
    }
}

impl Logistic {
    /// Fits the model; `start` (a model fitted on the same features, say with another
    /// penalty) is where the solver begins, zeros when there is none.
    pub fn fit(
        x: &Sparse,
        y: &[Class],
        alpha: f64,
        solver: Solver,
        start: Option<&Logistic>,
    ) -> Result<Logistic, String> {
        if !alpha.is_finite() || alpha < 0.0 {
            return Err(format!(
                "logistic regression: the penalty must be a number ≥ 0, not {alpha}"
            ));
        }
        if x.rows.iter().flatten().any(|(_, v)| !v.is_finite()) {
            return Err("logistic regression: a feature value is not a finite number".into());
        }
        let d = x.width;
        let initial = match start {
            Some(model) if model.weights[0].len() == d + 1 => {
                let mut w = Array1::zeros(d * CLASSES + CLASSES);
                for (k, class) in model.weights.iter().enumerate() {
                    for (j, v) in class[..d].iter().enumerate() {
                        w[j * CLASSES + k] = *v;
                    }
                    w[d * CLASSES + k] = class[d];
                }
                w
            }
            _ => Array1::zeros(d * CLASSES + CLASSES),
        };
        let problem = Problem {
            x,
            y: y.iter().map(|c| c.index()).collect(),
            alpha,
            last: Mutex::new(None),
        };
        let lbfgs = LBFGS::new(MoreThuenteLineSearch::new(), 10)
            .with_tolerance_grad(solver.gradient_tolerance)
            .map_err(|e| format!("logistic regression: {e}"))?;
        let result = Executor::new(problem, lbfgs)
            .configure(|state| state.param(initial).max_iters(solver.max_iterations))
            .run()
            .map_err(|e| format!("logistic regression: {e}"))?;
        let best = result
            .state()
            .get_best_param()
            .ok_or("logistic regression: the solver returned no parameters")?;
        let weights = std::array::from_fn(|k| {
            let mut class: Vec<f64> = (0..d).map(|j| best[j * CLASSES + k]).collect();
            class.push(best[d * CLASSES + k]);
            class
        });
        Ok(Logistic { weights })
    }

    /// Per row, the three classes' scores (the softmax's inputs).
    /// The weights per class (each: one per feature, then the intercept).
    pub(crate) fn weights(&self) -> &[Vec<f64>; CLASSES] {
        &self.weights
    }

    pub fn scores(&self, x: &Sparse) -> Vec<[f64; CLASSES]> {
        x.rows
            .iter()
            .map(|row| {
                std::array::from_fn(|k| {
                    let w = &self.weights[k];
                    dot(row, w) + w[w.len() - 1]
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linfa::prelude::*;

    /// A small seeded problem: 3 classes, 12 features, each row a few non-zeros.
    fn problem(n: usize) -> (Sparse, Vec<Class>) {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut rows = Vec::new();
        let mut classes = Vec::new();
        for i in 0..n {
            let class = i % 3;
            let mut row: Vec<(u32, f64)> = Vec::new();
            for j in 0..12u32 {
                // Features 0..4 lean to class 0, 4..8 to class 1, 8..12 to class 2.
                let lean = if j as usize / 4 == class { 0.5 } else { 0.0 };
                if next() < 0.3 + lean {
                    row.push((j, next() + lean));
                }
            }
            rows.push(row);
            classes.push(Class::ALL[class]);
        }
        (Sparse { rows, width: 12 }, classes)
    }

    /// The same objective fitted by linfa-logistic on the dense matrix gives the same model.
    #[test]
    fn matches_linfa_logistic_on_dense_rows() {
        let (x, y) = problem(300);
        let tight = Solver {
            max_iterations: 1000,
            gradient_tolerance: 1e-9,
        };
        let ours = Logistic::fit(&x, &y, 0.5, tight, None).unwrap();
        let targets: Array1<usize> = y.iter().map(|c| c.index()).collect();
        let reference = linfa_logistic::MultiLogisticRegression::default()
            .alpha(0.5)
            .max_iterations(1000)
            .gradient_tolerance(1e-9)
            .fit(&Dataset::new(x.dense(), targets))
            .unwrap();
        let dense = x.dense();
        let probabilities = reference.predict_probabilities(&dense);
        for (i, scores) in ours.scores(&x).iter().enumerate() {
            let top = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let total: f64 = scores.iter().map(|s| (s - top).exp()).sum();
            for k in 0..CLASSES {
                let p = (scores[k] - top).exp() / total;
                let theirs = probabilities[[i, k]];
                assert!(
                    (p - theirs).abs() < 1e-5,
                    "row {i} class {k}: {p} vs {theirs}"
                );
            }
        }
    }

    /// The gradient is the loss's derivative (central differences).
    #[test]
    fn gradient_matches_finite_differences() {
        let (x, y) = problem(40);
        let problem = Problem {
            x: &x,
            y: y.iter().map(|c| c.index()).collect(),
            alpha: 0.3,
            last: Mutex::new(None),
        };
        let w: Array1<f64> = (0..x.width * CLASSES + CLASSES)
            .map(|i| ((i * 7 % 11) as f64 - 5.0) / 10.0)
            .collect();
        let (_, gradient) = problem.evaluate(&w);
        for i in [0, 5, 17, 35, 36, 38] {
            let h = 1e-6;
            let (mut up, mut down) = (w.clone(), w.clone());
            up[i] += h;
            down[i] -= h;
            let numeric = (problem.evaluate(&up).0 - problem.evaluate(&down).0) / (2.0 * h);
            assert!(
                (numeric - gradient[i]).abs() < 1e-5,
                "parameter {i}: {numeric} vs {}",
                gradient[i]
            );
        }
    }

    #[test]
    fn a_bad_penalty_is_an_error() {
        let (x, y) = problem(10);
        let err = Logistic::fit(&x, &y, f64::NAN, Solver::default(), None).unwrap_err();
        assert!(err.contains("penalty"), "{err}");
    }
}
