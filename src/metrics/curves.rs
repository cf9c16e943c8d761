//! Threshold curves of a binary score, point for point as scikit-learn computes them: `roc_curve` (with
//! `drop_intermediate=True`), `precision_recall_curve`, `average_precision_score` and `calibration_curve`
//! (uniform bins).

use serde::Serialize;

/// Cumulative counts at each distinct score, highest score first (scikit-learn's
/// `confusion_matrix_at_thresholds`): `fps[i]`/`tps[i]` are the negatives/positives scoring at least
/// `thresholds[i]`.
struct Counts {
    fps: Vec<f64>,
    tps: Vec<f64>,
    thresholds: Vec<f64>,
}

fn counts_at_thresholds(positive: &[bool], scores: &[f64]) -> Counts {
    let mut order: Vec<(f64, bool)> = scores.iter().copied().zip(positive.iter().copied()).collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out = Counts { fps: Vec::new(), tps: Vec::new(), thresholds: Vec::new() };
    let mut tp = 0.0;
    for (i, &(score, is_positive)) in order.iter().enumerate() {
        if is_positive {
            tp += 1.0;
        }
        // A threshold is kept at the last row of each run of equal scores.
        let last_of_run = order.get(i + 1).is_none_or(|next| next.0 != score);
        if last_of_run {
            out.tps.push(tp);
            out.fps.push((i + 1) as f64 - tp);
            out.thresholds.push(score);
        }
    }
    out
}

/// A receiver operating characteristic curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Roc {
    /// False positive rate at each threshold (NaN when no negatives exist).
    pub fpr: Vec<f64>,
    /// True positive rate at each threshold (NaN when no positives exist).
    pub tpr: Vec<f64>,
    /// Decreasing thresholds; the first is +∞ (no row predicted positive), serialised as null.
    pub thresholds: Vec<f64>,
}

/// The ROC curve of `scores` for the `positive` rows, with collinear intermediate points dropped.
pub fn roc_curve(positive: &[bool], scores: &[f64]) -> Roc {
    let Counts { mut fps, mut tps, mut thresholds } = counts_at_thresholds(positive, scores);
    if fps.len() > 2 {
        // Keep a point where the curve bends: a non-zero second difference of fps or tps.
        let keep: Vec<bool> = (0..fps.len())
            .map(|i| {
                if i == 0 || i + 1 == fps.len() {
                    return true;
                }
                let bend = |v: &[f64]| match (v.get(i - 1), v.get(i), v.get(i + 1)) {
                    (Some(a), Some(b), Some(c)) => c - 2.0 * b + a != 0.0,
                    _ => true,
                };
                bend(&fps) || bend(&tps)
            })
            .collect();
        let filter = |v: &mut Vec<f64>| {
            let mut flags = keep.iter();
            v.retain(|_| flags.next().copied().unwrap_or(true));
        };
        filter(&mut fps);
        filter(&mut tps);
        filter(&mut thresholds);
    }
    fps.insert(0, 0.0);
    tps.insert(0, 0.0);
    thresholds.insert(0, f64::INFINITY);
    let rate = |v: &[f64]| {
        let last = v.last().copied().unwrap_or(0.0);
        v.iter().map(|&x| if last <= 0.0 { f64::NAN } else { x / last }).collect()
    };
    Roc { fpr: rate(&fps), tpr: rate(&tps), thresholds }
}

/// A precision–recall curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrecisionRecall {
    /// Precision at each threshold, then 1.0 (one more value than `thresholds`).
    pub precision: Vec<f64>,
    /// Recall at each threshold (decreasing), then 0.0.
    pub recall: Vec<f64>,
    /// Increasing thresholds.
    pub thresholds: Vec<f64>,
}

