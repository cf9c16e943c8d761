//! `run`: the one place that wires the layers together. A [`Spec`] and a [`Table`] go in; the rows are split
//! (holdout), the model is cross-validated on the training rows (the preparation steps refitted inside
//! every fold), then fitted on all training rows and scored once on the validation and test rows. The
//! [`Report`] holds everything the page shows; the fitted pipeline and model come back beside it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::data::{ColumnData, ColumnKind, Table};
use crate::error::{Error, Result};
use crate::evaluation::{evaluate, Evaluation, HeldOut};

mod learning;
mod search;

use crate::metrics::{check_metrics, default_metrics, score, Truth, GROUND_TRUTH_METRICS};
use crate::models::matrix::{mean_and_variance, Matrix};
use crate::models::params::derive_seed;
use crate::models::{features_matrix, Model, ModelSpec, Predictions, Target, Task};
use crate::prep::{fit_pipeline, FittedPipeline, StepReport, StepSpec};
use crate::progress::Progress;
use crate::rng::rng_from_seed;
use crate::spec::Spec;
use crate::split::{
    group_kfold, holdout, kfold, leave_one_out, stratified_kfold, time_series, Fold, Holdout,
};
pub use learning::{verdict, DiagnosticsSpec, LearningCurve, ValidationCurve, ValidationCurveSpec};
pub use search::{next_batch, score_trial, Batch, SearchSession};

/// Whole-number targets with at most this many distinct values are taken as classes when no task is given.
pub const MAX_AUTO_CLASSES: usize = 10;

/// A metric over the cross-validation folds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoldScores {
    /// Mean over the folds where the metric is defined.
    pub mean: Option<f64>,
    /// Population standard deviation over those folds (as numpy's `std`).
    pub std: Option<f64>,
    /// One value per fold (null where undefined, e.g. ROC AUC of a fold with one class).
    pub folds: Vec<Option<f64>>,
}

/// Built-in importance of one prepared feature.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Importance {
    /// The prepared feature's name.
    pub feature: String,
    /// Impurity decrease (trees), split gain (boosting) or |coefficient| (linear models, on the prepared
    /// scale).
    pub importance: f64,
}

/// Permutation importance of one input column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PermutationImportance {
    /// The column of the data as loaded (before preparation, so a one-hot encoded column counts once).
    pub column: String,
    /// Mean drop of the first metric when the column's values are shuffled among the scored rows.
    pub mean: f64,
    /// Standard deviation of the drop over the shuffles.
    pub std: f64,
}

/// The `importance` section of a Spec.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImportanceSpec {
    /// Compute permutation importance: true, false, or `null` (default: yes, except for models whose
    /// predictions compare every training row — knn, svm — where it would take longer than the training).
    pub permutation: Option<bool>,
    /// Shuffles per column; default 3.
    pub repeats: usize,
    /// Rows scored (evenly spaced among the test rows, else the validation rows, else the training rows);
    /// default 500.
    pub max_rows: usize,
}

impl Default for ImportanceSpec {
    fn default() -> Self {
        ImportanceSpec { permutation: None, repeats: 3, max_rows: 500 }
    }
}

/// Row counts of the holdout.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SplitCounts {
    /// Training rows (before preparation steps that remove rows).
    pub train: usize,
    /// Validation rows.
    pub validation: usize,
    /// Test rows.
    pub test: usize,
}

/// Milliseconds spent per stage (absent where the host has no clock).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Timings {
    /// Cross-validation, all folds.
    pub cv_ms: Option<f64>,
    /// Preparing the training rows and fitting the final model.
    pub fit_ms: Option<f64>,
    /// Fitting the final model alone (on the prepared feature matrix): the figure to compare with
    /// scikit-learn's `fit(X, y)`.
    pub model_ms: Option<f64>,
    /// Predicting and scoring the test rows.
    pub test_ms: Option<f64>,
    /// Predicting and scoring the training, validation and test rows, importances, the diagnostics and the
    /// learning and validation curves.
    pub evaluate_ms: Option<f64>,
    /// The whole run.
    pub total_ms: Option<f64>,
}

