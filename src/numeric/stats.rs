//! Numeric building blocks computed the way numpy and pandas compute them, so that profiles and models agree
//! with them to rounding error: pairwise summation, two-pass variance, pandas' skewness and Welford
//! correlation, numpy's linear-interpolation quantiles, argmax and a vectorisable dot product.

/// Mean and population variance (divided by n, as numpy's `var`); (NaN, NaN) for no values.
pub fn mean_and_variance(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    (mean, values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n)
}

/// Coefficient of determination: 1 − SS_res / SS_tot (1.0 for a perfect fit of constant data, 0.0 for an
/// imperfect one, as scikit-learn).
pub fn r2(truth: &[f64], pred: &[f64]) -> f64 {
    let n = truth.len().max(1) as f64;
    let mean = truth.iter().sum::<f64>() / n;
    let ss_tot: f64 = truth.iter().map(|t| (t - mean) * (t - mean)).sum();
    let ss_res: f64 = truth.iter().zip(pred).map(|(t, p)| (t - p) * (t - p)).sum();
    if ss_tot == 0.0 {
        return if ss_res == 0.0 { 1.0 } else { 0.0 };
    }
    1.0 - ss_res / ss_tot
}

/// Index of the largest value (the first on ties; 0 for an empty slice).
pub fn argmax(values: &[f64]) -> usize {
    let mut best = 0;
    for (i, &v) in values.iter().enumerate() {
        if v > values.get(best).copied().unwrap_or(f64::NEG_INFINITY) {
            best = i;
        }
    }
    best
}

/// Dot product of two slices (of their common length).
#[inline]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    // Four accumulators let the compiler vectorise without reordering a single chain.
    let mut acc = [0.0f64; 4];
    let chunks = a.len() / 4 * 4;
    for (ca, cb) in a[..chunks].chunks_exact(4).zip(b[..chunks.min(b.len())].chunks_exact(4)) {
        for k in 0..4 {
            acc[k] += ca[k] * cb[k];
        }
    }
    let mut tail = 0.0;
    for (x, y) in a[chunks..].iter().zip(b.get(chunks..).unwrap_or(&[])) {
        tail += x * y;
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// numpy's pairwise sum: blocks of up to 128 values summed with 8 accumulators, larger ranges split in two.
/// Its rounding error grows like O(log n) instead of O(n).
pub fn pairwise_sum(values: &[f64]) -> f64 {
    pairwise_sum_map(values, |v| v)
}

/// [`pairwise_sum`] of `f` applied to each value, without materialising the mapped array (numpy would sum
/// the mapped array in exactly this order).
pub fn pairwise_sum_map(values: &[f64], f: impl Fn(f64) -> f64 + Copy) -> f64 {
    const BLOCK: usize = 128;
    let n = values.len();
    if n < 8 {
        return values.iter().fold(0.0, |acc, &v| acc + f(v));
    }
    if n <= BLOCK {
        let mut r = [0.0f64; 8];
        let whole = n - n % 8;
        let (blocks, rest) = values.split_at(whole);
        let mut chunks = blocks.chunks_exact(8);
        if let Some(first) = chunks.next() {
            for (acc, &v) in r.iter_mut().zip(first) {
                *acc = f(v);
            }
        }
        for chunk in chunks {
            for (acc, &v) in r.iter_mut().zip(chunk) {
                *acc += f(v);
            }
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &v in rest {
            res += f(v);
        }
        return res;
    }
    let mut half = n / 2;
    half -= half % 8;
    let (left, right) = values.split_at(half);
    pairwise_sum_map(left, f) + pairwise_sum_map(right, f)
}

/// Mean, sample standard deviation (ddof = 1) and skewness of the values whose `missing` flag is false,
/// following pandas' `nanops` (missing values count as zeros inside the sums, and are excluded from `count`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    /// Number of non-missing values.
    pub count: usize,
    /// Arithmetic mean (NaN when count is 0).
    pub mean: f64,
    /// Sample standard deviation (NaN when count < 2).
    pub std: f64,
    /// Adjusted Fisher–Pearson skewness as pandas' `skew()` (NaN when count < 3 or the data are constant).
    pub skewness: f64,
}

/// Computes [`Moments`] as pandas does for a float column with missing values. `values` must be NaN exactly
/// where `missing` is true (the [`crate::data::Table`] invariant); missing values then enter every sum as 0.
pub fn moments(values: &[f64], missing: &[bool]) -> Moments {
    let count = missing.iter().filter(|&&m| !m).count();
    let n = count as f64;
    let present = |v: f64| if v.is_nan() { 0.0 } else { v };
    let mean = if count == 0 { f64::NAN } else { pairwise_sum_map(values, present) / n };
    let deviation = move |v: f64| if v.is_nan() { 0.0 } else { v - mean };
    let m2 = pairwise_sum_map(values, |v| deviation(v) * deviation(v));
    let std = if count < 2 { f64::NAN } else { (m2 / (n - 1.0)).sqrt() };
    let m3 = pairwise_sum_map(values, |v| {
        let d = deviation(v);
        (d * d) * d
    });
    let skewness = skew_from_sums(n, zero_out_rounding(m2), zero_out_rounding(m3));
    Moments { count, mean, std, skewness }
}

/// pandas sets sums of powers smaller than 1e-14 to zero before dividing.
fn zero_out_rounding(x: f64) -> f64 {
    if x.abs() < 1e-14 {
        0.0
    } else {
        x
    }
}

fn skew_from_sums(n: f64, m2: f64, m3: f64) -> f64 {
    if n < 3.0 {
        return f64::NAN;
    }
    if m2 == 0.0 {
        // pandas 3 (our reference) gives NaN for constant data; pandas 2 gave 0.
        return f64::NAN;
    }
    (n * (n - 1.0).sqrt() / (n - 2.0)) * (m3 / m2.powf(1.5))
}

/// The `q` quantile (0..=1) of ascending `sorted` values with numpy's "linear" method, including numpy's
/// way of interpolating from the nearer end. `None` for no values.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let position = q * last as f64;
    let below = (position.floor() as usize).min(last);
    let above = (below + 1).min(last);
    let t = position - below as f64;
    let a = *sorted.get(below)?;
    let b = *sorted.get(above)?;
    let diff = b - a;
    Some(if t >= 0.5 { b - diff * (1.0 - t) } else { a + diff * t })
}

