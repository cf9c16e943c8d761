//! Hyperparameter search: the `search` section of a Spec, the candidates it describes (a grid in
//! scikit-learn's `ParameterGrid` order; random draws whose seeds derive from the Spec's seed and the trial
//! index, so any worker computes the same trial; a tree-structured Parzen estimator's proposals from the
//! trials so far; successive halving's rungs), and the leaderboard that comes back. Scoring a candidate
//! (cross-validation with preparation fitted inside each fold) is the run layer's job.
//!
//! Candidates are handed out in batches ([`Proposer::next_batch`]): every trial of a batch depends only on
//! the trials of earlier batches, so a batch can be scored by any number of workers (threads natively, Web
//! Workers in the page) in any order and the search is the same. Grid and random search are one batch;
//! TPE proposes `batch` trials at a time from the same history; halving's batches are its rungs.

mod halving;
mod space;
mod tpe;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use halving::{HalvingSpec, Rung};
pub use space::Dimension;

use crate::error::{Error, Result};
use crate::models::params::derive_seed;
use crate::rng::rng_from_seed;

/// The random stream (of the Spec's seed) that random search draws from; trial `i` uses its own derived seed.
const SEARCH_STREAM: u64 = 0x5ea2_c4ed;

/// Most candidates a grid may have (a typo such as a 1,000-value list should be an error, not a day's work).
pub const MAX_GRID: usize = 10_000;

/// The `search` section of a Spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchSpec {
    /// `grid` (every combination, in scikit-learn's order), `random` or `tpe` (Bayesian optimisation with a
    /// tree-structured Parzen estimator); default `grid`.
    pub method: String,
    /// Random search and TPE: how many candidates to try; default 20.
    pub trials: usize,
    /// The metric that ranks candidates; default the run's first metric.
    pub metric: Option<String>,
    /// Stop starting new candidates once this many seconds have passed (the candidate running finishes);
    /// default none. Needs the host's clock, which the CLI and the page always give.
    pub time_budget_s: Option<f64>,
    /// Per hyperparameter (by its name in the model's params): a list of values, or for random search a
    /// distribution — `{"uniform": [a, b]}`, `{"log_uniform": [a, b]}`, `{"int": [a, b]}` (inclusive),
    /// `{"choice": [...]}`.
    pub space: BTreeMap<String, Value>,
    /// TPE: how many trials are proposed together from the same history (and so can run side by side);
    /// default 4. Fixed by the Spec, not by the number of workers, so results never depend on the machine.
    pub batch: usize,
    /// Successive halving's resource and schedule (method `halving`).
    pub halving: HalvingSpec,
}

impl Default for SearchSpec {
    fn default() -> Self {
        SearchSpec {
            method: "grid".into(),
            trials: 20,
            metric: None,
            time_budget_s: None,
            space: BTreeMap::new(),
            batch: 4,
            halving: HalvingSpec::default(),
        }
    }
}

/// A candidate to score: what a worker needs besides the data and the Spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    /// The trial's position in the search.
    pub index: usize,
    /// The hyperparameters to try.
    pub params: Map<String, Value>,
    /// Successive halving: the rung (0 = first, every candidate) and the training rows per fold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rung: Option<usize>,
    /// Successive halving with the `rows` resource: train each fold on this many of its rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<usize>,
}

/// One candidate's cross-validated score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trial {
    /// What was tried: the trial's index, hyperparameters and (halving) rung and rows.
    #[serde(flatten)]
    pub candidate: Pending,
    /// Mean over the folds where the metric is defined.
    pub mean: Option<f64>,
    /// Population standard deviation over those folds.
    pub std: Option<f64>,
    /// One value per fold.
    pub folds: Vec<Option<f64>>,
    /// Milliseconds spent (absent where the host has no clock).
    pub fit_ms: Option<f64>,
    /// Why the candidate could not be scored (an invalid value, a fit that failed).
    pub error: Option<String>,
}

