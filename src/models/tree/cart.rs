//! Growing one CART tree (depth first) on binned features: the learner behind `decision_tree`,
//! `random_forest` and `extra_trees`. Classification uses Gini or entropy, regression squared error; the
//! best split maximises scikit-learn's "proxy improvement" and the first feature wins ties.

use serde::{Deserialize, Serialize};

use super::bins::{Binned, Bins};
use crate::numeric::{Matrix, MatrixView, RowMajor, RowMajorMut};
use crate::rng::Rng;

/// How node impurity is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Criterion {
    /// Gini impurity (classification).
    Gini,
    /// Shannon entropy (classification).
    Entropy,
    /// Variance (regression).
    SquaredError,
}

/// Settings of one tree.
#[derive(Debug, Clone)]
pub struct TreeConfig {
    /// Impurity measure.
    pub criterion: Criterion,
    /// Number of classes (0 for regression).
    pub n_classes: usize,
    /// Deepest level allowed (None: grow until pure).
    pub max_depth: Option<usize>,
    /// Fewest samples a node needs to be split.
    pub min_samples_split: usize,
    /// Fewest samples each child must keep.
    pub min_samples_leaf: usize,
    /// Features tried per split (≤ number of features).
    pub max_features: usize,
    /// Random thresholds (extra trees) instead of the best one.
    pub random_splits: bool,
    /// Try features in a random order (forests); the natural order otherwise.
    pub shuffle_features: bool,
}

/// One node: a split (feature, threshold) or a leaf (`feature == u32::MAX`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Feature tested, or `u32::MAX` for a leaf.
    pub feature: u32,
    /// Rows with value ≤ threshold go left.
    pub threshold: f64,
    /// Index of the left child.
    pub left: u32,
    /// Index of the right child.
    pub right: u32,
}

/// A grown tree: nodes and, per node, its value (class probabilities or the mean).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    /// Nodes; the root is 0.
    pub nodes: Vec<Node>,
    /// Values per node, `n_outputs` each.
    pub values: Vec<f64>,
    /// Values per node: the number of classes, or 1.
    pub n_outputs: usize,
    /// Weighted impurity decrease credited to each feature (for importances).
    #[serde(default)]
    pub importance: Vec<f64>,
}

const LEAF: u32 = u32::MAX;

impl Tree {
    /// The leaf reached by `row`.
    pub fn leaf(&self, row: &[f64]) -> usize {
        let mut i = 0usize;
        for _ in 0..self.nodes.len() {
            let Some(node) = self.nodes.get(i) else { break };
            if node.feature == LEAF {
                break;
            }
            let v = row.get(node.feature as usize).copied().unwrap_or(f64::NAN);
            i = if v <= node.threshold { node.left } else { node.right } as usize;
        }
        i
    }

    /// The value of the leaf reached by `row`.
    pub fn value(&self, row: &[f64]) -> &[f64] {
        let i = self.leaf(row);
        self.values.get(i * self.n_outputs..(i + 1) * self.n_outputs).unwrap_or(&[])
    }

    /// Adds the tree's value for every row of `x` into `out` (`n_outputs` columns).
    pub fn add_values(&self, x: MatrixView<'_>, out: &mut Matrix) {
        for (i, row) in x.row_slices().enumerate() {
            let v = self.value(row);
            out.row_slice_mut(i).iter_mut().zip(v).for_each(|(o, v)| *o += v);
        }
    }
}

/// Per-bin statistics, `stride` values per bin: for classification the weighted count of each class, for
/// regression (weight, weighted sum, weighted sum of squares); then, last, the unweighted sample count.
struct Stats {
    stride: usize,
    criterion: Criterion,
}

impl Stats {
    /// What row `i` adds to a bin, gathered once per node so that each feature's histogram reads one
    /// contiguous array instead of three random accesses per row: for regression (weight, weighted value,
    /// weighted square), for classification (class index, weight, unused).
    fn contribution(&self, targets: &TreeTargets, i: usize) -> [f64; 3] {
        let w = weight_of(targets, i);
        match self.criterion {
            Criterion::SquaredError => {
                let y = y_of(targets, i);
                [w, w * y, w * y * y]
            }
            _ => [class_of(targets, i) as f64, w, 0.0],
        }
    }

