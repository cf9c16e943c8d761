//! Mutual information between each numeric feature and the target, estimated from nearest neighbours as
//! scikit-learn's `mutual_info_classif` / `mutual_info_regression` (Ross 2014; Kraskov et al. 2004, 3
//! neighbours), and the `mutual_info` step that keeps the k most informative features.

use serde::{Deserialize, Serialize};

use super::columns::{ColumnGroup, Columns};
use super::contract::{count_of, Step, StepReport};
use crate::data::table::MISSING_CODE;
use crate::data::{ColumnData, Table};
use crate::error::{Error, Result};
use crate::rng::{rng_from_seed, Rng};

/// Rows used at most for the estimate (the estimator compares every pair of rows); the first rows of a
/// larger table are used.
pub const MAX_ROWS: usize = 5000;
/// Neighbours of the estimator.
const NEIGHBOURS: usize = 3;

/// What kind of target the information is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MiTask {
    /// Classes for string and boolean targets and for integers with at most 20 values; else regression.
    #[default]
    Auto,
    /// The target is a class label.
    Classification,
    /// The target is a number.
    Regression,
}

/// Parameters of the `mutual_info` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MutualInfoParams {
    /// Candidate features; default the numeric ones.
    pub columns: Columns,
    /// How many to keep; default 10.
    pub k: usize,
    /// Default `auto`.
    pub task: MiTask,
}

impl Default for MutualInfoParams {
    fn default() -> Self {
        MutualInfoParams { columns: Columns::Group(ColumnGroup::Numeric), k: 10, task: MiTask::Auto }
    }
}

/// The digamma function ψ(x) for x > 0 (recurrence up to 10, then the asymptotic series; error below 1e-14).
pub fn digamma(mut x: f64) -> f64 {
    let mut result = 0.0;
    while x < 10.0 {
        result -= 1.0 / x;
        x += 1.0;
    }
    let f = 1.0 / (x * x);
    result + x.ln()
        - 0.5 / x
        - f * (1.0 / 12.0 - f * (1.0 / 120.0 - f * (1.0 / 252.0 - f * (1.0 / 240.0 - f / 132.0))))
}

/// The largest float below `x` (for x > 0), as `np.nextafter(x, 0)`: neighbours strictly closer count.
fn just_below(x: f64) -> f64 {
    if x > 0.0 {
        f64::from_bits(x.to_bits() - 1)
    } else {
        x
    }
}

/// Distance to the k-th nearest other point of `points` (1-D), for each point.
fn kth_distance_1d(points: &[f64], k: usize) -> Vec<f64> {
    points
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            let mut d: Vec<f64> =
                points.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, &q)| (p - q).abs()).collect();
            d.sort_by(f64::total_cmp);
            d.get(k.saturating_sub(1)).copied().unwrap_or(0.0)
        })
        .collect()
}

/// Mutual information of a continuous `x` and class labels `y` (Ross 2014).
pub fn mi_continuous_discrete(x: &[f64], y: &[usize]) -> f64 {
    let n = x.len();
    let mut radius = vec![0.0; n];
    let mut k_all = vec![0usize; n];
    let mut label_counts = vec![0usize; n];
    let mut labels: Vec<usize> = y.to_vec();
    labels.sort_unstable();
    labels.dedup();
    for label in labels {
        let members: Vec<usize> = (0..n).filter(|&i| y.get(i) == Some(&label)).collect();
        let count = members.len();
        if count > 1 {
            let k = NEIGHBOURS.min(count - 1);
            let points: Vec<f64> = members.iter().filter_map(|&i| x.get(i).copied()).collect();
            for (&i, r) in members.iter().zip(kth_distance_1d(&points, k)) {
                if let (Some(slot), Some(kk)) = (radius.get_mut(i), k_all.get_mut(i)) {
                    *slot = just_below(r);
                    *kk = k;
                }
            }
        }
        for &i in &members {
            if let Some(c) = label_counts.get_mut(i) {
                *c = count;
            }
        }
    }
    // Points alone in their class are left out.
    let kept: Vec<usize> = (0..n).filter(|&i| label_counts.get(i).copied().unwrap_or(0) > 1).collect();
    let m = kept.len();
    if m == 0 {
        return 0.0;
    }
    let within = |i: usize| -> f64 {
        let (xi, r) = (x.get(i).copied().unwrap_or(0.0), radius.get(i).copied().unwrap_or(0.0));
        kept.iter().filter(|&&j| (x.get(j).copied().unwrap_or(0.0) - xi).abs() <= r).count() as f64
    };
    let mean = |f: &dyn Fn(usize) -> f64| kept.iter().map(|&i| f(i)).sum::<f64>() / m as f64;
    let mi = digamma(m as f64) + mean(&|i| digamma(k_all.get(i).copied().unwrap_or(1) as f64))
        - mean(&|i| digamma(label_counts.get(i).copied().unwrap_or(1) as f64))
        - mean(&|i| digamma(within(i)));
    mi.max(0.0)
}