/// Pearson correlation of the rows where both columns have values, with pandas' Welford recurrence.
/// `None` when fewer than two rows pair up or either column is constant over them.
pub fn pearson(x: &[f64], x_missing: &[bool], y: &[f64], y_missing: &[bool]) -> Option<f64> {
    let (mut nobs, mut mean_x, mut mean_y) = (0.0f64, 0.0f64, 0.0f64);
    let (mut ssq_x, mut ssq_y, mut cov) = (0.0f64, 0.0f64, 0.0f64);
    for (((&vx, &mx), &vy), &my) in x.iter().zip(x_missing).zip(y).zip(y_missing) {
        if mx || my {
            continue;
        }
        nobs += 1.0;
        let dx = vx - mean_x;
        let dy = vy - mean_y;
        let step = 1.0 / nobs; // as pandas: `meanx += 1. / nobs * dx`
        mean_x += step * dx;
        mean_y += step * dy;
        ssq_x += (vx - mean_x) * dx;
        ssq_y += (vy - mean_y) * dy;
        cov += (vx - mean_x) * dy;
    }
    if nobs < 1.0 {
        return None;
    }
    let divisor = (ssq_x * ssq_y).sqrt();
    if divisor == 0.0 || !divisor.is_finite() {
        return None;
    }
    Some(cov / divisor)
}

