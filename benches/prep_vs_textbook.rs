//! The automatic preparation against the textbook recipe, with the same model, on every shared dataset with
//! a target: the default model (a random forest) and a linear model (ridge for regression, logistic
//! regression for classification), 5-fold cross-validation on every row (the same folds for both recipes),
//! scored by the task's default metric (R² or accuracy). Prints a Markdown table and one JSON line.
//!
//! The textbook recipe is scikit-learn's usual `ColumnTransformer`: median imputation and standard scaling for
//! numbers, most-frequent imputation and one-hot encoding for categories, given every column but a written
//! row index (a first column with an empty header, read as the index by `read_csv(index_col=0)`). Free text is
//! dropped and dates are expanded into parts in both recipes (the textbook has no recipe for either), so the
//! comparison is of imputation, encoding, scaling and the columns left out.
//!
//!     cargo bench --bench prep_vs_textbook [-- dataset…]

use std::path::PathBuf;

use mlplay::data::{read_csv, ColumnKind, CsvOptions, Table};
use mlplay::progress::NoProgress;
use mlplay::run::run;
use mlplay::spec::Spec;

fn datasets() -> PathBuf {
    match std::env::var_os("MLPLAY_DATASETS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("shared").join("datasets"),
    }
}

/// The textbook steps for `table`: text dropped, dates in parts, median / most-frequent fills, numbers
/// scaled, then categories one-hot encoded (so the dummies are not scaled, as in a `ColumnTransformer`).
fn textbook(table: &Table) -> serde_json::Value {
    let has = |kind: ColumnKind| table.columns.iter().any(|c| c.kind == kind);
    let mut steps = Vec::new();
    // A first column with an empty header is the row index R or pandas wrote, which the textbook reads as
    // the index (`read_csv(index_col=0)`), not as a feature.
    if let Some(index) = table.columns.first().filter(|c| c.name == "Unnamed: 0") {
        steps.push(serde_json::json!({"step": "drop", "columns": [index.name]}));
    }
    if has(ColumnKind::Text) {
        steps.push(serde_json::json!({"step": "drop", "columns": "text"}));
    }
    steps.push(serde_json::json!({"step": "impute"}));
    if has(ColumnKind::Datetime) {
        steps.push(serde_json::json!({"step": "date_parts"}));
    }
    steps.push(serde_json::json!({"step": "standard_scale"}));
    steps.push(serde_json::json!({"step": "one_hot"}));
    serde_json::Value::Array(steps)
}

/// The mean 5-fold score of the task's default metric, and its name.
fn cv_score(table: &Table, spec: serde_json::Value) -> Result<(String, f64), String> {
    let spec = Spec::from_json(&spec.to_string()).map_err(|e| e.to_string())?;
    let output = run(table, &spec, None, &mut NoProgress).map_err(|e| e.to_string())?;
    let metric = match output.report.task {
        mlplay::models::Task::Regression => "r2",
        _ => "accuracy",
    };
    let mean = output.report.cv.get(metric).and_then(|s| s.mean).ok_or(format!("no CV {metric}"))?;
    Ok((metric.to_string(), mean))
}

fn main() -> Result<(), String> {
    let only: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let dir = datasets();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    let entries = manifest["datasets"].as_array().cloned().unwrap_or_default();
    println!("| dataset | metric | model | automatic | textbook | automatic − textbook |");
    println!("|---|---|---|---|---|---|");
    let mut rows = Vec::new();
    for entry in entries {
        let (Some(id), Some(file), Some(target)) =
            (entry["id"].as_str(), entry["file"].as_str(), entry["target"].as_str())
        else {
            continue; // clustering: no target, nothing to score
        };
        if !only.is_empty() && !only.iter().any(|o| o == id) {
            continue;
        }
        let bytes = std::fs::read(dir.join(file)).map_err(|e| format!("{file}: {e}"))?;
        let (table, _) =
            read_csv(&bytes, &CsvOptions::default(), &mut NoProgress).map_err(|e| e.to_string())?;
        let regression = entry["task"] == "regression";
        let linear = if regression { "ridge" } else { "logistic_regression" };
        for model in ["random_forest", linear] {
            let base = serde_json::json!({
                "target": target, "model": {"kind": model}, "seed": 0,
                "split": {"test_size": 0.0}, "cv": {"folds": 5},
                "importance": {"permutation": false}, "train_scores": false,
            });
            let mut with_textbook = base.clone();
            with_textbook["prep"] = textbook(&table);
            let (metric, automatic) = cv_score(&table, base)?;
            let (_, by_the_book) = cv_score(&table, with_textbook)?;
            let diff = automatic - by_the_book;
            println!("| {id} | {metric} | {model} | {automatic:.4} | {by_the_book:.4} | {diff:+.4} |");
            rows.push(serde_json::json!({"dataset": id, "model": model, "metric": metric,
                "automatic": automatic, "textbook": by_the_book, "diff": diff}));
        }
    }
    let diffs: Vec<f64> = rows.iter().filter_map(|r| r["diff"].as_f64()).collect();
    let mean = diffs.iter().sum::<f64>() / diffs.len().max(1) as f64;
    let worst = diffs.iter().copied().fold(f64::INFINITY, f64::min);
    println!("\nmean automatic − textbook: {mean:+.4}; worst: {worst:+.4}");
    println!("{}", serde_json::json!({"rows": rows, "mean_diff": mean, "worst_diff": worst}));
    Ok(())
}
