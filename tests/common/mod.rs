//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod model_cases;
pub mod workbooks;

use std::path::PathBuf;

use serde_json::Value;

/// The shared datasets folder: `$MLPLAY_DATASETS`, else `../shared/datasets` beside the repository.
pub fn shared_datasets() -> PathBuf {
    match std::env::var_os("MLPLAY_DATASETS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("shared").join("datasets"),
    }
}

/// A CSV of the shared datasets folder, read with the default options.
pub fn load_shared(file: &str) -> mlplay::data::Table {
    let path = shared_datasets().join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let options = mlplay::data::CsvOptions::default();
    mlplay::data::read_csv(&bytes, &options, &mut mlplay::progress::NoProgress)
        .unwrap_or_else(|e| panic!("{file}: {e}"))
        .0
}

/// A path inside `tests/fixtures`.
pub fn fixture(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures").join(relative)
}

/// `a` equals the reference `b` to 1e-9 relative; references smaller than 1e-3 in size are compared to 1e-12
/// absolute (a skewness of 1e-17 carries no relative precision).
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1e-3)
}

/// Compares an outcome with a case's expectation; returns a description of the mismatch, if any.
pub fn check_outcome(case: &Value, outcome: Result<mlplay::data::Profile, String>) -> Option<String> {
    let expected_error = case.get("error").and_then(Value::as_str);
    let expected_prefix = case.get("error_starts_with").and_then(Value::as_str);
    match outcome {
        Err(message) => match (expected_error, expected_prefix) {
            (Some(e), _) if message == e => None,
            (_, Some(p)) if message.starts_with(p) => None,
            _ => Some(format!("unexpected error: {message}")),
        },
        Ok(_) if expected_error.is_some() || expected_prefix.is_some() => {
            Some("read without an error".into())
        }
        Ok(profile) => {
            if case["rows"].as_u64() != Some(profile.n_rows as u64) {
                return Some(format!("{} rows", profile.n_rows));
            }
            if case["columns"].as_u64() != Some(profile.n_columns as u64) {
                return Some(format!("{} columns", profile.n_columns));
            }
            let warning = case.get("warning").and_then(Value::as_str);
            match warning {
                Some(w) if !profile.load.warnings.iter().any(|x| x.contains(w)) => {
                    Some(format!("warnings {:?} lack {w:?}", profile.load.warnings))
                }
                None if !profile.load.warnings.is_empty() => {
                    Some(format!("unexpected warnings {:?}", profile.load.warnings))
                }
                _ => None,
            }
        }
    }
}

/// Runs the `mlplay` binary with `args` then the penguins sample, writing charts into a fresh directory;
/// returns the file names written there, sorted (the directory is removed).
pub fn cli_chart_files(args: &[&str]) -> Vec<String> {
    let dir = std::env::temp_dir().join(format!("mlplay-charts-{}-{}", args.join("_"), std::process::id()));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_mlplay"))
        .args(args)
        .arg("--charts")
        .arg(&dir)
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/www/samples/penguins.csv"))
        .output()
        .expect("run mlplay");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("charts dir")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    files.sort();
    for file in &files {
        let svg = std::fs::read_to_string(dir.join(file)).expect("read svg");
        assert!(svg.starts_with("<svg"), "{file} is an SVG document");
    }
    let _ = std::fs::remove_dir_all(&dir);
    files
}
