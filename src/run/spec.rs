//! The Spec: everything a user asks of a run, as one JSON document (see the README): the target and task,
//! dropped columns, the preparation steps, the split and cross-validation, the model, the metrics, the seed.

use serde::{Deserialize, Serialize};

use crate::data::Table;
use crate::error::{Error, Result};
use crate::prep::exclude::{automatic_exclusions, Excluded};
use crate::prep::{auto_steps, fit_pipeline, AutoFamily, Columns, Prepared, StepSpec};

/// A run's description. Every field has a default, so `{}` is a complete Spec (clustering of every column)
/// and `{"target": "y"}` a complete supervised one. Keys this version does not know are accepted and
/// ignored.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Spec {
    /// The column to predict; default none (all columns are features).
    pub target: Option<String>,
    /// Columns removed before anything else (identifiers, leaks); default none.
    pub drop: Vec<String>,
    /// Columns the automatic preparation keeps although it would leave them out (as an identifier, mostly
    /// missing or leakage: see [`crate::prep::exclude`]); default none.
    pub keep: Vec<String>,
    /// The preparation steps in order; default (`null`): the automatic steps of [`auto_steps`].
    pub prep: Option<Vec<StepSpec>>,
    /// `classification`, `regression` or `clustering`; default: clustering without a target, otherwise
    /// guessed from the target (text, booleans and whole numbers with at most
    /// [`crate::run::MAX_AUTO_CLASSES`] values are classes).
    pub task: Option<crate::models::Task>,
    /// The train / validation / test holdout; default 80 % train, 20 % test, stratified for classification.
    pub split: crate::split::SplitSpec,
    /// Cross-validation on the training rows; default 5 folds, stratified for classification.
    pub cv: crate::split::CvSpec,
    /// The model, `{"kind": ..., "params": {...}}`, read into its kind's typed parameters; default a random
    /// forest (k-means for clustering).
    pub model: Option<crate::models::ModelSpec>,
    /// Metric names; default the task's usual ones (see [`crate::metrics::default_metrics`]).
    pub metrics: Option<Vec<String>>,
    /// Score the training rows too (to spot over-fitting): true, false or `null` (default: yes, except for
    /// knn and svm, whose predictions on the training rows cost more than the training).
    pub train_scores: Option<bool>,
    /// Permutation importance settings.
    pub importance: ImportanceSpec,
    /// Seed of every random choice; default 0.
    pub seed: u64,
    /// Clustering only: a column of known groups, kept out of the features and compared with the clusters
    /// (adjusted Rand index, adjusted mutual information); default none.
    pub ground_truth: Option<String>,
    /// Learning and validation curves; default neither.
    pub diagnostics: DiagnosticsSpec,
    /// A hyperparameter search before the final fit; default none.
    pub search: Option<crate::search::SearchSpec>,
}

impl Spec {
    /// Reads a Spec from JSON text and checks it (see [`Spec::check`]); a refused value is reported at its
    /// key path (`cv.folds: …`).
    pub fn from_json(json: &str) -> Result<Spec> {
        let spec: Spec = crate::document::read_text("spec", json)?;
        spec.check()?;
        Ok(spec)
    }

    /// Reads a Spec from any serde deserializer (a JSON tree, a JS value) and checks it, as
    /// [`Spec::from_json`] does.
    pub fn read<'de, D>(deserializer: D) -> Result<Spec>
    where
        D: serde::Deserializer<'de>,
        D::Error: std::fmt::Display,
    {
        let spec: Spec = crate::document::read("", deserializer)?;
        spec.check()?;
        Ok(spec)
    }

