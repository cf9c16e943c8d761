//! Estimates of the memory a fit needs, compared with what the platform can hold before anything is
//! allocated. A WebAssembly module has at most 4 GB; an allocation beyond that aborts the module and the
//! page's data with it, so a fit whose largest allocations would not fit is refused with what to change.
//!
//! Each estimate counts the allocations that grow with the data and the parameters (a row-major copy of the
//! features, the fitted structure at its largest, the working arrays of the solver), upper bounds rather than
//! averages, so a refusal is never a surprise after minutes of work; the small per-row and per-feature arrays
//! every model has are covered by a fixed allowance.

use super::tree::bins::MAX_BINS;
use super::ModelSpec;
use crate::error::{Error, Result};

/// The shape of one fit: training rows, feature columns and outputs (classes of a classifier, else 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FitShape {
    /// Training rows.
    pub rows: usize,
    /// Feature columns.
    pub features: usize,
    /// Classes of a classification target; 1 for regression and clustering.
    pub outputs: usize,
}

/// What a fit is estimated to need: its bytes and the part that dominates them, for the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footprint {
    /// Estimated peak bytes of the fit.
    pub bytes: u128,
    /// The largest part, in words (`"100 trees of up to 1999999 nodes"`).
    pub largest: String,
    /// What to change to need less, in words naming the parameters.
    pub advice: &'static str,
}

/// Bytes of one `f64`.
const F64: f64 = 8.0;
/// Bytes of one tree node (feature, threshold, two children), without its values.
const NODE: f64 = 24.0;
/// Bytes of one boosting histogram bin (gradient, hessian, count) over 256 bins.
const HISTOGRAM_FEATURE: f64 = 256.0 * 3.0 * F64;
/// A fixed allowance for the small arrays of every fit (labels, orders, per-feature statistics).
const ALLOWANCE: f64 = 16.0 * 1024.0 * 1024.0;
/// Memory of L-BFGS: ten pairs of vectors besides the iterate and its gradient.
const LBFGS_VECTORS: f64 = 24.0;
/// Kernel-column cache of the RBF SVM, in numbers (see `svm::smo`).
const KERNEL_CACHE: f64 = 50_000_000.0;

/// What one fit may use on this platform, in bytes. In WebAssembly it is 3 GB: the module's memory is at most
/// 4 GB, and the loaded table, its prepared copy and the page's own state keep the rest. Natively it is the
/// `MLPLAY_MEMORY_BUDGET` environment variable when set (bytes, or a number with `KB`, `MB`, `GB`), else the
/// memory the system reports available (Linux), else 8 GB.
pub fn memory_budget() -> u128 {
    #[cfg(target_arch = "wasm32")]
    {
        3 << 30
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::env::var("MLPLAY_MEMORY_BUDGET")
            .ok()
            .and_then(|text| parse_bytes(&text))
            .or_else(available_memory)
            .unwrap_or(8 << 30)
    }
}

/// Reads `3GB`, `512 MB`, `1.5GB` or a plain number of bytes.
pub fn parse_bytes(text: &str) -> Option<u128> {
    let text = text.trim();
    let split = text.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.trim().parse().ok()?;
    let scale = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1.0,
        "KB" | "K" | "KIB" => 1024.0,
        "MB" | "M" | "MIB" => 1024.0 * 1024.0,
        "GB" | "G" | "GIB" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let bytes = number * scale;
    (bytes.is_finite() && bytes >= 0.0).then_some(bytes as u128)
}

/// The memory Linux reports available (`MemAvailable` of `/proc/meminfo`).
#[cfg(not(target_arch = "wasm32"))]
fn available_memory() -> Option<u128> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u128 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Bytes as people read them: `812 MB`, `3.2 GB`.
pub fn bytes_text(bytes: u128) -> String {
    let gb = bytes as f64 / (1u64 << 30) as f64;
    if gb >= 1.0 {
        format!("{gb:.1} GB")
    } else {
        format!("{:.0} MB", (bytes as f64 / (1u64 << 20) as f64).ceil())
    }
}

