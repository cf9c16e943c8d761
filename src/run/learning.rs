//! Learning and validation curves: the model refitted on the cross-validation folds, on growing shares of
//! each fold's training rows (scikit-learn's `learning_curve`) or with one hyperparameter varied
//! (`validation_curve`), scored with the first metric on the fold's own training rows and on its held-out
//! rows; and a plain-words verdict on over- or under-fitting.

use super::context::{summarise, Context, Scoped};
use super::report::{FoldScores, LearningCurve, ValidationCurve};
use super::spec::{DiagnosticsSpec, ValidationCurveSpec};
use crate::data::Table;
use crate::error::Result;
use crate::metrics::greater_is_better;
use crate::models::ModelKind;
use crate::rng::derive_seed;
use crate::rng::rng_from_seed;
use crate::split::Fold;

/// The random stream (of the Spec's seed) that shuffles the learning curve's training rows.
const SHUFFLE_STREAM: u64 = 0x1ea2_c0e5;

/// Fits needed by the curves the Spec asks for (for the progress bar).
pub(super) fn planned_fits(spec: &DiagnosticsSpec, wants_learning_curve: bool, folds: usize) -> usize {
    let learning = if wants_learning_curve { spec.train_sizes.len() } else { 0 };
    let validation = spec.validation_curve.as_ref().map_or(0, |v| v.values.len());
    (learning + validation) * folds
}

/// Train and validation scores of the first metric over the folds when each fold trains on `rows_of(fold)`.
fn fold_scores(
    context: &Context,
    train: &Table,
    folds: &[Fold],
    rows_of: impl Fn(&[usize]) -> Vec<usize>,
    seed: u64,
    progress: &mut Scoped,
    first: &str,
) -> Result<(FoldScores, FoldScores)> {
    let (mut on_train, mut on_validation) = (Vec::new(), Vec::new());
    for (f, (fold_train, fold_test)) in folds.iter().enumerate() {
        let rows = train.take_rows(&rows_of(fold_train));
        // A small share of rows may hold one class only, which some models refuse: that point is undefined.
        let scores = context.fit(&rows, derive_seed(seed, f as u64 + 1), progress).and_then(|fitted| {
            let own = context.evaluate(&fitted, &rows, progress)?;
            let held_out = context.evaluate(&fitted, &train.take_rows(fold_test), progress)?;
            Ok((own.get(first).copied().flatten(), held_out.get(first).copied().flatten()))
        });
        let (a, b) = scores.unwrap_or((None, None));
        on_train.push(a);
        on_validation.push(b);
        progress.offset += 1000;
    }
    Ok((summarise(on_train), summarise(on_validation)))
}

/// The learning curve over `folds` of the training rows.
pub(super) fn learning_curve(
    context: &Context,
    train: &Table,
    folds: &[Fold],
    sizes: &[f64],
    progress: &mut Scoped,
) -> Result<LearningCurve> {
    let first = context.metrics.first().cloned().unwrap_or_default();
    let scoring = [first.clone()];
    let context = Context { metrics: &scoring, ..*context };
    // As scikit-learn with shuffle=True: sizes are shares of the first fold's training rows, and each fold
    // trains on the first rows of its training rows shuffled once (unshuffled, sorted data would give the
    // small sizes a single class).
    let largest = folds.first().map_or(0, |f| f.0.len());
    let mut rng = rng_from_seed(derive_seed(context.seed, SHUFFLE_STREAM));
    let folds: Vec<Fold> = folds
        .iter()
        .map(|(fold_train, fold_test)| {
            let mut shuffled = fold_train.clone();
            rng.shuffle(&mut shuffled);
            (shuffled, fold_test.clone())
        })
        .collect();
    let mut counts: Vec<usize> = sizes
        .iter()
        .filter(|s| **s > 0.0 && **s <= 1.0)
        .map(|s| ((s * largest as f64) as usize).max(1))
        .collect();
    counts.dedup();
    let (mut train_scores, mut validation_scores) = (Vec::new(), Vec::new());
    for &count in &counts {
        progress.stage = format!("learning curve, {count} rows");
        let (a, b) = fold_scores(
            &context,
            train,
            &folds,
            |rows| rows.iter().take(count).copied().collect(),
            context.seed,
            progress,
            &first,
        )?;
        train_scores.push(a);
        validation_scores.push(b);
    }
    let reading = Reading {
        memorises: matches!(context.model.kind(), ModelKind::RandomForest | ModelKind::ExtraTrees),
        leak: context.leaky_kept.clone(),
    };
    let verdict = verdict(&first, &train_scores, &validation_scores, &reading);
    Ok(LearningCurve {
        metric: first,
        sizes: counts,
        train: train_scores,
        validation: validation_scores,
        verdict,
    })
}

/// The validation curve of `curve.param` over the folds.
pub(super) fn validation_curve(
    context: &Context,
    train: &Table,
    folds: &[Fold],
    curve: &ValidationCurveSpec,
    progress: &mut Scoped,
) -> Result<ValidationCurve> {
    let first = context.metrics.first().cloned().unwrap_or_default();
    let scoring = [first.clone()];
    let (mut train_scores, mut validation_scores) = (Vec::new(), Vec::new());
    for value in &curve.values {
        let change = serde_json::Map::from_iter([(curve.param.clone(), value.clone())]);
        let model = context.model.with_params(&change, "diagnostics.validation_curve.param")?;
        let varied = Context { metrics: &scoring, model: &model, ..*context };
        progress.stage = format!("validation curve, {} = {value}", curve.param);
        let (a, b) = fold_scores(&varied, train, folds, <[usize]>::to_vec, context.seed, progress, &first)?;
        train_scores.push(a);
        validation_scores.push(b);
    }
    Ok(ValidationCurve {
        metric: first,
        param: curve.param.clone(),
        values: curve.values.clone(),
        train: train_scores,
        validation: validation_scores,
    })
}

