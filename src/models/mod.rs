//! Models: one name → parameters → fit → a fitted [`Model`] that predicts, serialises and reports
//! importances. Every model follows the same contract (DESIGN.md): parameters are plain serde data with
//! scikit-learn's names and defaults, validated when fitting; the fitted model is a different type; all
//! randomness comes from the seed passed to [`ModelSpec::fit`].

pub mod bayes;
pub mod cluster;
pub mod kmeans;
pub mod knn;
pub mod linear;
pub mod logistic;
pub mod mathfn;
pub mod mlp;
pub mod optim;
pub mod params;
pub mod svm;
pub mod tree;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::numeric::{check_finite, Matrix, MatrixView, RowMajor, RowMajorMut};
use crate::progress::Progress;

pub use crate::data::features_matrix;
pub use crate::task::{Predictions, Task};

/// Version of the fitted-model JSON format.
pub const MODEL_FORMAT: u32 = 1;

/// A model and its parameters, as written in a Spec: `{"kind": "random_forest", "params": {...}}`.
/// Kinds that serve several tasks (trees, kNN, MLP, linear SVM) become a classifier or a regressor by task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "params", rename_all = "snake_case")]
pub enum ModelSpec {
    /// Ordinary least squares (regression).
    LinearRegression(linear::LinearParams),
    /// Least squares with an L2 penalty (regression).
    Ridge(linear::RidgeParams),
    /// Least squares with an L1 penalty (regression).
    Lasso(linear::ElasticNetParams),
    /// Least squares with L1 and L2 penalties (regression).
    ElasticNet(linear::ElasticNetParams),
    /// Logistic regression (classification).
    LogisticRegression(logistic::LogisticParams),
    /// One CART tree (classification or regression).
    DecisionTree(tree::DecisionTreeParams),
    /// Bagged trees with random feature subsets (classification or regression).
    RandomForest(tree::ForestParams),
    /// Trees with random thresholds (classification or regression).
    ExtraTrees(tree::ForestParams),
    /// Histogram gradient boosting (classification or regression).
    HistGradientBoosting(tree::boost::BoostParams),
    /// k-nearest neighbours (classification or regression).
    Knn(knn::KnnParams),
    /// Gaussian naive Bayes (classification).
    GaussianNb(bayes::GaussianNbParams),
    /// Categorical naive Bayes (classification).
    CategoricalNb(bayes::CategoricalNbParams),
    /// Linear support vector machine (classification or regression).
    LinearSvm(svm::LinearSvmParams),
    /// RBF-kernel support vector machine (classification).
    Svm(svm::KernelSvmParams),
    /// Multi-layer perceptron (classification or regression).
    Mlp(mlp::MlpParams),
    /// k-means (clustering).
    Kmeans(kmeans::KMeansParams),
    /// DBSCAN (clustering).
    Dbscan(cluster::DbscanParams),
    /// Agglomerative clustering (clustering).
    Agglomerative(cluster::AgglomerativeParams),
}

/// Every model kind, with the tasks it serves (for the page's model list and the README).
pub const MODEL_KINDS: &[(&str, &[Task])] = &[
    ("linear_regression", &[Task::Regression]),
    ("ridge", &[Task::Regression]),
    ("lasso", &[Task::Regression]),
    ("elastic_net", &[Task::Regression]),
    ("logistic_regression", &[Task::Classification]),
    ("decision_tree", &[Task::Classification, Task::Regression]),
    ("random_forest", &[Task::Classification, Task::Regression]),
    ("extra_trees", &[Task::Classification, Task::Regression]),
    ("hist_gradient_boosting", &[Task::Classification, Task::Regression]),
    ("knn", &[Task::Classification, Task::Regression]),
    ("gaussian_nb", &[Task::Classification]),
    ("categorical_nb", &[Task::Classification]),
    ("linear_svm", &[Task::Classification, Task::Regression]),
    ("svm", &[Task::Classification]),
    ("mlp", &[Task::Classification, Task::Regression]),
    ("kmeans", &[Task::Clustering]),
    ("dbscan", &[Task::Clustering]),
    ("agglomerative", &[Task::Clustering]),
];

/// One model kind as the page lists it: its name, tasks and default parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CatalogEntry {
    /// The kind, as written in Specs.
    pub kind: String,
    /// Tasks it serves.
    pub tasks: Vec<Task>,
    /// Its parameters with their defaults (null: decided from the data, e.g. `max_features`).
    pub params: serde_json::Value,
    /// Whether it is sensitive to feature scales (automatic preparation then standardises numbers).
    pub wants_scaling: bool,
}