    /// The checks that need no data: the model's parameters, and the holdout and fold sizes. Errors name the
    /// key path. (Checks that need the table — column names, class counts — run with it.)
    pub fn check(&self) -> Result<()> {
        if let Some(model) = &self.model {
            model.validate().map_err(|e| e.under("model.params"))?;
        }
        crate::split::check_split(&self.split)?;
        if self.cv.folds == 1 {
            return Err(Error::spec("cv.folds", "must be 0 (no cross-validation) or at least 2, got 1"));
        }
        use crate::limits::{MAX_CURVE_POINTS, MAX_FOLDS, MAX_REPEATS};
        if self.cv.folds > MAX_FOLDS {
            return Err(Error::spec(
                "cv.folds",
                format!(
                    "must be at most {MAX_FOLDS}, got {} (for one row per fold use method leave_one_out)",
                    self.cv.folds
                ),
            ));
        }
        if !(1..=MAX_REPEATS).contains(&self.importance.repeats) {
            return Err(Error::spec(
                "importance.repeats",
                format!("must be between 1 and {MAX_REPEATS}, got {}", self.importance.repeats),
            ));
        }
        if self.importance.max_rows == 0 {
            return Err(Error::spec("importance.max_rows", "must be at least 1, got 0"));
        }
        let sizes = &self.diagnostics.train_sizes;
        if sizes.is_empty() || sizes.len() > MAX_CURVE_POINTS {
            return Err(Error::spec(
                "diagnostics.train_sizes",
                format!("must list 1 to {MAX_CURVE_POINTS} shares, got {}", sizes.len()),
            ));
        }
        if let Some((i, bad)) = sizes.iter().enumerate().find(|(_, s)| !(**s > 0.0 && **s <= 1.0)) {
            return Err(Error::spec(
                format!("diagnostics.train_sizes[{i}]"),
                format!("must be a share in (0, 1], got {bad}"),
            ));
        }
        if let Some(curve) = &self.diagnostics.validation_curve {
            if curve.values.is_empty() || curve.values.len() > MAX_CURVE_POINTS {
                return Err(Error::spec(
                    "diagnostics.validation_curve.values",
                    format!("must list 1 to {MAX_CURVE_POINTS} values, got {}", curve.values.len()),
                ));
            }
        }
        if let Some(search) = &self.search {
            search.check(self.model.as_ref().map(|m| m.kind()))?;
        }
        Ok(())
    }

    /// The columns the automatic preparation leaves out of `table`, with their reasons (none when the Spec
    /// lists its own `prep`: then the user decides). The `drop` list is removed first; `keep` is honoured.
    pub fn exclusions(&self, table: &Table) -> Result<Vec<Excluded>> {
        self.exclusions_among(table, automatic_exclusions(table, self.label_column(), &[]))
    }

    /// [`Spec::exclusions`] from what [`automatic_exclusions`] found in `table` with no `keep` (so that a run
    /// judges every column once).
    pub fn exclusions_among(&self, table: &Table, found: Vec<Excluded>) -> Result<Vec<Excluded>> {
        for name in &self.keep {
            table.column_or_err(name).map_err(|e| e.under("keep"))?;
        }
        let found = found.into_iter().filter(|e| !self.keep.contains(&e.column));
        // A flagged column the Spec drops itself (as the page's Prepare form does) is listed with its reason;
        // with its own steps and not dropped, the Spec uses it.
        Ok(match &self.prep {
            None => found.collect(),
            Some(_) => found.filter(|e| self.leaves_out(&e.column)).collect(),
        })
    }

    /// Whether the Spec leaves `column` out: in `drop`, or dropped by name in its own steps.
    pub fn leaves_out(&self, column: &str) -> bool {
        self.drop.iter().any(|d| d == column) || self.prep.as_ref().is_some_and(|p| drops_by_name(p, column))
    }

    /// The steps to run on `table` for the Spec's model: the `drop` list first, then `prep`, or the automatic
    /// exclusions and the automatic steps (for scale-sensitive models when the Spec names one, else for trees,
    /// the default model's family).
    pub fn steps(&self, table: &Table) -> Result<Vec<StepSpec>> {
        let family = match &self.model {
            Some(model) if model.wants_scaling() => AutoFamily::ScaleSensitive,
            _ => AutoFamily::Trees,
        };
        self.steps_for(table, &self.exclusions(table)?, family)
    }