/// Everything a run produced, as the page and the CLI show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The task.
    pub task: Task,
    /// The target column.
    pub target: Option<String>,
    /// Class labels (classification), in the order of probability columns.
    pub classes: Vec<String>,
    /// The model kind.
    pub model: String,
    /// The model's parameters as used (defaults filled in).
    pub params: serde_json::Value,
    /// The metrics computed.
    pub metrics: Vec<String>,
    /// Rows used (rows without a target value are dropped first).
    pub rows: usize,
    /// Holdout sizes.
    pub split: SplitCounts,
    /// The cross-validation method and number of folds (0: none).
    pub cv_method: String,
    /// Per metric, the fold scores.
    pub cv: BTreeMap<String, FoldScores>,
    /// Per metric, the score on the training rows (to spot over-fitting; empty when not computed).
    pub train: BTreeMap<String, Option<f64>>,
    /// Per metric, the score on the validation rows.
    pub validation: BTreeMap<String, Option<f64>>,
    /// Per metric, the score on the test rows (used once, at the end).
    pub test: BTreeMap<String, Option<f64>>,
    /// Out-of-bag score of a forest fitted with `oob_score`.
    pub oob_score: Option<f64>,
    /// Features the model was trained on, after preparation.
    pub features: Vec<String>,
    /// Built-in importance of each prepared feature, largest first (empty for models without one).
    pub importances: Vec<Importance>,
    /// Signed coefficients of a linear model per prepared feature, largest magnitude first (empty for other
    /// models and for logistic regression of more than two classes).
    pub coefficients: Vec<Importance>,
    /// Permutation importance of each input column, largest first (empty when not computed).
    pub permutation_importance: Vec<PermutationImportance>,
    /// Clustering: rows per cluster (key "-1" is noise).
    pub cluster_sizes: BTreeMap<String, usize>,
    /// What each preparation step did to the training rows.
    pub prep: Vec<StepReport>,
    /// Time per stage.
    pub timings: Timings,
    /// Things the user should know (rows dropped, folds with one class…).
    pub warnings: Vec<String>,
    /// Diagnostics of the model on the held-out rows (curves, confusion matrix, residuals, clusters).
    pub evaluation: Evaluation,
    /// Train and validation scores as the training rows grow (when computed).
    pub learning_curve: Option<LearningCurve>,
    /// Train and validation scores as one hyperparameter varies (when the Spec asks for it).
    pub validation_curve: Option<ValidationCurve>,
    /// The hyperparameter search's leaderboard (when the Spec has a `search` section); `params` above are
    /// then the best candidate's.
    pub search: Option<crate::search::SearchReport>,
}

/// A report with the fitted pipeline and model it describes.
#[derive(Debug, Clone)]
pub struct RunOutput {
    /// The report.
    pub report: Report,
    /// The preparation steps fitted on the training rows.
    pub pipeline: FittedPipeline,
    /// The model fitted on the prepared training rows.
    pub model: Model,
}

/// A clock for timings: the host provides it (the CLI from `std::time`, the page from `performance.now()`),
/// because wasm32 has no clock of its own.
/// `Sync` so that search threads can time their trials.
pub type Clock<'a> = &'a (dyn Fn() -> f64 + Sync);

/// The target of a supervised run, for all rows of the table.
struct Labels {
    task: Task,
    classes: Vec<String>,
}

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

/// Everything a run works on before any model is fitted: the rows with a target, the holdout split, the
/// training rows' folds and the model and preparation to use. Built the same way by every worker that
/// scores search candidates.
struct Setup {
    table: Table,
    labels: Labels,
    origin: Vec<usize>,
    requested: ModelSpec,
    metrics: Vec<String>,
    steps: Vec<StepSpec>,
    /// Without a `prep` section, models that want scaled features get a standard scaler last.
    auto_scale: bool,
    target: Option<String>,
    split: Holdout,
    train_table: Table,
    folds: Vec<Fold>,
    warnings: Vec<String>,
}

impl Setup {
    fn new(table: &Table, spec: &Spec) -> Result<Setup> {
        let mut warnings = Vec::new();
        let (table, labels, origin) = resolve_target(table, spec, &mut warnings)?;
        let task = labels.task;
        let model_spec = match &spec.model {
            Some(value) => ModelSpec::from_value(value)?,
            None => ModelSpec::default_for(task),
        };
        if !model_spec.supports(task) {
            let target = spec.target.as_deref().unwrap_or("");
            return Err(Error::InvalidParam {
                name: "model.kind".into(),
                reason: format!(
                    "`{}` does not do {} (the task of target `{target}`); pick another model or set task",
                    model_spec.kind(),
                    task.name()
                ),
            });
        }
        if let ModelSpec::Svm(p) = &model_spec {
            let train_rows =
                (table.n_rows as f64 * (1.0 - spec.split.test_size - spec.split.validation_size)) as usize;
            if train_rows > p.max_samples {
                warnings.push(format!(
                    "the kernel SVM trains on a random sample of {} of the {train_rows} training rows (its cost grows with the square of the rows; raise max_samples, up to {}, or use linear_svm)",
                    p.max_samples,
                    crate::models::svm::MAX_KERNEL_ROWS
                ));
            }
        }
        let metrics = spec.metrics.clone().unwrap_or_else(|| {
            let mut names = default_metrics(task, labels.classes.len());
            if spec.ground_truth.is_some() {
                names.extend(GROUND_TRUTH_METRICS.iter().map(|m| m.to_string()));
            }
            names
        });
        check_metrics(&metrics, task)?;
        if let Some(name) = metrics.iter().find(|m| GROUND_TRUTH_METRICS.contains(&m.as_str())) {
            if spec.ground_truth.is_none() {
                return Err(Error::InvalidParam {
                    name: "metrics".into(),
                    reason: format!(
                        "`{name}` compares the clusters with known groups: name their column in ground_truth"
                    ),
                });
            }
        }
        let steps = spec.steps(&table)?;
        let target = spec.label_column().map(str::to_string);
        let class_of_row = match task {
            Task::Classification => Some(class_indices(&table, target.as_deref(), &labels.classes)?),
            _ => None,
        };
        let stratify = task == Task::Classification && spec.split.stratify.unwrap_or(true);
        let split = if task == Task::Clustering {
            Holdout { train: (0..table.n_rows).collect(), ..Holdout::default() }
        } else {
            holdout(
                table.n_rows,
                &spec.split,
                if stratify { class_of_row.as_deref() } else { None },
                spec.seed,
            )?
        };
        let train_table = table.take_rows(&split.train);
        let folds = if task == Task::Clustering {
            Vec::new()
        } else {
            make_folds(&train_table, spec, task, &labels, &mut warnings)?
        };
        Ok(Setup {
            table,
            labels,
            origin,
            requested: model_spec,
            metrics,
            steps,
            auto_scale: spec.prep.is_none(),
            target,
            split,
            train_table,
            folds,
            warnings,
        })
    }

