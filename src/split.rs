//! Splitting rows: a train / validation / test holdout, and cross-validation folds (KFold, StratifiedKFold,
//! GroupKFold, TimeSeriesSplit, leave-one-out). Unshuffled folds are exactly scikit-learn's; shuffled ones
//! use the Spec's seed.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::rng::rng_from_seed;

/// The holdout split of a Spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SplitSpec {
    /// Share of rows kept for the final test (0 ≤ share < 1); default 0.2.
    pub test_size: f64,
    /// Share of rows kept for validation (scored after training, before the test); default 0.
    pub validation_size: f64,
    /// Keep class proportions in every part; default true for classification.
    pub stratify: Option<bool>,
    /// Shuffle before splitting; default true (false keeps the file's order: the last rows are the test).
    pub shuffle: bool,
}

impl Default for SplitSpec {
    fn default() -> Self {
        SplitSpec { test_size: 0.2, validation_size: 0.0, stratify: None, shuffle: true }
    }
}

/// The cross-validation of a Spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CvSpec {
    /// Number of folds (0: no cross-validation, else at least 2); default 5.
    #[serde(deserialize_with = "fold_count")]
    pub folds: usize,
    /// `kfold`, `stratified`, `group`, `time_series` or `leave_one_out`; default `stratified` for
    /// classification (unless `stratify` is false), `group` when a `group` column is named, else `kfold`.
    pub method: Option<CvMethod>,
    /// Class proportions kept in every fold (same as method `stratified`); default true for classification.
    pub stratify: Option<bool>,
    /// Shuffle rows before making folds (kfold and stratified); default true.
    pub shuffle: bool,
    /// The column whose values keep rows together (method `group`).
    pub group: Option<String>,
}

impl Default for CvSpec {
    fn default() -> Self {
        CvSpec { folds: 5, method: None, stratify: None, shuffle: true, group: None }
    }
}

/// How cross-validation folds are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CvMethod {
    /// scikit-learn's `KFold`.
    Kfold,
    /// scikit-learn's `StratifiedKFold` (classification).
    Stratified,
    /// scikit-learn's `GroupKFold` over the `group` column.
    Group,
    /// scikit-learn's `TimeSeriesSplit`: train on the past, test on what follows.
    TimeSeries,
    /// One fold per row.
    LeaveOneOut,
}

impl CvMethod {
    /// Every method, in the order the page lists them.
    pub const ALL: [CvMethod; 5] =
        [CvMethod::Kfold, CvMethod::Stratified, CvMethod::Group, CvMethod::TimeSeries, CvMethod::LeaveOneOut];

    /// The method in words, for the page.
    pub fn label(self) -> &'static str {
        match self {
            CvMethod::Kfold => "k-fold",
            CvMethod::Stratified => "stratified k-fold",
            CvMethod::Group => "group k-fold",
            CvMethod::TimeSeries => "time series",
            CvMethod::LeaveOneOut => "leave one out",
        }
    }

    /// The name written in Specs and Reports.
    pub fn name(self) -> &'static str {
        match self {
            CvMethod::Kfold => "kfold",
            CvMethod::Stratified => "stratified",
            CvMethod::Group => "group",
            CvMethod::TimeSeries => "time_series",
            CvMethod::LeaveOneOut => "leave_one_out",
        }
    }
}

/// Reads `cv.folds`, refusing a negative, fractional or single fold count with the rule rather than serde's
/// "expected usize".
fn fold_count<'de, D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<usize, D::Error> {
    let value = f64::deserialize(deserializer)?;
    if value == 0.0 || (value >= 2.0 && value.fract() == 0.0 && value <= u32::MAX as f64) {
        Ok(value as usize)
    } else {
        Err(serde::de::Error::custom(format!("must be 0 (no cross-validation) or at least 2, got {value}")))
    }
}

