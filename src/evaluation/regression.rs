//! Regressor diagnostics: predicted against actual values (and so the residuals) for a sample of rows, and
//! the histogram of every residual.

use serde::Serialize;

use super::MAX_POINTS;
use crate::numeric::histogram::{histogram, Histogram};
use crate::numeric::{evenly_spaced, pick, stats::sort_floats};

/// Everything a regressor's diagnostics show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegressionDiagnostics {
    /// True values of (at most [`MAX_POINTS`] evenly spaced) rows.
    pub actual: Vec<f64>,
    /// Predictions for the same rows.
    pub predicted: Vec<f64>,
    /// Their row numbers in the data as loaded (1 = first data row).
    pub row_numbers: Vec<usize>,
    /// Histogram of the residuals (actual − predicted) of every row.
    pub residuals: Option<Histogram>,
}

/// The diagnostics of `predicted` against `actual`.
pub fn diagnose(actual: &[f64], predicted: &[f64], row_numbers: &[usize]) -> RegressionDiagnostics {
    let n = actual.len().min(predicted.len());
    let keep = evenly_spaced(n, MAX_POINTS);
    let mut residuals: Vec<f64> = actual.iter().zip(predicted).map(|(a, p)| a - p).collect();
    sort_floats(&mut residuals);
    RegressionDiagnostics {
        actual: pick(actual, &keep),
        predicted: pick(predicted, &keep),
        row_numbers: pick(row_numbers, &keep),
        residuals: histogram(&residuals, false),
    }
}
