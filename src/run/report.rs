//! The Report: everything a run produced, as plain data that the charts, the CLI, the page and the tests read.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::evaluation::Evaluation;
use crate::models::Model;
use crate::prep::{FittedPipeline, StepReport};
use crate::task::Task;

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
    /// Columns the automatic preparation left out, with their reasons (a Spec's `keep` brings one back).
    pub excluded: Vec<crate::prep::exclude::Excluded>,
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

/// Train and validation scores as the training rows grow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LearningCurve {
    /// The metric (the run's first).
    pub metric: String,
    /// Training rows at each point.
    pub sizes: Vec<usize>,
    /// Score on the rows trained on, over the folds.
    pub train: Vec<FoldScores>,
    /// Score on each fold's held-out rows.
    pub validation: Vec<FoldScores>,
    /// Over- or under-fitting in plain words, when the scores say so.
    pub verdict: Option<String>,
}

/// Train and validation scores as one hyperparameter varies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidationCurve {
    /// The metric (the run's first).
    pub metric: String,
    /// The hyperparameter.
    pub param: String,
    /// Its values.
    pub values: Vec<serde_json::Value>,
    /// Score on the rows trained on, over the folds.
    pub train: Vec<FoldScores>,
    /// Score on each fold's held-out rows.
    pub validation: Vec<FoldScores>,
}
