//! `np.random`: where the book's random draws come from.
//!
//! The book never seeds numpy, so its numbers change on every run. Ours come from one seeded
//! generator, drawn in the book's order, so every run prints the same. Two generators:
//!
//! - [`Seed::Pcg64`], the default: a small, fast, well-tested generator (rand's `Pcg64`).
//! - [`Seed::Numpy`]: numpy's legacy global generator after `np.random.seed(N)`, MT19937 with
//!   numpy's polar-method normals, so that the page's Python seeded with the same `N` prints
//!   the same digits as we do.

use ndarray::{Array, ShapeBuilder};
use ndarray_rand::rand::SeedableRng;
use ndarray_rand::rand_distr::StandardNormal;
use ndarray_rand::RandomExt;
use rand_mt::Mt;
use rand_pcg::Pcg64;

/// The seed used when the command line gives none.
pub const DEFAULT_SEED: u64 = 0;

/// Which generator, and its seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seed {
    /// `Pcg64::seed_from_u64(seed)`
    Pcg64(u64),
    /// `np.random.seed(seed)`: numpy accepts 0 to 2**32 - 1
    Numpy(u32),
}

impl Default for Seed {
    fn default() -> Self {
        Seed::Pcg64(DEFAULT_SEED)
    }
}

/// The random state the chapters draw from, as the book draws from numpy's global one.
pub struct RandomState {
    seed: Seed,
    source: Source,
}

enum Source {
    Pcg64(Pcg64),
    // 2.5 KB of MT19937 state, boxed so the enum stays small
    Numpy(Box<LegacyGauss>),
}

impl RandomState {
    pub fn new(seed: Seed) -> Self {
        let source = match seed {
            Seed::Pcg64(seed) => Source::Pcg64(Pcg64::seed_from_u64(seed)),
            Seed::Numpy(seed) => Source::Numpy(Box::new(LegacyGauss::seed(seed))),
        };
        RandomState { seed, source }
    }

    /// Which generator and seed, for the header a chapter prints.
    pub fn description(&self) -> String {
        match self.seed {
            Seed::Pcg64(seed) => format!("Pcg64, seed {seed}"),
            Seed::Numpy(seed) => format!("numpy's MT19937, np.random.seed({seed})"),
        }
    }

    /// `np.random.randn(d0, d1, …)`: standard normal draws filling `shape` in row-major order,
    /// as numpy fills it.
    pub fn randn<Sh: ShapeBuilder>(&mut self, shape: Sh) -> Array<f64, Sh::Dim> {
        match &mut self.source {
            Source::Pcg64(rng) => Array::random_using(shape, StandardNormal, rng),
            Source::Numpy(legacy) => Array::from_shape_simple_fn(shape, || legacy.gauss()),
        }
    }
}

impl Default for RandomState {
    fn default() -> Self {
        RandomState::new(Seed::default())
    }
}

/// numpy's legacy `RandomState`: MT19937 (from `rand_mt`, seeded by `init_genrand` as
/// `np.random.seed` seeds it from an integer) and `legacy_gauss`, which makes normals two at a
/// time by the polar method and keeps the second for the next call.
struct LegacyGauss {
    mt: Mt,
    /// `has_gauss` / `gauss`
    kept: Option<f64>,
}

impl LegacyGauss {
    fn seed(seed: u32) -> Self {
        LegacyGauss {
            mt: Mt::new(seed),
            kept: None,
        }
    }

    /// `legacy_double`: 53 random bits from two 32-bit outputs (27 + 26 bits).
    fn double(&mut self) -> f64 {
        let a = self.mt.next_u32() >> 5;
        let b = self.mt.next_u32() >> 6;
        (a as f64 * 67108864.0 + b as f64) / 9007199254740992.0
    }

    /// `legacy_gauss`
    fn gauss(&mut self) -> f64 {
        if let Some(kept) = self.kept.take() {
            return kept;
        }
        let (x1, x2, r2) = loop {
            let x1 = 2.0 * self.double() - 1.0;
            let x2 = 2.0 * self.double() - 1.0;
            let r2 = x1 * x1 + x2 * x2;
            if r2 < 1.0 && r2 != 0.0 {
                break (x1, x2, r2);
            }
        };
        // Polar method, a more efficient version of the Box-Muller approach.
        let f = (-2.0 * r2.ln() / r2).sqrt();
        self.kept = Some(f * x1);
        f * x2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numpy_seed_0_gives_numpys_first_normals() {
        // python3 -c "import numpy as np; np.random.seed(0); print(repr(np.random.randn(5)))"
        let mut rng = RandomState::new(Seed::Numpy(0));
        let x = rng.randn(5);
        assert_eq!(
            x.to_vec(),
            [
                1.764052345967664,
                0.4001572083672233,
                0.9787379841057392,
                2.240893199201458,
                1.8675579901499675
            ]
        );
    }

    #[test]
    fn an_odd_count_keeps_the_second_normal_for_the_next_call() {
        // np.random.seed(0); randn(3); randn(2) draws the same five numbers as randn(5)
        let mut whole = RandomState::new(Seed::Numpy(0));
        let mut split = RandomState::new(Seed::Numpy(0));
        let five = whole.randn(5).to_vec();
        let mut parts = split.randn(3).to_vec();
        parts.extend(split.randn(2));
        assert_eq!(five, parts);
    }

    #[test]
    fn pcg64_is_fixed_by_its_seed() {
        let a = RandomState::new(Seed::Pcg64(7)).randn((2, 3));
        let b = RandomState::new(Seed::Pcg64(7)).randn((2, 3));
        let c = RandomState::new(Seed::Pcg64(8)).randn((2, 3));
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
