//! Running preparation steps in order: fitted on training data (each step on the output of the one before),
//! then applied unchanged to any other data. Also the automatic steps used when a Spec gives none.

use serde::{Deserialize, Serialize};

use super::columns::{ColumnGroup, Columns};
use super::contract::StepReport;
use super::dates::DatePartsParams;
use super::encode::{OneHotParams, OrdinalParams};
use super::encode_target::TargetParams;
use super::features::log_transform;
use super::impute::ImputeParams;
use super::rows::DropColumnsParams;
use super::scale::ScaleParams;
use super::step::{FittedStep, StepSpec};
use crate::data::{ColumnKind, Table};
use crate::error::{Error, Result};

/// Version of the fitted-pipeline JSON format.
pub const PIPELINE_FORMAT: u32 = 1;
/// For tree models, categorical columns with at most this many categories are one-hot encoded by the
/// automatic steps; those with more get one number each (see [`AutoFamily::Trees`]).
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
        for (index, step) in self.steps.iter().enumerate() {
            // A loaded step may list more categories than new rows' columns can hold: bounded before building.
            crate::limits::check_new_cells("", step.new_columns(), current.n_rows, "this step")
                .map_err(|e| e.under(&format!("pipeline.steps[{index}]")))?;
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

    /// A pipeline from its JSON; refuses other format versions, naming the key path of what is wrong.
    pub fn from_json(json: &str) -> Result<FittedPipeline> {
        let value: serde_json::Value = serde_json::from_str(json)
            .map_err(|e| Error::Json { what: "pipeline".into(), reason: e.to_string() })?;
        FittedPipeline::from_value(&value)
    }

    /// [`FittedPipeline::from_json`] from parsed JSON.
    pub fn from_value(value: &serde_json::Value) -> Result<FittedPipeline> {
        crate::document::check_format(value, "pipeline", PIPELINE_FORMAT)?;
        let pipeline: FittedPipeline = crate::document::read_at("pipeline", value)?;
        pipeline.check_structure()?;
        Ok(pipeline)
    }
}

/// Which models the automatic steps prepare features for: the encoding that serves a model depends on how
/// it reads a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoFamily {
    /// Models that split on thresholds (trees, forests, boosting, naive Bayes): a many-level column gets one
    /// number a threshold can cut well — its cross-fitted target encoding, or its frequency when the target
    /// is neither numeric nor two-class — instead of one column per level.
    Trees,
    /// Models that weigh or compare features by their size (linear models, kNN, SVMs, MLPs, k-means): a code
    /// becomes a slope or a distance, so categories get one-hot columns (rare levels grouped), many-level
    /// columns a cross-fitted target encoding, and every number is standardised last.
    ScaleSensitive,
}

/// For scale-sensitive models, categorical columns with at most this many categories are one-hot encoded;
/// those with more are target encoded (cross-fitted), or, without a numeric or two-class target, one-hot
/// encoded with their most frequent categories kept.
pub const AUTO_ONE_HOT_MAX_SCALED: usize = 30;
/// For scale-sensitive models, categories seen fewer times than this in the training rows are grouped into
/// `<column>_other` by the automatic one-hot encoding (a slope learned from a handful of rows is noise).
pub const AUTO_RARE_MIN: usize = 5;

/// The steps used when a Spec gives none, for models of `family`: drop free text, fill every missing value
/// (median for numbers and dates, most frequent otherwise), expand dates into parts, then encode categories:
/// - [`AutoFamily::Trees`]: one-hot up to [`AUTO_ONE_HOT_MAX`] categories, cross-fitted target encoding above
///   (frequency codes when the target is neither numeric nor two-class);
/// - [`AutoFamily::ScaleSensitive`]: one-hot up to [`AUTO_ONE_HOT_MAX_SCALED`] categories with levels seen
///   fewer than [`AUTO_RARE_MIN`] times grouped, cross-fitted target encoding above (one-hot of the most
///   frequent categories when the target is neither numeric nor two-class), and a standard scaler last.
pub fn auto_steps(table: &Table, target: Option<&str>, family: AutoFamily) -> Vec<StepSpec> {
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
    let one_hot_max = match family {
        AutoFamily::Trees => AUTO_ONE_HOT_MAX,
        AutoFamily::ScaleSensitive => AUTO_ONE_HOT_MAX_SCALED,
    };
    let names_where = |keep: &dyn Fn(usize) -> bool| -> Vec<String> {
        categorical.iter().filter(|(_, n)| keep(*n)).map(|(name, _)| name.clone()).collect()
    };
    let few = names_where(&|n| n <= one_hot_max);
    let many = names_where(&|n| n > one_hot_max);
    if !few.is_empty() {
        let min_frequency = (family == AutoFamily::ScaleSensitive).then_some(AUTO_RARE_MIN);
        steps.push(StepSpec::OneHot(OneHotParams {
            columns: Columns::Names(few),
            min_frequency,
            ..OneHotParams::default()
        }));
    }
    if !many.is_empty() {
        let columns = Columns::Names(many);
        // Cross-fitted target encoding serves both families when the target allows it (one-hot columns by the
        // hundred would dilute a forest's feature sampling and a linear model's regularisation alike).
        steps.push(match family {
            _ if target_encodable(table, target) => {
                StepSpec::TargetEncode(TargetParams { columns, ..TargetParams::default() })
            }
            AutoFamily::Trees => StepSpec::Frequency(OrdinalParams { columns, ..OrdinalParams::default() }),
            AutoFamily::ScaleSensitive => StepSpec::OneHot(OneHotParams {
                columns,
                min_frequency: Some(AUTO_RARE_MIN),
                max_categories: Some(AUTO_ONE_HOT_MAX_SCALED),
                ..OneHotParams::default()
            }),
        });
    }
    if family == AutoFamily::ScaleSensitive {
        steps.push(StepSpec::StandardScale(ScaleParams::default()));
    }
    steps
}

/// Whether target encoding can learn from `target`: a numeric column, or one of two categories.
fn target_encodable(table: &Table, target: Option<&str>) -> bool {
    let Some(column) = target.and_then(|t| table.column(t)) else { return false };
    match column.kind {
        ColumnKind::Integer | ColumnKind::Float => true,
        ColumnKind::Boolean | ColumnKind::Categorical => {
            crate::data::profile::profile_column(column).unique == 2
        }
        ColumnKind::Datetime | ColumnKind::Text => false,
    }
}
