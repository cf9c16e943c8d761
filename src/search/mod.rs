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
use crate::rng::derive_seed;
use crate::rng::rng_from_seed;

/// The random stream (of the Spec's seed) that random search draws from; trial `i` uses its own derived seed.
const SEARCH_STREAM: u64 = 0x5ea2_c4ed;
/// The random stream that orders a finite space's configurations for sampling without replacement.
const SHUFFLE_STREAM: u64 = 0x5ea2_0002;

/// Most candidates a grid may have (a typo such as a 1,000-value list should be an error, not a day's work).
pub const MAX_GRID: usize = 10_000;

/// The `search` section of a Spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchSpec {
    /// `grid` (every combination, in scikit-learn's order), `random`, `tpe` (Bayesian optimisation with a
    /// tree-structured Parzen estimator) or `halving` (successive halving); default `grid`.
    pub method: SearchMethod,
    /// Random search and TPE: how many candidates to try; default 20.
    pub trials: usize,
    /// The metric that ranks candidates; default the run's first metric.
    pub metric: Option<String>,
    /// Stop starting new candidates once this many seconds have passed (the candidate running finishes);
    /// default none. Needs the host's clock, which the CLI and the page always give.
    pub time_budget_s: Option<f64>,
    /// Per hyperparameter (by its name in the model's params): a list of values, or for random search a
    /// distribution — `{"uniform": [a, b]}`, `{"log_uniform": [a, b]}`, `{"int": [a, b]}` (inclusive),
    /// `{"choice": [...]}`; or a list of such spaces (see [`Space`]).
    pub space: Space,
    /// TPE: how many trials are proposed together from the same history (and so can run side by side);
    /// default 4. Fixed by the Spec, not by the number of workers, so results never depend on the machine.
    pub batch: usize,
    /// Successive halving's resource and schedule (method `halving`).
    pub halving: HalvingSpec,
}

impl Default for SearchSpec {
    fn default() -> Self {
        SearchSpec {
            method: SearchMethod::Grid,
            trials: 20,
            metric: None,
            time_budget_s: None,
            space: Space::default(),
            batch: 4,
            halving: HalvingSpec::default(),
        }
    }
}

/// How a search chooses its candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchMethod {
    /// Every combination, in scikit-learn's order.
    Grid,
    /// Random draws (without replacement when every value is listed).
    Random,
    /// Tree-structured Parzen estimator proposals, a batch at a time.
    Tpe,
    /// Successive halving: many candidates on a small resource, the best on more.
    Halving,
}

impl SearchMethod {
    /// Every method, in the order the page lists them.
    pub const ALL: [SearchMethod; 4] =
        [SearchMethod::Grid, SearchMethod::Random, SearchMethod::Tpe, SearchMethod::Halving];

    /// The method in words, for the page.
    pub fn label(self) -> &'static str {
        match self {
            SearchMethod::Grid => "grid (every combination)",
            SearchMethod::Random => "random",
            SearchMethod::Tpe => "Bayesian (TPE)",
            SearchMethod::Halving => "successive halving",
        }
    }

    /// The name written in Specs and Reports.
    pub fn name(self) -> &'static str {
        match self {
            SearchMethod::Grid => "grid",
            SearchMethod::Random => "random",
            SearchMethod::Tpe => "tpe",
            SearchMethod::Halving => "halving",
        }
    }
}

/// The `space` of a search: one set of hyperparameters, or alternatives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Space {
    /// Per hyperparameter its values or distribution.
    One(BTreeMap<String, Value>),
    /// Alternatives, as scikit-learn's list of grids: each candidate comes from one of them. So a parameter
    /// can go only with another's value (`[{"penalty": ["l2"]}, {"penalty": ["elasticnet"], "l1_ratio":
    /// [0.2, 0.8]}]`), and each alternative can be a model family of its own, named by `kind`
    /// (`[{"kind": ["knn"], "n_neighbors": [3, 9]}, {"kind": ["logistic_regression"], "C": [0.1, 1]}]`).
    /// A grid lists the alternatives' grids one after the other; a random draw first picks an alternative.
    Any(Vec<BTreeMap<String, Value>>),
}

impl Default for Space {
    fn default() -> Self {
        Space::One(BTreeMap::new())
    }
}

