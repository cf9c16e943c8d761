//! The step vocabulary of a Spec's `prep` list and its fitted form; fitting a step is a delegation to its
//! params (the [`Step`] contract of `contract.rs`).

use serde::{Deserialize, Serialize};

use super::contract::{Step, StepReport};
use crate::data::Table;
use crate::error::Result;

use super::clean::{CleanParams, FittedClean, RangeParams};
use super::dates::{DatePartsParams, FittedDateParts};
use super::encode::{FittedCoded, FittedOneHot, OneHotParams, OrdinalParams};
use super::encode_bits::{BinaryParams, FittedBits, HashingParams};
use super::encode_target::{FittedTarget, TargetParams};
use super::features::{BinParams, FittedBins, FittedPolynomial, LogParams, PolynomialParams};
use super::impute::{FittedImpute, ImputeParams};
use super::knn_impute::{FittedKnnImpute, KnnImputeParams};
use super::missing::{DropMissingParams, FillParams, FittedFill};
use super::mutual_info::MutualInfoParams;
use super::outliers::{FittedOutliers, OutlierParams};
use super::pca::{FittedPca, PcaParams};
use super::power::{FittedPower, PowerParams};
use super::resample::ResampleParams;
use super::rows::{DropColumnsParams, DropDuplicatesParams};
use super::scale::{FittedScale, ScaleParams};
use super::select::{CorrelatedParams, VarianceParams};
use super::text::{FittedTfidf, TfidfParams};

/// One preparation step as the user writes it: `{"step": "impute", "columns": "numeric", "strategy": "median"}`.
/// Every parameter but `step` has a default.
///
/// Read by hand (by its `step` name, then that step's parameters) rather than by serde's internal tagging,
/// which reads through a buffer that loses the key path: a refused parameter is reported at its own key
/// (`prep[0].n_components: …`), as a model's are.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum StepSpec {
    /// Remove exact duplicate rows from the training data.
    DropDuplicates(DropDuplicatesParams),
    /// Remove columns.
    Drop(DropColumnsParams),
    /// Trim, case-fold and map category spellings.
    CleanCategories(CleanParams),
    /// Numbers outside plausible ranges become missing.
    RangeRules(RangeParams),
    /// Fill missing values.
    Impute(ImputeParams),
    /// Drop columns (and fitted rows) missing too much.
    DropMissing(DropMissingParams),
    /// Fill from the row before or after.
    Fill(FillParams),
    /// Fill from the nearest rows.
    KnnImpute(KnnImputeParams),
    /// Date parts (year, month, …) as numbers.
    DateParts(DatePartsParams),
    /// Clip, blank or remove outliers.
    Outliers(OutlierParams),
    /// Powers and products of numeric columns.
    Polynomial(PolynomialParams),
    /// Numbers into bin numbers.
    Bins(BinParams),
    /// ln(1 + x).
    Log(LogParams),
    /// The Yeo–Johnson power transform.
    YeoJohnson(PowerParams),
    /// Drop near-constant columns.
    VarianceThreshold(VarianceParams),
    /// Drop one of each pair of highly correlated columns.
    DropCorrelated(CorrelatedParams),
    /// Keep the k features most informative about the target.
    MutualInfo(MutualInfoParams),
    /// Balance the classes of the target (fitted data only).
    Resample(ResampleParams),
    /// Principal components.
    Pca(PcaParams),
    /// Word weights of free text.
    Tfidf(TfidfParams),
    /// One indicator column per category.
    OneHot(OneHotParams),
    /// Categories as their position in an order.
    Ordinal(OrdinalParams),
    /// Categories as the share of training rows that have them.
    Frequency(OrdinalParams),
    /// Categories as the number of training rows that have them.
    Count(OrdinalParams),
    /// Category numbers in binary digits.
    Binary(BinaryParams),
    /// Categories hashed into a fixed number of columns.
    Hashing(HashingParams),
    /// Categories as the smoothed mean of the target, cross-fitted.
    TargetEncode(TargetParams),
    /// Categories as the rank of their target mean, cross-fitted.
    TargetRank(TargetParams),
    /// Zero mean, unit variance.
    StandardScale(ScaleParams),
    /// Onto a range (default [0, 1]).
    MinMaxScale(ScaleParams),
    /// Median and interquartile range.
    RobustScale(ScaleParams),
    /// Divided by the largest absolute value.
    MaxAbsScale(ScaleParams),
}

