//! Support vector machines: linear (scikit-learn's `LinearSVC` — squared hinge — and `LinearSVR`, solved by
//! dual coordinate descent as liblinear does, the intercept being a regularised extra feature) and kernel
//! (`SVC` with an RBF kernel, solved by SMO with second-order working-set selection as libsvm does).
//! Classifiers are one-vs-rest; probabilities come from Platt sigmoids fitted on 3-fold cross-validated
//! decision values, normalised to sum 1.

use serde::{Deserialize, Serialize};

use super::params::{check_at_least, check_positive};
use crate::error::Result;
use crate::numeric::{dot, Matrix, MatrixView, RowMajor, RowMajorMut};
use crate::progress::Progress;
use crate::rng::{rng_from_seed, Rng};

/// Parameters of `linear_svm` (classification: squared hinge; regression: epsilon-insensitive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinearSvmParams {
    /// Inverse penalty strength (> 0); default 1.0.
    #[serde(rename = "C")]
    pub c: f64,
    /// Regression only: errors smaller than this cost nothing (≥ 0); default 0.
    pub epsilon: f64,
    /// Most passes over the rows; default 1000.
    pub max_iter: usize,
    /// Stop when the projected gradient's spread is below this; default 1e-4.
    pub tol: f64,
}

impl Default for LinearSvmParams {
    fn default() -> Self {
        LinearSvmParams { c: 1.0, epsilon: 0.0, max_iter: 1000, tol: 1e-4 }
    }
}

/// Parameters of `svm` (RBF kernel).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KernelSvmParams {
    /// Inverse penalty strength (> 0); default 1.0.
    #[serde(rename = "C")]
    pub c: f64,
    /// RBF width: a number, or `scale` (default: 1 / (features · variance of all values)).
    pub gamma: Option<f64>,
    /// Stopping tolerance on the KKT gap; default 1e-3.
    pub tol: f64,
    /// Most SMO steps (0: no limit besides 100 × rows); default 0.
    pub max_iter: usize,
    /// Train on a random sample of at most this many rows (the cost grows with the square of the rows;
    /// at most [`MAX_KERNEL_ROWS`]); default 10,000.
    pub max_samples: usize,
}

impl Default for KernelSvmParams {
    fn default() -> Self {
        KernelSvmParams { c: 1.0, gamma: None, tol: 1e-3, max_iter: 0, max_samples: 10_000 }
    }
}

/// Most rows the kernel SVM accepts: its cost grows with the square of the rows.
pub const MAX_KERNEL_ROWS: usize = 20_000;

/// One binary linear machine: decision = x·w + b.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinearMachine {
    /// Weights.
    pub w: Vec<f64>,
    /// Intercept.
    pub b: f64,
}

/// One binary kernel machine: decision = Σ coef·K(sv, x) + b.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KernelMachine {
    /// Indices of the support vectors in the shared `support` matrix.
    pub support: Vec<usize>,
    /// Their coefficients (αᵢ·yᵢ).
    pub coef: Vec<f64>,
    /// Intercept.
    pub b: f64,
}

/// Platt's sigmoid: P(positive | f) = 1 / (1 + exp(a·f + b)).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Platt {
    /// Slope.
    pub a: f64,
    /// Offset.
    pub b: f64,
}

/// A fitted support vector model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FittedSvm {
    /// Linear regression machine.
    LinearRegressor(LinearMachine),
    /// Linear classifier: one machine per class (one in total for two classes) and its sigmoid.
    LinearClassifier {
        /// Machines (one-vs-rest).
        machines: Vec<LinearMachine>,
        /// Their sigmoids.
        platt: Vec<Platt>,
        /// Number of classes.
        n_classes: usize,
    },
    /// RBF classifier.
    KernelClassifier {
        /// The RBF width.
        gamma: f64,
        /// Every row that is a support vector of some machine.
        #[serde(with = "crate::numeric::matrix::serde_format")]
        support: Matrix,
        /// Machines (one-vs-rest).
        machines: Vec<KernelMachine>,
        /// Their sigmoids.
        platt: Vec<Platt>,
        /// Number of classes.
        n_classes: usize,
    },
}

