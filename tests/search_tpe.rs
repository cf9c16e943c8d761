//! Bayesian search (TPE) against grid search on a shared classification dataset: on a 60-configuration
//! decision-tree space, TPE finds a configuration with the grid's best cross-validated score within 30 trials
//! (half the grid) for every seed tried, never proposes a configuration twice, and its proposals are
//! reproducible from the seed. (benches/search_tpe.rs compares it with random search on 234 configurations.)

mod common;

use mlplay::data::Table;
use mlplay::progress::NoProgress;
use mlplay::run::run;
use mlplay::search::SearchReport;
use mlplay::spec::Spec;

const SPACE: &str =
    r#"{"max_depth": [1, 2, 3, 4, 5, 6, 8, 10, 12, null], "min_samples_leaf": [1, 2, 5, 10, 20, 50]}"#;

fn breast_cancer() -> Table {
    common::load_shared("breast_cancer.csv")
}

fn search(table: &Table, method: &str, trials: usize, seed: u64) -> SearchReport {
    let spec = format!(
        r#"{{"target": "diagnosis", "model": {{"kind": "decision_tree"}}, "importance": {{"permutation": false}},
            "search": {{"method": "{method}", "trials": {trials}, "space": {SPACE}}}, "seed": {seed}}}"#
    );
    let spec = Spec::from_json(&spec).expect("spec");
    run(table, &spec, None, &mut NoProgress).expect("run").report.search.expect("search")
}

fn best_score(report: &SearchReport) -> f64 {
    report.trials.iter().filter_map(|t| t.mean).fold(f64::NEG_INFINITY, f64::max)
}

#[test]
fn tpe_reaches_the_grid_best_with_half_the_trials() {
    let table = breast_cancer();
    let mut reached = 0;
    for seed in 0..5 {
        let grid = search(&table, "grid", 0, seed);
        assert_eq!(grid.trials.len(), 60);
        let tpe = search(&table, "tpe", 30, seed);
        assert_eq!(tpe.trials.len(), 30);
        // The same configuration scores the same in both searches (same folds, same seeds).
        for trial in &tpe.trials {
            let same = grid
                .trials
                .iter()
                .find(|g| g.candidate.params == trial.candidate.params)
                .expect("a grid configuration");
            assert_eq!(same.mean, trial.mean, "seed {seed} {:?}", trial.candidate.params);
        }
        // A repeat would waste a trial: TPE never proposes a configuration twice.
        for (i, a) in tpe.trials.iter().enumerate() {
            assert!(
                tpe.trials[..i].iter().all(|b| b.candidate.params != a.candidate.params),
                "seed {seed}: repeat"
            );
        }
        if best_score(&tpe) >= best_score(&grid) {
            reached += 1;
        }
    }
    assert_eq!(reached, 5, "TPE reached the grid's best score within 30 trials for {reached} of 5 seeds");
}

#[test]
fn a_time_budget_stops_the_search_and_keeps_what_was_found() {
    let table = breast_cancer();
    let spec = Spec::from_json(&format!(
        r#"{{"target": "diagnosis", "model": {{"kind": "decision_tree"}}, "importance": {{"permutation": false}},
            "search": {{"method": "grid", "time_budget_s": 2.5, "space": {SPACE}}}}}"#
    ))
    .expect("spec");
    // A clock that moves one second per reading: the budget runs out after a few candidates, whatever the
    // machine's speed.
    let ticks = std::sync::atomic::AtomicU64::new(0);
    let clock = || (ticks.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1) as f64 * 1000.0;
    let report = run(&table, &spec, Some(&clock), &mut NoProgress).expect("run").report;
    let search = report.search.expect("search");
    assert!(!search.trials.is_empty() && search.trials.len() < 60, "{} trials", search.trials.len());
    assert!(search.stopped.as_deref().is_some_and(|s| s.contains("time budget")));
    assert!(search.best.is_some(), "the best of the trials run is kept");
    assert!(report.warnings.iter().any(|w| w.contains("stopped early")));
}

#[test]
fn tpe_is_reproducible_from_the_seed() {
    let table = breast_cancer();
    let a = search(&table, "tpe", 15, 3);
    let b = search(&table, "tpe", 15, 3);
    assert_eq!(a, b);
    let c = search(&table, "tpe", 15, 4);
    assert_ne!(
        a.trials.iter().map(|t| &t.candidate.params).collect::<Vec<_>>(),
        c.trials.iter().map(|t| &t.candidate.params).collect::<Vec<_>>()
    );
}
