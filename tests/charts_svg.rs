//! Every chart type renders natively to SVG with its title, axis labels and marks, from a real profile; the
//! CLI writes one SVG per chart with `--charts`.

mod common;

use mlplay::charts::{profile_charts, render_svg, ChartBody, ChartSpec};
use mlplay::data::CsvOptions;
use mlplay::progress::NoProgress;

fn penguin_charts() -> Vec<ChartSpec> {
    let bytes =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/www/samples/penguins.csv")).expect("sample");
    let (_, profile) =
        mlplay::load_and_profile(&bytes, &CsvOptions::default(), &mut NoProgress).expect("profile");
    profile_charts(&profile)
}

fn chart<'a>(charts: &'a [ChartSpec], id: &str) -> &'a ChartSpec {
    charts.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no chart {id}"))
}

fn count(svg: &str, needle: &str) -> usize {
    svg.matches(needle).count()
}

/// The trimmed contents of every `<text>` element.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|rest| {
            let body = rest.split_once('>')?.1;
            Some(body.split_once("</text>")?.0.trim().to_string())
        })
        .collect()
}

fn has_text(svg: &str, text: &str) -> bool {
    texts(svg).iter().any(|t| t == text)
}

#[test]
fn histogram_svg_has_title_axes_and_one_bar_per_bin() {
    let charts = penguin_charts();
    let spec = chart(&charts, "column:body_mass_g");
    let ChartBody::Histogram { counts, .. } = &spec.body else { panic!("expected a histogram") };
    let svg = render_svg(spec, 640, 400).expect("svg");
    assert!(has_text(&svg, "body_mass_g — distribution"), "title in {:?}", texts(&svg));
    assert!(has_text(&svg, "rows"), "y axis label");
    assert!(has_text(&svg, "body_mass_g"), "x axis label");
    assert!(has_text(&svg, "4000"), "x tick label");
    // One filled rectangle per bin plus the background.
    let bars = count(&svg, "fill=\"#0072B2\"");
    assert_eq!(bars, counts.len(), "bars");
    assert_eq!(counts.iter().sum::<usize>(), 342, "every non-missing value is in a bin");
}

#[test]
fn bar_chart_svg_labels_every_category_with_its_count() {
    let charts = penguin_charts();
    let svg = render_svg(chart(&charts, "column:species"), 640, 400).expect("svg");
    assert!(has_text(&svg, "species — values"));
    for label in ["Adelie", "Gentoo", "Chinstrap", "152", "124", "68", "count"] {
        assert!(has_text(&svg, label), "missing {label:?} in {:?}", texts(&svg));
    }
    assert_eq!(count(&svg, "fill=\"#0072B2\""), 3);
}

#[test]
fn heatmap_svg_has_a_cell_and_a_value_per_pair_and_a_legend() {
    let charts = penguin_charts();
    let spec = chart(&charts, "correlation");
    let ChartBody::Heatmap { labels, matrix } = &spec.body else { panic!("expected a heatmap") };
    assert_eq!(labels, &["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "year"]);
    let svg = render_svg(spec, 640, 560).expect("svg");
    assert!(has_text(&svg, "Pearson correlation of numeric columns"));
    let all = texts(&svg);
    assert_eq!(all.iter().filter(|t| *t == "1.00").count(), 5, "the diagonal");
    for label in labels {
        // Long names are shortened to fit (with an ellipsis); their start is always shown.
        let start: String = label.chars().take(10).collect();
        assert!(
            all.iter().filter(|t| t.starts_with(&start)).count() >= 2,
            "{label} labels a row and a column"
        );
    }
    let flipper_mass = matrix[2][3].expect("a value");
    assert!((flipper_mass - 0.871).abs() < 1e-3, "{flipper_mass}");
    assert_eq!(all.iter().filter(|t| *t == "0.87").count(), 2, "symmetric cells");
    for tick in ["1.0", "0.0", "-1.0"] {
        assert!(has_text(&svg, tick), "legend tick {tick}");
    }
    assert_eq!(count(&svg, "<rect") - 1, 25 + 40, "25 cells and a 40-step legend, plus the background");
}

#[test]
fn cli_writes_every_chart_as_svg() {
    let files = common::cli_chart_files(&["profile", "--compact"]);
    assert_eq!(files.len(), 9, "{files:?}");
    assert_eq!(files.first().map(String::as_str), Some("00-column_species.svg"));
    assert_eq!(files.last().map(String::as_str), Some("08-correlation.svg"));
}