impl LinearSvmParams {
    /// Checks the parameters: `C` and `tol` > 0, `epsilon` ≥ 0, `max_iter` ≥ 1.
    pub fn validate(&self) -> Result<()> {
        check_positive("C", self.c, false)?;
        check_positive("epsilon", self.epsilon, true)?;
        check_at_least("max_iter", self.max_iter, 1)?;
        crate::limits::check_at_most("max_iter", self.max_iter, crate::limits::MAX_SOLVER_ITERATIONS)?;
        check_positive("tol", self.tol, false)
    }

    /// Fits a linear classifier (one-vs-rest) with calibrated probabilities.
    pub fn fit_classifier(
        &self,
        x: MatrixView<'_>,
        y: &[usize],
        n_classes: usize,
        seed: u64,
    ) -> Result<FittedSvm> {
        self.validate()?;
        let fit = |x: MatrixView<'_>, signs: &[f64], rng: &mut Rng| self.dual_hinge(x, signs, rng);
        let (machines, platt) =
            one_vs_rest(x, y, n_classes, seed, &fit, |m: &LinearMachine, row| dot(row, &m.w) + m.b);
        Ok(FittedSvm::LinearClassifier { machines, platt, n_classes })
    }

    /// Fits a linear regressor.
    pub fn fit_regressor(&self, x: MatrixView<'_>, y: &[f64], seed: u64) -> Result<FittedSvm> {
        self.validate()?;
        Ok(FittedSvm::LinearRegressor(self.dual_svr(x, y, &mut rng_from_seed(seed))))
    }

    /// Dual coordinate descent for the squared hinge loss (Hsieh et al. 2008); labels are ±1.
    fn dual_hinge(&self, x: MatrixView<'_>, signs: &[f64], rng: &mut Rng) -> LinearMachine {
        let n = x.nrows();
        let diag = 0.5 / self.c;
        let q: Vec<f64> = x.row_slices().map(|r| dot(r, r) + 1.0 + diag).collect();
        let mut alpha = vec![0.0; n];
        let mut w = vec![0.0; x.ncols()];
        let mut b = 0.0;
        let mut order: Vec<usize> = (0..n).collect();
        for _ in 0..self.max_iter {
            rng.shuffle(&mut order);
            let (mut pg_max, mut pg_min) = (f64::NEG_INFINITY, f64::INFINITY);
            for &i in &order {
                let (row, yi, a) = (x.row_slice(i), signs[i], alpha[i]);
                let g = yi * (dot(&w, row) + b) - 1.0 + diag * a;
                let pg = if a == 0.0 { g.min(0.0) } else { g };
                pg_max = pg_max.max(pg);
                pg_min = pg_min.min(pg);
                if pg.abs() > 1e-12 {
                    let new = (a - g / q[i]).max(0.0);
                    let d = (new - a) * yi;
                    w.iter_mut().zip(row).for_each(|(wj, xj)| *wj += d * xj);
                    b += d;
                    alpha[i] = new;
                }
            }
            if pg_max - pg_min <= self.tol {
                break;
            }
        }
        LinearMachine { w, b }
    }

    /// Dual coordinate descent for the epsilon-insensitive loss (Ho & Lin 2012).
    fn dual_svr(&self, x: MatrixView<'_>, y: &[f64], rng: &mut Rng) -> LinearMachine {
        let n = x.nrows();
        let q: Vec<f64> = x.row_slices().map(|r| dot(r, r) + 1.0).collect();
        let mut beta = vec![0.0; n];
        let mut w = vec![0.0; x.ncols()];
        let mut b = 0.0;
        let mut order: Vec<usize> = (0..n).collect();
        for _ in 0..self.max_iter {
            rng.shuffle(&mut order);
            let mut largest = 0.0f64;
            for &i in &order {
                let row = x.row_slice(i);
                let g = dot(&w, row) + b - y[i];
                let (gp, gn, bi, qi) = (g + self.epsilon, g - self.epsilon, beta[i], q[i]);
                let step = if gp < qi * bi {
                    -gp / qi
                } else if gn > qi * bi {
                    -gn / qi
                } else {
                    -bi
                };
                let new = (bi + step).clamp(-self.c, self.c);
                let d = new - bi;
                if d != 0.0 {
                    w.iter_mut().zip(row).for_each(|(wj, xj)| *wj += d * xj);
                    b += d;
                    beta[i] = new;
                    largest = largest.max(d.abs());
                }
            }
            if largest <= self.tol {
                break;
            }
        }
        LinearMachine { w, b }
    }
}

