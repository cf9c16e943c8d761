//! Checks shared by every model's parameters, so each broken rule gives the same kind of message.

use crate::error::{Error, Result};

fn invalid(name: &str, reason: String) -> Error {
    Error::InvalidParam { name: name.to_string(), reason }
}

/// `value` must be finite and > 0 (or ≥ 0 when `zero_ok`).
pub fn check_positive(name: &str, value: f64, zero_ok: bool) -> Result<()> {
    if !value.is_finite() || value < 0.0 || (!zero_ok && value == 0.0) {
        let rule = if zero_ok { "0 or more" } else { "more than 0" };
        return Err(invalid(name, format!("must be a number {rule}, got {value}")));
    }
    Ok(())
}

/// `value` must lie in `lo..=hi`.
pub fn check_range(name: &str, value: f64, lo: f64, hi: f64) -> Result<()> {
    if !(lo..=hi).contains(&value) {
        return Err(invalid(name, format!("must be between {lo} and {hi}, got {value}")));
    }
    Ok(())
}

/// `value` must be at least `min`.
pub fn check_at_least(name: &str, value: usize, min: usize) -> Result<()> {
    if value < min {
        return Err(invalid(name, format!("must be at least {min}, got {value}")));
    }
    Ok(())
}

/// `value` must be one of `allowed`.
pub fn check_one_of(name: &str, value: &str, allowed: &[&str]) -> Result<()> {
    if !allowed.contains(&value) {
        return Err(invalid(name, format!("must be one of {}, got `{value}`", allowed.join(", "))));
    }
    Ok(())
}
