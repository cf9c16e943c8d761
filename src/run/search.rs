//! Running a hyperparameter search: the Spec's `search` candidates, batch by batch, each cross-validated on
//! the training rows' folds (preparation fitted inside each fold, fold seeds as in the run's own
//! cross-validation) and ranked by the search metric; the best candidate's model is what the run then fits.
//! A batch's trials are independent, so they may run on several threads (natively) or be scored by the
//! page's workers through [`next_batch`] and [`score_trial`]; either way every trial's numbers are the same.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use super::context::{summarise, Context, Scoped};
use super::setup::Setup;
use super::spec::Spec;
use super::{Clock, Searched};
use crate::data::Table;
use crate::error::{Error, Result};
use crate::metrics::{check_metrics, greater_is_better};
use crate::models::{ModelSpec, Task};
use crate::progress::{NoProgress, Progress};
use crate::rng::derive_seed;
use crate::rng::rng_from_seed;
use crate::search::{Pending, Proposer, SearchReport, SearchSpec, Trial};
use crate::split::Fold;

/// The random stream (of the Spec's seed) that picks successive halving's rows within each fold.
const HALVING_STREAM: u64 = 0x4a1f_0001;

/// The search's leaderboard and the model spec of its best candidate (None when no candidate was scored).
pub(super) struct Found {
    pub report: SearchReport,
    pub best: Option<ModelSpec>,
}

/// How the trials are carried out: on this many threads, or taken from a search scored elsewhere.
pub(super) struct How<'a> {
    pub threads: usize,
    pub searched: Option<&'a Searched>,
}

/// What every trial of one search shares.
struct Plan<'a> {
    context: &'a Context<'a>,
    train: &'a Table,
    folds: &'a [Fold],
    metric: String,
    proposer: Proposer,
}

impl<'a> Plan<'a> {
    fn new(
        context: &'a Context<'a>,
        train: &'a Table,
        folds: &'a [Fold],
        search: &SearchSpec,
    ) -> Result<Self> {
        let task = context.labels.task;
        if task == Task::Clustering {
            return Err(Error::Spec {
                path: "search".into(),
                reason: "clustering has no held-out score to search on; set the model's params instead"
                    .into(),
            });
        }
        if folds.is_empty() {
            return Err(Error::Spec {
                path: "search".into(),
                reason: "a search scores candidates by cross-validation: set cv.folds to 2 or more".into(),
            });
        }
        let metric = search.metric.clone().or_else(|| context.metrics.first().cloned()).unwrap_or_default();
        check_metrics(std::slice::from_ref(&metric), task)?;
        let fewest_rows = folds.iter().map(|(train, _)| train.len()).min().unwrap_or(0);
        // As scikit-learn's halving searches: two rows per fold (and per class) at the least.
        let classes = if task == Task::Classification { context.labels.classes.len().max(1) } else { 1 };
        let smallest_rows = 2 * folds.len() * classes;
        let proposer =
            Proposer::new(search, context.seed, greater_is_better(&metric), fewest_rows, smallest_rows)?;
        Ok(Plan { context, train, folds, metric, proposer })
    }