/// Refuses a fit of `spec` on `shape` whose estimate exceeds `budget` bytes, naming the model, the estimate,
/// its largest part and what to change.
pub fn check_fit_memory(spec: &ModelSpec, shape: FitShape, budget: u128) -> Result<()> {
    let footprint = spec.footprint(shape);
    if footprint.bytes <= budget {
        return Ok(());
    }
    Err(Error::TooMuchMemory {
        what: format!("{} on {} rows × {} features", spec.kind(), shape.rows, shape.features),
        needed: bytes_text(footprint.bytes),
        largest: footprint.largest,
        budget: bytes_text(budget),
        advice: footprint.advice.into(),
    })
}

/// Leaves a tree may grow: at most one per `min_samples_leaf` rows and `2^max_depth`.
fn tree_leaves(rows: f64, min_samples_leaf: usize, max_depth: Option<usize>) -> f64 {
    let by_rows = rows / (min_samples_leaf.max(1) as f64);
    let by_depth = match max_depth {
        Some(depth) if depth < 100 => 2f64.powi(depth as i32),
        _ => f64::MAX,
    };
    by_rows.min(by_depth).max(1.0)
}

impl ModelSpec {
    /// The estimated peak memory of fitting this model on `shape`, with its largest part and what to change
    /// to need less.
    pub fn footprint(&self, shape: FitShape) -> Footprint {
        let n = shape.rows as f64;
        let p = shape.features as f64;
        let k = shape.outputs.max(1) as f64;
        let data = n * (p) * (F64);
        let rows_text = |what: &str| format!("{what} of {n} × {p} numbers");
        let (part, largest, advice): (f64, String, &'static str) = match self {
            ModelSpec::LinearRegression(_) => {
                let m = n.min(p);
                // The thin SVD keeps U (n × min) and Vᵀ (min × p) besides the centred copy.
                let svd = (n * m + m * p) * (F64);
                (
                    svd,
                    format!("a singular value decomposition of {n} × {p} numbers"),
                    "use ridge, or fewer feature columns (fewer one-hot categories)",
                )
            }
            ModelSpec::Ridge(_) => (
                (p * p) * (2.0 * F64),
                format!("a {p} × {p} Gram matrix"),
                "use fewer feature columns (fewer one-hot categories), or lasso / linear_svm",
            ),
            ModelSpec::Lasso(_) | ModelSpec::ElasticNet(_) | ModelSpec::LinearSvm(_) => (
                (n + p) * k * 2.0 * F64,
                rows_text("the centred features"),
                "use fewer rows or feature columns",
            ),
            ModelSpec::LogisticRegression(_) => (
                (n * k * 3.0 + (p + 1.0) * k * LBFGS_VECTORS) * (F64),
                format!("probabilities of {n} rows × {k} classes"),
                "use fewer rows, classes or feature columns",
            ),
            ModelSpec::DecisionTree(t) => {
                let leaves = tree_leaves(n, t.min_samples_leaf, t.max_depth);
                let bins = if t.max_bins > 255 { 2.0 } else { 1.0 };
                let tree = (2.0 * leaves) * (NODE + k * F64);
                (
                    tree + n * p * bins + n * 16.0,
                    format!("a tree of up to {:.0} nodes", 2.0 * leaves),
                    "set max_depth or a larger min_samples_leaf",
                )
            }
            ModelSpec::RandomForest(f) | ModelSpec::ExtraTrees(f) => {
                // A bootstrap sample holds about 63 % of the rows once; a leaf holds at least one of them.
                let bootstrap = f.bootstrap.unwrap_or(matches!(self, ModelSpec::RandomForest(_)));
                let seen = if bootstrap { n * 0.632 + 1.0 } else { n };
                let leaves = tree_leaves(seen, f.min_samples_leaf, f.max_depth);
                let trees = f.n_estimators as f64;
                let bins = if f.max_bins > 255 { 2.0 } else { 1.0 };
                let forest = trees * (2.0 * leaves) * (NODE + k * F64);
                (
                    forest + n * p * bins + n * 16.0 + trees * p * F64,
                    format!("{trees} trees of up to {:.0} nodes each", 2.0 * leaves),
                    "set max_depth or a larger min_samples_leaf, or fewer n_estimators",
                )
            }
            ModelSpec::HistGradientBoosting(b) => {
                let leaves =
                    tree_leaves(n, b.min_samples_leaf, b.max_depth).min(b.max_leaf_nodes.max(2) as f64);
                // Every open and finished leaf of the tree being grown holds a histogram per feature.
                let histograms = (2.0 * leaves) * (p) * (HISTOGRAM_FEATURE);
                let trees = (b.max_iter as f64 * k) * (2.0 * leaves) * (NODE + F64);
                (
                    histograms + trees + n * p + n * k * 3.0 * F64,
                    format!("histograms of {:.0} leaves × {p} features", 2.0 * leaves),
                    "use fewer max_leaf_nodes or feature columns, or fewer max_iter",
                )
            }
            ModelSpec::Knn(_) => {
                (data, rows_text("the stored training rows"), "use fewer rows or feature columns")
            }
            ModelSpec::GaussianNb(_) => (
                k * p * 2.0 * F64,
                format!("means and variances of {p} features × {k} classes"),
                "use fewer feature columns",
            ),
            ModelSpec::CategoricalNb(_) => {
                // Each feature has at most min(rows, 256 typical) categories counted per class.
                let categories = p * (n.min(MAX_BINS as f64));
                (
                    categories * (k) * (F64),
                    format!("category counts of {p} features × {k} classes"),
                    "use fewer feature columns or categories",
                )
            }
            ModelSpec::Svm(s) => {
                let m = n.min(s.max_samples as f64);
                (
                    (m * m).min(KERNEL_CACHE + 2.0 * m) * (F64) + m * 4.0 * F64,
                    format!("a kernel cache for {m} rows"),
                    "use a smaller max_samples, or linear_svm",
                )
            }
            ModelSpec::Mlp(m) => {
                let mut sizes = vec![p];
                sizes.extend(m.hidden_layer_sizes.iter().map(|&h| h as f64));
                sizes.push(k);
                let weights: f64 = sizes.windows(2).map(|w| (w[0] + 1.0) * w[1]).sum();
                let units: f64 = sizes.iter().skip(1).sum();
                let batch = m.batch_size.map_or(200.0, |b| b as f64).min(n).max(1.0);
                // Weights, two Adam moments, momentum, a gradient and the best weights so far; activations
                // and deltas of a batch; activations of every row when the whole set is scored.
                let params = weights * (6.0 * F64);
                let activations = (batch * units * 3.0 + n * units) * (F64);
                (
                    params + activations + data,
                    format!("{weights} weights and the activations of {units} units"),
                    "use smaller hidden_layer_sizes or fewer feature columns",
                )
            }
            ModelSpec::Kmeans(c) => {
                let clusters = c.n_clusters as f64;
                (
                    clusters * p * 4.0 * F64 + n * 3.0 * F64 + n * clusters.min(64.0) * F64,
                    rows_text("the rows"),
                    "use fewer n_clusters or rows",
                )
            }
            ModelSpec::Dbscan(_) => (
                (n * n).min(crate::limits::MAX_NEIGHBOUR_PAIRS as f64) * (F64),
                format!("neighbourhoods of {n} rows"),
                "use a smaller eps or fewer rows",
            ),
            ModelSpec::Agglomerative(a) => {
                let matrix = if a.linkage == "single" { n * 3.0 * F64 } else { (n * n) * (F64) };
                (matrix, format!("a {n} × {n} distance matrix"), "use k-means, or fewer rows")
            }
        };
        // `as` saturates: an estimate beyond u128 (a hostile shape) stays the largest number, never wraps.
        let bytes = (part + data + ALLOWANCE) as u128;
        Footprint { bytes, largest, advice }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_read_with_units() {
        assert_eq!(parse_bytes("3GB"), Some(3 << 30));
        assert_eq!(parse_bytes("512 MB"), Some(512 << 20));
        assert_eq!(parse_bytes("1.5G"), Some(3 << 29));
        assert_eq!(parse_bytes("1000"), Some(1000));
        assert_eq!(parse_bytes("lots"), None);
        assert_eq!(parse_bytes("-1GB"), None);
    }

    #[test]
    fn bytes_print_as_people_read_them() {
        assert_eq!(bytes_text(3 << 30), "3.0 GB");
        assert_eq!(bytes_text(5 << 20), "5 MB");
    }
}
