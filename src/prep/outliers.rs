//! Outliers: values flagged by the z-score, the interquartile range or the median absolute deviation are
//! removed (with their rows, from the data being fitted only), capped at the rule's fences, or set missing;
//! or every column is winsorised at percentiles.

use serde::{Deserialize, Serialize};

use super::columns::{ColumnGroup, Columns};
use super::contract::{count_of, readable, Step, StepReport};
use crate::data::{ColumnData, ColumnKind, Table};
use crate::error::{Error, Result};
use crate::numeric::stats::{moments, quantile_sorted, sort_floats};

/// How a value is judged an outlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutlierRule {
    /// Outside [Q1 − k·IQR, Q3 + k·IQR] (the default, k = 1.5).
    #[default]
    Iqr,
    /// |x − mean| / std above k (k = 3 by default).
    Zscore,
    /// |x − median| / (1.4826 · MAD) above k (k = 3.5 by default).
    Mad,
    /// Below the `low` or above the `high` percentile (winsorising).
    Percentile,
}

/// What happens to flagged values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutlierAction {
    /// Set to the nearest fence (the default).
    #[default]
    Clip,
    /// Remove the whole row — from the data being fitted only; new data keeps its rows (and is clipped).
    Remove,
    /// Set missing, for an imputer to fill.
    Missing,
}

/// Parameters of the `outliers` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutlierParams {
    /// Columns checked; default the numeric ones.
    pub columns: Columns,
    /// Default `iqr`.
    pub rule: OutlierRule,
    /// The rule's multiplier; default 1.5 (iqr), 3 (zscore), 3.5 (mad).
    pub k: Option<f64>,
    /// `percentile` rule: the percentiles kept between; default [1, 99].
    pub percentiles: (f64, f64),
    /// Default `clip`.
    pub action: OutlierAction,
}

impl Default for OutlierParams {
    fn default() -> Self {
        OutlierParams {
            columns: Columns::Group(ColumnGroup::Numeric),
            rule: OutlierRule::Iqr,
            k: None,
            percentiles: (1.0, 99.0),
            action: OutlierAction::Clip,
        }
    }
}

/// One column's fences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fences {
    /// Column name.
    pub column: String,
    /// Values below are outliers.
    pub low: f64,
    /// Values above are outliers.
    pub high: f64,
}

/// A fitted `outliers` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedOutliers {
    /// Fences per column.
    pub fences: Vec<Fences>,
    /// What happens to values outside them (`remove` acts like `clip` on new data).
    pub action: OutlierAction,
}

