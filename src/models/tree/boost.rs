//! Histogram gradient boosting (scikit-learn's `HistGradientBoostingRegressor` / `Classifier`, LightGBM's
//! design): features binned once into at most 255 bins, trees grown leaf-wise (best gain first) on
//! gradient/hessian histograms, the larger child's histogram obtained by subtraction, early stopping on a
//! held-out share of the training rows.

use serde::{Deserialize, Serialize};

use super::bins::{Binned, Bins};
use super::cart::{Node, Tree};
use crate::error::Result;
use crate::models::logistic::{sigmoid, softmax_into};
use crate::models::params::{check_at_least, check_one_of, check_positive, check_range};
use crate::numeric::{Matrix, MatrixView, RowMajor, RowMajorMut};
use crate::progress::Progress;
use crate::rng::rng_from_seed;

/// Parameters of `hist_gradient_boosting`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BoostParams {
    /// Regression: `squared_error` (default) or `absolute_error`; classification always uses `log_loss`.
    pub loss: Option<String>,
    /// Shrinkage of every tree (> 0); default 0.1.
    pub learning_rate: f64,
    /// Boosting iterations (trees per class); default 100.
    pub max_iter: usize,
    /// Leaves per tree (≥ 2); default 31.
    pub max_leaf_nodes: usize,
    /// Deepest level; default none.
    pub max_depth: Option<usize>,
    /// Fewest samples in a leaf; default 20.
    pub min_samples_leaf: usize,
    /// L2 penalty on leaf values (≥ 0); default 0.
    pub l2_regularization: f64,
    /// Bins per feature (2..=255); default 255.
    pub max_bins: usize,
    /// Stop when the validation loss stops improving: true, false, or `null` (default: when there are more
    /// than 10,000 rows).
    pub early_stopping: Option<bool>,
    /// Share of training rows held out for early stopping; default 0.1.
    pub validation_fraction: f64,
    /// Iterations without improvement before stopping; default 10.
    pub n_iter_no_change: usize,
    /// Smallest improvement that counts; default 1e-7.
    pub tol: f64,
}

impl Default for BoostParams {
    fn default() -> Self {
        BoostParams {
            loss: None,
            learning_rate: 0.1,
            max_iter: 100,
            max_leaf_nodes: 31,
            max_depth: None,
            min_samples_leaf: 20,
            l2_regularization: 0.0,
            max_bins: 255,
            early_stopping: None,
            validation_fraction: 0.1,
            n_iter_no_change: 10,
            tol: 1e-7,
        }
    }
}

/// The loss being boosted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Loss {
    /// Squared error (regression).
    SquaredError,
    /// Absolute error (regression; leaves take the median residual).
    AbsoluteError,
    /// Binary cross-entropy.
    Binary,
    /// Multinomial cross-entropy (one tree per class per iteration).
    Multinomial,
}

/// A fitted boosting model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedBoost {
    /// The loss.
    pub loss: Loss,
    /// Number of classes (0 for regression).
    pub n_classes: usize,
    /// Starting raw prediction per output.
    pub baseline: Vec<f64>,
    /// Per iteration, one tree per output.
    pub trees: Vec<Vec<Tree>>,
    /// Split-gain importance per feature (normalised).
    pub importances: Vec<f64>,
}

