//! Equal-width histograms, shared by the column profiles and the residual diagnostics.

use serde::{Deserialize, Serialize};

/// Equal-width bins: `counts[i]` values fall in `[edges[i], edges[i+1])`, the last bin closed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// Bin edges (one more than the counts). For datetimes, milliseconds since the epoch.
    pub edges: Vec<f64>,
    /// Values per bin.
    pub counts: Vec<usize>,
}

/// Integer columns spanning at most this many values get one bin per value.
const MAX_UNIT_BINS: f64 = 40.0;

/// Sturges' rule (log2(n) + 1 bins, between 5 and 40) over the finite range of sorted values; for integers
/// with a small range, one bin per value centred on it (so 0/1 codes or years read as bars).
pub fn histogram(sorted: &[f64], integer: bool) -> Option<Histogram> {
    let finite_values: Vec<f64> = sorted.iter().copied().filter(|v| v.is_finite()).collect();
    let (&lo, &hi) = (finite_values.first()?, finite_values.last()?);
    let n = finite_values.len();
    let unit_bins = integer && hi - lo < MAX_UNIT_BINS;
    let (lo, hi) = if unit_bins || lo == hi { (lo - 0.5, hi + 0.5) } else { (lo, hi) };
    let bins = if unit_bins {
        (hi - lo).round() as usize
    } else {
        ((n as f64).log2().ceil() as usize + 1).clamp(5, 40)
    }
    .max(1);
    let width = (hi - lo) / bins as f64;
    let edges: Vec<f64> = (0..=bins).map(|i| if i == bins { hi } else { lo + width * i as f64 }).collect();
    let mut counts = vec![0usize; bins];
    for &v in &finite_values {
        let bin = (((v - lo) / width) as usize).min(bins - 1);
        if let Some(slot) = counts.get_mut(bin) {
            *slot += 1;
        }
    }
    Some(Histogram { edges, counts })
}
