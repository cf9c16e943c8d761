//! Compact encodings for many categories: binary (each category's number written in binary digits, one
//! column per digit) and hashing (each category hashed into one of `n` columns).

use serde::{Deserialize, Serialize};

use super::columns::{ColumnGroup, Columns};
use super::contract::{count_of, Step, StepReport};
use super::encode::category_counts;
use crate::data::table::MISSING_CODE;
use crate::data::{Column, ColumnData, ColumnKind, Table};
use crate::error::{Error, Result};

/// Parameters of the `binary` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BinaryParams {
    /// Columns to encode; default the categorical ones.
    pub columns: Columns,
}

impl Default for BinaryParams {
    fn default() -> Self {
        BinaryParams { columns: Columns::Group(ColumnGroup::Categorical) }
    }
}

/// Parameters of the `hashing` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HashingParams {
    /// Columns to encode; default the categorical ones.
    pub columns: Columns,
    /// Output columns per input column; default 8.
    pub n_components: usize,
}

impl Default for HashingParams {
    fn default() -> Self {
        HashingParams { columns: Columns::Group(ColumnGroup::Categorical), n_components: 8 }
    }
}

/// One column's binary code book: category `categories[i]` is number `i + 1` (0 is kept for unknown and
/// missing values), written in `digits` binary digits, most significant first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BinaryColumn {
    /// Input column.
    pub column: String,
    /// Categories, alphabetically.
    pub categories: Vec<String>,
    /// Number of output columns.
    pub digits: usize,
}

/// A fitted `binary` or `hashing` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "encoding", rename_all = "snake_case")]
pub enum FittedBits {
    /// Code books per column.
    Binary {
        /// One per input column.
        columns: Vec<BinaryColumn>,
    },
    /// Columns and bucket count (nothing is learned: any category has a bucket).
    Hashing {
        /// Input columns.
        columns: Vec<String>,
        /// Buckets per column.
        n_components: usize,
    },
}

/// 32-bit FNV-1a of the UTF-8 bytes: stable across platforms and versions (unlike std's hashers), so a
/// category lands in the same column natively and in the browser, today and later.
pub fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5u32, |hash, byte| (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193))
}

fn string_names(columns: &Columns, table: &Table, target: Option<&str>) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for index in columns.resolve(table, target)? {
        if let Some(column) = table.columns.get(index) {
            category_counts(column)?; // refuses non-string columns with a clear message
            names.push(column.name.clone());
        }
    }
    Ok(names)
}

impl BinaryParams {
    /// Numbers the categories of each column.
    pub fn fit(&self, table: &Table, target: Option<&str>) -> Result<(FittedBits, StepReport)> {
        let mut columns = Vec::new();
        let mut summary = Vec::new();
        for name in string_names(&self.columns, table, target)? {
            let Some(column) = table.column(&name) else { continue };
            let (counted, _) = category_counts(column)?;
            let categories: Vec<String> = counted.into_iter().map(|(c, _)| c).collect();
            // Enough digits for the numbers 1 ..= k (0 means unknown or missing).
            let digits = (usize::BITS - categories.len().leading_zeros()).max(1) as usize;
            summary.push(format!(
                "binary encoded `{name}` ({}) into {}",
                count_of(categories.len(), "category"),
                count_of(digits, "column")
            ));
            columns.push(BinaryColumn { column: name, categories, digits });
        }
        Ok((FittedBits::Binary { columns }, StepReport::new("binary", summary)))
    }
}

