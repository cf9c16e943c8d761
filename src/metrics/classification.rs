//! Classification metrics (scikit-learn's definitions; classes are indices 0..k, index 1 is the positive
//! class of a binary problem).

use crate::numeric::{MatrixView, RowMajor};

/// Share of correct predictions.
pub fn accuracy(truth: &[usize], pred: &[usize]) -> f64 {
    let hits = truth.iter().zip(pred).filter(|(t, p)| t == p).count();
    hits as f64 / truth.len().max(1) as f64
}

/// Per class: (true positives, predicted count, actual count).
fn counts(truth: &[usize], pred: &[usize], k: usize) -> Vec<(f64, f64, f64)> {
    let mut c = vec![(0.0, 0.0, 0.0); k];
    for (&t, &p) in truth.iter().zip(pred) {
        if let Some(e) = c.get_mut(p) {
            e.1 += 1.0;
        }
        if let Some(e) = c.get_mut(t) {
            e.2 += 1.0;
            if t == p {
                e.0 += 1.0;
            }
        }
    }
    c
}

fn ratio(a: f64, b: f64) -> f64 {
    // scikit-learn's zero_division="warn" scores an undefined ratio as 0.
    if b == 0.0 {
        0.0
    } else {
        a / b
    }
}

/// How per-class scores are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Average {
    /// The positive class (index 1) alone.
    Binary,
    /// Unweighted mean over classes present in truth or predictions.
    Macro,
    /// Mean weighted by each class's support.
    Weighted,
}

/// Precision, recall and F1 combined by `average`.
pub fn precision_recall_f1(truth: &[usize], pred: &[usize], k: usize, average: Average) -> (f64, f64, f64) {
    let c = counts(truth, pred, k);
    let per: Vec<(f64, f64, f64, f64)> = c
        .iter()
        .map(|&(tp, predicted, actual)| {
            let p = ratio(tp, predicted);
            let r = ratio(tp, actual);
            (p, r, ratio(2.0 * tp, predicted + actual), actual)
        })
        .collect();
    match average {
        Average::Binary => per.get(1).map_or((0.0, 0.0, 0.0), |&(p, r, f, _)| (p, r, f)),
        Average::Macro => {
            let present: Vec<_> =
                per.iter().zip(&c).filter(|(_, e)| e.1 + e.2 > 0.0).map(|(p, _)| *p).collect();
            let n = present.len().max(1) as f64;
            let sum = present.iter().fold((0.0, 0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1, a.2 + p.2));
            (sum.0 / n, sum.1 / n, sum.2 / n)
        }
        Average::Weighted => {
            let total: f64 = per.iter().map(|p| p.3).sum::<f64>().max(f64::MIN_POSITIVE);
            let sum =
                per.iter().fold((0.0, 0.0, 0.0), |a, p| (a.0 + p.0 * p.3, a.1 + p.1 * p.3, a.2 + p.2 * p.3));
            (sum.0 / total, sum.1 / total, sum.2 / total)
        }
    }
}

/// From the per-class [`counts`]: (rows scored, rows predicted correctly, Σ over classes of actual × predicted
/// count) — all that Matthews' coefficient and Cohen's kappa need of the confusion matrix.
fn agreement(c: &[(f64, f64, f64)]) -> (f64, f64, f64) {
    let n: f64 = c.iter().map(|e| e.2).sum();
    let correct: f64 = c.iter().map(|e| e.0).sum();
    let chance: f64 = c.iter().map(|e| e.1 * e.2).sum();
    (n, correct, chance)
}

/// Matthews correlation coefficient (the multiclass form of Gorodkin 2004, as scikit-learn); 0.0 when
/// either the truth or the predictions hold a single class.
pub fn matthews_corrcoef(truth: &[usize], pred: &[usize], k: usize) -> f64 {
    let c = counts(truth, pred, k);
    let (n, correct, chance) = agreement(&c);
    let cov_pred = n * n - c.iter().map(|e| e.1 * e.1).sum::<f64>();
    let cov_true = n * n - c.iter().map(|e| e.2 * e.2).sum::<f64>();
    if cov_pred * cov_true == 0.0 {
        return 0.0;
    }
    (correct * n - chance) / (cov_true * cov_pred).sqrt()
}

/// Cohen's kappa (unweighted): agreement beyond what the two marginal distributions give by chance. None
/// when chance agreement is already perfect (one class only), where scikit-learn returns NaN.
pub fn cohen_kappa(truth: &[usize], pred: &[usize], k: usize) -> Option<f64> {
    let (n, correct, chance) = agreement(&counts(truth, pred, k));
    // Disagreements observed, and expected from the margins alone: (n² − Σ actual × predicted) / n.
    let observed = n - correct;
    let expected = (n * n - chance) / n;
    (expected != 0.0).then(|| 1.0 - observed / expected)
}

/// Brier score: the mean squared difference between the predicted probabilities and the one-hot truth —
/// for a binary problem of the positive class's probability alone, for several classes summed over classes
/// (scikit-learn's `brier_score_loss` with `scale_by_half="auto"`).
pub fn brier_score(truth: &[usize], proba: MatrixView<'_>) -> f64 {
    let n = truth.len().max(1) as f64;
    let total: f64 = truth
        .iter()
        .zip(proba.row_slices())
        .map(|(&t, row)| {
            if row.len() <= 2 {
                let p = row.get(1).copied().unwrap_or(0.0);
                let y = if t == 1 { 1.0 } else { 0.0 };
                (p - y) * (p - y)
            } else {
                row.iter().enumerate().map(|(c, &p)| if c == t { (1.0 - p) * (1.0 - p) } else { p * p }).sum()
            }
        })
        .sum();
    total / n
}

