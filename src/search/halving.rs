//! Successive halving's schedule (as scikit-learn's `HalvingGridSearchCV`): every candidate is scored with a
//! small resource, the best `1 / factor` of them go on to `factor` times the resource, and so on until one
//! rung is left or the resource is used up. The resource is the training rows of each fold, or a
//! hyperparameter that sets how much a model learns (trees of a forest, boosting iterations).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The `search.halving` section of a Spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HalvingSpec {
    /// `rows` (each fold's training rows, default) or the name of an integer hyperparameter such as
    /// `n_estimators` or `max_iter`.
    pub resource: String,
    /// How much the resource grows, and the candidates shrink, from rung to rung; default 3.
    pub factor: f64,
    /// The first rung's resource; default as scikit-learn's `exhaust`: small enough that the last rung
    /// uses the whole resource, but at least 2 rows per fold and class (1 for a hyperparameter).
    pub min_resource: Option<usize>,
    /// The most resource a candidate gets: a hyperparameter resource needs it; for rows it is the fold's
    /// training rows.
    pub max_resource: Option<usize>,
}

impl Default for HalvingSpec {
    fn default() -> Self {
        HalvingSpec { resource: "rows".into(), factor: 3.0, min_resource: None, max_resource: None }
    }
}

/// One rung of a halving schedule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rung {
    /// Candidates scored in this rung.
    pub candidates: usize,
    /// The resource each gets (rows per fold, or the hyperparameter's value).
    pub resource: usize,
}

fn invalid(field: &str, reason: String) -> Error {
    Error::Spec { path: format!("search.halving.{field}"), reason }
}

/// How many times `n` can be divided by `factor` before it drops below `factor` (⌊log_factor n⌋ for n ≥ 1).
fn whole_log(n: f64, factor: f64) -> usize {
    let mut steps = 0;
    let mut power = factor;
    while power <= n * (1.0 + 1e-12) && steps < 64 {
        steps += 1;
        power *= factor;
    }
    steps
}

impl HalvingSpec {
    /// The rungs for `n_candidates` candidates; `rows` is the fewest training rows of a fold and
    /// `smallest_rows` the fewest worth fitting on.
    pub fn rungs(&self, n_candidates: usize, rows: usize, smallest_rows: usize) -> Result<Vec<Rung>> {
        if !(self.factor > 1.0 && self.factor.is_finite()) {
            return Err(invalid("factor", format!("must be above 1, got {}", self.factor)));
        }
        let (max, smallest) = if self.resource == "rows" {
            (self.max_resource.map_or(rows, |m| m.min(rows)), smallest_rows.max(1))
        } else {
            let max = self.max_resource.ok_or_else(|| {
                invalid(
                    "max_resource",
                    format!("halving over `{}` needs the value to end with, e.g. 200", self.resource),
                )
            })?;
            (max, 1)
        };
        let n_candidates = n_candidates.max(1);
        let required = 1 + whole_log(n_candidates as f64, self.factor);
        let min = match self.min_resource {
            Some(0) => return Err(invalid("min_resource", "must be at least 1".into())),
            Some(m) => m,
            None => ((max as f64 / self.factor.powi(required as i32 - 1)) as usize).max(smallest),
        };
        if min > max {
            return Err(invalid(
                "min_resource",
                format!(
                    "{min} is more than the most a candidate can get ({max}{})",
                    if self.resource == "rows" { " training rows per fold" } else { "" }
                ),
            ));
        }
        let possible = 1 + whole_log(max as f64 / min as f64, self.factor);
        let mut candidates = n_candidates;
        let mut rungs = Vec::new();
        for k in 0..required.min(possible) {
            let resource = ((min as f64 * self.factor.powi(k as i32)) as usize).min(max);
            rungs.push(Rung { candidates, resource });
            candidates = (candidates as f64 / self.factor).ceil() as usize;
        }
        Ok(rungs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(spec: &HalvingSpec, n: usize, rows: usize, smallest: usize) -> Vec<(usize, usize)> {
        spec.rungs(n, rows, smallest).unwrap_or_default().iter().map(|r| (r.candidates, r.resource)).collect()
    }

    #[test]
    fn the_schedule_matches_scikit_learn() {
        // HalvingGridSearchCV(factor=3, min_resources="exhaust") with 24 candidates and 8,000 training rows
        // per fold (5-fold CV of 10,000 rows; n_samples is what scikit-learn divides): n_required_iterations
        // 3, min_resources 8000 // 9 = 888; rungs 24 × 888, 8 × 2664, 3 × 7992.
        let rows = HalvingSpec::default();
        assert_eq!(schedule(&rows, 24, 8000, 20), [(24, 888), (8, 2664), (3, 7992)]);
        // Few rows: the smallest resource wins and fewer rungs fit (40 rows, at least 20: 20 then 60 > 40).
        assert_eq!(schedule(&rows, 24, 40, 20), [(24, 20)]);
        // A hyperparameter resource with factor 2.
        let trees = HalvingSpec {
            resource: "n_estimators".into(),
            factor: 2.0,
            max_resource: Some(64),
            ..HalvingSpec::default()
        };
        assert_eq!(schedule(&trees, 10, 0, 0), [(10, 8), (5, 16), (3, 32), (2, 64)]);
    }

    #[test]
    fn bad_schedules_are_explained() {
        let spec = |f: f64, min: Option<usize>, resource: &str| HalvingSpec {
            resource: resource.into(),
            factor: f,
            min_resource: min,
            max_resource: None,
        };
        assert!(spec(1.0, None, "rows").rungs(10, 100, 10).is_err());
        assert!(spec(3.0, Some(500), "rows").rungs(10, 100, 10).is_err());
        assert!(spec(3.0, None, "n_estimators").rungs(10, 100, 10).is_err());
        assert!(spec(3.0, Some(0), "rows").rungs(10, 100, 10).is_err());
    }
}
