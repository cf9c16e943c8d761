//! A fitted pipeline and model saved together, and its predictions on new rows.

use serde::Serialize;

use crate::data::{features_matrix, Table};
use crate::error::{Error, Result};
use crate::models::Model;
use crate::numeric::RowMajor;
use crate::prep::FittedPipeline;
use crate::task::Predictions;

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
            .map(|name| prepared.column_or_err(name).cloned())
            .collect::<Result<_>>()?;
        let features = Table { columns, n_rows: prepared.n_rows };
        let (x, _) = features_matrix(&features, None)?;
        self.model.predict(x.view(), &mut crate::progress::NoProgress)
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
                    for p in proba.row_slice(i) {
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