/// Mutual information of two continuous variables (Kraskov et al., first estimator; max-norm).
pub fn mi_continuous_continuous(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len();
    if n < 2 {
        return 0.0;
    }
    let k = NEIGHBOURS.min(n - 1);
    let point = |i: usize| (x.get(i).copied().unwrap_or(0.0), y.get(i).copied().unwrap_or(0.0));
    let radius: Vec<f64> = (0..n)
        .map(|i| {
            let (xi, yi) = point(i);
            let mut d: Vec<f64> = (0..n)
                .filter(|&j| j != i)
                .map(|j| {
                    let (xj, yj) = point(j);
                    (xi - xj).abs().max((yi - yj).abs())
                })
                .collect();
            d.sort_by(f64::total_cmp);
            just_below(d.get(k - 1).copied().unwrap_or(0.0))
        })
        .collect();
    let count = |values: &[f64], i: usize| -> f64 {
        let (v, r) = (values.get(i).copied().unwrap_or(0.0), radius.get(i).copied().unwrap_or(0.0));
        values.iter().filter(|&&w| (w - v).abs() <= r).count() as f64 // includes the point itself: nx + 1
    };
    let mean_x = (0..n).map(|i| digamma(count(x, i))).sum::<f64>() / n as f64;
    let mean_y = (0..n).map(|i| digamma(count(y, i))).sum::<f64>() / n as f64;
    (digamma(n as f64) + digamma(k as f64) - mean_x - mean_y).max(0.0)
}

/// Divides by the population standard deviation, then adds noise of relative size 1e-10, as scikit-learn
/// (after Kraskov et al.): tied values would otherwise give neighbour radii of zero and inflate the estimate.
/// The noise is seeded, so estimates repeat exactly.
fn scaled(values: &[f64], rng: &mut Rng) -> Vec<f64> {
    let n = values.len().max(1) as f64;
    let mean = values.iter().sum::<f64>() / n;
    let std = (values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n).sqrt();
    let scaled: Vec<f64> = if std > 0.0 { values.iter().map(|v| v / std).collect() } else { values.to_vec() };
    let size = 1e-10 * (scaled.iter().map(|v| v.abs()).sum::<f64>() / n).max(1.0);
    scaled.into_iter().map(|v| v + size * standard_normal(rng)).collect()
}

