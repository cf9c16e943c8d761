//! Principal axes by an SVD of the centred values (nalgebra), shared by PCA and the cluster projection.

use nalgebra::DMatrix;

use super::stats::pairwise_sum;
use crate::error::{Error, Result};

/// Principal axes of some columns: their means, the unit axes (largest variance first, signs as
/// scikit-learn's `svd_flip`), the variance along each and its share of the total.
pub struct Axes {
    /// Mean of each column.
    pub means: Vec<f64>,
    /// Unit axes, largest variance first (one coordinate per column).
    pub components: Vec<Vec<f64>>,
    /// Variance along each axis (divided by n − 1).
    pub variances: Vec<f64>,
    /// Each axis's share of the total variance.
    pub ratios: Vec<f64>,
}

/// The principal axes of `data` (one vector per column, `n` rows each) by an SVD of the centred values.
pub fn principal_axes(data: &[Vec<f64>], n: usize) -> Result<Axes> {
    let p = data.len();
    let means: Vec<f64> = data.iter().map(|c| pairwise_sum(c) / n as f64).collect();
    let centered = DMatrix::from_fn(n, p, |r, c| {
        data.get(c).and_then(|col| col.get(r)).copied().unwrap_or(0.0) - means.get(c).copied().unwrap_or(0.0)
    });
    let svd = centered.svd(false, true);
    let v_t = svd.v_t.ok_or_else(|| Error::InvalidParam {
        name: "columns".into(),
        reason: "the SVD did not converge".into(),
    })?;
    let mut order: Vec<usize> = (0..svd.singular_values.len()).collect();
    let singular = |i: usize| svd.singular_values.get(i).copied().unwrap_or(0.0);
    order.sort_by(|&a, &b| singular(b).total_cmp(&singular(a)));
    let variances: Vec<f64> = order.iter().map(|&i| singular(i).powi(2) / (n as f64 - 1.0)).collect();
    let total: f64 = variances.iter().sum();
    let ratios: Vec<f64> = variances.iter().map(|v| if total > 0.0 { v / total } else { 0.0 }).collect();
    let components = order
        .iter()
        .map(|&i| {
            let row: Vec<f64> = (0..p).map(|j| v_t.get((i, j)).copied().unwrap_or(0.0)).collect();
            // scikit-learn's svd_flip: the coordinate of largest magnitude is positive.
            let largest = row.iter().copied().fold(0.0f64, |m, v| if v.abs() > m.abs() { v } else { m });
            if largest < 0.0 {
                row.iter().map(|v| -v).collect()
            } else {
                row
            }
        })
        .collect();
    Ok(Axes { means, components, variances, ratios })
}
