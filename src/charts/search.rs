//! The chart of a hyperparameter search: every trial's cross-validated score in the order tried, and the
//! best score so far as a step line, so one sees whether more trials would still help.

use super::evaluation::line;
use super::{ChartBody, ChartSpec, Series};
use crate::metrics::greater_is_better;
use crate::search::SearchReport;

/// The best-score-by-trial chart of `search` (id `search_progress`); None before any trial.
pub fn search_chart(search: &SearchReport) -> Option<ChartSpec> {
    if search.trials.is_empty() {
        return None;
    }
    // A search in progress (sent by the page) may not say; the metric does.
    let higher = search.greater_is_better || greater_is_better(&search.metric);
    let x: Vec<f64> = search.trials.iter().map(|t| t.candidate.index as f64 + 1.0).collect();
    let scores: Vec<f64> = search.trials.iter().map(|t| t.mean.unwrap_or(f64::NAN)).collect();
    let mut best = f64::NAN;
    let best_so_far: Vec<f64> = scores
        .iter()
        .map(|&s| {
            if s.is_finite() && (best.is_nan() || (higher && s > best) || (!higher && s < best)) {
                best = s;
            }
            best
        })
        .collect();
    Some(ChartSpec {
        id: "search_progress".into(),
        title: format!("Search ({}): {} by trial", search.method, search.metric),
        body: ChartBody::Lines {
            x_label: "trial".into(),
            y_label: format!("cross-validated {}", search.metric),
            x_range: None,
            y_range: None,
            x_ticks: None,
            x_whole: true,
            series: vec![
                Series { points_only: true, ..line("trial".into(), x.clone(), scores) },
                Series { steps: true, ..line("best so far".into(), x, best_so_far) },
            ],
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{Pending, Trial};

    fn search(metric: &str, means: &[Option<f64>]) -> SearchReport {
        let trials = means
            .iter()
            .enumerate()
            .map(|(index, &mean)| Trial {
                mean,
                ..Trial::of(Pending { index, params: Default::default(), rung: None, rows: None })
            })
            .collect();
        SearchReport {
            method: "random".into(),
            metric: metric.into(),
            greater_is_better: false,
            total: means.len(),
            trials,
            best: None,
            stopped: None,
            rungs: Vec::new(),
        }
    }

    fn best_line(chart: Option<ChartSpec>) -> Vec<f64> {
        match chart.map(|c| c.body) {
            Some(ChartBody::Lines { series, .. }) => series.get(1).map(|s| s.y.clone()).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn the_best_so_far_follows_the_metric_direction_and_skips_failed_trials() {
        let means = [Some(0.5), None, Some(0.7), Some(0.6), Some(0.9)];
        assert_eq!(best_line(search_chart(&search("accuracy", &means))), [0.5, 0.5, 0.7, 0.7, 0.9]);
        assert_eq!(best_line(search_chart(&search("mean_squared_error", &means))), [0.5, 0.5, 0.5, 0.5, 0.5]);
        let first_failed = best_line(search_chart(&search("accuracy", &[None, Some(0.2)])));
        assert!(first_failed.first().is_some_and(|v| v.is_nan()) && first_failed.get(1) == Some(&0.2));
        assert!(search_chart(&search("accuracy", &[])).is_none());
    }
}