impl HashingParams {
    /// Checks the columns and the bucket count.
    pub fn fit(&self, table: &Table, target: Option<&str>) -> Result<(FittedBits, StepReport)> {
        if self.n_components == 0 {
            return Err(Error::InvalidParam {
                name: "n_components".into(),
                reason: "must be at least 1".into(),
            });
        }
        crate::limits::check_at_most("n_components", self.n_components, crate::limits::MAX_HASHING_COLUMNS)?;
        let columns = string_names(&self.columns, table, target)?;
        let outputs = (columns.len() as u128).saturating_mul(self.n_components as u128);
        crate::limits::check_new_cells("n_components", outputs, table.n_rows, "hashing")?;
        let summary = columns
            .iter()
            .map(|name| format!("hashed `{name}` into {}", count_of(self.n_components, "column")))
            .collect();
        Ok((
            FittedBits::Hashing { columns, n_components: self.n_components },
            StepReport::new("hashing", summary),
        ))
    }
}

impl FittedBits {
    /// Replaces each fitted column by its digit or bucket columns (`<column>_0`, `<column>_1`, …).
    pub fn transform(&self, table: &Table) -> Result<Table> {
        let mut out = Table { columns: Vec::new(), n_rows: table.n_rows };
        for column in &table.columns {
            let outputs: Option<Vec<Vec<f64>>> = match self {
                FittedBits::Binary { columns } => {
                    columns.iter().find(|c| c.column == column.name).map(|fitted| {
                        let numbers: Vec<usize> = per_dictionary(column, |value| {
                            fitted.categories.iter().position(|c| c == value).map_or(0, |i| i + 1)
                        });
                        (0..fitted.digits)
                            .map(|digit| {
                                let shift = fitted.digits - 1 - digit;
                                codes_of(column).iter().map(|&c| bit(&numbers, c, shift)).collect()
                            })
                            .collect()
                    })
                }
                FittedBits::Hashing { columns, n_components } => columns.contains(&column.name).then(|| {
                    let buckets: Vec<usize> =
                        per_dictionary(column, |value| fnv1a(value) as usize % n_components);
                    (0..*n_components)
                        .map(|k| {
                            codes_of(column)
                                .iter()
                                .map(|&c| f64::from(u8::from(buckets.get(c as usize) == Some(&k))))
                                .collect()
                        })
                        .collect()
                }),
            };
            match outputs {
                None => out.columns.push(column.clone()),
                Some(outputs) => {
                    if !matches!(column.data, ColumnData::Strings { .. }) {
                        return Err(Error::InvalidParam {
                            name: "columns".into(),
                            reason: format!("`{}` is no longer categorical", column.name),
                        });
                    }
                    for (i, values) in outputs.into_iter().enumerate() {
                        out.columns.push(Column::from_numbers(
                            format!("{}_{i}", column.name),
                            ColumnKind::Boolean,
                            values,
                        ));
                    }
                }
            }
        }
        Ok(out)
    }
}

/// `f` of every dictionary entry of a string column (empty for other columns).
fn per_dictionary<T>(column: &Column, f: impl Fn(&str) -> T) -> Vec<T> {
    match &column.data {
        ColumnData::Strings { dictionary, .. } => dictionary.iter().map(|d| f(d)).collect(),
        _ => Vec::new(),
    }
}

fn codes_of(column: &Column) -> &[u32] {
    match &column.data {
        ColumnData::Strings { codes, .. } => codes,
        _ => &[],
    }
}

/// Bit `shift` of the number of dictionary code `code` (0 for missing codes).
fn bit(numbers: &[usize], code: u32, shift: usize) -> f64 {
    if code == MISSING_CODE {
        return 0.0;
    }
    numbers.get(code as usize).map_or(0.0, |n| ((n >> shift) & 1) as f64)
}

/// Category numbers in binary digits.
impl Step for BinaryParams {
    type Fitted = FittedBits;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(FittedBits, Table, StepReport)> {
        let (fitted, report) = self.fit(table, target)?;
        let out = fitted.transform(table)?;
        Ok((fitted, out, report))
    }
}

/// Categories hashed into a fixed number of columns.
impl Step for HashingParams {
    type Fitted = FittedBits;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(FittedBits, Table, StepReport)> {
        let (fitted, report) = self.fit(table, target)?;
        let out = fitted.transform(table)?;
        Ok((fitted, out, report))
    }
}
