//! Feature selection: dropping near-constant columns (scikit-learn's `VarianceThreshold`) and one of each
//! pair of highly correlated columns.

use serde::{Deserialize, Serialize};

use super::columns::{ColumnGroup, Columns};
use super::contract::{count_of, Step, StepReport};
use crate::data::{ColumnData, Table};
use crate::error::{Error, Result};
use crate::numeric::stats::{moments, pearson};

/// Parameters of the `variance_threshold` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VarianceParams {
    /// Columns considered; default the numeric ones.
    pub columns: Columns,
    /// Columns whose (population) variance is not above this are dropped; default 0 (constant columns).
    pub threshold: f64,
}

impl Default for VarianceParams {
    fn default() -> Self {
        VarianceParams { columns: Columns::Group(ColumnGroup::Numeric), threshold: 0.0 }
    }
}

/// Parameters of the `drop_correlated` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CorrelatedParams {
    /// Columns considered; default the numeric ones.
    pub columns: Columns,
    /// Of each pair whose |Pearson r| is above this, the later column is dropped; default 0.95.
    pub threshold: f64,
}

impl Default for CorrelatedParams {
    fn default() -> Self {
        CorrelatedParams { columns: Columns::Group(ColumnGroup::Numeric), threshold: 0.95 }
    }
}

fn numeric(table: &Table, index: usize) -> Result<(&str, &[f64], &[bool])> {
    match table.columns.get(index) {
        Some(c) => match &c.data {
            ColumnData::Numbers { values, missing } => Ok((c.name.as_str(), values, missing)),
            _ => Err(Error::InvalidParam {
                name: "columns".into(),
                reason: format!("`{}` is {}: only numeric columns can be selected on", c.name, c.kind.name()),
            }),
        },
        None => Err(Error::NoData),
    }
}

fn dropped_report(step: &str, dropped: &[String], why: &str) -> StepReport {
    let listed: Vec<String> = dropped.iter().map(|n| format!("`{n}`")).collect();
    let line = if listed.is_empty() {
        format!("no column {why}")
    } else {
        format!("dropped {} {why}: {}", count_of(listed.len(), "column"), listed.join(", "))
    };
    StepReport::new(step, vec![line])
}

impl VarianceParams {
    /// The columns to drop, and the report.
    pub fn fit(&self, table: &Table, target: Option<&str>) -> Result<(Vec<String>, StepReport)> {
        if self.threshold.is_nan() || self.threshold < 0.0 {
            return Err(Error::InvalidParam { name: "threshold".into(), reason: "must be 0 or more".into() });
        }
        let mut dropped = Vec::new();
        for index in self.columns.resolve(table, target)? {
            let (name, values, missing) = numeric(table, index)?;
            let m = moments(values, missing);
            // Population variance from the sample standard deviation: var = std² (n − 1) / n.
            let n = m.count as f64;
            let variance = if m.count < 2 { 0.0 } else { m.std * m.std * (n - 1.0) / n };
            if variance <= self.threshold || variance.is_nan() {
                dropped.push(name.to_string());
            }
        }
        let why = format!("with variance not above {}", self.threshold);
        let report = dropped_report("variance_threshold", &dropped, &why);
        Ok((dropped, report))
    }
}

impl CorrelatedParams {
    /// The columns to drop (the later of each highly correlated pair), and the report.
    pub fn fit(&self, table: &Table, target: Option<&str>) -> Result<(Vec<String>, StepReport)> {
        if !(0.0..=1.0).contains(&self.threshold) {
            return Err(Error::InvalidParam {
                name: "threshold".into(),
                reason: "must be between 0 and 1".into(),
            });
        }
        let columns: Vec<(&str, &[f64], &[bool])> = self
            .columns
            .resolve(table, target)?
            .into_iter()
            .map(|i| numeric(table, i))
            .collect::<Result<_>>()?;
        let mut dropped: Vec<String> = Vec::new();
        for (j, (name, y, ym)) in columns.iter().enumerate() {
            let kept_before = columns.iter().take(j).filter(|(n, _, _)| !dropped.iter().any(|d| d == n));
            let correlated =
                kept_before.filter_map(|(_, x, xm)| pearson(x, xm, y, ym)).any(|r| r.abs() > self.threshold);
            if correlated {
                dropped.push(name.to_string());
            }
        }
        let why = format!("correlated above {} with an earlier column", self.threshold);
        let report = dropped_report("drop_correlated", &dropped, &why);
        Ok((dropped, report))
    }
}

/// Near-constant columns of the training rows are dropped everywhere.
impl Step for VarianceParams {
    type Fitted = Vec<String>;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(Vec<String>, Table, StepReport)> {
        let (columns, report) = self.fit(table, target)?;
        let out = super::contract::drop_columns(table, &columns);
        Ok((columns, out, report))
    }
}

/// One of each highly correlated pair of the training rows is dropped everywhere.
impl Step for CorrelatedParams {
    type Fitted = Vec<String>;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(Vec<String>, Table, StepReport)> {
        let (columns, report) = self.fit(table, target)?;
        let out = super::contract::drop_columns(table, &columns);
        Ok((columns, out, report))
    }
}
