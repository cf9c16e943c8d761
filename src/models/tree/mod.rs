//! Trees and forests: `decision_tree`, `random_forest` and `extra_trees` (scikit-learn's CART learners), all
//! grown by [`cart::grow`] on binned features, and `hist_gradient_boosting` in [`boost`].

pub mod bins;
pub mod boost;
pub mod cart;

use serde::{Deserialize, Serialize};

use self::bins::{Binned, Bins};
use self::cart::{grow, Criterion, Tree, TreeConfig, TreeTargets};
use super::params::{check_at_least, check_one_of, check_range};
use crate::error::{Error, Result};
use crate::numeric::{Matrix, MatrixView, RowMajor, RowMajorMut};
use crate::progress::Progress;
use crate::rng::derive_seed;
use crate::rng::rng_from_seed;

/// How many features each split may look at: a name (`sqrt`, `log2`), a count, or a share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MaxFeatures {
    /// A whole number of features.
    Count(u64),
    /// A share of the features (0 < share ≤ 1).
    Share(f64),
    /// `sqrt` or `log2` of the number of features.
    Name(String),
}

impl MaxFeatures {
    /// The number of features to try, out of `p` (at least 1).
    pub fn resolve(&self, p: usize) -> Result<usize> {
        let n = match self {
            MaxFeatures::Count(n) if *n as usize > p.max(1) => {
                return Err(crate::error::Error::InvalidParam {
                    name: "max_features".into(),
                    reason: format!("must be at most the number of features ({p}), got {n}"),
                });
            }
            MaxFeatures::Count(n) => *n as usize,
            MaxFeatures::Share(s) => {
                check_range("max_features", *s, f64::MIN_POSITIVE, 1.0)?;
                (s * p as f64) as usize
            }
            MaxFeatures::Name(name) => {
                check_one_of("max_features", name, crate::models::choices::MAX_FEATURES_NAMES)?;
                let p = p as f64;
                (if name == "sqrt" { p.sqrt() } else { p.log2() }) as usize
            }
        };
        Ok(n.clamp(1, p.max(1)))
    }
}

/// Parameters of `decision_tree` (classifier or regressor, by task).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DecisionTreeParams {
    /// `gini` (default for classification), `entropy`, or `squared_error` (regression, its only choice).
    pub criterion: Option<String>,
    /// Deepest level; default none (grow until leaves are pure).
    pub max_depth: Option<usize>,
    /// Fewest samples to split a node (≥ 2); default 2.
    pub min_samples_split: usize,
    /// Fewest samples in a leaf (≥ 1); default 1.
    pub min_samples_leaf: usize,
    /// Features tried per split; default all.
    pub max_features: Option<MaxFeatures>,
    /// Bins per feature (2..=65535); default 65535, which makes every split exact for features with fewer
    /// distinct values.
    pub max_bins: usize,
}

impl Default for DecisionTreeParams {
    fn default() -> Self {
        DecisionTreeParams {
            criterion: None,
            max_depth: None,
            min_samples_split: 2,
            min_samples_leaf: 1,
            max_features: None,
            max_bins: bins::MAX_BINS,
        }
    }
}

/// Parameters of `random_forest` and `extra_trees`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ForestParams {
    /// Number of trees (≥ 1); default 100.
    pub n_estimators: usize,
    /// As for `decision_tree`; default `gini` / `squared_error`.
    pub criterion: Option<String>,
    /// Deepest level; default none.
    pub max_depth: Option<usize>,
    /// Fewest samples to split a node; default 2.
    pub min_samples_split: usize,
    /// Fewest samples in a leaf; default 1.
    pub min_samples_leaf: usize,
    /// Features tried per split; default `sqrt` for classification, all for regression.
    pub max_features: Option<MaxFeatures>,
    /// Each tree sees a bootstrap sample; default true for `random_forest`, false for `extra_trees`.
    pub bootstrap: Option<bool>,
    /// Also score every row with the trees that did not see it (needs bootstrap); default false.
    pub oob_score: bool,
    /// Bins per feature; default 255 (quantile bins beyond that: much faster, scores barely change).
    pub max_bins: usize,
}

impl Default for ForestParams {
    fn default() -> Self {
        ForestParams {
            n_estimators: 100,
            criterion: None,
            max_depth: None,
            min_samples_split: 2,
            min_samples_leaf: 1,
            max_features: None,
            bootstrap: None,
            oob_score: false,
            max_bins: 255,
        }
    }
}

