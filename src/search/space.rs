//! One hyperparameter's search dimension: a list of values, or a distribution for random search.

use serde_json::Value;

use crate::error::{Error, Result};
use crate::rng::Rng;

/// Where a hyperparameter's values come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Dimension {
    /// One of these values (equally likely in random search).
    Values(Vec<Value>),
    /// A number uniform in [low, high].
    Uniform(f64, f64),
    /// A number whose logarithm is uniform in [ln low, ln high] (low > 0).
    LogUniform(f64, f64),
    /// A whole number in low..=high.
    Int(i64, i64),
}

fn invalid(name: &str, reason: String) -> Error {
    Error::Spec { path: format!("search.space.{name}"), reason }
}

fn bounds(name: &str, value: &Value) -> Result<(f64, f64)> {
    match value.as_array().map(|a| a.as_slice()) {
        Some([low, high]) => match (low.as_f64(), high.as_f64()) {
            (Some(a), Some(b)) if a.is_finite() && b.is_finite() && a <= b => Ok((a, b)),
            _ => Err(invalid(name, format!("needs [low, high] with low ≤ high, got {value}"))),
        },
        _ => Err(invalid(name, format!("needs [low, high], got {value}"))),
    }
}

impl Dimension {
    /// Reads a dimension: a JSON list, or `{"uniform" | "log_uniform" | "int": [low, high]}` or
    /// `{"choice": [...]}`.
    pub fn parse(name: &str, value: &Value) -> Result<Dimension> {
        if let Some(values) = value.as_array() {
            if values.is_empty() {
                return Err(invalid(name, "lists at least one value".into()));
            }
            return Ok(Dimension::Values(values.clone()));
        }
        let Some((kind, arguments)) =
            value.as_object().and_then(|o| o.iter().next().filter(|_| o.len() == 1))
        else {
            return Err(invalid(name, format!("is a list of values or one distribution, got {value}")));
        };
        match kind.as_str() {
            "choice" => Dimension::parse(name, arguments),
            "uniform" => bounds(name, arguments).map(|(a, b)| Dimension::Uniform(a, b)),
            "log_uniform" => match bounds(name, arguments)? {
                (a, b) if a > 0.0 => Ok(Dimension::LogUniform(a, b)),
                _ => Err(invalid(name, "log_uniform needs low > 0".into())),
            },
            "int" => match bounds(name, arguments)? {
                (a, b) if a.fract() == 0.0 && b.fract() == 0.0 => Ok(Dimension::Int(a as i64, b as i64)),
                _ => Err(invalid(name, "int needs whole-number bounds".into())),
            },
            other => Err(invalid(
                name,
                format!("`{other}` is not a distribution; use uniform, log_uniform, int or choice"),
            )),
        }
    }

    /// The values a grid tries: the list, or every whole number of an `int` range.
    pub fn grid_values(&self, name: &str) -> Result<Vec<Value>> {
        match self {
            Dimension::Values(v) => Ok(v.clone()),
            Dimension::Int(a, b) if b - a <= super::MAX_GRID as i64 => {
                Ok((*a..=*b).map(Value::from).collect())
            }
            _ => Err(invalid(
                name,
                "a grid needs a list of values (distributions are for random search)".into(),
            )),
        }
    }

    /// Whether `value` is one this dimension could give.
    pub fn holds(&self, value: &Value) -> bool {
        match self {
            Dimension::Values(v) => v.contains(value),
            Dimension::Uniform(a, b) | Dimension::LogUniform(a, b) => {
                value.as_f64().is_some_and(|x| (*a..=*b).contains(&x))
            }
            Dimension::Int(a, b) => value.as_i64().is_some_and(|x| (*a..=*b).contains(&x)),
        }
    }

    /// One random value.
    pub fn sample(&self, rng: &mut Rng) -> Value {
        match self {
            Dimension::Values(v) => v.get(rng.below(v.len())).cloned().unwrap_or(Value::Null),
            Dimension::Uniform(a, b) => Value::from(a + rng.uniform() * (b - a)),
            Dimension::LogUniform(a, b) => Value::from((a.ln() + rng.uniform() * (b.ln() - a.ln())).exp()),
            Dimension::Int(a, b) => {
                let span = (b - a) as usize + 1;
                Value::from(a + rng.below(span) as i64)
            }
        }
    }
}
