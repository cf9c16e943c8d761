//! Naive Bayes classifiers: Gaussian (scikit-learn's `GaussianNB`) and categorical (`CategoricalNB`, every
//! distinct value of a feature being a category).

use serde::{Deserialize, Serialize};

use super::params::check_positive;
use crate::error::Result;
use crate::numeric::{Matrix, MatrixView, RowMajor, RowMajorMut};

/// Parameters of `gaussian_nb`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GaussianNbParams {
    /// Share of the largest feature variance added to every variance, for stability; default 1e-9.
    pub var_smoothing: f64,
}

impl Default for GaussianNbParams {
    fn default() -> Self {
        GaussianNbParams { var_smoothing: 1e-9 }
    }
}

/// A fitted Gaussian naive Bayes model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedGaussianNb {
    /// Log prior of each class (class frequencies).
    pub log_prior: Vec<f64>,
    /// Per class, the mean of each feature.
    pub means: Vec<Vec<f64>>,
    /// Per class, the (smoothed) variance of each feature.
    pub variances: Vec<Vec<f64>>,
}

impl GaussianNbParams {
    /// Checks the parameters: `var_smoothing` ≥ 0.
    pub fn validate(&self) -> Result<()> {
        check_positive("var_smoothing", self.var_smoothing, true)
    }

    /// Fits per-class means and variances.
    pub fn fit(&self, x: MatrixView<'_>, y: &[usize], n_classes: usize) -> Result<FittedGaussianNb> {
        self.validate()?;
        let p = x.ncols();
        let mut counts = vec![0usize; n_classes];
        let mut means = vec![vec![0.0; p]; n_classes];
        for (row, &c) in x.row_slices().zip(y) {
            if let (Some(n), Some(m)) = (counts.get_mut(c), means.get_mut(c)) {
                *n += 1;
                m.iter_mut().zip(row).for_each(|(a, v)| *a += v);
            }
        }
        for (m, &n) in means.iter_mut().zip(&counts) {
            m.iter_mut().for_each(|a| *a /= n.max(1) as f64);
        }
        let mut variances = vec![vec![0.0; p]; n_classes];
        for (row, &c) in x.row_slices().zip(y) {
            if let (Some(v), Some(m)) = (variances.get_mut(c), means.get(c)) {
                for ((a, x), mu) in v.iter_mut().zip(row).zip(m) {
                    *a += (x - mu) * (x - mu);
                }
            }
        }
        for (v, &n) in variances.iter_mut().zip(&counts) {
            v.iter_mut().for_each(|a| *a /= n.max(1) as f64);
        }
        let epsilon = self.var_smoothing * largest_variance(x);
        variances.iter_mut().flatten().for_each(|v| *v += epsilon);
        let total = y.len().max(1) as f64;
        let log_prior = counts.iter().map(|&n| (n as f64 / total).ln()).collect();
        Ok(FittedGaussianNb { log_prior, means, variances })
    }
}

/// The largest variance of any feature of `x` (population variance, as numpy's `var`).
fn largest_variance(x: MatrixView<'_>) -> f64 {
    x.column_variances().into_iter().filter(|v| !v.is_nan()).fold(0.0, f64::max)
}

impl FittedGaussianNb {
    /// Class probabilities.
    pub fn predict_proba(&self, x: MatrixView<'_>) -> Matrix {
        let k = self.log_prior.len();
        let mut out = Matrix::zeros((x.nrows(), k));
        for (i, row) in x.row_slices().enumerate() {
            let joint: Vec<f64> = self
                .log_prior
                .iter()
                .zip(&self.means)
                .zip(&self.variances)
                .map(|((&prior, m), v)| {
                    let mut ll = prior;
                    for ((xv, mu), var) in row.iter().zip(m).zip(v) {
                        ll -=
                            0.5 * (2.0 * std::f64::consts::PI * var).ln() + 0.5 * (xv - mu) * (xv - mu) / var;
                    }
                    ll
                })
                .collect();
            super::logistic::softmax_into(&joint, out.row_slice_mut(i));
        }
        out
    }
}

/// Parameters of `categorical_nb`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CategoricalNbParams {
    /// Additive (Laplace) smoothing; default 1.0.
    pub alpha: f64,
    /// Features with more distinct values than this are measurements, not categories: they are cut into
    /// `n_bins` quantile bins first; default 20.
    pub max_categories: usize,
    /// Bins for such features; default 10.
    pub n_bins: usize,
}

impl Default for CategoricalNbParams {
    fn default() -> Self {
        CategoricalNbParams { alpha: 1.0, max_categories: 20, n_bins: 10 }
    }
}

/// The category a value falls in: the value itself, or its quantile bin.
fn category(edges: Option<&Vec<f64>>, v: f64) -> f64 {
    match edges {
        Some(e) => e.partition_point(|&x| x < v) as f64,
        None => v,
    }
}