/// Every model kind with its tasks and default parameters.
pub fn catalog() -> Vec<CatalogEntry> {
    MODEL_KINDS
        .iter()
        .map(|(kind, tasks)| {
            let spec = ModelSpec::from_value(&serde_json::json!({ "kind": kind })).ok();
            let params = spec
                .as_ref()
                .and_then(|spec| serde_json::to_value(spec).ok())
                .and_then(|v| v.get("params").cloned())
                .unwrap_or(serde_json::Value::Null);
            let wants_scaling = spec.as_ref().is_some_and(ModelSpec::wants_scaling);
            CatalogEntry { kind: kind.to_string(), tasks: tasks.to_vec(), params, wants_scaling }
        })
        .collect()
}

/// The target a model is fitted to.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// Numbers (regression).
    Values(&'a [f64]),
    /// Class indices 0..n_classes (classification).
    Classes(&'a [usize], usize),
    /// No target (clustering).
    None,
}

/// A fitted model of any kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "family", rename_all = "snake_case")]
pub enum Fitted {
    /// Linear regression of any penalty.
    Linear(linear::FittedLinear),
    /// Logistic regression.
    Logistic(logistic::FittedLogistic),
    /// Trees and forests.
    Forest(tree::FittedForest),
    /// Gradient boosting.
    Boost(tree::boost::FittedBoost),
    /// k-nearest neighbours.
    Knn(knn::FittedKnn),
    /// Gaussian naive Bayes.
    GaussianNb(bayes::FittedGaussianNb),
    /// Categorical naive Bayes.
    CategoricalNb(bayes::FittedCategoricalNb),
    /// Support vector machines.
    Svm(svm::FittedSvm),
    /// Neural network.
    Mlp(mlp::FittedMlp),
    /// k-means.
    Kmeans(kmeans::FittedKMeans),
    /// DBSCAN or agglomerative clustering.
    Labels(cluster::FittedLabels),
}

/// A trained model: what it was trained for and on, and the fitted parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// [`MODEL_FORMAT`].
    pub format: u32,
    /// The model kind (`random_forest`, …).
    pub kind: String,
    /// The task.
    pub task: Task,
    /// Feature names, in the order the model expects them.
    pub features: Vec<String>,
    /// Class labels (classification), in the order of probability columns.
    pub classes: Vec<String>,
    /// The fitted parameters.
    pub fitted: Fitted,
}

