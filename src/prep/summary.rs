//! What the page shows after preparing: counts before and after, previews of the first rows, and
//! before/after charts of one column.

use serde::{Deserialize, Serialize};

use super::pipeline::Prepared;
use super::step::StepReport;
use crate::charts::{column_chart, ChartBody, ChartSpec};
use crate::data::profile::profile_column;
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

/// Charts of `column` before and after preparation. After one-hot encoding, the "after" chart counts the
/// rows marked in each indicator column; a column that was dropped has no "after" chart.
pub fn compare_column(before: &Table, after: &Table, column: &str) -> Vec<ChartSpec> {
    let mut charts = Vec::new();
    if let Some(chart) = before.column(column).map(profile_column).as_ref().and_then(column_chart) {
        charts.push(ChartSpec {
            id: format!("before:{column}"),
            title: format!("{column} — before"),
            body: chart.body,
        });
    }
    if let Some(chart) = after.column(column).map(profile_column).as_ref().and_then(column_chart) {
        charts.push(ChartSpec {
            id: format!("after:{column}"),
            title: format!("{column} — after"),
            body: chart.body,
        });
        return charts;
    }
    let prefix = format!("{column}_");
    let indicators: Vec<(String, usize)> = after
        .columns
        .iter()
        .filter(|c| c.name.starts_with(&prefix))
        .filter_map(|c| {
            let ones = c.numbers()?.iter().filter(|&&v| v != 0.0 && !v.is_nan()).count();
            Some((c.name.clone(), ones))
        })
        .collect();
    if !indicators.is_empty() {
        charts.push(ChartSpec {
            id: format!("after:{column}"),
            title: format!("{column} — after: {} new columns", indicators.len()),
            body: ChartBody::Bars {
                x_label: "rows that are not 0".into(),
                labels: indicators.iter().map(|(n, _)| n.clone()).collect(),
                counts: indicators.iter().map(|(_, k)| *k).collect(),
            },
        });
    }
    charts
}
