//! A model and its parameters as a Spec writes them, read into typed params once; fitting any kind.

use serde::de::{DeserializeSeed, Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::*;
use crate::error::{Error, Result};
use crate::numeric::{check_finite, Matrix, MatrixView, RowMajorMut};
use crate::progress::Progress;

/// A model and its parameters, as written in a Spec: `{"kind": "random_forest", "params": {...}}`.
/// Kinds that serve several tasks (trees, kNN, MLP, linear SVM) become a classifier or a regressor by task.
///
/// Read by hand rather than by serde's adjacent tagging so that `params` may be left out (the kind's
/// defaults), may come before `kind`, and so that a refused parameter is reported at its own key path
/// (`model.params.n_neighbors`) by [`crate::run::Spec`]'s reader.
#[derive(Debug, Clone, PartialEq, Serialize)]
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

impl<'de> Deserialize<'de> for ModelSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_map(ModelSpecVisitor)
    }
}

struct ModelSpecVisitor;

impl<'de> Visitor<'de> for ModelSpecVisitor {
    type Value = ModelSpec;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a model such as {\"kind\": \"knn\", \"params\": {\"n_neighbors\": 5}}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<ModelSpec, A::Error> {
        let mut kind: Option<ModelKind> = None;
        let mut spec: Option<ModelSpec> = None;
        // `params` written before `kind` is kept as a JSON tree until the kind is known.
        let mut early: Option<serde_json::Value> = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "kind" if kind.is_none() => kind = Some(map.next_value()?),
                "params" if spec.is_none() && early.is_none() => match kind {
                    Some(k) => spec = Some(map.next_value_seed(ParamsOf(k))?),
                    None => early = Some(map.next_value()?),
                },
                "kind" | "params" => return Err(A::Error::custom(format!("`{key}` is given twice"))),
                other => return Err(A::Error::unknown_field(other, &["kind", "params"])),
            }
        }
        let kind = kind.ok_or_else(|| A::Error::missing_field("kind"))?;
        match (spec, early) {
            (Some(spec), _) => Ok(spec),
            (None, Some(params)) => ParamsOf(kind).deserialize(params).map_err(A::Error::custom),
            (None, None) => Ok(kind.defaults()),
        }
    }
}

/// Reads the `params` of one kind into that kind's typed parameters.
struct ParamsOf(ModelKind);

impl<'de> DeserializeSeed<'de> for ParamsOf {
    type Value = ModelSpec;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<ModelSpec, D::Error> {
        Ok(match self.0 {
            ModelKind::LinearRegression => ModelSpec::LinearRegression(Deserialize::deserialize(d)?),
            ModelKind::Ridge => ModelSpec::Ridge(Deserialize::deserialize(d)?),
            ModelKind::Lasso => ModelSpec::Lasso(Deserialize::deserialize(d)?),
            ModelKind::ElasticNet => ModelSpec::ElasticNet(Deserialize::deserialize(d)?),
            ModelKind::LogisticRegression => ModelSpec::LogisticRegression(Deserialize::deserialize(d)?),
            ModelKind::DecisionTree => ModelSpec::DecisionTree(Deserialize::deserialize(d)?),
            ModelKind::RandomForest => ModelSpec::RandomForest(Deserialize::deserialize(d)?),
            ModelKind::ExtraTrees => ModelSpec::ExtraTrees(Deserialize::deserialize(d)?),
            ModelKind::HistGradientBoosting => ModelSpec::HistGradientBoosting(Deserialize::deserialize(d)?),
            ModelKind::Knn => ModelSpec::Knn(Deserialize::deserialize(d)?),
            ModelKind::GaussianNb => ModelSpec::GaussianNb(Deserialize::deserialize(d)?),
            ModelKind::CategoricalNb => ModelSpec::CategoricalNb(Deserialize::deserialize(d)?),
            ModelKind::LinearSvm => ModelSpec::LinearSvm(Deserialize::deserialize(d)?),
            ModelKind::Svm => ModelSpec::Svm(Deserialize::deserialize(d)?),
            ModelKind::Mlp => ModelSpec::Mlp(Deserialize::deserialize(d)?),
            ModelKind::Kmeans => ModelSpec::Kmeans(Deserialize::deserialize(d)?),
            ModelKind::Dbscan => ModelSpec::Dbscan(Deserialize::deserialize(d)?),
            ModelKind::Agglomerative => ModelSpec::Agglomerative(Deserialize::deserialize(d)?),
        })
    }
}

impl ModelSpec {
    /// The kind of this model.
    pub fn kind(&self) -> ModelKind {
        match self {
            ModelSpec::LinearRegression(_) => ModelKind::LinearRegression,
            ModelSpec::Ridge(_) => ModelKind::Ridge,
            ModelSpec::Lasso(_) => ModelKind::Lasso,
            ModelSpec::ElasticNet(_) => ModelKind::ElasticNet,
            ModelSpec::LogisticRegression(_) => ModelKind::LogisticRegression,
            ModelSpec::DecisionTree(_) => ModelKind::DecisionTree,
            ModelSpec::RandomForest(_) => ModelKind::RandomForest,
            ModelSpec::ExtraTrees(_) => ModelKind::ExtraTrees,
            ModelSpec::HistGradientBoosting(_) => ModelKind::HistGradientBoosting,
            ModelSpec::Knn(_) => ModelKind::Knn,
            ModelSpec::GaussianNb(_) => ModelKind::GaussianNb,
            ModelSpec::CategoricalNb(_) => ModelKind::CategoricalNb,
            ModelSpec::LinearSvm(_) => ModelKind::LinearSvm,
            ModelSpec::Svm(_) => ModelKind::Svm,
            ModelSpec::Mlp(_) => ModelKind::Mlp,
            ModelSpec::Kmeans(_) => ModelKind::Kmeans,
            ModelSpec::Dbscan(_) => ModelKind::Dbscan,
            ModelSpec::Agglomerative(_) => ModelKind::Agglomerative,
        }
    }

