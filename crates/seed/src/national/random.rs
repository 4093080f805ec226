//! The generator's randomness: one stream per government, picks, digests.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A 64-bit mix of the seed and a stream number (SplitMix64's finaliser).
pub(super) fn mix(seed: u64, stream: u64) -> u64 {
    let mut z = seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub(super) fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

pub(super) fn hex(rng: &mut ChaCha8Rng) -> String {
    let mut text = String::with_capacity(64);
    for _ in 0..4 {
        text.push_str(&format!("{:016x}", rng.random::<u64>()));
    }
    text
}
