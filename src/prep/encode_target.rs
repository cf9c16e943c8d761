//! Target (mean) encoding, cross-fitted as scikit-learn's `TargetEncoder`, and its rank-based variant.
//!
//! Each category becomes a smoothed mean of the target over the rows that have it. On the data being fitted
//! the encoding is cross-fitted: the rows are dealt into `folds` blocks (scikit-learn's `KFold`, shuffled by
//! default as its `TargetEncoder` does, or contiguous with `shuffle: false`) and each block is encoded with
//! means learned on the other blocks only, so a row's own target never leaks into its feature. New data is encoded with means learned on all of the fitted data.

use serde::{Deserialize, Serialize};

use super::columns::{ColumnGroup, Columns};
use super::contract::{count_of, Step, StepReport};
use super::encode::{category_counts, MISSING_CATEGORY};
use crate::data::table::MISSING_CODE;
use crate::data::{Column, ColumnData, ColumnKind, Table};
use crate::error::{Error, Result};

/// How much a category's mean is pulled towards the overall mean.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Smooth {
    /// Empirical Bayes, as scikit-learn's `smooth="auto"` (the default).
    #[default]
    #[serde(with = "auto_tag")]
    Auto,
    /// `(sum + m · mean) / (count + m)`.
    Weight(f64),
}

mod auto_tag {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("auto")
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
        let text = String::deserialize(deserializer)?;
        if text == "auto" {
            Ok(())
        } else {
            Err(serde::de::Error::custom(format!("smooth is \"auto\" or a number, not {text:?}")))
        }
    }
}

/// Parameters of the `target_encode` and `target_rank` steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TargetParams {
    /// Columns to encode; default the categorical ones.
    pub columns: Columns,
    /// Default `auto`.
    pub smooth: Smooth,
    /// Blocks of the cross-fitting (at least 2); default 5.
    pub folds: usize,
    /// Deal the rows into the blocks at random (seeded by `seed`) rather than in file order; default true, as
    /// scikit-learn's `shuffle=True`. Contiguous blocks of a file sorted by the category (all of a country's
    /// rows together) would encode each block from rows that never saw its categories.
    pub shuffle: bool,
    /// Seed of the shuffle; default 0.
    pub seed: u64,
}

impl Default for TargetParams {
    fn default() -> Self {
        TargetParams {
            columns: Columns::Group(ColumnGroup::Categorical),
            smooth: Smooth::Auto,
            folds: 5,
            shuffle: true,
            seed: 0,
        }
    }
}

/// One column's encodings learned on all fitted rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetColumn {
    /// Input column.
    pub column: String,
    /// Category (`"nan"` for missing values) and its number.
    pub codes: Vec<(String, f64)>,
    /// The number of an unseen category.
    pub unknown: f64,
}

/// A fitted `target_encode` or `target_rank` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedTarget {
    /// Whether categories are replaced by the rank of their encoding (0 = lowest) instead of the encoding.
    pub rank: bool,
    /// Per column.
    pub columns: Vec<TargetColumn>,
}

/// The target as numbers: numeric targets as they are; a two-category target as 1 for the alphabetically
/// later category (as scikit-learn's label encoding), 0 for the other. Missing targets are NaN.
fn numeric_target(table: &Table, target: Option<&str>) -> Result<(Vec<f64>, String)> {
    let name = target.ok_or_else(|| Error::InvalidParam {
        name: "target".into(),
        reason: "target encoding needs the Spec's `target` column".into(),
    })?;
    let column = table.column_or_err(name)?;
    match &column.data {
        ColumnData::Numbers { values, .. } => Ok((values.clone(), name.to_string())),
        ColumnData::Strings { .. } => {
            let (counted, _) = category_counts(column)?;
            let [_, (positive, _)] = counted.as_slice() else {
                return Err(Error::InvalidParam {
                    name: "target".into(),
                    reason: format!(
                        "target encoding needs a numeric or two-class target; `{name}` has {}",
                        count_of(counted.len(), "class")
                    ),
                });
            };
            let values = (0..column.len())
                .map(|r| match column.text_at(r) {
                    None => f64::NAN,
                    Some(v) => f64::from(u8::from(v == positive)),
                })
                .collect();
            Ok((values, name.to_string()))
        }
        ColumnData::Times { .. } => Err(Error::InvalidParam {
            name: "target".into(),
            reason: format!("`{name}` is a datetime: target encoding needs a numeric or two-class target"),
        }),
    }
}

