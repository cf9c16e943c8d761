//! `run`: the one place that wires the layers together. A [`Spec`] and a [`Table`] go in; the rows are split
//! (holdout), the model is cross-validated on the training rows (the preparation steps refitted inside
//! every fold), then fitted on all training rows and scored once on the validation and test rows. The
//! [`Report`] holds everything the page shows; the fitted pipeline and model come back beside it.
//!
//! Rooms: [`spec`] (the typed Spec, parsed once), [`labels`] (target, task and classes), [`setup`] (rows,
//! holdout, folds), [`context`] (one fit and its scores), [`held_out`] (the final model on the held-out
//! rows), `learning` (learning and validation curves), `search` (the hyperparameter search), [`report`] (the
//! plain data the charts, CLI and tests read) and [`trained`] (the saved bundle). This file runs the stages.

pub mod catalog;
mod context;
mod held_out;
pub mod labels;
mod learning;
pub mod report;
mod search;
mod setup;
pub mod spec;
pub mod trained;

use std::collections::BTreeMap;

use crate::data::Table;
use crate::error::Result;
use crate::models::ModelSpec;
use crate::progress::Progress;
use crate::rng::derive_seed;
use crate::task::Task;
use context::{Context, FittedRun, Scoped};
use setup::Setup;

pub use labels::{class_indices, distinct_labels, target_task, MAX_AUTO_CLASSES};
pub use learning::verdict;
pub use report::{
    FoldScores, Importance, LearningCurve, PermutationImportance, Report, RunOutput, SplitCounts, Timings,
    ValidationCurve,
};
pub use search::{next_batch, score_trial, Batch, SearchSession};
pub use spec::{DiagnosticsSpec, ImportanceSpec, Spec, ValidationCurveSpec};
pub use trained::Trained;

/// A clock for timings: the host provides it (the CLI from `std::time`, the page from `performance.now()`),
/// because wasm32 has no clock of its own.
/// `Sync` so that search threads can time their trials.
pub type Clock<'a> = &'a (dyn Fn() -> f64 + Sync);

/// Runs `spec` on `table` (a search, if any, on one thread).
pub fn run(
    table: &Table,
    spec: &Spec,
    clock: Option<Clock>,
    progress: &mut dyn Progress,
) -> Result<RunOutput> {
    run_with(table, spec, &RunOptions { clock, ..RunOptions::default() }, progress)
}

/// How a run is carried out (none of it changes the results).
#[derive(Default, Clone, Copy)]
pub struct RunOptions<'a> {
    /// The host's clock for timings and the search's time budget; default none.
    pub clock: Option<Clock<'a>>,
    /// Threads that score search candidates side by side (native only; wasm has one); default 1.
    pub threads: usize,
    /// A search already carried out elsewhere (the page's pool of workers): its trials are used as they are
    /// instead of being scored again; default none.
    pub searched: Option<&'a Searched>,
    /// What reading the data found that the Report should say first (the load's token majorities, see
    /// [`crate::data::LoadReport::run_warnings`]); default none.
    pub data_warnings: &'a [String],
}

/// The trials of a search scored outside `run` (in index order), and why it stopped early, if it did.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct Searched {
    /// The scored trials, in index order.
    pub trials: Vec<crate::search::Trial>,
    /// Why the search ended before its last trial (Cancel, the time budget).
    pub stopped: Option<String>,
}

/// Milliseconds between two readings of the clock (none without a clock).
fn elapsed(from: Option<f64>, to: Option<f64>) -> Option<f64> {
    from.zip(to).map(|(a, b)| b - a)
}

