//! k-nearest neighbours by brute force (scikit-learn's `KNeighborsClassifier` / `KNeighborsRegressor` with
//! `algorithm="brute"`): euclidean, manhattan or cosine distance; uniform or inverse-distance weights.

use serde::{Deserialize, Serialize};

use super::params::{check_at_least, check_one_of};
use crate::error::Result;
use crate::numeric::{dot, Matrix, MatrixView, RowMajor, RowMajorMut};
use crate::progress::Progress;

/// Parameters of `knn`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KnnParams {
    /// Neighbours consulted (≥ 1); default 5.
    pub n_neighbors: usize,
    /// `uniform` (default) or `distance` (closer neighbours count more: weight 1/d).
    pub weights: String,
    /// `euclidean` (default), `manhattan` or `cosine`.
    pub metric: String,
}

impl Default for KnnParams {
    fn default() -> Self {
        KnnParams { n_neighbors: 5, weights: "uniform".into(), metric: "euclidean".into() }
    }
}

/// What the neighbours vote with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KnnTargets {
    /// Class indices and the number of classes.
    Classes {
        /// Class of each training row.
        y: Vec<usize>,
        /// Number of classes.
        n_classes: usize,
    },
    /// Values of each training row.
    Values(Vec<f64>),
}

/// A fitted kNN model: the training data itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedKnn {
    /// The parameters.
    pub params: KnnParams,
    /// Training rows (normalised to unit length for the cosine metric).
    #[serde(with = "crate::numeric::matrix::serde_format")]
    pub x: Matrix,
    /// Training targets.
    pub targets: KnnTargets,
}

impl KnnParams {
    /// Checks the parameters.
    pub fn validate(&self) -> Result<()> {
        check_at_least("n_neighbors", self.n_neighbors, 1)?;
        crate::limits::check_at_most("n_neighbors", self.n_neighbors, crate::limits::MAX_NEIGHBOURS)?;
        check_one_of("weights", &self.weights, super::choices::KNN_WEIGHTS)?;
        check_one_of("metric", &self.metric, super::choices::KNN_METRICS)
    }

    /// Stores the training data.
    pub fn fit(&self, x: MatrixView<'_>, targets: KnnTargets) -> Result<FittedKnn> {
        self.validate()?;
        let x = if self.metric == "cosine" { normalised(x) } else { x.to_owned() };
        Ok(FittedKnn { params: self.clone(), x, targets })
    }
}

/// Rows scaled to unit euclidean length (zero rows stay zero).
fn normalised(x: MatrixView<'_>) -> Matrix {
    let mut out = x.to_owned();
    for i in 0..out.nrows() {
        let row = out.row_slice_mut(i);
        let norm = dot(row, row).sqrt();
        if norm > 0.0 {
            row.iter_mut().for_each(|v| *v /= norm);
        }
    }
    out
}

/// The k nearest rows found so far for one query, sorted by (distance, index).
struct Nearest {
    k: usize,
    items: Vec<(f64, usize)>,
}

impl Nearest {
    fn worst(&self) -> f64 {
        if self.items.len() < self.k {
            f64::INFINITY
        } else {
            self.items.last().map_or(f64::INFINITY, |w| w.0)
        }
    }

    fn offer(&mut self, d: f64, index: usize) {
        // Equal distances keep the earlier training row: scanning in order, a later row never displaces it.
        if d >= self.worst() {
            return;
        }
        let at = self.items.partition_point(|&(e, _)| e <= d);
        self.items.insert(at, (d, index));
        self.items.truncate(self.k);
    }
}

impl FittedKnn {
    /// The k nearest training rows of every row of `x`, as (distance, index) sorted by distance.
    pub fn neighbours(&self, x: MatrixView<'_>, progress: &mut dyn Progress) -> Vec<Vec<(f64, usize)>> {
        let queries = if self.params.metric == "cosine" { normalised(x) } else { x.to_owned() };
        let k = self.params.n_neighbors.min(self.x.nrows()).max(1);
        if self.params.metric == "manhattan" {
            return self.neighbours_direct(queries.view(), k, progress);
        }
        // Euclidean (and cosine on unit rows): rank by ‖t‖² − 2 q·t, which orders training rows as ‖q − t‖²
        // does but is a dot product — computed for 8 training rows at once from transposed panels, two
        // queries at a time so every panel value loaded serves both. The k found get exact distances.
        let panels = Panels::new(self.x.view());
        let mut out = Vec::with_capacity(queries.nrows());
        let mut q = 0;
        while q < queries.nrows() {
            let pair = [queries.row_slice(q), queries.row_slice((q + 1).min(queries.nrows() - 1))];
            let found = panels.nearest_pair(pair, k);
            for (slot, nearest) in found.into_iter().enumerate() {
                if q + slot >= queries.nrows() {
                    break;
                }
                let mut items: Vec<(f64, usize)> = nearest
                    .items
                    .into_iter()
                    .map(|(_, t)| (self.true_distance(squared_distance(pair[slot], self.x.row_slice(t))), t))
                    .collect();
                items.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                out.push(items);
            }
            q += 2;
            if q % 256 == 0 {
                progress.report("neighbours", q.min(queries.nrows()) as u64, queries.nrows() as u64);
            }
        }
        progress.report("neighbours", queries.nrows() as u64, queries.nrows() as u64);
        out
    }