    /// Adds a row's [`Stats::contribution`] to the statistics `target` of one bin or node.
    #[inline]
    fn add(&self, target: &mut [f64], contribution: &[f64; 3]) {
        match self.criterion {
            Criterion::SquaredError => {
                if let Some([w, wy, wyy, n]) =
                    target.get_mut(..4).and_then(|t| <&mut [f64; 4]>::try_from(t).ok())
                {
                    *w += contribution[0];
                    *wy += contribution[1];
                    *wyy += contribution[2];
                    *n += 1.0;
                }
            }
            _ => {
                if let Some(slot) = target.get_mut(contribution[0] as usize) {
                    *slot += contribution[1];
                }
                if let Some(n) = target.get_mut(self.stride - 1) {
                    *n += 1.0;
                }
            }
        }
    }

    fn weight(&self, s: &[f64]) -> f64 {
        match self.criterion {
            Criterion::SquaredError => s[0],
            _ => s[..self.stride - 1].iter().sum(),
        }
    }

    fn count(&self, s: &[f64]) -> f64 {
        s[self.stride - 1]
    }

    /// Node impurity.
    fn impurity(&self, s: &[f64]) -> f64 {
        let w = self.weight(s);
        if w <= 0.0 {
            return 0.0;
        }
        match self.criterion {
            Criterion::SquaredError => (s[2] / w - (s[1] / w).powi(2)).max(0.0),
            Criterion::Gini => 1.0 - s[..self.stride - 1].iter().map(|c| (c / w).powi(2)).sum::<f64>(),
            Criterion::Entropy => -s[..self.stride - 1]
                .iter()
                .filter(|&&c| c > 0.0)
                .map(|c| (c / w) * (c / w).log2())
                .sum::<f64>(),
        }
    }

    /// A quantity whose maximum is the best split (scikit-learn's proxy improvement).
    fn proxy(&self, left: &[f64], right: &[f64]) -> f64 {
        match self.criterion {
            Criterion::SquaredError => left[1] * left[1] / left[0] + right[1] * right[1] / right[0],
            _ => -(self.weight(left) * self.impurity(left) + self.weight(right) * self.impurity(right)),
        }
    }

    /// The node's output: class proportions or the mean.
    fn value(&self, s: &[f64]) -> Vec<f64> {
        let w = self.weight(s).max(f64::MIN_POSITIVE);
        match self.criterion {
            Criterion::SquaredError => vec![s[1] / w],
            _ => s[..self.stride - 1].iter().map(|c| c / w).collect(),
        }
    }
}

/// What a tree is fitted to: class indices or values, with a weight per row (bootstrap counts).
pub struct TreeTargets<'a> {
    /// Class index per row (classification).
    pub classes: &'a [usize],
    /// Value per row (regression).
    pub values: &'a [f64],
    /// Weight per row; rows of weight 0 are left out.
    pub weights: &'a [f64],
}

struct Split {
    feature: usize,
    left_code: u16,
    right_code: u16,
    proxy: f64,
    /// The left child's statistics, as the histogram gave them (the right's are the node's minus these).
    left: Vec<f64>,
}