/// Fits one machine per class (one in total for two classes) and a Platt sigmoid for each from 3-fold
/// cross-validated decision values.
fn one_vs_rest<M, F, D>(
    x: MatrixView<'_>,
    y: &[usize],
    n_classes: usize,
    seed: u64,
    fit: &F,
    decide: D,
) -> (Vec<M>, Vec<Platt>)
where
    F: Fn(MatrixView<'_>, &[f64], &mut Rng) -> M,
    D: Fn(&M, &[f64]) -> f64,
{
    let positives: Vec<usize> = if n_classes <= 2 { vec![1] } else { (0..n_classes).collect() };
    let mut machines = Vec::with_capacity(positives.len());
    let mut platt = Vec::with_capacity(positives.len());
    let folds: Vec<usize> = (0..x.nrows()).map(|i| i % 3).collect();
    for (m, &positive) in positives.iter().enumerate() {
        let signs: Vec<f64> = y.iter().map(|&c| if c == positive { 1.0 } else { -1.0 }).collect();
        let mut rng = rng_from_seed(seed ^ (m as u64).wrapping_mul(0x9E37));
        let mut decisions = vec![0.0; x.nrows()];
        for fold in 0..3 {
            let train: Vec<usize> = (0..x.nrows()).filter(|&i| folds[i] != fold).collect();
            let test: Vec<usize> = (0..x.nrows()).filter(|&i| folds[i] == fold).collect();
            let train_signs: Vec<f64> = train.iter().map(|&i| signs[i]).collect();
            if train_signs.iter().all(|&s| s == train_signs[0]) {
                continue;
            }
            let machine = fit(x.take_rows(&train).view(), &train_signs, &mut rng);
            for &i in &test {
                decisions[i] = decide(&machine, x.row_slice(i));
            }
        }
        platt.push(fit_platt(&decisions, &signs));
        machines.push(fit(x, &signs, &mut rng));
    }
    (machines, platt)
}

/// Platt scaling by Newton's method with backtracking (Lin, Lin & Weng 2007), with Platt's smoothed targets.
fn fit_platt(decisions: &[f64], signs: &[f64]) -> Platt {
    let prior1 = signs.iter().filter(|&&s| s > 0.0).count() as f64;
    let prior0 = signs.len() as f64 - prior1;
    let (hi, lo) = ((prior1 + 1.0) / (prior1 + 2.0), 1.0 / (prior0 + 2.0));
    let t: Vec<f64> = signs.iter().map(|&s| if s > 0.0 { hi } else { lo }).collect();
    let (mut a, mut b) = (0.0, ((prior0 + 1.0) / (prior1 + 1.0)).ln());
    let objective = |a: f64, b: f64| -> f64 {
        decisions
            .iter()
            .zip(&t)
            .map(|(&f, &ti)| {
                let z = f * a + b;
                if z >= 0.0 {
                    ti * z + (-z).exp().ln_1p()
                } else {
                    (ti - 1.0) * z + z.exp().ln_1p()
                }
            })
            .sum()
    };
    let mut value = objective(a, b);
    for _ in 0..100 {
        let (mut h11, mut h22, mut h21, mut g1, mut g2) = (1e-12, 1e-12, 0.0, 0.0, 0.0);
        for (&f, &ti) in decisions.iter().zip(&t) {
            let z = f * a + b;
            let (p, q) = if z >= 0.0 {
                let e = (-z).exp();
                (e / (1.0 + e), 1.0 / (1.0 + e))
            } else {
                let e = z.exp();
                (1.0 / (1.0 + e), e / (1.0 + e))
            };
            let d2 = p * q;
            h11 += f * f * d2;
            h22 += d2;
            h21 += f * d2;
            let d1 = ti - p;
            g1 += f * d1;
            g2 += d1;
        }
        if g1.abs() < 1e-5 && g2.abs() < 1e-5 {
            break;
        }
        let det = h11 * h22 - h21 * h21;
        let (da, db) = (-(h22 * g1 - h21 * g2) / det, -(-h21 * g1 + h11 * g2) / det);
        let gd = g1 * da + g2 * db;
        let mut step = 1.0;
        while step >= 1e-10 {
            let (na, nb) = (a + step * da, b + step * db);
            let new = objective(na, nb);
            if new < value + 1e-4 * step * gd {
                a = na;
                b = nb;
                value = new;
                break;
            }
            step /= 2.0;
        }
        if step < 1e-10 {
            break;
        }
    }
    Platt { a, b }
}

fn platt_probability(p: &Platt, f: f64) -> f64 {
    super::logistic::sigmoid(-(p.a * f + p.b))
}

impl KernelSvmParams {
    /// Checks the parameters: `C`, `tol` and `gamma` > 0; `max_samples` between 2 and [`MAX_KERNEL_ROWS`].
    pub fn validate(&self) -> Result<()> {
        check_positive("C", self.c, false)?;
        check_positive("tol", self.tol, false)?;
        if let Some(g) = self.gamma {
            check_positive("gamma", g, false)?;
        }
        crate::limits::check_at_most("max_iter", self.max_iter, crate::limits::MAX_SOLVER_ITERATIONS)?;
        if self.max_samples > MAX_KERNEL_ROWS || self.max_samples < 2 {
            return Err(crate::error::Error::InvalidParam {
                name: "max_samples".into(),
                reason: format!("must be between 2 and {MAX_KERNEL_ROWS}, got {}", self.max_samples),
            });
        }
        Ok(())
    }

    /// Fits an RBF classifier (one-vs-rest) with calibrated probabilities.
    pub fn fit_classifier(
        &self,
        x: MatrixView<'_>,
        y: &[usize],
        n_classes: usize,
        seed: u64,
        progress: &mut dyn Progress,
    ) -> Result<FittedSvm> {
        self.validate()?;
        let sampled;
        let (x, y) = if x.nrows() > self.max_samples {
            let mut rows: Vec<usize> = (0..x.nrows()).collect();
            rng_from_seed(seed ^ 0x5eed).shuffle(&mut rows);
            rows.truncate(self.max_samples);
            rows.sort_unstable();
            sampled = (
                x.take_rows(&rows),
                rows.iter().map(|&i| y.get(i).copied().unwrap_or(0)).collect::<Vec<_>>(),
            );
            (sampled.0.view(), sampled.1.as_slice())
        } else {
            (x, y)
        };
        let gamma = self.gamma.unwrap_or_else(|| {
            let var = crate::numeric::mean_and_variance(x.values()).1;
            if var > 0.0 {
                1.0 / (x.ncols().max(1) as f64 * var)
            } else {
                1.0
            }
        });
        progress.report("kernel svm", 0, 1);
        let fit = |x: MatrixView<'_>, signs: &[f64], _: &mut Rng| {
            smo(x, signs, gamma, self.c, self.tol, self.max_iter)
        };
        let decide = |m: &(Matrix, Vec<f64>, f64), row: &[f64]| {
            m.0.row_slices().zip(&m.1).map(|(sv, c)| c * rbf(sv, row, gamma)).sum::<f64>() + m.2
        };
        let (trained, platt) = one_vs_rest(x, y, n_classes, seed, &fit, decide);
        progress.report("kernel svm", 1, 1);
        let mut support_rows: Vec<Vec<f64>> = Vec::new();
        let mut machines = Vec::with_capacity(trained.len());
        for (sv, coef, b) in trained {
            let start = support_rows.len();
            support_rows.extend(sv.row_slices().map(<[f64]>::to_vec));
            machines.push(KernelMachine { support: (start..support_rows.len()).collect(), coef, b });
        }
        let support = if support_rows.is_empty() {
            Matrix::zeros((0, x.ncols()))
        } else {
            crate::numeric::from_rows(&support_rows)?
        };
        Ok(FittedSvm::KernelClassifier { gamma, support, machines, platt, n_classes })
    }
}

