//! The check suite every model passes (DESIGN.md, convention 13): fitting twice gives the same predictions;
//! a wrong feature count, empty data, a single-class target and missing values are errors with clear
//! messages; predictions have the right length and probabilities sum to 1; a saved model predicts the same
//! after loading; predictions match the committed fingerprints (which the browser test checks too).

mod common;

use common::model_cases::{cases, compare_fingerprints, data, fingerprints, labels, names, target_of};
use mlplay::models::{Model, ModelSpec, Predictions, Task};
use mlplay::numeric::Matrix;
use mlplay::numeric::{RowMajor, RowMajorMut};
use mlplay::progress::NoProgress;
use serde_json::Value;

fn fit(spec: &ModelSpec, x: &Matrix, task: Task, classes: &[usize], values: &[f64]) -> mlplay::Result<Model> {
    let target = target_of(task, classes, values);
    spec.fit(x.view(), &names(), target, &labels(), 7, &mut NoProgress)
}

#[test]
fn every_model_keeps_the_contract() {
    let (x, classes, values) = data();
    for (label, model, task) in cases() {
        let spec = ModelSpec::from_value(&model).unwrap_or_else(|e| panic!("{label}: {e}"));
        let first = fit(&spec, &x, task, &classes, &values).unwrap_or_else(|e| panic!("{label}: {e}"));
        let second = fit(&spec, &x, task, &classes, &values).unwrap_or_else(|e| panic!("{label}: {e}"));
        let p1 = first.predict(x.view(), &mut NoProgress).unwrap_or_else(|e| panic!("{label}: {e}"));
        let p2 = second.predict(x.view(), &mut NoProgress).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(p1, p2, "{label}: fitting twice");
        assert_eq!(p1.len(), x.nrows(), "{label}: one prediction per row");
        match &p1 {
            Predictions::Classes { labels: predicted, proba } => {
                assert_eq!((proba.nrows(), proba.ncols()), (x.nrows(), 3), "{label}: probability shape");
                for row in proba.row_slices() {
                    let sum: f64 = row.iter().sum();
                    assert!(
                        (sum - 1.0).abs() < 1e-9 && row.iter().all(|p| (0.0..=1.0).contains(p)),
                        "{label}: {row:?}"
                    );
                }
                assert!(predicted.iter().all(|&l| l < 3), "{label}: labels in range");
                let accuracy = predicted.iter().zip(&classes).filter(|(a, b)| a == b).count() as f64 / 90.0;
                assert!(accuracy > 0.6, "{label}: training accuracy {accuracy} (the classes are learnable)");
            }
            Predictions::Values(v) => {
                assert!(v.iter().all(|p| p.is_finite()), "{label}: finite predictions");
                let r2 = mlplay::metrics::regression::r2(&values, v);
                assert!(r2 > 0.5, "{label}: training R² {r2}");
            }
            Predictions::Clusters(c) => {
                let mut ids = c.clone();
                ids.sort_unstable();
                ids.dedup();
                assert!(ids.iter().filter(|&&i| i >= 0).count() >= 2, "{label}: found {ids:?}");
            }
        }

        // Save → load predicts the same.
        let json = first.to_json().unwrap_or_else(|e| panic!("{label}: {e}"));
        let loaded = Model::from_json(&json).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(
            loaded.predict(x.view(), &mut NoProgress).ok(),
            Some(p1.clone()),
            "{label}: save and load"
        );

        // Wrong feature count.
        let narrow = mlplay::numeric::matrix(2, 3, vec![0.0; 6]).unwrap_or_default();
        let err =
            first.predict(narrow.view(), &mut NoProgress).err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(err, "features: expected 4, got 3", "{label}");

        // Missing values, in training and in prediction.
        let mut holey = x.clone();
        if let Some(v) = holey.values_mut().get_mut(5) {
            *v = f64::NAN;
        }
        let err =
            fit(&spec, &holey, task, &classes, &values).err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(err, "column `b`: has a missing value (row 2); models need every value — add an impute step, or drop_missing", "{label}");
        let err =
            first.predict(holey.view(), &mut NoProgress).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.starts_with("column `b`: has a missing value"), "{label}: {err}");

        // No rows.
        let empty = mlplay::numeric::matrix(0, 4, Vec::new()).unwrap_or_default();
        let err = fit(&spec, &empty, task, &[], &[]).err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(err, "not enough data: there are no training rows", "{label}");

        // A single class.
        if task == Task::Classification {
            let one = vec![1usize; 90];
            let err = fit(&spec, &x, task, &one, &values).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.contains("has only one class (`y`)"), "{label}: {err}");
        }
    }
}

