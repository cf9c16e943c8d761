//! Clustering without centres: DBSCAN (scikit-learn's `DBSCAN`, same traversal so labels agree) and
//! agglomerative clustering (`AgglomerativeClustering`: ward, complete, average or single linkage, merged by
//! the nearest-neighbour chain; single linkage through a minimum spanning tree). Both are quadratic in the
//! rows, so they refuse more than [`MAX_PAIRWISE_ROWS`]. New rows take the label of their nearest training
//! row.

use serde::{Deserialize, Serialize};

use super::params::{check_at_least, check_one_of, check_positive};
use crate::error::{Error, Result};
use crate::numeric::{Matrix, MatrixView, RowMajor};
use crate::progress::Progress;

/// Most rows DBSCAN accepts (its cost grows with the square of it).
pub const MAX_PAIRWISE_ROWS: usize = 20_000;
/// Most rows agglomerative clustering accepts: it holds every pairwise distance (5,000 rows: 200 MB).
pub const MAX_AGGLOMERATIVE_ROWS: usize = 5_000;

/// Parameters of `dbscan`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DbscanParams {
    /// Neighbourhood radius (euclidean, > 0); default 0.5.
    pub eps: f64,
    /// Neighbours (the row itself included) that make a core row; default 5.
    pub min_samples: usize,
}

impl Default for DbscanParams {
    fn default() -> Self {
        DbscanParams { eps: 0.5, min_samples: 5 }
    }
}

/// Parameters of `agglomerative`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AgglomerativeParams {
    /// Clusters to stop at (≥ 1); default 2.
    pub n_clusters: usize,
    /// `ward` (default), `complete`, `average` or `single`.
    pub linkage: String,
}

impl Default for AgglomerativeParams {
    fn default() -> Self {
        AgglomerativeParams { n_clusters: 2, linkage: "ward".into() }
    }
}

/// A clustering of the training rows, kept to label new rows by their nearest training row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedLabels {
    /// Training rows.
    #[serde(with = "crate::numeric::matrix::serde_format")]
    pub x: Matrix,
    /// Label of each training row (−1: noise).
    pub labels: Vec<i64>,
    /// Rows a new row must be near (within `radius`) to join their cluster; all rows when None.
    pub core: Option<Vec<bool>>,
    /// DBSCAN's eps: farther new rows are noise.
    pub radius: Option<f64>,
}

fn check_rows(n: usize, what: &str, limit: usize) -> Result<()> {
    if n > limit {
        return Err(Error::InvalidParam {
            name: what.into(),
            reason: format!(
                "compares every pair of rows, so it takes at most {limit} rows (this data has {n}); \
                 sample the rows or use kmeans"
            ),
        });
    }
    Ok(())
}

fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt()
}

impl DbscanParams {
    /// Checks the parameters: `eps` > 0, `min_samples` ≥ 1.
    pub fn validate(&self) -> Result<()> {
        check_positive("eps", self.eps, false)?;
        check_at_least("min_samples", self.min_samples, 1)
    }

