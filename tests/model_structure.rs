//! Saved models are checked on load: a property test fits every kind (every task it serves, two and three
//! classes), then mutates the structure of its JSON — every array made one shorter and one longer, every
//! index and count pushed out of range, every kind, family, task and format name changed — and asserts that
//! each mutation is refused with a message naming a field, while the untouched model loads.

mod common;

use common::model_cases::{cases, data, names};
use mlplay::models::{Model, ModelSpec, Target, Task};
use mlplay::progress::NoProgress;
use serde_json::Value;

/// Arrays whose length is free: a forest or a boosting run with fewer trees is still a whole model, and the
/// loss curve is a record of training.
const FREE_LENGTH: &[&str] = &["trees", "loss_curve", "edges"];
/// Whole-number fields that index or count something (kNN's `n_neighbors` is a setting: prediction uses at
/// most the training rows).
const INDEX_KEYS: &[&str] =
    &["feature", "left", "right", "n_classes", "n_outputs", "n_rows", "n_cols", "format"];
/// Arrays of indices: their first element is pushed out of range.
const INDEX_ARRAYS: &[&str] = &["support", "y"];
/// Names that select a variant: each is replaced by another name (or a made-up one).
const NAME_KEYS: &[(&str, &str)] = &[
    ("kind", "hist_gradient_boosting"),
    ("family", "kmeans"),
    ("task", "clustering"),
    ("activation", "softsign"),
    ("loss", "poisson"),
    ("output", "identity"),
];

/// One mutation: where, what was done, and the mutated model.
struct Mutation {
    path: String,
    what: &'static str,
    model: Value,
}

/// Applies `change` to the value at `path` (a list of keys and positions) of a copy of `root`.
fn mutated(root: &Value, path: &[Step], change: &dyn Fn(&mut Value)) -> Value {
    let mut copy = root.clone();
    let mut at = &mut copy;
    for step in path {
        at = match step {
            Step::Key(k) => &mut at[k.as_str()],
            Step::Index(i) => &mut at[*i],
        };
    }
    change(at);
    copy
}

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn path_text(path: &[Step]) -> String {
    path.iter()
        .map(|s| match s {
            Step::Key(k) => format!(".{k}"),
            Step::Index(i) => format!("[{i}]"),
        })
        .collect()
}

fn last_key(path: &[Step]) -> &str {
    path.iter()
        .rev()
        .find_map(|s| match s {
            Step::Key(k) => Some(k.as_str()),
            Step::Index(_) => None,
        })
        .unwrap_or("")
}