impl OutlierParams {
    /// Computes each column's fences; also returns the rows to keep when the action is `remove`.
    pub fn fit(
        &self,
        table: &Table,
        target: Option<&str>,
    ) -> Result<(FittedOutliers, Option<Vec<usize>>, StepReport)> {
        let k = self.k.unwrap_or(match self.rule {
            OutlierRule::Iqr => 1.5,
            OutlierRule::Zscore => 3.0,
            OutlierRule::Mad => 3.5,
            OutlierRule::Percentile => 0.0,
        });
        if k.is_nan() || k < 0.0 {
            return Err(Error::InvalidParam { name: "k".into(), reason: "must be 0 or more".into() });
        }
        let (p_low, p_high) = self.percentiles;
        if self.rule == OutlierRule::Percentile && !(0.0 <= p_low && p_low < p_high && p_high <= 100.0) {
            return Err(Error::InvalidParam {
                name: "percentiles".into(),
                reason: format!("needs 0 <= low < high <= 100, not [{p_low}, {p_high}]"),
            });
        }
        let mut fences = Vec::new();
        let mut summary = Vec::new();
        let mut flagged_rows = vec![false; table.n_rows];
        for index in self.columns.resolve(table, target)? {
            let Some(column) = table.columns.get(index) else { continue };
            let ColumnData::Numbers { values, missing } = &column.data else {
                return Err(Error::InvalidParam {
                    name: "columns".into(),
                    reason: format!(
                        "`{}` is {}: only numbers can have outliers",
                        column.name,
                        column.kind.name()
                    ),
                });
            };
            let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
            if sorted.is_empty() {
                continue;
            }
            sort_floats(&mut sorted);
            let q = |p: f64| quantile_sorted(&sorted, p).unwrap_or(0.0);
            let (low, high) = match self.rule {
                OutlierRule::Iqr => {
                    let (q1, q3) = (q(0.25), q(0.75));
                    (q1 - k * (q3 - q1), q3 + k * (q3 - q1))
                }
                OutlierRule::Zscore => {
                    let m = moments(values, missing);
                    (m.mean - k * m.std, m.mean + k * m.std)
                }
                OutlierRule::Mad => {
                    let median = q(0.5);
                    let mut deviations: Vec<f64> = sorted.iter().map(|v| (v - median).abs()).collect();
                    sort_floats(&mut deviations);
                    let mad = 1.4826 * quantile_sorted(&deviations, 0.5).unwrap_or(0.0);
                    (median - k * mad, median + k * mad)
                }
                OutlierRule::Percentile => (q(p_low / 100.0), q(p_high / 100.0)),
            };
            let (low, high) =
                if low.is_nan() || high.is_nan() { (f64::NEG_INFINITY, f64::INFINITY) } else { (low, high) };
            let mut flagged = 0;
            for (row, &v) in values.iter().enumerate() {
                if v < low || v > high {
                    flagged += 1;
                    if let Some(f) = flagged_rows.get_mut(row) {
                        *f = true;
                    }
                }
            }
            summary.push(format!(
                "`{}`: {} outside [{}, {}]",
                column.name,
                count_of(flagged, "value"),
                readable(low),
                readable(high)
            ));
            fences.push(Fences { column: column.name.clone(), low, high });
        }
        let keep = (self.action == OutlierAction::Remove).then(|| {
            (0..table.n_rows).filter(|&r| !flagged_rows.get(r).copied().unwrap_or(false)).collect::<Vec<_>>()
        });
        let verb = match self.action {
            OutlierAction::Clip => "capped at the fences".to_string(),
            OutlierAction::Missing => "set missing".to_string(),
            OutlierAction::Remove => format!(
                "removed with their rows ({})",
                count_of(table.n_rows - keep.as_ref().map_or(table.n_rows, Vec::len), "row")
            ),
        };
        summary.push(format!("flagged values were {verb}"));
        Ok((FittedOutliers { fences, action: self.action }, keep, StepReport::new("outliers", summary)))
    }
}

impl FittedOutliers {
    /// Caps (or, for `missing`, blanks) values outside the fences; rows are never removed here.
    pub fn transform(&self, table: &Table) -> Result<Table> {
        let mut out = table.clone();
        for fence in &self.fences {
            let Some(column) = out.columns.iter_mut().find(|c| c.name == fence.column) else {
                return Err(table.unknown_column(&fence.column));
            };
            let ColumnData::Numbers { values, missing } = &mut column.data else {
                return Err(Error::InvalidParam {
                    name: "columns".into(),
                    reason: format!("`{}` is no longer numeric", fence.column),
                });
            };
            for (v, m) in values.iter_mut().zip(missing.iter_mut()) {
                if *v < fence.low || *v > fence.high {
                    if self.action == OutlierAction::Missing {
                        *v = f64::NAN;
                        *m = true;
                    } else {
                        *v = v.clamp(fence.low, fence.high);
                    }
                }
            }
            if column.kind == ColumnKind::Integer && self.action != OutlierAction::Missing {
                column.kind = ColumnKind::Float; // fences are rarely whole numbers
            }
        }
        Ok(out)
    }
}

/// Fences learnt on the training rows; the rows outside them may be removed from the training rows only.
impl Step for OutlierParams {
    type Fitted = FittedOutliers;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(FittedOutliers, Table, StepReport)> {
        let (fitted, keep, report) = self.fit(table, target)?;
        let kept = keep.map_or_else(|| table.clone(), |rows| table.take_rows(&rows));
        let out = fitted.transform(&kept)?;
        Ok((fitted, out, report))
    }
}
