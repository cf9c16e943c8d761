//! A rehearsal before a long run in the browser. V8 first runs wasm as baseline code and optimises a hot
//! function in the background, but (measured in Chromium 156) the optimised code only takes over once the
//! worker has returned to its event loop: a single long call — a whole forest, all kNN queries — runs
//! 1.5–4× slower than natively from start to end, and as fast as natively when repeated. So the worker
//! first runs the same Spec on a small, evenly spaced sample of the rows, pauses, and only then runs it on
//! everything. Small tables skip the rehearsal: baseline code finishes them quickly anyway.

use crate::data::Table;
use crate::run::Spec;

/// Tables with fewer cells (rows × columns) than this run without a rehearsal.
pub const MIN_CELLS: usize = 200_000;

/// Rows in the rehearsal's sample.
pub const SAMPLE_ROWS: usize = 1_000;

/// The sample table and Spec of a rehearsal for running `spec` on `table`, or `None` when `table` is small.
/// The rehearsal keeps the Spec's model and preparation (the code that will be hot) but leaves out
/// cross-validation, search, diagnostics, training scores and permutation importance, which only repeat the
/// same functions.
pub fn rehearsal(table: &Table, spec: &Spec) -> Option<(Table, Spec)> {
    if table.n_rows.saturating_mul(table.columns.len()) < MIN_CELLS {
        return None;
    }
    let stride = (table.n_rows / SAMPLE_ROWS).max(1);
    let rows: Vec<usize> = (0..table.n_rows).step_by(stride).take(SAMPLE_ROWS).collect();
    let mut small = spec.clone();
    small.cv.folds = 0;
    small.train_scores = Some(false);
    small.importance.permutation = Some(false);
    // A search needs folds; rehearsing the model with its own params warms up the same code.
    small.search = None;
    small.diagnostics = Default::default();
    Some((table.take_rows(&rows), small))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Column, ColumnKind};

    fn table(n_rows: usize, n_cols: usize) -> Table {
        let columns = (0..n_cols)
            .map(|c| {
                Column::from_numbers(
                    format!("c{c}"),
                    ColumnKind::Float,
                    (0..n_rows).map(|i| i as f64).collect(),
                )
            })
            .collect();
        Table { columns, n_rows }
    }

    #[test]
    fn small_tables_run_without_a_rehearsal() {
        assert!(rehearsal(&table(19_999, 10), &Spec::default()).is_none());
    }

    #[test]
    fn the_rehearsal_is_an_evenly_spaced_sample_without_cross_validation() {
        let spec = Spec { seed: 7, ..Spec::default() };
        let Some((sample, small)) = rehearsal(&table(25_000, 10), &spec) else {
            panic!("expected a rehearsal")
        };
        assert_eq!(sample.n_rows, SAMPLE_ROWS);
        let first = sample.columns.first().and_then(|c| c.numbers()).unwrap_or(&[]);
        assert_eq!(first.get(..3), Some(&[0.0, 25.0, 50.0][..]));
        assert_eq!(
            (small.cv.folds, small.train_scores, small.importance.permutation),
            (0, Some(false), Some(false))
        );
        assert_eq!(small.seed, 7);
    }
}