    /// The context every fold, search candidate and curve shares; only the model varies.
    fn context<'c>(&'c self, spec: &Spec, clock: Option<Clock<'c>>) -> Context<'c> {
        Context {
            steps: &self.steps,
            auto_scale: self.auto_scale,
            target: self.target.as_deref(),
            labels: &self.labels,
            model: &self.requested,
            metrics: &self.metrics,
            seed: spec.seed,
            clock,
        }
    }
}

/// Runs `spec` on `table` as `options` say.
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
    let mut warnings = setup.warnings.clone();
    let (table, labels, origin, metrics, target) =
        (&setup.table, &setup.labels, &setup.origin, &setup.metrics, setup.target.as_deref());
    let (split, train_table, folds) = (&setup.split, &setup.train_table, &setup.folds);
    let task = labels.task;
    let requested = &setup.requested;
    let base = setup.context(spec, clock);
    let (search_report, model_spec) = match &spec.search {
        Some(search_spec) => {
            let found = search::run_search(
                &base,
                train_table,
                folds,
                search_spec,
                search::How { threads: options.threads, searched: options.searched },
                progress,
            )?;
            if let Some(why) = &found.report.stopped {
                warnings.push(format!("the search stopped early: {why}"));
            }
            let chosen = found.best.unwrap_or_else(|| {
                warnings.push("no search candidate could be scored; the model's own params were used".into());
                requested.clone()
            });
            (Some(found.report), chosen)
        }
        None => (None, requested.clone()),
    };
    let context = Context { model: &model_spec, ..base };

    let cv_started = now();
    let wants_learning_curve = !folds.is_empty() && spec.diagnostics.learning_curve;
    if spec.diagnostics.learning_curve && folds.is_empty() {
        warnings.push("the learning curve needs cross-validation folds; none were made".into());
    }
    let curve_fits = learning::planned_fits(&spec.diagnostics, wants_learning_curve, folds.len());
    let total_units = (folds.len() + 1 + curve_fits) as u64 * 1000;
    let mut cv_scores: BTreeMap<String, Vec<Option<f64>>> =
        metrics.iter().map(|m| (m.clone(), Vec::new())).collect();
    for (f, (fold_train, fold_test)) in folds.iter().enumerate() {
        let mut scoped = Scoped {
            inner: progress,
            stage: format!("cross-validation fold {} of {}", f + 1, folds.len()),
            offset: f as u64 * 1000,
            total: total_units,
        };
        let fitted = context.fit(
            &train_table.take_rows(fold_train),
            derive_seed(spec.seed, f as u64 + 1),
            &mut scoped,
        )?;
        let scores = context.evaluate(&fitted, &train_table.take_rows(fold_test), &mut scoped)?;
        for (name, value) in scores {
            cv_scores.entry(name).or_default().push(value);
        }
    }
    let cv_ms = cv_started.zip(now()).map(|(a, b)| b - a);
    let fit_started = now();
    let mut scoped = Scoped {
        inner: progress,
        stage: "training the final model".into(),
        offset: folds.len() as u64 * 1000,
        total: total_units,
    };
    let fitted = context.fit(train_table, spec.seed, &mut scoped)?;
    let fit_ms = fit_started.zip(now()).map(|(a, b)| b - a);
    let evaluate_started = now();
    let validation_table = table.take_rows(&split.validation);
    let test_table = table.take_rows(&split.test);
    let test_started = now();
    let predict =
        |rows: &[usize], table: &Table, scoped: &mut Scoped| -> Result<Option<(Prepared, Predictions)>> {
            if rows.is_empty() {
                return Ok(None);
            }
            context.predict(&fitted, table, scoped).map(Some)
        };
    let scores_of = |run: &Option<(Prepared, Predictions)>| -> Result<BTreeMap<String, Option<f64>>> {
        run.as_ref()
            .map_or_else(|| Ok(BTreeMap::new()), |(data, predictions)| context.scores(data, predictions))
    };
    let test_run = predict(&split.test, &test_table, &mut scoped)?;
    let test_scores = scores_of(&test_run)?;
    let test_ms = test_started.zip(now()).map(|(a, b)| b - a);
    let validation_run = predict(&split.validation, &validation_table, &mut scoped)?;
    let validation_scores = scores_of(&validation_run)?;
    let score_train = spec
        .train_scores
        .unwrap_or(!matches!(model_spec, ModelSpec::Knn(_) | ModelSpec::Svm(_)) || task == Task::Clustering);
    let train_run = if score_train { predict(&split.train, train_table, &mut scoped)? } else { None };
    let train_scores = scores_of(&train_run)?;
    let (held_out, held_out_rows, held_out_name) = if !split.test.is_empty() {
        (&test_table, &split.test, "test")
    } else if !split.validation.is_empty() {
        (&validation_table, &split.validation, "validation")
    } else {
        (train_table, &split.train, "training")
    };
    let held_out_run = match (test_run, validation_run, train_run) {
        (Some(run), _, _) | (None, Some(run), _) | (None, None, Some(run)) => run,
        (None, None, None) => context.predict(&fitted, held_out, &mut scoped)?,
    };
    let row_numbers: Vec<usize> =
        held_out_rows.iter().map(|&i| origin.get(i).copied().unwrap_or(i) + 1).collect();
    let (held_out_data, held_out_predictions) = &held_out_run;
    let evaluation = evaluate(
        &HeldOut {
            set: held_out_name,
            x: &held_out_data.x,
            predictions: held_out_predictions,
            values: &held_out_data.values,
            classes: &held_out_data.classes,
            class_names: &labels.classes,
            // Preparation keeps every held-out row, so predictions line up with the rows' numbers.
            row_numbers: if held_out_predictions.len() == row_numbers.len() { &row_numbers } else { &[] },
        },
        spec.seed,
    )?;
    let importances = builtin_importances(&fitted.model);
    let coefficients = coefficients(&fitted.model);
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
        context.permutation_importance(&fitted, held_out, &spec.importance, &skip, &mut scoped)?
    } else {
        Vec::new()
    };
    let curves_offset = (folds.len() + 1) as u64 * 1000;
    let mut curve_progress =
        Scoped { inner: progress, stage: String::new(), offset: curves_offset, total: total_units };
    let learning_curve = if wants_learning_curve {
        Some(learning::learning_curve(
            &context,
            train_table,
            folds,
            &spec.diagnostics.train_sizes,
            &mut curve_progress,
        )?)
    } else {
        None
    };
    let validation_curve = match (&spec.diagnostics.validation_curve, folds.is_empty()) {
        (Some(curve), false) => {
            Some(learning::validation_curve(&context, train_table, folds, curve, &mut curve_progress)?)
        }
        (Some(_), true) => {
            warnings.push("the validation curve needs cross-validation folds; none were made".into());
            None
        }
        (None, _) => None,
    };
    let cluster_sizes =
        if task == Task::Clustering { cluster_sizes(&fitted, train_table, target)? } else { BTreeMap::new() };
    for (name, values) in &cv_scores {
        if values.iter().any(Option::is_none) {
            warnings.push(format!(
                "{name} is undefined in some folds (a fold held a single class); its mean leaves them out"
            ));
        }
    }
    let evaluate_ms = evaluate_started.zip(now()).map(|(a, b)| b - a);
    let oob_score = match &fitted.model.fitted {
        crate::models::Fitted::Forest(f) => f.oob_score,
        _ => None,
    };
    let params = serde_json::to_value(&model_spec)
        .ok()
        .and_then(|v| v.get("params").cloned())
        .unwrap_or(serde_json::Value::Null);
    let report = Report {
        task,
        target: spec.target.clone(),
        classes: labels.classes.clone(),
        model: model_spec.kind(),
        params,
        metrics: metrics.clone(),
        rows: table.n_rows,
        split: SplitCounts {
            train: split.train.len(),
            validation: split.validation.len(),
            test: split.test.len(),
        },
        cv_method: if folds.is_empty() { "none".into() } else { cv_method_name(spec, task) },
        cv: cv_scores.into_iter().map(|(name, folds)| (name, summarise(folds))).collect(),
        train: train_scores,
        validation: validation_scores,
        test: test_scores,
        oob_score,
        features: fitted.model.features.clone(),
        importances,
        coefficients,
        permutation_importance,
        cluster_sizes,
        prep: fitted.reports.clone(),
        timings: Timings {
            cv_ms,
            fit_ms,
            model_ms: fitted.model_ms,
            test_ms,
            evaluate_ms,
            total_ms: started.zip(now()).map(|(a, b)| b - a),
        },
        warnings,
        evaluation,
        learning_curve,
        validation_curve,
        search: search_report,
    };
    progress.report("done", total_units, total_units);
    Ok(RunOutput { report, pipeline: fitted.pipeline, model: fitted.model })
}