fn rbf(a: &[f64], b: &[f64], gamma: f64) -> f64 {
    let d: f64 = a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum();
    // The portable exp: SMO's choices must not depend on the platform's libm.
    super::mathfn::exp(-gamma * d)
}

/// SMO with libsvm's second-order working-set selection; returns (support vectors, αᵢyᵢ, b).
fn smo(
    x: MatrixView<'_>,
    y: &[f64],
    gamma: f64,
    c: f64,
    tol: f64,
    max_iter: usize,
) -> (Matrix, Vec<f64>, f64) {
    let n = x.nrows();
    let mut alpha = vec![0.0; n];
    let mut grad = vec![-1.0; n];
    let mut cache: Vec<Option<Vec<f64>>> = vec![None; n];
    let mut cached = std::collections::VecDeque::new();
    let budget = (50_000_000 / n.max(1)).max(2);
    let mut column = |i: usize, cache: &mut Vec<Option<Vec<f64>>>| -> Vec<f64> {
        if let Some(Some(col)) = cache.get(i) {
            return col.clone();
        }
        let col: Vec<f64> =
            (0..n).map(|j| y[i] * y[j] * rbf(x.row_slice(i), x.row_slice(j), gamma)).collect();
        if cached.len() >= budget {
            if let Some(old) = cached.pop_front() {
                cache[old] = None;
            }
        }
        cache[i] = Some(col.clone());
        cached.push_back(i);
        col
    };
    let limit = if max_iter > 0 { max_iter } else { 100 * n.max(100) };
    for _ in 0..limit {
        // i: most violating in the "up" set.
        let mut i = usize::MAX;
        let mut g_max = f64::NEG_INFINITY;
        for t in 0..n {
            let up = (y[t] > 0.0 && alpha[t] < c) || (y[t] < 0.0 && alpha[t] > 0.0);
            if up && -y[t] * grad[t] >= g_max {
                g_max = -y[t] * grad[t];
                i = t;
            }
        }
        if i == usize::MAX {
            break;
        }
        let qi = column(i, &mut cache);
        let mut j = usize::MAX;
        let mut g_min = f64::INFINITY;
        let mut obj_min = f64::INFINITY;
        for t in 0..n {
            let low = (y[t] > 0.0 && alpha[t] > 0.0) || (y[t] < 0.0 && alpha[t] < c);
            if !low {
                continue;
            }
            let v = -y[t] * grad[t];
            g_min = g_min.min(v);
            let diff = g_max - v;
            if diff > 0.0 {
                // K(t,t) = 1 for the RBF kernel.
                let quad = (2.0 - 2.0 * y[i] * y[t] * qi[t]).max(1e-12);
                let obj = -diff * diff / quad;
                if obj <= obj_min {
                    obj_min = obj;
                    j = t;
                }
            }
        }
        if g_max - g_min < tol || j == usize::MAX {
            break;
        }
        let qj = column(j, &mut cache);
        let (old_i, old_j) = (alpha[i], alpha[j]);
        if y[i] != y[j] {
            let quad = (2.0 + 2.0 * qi[j]).max(1e-12);
            let delta = (-grad[i] - grad[j]) / quad;
            let diff = alpha[i] - alpha[j];
            alpha[i] += delta;
            alpha[j] += delta;
            if diff > 0.0 && alpha[j] < 0.0 {
                alpha[j] = 0.0;
                alpha[i] = diff;
            } else if diff <= 0.0 && alpha[i] < 0.0 {
                alpha[i] = 0.0;
                alpha[j] = -diff;
            }
            if diff > 0.0 && alpha[i] > c {
                alpha[i] = c;
                alpha[j] = c - diff;
            } else if diff <= 0.0 && alpha[j] > c {
                alpha[j] = c;
                alpha[i] = c + diff;
            }
        } else {
            let quad = (2.0 - 2.0 * qi[j]).max(1e-12);
            let delta = (grad[i] - grad[j]) / quad;
            let sum = alpha[i] + alpha[j];
            alpha[i] -= delta;
            alpha[j] += delta;
            if sum > c && alpha[i] > c {
                alpha[i] = c;
                alpha[j] = sum - c;
            } else if sum <= c && alpha[j] < 0.0 {
                alpha[j] = 0.0;
                alpha[i] = sum;
            }
            if sum > c && alpha[j] > c {
                alpha[j] = c;
                alpha[i] = sum - c;
            } else if sum <= c && alpha[i] < 0.0 {
                alpha[i] = 0.0;
                alpha[j] = sum;
            }
        }
        let (di, dj) = (alpha[i] - old_i, alpha[j] - old_j);
        for t in 0..n {
            grad[t] += qi[t] * di + qj[t] * dj;
        }
    }
    // b from the free vectors (libsvm's rule), the middle of the feasible range otherwise.
    let (mut sum, mut count) = (0.0, 0);
    let (mut ub, mut lb) = (f64::INFINITY, f64::NEG_INFINITY);
    for t in 0..n {
        let yg = y[t] * grad[t];
        if alpha[t] > 0.0 && alpha[t] < c {
            sum += yg;
            count += 1;
        } else if (alpha[t] >= c && y[t] < 0.0) || (alpha[t] <= 0.0 && y[t] > 0.0) {
            ub = ub.min(yg);
        } else {
            lb = lb.max(yg);
        }
    }
    let rho = if count > 0 { sum / count as f64 } else { (ub + lb) / 2.0 };
    let support: Vec<usize> = (0..n).filter(|&t| alpha[t] > 0.0).collect();
    let coef = support.iter().map(|&t| alpha[t] * y[t]).collect();
    // take_rows keeps the column count even when no row is a support vector.
    (x.take_rows(&support), coef, -rho)
}

