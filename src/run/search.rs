//! Running a hyperparameter search: every candidate of the Spec's `search` section cross-validated on the
//! training rows' folds (preparation fitted inside each fold, fold seeds as in the run's own
//! cross-validation), ranked by the search metric; the best candidate's model is what the run then fits.

use super::{summarise, Context, Scoped};
use crate::data::Table;
use crate::error::{Error, Result};
use crate::metrics::{check_metrics, greater_is_better};
use crate::models::params::derive_seed;
use crate::models::{ModelSpec, Task};
use crate::progress::Progress;
use crate::search::{Proposer, SearchReport, SearchSpec, Trial, Tried};
use crate::split::Fold;

/// The search's leaderboard and the model spec of its best candidate (None when no candidate was scored).
pub(super) struct Found {
    pub report: SearchReport,
    pub best: Option<ModelSpec>,
}

/// Cross-validates every candidate of `search` on `folds` of `train`.
pub(super) fn run_search(
    context: &Context,
    task: Task,
    train: &Table,
    folds: &[Fold],
    search: &SearchSpec,
    progress: &mut dyn Progress,
) -> Result<Found> {
    if folds.is_empty() {
        return Err(Error::InvalidParam {
            name: "search".into(),
            reason: "a search scores candidates by cross-validation: set cv.folds to 2 or more".into(),
        });
    }
    let metric = search.metric.clone().or_else(|| context.metrics.first().cloned()).unwrap_or_default();
    check_metrics(std::slice::from_ref(&metric), task)?;
    let proposer = Proposer::new(search, context.seed)?;
    let sign = if greater_is_better(&metric) { 1.0 } else { -1.0 };
    let mut history: Vec<Tried> = Vec::new();
    let scoring = [metric.clone()];
    let n_candidates = proposer.total();
    let total = (n_candidates * folds.len()) as u64 * 1000;
    let mut trials = Vec::with_capacity(n_candidates);
    let mut models = Vec::with_capacity(n_candidates);
    let search_started = context.clock.map(|c| c());
    let mut stopped = None;
    for index in 0..n_candidates {
        let elapsed_s = search_started.zip(context.clock.map(|c| c())).map(|(a, b)| (b - a) / 1000.0);
        if let (Some(budget), Some(elapsed)) = (search.time_budget_s, elapsed_s) {
            if index > 0 && elapsed >= budget {
                stopped = Some(format!(
                    "the time budget of {budget} s ran out after {index} of {n_candidates} candidates"
                ));
                break;
            }
        }
        let params = proposer.propose(index, &history);
        let started = context.clock.map(|c| c());
        let model = context.model.with_params(&params, "search.space");
        let mut trial =
            Trial { index, params, mean: None, std: None, folds: Vec::new(), fit_ms: None, error: None };
        match &model {
            Ok(model) => {
                let scored = Context { metrics: &scoring, model, ..*context };
                let mut values = Vec::with_capacity(folds.len());
                for (f, (fold_train, fold_test)) in folds.iter().enumerate() {
                    let mut scoped = Scoped {
                        inner: progress,
                        stage: format!(
                            "search: candidate {} of {n_candidates}, fold {} of {}",
                            index + 1,
                            f + 1,
                            folds.len()
                        ),
                        offset: (index * folds.len() + f) as u64 * 1000,
                        total,
                    };
                    let rows = train.take_rows(fold_train);
                    // A failing candidate (a value the model refuses for these data) is recorded, not fatal.
                    let score =
                        scored.fit(&rows, derive_seed(context.seed, f as u64 + 1), &mut scoped).and_then(
                            |fitted| scored.evaluate(&fitted, &train.take_rows(fold_test), &mut scoped),
                        );
                    match score {
                        Ok(scores) => values.push(scores.get(&metric).copied().flatten()),
                        Err(e) => {
                            trial.error = Some(e.to_string());
                            break;
                        }
                    }
                }
                if trial.error.is_none() {
                    let summary = summarise(values);
                    (trial.mean, trial.std, trial.folds) = (summary.mean, summary.std, summary.folds);
                }
            }
            Err(e) => trial.error = Some(e.to_string()),
        }
        trial.fit_ms = started.zip(context.clock.map(|c| c())).map(|(a, b)| b - a);
        history.push((trial.params.clone(), trial.mean.map(|m| -sign * m)));
        trials.push(trial);
        models.push(model.ok());
    }
    // The first of equal best scores wins, as scikit-learn's rank_test_score.
    let best = trials
        .iter()
        .filter_map(|t| t.mean.map(|m| (t.index, sign * m)))
        .fold(None, |best: Option<(usize, f64)>, (i, s)| match best {
            Some((_, b)) if b >= s => best,
            _ => Some((i, s)),
        })
        .map(|(i, _)| i);
    let best_model = best.and_then(|i| models.get_mut(i)).and_then(Option::take);
    Ok(Found {
        report: SearchReport { method: search.method.clone(), metric, trials, best, stopped },
        best: best_model,
    })
}
