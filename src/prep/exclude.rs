//! The columns the automatic preparation leaves out, each with its reason: identifiers (they name rows),
//! columns that are almost all missing, and columns that alone predict the target almost perfectly (a copy
//! of it, or a value only known after the outcome — "leakage"). A Spec's `keep` list undoes any of them;
//! a Spec with its own `prep` list decides for itself.

use serde::{Deserialize, Serialize};

use crate::data::flags::ColumnFlag;
use crate::data::identifiers::identifier_reason;
use crate::data::{Column, ColumnData, ColumnKind, Table};

/// Beyond this share of missing values a column is left out.
pub const DROP_MISSING_SHARE: f64 = 0.95;
/// A column predicting this share of the target's rows alone (classes) or explaining this share of its
/// variance (values) is leakage.
pub const LEAKAGE_SCORE: f64 = 0.99;
/// A numeric column is judged in this many equal-count bins of its values.
const LEAKAGE_BINS: usize = 20;

/// A column left out, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Excluded {
    /// The column.
    pub column: String,
    /// The kind of reason: `identifier`, `mostly_missing` or `leakage`.
    pub reason: ColumnFlag,
    /// The reason in words.
    pub detail: String,
}

/// The columns of `table` the automatic preparation leaves out, in table order; `target` is the label
/// column (never excluded; without one there is no leakage) and `keep` the columns the user keeps anyway.
pub fn automatic_exclusions(table: &Table, target: Option<&str>, keep: &[String]) -> Vec<Excluded> {
    let target_column = target.and_then(|t| table.column(t));
    let mut excluded = Vec::new();
    for column in &table.columns {
        if Some(column.name.as_str()) == target || keep.contains(&column.name) {
            continue;
        }
        let n = column.len().max(1);
        let missing_share = column.missing_count() as f64 / n as f64;
        let found = if let Some(why) = identifier_reason(column) {
            Some((ColumnFlag::Identifier, format!("looks like an identifier ({why})")))
        } else if missing_share > DROP_MISSING_SHARE {
            Some((
                ColumnFlag::MostlyMissing,
                format!("{:.1} % of its values are missing", 100.0 * missing_share),
            ))
        } else {
            target_column.and_then(|t| leakage(column, t)).map(|why| (ColumnFlag::Leakage, why))
        };
        if let Some((reason, detail)) = found {
            excluded.push(Excluded { column: column.name.clone(), reason, detail });
        }
    }
    excluded
}

/// Whether `column` alone predicts `target` almost perfectly, in words.
pub fn leakage(column: &Column, target: &Column) -> Option<String> {
    let rows: Vec<usize> =
        (0..target.len()).filter(|&r| !target.is_missing(r) && !column.is_missing(r)).collect();
    if rows.len() < 20 {
        return None;
    }
    let groups = groups_of(column, &rows)?;
    match &target.data {
        ColumnData::Strings { codes, .. } => classes_leak(&groups, &rows, |r| codes.get(r).copied().map(u64::from)),
        ColumnData::Numbers { values, .. } if matches!(target.kind, ColumnKind::Boolean) => {
            classes_leak(&groups, &rows, |r| values.get(r).map(|v| v.to_bits()))
        }
        ColumnData::Numbers { values, .. } => values_leak(&groups, &rows, values).or_else(|| match &column.data {
            // A monotone copy (cents, a logarithm, a noisy multiple) ranks the rows as the target does.
            ColumnData::Numbers { values: x, .. } => rank_leak(&rows, x, values),
            _ => None,
        }),
        ColumnData::Times { .. } => None,
    }
    .map(|score| {
        format!(
            "alone it predicts `{}` for {:.1} % of the rows: a copy or re-coding of the target, or a value known \
             only after the outcome?",
            target.name,
            100.0 * score
        )
    })
}