/// Mean and standard deviation of the defined fold values.
fn summarise(folds: Vec<Option<f64>>) -> FoldScores {
    let values: Vec<f64> = folds.iter().flatten().copied().collect();
    if values.is_empty() {
        return FoldScores { mean: None, std: None, folds };
    }
    let (mean, variance) = mean_and_variance(&values);
    FoldScores { mean: Some(mean), std: Some(variance.sqrt()), folds }
}

/// Drops rows without a target value and decides the task and the classes; also gives each remaining row's
/// index in `table`.
fn resolve_target(
    table: &Table,
    spec: &Spec,
    warnings: &mut Vec<String>,
) -> Result<(Table, Labels, Vec<usize>)> {
    if let Some(name) = spec.ground_truth.as_deref() {
        return ground_truth_labels(table, spec, name, warnings);
    }
    let Some(name) = spec.target.as_deref() else {
        if let Some(task) = spec.task {
            if task != Task::Clustering {
                return Err(Error::InvalidParam {
                    name: "target".into(),
                    reason: format!("{} needs a target column", task.name()),
                });
            }
        }
        let origin = (0..table.n_rows).collect();
        return Ok((table.clone(), Labels { task: Task::Clustering, classes: Vec::new() }, origin));
    };
    let (table, origin) = rows_with_value(table, name, "target", warnings)?;
    let Some(column) = table.column(name) else { return Err(Error::NoData) };
    if table.n_rows == 0 {
        return Err(Error::EmptyData(format!("no row has a value in the target `{name}`")));
    }
    let distinct = distinct_labels(column);
    let task = match spec.task {
        Some(Task::Clustering) => {
            return Err(Error::InvalidParam {
                name: "task".into(),
                reason: "clustering takes no target; remove `target` from the Spec".into(),
            })
        }
        Some(task) => task,
        None => match column.kind {
            ColumnKind::Categorical | ColumnKind::Text | ColumnKind::Boolean => Task::Classification,
            ColumnKind::Integer if distinct.len() <= MAX_AUTO_CLASSES => Task::Classification,
            ColumnKind::Datetime => {
                return Err(Error::BadFeature {
                    column: name.into(),
                    reason: "is a date; a target must be a number or a class".into(),
                })
            }
            _ => Task::Regression,
        },
    };
    if task == Task::Regression && !matches!(column.data, ColumnData::Numbers { .. }) {
        return Err(Error::BadFeature {
            column: name.into(),
            reason: format!(
                "is {}, so it cannot be a regression target; use task classification",
                column.kind.name()
            ),
        });
    }
    let classes = if task == Task::Classification { distinct } else { Vec::new() };
    Ok((table, Labels { task, classes }, origin))
}

