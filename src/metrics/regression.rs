//! Regression metrics (scikit-learn's definitions).

/// Coefficient of determination: 1 − SS_res / SS_tot (1.0 for a perfect fit of constant data, 0.0 for an
/// imperfect one, as scikit-learn).
pub fn r2(truth: &[f64], pred: &[f64]) -> f64 {
    let n = truth.len().max(1) as f64;
    let mean = truth.iter().sum::<f64>() / n;
    let ss_tot: f64 = truth.iter().map(|t| (t - mean) * (t - mean)).sum();
    let ss_res: f64 = truth.iter().zip(pred).map(|(t, p)| (t - p) * (t - p)).sum();
    if ss_tot == 0.0 {
        return if ss_res == 0.0 { 1.0 } else { 0.0 };
    }
    1.0 - ss_res / ss_tot
}

/// Mean squared error.
pub fn mean_squared_error(truth: &[f64], pred: &[f64]) -> f64 {
    truth.iter().zip(pred).map(|(t, p)| (t - p) * (t - p)).sum::<f64>() / truth.len().max(1) as f64
}

/// Mean absolute error.
pub fn mean_absolute_error(truth: &[f64], pred: &[f64]) -> f64 {
    truth.iter().zip(pred).map(|(t, p)| (t - p).abs()).sum::<f64>() / truth.len().max(1) as f64
}
