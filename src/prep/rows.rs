//! Steps that remove rows or columns: duplicate rows (training data only) and dropped columns.

use serde::{Deserialize, Serialize};

use super::columns::Columns;
use super::contract::{count_of, Step, StepReport};
use crate::data::Table;
use crate::error::Result;

/// Parameters of the `drop_duplicates` step: exact duplicate rows are removed from the training data (the
/// first of each group is kept). Data transformed later keeps all its rows.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DropDuplicatesParams {
    /// Judge rows on these columns only; default all.
    pub subset: Option<Vec<String>>,
}

/// Parameters of the `drop` step: columns removed (identifiers, leaks, free text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DropColumnsParams {
    /// The columns to remove.
    pub columns: Columns,
}

impl DropDuplicatesParams {
    /// The rows to keep (first of each group of equal rows) and the report.
    pub fn fit(&self, table: &Table) -> Result<(Vec<usize>, StepReport)> {
        let judged = match &self.subset {
            Some(names) => {
                let indices = Columns::Names(names.clone()).resolve(table, None)?;
                Table {
                    columns: indices.iter().filter_map(|&i| table.columns.get(i).cloned()).collect(),
                    n_rows: table.n_rows,
                }
            }
            None => table.clone(),
        };
        let keep = first_of_each_row(&judged);
        let removed = table.n_rows - keep.len();
        let summary =
            vec![format!("removed {} (kept the first of each)", count_of(removed, "duplicate row"))];
        Ok((keep, StepReport::new("drop_duplicates", summary)))
    }
}

/// Indices of rows not equal to an earlier row.
fn first_of_each_row(table: &Table) -> Vec<usize> {
    let mut keep = Vec::with_capacity(table.n_rows);
    let mut seen: rustc_hash::FxHashMap<Vec<u64>, ()> = rustc_hash::FxHashMap::default();
    for row in 0..table.n_rows {
        let key: Vec<u64> = table.columns.iter().map(|c| cell_key(c, row)).collect();
        if seen.insert(key, ()).is_none() {
            keep.push(row);
        }
    }
    keep
}

/// A value that is equal for equal cells (missing cells alike, -0.0 like 0.0).
fn cell_key(column: &crate::data::Column, row: usize) -> u64 {
    use crate::data::ColumnData;
    match &column.data {
        ColumnData::Numbers { values, missing } => {
            if missing.get(row).copied().unwrap_or(true) {
                u64::MAX
            } else {
                let v = values.get(row).copied().unwrap_or(0.0);
                if v == 0.0 {
                    0
                } else {
                    v.to_bits()
                }
            }
        }
        ColumnData::Strings { codes, .. } => u64::from(codes.get(row).copied().unwrap_or(u32::MAX)),
        ColumnData::Times { values, missing } => {
            if missing.get(row).copied().unwrap_or(true) {
                u64::MAX
            } else {
                values.get(row).copied().unwrap_or(0) as u64
            }
        }
    }
}

impl DropColumnsParams {
    /// The names of the columns to remove, and the report.
    pub fn fit(&self, table: &Table, target: Option<&str>) -> Result<(Vec<String>, StepReport)> {
        let names: Vec<String> = self.columns.names(table, target)?;
        let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        let summary = vec![if listed.is_empty() {
            "no columns to drop".to_string()
        } else {
            format!("dropped {}: {}", count_of(listed.len(), "column"), listed.join(", "))
        }];
        Ok((names, StepReport::new("drop", summary)))
    }
}

/// Fitted on training rows only: the duplicates are removed there, and new data is left as it is.
impl Step for DropDuplicatesParams {
    type Fitted = ();

    fn fit_step(&self, table: &Table, _target: Option<&str>) -> Result<((), Table, StepReport)> {
        let (keep, report) = self.fit(table)?;
        Ok(((), table.take_rows(&keep), report))
    }
}

/// The columns named are removed, from training and new data alike.
impl Step for DropColumnsParams {
    type Fitted = Vec<String>;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(Vec<String>, Table, StepReport)> {
        let (columns, report) = self.fit(table, target)?;
        let out = super::contract::drop_columns(table, &columns);
        Ok((columns, out, report))
    }
}
