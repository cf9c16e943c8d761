//! Column statistics, duplicate rows and correlations of a [`Table`]: what the page's profile step shows and
//! what `mlplay profile` prints. Numeric statistics follow pandas (`describe`, `nunique`, `skew`, `corr`,
//! `duplicated`), so the numbers can be checked against it.

pub use crate::numeric::histogram::{histogram, Histogram};
use std::hash::{Hash, Hasher};

use std::collections::hash_map::Entry;

use rustc_hash::{FxHashMap, FxHasher};
use serde::{Deserialize, Serialize};

use super::csv::LoadReport;
use super::flags::ColumnFlag;
use super::infer::format_datetime;
// Kept here too: it is how the profile writes values, and where callers have found it.
pub use super::infer::format_number;
use super::table::{Column, ColumnData, ColumnKind, Table};
use crate::numeric::stats::{moments, pearson, quantile_sorted, sort_floats};
use crate::progress::Progress;

/// How many most frequent values a column profile lists.
pub const TOP_VALUES: usize = 10;

/// Everything the profile step knows about a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Data rows.
    pub n_rows: usize,
    /// Columns.
    pub n_columns: usize,
    /// Rows identical (in every column, after typing) to an earlier row, as pandas' `duplicated().sum()`.
    pub duplicate_rows: usize,
    /// Bytes held by the typed table.
    pub memory_bytes: usize,
    /// How the file was read (delimiter, encoding, skipped rows, warnings).
    pub load: LoadReport,
    /// One profile per column, in table order.
    pub columns: Vec<ColumnProfile>,
    /// Pearson correlations between the integer and float columns.
    pub correlation: Correlation,
    /// The column a run most likely predicts (see [`suggested_target`]); the page asks about it first.
    pub suggested_target: Option<String>,
}

/// Statistics of one column. Fields that do not apply to the column's kind are `null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnProfile {
    /// Column name.
    pub name: String,
    /// Column kind.
    pub kind: ColumnKind,
    /// Non-missing values.
    pub count: usize,
    /// Missing values.
    pub missing: usize,
    /// Distinct non-missing values.
    pub unique: usize,
    /// Mean (numbers; the share of `true` for booleans).
    pub mean: Option<f64>,
    /// Sample standard deviation (ddof = 1), numbers only.
    pub std: Option<f64>,
    /// Smallest value, numbers only.
    pub min: Option<f64>,
    /// 25th percentile (linear interpolation), numbers only.
    pub q25: Option<f64>,
    /// Median, numbers only.
    pub median: Option<f64>,
    /// 75th percentile, numbers only.
    pub q75: Option<f64>,
    /// Largest value, numbers only.
    pub max: Option<f64>,
    /// Skewness as pandas' `skew()`, numbers only.
    pub skewness: Option<f64>,
    /// Earliest date (ISO 8601), datetimes only.
    pub first: Option<String>,
    /// Latest date (ISO 8601), datetimes only.
    pub last: Option<String>,
    /// The most frequent values with their counts, most frequent first (ties in value order).
    pub top: Vec<ValueCount>,
    /// Histogram of numbers and datetimes.
    pub histogram: Option<Histogram>,
    /// What mlplay noticed about the column (a decimal comma, big integers kept as text, …), in order.
    #[serde(default)]
    pub flags: Vec<ColumnFlag>,
}

/// A value and how often it occurs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueCount {
    /// The value as text.
    pub value: String,
    /// Occurrences.
    pub count: usize,
}

/// Beyond this many numeric columns the profile gives the strongest pairs instead of the full matrix (which
/// grows with the square of the columns: 10,000 columns would be 10^8 cells).
pub const MAX_MATRIX_COLUMNS: usize = 200;
/// How many of the strongest pairs a wide table's profile lists.
pub const TOP_PAIRS: usize = 50;
/// The most pair × row products a wide table's correlations may cost (about a second of work).
const PAIR_WORK_BUDGET: usize = 400_000_000;

/// A symmetric correlation matrix; `None` where pandas gives NaN (constant or too few paired values). For a
/// table of more than [`MAX_MATRIX_COLUMNS`] numeric columns the matrix is empty and `top_pairs` lists the
/// strongest pairs instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Correlation {
    /// The columns, in table order (empty when the matrix is left out).
    pub columns: Vec<String>,
    /// `matrix[i][j]` is the correlation of columns i and j.
    pub matrix: Vec<Vec<Option<f64>>>,
    /// For a wide table: the [`TOP_PAIRS`] pairs of largest absolute correlation, strongest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub top_pairs: Vec<CorrelationPair>,
    /// For a wide table: how the matrix was summarised (and whether every pair was computed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Two columns and their correlation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrelationPair {
    /// The first column.
    pub a: String,
    /// The second column.
    pub b: String,
    /// Their Pearson correlation.
    pub r: f64,
}

