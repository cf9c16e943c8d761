//! Elementary functions computed with basic IEEE operations only, so that they give the same bits natively
//! and in WebAssembly (std's `exp` calls the platform's libm natively and a Rust port of musl's in wasm, and
//! the two differ in the last bit now and then — enough to change the path of an iterative solver).

/// e^x to within about one ulp, bit-identical on every platform.
pub fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x > 709.78 {
        return f64::INFINITY;
    }
    if x < -745.2 {
        return 0.0;
    }
    // fdlibm's split of ln 2: the high part has trailing zero bits, so k · LN2_HI is exact.
    let ln2_hi = f64::from_bits(0x3fe6_2e42_fee0_0000);
    let ln2_lo = f64::from_bits(0x3dea_39ef_3579_3c76);
    let k = (x * std::f64::consts::LOG2_E).round();
    // r lies in [−ln2/2, ln2/2]; Cody–Waite reduction keeps it exact enough.
    let r = (x - k * ln2_hi) - k * ln2_lo;
    // Taylor series to r^13/13!: the remainder is below 1e-17 relative for |r| ≤ 0.35.
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=13 {
        term = term * r / f64::from(n);
        sum += term;
    }
    scale_by_power_of_two(sum, k as i32)
}

/// `v · 2^k`, exact while the result is a normal number.
fn scale_by_power_of_two(v: f64, k: i32) -> f64 {
    // Two steps so that k outside the exponent range of one factor (down to subnormal results) works.
    let half = k / 2;
    v * power_of_two(half) * power_of_two(k - half)
}

fn power_of_two(k: i32) -> f64 {
    f64::from_bits(((k + 1023).clamp(1, 2046) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_std_to_an_ulp_or_two() {
        // Normal results only: subnormal ones carry fewer bits by nature.
        for i in -6700..6800 {
            let x = f64::from(i) * 0.1037;
            let (a, b) = (exp(x), x.exp());
            assert!((a - b).abs() <= 4.0 * f64::EPSILON * b, "exp({x}) = {a}, std says {b}");
        }
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-800.0), 0.0);
        assert_eq!(exp(800.0), f64::INFINITY);
    }
}