    /// Manhattan distances, row by row.
    fn neighbours_direct(
        &self,
        queries: MatrixView<'_>,
        k: usize,
        progress: &mut dyn Progress,
    ) -> Vec<Vec<(f64, usize)>> {
        let mut out = Vec::with_capacity(queries.nrows());
        for (q, query) in queries.row_slices().enumerate() {
            let mut nearest = Nearest { k, items: Vec::with_capacity(k + 1) };
            for (t, row) in self.x.row_slices().enumerate() {
                let d = manhattan_distance(query, row);
                if d < nearest.worst() {
                    nearest.offer(d, t);
                }
            }
            out.push(nearest.items);
            if q % 256 == 0 {
                progress.report("neighbours", q as u64, queries.nrows() as u64);
            }
        }
        out
    }

    /// Converts the internal ranking distance into the metric's value.
    fn true_distance(&self, d: f64) -> f64 {
        match self.params.metric.as_str() {
            "manhattan" => d,
            // For unit vectors ‖a − b‖² = 2 − 2·cos.
            "cosine" => d / 2.0,
            _ => d.sqrt(),
        }
    }

    /// The weight of each neighbour: ones, or 1/d (exact matches take all the weight when present).
    fn weights(&self, neighbours: &[(f64, usize)]) -> Vec<f64> {
        if self.params.weights != "distance" {
            return vec![1.0; neighbours.len()];
        }
        if neighbours.iter().any(|&(d, _)| d == 0.0) {
            return neighbours.iter().map(|&(d, _)| if d == 0.0 { 1.0 } else { 0.0 }).collect();
        }
        neighbours.iter().map(|&(d, _)| 1.0 / d).collect()
    }

    /// Class probabilities (weighted neighbour votes); for a regressor, a single column of predictions.
    pub fn predict_proba(&self, x: MatrixView<'_>, progress: &mut dyn Progress) -> Matrix {
        let all = self.neighbours(x, progress);
        let (y, k) = match &self.targets {
            KnnTargets::Classes { y, n_classes } => (y, *n_classes),
            KnnTargets::Values(_) => return crate::numeric::from_parts(x.nrows(), 1, self.regress(&all)),
        };
        let mut out = Matrix::zeros((x.nrows(), k));
        for (i, neighbours) in all.iter().enumerate() {
            let weights = self.weights(neighbours);
            let row = out.row_slice_mut(i);
            for (&(_, t), w) in neighbours.iter().zip(&weights) {
                if let Some(slot) = y.get(t).and_then(|&c| row.get_mut(c)) {
                    *slot += w;
                }
            }
            let total: f64 = row.iter().sum();
            if total > 0.0 {
                row.iter_mut().for_each(|v| *v /= total);
            }
        }
        out
    }

    /// Weighted mean of the neighbours' values.
    fn regress(&self, all: &[Vec<(f64, usize)>]) -> Vec<f64> {
        let KnnTargets::Values(values) = &self.targets else { return vec![f64::NAN; all.len()] };
        all.iter()
            .map(|neighbours| {
                let weights = self.weights(neighbours);
                let (mut sum, mut total) = (0.0, 0.0);
                for (&(_, t), w) in neighbours.iter().zip(&weights) {
                    sum += w * values.get(t).copied().unwrap_or(0.0);
                    total += w;
                }
                sum / total
            })
            .collect()
    }
}

/// Training rows per panel.
const LANES: usize = 8;

/// Training rows in panels of [`LANES`], transposed (feature-major within a panel), with their squared
/// norms; rows past the end are padding with an infinite norm, so they never rank.
struct Panels {
    count: usize,
    p: usize,
    data: Vec<f64>,
    norms: Vec<f64>,
}

impl Panels {
    fn new(x: MatrixView<'_>) -> Panels {
        let p = x.ncols();
        let count = x.nrows().div_ceil(LANES);
        let mut data = vec![0.0; count * p * LANES];
        let mut norms = vec![f64::INFINITY; count * LANES];
        for (i, row) in x.row_slices().enumerate() {
            let (panel, lane) = (i / LANES, i % LANES);
            for (d, &v) in row.iter().enumerate() {
                if let Some(cell) = data.get_mut((panel * p + d) * LANES + lane) {
                    *cell = v;
                }
            }
            if let Some(n) = norms.get_mut(i) {
                *n = dot(row, row);
            }
        }
        Panels { count, p, data, norms }
    }

