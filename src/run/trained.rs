//! A fitted pipeline and model saved together, and its predictions on new rows.

use serde::Serialize;

use crate::data::{features_matrix, read_csv, ColumnKind, CsvOptions, LoadReport, Table};
use crate::error::{Error, Result};
use crate::models::Model;
use crate::numeric::RowMajor;
use crate::prep::FittedPipeline;
use crate::progress::Progress;
use crate::task::Predictions;

/// A column of the training data as it was read: its name and kind. New data is read against these, so a
/// value that does not fit its column's kind is named with its line instead of turning the column to text.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct InputColumn {
    /// The column's name.
    pub name: String,
    /// The kind it was read as.
    pub kind: ColumnKind,
}

/// A fitted pipeline and model saved together: what `mlplay run --save` writes and `mlplay predict` reads.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Trained {
    /// The preparation steps.
    pub pipeline: FittedPipeline,
    /// The model.
    pub model: Model,
    /// The training data's columns and kinds; empty in files saved before they were recorded.
    #[serde(default)]
    pub inputs: Vec<InputColumn>,
}

impl Trained {
    /// Bundles a pipeline and its model.
    pub fn new(pipeline: FittedPipeline, model: Model) -> Trained {
        Trained { pipeline, model, inputs: Vec::new() }
    }

    /// This bundle with the columns and kinds of `table`, the training data, recorded.
    pub fn with_inputs(mut self, table: &Table) -> Trained {
        self.inputs =
            table.columns.iter().map(|c| InputColumn { name: c.name.clone(), kind: c.kind }).collect();
        self
    }

    /// Reads new data (CSV or spreadsheet `bytes`) for prediction. A column that held numbers, dates or
    /// booleans in the training data but does not here is read again as that kind, so the refusal names the
    /// column, the line and the value (`column `age`, line 7: `n/a` is not a valid float`) instead of the
    /// column quietly becoming text. Columns the user forced a kind for in `options` keep that kind.
    pub fn read_new_data(
        &self,
        bytes: &[u8],
        options: &CsvOptions,
        progress: &mut dyn Progress,
    ) -> Result<(Table, LoadReport)> {
        let (table, report) = read_csv(bytes, options, progress)?;
        let mut forced = options.clone();
        for input in &self.inputs {
            let strict = match input.kind {
                ColumnKind::Integer | ColumnKind::Float => ColumnKind::Float,
                ColumnKind::Datetime | ColumnKind::Boolean => input.kind,
                ColumnKind::Categorical | ColumnKind::Text => continue,
            };
            let Some(column) = table.column(&input.name) else { continue };
            let fits = column.kind == input.kind || (strict == ColumnKind::Float && column.kind.is_numeric());
            if !fits && !options.types.contains_key(&input.name) {
                forced.types.insert(input.name.clone(), strict);
            }
        }
        if forced.types.len() == options.types.len() {
            return Ok((table, report));
        }
        read_csv(bytes, &forced, progress).map_err(|e| match e {
            Error::BadValue { column, line, value, kind } => Error::BadValue {
                kind: format!(
                    "{kind}: the model was trained on {} values in this column",
                    kind_phrase(&kind)
                ),
                column,
                line,
                value,
            },
            other => other,
        })
    }

    /// As JSON.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::Json { what: "model".into(), reason: e.to_string() })
    }

    /// From JSON written by [`Trained::to_json`] (the pipeline's and model's formats are checked).
    pub fn from_json(json: &str) -> Result<Trained> {
        let value: serde_json::Value = serde_json::from_str(json)
            .map_err(|e| Error::Json { what: "model".into(), reason: e.to_string() })?;
        let part = |name: &str| {
            value
                .get(name)
                .ok_or_else(|| Error::spec(name, "missing: a model file holds a pipeline and a model"))
        };
        let inputs = match value.get("inputs") {
            Some(inputs) => crate::document::read_at("inputs", inputs)?,
            None => Vec::new(),
        };
        Ok(Trained {
            pipeline: FittedPipeline::from_value(part("pipeline")?)?,
            model: Model::from_value(part("model")?)?,
            inputs,
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

/// The values of a kind, in words: `float` → "numeric".
fn kind_phrase(kind: &str) -> &str {
    match kind {
        "float" | "integer" => "numeric",
        other => other,
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
