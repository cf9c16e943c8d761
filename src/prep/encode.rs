//! Turning categories into numbers: one-hot (scikit-learn's `OneHotEncoder` with `handle_unknown="ignore"`,
//! `drop="first"`, `min_frequency`, `max_categories`), ordinal (`OrdinalEncoder`), and frequency / count.

use serde::{Deserialize, Serialize};

use super::columns::{ColumnGroup, Columns};
use super::contract::{count_of, Step, StepReport};
use crate::data::table::MISSING_CODE;
use crate::data::{Column, ColumnData, ColumnKind, Table};
use crate::error::{Error, Result};

/// The category name given to missing values when they are present at fit time (as scikit-learn's `nan`).
pub const MISSING_CATEGORY: &str = "nan";
/// The suffix of the column that collects infrequent categories.
pub const OTHER_CATEGORY: &str = "other";

/// Parameters of the `one_hot` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OneHotParams {
    /// Columns to encode; default the categorical ones.
    pub columns: Columns,
    /// Drop each column's first category (avoids collinearity for unregularised linear models); default false.
    pub drop_first: bool,
    /// Categories seen fewer times than this are folded into `<column>_other`; default none.
    pub min_frequency: Option<usize>,
    /// At most this many output columns per input column, the last being `<column>_other`; default none.
    pub max_categories: Option<usize>,
}

impl Default for OneHotParams {
    fn default() -> Self {
        OneHotParams {
            columns: Columns::Group(ColumnGroup::Categorical),
            drop_first: false,
            min_frequency: None,
            max_categories: None,
        }
    }
}

/// Parameters of the `ordinal`, `frequency` and `count` encodings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OrdinalParams {
    /// Columns to encode; default the categorical ones.
    pub columns: Columns,
    /// `ordinal` only: the order of categories per column (others follow alphabetically); default alphabetical.
    pub order: std::collections::BTreeMap<String, Vec<String>>,
}

impl Default for OrdinalParams {
    fn default() -> Self {
        OrdinalParams { columns: Columns::Group(ColumnGroup::Categorical), order: Default::default() }
    }
}

/// One input column's one-hot encoding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OneHotColumn {
    /// Input column.
    pub column: String,
    /// Categories with a column of their own, in output order (`"nan"` for missing values, last).
    pub categories: Vec<String>,
    /// Categories folded into `<column>_other` (empty: no such column).
    pub infrequent: Vec<String>,
    /// Whether the first category's column is dropped.
    pub drop_first: bool,
}

/// A fitted `one_hot` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedOneHot {
    /// One entry per encoded column.
    pub columns: Vec<OneHotColumn>,
}

/// How a category becomes a number in the single-column encodings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeKind {
    /// Position in the category order (unknown and missing become missing).
    Ordinal,
    /// Share of training rows with the category (unknown: 0).
    Frequency,
    /// Number of training rows with the category (unknown: 0).
    Count,
}

/// One column's category → number table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodedColumn {
    /// Input column.
    pub column: String,
    /// Categories and their numbers.
    pub codes: Vec<(String, f64)>,
}

/// A fitted `ordinal`, `frequency` or `count` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedCoded {
    /// Which encoding.
    pub kind: CodeKind,
    /// One table per column.
    pub columns: Vec<CodedColumn>,
}

/// Counts of each category (and of missing values) in a string column.
pub(crate) fn category_counts(column: &Column) -> Result<(Vec<(String, usize)>, usize)> {
    let ColumnData::Strings { dictionary, codes } = &column.data else {
        return Err(Error::InvalidParam {
            name: "columns".into(),
            reason: format!(
                "`{}` is {}: only categorical or text columns can be encoded (set its kind to categorical to \
                 encode numbers as categories)",
                column.name,
                column.kind.name()
            ),
        });
    };
    let mut counts = vec![0usize; dictionary.len()];
    let mut missing = 0;
    for &code in codes {
        match counts.get_mut(code as usize) {
            Some(n) => *n += 1,
            None => missing += 1,
        }
    }
    let mut pairs: Vec<(String, usize)> =
        dictionary.iter().cloned().zip(counts).filter(|(_, n)| *n > 0).collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((pairs, missing))
}