/// Profiles `table`; `load` is the report from reading it.
pub fn profile(table: &Table, load: &LoadReport, progress: &mut dyn Progress) -> Profile {
    let total = table.columns.len() as u64 + 2;
    let mut columns = Vec::with_capacity(table.columns.len());
    for (i, column) in table.columns.iter().enumerate() {
        progress.report("profiling", i as u64, total);
        let mut column_profile = profile_column(column);
        column_profile.flags = load.flags.get(&column.name).cloned().unwrap_or_default();
        if super::identifiers::identifier_reason(column).is_some() {
            column_profile.flags.push(ColumnFlag::Identifier);
        }
        if column_profile.missing * 2 > table.n_rows {
            column_profile.flags.push(ColumnFlag::MostlyMissing);
        }
        columns.push(column_profile);
    }
    progress.report("profiling", total - 2, total);
    let duplicate_rows = count_duplicate_rows(table);
    progress.report("profiling", total - 1, total);
    let correlation = correlation(table);
    progress.report("profiling", total, total);
    let suggested_target = suggested_target(&columns);
    Profile {
        suggested_target,
        n_rows: table.n_rows,
        n_columns: table.columns.len(),
        duplicate_rows,
        memory_bytes: table.memory_bytes(),
        load: load.clone(),
        columns,
        correlation,
    }
}

fn finite(x: f64) -> Option<f64> {
    if x.is_nan() {
        None
    } else {
        Some(x)
    }
}

/// Profiles one column according to its kind.
pub fn profile_column(column: &Column) -> ColumnProfile {
    let missing = column.missing_count();
    let mut out = ColumnProfile {
        name: column.name.clone(),
        kind: column.kind,
        count: column.len() - missing,
        missing,
        unique: 0,
        mean: None,
        std: None,
        min: None,
        q25: None,
        median: None,
        q75: None,
        max: None,
        skewness: None,
        first: None,
        last: None,
        top: Vec::new(),
        histogram: None,
        flags: Vec::new(),
    };
    match &column.data {
        ColumnData::Numbers { values, missing } if column.kind == ColumnKind::Boolean => {
            let trues = values.iter().zip(missing).filter(|(v, m)| !**m && **v == 1.0).count();
            let falses = out.count - trues;
            out.unique = usize::from(trues > 0) + usize::from(falses > 0);
            out.mean = (out.count > 0).then(|| trues as f64 / out.count as f64);
            out.top = top_counts(vec![("true".to_string(), trues), ("false".to_string(), falses)]);
        }
        ColumnData::Numbers { values, missing } => {
            let m = moments(values, missing);
            out.mean = finite(m.mean);
            out.std = finite(m.std);
            out.skewness = finite(m.skewness);
            let sorted = sorted_present(values.iter().zip(missing).filter(|(_, m)| !**m).map(|(v, _)| *v));
            let (unique, top) = top_runs(&sorted);
            out.unique = unique;
            out.min = sorted.first().copied();
            out.max = sorted.last().copied();
            out.q25 = quantile_sorted(&sorted, 0.25);
            out.median = quantile_sorted(&sorted, 0.5);
            out.q75 = quantile_sorted(&sorted, 0.75);
            out.top =
                top.into_iter().map(|(v, count)| ValueCount { value: format_number(v), count }).collect();
            out.histogram = histogram(&sorted, column.kind == ColumnKind::Integer);
        }
        ColumnData::Times { values, missing } => {
            let sorted =
                sorted_present(values.iter().zip(missing).filter(|(_, m)| !**m).map(|(v, _)| *v as f64));
            let (unique, top) = top_runs(&sorted);
            out.unique = unique;
            out.first = sorted.first().map(|&v| format_datetime(v as i64));
            out.last = sorted.last().map(|&v| format_datetime(v as i64));
            out.top = top
                .into_iter()
                .map(|(v, count)| ValueCount { value: format_datetime(v as i64), count })
                .collect();
            out.histogram = histogram(&sorted, false);
        }
        ColumnData::Strings { dictionary, codes } => {
            let mut counts = vec![0usize; dictionary.len()];
            for &code in codes {
                if let Some(slot) = counts.get_mut(code as usize) {
                    *slot += 1;
                }
            }
            out.unique = counts.iter().filter(|&&n| n > 0).count();
            out.top = top_counts(dictionary.iter().cloned().zip(counts).collect());
        }
    }
    out
}

fn sorted_present(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut sorted: Vec<f64> = values.collect();
    sort_floats(&mut sorted);
    sorted
}

