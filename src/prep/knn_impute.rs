//! k-nearest-neighbour imputation, as scikit-learn's `KNNImputer` (uniform weights, `nan_euclidean`
//! distance): a missing value becomes the mean of that column over the `n_neighbors` nearest fitted rows that
//! have it, distances being taken over the coordinates both rows have and scaled up for the missing ones.

use serde::{Deserialize, Serialize};

use super::columns::{ColumnGroup, Columns};
use super::contract::{count_of, Step, StepReport};
use crate::data::{ColumnData, ColumnKind, Table};
use crate::error::{Error, Result};

/// Parameters of the `knn_impute` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KnnImputeParams {
    /// The numeric columns that are filled and measure distances; default the numeric ones.
    pub columns: Columns,
    /// Neighbours averaged; default 5.
    pub n_neighbors: usize,
}

impl Default for KnnImputeParams {
    fn default() -> Self {
        KnnImputeParams { columns: Columns::Group(ColumnGroup::Numeric), n_neighbors: 5 }
    }
}

/// A fitted `knn_impute` step: the fitted rows of the columns (NaN where missing), where neighbours come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedKnnImpute {
    /// Columns, in order.
    pub columns: Vec<String>,
    /// Neighbours averaged.
    pub n_neighbors: usize,
    /// The fitted rows, row by row (`rows[i][j]` is column j of row i; `null` in JSON where missing).
    pub rows: Vec<Vec<Option<f64>>>,
}

fn matrix(table: &Table, columns: &[String]) -> Result<Vec<Vec<f64>>> {
    let data: Vec<&[f64]> = columns
        .iter()
        .map(|name| match table.column(name).map(|c| &c.data) {
            Some(ColumnData::Numbers { values, .. }) => Ok(values.as_slice()),
            Some(_) => Err(Error::InvalidParam {
                name: "columns".into(),
                reason: format!("`{name}` is not numeric: k-nearest-neighbour imputation works on numbers"),
            }),
            None => Err(table.unknown_column(name)),
        })
        .collect::<Result<_>>()?;
    Ok((0..table.n_rows)
        .map(|r| data.iter().map(|c| c.get(r).copied().unwrap_or(f64::NAN)).collect())
        .collect())
}

/// The squared `nan_euclidean` distance: squared differences over coordinates present in both, times
/// (all coordinates / shared ones); `None` when no coordinate is shared.
fn distance(a: &[f64], b: &[f64]) -> Option<f64> {
    let (mut sum, mut shared) = (0.0, 0usize);
    for (x, y) in a.iter().zip(b) {
        if !x.is_nan() && !y.is_nan() {
            sum += (x - y) * (x - y);
            shared += 1;
        }
    }
    (shared > 0).then(|| sum * a.len() as f64 / shared as f64)
}

impl KnnImputeParams {
    /// Keeps the fitted rows.
    pub fn fit(&self, table: &Table, target: Option<&str>) -> Result<FittedKnnImpute> {
        if self.n_neighbors == 0 {
            return Err(Error::InvalidParam {
                name: "n_neighbors".into(),
                reason: "must be at least 1".into(),
            });
        }
        crate::limits::check_at_most("n_neighbors", self.n_neighbors, crate::limits::MAX_NEIGHBOURS)?;
        let columns: Vec<String> = self.columns.names(table, target)?;
        let rows = matrix(table, &columns)?
            .into_iter()
            .map(|row| row.into_iter().map(|v| (!v.is_nan()).then_some(v)).collect())
            .collect();
        Ok(FittedKnnImpute { columns, n_neighbors: self.n_neighbors, rows })
    }
}

impl FittedKnnImpute {
    /// Fills the missing cells of the columns; also returns the report (how many per column).
    pub fn transform_with_report(&self, table: &Table) -> Result<(Table, StepReport)> {
        let fitted: Vec<Vec<f64>> =
            self.rows.iter().map(|r| r.iter().map(|v| v.unwrap_or(f64::NAN)).collect()).collect();
        let queries = matrix(table, &self.columns)?;
        let mut filled = vec![0usize; self.columns.len()];
        let mut results = queries.clone();
        for (row, query) in queries.iter().enumerate() {
            if !query.iter().any(|v| v.is_nan()) {
                continue;
            }
            let distances: Vec<Option<f64>> = fitted.iter().map(|f| distance(query, f)).collect();
            for (j, value) in query.iter().enumerate() {
                if !value.is_nan() {
                    continue;
                }
                // Donors: fitted rows that have column j, nearest first (ties by row order); rows sharing no
                // coordinate are no donors. Without any, the column mean (as scikit-learn).
                let mut donors: Vec<(f64, usize)> = fitted
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.get(j).is_some_and(|v| !v.is_nan()))
                    .filter_map(|(i, _)| distances.get(i).copied().flatten().map(|d| (d, i)))
                    .collect();
                donors.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                let chosen: Vec<f64> = donors
                    .iter()
                    .take(self.n_neighbors)
                    .filter_map(|&(_, i)| fitted.get(i).and_then(|f| f.get(j)).copied())
                    .collect();
                let estimate = if chosen.is_empty() {
                    let present: Vec<f64> =
                        fitted.iter().filter_map(|f| f.get(j).copied()).filter(|v| !v.is_nan()).collect();
                    if present.is_empty() {
                        f64::NAN
                    } else {
                        present.iter().sum::<f64>() / present.len() as f64
                    }
                } else {
                    chosen.iter().sum::<f64>() / chosen.len() as f64
                };
                if let Some(cell) = results.get_mut(row).and_then(|r| r.get_mut(j)) {
                    *cell = estimate;
                    if !estimate.is_nan() {
                        if let Some(n) = filled.get_mut(j) {
                            *n += 1;
                        }
                    }
                }
            }
        }
        let mut out = table.clone();
        for (j, name) in self.columns.iter().enumerate() {
            if let Some(column) = out.columns.iter_mut().find(|c| &c.name == name) {
                let values: Vec<f64> =
                    results.iter().map(|r| r.get(j).copied().unwrap_or(f64::NAN)).collect();
                let kind = if column.kind == ColumnKind::Integer
                    && values.iter().all(|v| v.fract() == 0.0 || v.is_nan())
                {
                    ColumnKind::Integer
                } else {
                    ColumnKind::Float
                };
                *column = crate::data::Column::from_numbers(name.clone(), kind, values);
            }
        }
        let summary = self
            .columns
            .iter()
            .zip(&filled)
            .filter(|(_, n)| **n > 0)
            .map(|(name, n)| {
                format!(
                    "imputed {} of `{name}` from its {} nearest rows",
                    count_of(*n, "missing value"),
                    self.n_neighbors
                )
            })
            .collect::<Vec<_>>();
        let summary =
            if summary.is_empty() { vec!["no missing values to impute".to_string()] } else { summary };
        Ok((out, StepReport::new("knn_impute", summary)))
    }

    /// Fills the missing cells of the columns.
    pub fn transform(&self, table: &Table) -> Result<Table> {
        self.transform_with_report(table).map(|(t, _)| t)
    }
}

/// The training rows are the neighbours that new rows are filled from.
impl Step for KnnImputeParams {
    type Fitted = FittedKnnImpute;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(FittedKnnImpute, Table, StepReport)> {
        let fitted = self.fit(table, target)?;
        let (out, report) = fitted.transform_with_report(table)?;
        Ok((fitted, out, report))
    }
}
