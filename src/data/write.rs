//! Writing a [`Table`] back out as CSV (what `mlplay transform` prints and the page downloads).

use super::infer::format_datetime;
use super::profile::format_number;
use serde::{Deserialize, Serialize};

use super::table::{Column, ColumnData, Table};
use crate::error::{Error, Result};

/// The table as comma-separated UTF-8 with a header row. Numbers are written in their shortest exact form,
/// dates as ISO 8601, missing values as empty fields; fields are quoted when they need it.
pub fn write_csv(table: &Table) -> Result<Vec<u8>> {
    let failed = |e: csv::Error| Error::Csv { line: 0, reason: format!("could not write CSV: {e}") };
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(table.columns.iter().map(|c| c.name.as_str())).map_err(failed)?;
    let mut record: Vec<String> = Vec::with_capacity(table.columns.len());
    for row in 0..table.n_rows {
        record.clear();
        for column in &table.columns {
            record.push(if column.is_missing(row) {
                String::new()
            } else {
                match &column.data {
                    ColumnData::Numbers { values, .. } => {
                        values.get(row).map_or(String::new(), |&v| format_number(v))
                    }
                    ColumnData::Strings { .. } => column.text_at(row).unwrap_or_default().to_string(),
                    ColumnData::Times { values, .. } => {
                        values.get(row).map_or(String::new(), |&v| format_datetime(v))
                    }
                }
            });
        }
        writer.write_record(&record).map_err(failed)?;
    }
    writer.into_inner().map_err(|e| Error::Csv { line: 0, reason: format!("could not write CSV: {e}") })
}

/// A cell as text: numbers in their shortest exact form, dates as ISO 8601, missing as the empty string.
pub fn cell_text(column: &Column, row: usize) -> String {
    if column.is_missing(row) {
        return String::new();
    }
    match &column.data {
        ColumnData::Numbers { values, .. } => values.get(row).map_or(String::new(), |&v| format_number(v)),
        ColumnData::Strings { .. } => column.text_at(row).unwrap_or_default().to_string(),
        ColumnData::Times { values, .. } => values.get(row).map_or(String::new(), |&v| format_datetime(v)),
    }
}

/// The first rows of a table as text, for showing (missing cells are `null`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<Option<String>>>,
}

/// The first `rows` rows of `table`.
pub fn preview(table: &Table, rows: usize) -> Preview {
    Preview {
        columns: table.names(),
        rows: (0..rows.min(table.n_rows))
            .map(|r| table.columns.iter().map(|c| (!c.is_missing(r)).then(|| cell_text(c, r))).collect())
            .collect(),
    }
}

/// The rows of `table` at `indices` (in that order), for showing; indices out of range are skipped.
pub fn preview_rows(table: &Table, indices: &[usize]) -> Preview {
    let indices: Vec<usize> = indices.iter().copied().filter(|&i| i < table.n_rows).collect();
    Preview {
        columns: table.names().iter().map(|n| n.to_string()).collect(),
        rows: indices
            .iter()
            .map(|&i| table.columns.iter().map(|c| (!c.is_missing(i)).then(|| cell_text(c, i))).collect())
            .collect(),
    }
}
