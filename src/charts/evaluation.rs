//! The charts of a run's Report, chosen by what the Report holds: for classifiers the confusion matrix,
//! ROC and precision–recall curves, calibration curve and threshold chooser (binary); for regressors
//! predicted against actual values, residuals against predictions and the residual histogram; for
//! clusterings the clusters on two principal components, the silhouette plot and the elbow scans; for every
//! supervised run the importances, the learning and validation curves and the per-fold scores.

use super::{ChartBody, ChartSpec, PointGroup, Reference, Series};
use crate::data::profile::format_number;
use crate::evaluation::{ClassDiagnostics, ClusterDiagnostics, RegressionDiagnostics};
use crate::numeric::pick;
use crate::run::{FoldScores, Report};

/// Most bars in an importance chart.
const MAX_BARS: usize = 15;

/// Every chart that fits `report`, in the order the page shows them.
pub fn report_charts(report: &Report) -> Vec<ChartSpec> {
    let evaluation = &report.evaluation;
    let set = format!("{} rows", evaluation.set);
    let mut charts = Vec::new();
    if let Some(c) = &evaluation.classification {
        charts.extend(classification_charts(c, &report.classes, &set));
    }
    if let Some(r) = &evaluation.regression {
        let target = report.target.clone().unwrap_or_else(|| "target".into());
        charts.extend(regression_charts(r, &target, &set));
    }
    if let Some(c) = &evaluation.clustering {
        charts.extend(clustering_charts(c));
    }
    charts.extend(importance_charts(report));
    if let Some(curve) = &report.learning_curve {
        let x: Vec<f64> = curve.sizes.iter().map(|&s| s as f64).collect();
        charts.push(ChartSpec {
            id: "learning_curve".into(),
            title: format!("Learning curve: {}", curve.metric),
            body: ChartBody::Lines {
                x_label: "training rows".into(),
                y_label: curve.metric.clone(),
                x_range: None,
                y_range: None,
                x_ticks: None,
                x_whole: false,
                series: train_and_validation(&x, &curve.train, &curve.validation),
            },
        });
    }
    if let Some(curve) = &report.validation_curve {
        let numbers: Option<Vec<f64>> = curve.values.iter().map(serde_json::Value::as_f64).collect();
        let (x, ticks) = match numbers {
            Some(x) => (x, None),
            // Values that are not all numbers (None, "sqrt") are shown as categories in the order given.
            None => (
                (0..curve.values.len()).map(|i| i as f64).collect(),
                Some(
                    curve
                        .values
                        .iter()
                        .map(|v| {
                            if v.is_null() {
                                "none".into()
                            } else {
                                v.to_string().trim_matches('"').to_string()
                            }
                        })
                        .collect(),
                ),
            ),
        };
        charts.push(ChartSpec {
            id: "validation_curve".into(),
            title: format!("Validation curve: {}", curve.param),
            body: ChartBody::Lines {
                x_label: curve.param.clone(),
                y_label: curve.metric.clone(),
                x_range: None,
                y_range: None,
                x_ticks: ticks,
                x_whole: false,
                series: train_and_validation(&x, &curve.train, &curve.validation),
            },
        });
    }
    charts.extend(fold_chart(report));
    charts.extend(report.search.as_ref().and_then(super::search_chart));
    charts
}

fn means_and_stds(scores: &[FoldScores]) -> (Vec<f64>, Vec<f64>) {
    scores.iter().map(|s| (s.mean.unwrap_or(f64::NAN), s.std.unwrap_or(0.0))).unzip()
}

fn train_and_validation(x: &[f64], train: &[FoldScores], validation: &[FoldScores]) -> Vec<Series> {
    let (train_mean, train_std) = means_and_stds(train);
    let (valid_mean, valid_std) = means_and_stds(validation);
    vec![
        Series {
            name: "training score".into(),
            x: x.to_vec(),
            y: train_mean,
            band: Some(train_std),
            markers: true,
            steps: false,
            dashed: false,
            points_only: false,
        },
        Series {
            name: "cross-validation score".into(),
            x: x.to_vec(),
            y: valid_mean,
            band: Some(valid_std),
            markers: true,
            steps: false,
            dashed: false,
            points_only: false,
        },
    ]
}

/// A plain solid line without markers.
pub(super) fn line(name: String, x: Vec<f64>, y: Vec<f64>) -> Series {
    Series { name, x, y, band: None, markers: false, steps: false, dashed: false, points_only: false }
}