impl ModelSpec {
    /// The kind's name as written in Specs.
    pub fn kind(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string))
            .unwrap_or_default()
    }

    /// This model with the hyperparameters in `changes` set (validated as any params are); `origin` names
    /// the Spec key the changes come from, for the error when one is not a parameter of this model. A
    /// `kind` among the changes switches to that model (from its defaults, unless it is this model's kind).
    pub fn with_params(
        &self,
        changes: &serde_json::Map<String, serde_json::Value>,
        origin: &str,
    ) -> Result<ModelSpec> {
        // A search over several model families names the kind among the parameters: another kind starts
        // from its own defaults.
        if let Some(kind) = changes.get("kind") {
            let kind = kind.as_str().ok_or_else(|| Error::InvalidParam {
                name: origin.into(),
                reason: format!("`kind` names a model, such as \"knn\", not {kind}"),
            })?;
            let base = if kind == self.kind() {
                self.clone()
            } else {
                ModelSpec::from_value(&serde_json::json!({ "kind": kind }))?
            };
            let rest: serde_json::Map<String, serde_json::Value> = changes
                .iter()
                .filter(|(k, _)| k.as_str() != "kind")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            return if rest.is_empty() { Ok(base) } else { base.with_params(&rest, origin) };
        }
        let mut value = serde_json::to_value(self)
            .map_err(|e| Error::Json { what: "model".into(), reason: e.to_string() })?;
        let kind = self.kind();
        let Some(params) = value.get_mut("params").and_then(serde_json::Value::as_object_mut) else {
            return Err(Error::InvalidParam {
                name: origin.into(),
                reason: format!("{kind} has no parameters"),
            });
        };
        for (name, v) in changes {
            if !params.contains_key(name) {
                return Err(Error::InvalidParam {
                    name: origin.into(),
                    reason: format!("`{name}` is not a parameter of {kind}"),
                });
            }
            params.insert(name.clone(), v.clone());
        }
        ModelSpec::from_value(&value)
    }

    /// Reads `{"kind": ..., "params": {...}}` (params optional), with messages naming the unknown kind or
    /// parameter.
    pub fn from_value(value: &serde_json::Value) -> Result<ModelSpec> {
        let kind = value.get("kind").and_then(|k| k.as_str()).unwrap_or_default();
        if !MODEL_KINDS.iter().any(|(k, _)| *k == kind) {
            let known: Vec<&str> = MODEL_KINDS.iter().map(|(k, _)| *k).collect();
            return Err(Error::InvalidParam {
                name: "model.kind".into(),
                reason: format!("`{kind}` is not a model; choose one of {}", known.join(", ")),
            });
        }
        let params = value.get("params").cloned().unwrap_or_else(|| serde_json::json!({}));
        serde_json::from_value(serde_json::json!({ "kind": kind, "params": params })).map_err(|e| {
            Error::InvalidParam { name: format!("model.params ({kind})"), reason: e.to_string() }
        })
    }

    /// The default model of a task: random forest for classification and regression, k-means for
    /// clustering.
    pub fn default_for(task: Task) -> ModelSpec {
        match task {
            Task::Clustering => ModelSpec::Kmeans(kmeans::KMeansParams::default()),
            _ => ModelSpec::RandomForest(tree::ForestParams::default()),
        }
    }

    /// Whether this kind can do `task`.
    pub fn supports(&self, task: Task) -> bool {
        let kind = self.kind();
        MODEL_KINDS.iter().any(|(k, tasks)| *k == kind && tasks.contains(&task))
    }

    /// Whether the model is sensitive to feature scales (linear models, kNN, SVMs, MLP), so that automatic
    /// preparation standardises numbers for it.
    pub fn wants_scaling(&self) -> bool {
        !matches!(
            self,
            ModelSpec::DecisionTree(_)
                | ModelSpec::RandomForest(_)
                | ModelSpec::ExtraTrees(_)
                | ModelSpec::HistGradientBoosting(_)
                | ModelSpec::GaussianNb(_)
                | ModelSpec::CategoricalNb(_)
        )
    }

    /// Fits the model on features `x` (named `features`) and `target`. `classes` names the class indices.
    /// `x` is any ndarray view (`array.view()`), in any memory layout.
    pub fn fit(
        &self,
        x: MatrixView<'_>,
        features: &[String],
        target: Target,
        classes: &[String],
        seed: u64,
        progress: &mut dyn Progress,
    ) -> Result<Model> {
        // Kernels read contiguous rows: a view in another layout (a transpose, a column slice of the caller's
        // array) is copied into row-major order first; one already in it is used as it is.
        let x = x.as_standard_layout();
        let x = x.view();
        let task = match target {
            Target::Values(_) => Task::Regression,
            Target::Classes(..) => Task::Classification,
            Target::None => Task::Clustering,
        };
        check_training_data(self, x, features, target, classes, task)?;
        let fitted = self.fit_fitted(x, target, seed, progress)?;
        Ok(Model {
            format: MODEL_FORMAT,
            kind: self.kind(),
            task,
            features: features.to_vec(),
            classes: classes.to_vec(),
            fitted,
        })
    }

    fn fit_fitted(
        &self,
        x: MatrixView<'_>,
        target: Target,
        seed: u64,
        progress: &mut dyn Progress,
    ) -> Result<Fitted> {
        use tree::Supervision;
        let (values, classes, k): (&[f64], &[usize], usize) = match target {
            Target::Values(v) => (v, &[], 0),
            Target::Classes(y, k) => (&[], y, k),
            Target::None => (&[], &[], 0),
        };
        let supervision = if k > 0 { Supervision::Classes(classes, k) } else { Supervision::Values(values) };
        Ok(match self {
            ModelSpec::LinearRegression(p) => Fitted::Linear(p.fit(x, values)?),
            ModelSpec::Ridge(p) => Fitted::Linear(p.fit(x, values)?),
            ModelSpec::Lasso(p) => {
                Fitted::Linear(linear::ElasticNetParams { l1_ratio: 1.0, ..p.clone() }.fit(x, values)?)
            }
            ModelSpec::ElasticNet(p) => Fitted::Linear(p.fit(x, values)?),
            ModelSpec::LogisticRegression(p) => Fitted::Logistic(p.fit(x, classes, k)?),
            ModelSpec::DecisionTree(p) => Fitted::Forest(p.fit(x, supervision, seed)?),
            ModelSpec::RandomForest(p) => {
                Fitted::Forest(p.fit_forest(x, supervision, seed, false, progress)?)
            }
            ModelSpec::ExtraTrees(p) => Fitted::Forest(p.fit_forest(x, supervision, seed, true, progress)?),
            ModelSpec::HistGradientBoosting(p) => {
                let target = if k > 0 {
                    tree::boost::BoostTarget::Classes(classes, k)
                } else {
                    tree::boost::BoostTarget::Values(values)
                };
                Fitted::Boost(p.fit(x, target, seed, progress)?)
            }
            ModelSpec::Knn(p) => {
                let targets = if k > 0 {
                    knn::KnnTargets::Classes { y: classes.to_vec(), n_classes: k }
                } else {
                    knn::KnnTargets::Values(values.to_vec())
                };
                Fitted::Knn(p.fit(x, targets)?)
            }
            ModelSpec::GaussianNb(p) => Fitted::GaussianNb(p.fit(x, classes, k)?),
            ModelSpec::CategoricalNb(p) => Fitted::CategoricalNb(p.fit(x, classes, k)?),
            ModelSpec::LinearSvm(p) => Fitted::Svm(if k > 0 {
                p.fit_classifier(x, classes, k, seed)?
            } else {
                p.fit_regressor(x, values, seed)?
            }),
            ModelSpec::Svm(p) => Fitted::Svm(p.fit_classifier(x, classes, k, seed, progress)?),
            ModelSpec::Mlp(p) => {
                let (y, output) = if k > 2 {
                    let mut y = Matrix::zeros((classes.len(), k));
                    for (i, &c) in classes.iter().enumerate() {
                        if let Some(v) = y.row_slice_mut(i).get_mut(c) {
                            *v = 1.0;
                        }
                    }
                    (y, mlp::MlpOutput::Softmax)
                } else if k > 0 {
                    (
                        crate::numeric::from_parts(
                            classes.len(),
                            1,
                            classes.iter().map(|&c| c as f64).collect(),
                        ),
                        mlp::MlpOutput::Logistic,
                    )
                } else {
                    (crate::numeric::from_parts(values.len(), 1, values.to_vec()), mlp::MlpOutput::Identity)
                };
                Fitted::Mlp(p.fit(x, y.view(), output, seed, progress)?)
            }
            ModelSpec::Kmeans(p) => Fitted::Kmeans(p.fit(x, seed, progress)?),
            ModelSpec::Dbscan(p) => Fitted::Labels(p.fit(x, progress)?),
            ModelSpec::Agglomerative(p) => Fitted::Labels(p.fit(x, progress)?),
        })
    }
}

