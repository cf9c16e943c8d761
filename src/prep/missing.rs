//! More ways to handle missing values: dropping rows or columns that miss too much, filling from the
//! neighbouring row (forward or backward, in file order or ordered by a column), and k-nearest-neighbour
//! imputation (scikit-learn's `KNNImputer` with the `nan_euclidean` distance and uniform weights).

use serde::{Deserialize, Serialize};

use super::columns::{ColumnGroup, Columns};
use super::contract::{count_of, Step, StepReport};
use crate::data::{ColumnData, Table};
use crate::error::{Error, Result};

/// Parameters of the `drop_missing` step.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DropMissingParams {
    /// Drop columns whose share of missing values is above this (0–1); also from new data.
    pub columns_above: Option<f64>,
    /// Drop rows whose share of missing values is above this (0–1) — from the fitted data only.
    pub rows_above: Option<f64>,
}

fn check_share(name: &str, value: Option<f64>) -> Result<()> {
    match value {
        Some(v) if !(0.0..=1.0).contains(&v) => Err(Error::InvalidParam {
            name: name.into(),
            reason: format!("is a share between 0 and 1, not {v}"),
        }),
        _ => Ok(()),
    }
}

impl DropMissingParams {
    /// The columns to drop and the rows to keep.
    pub fn fit(&self, table: &Table, target: Option<&str>) -> Result<(Vec<String>, Vec<usize>, StepReport)> {
        check_share("columns_above", self.columns_above)?;
        check_share("rows_above", self.rows_above)?;
        if self.columns_above.is_none() && self.rows_above.is_none() {
            return Err(Error::InvalidParam {
                name: "columns_above".into(),
                reason: "set columns_above, rows_above or both (shares of missing values, 0–1)".into(),
            });
        }
        let n = table.n_rows.max(1) as f64;
        let columns: Vec<String> = match self.columns_above {
            Some(limit) => table
                .columns
                .iter()
                .filter(|c| Some(c.name.as_str()) != target && c.missing_count() as f64 / n > limit)
                .map(|c| c.name.clone())
                .collect(),
            None => Vec::new(),
        };
        let remaining: Vec<_> = table.columns.iter().filter(|c| !columns.contains(&c.name)).collect();
        let width = remaining.len().max(1) as f64;
        let keep: Vec<usize> = (0..table.n_rows)
            .filter(|&r| match self.rows_above {
                Some(limit) => remaining.iter().filter(|c| c.is_missing(r)).count() as f64 / width <= limit,
                None => true,
            })
            .collect();
        let listed: Vec<String> = columns.iter().map(|c| format!("`{c}`")).collect();
        let mut summary = vec![format!(
            "dropped {}{}{}",
            count_of(columns.len(), "column"),
            if listed.is_empty() { "" } else { ": " },
            listed.join(", ")
        )];
        if self.rows_above.is_some() {
            summary.push(format!("dropped {}", count_of(table.n_rows - keep.len(), "row")));
        }
        Ok((columns, keep, StepReport::new("drop_missing", summary)))
    }
}

/// Direction of `fill`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FillMethod {
    /// The last value before (pandas' `ffill`; the default).
    #[default]
    Forward,
    /// The next value after (`bfill`).
    Backward,
}

/// Parameters of the `fill` step (time series): missing values take a neighbouring row's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FillParams {
    /// Columns to fill; default all.
    pub columns: Columns,
    /// Default `forward`.
    pub method: FillMethod,
    /// Order rows by this column first (a date, say); default the file order. Rows keep their places.
    pub order_by: Option<String>,
}

impl Default for FillParams {
    fn default() -> Self {
        FillParams { columns: Columns::Group(ColumnGroup::All), method: FillMethod::Forward, order_by: None }
    }
}

/// A fitted `fill` step (nothing is learned: each table is filled from its own rows).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedFill {
    /// Columns filled.
    pub columns: Vec<String>,
    /// Direction.
    pub method: FillMethod,
    /// Ordering column.
    pub order_by: Option<String>,
}

