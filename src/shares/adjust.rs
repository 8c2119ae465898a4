//! Adjusted classify-and-count: correcting shares for the classifier's confusions.
//!
//! Counting predicted labels is biased when the classifier confuses themes
//! unevenly: if half of `poverty` text is predicted `rural` but little `rural`
//! text is predicted `poverty`, counted `poverty` shares are too low and `rural`
//! shares too high everywhere. With `M[i][j] = P(predicted j | gold i)`,
//! measured by grouped cross-validation on the gold labels, the expected
//! predicted shares are `p_obs = Mᵀ p_true`. Adjusted classify-and-count
//! (Forman 2008) solves that system for `p_true` in least squares, clips
//! negative shares to 0 and renormalises so the shares sum to 1.
//!
//! The confusion is weighted like the shares (characters by default), so it
//! says which fraction of a theme's *text* goes to each predicted theme.

use crate::codebook::Codebook;
use crate::error::Result;
use crate::eval::confusion::{self, Measured};
pub use crate::eval::confusion::{zeros, Confusion, FOLDS};
use crate::eval::evaluate::EvalItem;
use crate::model::TrainParams;
use crate::shares::bootstrap::SplitMix64;
use crate::shares::Weight;
use crate::text::Tokenizer;

/// A measured confusion, ready to correct shares.
#[derive(Debug, Clone, PartialEq)]
pub struct Adjuster {
    /// `m[gold][pred]` = P(predicted `pred` | gold `gold`), rows in codebook order.
    /// A theme absent from the labels gets the identity row (no correction possible).
    pub m: Confusion,
    /// Paragraphs the confusion was measured on.
    pub paragraphs: usize,
    /// The weighted counts `[gold][pred]` of each document the confusion was
    /// measured on, for [`Adjuster::resampled`]; empty when not known.
    pub documents: Vec<Confusion>,
}

impl Adjuster {
    /// From weighted counts `counts[gold][pred]` (square).
    pub fn from_counts(counts: &[Vec<f64>], paragraphs: usize) -> Adjuster {
        let n = counts.len();
        let mut m = zeros(n);
        for (i, row) in counts.iter().enumerate() {
            let total: f64 = row.iter().sum();
            if total > 0.0 {
                for j in 0..n {
                    m[i][j] = row[j] / total;
                }
            } else {
                m[i][i] = 1.0;
            }
        }
        Adjuster {
            m,
            paragraphs,
            documents: Vec::new(),
        }
    }

    /// The confusion measured again on the documents drawn with replacement:
    /// one bootstrap replicate of it. A classifier's errors cluster within
    /// documents, so documents, not paragraphs, are redrawn. Without
    /// per-document counts, the confusion itself.
    pub fn resampled(&self, rng: &mut SplitMix64) -> Adjuster {
        if self.documents.is_empty() {
            return self.clone();
        }
        let mut counts = zeros(self.m.len());
        for _ in 0..self.documents.len() {
            let d = &self.documents[rng.below(self.documents.len())];
            for (row, drow) in counts.iter_mut().zip(d) {
                for (c, x) in row.iter_mut().zip(drow) {
                    *c += x;
                }
            }
        }
        Adjuster::from_counts(&counts, self.paragraphs)
    }

    /// The identity over `n` themes: predictions taken as they are.
    pub fn identity(n: usize) -> Adjuster {
        let mut counts = zeros(n);
        for (i, row) in counts.iter_mut().enumerate() {
            row[i] = 1.0;
        }
        Adjuster::from_counts(&counts, 0)
    }

    /// Measure by grouped (by document) cross-validation of a model with `params` on `items`,
    /// weighting each paragraph like the shares do.
    pub fn measure(
        items: &[EvalItem],
        params: &TrainParams,
        tokenizer: &Tokenizer,
        codebook: &Codebook,
        weight: Weight,
    ) -> Result<Adjuster> {
        let weigh = |it: &EvalItem| match weight {
            Weight::Chars => it.text.chars().count() as f64,
            Weight::Paragraphs => 1.0,
        };
        let Measured { counts, documents } =
            confusion::measure(items, params, tokenizer, codebook, weigh)?;
        let mut adjuster = Adjuster::from_counts(&counts, items.len());
        adjuster.documents = documents;
        Ok(adjuster)
    }

    /// Corrected shares for observed (predicted) shares (one per theme). All-zero input stays all zero.
    pub fn apply(&self, observed: &[f64]) -> Vec<f64> {
        let n = observed.len();
        let total: f64 = observed.iter().sum();
        if total <= 0.0 {
            return vec![0.0; n];
        }
        // Least squares for Mᵀ p = obs: (M Mᵀ) p = M obs, with a tiny ridge so that
        // identical confusion rows (an unidentifiable pair of themes) still solve.
        let m = &self.m;
        let mut a = zeros(n);
        let mut b = vec![0.0; n];
        for i in 0..n {
            for k in 0..n {
                a[i][k] = (0..n).map(|j| m[i][j] * m[k][j]).sum();
            }
            b[i] = (0..n).map(|j| m[i][j] * observed[j]).sum();
        }
        let trace: f64 = (0..n).map(|i| a[i][i]).sum();
        let ridge = 1e-10 * trace.max(1e-300);
        for (i, row) in a.iter_mut().enumerate() {
            row[i] += ridge;
        }
        let p = solve(a, b).unwrap_or_else(|| observed.to_vec());
        let clipped: Vec<f64> = p
            .iter()
            .map(|&x| if x.is_finite() && x > 0.0 { x } else { 0.0 })
            .collect();
        let sum: f64 = clipped.iter().sum();
        if sum > 0.0 {
            clipped.iter().map(|x| x / sum).collect()
        } else {
            observed.iter().map(|x| x / total).collect()
        }
    }
}

