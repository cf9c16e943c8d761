//! The only source of randomness: a small seeded generator (xoshiro256**, seeded through SplitMix64). All
//! randomness flows from the Spec's seed, so results are the same natively and in the browser, every run.

/// A seeded pseudo-random generator (not for cryptography).
#[derive(Debug, Clone)]
pub struct Rng {
    state: [u64; 4],
}

/// A generator whose whole sequence is determined by `seed`.
pub fn rng_from_seed(seed: u64) -> Rng {
    let mut x = seed;
    let mut next = || {
        // SplitMix64 spreads any seed (even 0) over the full state.
        x = x.wrapping_add(GOLDEN_GAMMA);
        splitmix64_mix(x)
    };
    Rng { state: [next(), next(), next(), next()] }
}

/// SplitMix64's increment (2^64 / φ).
const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's finaliser: a bijection of 64 bits that spreads every input bit over the output.
fn splitmix64_mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A seed derived from a parent seed and an index (fold `k`, tree `t`, trial `i`…), so that parts of a
/// run are independent yet reproducible whatever order they run in.
pub fn derive_seed(seed: u64, index: u64) -> u64 {
    splitmix64_mix(seed ^ index.wrapping_add(1).wrapping_mul(GOLDEN_GAMMA))
}

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let [s0, s1, s2, s3] = &mut self.state;
        let result = s1.wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = *s1 << 17;
        *s2 ^= *s0;
        *s3 ^= *s1;
        *s1 ^= *s2;
        *s0 ^= *s3;
        *s2 ^= t;
        *s3 = s3.rotate_left(45);
        result
    }

    /// A uniform float in [0, 1) with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A uniform integer in 0..n (0 when n is 0), without modulo bias.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        let n = n as u64;
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < zone {
                return (x % n) as usize;
            }
        }
    }

    /// Shuffles `items` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence_and_sound_ranges() {
        let (mut a, mut b, mut c) = (rng_from_seed(7), rng_from_seed(7), rng_from_seed(8));
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        assert_eq!(xs, (0..5).map(|_| b.next_u64()).collect::<Vec<_>>());
        assert_ne!(xs, (0..5).map(|_| c.next_u64()).collect::<Vec<_>>());
        let mut r = rng_from_seed(1);
        let mut counts = [0usize; 3];
        for _ in 0..30_000 {
            counts[r.below(3)] += 1;
            let u = r.uniform();
            assert!((0.0..1.0).contains(&u));
        }
        assert!(counts.iter().all(|&n| (9_000..11_000).contains(&n)), "{counts:?}");
    }
}