/// Training targets of a tree model.
#[derive(Debug, Clone, Copy)]
pub enum Supervision<'a> {
    /// Class indices and the number of classes.
    Classes(&'a [usize], usize),
    /// Values.
    Values(&'a [f64]),
}

/// A fitted tree ensemble (a decision tree is a forest of one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedForest {
    /// The trees; their values are averaged.
    pub trees: Vec<Tree>,
    /// Number of classes (0 for regression).
    pub n_classes: usize,
    /// Out-of-bag accuracy or R², when asked for.
    pub oob_score: Option<f64>,
    /// Impurity-based importance of each feature (sums to 1 unless no split was made).
    pub importances: Vec<f64>,
}

fn criterion(name: Option<&str>, classify: bool) -> Result<Criterion> {
    match (name, classify) {
        (None, true) | (Some("gini"), true) => Ok(Criterion::Gini),
        (Some("entropy"), true) | (Some("log_loss"), true) => Ok(Criterion::Entropy),
        (None, false) | (Some("squared_error"), false) => Ok(Criterion::SquaredError),
        (Some(other), _) => Err(Error::InvalidParam {
            name: "criterion".into(),
            reason: format!(
                "`{other}` is not available for {}; use {}",
                if classify { "classification" } else { "regression" },
                if classify { "gini or entropy" } else { "squared_error" }
            ),
        }),
    }
}

impl DecisionTreeParams {
    /// Checks the parameters (as the one-tree forest it grows).
    pub fn validate(&self) -> Result<()> {
        self.as_forest().validate()
    }

    fn as_forest(&self) -> ForestParams {
        ForestParams {
            n_estimators: 1,
            criterion: self.criterion.clone(),
            max_depth: self.max_depth,
            min_samples_split: self.min_samples_split,
            min_samples_leaf: self.min_samples_leaf,
            max_features: Some(self.max_features.clone().unwrap_or(MaxFeatures::Share(1.0))),
            bootstrap: Some(false),
            oob_score: false,
            max_bins: self.max_bins,
        }
    }

    /// Grows one tree on all rows.
    pub fn fit(&self, x: MatrixView<'_>, target: Supervision, seed: u64) -> Result<FittedForest> {
        self.as_forest().fit_forest(x, target, seed, false, &mut crate::progress::NoProgress)
    }
}

impl ForestParams {
    /// Checks the parameters.
    pub fn validate(&self) -> Result<()> {
        check_at_least("n_estimators", self.n_estimators, 1)?;
        crate::limits::check_at_most("n_estimators", self.n_estimators, crate::limits::MAX_TREES)?;
        check_at_least("min_samples_split", self.min_samples_split, 2)?;
        check_at_least("min_samples_leaf", self.min_samples_leaf, 1)?;
        check_at_least("max_bins", self.max_bins, 2)?;
        crate::limits::check_at_most("max_bins", self.max_bins, bins::MAX_BINS)?;
        match &self.max_features {
            Some(MaxFeatures::Count(0)) => {
                return Err(crate::error::Error::InvalidParam {
                    name: "max_features".into(),
                    reason: "must be at least 1 (a count), a share in (0, 1], `sqrt` or `log2`, got 0".into(),
                })
            }
            Some(MaxFeatures::Share(s)) => check_range("max_features", *s, f64::MIN_POSITIVE, 1.0)?,
            Some(MaxFeatures::Name(name)) => {
                check_one_of("max_features", name, crate::models::choices::MAX_FEATURES_NAMES)?
            }
            _ => {}
        }
        if let Some(d) = self.max_depth {
            check_at_least("max_depth", d, 1)?;
        }
        Ok(())
    }

