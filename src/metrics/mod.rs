//! Scoring predictions by name, with scikit-learn's scorer names (`accuracy`, `f1_macro`, `roc_auc`, `r2`,
//! `neg_mean_squared_error`…). Plain error names (`mean_squared_error`) are accepted too and reported as
//! positive numbers.

pub mod classification;
pub mod clustering;
pub mod curves;
pub mod regression;

use crate::error::{Error, Result};
use crate::numeric::MatrixView;
use crate::task::{Predictions, Task};

use self::classification::{Average, OneVsRest};

/// Metric names for classification.
pub const CLASSIFICATION_METRICS: &[&str] = &[
    "accuracy",
    "balanced_accuracy",
    "f1",
    "f1_macro",
    "f1_weighted",
    "precision",
    "precision_macro",
    "recall",
    "recall_macro",
    "roc_auc",
    "roc_auc_ovr",
    "roc_auc_ovr_weighted",
    "average_precision",
    "log_loss",
    "neg_log_loss",
    "precision_weighted",
    "recall_weighted",
    "precision_micro",
    "recall_micro",
    "f1_micro",
    "matthews_corrcoef",
    "cohen_kappa",
    "brier_score_loss",
    "neg_brier_score",
];

/// Metric names for regression.
pub const REGRESSION_METRICS: &[&str] = &[
    "r2",
    "explained_variance",
    "mean_squared_error",
    "root_mean_squared_error",
    "mean_absolute_error",
    "median_absolute_error",
    "mean_absolute_percentage_error",
    "max_error",
    "neg_mean_squared_error",
    "neg_root_mean_squared_error",
    "neg_mean_absolute_error",
    "neg_median_absolute_error",
    "neg_mean_absolute_percentage_error",
    "neg_max_error",
];

/// Metric names for clustering.
pub const CLUSTERING_METRICS: &[&str] = &[
    "silhouette",
    "calinski_harabasz",
    "davies_bouldin",
    "inertia",
    "n_clusters",
    "noise_share",
    "adjusted_rand_score",
    "adjusted_mutual_info_score",
];

/// Clustering metrics that compare the clusters with known groups (the Spec's `ground_truth` column).
pub const GROUND_TRUTH_METRICS: &[&str] = &["adjusted_rand_score", "adjusted_mutual_info_score"];

/// The metrics reported when a Spec names none: accuracy, F1 (binary or macro) and ROC AUC; R², RMSE and
/// MAE; silhouette, Calinski–Harabasz, Davies–Bouldin and the number of clusters.
pub fn default_metrics(task: Task, n_classes: usize) -> Vec<String> {
    let names: &[&str] = match task {
        Task::Classification if n_classes <= 2 => &["accuracy", "f1", "roc_auc"],
        Task::Classification => &["accuracy", "f1_macro", "roc_auc"],
        Task::Regression => &["r2", "root_mean_squared_error", "mean_absolute_error"],
        Task::Clustering => &["silhouette", "calinski_harabasz", "davies_bouldin", "n_clusters"],
    };
    names.iter().map(|s| s.to_string()).collect()
}

/// Checks that every name is a metric of `task`.
pub fn check_metrics(names: &[String], task: Task) -> Result<()> {
    let known = match task {
        Task::Classification => CLASSIFICATION_METRICS,
        Task::Regression => REGRESSION_METRICS,
        Task::Clustering => CLUSTERING_METRICS,
    };
    for name in names {
        if !known.contains(&name.as_str()) {
            return Err(Error::Spec {
                path: "metrics".into(),
                reason: format!("`{name}` is not a {} metric; choose from {}", task.name(), known.join(", ")),
            });
        }
    }
    Ok(())
}

/// Whether a larger value of the metric is better (false for errors and losses).
pub fn greater_is_better(name: &str) -> bool {
    !matches!(
        name,
        "mean_squared_error"
            | "root_mean_squared_error"
            | "mean_absolute_error"
            | "median_absolute_error"
            | "mean_absolute_percentage_error"
            | "max_error"
            | "log_loss"
            | "brier_score_loss"
            | "davies_bouldin"
            | "inertia"
    )
}

