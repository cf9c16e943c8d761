//! Regression metrics (scikit-learn's definitions).

use crate::numeric::mean_and_variance;

pub use crate::numeric::stats::r2;

/// Mean squared error.
pub fn mean_squared_error(truth: &[f64], pred: &[f64]) -> f64 {
    truth.iter().zip(pred).map(|(t, p)| (t - p) * (t - p)).sum::<f64>() / truth.len().max(1) as f64
}

/// Mean absolute error.
pub fn mean_absolute_error(truth: &[f64], pred: &[f64]) -> f64 {
    truth.iter().zip(pred).map(|(t, p)| (t - p).abs()).sum::<f64>() / truth.len().max(1) as f64
}

/// Root mean squared error.
pub fn root_mean_squared_error(truth: &[f64], pred: &[f64]) -> f64 {
    mean_squared_error(truth, pred).sqrt()
}

/// Median of the absolute errors (the mean of the two middle ones for an even count, as numpy's median).
pub fn median_absolute_error(truth: &[f64], pred: &[f64]) -> f64 {
    let mut errors: Vec<f64> = truth.iter().zip(pred).map(|(t, p)| (t - p).abs()).collect();
    errors.sort_by(f64::total_cmp);
    let mid = errors.len() / 2;
    match (errors.len() % 2, errors.get(mid.wrapping_sub(1)), errors.get(mid)) {
        (0, Some(a), Some(b)) => (a + b) / 2.0,
        (_, _, Some(b)) => *b,
        _ => f64::NAN,
    }
}

/// Explained variance: 1 − Var(truth − pred) / Var(truth); for constant truth 1.0 when the errors are
/// constant too and 0.0 otherwise (scikit-learn's `force_finite`).
pub fn explained_variance(truth: &[f64], pred: &[f64]) -> f64 {
    if truth.is_empty() {
        return 1.0; // as `r2`: nothing to explain, nothing missed
    }
    let diffs: Vec<f64> = truth.iter().zip(pred).map(|(t, p)| t - p).collect();
    let numerator = mean_and_variance(&diffs).1;
    let denominator = mean_and_variance(truth).1;
    if denominator == 0.0 {
        return if numerator == 0.0 { 1.0 } else { 0.0 };
    }
    1.0 - numerator / denominator
}

/// Mean of |truth − pred| / |truth|, a fraction (not a percentage); a true value of 0 divides by the
/// machine epsilon instead, as scikit-learn does, so the result is huge rather than infinite.
pub fn mean_absolute_percentage_error(truth: &[f64], pred: &[f64]) -> f64 {
    truth.iter().zip(pred).map(|(t, p)| (t - p).abs() / t.abs().max(f64::EPSILON)).sum::<f64>()
        / truth.len().max(1) as f64
}

/// The largest absolute error.
pub fn max_error(truth: &[f64], pred: &[f64]) -> f64 {
    truth.iter().zip(pred).map(|(t, p)| (t - p).abs()).fold(0.0, f64::max)
}

/// A regression metric: truth and predictions to a number.
pub type Metric = fn(&[f64], &[f64]) -> f64;

/// Every regression metric by its plain name (errors as positive numbers; the `neg_` names negate them).
pub const BY_NAME: &[(&str, Metric)] = &[
    ("r2", r2),
    ("explained_variance", explained_variance),
    ("mean_squared_error", mean_squared_error),
    ("root_mean_squared_error", root_mean_squared_error),
    ("mean_absolute_error", mean_absolute_error),
    ("median_absolute_error", median_absolute_error),
    ("mean_absolute_percentage_error", mean_absolute_percentage_error),
    ("max_error", max_error),
];

/// The value of regression metric `name` (a plain name, or `neg_` and an error's name); None for an unknown
/// name.
pub fn by_name(name: &str, truth: &[f64], pred: &[f64]) -> Option<f64> {
    let (plain, sign) = match name.strip_prefix("neg_") {
        Some(plain) if !matches!(plain, "r2" | "explained_variance") => (plain, -1.0),
        Some(_) => return None,
        None => (name, 1.0),
    };
    BY_NAME.iter().find(|(n, _)| *n == plain).map(|(_, metric)| sign * metric(truth, pred))
}
