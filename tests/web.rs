//! Browser tests (wasm-bindgen-test in headless Chromium): the bad-input corpus gives the same outcomes as
//! natively, the shared datasets bundled with the page load, and every chart type draws pixels on a canvas.
#![cfg(target_arch = "wasm32")]

mod common;

use mlplay::charts::{draw, profile_charts, report_charts, ChartBody};
use mlplay::data::CsvOptions;
use mlplay::progress::NoProgress;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The corpus, embedded: the browser test cannot read files.
const CORPUS: &[(&str, &[u8])] = &[
    ("empty.csv", include_bytes!("fixtures/bad/empty.csv")),
    ("blank_lines_only.csv", include_bytes!("fixtures/bad/blank_lines_only.csv")),
    ("bom_only.csv", include_bytes!("fixtures/bad/bom_only.csv")),
    ("header_only.csv", include_bytes!("fixtures/bad/header_only.csv")),
    ("header_then_blank_lines.csv", include_bytes!("fixtures/bad/header_then_blank_lines.csv")),
    ("ragged_long_row.csv", include_bytes!("fixtures/bad/ragged_long_row.csv")),
    ("ragged_short_row.csv", include_bytes!("fixtures/bad/ragged_short_row.csv")),
    ("ragged_skipped.csv", include_bytes!("fixtures/bad/ragged_skipped.csv")),
    ("unterminated_quote.csv", include_bytes!("fixtures/bad/unterminated_quote.csv")),
    ("latin1.csv", include_bytes!("fixtures/bad/latin1.csv")),
    ("utf16le.csv", include_bytes!("fixtures/bad/utf16le.csv")),
    ("png_image.csv", include_bytes!("fixtures/bad/png_image.csv")),
    ("control_bytes.csv", include_bytes!("fixtures/bad/control_bytes.csv")),
    ("one_column.csv", include_bytes!("fixtures/bad/one_column.csv")),
    ("wrong_delimiter_guess.csv", include_bytes!("fixtures/bad/wrong_delimiter_guess.csv")),
    ("duplicate_names.csv", include_bytes!("fixtures/bad/duplicate_names.csv")),
    ("empty_header_names.csv", include_bytes!("fixtures/bad/empty_header_names.csv")),
    ("long_field.csv", include_bytes!("fixtures/bad/long_field.csv")),
    ("too_large.csv", include_bytes!("fixtures/bad/too_large.csv")),
    ("no_header_row.csv", include_bytes!("fixtures/bad/no_header_row.csv")),
    ("all_missing_column.csv", include_bytes!("fixtures/bad/all_missing_column.csv")),
    ("bad_forced_type.csv", include_bytes!("fixtures/bad/bad_forced_type.csv")),
    ("unknown_forced_column.csv", include_bytes!("fixtures/bad/unknown_forced_column.csv")),
    ("bad_delimiter_option.csv", include_bytes!("fixtures/bad/bad_delimiter_option.csv")),
    ("unknown_option.csv", include_bytes!("fixtures/bad/unknown_option.csv")),
    ("mixed_line_endings_bom.csv", include_bytes!("fixtures/bad/mixed_line_endings_bom.csv")),
    ("only_delimiters.csv", include_bytes!("fixtures/bad/only_delimiters.csv")),
];

const EXPECTED: &str = include_str!("fixtures/bad/expected.json");
const PENGUINS: &[u8] = include_bytes!("../www/samples/penguins.csv");