/// Every step name, for the message when `step` names none.
const STEP_NAMES: &str = "drop_duplicates, drop, clean_categories, range_rules, impute, drop_missing, fill, knn_impute, date_parts, outliers, polynomial, bins, log, yeo_johnson, variance_threshold, drop_correlated, mutual_info, resample, pca, tfidf, one_hot, ordinal, frequency, count, binary, hashing, target_encode, target_rank, standard_scale, min_max_scale, robust_scale, max_abs_scale";

impl<'de> Deserialize<'de> for StepSpec {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        let value = serde_json::Value::deserialize(deserializer)?;
        StepSpec::from_tree(&value).map_err(D::Error::custom)
    }
}

impl StepSpec {
    /// Reads `{"step": name, ...params}`; a refused parameter's message starts with its key path inside the
    /// step (`n_components: must be…`), which the Spec's reader places under the step's own path.
    fn from_tree(value: &serde_json::Value) -> std::result::Result<StepSpec, String> {
        if !value.is_object() {
            return Err("expected a step such as {\"step\": \"impute\"}".into());
        }
        let name = match value.get("step") {
            Some(serde_json::Value::String(name)) => name.as_str(),
            Some(other) => return Err(format!("`step` names a step such as \"impute\", not {other}")),
            None => return Err(format!("missing `step`: one of {STEP_NAMES}")),
        };
        let rest = crate::document::without_key(value, "step");
        fn params<T: serde::de::DeserializeOwned>(
            rest: &serde_json::Value,
        ) -> std::result::Result<T, String> {
            crate::document::read_at("", rest).map_err(|e| match e {
                crate::error::Error::Json { reason, .. } => reason,
                other => other.to_string(),
            })
        }
        Ok(match name {
            "drop_duplicates" => StepSpec::DropDuplicates(params(&rest)?),
            "drop" => StepSpec::Drop(params(&rest)?),
            "clean_categories" => StepSpec::CleanCategories(params(&rest)?),
            "range_rules" => StepSpec::RangeRules(params(&rest)?),
            "impute" => StepSpec::Impute(params(&rest)?),
            "drop_missing" => StepSpec::DropMissing(params(&rest)?),
            "fill" => StepSpec::Fill(params(&rest)?),
            "knn_impute" => StepSpec::KnnImpute(params(&rest)?),
            "date_parts" => StepSpec::DateParts(params(&rest)?),
            "outliers" => StepSpec::Outliers(params(&rest)?),
            "polynomial" => StepSpec::Polynomial(params(&rest)?),
            "bins" => StepSpec::Bins(params(&rest)?),
            "log" => StepSpec::Log(params(&rest)?),
            "yeo_johnson" => StepSpec::YeoJohnson(params(&rest)?),
            "variance_threshold" => StepSpec::VarianceThreshold(params(&rest)?),
            "drop_correlated" => StepSpec::DropCorrelated(params(&rest)?),
            "mutual_info" => StepSpec::MutualInfo(params(&rest)?),
            "resample" => StepSpec::Resample(params(&rest)?),
            "pca" => StepSpec::Pca(params(&rest)?),
            "tfidf" => StepSpec::Tfidf(params(&rest)?),
            "one_hot" => StepSpec::OneHot(params(&rest)?),
            "ordinal" => StepSpec::Ordinal(params(&rest)?),
            "frequency" => StepSpec::Frequency(params(&rest)?),
            "count" => StepSpec::Count(params(&rest)?),
            "binary" => StepSpec::Binary(params(&rest)?),
            "hashing" => StepSpec::Hashing(params(&rest)?),
            "target_encode" => StepSpec::TargetEncode(params(&rest)?),
            "target_rank" => StepSpec::TargetRank(params(&rest)?),
            "standard_scale" => StepSpec::StandardScale(params(&rest)?),
            "min_max_scale" => StepSpec::MinMaxScale(params(&rest)?),
            "robust_scale" => StepSpec::RobustScale(params(&rest)?),
            "max_abs_scale" => StepSpec::MaxAbsScale(params(&rest)?),
            other => {
                return Err(format!(
                    "unknown step `{}`; steps are: {STEP_NAMES}",
                    crate::error::shorten(other, 80)
                ))
            }
        })
    }
}

