//! The Yeo–Johnson power transform (scikit-learn's `PowerTransformer`): each column gets the power λ that
//! makes it most Gaussian-like (maximum likelihood, found with the same bracketing and Brent search as SciPy),
//! then, by default, zero mean and unit variance.

use serde::{Deserialize, Serialize};

use super::columns::{ColumnGroup, Columns};
use super::contract::{readable, Step, StepReport};
use crate::data::{Column, ColumnData, ColumnKind, Table};
use crate::error::{Error, Result};
use crate::numeric::stats::{pairwise_sum, pairwise_sum_map};

/// Parameters of the `yeo_johnson` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PowerParams {
    /// Columns to transform; default the numeric ones.
    pub columns: Columns,
    /// Scale the result to mean 0 and variance 1; default true.
    pub standardize: bool,
}

impl Default for PowerParams {
    fn default() -> Self {
        PowerParams { columns: Columns::Group(ColumnGroup::Numeric), standardize: true }
    }
}

/// One column's fitted transform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnPower {
    /// Column name.
    pub column: String,
    /// The power.
    pub lambda: f64,
    /// Mean of the transformed values (0 without standardising).
    pub mean: f64,
    /// Their standard deviation (1 without standardising).
    pub scale: f64,
}

/// A fitted `yeo_johnson` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedPower {
    /// Per column.
    pub columns: Vec<ColumnPower>,
}

/// The Yeo–Johnson transform of `x` with power `lambda`.
pub fn yeo_johnson(x: f64, lambda: f64) -> f64 {
    if x >= 0.0 {
        if lambda.abs() < f64::EPSILON {
            x.ln_1p()
        } else {
            ((x + 1.0).powf(lambda) - 1.0) / lambda
        }
    } else if (lambda - 2.0).abs() > f64::EPSILON {
        -((-x + 1.0).powf(2.0 - lambda) - 1.0) / (2.0 - lambda)
    } else {
        -(-x).ln_1p()
    }
}

/// Minus the profile log-likelihood of `lambda` for the values `xs`, as scikit-learn computes it.
fn neg_log_likelihood(xs: &[f64], log_terms: f64, lambda: f64) -> f64 {
    let transformed: Vec<f64> = xs.iter().map(|&x| yeo_johnson(x, lambda)).collect();
    let n = transformed.len() as f64;
    let mean = pairwise_sum(&transformed) / n;
    // numpy's var: pairwise sums of the deviations' squares (the same rounding keeps Brent on SciPy's path).
    let variance = pairwise_sum_map(&transformed, |t| (t - mean) * (t - mean)) / n;
    if variance < f64::MIN_POSITIVE {
        return f64::INFINITY;
    }
    -(-n / 2.0 * variance.ln() + (lambda - 1.0) * log_terms)
}

const GOLD: f64 = 1.618_034;

/// SciPy's `optimize.bracket`: from (xa, xb), a triple with the middle value lowest.
fn bracket(f: &dyn Fn(f64) -> f64, mut xa: f64, mut xb: f64) -> (f64, f64, f64) {
    const GROW_LIMIT: f64 = 110.0;
    const VERY_SMALL: f64 = 1e-21;
    let (mut fa, mut fb) = (f(xa), f(xb));
    if fa < fb {
        std::mem::swap(&mut xa, &mut xb);
        std::mem::swap(&mut fa, &mut fb);
    }
    let mut xc = xb + GOLD * (xb - xa);
    let mut fc = f(xc);
    let mut iterations = 0;
    while fc < fb && iterations < 1000 {
        iterations += 1;
        let tmp1 = (xb - xa) * (fb - fc);
        let tmp2 = (xb - xc) * (fb - fa);
        let val = tmp2 - tmp1;
        let denom = if val.abs() < VERY_SMALL { 2.0 * VERY_SMALL } else { 2.0 * val };
        let mut w = xb - ((xb - xc) * tmp2 - (xb - xa) * tmp1) / denom;
        let wlim = xb + GROW_LIMIT * (xc - xb);
        let mut fw;
        if (w - xc) * (xb - w) > 0.0 {
            fw = f(w);
            if fw < fc {
                return (xb, w, xc);
            } else if fw > fb {
                return (xa, xb, w);
            }
            w = xc + GOLD * (xc - xb);
            fw = f(w);
        } else if (w - wlim) * (wlim - xc) >= 0.0 {
            w = wlim;
            fw = f(w);
        } else if (w - wlim) * (xc - w) > 0.0 {
            fw = f(w);
            if fw < fc {
                xb = xc;
                xc = w;
                w = xc + GOLD * (xc - xb);
                fb = fc;
                fc = fw;
                fw = f(w);
            }
        } else {
            w = xc + GOLD * (xc - xb);
            fw = f(w);
        }
        xa = xb;
        xb = xc;
        xc = w;
        fa = fb;
        fb = fc;
        fc = fw;
    }
    (xa, xb, xc)
}