/// Checks a holdout split's shares: each at least 0 and below 1, leaving some rows for training.
pub fn check_split(spec: &SplitSpec) -> Result<()> {
    for (name, v) in [("split.test_size", spec.test_size), ("split.validation_size", spec.validation_size)] {
        if !(0.0..1.0).contains(&v) {
            return Err(Error::spec(name, format!("must be at least 0 and below 1, got {v}")));
        }
    }
    if spec.test_size + spec.validation_size >= 1.0 {
        return Err(Error::spec("split", "test_size + validation_size must leave some rows for training"));
    }
    Ok(())
}

/// Row indices of a holdout split.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Holdout {
    /// Training rows.
    pub train: Vec<usize>,
    /// Validation rows (may be empty).
    pub validation: Vec<usize>,
    /// Test rows (may be empty).
    pub test: Vec<usize>,
}

/// One fold: training rows and the rows scored.
pub type Fold = (Vec<usize>, Vec<usize>);

/// Splits `n` rows into train / validation / test; `classes` (when stratifying) gives each row's class.
pub fn holdout(n: usize, spec: &SplitSpec, classes: Option<&[usize]>, seed: u64) -> Result<Holdout> {
    check_split(spec)?;
    let n_test = (spec.test_size * n as f64).ceil() as usize;
    let n_val = (spec.validation_size * n as f64).ceil() as usize;
    if n_test + n_val >= n {
        return Err(Error::EmptyData(format!(
            "{n} rows are too few to hold out {n_test} for testing and {n_val} for validation"
        )));
    }
    let mut rng = rng_from_seed(seed);
    let order: Vec<usize> = match classes {
        Some(y) if spec.shuffle => {
            // Stratified: shuffle within each class, then deal the classes out in proportion.
            let k = y.iter().copied().max().map_or(0, |m| m + 1);
            let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); k];
            for (i, &c) in y.iter().enumerate() {
                if let Some(v) = by_class.get_mut(c) {
                    v.push(i);
                }
            }
            by_class.iter_mut().for_each(|v| rng.shuffle(v));
            let mut test = Vec::new();
            let mut val = Vec::new();
            let mut train = Vec::new();
            for rows in &by_class {
                let share = rows.len() as f64 / n as f64;
                let t = ((n_test as f64) * share).round() as usize;
                let v = ((n_val as f64) * share).round() as usize;
                let t = t.min(rows.len());
                let v = v.min(rows.len() - t);
                test.extend_from_slice(rows.get(..t).unwrap_or(&[]));
                val.extend_from_slice(rows.get(t..t + v).unwrap_or(&[]));
                train.extend_from_slice(rows.get(t + v..).unwrap_or(&[]));
            }
            test.sort_unstable();
            val.sort_unstable();
            train.sort_unstable();
            return Ok(Holdout { train, validation: val, test });
        }
        _ => {
            let mut order: Vec<usize> = (0..n).collect();
            if spec.shuffle {
                rng.shuffle(&mut order);
                order
            } else {
                // Unshuffled: the last rows are the test, the ones before them the validation.
                order.rotate_right(n_test + n_val);
                order
            }
        }
    };
    let mut test: Vec<usize> = order.get(..n_test).unwrap_or(&[]).to_vec();
    let mut validation: Vec<usize> = order.get(n_test..n_test + n_val).unwrap_or(&[]).to_vec();
    let mut train: Vec<usize> = order.get(n_test + n_val..).unwrap_or(&[]).to_vec();
    test.sort_unstable();
    validation.sort_unstable();
    train.sort_unstable();
    Ok(Holdout { train, validation, test })
}