impl OneHotParams {
    /// Learns the categories of each selected column.
    pub fn fit(&self, table: &Table, target: Option<&str>) -> Result<(FittedOneHot, StepReport)> {
        if self.max_categories.is_some_and(|m| m < 2) {
            return Err(Error::InvalidParam {
                name: "max_categories".into(),
                reason: "must be at least 2".into(),
            });
        }
        let mut columns = Vec::new();
        let mut summary = Vec::new();
        let mut total_outputs = 0u128;
        for index in self.columns.resolve(table, target)? {
            let Some(column) = table.columns.get(index) else { continue };
            let (mut counted, missing) = category_counts(column)?;
            if missing > 0 {
                counted.push((MISSING_CATEGORY.to_string(), missing));
            }
            let infrequent = self.infrequent(&counted);
            let categories: Vec<String> =
                counted.into_iter().map(|(c, _)| c).filter(|c| !infrequent.contains(c)).collect();
            let outputs = (categories.len() + usize::from(!infrequent.is_empty()))
                .saturating_sub(usize::from(self.drop_first));
            total_outputs += outputs as u128;
            crate::limits::check_new_cells("columns", total_outputs, table.n_rows, "one-hot encoding")?;
            let mut line = format!("one-hot encoded `{}` into {}", column.name, count_of(outputs, "column"));
            if !infrequent.is_empty() {
                line.push_str(&format!(
                    " ({} folded into `{}_other`)",
                    count_of(infrequent.len(), "rare category"),
                    column.name
                ));
            }
            summary.push(line);
            columns.push(OneHotColumn {
                column: column.name.clone(),
                categories,
                infrequent,
                drop_first: self.drop_first,
            });
        }
        if summary.is_empty() {
            summary.push("no categorical columns to encode".into());
        }
        Ok((FittedOneHot { columns }, StepReport::new("one_hot", summary)))
    }

    /// Categories to fold into "other": under `min_frequency`, then beyond `max_categories - 1` by frequency
    /// (ties fold the alphabetically first), as scikit-learn.
    fn infrequent(&self, counted: &[(String, usize)]) -> Vec<String> {
        let mut rare: Vec<String> = match self.min_frequency {
            Some(min) => counted.iter().filter(|(_, n)| *n < min).map(|(c, _)| c.clone()).collect(),
            None => Vec::new(),
        };
        if let Some(max) = self.max_categories {
            let mut frequent: Vec<&(String, usize)> =
                counted.iter().filter(|(c, _)| !rare.contains(c)).collect();
            if frequent.len() > max - 1 + usize::from(rare.is_empty()) {
                // scikit-learn keeps the most frequent; among equal counts, the alphabetically later ones.
                frequent.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
                rare.extend(frequent.iter().skip(max - 1).map(|(c, _)| c.clone()));
            }
        }
        rare.sort();
        rare
    }
}

impl FittedOneHot {
    /// Replaces each fitted column by its indicator columns (`<column>_<category>`, boolean 0/1). Unknown
    /// categories get all zeros.
    pub fn transform(&self, table: &Table) -> Result<Table> {
        let mut out = Table { columns: Vec::new(), n_rows: table.n_rows };
        for column in &table.columns {
            let Some(fitted) = self.columns.iter().find(|f| f.column == column.name) else {
                out.columns.push(column.clone());
                continue;
            };
            let ColumnData::Strings { dictionary, codes } = &column.data else {
                return Err(Error::InvalidParam {
                    name: "columns".into(),
                    reason: format!("`{}` is no longer categorical", column.name),
                });
            };
            // Output slot of every dictionary code (and of missing), computed once.
            let slot_of = |category: &str| -> Option<usize> {
                if let Some(i) = fitted.categories.iter().position(|c| c == category) {
                    return Some(i);
                }
                fitted.infrequent.iter().any(|c| c == category).then_some(fitted.categories.len())
            };
            let slots: Vec<Option<usize>> = dictionary.iter().map(|d| slot_of(d)).collect();
            let missing_slot = slot_of(MISSING_CATEGORY);
            let mut names: Vec<String> =
                fitted.categories.iter().map(|c| format!("{}_{c}", column.name)).collect();
            if !fitted.infrequent.is_empty() {
                names.push(format!("{}_{OTHER_CATEGORY}", column.name));
            }
            let mut outputs = vec![vec![0.0f64; table.n_rows]; names.len()];
            for (row, &code) in codes.iter().enumerate() {
                let slot = if code == MISSING_CODE {
                    missing_slot
                } else {
                    slots.get(code as usize).copied().flatten()
                };
                if let Some(cell) = slot.and_then(|s| outputs.get_mut(s)).and_then(|o| o.get_mut(row)) {
                    *cell = 1.0;
                }
            }
            let skip = usize::from(fitted.drop_first);
            for (name, values) in names.into_iter().zip(outputs).skip(skip) {
                out.columns.push(Column::from_numbers(name, ColumnKind::Boolean, values));
            }
        }
        Ok(out)
    }
}