/// The rows of `table` with a value in column `name` (the `role` it plays, for the warning), and the index
/// of each in `table`.
fn rows_with_value(
    table: &Table,
    name: &str,
    role: &str,
    warnings: &mut Vec<String>,
) -> Result<(Table, Vec<usize>)> {
    let column = table.column(name).ok_or_else(|| Error::UnknownColumn {
        name: name.to_string(),
        available: crate::error::shorten(&table.names().join(", "), 300),
    })?;
    let keep: Vec<usize> = (0..table.n_rows).filter(|&i| !column.is_missing(i)).collect();
    if keep.len() == table.n_rows {
        return Ok((table.clone(), keep));
    }
    warnings.push(format!("dropped {} rows with no value in the {role} `{name}`", table.n_rows - keep.len()));
    Ok((table.take_rows(&keep), keep))
}

/// A clustering run compared with the known groups in column `name`: rows without a group are dropped.
fn ground_truth_labels(
    table: &Table,
    spec: &Spec,
    name: &str,
    warnings: &mut Vec<String>,
) -> Result<(Table, Labels, Vec<usize>)> {
    if spec.target.is_some() || spec.task.is_some_and(|t| t != Task::Clustering) {
        return Err(Error::InvalidParam {
            name: "ground_truth".into(),
            reason: "is for clustering; a supervised run is scored against its target".into(),
        });
    }
    let (table, origin) = rows_with_value(table, name, "ground truth", warnings)?;
    let classes = table.column(name).map(distinct_labels).unwrap_or_default();
    if table.n_rows == 0 {
        return Err(Error::EmptyData(format!("no row has a value in the ground truth `{name}`")));
    }
    Ok((table, Labels { task: Task::Clustering, classes }, origin))
}

/// The distinct labels of a column, sorted as scikit-learn sorts them (numbers by value, text by code point).
pub fn distinct_labels(column: &crate::data::Column) -> Vec<String> {
    match &column.data {
        ColumnData::Numbers { values, missing } => {
            let mut v: Vec<f64> = values.iter().zip(missing).filter(|(_, &m)| !m).map(|(&v, _)| v).collect();
            v.sort_by(f64::total_cmp);
            v.dedup();
            v.into_iter().map(|x| label_text(column.kind, x)).collect()
        }
        ColumnData::Strings { dictionary, codes } => {
            let mut used = vec![false; dictionary.len()];
            codes.iter().for_each(|&c| {
                if let Some(u) = used.get_mut(c as usize) {
                    *u = true;
                }
            });
            let mut labels: Vec<String> =
                dictionary.iter().zip(&used).filter(|(_, &u)| u).map(|(d, _)| d.clone()).collect();
            labels.sort();
            labels
        }
        ColumnData::Times { .. } => Vec::new(),
    }
}

fn label_text(kind: ColumnKind, v: f64) -> String {
    if kind == ColumnKind::Boolean {
        return if v != 0.0 { "true".into() } else { "false".into() };
    }
    crate::data::profile::format_number(v)
}

/// The class index of every row of `table` (whose target has no missing value) among `classes`.
pub fn class_indices(table: &Table, target: Option<&str>, classes: &[String]) -> Result<Vec<usize>> {
    let name = target.unwrap_or_default();
    let column = table
        .column(name)
        .ok_or_else(|| Error::UnknownColumn { name: name.into(), available: table.names().join(", ") })?;
    let mut out = Vec::with_capacity(table.n_rows);
    for i in 0..table.n_rows {
        let text = match &column.data {
            ColumnData::Numbers { values, .. } => values.get(i).map(|&v| label_text(column.kind, v)),
            _ => column.text_at(i).map(str::to_string),
        };
        let index = text.as_ref().and_then(|t| classes.iter().position(|c| c == t));
        match index {
            Some(c) => out.push(c),
            None => {
                return Err(Error::BadFeature {
                    column: name.into(),
                    reason: format!(
                        "row {} has the class `{}`, which the training data never showed",
                        i + 1,
                        text.unwrap_or_default()
                    ),
                })
            }
        }
    }
    Ok(out)
}

