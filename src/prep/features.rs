//! New numeric features: polynomial and interaction terms (scikit-learn's `PolynomialFeatures`), equal-width
//! or quantile bins (`KBinsDiscretizer` with ordinal output), and the log transform.

use serde::{Deserialize, Serialize};

use super::columns::{ColumnGroup, Columns};
use super::contract::{count_of, Step, StepReport};
use crate::data::{Column, ColumnData, ColumnKind, Table};
use crate::error::{Error, Result};
use crate::numeric::stats::{quantile_sorted, sort_floats};

fn numbers_of<'a>(table: &'a Table, name: &str) -> Result<&'a [f64]> {
    let column = table.column_or_err(name)?;
    match &column.data {
        ColumnData::Numbers { values, .. } => Ok(values),
        _ => Err(Error::InvalidParam {
            name: "columns".into(),
            reason: format!("`{name}` is {}: only numbers can be used here", column.kind.name()),
        }),
    }
}

fn resolve_names(columns: &Columns, table: &Table, target: Option<&str>) -> Result<Vec<String>> {
    let names: Vec<String> = columns
        .resolve(table, target)?
        .into_iter()
        .filter_map(|i| table.columns.get(i))
        .map(|c| c.name.clone())
        .collect();
    for name in &names {
        numbers_of(table, name)?;
    }
    Ok(names)
}

/// Parameters of the `polynomial` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PolynomialParams {
    /// Input columns; default the numeric ones.
    pub columns: Columns,
    /// Highest total degree, 2 or 3; default 2.
    pub degree: u32,
    /// Only products of distinct columns (no powers); default false.
    pub interaction_only: bool,
}

impl Default for PolynomialParams {
    fn default() -> Self {
        PolynomialParams { columns: Columns::Group(ColumnGroup::Numeric), degree: 2, interaction_only: false }
    }
}

/// A fitted `polynomial` step: the input columns and each output term as the input indices it multiplies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedPolynomial {
    /// Input columns.
    pub columns: Vec<String>,
    /// Terms of degree 2 and more, in scikit-learn's order (`a^2`, `a b`, …); the inputs stay as they are.
    pub terms: Vec<Vec<usize>>,
}

impl PolynomialParams {
    /// Lists the terms.
    pub fn fit(&self, table: &Table, target: Option<&str>) -> Result<(FittedPolynomial, StepReport)> {
        if !(2..=3).contains(&self.degree) {
            return Err(Error::InvalidParam {
                name: "degree".into(),
                reason: format!("must be 2 or 3, not {}", self.degree),
            });
        }
        let columns = resolve_names(&self.columns, table, target)?;
        // Counted before they are listed: 10,000 columns would be 1.7 × 10^11 terms of degree 3.
        let count: u128 =
            (2..=self.degree as usize).map(|d| term_count(columns.len(), d, self.interaction_only)).sum();
        const MAX_TERMS: u128 = 10_000;
        if count > MAX_TERMS {
            return Err(Error::InvalidParam {
                name: "columns".into(),
                reason: format!(
                    "{} columns give {count} terms (at most {MAX_TERMS}); choose fewer columns",
                    columns.len()
                ),
            });
        }
        crate::limits::check_new_cells("columns", count, table.n_rows, "the polynomial terms")?;
        let mut terms = Vec::new();
        // Combinations with replacement (or without, for interactions) in lexicographic order, by degree.
        for degree in 2..=self.degree as usize {
            let mut term = vec![0usize; degree];
            combinations(columns.len(), degree, self.interaction_only, 0, &mut term, 0, &mut terms);
        }
        let summary = vec![format!(
            "added {} of degree up to {} from {}",
            count_of(terms.len(), "polynomial term"),
            self.degree,
            count_of(columns.len(), "column")
        )];
        Ok((FittedPolynomial { columns, terms }, StepReport::new("polynomial", summary)))
    }
}

