//! k-means (scikit-learn's `KMeans`, Lloyd's algorithm): greedy k-means++ seeding (2 + ln k candidates per
//! centre), or given starting centres; iterations until the centres move less than `tol` times the mean
//! feature variance; the best of `n_init` runs by inertia.

use serde::{Deserialize, Serialize};

use super::params::{check_at_least, check_positive};
use crate::error::{Error, Result};
use crate::numeric::{Matrix, MatrixView, RowMajor, RowMajorMut};
use crate::progress::Progress;
use crate::rng::derive_seed;
use crate::rng::{rng_from_seed, Rng};

/// Parameters of `kmeans`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KMeansParams {
    /// Number of clusters (≥ 1); default 8.
    pub n_clusters: usize,
    /// Runs from different seeds, the best kept; default 1 (scikit-learn's `auto` with k-means++).
    pub n_init: usize,
    /// Most iterations per run; default 300.
    pub max_iter: usize,
    /// Relative tolerance on centre movement; default 1e-4.
    pub tol: f64,
    /// Starting centres (one row per cluster); default none (k-means++).
    pub init: Option<Vec<Vec<f64>>>,
}

impl Default for KMeansParams {
    fn default() -> Self {
        KMeansParams { n_clusters: 8, n_init: 1, max_iter: 300, tol: 1e-4, init: None }
    }
}

/// A fitted k-means model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedKMeans {
    /// The centres, one row per cluster.
    #[serde(with = "crate::numeric::matrix::serde_format")]
    pub centers: Matrix,
    /// Sum of squared distances of training rows to their centre.
    pub inertia: f64,
    /// Iterations of the kept run.
    pub n_iter: usize,
}

