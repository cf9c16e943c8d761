//! Binning: every feature's values mapped to small integer codes, once, before trees are grown. A feature
//! with at most `max_bins` distinct values gets one bin per value, so splits on it are exactly the splits
//! of an exact CART learner; other features get quantile bins (scikit-learn's HistGradientBoosting rule:
//! midpoint percentiles over the distinct values' positions).

use crate::numeric::{MatrixView, RowMajor};
use serde::{Deserialize, Serialize};

/// The most bins a feature can have (codes are `u16`).
pub const MAX_BINS: usize = 65_535;

/// Per-feature bin edges and the range of training values in each bin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bins {
    /// Per feature, ascending edges: a value's code is the number of edges below it.
    pub edges: Vec<Vec<f64>>,
    /// Per feature and bin, the smallest training value in it.
    pub low: Vec<Vec<f64>>,
    /// Per feature and bin, the largest training value in it.
    pub high: Vec<Vec<f64>>,
}

/// A matrix of codes, column-major (each column is one feature's codes for every row).
#[derive(Debug, Clone)]
pub struct Binned {
    /// Number of rows.
    pub n_rows: usize,
    /// One code vector per feature.
    pub columns: Vec<Vec<u16>>,
    /// Number of bins of each feature.
    pub n_bins: Vec<usize>,
}

impl Bins {
    /// Fits bins on `x` with at most `max_bins` bins per feature (clamped to 2..=[`MAX_BINS`]).
    pub fn fit(x: MatrixView<'_>, max_bins: usize) -> Bins {
        let max_bins = max_bins.clamp(2, MAX_BINS);
        let mut edges = Vec::with_capacity(x.ncols());
        for j in 0..x.ncols() {
            let mut values = x.column_vec(j);
            values.sort_by(f64::total_cmp);
            let mut distinct = values.clone();
            distinct.dedup();
            let feature_edges: Vec<f64> = if distinct.len() <= max_bins {
                distinct.windows(2).map(|w| w[0] / 2.0 + w[1] / 2.0).collect()
            } else {
                let mut e: Vec<f64> = (1..max_bins)
                    .map(|q| midpoint_percentile(&values, q as f64 * 100.0 / max_bins as f64))
                    .collect();
                e.dedup();
                e
            };
            edges.push(feature_edges);
        }
        let mut bins = Bins { edges, low: Vec::new(), high: Vec::new() };
        let binned = bins.transform(x);
        for (j, codes) in binned.columns.iter().enumerate() {
            let n = binned.n_bins.get(j).copied().unwrap_or(1);
            let mut low = vec![f64::INFINITY; n];
            let mut high = vec![f64::NEG_INFINITY; n];
            for (i, &c) in codes.iter().enumerate() {
                let v = x.at(i, j);
                if let (Some(l), Some(h)) = (low.get_mut(c as usize), high.get_mut(c as usize)) {
                    *l = l.min(v);
                    *h = h.max(v);
                }
            }
            bins.low.push(low);
            bins.high.push(high);
        }
        bins
    }

    /// The code of `value` for feature `j`.
    #[inline]
    pub fn code(&self, j: usize, value: f64) -> u16 {
        let edges = self.edges.get(j).map_or(&[][..], Vec::as_slice);
        edges.partition_point(|&e| e < value) as u16
    }

    /// Codes for every value of `x`.
    pub fn transform(&self, x: MatrixView<'_>) -> Binned {
        let columns: Vec<Vec<u16>> =
            (0..x.ncols()).map(|j| x.row_slices().map(|r| self.code(j, r[j])).collect()).collect();
        let n_bins = self.edges.iter().map(|e| e.len() + 1).collect();
        Binned { n_rows: x.nrows(), columns, n_bins }
    }

    /// The value threshold separating codes ≤ `left` from codes ≥ `right` of feature `j`: halfway between
    /// the training values on either side (scikit-learn's exact splitter puts it there too).
    pub fn threshold(&self, j: usize, left: u16, right: u16) -> f64 {
        let high = self.high.get(j).and_then(|h| h.get(left as usize)).copied().unwrap_or(f64::NAN);
        let low = self.low.get(j).and_then(|l| l.get(right as usize)).copied().unwrap_or(f64::NAN);
        if !high.is_finite() || !low.is_finite() {
            return self.edges.get(j).and_then(|e| e.get(left as usize)).copied().unwrap_or(f64::INFINITY);
        }
        let t = high / 2.0 + low / 2.0;
        // Rounding can land on the right-hand value; then the left-hand one is the threshold.
        if t >= low {
            high
        } else {
            t
        }
    }
}

/// numpy's `percentile(values, q, method="midpoint")` of sorted `values`.
fn midpoint_percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q / 100.0 * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    let a = sorted.get(lo).copied().unwrap_or(f64::NAN);
    let b = sorted.get(hi).copied().unwrap_or(a);
    (a + b) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_distinct_values_get_one_bin_each() {
        let x = crate::numeric::matrix(5, 1, vec![3.0, 1.0, 2.0, 3.0, 1.0]).unwrap_or_default();
        let bins = Bins::fit(x.view(), 255);
        assert_eq!(bins.edges[0], vec![1.5, 2.5]);
        assert_eq!(bins.transform(x.view()).columns[0], vec![2, 0, 1, 2, 0]);
        assert_eq!(bins.threshold(0, 0, 2), 2.0);
        let many = crate::numeric::matrix(1000, 1, (0..1000).map(f64::from).collect()).unwrap_or_default();
        let b = Bins::fit(many.view(), 10);
        assert_eq!(b.edges[0].len(), 9);
        let counts = b.transform(many.view()).columns[0].iter().fold(vec![0; 10], |mut c, &k| {
            c[k as usize] += 1;
            c
        });
        assert!(counts.iter().all(|&n| n == 100), "{counts:?}");
    }
}