/// Mean recall over the classes present in the truth.
pub fn balanced_accuracy(truth: &[usize], pred: &[usize], k: usize) -> f64 {
    let c = counts(truth, pred, k);
    let recalls: Vec<f64> = c.iter().filter(|e| e.2 > 0.0).map(|e| e.0 / e.2).collect();
    recalls.iter().sum::<f64>() / recalls.len().max(1) as f64
}

/// Area under the ROC curve of `scores` for `positive` labels (ties count half: the Mann–Whitney form).
/// None when only one kind of label is present.
pub fn binary_auc(positive: &[bool], scores: &[f64]) -> Option<f64> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let (mut rank_sum, mut i) = (0.0, 0);
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        let avg_rank = (i + j) as f64 / 2.0 + 1.0;
        for &o in &order[i..=j] {
            if positive.get(o).copied().unwrap_or(false) {
                rank_sum += avg_rank;
            }
        }
        i = j + 1;
    }
    let n_pos = positive.iter().filter(|&&p| p).count() as f64;
    let n_neg = positive.len() as f64 - n_pos;
    if n_pos == 0.0 || n_neg == 0.0 {
        return None;
    }
    Some((rank_sum - n_pos * (n_pos + 1.0) / 2.0) / (n_pos * n_neg))
}

/// How the one-vs-rest scores of several classes are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OneVsRest {
    /// Unweighted mean over the classes.
    Macro,
    /// Mean weighted by each class's support in the truth.
    Weighted,
}

/// A ranking score (`binary`: ROC AUC or average precision of scores for positive rows): of the positive
/// class's probability when there are two classes, otherwise per class one-vs-rest combined by `average`.
/// None when undefined: for several classes, when a class is missing from `truth` (scikit-learn raises an
/// error there, which cross-validation records as NaN).
fn one_vs_rest(
    truth: &[usize],
    proba: MatrixView<'_>,
    average: OneVsRest,
    binary: impl Fn(&[bool], &[f64]) -> Option<f64>,
) -> Option<f64> {
    if proba.ncols() == 2 {
        let positive: Vec<bool> = truth.iter().map(|&t| t == 1).collect();
        return binary(&positive, &proba.column_vec(1));
    }
    let mut weighted_sum = 0.0;
    let mut weights = 0.0;
    for c in 0..proba.ncols() {
        let positive: Vec<bool> = truth.iter().map(|&t| t == c).collect();
        let support = positive.iter().filter(|&&p| p).count();
        if support == 0 {
            return None;
        }
        let weight = match average {
            OneVsRest::Macro => 1.0,
            OneVsRest::Weighted => support as f64,
        };
        weighted_sum += binary(&positive, &proba.column_vec(c))? * weight;
        weights += weight;
    }
    (weights > 0.0).then(|| weighted_sum / weights)
}

/// ROC AUC: binary on the positive class's probability, multiclass one-vs-rest (scikit-learn's `roc_auc`,
/// `roc_auc_ovr`, `roc_auc_ovr_weighted`). None when undefined (one class in `truth`).
pub fn roc_auc(truth: &[usize], proba: MatrixView<'_>, average: OneVsRest) -> Option<f64> {
    one_vs_rest(truth, proba, average, binary_auc)
}

/// Average precision (the area under the precision–recall curve without interpolation): binary on the
/// positive class's probability, multiclass one-vs-rest (scikit-learn's `average_precision_score`).
pub fn average_precision(truth: &[usize], proba: MatrixView<'_>, average: OneVsRest) -> Option<f64> {
    one_vs_rest(truth, proba, average, |positive, scores| {
        Some(super::curves::average_precision(positive, scores))
    })
}

/// Rows of true class `i` predicted as class `j`, at `[i][j]` (scikit-learn's `confusion_matrix`).
pub fn confusion_matrix(truth: &[usize], pred: &[usize], k: usize) -> Vec<Vec<usize>> {
    let mut matrix = vec![vec![0; k]; k];
    for (&t, &p) in truth.iter().zip(pred) {
        if let Some(cell) = matrix.get_mut(t).and_then(|row| row.get_mut(p)) {
            *cell += 1;
        }
    }
    matrix
}

/// The confusion matrix with each row divided by its total (`normalize="true"`): the share of each true
/// class predicted as each class; rows of a class absent from the truth are all 0, as scikit-learn.
pub fn normalised_by_truth(matrix: &[Vec<usize>]) -> Vec<Vec<f64>> {
    matrix
        .iter()
        .map(|row| {
            let total: usize = row.iter().sum();
            row.iter().map(|&c| if total == 0 { 0.0 } else { c as f64 / total as f64 }).collect()
        })
        .collect()
}

/// One class's line of scikit-learn's `classification_report`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ClassScores {
    /// Share of rows predicted as the class that are of it (0 when none is predicted).
    pub precision: f64,
    /// Share of the class's rows predicted as it (0 when it has none).
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Rows of the class in the truth.
    pub support: usize,
}

/// Precision, recall, F1 and support of every class.
pub fn per_class(truth: &[usize], pred: &[usize], k: usize) -> Vec<ClassScores> {
    counts(truth, pred, k)
        .into_iter()
        .map(|(tp, predicted, actual)| ClassScores {
            precision: ratio(tp, predicted),
            recall: ratio(tp, actual),
            f1: ratio(2.0 * tp, predicted + actual),
            support: actual as usize,
        })
        .collect()
}

/// Mean cross-entropy of the probabilities (clipped away from 0 as scikit-learn does).
pub fn log_loss(truth: &[usize], proba: MatrixView<'_>) -> f64 {
    let total: f64 =
        truth.iter().enumerate().map(|(i, &t)| -proba.at(i, t).clamp(1e-15, 1.0 - 1e-15).ln()).sum();
    total / truth.len().max(1) as f64
}
