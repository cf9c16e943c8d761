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
use crate::numeric::MatrixView;
use crate::task::Predictions;

/// Clusters rows into k groups with a seed, giving the within-cluster sum of squares and each row's cluster:
/// the run hands in k-means (three starts per k, so the elbow is not bent by one unlucky start).
pub type ClusterFit<'a> = &'a dyn Fn(MatrixView<'_>, usize, u64) -> Result<(f64, Vec<i64>)>;

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
    pub x: MatrixView<'a>,
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
    /// Clustering: how to cluster rows into k groups for the elbow scan (none: no scan).
    pub fit_k: Option<ClusterFit<'a>>,
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
                proba.view(),
                held_out.class_names,
                held_out.row_numbers,
            ));
        }
        Predictions::Values(predicted) => {
            evaluation.regression =
                Some(regression::diagnose(held_out.values, predicted, held_out.row_numbers));
        }
        Predictions::Clusters(labels) => {
            evaluation.clustering = Some(clustering::diagnose(held_out.x, labels, held_out.fit_k, seed)?);
        }
    }
    Ok(evaluation)
}
