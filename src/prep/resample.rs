//! Class imbalance: random over-sampling, random under-sampling and SMOTE. They change the rows of the data
//! being fitted only (training data); data transformed later is left as it is.

use serde::{Deserialize, Serialize};

use super::contract::{count_of, Step, StepReport};
use crate::data::table::MISSING_CODE;
use crate::data::{ColumnData, Table};
use crate::error::{Error, Result};
use crate::rng::rng_from_seed;

/// How classes are balanced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResampleMethod {
    /// Copies of random rows of the smaller classes, up to the largest class's size.
    Over,
    /// Random rows of the larger classes, down to the smallest class's size.
    Under,
    /// Synthetic rows between a row of a smaller class and one of its nearest neighbours of the same class
    /// (the default; numeric features only).
    #[default]
    Smote,
}

/// Parameters of the `resample` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ResampleParams {
    /// Default `smote`.
    pub method: ResampleMethod,
    /// SMOTE's neighbours; default 5.
    pub k_neighbors: usize,
    /// Seed of the random choices; default 0.
    pub seed: u64,
}

impl Default for ResampleParams {
    fn default() -> Self {
        ResampleParams { method: ResampleMethod::Smote, k_neighbors: 5, seed: 0 }
    }
}

/// Each row's class (an index into the class list) from the target column; rows with no target get `None`.
fn classes(table: &Table, target: &str) -> Result<(Vec<Option<usize>>, Vec<String>)> {
    let column = table.column_or_err(target)?;
    match &column.data {
        ColumnData::Strings { dictionary, codes } => Ok((
            codes.iter().map(|&c| (c != MISSING_CODE).then_some(c as usize)).collect(),
            dictionary.clone(),
        )),
        ColumnData::Numbers { values, .. } => {
            let mut labels: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
            labels.sort_by(f64::total_cmp);
            labels.dedup();
            if labels.len() > 50 {
                return Err(Error::InvalidParam {
                    name: "target".into(),
                    reason: format!(
                        "`{target}` has {} distinct values: resampling balances classes",
                        labels.len()
                    ),
                });
            }
            let class_of = |v: f64| labels.iter().position(|&l| l == v);
            Ok((
                values.iter().map(|&v| class_of(v)).collect(),
                labels.iter().map(|l| l.to_string()).collect(),
            ))
        }
        ColumnData::Times { .. } => Err(Error::InvalidParam {
            name: "target".into(),
            reason: format!("`{target}` is a datetime: resampling balances classes"),
        }),
    }
}

/// Appends `rows` synthetic rows to a copy of `table`: `base[i]` is copied, with the numeric features moved
/// `gap[i]` of the way to `neighbour[i]`.
fn with_synthetic(table: &Table, target: &str, made: &[(usize, usize, f64)]) -> Table {
    let mut out = table.clone();
    for column in &mut out.columns {
        let is_target = column.name == target;
        match &mut column.data {
            ColumnData::Numbers { values, missing } => {
                for &(base, neighbour, gap) in made {
                    let a = values.get(base).copied().unwrap_or(f64::NAN);
                    let b = values.get(neighbour).copied().unwrap_or(f64::NAN);
                    let v = if is_target { a } else { a + gap * (b - a) };
                    values.push(v);
                    missing.push(v.is_nan());
                }
            }
            ColumnData::Strings { codes, .. } => {
                for &(base, _, _) in made {
                    codes.push(codes.get(base).copied().unwrap_or(MISSING_CODE));
                }
            }
            ColumnData::Times { values, missing } => {
                for &(base, _, _) in made {
                    values.push(values.get(base).copied().unwrap_or(0));
                    missing.push(missing.get(base).copied().unwrap_or(true));
                }
            }
        }
    }
    out.n_rows += made.len();
    out
}

