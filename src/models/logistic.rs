//! Logistic regression (scikit-learn's `LogisticRegression`): binary (sigmoid) or multinomial (softmax)
//! with an L2 penalty minimised by L-BFGS, or an L1 / elastic-net penalty minimised by accelerated
//! proximal gradient. Both reach the same optimum scikit-learn does: C·Σ loss + penalty(w).

use serde::{Deserialize, Serialize};

use super::optim::lbfgs;
use super::params::{check_at_least, check_one_of, check_positive, check_range};
use crate::error::Result;
use crate::numeric::{dot, Matrix, MatrixView, RowMajor, RowMajorMut};

/// Parameters of `logistic_regression`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogisticParams {
    /// `l2` (default), `l1`, `elasticnet` or `none`.
    pub penalty: String,
    /// Inverse strength of the penalty (> 0); default 1.0.
    #[serde(rename = "C")]
    pub c: f64,
    /// Share of L1 in the `elasticnet` penalty, 0..=1; default 0.5.
    pub l1_ratio: f64,
    /// Fit an intercept (never penalised); default true.
    pub fit_intercept: bool,
    /// Most iterations; default 100 (L-BFGS) — the proximal solver for L1 takes ten times as many.
    pub max_iter: usize,
    /// Stop when the largest gradient component is below this; default 1e-4.
    pub tol: f64,
    /// `null` (default: every sample counts once) or `balanced` (classes weighted by n / (k · count)).
    pub class_weight: Option<String>,
}

impl Default for LogisticParams {
    fn default() -> Self {
        LogisticParams {
            penalty: "l2".into(),
            c: 1.0,
            l1_ratio: 0.5,
            fit_intercept: true,
            max_iter: 100,
            tol: 1e-4,
            class_weight: None,
        }
    }
}

/// A fitted logistic regression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedLogistic {
    /// Number of classes (2 means a single sigmoid row in `coef`).
    pub n_classes: usize,
    /// One row of coefficients per class (one row in total for two classes), each with `n_features` values.
    pub coef: Vec<Vec<f64>>,
    /// One intercept per row of `coef`.
    pub intercept: Vec<f64>,
    /// Iterations used.
    pub n_iter: usize,
    /// Whether the solver met its tolerance.
    pub converged: bool,
}

/// Per-sample weights for `class_weight` (None: all ones).
pub fn class_weights(mode: Option<&str>, y: &[usize], n_classes: usize) -> Vec<f64> {
    match mode {
        Some("balanced") => {
            let mut counts = vec![0usize; n_classes];
            for &c in y {
                if let Some(n) = counts.get_mut(c) {
                    *n += 1;
                }
            }
            let n = y.len() as f64;
            let weight: Vec<f64> = counts
                .iter()
                .map(|&c| if c == 0 { 0.0 } else { n / (n_classes as f64 * c as f64) })
                .collect();
            y.iter().map(|&c| weight.get(c).copied().unwrap_or(1.0)).collect()
        }
        _ => vec![1.0; y.len()],
    }
}

/// The penalised objective over a flat parameter vector: `rows` blocks of `p + 1` values (weights, then the
/// intercept). Returns the mean weighted loss plus the smooth part of the penalty, and writes the gradient.
struct Objective<'a> {
    x: MatrixView<'a>,
    y: &'a [usize],
    weights: &'a [f64],
    weight_sum: f64,
    rows: usize,
    /// Coefficient of ½‖w‖² (already divided by C and the weight sum).
    l2: f64,
    fit_intercept: bool,
}

