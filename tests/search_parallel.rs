//! A search gives the same leaderboard however its trials are carried out: on one thread, on four, or
//! batch by batch through `next_batch` and `score_trial` in any order (as the page's pool of workers does);
//! and successive halving keeps the best candidates of each rung with the resource it promised.

mod common;

use mlplay::data::Table;
use mlplay::progress::NoProgress;
use mlplay::run::{next_batch, run_with, score_trial, RunOptions, Searched};
use mlplay::search::{SearchReport, Trial};
use mlplay::spec::Spec;

fn breast_cancer() -> Table {
    common::load_shared("breast_cancer.csv")
}

fn spec(search: &str) -> Spec {
    Spec::from_json(&format!(
        r#"{{"target": "diagnosis", "model": {{"kind": "decision_tree"}}, "importance": {{"permutation": false}},
            "seed": 11, "search": {search}}}"#
    ))
    .expect("spec")
}

const RANDOM: &str = r#"{"method": "random", "trials": 12,
    "space": {"max_depth": {"int": [1, 12]}, "min_samples_leaf": {"int": [1, 60]}, "min_samples_split": {"int": [2, 40]}, "criterion": ["gini", "entropy"]}}"#;
const TPE: &str = r#"{"method": "tpe", "trials": 18,
    "space": {"max_depth": {"int": [1, 12]}, "min_samples_leaf": {"int": [1, 60]}, "criterion": ["gini", "entropy"]}}"#;
const FAMILIES: &str = r#"{"method": "tpe", "trials": 16, "space": [
    {"kind": ["decision_tree"], "max_depth": {"int": [1, 10]}}, {"kind": ["knn"], "n_neighbors": {"int": [1, 30]}}]}"#;
const HALVING: &str = r#"{"method": "halving",
    "space": {"max_depth": [1, 2, 3, 4, 6, 8, null], "min_samples_leaf": [1, 5, 20]}}"#;

/// The leaderboard without the timings (which differ from run to run).
fn scores(report: &SearchReport) -> Vec<Trial> {
    report.trials.iter().cloned().map(|t| Trial { fit_ms: None, ..t }).collect()
}

fn searched(table: &Table, spec: &Spec, threads: usize) -> SearchReport {
    let options = RunOptions { threads, ..RunOptions::default() };
    run_with(table, spec, &options, &mut NoProgress).expect("run").report.search.expect("search")
}

#[test]
fn one_thread_and_four_give_the_same_leaderboard() {
    let table = breast_cancer();
    for search in [RANDOM, TPE, FAMILIES, HALVING] {
        let spec = spec(search);
        let one = searched(&table, &spec, 1);
        let four = searched(&table, &spec, 4);
        assert_eq!(scores(&one), scores(&four), "{search}");
        assert_eq!(one.best, four.best);
        assert!(one.trials.iter().all(|t| t.mean.is_some()), "every candidate scored");
    }
}

#[test]
fn a_pool_scoring_batches_in_any_order_gives_the_same_report() {
    let table = breast_cancer();
    for search in [RANDOM, TPE, FAMILIES, HALVING] {
        let spec = spec(search);
        // What the page does: ask for a batch, score its trials (here last first, as a busy pool might
        // finish them), put them back in index order, ask again.
        let mut done: Vec<Trial> = Vec::new();
        loop {
            let batch = next_batch(&table, &spec, &done).expect("batch");
            if batch.pending.is_empty() {
                break;
            }
            let mut scored: Vec<Trial> = batch
                .pending
                .into_iter()
                .rev()
                .map(|p| score_trial(&table, &spec, p, None).expect("trial"))
                .collect();
            scored.sort_by_key(|t| t.candidate.index);
            done.extend(scored);
        }
        let pooled = Searched { trials: done, stopped: None };
        let options = RunOptions { searched: Some(&pooled), ..RunOptions::default() };
        let from_pool = run_with(&table, &spec, &options, &mut NoProgress).expect("run").report;
        let direct = run_with(&table, &spec, &RunOptions::default(), &mut NoProgress).expect("run").report;
        let (a, b) = (from_pool.search.as_ref().expect("search"), direct.search.as_ref().expect("search"));
        assert_eq!(scores(a), scores(b), "{search}");
        assert_eq!(a.best, b.best);
        // The best candidate is what the run then fits and scores.
        assert_eq!(from_pool.params, direct.params);
        assert_eq!(from_pool.test, direct.test);
    }
}

#[test]
fn halving_promotes_the_best_of_each_rung_with_more_rows() {
    let table = breast_cancer();
    let report = searched(&table, &spec(HALVING), 1);
    // 21 candidates, factor 3: rungs of 21, 7 and 3 candidates; 5-fold CV of 455 training rows gives
    // folds of 364 rows, so the first rung gets 364 / 9 = 40 rows (at least 2 × 5 folds × 2 classes = 20).
    let rungs: Vec<(usize, usize)> = report.rungs.iter().map(|r| (r.candidates, r.resource)).collect();
    assert_eq!(rungs, [(21, 40), (7, 120), (3, 360)]);
    assert_eq!(report.trials.len(), 31);
    for (k, window) in report.rungs.windows(2).enumerate() {
        let rung = |r: usize| report.trials.iter().filter(move |t| t.candidate.rung == Some(r));
        let mut previous: Vec<&Trial> = rung(k).collect();
        previous.sort_by(|a, b| b.mean.partial_cmp(&a.mean).unwrap_or(std::cmp::Ordering::Equal));
        let promoted: Vec<_> = rung(k + 1).map(|t| &t.candidate.params).collect();
        let expected: Vec<_> =
            previous.iter().take(window[1].candidates).map(|t| &t.candidate.params).collect();
        assert_eq!(promoted, expected, "rung {}", k + 1);
        assert!(rung(k + 1).all(|t| t.candidate.rows == Some(window[1].resource)));
    }
    // The best is chosen among the last rung, as scikit-learn's halving searches.
    let best = report.best.and_then(|i| report.trials.iter().find(|t| t.candidate.index == i)).expect("best");
    assert_eq!(best.candidate.rung, Some(2));
}
