//! Principal component analysis (scikit-learn's `PCA` with the full SVD): numeric columns replaced by their
//! coordinates on the directions of largest variance, keeping a number of components or enough of them to
//! explain a share of the variance.

use serde::{Deserialize, Serialize};

use super::columns::{ColumnGroup, Columns};
use super::contract::{count_of, Step, StepReport};
use crate::data::{Column, ColumnData, ColumnKind, Table};
use crate::error::{Error, Result};
use crate::numeric::axes::{principal_axes, Axes};

/// Parameters of the `pca` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PcaParams {
    /// Input columns; default the numeric ones.
    pub columns: Columns,
    /// A whole number of components (1 or more), or a share of variance to explain (between 0 and 1);
    /// default all components.
    pub n_components: Option<f64>,
}

impl Default for PcaParams {
    fn default() -> Self {
        PcaParams { columns: Columns::Group(ColumnGroup::Numeric), n_components: None }
    }
}

/// A fitted `pca` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedPca {
    /// Input columns, in order.
    pub columns: Vec<String>,
    /// Their means (subtracted first).
    pub means: Vec<f64>,
    /// Kept components, each a unit vector over the inputs (sign: largest coordinate positive).
    pub components: Vec<Vec<f64>>,
    /// Variance along each kept component (divided by n − 1).
    pub explained_variance: Vec<f64>,
    /// Share of the total variance along each kept component.
    pub explained_variance_ratio: Vec<f64>,
}

fn inputs(table: &Table, names: &[String]) -> Result<Vec<Vec<f64>>> {
    names
        .iter()
        .map(|name| {
            let column = table.column_or_err(name)?;
            match &column.data {
                ColumnData::Numbers { values, .. } if column.missing_count() == 0 => Ok(values.clone()),
                ColumnData::Numbers { .. } => Err(Error::InvalidParam {
                    name: "columns".into(),
                    reason: format!("PCA needs complete numbers: impute `{name}` first"),
                }),
                _ => Err(Error::InvalidParam {
                    name: "columns".into(),
                    reason: format!("`{name}` is {}: PCA works on numbers", column.kind.name()),
                }),
            }
        })
        .collect()
}

impl PcaParams {
    /// Finds the components.
    pub fn fit(&self, table: &Table, target: Option<&str>) -> Result<(FittedPca, StepReport)> {
        let columns: Vec<String> = self.columns.names(table, target)?;
        let (n, p) = (table.n_rows, columns.len());
        if p == 0 || n < 2 {
            return Err(Error::InvalidParam {
                name: "columns".into(),
                reason: format!("PCA needs at least 1 numeric column and 2 rows (has {p} and {n})"),
            });
        }
        let data = inputs(table, &columns)?;
        let Axes { means, components: all_components, variances, ratios } = principal_axes(&data, n)?;
        let keep = match self.n_components {
            None => variances.len(),
            Some(k) if k >= 1.0 && k.fract() == 0.0 => {
                let k = k as usize;
                if k > variances.len() {
                    return Err(Error::InvalidParam {
                        name: "n_components".into(),
                        reason: format!(
                            "{k} components asked of {} (the most there can be)",
                            variances.len()
                        ),
                    });
                }
                k
            }
            Some(share) if share > 0.0 && share < 1.0 => {
                // As scikit-learn: the fewest components whose cumulative share exceeds the target.
                let mut cumulative = 0.0;
                ratios
                    .iter()
                    .take_while(|r| {
                        let before = cumulative;
                        cumulative += **r;
                        before <= share
                    })
                    .count()
                    .max(1)
                    .min(variances.len())
            }
            Some(other) => {
                return Err(Error::InvalidParam {
                    name: "n_components".into(),
                    reason: format!(
                        "is a whole number of components or a share between 0 and 1, not {other}"
                    ),
                })
            }
        };
        let components: Vec<Vec<f64>> = all_components.into_iter().take(keep).collect();
        let kept_ratio: f64 = ratios.iter().take(keep).sum();
        let shares: Vec<String> =
            ratios.iter().take(keep.min(6)).map(|r| format!("{:.1}%", r * 100.0)).collect();
        let summary = vec![format!(
            "replaced {} by {} explaining {:.1}% of the variance ({}{})",
            count_of(p, "column"),
            count_of(keep, "principal component"),
            kept_ratio * 100.0,
            shares.join(", "),
            if keep > 6 { ", …" } else { "" }
        )];
        let fitted = FittedPca {
            columns,
            means,
            components,
            explained_variance: variances.into_iter().take(keep).collect(),
            explained_variance_ratio: ratios.into_iter().take(keep).collect(),
        };
        Ok((fitted, StepReport::new("pca", summary)))
    }
}

impl FittedPca {
    /// Replaces the input columns by `pca0`, `pca1`, … (placed where the first input was).
    pub fn transform(&self, table: &Table) -> Result<Table> {
        let data = inputs(table, &self.columns)?;
        let scores: Vec<Vec<f64>> = self
            .components
            .iter()
            .map(|component| {
                (0..table.n_rows)
                    .map(|r| {
                        component
                            .iter()
                            .zip(data.iter().zip(&self.means))
                            .map(|(w, (col, mean))| w * (col.get(r).copied().unwrap_or(0.0) - mean))
                            .sum()
                    })
                    .collect()
            })
            .collect();
        let mut out = Table { columns: Vec::new(), n_rows: table.n_rows };
        let mut placed = false;
        for column in &table.columns {
            if !self.columns.contains(&column.name) {
                out.columns.push(column.clone());
            } else if !placed {
                placed = true;
                for (i, values) in scores.iter().enumerate() {
                    out.columns.push(Column::from_numbers(
                        format!("pca{i}"),
                        ColumnKind::Float,
                        values.clone(),
                    ));
                }
            }
        }
        Ok(out)
    }
}

/// Means and principal components of the training rows.
impl Step for PcaParams {
    type Fitted = FittedPca;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(FittedPca, Table, StepReport)> {
        let (fitted, report) = self.fit(table, target)?;
        let out = fitted.transform(table)?;
        Ok((fitted, out, report))
    }
}