/// A standard normal draw (Box–Muller).
fn standard_normal(rng: &mut Rng) -> f64 {
    let u = 1.0 - rng.uniform(); // in (0, 1]
    let v = rng.uniform();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// The target, as class labels or as numbers, over the first [`MAX_ROWS`] rows where it has a value.
enum Target {
    Classes(Vec<usize>),
    Numbers(Vec<f64>),
}

fn target_of(table: &Table, name: &str, task: MiTask, rng: &mut Rng) -> Result<(Vec<usize>, Target)> {
    let column = table.column_or_err(name)?;
    let rows: Vec<usize> = (0..table.n_rows).filter(|&r| !column.is_missing(r)).take(MAX_ROWS).collect();
    match &column.data {
        ColumnData::Strings { codes, .. } if task != MiTask::Regression => Ok((
            rows.clone(),
            Target::Classes(
                rows.iter().map(|&r| codes.get(r).copied().unwrap_or(MISSING_CODE) as usize).collect(),
            ),
        )),
        ColumnData::Numbers { values, .. } => {
            let picked: Vec<f64> = rows.iter().map(|&r| values.get(r).copied().unwrap_or(0.0)).collect();
            let mut distinct = picked.clone();
            distinct.sort_by(f64::total_cmp);
            distinct.dedup();
            let classes = match task {
                MiTask::Classification => true,
                MiTask::Regression => false,
                MiTask::Auto => distinct.len() <= 20 && picked.iter().all(|v| v.fract() == 0.0),
            };
            if classes {
                let labels =
                    picked.iter().map(|v| distinct.iter().position(|d| d == v).unwrap_or(0)).collect();
                Ok((rows, Target::Classes(labels)))
            } else {
                Ok((rows, Target::Numbers(scaled(&picked, rng))))
            }
        }
        _ => Err(Error::InvalidParam {
            name: "task".into(),
            reason: format!("`{name}` is {}: regression needs a numeric target", column.kind.name()),
        }),
    }
}

/// Mutual information of each of `features` with the `target` column; rows with a missing feature value are
/// left out of that feature's estimate.
pub fn mutual_information(
    table: &Table,
    features: &[String],
    target: &str,
    task: MiTask,
) -> Result<Vec<f64>> {
    let mut rng = rng_from_seed(0);
    let (rows, y) = target_of(table, target, task, &mut rng)?;
    features
        .iter()
        .map(|name| {
            let values = table.column(name).and_then(|c| c.numbers()).ok_or_else(|| Error::InvalidParam {
                name: "columns".into(),
                reason: format!(
                    "`{name}` is not numeric: mutual information is estimated for numeric features"
                ),
            })?;
            let pairs: Vec<(usize, f64)> = rows
                .iter()
                .enumerate()
                .filter_map(|(i, &r)| values.get(r).copied().filter(|v| !v.is_nan()).map(|v| (i, v)))
                .collect();
            let x = scaled(&pairs.iter().map(|(_, v)| *v).collect::<Vec<_>>(), &mut rng);
            Ok(match &y {
                Target::Classes(labels) => {
                    let ys: Vec<usize> =
                        pairs.iter().map(|(i, _)| labels.get(*i).copied().unwrap_or(0)).collect();
                    mi_continuous_discrete(&x, &ys)
                }
                Target::Numbers(numbers) => {
                    let ys: Vec<f64> =
                        pairs.iter().map(|(i, _)| numbers.get(*i).copied().unwrap_or(0.0)).collect();
                    mi_continuous_continuous(&x, &ys)
                }
            })
        })
        .collect()
}

impl MutualInfoParams {
    /// The columns to drop (all but the k most informative), and the report.
    pub fn fit(&self, table: &Table, target: Option<&str>) -> Result<(Vec<String>, StepReport)> {
        let target = target.ok_or_else(|| Error::InvalidParam {
            name: "target".into(),
            reason: "mutual information needs the Spec's `target` column".into(),
        })?;
        if self.k == 0 {
            return Err(Error::InvalidParam { name: "k".into(), reason: "must be at least 1".into() });
        }
        let features: Vec<String> = self.columns.names(table, Some(target))?;
        let scores = mutual_information(table, &features, target, self.task)?;
        let mut ranked: Vec<(f64, &String)> = scores.iter().copied().zip(&features).collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        let kept: Vec<String> = ranked.iter().take(self.k).map(|(s, n)| format!("`{n}` ({s:.3})")).collect();
        let dropped: Vec<String> = ranked.iter().skip(self.k).map(|(_, n)| (*n).clone()).collect();
        let summary = vec![format!(
            "kept the {} most informative about `{target}` of {}: {}",
            count_of(kept.len(), "column"),
            features.len(),
            kept.join(", ")
        )];
        Ok((dropped, StepReport::new("mutual_info", summary)))
    }
}

/// The columns least informative about the target in the training rows are dropped everywhere.
impl Step for MutualInfoParams {
    type Fitted = Vec<String>;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(Vec<String>, Table, StepReport)> {
        let (columns, report) = self.fit(table, target)?;
        let out = super::contract::drop_columns(table, &columns);
        Ok((columns, out, report))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digamma_known_values() {
        // ψ(1) = −γ, ψ(2) = 1 − γ, ψ(1/2) = −γ − 2 ln 2.
        let gamma = 0.577_215_664_901_532_9;
        assert!((digamma(1.0) + gamma).abs() < 1e-12);
        assert!((digamma(2.0) - (1.0 - gamma)).abs() < 1e-12);
        assert!((digamma(0.5) + gamma + 2.0 * 2f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn informative_features_score_higher() {
        let y: Vec<usize> = (0..200).map(|i| i % 2).collect();
        let signal: Vec<f64> = (0..200).map(|i| (i % 2) as f64 * 10.0 + (i as f64 * 0.37).sin()).collect();
        let noise: Vec<f64> = (0..200).map(|i| (i as f64 * 0.37).sin()).collect();
        assert!(mi_continuous_discrete(&signal, &y) > 0.5);
        assert!(mi_continuous_discrete(&noise, &y) < 0.1);
        let x: Vec<f64> = (0..200).map(f64::from).collect();
        let doubled: Vec<f64> = x.iter().map(|v| 2.0 * v).collect();
        assert!(mi_continuous_continuous(&x, &doubled) > 2.0);
    }
}