/// The number of distinct values in sorted data and the [`TOP_VALUES`] most frequent ones with their counts
/// (most frequent first; ties by value), found in one pass without listing every distinct value.
fn top_runs(sorted: &[f64]) -> (usize, Vec<(f64, usize)>) {
    let mut top: Vec<(f64, usize)> = Vec::with_capacity(TOP_VALUES + 1);
    let mut unique = 0;
    let mut offer = |value: f64, count: usize| {
        let full = top.len() == TOP_VALUES;
        if full && top.last().is_some_and(|&(_, least)| least >= count) {
            return;
        }
        let at = top.iter().position(|&(_, c)| c < count).unwrap_or(top.len());
        top.insert(at, (value, count));
        top.truncate(TOP_VALUES);
    };
    let mut start = 0;
    while let Some(&value) = sorted.get(start) {
        let len = sorted.get(start..).unwrap_or_default().iter().take_while(|&&v| v == value).count().max(1);
        unique += 1;
        offer(value, len);
        start += len;
    }
    (unique, top)
}

/// The [`TOP_VALUES`] largest counts (non-zero), ties kept in their given order.
fn top_counts(mut counts: Vec<(String, usize)>) -> Vec<ValueCount> {
    counts.retain(|(_, n)| *n > 0);
    counts.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
    counts.truncate(TOP_VALUES);
    counts.into_iter().map(|(value, count)| ValueCount { value, count }).collect()
}

/// Mixes one cell into a row's running hash (missing cells hash alike; -0.0 like 0.0, as they compare equal).
fn mix(hash: &mut u64, cell: u64) {
    let mut hasher = FxHasher::default();
    (*hash, cell).hash(&mut hasher);
    *hash = hasher.finish();
}

/// Row hashes over every column, computed column by column (one pass over each array).
fn row_hashes(table: &Table) -> Vec<u64> {
    let mut hashes = vec![0u64; table.n_rows];
    for column in &table.columns {
        match &column.data {
            ColumnData::Numbers { values, missing } => {
                for ((h, &v), &m) in hashes.iter_mut().zip(values).zip(missing) {
                    let cell = if m {
                        u64::MAX
                    } else if v == 0.0 {
                        0
                    } else {
                        v.to_bits()
                    };
                    mix(h, cell);
                }
            }
            ColumnData::Strings { codes, .. } => {
                for (h, &code) in hashes.iter_mut().zip(codes) {
                    mix(h, u64::from(code));
                }
            }
            ColumnData::Times { values, missing } => {
                for ((h, &v), &m) in hashes.iter_mut().zip(values).zip(missing) {
                    mix(h, if m { u64::MAX } else { v as u64 });
                }
            }
        }
    }
    hashes
}

fn cells_equal(column: &Column, a: usize, b: usize) -> bool {
    match &column.data {
        ColumnData::Numbers { values, missing } => match (missing.get(a), missing.get(b)) {
            (Some(true), Some(true)) => true,
            (Some(false), Some(false)) => values.get(a) == values.get(b),
            _ => false,
        },
        ColumnData::Strings { codes, .. } => codes.get(a) == codes.get(b),
        ColumnData::Times { values, missing } => {
            missing.get(a) == missing.get(b)
                && (missing.get(a) == Some(&true) || values.get(a) == values.get(b))
        }
    }
}

/// Rows equal in every column to an earlier row (missing equals missing), as pandas' `duplicated().sum()`.
/// Rows are bucketed by hash; rows sharing a hash are compared cell by cell, so collisions cannot miscount.
pub fn count_duplicate_rows(table: &Table) -> usize {
    let hashes = row_hashes(table);
    let rows_equal = |a: usize, b: usize| table.columns.iter().all(|c| cells_equal(c, a, b));
    let mut first_with_hash: FxHashMap<u64, u32> = FxHashMap::default();
    first_with_hash.reserve(hashes.len());
    // Distinct rows whose hash an earlier, different row already has (rare).
    let mut colliding: Vec<(u64, u32)> = Vec::new();
    let mut duplicates = 0;
    for (row, &hash) in hashes.iter().enumerate() {
        let row32 = row as u32;
        match first_with_hash.entry(hash) {
            Entry::Vacant(slot) => {
                slot.insert(row32);
            }
            Entry::Occupied(first) => {
                let same_hash = std::iter::once(*first.get())
                    .chain(colliding.iter().filter(|(h, _)| *h == hash).map(|&(_, r)| r));
                let mut seen = false;
                for earlier in same_hash {
                    if rows_equal(earlier as usize, row) {
                        seen = true;
                        break;
                    }
                }
                if seen {
                    duplicates += 1;
                } else {
                    colliding.push((hash, row32));
                }
            }
        }
    }
    duplicates
}

