//! Filling missing values (scikit-learn's `SimpleImputer`): mean, median, most frequent or a constant, with
//! optional missing-indicator columns.

use serde::{Deserialize, Serialize};

use super::columns::{ColumnGroup, Columns};
use super::contract::{count_of, readable, Step, StepReport};
use crate::data::infer::format_datetime;
use crate::data::table::MISSING_CODE;
use crate::data::{Column, ColumnData, ColumnKind, Table};
use crate::error::{Error, Result};
use crate::numeric::stats::{pairwise_sum_map, quantile_sorted, sort_floats};

/// How missing values are filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImputeStrategy {
    /// The median for numbers and dates, the most frequent value otherwise (the default).
    #[default]
    Auto,
    /// The mean of the column's values (numbers only).
    Mean,
    /// The median (numbers and dates).
    Median,
    /// The most frequent value; ties go to the smallest, as scikit-learn.
    MostFrequent,
    /// `fill_value` (default 0 for numbers, `"missing"` for strings).
    Constant,
}

/// Parameters of the `impute` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImputeParams {
    /// Columns to fill; default all (but the target).
    pub columns: Columns,
    /// Default `auto`.
    pub strategy: ImputeStrategy,
    /// The value for `constant` (a number or a string); default 0 / `"missing"`.
    pub fill_value: Option<serde_json::Value>,
    /// Also add a boolean `<column>_missing` column for every column that had missing values; default false.
    pub add_indicator: bool,
}

impl Default for ImputeParams {
    fn default() -> Self {
        ImputeParams {
            columns: Columns::Group(ColumnGroup::All),
            strategy: ImputeStrategy::Auto,
            fill_value: None,
            add_indicator: false,
        }
    }
}

/// The value a column's missing cells get.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fill {
    /// A number (numeric and boolean columns).
    Number(f64),
    /// A string (categorical and text columns).
    Text(String),
    /// Milliseconds since the epoch (datetime columns).
    Time(i64),
}

/// One column's fill, as fitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnFill {
    /// Column name.
    pub column: String,
    /// What its missing cells become.
    pub fill: Fill,
    /// Whether a `<column>_missing` indicator is added.
    pub indicator: bool,
}

/// A fitted `impute` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedImpute {
    /// One fill per column.
    pub fills: Vec<ColumnFill>,
}

impl ImputeParams {
    /// Learns each selected column's fill value from `table`.
    pub fn fit(&self, table: &Table, target: Option<&str>) -> Result<(FittedImpute, StepReport)> {
        let mut fills = Vec::new();
        let mut summary = Vec::new();
        for index in self.columns.resolve(table, target)? {
            let Some(column) = table.columns.get(index) else { continue };
            let missing = column.missing_count();
            let (fill, how) = self.fill_for(column)?;
            if missing > 0 {
                summary.push(format!(
                    "imputed {} of `{}` with {how}",
                    count_of(missing, "missing value"),
                    column.name
                ));
            }
            fills.push(ColumnFill {
                column: column.name.clone(),
                fill,
                indicator: self.add_indicator && missing > 0,
            });
        }
        if summary.is_empty() {
            summary.push("no missing values to impute".into());
        }
        Ok((FittedImpute { fills }, StepReport::new("impute", summary)))
    }

