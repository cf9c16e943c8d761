//! Classifier diagnostics: confusion matrix (with the rows in each cell), per-class scores, ROC and
//! precision–recall curves per class (one for a binary problem), calibration curve and threshold scan
//! (binary).

use serde::Serialize;

use super::MAX_POINTS;
use crate::metrics::classification::{
    binary_auc, confusion_matrix, normalised_by_truth, per_class, ClassScores,
};
use crate::metrics::curves::{
    average_precision, calibration_curve, precision_recall_curve, roc_curve, Calibration,
};
use crate::numeric::{evenly_spaced, pick, MatrixView, RowMajor};

/// Row numbers kept per confusion-matrix cell (the page lists them when the cell is clicked).
pub const CELL_ROWS: usize = 200;

/// Bins of the calibration curve.
pub const CALIBRATION_BINS: usize = 10;

/// A curve of one class against the rest (for a binary problem, of the positive class).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassCurve {
    /// The class.
    pub class: String,
    /// The area under it: ROC AUC, or average precision for a precision–recall curve (None when the
    /// class or its complement is absent).
    pub area: Option<f64>,
    /// Horizontal coordinates (false positive rate, or recall).
    pub x: Vec<f64>,
    /// Vertical coordinates (true positive rate, or precision).
    pub y: Vec<f64>,
}

/// Precision, recall and F1 of the positive class if rows scoring at least each threshold were called
/// positive (from the precision–recall curve).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThresholdScan {
    /// Increasing thresholds on the positive class's probability.
    pub thresholds: Vec<f64>,
    /// Precision at each threshold.
    pub precision: Vec<f64>,
    /// Recall at each threshold.
    pub recall: Vec<f64>,
    /// F1 at each threshold.
    pub f1: Vec<f64>,
}

/// Everything a classifier's diagnostics show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassDiagnostics {
    /// Rows of true class i predicted as class j, at `[i][j]`.
    pub confusion: Vec<Vec<usize>>,
    /// Each row of `confusion` divided by its total.
    pub confusion_normalised: Vec<Vec<f64>>,
    /// Row numbers (1 = first data row of the file) in each cell, at most [`CELL_ROWS`] per cell.
    pub cell_rows: Vec<Vec<Vec<usize>>>,
    /// Precision, recall, F1 and support per class.
    pub per_class: Vec<ClassScores>,
    /// ROC curves: the positive class of a binary problem, else one per class (one-vs-rest).
    pub roc: Vec<ClassCurve>,
    /// Precision–recall curves, as `roc`.
    pub precision_recall: Vec<ClassCurve>,
    /// Binary: the calibration curve of the positive class ([`CALIBRATION_BINS`] uniform bins).
    pub calibration: Option<Calibration>,
    /// Binary: precision, recall and F1 against the decision threshold.
    pub thresholds: Option<ThresholdScan>,
}

/// The diagnostics of predicted `labels` and probabilities `proba` against `truth`.
pub fn diagnose(
    truth: &[usize],
    labels: &[usize],
    proba: MatrixView<'_>,
    class_names: &[String],
    row_numbers: &[usize],
) -> ClassDiagnostics {
    let k = class_names.len().max(proba.ncols());
    let confusion = confusion_matrix(truth, labels, k);
    let mut cell_rows = vec![vec![Vec::new(); k]; k];
    for ((&t, &p), &row) in truth.iter().zip(labels).zip(row_numbers) {
        if let Some(cell) = cell_rows.get_mut(t).and_then(|r: &mut Vec<Vec<usize>>| r.get_mut(p)) {
            if cell.len() < CELL_ROWS {
                cell.push(row);
            }
        }
    }
    let name = |c: usize| class_names.get(c).cloned().unwrap_or_else(|| c.to_string());
    let classes: Vec<usize> = if proba.ncols() == 2 { vec![1] } else { (0..proba.ncols()).collect() };
    let mut roc = Vec::new();
    let mut precision_recall = Vec::new();
    for &c in &classes {
        let positive: Vec<bool> = truth.iter().map(|&t| t == c).collect();
        let scores = proba.column_vec(c);
        let both_present = positive.iter().any(|&p| p) && positive.iter().any(|&p| !p);
        let curve = roc_curve(&positive, &scores);
        let area = binary_auc(&positive, &scores);
        let (x, y) = thin(&curve.fpr, &curve.tpr);
        roc.push(ClassCurve { class: name(c), area, x, y });
        let curve = precision_recall_curve(&positive, &scores);
        let area = both_present.then(|| average_precision(&positive, &scores));
        let (x, y) = thin(&curve.recall, &curve.precision);
        precision_recall.push(ClassCurve { class: name(c), area, x, y });
    }
    let (calibration, thresholds) = if proba.ncols() == 2 {
        let positive: Vec<bool> = truth.iter().map(|&t| t == 1).collect();
        let scores = proba.column_vec(1);
        (
            Some(calibration_curve(&positive, &scores, CALIBRATION_BINS)),
            Some(threshold_scan(&positive, &scores)),
        )
    } else {
        (None, None)
    };
    ClassDiagnostics {
        confusion_normalised: normalised_by_truth(&confusion),
        confusion,
        cell_rows,
        per_class: per_class(truth, labels, k),
        roc,
        precision_recall,
        calibration,
        thresholds,
    }
}

/// At most [`MAX_POINTS`] of a curve's points, evenly spaced along it.
fn thin(x: &[f64], y: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let keep = evenly_spaced(x.len().min(y.len()), MAX_POINTS);
    (pick(x, &keep), pick(y, &keep))
}

fn threshold_scan(positive: &[bool], scores: &[f64]) -> ThresholdScan {
    let curve = precision_recall_curve(positive, scores);
    let keep = evenly_spaced(curve.thresholds.len(), MAX_POINTS);
    let precision = pick(&curve.precision, &keep);
    let recall = pick(&curve.recall, &keep);
    let f1 = precision
        .iter()
        .zip(&recall)
        .map(|(p, r)| if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 })
        .collect();
    ThresholdScan { thresholds: pick(&curve.thresholds, &keep), precision, recall, f1 }
}