    /// Clusters the rows of `x`.
    pub fn fit(&self, x: MatrixView<'_>, progress: &mut dyn Progress) -> Result<FittedLabels> {
        self.validate()?;
        check_rows(x.nrows(), "dbscan", MAX_PAIRWISE_ROWS)?;
        let n = x.nrows();
        // Every pair within `eps` is held at once: a huge `eps` makes that n² indices, so the total is bounded
        // as it grows and the run refused before memory runs out.
        let mut pairs = 0usize;
        let neighbourhoods: Vec<Vec<usize>> = (0..n)
            .map(|i| {
                if i % 512 == 0 {
                    progress.report("neighbourhoods", i as u64, n as u64);
                }
                let near: Vec<usize> =
                    (0..n).filter(|&j| distance(x.row_slice(i), x.row_slice(j)) <= self.eps).collect();
                pairs = pairs.saturating_add(near.len());
                if pairs > crate::limits::MAX_NEIGHBOUR_PAIRS {
                    return Err(Error::InvalidParam {
                        name: "eps".into(),
                        reason: format!(
                            "{} puts more than {} pairs of rows within reach of each other ({pairs} among the first \
                             {} of {n} rows), more than memory allows; choose a smaller eps",
                            self.eps,
                            crate::limits::MAX_NEIGHBOUR_PAIRS,
                            i + 1
                        ),
                    });
                }
                Ok(near)
            })
            .collect::<Result<_>>()?;
        let core: Vec<bool> = neighbourhoods.iter().map(|nb| nb.len() >= self.min_samples).collect();
        let mut labels = vec![-1i64; n];
        let mut label = 0;
        // scikit-learn's dbscan_inner: depth-first expansion from each unlabelled core row, in row order.
        for start in 0..n {
            if labels.get(start) != Some(&-1) || !core.get(start).copied().unwrap_or(false) {
                continue;
            }
            let mut stack = Vec::new();
            let mut i = start;
            loop {
                if labels.get(i) == Some(&-1) {
                    if let Some(l) = labels.get_mut(i) {
                        *l = label;
                    }
                    if core.get(i).copied().unwrap_or(false) {
                        for &j in neighbourhoods.get(i).map_or(&[][..], Vec::as_slice) {
                            if labels.get(j) == Some(&-1) {
                                stack.push(j);
                            }
                        }
                    }
                }
                match stack.pop() {
                    Some(next) => i = next,
                    None => break,
                }
            }
            label += 1;
        }
        Ok(FittedLabels { x: x.to_owned(), labels, core: Some(core), radius: Some(self.eps) })
    }
}

impl AgglomerativeParams {
    /// Checks the parameters: at least one cluster (at most [`crate::limits::MAX_CLUSTERS`]) and a known
    /// linkage.
    pub fn validate(&self) -> Result<()> {
        check_at_least("n_clusters", self.n_clusters, 1)?;
        crate::limits::check_at_most("n_clusters", self.n_clusters, crate::limits::MAX_CLUSTERS)?;
        check_one_of("linkage", &self.linkage, super::choices::LINKAGES)
    }