    /// Cross-validates one candidate; a candidate the model refuses, or whose fit fails, is recorded with
    /// its error rather than failing the search. `progress` hears about each fold.
    fn score(&self, pending: Pending, clock: Option<Clock>, progress: &mut dyn Progress) -> Trial {
        let started = clock.map(|c| c());
        let mut trial = Trial::of(pending);
        let scoring = [self.metric.clone()];
        let task = self.context.labels.task;
        match self.context.model.with_params(&trial.candidate.params, "search.space") {
            // A search over several model families may name one that does not do this task.
            Ok(model) if !model.supports(task) => {
                trial.error = Some(format!("`{}` does not do {}", model.kind(), task.name()));
            }
            Ok(model) => {
                let scored = Context { metrics: &scoring, model: &model, ..*self.context };
                let mut values = Vec::with_capacity(self.folds.len());
                for (f, (fold_train, fold_test)) in self.folds.iter().enumerate() {
                    let mut scoped = Scoped {
                        inner: progress,
                        stage: format!("fold {} of {}", f + 1, self.folds.len()),
                        offset: f as u64 * 1000,
                        total: self.folds.len() as u64 * 1000,
                    };
                    let rows = self.train.take_rows(&self.training_rows(fold_train, f, trial.candidate.rows));
                    let score = scored
                        .fit(&rows, derive_seed(self.context.seed, f as u64 + 1), &mut scoped)
                        .and_then(|fitted| {
                            scored.evaluate(&fitted, &self.train.take_rows(fold_test), &mut scoped)
                        });
                    match score {
                        Ok(scores) => values.push(scores.get(&self.metric).copied().flatten()),
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
        trial.fit_ms = started.zip(clock.map(|c| c())).map(|(a, b)| b - a);
        trial
    }

    /// A fold's training rows, or with successive halving's `rows` resource that many of them: the first
    /// of a fixed shuffle of the fold, so each rung's rows include the previous rung's.
    fn training_rows(&self, fold_train: &[usize], fold: usize, rows: Option<usize>) -> Vec<usize> {
        match rows {
            Some(n) if n < fold_train.len() => {
                let mut shuffled = fold_train.to_vec();
                let stream = derive_seed(self.context.seed, HALVING_STREAM);
                rng_from_seed(derive_seed(stream, fold as u64)).shuffle(&mut shuffled);
                shuffled.truncate(n);
                shuffled.sort_unstable();
                shuffled
            }
            _ => fold_train.to_vec(),
        }
    }
}

/// Scores every candidate of `search` (or takes the trials of `how.searched`) and picks the best.
pub(super) fn run_search(
    context: &Context,
    train: &Table,
    folds: &[Fold],
    search: &SearchSpec,
    how: How,
    progress: &mut dyn Progress,
) -> Result<Found> {
    let plan = Plan::new(context, train, folds, search)?;
    let (trials, stopped) = match how.searched {
        Some(searched) => (searched.trials.clone(), searched.stopped.clone()),
        None => execute(&plan, search.time_budget_s, how.threads, progress),
    };
    let best = plan.proposer.best(&trials);
    let best_model = best
        .and_then(|i| trials.iter().find(|t| t.candidate.index == i))
        .and_then(|t| context.model.with_params(&t.candidate.params, "search.space").ok());
    Ok(Found {
        report: SearchReport {
            method: search.method.name().into(),
            greater_is_better: greater_is_better(&plan.metric),
            total: plan.proposer.total(),
            metric: plan.metric,
            trials,
            best,
            stopped,
            rungs: plan.proposer.rungs().to_vec(),
        },
        best: best_model,
    })
}

/// Runs the search's batches in order; within a batch, trials start in index order on up to `threads`
/// threads, so trials done are always the first ones. A time budget stops starting trials.
fn execute(
    plan: &Plan,
    budget_s: Option<f64>,
    threads: usize,
    progress: &mut dyn Progress,
) -> (Vec<Trial>, Option<String>) {
    let clock = plan.context.clock;
    let started = clock.map(|c| c());
    let out_of_time = || match (budget_s, started, clock) {
        (Some(budget), Some(start), Some(c)) => (c() - start) / 1000.0 >= budget,
        _ => false,
    };
    let total = plan.proposer.total();
    let mut trials: Vec<Trial> = Vec::with_capacity(total);
    // wasm32 has no threads (the page runs a pool of workers instead).
    let threads = if cfg!(target_arch = "wasm32") { 1 } else { threads.max(1) };
    loop {
        let batch = plan.proposer.next_batch(&trials);
        if batch.is_empty() {
            return (trials, None);
        }
        let wanted = batch.len();
        let done = if threads == 1 || wanted == 1 {
            sequential(plan, batch, trials.len(), &out_of_time, progress)
        } else {
            parallel(plan, batch, threads, trials.len(), &out_of_time, progress)
        };
        let finished_batch = done.len() == wanted;
        trials.extend(done);
        if !finished_batch {
            // Only the time budget stops a batch short.
            let budget = budget_s.unwrap_or_default();
            let why =
                format!("the time budget of {budget} s ran out after {} of {total} candidates", trials.len());
            return (trials, Some(why));
        }
    }
}

fn sequential(
    plan: &Plan,
    batch: Vec<Pending>,
    done_before: usize,
    out_of_time: &dyn Fn() -> bool,
    progress: &mut dyn Progress,
) -> Vec<Trial> {
    let total = plan.proposer.total();
    let mut done = Vec::with_capacity(batch.len());
    for pending in batch {
        // The first trial always runs, so a search keeps at least one candidate.
        if done_before + done.len() > 0 && out_of_time() {
            break;
        }
        let position = done_before + done.len();
        let mut scoped = Scoped {
            inner: progress,
            stage: format!("search: candidate {} of {total}", position + 1),
            offset: position as u64 * 1000,
            total: total as u64 * 1000,
        };
        done.push(plan.score(pending, plan.context.clock, &mut scoped));
    }
    done
}

/// Scores a batch on `threads` threads; progress is reported as trials finish.
fn parallel(
    plan: &Plan,
    batch: Vec<Pending>,
    threads: usize,
    done_before: usize,
    out_of_time: &(dyn Fn() -> bool + Sync),
    progress: &mut dyn Progress,
) -> Vec<Trial> {
    let total = plan.proposer.total();
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (sender, receiver) = mpsc::channel::<Trial>();
    let mut done: Vec<Trial> = std::thread::scope(|scope| {
        for _ in 0..threads.min(batch.len()) {
            let sender = sender.clone();
            let (next, stop, batch) = (&next, &stop, &batch);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(pending) = batch.get(i) else { break };
                if stop.load(Ordering::SeqCst) || (done_before + i > 0 && out_of_time()) {
                    stop.store(true, Ordering::SeqCst);
                    break;
                }
                let trial = plan.score(pending.clone(), plan.context.clock, &mut NoProgress);
                if sender.send(trial).is_err() {
                    break;
                }
            });
        }
        drop(sender);
        let mut done = Vec::with_capacity(batch.len());
        for trial in receiver {
            done.push(trial);
            let finished = (done_before + done.len()) as u64;
            progress.report(
                &format!("search: {finished} of {total} candidates"),
                finished * 1000,
                total as u64 * 1000,
            );
        }
        done
    });
    done.sort_by_key(|t| t.candidate.index);
    // Trials start in index order, so those done form a prefix; keep only that prefix to be safe.
    let prefix = done.iter().enumerate().take_while(|(k, t)| t.candidate.index == done_before + k).count();
    done.truncate(prefix);
    done
}

/// The next batch of candidates of `spec`'s search after the trials `done` (in index order, whole batches);
/// empty when the search is complete.
pub fn next_batch(table: &Table, spec: &Spec, done: &[Trial]) -> Result<Batch> {
    SearchSession::new(table, spec)?.next_batch(done)
}

/// Cross-validates one candidate of `spec`'s search, exactly as a run would.
pub fn score_trial(table: &Table, spec: &Spec, pending: Pending, clock: Option<Clock>) -> Result<Trial> {
    SearchSession::new(table, spec)?.score(pending, clock)
}

/// A search scored trial by trial outside `run` (by the page's pool of workers): the Spec and the rows,
/// split and folds it works on, built once and kept for all the trials a worker scores.
pub struct SearchSession {
    spec: Spec,
    setup: Setup,
}

impl SearchSession {
    /// The search of `spec` on `table`; explains a Spec without a search, or with one that cannot run.
    pub fn new(table: &Table, spec: &Spec) -> Result<SearchSession> {
        let session = SearchSession { spec: spec.clone(), setup: Setup::new(table, spec)? };
        session.with_plan(None, |_| ())?;
        Ok(session)
    }

    /// The next batch of candidates after the trials `done` (in index order, whole batches); empty when the
    /// search is complete. What the page's pool hands out to its workers.
    pub fn next_batch(&self, done: &[Trial]) -> Result<Batch> {
        self.with_plan(None, |plan| Batch {
            pending: plan.proposer.next_batch(done),
            total: plan.proposer.total(),
            metric: plan.metric.clone(),
            greater_is_better: greater_is_better(&plan.metric),
        })
    }

    /// Cross-validates one candidate, exactly as a run would.
    pub fn score(&self, pending: Pending, clock: Option<Clock>) -> Result<Trial> {
        self.with_plan(clock, |plan| plan.score(pending, clock, &mut NoProgress))
    }

    fn with_plan<T>(&self, clock: Option<Clock>, f: impl FnOnce(&Plan) -> T) -> Result<T> {
        let search = self.spec.search.as_ref().ok_or_else(|| Error::Spec {
            path: "search".into(),
            reason: "the Spec has no search section".into(),
        })?;
        let context = self.setup.context(&self.spec, clock);
        let plan = Plan::new(&context, &self.setup.train_table, &self.setup.folds, search)?;
        Ok(f(&plan))
    }
}

/// A batch of trials to score and what the search looks like.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Batch {
    /// The trials to score now (any order, any worker).
    pub pending: Vec<Pending>,
    /// How many trials the whole search will have.
    pub total: usize,
    /// The metric that ranks the trials.
    pub metric: String,
    /// Whether a higher metric is better.
    pub greater_is_better: bool,
}
