//! Inconsistent values: categories that differ only in spacing or letter case, spellings mapped to one value
//! ("NY" → "New York"), and numbers outside a plausible range (age below 0) made missing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::columns::{ColumnGroup, Columns};
use super::contract::{count_of, readable, Step, StepReport};
use crate::data::table::MISSING_CODE;
use crate::data::{ColumnData, Table};
use crate::error::{Error, Result};

/// Parameters of the `clean_categories` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CleanParams {
    /// Columns to clean; default the categorical ones.
    pub columns: Columns,
    /// Trim spaces and squeeze runs of spaces; default true.
    pub trim: bool,
    /// Letter case: `"lower"`, `"upper"`, `"title"` or none (the default).
    pub case: Option<TextCase>,
    /// Per column, values to replace: `{"city": {"NY": "New York"}}` (applied after trimming and case).
    pub mapping: BTreeMap<String, BTreeMap<String, String>>,
}

impl Default for CleanParams {
    fn default() -> Self {
        CleanParams {
            columns: Columns::Group(ColumnGroup::Categorical),
            trim: true,
            case: None,
            mapping: BTreeMap::new(),
        }
    }
}

/// Letter case for `clean_categories`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextCase {
    /// all lower case
    Lower,
    /// ALL UPPER CASE
    Upper,
    /// First Letter Of Each Word
    Title,
}

/// A column's name with its distinct values before and after cleaning.
type Merged = (String, usize, usize);

/// A fitted `clean_categories` step (nothing is learned: the rules apply as given).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedClean {
    /// Columns cleaned.
    pub columns: Vec<String>,
    /// Settings.
    pub trim: bool,
    /// Settings.
    pub case: Option<TextCase>,
    /// Settings.
    pub mapping: BTreeMap<String, BTreeMap<String, String>>,
}

impl FittedClean {
    fn clean(&self, column: &str, value: &str) -> String {
        let mut text = if self.trim {
            value.split_whitespace().collect::<Vec<_>>().join(" ")
        } else {
            value.to_string()
        };
        text = match self.case {
            Some(TextCase::Lower) => text.to_lowercase(),
            Some(TextCase::Upper) => text.to_uppercase(),
            Some(TextCase::Title) => text
                .split(' ')
                .map(|word| {
                    let mut chars = word.chars();
                    chars.next().map_or(String::new(), |first| {
                        first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect()
                    })
                })
                .collect::<Vec<_>>()
                .join(" "),
            None => text,
        };
        match self.mapping.get(column).and_then(|m| m.get(&text)) {
            Some(mapped) => mapped.clone(),
            None => text,
        }
    }

    /// Cleans the columns' values, merging categories that become equal; returns how many distinct values
    /// each column had before and after.
    fn apply(&self, table: &Table) -> Result<(Table, Vec<Merged>)> {
        let mut out = table.clone();
        let mut merged = Vec::new();
        for name in &self.columns {
            let column = out.column_mut_or_err(name)?;
            let ColumnData::Strings { dictionary, codes } = &mut column.data else {
                return Err(Error::InvalidParam {
                    name: "columns".into(),
                    reason: format!(
                        "`{name}` is {}: only categorical or text columns can be cleaned",
                        column.kind.name()
                    ),
                });
            };
            let cleaned: Vec<String> = dictionary.iter().map(|d| self.clean(name, d)).collect();
            let (new_dictionary, remap) = crate::data::table::dictionary_codes(&cleaned);
            for code in codes.iter_mut().filter(|c| **c != MISSING_CODE) {
                *code = remap.get(*code as usize).copied().unwrap_or(MISSING_CODE);
            }
            merged.push((name.clone(), dictionary.len(), new_dictionary.len()));
            *dictionary = new_dictionary;
        }
        Ok((out, merged))
    }

    /// Cleans new data the same way.
    pub fn transform(&self, table: &Table) -> Result<Table> {
        self.apply(table).map(|(t, _)| t)
    }
}

