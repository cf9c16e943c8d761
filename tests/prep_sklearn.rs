//! Preparation steps agree with scikit-learn on the shared datasets. References are in
//! tests/fixtures/prep/sklearn.json, written by tests/fixtures/prep/generate.py (which records the versions):
//! every value of the first 400 rows to 1e-9 (see `common::close`) unless the case states another tolerance
//! (the Yeo–Johnson power comes from an optimiser on a flat likelihood: outputs 1e-5, λ 1e-4), and over all rows each column's sum and missing
//! count (numbers) or value counts (strings).

mod common;

use mlplay::data::{ColumnData, Table};
use mlplay::numeric::stats::pairwise_sum;
use mlplay::prep::{fit_pipeline, StepSpec};
use serde_json::Value;

fn load(file: &str) -> Table {
    common::load_shared(file)
}

/// `a` equals the reference `b` to `tol`: relative, or absolute below `floor` (1e-3 for the exact 1e-9 cases,
/// as `common::close`; 1 for stated tolerances, whose outputs are standardised to scale 1).
fn close_to(a: f64, b: f64, tol: f64) -> bool {
    let floor = if tol > 1e-9 { 1.0 } else { 1e-3 };
    (a - b).abs() <= tol * b.abs().max(floor)
}

fn check_case(case: &Value, errors: &mut Vec<String>) {
    let name = case["name"].as_str().unwrap_or("?");
    let tol = case["tolerance"].as_f64().unwrap_or(1e-9);
    let table = load(case["file"].as_str().expect("file"));
    let step: StepSpec = serde_json::from_value(case["step"].clone()).expect("step spec");
    let prepared = match fit_pipeline(&[step], &table, case["target"].as_str()) {
        Ok(p) => p,
        Err(e) => return errors.push(format!("{name}: {e}")),
    };
    let out = &prepared.table;
    if case["rows"].as_u64() != Some(out.n_rows as u64) {
        errors.push(format!("{name}: {} rows", out.n_rows));
    }
    for absent in case.get("absent").and_then(Value::as_array).into_iter().flatten() {
        if let Some(name) = absent.as_str().filter(|n| out.column(n).is_some()) {
            errors.push(format!("{name}: `{name}` should have been dropped"));
        }
    }
    if let Some(ratios) = case.get("explained_variance_ratio").and_then(Value::as_array) {
        let ours = prepared.pipeline.steps.iter().find_map(|s| match s {
            mlplay::prep::FittedStep::Pca(p) => Some(p.explained_variance_ratio.clone()),
            _ => None,
        });
        let theirs: Vec<f64> = ratios.iter().filter_map(Value::as_f64).collect();
        let agree = ours.as_ref().is_some_and(|o| {
            o.len() == theirs.len() && o.iter().zip(&theirs).all(|(a, b)| common::close(*a, *b))
        });
        if !agree {
            errors.push(format!("{name}: explained variance ratio mlplay {ours:?}, scikit-learn {theirs:?}"));
        }
    }
    if let Some(lambdas) = case.get("lambdas").and_then(Value::as_array) {
        let ours: Vec<f64> = prepared
            .pipeline
            .steps
            .iter()
            .find_map(|s| match s {
                mlplay::prep::FittedStep::YeoJohnson(p) => Some(p.columns.iter().map(|c| c.lambda).collect()),
                _ => None,
            })
            .unwrap_or_default();
        let theirs: Vec<f64> = lambdas.iter().filter_map(Value::as_f64).collect();
        if ours.len() != theirs.len()
            || ours.iter().zip(&theirs).any(|(a, b)| (a - b).abs() > 1e-4 * b.abs().max(1e-3))
        {
            errors.push(format!("{name}: λ mlplay {ours:?}, scikit-learn {theirs:?}"));
        }
    }
    let expected = case["output"].as_object().expect("output");
    for (column_name, reference) in expected {
        let Some(column) = out.column(column_name) else {
            errors.push(format!("{name}: no output column `{column_name}` (have {:?})", out.names()));
            continue;
        };
        let head = reference["head"].as_array().expect("head");
        match &column.data {
            ColumnData::Numbers { values, .. } => {
                for (row, (ours, theirs)) in values.iter().zip(head).enumerate() {
                    let ok = match theirs.as_f64() {
                        None => ours.is_nan(),
                        Some(t) => close_to(*ours, t, tol),
                    };
                    if !ok {
                        errors.push(format!(
                            "{name} `{column_name}` row {row}: mlplay {ours}, scikit-learn {theirs}"
                        ));
                        break;
                    }
                }
                let nulls = values.iter().filter(|v| v.is_nan()).count();
                if reference["nulls"].as_u64() != Some(nulls as u64) {
                    errors.push(format!(
                        "{name} `{column_name}`: {nulls} missing, scikit-learn {}",
                        reference["nulls"]
                    ));
                }
                let present: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
                let sum = pairwise_sum(&present);
                let theirs = reference["sum"].as_f64().unwrap_or(f64::NAN);
                // Rounding in a sum grows with the size of its terms, not of the (possibly near-zero) total.
                let scale = present.iter().map(|v| v.abs()).sum::<f64>().max(1e-3);
                if (sum - theirs).abs() > tol * scale {
                    errors.push(format!("{name} `{column_name}` sum: mlplay {sum}, scikit-learn {theirs}"));
                }
            }
            ColumnData::Strings { .. } => {
                for (row, theirs) in head.iter().enumerate() {
                    let ours = column.text_at(row);
                    if ours != theirs.as_str() {
                        errors.push(format!(
                            "{name} `{column_name}` row {row}: mlplay {ours:?}, scikit-learn {theirs}"
                        ));
                        break;
                    }
                }
                let counts = reference["counts"].as_object().expect("counts");
                for (value, count) in counts {
                    let ours = (0..out.n_rows).filter(|&r| column.text_at(r) == Some(value.as_str())).count();
                    if count.as_u64() != Some(ours as u64) {
                        errors.push(format!(
                            "{name} `{column_name}` count of {value:?}: mlplay {ours}, scikit-learn {count}"
                        ));
                    }
                }
            }
            ColumnData::Times { .. } => errors.push(format!("{name} `{column_name}`: unexpected dates")),
        }
    }
}

