//! Every size that reaches an allocation or a loop is bounded before work starts: a value beyond its bound
//! is refused with a message naming its key and the limit (never a hang, an abort or a quiet change), and
//! the run on a small table returns at once. One case per bound.

mod common;

use std::time::Instant;

use mlplay::progress::NoProgress;
use mlplay::run::{run, Spec};

/// Runs `spec` on `table` and returns the error message (panics when the run succeeds).
fn refusal(table: &mlplay::data::Table, spec: &str) -> String {
    let started = Instant::now();
    let outcome = Spec::from_json(spec).and_then(|s| run(table, &s, None, &mut NoProgress));
    let message = match outcome {
        Ok(_) => panic!("{spec} ran"),
        Err(e) => e.to_string(),
    };
    // Refused up front, not after minutes of work (a generous bound that only catches "did the work").
    assert!(started.elapsed().as_secs() < 20, "{spec} took {:?}", started.elapsed());
    message
}

#[test]
fn model_sizes_are_bounded_with_their_key() {
    let iris = common::load_shared("iris.csv");
    let cases = [
        (
            r#"{"target": "species", "model": {"kind": "random_forest", "params": {"n_estimators": 1000000000}}}"#,
            "model.params.n_estimators: must be at most 10000, got 1000000000",
        ),
        (
            r#"{"target": "species", "model": {"kind": "extra_trees", "params": {"n_estimators": 20000}}}"#,
            "model.params.n_estimators: must be at most 10000, got 20000",
        ),
        (
            r#"{"target": "species", "model": {"kind": "hist_gradient_boosting", "params": {"max_iter": 100000000}}}"#,
            "model.params.max_iter: must be at most 10000, got 100000000",
        ),
        (
            r#"{"target": "species", "model": {"kind": "random_forest", "params": {"max_bins": 1000000}}}"#,
            "model.params.max_bins: must be at most 65535, got 1000000",
        ),
        (
            r#"{"target": "species", "model": {"kind": "random_forest", "params": {"max_features": 0}}}"#,
            "model.params.max_features: must be at least 1",
        ),
        (
            r#"{"target": "species", "model": {"kind": "mlp", "params": {"hidden_layer_sizes": [100000]}}}"#,
            "model.params.hidden_layer_sizes: must be at most 4096, got 100000",
        ),
        (
            r#"{"target": "species", "model": {"kind": "mlp", "params": {"hidden_layer_sizes": [8,8,8,8,8,8,8,8,8,8,8,8,8,8,8,8,8]}}}"#,
            "model.params.hidden_layer_sizes: at most 16 layers, got 17",
        ),
        (
            r#"{"target": "species", "model": {"kind": "mlp", "params": {"max_iter": 100000000}}}"#,
            "model.params.max_iter: must be at most 1000000",
        ),
        (
            r#"{"target": "species", "model": {"kind": "logistic_regression", "params": {"max_iter": 100000000}}}"#,
            "model.params.max_iter: must be at most 1000000",
        ),
        (
            r#"{"target": "species", "model": {"kind": "linear_svm", "params": {"max_iter": 100000000}}}"#,
            "model.params.max_iter: must be at most 1000000",
        ),
        (
            r#"{"target": "species", "model": {"kind": "svm", "params": {"max_iter": 100000000}}}"#,
            "model.params.max_iter: must be at most 1000000",
        ),
        (
            r#"{"target": "species", "model": {"kind": "knn", "params": {"n_neighbors": 1000000}}}"#,
            "model.params.n_neighbors: must be at most 10000, got 1000000",
        ),
        (
            r#"{"model": {"kind": "kmeans", "params": {"n_clusters": 100000}}}"#,
            "model.params.n_clusters: must be at most 1000, got 100000",
        ),
        (
            r#"{"model": {"kind": "kmeans", "params": {"n_init": 100000}}}"#,
            "model.params.n_init: must be at most 100, got 100000",
        ),
        (
            r#"{"target": "petal width (cm)", "model": {"kind": "elastic_net", "params": {"max_iter": 100000000}}}"#,
            "model.params.max_iter: must be at most 1000000",
        ),
    ];
    for (spec, expected) in cases {
        let message = refusal(&iris, spec);
        assert!(message.starts_with(expected), "{spec}\n  gave: {message}\n  want: {expected}");
    }
}