    /// Clusters the rows of `x` bottom-up.
    pub fn fit(&self, x: MatrixView<'_>, progress: &mut dyn Progress) -> Result<FittedLabels> {
        self.validate()?;
        check_rows(x.nrows(), "agglomerative", MAX_AGGLOMERATIVE_ROWS)?;
        let n = x.nrows();
        if n < self.n_clusters {
            return Err(Error::EmptyData(format!(
                "{} clusters need at least that many rows, got {n}",
                self.n_clusters
            )));
        }
        let merges =
            if self.linkage == "single" { single_linkage(x) } else { nn_chain(x, &self.linkage, progress) };
        let mut order: Vec<usize> = (0..merges.len()).collect();
        order.sort_by(|&a, &b| merges[a].2.total_cmp(&merges[b].2));
        let mut parent: Vec<usize> = (0..n).collect();
        for &m in order.iter().take(n - self.n_clusters) {
            let (a, b, _) = merges[m];
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            if ra != rb {
                parent[ra.max(rb)] = ra.min(rb);
            }
        }
        let mut ids: Vec<i64> = vec![-1; n];
        let mut labels = vec![0i64; n];
        let mut next = 0;
        for (i, label) in labels.iter_mut().enumerate() {
            let r = find(&mut parent, i);
            if ids[r] < 0 {
                ids[r] = next;
                next += 1;
            }
            *label = ids[r];
        }
        Ok(FittedLabels { x: x.to_owned(), labels, core: None, radius: None })
    }
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Merges (row a, row b, height) of the single-linkage tree: the edges of a minimum spanning tree (Prim).
fn single_linkage(x: MatrixView<'_>) -> Vec<(usize, usize, f64)> {
    let n = x.nrows();
    let mut in_tree = vec![false; n];
    let mut best = vec![(f64::INFINITY, 0usize); n];
    let mut merges = Vec::with_capacity(n.saturating_sub(1));
    let mut current = 0;
    in_tree[0] = n > 0;
    for _ in 1..n {
        let mut next = (f64::INFINITY, usize::MAX);
        for j in 0..n {
            if in_tree[j] {
                continue;
            }
            let d = distance(x.row_slice(current), x.row_slice(j));
            if d < best[j].0 {
                best[j] = (d, current);
            }
            if best[j].0 < next.0 || next.1 == usize::MAX {
                next = (best[j].0, j);
            }
        }
        let j = next.1;
        if j == usize::MAX {
            break;
        }
        in_tree[j] = true;
        merges.push((best[j].1, j, best[j].0));
        current = j;
    }
    merges
}

/// Merges of ward / complete / average linkage by the nearest-neighbour chain over a full distance matrix
/// updated with the Lance–Williams formulas. Each merge is reported with one representative row per side.
fn nn_chain(x: MatrixView<'_>, linkage: &str, progress: &mut dyn Progress) -> Vec<(usize, usize, f64)> {
    let n = x.nrows();
    let ward = linkage == "ward";
    // Ward works on squared distances; the heights are square roots of the merge costs.
    let mut d = vec![0.0f64; n * n];
    for i in 0..n {
        for j in 0..i {
            let v = distance(x.row_slice(i), x.row_slice(j));
            let v = if ward { v * v } else { v };
            d[i * n + j] = v;
            d[j * n + i] = v;
        }
    }
    let mut size = vec![1usize; n];
    let mut active = vec![true; n];
    let mut merges = Vec::with_capacity(n.saturating_sub(1));
    let mut chain: Vec<usize> = Vec::new();
    while merges.len() + 1 < n {
        if chain.is_empty() {
            if let Some(first) = (0..n).find(|&i| active[i]) {
                chain.push(first);
            }
        }
        let Some(&a) = chain.last() else { break };
        let previous = if chain.len() >= 2 { chain.get(chain.len() - 2).copied() } else { None };
        let mut b = previous.unwrap_or(usize::MAX);
        let mut best = if b == usize::MAX { f64::INFINITY } else { d[a * n + b] };
        for j in 0..n {
            if active[j] && j != a && d[a * n + j] < best {
                best = d[a * n + j];
                b = j;
            }
        }
        if b == usize::MAX {
            break;
        }
        if Some(b) == previous {
            chain.pop();
            chain.pop();
            let (sa, sb) = (size[a] as f64, size[b] as f64);
            for k in 0..n {
                if !active[k] || k == a || k == b {
                    continue;
                }
                let (dak, dbk) = (d[a * n + k], d[b * n + k]);
                let sk = size[k] as f64;
                let v = match linkage {
                    "ward" => ((sa + sk) * dak + (sb + sk) * dbk - sk * best) / (sa + sb + sk),
                    "complete" => dak.max(dbk),
                    _ => (sa * dak + sb * dbk) / (sa + sb),
                };
                d[b * n + k] = v;
                d[k * n + b] = v;
            }
            active[a] = false;
            size[b] += size[a];
            merges.push((a, b, if ward { best.sqrt() } else { best }));
            if merges.len() % 256 == 0 {
                progress.report("merges", merges.len() as u64, n as u64 - 1);
            }
        } else {
            chain.push(b);
        }
    }
    merges
}

impl FittedLabels {
    /// Labels for new rows: the label of the nearest (core) training row, or −1 beyond DBSCAN's radius.
    pub fn predict(&self, x: MatrixView<'_>) -> Vec<i64> {
        x.row_slices()
            .map(|row| {
                let mut best = (f64::INFINITY, -1i64);
                for (i, train) in self.x.row_slices().enumerate() {
                    if self.core.as_ref().is_some_and(|c| !c.get(i).copied().unwrap_or(false)) {
                        continue;
                    }
                    let d = distance(row, train);
                    if d < best.0 {
                        best = (d, self.labels.get(i).copied().unwrap_or(-1));
                    }
                }
                match self.radius {
                    Some(r) if best.0 > r => -1,
                    _ => best.1,
                }
            })
            .collect()
    }
}