/// Metrics on a 0–1 scale (or at most 1, as R²), for which fixed gaps make sense.
fn unit_scale(metric: &str) -> bool {
    matches!(
        metric,
        "accuracy" | "balanced_accuracy" | "r2" | "explained_variance" | "matthews_corrcoef" | "cohen_kappa"
    ) || metric.starts_with("f1")
        || metric.starts_with("precision")
        || metric.starts_with("recall")
        || metric.starts_with("roc_auc")
        || metric == "average_precision"
}

/// What the verdict must know about the model beyond its scores.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    /// The model fits its training rows (almost) perfectly by design (a forest of fully grown trees), so a
    /// gap between training and held-out scores is no sign of over-fitting.
    pub memorises: bool,
    /// A column that alone predicts the target and that the user kept: the scores may be too good to trust.
    pub leak: Option<String>,
}

/// A plain-words reading of the learning curve's last point (all training rows): over-fitting when the
/// training score is far above the validation score (by 0.1 on a 0–1 scale, else by a quarter of the
/// validation score), under-fitting when both are low and close (below 0.7 on a 0–1 scale; 0.3 for R²),
/// and whether the validation score is still rising. A forest is judged by its held-out scores and their
/// trend only; a model that saw a leaky column is never called a good fit.
pub fn verdict(
    metric: &str,
    train: &[FoldScores],
    validation: &[FoldScores],
    reading: &Reading,
) -> Option<String> {
    let (t, v) = (train.last()?.mean?, validation.last()?.mean?);
    let sign = if greater_is_better(metric) { 1.0 } else { -1.0 };
    let gap = sign * (t - v);
    let unit = unit_scale(metric);
    let overfit = if unit { gap > 0.1 } else { gap > 0.25 * v.abs().max(f64::MIN_POSITIVE) };
    let low_bar = if metric == "r2" || metric == "explained_variance" { 0.3 } else { 0.7 };
    let underfit = unit && !overfit && t < low_bar && v < low_bar;
    let previous = validation.iter().rev().nth(1).and_then(|s| s.mean);
    let rising = previous.is_some_and(|p| {
        let gain = sign * (v - p);
        if unit {
            gain > 0.02
        } else {
            gain > 0.05 * p.abs()
        }
    });
    let mut words = if let Some(column) = &reading.leak {
        format!(
            "Too good to trust: the model saw `{column}`, which alone predicts the target ({metric} {v:.3} on \
             held-out rows). Leave it out unless it is known before the outcome."
        )
    } else if reading.memorises && !underfit {
        format!(
            "A forest fits its training rows almost perfectly by design ({metric} {t:.3}), so the gap to held-out \
             rows ({v:.3}) is no sign of over-fitting; judge it by the held-out score."
        )
    } else if overfit {
        format!(
            "Over-fitting: {metric} is {t:.3} on the rows the model learnt from but {v:.3} on held-out rows. A simpler model, stronger regularisation or more data should narrow the gap."
        )
    } else if underfit {
        format!(
            "Under-fitting: {metric} is low on both the training rows ({t:.3}) and held-out rows ({v:.3}). A more flexible model or more informative features should help."
        )
    } else {
        format!(
            "A good fit: {metric} is {t:.3} on the training rows and {v:.3} on held-out rows, close to each other."
        )
    };
    if rising {
        words.push_str(" The held-out score is still rising with more rows, so more data would likely help.");
    }
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scores(means: &[f64]) -> Vec<FoldScores> {
        means.iter().map(|&m| FoldScores { mean: Some(m), std: Some(0.0), folds: vec![Some(m)] }).collect()
    }

    #[test]
    fn the_verdict_names_over_and_under_fitting() {
        let over = verdict("accuracy", &scores(&[1.0, 1.0]), &scores(&[0.70, 0.71]), &Reading::default());
        assert!(over.is_some_and(|v| v.starts_with("Over-fitting")));
        let under = verdict("r2", &scores(&[0.2, 0.21]), &scores(&[0.15, 0.18]), &Reading::default());
        assert!(under.is_some_and(|v| v.starts_with("Under-fitting") && v.contains("still rising")));
        let good = verdict("accuracy", &scores(&[0.95, 0.94]), &scores(&[0.93, 0.93]), &Reading::default());
        assert!(good.is_some_and(|v| v.starts_with("A good fit") && !v.contains("rising")));
        // An error metric: lower is better, so the training error far below the validation error is over-fitting.
        let rmse = verdict(
            "root_mean_squared_error",
            &scores(&[1.0, 1.0]),
            &scores(&[3.0, 2.0]),
            &Reading::default(),
        );
        assert!(rmse.is_some_and(|v| v.starts_with("Over-fitting") && v.contains("still rising")));
    }

    #[test]
    fn a_forest_is_judged_by_its_held_out_scores_and_a_leak_is_never_a_good_fit() {
        let forest = Reading { memorises: true, leak: None };
        let perfect = verdict("accuracy", &scores(&[1.0, 1.0]), &scores(&[0.80, 0.86]), &forest);
        assert!(perfect
            .is_some_and(|v| v.starts_with("A forest fits its training rows") && v.contains("still rising")));
        let leak = Reading { memorises: false, leak: Some("copy".into()) };
        let trusted = verdict("accuracy", &scores(&[1.0, 1.0]), &scores(&[1.0, 1.0]), &leak);
        assert!(trusted.is_some_and(
            |v| v.starts_with("Too good to trust: the model saw `copy`") && !v.contains("good fit")
        ));
    }
}