impl OrdinalParams {
    /// Learns each selected column's category → number table.
    pub fn fit(
        &self,
        kind: CodeKind,
        table: &Table,
        target: Option<&str>,
    ) -> Result<(FittedCoded, StepReport)> {
        let mut columns = Vec::new();
        let mut summary = Vec::new();
        for index in self.columns.resolve(table, target)? {
            let Some(column) = table.columns.get(index) else { continue };
            let (counted, _) = category_counts(column)?;
            let rows = table.n_rows.max(1) as f64;
            let codes: Vec<(String, f64)> = match kind {
                CodeKind::Ordinal => {
                    let mut ordered: Vec<String> = self.order.get(&column.name).cloned().unwrap_or_default();
                    for (c, _) in &counted {
                        if !ordered.contains(c) {
                            ordered.push(c.clone());
                        }
                    }
                    ordered.into_iter().enumerate().map(|(i, c)| (c, i as f64)).collect()
                }
                CodeKind::Frequency => counted.iter().map(|(c, n)| (c.clone(), *n as f64 / rows)).collect(),
                CodeKind::Count => counted.iter().map(|(c, n)| (c.clone(), *n as f64)).collect(),
            };
            let how = match kind {
                CodeKind::Ordinal => "as category numbers",
                CodeKind::Frequency => "by the share of rows in each category",
                CodeKind::Count => "by the number of rows in each category",
            };
            summary.push(format!("encoded `{}` ({}) {how}", column.name, count_of(codes.len(), "category")));
            columns.push(CodedColumn { column: column.name.clone(), codes });
        }
        let step = match kind {
            CodeKind::Ordinal => "ordinal",
            CodeKind::Frequency => "frequency",
            CodeKind::Count => "count",
        };
        if summary.is_empty() {
            summary.push("no categorical columns to encode".into());
        }
        Ok((FittedCoded { kind, columns }, StepReport::new(step, summary)))
    }
}

impl FittedCoded {
    /// Replaces each fitted column by its numbers. Unknown categories: missing for ordinal, 0 otherwise;
    /// missing values stay missing.
    pub fn transform(&self, table: &Table) -> Result<Table> {
        let mut out = table.clone();
        for fitted in &self.columns {
            let column = out.column_mut_or_err(&fitted.column)?;
            let ColumnData::Strings { dictionary, codes } = &column.data else {
                return Err(Error::InvalidParam {
                    name: "columns".into(),
                    reason: format!("`{}` is no longer categorical", fitted.column),
                });
            };
            let unknown = if self.kind == CodeKind::Ordinal { f64::NAN } else { 0.0 };
            let numbers: Vec<f64> = dictionary
                .iter()
                .map(|d| fitted.codes.iter().find(|(c, _)| c == d).map_or(unknown, |(_, x)| *x))
                .collect();
            let values: Vec<f64> =
                codes.iter().map(|&c| numbers.get(c as usize).copied().unwrap_or(f64::NAN)).collect();
            let kind = if self.kind == CodeKind::Frequency { ColumnKind::Float } else { ColumnKind::Integer };
            *column = Column::from_numbers(column.name.clone(), kind, values);
        }
        Ok(out)
    }
}

/// The categories seen in training, one indicator column each.
impl Step for OneHotParams {
    type Fitted = FittedOneHot;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(FittedOneHot, Table, StepReport)> {
        let (fitted, report) = self.fit(table, target)?;
        let out = fitted.transform(table)?;
        Ok((fitted, out, report))
    }
}

/// Ordinal, frequency and count codes share their params; the kind says which.
impl Step for (CodeKind, &OrdinalParams) {
    type Fitted = FittedCoded;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(FittedCoded, Table, StepReport)> {
        let (fitted, report) = self.1.fit(self.0, table, target)?;
        let out = fitted.transform(table)?;
        Ok((fitted, out, report))
    }
}
