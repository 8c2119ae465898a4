//! Sparse linear scoring: every classifier here is linear in the TF-IDF
//! features, so scoring a paragraph costs (non-zero terms × classes).

use ndarray::Array2;

use crate::text::SparseVec;

/// `score[c] = bias[c] + Σ_t x[t] · w[t][c]`, then softmax.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearScorer {
    n_classes: usize,
    /// Term-major: the weights of term `t` are `weights[t*n .. (t+1)*n]`, one cache line per term.
    weights: Vec<f32>,
    bias: Vec<f64>,
}

impl LinearScorer {
    /// From an `n_features × n_classes` weight matrix and per-class bias.
    pub fn new(w: &Array2<f64>, bias: Vec<f64>) -> LinearScorer {
        let n_classes = w.ncols();
        let mut weights = Vec::with_capacity(w.len());
        for row in w.rows() {
            weights.extend(row.iter().map(|&x| x as f32));
        }
        LinearScorer {
            n_classes,
            weights,
            bias,
        }
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    pub fn n_features(&self) -> usize {
        self.weights.len() / self.n_classes.max(1)
    }

    /// Raw scores (joint log-likelihoods for naive Bayes, logits for logistic regression).
    pub fn scores_into(&self, x: &SparseVec, out: &mut Vec<f64>) {
        out.clear();
        out.extend_from_slice(&self.bias);
        let n = self.n_classes;
        for (t, v) in x.iter() {
            let row = &self.weights[t * n..(t + 1) * n];
            for (o, w) in out.iter_mut().zip(row) {
                *o += f64::from(v * w);
            }
        }
    }

    /// Weight of term `t` for class `c`.
    pub fn weight(&self, t: usize, c: usize) -> f32 {
        self.weights[t * self.n_classes + c]
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
        let s = LinearScorer::new(&w, vec![0.1, 0.2]);
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
}