/// Targets for boosting.
#[derive(Debug, Clone, Copy)]
pub enum BoostTarget<'a> {
    /// Class indices and the number of classes.
    Classes(&'a [usize], usize),
    /// Values.
    Values(&'a [f64]),
}

impl BoostParams {
    /// Checks the parameters.
    pub fn validate(&self) -> Result<()> {
        if let Some(loss) = &self.loss {
            check_one_of("loss", loss, crate::models::choices::BOOST_LOSSES)?;
        }
        check_positive("learning_rate", self.learning_rate, false)?;
        check_at_least("max_iter", self.max_iter, 1)?;
        crate::limits::check_at_most("max_iter", self.max_iter, crate::limits::MAX_BOOSTING_ITERATIONS)?;
        check_at_least("max_leaf_nodes", self.max_leaf_nodes, 2)?;
        check_at_least("min_samples_leaf", self.min_samples_leaf, 1)?;
        check_positive("l2_regularization", self.l2_regularization, true)?;
        check_range("max_bins", self.max_bins as f64, 2.0, 255.0)?;
        check_range("validation_fraction", self.validation_fraction, 0.01, 0.9)?;
        check_at_least("n_iter_no_change", self.n_iter_no_change, 1)?;
        Ok(())
    }

    /// Boosts trees on `x`.
    pub fn fit(
        &self,
        x: MatrixView<'_>,
        target: BoostTarget,
        seed: u64,
        progress: &mut dyn Progress,
    ) -> Result<FittedBoost> {
        self.validate()?;
        let (loss, n_classes) = match target {
            BoostTarget::Classes(_, k) if k <= 2 => (Loss::Binary, k),
            BoostTarget::Classes(_, k) => (Loss::Multinomial, k),
            BoostTarget::Values(_) if self.loss.as_deref() == Some("absolute_error") => {
                (Loss::AbsoluteError, 0)
            }
            BoostTarget::Values(_) => (Loss::SquaredError, 0),
        };
        let n = x.nrows();
        let stop_early = self.early_stopping.unwrap_or(n > 10_000);
        let mut order: Vec<usize> = (0..n).collect();
        let n_val = if stop_early { ((n as f64) * self.validation_fraction).ceil() as usize } else { 0 };
        if stop_early {
            rng_from_seed(seed).shuffle(&mut order);
        }
        let (val_rows, train_rows) = order.split_at(n_val.min(n.saturating_sub(1)));
        let x_train = x.take_rows(train_rows);
        let x_val = x.take_rows(val_rows);
        let y_of = |rows: &[usize]| -> Vec<f64> {
            rows.iter()
                .map(|&i| match target {
                    BoostTarget::Classes(y, _) => y.get(i).copied().unwrap_or(0) as f64,
                    BoostTarget::Values(v) => v.get(i).copied().unwrap_or(0.0),
                })
                .collect()
        };
        let (y_train, y_val) = (y_of(train_rows), y_of(val_rows));
        let bins = Bins::fit(x_train.view(), self.max_bins);
        let binned = bins.transform(x_train.view());
        let outputs = if loss == Loss::Multinomial { n_classes } else { 1 };
        let baseline = baseline(loss, &y_train, n_classes);
        let mut raw = Matrix::zeros((x_train.nrows(), outputs));
        let mut raw_val = Matrix::zeros((x_val.nrows(), outputs));
        for m in [&mut raw, &mut raw_val] {
            for i in 0..m.nrows() {
                m.row_slice_mut(i).copy_from_slice(&baseline);
            }
        }
        let mut model =
            FittedBoost { loss, n_classes, baseline, trees: Vec::new(), importances: vec![0.0; x.ncols()] };
        let mut scores = vec![-mean_loss(loss, raw_val.view(), &y_val)];
        // At most 255 bins: codes fit a byte, halving the memory every histogram and partition walks.
        let columns: Vec<Vec<u8>> =
            binned.columns.iter().map(|codes| codes.iter().map(|&c| small_code(c)).collect()).collect();
        let grower = Grower { params: self, bins: &bins, binned: &binned, columns };
        let mut spare_histograms = Vec::new();
        let mut grad = vec![0.0; x_train.nrows()];
        let mut hess = vec![0.0; x_train.nrows()];
        for iteration in 0..self.max_iter {
            let mut round = Vec::with_capacity(outputs);
            for k in 0..outputs {
                gradients(loss, raw.view(), &y_train, k, &mut grad, &mut hess);
                let (mut tree, leaves) =
                    grower.grow(&grad, &hess, &mut model.importances, &mut spare_histograms);
                if loss == Loss::AbsoluteError {
                    median_leaves(&mut tree, &leaves, raw.view(), &y_train, self.learning_rate);
                }
                // Training rows are already sorted into leaves: no need to walk the tree for them.
                for (node, rows) in &leaves {
                    let v = tree.values.get(*node).copied().unwrap_or(0.0);
                    for &i in rows {
                        if let Some(r) = raw.row_slice_mut(i as usize).get_mut(k) {
                            *r += v;
                        }
                    }
                }
                for (i, row) in x_val.row_slices().enumerate() {
                    let v = tree.value(row).first().copied().unwrap_or(0.0);
                    if let Some(r) = raw_val.row_slice_mut(i).get_mut(k) {
                        *r += v;
                    }
                }
                round.push(tree);
            }
            model.trees.push(round);
            progress.report("boosting iterations", iteration as u64 + 1, self.max_iter as u64);
            if stop_early {
                scores.push(-mean_loss(loss, raw_val.view(), &y_val));
                if should_stop(&scores, self.n_iter_no_change, self.tol) {
                    break;
                }
            }
        }
        let total: f64 = model.importances.iter().sum();
        if total > 0.0 {
            model.importances.iter_mut().for_each(|v| *v /= total);
        }
        Ok(model)
    }
}

/// scikit-learn's rule: stop when none of the last `n` scores beats the one before them by more than `tol`.
fn should_stop(scores: &[f64], n: usize, tol: f64) -> bool {
    if scores.len() <= n {
        return false;
    }
    let reference = scores[scores.len() - n - 1];
    !scores[scores.len() - n..].iter().any(|&s| s > reference + tol)
}

fn baseline(loss: Loss, y: &[f64], n_classes: usize) -> Vec<f64> {
    let n = y.len().max(1) as f64;
    match loss {
        Loss::SquaredError => vec![y.iter().sum::<f64>() / n],
        Loss::AbsoluteError => vec![median(y.to_vec())],
        Loss::Binary => {
            let p = (y.iter().sum::<f64>() / n).clamp(1e-15, 1.0 - 1e-15);
            vec![(p / (1.0 - p)).ln()]
        }
        Loss::Multinomial => {
            let mut counts = vec![0.0; n_classes];
            y.iter().for_each(|&c| {
                if let Some(slot) = counts.get_mut(c as usize) {
                    *slot += 1.0;
                }
            });
            counts.iter().map(|c| (c / n).clamp(1e-15, 1.0).ln()).collect()
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    }
}

/// Gradient and hessian of the loss for output `k` at the current raw predictions.
fn gradients(loss: Loss, raw: MatrixView<'_>, y: &[f64], k: usize, grad: &mut [f64], hess: &mut [f64]) {
    let mut p = vec![0.0; raw.ncols()];
    for (i, (r, &t)) in raw.row_slices().zip(y).enumerate() {
        let (g, h) = match loss {
            Loss::SquaredError => (r[0] - t, 1.0),
            Loss::AbsoluteError => (if r[0] > t { 1.0 } else { -1.0 }, 1.0),
            Loss::Binary => {
                let q = sigmoid(r[0]);
                (q - t, (q * (1.0 - q)).max(1e-16))
            }
            Loss::Multinomial => {
                softmax_into(r, &mut p);
                let q = p.get(k).copied().unwrap_or(0.0);
                (q - if t as usize == k { 1.0 } else { 0.0 }, (q * (1.0 - q)).max(1e-16))
            }
        };
        if let (Some(gs), Some(hs)) = (grad.get_mut(i), hess.get_mut(i)) {
            *gs = g;
            *hs = h;
        }
    }
}

/// Mean loss of raw predictions (half squared error, absolute error, or cross-entropy); 0 without rows.
fn mean_loss(loss: Loss, raw: MatrixView<'_>, y: &[f64]) -> f64 {
    if y.is_empty() {
        return 0.0;
    }
    let mut p = vec![0.0; raw.ncols()];
    let total: f64 = raw
        .row_slices()
        .zip(y)
        .map(|(r, &t)| match loss {
            Loss::SquaredError => 0.5 * (r[0] - t).powi(2),
            Loss::AbsoluteError => (r[0] - t).abs(),
            Loss::Binary => {
                let z = r[0];
                z.max(0.0) + (-z.abs()).exp().ln_1p() - t * z
            }
            Loss::Multinomial => {
                softmax_into(r, &mut p);
                -p.get(t as usize).copied().unwrap_or(0.0).max(1e-300).ln()
            }
        })
        .sum();
    total / y.len() as f64
}

/// Leaves of an absolute-error tree take the median residual of their rows (times the learning rate).
fn median_leaves(tree: &mut Tree, leaves: &[(usize, Vec<u32>)], raw: MatrixView<'_>, y: &[f64], rate: f64) {
    for (node, rows) in leaves {
        let residuals: Vec<f64> =
            rows.iter().map(|&i| y.get(i as usize).copied().unwrap_or(0.0) - raw.at(i as usize, 0)).collect();
        if let Some(v) = tree.values.get_mut(*node) {
            *v = rate * median(residuals);
        }
    }
}

/// Gradient, hessian and count per bin of one feature. Always 256 cells, so that a byte code indexes it
/// without a bounds check and one feature's cells (6 KB) stay in the L1 cache while its rows are added.
type FeatureHistogram = [[f64; 3]; 256];

/// One [`FeatureHistogram`] per feature, for one node.
type Histogram = Vec<FeatureHistogram>;

struct Leaf {
    node: usize,
    rows: Vec<u32>,
    depth: usize,
    sum_g: f64,
    sum_h: f64,
    hist: Histogram,
    split: Option<(f64, usize, u16, [f64; 3])>,
}

struct Grower<'a> {
    params: &'a BoostParams,
    bins: &'a Bins,
    binned: &'a Binned,
    /// The codes as bytes, one vector per feature.
    columns: Vec<Vec<u8>>,
}

impl Grower<'_> {
    /// The histogram of a node's rows, feature by feature (scikit-learn's and LightGBM's order): the
    /// rows' gradients are gathered once, then each feature walks its own byte column.
    /// `spare` holds histograms of finished leaves, reused instead of allocating (and page-faulting) anew.
    fn histogram(&self, rows: &[u32], grad: &[f64], hess: &[f64], spare: &mut Vec<Histogram>) -> Histogram {
        let ordered: Vec<[f64; 2]> = rows
            .iter()
            .map(|&i| {
                let i = i as usize;
                [grad.get(i).copied().unwrap_or(0.0), hess.get(i).copied().unwrap_or(0.0)]
            })
            .collect();
        let mut hist = match spare.pop() {
            Some(mut reused) => {
                reused.iter_mut().for_each(|cells| cells.fill([0.0; 3]));
                reused
            }
            None => vec![[[0.0; 3]; 256]; self.columns.len()],
        };
        for (cells, codes) in hist.iter_mut().zip(&self.columns) {
            for (&i, &[g, h]) in rows.iter().zip(&ordered) {
                let cell = &mut cells[usize::from(codes.get(i as usize).copied().unwrap_or(0))];
                cell[0] += g;
                cell[1] += h;
                cell[2] += 1.0;
            }
        }
        hist
    }

    /// The best split of a leaf: (gain, feature, last left code, left sums).
    fn best_split(&self, leaf: &Leaf) -> Option<(f64, usize, u16, [f64; 3])> {
        let lambda = self.params.l2_regularization;
        let min_leaf = self.params.min_samples_leaf as f64;
        let n = leaf.rows.len() as f64;
        if self.params.max_depth.is_some_and(|d| leaf.depth >= d) || n < 2.0 * min_leaf {
            return None;
        }
        let parent = leaf.sum_g * leaf.sum_g / (leaf.sum_h + lambda);
        let mut best: Option<(f64, usize, u16, [f64; 3])> = None;
        for (f, (cells, &n_bins)) in leaf.hist.iter().zip(&self.binned.n_bins).enumerate() {
            let mut left = [0.0; 3];
            for (c, cell) in cells.iter().take(n_bins).enumerate() {
                left[0] += cell[0];
                left[1] += cell[1];
                left[2] += cell[2];
                let right = [leaf.sum_g - left[0], leaf.sum_h - left[1], n - left[2]];
                if left[2] < min_leaf || left[1] < 1e-3 {
                    continue;
                }
                if right[2] < min_leaf || right[1] < 1e-3 {
                    break;
                }
                let gain = left[0] * left[0] / (left[1] + lambda) + right[0] * right[0] / (right[1] + lambda)
                    - parent;
                if gain > 1e-12 && best.is_none_or(|b| gain > b.0) {
                    best = Some((gain, f, c as u16, left));
                }
            }
        }
        best
    }

    /// Grows one tree on gradients and hessians; returns it with its leaves' rows.
    fn grow(
        &self,
        grad: &[f64],
        hess: &[f64],
        importances: &mut [f64],
        spare: &mut Vec<Histogram>,
    ) -> (Tree, Vec<(usize, Vec<u32>)>) {
        let rate = self.params.learning_rate;
        let lambda = self.params.l2_regularization;
        let rows: Vec<u32> = (0..self.binned.n_rows as u32).collect();
        let hist = self.histogram(&rows, grad, hess, spare);
        let (sum_g, sum_h) = (grad.iter().sum::<f64>(), hess.iter().sum::<f64>());
        let mut tree =
            Tree { nodes: vec![leaf_node()], values: vec![0.0], n_outputs: 1, importance: Vec::new() };
        let mut root = Leaf { node: 0, rows, depth: 0, sum_g, sum_h, hist, split: None };
        root.split = self.best_split(&root);
        let mut open = vec![root];
        let mut done: Vec<Leaf> = Vec::new();
        let mut scratch = Vec::new();
        while open.len() + done.len() < self.params.max_leaf_nodes {
            // Leaf-wise growth: split the open leaf with the largest gain.
            let Some(at) = open
                .iter()
                .enumerate()
                .filter(|(_, l)| l.split.is_some())
                .max_by(|a, b| gain_of(a.1).total_cmp(&gain_of(b.1)))
                .map(|(i, _)| i)
            else {
                break;
            };
            let leaf = open.swap_remove(at);
            let Some((gain, feature, code, left_sums)) = leaf.split else { continue };
            if let Some(imp) = importances.get_mut(feature) {
                *imp += gain;
            }
            let codes = self.columns.get(feature).map_or(&[][..], Vec::as_slice);
            let code = small_code(code);
            let mut left_rows = leaf.rows;
            let mid = super::cart::partition(&mut left_rows, &mut scratch, |i| {
                codes.get(i as usize).is_some_and(|&c| c <= code)
            });
            let right_rows = left_rows.split_off(mid);
            let left_id = tree.nodes.len();
            tree.nodes.push(leaf_node());
            tree.nodes.push(leaf_node());
            tree.values.extend([0.0, 0.0]);
            if let Some(node) = tree.nodes.get_mut(leaf.node) {
                *node = Node {
                    feature: feature as u32,
                    threshold: self
                        .bins
                        .edges
                        .get(feature)
                        .and_then(|e| e.get(code as usize))
                        .copied()
                        .unwrap_or(f64::INFINITY),
                    left: left_id as u32,
                    right: left_id as u32 + 1,
                };
            }
            // Only the smaller child's histogram is built; the larger one is the parent's minus it.
            let left_smaller = left_rows.len() <= right_rows.len();
            let small_rows = if left_smaller { &left_rows } else { &right_rows };
            let small_hist = self.histogram(small_rows, grad, hess, spare);
            let mut large_hist = leaf.hist;
            for (parent, small) in large_hist.iter_mut().zip(&small_hist) {
                for (cell, s) in parent.iter_mut().zip(small) {
                    *cell = [cell[0] - s[0], cell[1] - s[1], cell[2] - s[2]];
                }
            }
            let (left_hist, right_hist) =
                if left_smaller { (small_hist, large_hist) } else { (large_hist, small_hist) };
            let depth = leaf.depth + 1;
            let mut children = [
                Leaf {
                    node: left_id,
                    rows: left_rows,
                    depth,
                    sum_g: left_sums[0],
                    sum_h: left_sums[1],
                    hist: left_hist,
                    split: None,
                },
                Leaf {
                    node: left_id + 1,
                    rows: right_rows,
                    depth,
                    sum_g: leaf.sum_g - left_sums[0],
                    sum_h: leaf.sum_h - left_sums[1],
                    hist: right_hist,
                    split: None,
                },
            ];
            for child in children.iter_mut() {
                child.split = self.best_split(child);
            }
            for mut child in children {
                if child.split.is_some() {
                    open.push(child);
                } else {
                    spare.push(std::mem::take(&mut child.hist));
                    done.push(child);
                }
            }
        }
        let mut leaves = Vec::with_capacity(open.len() + done.len());
        for mut leaf in open.into_iter().chain(done) {
            if !leaf.hist.is_empty() {
                spare.push(std::mem::take(&mut leaf.hist));
            }
            if let Some(v) = tree.values.get_mut(leaf.node) {
                *v = -rate * leaf.sum_g / (leaf.sum_h + lambda);
            }
            leaves.push((leaf.node, leaf.rows));
        }
        (tree, leaves)
    }
}