/// The true targets being scored against.
#[derive(Debug, Clone, Copy)]
pub enum Truth<'a> {
    /// Numbers.
    Values(&'a [f64]),
    /// Class indices and the number of classes.
    Classes(&'a [usize], usize),
    /// Clustering: the features the clusters were found in, and each row's known group when the Spec names a
    /// `ground_truth` column.
    Features(MatrixView<'a>, Option<&'a [usize]>),
}

/// The metric `name` of `predictions` against `truth`; None when undefined (ROC AUC with one class present,
/// silhouette of a single cluster).
pub fn score(name: &str, truth: Truth, predictions: &Predictions) -> Result<Option<f64>> {
    let mismatch = || Error::Spec {
        path: "metrics".into(),
        reason: format!("`{name}` does not apply to these predictions"),
    };
    Ok(match (truth, predictions) {
        (Truth::Classes(y, k), Predictions::Classes { labels, proba }) => {
            let average = if k <= 2 { Average::Binary } else { Average::Macro };
            match name {
                "accuracy" => Some(classification::accuracy(y, labels)),
                "balanced_accuracy" => Some(classification::balanced_accuracy(y, labels, k)),
                "f1" => Some(classification::precision_recall_f1(y, labels, k, average).2),
                "f1_macro" => Some(classification::precision_recall_f1(y, labels, k, Average::Macro).2),
                "f1_weighted" => Some(classification::precision_recall_f1(y, labels, k, Average::Weighted).2),
                "precision" => Some(classification::precision_recall_f1(y, labels, k, average).0),
                "precision_macro" => {
                    Some(classification::precision_recall_f1(y, labels, k, Average::Macro).0)
                }
                "recall" => Some(classification::precision_recall_f1(y, labels, k, average).1),
                "recall_macro" => Some(classification::precision_recall_f1(y, labels, k, Average::Macro).1),
                "precision_weighted" => {
                    Some(classification::precision_recall_f1(y, labels, k, Average::Weighted).0)
                }
                "recall_weighted" => {
                    Some(classification::precision_recall_f1(y, labels, k, Average::Weighted).1)
                }
                // With one label per row, micro-averaged precision, recall and F1 all equal the accuracy.
                "precision_micro" | "recall_micro" | "f1_micro" => Some(classification::accuracy(y, labels)),
                "matthews_corrcoef" => Some(classification::matthews_corrcoef(y, labels, k)),
                "cohen_kappa" => classification::cohen_kappa(y, labels, k),
                "brier_score_loss" => Some(classification::brier_score(y, proba.view())),
                "neg_brier_score" => Some(-classification::brier_score(y, proba.view())),
                "roc_auc" | "roc_auc_ovr" => classification::roc_auc(y, proba.view(), OneVsRest::Macro),
                "roc_auc_ovr_weighted" => classification::roc_auc(y, proba.view(), OneVsRest::Weighted),
                "average_precision" => classification::average_precision(y, proba.view(), OneVsRest::Macro),
                "log_loss" => Some(classification::log_loss(y, proba.view())),
                "neg_log_loss" => Some(-classification::log_loss(y, proba.view())),
                _ => return Err(mismatch()),
            }
        }
        (Truth::Values(y), Predictions::Values(p)) => match regression::by_name(name, y, p) {
            Some(value) => Some(value),
            None => return Err(mismatch()),
        },
        (Truth::Features(x, groups), Predictions::Clusters(labels)) => match name {
            "silhouette" => clustering::silhouette(x.view(), labels),
            "calinski_harabasz" => clustering::calinski_harabasz(x.view(), labels),
            "davies_bouldin" => clustering::davies_bouldin(x.view(), labels),
            "inertia" => Some(clustering::inertia(x.view(), labels)),
            "adjusted_rand_score" => groups.map(|g| clustering::adjusted_rand(g, labels)),
            "adjusted_mutual_info_score" => groups.map(|g| clustering::adjusted_mutual_info(g, labels)),
            "n_clusters" => Some(clustering::n_clusters(labels) as f64),
            "noise_share" => {
                Some(labels.iter().filter(|&&l| l < 0).count() as f64 / labels.len().max(1) as f64)
            }
            _ => return Err(mismatch()),
        },
        _ => return Err(mismatch()),
    })
}