fn reference(name: &str, x: Vec<f64>, y: Vec<f64>) -> Series {
    Series { dashed: true, ..line(name.into(), x, y) }
}

fn area_text(area: Option<f64>) -> String {
    area.map_or("undefined".into(), |a| format!("{a:.3}"))
}

fn classification_charts(c: &ClassDiagnostics, classes: &[String], set: &str) -> Vec<ChartSpec> {
    let mut charts = Vec::new();
    let label = |i: usize| classes.get(i).cloned().unwrap_or_else(|| i.to_string());
    let n = c.confusion.len();
    let names: Vec<String> = (0..n).map(label).collect();
    let text: Vec<Vec<String>> = c
        .confusion
        .iter()
        .zip(&c.confusion_normalised)
        .map(|(row, shares)| {
            row.iter().zip(shares).map(|(count, share)| format!("{count}\n{:.0}%", share * 100.0)).collect()
        })
        .collect();
    let hover = c
        .confusion
        .iter()
        .zip(&c.confusion_normalised)
        .enumerate()
        .map(|(r, (row, shares))| {
            row.iter()
                .zip(shares)
                .enumerate()
                .map(|(k, (count, share))| {
                    format!(
                        "true {}, predicted {}: {count} rows ({:.1}% of the {} rows); click to list them",
                        label(r),
                        label(k),
                        share * 100.0,
                        label(r)
                    )
                })
                .collect()
        })
        .collect();
    charts.push(ChartSpec {
        id: "confusion_matrix".into(),
        title: format!("Confusion matrix ({set})"),
        body: ChartBody::Matrix {
            x_label: "predicted class".into(),
            y_label: "true class".into(),
            rows: names.clone(),
            columns: names,
            shade: c.confusion_normalised.clone(),
            text,
            hover,
        },
    });
    let binary = c.roc.len() == 1;
    let mut roc: Vec<Series> = c
        .roc
        .iter()
        .map(|curve| {
            line(format!("{} (AUC {})", curve.class, area_text(curve.area)), curve.x.clone(), curve.y.clone())
        })
        .collect();
    roc.push(reference("chance", vec![0.0, 1.0], vec![0.0, 1.0]));
    charts.push(ChartSpec {
        id: "roc".into(),
        title: if binary {
            format!("ROC curve of {} ({set})", c.roc.first().map_or("", |r| r.class.as_str()))
        } else {
            format!("ROC curves, one class vs rest ({set})")
        },
        body: ChartBody::Lines {
            x_label: "false positive rate".into(),
            y_label: "true positive rate".into(),
            x_range: Some([0.0, 1.0]),
            y_range: Some([0.0, 1.02]),
            x_ticks: None,
            x_whole: false,
            series: roc,
        },
    });
    let pr: Vec<Series> = c
        .precision_recall
        .iter()
        .map(|curve| Series {
            steps: true,
            ..line(
                format!("{} (AP {})", curve.class, area_text(curve.area)),
                curve.x.clone(),
                curve.y.clone(),
            )
        })
        .collect();
    charts.push(ChartSpec {
        id: "precision_recall".into(),
        title: if binary {
            format!(
                "Precision–recall of {} ({set})",
                c.precision_recall.first().map_or("", |r| r.class.as_str())
            )
        } else {
            format!("Precision–recall, one vs rest ({set})")
        },
        body: ChartBody::Lines {
            x_label: "recall".into(),
            y_label: "precision".into(),
            x_range: Some([0.0, 1.0]),
            y_range: Some([0.0, 1.02]),
            x_ticks: None,
            x_whole: false,
            series: pr,
        },
    });
    if let Some(cal) = &c.calibration {
        let positive = label(1);
        charts.push(ChartSpec {
            id: "calibration".into(),
            title: format!("Calibration of P({positive}) ({set})"),
            body: ChartBody::Lines {
                x_label: format!("mean predicted probability of {positive}"),
                y_label: format!("share that are {positive}"),
                x_range: Some([0.0, 1.0]),
                y_range: Some([0.0, 1.02]),
                x_ticks: None,
                x_whole: false,
                series: vec![
                    Series {
                        markers: true,
                        ..line("model".into(), cal.prob_pred.clone(), cal.prob_true.clone())
                    },
                    reference("perfectly calibrated", vec![0.0, 1.0], vec![0.0, 1.0]),
                ],
            },
        });
    }
    if let Some(t) = &c.thresholds {
        charts.push(ChartSpec {
            id: "thresholds".into(),
            title: format!("Threshold for {} ({set})", label(1)),
            body: ChartBody::Lines {
                x_label: format!("threshold on P({})", label(1)),
                y_label: "score".into(),
                x_range: Some([0.0, 1.0]),
                y_range: Some([0.0, 1.02]),
                x_ticks: None,
                x_whole: false,
                series: vec![
                    line("precision".into(), t.thresholds.clone(), t.precision.clone()),
                    line("recall".into(), t.thresholds.clone(), t.recall.clone()),
                    line("F1".into(), t.thresholds.clone(), t.f1.clone()),
                ],
            },
        });
    }
    charts
}