#[test]
fn preparation_steps_agree_with_scikit_learn() {
    let text = std::fs::read_to_string(common::fixture("prep/sklearn.json")).expect("fixture");
    let fixture: Value = serde_json::from_str(&text).expect("json");
    let cases = fixture["cases"].as_array().expect("cases");
    assert!(cases.len() >= 20, "{} cases", cases.len());
    let mut errors = Vec::new();
    for case in cases {
        check_case(case, &mut errors);
    }
    assert!(errors.is_empty(), "{} disagreements with scikit-learn:\n{}", errors.len(), errors.join("\n"));
}

/// Mutual information: the estimates agree with scikit-learn's to 0.03 and the most informative features
/// are the same (our best is among scikit-learn's best two; the top three share at least two). Both add
/// 1e-10 noise to break ties, from different random generators, hence a tolerance.
#[test]
fn mutual_information_ranks_features_as_scikit_learn() {
    use mlplay::prep::mutual_info::{mutual_information, MiTask};
    let text = std::fs::read_to_string(common::fixture("prep/sklearn.json")).expect("fixture");
    let fixture: Value = serde_json::from_str(&text).expect("json");
    let mut errors = Vec::new();
    for case in fixture["mutual_info"].as_array().expect("mutual_info") {
        let file = case["file"].as_str().expect("file");
        let target = case["target"].as_str().expect("target");
        let features: Vec<String> = case["features"]
            .as_array()
            .expect("features")
            .iter()
            .filter_map(|f| f.as_str().map(str::to_string))
            .collect();
        let theirs: Vec<f64> =
            case["scores"].as_array().expect("scores").iter().filter_map(Value::as_f64).collect();
        let task = if case["task"] == "classification" { MiTask::Classification } else { MiTask::Regression };
        // scikit-learn saw the rows where every feature and the target are present.
        let table = load(file);
        let complete: Vec<usize> = (0..table.n_rows)
            .filter(|&r| {
                features
                    .iter()
                    .chain([&target.to_string()])
                    .all(|n| table.column(n).is_some_and(|c| !c.is_missing(r)))
            })
            .collect();
        let ours =
            mutual_information(&table.take_rows(&complete), &features, target, task).expect("estimate");
        for ((name, a), b) in features.iter().zip(&ours).zip(&theirs) {
            if (a - b).abs() > 0.03 {
                errors.push(format!("{file} `{name}`: mlplay {a:.4}, scikit-learn {b:.4}"));
            }
        }
        let top = |scores: &[f64], k: usize| -> Vec<String> {
            let mut ranked: Vec<(f64, &String)> = scores.iter().copied().zip(&features).collect();
            ranked.sort_by(|x, y| y.0.total_cmp(&x.0));
            ranked.into_iter().take(k).map(|(_, n)| n.clone()).collect()
        };
        let k = 3.min(features.len());
        let (our_top, their_top) = (top(&ours, k), top(&theirs, k));
        let shared = our_top.iter().filter(|n| their_top.contains(n)).count();
        let leader_agrees = our_top.first().is_some_and(|f| their_top.iter().take(2).any(|t| t == f));
        if !leader_agrees || shared + 1 < k {
            errors.push(format!("{file}: top features mlplay {our_top:?}, scikit-learn {their_top:?}"));
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