fn cv_method_name(spec: &Spec, task: Task) -> String {
    match spec.cv.method.as_deref() {
        Some(m) => m.to_string(),
        None if task == Task::Classification && spec.cv.stratify.unwrap_or(true) => "stratified".into(),
        None if spec.cv.group.is_some() => "group".into(),
        None => "kfold".into(),
    }
}

fn make_folds(
    train: &Table,
    spec: &Spec,
    task: Task,
    labels: &Labels,
    warnings: &mut Vec<String>,
) -> Result<Vec<Fold>> {
    let k = spec.cv.folds;
    if k == 0 {
        return Ok(Vec::new());
    }
    let seed = derive_seed(spec.seed, u64::MAX);
    let n = train.n_rows;
    match cv_method_name(spec, task).as_str() {
        "kfold" => kfold(n, k, spec.cv.shuffle, seed),
        "stratified" => {
            if task != Task::Classification {
                return Err(Error::InvalidParam {
                    name: "cv.method".into(),
                    reason: "stratified folds need a classification target".into(),
                });
            }
            let y = class_indices(train, spec.target.as_deref(), &labels.classes)?;
            let mut counts = vec![0usize; labels.classes.len()];
            y.iter().for_each(|&c| counts[c] += 1);
            if let Some((c, &least)) =
                counts.iter().enumerate().filter(|(_, &n)| n > 0).min_by_key(|(_, &n)| n)
            {
                if least < k {
                    warnings.push(format!(
                        "class `{}` has only {least} training rows, fewer than the {k} folds: some folds will not see it",
                        labels.classes.get(c).cloned().unwrap_or_default()
                    ));
                }
            }
            stratified_kfold(&y, k, spec.cv.shuffle, seed)
        }
        "group" => {
            let name = spec.cv.group.as_deref().ok_or_else(|| Error::InvalidParam {
                name: "cv.group".into(),
                reason: "method group needs the name of the group column in cv.group".into(),
            })?;
            let column = train.column(name).ok_or_else(|| Error::UnknownColumn {
                name: name.into(),
                available: train.names().join(", "),
            })?;
            let groups: Vec<u64> =
                (0..n).map(|i| hash_cell(&crate::data::write::cell_text(column, i))).collect();
            group_kfold(&groups, k)
        }
        "time_series" => time_series(n, k),
        "leave_one_out" => leave_one_out(n),
        other => Err(Error::InvalidParam {
            name: "cv.method".into(),
            reason: format!(
                "`{other}` is not a method; choose kfold, stratified, group, time_series or leave_one_out"
            ),
        }),
    }
}

/// A stable 64-bit hash of a cell's text (FNV-1a), to compare group values.
fn hash_cell(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Forwards a stage's progress as a share of the whole run.
struct Scoped<'a> {
    inner: &'a mut dyn Progress,
    stage: String,
    offset: u64,
    total: u64,
}

impl Progress for Scoped<'_> {
    fn report(&mut self, stage: &str, done: u64, total: u64) {
        let within = (done.min(total) * 1000).checked_div(total).unwrap_or(0);
        self.inner.report(&format!("{}: {stage}", self.stage), self.offset + within, self.total);
    }
}

/// What fitting on some rows produced.
struct FittedRun {
    pipeline: FittedPipeline,
    reports: Vec<StepReport>,
    model: Model,
    model_ms: Option<f64>,
}

/// The parts of a run every fold shares.
struct Context<'a> {
    steps: &'a [StepSpec],
    /// Append a standard scaler to `steps` when the model wants scaled features (no `prep` in the Spec).
    auto_scale: bool,
    target: Option<&'a str>,
    labels: &'a Labels,
    model: &'a ModelSpec,
    metrics: &'a [String],
    seed: u64,
    clock: Option<Clock<'a>>,
}

/// Features and target of a prepared table.
struct Prepared {
    x: Matrix,
    names: Vec<String>,
    values: Vec<f64>,
    classes: Vec<usize>,
}

