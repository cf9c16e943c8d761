//! The model kinds: one enum names every model a Spec can ask for, with the tasks each serves and its
//! default parameters. It replaces a table of strings, so a kind is checked once, when the Spec is read.

use serde::{Deserialize, Deserializer, Serialize};

use super::ModelSpec;
use crate::task::Task;

/// A model kind as written in Specs and saved models (`"random_forest"`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    /// Ordinary least squares.
    LinearRegression,
    /// Least squares with an L2 penalty.
    Ridge,
    /// Least squares with an L1 penalty.
    Lasso,
    /// Least squares with L1 and L2 penalties.
    ElasticNet,
    /// Logistic regression.
    LogisticRegression,
    /// One CART tree.
    DecisionTree,
    /// Bagged trees with random feature subsets.
    RandomForest,
    /// Trees with random thresholds.
    ExtraTrees,
    /// Histogram gradient boosting.
    HistGradientBoosting,
    /// k-nearest neighbours.
    Knn,
    /// Gaussian naive Bayes.
    GaussianNb,
    /// Categorical naive Bayes.
    CategoricalNb,
    /// Linear support vector machine.
    LinearSvm,
    /// RBF-kernel support vector machine.
    Svm,
    /// Multi-layer perceptron.
    Mlp,
    /// k-means.
    Kmeans,
    /// DBSCAN.
    Dbscan,
    /// Agglomerative clustering.
    Agglomerative,
}

const CLASSIFY: &[Task] = &[Task::Classification];
const REGRESS: &[Task] = &[Task::Regression];
const BOTH: &[Task] = &[Task::Classification, Task::Regression];
const CLUSTER: &[Task] = &[Task::Clustering];

impl ModelKind {
    /// Every kind, in the order the page and the README list them.
    pub const ALL: [ModelKind; 18] = [
        ModelKind::LinearRegression,
        ModelKind::Ridge,
        ModelKind::Lasso,
        ModelKind::ElasticNet,
        ModelKind::LogisticRegression,
        ModelKind::DecisionTree,
        ModelKind::RandomForest,
        ModelKind::ExtraTrees,
        ModelKind::HistGradientBoosting,
        ModelKind::Knn,
        ModelKind::GaussianNb,
        ModelKind::CategoricalNb,
        ModelKind::LinearSvm,
        ModelKind::Svm,
        ModelKind::Mlp,
        ModelKind::Kmeans,
        ModelKind::Dbscan,
        ModelKind::Agglomerative,
    ];