impl Objective<'_> {
    fn eval(&self, w: &[f64], grad: &mut [f64]) -> f64 {
        let p = self.x.ncols();
        let stride = p + 1;
        grad.iter_mut().for_each(|g| *g = 0.0);
        let mut loss = 0.0;
        let mut z = vec![0.0; self.rows];
        for ((row, &label), &sw) in self.x.row_slices().zip(self.y).zip(self.weights) {
            for (k, zk) in z.iter_mut().enumerate() {
                let block = &w[k * stride..(k + 1) * stride];
                *zk = dot(row, &block[..p]) + block[p];
            }
            if self.rows == 1 {
                let (zi, target) = (z[0], if label == 1 { 1.0 } else { 0.0 });
                // log(1 + e^z) − y·z, computed without overflow.
                loss += sw * (softplus(zi) - target * zi);
                let r = sw * (sigmoid(zi) - target);
                add_scaled(&mut grad[..stride], row, r);
            } else {
                let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let sum: f64 = z.iter().map(|v| (v - max).exp()).sum();
                let log_sum = max + sum.ln();
                loss += sw * (log_sum - z.get(label).copied().unwrap_or(0.0));
                for (k, &zk) in z.iter().enumerate() {
                    let r = sw * ((zk - log_sum).exp() - if k == label { 1.0 } else { 0.0 });
                    add_scaled(&mut grad[k * stride..(k + 1) * stride], row, r);
                }
            }
        }
        let scale = 1.0 / self.weight_sum;
        grad.iter_mut().for_each(|g| *g *= scale);
        let mut penalty = 0.0;
        for k in 0..self.rows {
            let block = &w[k * stride..(k + 1) * stride];
            penalty += 0.5 * self.l2 * dot(&block[..p], &block[..p]);
            for j in 0..p {
                grad[k * stride + j] += self.l2 * block[j];
            }
            if !self.fit_intercept {
                grad[k * stride + p] = 0.0;
            }
        }
        loss * scale + penalty
    }
}

/// `grad[..p] += r·row` and `grad[p] += r` (the intercept).
fn add_scaled(grad: &mut [f64], row: &[f64], r: f64) {
    let p = row.len();
    grad[..p].iter_mut().zip(row).for_each(|(g, x)| *g += r * x);
    grad[p] += r;
}

fn softplus(z: f64) -> f64 {
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
}

/// The logistic function, stable for large |z|.
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

impl LogisticParams {
    /// Checks the parameters.
    pub fn validate(&self) -> Result<()> {
        check_one_of("penalty", &self.penalty, super::choices::PENALTIES)?;
        check_positive("C", self.c, false)?;
        check_range("l1_ratio", self.l1_ratio, 0.0, 1.0)?;
        check_at_least("max_iter", self.max_iter, 1)?;
        crate::limits::check_at_most("max_iter", self.max_iter, crate::limits::MAX_SOLVER_ITERATIONS)?;
        check_positive("tol", self.tol, false)?;
        if let Some(mode) = &self.class_weight {
            check_one_of("class_weight", mode, super::choices::CLASS_WEIGHTS)?;
        }
        Ok(())
    }

    /// Fits on `x` and class indices `y` (0..n_classes).
    pub fn fit(&self, x: MatrixView<'_>, y: &[usize], n_classes: usize) -> Result<FittedLogistic> {
        self.validate()?;
        let rows = if n_classes <= 2 { 1 } else { n_classes };
        let p = x.ncols();
        let weights = class_weights(self.class_weight.as_deref(), y, n_classes);
        let weight_sum: f64 = weights.iter().sum::<f64>().max(f64::MIN_POSITIVE);
        let l1_share = match self.penalty.as_str() {
            "l1" => 1.0,
            "elasticnet" => self.l1_ratio,
            _ => 0.0,
        };
        let strength = if self.penalty == "none" { 0.0 } else { 1.0 / (self.c * weight_sum) };
        let objective = Objective {
            x,
            y,
            weights: &weights,
            weight_sum,
            rows,
            l2: strength * (1.0 - l1_share),
            fit_intercept: self.fit_intercept,
        };
        let start = vec![0.0; rows * (p + 1)];
        let (w, n_iter, converged) = if l1_share > 0.0 {
            proximal(&objective, start, strength * l1_share, self.max_iter * 10, self.tol)
        } else {
            let m = lbfgs(|w, g| objective.eval(w, g), start, self.max_iter, self.tol);
            (m.x, m.iterations, m.converged)
        };
        let mut coef = Vec::with_capacity(rows);
        let mut intercept = Vec::with_capacity(rows);
        for block in w.chunks_exact(p + 1) {
            coef.push(block[..p].to_vec());
            intercept.push(if self.fit_intercept { block[p] } else { 0.0 });
        }
        Ok(FittedLogistic { n_classes, coef, intercept, n_iter, converged })
    }
}