/// SciPy's Brent minimiser (`optimize.brent`, tol 1.48e-8) inside a bracket.
fn brent(f: &dyn Fn(f64) -> f64, (xa, xb, xc): (f64, f64, f64)) -> f64 {
    const TOL: f64 = 1.48e-8;
    const MIN_TOL: f64 = 1.0e-11;
    const CG: f64 = 0.381_966_0;
    let (mut x, mut w, mut v) = (xb, xb, xb);
    let mut fx = f(x);
    let (mut fw, mut fv) = (fx, fx);
    let (mut a, mut b) = if xa < xc { (xa, xc) } else { (xc, xa) };
    let (mut deltax, mut rat) = (0.0f64, 0.0f64);
    for _ in 0..500 {
        let tol1 = TOL * x.abs() + MIN_TOL;
        let tol2 = 2.0 * tol1;
        let xmid = 0.5 * (a + b);
        if (x - xmid).abs() < tol2 - 0.5 * (b - a) {
            break;
        }
        if deltax.abs() <= tol1 {
            deltax = if x >= xmid { a - x } else { b - x };
            rat = CG * deltax;
        } else {
            let tmp1 = (x - w) * (fx - fv);
            let mut tmp2 = (x - v) * (fx - fw);
            let mut p = (x - v) * tmp2 - (x - w) * tmp1;
            tmp2 = 2.0 * (tmp2 - tmp1);
            if tmp2 > 0.0 {
                p = -p;
            }
            tmp2 = tmp2.abs();
            let dx_temp = deltax;
            deltax = rat;
            if p > tmp2 * (a - x) && p < tmp2 * (b - x) && p.abs() < (0.5 * tmp2 * dx_temp).abs() {
                rat = p / tmp2;
                let u = x + rat;
                if (u - a) < tol2 || (b - u) < tol2 {
                    rat = if xmid - x >= 0.0 { tol1 } else { -tol1 };
                }
            } else {
                deltax = if x >= xmid { a - x } else { b - x };
                rat = CG * deltax;
            }
        }
        let u = if rat.abs() < tol1 {
            if rat >= 0.0 {
                x + tol1
            } else {
                x - tol1
            }
        } else {
            x + rat
        };
        let fu = f(u);
        if fu > fx {
            if u < x {
                a = u;
            } else {
                b = u;
            }
            if fu <= fw || w == x {
                v = w;
                w = u;
                fv = fw;
                fw = fu;
            } else if fu <= fv || v == x || v == w {
                v = u;
                fv = fu;
            }
        } else {
            if u >= x {
                a = x;
            } else {
                b = x;
            }
            v = w;
            w = x;
            x = u;
            fv = fw;
            fw = fx;
            fx = fu;
        }
    }
    x
}

