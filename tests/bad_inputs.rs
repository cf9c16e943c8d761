//! The bad-input corpus (tests/fixtures/bad, documented in expected.json) gives each file its documented error
//! or warning — through the library and through the `mlplay` CLI (same message on stderr, exit code 1) — and
//! never a panic.

mod common;

use std::process::Command;

use mlplay::data::CsvOptions;
use mlplay::progress::NoProgress;
use serde_json::Value;

fn corpus() -> Vec<Value> {
    let text = std::fs::read_to_string(common::fixture("bad/expected.json")).expect("expected.json");
    serde_json::from_str::<Vec<Value>>(&text).expect("expected.json is a list")
}

fn options_json(case: &Value) -> String {
    case.get("options").map(Value::to_string).unwrap_or_default()
}

#[test]
fn corpus_has_at_least_twenty_documented_files() {
    let cases = corpus();
    assert!(cases.len() >= 20, "{} cases", cases.len());
    for case in &cases {
        let file = case["file"].as_str().expect("file");
        assert!(common::fixture(&format!("bad/{file}")).exists(), "{file} missing");
        let documented = ["error", "error_starts_with", "rows"].iter().any(|k| case.get(*k).is_some());
        assert!(documented, "{file} documents no outcome");
    }
}

#[test]
fn library_gives_each_documented_outcome() {
    let mut failures = Vec::new();
    for case in corpus() {
        let file = case["file"].as_str().unwrap_or_default();
        let bytes = std::fs::read(common::fixture(&format!("bad/{file}"))).expect("fixture");
        let outcome = CsvOptions::from_json(&options_json(&case))
            .and_then(|options| mlplay::load_and_profile(&bytes, &options, &mut NoProgress))
            .map(|(_, profile)| profile)
            .map_err(|e| e.to_string());
        if let Some(problem) = common::check_outcome(&case, outcome) {
            failures.push(format!("{file}: {problem}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn cli_prints_the_same_messages() {
    let dir = std::env::temp_dir().join(format!("mlplay-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut failures = Vec::new();
    for case in corpus() {
        let file = case["file"].as_str().unwrap_or_default();
        let mut command = Command::new(env!("CARGO_BIN_EXE_mlplay"));
        command.arg("profile").arg("--compact");
        if case.get("options").is_some() {
            let path = dir.join(format!("{file}.options.json"));
            std::fs::write(&path, options_json(&case)).expect("write options");
            command.arg("--options").arg(&path);
        }
        let output = command.arg(common::fixture(&format!("bad/{file}"))).output().expect("run mlplay");
        let stderr = String::from_utf8_lossy(&output.stderr).trim().to_string();
        let outcome = if output.status.success() {
            serde_json::from_slice(&output.stdout).map_err(|e| format!("stdout is not a profile: {e}"))
        } else {
            if output.status.code() != Some(1) {
                failures.push(format!("{file}: exit code {:?}", output.status.code()));
            }
            Err(stderr.strip_prefix("mlplay: ").unwrap_or(&stderr).to_string())
        };
        if let Some(problem) = common::check_outcome(&case, outcome) {
            failures.push(format!("{file}: {problem}"));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn predicting_new_data_names_a_wrong_typed_column_its_line_and_value() {
    let train = "age,town,when,bought\n".to_string()
        + &(0..40)
            .map(|i| format!("{},t{},2024-01-{:02},{}\n", 20 + i, i % 3, i % 28 + 1, ["yes", "no"][i % 2]))
            .collect::<String>();
    let (table, _) = mlplay::data::read_csv(train.as_bytes(), &CsvOptions::default(), &mut NoProgress)
        .unwrap_or_else(|e| panic!("{e}"));
    let spec = mlplay::spec::Spec::from_json(
        r#"{"target": "bought", "cv": {"folds": 0}, "model": {"kind": "decision_tree"}}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let output = mlplay::run::run(&table, &spec, None, &mut NoProgress).unwrap_or_else(|e| panic!("{e}"));
    let trained = mlplay::run::Trained::new(output.pipeline, output.model).with_inputs(&table);
    let saved = mlplay::run::Trained::from_json(&trained.to_json().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    let read = |csv: &str| saved.read_new_data(csv.as_bytes(), &CsvOptions::default(), &mut NoProgress);
    // A whole-number column given a fraction is still numeric; a word on line 4 is named with its line.
    assert!(read("age,town,when\n30.5,t1,2024-02-01\n41,t2,2024-02-02\n").is_ok());
    let message = read("age,town,when\n30,t1,2024-02-01\n41,t2,2024-02-02\nabout forty,t0,2024-02-03\n")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(
        message,
        "column `age`, line 4: `about forty` is not a valid float: the model was trained on numeric values in this column"
    );
    let message = read("age,town,when\n30,t1,2024-02-01\n41,t2,soon\n")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(message.starts_with("column `when`, line 3: `soon` is not a valid datetime"), "{message}");
    // A column the user forced keeps the user's kind; a file saved without inputs reads as before.
    let mut options = CsvOptions::default();
    options.types.insert("age".into(), mlplay::data::ColumnKind::Categorical);
    assert!(saved
        .read_new_data(b"age,town,when\nabout forty,t0,2024-02-03\n", &options, &mut NoProgress)
        .is_ok());
    let old = mlplay::run::Trained { inputs: Vec::new(), ..saved.clone() };
    assert!(old
        .read_new_data(b"age,town,when\nabout forty,t0,2024-02-03\n", &CsvOptions::default(), &mut NoProgress)
        .is_ok());

    // The CLI reads new data the same way.
    let dir = std::env::temp_dir().join(format!("mlplay-predict-types-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_default();
    let model = dir.join("model.json");
    std::fs::write(&model, trained.to_json().unwrap_or_default()).unwrap_or_default();
    let data = dir.join("new.csv");
    std::fs::write(&data, "age,town,when\n30,t1,2024-02-01\nabout forty,t0,2024-02-03\n").unwrap_or_default();
    let out = Command::new(env!("CARGO_BIN_EXE_mlplay"))
        .args(["predict", "--model"])
        .arg(&model)
        .arg(&data)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("column `age`, line 3: `about forty` is not a valid float"), "{stderr}");
}