/// The precision–recall curve of `scores` for the `positive` rows (every distinct score is a threshold).
pub fn precision_recall_curve(positive: &[bool], scores: &[f64]) -> PrecisionRecall {
    let Counts { fps, tps, mut thresholds } = counts_at_thresholds(positive, scores);
    let total_positive = tps.last().copied().unwrap_or(0.0);
    let mut precision: Vec<f64> =
        tps.iter().zip(&fps).map(|(&tp, &fp)| if tp + fp != 0.0 { tp / (tp + fp) } else { 0.0 }).collect();
    // With no positive row at all scikit-learn sets every recall to 1.
    let mut recall: Vec<f64> =
        tps.iter().map(|&tp| if total_positive == 0.0 { 1.0 } else { tp / total_positive }).collect();
    precision.reverse();
    recall.reverse();
    thresholds.reverse();
    precision.push(1.0);
    recall.push(0.0);
    PrecisionRecall { precision, recall, thresholds }
}

/// Average precision: Σ (Rₙ − Rₙ₋₁) Pₙ over the precision–recall curve (no interpolation).
pub fn average_precision(positive: &[bool], scores: &[f64]) -> f64 {
    let curve = precision_recall_curve(positive, scores);
    -curve.recall.windows(2).zip(&curve.precision).map(|(r, &p)| (r[1] - r[0]) * p).sum::<f64>()
}

/// A reliability diagram: per non-empty probability bin, the share of positives and the mean probability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// Share of positive rows in each non-empty bin.
    pub prob_true: Vec<f64>,
    /// Mean predicted probability in each non-empty bin.
    pub prob_pred: Vec<f64>,
    /// Rows in each non-empty bin.
    pub counts: Vec<usize>,
}

/// The calibration curve of `probabilities` of the `positive` rows over `n_bins` equal-width bins of [0, 1]
/// (a probability on an inner edge goes to the lower bin, as numpy's `searchsorted`).
pub fn calibration_curve(positive: &[bool], probabilities: &[f64], n_bins: usize) -> Calibration {
    let n_bins = n_bins.max(1);
    let step = 1.0 / n_bins as f64;
    let inner_edges: Vec<f64> = (1..n_bins).map(|i| i as f64 * step).collect();
    let mut sums = vec![(0.0, 0.0, 0usize); n_bins];
    for (&p, &is_positive) in probabilities.iter().zip(positive) {
        let bin = inner_edges.partition_point(|&edge| edge < p);
        if let Some(s) = sums.get_mut(bin) {
            s.0 += p;
            s.1 += if is_positive { 1.0 } else { 0.0 };
            s.2 += 1;
        }
    }
    let filled = sums.iter().filter(|s| s.2 > 0);
    Calibration {
        prob_true: filled.clone().map(|s| s.1 / s.2 as f64).collect(),
        prob_pred: filled.clone().map(|s| s.0 / s.2 as f64).collect(),
        counts: filled.map(|s| s.2).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roc_of_the_scikit_learn_docstring_example() {
        // roc_curve([1, 1, 2, 2] == 2, [0.1, 0.4, 0.35, 0.8]) from scikit-learn's documentation.
        let roc = roc_curve(&[false, false, true, true], &[0.1, 0.4, 0.35, 0.8]);
        assert_eq!(roc.fpr, vec![0.0, 0.0, 0.5, 0.5, 1.0]);
        assert_eq!(roc.tpr, vec![0.0, 0.5, 0.5, 1.0, 1.0]);
        assert_eq!(roc.thresholds[1..], [0.8, 0.4, 0.35, 0.1]);
    }

    #[test]
    fn precision_recall_of_the_scikit_learn_docstring_example() {
        let pr = precision_recall_curve(&[false, false, true, true], &[0.1, 0.4, 0.35, 0.8]);
        assert_eq!(pr.thresholds, vec![0.1, 0.35, 0.4, 0.8]);
        assert_eq!(pr.recall, vec![1.0, 1.0, 0.5, 0.5, 0.0]);
        let expected = [0.5, 2.0 / 3.0, 0.5, 1.0, 1.0];
        assert!(pr.precision.iter().zip(expected).all(|(a, b)| (a - b).abs() < 1e-15));
        assert!(
            (average_precision(&[false, false, true, true], &[0.1, 0.4, 0.35, 0.8]) - 0.8333333333333333)
                .abs()
                < 1e-15
        );
    }
}