impl Trial {
    /// An unscored trial of `candidate` (scores and timing are filled in by whoever runs it).
    pub fn of(candidate: Pending) -> Trial {
        Trial { candidate, mean: None, std: None, folds: Vec::new(), fit_ms: None, error: None }
    }
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchReport {
    /// `grid`, `random`, `tpe` or `halving`.
    pub method: String,
    /// The metric that ranked the candidates.
    pub metric: String,
    /// Whether a higher `metric` is better.
    #[serde(default)]
    pub greater_is_better: bool,
    /// How many candidates the search planned (more than `trials` when it stopped early).
    #[serde(default)]
    pub total: usize,
    /// Every candidate, in the order tried.
    pub trials: Vec<Trial>,
    /// The index of the best trial (the first of equals, as scikit-learn), if any was scored.
    pub best: Option<usize>,
    /// Why the search stopped before its last candidate (the time budget, or Cancel in the page), if it did.
    pub stopped: Option<String>,
    /// Successive halving's schedule: candidates and resource per rung.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rungs: Vec<Rung>,
}

/// A trial's hyperparameters and its loss (lower is better; None when it could not be scored).
pub type Tried = (Map<String, Value>, Option<f64>);

/// Hands out candidates batch by batch: from a fixed list (grid, random), from the trials so far (TPE), or
/// rung by rung (successive halving).
pub struct Proposer {
    dimensions: Vec<(String, Dimension)>,
    fixed: Option<Vec<Map<String, Value>>>,
    rungs: Vec<Rung>,
    resource: Option<String>,
    total: usize,
    batch: usize,
    seed: u64,
    greater_is_better: bool,
}

impl Proposer {
    /// The proposer of `spec`'s method; explains a bad space or method. `greater_is_better` is the search
    /// metric's direction; `rows` the fewest training rows of a fold and `smallest_rows` the fewest that
    /// make sense to fit on (successive halving's resource bounds when the resource is rows).
    pub fn new(
        spec: &SearchSpec,
        seed: u64,
        greater_is_better: bool,
        rows: usize,
        smallest_rows: usize,
    ) -> Result<Proposer> {
        let dimensions = spec.dimensions()?;
        let mut proposer = Proposer {
            dimensions,
            fixed: None,
            rungs: Vec::new(),
            resource: None,
            total: spec.trials.max(1),
            batch: spec.batch.max(1),
            seed,
            greater_is_better,
        };
        match spec.method.as_str() {
            "tpe" => {}
            "halving" => {
                let candidates = match grid(&proposer.dimensions) {
                    Ok(all) => all,
                    // Distributions: random draws, as scikit-learn's HalvingRandomSearchCV.
                    Err(_) => (0..spec.trials.max(1)).map(|i| draw(&proposer.dimensions, seed, i)).collect(),
                };
                if spec.halving.resource != "rows" && spec.space.contains_key(&spec.halving.resource) {
                    return Err(Error::InvalidParam {
                        name: "search.halving.resource".into(),
                        reason: format!(
                            "`{}` is the resource halving raises; leave it out of the space",
                            spec.halving.resource
                        ),
                    });
                }
                proposer.rungs = spec.halving.rungs(candidates.len(), rows, smallest_rows)?;
                proposer.total = proposer.rungs.iter().map(|r| r.candidates).sum();
                proposer.resource = Some(spec.halving.resource.clone());
                proposer.fixed = Some(candidates);
            }
            _ => {
                let fixed = spec.candidates(seed)?;
                proposer.total = fixed.len();
                proposer.fixed = Some(fixed);
            }
        }
        Ok(proposer)
    }

    /// How many trials the search will run (if not stopped early).
    pub fn total(&self) -> usize {
        self.total
    }

    /// Successive halving's rungs (empty for other methods).
    pub fn rungs(&self) -> &[Rung] {
        &self.rungs
    }

    /// The next batch of trials after `done` (the trials so far, in index order, a whole number of batches);
    /// empty when the search is complete.
    pub fn next_batch(&self, done: &[Trial]) -> Vec<Pending> {
        let start = done.len();
        if start >= self.total {
            return Vec::new();
        }
        if !self.rungs.is_empty() {
            return self.next_rung(done);
        }
        let end = match &self.fixed {
            Some(_) => self.total,
            None if start < tpe::STARTUP_TRIALS => tpe::STARTUP_TRIALS,
            None => start + self.batch,
        }
        .min(self.total);
        let history: Vec<Tried> = done.iter().map(|t| (t.candidate.params.clone(), self.loss(t))).collect();
        (start..end)
            .map(|index| {
                let params = match &self.fixed {
                    Some(list) => list.get(index).cloned().unwrap_or_default(),
                    None => tpe::suggest(&self.dimensions, &history, self.seed, index, |i| {
                        draw(&self.dimensions, self.seed, i)
                    }),
                };
                Pending { index, params, rung: None, rows: None }
            })
            .collect()
    }