fn regression_charts(r: &RegressionDiagnostics, target: &str, set: &str) -> Vec<ChartSpec> {
    let hover: Vec<String> = r
        .row_numbers
        .iter()
        .zip(r.actual.iter().zip(&r.predicted))
        .map(|(row, (a, p))| {
            format!(
                "row {row}: actual {}, predicted {}, residual {}",
                format_number(*a),
                format_number(*p),
                format_number(a - p)
            )
        })
        .collect();
    let residuals: Vec<f64> = r.actual.iter().zip(&r.predicted).map(|(a, p)| a - p).collect();
    let mut charts = vec![
        ChartSpec {
            id: "predicted_vs_actual".into(),
            title: format!("Predicted vs actual ({set})"),
            body: ChartBody::Scatter {
                x_label: format!("actual {target}"),
                y_label: format!("predicted {target}"),
                groups: vec![PointGroup {
                    name: String::new(),
                    x: r.actual.clone(),
                    y: r.predicted.clone(),
                    hover: hover.clone(),
                }],
                reference: Reference::Diagonal,
            },
        },
        ChartSpec {
            id: "residuals_vs_predicted".into(),
            title: format!("Residuals vs predictions ({set})"),
            body: ChartBody::Scatter {
                x_label: format!("predicted {target}"),
                y_label: format!("residual ({target})"),
                groups: vec![PointGroup { name: String::new(), x: r.predicted.clone(), y: residuals, hover }],
                reference: Reference::Zero,
            },
        },
    ];
    if let Some(h) = &r.residuals {
        charts.push(ChartSpec {
            id: "residual_histogram".into(),
            title: format!("Residuals, actual − predicted ({set})"),
            body: ChartBody::Histogram {
                x_label: format!("residual ({target})"),
                edges: h.edges.clone(),
                counts: h.counts.clone(),
                time_axis: false,
            },
        });
    }
    charts
}

fn cluster_name(id: i64) -> String {
    if id < 0 {
        "noise".into()
    } else {
        format!("cluster {id}")
    }
}

fn clustering_charts(c: &ClusterDiagnostics) -> Vec<ChartSpec> {
    let mut charts = Vec::new();
    if let Some(p) = &c.projection {
        let mut ids: Vec<i64> = p.cluster.clone();
        ids.sort_unstable();
        ids.dedup();
        let groups = ids
            .iter()
            .map(|&id| {
                let rows: Vec<usize> =
                    (0..p.cluster.len()).filter(|&i| p.cluster.get(i) == Some(&id)).collect();
                PointGroup {
                    name: cluster_name(id),
                    x: pick(&p.x, &rows),
                    y: pick(&p.y, &rows),
                    hover: rows.iter().map(|_| cluster_name(id)).collect(),
                }
            })
            .collect();
        let share = |i: usize| {
            p.explained.get(i).map_or(String::new(), |r| format!(" ({:.0}% of variance)", r * 100.0))
        };
        charts.push(ChartSpec {
            id: "clusters".into(),
            title: "Clusters on two principal components".into(),
            body: ChartBody::Scatter {
                x_label: format!("principal component 1{}", share(0)),
                y_label: format!("principal component 2{}", share(1)),
                groups,
                reference: Reference::None,
            },
        });
    }
    if !c.silhouettes.is_empty() {
        charts.push(ChartSpec {
            id: "silhouette".into(),
            title: "Silhouette of each row, by cluster".into(),
            body: ChartBody::Silhouette {
                clusters: c.silhouettes.iter().map(|g| (cluster_name(g.cluster), g.values.clone())).collect(),
                mean: c.mean_silhouette,
            },
        });
    }
    if c.elbow.len() >= 2 {
        let k: Vec<f64> = c.elbow.iter().map(|p| p.k as f64).collect();
        charts.push(ChartSpec {
            id: "elbow".into(),
            title: "Elbow: k-means inertia by k".into(),
            body: ChartBody::Lines {
                x_label: "number of clusters k".into(),
                y_label: "inertia (sum of squares)".into(),
                x_range: None,
                y_range: None,
                x_ticks: None,
                x_whole: true,
                series: vec![Series {
                    markers: true,
                    ..line("inertia".into(), k.clone(), c.elbow.iter().map(|p| p.inertia).collect())
                }],
            },
        });
        let (k2, s): (Vec<f64>, Vec<f64>) =
            c.elbow.iter().filter_map(|p| Some((p.k as f64, p.silhouette?))).unzip();
        if !s.is_empty() {
            charts.push(ChartSpec {
                id: "silhouette_by_k".into(),
                title: "k-means mean silhouette by k".into(),
                body: ChartBody::Lines {
                    x_label: "number of clusters k".into(),
                    y_label: "mean silhouette".into(),
                    x_range: None,
                    y_range: None,
                    x_ticks: None,
                    x_whole: true,
                    series: vec![Series { markers: true, ..line("silhouette".into(), k2, s) }],
                },
            });
        }
    }
    charts
}