/// The checks every model shares: rows present, finite values, matching lengths, two classes at least.
fn check_training_data(
    spec: &ModelSpec,
    x: MatrixView<'_>,
    features: &[String],
    target: Target,
    classes: &[String],
    task: Task,
) -> Result<()> {
    if !spec.supports(task) {
        let kind = spec.kind();
        let fits: Vec<&str> =
            MODEL_KINDS.iter().filter(|(_, t)| t.contains(&task)).map(|(k, _)| *k).collect();
        return Err(Error::InvalidParam {
            name: "model.kind".into(),
            reason: format!("`{kind}` does not do {}; models that do: {}", task.name(), fits.join(", ")),
        });
    }
    if x.nrows() == 0 {
        return Err(Error::EmptyData("there are no training rows".into()));
    }
    if x.ncols() == 0 {
        return Err(Error::EmptyData("there are no feature columns left to learn from".into()));
    }
    check_finite(x, Some(features))?;
    match target {
        Target::Values(v) => {
            if v.len() != x.nrows() {
                return Err(Error::Shape { what: "target values".into(), expected: x.nrows(), got: v.len() });
            }
            if let Some(i) = v.iter().position(|t| !t.is_finite()) {
                return Err(Error::BadFeature {
                    column: "target".into(),
                    reason: format!("has a missing or infinite value (row {})", i + 1),
                });
            }
        }
        Target::Classes(y, k) => {
            if y.len() != x.nrows() {
                return Err(Error::Shape {
                    what: "target classes".into(),
                    expected: x.nrows(),
                    got: y.len(),
                });
            }
            let first = y.first().copied().unwrap_or(0);
            if k < 2 || y.iter().all(|&c| c == first) {
                return Err(Error::SingleClass {
                    target: "target".into(),
                    class: classes.get(first).cloned().unwrap_or_default(),
                });
            }
            if y.iter().any(|&c| c >= k) {
                return Err(Error::Shape {
                    what: "class index".into(),
                    expected: k,
                    got: y.iter().copied().max().unwrap_or(0),
                });
            }
        }
        Target::None => {}
    }
    Ok(())
}