    /// Grows the forest; `random_splits` makes it extra trees.
    pub fn fit_forest(
        &self,
        x: MatrixView<'_>,
        target: Supervision,
        seed: u64,
        random_splits: bool,
        progress: &mut dyn Progress,
    ) -> Result<FittedForest> {
        self.validate()?;
        let (classes, values, n_classes): (&[usize], &[f64], usize) = match target {
            Supervision::Classes(y, k) => (y, &[], k),
            Supervision::Values(v) => (&[], v, 0),
        };
        let classify = n_classes > 0;
        let p = x.ncols();
        let default_features =
            if classify { MaxFeatures::Name("sqrt".into()) } else { MaxFeatures::Share(1.0) };
        let max_features = self.max_features.as_ref().unwrap_or(&default_features).resolve(p)?;
        let bootstrap = self.bootstrap.unwrap_or(!random_splits);
        if self.oob_score && !bootstrap {
            return Err(Error::InvalidParam {
                name: "oob_score".into(),
                reason: "needs bootstrap samples (set bootstrap to true)".into(),
            });
        }
        let config = TreeConfig {
            criterion: criterion(self.criterion.as_deref(), classify)?,
            n_classes,
            max_depth: self.max_depth,
            min_samples_split: self.min_samples_split,
            min_samples_leaf: self.min_samples_leaf,
            max_features,
            random_splits,
            shuffle_features: max_features < p || random_splits,
        };
        let bins = Bins::fit(x, self.max_bins);
        let binned: Binned = bins.transform(x);
        let n = x.nrows();
        let mut trees = Vec::with_capacity(self.n_estimators);
        let n_out = n_classes.max(1);
        let mut oob_sum =
            if self.oob_score { Some((Matrix::zeros((n, n_out)), vec![0usize; n])) } else { None };
        for t in 0..self.n_estimators {
            let mut rng = rng_from_seed(derive_seed(seed, t as u64));
            let weights: Vec<f64> = if bootstrap {
                let mut w = vec![0.0; n];
                for _ in 0..n {
                    if let Some(slot) = w.get_mut(rng.below(n)) {
                        *slot += 1.0;
                    }
                }
                w
            } else {
                vec![1.0; n]
            };
            let targets = TreeTargets { classes, values, weights: &weights };
            let tree = grow(&binned, &bins, &targets, &config, &mut rng);
            if let Some((sum, count)) = oob_sum.as_mut() {
                for (i, w) in weights.iter().enumerate() {
                    if *w == 0.0 {
                        let v = tree.value(x.row_slice(i));
                        sum.row_slice_mut(i).iter_mut().zip(v).for_each(|(s, v)| *s += v);
                        if let Some(c) = count.get_mut(i) {
                            *c += 1;
                        }
                    }
                }
            }
            trees.push(tree);
            progress.report("trees", t as u64 + 1, self.n_estimators as u64);
        }
        let oob_score = oob_sum.map(|(sum, count)| oob(sum.view(), &count, target));
        let importances = average_importances(&trees, p);
        Ok(FittedForest { trees, n_classes, oob_score, importances })
    }
}

/// Accuracy or R² of the out-of-bag predictions (rows never left out are skipped).
fn oob(sum: MatrixView<'_>, count: &[usize], target: Supervision) -> f64 {
    let rows: Vec<usize> = (0..count.len()).filter(|&i| count.get(i).is_some_and(|&c| c > 0)).collect();
    match target {
        Supervision::Classes(y, _) => {
            let correct = rows
                .iter()
                .filter(|&&i| crate::numeric::argmax(sum.row_slice(i)) == y.get(i).copied().unwrap_or(0))
                .count();
            correct as f64 / rows.len().max(1) as f64
        }
        Supervision::Values(v) => {
            let pred: Vec<f64> =
                rows.iter().map(|&i| sum.at(i, 0) / count.get(i).copied().unwrap_or(1) as f64).collect();
            let truth: Vec<f64> = rows.iter().map(|&i| v.get(i).copied().unwrap_or(0.0)).collect();
            crate::numeric::stats::r2(&truth, &pred)
        }
    }
}

/// Each tree's importances normalised to sum 1, averaged, normalised again (scikit-learn's rule).
fn average_importances(trees: &[Tree], p: usize) -> Vec<f64> {
    let mut total = vec![0.0; p];
    for tree in trees {
        let sum: f64 = tree.importance.iter().sum();
        if sum > 0.0 {
            total.iter_mut().zip(&tree.importance).for_each(|(t, v)| *t += v / sum);
        }
    }
    let sum: f64 = total.iter().sum();
    if sum > 0.0 {
        total.iter_mut().for_each(|t| *t /= sum);
    }
    total
}

impl FittedForest {
    /// Mean of the trees' values: class probabilities, or a single column of predictions.
    pub fn predict_matrix(&self, x: MatrixView<'_>) -> Matrix {
        let mut out = Matrix::zeros((x.nrows(), self.n_classes.max(1)));
        for tree in &self.trees {
            tree.add_values(x, &mut out);
        }
        let n = self.trees.len().max(1) as f64;
        out.values_mut().iter_mut().for_each(|v| *v /= n);
        out
    }
}