impl FittedSvm {
    /// Decision values, one column per machine.
    pub fn decision(&self, x: MatrixView<'_>) -> Matrix {
        match self {
            FittedSvm::LinearRegressor(m) => {
                crate::numeric::from_parts(x.nrows(), 1, x.row_slices().map(|r| dot(r, &m.w) + m.b).collect())
            }
            FittedSvm::LinearClassifier { machines, .. } => {
                let data =
                    x.row_slices().flat_map(|r| machines.iter().map(move |m| dot(r, &m.w) + m.b)).collect();
                crate::numeric::from_parts(x.nrows(), machines.len(), data)
            }
            FittedSvm::KernelClassifier { gamma, support, machines, .. } => {
                let mut out = Matrix::zeros((x.nrows(), machines.len()));
                for (i, row) in x.row_slices().enumerate() {
                    let k: Vec<f64> = support.row_slices().map(|sv| rbf(sv, row, *gamma)).collect();
                    for (o, m) in out.row_slice_mut(i).iter_mut().zip(machines) {
                        *o = m
                            .support
                            .iter()
                            .zip(&m.coef)
                            .map(|(&s, c)| c * k.get(s).copied().unwrap_or(0.0))
                            .sum::<f64>()
                            + m.b;
                    }
                }
                out
            }
        }
    }