#[test]
fn run_sizes_are_bounded_with_their_key() {
    let iris = common::load_shared("iris.csv");
    let cases = [
        (r#"{"target": "species", "cv": {"folds": 100000}}"#, "cv.folds: must be at most 1000, got 100000"),
        (
            r#"{"target": "species", "importance": {"repeats": 1000000}}"#,
            "importance.repeats: must be between 1 and 100, got 1000000",
        ),
        (
            r#"{"target": "species", "importance": {"repeats": 0}}"#,
            "importance.repeats: must be between 1 and 100, got 0",
        ),
        (
            r#"{"target": "species", "diagnostics": {"learning_curve": true, "train_sizes": [0.5, 2]}}"#,
            "diagnostics.train_sizes[1]: must be a share in (0, 1], got 2",
        ),
        (
            r#"{"target": "species", "model": {"kind": "knn"}, "diagnostics": {"validation_curve": {"param": "n_neighbors", "values": []}}}"#,
            "diagnostics.validation_curve.values: must list 1 to 50 values, got 0",
        ),
        (
            r#"{"target": "species", "search": {"method": "random", "trials": 0, "space": {"max_depth": {"int": [1, 5]}}}, "model": {"kind": "decision_tree"}}"#,
            "search.trials: must be between 1 and 10000, got 0",
        ),
        (
            r#"{"target": "species", "search": {"method": "tpe", "batch": 0, "space": {"max_depth": {"int": [1, 5]}}}, "model": {"kind": "decision_tree"}}"#,
            "search.batch: must be between 1 and 10000, got 0",
        ),
        (
            r#"{"target": "species", "search": {"method": "random", "time_budget_s": -1, "space": {"max_depth": {"int": [1, 5]}}}, "model": {"kind": "decision_tree"}}"#,
            "search.time_budget_s: must be a number of seconds above 0, got -1",
        ),
        (
            r#"{"target": "species", "search": {"space": {"max_dept": [1, 2]}}, "model": {"kind": "decision_tree"}}"#,
            "search.space.max_dept: is not a parameter of `decision_tree`",
        ),
        // Without a model the task's default model is searched, and its names are checked.
        (
            r#"{"target": "species", "search": {"space": {"n_estimator": [10, 20]}}}"#,
            "search.space.n_estimator: is not a parameter of `random_forest`",
        ),
        (
            r#"{"target": "species", "search": {"space": [{"kind": ["knn"], "n_neighbors": [3]}, {"kind": ["logistic_regression"], "n_neighbors": [3]}]}}"#,
            "search.space[1].n_neighbors: is not a parameter of `logistic_regression`",
        ),
        (
            r#"{"target": "species", "search": {"space": [{"kind": ["knn2"]}]}}"#,
            "search.space.kind: \"knn2\" is not a model kind",
        ),
    ];
    for (spec, expected) in cases {
        let message = refusal(&iris, spec);
        assert!(message.starts_with(expected), "{spec}\n  gave: {message}\n  want: {expected}");
    }
}

#[test]
fn too_many_classes_are_refused_naming_the_target() {
    let mut text = String::from("x,label\n");
    for i in 0..3000 {
        text.push_str(&format!("{i},c{i}\n"));
    }
    let (table, _) = mlplay::data::read_csv(text.as_bytes(), &Default::default(), &mut NoProgress)
        .unwrap_or_else(|e| panic!("{e}"));
    let message = refusal(&table, r#"{"target": "label", "model": {"kind": "decision_tree"}}"#);
    assert!(
        message.starts_with("target: `label` has 3000 distinct values, more than the 1000 classes"),
        "{message}"
    );
}

#[test]
fn preparation_outputs_are_bounded_before_they_are_built() {
    // 200 numeric columns: degrees 2 and 3 would be 20,100 + 1,353,400 terms (counted, never listed).
    let mut text = (0..200).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",");
    text.push('\n');
    for r in 0..20 {
        text.push_str(&(0..200).map(|c| ((r * 31 + c * 17) % 13).to_string()).collect::<Vec<_>>().join(","));
        text.push('\n');
    }
    let (wide, _) = mlplay::data::read_csv(text.as_bytes(), &Default::default(), &mut NoProgress)
        .unwrap_or_else(|e| panic!("{e}"));
    let message =
        refusal(&wide, r#"{"prep": [{"step": "polynomial", "degree": 3}], "model": {"kind": "kmeans"}}"#);
    assert!(
        message.contains("columns") && message.contains("200 columns give 1373500 terms (at most 10000)"),
        "{message}"
    );
    let adult = common::load_shared("adult.csv");
    let message =
        refusal(&adult, r#"{"target": "class", "prep": [{"step": "hashing", "n_components": 100000000}]}"#);
    assert!(
        message.contains("n_components") && message.contains("must be at most 65536, got 100000000"),
        "{message}"
    );
    let message =
        refusal(&adult, r#"{"target": "class", "prep": [{"step": "hashing", "n_components": 60000}]}"#);
    assert!(message.contains("n_components") && message.contains("hashing would make"), "{message}");
}

#[test]
fn dbscan_with_a_huge_eps_is_refused_before_memory_runs_out() {
    // 12,000 rows within reach of each other: 1.44 × 10^8 pairs, beyond the 5 × 10^7 bound.
    let mut text = String::from("a,b\n");
    for i in 0..12_000 {
        text.push_str(&format!("{},{}\n", i % 100, i % 37));
    }
    let (table, _) = mlplay::data::read_csv(text.as_bytes(), &Default::default(), &mut NoProgress)
        .unwrap_or_else(|e| panic!("{e}"));
    let message = refusal(&table, r#"{"model": {"kind": "dbscan", "params": {"eps": 1e300}}}"#);
    assert!(
        message.contains("eps") && message.contains("more than 50000000 pairs of rows within reach"),
        "{message}"
    );
}

#[test]
fn targets_that_overflow_are_refused_or_warned() {
    let mut text = String::from("x,y\n");
    for i in 0..30 {
        text.push_str(&format!("{},{}e300\n", i % 5, i % 7 + 1));
    }
    let (table, _) = mlplay::data::read_csv(text.as_bytes(), &Default::default(), &mut NoProgress)
        .unwrap_or_else(|e| panic!("{e}"));
    let spec = Spec::from_json(r#"{"target": "y", "model": {"kind": "decision_tree"}}"#)
        .unwrap_or_else(|e| panic!("{e}"));
    let report = run(&table, &spec, None, &mut NoProgress).unwrap_or_else(|e| panic!("{e}")).report;
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.starts_with("the target `y` reaches 7e300: its squared errors overflow")),
        "{:?}",
        report.warnings
    );
    text.push_str("3,inf\n");
    let (table, _) = mlplay::data::read_csv(text.as_bytes(), &Default::default(), &mut NoProgress)
        .unwrap_or_else(|e| panic!("{e}"));
    let message = refusal(&table, r#"{"target": "y", "model": {"kind": "decision_tree"}}"#);
    assert_eq!(message, "target: `y` holds an infinite value on data row 31; no model or metric can use it (drop the row or fix the value)");
}

#[test]
fn the_cli_never_overwrites_its_input() {
    let dir = std::env::temp_dir().join(format!("mlplay-bounds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_default();
    let data = dir.join("iris.csv");
    let original = std::fs::read(common::shared_datasets().join("iris.csv")).unwrap_or_default();
    std::fs::write(&data, &original).unwrap_or_default();
    let data_arg = data.to_string_lossy().into_owned();
    let same_by_another_name = dir.join(".").join("iris.csv").to_string_lossy().into_owned();
    for args in [
        vec!["transform", "--pipeline", data_arg.as_str(), data_arg.as_str()],
        vec!["run", "--target", "species", "--save", same_by_another_name.as_str(), data_arg.as_str()],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_mlplay"))
            .args(&args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("is the data this command reads: mlplay never overwrites its input"),
            "{stderr}"
        );
        assert_eq!(std::fs::read(&data).unwrap_or_default(), original, "{args:?} changed the data");
    }
}

#[test]
fn memory_estimates_count_the_largest_allocations() {
    use mlplay::models::memory::FitShape;
    use mlplay::models::ModelKind;
    let allowance = 16u128 << 20;
    let ward = ModelKind::Agglomerative.defaults();
    let shape = FitShape { rows: 5_000, features: 2, outputs: 1 };
    // The distance matrix (5000² numbers) and the features' copy, besides the fixed allowance.
    assert_eq!(ward.footprint(shape).bytes, 5_000 * 5_000 * 8 + 5_000 * 2 * 8 + allowance);
    let ridge = ModelKind::Ridge.defaults();
    let shape = FitShape { rows: 1_000, features: 3_000, outputs: 1 };
    // The Gram matrix and its Cholesky copy (3000² numbers each) and the features.
    assert_eq!(ridge.footprint(shape).bytes, 3_000 * 3_000 * 16 + 1_000 * 3_000 * 8 + allowance);
    // Every kind's estimate grows with the rows and never wraps around.
    for kind in ModelKind::ALL {
        let spec = kind.defaults();
        let small = spec.footprint(FitShape { rows: 1_000, features: 10, outputs: 3 }).bytes;
        let large = spec.footprint(FitShape { rows: 100_000, features: 10, outputs: 3 }).bytes;
        let huge =
            spec.footprint(FitShape { rows: usize::MAX, features: usize::MAX, outputs: usize::MAX }).bytes;
        assert!(small < large && large <= huge, "{kind}: {small} {large} {huge}");
        // Defaults on a table of a thousand rows are far within what a page can hold.
        assert!(small < 1 << 30, "{kind}: {small}");
    }
}

#[test]
fn fits_beyond_the_platform_are_refused_naming_what_to_change() {
    use mlplay::models::memory::{check_fit_memory, FitShape};
    use mlplay::models::ModelKind;
    let page = 3u128 << 30;
    let forest = ModelKind::RandomForest.defaults();
    let shape = FitShape { rows: 5_000_000, features: 10, outputs: 2 };
    let message = check_fit_memory(&forest, shape, page).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.starts_with("random_forest on 5000000 rows × 10 features needs about ")
            && message.contains("100 trees of up to")
            && message.contains("more than the 3.0 GB one fit may use here; set max_depth"),
        "{message}"
    );
    let shallow = forest
        .with_params(&serde_json::json!({"max_depth": 8}).as_object().cloned().unwrap_or_default(), "model")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(check_fit_memory(&shallow, shape, page).is_ok(), "depth 8 bounds the trees to 512 leaves");
}

#[test]
fn the_cli_refuses_a_fit_beyond_its_memory_budget() {
    let data = common::shared_datasets().join("diamonds.csv");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mlplay"))
        .args(["run", "--target", "price"])
        .arg(&data)
        .env("MLPLAY_MEMORY_BUDGET", "64MB")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("random_forest on ") && stderr.contains("more than the 64 MB one fit may use here"),
        "{stderr}"
    );
}
