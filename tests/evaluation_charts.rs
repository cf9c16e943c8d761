//! The evaluation of real runs on the penguins sample (binary, multiclass, regression, clustering): the
//! diagnostics agree with the Report's own scores, and every chart type renders to SVG with its title, axes,
//! legend and one mark per value; the CLI writes them with `run --charts`.

mod common;

use mlplay::charts::{draw, render_svg, report_charts, ChartBody, ChartSpec};
use mlplay::data::{read_csv, CsvOptions};
use mlplay::progress::NoProgress;
use mlplay::run::{run, Report};
use mlplay::spec::Spec;
use plotters::prelude::{IntoDrawingArea, SVGBackend};

fn penguins_report(spec: &str) -> Report {
    let bytes =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/www/samples/penguins.csv")).expect("sample");
    let (table, _) = read_csv(&bytes, &CsvOptions::default(), &mut NoProgress).expect("csv");
    let spec = Spec::from_json(spec).expect("spec");
    run(&table, &spec, None, &mut NoProgress).expect("run").report
}

fn chart<'a>(charts: &'a [ChartSpec], id: &str) -> &'a ChartSpec {
    charts.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no chart {id} in {:?}", ids(charts)))
}

fn ids(charts: &[ChartSpec]) -> Vec<&str> {
    charts.iter().map(|c| c.id.as_str()).collect()
}

/// The trimmed contents of every `<text>` element.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|rest| Some(rest.split_once('>')?.1.split_once("</text>")?.0.trim().to_string()))
        .collect()
}

fn assert_texts(svg: &str, wanted: &[&str]) {
    let all = texts(svg);
    for w in wanted {
        assert!(all.iter().any(|t| t == w), "missing {w:?} in {all:?}");
    }
}

fn svg_of(charts: &[ChartSpec], id: &str) -> String {
    render_svg(chart(charts, id), 640, 420).unwrap_or_else(|e| panic!("{id}: {e}"))
}

#[test]
fn multiclass_diagnostics_and_charts() {
    let report = penguins_report(
        r#"{"target": "species", "diagnostics": {"learning_curve": true, "validation_curve": {"param": "max_depth", "values": [1, 3, null]}}}"#,
    );
    let c = report.evaluation.classification.as_ref().expect("classification diagnostics");
    assert_eq!(report.evaluation.set, "test");
    let total: usize = c.confusion.iter().flatten().sum();
    assert_eq!(total, report.split.test);
    let correct: usize = (0..3).map(|i| c.confusion[i][i]).sum();
    let accuracy = report.test["accuracy"].expect("accuracy");
    assert!((correct as f64 / total as f64 - accuracy).abs() < 1e-12);
    // Each cell lists the rows it counts (all of them, as no cell here exceeds the limit).
    for (row, cells) in c.cell_rows.iter().zip(&c.confusion) {
        for (listed, &count) in row.iter().zip(cells) {
            assert_eq!(listed.len(), count);
        }
    }
    let aucs: Vec<f64> = c.roc.iter().filter_map(|r| r.area).collect();
    let macro_auc = aucs.iter().sum::<f64>() / aucs.len() as f64;
    assert!((macro_auc - report.test["roc_auc"].expect("auc")).abs() < 1e-12);
    assert!(c.calibration.is_none() && c.thresholds.is_none(), "binary only");

    let charts = report_charts(&report);
    assert_eq!(
        ids(&charts),
        [
            "confusion_matrix",
            "roc",
            "precision_recall",
            "importance",
            "permutation_importance",
            "learning_curve",
            "validation_curve",
            "fold_scores"
        ]
    );
    let svg = svg_of(&charts, "confusion_matrix");
    assert_texts(
        &svg,
        &["Confusion matrix (test rows)", "predicted class", "true class", "Adelie", "Chinstrap", "Gentoo"],
    );
    for (r, row) in c.confusion.iter().enumerate() {
        for (k, count) in row.iter().enumerate() {
            assert!(texts(&svg).contains(&count.to_string()), "cell {r},{k}");
        }
    }
    let svg = svg_of(&charts, "roc");
    assert_texts(&svg, &["false positive rate", "true positive rate", "chance"]);
    assert_eq!(texts(&svg).iter().filter(|t| t.contains("(AUC ")).count(), 3, "one legend entry per class");
    let svg = svg_of(&charts, "precision_recall");
    assert_eq!(texts(&svg).iter().filter(|t| t.contains("(AP ")).count(), 3);
    let svg = svg_of(&charts, "validation_curve");
    assert_texts(
        &svg,
        &["max_depth", "accuracy", "training score", "cross-validation score", "none", "1", "3"],
    );
    let curve = report.validation_curve.as_ref().expect("validation curve");
    assert_eq!(curve.validation.len(), 3);
    // Markers: one circle per point of the two series (plus none elsewhere).
    assert_eq!(svg.matches("<circle").count(), 6);
    let svg = svg_of(&charts, "fold_scores");
    assert_texts(&svg, &["fold 1", "fold 5"]);
}

