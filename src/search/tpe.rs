//! Bayesian optimisation with a tree-structured Parzen estimator (Bergstra et al. 2011, as Optuna's
//! defaults): after [`STARTUP_TRIALS`] random draws, the scored trials are split into the best fifth ("good")
//! and the rest; each hyperparameter gets a density of good values l(x) and of the rest g(x) (smoothed
//! counts for lists, Gaussian kernels in the parameter's own scale for ranges), and the next candidate is
//! the one of [`CANDIDATES`] draws from l with the largest l(x) / g(x). Every draw comes from the Spec's seed
//! and the trial index, so the same history always gives the same candidate.

use serde_json::{Map, Value};

use super::space::Dimension;
use crate::rng::derive_seed;
use crate::rng::{rng_from_seed, Rng};

/// Trials drawn at random before the estimator takes over.
pub const STARTUP_TRIALS: usize = 10;
/// Draws from l(x) compared per trial.
pub const CANDIDATES: usize = 24;
/// The random stream (of the Spec's seed) of the estimator's draws.
const TPE_STREAM: u64 = 0x7be5_0001;

/// A density over one hyperparameter, from some observed values.
enum Density {
    /// Probability of each listed value.
    Discrete(Vec<f64>),
    /// Equal-weight Gaussian kernels (centre, width) in the parameter's scale (logarithm for log_uniform),
    /// truncated to [low, high].
    Kernels { kernels: Vec<(f64, f64)>, low: f64, high: f64 },
}

fn normal_cdf(x: f64) -> f64 {
    0.5 * (1.0 + libm::erf(x / std::f64::consts::SQRT_2))
}

fn standard_normal(rng: &mut Rng) -> f64 {
    // Box–Muller; 1 − u keeps the logarithm finite.
    let (u, v) = (1.0 - rng.uniform(), rng.uniform());
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

/// The scale a range is modelled in, and its bounds there.
fn scale(dimension: &Dimension) -> Option<(f64, f64, bool)> {
    match *dimension {
        Dimension::Uniform(a, b) => Some((a, b, false)),
        Dimension::LogUniform(a, b) => Some((a.ln(), b.ln(), true)),
        Dimension::Int(a, b) => Some((a as f64 - 0.5, b as f64 + 0.5, false)),
        Dimension::Values(_) => None,
    }
}

fn to_scale(value: &Value, log: bool) -> Option<f64> {
    let v = value.as_f64()?;
    Some(if log { v.ln() } else { v })
}

impl Density {
    fn fit(dimension: &Dimension, observed: &[&Value]) -> Density {
        match dimension {
            Dimension::Values(values) => {
                // One pseudo-observation spread over the values, so an unseen value keeps some chance.
                let prior = 1.0 / values.len().max(1) as f64;
                let total = observed.len() as f64 + 1.0;
                Density::Discrete(
                    values
                        .iter()
                        .map(|v| (observed.iter().filter(|o| **o == v).count() as f64 + prior) / total)
                        .collect(),
                )
            }
            _ => {
                let Some((low, high, log)) = scale(dimension) else { return Density::Discrete(Vec::new()) };
                let span = (high - low).max(f64::MIN_POSITIVE);
                let mut points: Vec<f64> = observed.iter().filter_map(|v| to_scale(v, log)).collect();
                points.sort_by(f64::total_cmp);
                // Each kernel as wide as the larger gap to its neighbours (the range's ends count), clipped.
                let min_width = span / (points.len() as f64 + 1.0).min(100.0);
                let mut kernels: Vec<(f64, f64)> = points
                    .iter()
                    .enumerate()
                    .map(|(i, &p)| {
                        let left = if i == 0 { low } else { points.get(i - 1).copied().unwrap_or(low) };
                        let right = points.get(i + 1).copied().unwrap_or(high);
                        (p, (p - left).max(right - p).clamp(min_width, span))
                    })
                    .collect();
                // A broad prior kernel over the whole range.
                kernels.push(((low + high) / 2.0, span));
                Density::Kernels { kernels, low, high }
            }
        }
    }

    /// Log density of `value`.
    fn log_density(&self, dimension: &Dimension, value: &Value) -> f64 {
        match (self, dimension) {
            (Density::Discrete(p), Dimension::Values(values)) => {
                let i = values.iter().position(|v| v == value);
                i.and_then(|i| p.get(i)).map_or(f64::NEG_INFINITY, |p| p.ln())
            }
            (Density::Kernels { kernels, low, high }, _) => {
                let log = matches!(dimension, Dimension::LogUniform(..));
                let Some(x) = to_scale(value, log) else { return f64::NEG_INFINITY };
                let sum: f64 = kernels
                    .iter()
                    .map(|&(mu, sigma)| {
                        let mass =
                            (normal_cdf((high - mu) / sigma) - normal_cdf((low - mu) / sigma)).max(1e-12);
                        let z = (x - mu) / sigma;
                        (-0.5 * z * z).exp() / (sigma * (2.0 * std::f64::consts::PI).sqrt() * mass)
                    })
                    .sum();
                (sum / kernels.len().max(1) as f64).max(f64::MIN_POSITIVE).ln()
            }
            _ => f64::NEG_INFINITY,
        }
    }

    fn sample(&self, dimension: &Dimension, rng: &mut Rng) -> Value {
        match (self, dimension) {
            (Density::Discrete(p), Dimension::Values(values)) => {
                let mut u = rng.uniform() * p.iter().sum::<f64>();
                for (v, &pi) in values.iter().zip(p) {
                    if u < pi {
                        return v.clone();
                    }
                    u -= pi;
                }
                values.last().cloned().unwrap_or(Value::Null)
            }
            (Density::Kernels { kernels, low, high }, _) => {
                let (mu, sigma) =
                    kernels.get(rng.below(kernels.len())).copied().unwrap_or(((low + high) / 2.0, 1.0));
                let mut x = mu + sigma * standard_normal(rng);
                for _ in 0..20 {
                    if (*low..=*high).contains(&x) {
                        break;
                    }
                    x = mu + sigma * standard_normal(rng);
                }
                let x = x.clamp(*low, *high);
                match *dimension {
                    Dimension::LogUniform(..) => Value::from(x.exp()),
                    Dimension::Int(a, b) => Value::from((x.round() as i64).clamp(a, b)),
                    _ => Value::from(x),
                }
            }
            _ => Value::Null,
        }
    }
}

/// The values of hyperparameter `name` in some trials.
fn column<'a>(trials: &[(&'a Map<String, Value>, f64)], name: &str) -> Vec<&'a Value> {
    trials.iter().filter_map(|(p, _)| p.get(name)).collect()
}

