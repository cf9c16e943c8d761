//! The step vocabulary of a Spec's `prep` list, its fitted form, and what each step reports.

use serde::{Deserialize, Serialize};

use super::clean::{CleanParams, FittedClean, RangeParams};
use super::dates::{DatePartsParams, FittedDateParts};
use super::encode::{CodeKind, FittedCoded, FittedOneHot, OneHotParams, OrdinalParams};
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
use super::scale::{FittedScale, ScaleKind, ScaleParams};
use super::select::{CorrelatedParams, VarianceParams};
use super::text::{FittedTfidf, TfidfParams};

/// One preparation step as the user writes it: `{"step": "impute", "columns": "numeric", "strategy": "median"}`.
/// Every parameter but `step` has a default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// What a step did, in plain words, for the Report and the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepReport {
    /// The step's name as in the Spec.
    pub step: String,
    /// Sentences such as "imputed 11 missing values of `sex` with the most frequent value \"male\"".
    pub summary: Vec<String>,
}

impl StepReport {
    /// A report for `step`.
    pub fn new(step: &str, summary: Vec<String>) -> StepReport {
        StepReport { step: step.to_string(), summary }
    }
}

/// A number for a sentence: 6 significant digits (`43.9219`), whole numbers as they are. The exact value
/// lives in the fitted step.
pub(crate) fn readable(v: f64) -> String {
    if v.fract() == 0.0 || !v.is_finite() {
        return crate::data::profile::format_number(v);
    }
    let magnitude = v.abs().log10().floor() as i32;
    let decimals = (5 - magnitude).clamp(0, 15) as usize;
    let text = format!("{v:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// "1 column", "3 columns", "2 categories": a count with its noun in the right number.
pub(crate) fn count_of(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else if let Some(stem) = noun.strip_suffix('y') {
        format!("{n} {stem}ies")
    } else {
        format!("{n} {noun}s")
    }
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

    /// The scaler and its parameters, for the scaling steps.
    pub(crate) fn scale(&self) -> Option<(ScaleKind, &ScaleParams)> {
        match self {
            StepSpec::StandardScale(p) => Some((ScaleKind::Standard, p)),
            StepSpec::MinMaxScale(p) => Some((ScaleKind::MinMax, p)),
            StepSpec::RobustScale(p) => Some((ScaleKind::Robust, p)),
            StepSpec::MaxAbsScale(p) => Some((ScaleKind::MaxAbs, p)),
            _ => None,
        }
    }

    /// The encoding and its parameters, for the single-column encodings.
    pub(crate) fn coding(&self) -> Option<(CodeKind, &OrdinalParams)> {
        match self {
            StepSpec::Ordinal(p) => Some((CodeKind::Ordinal, p)),
            StepSpec::Frequency(p) => Some((CodeKind::Frequency, p)),
            StepSpec::Count(p) => Some((CodeKind::Count, p)),
            _ => None,
        }
    }
}