/// Gaussian elimination with partial pivoting; `None` if the matrix is singular.
fn solve(mut a: Confusion, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        if a[pivot][col].abs() < 1e-300 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let (upper, lower) = a.split_at_mut(col + 1);
        let pivot_row = &upper[col];
        for (off, row) in lower.iter_mut().enumerate() {
            let r = col + 1 + off;
            let f = row[col] / pivot_row[col];
            if f != 0.0 {
                for (x, p) in row.iter_mut().zip(pivot_row).skip(col) {
                    *x -= f * p;
                }
                b[r] -= f * b[col];
            }
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|c| a[r][c] * x[c]).sum();
        x[r] = (b[r] - s) / a[r][r];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::themes::Theme;

    const N: usize = Theme::BUNDLED;

    fn shares(pairs: &[(usize, f64)]) -> Vec<f64> {
        let mut s = vec![0.0; N];
        for &(i, x) in pairs {
            s[i] = x;
        }
        s
    }

    #[test]
    fn identity_leaves_shares_unchanged() {
        let obs = shares(&[(0, 0.2), (3, 0.5), (12, 0.3)]);
        let adj = Adjuster::identity(N).apply(&obs);
        for i in 0..N {
            assert!((adj[i] - obs[i]).abs() < 1e-9, "{adj:?}");
        }
    }

    #[test]
    fn recovers_true_shares_from_a_known_confusion() {
        // Theme 0 text is predicted 0 with 60%, 1 with 40%; theme 1 always 1.
        let mut counts = zeros(N);
        counts[0][0] = 60.0;
        counts[0][1] = 40.0;
        counts[1][1] = 100.0;
        for (i, row) in counts.iter_mut().enumerate().skip(2) {
            row[i] = 1.0;
        }
        let a = Adjuster::from_counts(&counts, 10);
        // True 50/50 shows up as 30/70.
        let adj = a.apply(&shares(&[(0, 0.3), (1, 0.7)]));
        assert!(
            (adj[0] - 0.5).abs() < 1e-9 && (adj[1] - 0.5).abs() < 1e-9,
            "{adj:?}"
        );
        // An observation impossible under the model gives a negative share: clipped, renormalised.
        let adj = a.apply(&shares(&[(0, 0.9), (1, 0.1)]));
        assert!(adj.iter().all(|&x| x >= 0.0));
        assert!((adj.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert_eq!(adj[1], 0.0);
    }

    #[test]
    fn rows_sum_to_one_even_when_themes_are_indistinguishable() {
        // Themes 0 and 1 have identical confusion rows: singular without the ridge.
        let mut counts = zeros(N);
        counts[0][0] = 50.0;
        counts[0][1] = 50.0;
        counts[1][0] = 50.0;
        counts[1][1] = 50.0;
        counts[2][2] = 3.0;
        let a = Adjuster::from_counts(&counts, 3);
        for obs in [
            shares(&[(0, 0.5), (1, 0.25), (2, 0.25)]),
            shares(&[(5, 1.0)]),
            shares(&[(0, 0.1), (1, 0.1), (2, 0.1), (12, 0.7)]),
        ] {
            let adj = a.apply(&obs);
            assert!((adj.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{adj:?}");
            assert!(adj.iter().all(|x| x.is_finite() && *x >= 0.0));
        }
        assert_eq!(a.apply(&[0.0; N]), [0.0; N]);
    }

    #[test]
    fn resampling_redraws_whole_documents() {
        // Two documents: one where theme 0 is always right, one where it is
        // always read as theme 1.
        let mut right = zeros(N);
        right[0][0] = 10.0;
        let mut wrong = zeros(N);
        wrong[0][1] = 10.0;
        let mut total = right.clone();
        total[0][1] = 10.0;
        let mut a = Adjuster::from_counts(&total, 2);
        assert_eq!(
            a.resampled(&mut SplitMix64::new(1)).m,
            a.m,
            "no documents: itself"
        );
        a.documents = vec![right, wrong];
        let mut rng = SplitMix64::new(7);
        let seen: std::collections::BTreeSet<u64> = (0..200)
            .map(|_| (a.resampled(&mut rng).m[0][0] * 100.0).round() as u64)
            .collect();
        // Both documents drawn (50%), or one twice (100% or 0% right).
        assert_eq!(seen.into_iter().collect::<Vec<_>>(), [0, 50, 100]);
    }
}