    /// The k training rows ranking nearest to each of two queries (by ‖t‖² − 2 q·t).
    fn nearest_pair(&self, pair: [&[f64]; 2], k: usize) -> [Nearest; 2] {
        let mut found = [
            Nearest { k, items: Vec::with_capacity(k + 1) },
            Nearest { k, items: Vec::with_capacity(k + 1) },
        ];
        for panel in 0..self.count {
            let scores = self.scores(panel, pair[0], pair[1]);
            for (slot, nearest) in found.iter_mut().enumerate() {
                let worst = nearest.worst();
                for (j, &score) in scores[slot].iter().enumerate() {
                    if score < worst {
                        nearest.offer(score, panel * LANES + j);
                    }
                }
            }
        }
        found
    }

    /// ‖t‖² − 2 q·t for the panel's rows, for two queries.
    #[inline]
    fn scores(&self, panel: usize, a: &[f64], b: &[f64]) -> [[f64; LANES]; 2] {
        let block = self.data.get(panel * self.p * LANES..(panel + 1) * self.p * LANES).unwrap_or(&[]);
        let (acc_a, acc_b) = panel_dots(block, a, b);
        let norms = self.norms.get(panel * LANES..(panel + 1) * LANES).unwrap_or(&[f64::INFINITY; LANES]);
        let mut out = [[0.0; LANES]; 2];
        for j in 0..LANES {
            let n = norms.get(j).copied().unwrap_or(f64::INFINITY);
            out[0][j] = n - 2.0 * acc_a[j];
            out[1][j] = n - 2.0 * acc_b[j];
        }
        out
    }
}

/// The dot products of two queries with the [`LANES`] rows of a transposed panel, lane by lane in feature
/// order (so every build sums in the same order and gets the same bits).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline]
fn panel_dots(block: &[f64], a: &[f64], b: &[f64]) -> ([f64; LANES], [f64; LANES]) {
    let mut acc_a = [0.0f64; LANES];
    let mut acc_b = [0.0f64; LANES];
    for ((column, &qa), &qb) in block.chunks_exact(LANES).zip(a).zip(b) {
        for j in 0..LANES {
            acc_a[j] += qa * column[j];
            acc_b[j] += qb * column[j];
        }
    }
    (acc_a, acc_b)
}

/// [`panel_dots`] written with wasm's 128-bit vectors: LLVM does not vectorise the portable loop for
/// `simd128` (kNN ran 4.5× slower in the browser than natively), so the four f64x2 accumulators per query
/// are spelled out. Same products and sums per lane, in the same order, as the portable version.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline]
fn panel_dots(block: &[f64], a: &[f64], b: &[f64]) -> ([f64; LANES], [f64; LANES]) {
    use core::arch::wasm32::{f64x2, f64x2_add, f64x2_extract_lane, f64x2_mul, f64x2_splat};
    let zero = f64x2_splat(0.0);
    let mut acc_a = [zero; LANES / 2];
    let mut acc_b = [zero; LANES / 2];
    for ((column, &qa), &qb) in block.chunks_exact(LANES).zip(a).zip(b) {
        let (va, vb) = (f64x2_splat(qa), f64x2_splat(qb));
        for (h, pair) in column.chunks_exact(2).enumerate() {
            let t = f64x2(pair[0], pair[1]);
            acc_a[h] = f64x2_add(acc_a[h], f64x2_mul(va, t));
            acc_b[h] = f64x2_add(acc_b[h], f64x2_mul(vb, t));
        }
    }
    let mut out_a = [0.0f64; LANES];
    let mut out_b = [0.0f64; LANES];
    for h in 0..LANES / 2 {
        out_a[2 * h] = f64x2_extract_lane::<0>(acc_a[h]);
        out_a[2 * h + 1] = f64x2_extract_lane::<1>(acc_a[h]);
        out_b[2 * h] = f64x2_extract_lane::<0>(acc_b[h]);
        out_b[2 * h + 1] = f64x2_extract_lane::<1>(acc_b[h]);
    }
    (out_a, out_b)
}

#[inline]
fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let mut ca = a.chunks_exact(4);
    let mut cb = b.chunks_exact(4);
    for (x, y) in (&mut ca).zip(&mut cb) {
        for k in 0..4 {
            let d = x[k] - y[k];
            acc[k] += d * d;
        }
    }
    let tail: f64 = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| (x - y) * (x - y)).sum();
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

#[inline]
fn manhattan_distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum()
}
