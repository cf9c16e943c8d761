//! Charts of one column before and after the preparation steps.

use super::{column_chart, ChartBody, ChartSpec};
use crate::data::profile::profile_column;
use crate::data::Table;

/// Charts of `column` before and after preparation. After one-hot encoding, the "after" chart counts the
/// rows marked in each indicator column; a column that was dropped has no "after" chart.
pub fn compare_column(before: &Table, after: &Table, column: &str) -> Vec<ChartSpec> {
    let mut charts = Vec::new();
    if let Some(chart) = before.column(column).map(profile_column).as_ref().and_then(column_chart) {
        charts.push(ChartSpec {
            id: format!("before:{column}"),
            title: format!("{column} — before"),
            body: chart.body,
        });
    }
    if let Some(chart) = after.column(column).map(profile_column).as_ref().and_then(column_chart) {
        charts.push(ChartSpec {
            id: format!("after:{column}"),
            title: format!("{column} — after"),
            body: chart.body,
        });
        return charts;
    }
    let prefix = format!("{column}_");
    let indicators: Vec<(String, usize)> = after
        .columns
        .iter()
        .filter(|c| c.name.starts_with(&prefix))
        .filter_map(|c| {
            let ones = c.numbers()?.iter().filter(|&&v| v != 0.0 && !v.is_nan()).count();
            Some((c.name.clone(), ones))
        })
        .collect();
    if !indicators.is_empty() {
        charts.push(ChartSpec {
            id: format!("after:{column}"),
            title: format!("{column} — after: {} new columns", indicators.len()),
            body: ChartBody::Bars {
                x_label: "rows that are not 0".into(),
                labels: indicators.iter().map(|(n, _)| n.clone()).collect(),
                counts: indicators.iter().map(|(_, k)| *k).collect(),
            },
        });
    }
    charts
}