    fn fill_for(&self, column: &Column) -> Result<(Fill, String)> {
        let strategy = match (self.strategy, &column.data) {
            (ImputeStrategy::Auto, ColumnData::Strings { .. }) => ImputeStrategy::MostFrequent,
            (ImputeStrategy::Auto, _) if column.kind == ColumnKind::Boolean => ImputeStrategy::MostFrequent,
            (ImputeStrategy::Auto, _) => ImputeStrategy::Median,
            (s, _) => s,
        };
        let refuse = |why: &str| Error::InvalidParam {
            name: "strategy".into(),
            reason: format!("{why} (column `{}` is {})", column.name, column.kind.name()),
        };
        match (&column.data, strategy) {
            (ColumnData::Numbers { values, .. }, ImputeStrategy::Mean) => {
                let count = values.iter().filter(|v| !v.is_nan()).count();
                let sum = pairwise_sum_map(values, |v| if v.is_nan() { 0.0 } else { v });
                let mean = if count == 0 { 0.0 } else { sum / count as f64 };
                Ok((Fill::Number(mean), format!("the mean {}", readable(mean))))
            }
            (ColumnData::Numbers { values, .. }, ImputeStrategy::Median | ImputeStrategy::Auto) => {
                let median = sorted_present(values).and_then(|s| quantile_sorted(&s, 0.5)).unwrap_or(0.0);
                Ok((Fill::Number(median), format!("the median {}", readable(median))))
            }
            (ColumnData::Numbers { values, .. }, ImputeStrategy::MostFrequent) => {
                let mode = sorted_present(values).map(|s| most_frequent_sorted(&s)).unwrap_or(0.0);
                Ok((Fill::Number(mode), format!("the most frequent value {}", readable(mode))))
            }
            (ColumnData::Numbers { .. }, ImputeStrategy::Constant) => {
                let value = match &self.fill_value {
                    None => 0.0,
                    Some(v) => v.as_f64().ok_or_else(|| refuse("fill_value must be a number here"))?,
                };
                Ok((Fill::Number(value), format!("the constant {}", readable(value))))
            }
            (ColumnData::Strings { dictionary, codes }, ImputeStrategy::MostFrequent) => {
                let mut counts = vec![0usize; dictionary.len()];
                for &c in codes {
                    if let Some(n) = counts.get_mut(c as usize) {
                        *n += 1;
                    }
                }
                // The most frequent value; among ties the smallest string, as scikit-learn.
                let best = dictionary
                    .iter()
                    .zip(&counts)
                    .filter(|(_, &n)| n > 0)
                    .max_by(|(a, n), (b, m)| n.cmp(m).then_with(|| b.cmp(a)))
                    .map(|(s, _)| s.clone())
                    .unwrap_or_else(|| "missing".into());
                let how = format!("the most frequent value \"{best}\"");
                Ok((Fill::Text(best), how))
            }
            (ColumnData::Strings { .. }, ImputeStrategy::Constant) => {
                let value = match &self.fill_value {
                    None => "missing".to_string(),
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(v) => v.to_string(),
                };
                let how = format!("the constant \"{value}\"");
                Ok((Fill::Text(value), how))
            }
            (ColumnData::Strings { .. }, _) => {
                Err(refuse("only most_frequent and constant can fill strings"))
            }
            (ColumnData::Times { values, missing }, ImputeStrategy::Median | ImputeStrategy::Mean) => {
                let present: Vec<f64> =
                    values.iter().zip(missing).filter(|(_, m)| !**m).map(|(v, _)| *v as f64).collect();
                let median =
                    sorted_present(&present).and_then(|s| quantile_sorted(&s, 0.5)).unwrap_or(0.0) as i64;
                Ok((Fill::Time(median), format!("the median {}", format_datetime(median))))
            }
            (ColumnData::Times { .. }, _) => Err(refuse("dates can be filled with the median only")),
        }
    }
}

fn sorted_present(values: &[f64]) -> Option<Vec<f64>> {
    let mut present: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    if present.is_empty() {
        return None;
    }
    sort_floats(&mut present);
    Some(present)
}

/// The most frequent value of sorted data; ties go to the smallest.
fn most_frequent_sorted(sorted: &[f64]) -> f64 {
    let (mut best, mut best_count) = (f64::NAN, 0usize);
    let mut start = 0;
    while let Some(&value) = sorted.get(start) {
        let run = sorted.get(start..).unwrap_or_default().iter().take_while(|&&v| v == value).count().max(1);
        if run > best_count {
            best = value;
            best_count = run;
        }
        start += run;
    }
    best
}

impl FittedImpute {
    /// Fills the missing cells of the fitted columns of `table` (and adds indicators).
    pub fn transform(&self, table: &Table) -> Result<Table> {
        let mut out = table.clone();
        for fill in &self.fills {
            let Some(index) = out.columns.iter().position(|c| c.name == fill.column) else {
                return Err(out.unknown_column(&fill.column));
            };
            let Some(column) = out.columns.get_mut(index) else { continue };
            let indicator = fill.indicator.then(|| {
                let flags: Vec<f64> =
                    (0..column.len()).map(|r| f64::from(u8::from(column.is_missing(r)))).collect();
                Column::from_numbers(format!("{}_missing", column.name), ColumnKind::Boolean, flags)
            });
            fill_column(column, &fill.fill)?;
            if let Some(indicator) = indicator {
                out.columns.push(indicator);
            }
        }
        Ok(out)
    }
}

fn fill_column(column: &mut Column, fill: &Fill) -> Result<()> {
    match (&mut column.data, fill) {
        (ColumnData::Numbers { values, missing }, Fill::Number(x)) => {
            for (v, m) in values.iter_mut().zip(missing.iter_mut()) {
                if *m {
                    *v = *x;
                    *m = false;
                }
            }
        }
        (ColumnData::Strings { dictionary, codes }, Fill::Text(text)) => {
            let code = match dictionary.iter().position(|d| d == text) {
                Some(c) => c as u32,
                None => {
                    dictionary.push(text.clone());
                    (dictionary.len() - 1) as u32
                }
            };
            for c in codes.iter_mut().filter(|c| **c == MISSING_CODE) {
                *c = code;
            }
        }
        (ColumnData::Times { values, missing }, Fill::Time(t)) => {
            for (v, m) in values.iter_mut().zip(missing.iter_mut()) {
                if *m {
                    *v = *t;
                    *m = false;
                }
            }
        }
        _ => {
            return Err(Error::InvalidParam {
                name: "columns".into(),
                reason: format!(
                    "`{}` is {} here, but the imputer was fitted on a column of another kind",
                    column.name,
                    column.kind.name()
                ),
            })
        }
    }
    Ok(())
}

/// Fill values learnt on the training rows, applied to them and to new data.
impl Step for ImputeParams {
    type Fitted = FittedImpute;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(FittedImpute, Table, StepReport)> {
        let (fitted, report) = self.fit(table, target)?;
        let out = fitted.transform(table)?;
        Ok((fitted, out, report))
    }
}