/// How many terms of exactly `degree` `n` columns give: combinations with repetition, or without for
/// interactions only (saturating, so a huge count stays huge).
fn term_count(n: usize, degree: usize, interaction_only: bool) -> u128 {
    // C(m, k) for m = n (without repetition) or n + degree − 1 (with), computed step by step.
    let m = if interaction_only { n as u128 } else { (n + degree).saturating_sub(1) as u128 };
    let k = degree as u128;
    if k > m {
        return 0;
    }
    (0..k).fold(1u128, |acc, i| acc.saturating_mul(m - i) / (i + 1))
}

fn combinations(
    n: usize,
    k: usize,
    distinct: bool,
    start: usize,
    term: &mut Vec<usize>,
    depth: usize,
    out: &mut Vec<Vec<usize>>,
) {
    if depth == k {
        out.push(term.clone());
        return;
    }
    for i in start..n {
        if let Some(slot) = term.get_mut(depth) {
            *slot = i;
        }
        combinations(n, k, distinct, if distinct { i + 1 } else { i }, term, depth + 1, out);
    }
}

impl FittedPolynomial {
    /// Appends the terms (named as scikit-learn: `a^2`, `a b`, `a^2 b`).
    pub fn transform(&self, table: &Table) -> Result<Table> {
        let inputs: Vec<&[f64]> = self.columns.iter().map(|n| numbers_of(table, n)).collect::<Result<_>>()?;
        let mut out = table.clone();
        for term in &self.terms {
            let values: Vec<f64> = (0..table.n_rows)
                .map(|row| {
                    term.iter()
                        .map(|&i| inputs.get(i).and_then(|c| c.get(row)).copied().unwrap_or(f64::NAN))
                        .product()
                })
                .collect();
            out.columns.push(Column::from_numbers(self.term_name(term), ColumnKind::Float, values));
        }
        Ok(out)
    }

    fn term_name(&self, term: &[usize]) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut i = 0;
        while let Some(&index) = term.get(i) {
            let power = term.iter().skip(i).take_while(|&&j| j == index).count();
            let name = self.columns.get(index).cloned().unwrap_or_default();
            parts.push(if power == 1 { name } else { format!("{name}^{power}") });
            i += power;
        }
        parts.join(" ")
    }
}

/// How bin edges are placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BinStrategy {
    /// Equal widths between the minimum and the maximum.
    Uniform,
    /// Equal counts: edges at quantiles (linear interpolation, scikit-learn's `quantile_method="linear"`).
    #[default]
    Quantile,
}

/// Parameters of the `bins` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BinParams {
    /// Columns to bin; default the numeric ones.
    pub columns: Columns,
    /// Bins per column (at least 2); default 5.
    pub n_bins: usize,
    /// Default `quantile`.
    pub strategy: BinStrategy,
}

impl Default for BinParams {
    fn default() -> Self {
        BinParams {
            columns: Columns::Group(ColumnGroup::Numeric),
            n_bins: 5,
            strategy: BinStrategy::Quantile,
        }
    }
}

/// One column's bin edges (first and last are the fitted minimum and maximum).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnBins {
    /// Column name.
    pub column: String,
    /// Increasing edges.
    pub edges: Vec<f64>,
}

/// A fitted `bins` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedBins {
    /// Edges per column.
    pub columns: Vec<ColumnBins>,
}

impl BinParams {
    /// Places the edges.
    pub fn fit(&self, table: &Table, target: Option<&str>) -> Result<(FittedBins, StepReport)> {
        if self.n_bins < 2 {
            return Err(Error::InvalidParam {
                name: "n_bins".into(),
                reason: format!("must be at least 2, not {}", self.n_bins),
            });
        }
        let mut columns = Vec::new();
        let mut summary = Vec::new();
        for name in resolve_names(&self.columns, table, target)? {
            let mut present: Vec<f64> =
                numbers_of(table, &name)?.iter().copied().filter(|v| v.is_finite()).collect();
            sort_floats(&mut present);
            let (Some(&lo), Some(&hi)) = (present.first(), present.last()) else {
                summary.push(format!("`{name}` has no values: left as it is"));
                continue;
            };
            let n = self.n_bins;
            let mut edges: Vec<f64> = match self.strategy {
                BinStrategy::Uniform => (0..=n).map(|i| lo + (hi - lo) * i as f64 / n as f64).collect(),
                BinStrategy::Quantile => {
                    (0..=n).filter_map(|i| quantile_sorted(&present, i as f64 / n as f64)).collect()
                }
            };
            // As scikit-learn: bins narrower than 1e-8 are merged away.
            let mut kept = Vec::with_capacity(edges.len());
            for (i, &e) in edges.iter().enumerate() {
                if i == 0 || kept.last().is_none_or(|&last: &f64| e - last > 1e-8) {
                    kept.push(e);
                }
            }
            edges = kept;
            summary.push(format!(
                "binned `{name}` into {}",
                count_of(edges.len().saturating_sub(1).max(1), "bin")
            ));
            columns.push(ColumnBins { column: name, edges });
        }
        Ok((FittedBins { columns }, StepReport::new("bins", summary)))
    }
}