    /// Predicted labels (argmax of the decision values) and calibrated probabilities; regression gives
    /// predictions in a single column and no labels.
    pub fn predict(&self, x: MatrixView<'_>) -> (Option<Vec<usize>>, Matrix) {
        let decision = self.decision(x);
        let (platt, n_classes) = match self {
            FittedSvm::LinearRegressor(_) => return (None, decision),
            FittedSvm::LinearClassifier { platt, n_classes, .. }
            | FittedSvm::KernelClassifier { platt, n_classes, .. } => (platt, *n_classes),
        };
        let mut proba = Matrix::zeros((x.nrows(), n_classes.max(2)));
        let mut labels = Vec::with_capacity(x.nrows());
        for (i, d) in decision.row_slices().enumerate() {
            let out = proba.row_slice_mut(i);
            if d.len() == 1 {
                let p = platt.first().map_or(0.5, |pl| platt_probability(pl, d[0]));
                out.copy_from_slice(&[1.0 - p, p]);
                labels.push(usize::from(d[0] > 0.0));
            } else {
                for ((o, &f), pl) in out.iter_mut().zip(d).zip(platt) {
                    *o = platt_probability(pl, f);
                }
                let total: f64 = out.iter().sum();
                if total > 0.0 {
                    out.iter_mut().for_each(|v| *v /= total);
                }
                labels.push(crate::numeric::argmax(d));
            }
        }
        (Some(labels), proba)
    }
}