/// Category slots of a string column: dictionary codes, with missing values in one extra slot.
fn slots(column: &Column) -> Result<(Vec<usize>, Vec<String>)> {
    let ColumnData::Strings { dictionary, codes } = &column.data else {
        category_counts(column)?;
        return Err(Error::NoData);
    };
    let missing_slot = dictionary.len();
    let slots = codes.iter().map(|&c| if c == MISSING_CODE { missing_slot } else { c as usize }).collect();
    let mut names = dictionary.clone();
    names.push(MISSING_CATEGORY.to_string());
    Ok((slots, names))
}

/// Encodings of every slot learned on `rows` (NaN targets skipped), and the mean of their targets.
fn learn(
    slots: &[usize],
    n_slots: usize,
    y: &[f64],
    rows: &[usize],
    smooth: Smooth,
) -> (Vec<Option<f64>>, f64) {
    let used: Vec<(usize, f64)> = rows
        .iter()
        .filter_map(|&r| Some((*slots.get(r)?, *y.get(r)?)))
        .filter(|(_, t)| !t.is_nan())
        .collect();
    let n = used.len() as f64;
    let mean = used.iter().map(|(_, t)| t).sum::<f64>() / n;
    let variance = used.iter().map(|(_, t)| (t - mean) * (t - mean)).sum::<f64>() / n;
    let mut sums = vec![0.0; n_slots];
    let mut counts = vec![0.0; n_slots];
    for &(s, t) in &used {
        if let (Some(sum), Some(count)) = (sums.get_mut(s), counts.get_mut(s)) {
            *sum += t;
            *count += 1.0;
        }
    }
    let means: Vec<f64> = sums.iter().zip(&counts).map(|(s, c)| s / c).collect();
    let mut squared = vec![0.0; n_slots];
    for &(s, t) in &used {
        if let (Some(sq), Some(m)) = (squared.get_mut(s), means.get(s)) {
            *sq += (t - m) * (t - m);
        }
    }
    let encodings = (0..n_slots)
        .map(|s| {
            let (count, m, sq) = (counts.get(s).copied()?, means.get(s).copied()?, squared.get(s).copied()?);
            if count == 0.0 {
                return None;
            }
            Some(match smooth {
                Smooth::Auto => {
                    let lambda = variance * count / (variance * count + sq / count);
                    if lambda.is_nan() {
                        mean
                    } else {
                        lambda * m + (1.0 - lambda) * mean
                    }
                }
                Smooth::Weight(w) => (sums.get(s).copied().unwrap_or(0.0) + w * mean) / (count + w),
            })
        })
        .collect();
    (encodings, mean)
}

/// Ranks: the number of known encodings below `value`.
fn rank_of(value: f64, known: &[f64]) -> f64 {
    known.iter().filter(|&&k| k < value).count() as f64
}

