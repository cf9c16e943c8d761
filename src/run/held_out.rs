//! The final model on the rows it never saw: the test, validation and training scores, the diagnostics of
//! the held-out rows (the test rows, else the validation rows, else the training rows), and the built-in and
//! permutation importances.

use std::collections::BTreeMap;

use super::context::{builtin_importances, coefficients, Context, FittedRun, Prepared, Scoped};
use super::report::{Importance, PermutationImportance};
use super::setup::Setup;
use super::{elapsed, Clock, Spec};
use crate::data::Table;
use crate::error::Result;
use crate::evaluation::{evaluate, Evaluation, HeldOut};
use crate::models::kmeans::KMeansParams;
use crate::models::ModelSpec;
use crate::numeric::MatrixView;
use crate::progress::NoProgress;
use crate::task::{Predictions, Task};

/// Per metric, a score (None where undefined).
type Scores = BTreeMap<String, Option<f64>>;

/// What the final model did on the held-out rows.
pub(super) struct HeldOutScores {
    pub(super) test: Scores,
    pub(super) validation: Scores,
    pub(super) train: Scores,
    pub(super) test_ms: Option<f64>,
    pub(super) evaluation: Evaluation,
    pub(super) importances: Vec<Importance>,
    pub(super) coefficients: Vec<Importance>,
    pub(super) permutation_importance: Vec<PermutationImportance>,
}

/// Scores `fitted` on the test, validation and (unless the Spec or the model's cost says not) training rows,
/// diagnoses the held-out rows and ranks the features.
pub(super) fn score(
    context: &Context,
    setup: &Setup,
    fitted: &FittedRun,
    spec: &Spec,
    clock: Option<Clock>,
    warnings: &mut Vec<String>,
    scoped: &mut Scoped,
) -> Result<HeldOutScores> {
    let now = || clock.map(|c| c());
    let (split, model_spec, task) = (&setup.split, context.model, setup.labels.task);
    let validation_table = setup.table.take_rows(&split.validation);
    let test_table = setup.table.take_rows(&split.test);
    let test_started = now();
    let predict =
        |rows: &[usize], table: &Table, scoped: &mut Scoped| -> Result<Option<(Prepared, Predictions)>> {
            if rows.is_empty() {
                return Ok(None);
            }
            context.predict(fitted, table, scoped).map(Some)
        };
    let scores_of = |run: &Option<(Prepared, Predictions)>| -> Result<Scores> {
        run.as_ref()
            .map_or_else(|| Ok(BTreeMap::new()), |(data, predictions)| context.scores(data, predictions))
    };
    let test_run = predict(&split.test, &test_table, scoped)?;
    let test = scores_of(&test_run)?;
    let test_ms = elapsed(test_started, now());
    let validation_run = predict(&split.validation, &validation_table, scoped)?;
    let validation = scores_of(&validation_run)?;
    let score_train = spec
        .train_scores
        .unwrap_or(!matches!(model_spec, ModelSpec::Knn(_) | ModelSpec::Svm(_)) || task == Task::Clustering);
    let train_run = if score_train { predict(&split.train, &setup.train_table, scoped)? } else { None };
    let train = scores_of(&train_run)?;
    let (held_out, held_out_rows, held_out_name) = if !split.test.is_empty() {
        (&test_table, &split.test, "test")
    } else if !split.validation.is_empty() {
        (&validation_table, &split.validation, "validation")
    } else {
        (&setup.train_table, &split.train, "training")
    };
    let held_out_run = match (test_run, validation_run, train_run) {
        (Some(run), _, _) | (None, Some(run), _) | (None, None, Some(run)) => run,
        (None, None, None) => context.predict(fitted, held_out, scoped)?,
    };
    let row_numbers: Vec<usize> =
        held_out_rows.iter().map(|&i| setup.origin.get(i).copied().unwrap_or(i) + 1).collect();
    let (held_out_data, held_out_predictions) = &held_out_run;
    let evaluation = evaluate(
        &HeldOut {
            set: held_out_name,
            x: held_out_data.x.view(),
            predictions: held_out_predictions,
            values: &held_out_data.values,
            classes: &held_out_data.classes,
            class_names: &setup.labels.classes,
            // Preparation keeps every held-out row, so predictions line up with the rows' numbers.
            row_numbers: if held_out_predictions.len() == row_numbers.len() { &row_numbers } else { &[] },
            fit_k: Some(&kmeans_of_k),
        },
        spec.seed,
    )?;
    let permutation_wanted =
        spec.importance.permutation.unwrap_or(!matches!(model_spec, ModelSpec::Knn(_) | ModelSpec::Svm(_)));
    if spec.importance.permutation.is_none() && !permutation_wanted {
        warnings.push(format!(
            "permutation importance was skipped: every {} prediction compares rows with all training rows; set importance.permutation to true to compute it",
            model_spec.kind()
        ));
    }
    let permutation_importance = if permutation_wanted && task != Task::Clustering {
        let skip: Vec<&str> = spec.drop.iter().map(String::as_str).collect();
        context.permutation_importance(fitted, held_out, &spec.importance, &skip, scoped)?
    } else {
        Vec::new()
    };
    Ok(HeldOutScores {
        test,
        validation,
        train,
        test_ms,
        evaluation,
        importances: builtin_importances(&fitted.model),
        coefficients: coefficients(&fitted.model),
        permutation_importance,
    })
}

/// k-means with `k` clusters for the elbow scan: its inertia and each row's cluster. Three starts per k, so
/// that the curve is not bent by one unlucky start.
fn kmeans_of_k(x: MatrixView<'_>, k: usize, seed: u64) -> Result<(f64, Vec<i64>)> {
    let params = KMeansParams { n_clusters: k, n_init: 3, ..KMeansParams::default() };
    let fitted = params.fit(x, seed, &mut NoProgress)?;
    Ok((fitted.inertia, fitted.predict(x)))
}