#[test]
fn binary_diagnostics_and_charts() {
    let report = penguins_report(r#"{"target": "sex", "diagnostics": {"learning_curve": true}}"#);
    let c = report.evaluation.classification.as_ref().expect("classification diagnostics");
    let auc = c.roc.first().and_then(|r| r.area).expect("auc");
    assert!((auc - report.test["roc_auc"].expect("auc")).abs() < 1e-12);
    let calibration = c.calibration.as_ref().expect("calibration");
    assert_eq!(calibration.counts.iter().sum::<usize>(), report.split.test);
    let scan = c.thresholds.as_ref().expect("thresholds");
    assert!(scan.thresholds.windows(2).all(|w| w[0] < w[1]), "increasing thresholds");
    assert!(scan.recall.windows(2).all(|w| w[0] >= w[1]), "recall falls as the threshold rises");
    let charts = report_charts(&report);
    let svg = svg_of(&charts, "calibration");
    assert_texts(&svg, &["Calibration of P(male) (test rows)", "model", "perfectly calibrated"]);
    assert_eq!(svg.matches("<circle").count(), calibration.prob_true.len(), "a marker per bin");
    let svg = svg_of(&charts, "thresholds");
    assert_texts(&svg, &["precision", "recall", "F1", "threshold on P(male)"]);
    let learning = report.learning_curve.as_ref().expect("learning curve");
    assert!(learning.verdict.is_some());
    let svg = svg_of(&charts, "learning_curve");
    assert_texts(&svg, &["training rows", "training score", "cross-validation score"]);
    // Two ± bands, drawn as polygons.
    assert_eq!(svg.matches("<polygon").count(), 2);
}

#[test]
fn regression_diagnostics_and_charts() {
    let report = penguins_report(r#"{"target": "body_mass_g", "diagnostics": {"learning_curve": true}}"#);
    let r = report.evaluation.regression.as_ref().expect("regression diagnostics");
    assert_eq!(r.actual.len(), report.split.test);
    let mse = r.actual.iter().zip(&r.predicted).map(|(a, p)| (a - p) * (a - p)).sum::<f64>()
        / r.actual.len() as f64;
    assert!((mse.sqrt() - report.test["root_mean_squared_error"].expect("rmse")).abs() < 1e-9);
    let histogram = r.residuals.as_ref().expect("histogram");
    assert_eq!(histogram.counts.iter().sum::<usize>(), report.split.test);
    let charts = report_charts(&report);
    let svg = svg_of(&charts, "predicted_vs_actual");
    assert_texts(&svg, &["actual body_mass_g", "predicted body_mass_g"]);
    assert_eq!(svg.matches("<circle").count(), r.actual.len(), "a point per row");
    let svg = svg_of(&charts, "residuals_vs_predicted");
    assert_texts(&svg, &["residual (body_mass_g)"]);
    let svg = svg_of(&charts, "residual_histogram");
    assert_eq!(svg.matches("fill=\"#0072B2\"").count(), histogram.counts.len(), "a bar per bin");
    let svg = svg_of(&charts, "permutation_importance");
    assert_texts(&svg, &["species", "flipper_length_mm"]);
    let svg = svg_of(&charts, "importance");
    assert_texts(&svg, &["Feature importance — impurity decrease", "impurity decrease", "species_Gentoo"]);
}

#[test]
fn clustering_diagnostics_and_charts() {
    let report = penguins_report(
        r#"{"ground_truth": "species", "model": {"kind": "kmeans", "params": {"n_clusters": 3}}}"#,
    );
    assert!(report.metrics.contains(&"adjusted_rand_score".to_string()));
    let ari = report.train["adjusted_rand_score"].expect("ari");
    assert!(ari > 0.5 && ari <= 1.0, "k-means finds the species roughly: {ari}");
    assert!(!report.features.iter().any(|f| f.starts_with("species")), "the ground truth is not a feature");
    let c = report.evaluation.clustering.as_ref().expect("clustering diagnostics");
    let projection = c.projection.as_ref().expect("projection");
    assert_eq!(projection.x.len(), report.rows);
    assert_eq!(c.silhouettes.len(), 3);
    assert_eq!(c.elbow.len(), 10);
    assert!(c.elbow.first().is_some_and(|p| p.silhouette.is_none()));
    let charts = report_charts(&report);
    assert_eq!(ids(&charts), ["clusters", "silhouette", "elbow", "silhouette_by_k"]);
    let svg = svg_of(&charts, "clusters");
    assert_texts(&svg, &["cluster 0", "cluster 1", "cluster 2"]);
    // A point per row, and a legend circle per cluster.
    assert_eq!(svg.matches("<circle").count(), report.rows + 3);
    let svg = svg_of(&charts, "silhouette");
    assert_texts(&svg, &["silhouette coefficient", "cluster 2"]);
    let svg = svg_of(&charts, "elbow");
    assert_texts(&svg, &["number of clusters k", "inertia (sum of squares)"]);
    assert_eq!(svg.matches("<circle").count(), 10);
    let svg = svg_of(&charts, "silhouette_by_k");
    assert_texts(&svg, &["number of clusters k", "mean silhouette", "silhouette"]);
    assert_eq!(svg.matches("<circle").count(), 9, "a marker per k from 2 to 10 (the legend shows a line)");
}

#[test]
fn linear_models_show_signed_coefficients() {
    let report = penguins_report(r#"{"target": "sex", "model": {"kind": "logistic_regression"}}"#);
    assert_eq!(report.coefficients.len(), report.features.len());
    assert!(
        report.coefficients.iter().any(|c| c.importance < 0.0)
            && report.coefficients.iter().any(|c| c.importance > 0.0)
    );
    assert!(report.coefficients.windows(2).all(|w| w[0].importance.abs() >= w[1].importance.abs()));
    let charts = report_charts(&report);
    assert!(!ids(&charts).contains(&"importance"), "coefficients replace the built-in importance");
    let svg = svg_of(&charts, "coefficients");
    assert_texts(&svg, &["Coefficients on the prepared scale", "coefficient for P(male)"]);
    // Negative bars are drawn in the second palette colour (vermillion), positive in blue.
    assert!(svg.contains("fill=\"#D55E00\"") && svg.contains("fill=\"#0072B2\""));
}

#[test]
fn drawing_returns_a_hotspot_per_value() {
    let report = penguins_report(r#"{"target": "species"}"#);
    let charts = report_charts(&report);
    let mut svg = String::new();
    let spots = {
        let area = SVGBackend::with_string(&mut svg, (640, 420)).into_drawing_area();
        draw(chart(&charts, "confusion_matrix"), &area, 1.0).expect("draw")
    };
    assert_eq!(spots.len(), 9);
    let first = spots.iter().find(|s| s.cell == Some([0, 0])).expect("cell 0,0");
    assert!(first.text.starts_with("true Adelie, predicted Adelie: 30 rows"), "{}", first.text);
    assert!(spots.iter().all(|s| s.w > 20 && s.h > 20 && s.x >= 0 && s.x + s.w <= 640));
    let ChartBody::ValueBars { labels, .. } = &chart(&charts, "importance").body else { panic!("bars") };
    let spots = {
        let mut svg = String::new();
        let area = SVGBackend::with_string(&mut svg, (640, 420)).into_drawing_area();
        draw(chart(&charts, "importance"), &area, 1.0).expect("draw")
    };
    assert_eq!(spots.len(), labels.len());
}

#[test]
fn cli_run_writes_every_evaluation_chart() {
    let files = common::cli_chart_files(&["run", "--compact", "--target", "body_mass_g"]);
    assert_eq!(files.first().map(String::as_str), Some("00-predicted_vs_actual.svg"));
    assert!(files.iter().any(|f| f.ends_with("fold_scores.svg")), "{files:?}");
    assert!(!files.iter().any(|f| f.ends_with("learning_curve.svg")), "not asked for: {files:?}");
}
