//! What is learnt and what a model gives back: the vocabulary that metrics, diagnostics and charts share
//! with the models without depending on them.

use crate::numeric::Matrix;
use serde::{Deserialize, Serialize};

/// What is being learnt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// Predict a number.
    Regression,
    /// Predict a class (two or more).
    Classification,
    /// Group rows without a target.
    Clustering,
}

impl Task {
    /// The task's name as written in Specs.
    pub fn name(self) -> &'static str {
        match self {
            Task::Regression => "regression",
            Task::Classification => "classification",
            Task::Clustering => "clustering",
        }
    }
}

/// What a model predicts for a set of rows.
#[derive(Debug, Clone, PartialEq)]
pub enum Predictions {
    /// Regression: one number per row.
    Values(Vec<f64>),
    /// Classification: one class index per row and the class probabilities (rows sum to 1).
    Classes {
        /// Predicted class index of each row.
        labels: Vec<usize>,
        /// Probability of each class, one column per class.
        proba: Matrix,
    },
    /// Clustering: one cluster per row (−1: noise).
    Clusters(Vec<i64>),
}

impl Predictions {
    /// Number of rows predicted.
    pub fn len(&self) -> usize {
        match self {
            Predictions::Values(v) => v.len(),
            Predictions::Classes { labels, .. } => labels.len(),
            Predictions::Clusters(c) => c.len(),
        }
    }

    /// Whether no row was predicted.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
