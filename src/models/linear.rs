//! Linear regression: least squares, ridge, lasso and elastic net (scikit-learn's `LinearRegression`,
//! `Ridge`, `Lasso`, `ElasticNet`, with an unpenalised intercept fitted by centring).

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

use super::params::{check_positive, check_range};
use crate::error::{Error, Result};
use crate::numeric::{dot, MatrixView, RowMajor};

/// Parameters of `linear_regression` (ordinary least squares; no parameters beyond the intercept).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinearParams {
    /// Fit an intercept; default true.
    pub fit_intercept: bool,
}

impl Default for LinearParams {
    fn default() -> Self {
        LinearParams { fit_intercept: true }
    }
}

/// Parameters of `ridge`: least squares plus `alpha`·‖w‖².
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RidgeParams {
    /// Strength of the L2 penalty (≥ 0); default 1.0.
    pub alpha: f64,
    /// Fit an intercept; default true.
    pub fit_intercept: bool,
}

impl Default for RidgeParams {
    fn default() -> Self {
        RidgeParams { alpha: 1.0, fit_intercept: true }
    }
}

/// Parameters of `lasso` and `elastic_net`: minimises ‖y − Xw‖²/(2n) + alpha·l1_ratio·‖w‖₁ +
/// alpha·(1 − l1_ratio)/2·‖w‖² by cyclic coordinate descent, stopping on scikit-learn's duality gap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ElasticNetParams {
    /// Overall penalty strength (≥ 0); default 1.0.
    pub alpha: f64,
    /// Share of L1 in the penalty, 0..=1; default 0.5 (`lasso` forces 1).
    pub l1_ratio: f64,
    /// Fit an intercept; default true.
    pub fit_intercept: bool,
    /// Most passes over the features; default 1000.
    pub max_iter: usize,
    /// Stop when the duality gap is below `tol`·‖y‖²; default 1e-4.
    pub tol: f64,
}

impl Default for ElasticNetParams {
    fn default() -> Self {
        ElasticNetParams { alpha: 1.0, l1_ratio: 0.5, fit_intercept: true, max_iter: 1000, tol: 1e-4 }
    }
}

/// A fitted linear regression: prediction = x·coef + intercept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedLinear {
    /// One coefficient per feature.
    pub coef: Vec<f64>,
    /// The intercept.
    pub intercept: f64,
    /// Passes of coordinate descent (0 for the closed forms).
    pub n_iter: usize,
}

impl FittedLinear {
    /// Predictions for the rows of `x`.
    pub fn predict(&self, x: MatrixView<'_>) -> Vec<f64> {
        x.row_slices().map(|r| dot(r, &self.coef) + self.intercept).collect()
    }
}

/// Column means of `x` (zeros when not centring) and the mean of `y`.
fn centre(x: MatrixView<'_>, y: &[f64], fit_intercept: bool) -> (Vec<f64>, f64) {
    let n = x.nrows().max(1) as f64;
    if !fit_intercept {
        return (vec![0.0; x.ncols()], 0.0);
    }
    let mut means = vec![0.0; x.ncols()];
    for row in x.row_slices() {
        for (m, v) in means.iter_mut().zip(row) {
            *m += v;
        }
    }
    means.iter_mut().for_each(|m| *m /= n);
    (means, y.iter().sum::<f64>() / n)
}

/// The centred design matrix as nalgebra's column-major matrix.
fn centred_matrix(x: MatrixView<'_>, means: &[f64]) -> DMatrix<f64> {
    DMatrix::from_fn(x.nrows(), x.ncols(), |i, j| x.at(i, j) - means.get(j).copied().unwrap_or(0.0))
}

fn finish(coef: Vec<f64>, means: &[f64], y_mean: f64, n_iter: usize) -> FittedLinear {
    let intercept = y_mean - dot(means, &coef);
    FittedLinear { coef, intercept, n_iter }
}

impl LinearParams {
    /// Least squares through the SVD (the minimum-norm solution when features are collinear, as
    /// scikit-learn's `lstsq`).
    pub fn fit(&self, x: MatrixView<'_>, y: &[f64]) -> Result<FittedLinear> {
        let (means, y_mean) = centre(x, y, self.fit_intercept);
        let a = centred_matrix(x, &means);
        let b = DVector::from_iterator(y.len(), y.iter().map(|v| v - y_mean));
        let svd = a.svd(true, true);
        let largest = svd.singular_values.iter().copied().fold(0.0, f64::max);
        // numpy's lstsq cut-off: singular values below eps·max(n, p)·σ_max count as zero.
        let eps = f64::EPSILON * x.nrows().max(x.ncols()) as f64 * largest;
        let w = svd.solve(&b, eps).map_err(|e| Error::InvalidParam {
            name: "linear_regression".into(),
            reason: format!("least squares failed: {e}"),
        })?;
        Ok(finish(w.iter().copied().collect(), &means, y_mean, 0))
    }
}

impl RidgeParams {
    /// Checks the parameters: `alpha` ≥ 0.
    pub fn validate(&self) -> Result<()> {
        check_positive("alpha", self.alpha, true)
    }

    /// Solves (XᵀX + αI)w = Xᵀy on centred data by Cholesky (scikit-learn's `cholesky` solver).
    pub fn fit(&self, x: MatrixView<'_>, y: &[f64]) -> Result<FittedLinear> {
        self.validate()?;
        let (means, y_mean) = centre(x, y, self.fit_intercept);
        let a = centred_matrix(x, &means);
        let b = DVector::from_iterator(y.len(), y.iter().map(|v| v - y_mean));
        let mut gram = a.tr_mul(&a);
        for j in 0..x.ncols() {
            gram[(j, j)] += self.alpha;
        }
        let rhs = a.tr_mul(&b);
        let w = match gram.clone().cholesky() {
            Some(ch) => ch.solve(&rhs),
            // α = 0 with collinear features: fall back to the minimum-norm solution.
            None => gram.svd(true, true).solve(&rhs, 1e-12).map_err(|e| Error::InvalidParam {
                name: "ridge".into(),
                reason: format!("the system could not be solved: {e}"),
            })?,
        };
        Ok(finish(w.iter().copied().collect(), &means, y_mean, 0))
    }
}