/// A fitted step: everything needed to transform new data the same way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum FittedStep {
    /// Duplicates are removed from training data only: nothing to do on new data.
    DropDuplicates,
    /// Classes are balanced in training data only: nothing to do on new data.
    Resample,
    /// The columns removed.
    Drop {
        /// Their names.
        columns: Vec<String>,
    },
    /// Cleaning rules.
    CleanCategories(FittedClean),
    /// Range rules.
    RangeRules(RangeParams),
    /// Fill values.
    Impute(FittedImpute),
    /// Neighbour rows.
    KnnImpute(FittedKnnImpute),
    /// Fill direction.
    Fill(FittedFill),
    /// Date columns and parts.
    DateParts(FittedDateParts),
    /// Fences per column.
    Outliers(FittedOutliers),
    /// Polynomial terms.
    Polynomial(FittedPolynomial),
    /// Bin edges per column.
    Bins(FittedBins),
    /// Means and components.
    Pca(FittedPca),
    /// Powers and scaling.
    YeoJohnson(FittedPower),
    /// Vocabularies.
    Tfidf(FittedTfidf),
    /// Columns taken ln(1 + x) of.
    Log {
        /// Their names.
        columns: Vec<String>,
    },
    /// Categories per column.
    OneHot(FittedOneHot),
    /// Category numbers per column.
    Coded(FittedCoded),
    /// Binary code books or hashing.
    Bits(FittedBits),
    /// Target encodings per column.
    Target(FittedTarget),
    /// Offsets and scales per column.
    Scale(FittedScale),
}