impl ResampleParams {
    /// Balances the classes of `target` in `table`.
    pub fn fit(&self, table: &Table, target: Option<&str>) -> Result<(Table, StepReport)> {
        let target = target.ok_or_else(|| Error::InvalidParam {
            name: "target".into(),
            reason: "resampling needs the Spec's `target` column".into(),
        })?;
        let (class_of, names) = classes(table, target)?;
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
        for (row, class) in class_of.iter().enumerate() {
            if let Some(list) = class.and_then(|c| members.get_mut(c)) {
                list.push(row);
            }
        }
        members.retain(|m| !m.is_empty());
        let (Some(largest), Some(smallest)) =
            (members.iter().map(Vec::len).max(), members.iter().map(Vec::len).min())
        else {
            return Err(Error::InvalidParam {
                name: "target".into(),
                reason: format!("`{target}` has no values: there are no classes to balance"),
            });
        };
        let mut rng = rng_from_seed(self.seed);
        let (out, line) = match self.method {
            ResampleMethod::Under => {
                let mut keep: Vec<usize> = Vec::new();
                for list in &members {
                    let mut rows = list.clone();
                    rng.shuffle(&mut rows);
                    rows.truncate(smallest);
                    keep.extend(rows);
                }
                keep.sort_unstable();
                let removed = table.n_rows - keep.len();
                (
                    table.take_rows(&keep),
                    format!("removed {} so every class has {smallest}", count_of(removed, "row")),
                )
            }
            ResampleMethod::Over => {
                let mut rows: Vec<usize> = (0..table.n_rows).collect();
                for list in &members {
                    for _ in list.len()..largest {
                        rows.push(list.get(rng.below(list.len())).copied().unwrap_or(0));
                    }
                }
                let added = rows.len() - table.n_rows;
                (
                    table.take_rows(&rows),
                    format!("added {} (copies) so every class has {largest}", count_of(added, "row")),
                )
            }
            ResampleMethod::Smote => {
                let features = self.smote_features(table, target)?;
                let mut made = Vec::new();
                for list in &members {
                    if list.len() == largest {
                        continue;
                    }
                    let neighbours = nearest_within(&features, list, self.k_neighbors);
                    for _ in list.len()..largest {
                        let pick = rng.below(list.len());
                        let base = list.get(pick).copied().unwrap_or(0);
                        let near = neighbours.get(pick).map_or(&[][..], Vec::as_slice);
                        let neighbour = if near.is_empty() {
                            base
                        } else {
                            near.get(rng.below(near.len())).copied().unwrap_or(base)
                        };
                        made.push((base, neighbour, rng.uniform()));
                    }
                }
                let line = format!(
                    "added {} (SMOTE) so every class has {largest}",
                    count_of(made.len(), "synthetic row")
                );
                (with_synthetic(table, target, &made), line)
            }
        };
        Ok((out, StepReport::new("resample", vec![line])))
    }

    /// SMOTE interpolates numbers: every feature must be numeric and complete.
    fn smote_features(&self, table: &Table, target: &str) -> Result<Vec<Vec<f64>>> {
        if self.k_neighbors == 0 {
            return Err(Error::InvalidParam {
                name: "k_neighbors".into(),
                reason: "must be at least 1".into(),
            });
        }
        let mut columns = Vec::new();
        for column in table.columns.iter().filter(|c| c.name != target) {
            match &column.data {
                ColumnData::Numbers { values, .. } if column.missing_count() == 0 => {
                    columns.push(values.as_slice())
                }
                ColumnData::Numbers { .. } => {
                    return Err(Error::InvalidParam {
                        name: "method".into(),
                        reason: format!("SMOTE needs complete numbers: impute `{}` first", column.name),
                    })
                }
                _ => {
                    return Err(Error::InvalidParam {
                        name: "method".into(),
                        reason: format!("SMOTE needs numeric features: encode `{}` first", column.name),
                    })
                }
            }
        }
        Ok((0..table.n_rows)
            .map(|r| columns.iter().map(|c| c.get(r).copied().unwrap_or(0.0)).collect())
            .collect())
    }
}

/// For each row of `rows`, its `k` nearest other rows of `rows` (Euclidean; ties by row order).
fn nearest_within(features: &[Vec<f64>], rows: &[usize], k: usize) -> Vec<Vec<usize>> {
    let point = |r: usize| features.get(r).map_or(&[][..], Vec::as_slice);
    rows.iter()
        .map(|&a| {
            let mut others: Vec<(f64, usize)> = rows
                .iter()
                .filter(|&&b| b != a)
                .map(|&b| (point(a).iter().zip(point(b)).map(|(x, y)| (x - y) * (x - y)).sum(), b))
                .collect();
            others.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
            others.into_iter().take(k).map(|(_, b)| b).collect()
        })
        .collect()
}

/// Fitted on training rows only: the classes are balanced there, and new data is left as it is.
impl Step for ResampleParams {
    type Fitted = ();

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<((), Table, StepReport)> {
        let (out, report) = self.fit(table, target)?;
        Ok(((), out, report))
    }
}