    /// Lower is better; None when unscored.
    fn loss(&self, trial: &Trial) -> Option<f64> {
        trial.mean.filter(|m| m.is_finite()).map(|m| if self.greater_is_better { -m } else { m })
    }

    /// The rung that starts at `done.len()`: every candidate first, then the best of the previous rung.
    fn next_rung(&self, done: &[Trial]) -> Vec<Pending> {
        let mut start = 0;
        for (k, rung) in self.rungs.iter().enumerate() {
            if start == done.len() {
                let params: Vec<Map<String, Value>> = if k == 0 {
                    self.fixed.clone().unwrap_or_default()
                } else {
                    let previous = done.get(start - self.rungs.get(k - 1).map_or(0, |r| r.candidates)..start);
                    let mut ranked: Vec<&Trial> = previous.unwrap_or_default().iter().collect();
                    // Scored before unscored, best first; equal scores keep their order.
                    ranked.sort_by(|a, b| match (self.loss(a), self.loss(b)) {
                        (Some(x), Some(y)) => x.total_cmp(&y),
                        (Some(_), None) => std::cmp::Ordering::Less,
                        (None, Some(_)) => std::cmp::Ordering::Greater,
                        (None, None) => std::cmp::Ordering::Equal,
                    });
                    ranked.iter().take(rung.candidates).map(|t| t.candidate.params.clone()).collect()
                };
                let resource = self.resource.as_deref().unwrap_or("rows");
                return params
                    .into_iter()
                    .enumerate()
                    .map(|(i, mut params)| {
                        let rows = if resource == "rows" {
                            Some(rung.resource)
                        } else {
                            params.insert(resource.to_string(), Value::from(rung.resource));
                            None
                        };
                        Pending { index: start + i, params, rung: Some(k), rows }
                    })
                    .collect();
            }
            start += rung.candidates;
        }
        Vec::new()
    }

    /// The best trial: the first of equal best scores (as scikit-learn's rank_test_score), among the last
    /// rung's trials for successive halving (as scikit-learn's halving searches).
    pub fn best(&self, trials: &[Trial]) -> Option<usize> {
        let last_rung = trials.iter().filter_map(|t| t.candidate.rung).max();
        trials
            .iter()
            .filter(|t| t.candidate.rung == last_rung)
            .filter_map(|t| self.loss(t).map(|l| (t.candidate.index, l)))
            .fold(None, |best: Option<(usize, f64)>, (i, l)| match best {
                Some((_, b)) if b <= l => best,
                _ => Some((i, l)),
            })
            .map(|(i, _)| i)
    }
}

impl SearchSpec {
    fn dimensions(&self) -> Result<Vec<(String, Dimension)>> {
        let dimensions: Vec<(String, Dimension)> = self
            .space
            .iter()
            .map(|(name, value)| Ok((name.clone(), Dimension::parse(name, value)?)))
            .collect::<Result<_>>()?;
        if dimensions.is_empty() {
            return Err(Error::InvalidParam {
                name: "search.space".into(),
                reason: "name at least one hyperparameter with the values to try".into(),
            });
        }
        Ok(dimensions)
    }