fn squared(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Centres per block of distances computed together.
const BLOCK: usize = 8;

/// Centres in blocks of [`BLOCK`], feature-major within a block (`data[(block * p + d) * BLOCK + j]`), so
/// that the distances from one row to a block of centres accumulate side by side in registers. The last
/// block is padded with zeros, whose distances are never read.
struct Transposed {
    p: usize,
    data: Vec<f64>,
}

impl Transposed {
    fn new(centers: MatrixView<'_>) -> Transposed {
        let p = centers.ncols();
        let mut data = vec![0.0; centers.nrows().div_ceil(BLOCK) * BLOCK * p];
        for (c, row) in centers.row_slices().enumerate() {
            let (block, j) = (c / BLOCK, c % BLOCK);
            for (d, &v) in row.iter().enumerate() {
                if let Some(cell) = data.get_mut((block * p + d) * BLOCK + j) {
                    *cell = v;
                }
            }
        }
        Transposed { p, data }
    }

    /// Nearest centre of `row` and its squared distance (the first on ties); `scratch` holds one value per
    /// centre (the squared distances, afterwards).
    #[inline]
    fn nearest(&self, row: &[f64], scratch: &mut [f64]) -> (usize, f64) {
        self.distances(row, scratch);
        let mut best = (0, f64::INFINITY);
        for (c, &d) in scratch.iter().enumerate() {
            if d < best.1 {
                best = (c, d);
            }
        }
        best
    }

    /// The squared distance from `row` to every centre, into `scratch`.
    #[inline]
    fn distances(&self, row: &[f64], scratch: &mut [f64]) {
        for (b, block) in self.data.chunks_exact(self.p.max(1) * BLOCK).enumerate() {
            let mut acc = [0.0f64; BLOCK];
            for (&x, centers) in row.iter().zip(block.chunks_exact(BLOCK)) {
                for (a, &c) in acc.iter_mut().zip(centers) {
                    let diff = x - c;
                    *a += diff * diff;
                }
            }
            for (slot, &a) in scratch.iter_mut().skip(b * BLOCK).zip(&acc) {
                *slot = a;
            }
        }
    }

    /// [`Transposed::nearest`] and also the squared distance to the second nearest centre (infinite when
    /// there is one centre), in one sweep.
    fn nearest_two(&self, row: &[f64], scratch: &mut [f64]) -> (usize, f64, f64) {
        self.distances(row, scratch);
        let (mut best, mut nearest, mut second) = (0, f64::INFINITY, f64::INFINITY);
        for (c, &d) in scratch.iter().enumerate() {
            if d < nearest {
                (best, nearest, second) = (c, d, nearest);
            } else if d < second {
                second = d;
            }
        }
        (best, nearest, second)
    }
}

impl KMeansParams {
    /// Checks the parameters: at least one cluster, initialisation and iteration; `tol` ≥ 0.
    pub fn validate(&self) -> Result<()> {
        check_at_least("n_clusters", self.n_clusters, 1)?;
        crate::limits::check_at_most("n_clusters", self.n_clusters, crate::limits::MAX_CLUSTERS)?;
        check_at_least("n_init", self.n_init, 1)?;
        crate::limits::check_at_most("n_init", self.n_init, crate::limits::MAX_INITS)?;
        check_at_least("max_iter", self.max_iter, 1)?;
        crate::limits::check_at_most("max_iter", self.max_iter, crate::limits::MAX_SOLVER_ITERATIONS)?;
        check_positive("tol", self.tol, true)
    }

    /// Runs k-means on `x`.
    pub fn fit(&self, x: MatrixView<'_>, seed: u64, progress: &mut dyn Progress) -> Result<FittedKMeans> {
        self.validate()?;
        if x.nrows() < self.n_clusters {
            return Err(Error::EmptyData(format!(
                "k-means with {} clusters needs at least that many rows, got {}",
                self.n_clusters,
                x.nrows()
            )));
        }
        let tol = self.tol * mean_variance(x);
        let mut best: Option<FittedKMeans> = None;
        let runs = if self.init.is_some() { 1 } else { self.n_init };
        for run in 0..runs {
            let start = match &self.init {
                Some(rows) => {
                    let m = crate::numeric::from_rows(rows)?;
                    if m.nrows() != self.n_clusters || m.ncols() != x.ncols() {
                        return Err(Error::Shape {
                            what: "init centres (rows × features)".into(),
                            expected: self.n_clusters * x.ncols(),
                            got: m.nrows() * m.ncols(),
                        });
                    }
                    m
                }
                None => plus_plus(x, self.n_clusters, &mut rng_from_seed(derive_seed(seed, run as u64))),
            };
            let fitted = lloyd(x, start, self.max_iter, tol);
            if best.as_ref().is_none_or(|b| fitted.inertia < b.inertia) {
                best = Some(fitted);
            }
            progress.report("k-means runs", run as u64 + 1, runs as u64);
        }
        best.ok_or_else(|| Error::EmptyData("k-means made no run".into()))
    }
}

/// Mean of the features' variances (the scale of `tol`).
fn mean_variance(x: MatrixView<'_>) -> f64 {
    if x.ncols() == 0 || x.nrows() == 0 {
        return 0.0;
    }
    x.column_variances().iter().sum::<f64>() / x.ncols() as f64
}

/// Greedy k-means++: each new centre is the best of 2 + ln k candidates drawn in proportion to D².
fn plus_plus(x: MatrixView<'_>, k: usize, rng: &mut Rng) -> Matrix {
    let n = x.nrows();
    let trials = 2 + (k as f64).ln() as usize;
    let mut centers = Matrix::zeros((k, x.ncols()));
    let first = rng.below(n);
    centers.row_slice_mut(0).copy_from_slice(x.row_slice(first));
    let mut closest: Vec<f64> = x.row_slices().map(|r| squared(r, x.row_slice(first))).collect();
    let mut potential: f64 = closest.iter().sum();
    for c in 1..k {
        let mut best: Option<(f64, usize, Vec<f64>)> = None;
        for _ in 0..trials {
            let target = rng.uniform() * potential;
            let mut acc = 0.0;
            let mut pick = n - 1;
            for (i, d) in closest.iter().enumerate() {
                acc += d;
                if acc > target {
                    pick = i;
                    break;
                }
            }
            let candidate = x.row_slice(pick);
            let updated: Vec<f64> =
                x.row_slices().zip(&closest).map(|(r, &d)| d.min(squared(r, candidate))).collect();
            let total: f64 = updated.iter().sum();
            if best.as_ref().is_none_or(|b| total < b.0) {
                best = Some((total, pick, updated));
            }
        }
        if let Some((total, pick, updated)) = best {
            centers.row_slice_mut(c).copy_from_slice(x.row_slice(pick));
            closest = updated;
            potential = total;
        }
    }
    centers
}

/// Lloyd iterations from `centers`, skipping distance computations with Hamerly's bounds (2010): for
/// every row an upper bound on the distance to its centre and a lower bound on the distance to any other;
/// when the upper bound is below both the lower bound and half the gap from its centre to the nearest
/// other centre, the row cannot change cluster. The assignments, and so the centres (summed in row order),
/// are exactly plain Lloyd's; only the work differs — after a few iterations most rows are skipped.
fn lloyd(x: MatrixView<'_>, mut centers: Matrix, max_iter: usize, tol: f64) -> FittedKMeans {
    let k = centers.nrows();
    let mut bounds = Bounds {
        labels: vec![usize::MAX; x.nrows()],
        upper: vec![f64::INFINITY; x.nrows()],
        lower: vec![0.0; x.nrows()],
    };
    let mut n_iter = 0;
    let mut scratch = vec![0.0; k];
    for iteration in 0..max_iter {
        n_iter = iteration + 1;
        let changed = assign(x, centers.view(), &mut bounds, &mut scratch);
        if !changed {
            break;
        }
        let mut sums = Matrix::zeros((k, x.ncols()));
        let mut counts = vec![0usize; k];
        for (row, &c) in x.row_slices().zip(&bounds.labels) {
            if let Some(n) = counts.get_mut(c) {
                *n += 1;
            }
            sums.row_slice_mut(c).iter_mut().zip(row).for_each(|(s, v)| *s += v);
        }
        let mut shift = 0.0;
        let mut drift = vec![0.0; k];
        for c in 0..k {
            let count = counts.get(c).copied().unwrap_or(0);
            if count == 0 {
                // An empty cluster keeps its centre (scikit-learn relocates it; this is rare with k-means++).
                continue;
            }
            let new: Vec<f64> = sums.row_slice(c).iter().map(|s| s / count as f64).collect();
            let moved = squared(&new, centers.row_slice(c));
            shift += moved;
            if let Some(d) = drift.get_mut(c) {
                *d = moved.sqrt();
            }
            centers.row_slice_mut(c).copy_from_slice(&new);
        }
        let farthest = drift.iter().copied().fold(0.0, f64::max);
        for ((u, l), &c) in bounds.upper.iter_mut().zip(&mut bounds.lower).zip(&bounds.labels) {
            *u += drift.get(c).copied().unwrap_or(f64::INFINITY);
            *l -= farthest;
        }
        if shift <= tol {
            break;
        }
    }
    // The final centres' clusters (a last, mostly skipped, assignment) and their inertia: each row's squared
    // distance to its own centre, summed as the full nearest-centre search would.
    assign(x, centers.view(), &mut bounds, &mut scratch);
    let inertia =
        x.row_slices().zip(&bounds.labels).map(|(row, &c)| squared(row, centers.row_slice(c))).sum();
    FittedKMeans { centers, inertia, n_iter }
}

/// Every row's cluster with Hamerly's bounds on its distances (see [`lloyd`]).
struct Bounds {
    labels: Vec<usize>,
    /// At least the distance from the row to its centre.
    upper: Vec<f64>,
    /// At most the distance from the row to any other centre.
    lower: Vec<f64>,
}

/// Assigns every row to its nearest centre (the first on ties), computing distances only for rows whose
/// bounds allow a change; true when some row changed cluster.
fn assign(x: MatrixView<'_>, centers: MatrixView<'_>, bounds: &mut Bounds, scratch: &mut [f64]) -> bool {
    let k = centers.nrows();
    let transposed = Transposed::new(centers);
    let gaps = half_gaps(centers);
    let mut changed = false;
    let rows = x.row_slices().zip(&mut bounds.labels).zip(&mut bounds.upper).zip(&mut bounds.lower);
    for (((row, label), u), l) in rows {
        if *label < k {
            // The margin keeps rounding in the bounds from ever skipping a row that Lloyd would move.
            let bound = (*l).max(gaps.get(*label).copied().unwrap_or(0.0)) * (1.0 - 1e-9);
            if *u < bound {
                continue;
            }
            *u = squared(row, centers.row_slice(*label)).sqrt();
            if *u < bound {
                continue;
            }
        }
        let (best, nearest, second) = transposed.nearest_two(row, scratch);
        changed |= *label != best;
        *label = best;
        *u = nearest.sqrt();
        *l = second.sqrt();
    }
    changed
}

/// For every centre, half the distance to the nearest other centre: a row closer than that to its centre
/// is closer to it than to any other.
fn half_gaps(centers: MatrixView<'_>) -> Vec<f64> {
    centers
        .row_slices()
        .enumerate()
        .map(|(c, a)| {
            let nearest = centers
                .row_slices()
                .enumerate()
                .filter(|&(o, _)| o != c)
                .map(|(_, b)| squared(a, b))
                .fold(f64::INFINITY, f64::min);
            nearest.sqrt() / 2.0
        })
        .collect()
}

impl FittedKMeans {
    /// The nearest centre of every row.
    pub fn predict(&self, x: MatrixView<'_>) -> Vec<i64> {
        let transposed = Transposed::new(self.centers.view());
        let mut scratch = vec![0.0; self.centers.nrows()];
        x.row_slices().map(|r| transposed.nearest(r, &mut scratch).0 as i64).collect()
    }
}