impl Context<'_> {
    fn prepared(&self, table: &Table) -> Result<Prepared> {
        let (x, names) = features_matrix(table, self.target)?;
        let (mut values, mut classes) = (Vec::new(), Vec::new());
        match self.labels.task {
            Task::Regression => {
                let name = self.target.unwrap_or_default();
                values =
                    table.column(name).and_then(|c| c.numbers()).map(<[f64]>::to_vec).unwrap_or_default();
            }
            Task::Classification => classes = class_indices(table, self.target, &self.labels.classes)?,
            Task::Clustering if self.target.is_some() => {
                classes = class_indices(table, self.target, &self.labels.classes)?
            }
            Task::Clustering => {}
        }
        Ok(Prepared { x, names, values, classes })
    }

    fn target<'p>(&self, p: &'p Prepared) -> Target<'p> {
        match self.labels.task {
            Task::Regression => Target::Values(&p.values),
            Task::Classification => Target::Classes(&p.classes, self.labels.classes.len()),
            Task::Clustering => Target::None,
        }
    }

    fn truth<'p>(&self, p: &'p Prepared) -> Truth<'p> {
        match self.labels.task {
            Task::Regression => Truth::Values(&p.values),
            Task::Classification => Truth::Classes(&p.classes, self.labels.classes.len()),
            Task::Clustering => Truth::Features(&p.x, self.target.map(|_| p.classes.as_slice())),
        }
    }

    /// The preparation steps for this context's model (per model, since a search may try several kinds).
    fn steps(&self) -> std::borrow::Cow<'_, [StepSpec]> {
        if self.auto_scale && self.model.wants_scaling() {
            let mut steps = self.steps.to_vec();
            steps.push(StepSpec::StandardScale(crate::prep::scale::ScaleParams::default()));
            std::borrow::Cow::Owned(steps)
        } else {
            std::borrow::Cow::Borrowed(self.steps)
        }
    }

    fn fit(&self, train: &Table, seed: u64, progress: &mut dyn Progress) -> Result<FittedRun> {
        let prepared = fit_pipeline(&self.steps(), train, self.target)?;
        let data = self.prepared(&prepared.table)?;
        let started = self.clock.map(|c| c());
        let model =
            self.model.fit(&data.x, &data.names, self.target(&data), &self.labels.classes, seed, progress)?;
        let model_ms = started.zip(self.clock.map(|c| c())).map(|(a, b)| b - a);
        Ok(FittedRun { pipeline: prepared.pipeline, reports: prepared.reports, model, model_ms })
    }

    fn evaluate(
        &self,
        fitted: &FittedRun,
        rows: &Table,
        progress: &mut dyn Progress,
    ) -> Result<BTreeMap<String, Option<f64>>> {
        let (data, predictions) = self.predict(fitted, rows, progress)?;
        self.scores(&data, &predictions)
    }

    /// The prepared `rows` and the model's predictions for them.
    fn predict(
        &self,
        fitted: &FittedRun,
        rows: &Table,
        progress: &mut dyn Progress,
    ) -> Result<(Prepared, Predictions)> {
        let data = self.prepared(&fitted.pipeline.transform(rows)?)?;
        let predictions = training_clusters(fitted, data.x.n_rows)
            .map_or_else(|| fitted.model.predict(&data.x, progress), Ok)?;
        Ok((data, predictions))
    }

    /// Every metric of `predictions` against the prepared rows' truth.
    fn scores(&self, data: &Prepared, predictions: &Predictions) -> Result<BTreeMap<String, Option<f64>>> {
        self.metrics.iter().map(|m| Ok((m.clone(), score(m, self.truth(data), predictions)?))).collect()
    }

    /// Permutation importance of every input column on (at most `importance.max_rows` of) `rows`: each
    /// column's values are shuffled among the rows, the rows prepared again and scored.
    fn permutation_importance(
        &self,
        fitted: &FittedRun,
        rows: &Table,
        importance: &ImportanceSpec,
        skip: &[&str],
        progress: &mut dyn Progress,
    ) -> Result<Vec<PermutationImportance>> {
        let step = rows.n_rows.div_ceil(importance.max_rows.max(1)).max(1);
        let sample: Vec<usize> = (0..rows.n_rows).step_by(step).collect();
        if sample.len() < 2 || importance.repeats == 0 {
            return Ok(Vec::new());
        }
        let table = rows.take_rows(&sample);
        let metric = self.metrics.first().cloned().unwrap_or_default();
        let sign = if crate::metrics::greater_is_better(&metric) { 1.0 } else { -1.0 };
        let score_of = |table: &Table| -> Result<Option<f64>> {
            let data = self.prepared(&fitted.pipeline.transform(table)?)?;
            let predictions = fitted.model.predict(&data.x, &mut crate::progress::NoProgress)?;
            score(&metric, self.truth(&data), &predictions)
        };
        let Some(base) = score_of(&table)? else { return Ok(Vec::new()) };
        let columns: Vec<usize> = (0..table.columns.len())
            .filter(|&j| {
                let name = table.columns.get(j).map_or("", |c| c.name.as_str());
                Some(name) != self.target && !skip.contains(&name)
            })
            .collect();
        let mut rng = rng_from_seed(derive_seed(self.seed, 0xfeed));
        let mut out = Vec::with_capacity(columns.len());
        for (done, &j) in columns.iter().enumerate() {
            let mut drops = Vec::with_capacity(importance.repeats);
            for _ in 0..importance.repeats {
                let mut order: Vec<usize> = (0..table.n_rows).collect();
                rng.shuffle(&mut order);
                let mut shuffled = table.clone();
                if let (Some(slot), Some(original)) = (shuffled.columns.get_mut(j), table.columns.get(j)) {
                    *slot = original.take(&order);
                }
                if let Some(s) = score_of(&shuffled)? {
                    drops.push(sign * (base - s));
                }
            }
            if !drops.is_empty() {
                let (mean, variance) = mean_and_variance(&drops);
                let std = variance.sqrt();
                let column = table.columns.get(j).map(|c| c.name.clone()).unwrap_or_default();
                out.push(PermutationImportance { column, mean, std });
            }
            progress.report("permutation importance", done as u64 + 1, columns.len() as u64);
        }
        out.sort_by(|a, b| b.mean.total_cmp(&a.mean));
        Ok(out)
    }
}

