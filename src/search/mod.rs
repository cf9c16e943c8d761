//! Hyperparameter search: the `search` section of a Spec, the candidates it describes (a grid in
//! scikit-learn's `ParameterGrid` order; random draws whose seeds derive from the Spec's seed and the trial
//! index, so any worker computes the same trial; or a tree-structured Parzen estimator's proposals from the
//! trials so far), and the leaderboard that comes back. Scoring a candidate
//! (cross-validation with preparation fitted inside each fold) is the run layer's job.

mod space;
mod tpe;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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
}

impl Default for SearchSpec {
    fn default() -> Self {
        SearchSpec {
            method: "grid".into(),
            trials: 20,
            metric: None,
            time_budget_s: None,
            space: BTreeMap::new(),
        }
    }
}

/// One candidate's cross-validated score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trial {
    /// The candidate's position (grid order, or draw number).
    pub index: usize,
    /// The hyperparameters tried (only those of the space).
    pub params: Map<String, Value>,
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

/// What a search found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchReport {
    /// `grid` or `random`.
    pub method: String,
    /// The metric that ranked the candidates.
    pub metric: String,
    /// Every candidate, in the order tried.
    pub trials: Vec<Trial>,
    /// The index of the best trial (the first of equals, as scikit-learn), if any was scored.
    pub best: Option<usize>,
    /// Why the search stopped before its last candidate (the time budget), if it did.
    pub stopped: Option<String>,
}

/// A trial's hyperparameters and its loss (lower is better; None when it could not be scored).
pub type Tried = (Map<String, Value>, Option<f64>);

/// Hands out candidates one at a time: from a fixed list (grid, random) or, for TPE, from the trials so far.
pub struct Proposer {
    dimensions: Vec<(String, Dimension)>,
    fixed: Option<Vec<Map<String, Value>>>,
    total: usize,
    seed: u64,
}

impl Proposer {
    /// The proposer of `spec`'s method; explains a bad space or method.
    pub fn new(spec: &SearchSpec, seed: u64) -> Result<Proposer> {
        let dimensions = spec.dimensions()?;
        if spec.method == "tpe" {
            return Ok(Proposer { dimensions, fixed: None, total: spec.trials.max(1), seed });
        }
        let fixed = spec.candidates(seed)?;
        Ok(Proposer { dimensions, total: fixed.len(), fixed: Some(fixed), seed })
    }

    /// How many candidates will be proposed.
    pub fn total(&self) -> usize {
        self.total
    }

    /// Candidate `index`, given every earlier trial (used by TPE only).
    pub fn propose(&self, index: usize, history: &[Tried]) -> Map<String, Value> {
        match &self.fixed {
            Some(list) => list.get(index).cloned().unwrap_or_default(),
            None => tpe::suggest(&self.dimensions, history, self.seed, index, |i| {
                draw(&self.dimensions, self.seed, i)
            }),
        }
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
                reason: format!("`{other}` is not a search method; choose grid, random or tpe"),
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
