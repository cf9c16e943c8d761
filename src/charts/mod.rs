//! Charts as data, then drawing. [`ChartSpec`]s are computed from a profile or a run's Report and are plain
//! serde values; [`draw`] renders one on any plotters `DrawingBackend`: a `<canvas>` in the page, SVG in the
//! CLI and in native tests. Drawing returns [`Hotspot`]s, the regions of the picture that carry a value, for
//! the page's hover text and clicks.

mod draw;
mod draw_lines;
mod draw_marks;
mod draw_matrix;
pub mod evaluation;
mod frame;
mod palette;
pub mod prep;
mod search;

use serde::{Deserialize, Serialize};

use crate::data::profile::{ColumnProfile, Profile};
use crate::data::table::ColumnKind;

pub use draw::{draw, render_svg};
pub use evaluation::report_charts;
pub use search::search_chart;

/// A region of a drawn chart that shows one value, in the backend's pixels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hotspot {
    /// Left edge.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// Width (at least 1).
    pub w: i32,
    /// Height (at least 1).
    pub h: i32,
    /// What the region shows, in words.
    pub text: String,
    /// For a matrix cell: its row and column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<[usize; 2]>,
}

/// One line of a [`ChartBody::Lines`] chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// The legend entry.
    pub name: String,
    /// Horizontal coordinates.
    pub x: Vec<f64>,
    /// Vertical coordinates.
    pub y: Vec<f64>,
    /// Half-width of a shaded band around the line (± one standard deviation), per point.
    #[serde(default)]
    pub band: Option<Vec<f64>>,
    /// Draw a marker at every point.
    #[serde(default)]
    pub markers: bool,
    /// Draw as steps (each value held until the next point), as precision–recall curves are drawn.
    #[serde(default)]
    pub steps: bool,
    /// Draw dashed (reference lines).
    #[serde(default)]
    pub dashed: bool,
    /// Draw only a marker per point, no line (values in trial order, where joining them means nothing).
    #[serde(default)]
    pub points_only: bool,
}

/// One coloured set of points of a [`ChartBody::Scatter`] chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointGroup {
    /// The legend entry (empty: no legend).
    pub name: String,
    /// Horizontal coordinates.
    pub x: Vec<f64>,
    /// Vertical coordinates.
    pub y: Vec<f64>,
    /// Hover text per point (empty: the coordinates).
    #[serde(default)]
    pub hover: Vec<String>,
}

/// A reference line drawn behind a scatter's points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reference {
    /// No line.
    None,
    /// y = x (predictions equal to the truth).
    Diagonal,
    /// y = 0 (no residual).
    Zero,
}

/// Most labelled rows in a bar chart of top values.
const MAX_BARS: usize = 10;

/// One chart, ready to draw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartSpec {
    /// Stable identifier, e.g. `column:age` or `correlation`.
    pub id: String,
    /// The title drawn above the chart.
    pub title: String,
    /// What is drawn.
    #[serde(flatten)]
    pub body: ChartBody,
}

