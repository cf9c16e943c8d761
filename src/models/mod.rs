//! Models: one name → parameters → fit → a fitted [`Model`] that predicts, serialises and reports
//! importances. Every model follows the same contract (DESIGN.md): parameters are plain serde data with
//! scikit-learn's names and defaults, validated when fitting; the fitted model is a different type; all
//! randomness comes from the seed passed to [`ModelSpec::fit`].

pub mod bayes;
pub mod choices;
pub mod cluster;
mod kind;
pub mod kmeans;
pub mod knn;
pub mod linear;
pub mod logistic;
pub mod mathfn;
pub mod memory;
pub mod mlp;
pub mod optim;
pub mod params;
mod spec;
mod structure;
pub mod svm;
pub mod tree;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::numeric::{check_finite, Matrix, MatrixView, RowMajor};
use crate::progress::Progress;

pub use crate::data::features_matrix;
pub use crate::task::{Predictions, Task};
pub use kind::ModelKind;
pub use spec::ModelSpec;

/// Version of the fitted-model JSON format.
pub const MODEL_FORMAT: u32 = 1;

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

/// A model file's fields but its fitted parameters (read apart, see [`Model::from_value`]).
#[derive(Deserialize)]
struct ModelHead {
    format: u32,
    kind: ModelKind,
    task: Task,
    features: Vec<String>,
    classes: Vec<String>,
}

impl Fitted {
    /// The fitted parameters from their JSON, by the `family` it names; a refused value is reported at its
    /// key path under `model.fitted`.
    fn read_by_family(value: &serde_json::Value) -> Result<Fitted> {
        use crate::document::read_at;
        let at = "model.fitted";
        let family = value.get("family").and_then(serde_json::Value::as_str).unwrap_or_default();
        Ok(match family {
            "linear" => Fitted::Linear(read_at(at, value)?),
            "logistic" => Fitted::Logistic(read_at(at, value)?),
            "forest" => Fitted::Forest(read_at(at, value)?),
            "boost" => Fitted::Boost(read_at(at, value)?),
            "knn" => Fitted::Knn(read_at(at, value)?),
            "gaussian_nb" => Fitted::GaussianNb(read_at(at, value)?),
            "categorical_nb" => Fitted::CategoricalNb(read_at(at, value)?),
            // An externally tagged enum: its one key is the variant, so the family tag is left out.
            "svm" => Fitted::Svm(read_at(at, &crate::document::without_key(value, "family"))?),
            "mlp" => Fitted::Mlp(read_at(at, value)?),
            "kmeans" => Fitted::Kmeans(read_at(at, value)?),
            "labels" => Fitted::Labels(read_at(at, value)?),
            other => {
                return Err(Error::spec(
                    "model.fitted.family",
                    format!(
                        "`{}` is not a family of fitted models (linear, logistic, forest, boost, knn, gaussian_nb, categorical_nb, svm, mlp, kmeans, labels)",
                        crate::error::shorten(other, 40)
                    ),
                ))
            }
        })
    }
}

/// A trained model: what it was trained for and on, and the fitted parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// [`MODEL_FORMAT`].
    pub format: u32,
    /// The model kind (`random_forest`, …).
    pub kind: ModelKind,
    /// The task.
    pub task: Task,
    /// Feature names, in the order the model expects them.
    pub features: Vec<String>,
    /// Class labels (classification), in the order of probability columns.
    pub classes: Vec<String>,
    /// The fitted parameters.
    pub fitted: Fitted,
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

    /// A model from its JSON; refuses other format versions and a broken structure (see
    /// [`Model::check_structure`]), naming the key path of what is wrong (`model.fitted.coef: …`).
    pub fn from_json(json: &str) -> Result<Model> {
        let value: serde_json::Value = serde_json::from_str(json)
            .map_err(|e| Error::Json { what: "model".into(), reason: e.to_string() })?;
        Model::from_value(&value)
    }

    /// [`Model::from_json`] from parsed JSON.
    pub fn from_value(value: &serde_json::Value) -> Result<Model> {
        crate::document::check_format(value, "model", MODEL_FORMAT)?;
        // The fitted part is read by its family: serde reads an internally tagged enum through a buffer that
        // loses the key path, and the path is what tells the user which field of the file is wrong.
        let fitted_value = value.get("fitted").ok_or_else(|| Error::spec("model.fitted", "missing"))?;
        let fitted = Fitted::read_by_family(fitted_value)?;
        let head: ModelHead =
            crate::document::read_at("model", &crate::document::without_key(value, "fitted"))?;
        let model = Model {
            format: head.format,
            kind: head.kind,
            task: head.task,
            features: head.features,
            classes: head.classes,
            fitted,
        };
        model.check_structure()?;
        Ok(model)
    }
}
