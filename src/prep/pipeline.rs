//! Running preparation steps in order: fitted on training data (each step on the output of the one before),
//! then applied unchanged to any other data. Also the automatic steps used when a Spec gives none.

use serde::{Deserialize, Serialize};

use super::columns::{ColumnGroup, Columns};
use super::contract::StepReport;
use super::dates::DatePartsParams;
use super::encode::{OneHotParams, OrdinalParams};
use super::features::log_transform;
use super::impute::ImputeParams;
use super::rows::DropColumnsParams;
use super::step::{FittedStep, StepSpec};
use crate::data::{ColumnKind, Table};
use crate::error::{Error, Result};

/// Version of the fitted-pipeline JSON format.
pub const PIPELINE_FORMAT: u32 = 1;
/// Categorical columns with at most this many categories are one-hot encoded by the automatic steps;
/// those with more are frequency encoded.
pub const AUTO_ONE_HOT_MAX: usize = 20;

/// Fitted steps, ready to transform new data the way the training data was transformed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedPipeline {
    /// [`PIPELINE_FORMAT`].
    pub format: u32,
    /// The target column, which the steps leave alone.
    pub target: Option<String>,
    /// The steps, in order.
    pub steps: Vec<FittedStep>,
}

/// The result of fitting: the prepared training table, the fitted pipeline and what each step did.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The training data after every step (duplicates removed, values filled, categories encoded…).
    pub table: Table,
    /// The fitted steps.
    pub pipeline: FittedPipeline,
    /// One report per step, in order.
    pub reports: Vec<StepReport>,
}

/// Fits `steps` in order on `table` (the training data); `target` is never touched by column groups.
pub fn fit_pipeline(steps: &[StepSpec], table: &Table, target: Option<&str>) -> Result<Prepared> {
    if let Some(name) = target {
        if table.column(name).is_none() {
            return Err(table.unknown_column(name));
        }
    }
    let mut current = table.clone();
    let mut fitted = Vec::with_capacity(steps.len());
    let mut reports = Vec::with_capacity(steps.len());
    for spec in steps {
        let (step, next, report) = spec.fit(&current, target)?;
        fitted.push(step);
        reports.push(report);
        current = next;
    }
    let pipeline =
        FittedPipeline { format: PIPELINE_FORMAT, target: target.map(str::to_string), steps: fitted };
    Ok(Prepared { table: current, pipeline, reports })
}

/// Fits one step and returns it with the transformed training table.
impl FittedPipeline {
    /// Applies the fitted steps to `table` (new data with the training data's columns). Rows are never
    /// removed here: duplicate removal applies to training data only.
    pub fn transform(&self, table: &Table) -> Result<Table> {
        let mut current = table.clone();
        for step in &self.steps {
            current = match step {
                FittedStep::DropDuplicates | FittedStep::Resample => current,
                FittedStep::Drop { columns } => super::contract::drop_columns(&current, columns),
                FittedStep::CleanCategories(f) => f.transform(&current)?,
                FittedStep::RangeRules(f) => f.transform(&current)?,
                FittedStep::Impute(f) => f.transform(&current)?,
                FittedStep::KnnImpute(f) => f.transform(&current)?,
                FittedStep::Fill(f) => f.transform(&current)?,
                FittedStep::DateParts(f) => f.transform(&current)?,
                FittedStep::Outliers(f) => f.transform(&current)?,
                FittedStep::Polynomial(f) => f.transform(&current)?,
                FittedStep::Bins(f) => f.transform(&current)?,
                FittedStep::Pca(f) => f.transform(&current)?,
                FittedStep::Tfidf(f) => f.transform(&current)?,
                FittedStep::YeoJohnson(f) => f.transform(&current)?,
                FittedStep::Log { columns } => log_transform(&current, columns)?,
                FittedStep::OneHot(f) => f.transform(&current)?,
                FittedStep::Coded(f) => f.transform(&current)?,
                FittedStep::Bits(f) => f.transform(&current)?,
                FittedStep::Target(f) => f.transform(&current)?,
                FittedStep::Scale(f) => f.transform(&current)?,
            };
        }
        Ok(current)
    }

    /// The pipeline as JSON (versioned by `format`).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self)
            .map_err(|e| Error::Json { what: "pipeline".into(), reason: e.to_string() })
    }

    /// A pipeline from its JSON; refuses other format versions.
    pub fn from_json(json: &str) -> Result<FittedPipeline> {
        let pipeline: FittedPipeline = serde_json::from_str(json)
            .map_err(|e| Error::Json { what: "pipeline".into(), reason: e.to_string() })?;
        if pipeline.format != PIPELINE_FORMAT {
            return Err(Error::InvalidParam {
                name: "format".into(),
                reason: format!(
                    "this pipeline has format {}, this mlplay reads {PIPELINE_FORMAT}",
                    pipeline.format
                ),
            });
        }
        Ok(pipeline)
    }
}

/// The steps used when a Spec gives none: drop free text, fill every missing value (median for numbers and
/// dates, most frequent otherwise), expand dates into parts, one-hot encode categoricals with at most
/// [`AUTO_ONE_HOT_MAX`] categories and frequency-encode the rest. Numbers are not scaled here: whether they
/// need it depends on the model.
pub fn auto_steps(table: &Table, target: Option<&str>) -> Vec<StepSpec> {
    let features = || table.columns.iter().filter(|c| Some(c.name.as_str()) != target);
    let mut steps = Vec::new();
    if features().any(|c| c.kind == ColumnKind::Text) {
        steps.push(StepSpec::Drop(DropColumnsParams { columns: Columns::Group(ColumnGroup::Text) }));
    }
    // Always, even when the training rows have no gap: the fitted step holds a fill for every column, so
    // new data with gaps where the training data had none is still filled at predict time. A column missing
    // more often than not gets indicators, so that whether a value was there can count.
    if features().any(|c| c.kind != ColumnKind::Text) {
        let add_indicator = features().any(|c| c.missing_count() * 2 > c.len());
        steps.push(StepSpec::Impute(ImputeParams { add_indicator, ..ImputeParams::default() }));
    }
    if features().any(|c| c.kind == ColumnKind::Datetime) {
        steps.push(StepSpec::DateParts(DatePartsParams::default()));
    }
    let categorical: Vec<(String, usize)> = features()
        .filter(|c| c.kind == ColumnKind::Categorical)
        .map(|c| (c.name.clone(), crate::data::profile::profile_column(c).unique))
        .collect();
    let few: Vec<String> =
        categorical.iter().filter(|(_, n)| *n <= AUTO_ONE_HOT_MAX).map(|(name, _)| name.clone()).collect();
    let many: Vec<String> =
        categorical.iter().filter(|(_, n)| *n > AUTO_ONE_HOT_MAX).map(|(name, _)| name.clone()).collect();
    if !few.is_empty() {
        steps
            .push(StepSpec::OneHot(OneHotParams { columns: Columns::Names(few), ..OneHotParams::default() }));
    }
    if !many.is_empty() {
        steps.push(StepSpec::Frequency(OrdinalParams {
            columns: Columns::Names(many),
            ..OrdinalParams::default()
        }));
    }
    steps
}
