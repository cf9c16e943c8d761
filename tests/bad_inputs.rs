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