impl SearchSpec {
    /// Refuses impossible settings with their key path under `search`: no trials, a TPE batch of none, a
    /// negative or non-finite time budget, more trials than [`crate::limits::MAX_TRIALS`], and names in the
    /// space that are not parameters of the model searched (`model`, when known, or each alternative's
    /// `kind`).
    pub fn check(&self, model: Option<crate::models::ModelKind>) -> Result<()> {
        use crate::limits::MAX_TRIALS;
        // A grid tries every combination: `trials` is not read then.
        if self.method != SearchMethod::Grid && !(1..=MAX_TRIALS).contains(&self.trials) {
            return Err(Error::spec(
                "search.trials",
                format!("must be between 1 and {MAX_TRIALS}, got {}", self.trials),
            ));
        }
        if !(1..=MAX_TRIALS).contains(&self.batch) {
            return Err(Error::spec(
                "search.batch",
                format!("must be between 1 and {MAX_TRIALS}, got {}", self.batch),
            ));
        }
        if let Some(budget) = self.time_budget_s {
            if !budget.is_finite() || budget <= 0.0 {
                return Err(Error::spec(
                    "search.time_budget_s",
                    format!("must be a number of seconds above 0, got {budget}"),
                ));
            }
        }
        let alternatives = self.space.alternatives();
        for (index, alternative) in alternatives.iter().enumerate() {
            let at = if alternatives.len() > 1 {
                format!("search.space[{index}]")
            } else {
                "search.space".to_string()
            };
            let kinds: Vec<crate::models::ModelKind> = match alternative.get("kind") {
                Some(Value::Array(names)) => names
                    .iter()
                    .map(|n| {
                        n.as_str().and_then(crate::models::ModelKind::from_name).ok_or_else(|| {
                            Error::spec(format!("{at}.kind"), format!("{n} is not a model kind"))
                        })
                    })
                    .collect::<Result<_>>()?,
                Some(other) => {
                    return Err(Error::spec(
                        format!("{at}.kind"),
                        format!("must be a list of model kinds, got {other}"),
                    ))
                }
                None => model.into_iter().collect(),
            };
            for kind in kinds {
                let known = kind.param_names();
                if let Some(name) = alternative.keys().find(|k| *k != "kind" && !known.contains(k)) {
                    return Err(Error::spec(
                        format!("{at}.{name}"),
                        format!(
                            "is not a parameter of `{}`; its parameters are {}",
                            kind.name(),
                            known.join(", ")
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

impl Space {
    fn alternatives(&self) -> Vec<&BTreeMap<String, Value>> {
        match self {
            Space::One(one) => vec![one],
            Space::Any(many) => many.iter().collect(),
        }
    }

    /// Whether any alternative has hyperparameter `name`.
    pub fn mentions(&self, name: &str) -> bool {
        self.alternatives().iter().any(|a| a.contains_key(name))
    }
}

/// The dimensions of each alternative of a space.
type Subspaces = Vec<Vec<(String, Dimension)>>;

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
    subspaces: Subspaces,
    /// A finite space's configurations in a seeded order: random draws without replacement.
    shuffled: Option<Vec<Map<String, Value>>>,
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
        let subspaces = spec.subspaces()?;
        let mut proposer = Proposer {
            subspaces,
            shuffled: None,
            fixed: None,
            rungs: Vec::new(),
            resource: None,
            // At least one each: a Spec's check refuses 0 (these guard a direct caller).
            total: spec.trials.max(1),
            batch: spec.batch.max(1),
            seed,
            greater_is_better,
        };
        match spec.method {
            SearchMethod::Tpe => {
                proposer.shuffled = shuffled_grid(&proposer.subspaces, seed);
                if let Some(all) = &proposer.shuffled {
                    proposer.total = proposer.total.min(all.len());
                }
            }
            SearchMethod::Halving => {
                let candidates = match grid(&proposer.subspaces) {
                    Ok(all) => all,
                    // Distributions: random draws, as scikit-learn's HalvingRandomSearchCV.
                    Err(_) => (0..spec.trials.max(1)).map(|i| draw(&proposer.subspaces, seed, i)).collect(),
                };
                if spec.halving.resource != "rows" && spec.space.mentions(&spec.halving.resource) {
                    return Err(Error::Spec {
                        path: "search.halving.resource".into(),
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
                let fixed = spec.fixed_candidates(&proposer.subspaces, seed)?;
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
        // What is tried or about to be: TPE proposes none of it again (a repeat would waste a trial).
        let mut tried: Vec<Map<String, Value>> = history.iter().map(|(p, _)| p.clone()).collect();
        let mut batch = Vec::with_capacity(end - start);
        for index in start..end {
            let params = match &self.fixed {
                Some(list) => list.get(index).cloned().unwrap_or_default(),
                None => tpe::suggest(&self.subspaces, &history, self.seed, index, &tried, |i| {
                    self.untried_draw(i, &tried)
                }),
            };
            tried.push(params.clone());
            batch.push(Pending { index, params, rung: None, rows: None });
        }
        batch
    }

    /// Random candidate `index`: from a finite space, its configuration in the shuffled order (or the next
    /// one not yet `tried`); otherwise a fresh draw.
    fn untried_draw(&self, index: usize, tried: &[Map<String, Value>]) -> Map<String, Value> {
        match &self.shuffled {
            Some(all) => all
                .get(index)
                .filter(|c| !tried.contains(c))
                .or_else(|| all.iter().find(|c| !tried.contains(c)))
                .cloned()
                .unwrap_or_else(|| draw(&self.subspaces, self.seed, index)),
            None => draw(&self.subspaces, self.seed, index),
        }
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
    fn subspaces(&self) -> Result<Subspaces> {
        let alternatives = self.space.alternatives();
        if alternatives.is_empty() || alternatives.iter().any(|a| a.is_empty()) {
            return Err(Error::Spec {
                path: "search.space".into(),
                reason: "name at least one hyperparameter with the values to try (in every alternative)"
                    .into(),
            });
        }
        alternatives
            .iter()
            .map(|a| {
                a.iter().map(|(name, value)| Ok((name.clone(), Dimension::parse(name, value)?))).collect()
            })
            .collect()
    }

    /// The candidates of a grid or random search, each a map of hyperparameter values (TPE proposes its
    /// candidates one at a time, see [`Proposer`]).
    pub fn candidates(&self, seed: u64) -> Result<Vec<Map<String, Value>>> {
        self.fixed_candidates(&self.subspaces()?, seed)
    }

    fn fixed_candidates(
        &self,
        subspaces: &[Vec<(String, Dimension)>],
        seed: u64,
    ) -> Result<Vec<Map<String, Value>>> {
        match self.method {
            SearchMethod::Grid => grid(subspaces),
            // As scikit-learn's ParameterSampler: without replacement when every value is listed.
            SearchMethod::Random => Ok(match shuffled_grid(subspaces, seed) {
                Some(all) => all.into_iter().take(self.trials.max(1)).collect(),
                None => (0..self.trials.max(1)).map(|i| draw(subspaces, seed, i)).collect(),
            }),
            // Proposed from the history as trials finish (see [`Proposer`]), not listed up front.
            SearchMethod::Tpe | SearchMethod::Halving => Err(Error::spec(
                "search.method",
                format!("{} proposes its candidates as trials finish; use a Proposer", self.method.name()),
            )),
        }
    }
}

/// Every combination of each alternative in turn, keys in sorted order and the last key varying fastest
/// (scikit-learn's ParameterGrid).
fn grid(subspaces: &[Vec<(String, Dimension)>]) -> Result<Vec<Map<String, Value>>> {
    let mut all = Vec::new();
    for dimensions in subspaces {
        all.extend(one_grid(dimensions, MAX_GRID.saturating_sub(all.len()))?);
    }
    Ok(all)
}

/// Every combination of one alternative; at most `room` of them.
fn one_grid(dimensions: &[(String, Dimension)], room: usize) -> Result<Vec<Map<String, Value>>> {
    let lists: Vec<(String, Vec<Value>)> =
        dimensions.iter().map(|(name, d)| Ok((name.clone(), d.grid_values(name)?))).collect::<Result<_>>()?;
    let total = lists.iter().try_fold(1usize, |acc, (_, v)| acc.checked_mul(v.len())).unwrap_or(usize::MAX);
    if total > room {
        return Err(Error::Spec {
            path: "search.space".into(),
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

/// Every configuration of a finite space (lists and integer ranges only) in an order shuffled by `seed`;
/// None when a dimension is continuous or the grid is too large.
fn shuffled_grid(subspaces: &[Vec<(String, Dimension)>], seed: u64) -> Option<Vec<Map<String, Value>>> {
    let finite =
        subspaces.iter().flatten().all(|(_, d)| matches!(d, Dimension::Values(_) | Dimension::Int(..)));
    if !finite {
        return None;
    }
    let mut all = grid(subspaces).ok()?;
    rng_from_seed(derive_seed(seed, SHUFFLE_STREAM)).shuffle(&mut all);
    Some(all)
}

/// Random candidate `index`: an alternative (when there are several), then each dimension drawn in key order,
/// from the trial's own seed.
fn draw(subspaces: &[Vec<(String, Dimension)>], seed: u64, index: usize) -> Map<String, Value> {
    let mut rng = rng_from_seed(derive_seed(derive_seed(seed, SEARCH_STREAM), index as u64));
    let chosen = if subspaces.len() > 1 { rng.below(subspaces.len()) } else { 0 };
    let dimensions = subspaces.get(chosen).map_or(&[][..], Vec::as_slice);
    dimensions.iter().map(|(name, d)| (name.clone(), d.sample(&mut rng))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn method(name: &str) -> SearchMethod {
        serde_json::from_value(json!(name)).unwrap_or_else(|e| panic!("{e}"))
    }

    fn spec(name: &str, space: Value) -> SearchSpec {
        SearchSpec {
            method: method(name),
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
    fn alternatives_are_listed_in_turn_and_drawn_at_random() {
        let s = spec(
            "grid",
            json!([{"kind": ["knn"], "n_neighbors": [1, 3]}, {"kind": ["ridge"], "alpha": [0.1]}]),
        );
        let kinds: Vec<String> = s
            .candidates(0)
            .unwrap_or_default()
            .iter()
            .map(|c| format!("{}:{}", c["kind"], c.len()))
            .collect();
        assert_eq!(kinds, ["\"knn\":2", "\"knn\":2", "\"ridge\":2"]);
        // A finite space is sampled without replacement (as scikit-learn), so at most its 3 configurations.
        let finite = SearchSpec { method: SearchMethod::Random, trials: 40, ..s.clone() }
            .candidates(3)
            .unwrap_or_default();
        let mut sorted = finite.clone();
        sorted.sort_by_key(|c| c.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(","));
        let mut grid = s.candidates(0).unwrap_or_default();
        grid.sort_by_key(|c| c.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(","));
        assert_eq!(sorted, grid);
        let random = SearchSpec {
            method: SearchMethod::Random,
            trials: 40,
            ..spec(
                "random",
                json!([{"kind": ["knn"], "n_neighbors": [1, 3]}, {"kind": ["ridge"], "alpha": {"uniform": [0.1, 1]}}]),
            )
        };
        let drawn = random.candidates(3).unwrap_or_default();
        let knn = drawn.iter().filter(|c| c["kind"] == "knn").count();
        assert!((8..=32).contains(&knn), "{knn} of 40 from the first alternative");
        assert!(drawn.iter().all(|c| c.contains_key("n_neighbors") == (c["kind"] == "knn")));
    }

    #[test]
    fn bad_spaces_are_explained() {
        for (method, space) in [
            ("grid", json!({})),
            ("grid", json!([])),
            ("grid", json!([{"C": [1]}, {}])),
            ("grid", json!({"C": {"uniform": [0, 1]}})),
            ("grid", json!({"C": {"int": [5, 1]}})),
            ("random", json!({"C": {"log_uniform": [0, 1]}})),
            ("random", json!({"C": {"gaussian": [0, 1]}})),
            ("grid", json!({"a": (0..200).collect::<Vec<_>>(), "b": (0..200).collect::<Vec<_>>()})),
        ] {
            assert!(spec(method, space.clone()).candidates(0).is_err(), "{method} {space}");
        }
        assert!(
            serde_json::from_value::<SearchSpec>(json!({"method": "bayes", "space": {"C": [1]}})).is_err()
        );
    }
}
