//! mlplay's metrics against scikit-learn's on the cases of tests/fixtures/metrics/regression.json and
//! classification.json (written by generate.py beside them, which records the versions): every value within
//! 1e-9 (relative to the value when it is larger than 1), undefined where scikit-learn gives NaN, and each
//! `neg_` form the exact negative.

use mlplay::metrics::{classification, curves, greater_is_better, score, Truth, REGRESSION_METRICS};
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
    // A case may widen the tolerance, with its reason recorded in generate.py.
    let tolerance = case["tolerance"].as_f64().unwrap_or(1e-9);
    expected
        .iter()
        .map(|(metric, want)| {
            let got = score(metric, truth, predictions).unwrap_or_else(|e| panic!("{name} {metric}: {e}"));
            match (got, want.as_f64()) {
                (Some(got), Some(want)) => assert!(
                    (got - want).abs() <= tolerance * want.abs().max(1.0),
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
        let proba = mlplay::numeric::from_rows(&rows).unwrap_or_else(|e| panic!("{name}: {e}"));
        let pred = indices(&case["pred"]);
        let confusion = classification::confusion_matrix(&truth, &pred, k);
        let want: Vec<Vec<usize>> =
            case["confusion"].as_array().map(|r| r.iter().map(indices).collect()).unwrap_or_default();
        assert_eq!(confusion, want, "{name} confusion matrix");
        let normalised = classification::normalised_by_truth(&confusion);
        let want: Vec<Vec<f64>> = case["confusion_normalised"]
            .as_array()
            .map(|r| r.iter().map(numbers).collect())
            .unwrap_or_default();
        assert_eq!(normalised.len(), want.len());
        normalised.iter().flatten().zip(want.iter().flatten()).for_each(|(a, b)| close(*a, *b, name));
        let per_class = classification::per_class(&truth, &pred, k);
        let report = &case["per_class"];
        assert_eq!(per_class.len(), k, "{name}");
        for (c, line) in per_class.iter().enumerate() {
            close(line.precision, report["precision"][c].as_f64().unwrap_or(f64::NAN), name);
            close(line.recall, report["recall"][c].as_f64().unwrap_or(f64::NAN), name);
            close(line.f1, report["f1"][c].as_f64().unwrap_or(f64::NAN), name);
            assert_eq!(Some(line.support as u64), report["support"][c].as_u64(), "{name} support");
        }
        let predictions = Predictions::Classes { labels: pred, proba };
        checked += check_case(case, Truth::Classes(&truth, k), &predictions).len();
        let brier = score("brier_score_loss", Truth::Classes(&truth, k), &predictions).ok().flatten();
        let negated = score("neg_brier_score", Truth::Classes(&truth, k), &predictions).ok().flatten();
        assert_eq!(negated, brier.map(|b| -b), "{name} neg_brier_score");
    }
    assert!(checked >= 150);
}

fn close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "{what}: {got} vs scikit-learn {want}");
}

fn close_all(got: &[f64], want: &[f64], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: {got:?} vs scikit-learn {want:?}");
    got.iter().zip(want).for_each(|(g, w)| close(*g, *w, what));
}

#[test]
fn curves_are_scikit_learns_point_for_point() {
    let cases = cases("curves");
    assert!(cases.len() >= 6);
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let positive: Vec<bool> = indices(&case["truth"]).iter().map(|&t| t == 1).collect();
        let scores = numbers(&case["scores"]);
        let roc = curves::roc_curve(&positive, &scores);
        close_all(&roc.fpr, &numbers(&case["roc"]["fpr"]), &format!("{name} roc fpr"));
        close_all(&roc.tpr, &numbers(&case["roc"]["tpr"]), &format!("{name} roc tpr"));
        // The first threshold is +inf, written as null.
        assert_eq!(roc.thresholds.first(), Some(&f64::INFINITY), "{name}");
        assert!(case["roc"]["thresholds"][0].is_null());
        close_all(
            &roc.thresholds[1..],
            &numbers(&case["roc"]["thresholds"]),
            &format!("{name} roc thresholds"),
        );
        let pr = curves::precision_recall_curve(&positive, &scores);
        close_all(&pr.precision, &numbers(&case["pr"]["precision"]), &format!("{name} precision"));
        close_all(&pr.recall, &numbers(&case["pr"]["recall"]), &format!("{name} recall"));
        close_all(&pr.thresholds, &numbers(&case["pr"]["thresholds"]), &format!("{name} pr thresholds"));
        let ap = curves::average_precision(&positive, &scores);
        close(
            ap,
            case["average_precision"].as_f64().unwrap_or(f64::NAN),
            &format!("{name} average precision"),
        );
        for bins in [10, 5] {
            let calibration = curves::calibration_curve(&positive, &scores, bins);
            let want = &case[format!("calibration_{bins}")];
            close_all(
                &calibration.prob_true,
                &numbers(&want["prob_true"]),
                &format!("{name} calibration {bins}"),
            );
            close_all(
                &calibration.prob_pred,
                &numbers(&want["prob_pred"]),
                &format!("{name} calibration {bins}"),
            );
            assert_eq!(calibration.counts.iter().sum::<usize>(), scores.len());
        }
    }
}

#[test]
fn clustering_metrics_agree_with_scikit_learn() {
    let cases = cases("clustering");
    assert!(cases.len() >= 5);
    let mut checked = 0;
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let rows: Vec<Vec<f64>> =
            case["x"].as_array().map(|r| r.iter().map(numbers).collect()).unwrap_or_default();
        let x = mlplay::numeric::from_rows(&rows).unwrap_or_else(|e| panic!("{name}: {e}"));
        let labels: Vec<i64> = case["labels"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_i64).collect())
            .unwrap_or_default();
        let groups = indices(&case["groups"]);
        checked +=
            check_case(case, Truth::Features(x.view(), Some(&groups)), &Predictions::Clusters(labels)).len();
    }
    assert!(checked >= 30);
}

#[test]
fn scores_against_known_groups_need_the_groups() {
    let x = mlplay::numeric::from_rows(&[vec![0.0], vec![1.0], vec![5.0]]).unwrap_or_else(|e| panic!("{e}"));
    let labels = Predictions::Clusters(vec![0, 0, 1]);
    assert_eq!(score("adjusted_rand_score", Truth::Features(x.view(), None), &labels).ok(), Some(None));
    assert_eq!(
        score("adjusted_rand_score", Truth::Features(x.view(), Some(&[1, 1, 0])), &labels).ok(),
        Some(Some(1.0))
    );
}