fn importance_charts(report: &Report) -> Vec<ChartSpec> {
    let mut charts = Vec::new();
    if !report.coefficients.is_empty() {
        // Signed coefficients say more than their magnitudes: they replace the built-in importance chart.
        let shown = report.coefficients.iter().take(MAX_BARS);
        let of = match report.classes.get(1) {
            Some(class) => format!("coefficient for P({class})"),
            None => "coefficient".into(),
        };
        charts.push(ChartSpec {
            id: "coefficients".into(),
            title: "Coefficients on the prepared scale".into(),
            body: ChartBody::ValueBars {
                x_label: of,
                labels: shown.clone().map(|i| i.feature.clone()).collect(),
                values: shown.map(|i| i.importance).collect(),
                errors: None,
            },
        });
    } else if !report.importances.is_empty() {
        let shown = report.importances.iter().take(MAX_BARS);
        let what = match report.model.as_str() {
            "hist_gradient_boosting" => "split gain",
            "logistic_regression" => "Σ |coefficient| over classes",
            _ => "impurity decrease",
        };
        charts.push(ChartSpec {
            id: "importance".into(),
            title: format!("Feature importance — {what}"),
            body: ChartBody::ValueBars {
                x_label: what.into(),
                labels: shown.clone().map(|i| i.feature.clone()).collect(),
                values: shown.map(|i| i.importance).collect(),
                errors: None,
            },
        });
    }
    if !report.permutation_importance.is_empty() {
        let shown = report.permutation_importance.iter().take(MAX_BARS);
        let metric = report.metrics.first().cloned().unwrap_or_default();
        charts.push(ChartSpec {
            id: "permutation_importance".into(),
            title: format!("Permutation importance ({} rows)", report.evaluation.set),
            body: ChartBody::ValueBars {
                x_label: format!("drop in {metric} when shuffled (± std)"),
                labels: shown.clone().map(|p| p.column.clone()).collect(),
                values: shown.clone().map(|p| p.mean).collect(),
                errors: Some(shown.map(|p| p.std).collect()),
            },
        });
    }
    charts
}

fn fold_chart(report: &Report) -> Option<ChartSpec> {
    let metric = report.metrics.first()?;
    let scores = report.cv.get(metric)?;
    let (x, y): (Vec<f64>, Vec<f64>) =
        scores.folds.iter().enumerate().filter_map(|(i, v)| Some((i as f64, (*v)?))).unzip();
    if x.is_empty() {
        return None;
    }
    let ticks: Vec<String> = (1..=scores.folds.len()).map(|i| format!("fold {i}")).collect();
    let mean = scores.mean?;
    let last = scores.folds.len().saturating_sub(1) as f64;
    Some(ChartSpec {
        id: "fold_scores".into(),
        title: format!("{metric} per fold: {mean:.3} ± {:.3} (dashed: mean)", scores.std.unwrap_or(0.0)),
        body: ChartBody::Lines {
            x_label: "fold".into(),
            y_label: metric.clone(),
            x_range: None,
            y_range: None,
            x_ticks: Some(ticks),
            x_whole: false,
            series: vec![
                Series { markers: true, ..line(String::new(), x, y) },
                reference("", vec![0.0, last], vec![mean, mean]),
            ],
        },
    })
}