/// Pairwise-complete Pearson correlations of the integer and float columns (pandas' `corr()`).
pub fn correlation(table: &Table) -> Correlation {
    let numeric: Vec<(&String, &Vec<f64>, &Vec<bool>)> = table
        .columns
        .iter()
        .filter(|c| c.kind.is_numeric())
        .filter_map(|c| match &c.data {
            ColumnData::Numbers { values, missing } => Some((&c.name, values, missing)),
            _ => None,
        })
        .collect();
    let k = numeric.len();
    if k > MAX_MATRIX_COLUMNS {
        return strongest_pairs(&numeric, table.n_rows);
    }
    let mut matrix = vec![vec![None; k]; k];
    for (i, (_, xv, xm)) in numeric.iter().enumerate() {
        for (j, (_, yv, ym)) in numeric.iter().enumerate().take(i + 1) {
            let r = pearson(xv, xm, yv, ym);
            if let Some(row) = matrix.get_mut(i) {
                if let Some(cell) = row.get_mut(j) {
                    *cell = r;
                }
            }
            if let Some(row) = matrix.get_mut(j) {
                if let Some(cell) = row.get_mut(i) {
                    *cell = r;
                }
            }
        }
    }
    Correlation {
        columns: numeric.iter().map(|(name, _, _)| (*name).clone()).collect(),
        matrix,
        top_pairs: Vec::new(),
        note: None,
    }
}

/// The strongest pairs of a wide table, over as many leading columns as [`PAIR_WORK_BUDGET`] allows.
fn strongest_pairs(numeric: &[(&String, &Vec<f64>, &Vec<bool>)], rows: usize) -> Correlation {
    let k = numeric.len();
    // The leading columns whose pairs fit the budget: m (m − 1) / 2 pairs of `rows` values each.
    let affordable = |m: usize| m.saturating_mul(m.saturating_sub(1)) / 2 <= PAIR_WORK_BUDGET / rows.max(1);
    let mut m = k;
    while m > 2 && !affordable(m) {
        m = m * 9 / 10;
    }
    let mut pairs: Vec<CorrelationPair> = Vec::new();
    for (i, (a, xv, xm)) in numeric.iter().enumerate().take(m) {
        for (b, yv, ym) in numeric.iter().take(i) {
            if let Some(r) = pearson(xv, xm, yv, ym) {
                pairs.push(CorrelationPair { a: (*b).clone(), b: (*a).clone(), r });
            }
        }
        // Keep the list short as it grows: only the strongest can end in it.
        if pairs.len() > 8 * TOP_PAIRS {
            keep_strongest(&mut pairs);
        }
    }
    keep_strongest(&mut pairs);
    let covered = if m == k {
        "every pair was computed".to_string()
    } else {
        format!("pairs among the first {m} numeric columns were computed (a bound on the work)")
    };
    Correlation {
        columns: Vec::new(),
        matrix: Vec::new(),
        top_pairs: pairs,
        note: Some(format!(
            "{k} numeric columns: the full matrix is left out beyond {MAX_MATRIX_COLUMNS}; these are the {TOP_PAIRS} \
             strongest pairs ({covered})"
        )),
    }
}

fn keep_strongest(pairs: &mut Vec<CorrelationPair>) {
    pairs.sort_by(|x, y| {
        y.r.abs().total_cmp(&x.r.abs()).then_with(|| x.a.cmp(&y.a)).then_with(|| x.b.cmp(&y.b))
    });
    pairs.truncate(TOP_PAIRS);
}

/// Names that usually mean "the column to predict", compared ignoring letter case.
/// In order of preference (`y` last: it is also a coordinate).
const TARGET_NAMES: [&str; 22] = [
    "target",
    "label",
    "labels",
    "class",
    "outcome",
    "result",
    "response",
    "species",
    "diagnosis",
    "churn",
    "survived",
    "status",
    "quality",
    "grade",
    "income",
    "price",
    "weather",
    "choice",
    "default",
    "sales",
    "score",
    "y",
];

/// The column a run most likely predicts: among the columns that can be a target (not an identifier, not
/// mostly missing, not free text or a date, at least two values), the last one named like a label
/// ([`TARGET_NAMES`], the first name that fits), else the last one. `None` when no column can be one.
pub fn suggested_target(columns: &[ColumnProfile]) -> Option<String> {
    let candidates: Vec<&ColumnProfile> = columns
        .iter()
        .filter(|c| !matches!(c.kind, ColumnKind::Text | ColumnKind::Datetime) && c.unique >= 2)
        .filter(|c| !c.flags.iter().any(|f| matches!(f, ColumnFlag::Identifier | ColumnFlag::MostlyMissing)))
        .collect();
    let named = TARGET_NAMES
        .iter()
        .find_map(|n| candidates.iter().rev().find(|c| c.name.trim().eq_ignore_ascii_case(n)));
    named.or(candidates.last()).map(|c| c.name.clone())
}
