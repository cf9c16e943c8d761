//! Evenly spaced samples of rows or points (charts keep at most a few thousand; quadratic diagnostics a
//! thousand).

/// At most `max` indices spread evenly over `0..n`, always including the first and the last.
pub fn evenly_spaced(n: usize, max: usize) -> Vec<usize> {
    if n <= max || max < 2 {
        return (0..n.min(max)).collect();
    }
    let mut picked: Vec<usize> =
        (0..max).map(|i| ((i as f64) * (n - 1) as f64 / (max - 1) as f64).round() as usize).collect();
    picked.dedup();
    picked
}

/// The values of `values` at `indices` (indices out of range are skipped).
pub fn pick<T: Clone>(values: &[T], indices: &[usize]) -> Vec<T> {
    indices.iter().filter_map(|&i| values.get(i).cloned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evenly_spaced_keeps_both_ends_and_the_limit() {
        assert_eq!(evenly_spaced(5, 10), vec![0, 1, 2, 3, 4]);
        assert_eq!(evenly_spaced(101, 3), vec![0, 50, 100]);
        let picked = evenly_spaced(10_000, 500);
        assert_eq!(picked.len(), 500);
        assert_eq!(picked.last(), Some(&9_999));
        assert!(picked.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(pick(&[10, 20, 30], &[2, 7, 0]), vec![30, 10]);
    }
}