/// FISTA with backtracking for the L1 part (`l1`·‖w‖₁, intercepts excluded), stopping when no weight moves
/// by more than `tol` relative to the largest weight.
fn proximal(
    objective: &Objective,
    start: Vec<f64>,
    l1: f64,
    max_iter: usize,
    tol: f64,
) -> (Vec<f64>, usize, bool) {
    let stride = objective.x.ncols() + 1;
    let n = start.len();
    let mut w = start;
    let mut v = w.clone();
    let mut t: f64 = 1.0;
    let mut lipschitz = 1.0;
    let mut grad = vec![0.0; n];
    let mut scratch = vec![0.0; n];
    for iteration in 0..max_iter {
        let f_v = objective.eval(&v, &mut grad);
        let mut next;
        loop {
            next = v.iter().zip(&grad).map(|(vi, gi)| vi - gi / lipschitz).collect::<Vec<f64>>();
            for (i, value) in next.iter_mut().enumerate() {
                if i % stride != stride - 1 {
                    *value = value.signum() * (value.abs() - l1 / lipschitz).max(0.0);
                }
            }
            let f_next = objective.eval(&next, &mut scratch);
            let diff: Vec<f64> = next.iter().zip(&v).map(|(a, b)| a - b).collect();
            let bound = f_v + dot(&grad, &diff) + 0.5 * lipschitz * dot(&diff, &diff);
            if f_next <= bound + 1e-12 * f_v.abs() || lipschitz > 1e12 {
                break;
            }
            lipschitz *= 2.0;
        }
        let t_next = (1.0 + (1.0 + 4.0 * t * t).sqrt()) / 2.0;
        let largest = next.iter().fold(0.0f64, |m, x| m.max(x.abs())).max(1e-12);
        let change = next.iter().zip(&w).fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
        v = next.iter().zip(&w).map(|(a, b)| a + (t - 1.0) / t_next * (a - b)).collect();
        w = next;
        t = t_next;
        if change / largest < tol * 1e-2 {
            return (w, iteration + 1, true);
        }
    }
    (w, max_iter, false)
}

impl FittedLogistic {
    /// Decision values: one column (binary) or one per class.
    pub fn decision(&self, x: MatrixView<'_>) -> Matrix {
        let rows = self.coef.len();
        let mut out = Matrix::zeros((x.nrows(), rows));
        for (i, row) in x.row_slices().enumerate() {
            let target = out.row_slice_mut(i);
            for ((t, c), b) in target.iter_mut().zip(&self.coef).zip(&self.intercept) {
                *t = dot(row, c) + b;
            }
        }
        out
    }

    /// Class probabilities, one column per class.
    pub fn predict_proba(&self, x: MatrixView<'_>) -> Matrix {
        let decision = self.decision(x);
        let mut out = Matrix::zeros((x.nrows(), self.n_classes.max(2)));
        for (i, z) in decision.row_slices().enumerate() {
            let target = out.row_slice_mut(i);
            if self.coef.len() == 1 {
                let p = sigmoid(z.first().copied().unwrap_or(0.0));
                target.copy_from_slice(&[1.0 - p, p]);
            } else {
                softmax_into(z, target);
            }
        }
        out
    }
}

/// Writes softmax(`z`) into `out`.
pub fn softmax_into(z: &[f64], out: &mut [f64]) {
    let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for (o, v) in out.iter_mut().zip(z) {
        *o = (v - max).exp();
        sum += *o;
    }
    out.iter_mut().for_each(|o| *o /= sum);
}