/// Every structural mutation of `value` (at `path` of `root`). Long arrays are entered at their first and
/// last element only: the checks treat every element alike.
fn mutations(root: &Value, value: &Value, path: &mut Vec<Step>, out: &mut Vec<Mutation>) {
    let key = last_key(path).to_string();
    let text = path_text(path);
    match value {
        Value::Array(items) if !items.is_empty() => {
            let is_matrix_part = matches!(key.as_str(), "data");
            if !FREE_LENGTH.contains(&key.as_str()) {
                out.push(Mutation {
                    path: text.clone(),
                    what: "one element fewer",
                    model: mutated(root, path, &|v| {
                        if let Some(a) = v.as_array_mut() {
                            a.pop();
                        }
                    }),
                });
                out.push(Mutation {
                    path: text.clone(),
                    what: "one element more",
                    model: mutated(root, path, &|v| {
                        if let Some(a) = v.as_array_mut() {
                            let last = a.last().cloned().unwrap_or(Value::Null);
                            a.push(last);
                        }
                    }),
                });
            }
            if INDEX_ARRAYS.contains(&key.as_str()) && items.first().is_some_and(Value::is_u64) {
                out.push(Mutation {
                    path: format!("{text}[0]"),
                    what: "an index out of range",
                    model: mutated(root, path, &|v| v[0] = Value::from(1_000_000u64)),
                });
            }
            if is_matrix_part || items.iter().all(|v| v.is_number() || v.is_boolean() || v.is_null()) {
                return;
            }
            let mut positions = vec![0];
            if items.len() > 1 {
                positions.push(items.len() - 1);
            }
            for i in positions {
                path.push(Step::Index(i));
                mutations(root, &items[i], path, out);
                path.pop();
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                path.push(Step::Key(k.clone()));
                let text = path_text(path);
                if INDEX_KEYS.contains(&k.as_str()) && v.as_u64().is_some_and(|n| n != u64::from(u32::MAX)) {
                    let big = v.as_u64().unwrap_or(0) + 1_000;
                    out.push(Mutation {
                        path: text.clone(),
                        what: "a count or index out of range",
                        model: mutated(root, path, &|x| *x = Value::from(big)),
                    });
                }
                if let (Some((_, other)), Some(name)) = (NAME_KEYS.iter().find(|(n, _)| n == k), v.as_str()) {
                    let replacement = if name == *other { "made_up" } else { *other };
                    out.push(Mutation {
                        path: text.clone(),
                        what: "another name",
                        model: mutated(root, path, &|x| *x = Value::from(replacement)),
                    });
                }
                // Child indices may also point back at their own node (a cycle).
                if (k == "left" || k == "right") && v.as_u64().is_some_and(|n| n > 0) {
                    out.push(Mutation {
                        path: text,
                        what: "a child pointing back at the root",
                        model: mutated(root, path, &|x| *x = Value::from(0u64)),
                    });
                }
                mutations(root, v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Every case fitted: (label, model JSON).
fn fitted_models() -> Vec<(String, Value)> {
    let (x, classes, values) = data();
    let two: Vec<usize> = classes.iter().map(|&c| c.min(1)).collect();
    let mut out = Vec::new();
    for (label, model, task) in cases() {
        let spec = ModelSpec::from_value(&model).unwrap_or_else(|e| panic!("{label}: {e}"));
        let mut variants: Vec<(String, Target<'_>, Vec<String>)> = Vec::new();
        match task {
            Task::Classification => {
                variants.push((format!("{label}, 3 classes"), Target::Classes(&classes, 3), labels(3)));
                variants.push((format!("{label}, 2 classes"), Target::Classes(&two, 2), labels(2)));
            }
            Task::Regression => variants.push((label, Target::Values(&values), Vec::new())),
            Task::Clustering => variants.push((label, Target::None, Vec::new())),
        }
        for (label, target, class_names) in variants {
            let fitted = spec
                .fit(x.view(), &names(), target, &class_names, 7, &mut NoProgress)
                .unwrap_or_else(|e| panic!("{label}: {e}"));
            let json = fitted.to_json().unwrap_or_else(|e| panic!("{label}: {e}"));
            let value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{label}: {e}"));
            out.push((label, value));
        }
    }
    out
}

fn labels(n: usize) -> Vec<String> {
    ["x", "y", "z"].iter().take(n).map(|s| s.to_string()).collect()
}

#[test]
fn every_structural_mutation_of_every_kind_is_refused_naming_the_field() {
    let mut tried = 0;
    let mut kinds = std::collections::BTreeSet::new();
    let mut problems = Vec::new();
    for (label, model) in fitted_models() {
        if let Err(e) = Model::from_json(&model.to_string()) {
            problems.push(format!("{label}: the untouched model is refused: {e}"));
            continue;
        }
        kinds.insert(model["kind"].as_str().unwrap_or("").to_string());
        let mut found = Vec::new();
        mutations(&model, &model, &mut Vec::new(), &mut found);
        for m in found {
            tried += 1;
            let key = m.path.rsplit(['.', '[']).next().unwrap_or("").trim_end_matches(']').to_string();
            match Model::from_json(&m.model.to_string()) {
                Ok(_) => problems.push(format!("{label}: {} at {} loads", m.what, m.path)),
                Err(e) => {
                    let message = e.to_string();
                    // The message names the field: its key path, or for what serde refuses, its key.
                    let named = message.contains("model.") || (!key.is_empty() && message.contains(&key));
                    if !named {
                        problems
                            .push(format!("{label}: {} at {}: `{message}` names no field", m.what, m.path));
                    }
                }
            }
        }
    }
    assert_eq!(kinds.len(), 18, "every kind is fitted: {kinds:?}");
    assert!(problems.is_empty(), "{} of {tried} mutations:\n{}", problems.len(), problems.join("\n"));
    assert!(tried > 800, "only {tried} mutations");
}

#[test]
fn a_broken_tree_is_refused_with_its_path() {
    let (_, mut model) = fitted_models()
        .into_iter()
        .find(|(label, _)| label.starts_with("decision_tree (classification)"))
        .unwrap_or_else(|| panic!("no decision tree"));
    model["fitted"]["trees"][0]["nodes"][0]["left"] = Value::from(9_999u64);
    let err = Model::from_json(&model.to_string()).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.starts_with("model.fitted.trees[0].nodes[0].left: is 9999, beyond the "), "{err}");
    // A hand-edited threshold is the user's choice.
    model["fitted"]["trees"][0]["nodes"][0]["left"] = Value::from(1u64);
    model["fitted"]["trees"][0]["nodes"][0]["threshold"] = Value::from(0.25);
    assert!(Model::from_json(&model.to_string()).is_ok());
}

/// A pipeline with every step whose structure the transforms index into, fitted on a small table.
fn fitted_pipeline() -> (mlplay::data::Table, Value) {
    let mut csv = String::from("a,b,c,colour,town\n");
    for i in 0..60u32 {
        let a = if i % 9 == 4 { String::new() } else { format!("{}", f64::from(i % 11) * 0.5) };
        csv.push_str(&format!("{a},{},{},c{},t{}\n", (i * 7) % 13, i % 17, i % 5, i % 9));
    }
    let (table, _) = mlplay::data::read_csv(csv.as_bytes(), &Default::default(), &mut NoProgress)
        .unwrap_or_else(|e| panic!("{e}"));
    let steps: Vec<mlplay::prep::StepSpec> = serde_json::from_str(
        r#"[{"step": "knn_impute", "columns": ["a", "b"]},
            {"step": "polynomial", "columns": ["a", "b"]},
            {"step": "bins", "columns": ["c"], "n_bins": 4},
            {"step": "pca", "columns": ["a", "b"], "n_components": 2},
            {"step": "binary", "columns": ["colour"]},
            {"step": "hashing", "columns": ["town"], "n_components": 4}]"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let fitted = mlplay::prep::fit_pipeline(&steps, &table, None).unwrap_or_else(|e| panic!("{e}")).pipeline;
    let value = serde_json::to_value(&fitted).unwrap_or_else(|e| panic!("{e}"));
    (table, value)
}

#[test]
fn every_structural_mutation_of_a_pipeline_is_refused_naming_the_step_and_field() {
    let (table, pipeline) = fitted_pipeline();
    let loaded = mlplay::prep::FittedPipeline::from_value(&pipeline).unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.transform(&table).is_ok(), "the untouched pipeline transforms its training rows");
    type Change = fn(&mut Value);
    let cases: [(&str, Change, &str); 12] = [
        ("format", |v| v["format"] = Value::from(99u64), "pipeline.format"),
        (
            "knn n_neighbors 0",
            |v| v["steps"][0]["n_neighbors"] = Value::from(0u64),
            "pipeline.steps[0].n_neighbors",
        ),
        (
            "knn short row",
            |v| v["steps"][0]["rows"][3] = serde_json::json!([1.0]),
            "pipeline.steps[0].rows[3]",
        ),
        (
            "polynomial index",
            |v| v["steps"][1]["terms"][0] = serde_json::json!([7]),
            "pipeline.steps[1].terms[0]",
        ),
        (
            "polynomial empty term",
            |v| v["steps"][1]["terms"][1] = serde_json::json!([]),
            "pipeline.steps[1].terms[1]",
        ),
        (
            "bins out of order",
            |v| v["steps"][2]["columns"][0]["edges"] = serde_json::json!([3.0, 1.0, 2.0]),
            "pipeline.steps[2].columns[0].edges",
        ),
        ("pca means", |v| v["steps"][3]["means"] = serde_json::json!([0.0]), "pipeline.steps[3].means"),
        (
            "pca component",
            |v| v["steps"][3]["components"][1] = serde_json::json!([1.0, 2.0, 3.0]),
            "pipeline.steps[3].components[1]",
        ),
        (
            "pca variance",
            |v| v["steps"][3]["explained_variance"] = serde_json::json!([1.0]),
            "pipeline.steps[3].explained_variance",
        ),
        (
            "binary digits",
            |v| v["steps"][4]["columns"][0]["digits"] = Value::from(40u64),
            "pipeline.steps[4].columns[0].digits",
        ),
        (
            "hashing 0 buckets",
            |v| v["steps"][5]["n_components"] = Value::from(0u64),
            "pipeline.steps[5].n_components",
        ),
        (
            "hashing a trillion buckets",
            |v| v["steps"][5]["n_components"] = Value::from(1_000_000_000_000u64),
            "pipeline.steps[5].n_components",
        ),
    ];
    for (what, change, path) in cases {
        let mut broken = pipeline.clone();
        change(&mut broken);
        let message = mlplay::prep::FittedPipeline::from_value(&broken).err().map(|e| e.to_string());
        assert!(
            message.as_deref().is_some_and(|m| m.starts_with(&format!("{path}: "))),
            "{what}: {message:?}"
        );
    }
}

#[test]
fn a_pipeline_whose_columns_would_not_fit_is_refused_before_building_them() {
    // A one-hot step listing two million categories (a 20 MB file) would give 2 × 10^9 cells for 1,000 rows.
    let mut csv = String::from("colour\n");
    for i in 0..1_000 {
        csv.push_str(&format!("c{}\n", i % 3));
    }
    let (table, _) = mlplay::data::read_csv(csv.as_bytes(), &Default::default(), &mut NoProgress)
        .unwrap_or_else(|e| panic!("{e}"));
    let steps: Vec<mlplay::prep::StepSpec> =
        serde_json::from_str(r#"[{"step": "one_hot"}]"#).unwrap_or_else(|e| panic!("{e}"));
    let fitted = mlplay::prep::fit_pipeline(&steps, &table, None).unwrap_or_else(|e| panic!("{e}")).pipeline;
    let mut value = serde_json::to_value(&fitted).unwrap_or_else(|e| panic!("{e}"));
    let many: Vec<Value> = (0..2_000_000).map(|i| Value::from(format!("k{i}"))).collect();
    value["steps"][0]["columns"][0]["categories"] = Value::Array(many);
    let loaded = mlplay::prep::FittedPipeline::from_value(&value).unwrap_or_else(|e| panic!("{e}"));
    let message = loaded.transform(&table).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.starts_with("pipeline.steps[0]: this step would make 2000001 columns of 1000 rows"),
        "{message}"
    );
}
