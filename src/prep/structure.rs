//! Checks a loaded pipeline's structure before it transforms anything, as the model's check does for the
//! model: every count and index the transforms rely on (hashing buckets, binary digits, polynomial term
//! indices, PCA shapes, the rows a kNN imputer keeps, ordered bin edges). A transform never panics on a broken
//! structure, but it would quietly give wrong columns, or divide by a zero bucket count; a hand-edited or
//! truncated file is refused here naming the field (`pipeline.steps[2].n_components`).
//!
//! The columns each step creates on new data are bounded at transform time by [`FittedStep::new_columns`]:
//! a file may list a million categories, and a million columns of new rows would not fit in memory.

use super::pipeline::FittedPipeline;
use super::step::FittedStep;
use crate::error::{Error, Result};
use crate::prep::encode_bits::FittedBits;

/// The refusal of field `field` of step `index`.
fn wrong(index: usize, field: &str, reason: String) -> Error {
    Error::spec(format!("pipeline.steps[{index}].{field}"), reason)
}

impl FittedPipeline {
    /// Checks every step's counts, lengths and indices; the error names the step and the field.
    pub fn check_structure(&self) -> Result<()> {
        for (index, step) in self.steps.iter().enumerate() {
            check_step(index, step)?;
        }
        Ok(())
    }
}

fn check_step(index: usize, step: &FittedStep) -> Result<()> {
    match step {
        FittedStep::Bits(FittedBits::Hashing { n_components, .. }) => {
            let max = crate::limits::MAX_HASHING_COLUMNS;
            if *n_components == 0 || *n_components > max {
                return Err(wrong(
                    index,
                    "n_components",
                    format!("must be between 1 and {max}, got {n_components}"),
                ));
            }
        }
        FittedStep::Bits(FittedBits::Binary { columns }) => {
            for (c, column) in columns.iter().enumerate() {
                // Enough digits for the numbers 1 ..= k (0 is unknown), as fitting chooses.
                let needed = (usize::BITS - column.categories.len().leading_zeros()).max(1) as usize;
                if column.digits != needed {
                    return Err(wrong(
                        index,
                        &format!("columns[{c}].digits"),
                        format!(
                            "{} categories need {needed} digits, got {}",
                            column.categories.len(),
                            column.digits
                        ),
                    ));
                }
            }
        }
        FittedStep::Polynomial(p) => {
            for (t, term) in p.terms.iter().enumerate() {
                if term.is_empty() {
                    return Err(wrong(
                        index,
                        &format!("terms[{t}]"),
                        "is empty: a term multiplies columns".into(),
                    ));
                }
                if let Some(&bad) = term.iter().find(|&&i| i >= p.columns.len()) {
                    return Err(wrong(
                        index,
                        &format!("terms[{t}]"),
                        format!("names column {bad}, the step has {} columns", p.columns.len()),
                    ));
                }
            }
        }
        FittedStep::Pca(p) => {
            let columns = p.columns.len();
            same(index, "means", p.means.len(), columns, "numbers", "columns")?;
            for (c, component) in p.components.iter().enumerate() {
                same(index, &format!("components[{c}]"), component.len(), columns, "weights", "columns")?;
            }
            let k = p.components.len();
            same(index, "explained_variance", p.explained_variance.len(), k, "numbers", "components")?;
            same(
                index,
                "explained_variance_ratio",
                p.explained_variance_ratio.len(),
                k,
                "numbers",
                "components",
            )?;
        }
        FittedStep::KnnImpute(k) => {
            let max = crate::limits::MAX_NEIGHBOURS;
            if k.n_neighbors == 0 || k.n_neighbors > max {
                return Err(wrong(
                    index,
                    "n_neighbors",
                    format!("must be between 1 and {max}, got {}", k.n_neighbors),
                ));
            }
            for (r, row) in k.rows.iter().enumerate() {
                same(index, &format!("rows[{r}]"), row.len(), k.columns.len(), "values", "columns")?;
            }
        }
        FittedStep::Bins(b) => {
            for (c, column) in b.columns.iter().enumerate() {
                let ordered = column.edges.windows(2).all(|w| w[0] <= w[1]);
                if !ordered || column.edges.iter().any(|e| e.is_nan()) {
                    return Err(wrong(
                        index,
                        &format!("columns[{c}].edges"),
                        "must be numbers in ascending order".into(),
                    ));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// `got` must equal `expected` for the field `field` of step `index`.
fn same(index: usize, field: &str, got: usize, expected: usize, items: &str, of: &str) -> Result<()> {
    if got == expected {
        return Ok(());
    }
    Err(wrong(index, field, format!("has {got} {items}, the step has {expected} {of}")))
}

impl FittedStep {
    /// How many columns this step adds to a table at most (0 for steps that change columns in place), so
    /// that the cells it would create for new rows are bounded before they are built.
    pub fn new_columns(&self) -> u128 {
        let len = |n: usize| n as u128;
        match self {
            FittedStep::OneHot(f) => f.columns.iter().map(|c| len(c.categories.len()) + 1).sum(),
            FittedStep::Bits(FittedBits::Binary { columns }) => columns.iter().map(|c| len(c.digits)).sum(),
            FittedStep::Bits(FittedBits::Hashing { columns, n_components }) => {
                len(columns.len()).saturating_mul(len(*n_components))
            }
            FittedStep::Tfidf(f) => f.columns.iter().map(|c| len(c.vocabulary.len())).sum(),
            FittedStep::Polynomial(f) => len(f.terms.len()),
            FittedStep::Pca(f) => len(f.components.len()),
            FittedStep::DateParts(f) => len(f.columns.len()).saturating_mul(len(f.parts.len()) * 3),
            _ => 0,
        }
    }
}
