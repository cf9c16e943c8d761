//! A search space given as alternatives (scikit-learn's list of grids): conditional hyperparameters and
//! several model families in one search, each family prepared as it would be on its own.

mod common;

use mlplay::data::Table;
use mlplay::progress::NoProgress;
use mlplay::run::run;
use mlplay::run::Report;
use mlplay::spec::Spec;

fn breast_cancer() -> Table {
    common::load_shared("breast_cancer.csv")
}

fn searched(table: &Table, model: &str, search: &str) -> Report {
    let spec = Spec::from_json(&format!(
        r#"{{"target": "diagnosis", "model": {{"kind": "{model}"}}, "importance": {{"permutation": false}},
            "search": {search}}}"#
    ))
    .expect("spec");
    run(table, &spec, None, &mut NoProgress).expect("run").report
}

#[test]
fn several_model_families_in_one_grid() {
    let table = breast_cancer();
    let report = searched(
        &table,
        "decision_tree",
        r#"{"space": [{"kind": ["knn"], "n_neighbors": [3, 9]}, {"kind": ["logistic_regression"], "C": [0.1, 1]},
                      {"kind": ["ridge"]}]}"#,
    );
    let search = report.search.as_ref().expect("search");
    let kinds: Vec<&str> =
        search.trials.iter().map(|t| t.candidate.params["kind"].as_str().unwrap_or("")).collect();
    assert_eq!(kinds, ["knn", "knn", "logistic_regression", "logistic_regression", "ridge"]);
    // Ridge is a regressor: its trial is recorded as failed, the search goes on.
    let ridge = search.trials.last().expect("ridge");
    assert!(ridge.error.as_deref().is_some_and(|e| e.contains("does not do classification")), "{ridge:?}");
    // Each family scores as it does searched on its own (kNN and logistic regression get their scaler).
    let knn = searched(&table, "knn", r#"{"space": {"n_neighbors": [3, 9]}}"#);
    let logistic = searched(&table, "logistic_regression", r#"{"space": {"C": [0.1, 1]}}"#);
    let alone: Vec<Option<f64>> = [knn, logistic]
        .iter()
        .flat_map(|r| {
            r.search.as_ref().map(|s| s.trials.iter().map(|t| t.mean).collect::<Vec<_>>()).unwrap_or_default()
        })
        .collect();
    let together: Vec<Option<f64>> = search.trials.iter().take(4).map(|t| t.mean).collect();
    assert_eq!(together, alone);
    // The winner's kind is the model the run fits and reports.
    let best = search.best.and_then(|i| search.trials.iter().find(|t| t.candidate.index == i)).expect("best");
    assert_eq!(report.model, best.candidate.params["kind"].as_str().unwrap_or(""));
}

#[test]
fn conditional_parameters_come_only_with_their_alternative() {
    let table = breast_cancer();
    let report = searched(
        &table,
        "logistic_regression",
        r#"{"method": "random", "trials": 12, "space": [{"penalty": ["l2"], "C": {"log_uniform": [0.01, 10]}},
            {"penalty": ["elasticnet"], "C": {"log_uniform": [0.01, 10]}, "l1_ratio": {"uniform": [0.1, 0.9]}}]}"#,
    );
    let search = report.search.expect("search");
    let mut seen = [0, 0];
    for trial in &search.trials {
        let params = &trial.candidate.params;
        match params["penalty"].as_str() {
            Some("l2") => {
                assert!(!params.contains_key("l1_ratio"));
                seen[0] += 1;
            }
            Some("elasticnet") => {
                assert!((0.1..=0.9).contains(&params["l1_ratio"].as_f64().unwrap_or(-1.0)));
                seen[1] += 1;
            }
            other => panic!("unexpected penalty {other:?}"),
        }
        assert!(trial.mean.is_some(), "{trial:?}");
    }
    assert!(seen[0] > 0 && seen[1] > 0, "both alternatives drawn: {seen:?}");
}
