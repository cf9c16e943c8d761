//! The columnar, typed table every later step works on.

use serde::{Deserialize, Serialize};

use crate::error::{shorten, Error, Result};

/// The kind of a column, as inferred from its values or set by the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    /// Whole numbers (stored as f64).
    Integer,
    /// Real numbers.
    Float,
    /// true/false or yes/no (stored as 0.0 / 1.0).
    Boolean,
    /// A string with few distinct values (dictionary encoded).
    Categorical,
    /// Dates and timestamps (stored as milliseconds since 1970-01-01 UTC).
    Datetime,
    /// Free text: strings with many distinct values (dictionary encoded, like categoricals).
    Text,
}

impl ColumnKind {
    /// Every kind, in the order menus list them.
    pub const ALL: [ColumnKind; 6] = [
        ColumnKind::Integer,
        ColumnKind::Float,
        ColumnKind::Boolean,
        ColumnKind::Categorical,
        ColumnKind::Datetime,
        ColumnKind::Text,
    ];

    /// The kind's name as written in options and profiles.
    pub fn name(self) -> &'static str {
        match self {
            ColumnKind::Integer => "integer",
            ColumnKind::Float => "float",
            ColumnKind::Boolean => "boolean",
            ColumnKind::Categorical => "categorical",
            ColumnKind::Datetime => "datetime",
            ColumnKind::Text => "text",
        }
    }

    /// Whether the kind's values are numbers that statistics apply to (integer and float; not boolean).
    pub fn is_numeric(self) -> bool {
        matches!(self, ColumnKind::Integer | ColumnKind::Float)
    }
}

/// Code of a missing value in [`ColumnData::Strings`].
pub const MISSING_CODE: u32 = u32::MAX;

/// A column's values.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    /// Integer, float and boolean columns: `values[i]` is NaN exactly where `missing[i]` is true.
    Numbers {
        /// The values.
        values: Vec<f64>,
        /// Missing mask.
        missing: Vec<bool>,
    },
    /// Categorical and text columns: `codes[i]` indexes `dictionary`, or is [`MISSING_CODE`].
    Strings {
        /// Distinct values in order of first appearance.
        dictionary: Vec<String>,
        /// One code per row.
        codes: Vec<u32>,
    },
    /// Datetime columns: milliseconds since the Unix epoch (UTC); `values[i]` is 0 where `missing[i]`.
    Times {
        /// The values.
        values: Vec<i64>,
        /// Missing mask.
        missing: Vec<bool>,
    },
}

/// One named, typed column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The (unique) column name.
    pub name: String,
    /// The kind, which decides how `data` is read.
    pub kind: ColumnKind,
    /// The values.
    pub data: ColumnData,
}

impl Column {
    /// A numeric column from values, NaN meaning missing (the mask is derived from them).
    pub fn from_numbers(name: impl Into<String>, kind: ColumnKind, values: Vec<f64>) -> Column {
        let missing = values.iter().map(|v| v.is_nan()).collect();
        Column { name: name.into(), kind, data: ColumnData::Numbers { values, missing } }
    }

    /// A categorical column from its values, in row order (the dictionary in order of first appearance).
    pub fn from_strings(name: impl Into<String>, values: &[String]) -> Column {
        let (dictionary, codes) = dictionary_codes(values);
        Column {
            name: name.into(),
            kind: ColumnKind::Categorical,
            data: ColumnData::Strings { dictionary, codes },
        }
    }

    /// The numeric values (NaN where missing), if this is a numeric or boolean column.
    pub fn numbers(&self) -> Option<&[f64]> {
        match &self.data {
            ColumnData::Numbers { values, .. } => Some(values),
            _ => None,
        }
    }

    /// The string at `row`, if this is a string column and the row has a value.
    pub fn text_at(&self, row: usize) -> Option<&str> {
        match &self.data {
            ColumnData::Strings { dictionary, codes } => {
                codes.get(row).and_then(|&c| dictionary.get(c as usize)).map(String::as_str)
            }
            _ => None,
        }
    }