/// Runs `spec` on `table` as `options` say, stage by stage: setup, search, cross-validation, the final fit,
/// the held-out rows, the curves, the Report.
pub fn run_with(
    table: &Table,
    spec: &Spec,
    options: &RunOptions,
    progress: &mut dyn Progress,
) -> Result<RunOutput> {
    let clock = options.clock;
    let now = || clock.map(|c| c());
    let started = now();
    let setup = Setup::new(table, spec)?;
    let mut warnings = options.data_warnings.to_vec();
    warnings.extend(setup.warnings.iter().cloned());
    let base = setup.context(spec, clock);
    let (search_report, model_spec) = search_stage(&setup, &base, spec, options, &mut warnings, progress)?;
    let context = Context { model: &model_spec, ..base };
    let folds = &setup.folds;

    let cv_started = now();
    let wants_learning_curve = !folds.is_empty() && spec.diagnostics.learning_curve;
    if spec.diagnostics.learning_curve && folds.is_empty() {
        warnings.push("the learning curve needs cross-validation folds; none were made".into());
    }
    let curve_fits = learning::planned_fits(&spec.diagnostics, wants_learning_curve, folds.len());
    let total_units = (folds.len() + 1 + curve_fits) as u64 * 1000;
    let cv_scores = cross_validate(&context, &setup, spec.seed, total_units, progress)?;
    let cv_ms = elapsed(cv_started, now());

    let fit_started = now();
    let mut scoped = Scoped {
        inner: progress,
        stage: "training the final model".into(),
        offset: folds.len() as u64 * 1000,
        total: total_units,
    };
    let fitted = context.fit(&setup.train_table, spec.seed, &mut scoped)?;
    let fit_ms = elapsed(fit_started, now());

    let evaluate_started = now();
    let held = held_out::score(&context, &setup, &fitted, spec, clock, &mut warnings, &mut scoped)?;
    let mut curve_progress = Scoped {
        inner: progress,
        stage: String::new(),
        offset: (folds.len() + 1) as u64 * 1000,
        total: total_units,
    };
    let (learning_curve, validation_curve) =
        curves(&context, &setup, spec, wants_learning_curve, &mut warnings, &mut curve_progress)?;
    let cluster_sizes = if setup.labels.task == Task::Clustering {
        context::cluster_sizes(&fitted, &setup.train_table, setup.target.as_deref())?
    } else {
        BTreeMap::new()
    };
    for (name, values) in &cv_scores {
        if values.iter().any(Option::is_none) {
            warnings.push(format!(
                "{name} is undefined in some folds (a fold held a single class); its mean leaves them out"
            ));
        }
    }
    let timings = Timings {
        cv_ms,
        fit_ms,
        model_ms: fitted.model_ms,
        test_ms: held.test_ms,
        evaluate_ms: elapsed(evaluate_started, now()),
        total_ms: None,
    };
    let mut report = assemble(Parts {
        spec,
        setup: &setup,
        model_spec: &model_spec,
        fitted: &fitted,
        cv_scores,
        held,
        cluster_sizes,
        learning_curve,
        validation_curve,
        search: search_report,
        timings,
        warnings,
    });
    report.timings.total_ms = elapsed(started, now());
    progress.report("done", total_units, total_units);
    Ok(RunOutput { report, pipeline: fitted.pipeline, model: fitted.model })
}

/// The search, when the Spec has one: its leaderboard and the model to fit (the best candidate, or the
/// Spec's own model when no candidate could be scored).
fn search_stage(
    setup: &Setup,
    base: &Context,
    spec: &Spec,
    options: &RunOptions,
    warnings: &mut Vec<String>,
    progress: &mut dyn Progress,
) -> Result<(Option<crate::search::SearchReport>, ModelSpec)> {
    let Some(search_spec) = &spec.search else { return Ok((None, setup.requested.clone())) };
    let found = search::run_search(
        base,
        &setup.train_table,
        &setup.folds,
        search_spec,
        search::How { threads: options.threads, searched: options.searched },
        progress,
    )?;
    if let Some(why) = &found.report.stopped {
        warnings.push(format!("the search stopped early: {why}"));
    }
    let chosen = found.best.unwrap_or_else(|| {
        warnings.push("no search candidate could be scored; the model's own params were used".into());
        setup.requested.clone()
    });
    Ok((Some(found.report), chosen))
}