impl TargetParams {
    /// Learns the encodings on all rows (for new data) and cross-fits the fitted data; returns the fitted
    /// step and the encoded table.
    pub fn fit(
        &self,
        rank: bool,
        table: &Table,
        target: Option<&str>,
    ) -> Result<(FittedTarget, Table, StepReport)> {
        if self.folds < 2 {
            return Err(Error::InvalidParam { name: "folds".into(), reason: "must be at least 2".into() });
        }
        if let Smooth::Weight(w) = self.smooth {
            if w.is_nan() || w < 0.0 {
                return Err(Error::InvalidParam {
                    name: "smooth".into(),
                    reason: "must be \"auto\" or 0 or more".into(),
                });
            }
        }
        let (y, target_name) = numeric_target(table, target)?;
        let n = table.n_rows;
        if n < self.folds {
            return Err(Error::InvalidParam {
                name: "folds".into(),
                reason: format!("{} folds need at least as many rows; there are {n}", self.folds),
            });
        }
        // Blocks of the rows in file order or shuffled, the first n % folds one row longer (scikit-learn's
        // KFold).
        let mut order: Vec<usize> = (0..n).collect();
        if self.shuffle {
            crate::rng::rng_from_seed(self.seed).shuffle(&mut order);
        }
        let mut fold_of_row = vec![0usize; n];
        let (base, extra) = (n / self.folds, n % self.folds);
        let mut position = 0;
        for fold in 0..self.folds {
            let len = base + usize::from(fold < extra);
            for &row in order.get(position..position + len).unwrap_or_default() {
                if let Some(slot) = fold_of_row.get_mut(row) {
                    *slot = fold;
                }
            }
            position += len;
        }
        let mut out = table.clone();
        let mut columns = Vec::new();
        let mut summary = Vec::new();
        for index in self.columns.resolve(table, Some(&target_name))? {
            let Some(column) = table.columns.get(index) else { continue };
            let (slot_of, names) = slots(column)?;
            let all: Vec<usize> = (0..n).collect();
            let (encodings, mean) = learn(&slot_of, names.len(), &y, &all, self.smooth);
            let known: Vec<f64> = encodings.iter().flatten().copied().collect();
            let mut values = vec![f64::NAN; n];
            for fold in 0..self.folds {
                let (held, train): (Vec<usize>, Vec<usize>) =
                    (0..n).partition(|&row| fold_of_row.get(row) == Some(&fold));
                let (fold_encodings, fold_mean) = learn(&slot_of, names.len(), &y, &train, self.smooth);
                let fold_known: Vec<f64> = fold_encodings.iter().flatten().copied().collect();
                for row in held {
                    let slot = slot_of.get(row).copied().unwrap_or(usize::MAX);
                    let value = fold_encodings.get(slot).copied().flatten().unwrap_or(fold_mean);
                    if let Some(cell) = values.get_mut(row) {
                        *cell = if rank { rank_of(value, &fold_known) } else { value };
                    }
                }
            }
            let codes: Vec<(String, f64)> = names
                .iter()
                .zip(&encodings)
                .filter_map(|(name, e)| e.map(|v| (name.clone(), if rank { rank_of(v, &known) } else { v })))
                .collect();
            let unknown = if rank { rank_of(mean, &known) } else { mean };
            summary.push(format!(
                "{} `{}` ({}) by the mean of `{target_name}`, cross-fitted over {} folds",
                if rank { "rank-encoded" } else { "target-encoded" },
                column.name,
                count_of(codes.len(), "category"),
                self.folds
            ));
            if let Some(slot) = out.columns.iter_mut().find(|c| c.name == column.name) {
                let kind = if rank { ColumnKind::Integer } else { ColumnKind::Float };
                *slot = Column::from_numbers(column.name.clone(), kind, values);
            }
            columns.push(TargetColumn { column: column.name.clone(), codes, unknown });
        }
        let step = if rank { "target_rank" } else { "target_encode" };
        Ok((FittedTarget { rank, columns }, out, StepReport::new(step, summary)))
    }
}

impl FittedTarget {
    /// Encodes new data with the encodings learned on all fitted rows (unseen categories get the overall mean
    /// or its rank).
    pub fn transform(&self, table: &Table) -> Result<Table> {
        let mut out = table.clone();
        for fitted in &self.columns {
            let column = out.column_mut_or_err(&fitted.column)?;
            let (slot_of, names) = slots(column)?;
            let per_slot: Vec<f64> = names
                .iter()
                .map(|n| fitted.codes.iter().find(|(c, _)| c == n).map_or(fitted.unknown, |(_, v)| *v))
                .collect();
            let values =
                slot_of.iter().map(|&s| per_slot.get(s).copied().unwrap_or(fitted.unknown)).collect();
            let kind = if self.rank { ColumnKind::Integer } else { ColumnKind::Float };
            *column = Column::from_numbers(fitted.column.clone(), kind, values);
        }
        Ok(out)
    }
}

/// Target encoding (`false`: the smoothed mean) or target ranks (`true`), cross-fitted on the training rows.
impl Step for (bool, &TargetParams) {
    type Fitted = FittedTarget;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(FittedTarget, Table, StepReport)> {
        self.1.fit(self.0, table, target)
    }
}
