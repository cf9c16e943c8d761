//! The columnar, typed table every later step works on.

use serde::{Deserialize, Serialize};

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

    /// Bytes held by all columns.
    pub fn memory_bytes(&self) -> usize {
        self.columns.iter().map(Column::memory_bytes).sum()
    }
}