/// The group of each of `rows` (by position in `rows`): its category, or its bin among equal-count bins of
/// the numbers. `None` for a column with too many categories to judge (every row its own group is "pure").
fn groups_of(column: &Column, rows: &[usize]) -> Option<Vec<usize>> {
    match &column.data {
        ColumnData::Strings { dictionary, codes } => {
            if dictionary.len() * 10 > rows.len() {
                return None;
            }
            Some(rows.iter().map(|&r| codes.get(r).map_or(0, |&c| c as usize)).collect())
        }
        ColumnData::Numbers { values, .. } => {
            let mut order: Vec<usize> = (0..rows.len()).collect();
            let value = |i: usize| rows.get(i).and_then(|&r| values.get(r)).copied().unwrap_or(0.0);
            order.sort_by(|&a, &b| value(a).total_cmp(&value(b)));
            // Equal-count bins; equal values stay in one bin.
            let size = rows.len().div_ceil(LEAKAGE_BINS);
            let mut groups = vec![0usize; rows.len()];
            let (mut bin, mut in_bin) = (0usize, 0usize);
            let mut previous: Option<f64> = None;
            for &i in &order {
                let v = value(i);
                if in_bin >= size && previous != Some(v) {
                    bin += 1;
                    in_bin = 0;
                }
                if let Some(slot) = groups.get_mut(i) {
                    *slot = bin;
                }
                in_bin += 1;
                previous = Some(v);
            }
            Some(groups)
        }
        ColumnData::Times { .. } => None,
    }
}

/// The share of rows whose class is their group's most common class, when it is at least [`LEAKAGE_SCORE`]
/// and the most common class alone is clearly less.
fn classes_leak(groups: &[usize], rows: &[usize], class_of: impl Fn(usize) -> Option<u64>) -> Option<f64> {
    let mut counts: rustc_hash::FxHashMap<(usize, u64), usize> = Default::default();
    let mut by_class: rustc_hash::FxHashMap<u64, usize> = Default::default();
    for (&group, &row) in groups.iter().zip(rows) {
        let class = class_of(row)?;
        *counts.entry((group, class)).or_default() += 1;
        *by_class.entry(class).or_default() += 1;
    }
    let mut best: rustc_hash::FxHashMap<usize, usize> = Default::default();
    for (&(group, _), &n) in &counts {
        let slot = best.entry(group).or_default();
        *slot = (*slot).max(n);
    }
    let n = rows.len() as f64;
    let score = best.values().sum::<usize>() as f64 / n;
    let baseline = by_class.values().copied().max().unwrap_or(0) as f64 / n;
    (score >= LEAKAGE_SCORE && baseline < LEAKAGE_SCORE - 0.04).then_some(score)
}

/// The share of the target's variance the group means explain, when it is at least [`LEAKAGE_SCORE`].
fn values_leak(groups: &[usize], rows: &[usize], values: &[f64]) -> Option<f64> {
    let y: Vec<f64> = rows.iter().filter_map(|&r| values.get(r).copied()).collect();
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    let total: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
    if !(total > 0.0 && total.is_finite()) {
        return None;
    }
    let mut sums: rustc_hash::FxHashMap<usize, (f64, usize)> = Default::default();
    for (&g, &v) in groups.iter().zip(&y) {
        let slot = sums.entry(g).or_default();
        slot.0 += v;
        slot.1 += 1;
    }
    let within: f64 = groups
        .iter()
        .zip(&y)
        .map(|(g, v)| sums.get(g).map_or(0.0, |(s, c)| (v - s / *c as f64).powi(2)))
        .sum();
    let explained = 1.0 - within / total;
    (explained >= LEAKAGE_SCORE).then_some(explained)
}

/// The squared rank (Spearman) correlation of `x` and `y` over `rows`, when it is at least [`LEAKAGE_SCORE`].
fn rank_leak(rows: &[usize], x: &[f64], y: &[f64]) -> Option<f64> {
    let pick = |v: &[f64]| -> Vec<f64> { rows.iter().filter_map(|&r| v.get(r).copied()).collect() };
    let (rx, ry) = (ranks(&pick(x)), ranks(&pick(y)));
    let n = rx.len() as f64;
    let mean = (n + 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        sxy += (a - mean) * (b - mean);
        sxx += (a - mean).powi(2);
        syy += (b - mean).powi(2);
    }
    let r2 = sxy * sxy / (sxx * syy);
    (r2.is_finite() && r2 >= LEAKAGE_SCORE).then_some(r2)
}

/// Ranks from 1, ties sharing their average rank.
fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    let at = |i: usize| values.get(i).copied().unwrap_or(0.0);
    order.sort_by(|&a, &b| at(a).total_cmp(&at(b)));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let value = order.get(start).map_or(0.0, |&i| at(i));
        let end = order.iter().skip(start).position(|&i| at(i) != value).map_or(order.len(), |k| start + k);
        let rank = (start + end + 1) as f64 / 2.0;
        for &i in order.get(start..end).unwrap_or_default() {
            if let Some(slot) = ranks.get_mut(i) {
                *slot = rank;
            }
        }
        start = end.max(start + 1);
    }
    ranks
}