/// Sorts floats ascending in IEEE total order (as `f64::total_cmp`): an LSD radix sort on the bit patterns
/// for large inputs, several times faster than a comparison sort on a million values.
pub fn sort_floats(values: &mut [f64]) {
    const RADIX_MIN: usize = 1 << 12;
    if values.len() < RADIX_MIN {
        values.sort_unstable_by(f64::total_cmp);
        return;
    }
    // Flipping the sign bit of positives and every bit of negatives makes the u64 order the float order.
    let key = |v: f64| {
        let bits = v.to_bits();
        if bits >> 63 == 1 {
            !bits
        } else {
            bits | (1 << 63)
        }
    };
    let unkey = |k: u64| f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k });
    let mut keys: Vec<u64> = values.iter().map(|&v| key(v)).collect();
    let mut scratch = vec![0u64; keys.len()];
    // 11-bit digits: 2048 buckets stay in cache while scattering, which beats fewer, wider passes.
    const BITS: u32 = 11;
    const BUCKETS: usize = 1 << BITS;
    const PASSES: usize = 64usize.div_ceil(BITS as usize);
    let mut counts = vec![[0usize; BUCKETS]; PASSES];
    for &k in &keys {
        for (pass, histogram) in counts.iter_mut().enumerate() {
            let digit = ((k >> (pass as u32 * BITS)) as usize) & (BUCKETS - 1);
            if let Some(c) = histogram.get_mut(digit) {
                *c += 1;
            }
        }
    }
    for (pass, histogram) in counts.iter_mut().enumerate() {
        // Skip passes where every key has the same digit (common for the high bits).
        if histogram.contains(&keys.len()) {
            continue;
        }
        let mut offset = 0;
        for c in histogram.iter_mut() {
            let n = *c;
            *c = offset;
            offset += n;
        }
        let shift = pass as u32 * BITS;
        for &k in &keys {
            if let Some(c) = histogram.get_mut(((k >> shift) as usize) & (BUCKETS - 1)) {
                if let Some(slot) = scratch.get_mut(*c) {
                    *slot = k;
                }
                *c += 1;
            }
        }
        std::mem::swap(&mut keys, &mut scratch);
    }
    for (v, &k) in values.iter_mut().zip(&keys) {
        *v = unkey(k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_sum_matches_exact_sums() {
        let values: Vec<f64> = (1..=1000).map(f64::from).collect();
        assert_eq!(pairwise_sum(&values), 500_500.0);
        assert_eq!(pairwise_sum(&[]), 0.0);
        assert_eq!(pairwise_sum(&[1.5, 2.5]), 4.0);
    }

    #[test]
    fn moments_by_hand() {
        // 1, 2, 3, 10: mean 4, deviations -3 -2 -1 6, m2 = 50, m3 = -27 - 8 - 1 + 216 = 180
        let m = moments(&[1.0, 2.0, f64::NAN, 3.0, 10.0], &[false, false, true, false, false]);
        assert_eq!(m.count, 4);
        assert_eq!(m.mean, 4.0);
        assert!((m.std - (50.0f64 / 3.0).sqrt()).abs() < 1e-15);
        let expected = 4.0 * 3.0f64.sqrt() / 2.0 * (180.0 / 50.0f64.powf(1.5));
        assert!((m.skewness - expected).abs() < 1e-14);
        assert!(moments(&[5.0, 5.0, 5.0], &[false; 3]).skewness.is_nan());
        assert!(moments(&[1.0, 2.0], &[false; 2]).skewness.is_nan());
    }

    #[test]
    fn radix_sort_matches_total_order() {
        let mut state = 7u64;
        let mut values: Vec<f64> = (0..10_000)
            .map(|i| {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                let x = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
                match i % 5 {
                    0 => x * 1e-300,
                    1 => -0.0,
                    2 => f64::from(i as u16),
                    _ => x * 1e6,
                }
            })
            .collect();
        let mut expected = values.clone();
        expected.sort_unstable_by(f64::total_cmp);
        sort_floats(&mut values);
        assert!(values.iter().zip(&expected).all(|(a, b)| a.to_bits() == b.to_bits()));
    }

    #[test]
    fn quantiles_interpolate_linearly() {
        let sorted = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile_sorted(&sorted, 0.25), Some(1.75));
        assert_eq!(quantile_sorted(&sorted, 0.5), Some(2.5));
        assert_eq!(quantile_sorted(&sorted, 1.0), Some(4.0));
        assert_eq!(quantile_sorted(&[7.0], 0.75), Some(7.0));
        assert_eq!(quantile_sorted(&[], 0.5), None);
    }

    #[test]
    fn pearson_pairs_complete_rows() {
        let r = pearson(
            &[1.0, 2.0, 3.0, 99.0],
            &[false, false, false, false],
            &[2.0, 4.0, 6.0, 0.0],
            &[false, false, false, true],
        );
        assert!((r.unwrap() - 1.0).abs() < 1e-15);
        assert_eq!(pearson(&[1.0, 1.0], &[false; 2], &[1.0, 2.0], &[false; 2]), None);
    }
}
