//! Bootstrap intervals for theme shares.
//!
//! A group's shares are a ratio of sums over its paragraphs. The bootstrap
//! redraws, for each document of the group, as many paragraphs as the document
//! has, with replacement, from that document only (documents are the strata:
//! a region with one long report and one short article keeps that mix), and
//! recomputes the shares. The 2.5th and 97.5th percentiles of `B` replicates
//! give the 95% interval. A seeded splitmix64 generator makes every interval
//! reproducible; each group's stream is derived from the seed and the group's
//! key, so a group's interval does not depend on which other groups are present.

use std::collections::BTreeMap;

/// Default number of bootstrap replicates.
pub const DEFAULT_SAMPLES: usize = 1000;
/// Default seed.
pub const DEFAULT_SEED: u64 = 20_240_601;

pub use crate::rng::SplitMix64;

/// A stream seed for one group: the user's seed mixed with a hash of the group's key.
pub fn stream_seed(seed: u64, key: &[String]) -> u64 {
    // FNV-1a over the key parts, separated so ("ab","c") differs from ("a","bc").
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in key {
        for b in part.as_bytes().iter().chain(std::iter::once(&0xffu8)) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    let mut g = SplitMix64::new(seed ^ h);
    g.next_u64()
}

/// What one paragraph adds to each theme's numerator (e.g. its characters in the
/// slot of its predicted theme, or its keyword hits per theme): one number
/// per theme of the codebook.
pub type Contribution = Vec<f64>;

/// A group's paragraphs, split by document.
#[derive(Debug, Clone, Default)]
pub struct Strata {
    /// Themes per contribution.
    width: usize,
    docs: Vec<Vec<Contribution>>,
}

impl Strata {
    /// Group contributions (of `width` themes each) by document id (order
    /// of documents is the id order).
    pub fn from_pairs<'a>(
        width: usize,
        pairs: impl IntoIterator<Item = (&'a str, Contribution)>,
    ) -> Strata {
        let mut by_doc: BTreeMap<&str, Vec<Contribution>> = BTreeMap::new();
        for (doc, c) in pairs {
            by_doc.entry(doc).or_default().push(c);
        }
        Strata {
            width,
            docs: by_doc.into_values().collect(),
        }
    }

    /// The point estimate: summed contributions normalised to sum to 1 (all zero if nothing counts).
    pub fn shares(&self) -> Vec<f64> {
        let mut sum = vec![0.0; self.width];
        for d in &self.docs {
            for c in d {
                add(&mut sum, c);
            }
        }
        normalise(sum)
    }

    /// `b` bootstrap replicates of [`Strata::shares`], paragraphs redrawn within documents.
    pub fn replicates(&self, b: usize, seed: u64) -> Vec<Vec<f64>> {
        let mut rng = SplitMix64::new(seed);
        let mut out = Vec::with_capacity(b);
        for _ in 0..b {
            let mut sum = vec![0.0; self.width];
            for d in &self.docs {
                for _ in 0..d.len() {
                    add(&mut sum, &d[rng.below(d.len())]);
                }
            }
            out.push(normalise(sum));
        }
        out
    }
}

fn add(sum: &mut [f64], c: &[f64]) {
    for (s, x) in sum.iter_mut().zip(c) {
        *s += x;
    }
}

/// Scale a vector to sum to 1; all zero stays all zero.
pub fn normalise(mut v: Vec<f64>) -> Vec<f64> {
    let total: f64 = v.iter().sum();
    for x in &mut v {
        *x = if total > 0.0 { *x / total } else { 0.0 };
    }
    v
}

/// A 95% interval per theme.
#[derive(Debug, Clone, PartialEq)]
pub struct Interval {
    pub lo: Vec<f64>,
    pub hi: Vec<f64>,
}

impl Interval {
    /// The 2.5th and 97.5th percentiles of each theme over the replicates.
    /// With no replicates the interval is empty (no themes).
    pub fn from_replicates(reps: &[Vec<f64>]) -> Interval {
        let width = reps.first().map_or(0, Vec::len);
        let mut lo = vec![0.0; width];
        let mut hi = vec![0.0; width];
        let mut col = Vec::with_capacity(reps.len());
        for t in 0..width {
            col.clear();
            col.extend(reps.iter().map(|r| r[t]));
            col.sort_by(f64::total_cmp);
            lo[t] = percentile(&col, 0.025);
            hi[t] = percentile(&col, 0.975);
        }
        Interval { lo, hi }
    }
}

/// Percentile of sorted values by linear interpolation between order statistics
/// (the usual "type 7" definition); 0 for an empty slice.
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => 0.0,
        1 => sorted[0],
        n => {
            let pos = q.clamp(0.0, 1.0) * (n - 1) as f64;
            let i = pos.floor() as usize;
            let frac = pos - i as f64;
            let j = (i + 1).min(n - 1);
            sorted[i] + (sorted[j] - sorted[i]) * frac
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_hot(t: usize, w: f64) -> Contribution {
        let mut c = vec![0.0; crate::Theme::BUNDLED];
        c[t] = w;
        c
    }

    fn strata() -> Strata {
        let mut pairs = Vec::new();
        for i in 0..40 {
            pairs.push(("d1", one_hot(i % 3, 10.0 + i as f64)));
        }
        for i in 0..15 {
            pairs.push(("d2", one_hot(2 + i % 2, 50.0)));
        }
        Strata::from_pairs(crate::Theme::BUNDLED, pairs)
    }

    #[test]
    fn below_is_in_range_and_roughly_uniform() {
        let mut r = SplitMix64::new(7);
        let mut counts = [0usize; 5];
        for _ in 0..50_000 {
            counts[r.below(5)] += 1;
        }
        for c in counts {
            assert!((9_000..11_000).contains(&c), "{counts:?}");
        }
        assert_eq!(r.below(1), 0);
    }

    #[test]
    fn replicates_are_reproducible_for_a_seed_and_differ_across_seeds() {
        let s = strata();
        let a = s.replicates(200, 42);
        let b = s.replicates(200, 42);
        let c = s.replicates(200, 43);
        assert_eq!(a, b);
        assert_ne!(a, c);
        for r in &a {
            assert!((r.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
    }

    #[test]
    fn intervals_contain_the_point_estimate_and_are_zero_for_absent_themes() {
        let s = strata();
        let p = s.shares();
        let ci = Interval::from_replicates(&s.replicates(1000, 1));
        for (t, p) in p.iter().enumerate() {
            assert!(ci.lo[t] <= p + 1e-12 && *p <= ci.hi[t] + 1e-12, "theme {t}");
            assert!(ci.lo[t] <= ci.hi[t]);
        }
        // Themes no paragraph has cannot appear in a resample.
        assert_eq!((ci.lo[9], ci.hi[9]), (0.0, 0.0));
        // Theme 0 varies.
        assert!(ci.hi[0] - ci.lo[0] > 0.01);
    }

    #[test]
    fn stream_seeds_depend_on_seed_and_key() {
        let k = |s: &str| vec![s.to_string()];
        assert_eq!(stream_seed(1, &k("甲")), stream_seed(1, &k("甲")));
        assert_ne!(stream_seed(1, &k("甲")), stream_seed(1, &k("乙")));
        assert_ne!(stream_seed(1, &k("甲")), stream_seed(2, &k("甲")));
        assert_ne!(
            stream_seed(1, &["ab".into(), "c".into()]),
            stream_seed(1, &["a".into(), "bc".into()])
        );
    }

    #[test]
    fn percentile_interpolates() {
        assert_eq!(percentile(&[], 0.5), 0.0);
        assert_eq!(percentile(&[3.0], 0.9), 3.0);
        assert!((percentile(&[0.0, 1.0, 2.0, 3.0, 4.0], 0.25) - 1.0).abs() < 1e-12);
        assert!((percentile(&[0.0, 10.0], 0.975) - 9.75).abs() < 1e-12);
    }
}
