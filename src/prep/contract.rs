//! The one contract every preparation step keeps, and the words steps report in. Each step's params
//! implement [`Step`] in the step's own file: fitted on the training table (the target left alone), a step
//! gives what it learnt, the table it leaves, and what it did. `step.rs` only names the steps and delegates.

use serde::{Deserialize, Serialize};

use crate::data::Table;
use crate::error::Result;

/// A preparation step's parameters, fitted on a training table.
pub trait Step {
    /// What the step learnt, to transform new data the same way (`()` for steps that change only the
    /// training rows, such as removing duplicates).
    type Fitted;

    /// Fits on `table` (the training rows), leaving the column `target` as it is: what the step learnt,
    /// the table it leaves (transformed, or with rows removed), and what it did in words.
    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(Self::Fitted, Table, StepReport)>;
}

/// `table` without the columns `names` (the transform of every step that drops columns).
pub fn drop_columns(table: &Table, names: &[String]) -> Table {
    Table {
        columns: table.columns.iter().filter(|c| !names.contains(&c.name)).cloned().collect(),
        n_rows: table.n_rows,
    }
}

/// What a step did, in plain words, for the Report and the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepReport {
    /// The step's name as in the Spec.
    pub step: String,
    /// Sentences such as "imputed 11 missing values of `sex` with the most frequent value \"male\"".
    pub summary: Vec<String>,
}

impl StepReport {
    /// A report for `step`.
    pub fn new(step: &str, summary: Vec<String>) -> StepReport {
        StepReport { step: step.to_string(), summary }
    }
}

/// A number for a sentence: 6 significant digits (`43.9219`), whole numbers as they are. The exact value
/// lives in the fitted step.
pub(crate) fn readable(v: f64) -> String {
    if v.fract() == 0.0 || !v.is_finite() {
        return crate::data::profile::format_number(v);
    }
    let magnitude = v.abs().log10().floor() as i32;
    let decimals = (5 - magnitude).clamp(0, 15) as usize;
    let text = format!("{v:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// "1 column", "3 columns", "2 categories": a count with its noun in the right number.
pub(crate) fn count_of(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else if let Some(stem) = noun.strip_suffix('y') {
        format!("{n} {stem}ies")
    } else {
        format!("{n} {noun}s")
    }
}