/// Every metric on every fold: the preparation and the model fitted on the fold's training rows, scored on
/// its held-out rows.
fn cross_validate(
    context: &Context,
    setup: &Setup,
    seed: u64,
    total_units: u64,
    progress: &mut dyn Progress,
) -> Result<BTreeMap<String, Vec<Option<f64>>>> {
    let folds = &setup.folds;
    let mut cv_scores: BTreeMap<String, Vec<Option<f64>>> =
        setup.metrics.iter().map(|m| (m.clone(), Vec::new())).collect();
    for (f, (fold_train, fold_test)) in folds.iter().enumerate() {
        let mut scoped = Scoped {
            inner: progress,
            stage: format!("cross-validation fold {} of {}", f + 1, folds.len()),
            offset: f as u64 * 1000,
            total: total_units,
        };
        let fitted: FittedRun = context.fit(
            &setup.train_table.take_rows(fold_train),
            derive_seed(seed, f as u64 + 1),
            &mut scoped,
        )?;
        let scores = context.evaluate(&fitted, &setup.train_table.take_rows(fold_test), &mut scoped)?;
        for (name, value) in scores {
            cv_scores.entry(name).or_default().push(value);
        }
    }
    Ok(cv_scores)
}

/// The learning curve and the validation curve, where the Spec asks for them and there are folds.
fn curves(
    context: &Context,
    setup: &Setup,
    spec: &Spec,
    wants_learning_curve: bool,
    warnings: &mut Vec<String>,
    progress: &mut Scoped,
) -> Result<(Option<LearningCurve>, Option<ValidationCurve>)> {
    let (train, folds) = (&setup.train_table, &setup.folds);
    let learning_curve = if wants_learning_curve {
        Some(learning::learning_curve(context, train, folds, &spec.diagnostics.train_sizes, progress)?)
    } else {
        None
    };
    let validation_curve = match (&spec.diagnostics.validation_curve, folds.is_empty()) {
        (Some(curve), false) => Some(learning::validation_curve(context, train, folds, curve, progress)?),
        (Some(_), true) => {
            warnings.push("the validation curve needs cross-validation folds; none were made".into());
            None
        }
        (None, _) => None,
    };
    Ok((learning_curve, validation_curve))
}

/// Everything the Report is assembled from.
struct Parts<'a> {
    spec: &'a Spec,
    setup: &'a Setup,
    model_spec: &'a crate::models::ModelSpec,
    fitted: &'a FittedRun,
    cv_scores: BTreeMap<String, Vec<Option<f64>>>,
    held: held_out::HeldOutScores,
    cluster_sizes: BTreeMap<String, usize>,
    learning_curve: Option<LearningCurve>,
    validation_curve: Option<ValidationCurve>,
    search: Option<crate::search::SearchReport>,
    timings: Timings,
    warnings: Vec<String>,
}

/// The Report of a run from its parts.
fn assemble(parts: Parts) -> Report {
    let Parts { spec, setup, model_spec, fitted, held, .. } = parts;
    let (task, split, folds) = (setup.labels.task, &setup.split, &setup.folds);
    let oob_score = match &fitted.model.fitted {
        crate::models::Fitted::Forest(f) => f.oob_score,
        _ => None,
    };
    let params = serde_json::to_value(model_spec)
        .ok()
        .and_then(|v| v.get("params").cloned())
        .unwrap_or(serde_json::Value::Null);
    Report {
        task,
        target: spec.target.clone(),
        classes: setup.labels.classes.clone(),
        model: model_spec.kind().name().to_string(),
        params,
        metrics: setup.metrics.clone(),
        rows: setup.table.n_rows,
        split: SplitCounts {
            train: split.train.len(),
            validation: split.validation.len(),
            test: split.test.len(),
        },
        cv_method: if folds.is_empty() {
            "none".into()
        } else {
            setup::cv_method(&spec.cv, task).name().into()
        },
        cv: parts.cv_scores.into_iter().map(|(name, folds)| (name, context::summarise(folds))).collect(),
        train: held.train,
        validation: held.validation,
        test: held.test,
        oob_score,
        features: fitted.model.features.clone(),
        importances: held.importances,
        coefficients: held.coefficients,
        permutation_importance: held.permutation_importance,
        cluster_sizes: parts.cluster_sizes,
        prep: fitted.reports.clone(),
        excluded: setup.excluded.clone(),
        timings: parts.timings,
        warnings: parts.warnings,
        evaluation: held.evaluation,
        learning_curve: parts.learning_curve,
        validation_curve: parts.validation_curve,
        search: parts.search,
    }
}
