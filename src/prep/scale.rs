//! Scaling numeric columns (scikit-learn's `StandardScaler`, `MinMaxScaler`, `RobustScaler`, `MaxAbsScaler`):
//! each column becomes `(x - offset) / scale`. Missing values are ignored when fitting and stay missing.

use serde::{Deserialize, Serialize};

use super::columns::{ColumnGroup, Columns};
use super::contract::{count_of, Step, StepReport};
use crate::data::profile::format_number;
use crate::data::{ColumnData, ColumnKind, Table};
use crate::error::{Error, Result};
use crate::numeric::stats::{pairwise_sum_map, quantile_sorted, sort_floats};

/// The scalers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScaleKind {
    /// Zero mean, unit variance (population standard deviation, as scikit-learn).
    Standard,
    /// Onto `feature_range` (default 0..1).
    MinMax,
    /// Median removed, divided by the interquartile range (`quantile_range`, default 25..75).
    Robust,
    /// Divided by the largest absolute value.
    MaxAbs,
}

/// Parameters of the scaling steps (`standard_scale`, `min_max_scale`, `robust_scale`, `max_abs_scale`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScaleParams {
    /// Columns to scale; default the numeric ones (integer and float, not the target).
    pub columns: Columns,
    /// `min_max_scale` only: the target range; default [0, 1].
    pub feature_range: (f64, f64),
    /// `robust_scale` only: the percentiles whose distance is the scale; default [25, 75].
    pub quantile_range: (f64, f64),
}

impl Default for ScaleParams {
    fn default() -> Self {
        ScaleParams {
            columns: Columns::Group(ColumnGroup::Numeric),
            feature_range: (0.0, 1.0),
            quantile_range: (25.0, 75.0),
        }
    }
}

/// One column's fitted scaling: `(x - offset) / scale`, then `+ shift` (min-max only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnScale {
    /// Column name.
    pub column: String,
    /// Subtracted first.
    pub offset: f64,
    /// Divided by next (never 0).
    pub scale: f64,
    /// Added last.
    pub shift: f64,
}

/// A fitted scaling step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedScale {
    /// Which scaler.
    pub kind: ScaleKind,
    /// One entry per column.
    pub columns: Vec<ColumnScale>,
}

/// scikit-learn's rule: a zero (or non-finite) scale becomes 1, so constant columns pass through centred.
fn safe_scale(scale: f64) -> f64 {
    if scale == 0.0 || !scale.is_finite() {
        1.0
    } else {
        scale
    }
}

impl ScaleParams {
    /// Validates the ranges.
    pub fn validate(&self, kind: ScaleKind) -> Result<()> {
        let (lo, hi) = self.feature_range;
        if kind == ScaleKind::MinMax && lo.partial_cmp(&hi) != Some(std::cmp::Ordering::Less) {
            return Err(Error::InvalidParam {
                name: "feature_range".into(),
                reason: format!("the minimum {lo} must be below the maximum {hi}"),
            });
        }
        let (q1, q2) = self.quantile_range;
        if kind == ScaleKind::Robust && !(0.0 <= q1 && q1 < q2 && q2 <= 100.0) {
            return Err(Error::InvalidParam {
                name: "quantile_range".into(),
                reason: format!("needs 0 <= low < high <= 100, not [{q1}, {q2}]"),
            });
        }
        Ok(())
    }