/// The maximum-likelihood power for the values `xs` (bracket search from (−2, 2), then Brent).
pub fn optimal_lambda(xs: &[f64]) -> f64 {
    let log_terms = pairwise_sum_map(xs, |x| x.signum() * x.abs().ln_1p());
    let f = |lambda: f64| neg_log_likelihood(xs, log_terms, lambda);
    brent(&f, bracket(&f, -2.0, 2.0))
}

impl PowerParams {
    /// Finds each column's power (and scaling).
    pub fn fit(&self, table: &Table, target: Option<&str>) -> Result<(FittedPower, StepReport)> {
        let mut columns = Vec::new();
        let mut summary = Vec::new();
        for index in self.columns.resolve(table, target)? {
            let Some(column) = table.columns.get(index) else { continue };
            let ColumnData::Numbers { values, .. } = &column.data else {
                return Err(Error::InvalidParam {
                    name: "columns".into(),
                    reason: format!(
                        "`{}` is {}: power transforms apply to numbers",
                        column.name,
                        column.kind.name()
                    ),
                });
            };
            let present: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
            if present.len() < 2 {
                summary.push(format!("`{}` has too few values to fit: left as it is", column.name));
                continue;
            }
            let lambda = optimal_lambda(&present);
            let (mean, scale) = if self.standardize {
                let t: Vec<f64> = present.iter().map(|&x| yeo_johnson(x, lambda)).collect();
                let n = t.len() as f64;
                let mean = pairwise_sum(&t) / n;
                let std = (t.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n).sqrt();
                (mean, if std == 0.0 || !std.is_finite() { 1.0 } else { std })
            } else {
                (0.0, 1.0)
            };
            summary.push(format!("`{}`: Yeo–Johnson with λ = {}", column.name, readable(lambda)));
            columns.push(ColumnPower { column: column.name.clone(), lambda, mean, scale });
        }
        Ok((FittedPower { columns }, StepReport::new("yeo_johnson", summary)))
    }
}

impl FittedPower {
    /// Transforms the fitted columns (missing stays missing).
    pub fn transform(&self, table: &Table) -> Result<Table> {
        let mut out = table.clone();
        for fitted in &self.columns {
            let column = out.column_mut_or_err(&fitted.column)?;
            let values: Vec<f64> = column
                .numbers()
                .ok_or_else(|| Error::InvalidParam {
                    name: "columns".into(),
                    reason: format!("`{}` is no longer numeric", fitted.column),
                })?
                .iter()
                .map(|&x| (yeo_johnson(x, fitted.lambda) - fitted.mean) / fitted.scale)
                .collect();
            *column = Column::from_numbers(fitted.column.clone(), ColumnKind::Float, values);
        }
        Ok(out)
    }
}

/// Yeo–Johnson powers (and scaling) learnt on the training rows.
impl Step for PowerParams {
    type Fitted = FittedPower;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(FittedPower, Table, StepReport)> {
        let (fitted, report) = self.fit(table, target)?;
        let out = fitted.transform(table)?;
        Ok((fitted, out, report))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transform_by_hand() {
        for x in [-3.0, -0.5, 0.0, 0.5, 7.0] {
            assert!((yeo_johnson(x, 1.0) - x).abs() < 1e-12, "λ = 1 is the identity");
        }
        assert!((yeo_johnson(std::f64::consts::E - 1.0, 0.0) - 1.0).abs() < 1e-15, "λ = 0: ln(1 + x)");
        assert!(
            (yeo_johnson(-(std::f64::consts::E - 1.0), 2.0) + 1.0).abs() < 1e-15,
            "λ = 2, x < 0: -ln(1 - x)"
        );
        assert_eq!(yeo_johnson(3.0, 2.0), 7.5, "((3 + 1)² - 1) / 2");
    }

    #[test]
    fn symmetric_data_needs_no_power() {
        let xs: Vec<f64> = (-50..=50).map(f64::from).collect();
        assert!((optimal_lambda(&xs) - 1.0).abs() < 1e-6, "{}", optimal_lambda(&xs));
    }
}