    /// Checks every parameter's rule (ranges, sizes) without fitting; each model's `fit` checks the same.
    /// An error names the parameter (`n_estimators`); a Spec's reader places it under `model.params`.
    pub fn validate(&self) -> Result<()> {
        match self {
            ModelSpec::LinearRegression(_) => Ok(()),
            ModelSpec::Ridge(p) => p.validate(),
            ModelSpec::Lasso(p) | ModelSpec::ElasticNet(p) => p.validate(),
            ModelSpec::LogisticRegression(p) => p.validate(),
            ModelSpec::DecisionTree(p) => p.validate(),
            ModelSpec::RandomForest(p) | ModelSpec::ExtraTrees(p) => p.validate(),
            ModelSpec::HistGradientBoosting(p) => p.validate(),
            ModelSpec::Knn(p) => p.validate(),
            ModelSpec::GaussianNb(p) => p.validate(),
            ModelSpec::CategoricalNb(p) => p.validate(),
            ModelSpec::LinearSvm(p) => p.validate(),
            ModelSpec::Svm(p) => p.validate(),
            ModelSpec::Mlp(p) => p.validate(),
            ModelSpec::Kmeans(p) => p.validate(),
            ModelSpec::Dbscan(p) => p.validate(),
            ModelSpec::Agglomerative(p) => p.validate(),
        }
    }

    /// This model with the hyperparameters in `changes` set (validated as any params are); `origin` names
    /// the Spec key the changes come from, for the error when one is not a parameter of this model. A
    /// `kind` among the changes switches to that model (from its defaults, unless it is this model's kind).
    ///
    /// Search candidates and validation-curve points are open maps of values, so the params go through a
    /// JSON tree here (not text): the merged tree is read back with the same checks as a Spec's params.
    pub fn with_params(
        &self,
        changes: &serde_json::Map<String, serde_json::Value>,
        origin: &str,
    ) -> Result<ModelSpec> {
        let invalid = |reason: String| Error::Spec { path: origin.into(), reason };
        let base = match changes.get("kind") {
            None => self.clone(),
            Some(kind) => {
                let name = kind.as_str().unwrap_or_default();
                let kind = ModelKind::from_name(name)
                    .ok_or_else(|| invalid(format!("`kind` names a model, such as \"knn\", not {kind}")))?;
                if kind == self.kind() {
                    self.clone()
                } else {
                    kind.defaults()
                }
            }
        };
        let kind = base.kind();
        let mut value = serde_json::to_value(&base)
            .map_err(|e| Error::Json { what: "model".into(), reason: e.to_string() })?;
        let Some(params) = value.get_mut("params").and_then(serde_json::Value::as_object_mut) else {
            return Err(invalid(format!("{kind} has no parameters")));
        };
        for (name, v) in changes.iter().filter(|(k, _)| k.as_str() != "kind") {
            if !params.contains_key(name) {
                return Err(invalid(format!("`{name}` is not a parameter of {kind}")));
            }
            params.insert(name.clone(), v.clone());
        }
        let spec = ParamsOf(kind)
            .deserialize(value.get("params").cloned().unwrap_or_default())
            .map_err(|e| invalid(crate::document::friendly(&e.to_string())))?;
        spec.validate().map_err(|e| e.under(origin))?;
        Ok(spec)
    }

    /// Reads `{"kind": ..., "params": {...}}` (params optional) and checks its parameters; errors name the
    /// key path under `model`.
    pub fn from_value(value: &serde_json::Value) -> Result<ModelSpec> {
        let spec: ModelSpec = crate::document::read_at("model", value)?;
        spec.validate().map_err(|e| e.under("model.params"))?;
        Ok(spec)
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
        self.kind().does(task)
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
        let outputs = match target {
            Target::Classes(_, k) => k,
            _ => 1,
        };
        let shape = memory::FitShape { rows: x.nrows(), features: x.ncols(), outputs };
        memory::check_fit_memory(self, shape, memory::memory_budget())?;
        let fitted = self.fit_fitted(x, target, seed, progress)?;
        Ok(Model {
            format: MODEL_FORMAT,
            kind: self.kind(),
            task,
            features: features.to_vec(),
            // Only a classifier has classes: names given with another task's target mean nothing.
            classes: if task == Task::Classification { classes.to_vec() } else { Vec::new() },
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
        return Err(Error::Spec {
            path: "model.kind".into(),
            reason: format!(
                "`{}` does not do {}; models that do: {}",
                spec.kind(),
                task.name(),
                ModelKind::names_for(task)
            ),
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