    /// Learns each selected column's offset and scale from `table`.
    pub fn fit(
        &self,
        kind: ScaleKind,
        table: &Table,
        target: Option<&str>,
    ) -> Result<(FittedScale, StepReport)> {
        self.validate(kind)?;
        let mut columns = Vec::new();
        for index in self.columns.resolve(table, target)? {
            let Some(column) = table.columns.get(index) else { continue };
            let ColumnData::Numbers { values, .. } = &column.data else {
                return Err(Error::InvalidParam {
                    name: "columns".into(),
                    reason: format!(
                        "`{}` is {}, and only numbers can be scaled",
                        column.name,
                        column.kind.name()
                    ),
                });
            };
            let (offset, scale, shift) = self.fit_column(kind, values);
            columns.push(ColumnScale { column: column.name.clone(), offset, scale, shift });
        }
        let what = match kind {
            ScaleKind::Standard => "to mean 0 and standard deviation 1".to_string(),
            ScaleKind::MinMax => format!(
                "onto [{}, {}]",
                format_number(self.feature_range.0),
                format_number(self.feature_range.1)
            ),
            ScaleKind::Robust => "by median and interquartile range".to_string(),
            ScaleKind::MaxAbs => "by their largest absolute value".to_string(),
        };
        let names: Vec<String> = columns.iter().map(|c| format!("`{}`", c.column)).collect();
        let summary = if names.is_empty() {
            vec!["no numeric columns to scale".into()]
        } else {
            vec![format!("scaled {} {what}: {}", count_of(names.len(), "column"), names.join(", "))]
        };
        let step = match kind {
            ScaleKind::Standard => "standard_scale",
            ScaleKind::MinMax => "min_max_scale",
            ScaleKind::Robust => "robust_scale",
            ScaleKind::MaxAbs => "max_abs_scale",
        };
        Ok((FittedScale { kind, columns }, StepReport::new(step, summary)))
    }

    fn fit_column(&self, kind: ScaleKind, values: &[f64]) -> (f64, f64, f64) {
        let count = values.iter().filter(|v| !v.is_nan()).count();
        if count == 0 {
            return (0.0, 1.0, 0.0);
        }
        match kind {
            ScaleKind::Standard => {
                let n = count as f64;
                let mean = pairwise_sum_map(values, |v| if v.is_nan() { 0.0 } else { v }) / n;
                let var =
                    pairwise_sum_map(values, |v| if v.is_nan() { 0.0 } else { (v - mean) * (v - mean) }) / n;
                (mean, safe_scale(var.sqrt()), 0.0)
            }
            ScaleKind::MinMax => {
                let (min, max) = min_max(values);
                let (lo, hi) = self.feature_range;
                // x' = (x - min) / (max - min) * (hi - lo) + lo
                let range = safe_scale(max - min);
                (min, range / (hi - lo), lo)
            }
            ScaleKind::Robust => {
                let mut present: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
                sort_floats(&mut present);
                let median = quantile_sorted(&present, 0.5).unwrap_or(0.0);
                let q1 = quantile_sorted(&present, self.quantile_range.0 / 100.0).unwrap_or(0.0);
                let q3 = quantile_sorted(&present, self.quantile_range.1 / 100.0).unwrap_or(0.0);
                (median, safe_scale(q3 - q1), 0.0)
            }
            ScaleKind::MaxAbs => {
                let max_abs = values.iter().filter(|v| !v.is_nan()).fold(0.0f64, |m, v| m.max(v.abs()));
                (0.0, safe_scale(max_abs), 0.0)
            }
        }
    }
}

fn min_max(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .filter(|v| !v.is_nan())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)))
}

impl FittedScale {
    /// Scales the fitted columns of `table`; they become float columns.
    pub fn transform(&self, table: &Table) -> Result<Table> {
        let mut out = table.clone();
        for fitted in &self.columns {
            let column = out.column_mut_or_err(&fitted.column)?;
            let ColumnData::Numbers { values, .. } = &mut column.data else {
                return Err(Error::InvalidParam {
                    name: "columns".into(),
                    reason: format!("`{}` is no longer numeric", fitted.column),
                });
            };
            for v in values.iter_mut() {
                *v = (*v - fitted.offset) / fitted.scale + fitted.shift;
            }
            column.kind = ColumnKind::Float;
        }
        Ok(out)
    }
}

/// The four scalers share their params; the kind says which.
impl Step for (ScaleKind, &ScaleParams) {
    type Fitted = FittedScale;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(FittedScale, Table, StepReport)> {
        let (fitted, report) = self.1.fit(self.0, table, target)?;
        let out = fitted.transform(table)?;
        Ok((fitted, out, report))
    }
}
