//! The fixed choices of the models' text parameters. Each model validates against these lists and the
//! catalog lists them for the page's form, so the two can never disagree.

use crate::task::Task;

/// `penalty` of logistic regression.
pub const PENALTIES: &[&str] = &["l2", "l1", "elasticnet", "none"];
/// `weights` of kNN.
pub const KNN_WEIGHTS: &[&str] = &["uniform", "distance"];
/// `metric` of kNN.
pub const KNN_METRICS: &[&str] = &["euclidean", "manhattan", "cosine"];
/// `activation` of the MLP.
pub const ACTIVATIONS: &[&str] = &["relu", "tanh", "logistic", "identity"];
/// `solver` of the MLP.
pub const SOLVERS: &[&str] = &["adam", "sgd"];
/// `linkage` of agglomerative clustering.
pub const LINKAGES: &[&str] = &["ward", "complete", "average", "single"];
/// Named `max_features` of the trees (besides a count or a share).
pub const MAX_FEATURES_NAMES: &[&str] = &["sqrt", "log2"];
/// `class_weight` of logistic regression (besides none).
pub const CLASS_WEIGHTS: &[&str] = &["balanced"];
/// Every `loss` gradient boosting accepts.
pub const BOOST_LOSSES: &[&str] = &["squared_error", "absolute_error", "log_loss"];

/// What a form may offer for one parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Choices {
    /// One of these; the parameter always has a value.
    Fixed(&'static [&'static str]),
    /// One of these, or none (the default, decided from the data); `all_share` when a share of 1.0 ("all")
    /// is a further choice (`max_features`).
    Optional(&'static [&'static str], bool),
    /// Depends on the task; none means the task's default.
    ByTask {
        /// Choices for classification.
        classification: &'static [&'static str],
        /// Choices for regression.
        regression: &'static [&'static str],
    },
}

impl Choices {
    /// The choices for `task` (for `ByTask`; the same list otherwise).
    pub fn for_task(self, task: Task) -> &'static [&'static str] {
        match self {
            Choices::Fixed(list) | Choices::Optional(list, _) => list,
            Choices::ByTask { classification, regression } => match task {
                Task::Classification => classification,
                Task::Regression => regression,
                Task::Clustering => &[],
            },
        }
    }
}

/// The choices of parameter `name` (the names mean the same in every model that has them), if it has any.
pub fn param_choices(name: &str) -> Option<Choices> {
    Some(match name {
        "penalty" => Choices::Fixed(PENALTIES),
        "weights" => Choices::Fixed(KNN_WEIGHTS),
        "metric" => Choices::Fixed(KNN_METRICS),
        "activation" => Choices::Fixed(ACTIVATIONS),
        "solver" => Choices::Fixed(SOLVERS),
        "linkage" => Choices::Fixed(LINKAGES),
        "criterion" => {
            Choices::ByTask { classification: &["gini", "entropy"], regression: &["squared_error"] }
        }
        // Classification has one loss (log_loss), the default.
        "loss" => Choices::ByTask { classification: &[], regression: &["squared_error", "absolute_error"] },
        "class_weight" => Choices::Optional(CLASS_WEIGHTS, false),
        "max_features" => Choices::Optional(MAX_FEATURES_NAMES, true),
        "bootstrap" | "early_stopping" => Choices::Optional(&["true", "false"], false),
        _ => return None,
    })
}
