//! Diagnostics of a fitted model, computed once on its held-out rows (the test rows, else the validation
//! rows, else the training rows) and kept in the Report as plain data: the confusion matrix and per-class
//! scores, ROC / precision–recall / calibration curves and a threshold scan for classifiers; predicted
//! against actual values and the residuals for regressors; a 2-D projection, silhouettes and an elbow scan
//! for clusterings. Charts are drawn from this data by [`crate::charts::evaluation`].

mod classification;
mod clustering;
mod regression;

use serde::Serialize;

pub use classification::{ClassCurve, ClassDiagnostics, ThresholdScan};
pub use clustering::{ClusterDiagnostics, ElbowPoint, Projection, SilhouetteGroup};
pub use regression::RegressionDiagnostics;

use crate::error::Result;
use crate::models::matrix::Matrix;
use crate::models::Predictions;

/// Most points kept of a curve or scatter in the Report: enough to draw, small enough to ship to the page.
pub const MAX_POINTS: usize = 2_000;

/// What was learnt about the model from one set of rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The rows the diagnostics come from: `test`, `validation` or `training`.
    pub set: String,
    /// How many rows that is.
    pub rows: usize,
    /// Classification diagnostics.
    pub classification: Option<ClassDiagnostics>,
    /// Regression diagnostics.
    pub regression: Option<RegressionDiagnostics>,
    /// Clustering diagnostics.
    pub clustering: Option<ClusterDiagnostics>,
}

/// What the diagnostics are computed from.
pub struct HeldOut<'a> {
    /// `test`, `validation` or `training`.
    pub set: &'a str,
    /// The prepared features of the rows.
    pub x: &'a Matrix,
    /// The model's predictions for them.
    pub predictions: &'a Predictions,
    /// Regression: the true values.
    pub values: &'a [f64],
    /// Classification: the true class indices.
    pub classes: &'a [usize],
    /// The class labels.
    pub class_names: &'a [String],
    /// Each row's number in the data as loaded (1 is the first data row), for listing rows.
    pub row_numbers: &'a [usize],
}

/// Computes the diagnostics that fit the predictions' kind. `seed` drives the elbow scan's k-means.
pub fn evaluate(held_out: &HeldOut, seed: u64) -> Result<Evaluation> {
    let mut evaluation = Evaluation {
        set: held_out.set.to_string(),
        rows: held_out.predictions.len(),
        classification: None,
        regression: None,
        clustering: None,
    };
    match held_out.predictions {
        Predictions::Classes { labels, proba } => {
            evaluation.classification = Some(classification::diagnose(
                held_out.classes,
                labels,
                proba,
                held_out.class_names,
                held_out.row_numbers,
            ));
        }
        Predictions::Values(predicted) => {
            evaluation.regression =
                Some(regression::diagnose(held_out.values, predicted, held_out.row_numbers));
        }
        Predictions::Clusters(labels) => {
            evaluation.clustering = Some(clustering::diagnose(held_out.x, labels, seed)?);
        }
    }
    Ok(evaluation)
}

/// At most `max` indices spread evenly over `0..n`, always including the first and the last.
pub(crate) fn evenly_spaced(n: usize, max: usize) -> Vec<usize> {
    if n <= max || max < 2 {
        return (0..n.min(max)).collect();
    }
    let mut picked: Vec<usize> =
        (0..max).map(|i| ((i as f64) * (n - 1) as f64 / (max - 1) as f64).round() as usize).collect();
    picked.dedup();
    picked
}

/// The values of `values` at `indices` (indices out of range are skipped).
pub(crate) fn pick<T: Clone>(values: &[T], indices: &[usize]) -> Vec<T> {
    indices.iter().filter_map(|&i| values.get(i).cloned()).collect()
}

#[cfg(test)]
mod tests {
    use super::evenly_spaced;

    #[test]
    fn evenly_spaced_keeps_both_ends_and_the_limit() {
        assert_eq!(evenly_spaced(5, 10), vec![0, 1, 2, 3, 4]);
        assert_eq!(evenly_spaced(101, 3), vec![0, 50, 100]);
        let picked = evenly_spaced(10_000, 500);
        assert_eq!(picked.len(), 500);
        assert_eq!(picked.last(), Some(&9_999));
        assert!(picked.windows(2).all(|w| w[0] < w[1]));
    }
}