impl FillParams {
    /// Checks the columns.
    pub fn fit(&self, table: &Table, target: Option<&str>) -> Result<(FittedFill, StepReport)> {
        let columns: Vec<String> = self
            .columns
            .resolve(table, target)?
            .into_iter()
            .filter_map(|i| table.columns.get(i).map(|c| c.name.clone()))
            .filter(|name| Some(name.as_str()) != self.order_by.as_deref())
            .collect();
        if let Some(name) = &self.order_by {
            Columns::Names(vec![name.clone()]).resolve(table, None)?;
        }
        let fitted = FittedFill { columns, method: self.method, order_by: self.order_by.clone() };
        let filled = fitted.count_fillable(table)?;
        let way = if self.method == FillMethod::Forward { "the value before" } else { "the value after" };
        let order =
            self.order_by.as_ref().map_or(String::from("in file order"), |c| format!("ordered by `{c}`"));
        let summary = vec![format!("filled {} with {way}, {order}", count_of(filled, "missing value"))];
        Ok((fitted, StepReport::new("fill", summary)))
    }
}

impl FittedFill {
    /// Row order to walk: by `order_by` (missing last, stable), else file order; reversed for backward.
    fn order(&self, table: &Table) -> Result<Vec<usize>> {
        let mut rows: Vec<usize> = (0..table.n_rows).collect();
        if let Some(name) = &self.order_by {
            let column = table.column_or_err(name)?;
            let key = |r: usize| -> Option<f64> {
                match &column.data {
                    ColumnData::Numbers { values, missing } => (!missing.get(r).copied().unwrap_or(true))
                        .then(|| values.get(r).copied().unwrap_or(0.0)),
                    ColumnData::Times { values, missing } => (!missing.get(r).copied().unwrap_or(true))
                        .then(|| values.get(r).copied().unwrap_or(0) as f64),
                    ColumnData::Strings { .. } => None,
                }
            };
            rows.sort_by(|&a, &b| match (key(a), key(b)) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            });
        }
        if self.method == FillMethod::Backward {
            rows.reverse();
        }
        Ok(rows)
    }

    fn count_fillable(&self, table: &Table) -> Result<usize> {
        let before: usize =
            self.columns.iter().filter_map(|c| table.column(c)).map(|c| c.missing_count()).sum();
        let after = self.transform(table)?;
        let left: usize =
            self.columns.iter().filter_map(|c| after.column(c)).map(|c| c.missing_count()).sum();
        Ok(before - left)
    }

    /// Fills each column's missing cells from the nearest earlier (or later) row that has a value; cells with
    /// no such row stay missing.
    pub fn transform(&self, table: &Table) -> Result<Table> {
        let order = self.order(table)?;
        let mut out = table.clone();
        for name in &self.columns {
            let column = out.column_mut_or_err(name)?;
            let mut last: Option<usize> = None;
            let mut sources: Vec<(usize, usize)> = Vec::new(); // (row to fill, row to copy)
            for &row in &order {
                if column.is_missing(row) {
                    if let Some(from) = last {
                        sources.push((row, from));
                    }
                } else {
                    last = Some(row);
                }
            }
            match &mut column.data {
                ColumnData::Numbers { values, missing } => {
                    for (to, from) in sources {
                        if let Some(&v) = values.get(from) {
                            if let Some(slot) = values.get_mut(to) {
                                *slot = v;
                            }
                            if let Some(m) = missing.get_mut(to) {
                                *m = false;
                            }
                        }
                    }
                }
                ColumnData::Strings { codes, .. } => {
                    for (to, from) in sources {
                        if let Some(&c) = codes.get(from) {
                            if let Some(slot) = codes.get_mut(to) {
                                *slot = c;
                            }
                        }
                    }
                }
                ColumnData::Times { values, missing } => {
                    for (to, from) in sources {
                        if let Some(&v) = values.get(from) {
                            if let Some(slot) = values.get_mut(to) {
                                *slot = v;
                            }
                            if let Some(m) = missing.get_mut(to) {
                                *m = false;
                            }
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}

/// Columns missing too much are dropped everywhere; rows missing too much, from the training rows only.
impl Step for DropMissingParams {
    type Fitted = Vec<String>;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(Vec<String>, Table, StepReport)> {
        let (columns, keep, report) = self.fit(table, target)?;
        let out = super::contract::drop_columns(&table.take_rows(&keep), &columns);
        Ok((columns, out, report))
    }
}

/// The fill direction (and order), applied to training and new data.
impl Step for FillParams {
    type Fitted = FittedFill;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(FittedFill, Table, StepReport)> {
        let (fitted, report) = self.fit(table, target)?;
        let out = fitted.transform(table)?;
        Ok((fitted, out, report))
    }
}