impl FittedBins {
    /// Replaces each value by its bin number, 0 … bins − 1 (values outside the fitted range go to the end
    /// bins; missing stays missing).
    pub fn transform(&self, table: &Table) -> Result<Table> {
        let mut out = table.clone();
        for fitted in &self.columns {
            let values = numbers_of(table, &fitted.column)?;
            let inner = fitted.edges.get(1..fitted.edges.len().saturating_sub(1)).unwrap_or_default();
            let bins: Vec<f64> = values
                .iter()
                .map(|&v| if v.is_nan() { f64::NAN } else { inner.partition_point(|&e| e <= v) as f64 })
                .collect();
            if let Some(column) = out.columns.iter_mut().find(|c| c.name == fitted.column) {
                *column = Column::from_numbers(fitted.column.clone(), ColumnKind::Integer, bins);
            }
        }
        Ok(out)
    }
}

/// Parameters of the `log` step: `ln(1 + x)`, for skewed non-negative columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogParams {
    /// The columns to transform (no default: logs suit only some columns).
    pub columns: Columns,
}

impl LogParams {
    /// Checks the columns; values of −1 or less (no logarithm) will become missing.
    pub fn fit(&self, table: &Table, target: Option<&str>) -> Result<(Vec<String>, StepReport)> {
        let names = resolve_names(&self.columns, table, target)?;
        let mut summary = Vec::new();
        for name in &names {
            let invalid = numbers_of(table, name)?.iter().filter(|&&v| v <= -1.0).count();
            let mut line = format!("took ln(1 + x) of `{name}`");
            if invalid > 0 {
                line.push_str(&format!(" ({} of −1 or less became missing)", count_of(invalid, "value")));
            }
            summary.push(line);
        }
        Ok((names, StepReport::new("log", summary)))
    }
}

/// Applies `ln(1 + x)` to the named columns.
pub fn log_transform(table: &Table, columns: &[String]) -> Result<Table> {
    let mut out = table.clone();
    for name in columns {
        let values: Vec<f64> =
            numbers_of(table, name)?.iter().map(|&v| if v > -1.0 { v.ln_1p() } else { f64::NAN }).collect();
        if let Some(column) = out.columns.iter_mut().find(|c| &c.name == name) {
            *column = Column::from_numbers(name.clone(), ColumnKind::Float, values);
        }
    }
    Ok(out)
}

/// Powers and products of the numeric columns.
impl Step for PolynomialParams {
    type Fitted = FittedPolynomial;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(FittedPolynomial, Table, StepReport)> {
        let (fitted, report) = self.fit(table, target)?;
        let out = fitted.transform(table)?;
        Ok((fitted, out, report))
    }
}

/// Bin edges learnt on the training rows.
impl Step for BinParams {
    type Fitted = FittedBins;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(FittedBins, Table, StepReport)> {
        let (fitted, report) = self.fit(table, target)?;
        let out = fitted.transform(table)?;
        Ok((fitted, out, report))
    }
}

/// ln(1 + x) of the columns chosen on the training rows.
impl Step for LogParams {
    type Fitted = Vec<String>;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(Vec<String>, Table, StepReport)> {
        let (columns, report) = self.fit(table, target)?;
        let out = log_transform(table, &columns)?;
        Ok((columns, out, report))
    }
}
