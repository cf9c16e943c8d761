//! The hostile-input corpus: generated CSV files, reading options, Specs and model files that a careless or
//! malicious user could hand mlplay. Each case runs twice — through the library (this test binary started
//! again on that case alone) and through the `mlplay` CLI — in a child process with at most 4 GB of address
//! space and a time-out that only catches hangs. No case may panic, hang or run out of memory; a refused
//! case's message must name what is wrong and where (a key path, a column, a line), and a case documented
//! as fine must succeed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

use common::workbooks::{cell, dimensions, number, ods, text_cell, xls};
use mlplay::progress::NoProgress;

/// Address space of each child process (`ulimit -v`, in KiB): 4 GB, the most a page's wasm module can have.
const MEMORY_KIB: u64 = 4 * 1024 * 1024;
/// Longer than any case needs on a loaded machine (they take well under a second): only a hang trips it.
const TIME_OUT: Duration = Duration::from_secs(120);
/// The environment variable that makes [`one_case_through_the_library`] run one case.
const CASE_VARIABLE: &str = "MLPLAY_HOSTILE_CASE";

/// What a case must give.
#[derive(Clone)]
enum Outcome {
    /// Succeed.
    Fine,
    /// Fail with a message containing every one of these.
    Refused(Vec<String>),
}

/// A CSV (with optional reading options), and optionally a Spec to run on it or a model file to predict it.
#[derive(Clone)]
struct Case {
    name: String,
    csv: Vec<u8>,
    options: Option<String>,
    spec: Option<String>,
    model: Option<String>,
    outcome: Outcome,
}

fn refused(parts: &[&str]) -> Outcome {
    Outcome::Refused(parts.iter().map(|s| s.to_string()).collect())
}

/// A small table with every kind of column: 120 rows.
fn base_csv() -> String {
    let mut csv = String::from("x1,x2,colour,town,when,y,label\n");
    for i in 0..120u32 {
        let x1 = f64::from(i % 17) * 0.37 - 2.0;
        let x2 = (i * 7) % 23;
        let colour = ["red", "green", "blue"][(i % 3) as usize];
        let town = format!("t{}", i % 40);
        let when = format!("2020-{:02}-{:02}", i % 12 + 1, i % 28 + 1);
        let y = x1 * 2.0 + f64::from(x2) * 0.1 + f64::from(i % 5);
        let label = ["a", "b", "c"][((i / 2) % 3) as usize];
        csv.push_str(&format!("{x1},{x2},{colour},{town},{when},{y},{label}\n"));
    }
    csv
}

fn csv_case(name: &str, csv: impl Into<Vec<u8>>, outcome: Outcome) -> Case {
    Case { name: name.into(), csv: csv.into(), options: None, spec: None, model: None, outcome }
}

fn options_case(name: &str, options: &str, outcome: Outcome) -> Case {
    Case { options: Some(options.into()), ..csv_case(name, base_csv(), outcome) }
}

fn spec_case(name: &str, spec: &str, outcome: Outcome) -> Case {
    Case { spec: Some(spec.into()), ..csv_case(name, base_csv(), outcome) }
}

fn model_case(name: &str, model: String, outcome: Outcome) -> Case {
    Case { model: Some(model), ..csv_case(name, base_csv(), outcome) }
}