/// Grows a tree on `binned` data.
pub fn grow(binned: &Binned, bins: &Bins, targets: &TreeTargets, config: &TreeConfig, rng: &mut Rng) -> Tree {
    let stats = Stats {
        stride: if config.criterion == Criterion::SquaredError { 4 } else { config.n_classes.max(1) + 1 },
        criterion: config.criterion,
    };
    let n_outputs = if config.criterion == Criterion::SquaredError { 1 } else { config.n_classes.max(1) };
    let p = binned.columns.len();
    let mut indices: Vec<u32> = (0..binned.n_rows as u32)
        .filter(|&i| targets.weights.get(i as usize).is_some_and(|&w| w > 0.0))
        .collect();
    let mut tree = Tree { nodes: Vec::new(), values: Vec::new(), n_outputs, importance: vec![0.0; p] };
    let mut features: Vec<usize> = (0..p).collect();
    let max_bins = binned.n_bins.iter().copied().max().unwrap_or(1);
    let mut hist = vec![0.0; max_bins * stats.stride];
    let mut stack = vec![(0usize, indices.len(), 0usize, usize::MAX, false)];
    let mut scratch = Vec::new();
    let total_weight: f64 = targets.weights.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    while let Some((start, end, depth, parent, is_left)) = stack.pop() {
        let node_id = tree.nodes.len();
        if parent != usize::MAX {
            if let Some(pn) = tree.nodes.get_mut(parent) {
                if is_left {
                    pn.left = node_id as u32;
                } else {
                    pn.right = node_id as u32;
                }
            }
        }
        let rows = indices.get(start..end).unwrap_or(&[]);
        let contributions: Vec<[f64; 3]> =
            rows.iter().map(|&i| stats.contribution(targets, i as usize)).collect();
        let mut node_stats = vec![0.0; stats.stride];
        for c in &contributions {
            stats.add(&mut node_stats, c);
        }
        tree.nodes.push(Node { feature: LEAF, threshold: 0.0, left: 0, right: 0 });
        tree.values.extend(stats.value(&node_stats));
        let n = rows.len();
        let impurity = stats.impurity(&node_stats);
        let too_deep = config.max_depth.is_some_and(|d| depth >= d);
        if too_deep || n < config.min_samples_split || n < 2 * config.min_samples_leaf || impurity <= 1e-12 {
            continue;
        }
        if config.shuffle_features {
            rng.shuffle(&mut features);
        }
        let mut best: Option<Split> = None;
        let mut tried = 0;
        for &f in &features {
            if tried >= config.max_features {
                break;
            }
            let Some(codes) = binned.columns.get(f) else { continue };
            let n_bins = binned.n_bins.get(f).copied().unwrap_or(1);
            let present = compact_histogram(rows, &contributions, codes, n_bins, &stats, &mut hist);
            if present.len() < 2 {
                continue;
            }
            tried += 1;
            let candidate = if config.random_splits {
                random_split(f, &present, &hist, &node_stats, &stats, config, bins, rng)
            } else {
                best_split(f, &present, &hist, &node_stats, &stats, config)
            };
            if let Some(c) = candidate {
                if best.as_ref().is_none_or(|b| c.proxy > b.proxy) {
                    best = Some(c);
                }
            }
        }
        let Some(split) = best else { continue };
        let Some(codes) = binned.columns.get(split.feature) else { continue };
        let slice = indices.get_mut(start..end).unwrap_or(&mut []);
        let mid = start
            + partition(slice, &mut scratch, |i| {
                codes.get(i as usize).is_some_and(|&c| c <= split.left_code)
            });
        let left_stats = &split.left;
        let right_stats: Vec<f64> = node_stats.iter().zip(left_stats).map(|(a, b)| a - b).collect();
        let decrease = stats.weight(&node_stats) * impurity
            - stats.weight(left_stats) * stats.impurity(left_stats)
            - stats.weight(&right_stats) * stats.impurity(&right_stats);
        if let Some(imp) = tree.importance.get_mut(split.feature) {
            *imp += decrease / total_weight;
        }
        if let Some(node) = tree.nodes.get_mut(node_id) {
            node.feature = split.feature as u32;
            node.threshold = bins.threshold(split.feature, split.left_code, split.right_code);
        }
        // Right pushed first so the left subtree is numbered first, as scikit-learn numbers nodes.
        stack.push((mid, end, depth + 1, node_id, false));
        stack.push((start, mid, depth + 1, node_id, true));
    }
    tree
}

#[inline]
fn y_of(t: &TreeTargets, i: usize) -> f64 {
    t.values.get(i).copied().unwrap_or(0.0)
}

#[inline]
fn class_of(t: &TreeTargets, i: usize) -> usize {
    t.classes.get(i).copied().unwrap_or(0)
}

#[inline]
fn weight_of(t: &TreeTargets, i: usize) -> f64 {
    t.weights.get(i).copied().unwrap_or(0.0)
}

/// Moves the rows satisfying `left` to the front; returns how many there are. Stable: both sides keep
/// their order, so rows stay ascending and later histograms gather codes and targets in memory order.
/// Branch-free, since the side a row goes to is a coin toss for the branch predictor; `scratch` is reused
/// between calls to hold the right side.
pub(super) fn partition(rows: &mut [u32], scratch: &mut Vec<u32>, left: impl Fn(u32) -> bool) -> usize {
    scratch.clear();
    scratch.resize(rows.len(), 0);
    let (mut mid, mut n_right) = (0, 0);
    for at in 0..rows.len() {
        let Some(&i) = rows.get(at) else { break };
        let goes_left = left(i);
        // Written to both sides; only the side whose count advances keeps it (mid, n_right ≤ at).
        if let Some(slot) = rows.get_mut(mid) {
            *slot = i;
        }
        if let Some(slot) = scratch.get_mut(n_right) {
            *slot = i;
        }
        mid += usize::from(goes_left);
        n_right += usize::from(!goes_left);
    }
    if let Some(tail) = rows.get_mut(mid..) {
        tail.copy_from_slice(scratch.get(..tail.len()).unwrap_or(&[]));
    }
    mid
}