/// A bin code as a byte (boosting uses at most 255 bins).
fn small_code(code: u16) -> u8 {
    u8::try_from(code).unwrap_or(u8::MAX)
}

fn gain_of(leaf: &Leaf) -> f64 {
    leaf.split.map_or(f64::NEG_INFINITY, |s| s.0)
}

fn leaf_node() -> Node {
    Node { feature: u32::MAX, threshold: 0.0, left: 0, right: 0 }
}

impl FittedBoost {
    /// Raw scores (before the link function), one column per output.
    pub fn raw(&self, x: MatrixView<'_>) -> Matrix {
        let outputs = self.baseline.len();
        let mut out = Matrix::zeros((x.nrows(), outputs));
        for (i, row) in x.row_slices().enumerate() {
            let target = out.row_slice_mut(i);
            target.copy_from_slice(&self.baseline);
            for round in &self.trees {
                for (t, tree) in target.iter_mut().zip(round) {
                    *t += tree.value(row).first().copied().unwrap_or(0.0);
                }
            }
        }
        out
    }

    /// Predictions (regression) or class probabilities (classification).
    pub fn predict_matrix(&self, x: MatrixView<'_>) -> Matrix {
        let raw = self.raw(x);
        match self.loss {
            Loss::SquaredError | Loss::AbsoluteError => raw,
            Loss::Binary => {
                let data = raw.values().iter().flat_map(|&z| {
                    let p = sigmoid(z);
                    [1.0 - p, p]
                });
                crate::numeric::from_parts(x.nrows(), 2, data.collect())
            }
            Loss::Multinomial => {
                let mut out = Matrix::zeros((x.nrows(), raw.ncols()));
                for (i, r) in raw.row_slices().enumerate() {
                    softmax_into(r, out.row_slice_mut(i));
                }
                out
            }
        }
    }
}
