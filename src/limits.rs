//! The bounds every size that reaches an allocation or a loop is checked against before work starts, in one
//! place. In the page a panic or an out-of-memory kills the WebAssembly module and the user's data with
//! it, so a value beyond these is refused with a message naming its key and the limit, never attempted.
//! The bounds are generous: each is far beyond what any useful run asks for.

use crate::error::{Error, Result};

/// Trees of a forest or extra trees (`n_estimators`).
pub const MAX_TREES: usize = 10_000;
/// Boosting iterations (`max_iter` of histogram boosting).
pub const MAX_BOOSTING_ITERATIONS: usize = 10_000;
/// Iterations of an iterative solver (`max_iter` of logistic regression, SVMs, elastic net, k-means, MLPs).
pub const MAX_SOLVER_ITERATIONS: usize = 1_000_000;
/// Hidden layers of a multi-layer perceptron.
pub const MAX_LAYERS: usize = 16;
/// Units of one hidden layer.
pub const MAX_LAYER_UNITS: usize = 4_096;
/// Neighbours of kNN (`n_neighbors`).
pub const MAX_NEIGHBOURS: usize = 10_000;
/// Clusters of k-means (`n_clusters`) and its initialisations (`n_init`).
pub const MAX_CLUSTERS: usize = 1_000;
/// Initialisations of k-means (`n_init`).
pub const MAX_INITS: usize = 100;
/// Shuffles per column of permutation importance (`importance.repeats`).
pub const MAX_REPEATS: usize = 100;
/// Values of a validation curve (`diagnostics.validation_curve.values`) and sizes of a learning curve.
pub const MAX_CURVE_POINTS: usize = 50;
/// Cross-validation folds (`cv.folds`, except leave-one-out, which has its own row bound).
pub const MAX_FOLDS: usize = 1_000;
/// Candidates of a random or TPE search (`search.trials`) and a TPE batch (`search.batch`).
pub const MAX_TRIALS: usize = 10_000;
/// Classes of a classification target.
pub const MAX_CLASSES: usize = 1_000;
/// Output columns of a hashing encoder per input column (`n_components`).
pub const MAX_HASHING_COLUMNS: usize = 1 << 16;
/// Cells (rows × columns) a preparation step may create: 2.5 × 10^8 numbers are 2 GB.
pub const MAX_NEW_CELLS: u128 = 250_000_000;
/// Pairs of neighbours DBSCAN may hold at once: 5 × 10^7 indices are 400 MB.
pub const MAX_NEIGHBOUR_PAIRS: usize = 50_000_000;

/// Refuses `value` above `max` for the parameter `name`.
pub fn check_at_most(name: &str, value: usize, max: usize) -> Result<()> {
    if value > max {
        return Err(Error::InvalidParam {
            name: name.into(),
            reason: format!("must be at most {max}, got {value}"),
        });
    }
    Ok(())
}

/// Refuses a step that would create `columns` new columns of `rows` rows beyond [`MAX_NEW_CELLS`]; `name` is
/// the parameter that decides the count and `what` says what the columns are.
pub fn check_new_cells(name: &str, columns: u128, rows: usize, what: &str) -> Result<()> {
    let cells = columns.saturating_mul(rows as u128);
    if cells > MAX_NEW_CELLS {
        return Err(Error::InvalidParam {
            name: name.into(),
            reason: format!(
                "{what} would make {columns} columns of {rows} rows ({cells} numbers), more than the {MAX_NEW_CELLS} \
                 a run may hold; choose fewer columns or categories"
            ),
        });
    }
    Ok(())
}
