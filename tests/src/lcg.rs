//! A small deterministic generator for test data: the same draws on every
//! run and machine, so generated corpora can be checked in and compared.

/// A linear congruential generator (Knuth's MMIX constants).
pub struct Lcg(pub u64);

impl Lcg {
    /// A number in `0..bound` (`bound` > 0).
    pub fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % bound as u64) as usize
    }

    /// `seed` with one to `max_edits + 1` single-character edits (replace,
    /// delete or insert) drawn from `alphabet`.
    pub fn mutate(&mut self, seed: &str, alphabet: &[char], max_edits: usize) -> String {
        let mut chars: Vec<char> = seed.chars().collect();
        for _ in 0..=self.next(max_edits) {
            let at = self.next(chars.len() + 1);
            let ch = alphabet[self.next(alphabet.len())];
            match self.next(3) {
                0 if at < chars.len() => chars[at] = ch,
                1 if at < chars.len() => {
                    chars.remove(at);
                }
                _ => chars.insert(at, ch),
            }
        }
        chars.into_iter().collect()
    }
}