/// The kinds of chart and their data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ChartBody {
    /// Vertical bars over contiguous bins.
    Histogram {
        /// Label of the horizontal axis.
        x_label: String,
        /// Bin edges (one more than `counts`).
        edges: Vec<f64>,
        /// Values per bin.
        counts: Vec<usize>,
        /// Edges are milliseconds since the epoch: tick labels are dates.
        time_axis: bool,
    },
    /// Horizontal bars, one per label, largest first.
    Bars {
        /// Label of the value axis.
        x_label: String,
        /// One label per bar.
        labels: Vec<String>,
        /// One count per bar.
        counts: Vec<usize>,
    },
    /// A square matrix of values in [-1, 1] with row/column labels.
    Heatmap {
        /// Row and column labels.
        labels: Vec<String>,
        /// `matrix[row][column]`; `None` cells are drawn grey.
        matrix: Vec<Vec<Option<f64>>>,
    },
    /// Lines over a numeric horizontal axis (curves), optionally with bands, markers and a legend.
    Lines {
        /// Label of the horizontal axis.
        x_label: String,
        /// Label of the vertical axis.
        y_label: String,
        /// Fixed horizontal range (default: the data's).
        x_range: Option<[f64; 2]>,
        /// Fixed vertical range (default: the data's, padded).
        y_range: Option<[f64; 2]>,
        /// Tick labels for x = 0, 1, 2, … (categories such as hyperparameter values), instead of numbers.
        x_ticks: Option<Vec<String>>,
        /// The x values are counts (trials, k, rows): ticks only at whole numbers.
        #[serde(default)]
        x_whole: bool,
        /// The lines, in legend order (the legend sits between the title and the plot).
        series: Vec<Series>,
    },
    /// Points, coloured by group, over a reference line.
    Scatter {
        /// Label of the horizontal axis.
        x_label: String,
        /// Label of the vertical axis.
        y_label: String,
        /// The groups of points.
        groups: Vec<PointGroup>,
        /// The line drawn behind the points.
        reference: Reference,
    },
    /// A matrix of cells shaded by `shade` (0–1, white to blue) and labelled by `text`; a confusion matrix.
    Matrix {
        /// Label of the horizontal axis (columns).
        x_label: String,
        /// Label of the vertical axis (rows).
        y_label: String,
        /// Row labels, top to bottom.
        rows: Vec<String>,
        /// Column labels, left to right.
        columns: Vec<String>,
        /// Shade per cell in [0, 1].
        shade: Vec<Vec<f64>>,
        /// Text per cell.
        text: Vec<Vec<String>>,
        /// Hover text per cell.
        hover: Vec<Vec<String>>,
    },
    /// Horizontal bars of signed values, largest first, with optional ± error whiskers.
    ValueBars {
        /// Label of the value axis.
        x_label: String,
        /// One label per bar.
        labels: Vec<String>,
        /// One value per bar.
        values: Vec<f64>,
        /// Half-length of each bar's whisker (e.g. one standard deviation).
        errors: Option<Vec<f64>>,
    },
    /// A silhouette plot: each cluster's rows as thin horizontal bars of their silhouette, sorted, stacked.
    Silhouette {
        /// One entry per cluster: its name and its rows' silhouettes, largest first.
        clusters: Vec<(String, Vec<f64>)>,
        /// The mean silhouette, drawn as a dashed vertical line.
        mean: Option<f64>,
    },
}

/// The chart for one column: a histogram for numbers and dates, bars of the top values otherwise.
/// `None` for a column with no values.
pub fn column_chart(column: &ColumnProfile) -> Option<ChartSpec> {
    let id = format!("column:{}", column.name);
    let body = match (&column.histogram, column.kind) {
        (Some(h), ColumnKind::Integer | ColumnKind::Float | ColumnKind::Datetime) => ChartBody::Histogram {
            x_label: column.name.clone(),
            edges: h.edges.clone(),
            counts: h.counts.clone(),
            time_axis: column.kind == ColumnKind::Datetime,
        },
        _ if !column.top.is_empty() => {
            let shown = column.top.iter().take(MAX_BARS);
            ChartBody::Bars {
                x_label: "count".into(),
                labels: shown.clone().map(|v| v.value.clone()).collect(),
                counts: shown.map(|v| v.count).collect(),
            }
        }
        _ => return None,
    };
    let title = match &body {
        ChartBody::Histogram { .. } => format!("{} — distribution", column.name),
        _ if column.unique > MAX_BARS => {
            format!("{} — top {MAX_BARS} of {} values", column.name, column.unique)
        }
        _ => format!("{} — values", column.name),
    };
    Some(ChartSpec { id, title, body })
}

/// The correlation heatmap, when at least two numeric columns exist.
pub fn correlation_chart(profile: &Profile) -> Option<ChartSpec> {
    if profile.correlation.columns.len() < 2 {
        return None;
    }
    Some(ChartSpec {
        id: "correlation".into(),
        title: "Pearson correlation of numeric columns".into(),
        body: ChartBody::Heatmap {
            labels: profile.correlation.columns.clone(),
            matrix: profile.correlation.matrix.clone(),
        },
    })
}

/// Every chart of the profile step: one per column (in column order), then the correlation heatmap.
pub fn profile_charts(profile: &Profile) -> Vec<ChartSpec> {
    profile.columns.iter().filter_map(column_chart).chain(correlation_chart(profile)).collect()
}
