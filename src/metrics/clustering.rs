//! Clustering metrics.

use crate::models::matrix::Matrix;

/// Rows the silhouette looks at: it compares every pair, so larger data is sampled evenly.
pub const SILHOUETTE_MAX_ROWS: usize = 3_000;

/// Mean silhouette coefficient over (at most [`SILHOUETTE_MAX_ROWS`] evenly spaced) rows; noise (−1) is
/// left out. None when fewer than 2 or more than n − 1 clusters.
pub fn silhouette(x: &Matrix, labels: &[i64]) -> Option<f64> {
    let step = x.n_rows.div_ceil(SILHOUETTE_MAX_ROWS).max(1);
    let rows: Vec<usize> =
        (0..x.n_rows).step_by(step).filter(|&i| labels.get(i).is_some_and(|&l| l >= 0)).collect();
    let mut ids: Vec<i64> = rows.iter().filter_map(|&i| labels.get(i).copied()).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() < 2 || ids.len() >= rows.len() {
        return None;
    }
    let mut total = 0.0;
    for &i in &rows {
        let own = labels.get(i).copied().unwrap_or(-1);
        let mut sums = vec![(0.0, 0usize); ids.len()];
        for &j in &rows {
            if i == j {
                continue;
            }
            let d: f64 = x.row(i).iter().zip(x.row(j)).map(|(a, b)| (a - b) * (a - b)).sum::<f64>().sqrt();
            if let Ok(c) = ids.binary_search(&labels.get(j).copied().unwrap_or(-1)) {
                if let Some(s) = sums.get_mut(c) {
                    s.0 += d;
                    s.1 += 1;
                }
            }
        }
        let own_index = ids.binary_search(&own).ok();
        let a =
            own_index.and_then(|c| sums.get(c)).map_or(0.0, |s| if s.1 > 0 { s.0 / s.1 as f64 } else { 0.0 });
        let own_size = own_index.and_then(|c| sums.get(c)).map_or(0, |s| s.1);
        let b = sums
            .iter()
            .enumerate()
            .filter(|(c, s)| Some(*c) != own_index && s.1 > 0)
            .map(|(_, s)| s.0 / s.1 as f64)
            .fold(f64::INFINITY, f64::min);
        // A row alone in its cluster scores 0 (scikit-learn's convention).
        if own_size > 0 && b.is_finite() {
            total += (b - a) / a.max(b);
        }
    }
    Some(total / rows.len() as f64)
}