    /// The name written in Specs.
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::LinearRegression => "linear_regression",
            ModelKind::Ridge => "ridge",
            ModelKind::Lasso => "lasso",
            ModelKind::ElasticNet => "elastic_net",
            ModelKind::LogisticRegression => "logistic_regression",
            ModelKind::DecisionTree => "decision_tree",
            ModelKind::RandomForest => "random_forest",
            ModelKind::ExtraTrees => "extra_trees",
            ModelKind::HistGradientBoosting => "hist_gradient_boosting",
            ModelKind::Knn => "knn",
            ModelKind::GaussianNb => "gaussian_nb",
            ModelKind::CategoricalNb => "categorical_nb",
            ModelKind::LinearSvm => "linear_svm",
            ModelKind::Svm => "svm",
            ModelKind::Mlp => "mlp",
            ModelKind::Kmeans => "kmeans",
            ModelKind::Dbscan => "dbscan",
            ModelKind::Agglomerative => "agglomerative",
        }
    }

    /// The kind in words, for the page's model list.
    pub fn label(self) -> &'static str {
        match self {
            ModelKind::LinearRegression => "linear regression (least squares)",
            ModelKind::Ridge => "ridge regression",
            ModelKind::Lasso => "lasso",
            ModelKind::ElasticNet => "elastic net",
            ModelKind::LogisticRegression => "logistic regression",
            ModelKind::DecisionTree => "decision tree",
            ModelKind::RandomForest => "random forest",
            ModelKind::ExtraTrees => "extra trees",
            ModelKind::HistGradientBoosting => "gradient boosting (histogram)",
            ModelKind::Knn => "k-nearest neighbours",
            ModelKind::GaussianNb => "Gaussian naive Bayes",
            ModelKind::CategoricalNb => "categorical naive Bayes",
            ModelKind::LinearSvm => "linear SVM",
            ModelKind::Svm => "SVM (RBF kernel)",
            ModelKind::Mlp => "neural network (MLP)",
            ModelKind::Kmeans => "k-means",
            ModelKind::Dbscan => "DBSCAN",
            ModelKind::Agglomerative => "agglomerative clustering",
        }
    }

    /// The kind written `name`, if there is one.
    pub fn from_name(name: &str) -> Option<ModelKind> {
        ModelKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The tasks this kind serves: trees, kNN, the MLP and the linear SVM both classify and regress.
    pub fn tasks(self) -> &'static [Task] {
        match self {
            ModelKind::LinearRegression | ModelKind::Ridge | ModelKind::Lasso | ModelKind::ElasticNet => {
                REGRESS
            }
            ModelKind::LogisticRegression
            | ModelKind::GaussianNb
            | ModelKind::CategoricalNb
            | ModelKind::Svm => CLASSIFY,
            ModelKind::Kmeans | ModelKind::Dbscan | ModelKind::Agglomerative => CLUSTER,
            ModelKind::DecisionTree
            | ModelKind::RandomForest
            | ModelKind::ExtraTrees
            | ModelKind::HistGradientBoosting
            | ModelKind::Knn
            | ModelKind::LinearSvm
            | ModelKind::Mlp => BOTH,
        }
    }

    /// Whether this kind can do `task`.
    pub fn does(self, task: Task) -> bool {
        self.tasks().contains(&task)
    }

    /// The kinds that do `task`, by name, comma separated (for messages).
    pub fn names_for(task: Task) -> String {
        ModelKind::ALL
            .into_iter()
            .filter(|k| k.does(task))
            .map(ModelKind::name)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The names of this kind's parameters, in the order its params are written.
    pub fn param_names(self) -> Vec<String> {
        serde_json::to_value(self.defaults())
            .ok()
            .and_then(|v| {
                v.get("params").and_then(serde_json::Value::as_object).map(|m| m.keys().cloned().collect())
            })
            .unwrap_or_default()
    }

    /// This kind with its default parameters (scikit-learn's).
    pub fn defaults(self) -> ModelSpec {
        use super::*;
        match self {
            ModelKind::LinearRegression => ModelSpec::LinearRegression(Default::default()),
            ModelKind::Ridge => ModelSpec::Ridge(Default::default()),
            ModelKind::Lasso => ModelSpec::Lasso(Default::default()),
            ModelKind::ElasticNet => ModelSpec::ElasticNet(Default::default()),
            ModelKind::LogisticRegression => ModelSpec::LogisticRegression(Default::default()),
            ModelKind::DecisionTree => ModelSpec::DecisionTree(Default::default()),
            ModelKind::RandomForest => ModelSpec::RandomForest(Default::default()),
            ModelKind::ExtraTrees => ModelSpec::ExtraTrees(Default::default()),
            ModelKind::HistGradientBoosting => ModelSpec::HistGradientBoosting(Default::default()),
            ModelKind::Knn => ModelSpec::Knn(knn::KnnParams::default()),
            ModelKind::GaussianNb => ModelSpec::GaussianNb(Default::default()),
            ModelKind::CategoricalNb => ModelSpec::CategoricalNb(Default::default()),
            ModelKind::LinearSvm => ModelSpec::LinearSvm(Default::default()),
            ModelKind::Svm => ModelSpec::Svm(Default::default()),
            ModelKind::Mlp => ModelSpec::Mlp(Default::default()),
            ModelKind::Kmeans => ModelSpec::Kmeans(Default::default()),
            ModelKind::Dbscan => ModelSpec::Dbscan(Default::default()),
            ModelKind::Agglomerative => ModelSpec::Agglomerative(Default::default()),
        }
    }
}

impl std::fmt::Display for ModelKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Read from its name, refusing an unknown one with the list of kinds (serde's own message would list them
/// with backticks and call them variants).
impl<'de> Deserialize<'de> for ModelKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        ModelKind::from_name(&name).ok_or_else(|| {
            let known: Vec<&str> = ModelKind::ALL.into_iter().map(ModelKind::name).collect();
            let named = if name.is_empty() {
                "is empty".to_string()
            } else {
                format!("`{}` is not a model", crate::error::shorten(&name, 40))
            };
            serde::de::Error::custom(format!("{named}; choose one of {}", known.join(", ")))
        })
    }
}