/// The model's built-in importances by prepared feature, largest first.
fn builtin_importances(model: &Model) -> Vec<Importance> {
    ranked(model, model.importances(), f64::total_cmp)
}

/// A linear model's signed coefficients, largest magnitude first.
fn coefficients(model: &Model) -> Vec<Importance> {
    ranked(model, model.coefficients(), |a, b| a.abs().total_cmp(&b.abs()))
}

/// One value per prepared feature, named and sorted by `order`, largest first.
fn ranked(
    model: &Model,
    values: Option<Vec<f64>>,
    order: impl Fn(&f64, &f64) -> std::cmp::Ordering,
) -> Vec<Importance> {
    let Some(values) = values else { return Vec::new() };
    let mut out: Vec<Importance> = model
        .features
        .iter()
        .zip(values)
        .map(|(feature, importance)| Importance { feature: feature.clone(), importance })
        .collect();
    out.sort_by(|a, b| order(&b.importance, &a.importance));
    out
}

/// Rows per cluster of the training rows.
fn cluster_sizes(fitted: &FittedRun, train: &Table, target: Option<&str>) -> Result<BTreeMap<String, usize>> {
    let prepared = fitted.pipeline.transform(train)?;
    let (x, _) = features_matrix(&prepared, target)?;
    let mut sizes = BTreeMap::new();
    let predictions = training_clusters(fitted, x.n_rows)
        .map_or_else(|| fitted.model.predict(&x, &mut crate::progress::NoProgress), Ok)?;
    if let Predictions::Clusters(labels) = predictions {
        for l in labels {
            *sizes.entry(l.to_string()).or_insert(0) += 1;
        }
    }
    Ok(sizes)
}

/// DBSCAN's and agglomerative clustering's own labels of the training rows (clustering runs score only
/// those): labelling them again by nearest neighbour would move DBSCAN's border rows.
fn training_clusters(fitted: &FittedRun, n_rows: usize) -> Option<Predictions> {
    match &fitted.model.fitted {
        crate::models::Fitted::Labels(f)
            if f.labels.len() == n_rows && fitted.model.task == Task::Clustering =>
        {
            Some(Predictions::Clusters(f.labels.clone()))
        }
        _ => None,
    }
}

/// A fitted pipeline and model saved together: what `mlplay run --save` writes and `mlplay predict` reads.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Trained {
    /// The preparation steps.
    pub pipeline: FittedPipeline,
    /// The model.
    pub model: Model,
}

impl Trained {
    /// Bundles a pipeline and its model.
    pub fn new(pipeline: FittedPipeline, model: Model) -> Trained {
        Trained { pipeline, model }
    }

    /// As JSON.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::Json { what: "model".into(), reason: e.to_string() })
    }

    /// From JSON written by [`Trained::to_json`] (the pipeline's and model's formats are checked).
    pub fn from_json(json: &str) -> Result<Trained> {
        let value: serde_json::Value = serde_json::from_str(json)
            .map_err(|e| Error::Json { what: "model".into(), reason: e.to_string() })?;
        let part = |name: &str| value.get(name).map(serde_json::Value::to_string).unwrap_or_default();
        Ok(Trained {
            pipeline: FittedPipeline::from_json(&part("pipeline"))?,
            model: Model::from_json(&part("model"))?,
        })
    }

    /// Predictions for the rows of `table` (prepared as the training rows were).
    pub fn predict(&self, table: &Table) -> Result<Predictions> {
        let prepared = self.pipeline.transform(table)?;
        let columns: Vec<crate::data::Column> = self
            .model
            .features
            .iter()
            .map(|name| {
                prepared.column(name).cloned().ok_or_else(|| Error::UnknownColumn {
                    name: name.clone(),
                    available: crate::error::shorten(&prepared.names().join(", "), 300),
                })
            })
            .collect::<Result<_>>()?;
        let features = Table { columns, n_rows: prepared.n_rows };
        let (x, _) = features_matrix(&features, None)?;
        self.model.predict(&x, &mut crate::progress::NoProgress)
    }

    /// Predictions as CSV: a `prediction` column (class label, value or cluster) and, for classifiers, one
    /// `proba_<class>` column per class.
    pub fn predictions_csv(&self, table: &Table) -> Result<String> {
        let predictions = self.predict(table)?;
        let mut out = String::from("prediction");
        for class in &self.model.classes {
            out.push_str(&format!(",{}", csv_field(&format!("proba_{class}"))));
        }
        out.push('\n');
        match &predictions {
            Predictions::Values(v) => v.iter().for_each(|x| out.push_str(&format!("{x}\n"))),
            Predictions::Clusters(c) => c.iter().for_each(|x| out.push_str(&format!("{x}\n"))),
            Predictions::Classes { labels, proba } => {
                for (i, &l) in labels.iter().enumerate() {
                    out.push_str(&csv_field(self.model.classes.get(l).map_or("", String::as_str)));
                    for p in proba.row(i) {
                        out.push_str(&format!(",{p}"));
                    }
                    out.push('\n');
                }
            }
        }
        Ok(out)
    }
}

/// A CSV field, quoted when it holds a comma, quote or line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