#[test]
fn bad_parameters_are_explained() {
    let (x, classes, values) = data();
    let cases: &[(&str, &str)] = &[
        (
            r#"{"kind": "random_forest", "params": {"n_estimators": 0}}"#,
            "invalid option `n_estimators`: must be at least 1, got 0",
        ),
        (
            r#"{"kind": "ridge", "params": {"alpha": -1}}"#,
            "invalid option `alpha`: must be a number 0 or more, got -1",
        ),
        (
            r#"{"kind": "knn", "params": {"weights": "far"}}"#,
            "invalid option `weights`: must be one of uniform, distance, got `far`",
        ),
        (
            r#"{"kind": "logistic_regression", "params": {"C": 0}}"#,
            "invalid option `C`: must be a number more than 0, got 0",
        ),
        (
            r#"{"kind": "mlp", "params": {"dropout": 1.5}}"#,
            "invalid option `dropout`: must be between 0 and 0.95, got 1.5",
        ),
    ];
    for (model, message) in cases {
        let value: Value = serde_json::from_str(model).unwrap_or(Value::Null);
        // Read as a Spec's model, the rule is checked at once and named by its key path …
        let read = ModelSpec::from_value(&value).err().map(|e| e.to_string()).unwrap_or_default();
        let (option, reason) = message.split_once(": ").unwrap_or_default();
        let path = option.trim_start_matches("invalid option `").trim_end_matches('`');
        assert_eq!(read, format!("model.params.{path}: {reason}"));
        // … and a library user who builds the params themselves meets the same rule when fitting.
        let spec: ModelSpec = serde_json::from_value(value).unwrap_or_else(|e| panic!("{e}"));
        let task = if model.contains("ridge") { Task::Regression } else { Task::Classification };
        let err = fit(&spec, &x, task, &classes, &values).err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(&err, message);
    }
    let unknown =
        ModelSpec::from_value(&serde_json::json!({"kind": "random_forest", "params": {"n_estimator": 5}}));
    let text = unknown.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(text.starts_with("model.params: `n_estimator` is not an option here; the options are"), "{text}");
    let kind = ModelSpec::from_value(&serde_json::json!({"kind": "deep_forest"}))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        kind.starts_with("model.kind: `deep_forest` is not a model; choose one of linear_regression"),
        "{kind}"
    );
    let wrong_task =
        ModelSpec::from_value(&serde_json::json!({"kind": "ridge"})).unwrap_or_else(|e| panic!("{e}"));
    let err = fit(&wrong_task, &x, Task::Classification, &classes, &values)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.starts_with("model.kind: `ridge` does not do classification"), "{err}");
}

#[test]
fn predictions_match_the_committed_fingerprints() {
    let ours = fingerprints();
    let path = common::fixture("models/fingerprints.json");
    if std::env::var_os("MLPLAY_BLESS").is_some() {
        std::fs::write(&path, serde_json::to_string_pretty(&ours).unwrap_or_default()).unwrap_or_default();
    }
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_default()).unwrap_or(Value::Null);
    let problems = compare_fingerprints(&ours, &committed);
    assert!(
        problems.is_empty(),
        "{}\n(after an intended change: MLPLAY_BLESS=1 cargo test --test models_contract)",
        problems.join("\n")
    );
}

/// A Rust caller's own arrays: a view in column-major order (here the transpose of a transpose, and a
/// Fortran-ordered copy) fits and predicts exactly as the row-major matrix does.
#[test]
fn any_ndarray_layout_fits_and_predicts_as_row_major() {
    let (x, classes, values) = data();
    let column_major = x.t().as_standard_layout().into_owned();
    let transposed_back = column_major.t();
    assert!(!transposed_back.is_standard_layout());
    use ndarray::ShapeBuilder;
    let mut fortran = ndarray::Array2::<f64>::zeros((x.nrows(), x.ncols()).f());
    fortran.assign(&x);
    for (label, model, task) in cases() {
        let spec = ModelSpec::from_value(&model).unwrap_or_else(|e| panic!("{label}: {e}"));
        let target = target_of(task, &classes, &values);
        let expected = fit(&spec, &x, task, &classes, &values)
            .and_then(|m| m.predict(x.view(), &mut NoProgress))
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        for (layout, view) in [("transposed view", transposed_back), ("column-major array", fortran.view())] {
            let model = spec
                .fit(view, &names(), target, &labels(), 7, &mut NoProgress)
                .unwrap_or_else(|e| panic!("{label}, {layout}: {e}"));
            let got =
                model.predict(view, &mut NoProgress).unwrap_or_else(|e| panic!("{label}, {layout}: {e}"));
            assert_eq!(got, expected, "{label}, {layout}");
        }
    }
}