/// A fitted categorical naive Bayes model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedCategoricalNb {
    /// Log prior of each class.
    pub log_prior: Vec<f64>,
    /// Per feature, the quantile bin edges when the feature was binned.
    pub edges: Vec<Option<Vec<f64>>>,
    /// Per feature, its categories (distinct training values or bin numbers, sorted).
    pub categories: Vec<Vec<f64>>,
    /// Per feature, per class, the log probability of each category (smoothed).
    pub log_prob: Vec<Vec<Vec<f64>>>,
    /// Per feature, per class, the log probability given to a value never seen in training.
    pub log_unseen: Vec<Vec<f64>>,
}

impl CategoricalNbParams {
    /// Checks the parameters: `alpha` > 0, `n_bins` ≥ 2.
    pub fn validate(&self) -> Result<()> {
        check_positive("alpha", self.alpha, false)?;
        super::params::check_at_least("n_bins", self.n_bins, 2)
    }

    /// Counts categories per class and feature.
    pub fn fit(&self, x: MatrixView<'_>, y: &[usize], n_classes: usize) -> Result<FittedCategoricalNb> {
        self.validate()?;
        let mut class_counts = vec![0usize; n_classes];
        y.iter().for_each(|&c| {
            if let Some(n) = class_counts.get_mut(c) {
                *n += 1;
            }
        });
        let mut categories = Vec::with_capacity(x.ncols());
        let mut all_edges = Vec::with_capacity(x.ncols());
        let mut log_prob = Vec::with_capacity(x.ncols());
        let mut log_unseen = Vec::with_capacity(x.ncols());
        for j in 0..x.ncols() {
            let raw = x.column_vec(j);
            let mut sorted = raw.clone();
            sorted.sort_by(f64::total_cmp);
            let mut distinct = sorted.clone();
            distinct.dedup();
            let edges = (distinct.len() > self.max_categories).then(|| {
                let mut e: Vec<f64> = (1..self.n_bins)
                    .filter_map(|q| sorted.get(q * sorted.len() / self.n_bins).copied())
                    .collect();
                e.dedup();
                e
            });
            let col: Vec<f64> = raw.iter().map(|&v| category(edges.as_ref(), v)).collect();
            let mut cats = col.clone();
            cats.sort_by(f64::total_cmp);
            cats.dedup();
            let mut counts = vec![vec![0.0; cats.len()]; n_classes];
            for (v, &c) in col.iter().zip(y) {
                if let (Ok(idx), Some(row)) = (cats.binary_search_by(|a| a.total_cmp(v)), counts.get_mut(c)) {
                    if let Some(slot) = row.get_mut(idx) {
                        *slot += 1.0;
                    }
                }
            }
            let m = cats.len() as f64;
            let mut probs = Vec::with_capacity(n_classes);
            let mut unseen = Vec::with_capacity(n_classes);
            for (row, &n) in counts.iter().zip(&class_counts) {
                let denom = n as f64 + self.alpha * m;
                probs.push(row.iter().map(|c| ((c + self.alpha) / denom).ln()).collect());
                unseen.push((self.alpha / denom).ln());
            }
            categories.push(cats);
            all_edges.push(edges);
            log_prob.push(probs);
            log_unseen.push(unseen);
        }
        let total = y.len().max(1) as f64;
        let log_prior = class_counts.iter().map(|&n| (n as f64 / total).ln()).collect();
        Ok(FittedCategoricalNb { log_prior, edges: all_edges, categories, log_prob, log_unseen })
    }
}

impl FittedCategoricalNb {
    /// Class probabilities.
    pub fn predict_proba(&self, x: MatrixView<'_>) -> Matrix {
        let k = self.log_prior.len();
        let mut out = Matrix::zeros((x.nrows(), k));
        for (i, row) in x.row_slices().enumerate() {
            let mut joint = self.log_prior.clone();
            for (j, v) in row.iter().enumerate() {
                let (Some(cats), Some(probs), Some(unseen)) =
                    (self.categories.get(j), self.log_prob.get(j), self.log_unseen.get(j))
                else {
                    continue;
                };
                let v = category(self.edges.get(j).and_then(Option::as_ref), *v);
                let idx = cats.binary_search_by(|a| a.total_cmp(&v)).ok();
                for (c, ll) in joint.iter_mut().enumerate() {
                    *ll += match idx {
                        Some(idx) => probs.get(c).and_then(|p| p.get(idx)).copied().unwrap_or(0.0),
                        None => unseen.get(c).copied().unwrap_or(0.0),
                    };
                }
            }
            super::logistic::softmax_into(&joint, out.row_slice_mut(i));
        }
        out
    }
}