impl CleanParams {
    /// Cleans the fitted data; the report says how many values merged.
    pub fn fit(&self, table: &Table, target: Option<&str>) -> Result<(FittedClean, Table, StepReport)> {
        let columns: Vec<String> = self.columns.names(table, target)?;
        for name in self.mapping.keys() {
            if !columns.contains(name) {
                return Err(Error::InvalidParam {
                    name: "mapping".into(),
                    reason: format!("`{name}` is not among the columns being cleaned"),
                });
            }
        }
        let fitted = FittedClean { columns, trim: self.trim, case: self.case, mapping: self.mapping.clone() };
        let (out, merged) = fitted.apply(table)?;
        let summary: Vec<String> = merged
            .iter()
            .filter(|(_, before, after)| before != after)
            .map(|(name, before, after)| format!("`{name}`: {before} distinct values became {after}"))
            .collect();
        let summary =
            if summary.is_empty() { vec!["no categories needed cleaning".to_string()] } else { summary };
        Ok((fitted, out, StepReport::new("clean_categories", summary)))
    }
}

/// Parameters of the `range_rules` step: `{"rules": {"age": {"min": 0, "max": 120}}}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RangeParams {
    /// Per column, the smallest and largest plausible values (either may be left out).
    pub rules: BTreeMap<String, Range>,
}

/// A plausible range; values outside it become missing.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Range {
    /// Smallest plausible value.
    pub min: Option<f64>,
    /// Largest plausible value.
    pub max: Option<f64>,
}

impl RangeParams {
    /// Checks the rules and counts the violations.
    pub fn fit(&self, table: &Table) -> Result<(RangeParams, Table, StepReport)> {
        let mut summary = Vec::new();
        for (name, range) in &self.rules {
            if let (Some(lo), Some(hi)) = (range.min, range.max) {
                if lo > hi {
                    return Err(Error::InvalidParam {
                        name: format!("rules.{name}"),
                        reason: format!("min {lo} is above max {hi}"),
                    });
                }
            }
            let column = table.column_or_err(name)?;
            let values = column.numbers().ok_or_else(|| Error::InvalidParam {
                name: format!("rules.{name}"),
                reason: format!("`{name}` is {}: ranges apply to numbers", column.kind.name()),
            })?;
            let outside = values.iter().filter(|&&v| range.excludes(v)).count();
            let bounds = match (range.min, range.max) {
                (Some(lo), Some(hi)) => format!("outside [{}, {}]", readable(lo), readable(hi)),
                (Some(lo), None) => format!("below {}", readable(lo)),
                (None, Some(hi)) => format!("above {}", readable(hi)),
                (None, None) => "outside no range".to_string(),
            };
            summary.push(format!("`{name}`: {} {bounds} became missing", count_of(outside, "value")));
        }
        let out = self.transform(table)?;
        Ok((self.clone(), out, StepReport::new("range_rules", summary)))
    }

    /// Makes values outside the ranges missing.
    pub fn transform(&self, table: &Table) -> Result<Table> {
        let mut out = table.clone();
        for (name, range) in &self.rules {
            let column = out.column_mut_or_err(name)?;
            if let ColumnData::Numbers { values, missing } = &mut column.data {
                for (v, m) in values.iter_mut().zip(missing.iter_mut()) {
                    if range.excludes(*v) {
                        *v = f64::NAN;
                        *m = true;
                    }
                }
            }
        }
        Ok(out)
    }
}

impl Range {
    fn excludes(&self, v: f64) -> bool {
        self.min.is_some_and(|lo| v < lo) || self.max.is_some_and(|hi| v > hi)
    }
}

/// Cleaning rules learnt on the training rows (the cleaned training table comes with them).
impl Step for CleanParams {
    type Fitted = FittedClean;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(FittedClean, Table, StepReport)> {
        self.fit(table, target)
    }
}

/// Range rules are fixed by the Spec: fitting only applies them.
impl Step for RangeParams {
    type Fitted = RangeParams;

    fn fit_step(&self, table: &Table, _target: Option<&str>) -> Result<(RangeParams, Table, StepReport)> {
        self.fit(table)
    }
}
