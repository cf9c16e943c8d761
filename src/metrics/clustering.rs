//! Clustering metrics.

use crate::numeric::{MatrixView, RowMajor};

/// Rows the silhouette looks at: it compares every pair, so larger data is sampled evenly.
pub const SILHOUETTE_MAX_ROWS: usize = 3_000;

/// Mean silhouette coefficient over (at most [`SILHOUETTE_MAX_ROWS`] evenly spaced) rows; noise (−1) is
/// left out. None when fewer than 2 or more than n − 1 clusters.
pub fn silhouette(x: MatrixView<'_>, labels: &[i64]) -> Option<f64> {
    mean_silhouette(&silhouette_values(x, labels, SILHOUETTE_MAX_ROWS)?)
}

/// The mean of some rows' silhouettes (as [`silhouette_values`] gives them); None for no rows.
pub fn mean_silhouette(values: &[(i64, f64)]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().map(|v| v.1).sum::<f64>() / values.len() as f64)
}

/// The number of clusters in `labels`, noise (−1) not counted.
pub fn n_clusters(labels: &[i64]) -> usize {
    cluster_index(labels).0.len()
}

/// The silhouette coefficient of (at most `max_rows` evenly spaced, non-noise) rows, each with its cluster:
/// (b − a) / max(a, b) where a is the mean distance to the row's own cluster and b to the nearest other
/// one. None when fewer than 2 or more than n − 1 clusters.
pub fn silhouette_values(x: MatrixView<'_>, labels: &[i64], max_rows: usize) -> Option<Vec<(i64, f64)>> {
    let step = x.nrows().div_ceil(max_rows.max(1)).max(1);
    let rows: Vec<usize> =
        (0..x.nrows()).step_by(step).filter(|&i| labels.get(i).is_some_and(|&l| l >= 0)).collect();
    let mut ids: Vec<i64> = rows.iter().filter_map(|&i| labels.get(i).copied()).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() < 2 || ids.len() >= rows.len() {
        return None;
    }
    let mut values = Vec::with_capacity(rows.len());
    for &i in &rows {
        let own = labels.get(i).copied().unwrap_or(-1);
        let mut sums = vec![(0.0, 0usize); ids.len()];
        for &j in &rows {
            if i == j {
                continue;
            }
            let d: f64 =
                x.row_slice(i).iter().zip(x.row_slice(j)).map(|(a, b)| (a - b) * (a - b)).sum::<f64>().sqrt();
            if let Ok(c) = ids.binary_search(&labels.get(j).copied().unwrap_or(-1)) {
                if let Some(s) = sums.get_mut(c) {
                    s.0 += d;
                    s.1 += 1;
                }
            }
        }
        let own_index = ids.binary_search(&own).ok();
        let a =
            own_index.and_then(|c| sums.get(c)).map_or(0.0, |s| if s.1 > 0 { s.0 / s.1 as f64 } else { 0.0 });
        let own_size = own_index.and_then(|c| sums.get(c)).map_or(0, |s| s.1);
        let b = sums
            .iter()
            .enumerate()
            .filter(|(c, s)| Some(*c) != own_index && s.1 > 0)
            .map(|(_, s)| s.0 / s.1 as f64)
            .fold(f64::INFINITY, f64::min);
        // A row alone in its cluster scores 0 (scikit-learn's convention).
        let value = if own_size > 0 && b.is_finite() { (b - a) / a.max(b) } else { 0.0 };
        values.push((own, value));
    }
    Some(values)
}

/// The distinct cluster ids of `labels` other than noise (−1), sorted, and each row's index among them.
fn cluster_index(labels: &[i64]) -> (Vec<i64>, Vec<Option<usize>>) {
    let mut ids: Vec<i64> = labels.iter().copied().filter(|&l| l >= 0).collect();
    ids.sort_unstable();
    ids.dedup();
    let index = labels.iter().map(|l| ids.binary_search(l).ok()).collect();
    (ids, index)
}

/// Per cluster: its rows and the mean of its rows.
struct Clusters {
    rows: Vec<Vec<usize>>,
    centroids: Vec<Vec<f64>>,
}

fn clusters(x: MatrixView<'_>, labels: &[i64]) -> Clusters {
    let (ids, index) = cluster_index(labels);
    let mut rows = vec![Vec::new(); ids.len()];
    for (i, c) in index.iter().enumerate().take(x.nrows()) {
        if let Some(r) = c.and_then(|c| rows.get_mut(c)) {
            r.push(i);
        }
    }
    let centroids = rows.iter().map(|r| column_means(x, r)).collect();
    Clusters { rows, centroids }
}

fn column_means(x: MatrixView<'_>, rows: &[usize]) -> Vec<f64> {
    let mut sums = vec![0.0; x.ncols()];
    for &i in rows {
        sums.iter_mut().zip(x.row_slice(i)).for_each(|(s, v)| *s += v);
    }
    sums.iter().map(|s| s / rows.len().max(1) as f64).collect()
}

fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(p, q)| (p - q) * (p - q)).sum()
}

/// Within-cluster sum of squared distances to each cluster's mean (k-means' inertia); noise rows are left
/// out.
pub fn inertia(x: MatrixView<'_>, labels: &[i64]) -> f64 {
    let c = clusters(x, labels);
    c.rows
        .iter()
        .zip(&c.centroids)
        .map(|(rows, centre)| rows.iter().map(|&i| squared_distance(x.row_slice(i), centre)).sum::<f64>())
        .sum()
}

/// Calinski–Harabasz index: between-cluster over within-cluster dispersion, each per degree of freedom
/// (scikit-learn's `calinski_harabasz_score`; noise rows are left out). None unless 2 ≤ clusters < rows.
pub fn calinski_harabasz(x: MatrixView<'_>, labels: &[i64]) -> Option<f64> {
    let c = clusters(x, labels);
    let used: Vec<usize> = c.rows.iter().flatten().copied().collect();
    let (n, k) = (used.len() as f64, c.rows.len() as f64);
    if c.rows.len() < 2 || c.rows.len() >= used.len() {
        return None;
    }
    let mean = column_means(x, &used);
    let mut between = 0.0;
    let mut within = 0.0;
    for (rows, centre) in c.rows.iter().zip(&c.centroids) {
        between += rows.len() as f64 * squared_distance(centre, &mean);
        within += rows.iter().map(|&i| squared_distance(x.row_slice(i), centre)).sum::<f64>();
    }
    Some(if within == 0.0 { 1.0 } else { between * (n - k) / (within * (k - 1.0)) })
}

/// Davies–Bouldin index: the mean over clusters of the worst ratio of summed spreads to centre distance
/// (scikit-learn's `davies_bouldin_score`; lower is better; noise rows are left out). None unless
/// 2 ≤ clusters < rows.
pub fn davies_bouldin(x: MatrixView<'_>, labels: &[i64]) -> Option<f64> {
    let c = clusters(x, labels);
    let used = c.rows.iter().map(Vec::len).sum::<usize>();
    if c.rows.len() < 2 || c.rows.len() >= used {
        return None;
    }
    let spread: Vec<f64> = c
        .rows
        .iter()
        .zip(&c.centroids)
        .map(|(rows, centre)| {
            rows.iter().map(|&i| squared_distance(x.row_slice(i), centre).sqrt()).sum::<f64>()
                / rows.len().max(1) as f64
        })
        .collect();
    let gaps: Vec<Vec<f64>> = c
        .centroids
        .iter()
        .map(|a| c.centroids.iter().map(|b| squared_distance(a, b).sqrt()).collect())
        .collect();
    // scikit-learn's np.allclose(…, 0) test (absolute tolerance 1e-8).
    let near_zero = |d: &f64| d.abs() <= 1e-8;
    if spread.iter().all(near_zero) || gaps.iter().flatten().all(near_zero) {
        return Some(0.0);
    }
    let worst: Vec<f64> = spread
        .iter()
        .zip(&gaps)
        .map(|(si, row)| {
            row.iter()
                .zip(&spread)
                .map(|(&d, sj)| if d == 0.0 { 0.0 } else { (si + sj) / d })
                .fold(f64::NEG_INFINITY, f64::max)
        })
        .collect();
    Some(worst.iter().sum::<f64>() / worst.len() as f64)
}

/// The contingency table of known groups (rows) against clusters (columns; noise counts as a cluster of its
/// own, as scikit-learn treats the label −1).
fn contingency(groups: &[usize], clusters: &[i64]) -> Vec<Vec<u64>> {
    let mut group_ids: Vec<usize> = groups.to_vec();
    group_ids.sort_unstable();
    group_ids.dedup();
    let mut cluster_ids: Vec<i64> = clusters.to_vec();
    cluster_ids.sort_unstable();
    cluster_ids.dedup();
    let mut table = vec![vec![0u64; cluster_ids.len()]; group_ids.len()];
    for (g, c) in groups.iter().zip(clusters) {
        let (Ok(r), Ok(k)) = (group_ids.binary_search(g), cluster_ids.binary_search(c)) else { continue };
        if let Some(cell) = table.get_mut(r).and_then(|row| row.get_mut(k)) {
            *cell += 1;
        }
    }
    table
}

fn margins(table: &[Vec<u64>]) -> (Vec<u64>, Vec<u64>) {
    let rows = table.iter().map(|r| r.iter().sum()).collect();
    let cols =
        (0..table.first().map_or(0, Vec::len)).map(|k| table.iter().filter_map(|r| r.get(k)).sum()).collect();
    (rows, cols)
}

