//! What the page shows after preparing: counts before and after and previews of the first rows. (The
//! before/after charts of one column are drawn a layer up, by the charts, from these tables.)

use serde::{Deserialize, Serialize};

use super::contract::StepReport;
use super::pipeline::Prepared;
use crate::data::write::{preview, Preview};
use crate::data::{ColumnData, Table};

/// Rows shown in the before/after previews.
pub const PREVIEW_ROWS: usize = 8;

/// A before/after account of a preparation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrepSummary {
    /// What each step did.
    pub reports: Vec<StepReport>,
    /// Rows before and after.
    pub rows: (usize, usize),
    /// Columns before and after.
    pub columns: (usize, usize),
    /// Missing cells before and after.
    pub missing: (usize, usize),
    /// Columns holding strings before and after.
    pub string_columns: (usize, usize),
    /// The first rows before.
    pub before: Preview,
    /// The first rows after.
    pub after: Preview,
}

fn missing_cells(table: &Table) -> usize {
    table.columns.iter().map(|c| c.missing_count()).sum()
}

fn string_columns(table: &Table) -> usize {
    table.columns.iter().filter(|c| matches!(c.data, ColumnData::Strings { .. })).count()
}

/// Summarises the preparation of `before` into `prepared`.
pub fn summarize(before: &Table, prepared: &Prepared) -> PrepSummary {
    let after = &prepared.table;
    PrepSummary {
        reports: prepared.reports.clone(),
        rows: (before.n_rows, after.n_rows),
        columns: (before.columns.len(), after.columns.len()),
        missing: (missing_cells(before), missing_cells(after)),
        string_columns: (string_columns(before), string_columns(after)),
        before: preview(before, PREVIEW_ROWS),
        after: preview(after, PREVIEW_ROWS),
    }
}
