//! A prepared [`Table`] as the dense feature matrix models train on.

use super::{ColumnData, Table};
use crate::error::{Error, Result};
use crate::numeric::matrix::{matrix, non_finite, Matrix};

/// The features of a prepared table as a matrix, with their names. Every column must be numeric with no
/// missing or infinite value: anything else is an error naming the column and the preparation step that
/// fixes it.
pub fn features_matrix(table: &Table, exclude: Option<&str>) -> Result<(Matrix, Vec<String>)> {
    let columns: Vec<_> = table.columns.iter().filter(|c| Some(c.name.as_str()) != exclude).collect();
    let mut names = Vec::with_capacity(columns.len());
    let n_cols = columns.len();
    let mut data = vec![0.0; table.n_rows * n_cols];
    for (j, column) in columns.iter().enumerate() {
        names.push(column.name.clone());
        let values = match &column.data {
            ColumnData::Numbers { values, .. } => values,
            ColumnData::Strings { .. } => {
                return Err(Error::BadFeature {
                    column: column.name.clone(),
                    reason: format!(
                    "is {} text; models need numbers — add an encoding step (one_hot, ordinal, frequency, \
                         target_encode) or drop the column",
                    column.kind.name()
                ),
                })
            }
            ColumnData::Times { .. } => {
                return Err(Error::BadFeature {
                    column: column.name.clone(),
                    reason: "holds dates; models need numbers — add a date_parts step or drop the column"
                        .into(),
                })
            }
        };
        for (i, &v) in values.iter().enumerate() {
            if !v.is_finite() {
                return Err(non_finite(&column.name, v, i));
            }
            if let Some(cell) = data.get_mut(i * n_cols + j) {
                *cell = v;
            }
        }
    }
    Ok((matrix(table.n_rows, n_cols, data)?, names))
}