/// A model file fitted on [`base_csv`] (a small decision tree predicting `label`), as JSON.
fn good_model() -> serde_json::Value {
    let (table, _) = mlplay::data::read_csv(base_csv().as_bytes(), &Default::default(), &mut NoProgress)
        .unwrap_or_else(|e| panic!("{e}"));
    let spec = mlplay::spec::Spec::from_json(
        r#"{"target": "label", "model": {"kind": "decision_tree", "params": {"max_depth": 3}}}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let output = mlplay::run::run(&table, &spec, None, &mut NoProgress).unwrap_or_else(|e| panic!("{e}"));
    let json =
        mlplay::run::Trained::new(output.pipeline, output.model).to_json().unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"))
}

fn csv_cases() -> Vec<Case> {
    let base = base_csv();
    let fine = || Outcome::Fine;
    let mut wide_header: Vec<String> = (0..5_000).map(|i| format!("c{i}")).collect();
    let wide = format!("{}\n{}\n", wide_header.join(","), vec!["1"; 5_000].join(","));
    wide_header.truncate(3);
    let mut cases = vec![
        csv_case("empty file", "", refused(&["empty"])),
        csv_case("header only", "a,b,c\n", refused(&["no data rows"])),
        csv_case("a BOM and nothing else", "\u{feff}", refused(&["empty"])),
        csv_case("blank lines only", "\n\n\n\n", refused(&["empty"])),
        csv_case("a NUL byte in the header", "a\0,b\n1,2\n", refused(&["NUL", "line 1"])),
        csv_case(
            "a NUL byte deep in the file",
            format!("{base}1,2,red,t1,2020-01-01,3\0,a\n"),
            refused(&["NUL", "line 122"]),
        ),
        csv_case(
            "an unterminated quote at the end",
            format!("{base}1,2,\"red,t1,2020-01-01,3,a\n"),
            refused(&["quote", "line 122"]),
        ),
        csv_case("a ragged row", format!("{base}1,2,3\n"), refused(&["line 122", "3 fields"])),
        csv_case(
            "a row far too long",
            format!("{base}{}\n", vec!["1"; 10_000].join(",")),
            refused(&["line 122"]),
        ),
        csv_case("5,000 columns, one row", wide, fine()),
        csv_case(
            "a 3 MB field",
            format!("a,b\n{},1\n{},2\n", "x".repeat(3_000_000), "y".repeat(10)),
            refused(&["line 2", "max_field_bytes"]),
        ),
        csv_case("a PNG image", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(), refused(&["PNG"])),
        csv_case("a gzip file", b"\x1f\x8b\x08\0\0\0\0\0\0\x03".to_vec(), refused(&["gzip"])),
        csv_case("a PDF", "%PDF-1.7\n%\u{e2}\u{e3}\n1 0 obj\n", refused(&["PDF"])),
        csv_case(
            "a ZIP that is no workbook",
            b"PK\x03\x04\x14\0\0\0\0\0garbage".to_vec(),
            refused(&["spreadsheet"]),
        ),
        csv_case("UTF-16 with a BOM", b"\xff\xfea\0,\0b\0\n\x001\0,\x002\0\n\0".to_vec(), Outcome::Fine),
        csv_case(
            "invalid UTF-8 in row 50",
            {
                let mut bytes = base.clone().into_bytes();
                let at = base.match_indices('\n').nth(50).map_or(0, |(i, _)| i + 1);
                bytes.insert(at, 0xff);
                bytes
            },
            Outcome::Fine,
        ),
        csv_case("duplicate header names", "a,a,a,a\n1,2,3,4\n5,6,7,8\n", fine()),
        csv_case("a 100,000-character header name", format!("{},b\n1,2\n3,4\n", "h".repeat(100_000)), fine()),
        csv_case("only delimiters", ",,,\n,,,\n,,,\n", fine()),
        csv_case("carriage returns only", "a,b\r1,2\r3,4\r", fine()),
        csv_case("numbers beyond f64", "a,b\n1e400,1\n-1e400,2\n3,3\n", fine()),
        csv_case("a 300-digit number", format!("a,b\n{},1\n2,2\n", "9".repeat(300)), fine()),
        csv_case("years beyond 9999", "when,v\n99999-01-01,1\n2020-01-01,2\n", fine()),
        csv_case("quotes inside quotes", "a,b\n\"\"\"\"\"\"\"\",1\n\"x\"\"y\",2\n", fine()),
        csv_case("a delimiter that changes halfway", "a;b;c\n1;2;3\n4,5,6\n7;8;9\n", refused(&["line 3"])),
        csv_case(
            "10,000 distinct categories",
            {
                let mut s = String::from("id,c,v\n");
                for i in 0..10_000 {
                    s.push_str(&format!("{i},k{i},{}\n", i % 7));
                }
                s
            },
            fine(),
        ),
        csv_case(
            "decimal commas and thousands",
            "a;b\n\"1.234,5\";\"12 %\"\n\"2.000,0\";\"13 %\"\n\"3,5\";\"1 %\"\n",
            fine(),
        ),
        csv_case("a column of NaN and infinities", "a,b\nNaN,inf\n-inf,NaN\n1,2\n", fine()),
    ];
    cases.push(Case {
        options: Some(r#"{"max_bytes": 100}"#.into()),
        ..csv_case("a file over max_bytes", base.clone(), refused(&["max_bytes"]))
    });
    cases.push(Case {
        options: Some(r#"{"skip_bad_rows": true}"#.into()),
        ..csv_case("ragged rows skipped on request", format!("{base}1,2\n3\n"), fine())
    });
    cases.push(Case {
        options: Some(r#"{"types": {"colour": "float"}}"#.into()),
        ..csv_case("text forced to numbers", base.clone(), refused(&["colour", "line 2", "red"]))
    });
    cases.push(Case {
        options: Some(r#"{"types": {"when": "integer"}}"#.into()),
        ..csv_case("a date forced to integers", base, refused(&["when", "line 2"]))
    });
    // Workbooks whose sheets calamine would lay out densely beyond any memory.
    let header = format!("<table:table-row>{}{}</table:table-row>", text_cell("a"), text_cell("b"));
    let filled = format!("<table:table-row>{}{}</table:table-row>", cell("1"), cell("2"));
    let laid_out = || refused(&["would be laid out as"]);
    cases.push(csv_case("an .ods sheet", ods(&format!("{header}{filled}{filled}")), fine()));
    cases.push(csv_case(
        "an .ods cell repeated a billion times",
        ods(&format!(
            r#"{header}<table:table-row><table:table-cell table:number-columns-repeated="1000000000" office:value-type="float" office:value="1"/></table:table-row>"#
        )),
        laid_out(),
    ));
    cases.push(csv_case(
        "an .ods row after a hundred million empty ones",
        ods(&format!(
            r#"{header}{filled}<table:table-row table:number-rows-repeated="100000000"><table:table-cell/></table:table-row>{filled}"#
        )),
        laid_out(),
    ));
    cases.push(csv_case(
        "an .xls sheet with cells at opposite corners",
        xls(&[dimensions(0, 1, 0, 1), number(0, 0, 1.0), number(65_535, 65_535, 2.0)]),
        laid_out(),
    ));
    cases.push(csv_case(
        "an .xls sheet declaring four billion rows",
        xls(&[dimensions(0, 4_000_000_000, 0, 255), number(0, 0, 1.0)]),
        laid_out(),
    ));
    cases
}

fn options_cases() -> Vec<Case> {
    let mut cases = vec![
        options_case("options that are not JSON", "{delimiter: ;}", refused(&["options", "line 1"])),
        options_case("options as a list", "[1, 2]", refused(&["options"])),
        options_case("an unknown option", r#"{"delimeter": ";"}"#, refused(&["delimeter"])),
        options_case("a two-character delimiter", r#"{"delimiter": ";;"}"#, refused(&["delimiter"])),
        options_case("an empty delimiter", r#"{"delimiter": ""}"#, refused(&["delimiter"])),
        options_case("a numeric delimiter", r#"{"delimiter": 5}"#, refused(&["delimiter"])),
        options_case("a negative max_bytes", r#"{"max_bytes": -1}"#, refused(&["max_bytes"])),
        options_case(
            "a 300-digit max_bytes",
            &format!(r#"{{"max_bytes": {}}}"#, "9".repeat(300)),
            refused(&["max_bytes"]),
        ),
        options_case("max_bytes as text", r#"{"max_bytes": "big"}"#, refused(&["max_bytes"])),
        options_case("an unknown kind", r#"{"types": {"x1": "complex"}}"#, refused(&["types", "complex"])),
        options_case("a type for a missing column", r#"{"types": {"nope": "float"}}"#, refused(&["nope"])),
        options_case("types as a list", r#"{"types": ["x1"]}"#, refused(&["types"])),
        options_case("missing tokens as a number", r#"{"missing_tokens": 5}"#, refused(&["missing_tokens"])),
        options_case(
            "missing tokens of numbers",
            r#"{"missing_tokens": [1, 2]}"#,
            refused(&["missing_tokens"]),
        ),
        options_case("an unknown decimal mark", r#"{"decimal": "x"}"#, refused(&["decimal"])),
        options_case("a sheet of a CSV", r#"{"sheet": "Sheet2"}"#, refused(&["sheet"])),
        options_case("a sheet as a number", r#"{"sheet": 3}"#, refused(&["sheet"])),
        options_case(
            "per-column tokens for a missing column",
            r#"{"missing_tokens_by_column": {"nope": ["x"]}}"#,
            refused(&["nope"]),
        ),
        options_case(
            "per-column tokens as a number",
            r#"{"missing_tokens_by_column": {"x1": 3}}"#,
            refused(&["missing_tokens_by_column"]),
        ),
        options_case("skip_bad_rows as text", r#"{"skip_bad_rows": "yes"}"#, refused(&["skip_bad_rows"])),
        options_case(
            "JSON nested 10,000 deep",
            &format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
            refused(&["options"]),
        ),
    ];
    cases.push(options_case("every option at once, valid", r#"{"delimiter": ",", "missing_tokens": ["", "NA"], "decimal": ".", "skip_bad_rows": false, "types": {"x2": "float"}}"#, Outcome::Fine));
    cases
}

/// A Spec with `label` as target and `model`, and `extra` keys.
fn labelled(model: &str, extra: &str) -> String {
    let comma = if extra.is_empty() { "" } else { ", " };
    format!(r#"{{"target": "label", "model": {model}{comma}{extra}}}"#)
}

fn spec_cases() -> Vec<Case> {
    let tree = r#"{"kind": "decision_tree"}"#;
    let mut cases = vec![
        spec_case("a Spec that is not JSON", "{target: label}", refused(&["spec", "line 1"])),
        spec_case("a Spec as a string", r#""label""#, refused(&["spec"])),
        spec_case(
            "JSON nested 10,000 deep",
            &format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
            refused(&["spec"]),
        ),
        spec_case("an unknown target", r#"{"target": "nope"}"#, refused(&["target", "nope"])),
        spec_case("an empty target", r#"{"target": ""}"#, refused(&["target"])),
        spec_case("a numeric target name", r#"{"target": 5}"#, refused(&["target"])),
        spec_case(
            "a 10,000-character target",
            &format!(r#"{{"target": "{}"}}"#, "t".repeat(10_000)),
            refused(&["target"]),
        ),
        spec_case("an unknown task", r#"{"target": "label", "task": "divination"}"#, refused(&["task"])),
        spec_case("regression of text", r#"{"target": "label", "task": "regression"}"#, refused(&["label"])),
        spec_case(
            "an empty model kind",
            r#"{"target": "label", "model": {"kind": ""}}"#,
            refused(&["model.kind"]),
        ),
        spec_case(
            "an unknown model kind",
            r#"{"target": "label", "model": {"kind": "oracle"}}"#,
            refused(&["model.kind", "oracle"]),
        ),
        spec_case(
            "a model kind as a number",
            r#"{"target": "label", "model": {"kind": 5}}"#,
            refused(&["model.kind"]),
        ),
        spec_case(
            "a regressor for classes",
            r#"{"target": "label", "model": {"kind": "ridge"}}"#,
            refused(&["model.kind", "ridge"]),
        ),
        spec_case(
            "an unknown model parameter",
            &labelled(r#"{"kind": "knn", "params": {"k": 3}}"#, ""),
            refused(&["model.params", "k"]),
        ),
        spec_case("the target dropped", r#"{"target": "label", "drop": ["label"]}"#, refused(&["label"])),
        spec_case(
            "an unknown column dropped",
            r#"{"target": "label", "drop": ["nope"]}"#,
            refused(&["drop", "nope"]),
        ),
        spec_case(
            "an unknown column kept",
            r#"{"target": "label", "keep": ["nope"]}"#,
            refused(&["keep", "nope"]),
        ),
        spec_case("an unknown ground truth", r#"{"ground_truth": "nope"}"#, refused(&["nope"])),
        spec_case(
            "a test share of 1.5",
            r#"{"target": "label", "split": {"test_size": 1.5}}"#,
            refused(&["split.test_size"]),
        ),
        spec_case(
            "a negative test share",
            r#"{"target": "label", "split": {"test_size": -0.1}}"#,
            refused(&["split.test_size"]),
        ),
        spec_case(
            "a test share as text",
            r#"{"target": "label", "split": {"test_size": "half"}}"#,
            refused(&["split.test_size"]),
        ),
        spec_case(
            "no rows left for training",
            r#"{"target": "label", "split": {"test_size": 0.5, "validation_size": 0.5}}"#,
            refused(&["split"]),
        ),
        spec_case("folds -3", r#"{"target": "label", "cv": {"folds": -3}}"#, refused(&["cv.folds"])),
        spec_case("folds 1", r#"{"target": "label", "cv": {"folds": 1}}"#, refused(&["cv.folds"])),
        spec_case(
            "a billion folds",
            r#"{"target": "label", "cv": {"folds": 1000000000}}"#,
            refused(&["cv.folds"]),
        ),
        spec_case(
            "more folds than rows",
            r#"{"target": "label", "cv": {"folds": 500}}"#,
            refused(&["folds"]),
        ),
        spec_case(
            "an unknown CV method",
            r#"{"target": "label", "cv": {"method": "psychic"}}"#,
            refused(&["cv.method"]),
        ),
        spec_case(
            "a group column that is missing",
            r#"{"target": "label", "cv": {"method": "group", "group": "nope"}}"#,
            refused(&["nope"]),
        ),
        spec_case("a negative seed", r#"{"target": "label", "seed": -1}"#, refused(&["seed"])),
        spec_case("a seed of 1e30", r#"{"target": "label", "seed": 1e30}"#, refused(&["seed"])),
        spec_case(
            "an unknown metric",
            r#"{"target": "label", "metrics": ["happiness"]}"#,
            refused(&["happiness"]),
        ),
        spec_case(
            "a regression metric for classes",
            r#"{"target": "label", "metrics": ["r2"]}"#,
            refused(&["r2"]),
        ),
        spec_case(
            "metrics as a string",
            r#"{"target": "label", "metrics": "accuracy"}"#,
            refused(&["metrics"]),
        ),
        spec_case(
            "a billion permutation repeats",
            r#"{"target": "label", "importance": {"repeats": 1000000000}}"#,
            refused(&["importance.repeats"]),
        ),
        spec_case(
            "zero importance rows",
            r#"{"target": "label", "importance": {"max_rows": 0}}"#,
            refused(&["importance.max_rows"]),
        ),
        spec_case(
            "no learning-curve sizes",
            r#"{"target": "label", "diagnostics": {"train_sizes": []}}"#,
            refused(&["diagnostics.train_sizes"]),
        ),
        spec_case(
            "a learning-curve size of 2",
            r#"{"target": "label", "diagnostics": {"train_sizes": [2]}}"#,
            refused(&["diagnostics.train_sizes[0]"]),
        ),
        spec_case(
            "a validation curve of 1,000 values",
            &labelled(
                tree,
                &format!(
                    r#""diagnostics": {{"validation_curve": {{"param": "max_depth", "values": [{}]}}}}"#,
                    vec!["2"; 1000].join(",")
                ),
            ),
            refused(&["diagnostics.validation_curve.values"]),
        ),
        spec_case(
            "an unknown preparation step",
            r#"{"target": "label", "prep": [{"step": "sorcery"}]}"#,
            refused(&["prep[0]", "sorcery"]),
        ),
        spec_case(
            "a step on a missing column",
            r#"{"target": "label", "prep": [{"step": "standard_scale", "columns": ["nope"]}]}"#,
            refused(&["nope"]),
        ),
        spec_case(
            "polynomial degree 1,000,000",
            r#"{"target": "label", "prep": [{"step": "polynomial", "degree": 1000000}]}"#,
            refused(&["degree"]),
        ),
        spec_case(
            "hashing into 10^12 columns",
            r#"{"target": "label", "prep": [{"step": "hashing", "n_components": 1000000000000}]}"#,
            refused(&["n_components"]),
        ),
        spec_case(
            "PCA of 10^9 components",
            r#"{"target": "label", "prep": [{"step": "impute"}, {"step": "one_hot"}, {"step": "date_parts"}, {"step": "pca", "n_components": 1000000000}]}"#,
            refused(&["n_components"]),
        ),
        spec_case(
            "target encoding with one fold",
            r#"{"target": "y", "prep": [{"step": "target_encode", "folds": 1}]}"#,
            refused(&["folds"]),
        ),
        spec_case(
            "a negative smoothing",
            r#"{"target": "y", "prep": [{"step": "target_encode", "smooth": -1}]}"#,
            refused(&["smooth"]),
        ),
        spec_case(
            "kNN imputation of 10^9 neighbours",
            r#"{"target": "y", "drop": ["colour", "town", "when", "label"], "prep": [{"step": "knn_impute", "n_neighbors": 1000000000}]}"#,
            refused(&["n_neighbors"]),
        ),
        spec_case(
            "search trials 0",
            &labelled(tree, r#""search": {"method": "random", "trials": 0, "space": {"max_depth": [1, 2]}}"#),
            refused(&["search.trials"]),
        ),
        spec_case(
            "a search batch of 0",
            &labelled(
                tree,
                r#""search": {"method": "random", "trials": 4, "batch": 0, "space": {"max_depth": [1, 2]}}"#,
            ),
            refused(&["search.batch"]),
        ),
        spec_case(
            "a negative time budget",
            &labelled(
                tree,
                r#""search": {"method": "random", "trials": 4, "time_budget_s": -1, "space": {"max_depth": [1, 2]}}"#,
            ),
            refused(&["search.time_budget_s"]),
        ),
        spec_case(
            "an unknown name in the space",
            &labelled(tree, r#""search": {"method": "grid", "space": {"depth": [1, 2]}}"#),
            refused(&["search.space", "depth"]),
        ),
        spec_case(
            "an empty list in the space",
            &labelled(tree, r#""search": {"method": "grid", "space": {"max_depth": []}}"#),
            refused(&["search.space.max_depth"]),
        ),
        spec_case(
            "an unknown search method",
            &labelled(tree, r#""search": {"method": "hope", "space": {"max_depth": [1]}}"#),
            refused(&["search.method"]),
        ),
        spec_case(
            "a grid of 10^12 points",
            &labelled(
                tree,
                &format!(
                    r#""search": {{"method": "grid", "space": {{"max_depth": [{d}], "min_samples_leaf": [{d}], "min_samples_split": [{d}], "max_features": [{d}]}}}}"#,
                    d = (1..=1000).map(|i| i.to_string()).collect::<Vec<_>>().join(",")
                ),
            ),
            refused(&["search"]),
        ),
    ];
    // Every bounded model parameter, refused before anything is allocated.
    for (kind, param, value) in [
        ("random_forest", "n_estimators", "1000000000"),
        ("random_forest", "n_estimators", "0"),
        ("random_forest", "n_estimators", "-5"),
        ("random_forest", "n_estimators", "\"ten\""),
        ("random_forest", "n_estimators", "1e300"),
        ("random_forest", "max_features", "0"),
        ("random_forest", "max_depth", "-5"),
        ("decision_tree", "min_samples_leaf", "0"),
        ("hist_gradient_boosting", "max_iter", "1000000000"),
        ("hist_gradient_boosting", "max_bins", "100000"),
        ("hist_gradient_boosting", "learning_rate", "-1"),
        ("knn", "n_neighbors", "0"),
        ("knn", "n_neighbors", "1000000000"),
        ("knn", "metric", "\"telepathy\""),
        ("logistic_regression", "C", "-1"),
        ("logistic_regression", "max_iter", "1000000000000"),
        ("linear_svm", "C", "0"),
        ("svm", "gamma", "-2"),
        ("svm", "max_samples", "1000000000"),
        ("mlp", "hidden_layer_sizes", "[1000000000]"),
        ("mlp", "hidden_layer_sizes", "[0]"),
        ("mlp", "hidden_layer_sizes", &format!("[{}]", vec!["4"; 100].join(","))),
        ("mlp", "max_iter", "1000000000"),
        ("mlp", "batch_size", "0"),
        ("mlp", "activation", "\"sparkle\""),
        ("gaussian_nb", "var_smoothing", "-1"),
        ("categorical_nb", "alpha", "-1"),
    ] {
        let model = format!(r#"{{"kind": "{kind}", "params": {{"{param}": {value}}}}}"#);
        let name = format!("{kind} {param} {}", common_short(value));
        cases.push(spec_case(&name, &labelled(&model, ""), refused(&[&format!("model.params.{param}")])));
    }
    for (kind, param, value) in [
        ("kmeans", "n_clusters", "0"),
        ("kmeans", "n_clusters", "1000000000"),
        ("kmeans", "n_init", "1000000000"),
        ("kmeans", "max_iter", "1000000000000"),
        ("dbscan", "eps", "-1"),
        ("dbscan", "min_samples", "0"),
        ("agglomerative", "n_clusters", "1000000000"),
        ("agglomerative", "linkage", "\"chaotic\""),
    ] {
        let spec = format!(
            r#"{{"drop": ["label", "town", "when", "colour"], "model": {{"kind": "{kind}", "params": {{"{param}": {value}}}}}}}"#
        );
        let name = format!("{kind} {param} {}", common_short(value));
        cases.push(spec_case(&name, &spec, refused(&[&format!("model.params.{param}")])));
    }
    // A huge neighbourhood on many rows is refused before the pairs are listed.
    let mut many = String::from("a,b\n");
    for i in 0..20_000u32 {
        many.push_str(&format!("{},{}\n", i % 97, i % 89));
    }
    cases.push(Case {
        spec: Some(r#"{"model": {"kind": "dbscan", "params": {"eps": 1e300}}}"#.into()),
        ..csv_case("DBSCAN with eps 1e300 on 20,000 rows", many, refused(&["eps"]))
    });
    // An infinite target is refused with its column.
    cases.push(Case {
        spec: Some(r#"{"target": "v"}"#.into()),
        ..csv_case(
            "an infinite target",
            "a,v\n1,2\n2,inf\n3,4\n4,5\n5,6\n6,7\n7,8\n8,9\n9,1\n10,2\n",
            refused(&["v"]),
        )
    });
    // Fits whose memory would not fit in a page's module: refused before allocating, naming what to change.
    let mut wide = String::from("a,b,c,d,e,f,g,h,i,j,k,l,y\n");
    for i in 0..60_000u32 {
        for m in [97, 101, 13, 89, 7, 31, 37, 41, 43, 47, 53, 59] {
            wide.push_str(&format!("{},", (i * 7 + m) % m));
        }
        wide.push_str(&format!("{}\n", i % 1009));
    }
    for (name, model, parts) in [
        (
            "a forest of 10,000 full-depth trees on 60,000 rows",
            r#"{"kind": "random_forest", "params": {"n_estimators": 10000}}"#,
            ["random_forest on", "more than the 3.0 GB", "max_depth"],
        ),
        (
            "boosting with a billion leaves per tree",
            r#"{"kind": "hist_gradient_boosting", "params": {"max_leaf_nodes": 1000000000, "min_samples_leaf": 1}}"#,
            ["hist_gradient_boosting on", "histograms", "max_leaf_nodes"],
        ),
        (
            "an MLP of sixteen 4,096-unit layers",
            r#"{"kind": "mlp", "params": {"hidden_layer_sizes": [4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096,4096]}}"#,
            ["mlp on", "weights", "hidden_layer_sizes"],
        ),
    ] {
        cases.push(Case {
            spec: Some(format!(r#"{{"target": "y", "cv": {{"folds": 0}}, "model": {model}}}"#)),
            ..csv_case(name, wide.clone(), refused(&parts))
        });
    }
    cases.push(spec_case(
        "the defaults, for classes",
        r#"{"target": "label", "importance": {"permutation": false}}"#,
        Outcome::Fine,
    ));
    cases.push(spec_case(
        "the defaults, for values",
        r#"{"target": "y", "model": {"kind": "ridge"}}"#,
        Outcome::Fine,
    ));
    cases
}

/// `value` shortened for a case name.
fn common_short(value: &str) -> String {
    value.chars().take(20).collect()
}

fn model_cases() -> Vec<Case> {
    let good = good_model();
    let with = |change: &dyn Fn(&mut serde_json::Value)| {
        let mut model = good.clone();
        change(&mut model);
        model.to_string()
    };
    let text = good.to_string();
    vec![
        model_case("a model file that is not JSON", "{model".into(), refused(&["model", "line 1"])),
        model_case(
            "a truncated model file",
            text.chars().take(text.len() / 2).collect(),
            refused(&["model"]),
        ),
        model_case("an empty object", "{}".into(), refused(&["pipeline"])),
        model_case(
            "a model without its pipeline",
            with(&|m| m["pipeline"] = serde_json::Value::Null),
            refused(&["pipeline"]),
        ),
        model_case(
            "a model of format 99",
            with(&|m| m["model"]["format"] = 99.into()),
            refused(&["model.format", "99"]),
        ),
        model_case(
            "a pipeline of format 99",
            with(&|m| m["pipeline"]["format"] = 99.into()),
            refused(&["pipeline.format"]),
        ),
        model_case(
            "an unknown model kind",
            with(&|m| m["model"]["kind"] = "oracle".into()),
            refused(&["model.kind"]),
        ),
        model_case(
            "a kind of another family",
            with(&|m| m["model"]["kind"] = "ridge".into()),
            refused(&["model"]),
        ),
        model_case(
            "no features",
            with(&|m| m["model"]["features"] = serde_json::json!([])),
            refused(&["model.features"]),
        ),
        model_case(
            "one class",
            with(&|m| m["model"]["classes"] = serde_json::json!(["a"])),
            refused(&["model.classes"]),
        ),
        model_case(
            "a child beyond the nodes",
            with(&|m| m["model"]["fitted"]["trees"][0]["nodes"][0]["left"] = 100000.into()),
            refused(&["model.fitted.trees[0].nodes[0].left"]),
        ),
        model_case(
            "a child pointing at its parent",
            with(&|m| m["model"]["fitted"]["trees"][0]["nodes"][0]["right"] = 0.into()),
            refused(&["model.fitted.trees[0].nodes[0].right"]),
        ),
        model_case(
            "a feature beyond the features",
            with(&|m| m["model"]["fitted"]["trees"][0]["nodes"][0]["feature"] = 77.into()),
            refused(&["model.fitted.trees[0].nodes[0].feature"]),
        ),
        model_case(
            "leaf values cut short",
            with(&|m| {
                if let Some(v) = m["model"]["fitted"]["trees"][0]["values"].as_array_mut() {
                    v.truncate(2)
                }
            }),
            refused(&["model.fitted.trees[0].values"]),
        ),
        model_case(
            "a negative node index",
            with(&|m| m["model"]["fitted"]["trees"][0]["nodes"][0]["left"] = (-1).into()),
            refused(&["model.fitted.trees[0].nodes[0].left"]),
        ),
        model_case(
            "a node index as text",
            with(&|m| m["model"]["fitted"]["trees"][0]["nodes"][0]["left"] = "one".into()),
            refused(&["model.fitted.trees[0].nodes[0].left"]),
        ),
        model_case(
            "an unknown preparation step",
            with(&|m| m["pipeline"]["steps"][0] = serde_json::json!({"sorcery": {}})),
            refused(&["pipeline.steps[0]"]),
        ),
        model_case(
            "the data lacks a column the model needs",
            with(&|m| m["model"]["features"][0] = "a_column_nobody_has".into()),
            refused(&["a_column_nobody_has"]),
        ),
        model_case(
            "a 300-digit class count",
            with(&|m| {
                m["model"]["fitted"]["n_classes"] = serde_json::from_str(&"9".repeat(300)).unwrap_or_default()
            }),
            refused(&["model.fitted.n_classes"]),
        ),
        model_case("the good model", text.clone(), Outcome::Fine),
        Case {
            csv: base_csv().replace("\n-2,", "\nminus two,").into_bytes(),
            ..model_case("new data with text in a numeric column", text, refused(&["x1"]))
        },
    ]
}

fn all_cases() -> Vec<Case> {
    let mut cases = csv_cases();
    cases.extend(options_cases());
    cases.extend(spec_cases());
    cases.extend(model_cases());
    cases
}

/// Runs `case` through the library: read (with its options), profile, then run its Spec or predict with
/// its model.
fn through_the_library(case: &Case) -> Result<(), String> {
    let options = match &case.options {
        Some(json) => mlplay::data::CsvOptions::from_json(json).map_err(|e| e.to_string())?,
        None => Default::default(),
    };
    let (table, _) =
        mlplay::load_and_profile(&case.csv, &options, &mut NoProgress).map_err(|e| e.to_string())?;
    if let Some(spec) = &case.spec {
        let spec = mlplay::spec::Spec::from_json(spec).map_err(|e| e.to_string())?;
        mlplay::run::run(&table, &spec, None, &mut NoProgress).map_err(|e| e.to_string())?;
    }
    if let Some(model) = &case.model {
        let trained = mlplay::run::Trained::from_json(model).map_err(|e| e.to_string())?;
        trained.predictions_csv(&table).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The child's half: with [`CASE_VARIABLE`] set, runs that case and prints its outcome; otherwise nothing
/// (this is not a test of its own).
#[test]
fn one_case_through_the_library() {
    let Some(index) = std::env::var(CASE_VARIABLE).ok().and_then(|v| v.parse::<usize>().ok()) else { return };
    let cases = all_cases();
    let Some(case) = cases.get(index) else { panic!("no case {index}") };
    match through_the_library(case) {
        Ok(()) => println!("OUTCOME ok"),
        Err(message) => println!("OUTCOME error {}", message.replace('\n', " ")),
    }
}

/// How a child process ended.
enum Ended {
    Exited { code: Option<i32>, stdout: String, stderr: String },
    Hung,
}

/// Runs `program args` with at most [`MEMORY_KIB`] of address space, killed after [`TIME_OUT`].
fn limited(program: &Path, args: &[String], env: Option<(&str, String)>) -> Ended {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_KIB} && exec \"$0\" \"$@\""))
        .arg(program)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // What one fit may use in the page, so that a memory refusal is what the page would show.
    command.env("MLPLAY_MEMORY_BUDGET", "3GB");
    if let Some((key, value)) = env {
        command.env(key, value);
    }
    let mut child = command.spawn().unwrap_or_else(|e| panic!("start {}: {e}", program.display()));
    let started = Instant::now();
    // Drain the pipes while waiting, so a large output never blocks the child.
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(o) = out.as_mut() {
            let _ = std::io::Read::read_to_string(o, &mut s);
        }
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(e) = err.as_mut() {
            let _ = std::io::Read::read_to_string(e, &mut s);
        }
        s
    });
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                return Ended::Exited {
                    code: status.code(),
                    stdout: reader.join().unwrap_or_default(),
                    stderr: err_reader.join().unwrap_or_default(),
                }
            }
            Ok(None) if started.elapsed() > TIME_OUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Ended::Hung;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => panic!("wait: {e}"),
        }
    }
}

/// Whether `result` is what `outcome` asks; else the problem.
fn judge(outcome: &Outcome, result: Result<(), String>) -> Option<String> {
    match (outcome, result) {
        (Outcome::Fine, Ok(())) => None,
        (Outcome::Fine, Err(message)) => Some(format!("refused: {message}")),
        (Outcome::Refused(_), Ok(())) => Some("accepted".into()),
        (Outcome::Refused(parts), Err(message)) => {
            let missing: Vec<&String> = parts.iter().filter(|p| !message.contains(p.as_str())).collect();
            if message.trim().is_empty() || message.contains("``") || message.contains("classs") {
                Some(format!("a poor message: `{message}`"))
            } else if !missing.is_empty() {
                Some(format!("the message lacks {missing:?}: {message}"))
            } else if message.len() > 2_000 {
                Some(format!("a message of {} characters", message.len()))
            } else {
                None
            }
        }
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    let mut file = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    file.write_all(bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path
}

#[test]
fn every_hostile_case_is_handled_through_the_library_and_the_cli() {
    let cases = all_cases();
    assert!(cases.len() >= 150, "the corpus has {} cases", cases.len());
    let me = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let cli = PathBuf::from(env!("CARGO_BIN_EXE_mlplay"));
    let dir = std::env::temp_dir().join(format!("mlplay-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let mut problems = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        // Through the library, in a child.
        let args =
            ["one_case_through_the_library", "--exact", "--nocapture", "--test-threads=1"].map(String::from);
        match limited(&me, &args, Some((CASE_VARIABLE, index.to_string()))) {
            Ended::Hung => problems.push(format!("{}: library: hung", case.name)),
            Ended::Exited { code: Some(0), stdout, .. } => {
                let line =
                    stdout.lines().find_map(|l| l.split_once("OUTCOME ").map(|(_, rest)| rest)).unwrap_or("");
                let result = match line.strip_prefix("error ") {
                    Some(message) => Err(message.to_string()),
                    None if line == "ok" => Ok(()),
                    None => Err(format!("no outcome printed: {stdout}")),
                };
                if let Some(problem) = judge(&case.outcome, result) {
                    problems.push(format!("{}: library: {problem}", case.name));
                }
            }
            Ended::Exited { code, stderr, .. } => {
                let tail: String = stderr.lines().rev().take(6).collect::<Vec<_>>().join(" / ");
                problems
                    .push(format!("{}: library: exit {code:?} (panic or out of memory): {tail}", case.name))
            }
        }
        // Through the CLI.
        let csv = write(&dir, &format!("{index}.csv"), &case.csv);
        let mut args: Vec<String> = Vec::new();
        match (&case.spec, &case.model) {
            (Some(spec), _) => {
                args.push("run".into());
                args.push("--spec".into());
                args.push(write(&dir, &format!("{index}.spec.json"), spec.as_bytes()).display().to_string());
            }
            (None, Some(model)) => {
                args.push("predict".into());
                args.push("--model".into());
                args.push(
                    write(&dir, &format!("{index}.model.json"), model.as_bytes()).display().to_string(),
                );
            }
            (None, None) => args.push("profile".into()),
        }
        if let Some(options) = &case.options {
            args.push("--options".into());
            args.push(
                write(&dir, &format!("{index}.options.json"), options.as_bytes()).display().to_string(),
            );
        }
        args.push(csv.display().to_string());
        match limited(&cli, &args, None) {
            Ended::Hung => problems.push(format!("{}: CLI: hung", case.name)),
            Ended::Exited { code: Some(0), .. } => {
                if let Some(problem) = judge(&case.outcome, Ok(())) {
                    problems.push(format!("{}: CLI: {problem}", case.name));
                }
            }
            Ended::Exited { code: Some(1), stderr, .. } => {
                let message =
                    stderr.trim().strip_prefix("mlplay: ").unwrap_or(stderr.trim()).replace('\n', " ");
                if let Some(problem) = judge(&case.outcome, Err(message)) {
                    problems.push(format!("{}: CLI: {problem}", case.name));
                }
            }
            Ended::Exited { code, stderr, .. } => {
                let tail: String = stderr.lines().rev().take(6).collect::<Vec<_>>().join(" / ");
                problems.push(format!("{}: CLI: exit {code:?} (panic or out of memory): {tail}", case.name))
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        problems.is_empty(),
        "{} problems in {} cases:\n{}",
        problems.len(),
        cases.len(),
        problems.join("\n")
    );
}

/// Where the part of the corpus the page runs is kept (read by tests/e2e/hostile.test.mjs).
const PAGE_CORPUS: &str = "tests/fixtures/hostile/page.json";
/// The largest CSV the page's part holds (the larger cases are the same reader at a larger size).
const PAGE_CSV_BYTES: usize = 64 * 1024;

/// The cases the page can be given as a user or a host page gives them: a file (with reading options as a
/// JSON object) and a Spec as a JSON object; not model files (the page does not open them yet), nor options
/// or Specs that are not JSON objects (the page's forms and `window.mlplay` take objects).
fn page_corpus(cases: &[Case]) -> serde_json::Value {
    let base = base_csv().into_bytes();
    let object = |text: &Option<String>| -> Option<Option<serde_json::Value>> {
        match text {
            None => Some(None),
            Some(t) => serde_json::from_str::<serde_json::Value>(t).ok().filter(|v| v.is_object()).map(Some),
        }
    };
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let chosen: Vec<serde_json::Value> = cases
        .iter()
        .filter(|c| c.model.is_none() && c.csv.len() <= PAGE_CSV_BYTES)
        .filter_map(|c| {
            let options = object(&c.options)?;
            let spec = object(&c.spec)?;
            let refused = match &c.outcome {
                Outcome::Fine => serde_json::Value::Null,
                Outcome::Refused(parts) => serde_json::json!(parts),
            };
            let csv = if c.csv == base { serde_json::json!("base") } else { serde_json::json!({"hex": hex(&c.csv)}) };
            Some(serde_json::json!({"name": c.name, "csv": csv, "options": options, "spec": spec, "refused": refused}))
        })
        .collect();
    serde_json::json!({"base": String::from_utf8_lossy(&base), "cases": chosen})
}

/// The page's part of the corpus is the corpus: the committed file is what these cases give (rewritten with
/// `MLPLAY_WRITE_FIXTURES=1`), so a change of a case reaches the page's test too.
#[test]
fn the_pages_part_of_the_corpus_is_up_to_date() {
    let expected = page_corpus(&all_cases());
    let count = expected["cases"].as_array().map_or(0, Vec::len);
    assert!(count >= 100, "only {count} cases reach the page");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(PAGE_CORPUS);
    let text = format!("{}\n", serde_json::to_string(&expected).unwrap_or_default());
    if std::env::var_os("MLPLAY_WRITE_FIXTURES").is_some() {
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).unwrap_or_default();
        std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{e}"));
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == text, "{PAGE_CORPUS} is out of date: rerun with MLPLAY_WRITE_FIXTURES=1");
}