#[wasm_bindgen_test]
fn bad_corpus_gives_documented_outcomes_in_the_browser() {
    let cases: Vec<Value> = serde_json::from_str(EXPECTED).expect("expected.json");
    assert_eq!(cases.len(), CORPUS.len(), "CORPUS lists every case of expected.json");
    let mut failures = Vec::new();
    for case in &cases {
        let file = case["file"].as_str().unwrap_or_default();
        let Some((_, bytes)) = CORPUS.iter().find(|(name, _)| *name == file) else {
            failures.push(format!("{file}: not embedded"));
            continue;
        };
        let options = case.get("options").map(Value::to_string).unwrap_or_default();
        let outcome = CsvOptions::from_json(&options)
            .and_then(|o| mlplay::load_and_profile(bytes, &o, &mut NoProgress))
            .map(|(_, p)| p)
            .map_err(|e| e.to_string());
        if let Some(problem) = common::check_outcome(case, outcome) {
            failures.push(format!("{file}: {problem}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn canvas(width: u32, height: u32) -> web_sys::HtmlCanvasElement {
    let document = web_sys::window().and_then(|w| w.document()).expect("document");
    let canvas: web_sys::HtmlCanvasElement =
        document.create_element("canvas").expect("canvas").dyn_into().expect("a canvas element");
    canvas.set_width(width);
    canvas.set_height(height);
    document.body().expect("body").append_child(&canvas).expect("attach");
    canvas
}

/// Pixels that are not white.
fn inked_pixels(canvas: &web_sys::HtmlCanvasElement) -> usize {
    let context: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").ok().flatten().expect("2d context").dyn_into().expect("2d");
    let data = context
        .get_image_data(0.0, 0.0, f64::from(canvas.width()), f64::from(canvas.height()))
        .expect("image data")
        .data();
    data.chunks_exact(4).filter(|p| p[3] > 0 && (p[0] < 250 || p[1] < 250 || p[2] < 250)).count()
}

#[wasm_bindgen_test]
fn every_chart_type_draws_on_canvas() {
    let (_, profile) =
        mlplay::load_and_profile(PENGUINS, &CsvOptions::default(), &mut NoProgress).expect("penguins");
    assert_eq!((profile.n_rows, profile.n_columns), (344, 8));
    let charts = profile_charts(&profile);
    let kinds = |f: fn(&ChartBody) -> bool| charts.iter().filter(|c| f(&c.body)).count();
    assert_eq!(kinds(|b| matches!(b, ChartBody::Histogram { .. })), 5);
    assert_eq!(kinds(|b| matches!(b, ChartBody::Bars { .. })), 3);
    assert_eq!(kinds(|b| matches!(b, ChartBody::Heatmap { .. })), 1);
    for chart in &charts {
        let canvas = canvas(640, 400);
        let backend = CanvasBackend::with_canvas_object(canvas.clone()).expect("backend");
        draw(chart, &backend.into_drawing_area(), 2.0).expect("draw");
        let inked = inked_pixels(&canvas);
        // Bars, axes and labels cover far more than 2% of the canvas; a blank canvas has none.
        assert!(inked > 640 * 400 / 50, "{}: only {inked} pixels drawn", chart.id);
    }
}

/// Every chart of a run's evaluation (classification, regression, clustering: every evaluation chart type)
/// draws pixels on a canvas and returns its hover regions.
#[wasm_bindgen_test]
fn every_evaluation_chart_draws_on_canvas() {
    let (table, _) =
        mlplay::data::read_csv(PENGUINS, &CsvOptions::default(), &mut NoProgress).expect("penguins");
    let specs = [
        r#"{"target": "sex", "diagnostics": {"validation_curve": {"param": "max_depth", "values": [2, null]}}}"#,
        r#"{"target": "species"}"#,
        r#"{"target": "body_mass_g", "diagnostics": {"learning_curve": true}}"#,
        r#"{"model": {"kind": "kmeans", "params": {"n_clusters": 3}}}"#,
    ];
    let mut drawn = std::collections::BTreeSet::new();
    for spec in specs {
        let spec = mlplay::spec::Spec::from_json(spec).expect("spec");
        let report = mlplay::run::run(&table, &spec, None, &mut NoProgress).expect("run").report;
        for chart in report_charts(&report) {
            let canvas = canvas(640, 400);
            let backend = CanvasBackend::with_canvas_object(canvas.clone()).expect("backend");
            let hotspots = draw(&chart, &backend.into_drawing_area(), 2.0).expect("draw");
            let inked = inked_pixels(&canvas);
            assert!(inked > 640 * 400 / 50, "{}: only {inked} pixels drawn", chart.id);
            assert!(!hotspots.is_empty(), "{} has hover regions", chart.id);
            drawn.insert(chart.id);
        }
    }
    let expected = [
        "calibration",
        "clusters",
        "confusion_matrix",
        "elbow",
        "fold_scores",
        "importance",
        "learning_curve",
        "permutation_importance",
        "precision_recall",
        "predicted_vs_actual",
        "residual_histogram",
        "residuals_vs_predicted",
        "roc",
        "silhouette",
        "silhouette_by_k",
        "thresholds",
        "validation_curve",
    ];
    assert_eq!(drawn.iter().map(String::as_str).collect::<Vec<_>>(), expected);
}

/// Every model, fitted with the same seed on the same data in the browser, predicts what it predicts natively
/// (tests/models_contract.rs checks the same fingerprints natively).
#[wasm_bindgen_test]
fn models_predict_in_the_browser_as_natively() {
    let committed: Value =
        serde_json::from_str(include_str!("fixtures/models/fingerprints.json")).unwrap_or(Value::Null);
    let problems =
        common::model_cases::compare_fingerprints(&common::model_cases::fingerprints(), &committed);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
