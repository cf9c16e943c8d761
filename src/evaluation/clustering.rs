//! Clustering diagnostics: the rows on their first two principal components coloured by cluster, every
//! sampled row's silhouette grouped by cluster, and an elbow scan (k-means inertia and silhouette for
//! k = 1…10) for choosing the number of clusters.

use serde::Serialize;

use super::{ClusterFit, MAX_POINTS};
use crate::error::Result;
use crate::metrics::clustering::{mean_silhouette, silhouette_values};
use crate::numeric::{axes::principal_axes, evenly_spaced, MatrixView, RowMajor};
use crate::rng::derive_seed;

/// Rows whose silhouettes are drawn (each is compared with all the others, so the cost is quadratic).
pub const SILHOUETTE_ROWS: usize = 1_000;
/// Largest k of the elbow scan.
pub const ELBOW_MAX_K: usize = 10;
/// Most cells (rows × columns) the projection's principal axes are computed from.
pub const AXES_CELLS: usize = 100_000;
/// Rows the elbow scan clusters (evenly spaced).
pub const ELBOW_ROWS: usize = 5_000;

/// The rows on the first two principal components of the features the clusters were found in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Projection {
    /// First component of (at most [`MAX_POINTS`] evenly spaced) rows.
    pub x: Vec<f64>,
    /// Second component (0 when the features have one dimension).
    pub y: Vec<f64>,
    /// Each row's cluster (−1: noise).
    pub cluster: Vec<i64>,
    /// Share of the variance along each component.
    pub explained: Vec<f64>,
}

/// One cluster's silhouettes, largest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SilhouetteGroup {
    /// The cluster.
    pub cluster: i64,
    /// Silhouette of each sampled row of the cluster, descending.
    pub values: Vec<f64>,
}

/// k-means with k clusters on the features.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ElbowPoint {
    /// Number of clusters.
    pub k: usize,
    /// Within-cluster sum of squares.
    pub inertia: f64,
    /// Mean silhouette (None for k = 1).
    pub silhouette: Option<f64>,
}

/// Everything a clustering's diagnostics show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterDiagnostics {
    /// The 2-D view of the rows.
    pub projection: Option<Projection>,
    /// Silhouettes per cluster (empty when fewer than two clusters).
    pub silhouettes: Vec<SilhouetteGroup>,
    /// Mean of all the silhouettes shown.
    pub mean_silhouette: Option<f64>,
    /// The elbow scan, k = 1…[`ELBOW_MAX_K`] (fewer when there are few rows).
    pub elbow: Vec<ElbowPoint>,
}

/// The diagnostics of cluster `labels` of the rows of `x`.
/// `fit_k` clusters rows into k groups for the elbow scan (none: no scan).
pub fn diagnose(
    x: MatrixView<'_>,
    labels: &[i64],
    fit_k: Option<ClusterFit<'_>>,
    seed: u64,
) -> Result<ClusterDiagnostics> {
    let values = silhouette_values(x, labels, SILHOUETTE_ROWS).unwrap_or_default();
    let mean_silhouette = mean_silhouette(&values);
    let mut ids: Vec<i64> = values.iter().map(|v| v.0).collect();
    ids.sort_unstable();
    ids.dedup();
    let silhouettes = ids
        .iter()
        .map(|&cluster| {
            let mut own: Vec<f64> = values.iter().filter(|v| v.0 == cluster).map(|v| v.1).collect();
            own.sort_by(|a, b| b.total_cmp(a));
            SilhouetteGroup { cluster, values: own }
        })
        .collect();
    Ok(ClusterDiagnostics {
        projection: projection(x, labels)?,
        silhouettes,
        mean_silhouette,
        elbow: match fit_k {
            Some(fit_k) => elbow(x, fit_k, seed)?,
            None => Vec::new(),
        },
    })
}

fn projection(x: MatrixView<'_>, labels: &[i64]) -> Result<Option<Projection>> {
    if x.nrows() < 2 || x.ncols() == 0 {
        return Ok(None);
    }
    let rows = evenly_spaced(x.nrows(), MAX_POINTS);
    let sample = x.take_rows(&rows);
    // The SVD costs rows × columns × min(rows, columns): wide tables find their axes on fewer rows (at least
    // 200), then every sampled row is projected.
    let fit_rows = (AXES_CELLS / sample.ncols().max(1)).max(200).min(sample.nrows());
    let fit = sample.take_rows(&evenly_spaced(sample.nrows(), fit_rows));
    let columns: Vec<Vec<f64>> = (0..fit.ncols()).map(|j| fit.column_vec(j)).collect();
    let axes = principal_axes(&columns, fit.nrows())?;
    let coordinate = |component: usize| -> Vec<f64> {
        let Some(axis) = axes.components.get(component) else { return vec![0.0; sample.nrows()] };
        sample
            .row_slices()
            .map(|row| row.iter().zip(&axes.means).zip(axis).map(|((v, m), a)| (v - m) * a).sum())
            .collect()
    };
    Ok(Some(Projection {
        x: coordinate(0),
        y: coordinate(1),
        cluster: rows.iter().map(|&i| labels.get(i).copied().unwrap_or(-1)).collect(),
        explained: axes.ratios.iter().take(2).copied().collect(),
    }))
}

fn elbow(x: MatrixView<'_>, fit_k: ClusterFit<'_>, seed: u64) -> Result<Vec<ElbowPoint>> {
    let sample = x.take_rows(&evenly_spaced(x.nrows(), ELBOW_ROWS));
    let max_k = ELBOW_MAX_K.min(sample.nrows().saturating_sub(1));
    let mut points = Vec::with_capacity(max_k);
    for k in 1..=max_k {
        let (inertia, labels) = fit_k(sample.view(), k, derive_seed(seed, k as u64))?;
        let silhouette = if k > 1 {
            silhouette_values(sample.view(), &labels, SILHOUETTE_ROWS).and_then(|v| mean_silhouette(&v))
        } else {
            None
        };
        points.push(ElbowPoint { k, inertia, silhouette });
    }
    Ok(points)
}
