//! Every model kind with small settings, and deterministic synthetic data to fit them on: shared by the
//! native contract suite (tests/models_contract.rs) and the browser test (tests/web.rs), which compare the
//! same predictions with tests/fixtures/models/fingerprints.json.

use mlplay::models::{ModelSpec, Predictions, Target, Task};
use mlplay::numeric::Matrix;
use mlplay::progress::NoProgress;
use mlplay::rng::rng_from_seed;
use serde_json::{json, Value};

/// (label, model as written in a Spec, task) for every kind and every task it serves.
pub fn cases() -> Vec<(String, Value, Task)> {
    let c = Task::Classification;
    let r = Task::Regression;
    let k = Task::Clustering;
    let list: Vec<(Value, Task)> = vec![
        (json!({"kind": "linear_regression"}), r),
        (json!({"kind": "ridge", "params": {"alpha": 2.0}}), r),
        (json!({"kind": "lasso", "params": {"alpha": 0.05}}), r),
        (json!({"kind": "elastic_net", "params": {"alpha": 0.05, "l1_ratio": 0.3}}), r),
        (json!({"kind": "logistic_regression"}), c),
        (
            json!({"kind": "logistic_regression", "params": {"penalty": "elasticnet", "l1_ratio": 0.5, "C": 0.5}}),
            c,
        ),
        (json!({"kind": "decision_tree", "params": {"max_depth": 4}}), c),
        (json!({"kind": "decision_tree", "params": {"max_depth": 4}}), r),
        (json!({"kind": "random_forest", "params": {"n_estimators": 10, "oob_score": true}}), c),
        (json!({"kind": "random_forest", "params": {"n_estimators": 10}}), r),
        (json!({"kind": "extra_trees", "params": {"n_estimators": 10}}), c),
        (json!({"kind": "extra_trees", "params": {"n_estimators": 10}}), r),
        (json!({"kind": "hist_gradient_boosting", "params": {"max_iter": 20, "min_samples_leaf": 5}}), c),
        (
            json!({"kind": "hist_gradient_boosting", "params": {"max_iter": 20, "min_samples_leaf": 5, "loss": "absolute_error"}}),
            r,
        ),
        (json!({"kind": "knn", "params": {"weights": "distance"}}), c),
        (json!({"kind": "knn", "params": {"metric": "cosine"}}), r),
        (json!({"kind": "gaussian_nb"}), c),
        (json!({"kind": "categorical_nb"}), c),
        (json!({"kind": "linear_svm"}), c),
        (json!({"kind": "linear_svm", "params": {"epsilon": 0.1}}), r),
        (json!({"kind": "svm"}), c),
        (
            json!({"kind": "mlp", "params": {"hidden_layer_sizes": [8], "max_iter": 100, "batch_size": 16, "learning_rate_init": 0.01}}),
            c,
        ),
        (
            json!({"kind": "mlp", "params": {"hidden_layer_sizes": [8], "max_iter": 100, "batch_size": 16, "learning_rate_init": 0.01, "solver": "sgd", "dropout": 0.1}}),
            r,
        ),
        (json!({"kind": "kmeans", "params": {"n_clusters": 3, "n_init": 2}}), k),
        (json!({"kind": "dbscan", "params": {"eps": 0.9, "min_samples": 4}}), k),
        (json!({"kind": "agglomerative", "params": {"n_clusters": 3, "linkage": "average"}}), k),
    ];
    list.into_iter()
        .map(|(model, task)| {
            (
                format!("{} ({}) {}", model["kind"].as_str().unwrap_or(""), task.name(), model["params"]),
                model,
                task,
            )
        })
        .collect()
}

/// Synthetic data: 90 rows, 4 features (the last a small whole number, so categorical NB has categories),
/// three classes that depend on the features, and a value with noise.
pub fn data() -> (Matrix, Vec<usize>, Vec<f64>) {
    let mut rng = rng_from_seed(42);
    let mut rows = Vec::new();
    let mut classes = Vec::new();
    let mut values = Vec::new();
    for i in 0..90 {
        let class = i % 3;
        let a = class as f64 * 1.5 + rng.uniform() * 2.0;
        let b = rng.uniform() * 3.0 - class as f64;
        let c = rng.uniform();
        let d = (rng.below(3) + class) as f64;
        rows.push(vec![a, b, c, d]);
        classes.push(class);
        values.push(2.0 * a - b + 0.5 * c * c + rng.uniform() * 0.1);
    }
    (mlplay::numeric::from_rows(&rows).unwrap_or_default(), classes, values)
}

/// The feature names of [`data`].
pub fn names() -> Vec<String> {
    ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect()
}

/// Class labels of [`data`].
pub fn labels() -> Vec<String> {
    ["x", "y", "z"].iter().map(|s| s.to_string()).collect()
}

/// Predictions flattened to numbers: values, probabilities row by row, or cluster labels.
pub fn flatten(p: &Predictions) -> Vec<f64> {
    match p {
        Predictions::Values(v) => v.clone(),
        Predictions::Classes { proba, .. } => proba.iter().copied().collect(),
        Predictions::Clusters(c) => c.iter().map(|&v| v as f64).collect(),
    }
}

/// The target of a case of `task` on [`data`] (three classes for classification).
pub fn target_of<'a>(task: Task, classes: &'a [usize], values: &'a [f64]) -> Target<'a> {
    match task {
        Task::Classification => Target::Classes(classes, 3),
        Task::Regression => Target::Values(values),
        Task::Clustering => Target::None,
    }
}

/// Fits every case on [`data`] with seed 7 and returns {label: flattened predictions}.
pub fn fingerprints() -> Value {
    let (x, classes, values) = data();
    let mut out = serde_json::Map::new();
    for (label, model, task) in cases() {
        let spec = ModelSpec::from_value(&model).unwrap_or_else(|e| panic!("{label}: {e}"));
        let target = target_of(task, &classes, &values);
        let fitted = spec
            .fit(x.view(), &names(), target, &labels(), 7, &mut NoProgress)
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        let predictions =
            fitted.predict(x.view(), &mut NoProgress).unwrap_or_else(|e| panic!("{label}: {e}"));
        out.insert(label, json!(flatten(&predictions)));
    }
    Value::Object(out)
}

/// Differences between computed fingerprints and the committed ones (relative 1e-9: libm's `exp` and `ln`
/// may differ in the last bit between a native build and wasm).
pub fn compare_fingerprints(ours: &Value, committed: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for (label, values) in ours.as_object().into_iter().flatten() {
        let Some(expected) = committed.get(label).and_then(Value::as_array) else {
            problems.push(format!("{label}: not in the committed fingerprints"));
            continue;
        };
        let got = values.as_array().cloned().unwrap_or_default();
        if got.len() != expected.len() {
            problems.push(format!("{label}: {} values, expected {}", got.len(), expected.len()));
            continue;
        }
        for (i, (a, b)) in got.iter().zip(expected).enumerate() {
            let (a, b) = (a.as_f64().unwrap_or(f64::NAN), b.as_f64().unwrap_or(f64::NAN));
            if (a - b).abs() > 1e-9 * b.abs().max(1.0) {
                problems.push(format!("{label}: value {i} is {a}, expected {b}"));
                break;
            }
        }
    }
    problems
}