/// scikit-learn's `KFold`: consecutive chunks, the first `n % k` one row larger; optionally shuffled.
pub fn kfold(n: usize, k: usize, shuffle: bool, seed: u64) -> Result<Vec<Fold>> {
    check_folds(n, k)?;
    let mut order: Vec<usize> = (0..n).collect();
    if shuffle {
        rng_from_seed(seed).shuffle(&mut order);
    }
    let mut folds = Vec::with_capacity(k);
    let mut start = 0;
    for f in 0..k {
        let size = n / k + usize::from(f < n % k);
        let test: Vec<usize> = order.get(start..start + size).unwrap_or(&[]).to_vec();
        folds.push(complement(n, test));
        start += size;
    }
    Ok(folds)
}

/// scikit-learn's `StratifiedKFold` (the allocation of version ≥ 0.22): classes numbered by first
/// appearance, each class's rows dealt to folds in the pattern of the sorted labels.
pub fn stratified_kfold(y: &[usize], k: usize, shuffle: bool, seed: u64) -> Result<Vec<Fold>> {
    let n = y.len();
    check_folds(n, k)?;
    let mut first_seen: Vec<usize> = Vec::new();
    let encoded: Vec<usize> = y
        .iter()
        .map(|&c| match first_seen.iter().position(|&s| s == c) {
            Some(p) => p,
            None => {
                first_seen.push(c);
                first_seen.len() - 1
            }
        })
        .collect();
    let n_classes = first_seen.len();
    let mut counts = vec![0usize; n_classes];
    encoded.iter().for_each(|&c| counts[c] += 1);
    if counts.iter().all(|&c| c < k) {
        return Err(Error::Spec {
            path: "cv.folds".into(),
            reason: format!(
                "{k} stratified folds need a class with at least {k} rows; the largest class has {}",
                counts.iter().max().unwrap_or(&0)
            ),
        });
    }
    let mut sorted = encoded.clone();
    sorted.sort_unstable();
    // allocation[c][f]: rows of class c in fold f.
    let mut allocation = vec![vec![0usize; k]; n_classes];
    for (i, &c) in sorted.iter().enumerate() {
        allocation[c][i % k] += 1;
    }
    let mut rng = rng_from_seed(seed);
    let mut test_fold = vec![0usize; n];
    for (c, per_fold) in allocation.iter().enumerate() {
        let mut folds_for_class: Vec<usize> =
            per_fold.iter().enumerate().flat_map(|(f, &count)| std::iter::repeat_n(f, count)).collect();
        if shuffle {
            rng.shuffle(&mut folds_for_class);
        }
        let mut next = folds_for_class.into_iter();
        for (i, &e) in encoded.iter().enumerate() {
            if e == c {
                test_fold[i] = next.next().unwrap_or(0);
            }
        }
    }
    Ok((0..k).map(|f| complement(n, (0..n).filter(|&i| test_fold[i] == f).collect())).collect())
}

/// scikit-learn's `GroupKFold`: groups, largest first, each to the fold with the fewest rows so far; no
/// group is split across folds.
pub fn group_kfold(groups: &[u64], k: usize) -> Result<Vec<Fold>> {
    let n = groups.len();
    check_folds(n, k)?;
    let mut ids: Vec<u64> = groups.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() < k {
        return Err(Error::Spec {
            path: "cv.folds".into(),
            reason: format!("{k} group folds need at least {k} groups; the group column has {}", ids.len()),
        });
    }
    let mut sizes = vec![0usize; ids.len()];
    let group_of: Vec<usize> = groups.iter().map(|g| ids.binary_search(g).unwrap_or(0)).collect();
    group_of.iter().for_each(|&g| sizes[g] += 1);
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by(|&a, &b| sizes[b].cmp(&sizes[a]).then(a.cmp(&b)));
    let mut fold_rows = vec![0usize; k];
    let mut fold_of_group = vec![0usize; ids.len()];
    for g in order {
        let lightest = (0..k).min_by_key(|&f| (fold_rows[f], f)).unwrap_or(0);
        fold_rows[lightest] += sizes[g];
        fold_of_group[g] = lightest;
    }
    Ok((0..k).map(|f| complement(n, (0..n).filter(|&i| fold_of_group[group_of[i]] == f).collect())).collect())
}

