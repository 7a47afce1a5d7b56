//! The harness's one source of randomness: proptest's portable XorShift, seeded from `--seed`,
//! so a run is repeated exactly by its seed.

use proptest::prelude::Rng as _;
use proptest::test_runner::{RngAlgorithm, TestRng};

/// A seeded generator with the few draws the mutators need.
pub struct Rng(TestRng);

impl Rng {
    /// The generator for `seed`; the same seed gives the same sequence on every machine.
    pub fn new(seed: u64) -> Rng {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        bytes[8..].copy_from_slice(&(!seed).rotate_left(17).to_le_bytes());
        Rng(TestRng::from_seed(RngAlgorithm::XorShift, &bytes))
    }

    /// A uniform 64-bit value.
    pub fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A value in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