impl ElasticNetParams {
    /// Checks the parameters.
    pub fn validate(&self) -> Result<()> {
        check_positive("alpha", self.alpha, true)?;
        check_range("l1_ratio", self.l1_ratio, 0.0, 1.0)?;
        check_positive("tol", self.tol, true)?;
        if self.max_iter == 0 {
            return Err(Error::InvalidParam { name: "max_iter".into(), reason: "must be at least 1".into() });
        }
        crate::limits::check_at_most("max_iter", self.max_iter, crate::limits::MAX_SOLVER_ITERATIONS)?;
        Ok(())
    }

    /// Cyclic coordinate descent as scikit-learn's `enet_coordinate_descent` (same updates, same duality-gap
    /// stopping rule), so that results agree to rounding.
    pub fn fit(&self, x: MatrixView<'_>, y: &[f64]) -> Result<FittedLinear> {
        self.validate()?;
        let (n, p) = (x.nrows(), x.ncols());
        let (means, y_mean) = centre(x, y, self.fit_intercept);
        // Column-major centred copy: every update walks one feature.
        let cols: Vec<Vec<f64>> = (0..p)
            .map(|j| {
                let m = means.get(j).copied().unwrap_or(0.0);
                x.row_slices().map(|r| r.get(j).copied().unwrap_or(0.0) - m).collect()
            })
            .collect();
        let yc: Vec<f64> = y.iter().map(|v| v - y_mean).collect();
        let l1 = self.alpha * self.l1_ratio * n as f64;
        let l2 = self.alpha * (1.0 - self.l1_ratio) * n as f64;
        let norms: Vec<f64> = cols.iter().map(|c| dot(c, c)).collect();
        let mut w = vec![0.0; p];
        let mut residual = yc.clone();
        let tol = self.tol * dot(&yc, &yc);
        let mut n_iter = 0;
        for iter in 0..self.max_iter {
            n_iter = iter + 1;
            let (mut w_max, mut d_w_max) = (0.0f64, 0.0f64);
            for j in 0..p {
                let (Some(col), Some(&norm)) = (cols.get(j), norms.get(j)) else { continue };
                if norm == 0.0 {
                    continue;
                }
                let w_old = w.get(j).copied().unwrap_or(0.0);
                if w_old != 0.0 {
                    residual.iter_mut().zip(col).for_each(|(r, c)| *r += w_old * c);
                }
                let tmp = dot(col, &residual);
                let w_new = tmp.signum() * (tmp.abs() - l1).max(0.0) / (norm + l2);
                if w_new != 0.0 {
                    residual.iter_mut().zip(col).for_each(|(r, c)| *r -= w_new * c);
                }
                if let Some(slot) = w.get_mut(j) {
                    *slot = w_new;
                }
                d_w_max = d_w_max.max((w_new - w_old).abs());
                w_max = w_max.max(w_new.abs());
            }
            if w_max == 0.0 || d_w_max / w_max < self.tol || iter + 1 == self.max_iter {
                let gap = duality_gap(&cols, &yc, &residual, &w, l1, l2);
                if gap < tol {
                    break;
                }
            }
        }
        Ok(finish(w, &means, y_mean, n_iter))
    }
}

/// The elastic-net duality gap (scikit-learn's formula), which bounds the distance to the optimum.
fn duality_gap(cols: &[Vec<f64>], y: &[f64], residual: &[f64], w: &[f64], l1: f64, l2: f64) -> f64 {
    let dual_norm = cols.iter().zip(w).map(|(c, wj)| (dot(c, residual) - l2 * wj).abs()).fold(0.0, f64::max);
    let r_norm2 = dot(residual, residual);
    let w_norm2 = dot(w, w);
    let (scale, mut gap) = if dual_norm > l1 {
        let scale = l1 / dual_norm;
        (scale, 0.5 * (r_norm2 + r_norm2 * scale * scale))
    } else {
        (1.0, r_norm2)
    };
    let l1_norm: f64 = w.iter().map(|v| v.abs()).sum();
    gap += l1 * l1_norm - scale * dot(residual, y) + 0.5 * l2 * (1.0 + scale * scale) * w_norm2;
    gap
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_squares_recovers_an_exact_line_and_ridge_shrinks() {
        let x = crate::numeric::from_rows(&[vec![0.0, 1.0], vec![1.0, 0.0], vec![2.0, 3.0], vec![3.0, 1.0]])
            .unwrap_or_default();
        let y: Vec<f64> = x.row_slices().map(|r| 2.0 * r[0] - r[1] + 5.0).collect();
        let ols = LinearParams::default().fit(x.view(), &y).unwrap_or_else(|e| panic!("{e}"));
        assert!((ols.coef[0] - 2.0).abs() < 1e-12 && (ols.coef[1] + 1.0).abs() < 1e-12);
        assert!((ols.intercept - 5.0).abs() < 1e-12);
        let ridge = RidgeParams { alpha: 10.0, ..Default::default() }
            .fit(x.view(), &y)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(ridge.coef[0].abs() < 2.0 && ridge.coef[0] > 0.0);
        let lasso = ElasticNetParams { alpha: 1e6, l1_ratio: 1.0, ..Default::default() }
            .fit(x.view(), &y)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(lasso.coef, vec![0.0, 0.0], "a huge L1 penalty zeroes every coefficient");
    }
}