/// Which alternative of `subspaces` candidate `params` comes from: the first with the same names whose
/// dimensions all hold its values.
fn alternative_of(subspaces: &[Vec<(String, Dimension)>], params: &Map<String, Value>) -> Option<usize> {
    subspaces.iter().position(|dimensions| {
        dimensions.len() == params.len()
            && dimensions.iter().all(|(name, d)| params.get(name).is_some_and(|v| d.holds(v)))
    })
}

/// The trials of alternative `a` (all of them when the space has one).
fn in_alternative<'a>(
    subspaces: &[Vec<(String, Dimension)>],
    trials: &[(&'a Map<String, Value>, f64)],
    a: usize,
) -> Vec<(&'a Map<String, Value>, f64)> {
    trials
        .iter()
        .filter(|(p, _)| subspaces.len() == 1 || alternative_of(subspaces, p) == Some(a))
        .copied()
        .collect()
}

/// The next candidate after `history` (each tried candidate with its loss — lower is better, None when it
/// could not be scored): a random draw `random(index)` for the first [`STARTUP_TRIALS`], then the
/// estimator's choice, never one of `tried` (in a finite space a repeat would waste a trial; when every draw
/// was tried, `random(index)` gives an untried one). With several alternatives (a list of spaces), the alternative is one more discrete
/// choice with its own l/g, and each alternative's hyperparameters are modelled from its own trials.
pub fn suggest(
    subspaces: &[Vec<(String, Dimension)>],
    history: &[(Map<String, Value>, Option<f64>)],
    seed: u64,
    index: usize,
    tried: &[Map<String, Value>],
    random: impl Fn(usize) -> Map<String, Value>,
) -> Map<String, Value> {
    let mut scored: Vec<(&Map<String, Value>, f64)> =
        history.iter().filter_map(|(p, loss)| Some((p, (*loss).filter(|l| l.is_finite())?))).collect();
    if scored.len() < STARTUP_TRIALS {
        return random(index);
    }
    // Stable: equal losses keep the order they were tried in.
    scored.sort_by(|a, b| a.1.total_cmp(&b.1));
    let n_good = ((scored.len() as f64 * 0.2).ceil() as usize).clamp(1, 25);
    let (good, bad) = scored.split_at(n_good.min(scored.len()));
    let densities: Vec<Vec<(Density, Density)>> = subspaces
        .iter()
        .enumerate()
        .map(|(a, dimensions)| {
            let (good, bad) = (in_alternative(subspaces, good, a), in_alternative(subspaces, bad, a));
            dimensions
                .iter()
                .map(|(name, d)| {
                    (Density::fit(d, &column(&good, name)), Density::fit(d, &column(&bad, name)))
                })
                .collect()
        })
        .collect();
    let choice = Dimension::Values((0..subspaces.len()).map(Value::from).collect());
    let chosen_in = |trials: &[(&Map<String, Value>, f64)]| -> Vec<Value> {
        trials.iter().filter_map(|(p, _)| alternative_of(subspaces, p)).map(Value::from).collect()
    };
    let (good_choices, bad_choices) = (chosen_in(good), chosen_in(bad));
    let l_choice = Density::fit(&choice, &good_choices.iter().collect::<Vec<_>>());
    let g_choice = Density::fit(&choice, &bad_choices.iter().collect::<Vec<_>>());
    let mut rng = rng_from_seed(derive_seed(derive_seed(seed, TPE_STREAM), index as u64));
    let mut best: Option<(f64, Map<String, Value>)> = None;
    for _ in 0..CANDIDATES {
        let mut candidate = Map::new();
        let mut score = 0.0;
        // One alternative: nothing to choose (and the draws stay those of a plain space).
        let alternative = if subspaces.len() > 1 {
            let v = l_choice.sample(&choice, &mut rng);
            score += l_choice.log_density(&choice, &v) - g_choice.log_density(&choice, &v);
            v.as_u64().unwrap_or(0) as usize
        } else {
            0
        };
        let (Some(dimensions), Some(pairs)) = (subspaces.get(alternative), densities.get(alternative)) else {
            continue;
        };
        for ((name, d), (l, g)) in dimensions.iter().zip(pairs) {
            let v = l.sample(d, &mut rng);
            score += l.log_density(d, &v) - g.log_density(d, &v);
            candidate.insert(name.clone(), v);
        }
        if best.as_ref().is_none_or(|(s, _)| score > *s) && !tried.contains(&candidate) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c).unwrap_or_else(|| random(index))
}