    /// The candidates of a grid or random search, each a map of hyperparameter values (TPE proposes its
    /// candidates one at a time, see [`Proposer`]).
    pub fn candidates(&self, seed: u64) -> Result<Vec<Map<String, Value>>> {
        let dimensions = self.dimensions()?;
        match self.method.as_str() {
            "grid" => grid(&dimensions),
            "random" => Ok((0..self.trials.max(1)).map(|i| draw(&dimensions, seed, i)).collect()),
            other => Err(Error::InvalidParam {
                name: "search.method".into(),
                reason: format!("`{other}` is not a search method; choose grid, random, tpe or halving"),
            }),
        }
    }
}

/// Every combination, keys in sorted order and the last key varying fastest (scikit-learn's ParameterGrid).
fn grid(dimensions: &[(String, Dimension)]) -> Result<Vec<Map<String, Value>>> {
    let lists: Vec<(String, Vec<Value>)> =
        dimensions.iter().map(|(name, d)| Ok((name.clone(), d.grid_values(name)?))).collect::<Result<_>>()?;
    let total = lists.iter().try_fold(1usize, |acc, (_, v)| acc.checked_mul(v.len())).unwrap_or(usize::MAX);
    if total > MAX_GRID {
        return Err(Error::InvalidParam {
            name: "search.space".into(),
            reason: format!("the grid has {total} combinations, more than {MAX_GRID}; use random search"),
        });
    }
    let mut out = vec![Map::new()];
    for (name, values) in &lists {
        out = out
            .iter()
            .flat_map(|partial| {
                values.iter().map(move |v| {
                    let mut next = partial.clone();
                    next.insert(name.clone(), v.clone());
                    next
                })
            })
            .collect();
    }
    Ok(out)
}

/// Random candidate `index`: each dimension drawn in key order from the trial's own seed.
fn draw(dimensions: &[(String, Dimension)], seed: u64, index: usize) -> Map<String, Value> {
    let mut rng = rng_from_seed(derive_seed(derive_seed(seed, SEARCH_STREAM), index as u64));
    dimensions.iter().map(|(name, d)| (name.clone(), d.sample(&mut rng))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(method: &str, space: Value) -> SearchSpec {
        SearchSpec {
            method: method.into(),
            space: serde_json::from_value(space).unwrap_or_default(),
            ..SearchSpec::default()
        }
    }

    #[test]
    fn the_grid_is_in_parameter_grid_order() {
        let s = spec("grid", json!({"weights": ["uniform", "distance"], "n_neighbors": [1, 3, 5]}));
        let c = s.candidates(0).unwrap_or_default();
        let pairs: Vec<(i64, &str)> = c
            .iter()
            .map(|m| (m["n_neighbors"].as_i64().unwrap_or(0), m["weights"].as_str().unwrap_or("")))
            .collect();
        // Keys sorted (n_neighbors, weights); the last varies fastest.
        assert_eq!(
            pairs,
            [
                (1, "uniform"),
                (1, "distance"),
                (3, "uniform"),
                (3, "distance"),
                (5, "uniform"),
                (5, "distance")
            ]
        );
    }

    #[test]
    fn random_draws_depend_on_the_seed_and_the_index_only() {
        let s = SearchSpec {
            trials: 30,
            ..spec(
                "random",
                json!({"C": {"log_uniform": [0.001, 1000]}, "k": {"int": [1, 5]}, "w": ["a", "b"]}),
            )
        };
        let a = s.candidates(7).unwrap_or_default();
        assert_eq!(a, s.candidates(7).unwrap_or_default());
        assert_ne!(a, s.candidates(8).unwrap_or_default());
        // Fewer trials give the same first draws.
        let fewer = SearchSpec { trials: 10, ..s.clone() }.candidates(7).unwrap_or_default();
        assert_eq!(fewer[..], a[..10]);
        for c in &a {
            let v = c["C"].as_f64().unwrap_or(-1.0);
            assert!((0.001..=1000.0).contains(&v));
            assert!((1..=5).contains(&c["k"].as_i64().unwrap_or(0)));
        }
        let small = a.iter().filter(|c| c["C"].as_f64().unwrap_or(0.0) < 1.0).count();
        assert!((8..=22).contains(&small), "log-uniform: about half below 1, got {small} of 30");
    }

    #[test]
    fn bad_spaces_are_explained() {
        for (method, space) in [
            ("grid", json!({})),
            ("grid", json!({"C": {"uniform": [0, 1]}})),
            ("grid", json!({"C": {"int": [5, 1]}})),
            ("random", json!({"C": {"log_uniform": [0, 1]}})),
            ("random", json!({"C": {"gaussian": [0, 1]}})),
            ("bayes", json!({"C": [1]})),
            ("grid", json!({"a": (0..200).collect::<Vec<_>>(), "b": (0..200).collect::<Vec<_>>()})),
        ] {
            assert!(spec(method, space.clone()).candidates(0).is_err(), "{method} {space}");
        }
    }
}
