//! mlplay's metrics against scikit-learn's on the cases of tests/fixtures/metrics/regression.json and
//! classification.json (written by generate.py beside them, which records the versions): every value within
//! 1e-9 (relative to the value when it is larger than 1), undefined where scikit-learn gives NaN, and each
//! `neg_` form the exact negative.

use mlplay::metrics::{greater_is_better, score, Truth, REGRESSION_METRICS};
use mlplay::models::matrix::Matrix;
use mlplay::models::Predictions;
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/metrics/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array().map(|a| a.iter().filter_map(Value::as_f64).collect()).unwrap_or_default()
}

/// The cases of fixture `name` (a JSON list under the same key).
fn cases(name: &str) -> Vec<Value> {
    fixture(name)[name].as_array().cloned().unwrap_or_default()
}

/// Scores every metric of `case["expected"]` and asserts it is scikit-learn's value within 1e-9 (relative
/// above 1), or undefined where scikit-learn's is null; returns each metric with mlplay's value.
fn check_case(case: &Value, truth: Truth, predictions: &Predictions) -> Vec<(String, Option<f64>)> {
    let name = case["name"].as_str().unwrap_or("?");
    let expected = case["expected"].as_object().cloned().unwrap_or_default();
    expected
        .iter()
        .map(|(metric, want)| {
            let got = score(metric, truth, predictions).unwrap_or_else(|e| panic!("{name} {metric}: {e}"));
            match (got, want.as_f64()) {
                (Some(got), Some(want)) => assert!(
                    (got - want).abs() <= 1e-9 * want.abs().max(1.0),
                    "{name} {metric}: {got} vs scikit-learn {want}"
                ),
                (None, None) => {}
                (got, want) => panic!("{name} {metric}: {got:?} vs scikit-learn {want:?}"),
            }
            (metric.clone(), got)
        })
        .collect()
}

#[test]
fn regression_metrics_agree_with_scikit_learn() {
    let cases = cases("regression");
    assert!(cases.len() >= 10, "the fixture has its cases");
    let mut checked = 0;
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let truth = numbers(&case["truth"]);
        let predictions = Predictions::Values(numbers(&case["pred"]));
        for (metric, got) in check_case(case, Truth::Values(&truth), &predictions) {
            if !greater_is_better(&metric) {
                let negated = score(&format!("neg_{metric}"), Truth::Values(&truth), &predictions)
                    .unwrap_or_else(|e| panic!("{name} neg_{metric}: {e}"));
                assert_eq!(negated, got.map(|g| -g), "{name} neg_{metric}");
            }
            checked += 1;
        }
    }
    // Every plain regression metric is in the fixture.
    for metric in REGRESSION_METRICS.iter().filter(|m| !m.starts_with("neg_")) {
        assert!(cases.iter().any(|c| c["expected"].get(*metric).is_some()), "{metric} has no reference");
    }
    assert!(checked >= 80);
}

#[test]
fn unknown_and_misplaced_regression_names_are_refused() {
    let predictions = Predictions::Values(vec![1.0, 2.0]);
    for name in ["neg_r2", "neg_explained_variance", "mean_error", "neg_"] {
        assert!(score(name, Truth::Values(&[1.0, 2.5]), &predictions).is_err(), "{name}");
    }
}

fn indices(v: &Value) -> Vec<usize> {
    v.as_array().map(|a| a.iter().filter_map(Value::as_u64).map(|i| i as usize).collect()).unwrap_or_default()
}

#[test]
fn classification_metrics_agree_with_scikit_learn() {
    let cases = cases("classification");
    assert!(cases.len() >= 9, "the fixture has its cases");
    let mut checked = 0;
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let k = case["k"].as_u64().unwrap_or(0) as usize;
        let truth = indices(&case["truth"]);
        let rows: Vec<Vec<f64>> =
            case["proba"].as_array().map(|r| r.iter().map(numbers).collect()).unwrap_or_default();
        let proba = Matrix::from_rows(&rows).unwrap_or_else(|e| panic!("{name}: {e}"));
        let predictions = Predictions::Classes { labels: indices(&case["pred"]), proba };
        checked += check_case(case, Truth::Classes(&truth, k), &predictions).len();
        let brier = score("brier_score_loss", Truth::Classes(&truth, k), &predictions).ok().flatten();
        let negated = score("neg_brier_score", Truth::Classes(&truth, k), &predictions).ok().flatten();
        assert_eq!(negated, brier.map(|b| -b), "{name} neg_brier_score");
    }
    assert!(checked >= 120);
}