impl StepSpec {
    /// The step's name as written in the Spec.
    pub fn name(&self) -> &'static str {
        match self {
            StepSpec::DropDuplicates(_) => "drop_duplicates",
            StepSpec::Drop(_) => "drop",
            StepSpec::CleanCategories(_) => "clean_categories",
            StepSpec::RangeRules(_) => "range_rules",
            StepSpec::Impute(_) => "impute",
            StepSpec::DropMissing(_) => "drop_missing",
            StepSpec::Fill(_) => "fill",
            StepSpec::KnnImpute(_) => "knn_impute",
            StepSpec::DateParts(_) => "date_parts",
            StepSpec::Outliers(_) => "outliers",
            StepSpec::Polynomial(_) => "polynomial",
            StepSpec::Bins(_) => "bins",
            StepSpec::Log(_) => "log",
            StepSpec::YeoJohnson(_) => "yeo_johnson",
            StepSpec::VarianceThreshold(_) => "variance_threshold",
            StepSpec::DropCorrelated(_) => "drop_correlated",
            StepSpec::MutualInfo(_) => "mutual_info",
            StepSpec::Resample(_) => "resample",
            StepSpec::Pca(_) => "pca",
            StepSpec::Tfidf(_) => "tfidf",
            StepSpec::OneHot(_) => "one_hot",
            StepSpec::Ordinal(_) => "ordinal",
            StepSpec::Frequency(_) => "frequency",
            StepSpec::Count(_) => "count",
            StepSpec::Binary(_) => "binary",
            StepSpec::Hashing(_) => "hashing",
            StepSpec::TargetEncode(_) => "target_encode",
            StepSpec::TargetRank(_) => "target_rank",
            StepSpec::StandardScale(_) => "standard_scale",
            StepSpec::MinMaxScale(_) => "min_max_scale",
            StepSpec::RobustScale(_) => "robust_scale",
            StepSpec::MaxAbsScale(_) => "max_abs_scale",
        }
    }

    /// Fits this step on `table` (the training rows), leaving `target` alone: the fitted step, the table it
    /// leaves and its report. Each step's params do the work ([`Step`]); this only wraps what they learnt.
    pub fn fit(&self, table: &Table, target: Option<&str>) -> Result<(FittedStep, Table, StepReport)> {
        use super::encode::CodeKind::{Count, Frequency, Ordinal as OrdinalCode};
        use super::scale::ScaleKind::{MaxAbs, MinMax, Robust, Standard};
        let dropped = |columns| FittedStep::Drop { columns };
        match self {
            StepSpec::DropDuplicates(p) => fit_as(p, table, target, |()| FittedStep::DropDuplicates),
            StepSpec::Drop(p) => fit_as(p, table, target, dropped),
            StepSpec::CleanCategories(p) => fit_as(p, table, target, FittedStep::CleanCategories),
            StepSpec::RangeRules(p) => fit_as(p, table, target, FittedStep::RangeRules),
            StepSpec::Impute(p) => fit_as(p, table, target, FittedStep::Impute),
            StepSpec::DropMissing(p) => fit_as(p, table, target, dropped),
            StepSpec::Fill(p) => fit_as(p, table, target, FittedStep::Fill),
            StepSpec::KnnImpute(p) => fit_as(p, table, target, FittedStep::KnnImpute),
            StepSpec::DateParts(p) => fit_as(p, table, target, FittedStep::DateParts),
            StepSpec::Outliers(p) => fit_as(p, table, target, FittedStep::Outliers),
            StepSpec::Polynomial(p) => fit_as(p, table, target, FittedStep::Polynomial),
            StepSpec::Bins(p) => fit_as(p, table, target, FittedStep::Bins),
            StepSpec::Log(p) => fit_as(p, table, target, |columns| FittedStep::Log { columns }),
            StepSpec::YeoJohnson(p) => fit_as(p, table, target, FittedStep::YeoJohnson),
            StepSpec::VarianceThreshold(p) => fit_as(p, table, target, dropped),
            StepSpec::DropCorrelated(p) => fit_as(p, table, target, dropped),
            StepSpec::MutualInfo(p) => fit_as(p, table, target, dropped),
            StepSpec::Resample(p) => fit_as(p, table, target, |()| FittedStep::Resample),
            StepSpec::Pca(p) => fit_as(p, table, target, FittedStep::Pca),
            StepSpec::Tfidf(p) => fit_as(p, table, target, FittedStep::Tfidf),
            StepSpec::OneHot(p) => fit_as(p, table, target, FittedStep::OneHot),
            StepSpec::Ordinal(p) => fit_as(&(OrdinalCode, p), table, target, FittedStep::Coded),
            StepSpec::Frequency(p) => fit_as(&(Frequency, p), table, target, FittedStep::Coded),
            StepSpec::Count(p) => fit_as(&(Count, p), table, target, FittedStep::Coded),
            StepSpec::Binary(p) => fit_as(p, table, target, FittedStep::Bits),
            StepSpec::Hashing(p) => fit_as(p, table, target, FittedStep::Bits),
            StepSpec::TargetEncode(p) => fit_as(&(false, p), table, target, FittedStep::Target),
            StepSpec::TargetRank(p) => fit_as(&(true, p), table, target, FittedStep::Target),
            StepSpec::StandardScale(p) => fit_as(&(Standard, p), table, target, FittedStep::Scale),
            StepSpec::MinMaxScale(p) => fit_as(&(MinMax, p), table, target, FittedStep::Scale),
            StepSpec::RobustScale(p) => fit_as(&(Robust, p), table, target, FittedStep::Scale),
            StepSpec::MaxAbsScale(p) => fit_as(&(MaxAbs, p), table, target, FittedStep::Scale),
        }
    }
}

/// Fits `step` and wraps what it learnt as the [`FittedStep`] variant `wrap`.
fn fit_as<S: Step>(
    step: &S,
    table: &Table,
    target: Option<&str>,
    wrap: impl FnOnce(S::Fitted) -> FittedStep,
) -> Result<(FittedStep, Table, StepReport)> {
    let (fitted, out, report) = step.fit_step(table, target)?;
    Ok((wrap(fitted), out, report))
}
