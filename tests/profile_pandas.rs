//! `mlplay profile` agrees with pandas on every shared dataset. References are in tests/fixtures/profile/*.json,
//! written by tests/fixtures/profile/generate.py (which records the pandas version). Counts must be exact;
//! floats agree to 1e-9 relative (see `common::close`).

mod common;

use mlplay::data::profile::ColumnProfile;
use mlplay::data::CsvOptions;
use mlplay::progress::NoProgress;
use serde_json::Value;

fn as_f64(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn check_float(errors: &mut Vec<String>, what: &str, ours: Option<f64>, theirs: &Value) {
    match (ours, as_f64(theirs)) {
        (None, None) => {}
        (Some(a), Some(b)) if common::close(a, b) => {}
        (a, _) => errors.push(format!("{what}: mlplay {a:?}, pandas {theirs}")),
    }
}

fn check_column(errors: &mut Vec<String>, file: &str, ours: &ColumnProfile, theirs: &Value) {
    let at = format!("{file} `{}`", ours.name);
    if theirs["name"].as_str() != Some(ours.name.as_str()) {
        errors.push(format!("{at}: pandas calls this column {}", theirs["name"]));
    }
    for (field, value) in [("count", ours.count), ("missing", ours.missing), ("unique", ours.unique)] {
        if theirs[field].as_u64() != Some(value as u64) {
            errors.push(format!("{at} {field}: mlplay {value}, pandas {}", theirs[field]));
        }
    }
    let numeric = theirs["numeric"].as_bool().unwrap_or(false);
    if numeric != ours.kind.is_numeric() {
        errors.push(format!("{at}: mlplay reads it as {:?}, pandas as {}", ours.kind, theirs["dtype"]));
        return;
    }
    let our_top: Vec<u64> = ours.top.iter().map(|v| v.count as u64).collect();
    let their_top: Vec<u64> = theirs["top_counts"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    if our_top != their_top {
        errors.push(format!("{at} top counts: mlplay {our_top:?}, pandas {their_top:?}"));
    }
    if numeric {
        for (field, value) in [
            ("mean", ours.mean),
            ("std", ours.std),
            ("min", ours.min),
            ("q25", ours.q25),
            ("median", ours.median),
            ("q75", ours.q75),
            ("max", ours.max),
            ("skewness", ours.skewness),
        ] {
            check_float(errors, &format!("{at} {field}"), value, &theirs[field]);
        }
    }
}

#[test]
fn profiles_agree_with_pandas_on_every_shared_dataset() {
    let fixtures = common::fixture("profile");
    let mut files: Vec<_> = std::fs::read_dir(&fixtures)
        .expect("fixtures folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 13, "one reference per shared dataset");
    let mut errors = Vec::new();
    let mut compared = 0;
    for reference_path in files {
        let reference: Value =
            serde_json::from_str(&std::fs::read_to_string(&reference_path).expect("read fixture"))
                .expect("json");
        let file = reference["file"].as_str().expect("file name").to_string();
        let csv_path = common::shared_datasets().join(&file);
        let bytes = std::fs::read(&csv_path).unwrap_or_else(|e| {
            panic!("{}: {e} (set MLPLAY_DATASETS to the shared datasets)", csv_path.display())
        });
        let (_, profile) = mlplay::load_and_profile(&bytes, &CsvOptions::default(), &mut NoProgress)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(Some(profile.n_rows as u64), reference["rows"].as_u64(), "{file} rows");
        assert_eq!(Some(profile.n_columns as u64), reference["columns"].as_u64(), "{file} columns");
        if Some(profile.duplicate_rows as u64) != reference["duplicate_rows"].as_u64() {
            errors.push(format!(
                "{file} duplicates: mlplay {}, pandas {}",
                profile.duplicate_rows, reference["duplicate_rows"]
            ));
        }
        let columns = reference["column_profiles"].as_array().expect("columns");
        for (ours, theirs) in profile.columns.iter().zip(columns) {
            check_column(&mut errors, &file, ours, theirs);
            compared += 1;
        }
        let their_names: Vec<&str> = reference["correlation"]["columns"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        assert_eq!(profile.correlation.columns, their_names, "{file} correlation columns");
        for (i, row) in profile.correlation.matrix.iter().enumerate() {
            for (j, value) in row.iter().enumerate() {
                check_float(
                    &mut errors,
                    &format!("{file} corr[{i}][{j}]"),
                    *value,
                    &reference["correlation"]["matrix"][i][j],
                );
            }
        }
    }
    assert!(compared > 200, "compared only {compared} columns");
    assert!(errors.is_empty(), "{} disagreements with pandas:\n{}", errors.len(), errors.join("\n"));
}