/// scikit-learn's `TimeSeriesSplit`: each fold tests the next `n / (k + 1)` rows and trains on all before.
pub fn time_series(n: usize, k: usize) -> Result<Vec<Fold>> {
    check_folds(n, k + 1)?;
    let test_size = n / (k + 1);
    let first = n - k * test_size;
    Ok((0..k)
        .map(|f| {
            let start = first + f * test_size;
            ((0..start).collect(), (start..start + test_size).collect())
        })
        .collect())
}

/// Most rows leave-one-out accepts (it fits one model per row).
pub const MAX_LEAVE_ONE_OUT_ROWS: usize = 2_000;

/// Leave-one-out: one fold per row.
pub fn leave_one_out(n: usize) -> Result<Vec<Fold>> {
    if n > MAX_LEAVE_ONE_OUT_ROWS {
        return Err(Error::Spec {
            path: "cv.method".into(),
            reason: format!("leave_one_out fits one model per row; it takes at most {MAX_LEAVE_ONE_OUT_ROWS} rows (this data has {n}); use kfold"),
        });
    }
    check_folds(n, 2)?;
    Ok((0..n).map(|i| complement(n, vec![i])).collect())
}

fn check_folds(n: usize, k: usize) -> Result<()> {
    if k < 2 {
        return Err(Error::Spec {
            path: "cv.folds".into(),
            reason: format!("must be 0 (no cross-validation) or at least 2, got {k}"),
        });
    }
    if n < k {
        return Err(Error::EmptyData(format!("{k} folds need at least {k} rows, got {n}")));
    }
    Ok(())
}

/// (all rows not in `test`, `test` sorted).
fn complement(n: usize, mut test: Vec<usize>) -> Fold {
    test.sort_unstable();
    let mut in_test = vec![false; n];
    test.iter().for_each(|&i| {
        if let Some(t) = in_test.get_mut(i) {
            *t = true;
        }
    });
    ((0..n).filter(|&i| !in_test[i]).collect(), test)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kfold_and_time_series_match_scikit_learn() {
        let folds = kfold(7, 3, false, 0).unwrap_or_default();
        let tests: Vec<Vec<usize>> = folds.iter().map(|f| f.1.clone()).collect();
        assert_eq!(tests, vec![vec![0, 1, 2], vec![3, 4], vec![5, 6]]);
        let ts = time_series(10, 3).unwrap_or_default();
        assert_eq!(ts[0], ((0..4).collect(), vec![4, 5]));
        assert_eq!(ts[2].1, vec![8, 9]);
    }

    #[test]
    fn stratified_folds_match_scikit_learn() {
        // StratifiedKFold(3).split(X, y) with y = [0,0,0,0,1,1,1,1,1,2] gives these test folds (sklearn 1.9).
        let y = [0, 0, 0, 0, 1, 1, 1, 1, 1, 2];
        let tests: Vec<Vec<usize>> =
            stratified_kfold(&y, 3, false, 0).unwrap_or_default().into_iter().map(|f| f.1).collect();
        assert_eq!(tests, vec![vec![0, 1, 4, 9], vec![2, 5, 6], vec![3, 7, 8]]);
    }

    #[test]
    fn holdout_is_disjoint_and_stratified() {
        let y: Vec<usize> = (0..100).map(|i| usize::from(i % 4 == 0)).collect();
        let spec = SplitSpec { test_size: 0.2, validation_size: 0.1, ..Default::default() };
        let h = holdout(100, &spec, Some(&y), 3).unwrap_or_default();
        assert_eq!(h.train.len() + h.validation.len() + h.test.len(), 100);
        assert_eq!(h.test.iter().filter(|&&i| y[i] == 1).count(), 5);
        let mut all: Vec<usize> = h.train.iter().chain(&h.validation).chain(&h.test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..100).collect::<Vec<_>>());
    }
}
