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
pub mod mlp;
pub mod optim;
pub mod params;
mod spec;
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
