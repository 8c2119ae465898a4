//! Sparse linear scoring: every classifier here is linear in the TF-IDF
//! features, so scoring a paragraph costs (non-zero terms × classes).

use ndarray::Array2;

use crate::text::SparseVec;

/// Weights per term are padded to this many classes: a row is then exactly
/// one 64-byte cache line of `f32`, and the fixed width lets the compiler
/// turn the per-term update into a few vector instructions. A codebook of
/// more themes gets rows of a multiple of it, scored by a plain loop.
const STRIDE: usize = 16;

/// `score[c] = bias[c] + Σ_t x[t] · w[t][c]`, then softmax.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearScorer {
    n_classes: usize,
    /// Row width: `STRIDE`, or for more classes the next multiple of it.
    stride: usize,
    /// Term-major: the weights of term `t` are `weights[t*stride ..][..n_classes]`,
    /// zero-padded to `stride`.
    weights: Vec<f32>,
    bias: Vec<f64>,
}

impl LinearScorer {
    /// From an `n_features × n_classes` weight matrix and per-class bias.
    ///
    /// A bias per class is required.
    pub fn new(w: &Array2<f64>, bias: Vec<f64>) -> crate::error::Result<LinearScorer> {
        let n_classes = w.ncols();
        if bias.len() != n_classes {
            return Err(crate::error::Error::Other(format!(
                "linear scorer: {n_classes} classes and {} biases",
                bias.len()
            )));
        }
        let stride = n_classes.max(1).next_multiple_of(STRIDE);
        let mut weights = Vec::with_capacity(w.nrows() * stride);
        for row in w.rows() {
            weights.extend(row.iter().map(|&x| x as f32));
            weights.extend(std::iter::repeat_n(0.0, stride - n_classes));
        }
        Ok(LinearScorer {
            n_classes,
            stride,
            weights,
            bias,
        })
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    pub fn n_features(&self) -> usize {
        self.weights.len() / self.stride
    }

    /// Raw scores (joint log-likelihoods for naive Bayes, logits for logistic regression).
    ///
    /// Accumulates in `f64` starting from the bias, in term order: the same
    /// sums, in the same order, as the unpadded loop this replaced.
    pub fn scores_into(&self, x: &SparseVec, out: &mut Vec<f64>) {
        if self.stride != STRIDE {
            out.clear();
            out.extend_from_slice(&self.bias);
            for (t, v) in x.iter() {
                let Some(row) = self.weights.get(t * self.stride..(t + 1) * self.stride) else {
                    continue;
                };
                for (a, w) in out.iter_mut().zip(row) {
                    *a += f64::from(v * w);
                }
            }
            return;
        }
        let mut acc = [0.0f64; STRIDE];
        acc[..self.n_classes].copy_from_slice(&self.bias);
        for (t, v) in x.iter() {
            let Some(row) = self.weights.get(t * STRIDE..(t + 1) * STRIDE) else {
                continue;
            };
            for (a, w) in acc.iter_mut().zip(row) {
                *a += f64::from(v * w);
            }
        }
        out.clear();
        out.extend_from_slice(&acc[..self.n_classes]);
    }

    /// Weight of term `t` for class `c`.
    pub fn weight(&self, t: usize, c: usize) -> f32 {
        self.weights[t * self.stride + c]
    }
}

/// Log-softmax in place, after dividing by a temperature.
pub fn log_softmax(scores: &mut [f64], temperature: f64) {
    let t = if temperature > 0.0 { temperature } else { 1.0 };
    scores.iter_mut().for_each(|s| *s /= t);
    let m = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let lse = m + scores.iter().map(|s| (s - m).exp()).sum::<f64>().ln();
    scores.iter_mut().for_each(|s| *s -= lse);
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn sparse_scores_equal_dense_product() {
        let w = array![[1.0, -1.0], [0.5, 2.0], [0.0, 3.0]];
        let s = LinearScorer::new(&w, vec![0.1, 0.2]).unwrap();
        let x = SparseVec {
            idx: vec![0, 2],
            val: vec![0.6, 0.8],
        };
        let mut out = Vec::new();
        s.scores_into(&x, &mut out);
        assert!((out[0] - (0.1 + 0.6)).abs() < 1e-6);
        assert!((out[1] - (0.2 - 0.6 + 2.4)).abs() < 1e-6);
        let mut l = out.clone();
        log_softmax(&mut l, 1.0);
        let total: f64 = l.iter().map(|x| x.exp()).sum();
        assert!((total - 1.0).abs() < 1e-9);
    }

    #[test]
    fn scores_more_classes_than_one_row_and_refuses_a_bias_mismatch() {
        // 21 classes (the CAP major topics, say): rows of 32.
        let n = STRIDE + 5;
        let w = Array2::from_shape_fn((3, n), |(t, c)| (t * n + c) as f64);
        let s = LinearScorer::new(&w, vec![1.0; n]).unwrap();
        assert_eq!((s.n_features(), s.n_classes()), (3, n));
        let x = SparseVec {
            idx: vec![1, 2],
            val: vec![0.5, 0.25],
        };
        let mut out = Vec::new();
        s.scores_into(&x, &mut out);
        for (c, got) in out.iter().enumerate() {
            let want = 1.0 + 0.5 * w[[1, c]] + 0.25 * w[[2, c]];
            assert!((got - want).abs() < 1e-4, "{c}: {got} vs {want}");
        }
        assert_eq!(s.weight(2, n - 1), w[[2, n - 1]] as f32);
        let w = Array2::<f64>::zeros((3, 2));
        assert!(LinearScorer::new(&w, vec![0.0; 3]).is_err());
        assert_eq!(LinearScorer::new(&w, vec![0.0; 2]).unwrap().n_features(), 3);
    }
}
