//! Principal component analysis (scikit-learn's `PCA` with the full SVD): numeric columns replaced by their
//! coordinates on the directions of largest variance, keeping a number of components or enough of them to
//! explain a share of the variance.

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use super::columns::{ColumnGroup, Columns};
use super::step::{count_of, StepReport};
use crate::data::stats::pairwise_sum;
use crate::data::{Column, ColumnData, ColumnKind, Table};
use crate::error::{Error, Result};

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
            let column = table.column(name).ok_or_else(|| Error::UnknownColumn {
                name: name.clone(),
                available: table.names().join(", "),
            })?;
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

/// Principal axes of some columns: their means, the unit axes (largest variance first, signs as
/// scikit-learn's `svd_flip`), the variance along each and its share of the total.
pub(crate) struct Axes {
    pub means: Vec<f64>,
    pub components: Vec<Vec<f64>>,
    pub variances: Vec<f64>,
    pub ratios: Vec<f64>,
}

/// The principal axes of `data` (one vector per column, `n` rows each) by an SVD of the centred values.
pub(crate) fn principal_axes(data: &[Vec<f64>], n: usize) -> Result<Axes> {
    let p = data.len();
    let means: Vec<f64> = data.iter().map(|c| pairwise_sum(c) / n as f64).collect();
    let centered = DMatrix::from_fn(n, p, |r, c| {
        data.get(c).and_then(|col| col.get(r)).copied().unwrap_or(0.0) - means.get(c).copied().unwrap_or(0.0)
    });
    let svd = centered.svd(false, true);
    let v_t = svd.v_t.ok_or_else(|| Error::InvalidParam {
        name: "columns".into(),
        reason: "the SVD did not converge".into(),
    })?;
    let mut order: Vec<usize> = (0..svd.singular_values.len()).collect();
    let singular = |i: usize| svd.singular_values.get(i).copied().unwrap_or(0.0);
    order.sort_by(|&a, &b| singular(b).total_cmp(&singular(a)));
    let variances: Vec<f64> = order.iter().map(|&i| singular(i).powi(2) / (n as f64 - 1.0)).collect();
    let total: f64 = variances.iter().sum();
    let ratios: Vec<f64> = variances.iter().map(|v| if total > 0.0 { v / total } else { 0.0 }).collect();
    let components = order
        .iter()
        .map(|&i| {
            let row: Vec<f64> = (0..p).map(|j| v_t.get((i, j)).copied().unwrap_or(0.0)).collect();
            // scikit-learn's svd_flip: the coordinate of largest magnitude is positive.
            let largest = row.iter().copied().fold(0.0f64, |m, v| if v.abs() > m.abs() { v } else { m });
            if largest < 0.0 {
                row.iter().map(|v| -v).collect()
            } else {
                row
            }
        })
        .collect();
    Ok(Axes { means, components, variances, ratios })
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