    /// The column restricted to `rows` (in that order; indices past the end become missing).
    pub fn take(&self, rows: &[usize]) -> Column {
        let data = match &self.data {
            ColumnData::Numbers { values, missing } => ColumnData::Numbers {
                values: rows.iter().map(|&r| values.get(r).copied().unwrap_or(f64::NAN)).collect(),
                missing: rows.iter().map(|&r| missing.get(r).copied().unwrap_or(true)).collect(),
            },
            ColumnData::Strings { dictionary, codes } => ColumnData::Strings {
                dictionary: dictionary.clone(),
                codes: rows.iter().map(|&r| codes.get(r).copied().unwrap_or(MISSING_CODE)).collect(),
            },
            ColumnData::Times { values, missing } => ColumnData::Times {
                values: rows.iter().map(|&r| values.get(r).copied().unwrap_or(0)).collect(),
                missing: rows.iter().map(|&r| missing.get(r).copied().unwrap_or(true)).collect(),
            },
        };
        Column { name: self.name.clone(), kind: self.kind, data }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        match &self.data {
            ColumnData::Numbers { values, .. } => values.len(),
            ColumnData::Strings { codes, .. } => codes.len(),
            ColumnData::Times { values, .. } => values.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether row `row` is missing (rows past the end count as missing).
    pub fn is_missing(&self, row: usize) -> bool {
        match &self.data {
            ColumnData::Numbers { missing, .. } | ColumnData::Times { missing, .. } => {
                missing.get(row).copied().unwrap_or(true)
            }
            ColumnData::Strings { codes, .. } => codes.get(row).is_none_or(|&c| c == MISSING_CODE),
        }
    }

    /// How many rows are missing.
    pub fn missing_count(&self) -> usize {
        match &self.data {
            ColumnData::Numbers { missing, .. } | ColumnData::Times { missing, .. } => {
                missing.iter().filter(|&&m| m).count()
            }
            ColumnData::Strings { codes, .. } => codes.iter().filter(|&&c| c == MISSING_CODE).count(),
        }
    }

    /// Bytes of memory held by the column's values (not counting the allocator's slack).
    pub fn memory_bytes(&self) -> usize {
        let data = match &self.data {
            ColumnData::Numbers { values, missing } => values.len() * 8 + missing.len(),
            ColumnData::Strings { dictionary, codes } => {
                codes.len() * 4
                    + dictionary.iter().map(|s| s.len() + std::mem::size_of::<String>()).sum::<usize>()
            }
            ColumnData::Times { values, missing } => values.len() * 8 + missing.len(),
        };
        data + self.name.len()
    }
}

/// A table: named typed columns of equal length.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// The columns, in file order.
    pub columns: Vec<Column>,
    /// Number of rows (every column has this length).
    pub n_rows: usize,
}

impl Table {
    /// The column called `name`, if any.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The column called `name`, or an error listing the columns there are.
    pub fn column_or_err(&self, name: &str) -> Result<&Column> {
        self.column(name).ok_or_else(|| self.unknown_column(name))
    }

    /// The error for a column `name` this table does not have: it lists the columns there are (shortened
    /// when long), the same way wherever a name is looked up.
    pub fn unknown_column(&self, name: &str) -> Error {
        Error::UnknownColumn { name: name.to_string(), available: shorten(&self.names().join(", "), 300) }
    }

    /// Bytes held by all columns.
    pub fn memory_bytes(&self) -> usize {
        self.columns.iter().map(Column::memory_bytes).sum()
    }

    /// The column called `name` to change, or an error listing the columns there are.
    pub fn column_mut_or_err(&mut self, name: &str) -> Result<&mut Column> {
        let missing = self.unknown_column(name);
        self.columns.iter_mut().find(|c| c.name == name).ok_or(missing)
    }

    /// The table restricted to `rows`, in that order.
    pub fn take_rows(&self, rows: &[usize]) -> Table {
        Table { columns: self.columns.iter().map(|c| c.take(rows)).collect(), n_rows: rows.len() }
    }

    /// The names of the columns, in order.
    pub fn names(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }
}

/// The distinct `values` in order of first appearance, and each value's index among them.
pub fn dictionary_codes(values: &[String]) -> (Vec<String>, Vec<u32>) {
    let mut dictionary: Vec<String> = Vec::new();
    let mut index: rustc_hash::FxHashMap<&str, u32> = Default::default();
    let codes = values
        .iter()
        .map(|v| {
            *index.entry(v.as_str()).or_insert_with(|| {
                dictionary.push(v.clone());
                (dictionary.len() - 1) as u32
            })
        })
        .collect();
    (dictionary, codes)
}