impl Model {
    /// Predicts for the rows of `x`, which must have the training features in the same order.
    pub fn predict(&self, x: MatrixView<'_>, progress: &mut dyn Progress) -> Result<Predictions> {
        // As in `fit`: rows must be contiguous for the kernels.
        let x = x.as_standard_layout();
        let x = x.view();
        if x.ncols() != self.features.len() {
            return Err(Error::Shape {
                what: "features".into(),
                expected: self.features.len(),
                got: x.ncols(),
            });
        }
        check_finite(x, Some(&self.features))?;
        let classes = |proba: Matrix| Predictions::Classes { labels: proba.argmax_rows(), proba };
        let values = |m: Matrix| Predictions::Values(crate::numeric::matrix::into_values(m));
        let classify = self.task == Task::Classification;
        Ok(match &self.fitted {
            Fitted::Linear(f) => Predictions::Values(f.predict(x)),
            Fitted::Logistic(f) => classes(f.predict_proba(x)),
            Fitted::Forest(f) if classify => classes(f.predict_matrix(x)),
            Fitted::Forest(f) => values(f.predict_matrix(x)),
            Fitted::Boost(f) if classify => classes(f.predict_matrix(x)),
            Fitted::Boost(f) => values(f.predict_matrix(x)),
            Fitted::Knn(f) if classify => classes(f.predict_proba(x, progress)),
            Fitted::Knn(f) => values(f.predict_proba(x, progress)),
            Fitted::GaussianNb(f) => classes(f.predict_proba(x)),
            Fitted::CategoricalNb(f) => classes(f.predict_proba(x)),
            Fitted::Svm(f) => match f.predict(x) {
                (Some(labels), proba) => Predictions::Classes { labels, proba },
                (None, m) => values(m),
            },
            Fitted::Mlp(f) if classify => classes(f.forward(x)),
            Fitted::Mlp(f) => values(f.forward(x)),
            Fitted::Kmeans(f) => Predictions::Clusters(f.predict(x)),
            Fitted::Labels(f) => Predictions::Clusters(f.predict(x)),
        })
    }

    /// Built-in importance of each feature, when the model has one: impurity decrease (trees), split gain
    /// (boosting), or the absolute coefficient (linear models; summed over classes).
    pub fn importances(&self) -> Option<Vec<f64>> {
        match &self.fitted {
            Fitted::Forest(f) => Some(f.importances.clone()),
            Fitted::Boost(f) => Some(f.importances.clone()),
            Fitted::Linear(f) => Some(f.coef.iter().map(|c| c.abs()).collect()),
            Fitted::Logistic(f) => {
                let mut total = vec![0.0; self.features.len()];
                for row in &f.coef {
                    total.iter_mut().zip(row).for_each(|(t, c)| *t += c.abs());
                }
                Some(total)
            }
            _ => None,
        }
    }

    /// Signed coefficients per prepared feature, for linear models with one coefficient per feature (linear
    /// and penalised regression; logistic regression of two classes, for the second class); None otherwise.
    pub fn coefficients(&self) -> Option<Vec<f64>> {
        match &self.fitted {
            Fitted::Linear(f) => Some(f.coef.clone()),
            Fitted::Logistic(f) if f.coef.len() == 1 => f.coef.first().cloned(),
            _ => None,
        }
    }

    /// The model as JSON (versioned by `format`).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::Json { what: "model".into(), reason: e.to_string() })
    }

    /// A model from its JSON; refuses other format versions.
    pub fn from_json(json: &str) -> Result<Model> {
        let model: Model = serde_json::from_str(json)
            .map_err(|e| Error::Json { what: "model".into(), reason: e.to_string() })?;
        if model.format != MODEL_FORMAT {
            return Err(Error::InvalidParam {
                name: "format".into(),
                reason: format!(
                    "this model is format {}, this version of mlplay reads format {MODEL_FORMAT}",
                    model.format
                ),
            });
        }
        Ok(model)
    }
}