/// Adjusted Rand index of the clusters against known `groups` (scikit-learn's `adjusted_rand_score`): 1 for
/// the same partition, about 0 for a random one.
pub fn adjusted_rand(groups: &[usize], clusters: &[i64]) -> f64 {
    let table = contingency(groups, clusters);
    let (a, b) = margins(&table);
    let n = groups.len().min(clusters.len()) as i128;
    let square = |v: u64| i128::from(v) * i128::from(v);
    let sum_squares: i128 = table.iter().flatten().map(|&v| square(v)).sum();
    // The pair confusion matrix, in exact integers as scikit-learn.
    let tp = sum_squares - n;
    let fp = table
        .iter()
        .map(|row| row.iter().zip(&b).map(|(&v, &bk)| i128::from(v) * i128::from(bk)).sum::<i128>())
        .sum::<i128>()
        - sum_squares;
    let fn_ = (0..b.len())
        .map(|k| {
            table
                .iter()
                .zip(&a)
                .map(|(row, &ar)| i128::from(row.get(k).copied().unwrap_or(0)) * i128::from(ar))
                .sum::<i128>()
        })
        .sum::<i128>()
        - sum_squares;
    let tn = n * n - fp - fn_ - sum_squares;
    if fn_ == 0 && fp == 0 {
        return 1.0;
    }
    2.0 * ((tp * tn - fn_ * fp) as f64) / (((tp + fn_) * (fn_ + tn) + (tp + fp) * (fp + tn)) as f64)
}

/// Entropy (natural log) of a labelling given its group sizes; 0 for a single group.
fn entropy(sizes: &[u64]) -> f64 {
    let sizes: Vec<f64> = sizes.iter().filter(|&&s| s > 0).map(|&s| s as f64).collect();
    if sizes.len() <= 1 {
        return 0.0;
    }
    let total: f64 = sizes.iter().sum();
    -sizes.iter().map(|&s| (s / total) * (s.ln() - total.ln())).sum::<f64>()
}

fn mutual_information(table: &[Vec<u64>], a: &[u64], b: &[u64], n: f64) -> f64 {
    if a.len() == 1 || b.len() == 1 {
        return 0.0;
    }
    let (sum_a, sum_b) = (a.iter().sum::<u64>() as f64, b.iter().sum::<u64>() as f64);
    let mut mi = 0.0;
    for (row, &ai) in table.iter().zip(a) {
        for (&v, &bj) in row.iter().zip(b) {
            if v == 0 {
                continue;
            }
            let share = v as f64 / n;
            let log_outer = -((ai * bj) as f64).ln() + sum_a.ln() + sum_b.ln();
            let term = share * ((v as f64).ln() - n.ln()) + share * log_outer;
            if term.abs() >= f64::EPSILON {
                mi += term;
            }
        }
    }
    mi.max(0.0)
}

/// The mutual information expected between two random labellings with the margins `a` and `b`
/// (Vinh, Epps & Bailey 2010; scikit-learn's `expected_mutual_information`).
fn expected_mutual_information(a: &[u64], b: &[u64], n: u64) -> f64 {
    if a.len() == 1 || b.len() == 1 {
        return 0.0;
    }
    let lgamma = |v: f64| libm::lgamma(v);
    let nf = n as f64;
    let mut emi = 0.0;
    for &ai in a {
        for &bj in b {
            let start = (ai + bj).saturating_sub(n).max(1);
            let end = ai.min(bj);
            let fixed = lgamma(ai as f64 + 1.0)
                + lgamma(bj as f64 + 1.0)
                + lgamma((n - ai) as f64 + 1.0)
                + lgamma((n - bj) as f64 + 1.0);
            for nij in start..=end {
                let nij_f = nij as f64;
                let term2 = (nf.ln() + nij_f.ln()) - (ai as f64).ln() - (bj as f64).ln();
                let gln = fixed
                    - (lgamma(nij_f + 1.0) + lgamma(nf + 1.0))
                    - lgamma((ai - nij) as f64 + 1.0)
                    - lgamma((bj - nij) as f64 + 1.0)
                    - lgamma((n + nij - ai - bj) as f64 + 1.0);
                emi += (nij_f / nf) * term2 * gln.exp();
            }
        }
    }
    emi
}

/// Adjusted mutual information of the clusters against known `groups`, arithmetic normalisation
/// (scikit-learn's `adjusted_mutual_info_score`): 1 for the same partition, about 0 by chance.
pub fn adjusted_mutual_info(groups: &[usize], clusters: &[i64]) -> f64 {
    let table = contingency(groups, clusters);
    let (a, b) = margins(&table);
    if a.len() == b.len() && a.len() <= 1 {
        return 1.0;
    }
    if a.len() == 1 || b.len() == 1 {
        return 0.0;
    }
    let n: u64 = a.iter().sum();
    let mi = mutual_information(&table, &a, &b, n as f64);
    let emi = expected_mutual_information(&a, &b, n);
    let normaliser = (entropy(&a) + entropy(&b)) / 2.0;
    // Keep the signs while avoiding 0/0 at a perfect match, as scikit-learn does.
    let away_from_zero = |v: f64| if v < 0.0 { v.min(-f64::EPSILON) } else { v.max(f64::EPSILON) };
    away_from_zero(mi - emi) / away_from_zero(normaliser - emi)
}