    /// The steps to run on `table` for models of `family`, leaving out the `excluded` columns when the Spec
    /// gives no `prep` (see [`Spec::steps`]).
    pub fn steps_for(
        &self,
        table: &Table,
        excluded: &[Excluded],
        family: AutoFamily,
    ) -> Result<Vec<StepSpec>> {
        let mut steps = Vec::new();
        let mut remaining = table.clone();
        if !self.drop.is_empty() {
            let columns = Columns::Names(self.drop.clone());
            let indices = columns.resolve(table, None).map_err(|e| e.under("drop"))?;
            remaining.columns = table
                .columns
                .iter()
                .enumerate()
                .filter(|(i, _)| !indices.contains(i))
                .map(|(_, c)| c.clone())
                .collect();
            steps.push(StepSpec::Drop(crate::prep::rows::DropColumnsParams { columns }));
        }
        match &self.prep {
            Some(prep) => steps.extend(prep.iter().cloned()),
            None => {
                let excluded: Vec<String> = excluded
                    .iter()
                    .map(|e| e.column.clone())
                    .filter(|name| remaining.column(name).is_some())
                    .collect();
                if !excluded.is_empty() {
                    remaining.columns.retain(|c| !excluded.contains(&c.name));
                    let columns = Columns::Names(excluded);
                    steps.push(StepSpec::Drop(crate::prep::rows::DropColumnsParams { columns }));
                }
                steps.extend(auto_steps(&remaining, self.label_column(), family));
            }
        }
        Ok(steps)
    }

    /// The column kept out of the features: the target, or for clustering the `ground_truth` column.
    pub fn label_column(&self) -> Option<&str> {
        self.target.as_deref().or(self.ground_truth.as_deref())
    }

    /// Fits the preparation steps on `table` (all of it is training data here).
    pub fn prepare(&self, table: &Table) -> Result<Prepared> {
        fit_pipeline(&self.steps(table)?, table, self.label_column())
    }
}

/// The `importance` section of a Spec.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImportanceSpec {
    /// Compute permutation importance: true, false, or `null` (default: yes, except for models whose
    /// predictions compare every training row — knn, svm — where it would take longer than the training).
    pub permutation: Option<bool>,
    /// Shuffles per column; default 3.
    pub repeats: usize,
    /// Rows scored (evenly spaced among the test rows, else the validation rows, else the training rows);
    /// default 500.
    pub max_rows: usize,
}

impl Default for ImportanceSpec {
    fn default() -> Self {
        ImportanceSpec { permutation: None, repeats: 3, max_rows: 500 }
    }
}

/// The `diagnostics` section of a Spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiagnosticsSpec {
    /// Draw a learning curve (needs cross-validation folds); default false, because it costs about three
    /// more cross-validations. The page asks for one unless the table is large.
    pub learning_curve: bool,
    /// The learning curve's training sizes as shares of each fold's training rows; default
    /// `[0.1, 0.325, 0.55, 0.775, 1.0]` (scikit-learn's).
    pub train_sizes: Vec<f64>,
    /// A validation curve: one hyperparameter and the values to try; default none.
    pub validation_curve: Option<ValidationCurveSpec>,
}

impl Default for DiagnosticsSpec {
    fn default() -> Self {
        DiagnosticsSpec {
            learning_curve: false,
            train_sizes: vec![0.1, 0.325, 0.55, 0.775, 1.0],
            validation_curve: None,
        }
    }
}

/// Which hyperparameter a validation curve varies, and over which values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidationCurveSpec {
    /// The hyperparameter, by its name in the model's params.
    pub param: String,
    /// The values, as they would be written in the params.
    pub values: Vec<serde_json::Value>,
}

/// Whether `steps` drop `column` by name.
fn drops_by_name(steps: &[StepSpec], column: &str) -> bool {
    steps.iter().any(|s| matches!(s, StepSpec::Drop(p) if matches!(&p.columns, Columns::Names(n) if n.iter().any(|c| c == column))))
}