/// Fills `hist` with the statistics of each code present among `rows` (whose [`Stats::contribution`]s are
/// `contributions`) and returns those codes ascending. Small nodes sort their codes instead of sweeping every
/// bin.
fn compact_histogram(
    rows: &[u32],
    contributions: &[[f64; 3]],
    codes: &[u16],
    n_bins: usize,
    stats: &Stats,
    hist: &mut [f64],
) -> Vec<u16> {
    let stride = stats.stride;
    let mut present: Vec<u16>;
    if rows.len() * 8 < n_bins {
        present = rows.iter().map(|&i| codes.get(i as usize).copied().unwrap_or(0)).collect();
        present.sort_unstable();
        present.dedup();
        for &c in &present {
            if let Some(s) = hist.get_mut(c as usize * stride..(c as usize + 1) * stride) {
                s.iter_mut().for_each(|v| *v = 0.0);
            }
        }
    } else {
        hist.get_mut(..n_bins * stride).unwrap_or(&mut []).iter_mut().for_each(|v| *v = 0.0);
        present = Vec::new();
    }
    for (&i, contribution) in rows.iter().zip(contributions) {
        let c = codes.get(i as usize).copied().unwrap_or(0) as usize;
        if let Some(s) = hist.get_mut(c * stride..(c + 1) * stride) {
            stats.add(s, contribution);
        }
    }
    if rows.len() * 8 >= n_bins {
        present = (0..n_bins)
            .filter(|&c| hist.get(c * stride + stride - 1).is_some_and(|&n| n > 0.0))
            .map(|c| c as u16)
            .collect();
    }
    present
}

/// Adds the statistics of bin `code` to `sums`.
fn add_bin(sums: &mut [f64], hist: &[f64], code: u16, stride: usize) {
    let bin = hist.get(code as usize * stride..(code as usize + 1) * stride).unwrap_or(&[]);
    sums.iter_mut().zip(bin).for_each(|(a, b)| *a += b);
}

/// The best boundary between consecutive present codes of one feature.
fn best_split(
    feature: usize,
    present: &[u16],
    hist: &[f64],
    node: &[f64],
    stats: &Stats,
    config: &TreeConfig,
) -> Option<Split> {
    let mut left = vec![0.0; stats.stride];
    let mut right = vec![0.0; stats.stride];
    let mut best: Option<Split> = None;
    let min_leaf = config.min_samples_leaf as f64;
    for pair in present.windows(2) {
        let (lc, rc) = (pair[0], pair[1]);
        add_bin(&mut left, hist, lc, stats.stride);
        if stats.count(&left) < min_leaf {
            continue;
        }
        right.iter_mut().zip(node.iter().zip(&left)).for_each(|(r, (n, l))| *r = n - l);
        if stats.count(&right) < min_leaf {
            break;
        }
        if stats.weight(&left) <= 0.0 || stats.weight(&right) <= 0.0 {
            continue;
        }
        let proxy = stats.proxy(&left, &right);
        if best.as_ref().is_none_or(|b| proxy > b.proxy) {
            best = Some(Split { feature, left_code: lc, right_code: rc, proxy, left: left.clone() });
        }
    }
    best
}

/// One random split (extra trees): a threshold drawn uniformly between the node's smallest and largest value
/// of the feature, as scikit-learn draws it; the rows whose bin lies wholly below it go left.
#[allow(clippy::too_many_arguments)]
fn random_split(
    feature: usize,
    present: &[u16],
    hist: &[f64],
    node: &[f64],
    stats: &Stats,
    config: &TreeConfig,
    bins: &Bins,
    rng: &mut Rng,
) -> Option<Split> {
    let value =
        |table: &Vec<Vec<f64>>, code: u16| table.get(feature).and_then(|v| v.get(code as usize)).copied();
    let (first, last) = (*present.first()?, *present.last()?);
    let (lo, hi) = (value(&bins.low, first)?, value(&bins.high, last)?);
    let threshold = lo + rng.uniform() * (hi - lo);
    let below = present.iter().take_while(|&&c| value(&bins.high, c).is_some_and(|h| h <= threshold)).count();
    let at = below.saturating_sub(1).min(present.len() - 2);
    let mut left = vec![0.0; stats.stride];
    for &c in present.get(..=at).unwrap_or(&[]) {
        add_bin(&mut left, hist, c, stats.stride);
    }
    let right: Vec<f64> = node.iter().zip(&left).map(|(n, l)| n - l).collect();
    let min_leaf = config.min_samples_leaf as f64;
    if stats.count(&left) < min_leaf || stats.count(&right) < min_leaf {
        return None;
    }
    let (lc, rc) = (*present.get(at)?, *present.get(at + 1)?);
    let proxy = stats.proxy(&left, &right);
    Some(Split { feature, left_code: lc, right_code: rc, proxy, left })
}
