//! Charts as data, then drawing. [`ChartSpec`]s are computed from a profile (or, later, a report) and are plain
//! serde values; [`draw`] renders one on any plotters `DrawingBackend`: a `<canvas>` in the page, SVG in the
//! CLI and in native tests.

mod draw;
mod palette;

use serde::{Deserialize, Serialize};

use crate::data::profile::{ColumnProfile, Profile};
use crate::data::table::ColumnKind;

pub use draw::{draw, render_svg};

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
