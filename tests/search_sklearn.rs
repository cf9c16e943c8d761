//! Grid search against scikit-learn's GridSearchCV (tests/fixtures/search/grid.json, written by generate.py
//! beside it with the versions recorded): with unshuffled 5-fold KFold, every candidate's mean and standard
//! deviation of the CV score agree within 1e-9, in the same order, and the best parameters are the same.

mod common;

use mlplay::data::{read_csv, CsvOptions};
use mlplay::progress::NoProgress;
use mlplay::run::run;
use mlplay::spec::Spec;
use serde_json::Value;

#[test]
fn grid_search_matches_grid_search_cv() {
    let path = format!("{}/tests/fixtures/search/grid.json", env!("CARGO_MANIFEST_DIR"));
    let fixture: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("json");
    let cases = fixture["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 2);
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let bytes = std::fs::read(common::shared_datasets().join(case["file"].as_str().unwrap_or("")))
            .expect("dataset");
        let (table, _) = read_csv(&bytes, &CsvOptions::default(), &mut NoProgress).expect("csv");
        let spec: Spec = serde_json::from_value(case["spec"].clone()).expect("spec");
        let report =
            run(&table, &spec, None, &mut NoProgress).unwrap_or_else(|e| panic!("{name}: {e}")).report;
        let search = report.search.as_ref().expect("a search report");
        let params = case["params"].as_array().expect("params");
        assert_eq!(search.trials.len(), params.len(), "{name}: one trial per candidate");
        for (i, trial) in search.trials.iter().enumerate() {
            assert_eq!(
                Value::Object(trial.candidate.params.clone()),
                params[i],
                "{name}: candidate {i} in ParameterGrid order"
            );
            let want_mean = case["mean_test_score"][i].as_f64().expect("mean");
            let want_std = case["std_test_score"][i].as_f64().expect("std");
            let (mean, std) = (trial.mean.expect("scored"), trial.std.expect("scored"));
            assert!(
                (mean - want_mean).abs() <= 1e-9,
                "{name} {:?}: mean {mean} vs scikit-learn {want_mean}",
                trial.candidate.params
            );
            assert!(
                (std - want_std).abs() <= 1e-9,
                "{name} {:?}: std {std} vs scikit-learn {want_std}",
                trial.candidate.params
            );
        }
        let best = search.best.and_then(|b| search.trials.get(b)).expect("a best trial");
        assert_eq!(
            Value::Object(best.candidate.params.clone()),
            case["best_params"],
            "{name}: best parameters"
        );
        // The run goes on with the best candidate: its params are in the Report, its CV is the best trial's.
        for (key, value) in &best.candidate.params {
            assert_eq!(&report.params[key], value, "{name}: the final model uses the best {key}");
        }
        let metric = &search.metric;
        let cv_mean = report.cv[metric].mean.expect("cv mean");
        assert!(
            (cv_mean - best.mean.unwrap_or(f64::NAN)).abs() < 1e-12,
            "{name}: the final CV is the best trial's"
        );
    }
}
