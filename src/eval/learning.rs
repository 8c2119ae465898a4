//! The learning curve (`eval --learning-curve`): grouped cross-validation
//! with each training fold cut to a fraction of its labels, several
//! repeats per fraction, so a user sees whether labelling more still pays.

use serde::{Deserialize, Serialize};

use super::evaluate::{cross_validate_with, report, EvalItem};
use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::model::TrainParams;
use crate::text::Tokenizer;

/// One step of the curve: the means over repeats and their 95% intervals.
/// `report --learning-curve` reads back what `eval --learning-curve --format csv` writes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CurvePoint {
    /// Fraction of each training fold's labels used.
    pub fraction: f64,
    /// Mean number of labels a fold's model was trained on.
    pub labels: f64,
    pub repeats: usize,
    pub macro_f1: f64,
    pub macro_f1_low: f64,
    pub macro_f1_high: f64,
    /// Mean absolute share error per document, percentage points.
    pub share_error_pp: f64,
    pub share_error_low: f64,
    pub share_error_high: f64,
}

/// Two-sided 95% Student t quantiles for 1..=10 degrees of freedom; the
/// normal 1.96 beyond. Few repeats make a wide interval, as they should.
fn t95(df: usize) -> f64 {
    const T: [f64; 10] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    ];
    match df {
        0 => f64::NAN,
        d if d <= 10 => T[d - 1],
        _ => 1.96,
    }
}

/// Mean and 95% interval of the mean (the mean twice when there is one value).
fn interval(xs: &[f64]) -> (f64, f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    if xs.len() < 2 {
        return (mean, mean, mean);
    }
    let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let h = t95(xs.len() - 1) * sd / n.sqrt();
    (mean, mean - h, mean + h)
}

/// A stable pseudo-random key per (seed, item): splitmix64's output
/// function over a state per item.
fn keep_key(seed: u64, i: usize) -> u64 {
    crate::rng::finalize(seed.wrapping_mul(crate::rng::GAMMA).wrapping_add(i as u64))
}

/// How the curve is cut: cross-validation folds, steps, repeats per step.
#[derive(Debug, Clone, Copy)]
pub struct CurveSteps {
    pub folds: usize,
    pub steps: usize,
    pub repeats: usize,
}

/// The curve at `steps` equal fractions (1/steps, 2/steps, … 1), each with
/// `repeats` random subsets (seeded: the same call gives the same curve).
/// At 100% every repeat trains on the same labels, so it runs once.
pub fn learning_curve(
    items: &[EvalItem],
    CurveSteps {
        folds,
        steps,
        repeats,
    }: CurveSteps,
    params: &TrainParams,
    tokenizer: &Tokenizer,
    codebook: &Codebook,
    mut progress: impl FnMut(usize, usize),
) -> Result<Vec<CurvePoint>> {
    if steps == 0 || repeats == 0 {
        return Err(Error::Other(
            "a learning curve needs at least one step and one repeat".into(),
        ));
    }
    let fold_of = super::evaluate::assign_folds(items, folds);
    let k = fold_of.iter().copied().max().map_or(0, |m| m + 1);
    let train_size = |keep: &dyn Fn(usize) -> bool| -> f64 {
        let total: usize = (0..k)
            .map(|f| {
                (0..items.len())
                    .filter(|&i| fold_of[i] != f && keep(i))
                    .count()
            })
            .sum();
        total as f64 / k.max(1) as f64
    };
    let total_runs: usize = (1..=steps)
        .map(|s| if s == steps { 1 } else { repeats })
        .sum();
    let mut done = 0;
    let mut points = Vec::new();
    for step in 1..=steps {
        let fraction = step as f64 / steps as f64;
        let runs = if step == steps { 1 } else { repeats };
        let (mut f1s, mut errs, mut sizes) = (Vec::new(), Vec::new(), Vec::new());
        for r in 0..runs {
            // An item is kept when its key falls in the lowest `fraction` of
            // the key range: a random subset of each training fold.
            let cut = (fraction * u64::MAX as f64) as u64;
            let keep = |i: usize| step == steps || keep_key(r as u64 + 1, i) <= cut;
            sizes.push(train_size(&keep));
            let preds = cross_validate_with(items, folds, params, tokenizer, codebook, keep)?;
            let rep = report(items, &preds, codebook);
            f1s.push(rep.macro_f1);
            errs.push(rep.share_mae_pp);
            done += 1;
            progress(done, total_runs);
        }
        let (macro_f1, macro_f1_low, macro_f1_high) = interval(&f1s);
        let (share_error_pp, share_error_low, share_error_high) = interval(&errs);
        points.push(CurvePoint {
            fraction,
            labels: sizes.iter().sum::<f64>() / sizes.len() as f64,
            repeats: runs,
            macro_f1,
            macro_f1_low,
            macro_f1_high,
            share_error_pp,
            share_error_low,
            share_error_high,
        });
    }
    Ok(points)
}

/// The curve as a readable table.
pub fn render(points: &[CurvePoint]) -> String {
    let mut s = String::from(
        "labels  fraction repeats  macro-F1 (95% interval)  share error pp (95% interval)\n",
    );
    for p in points {
        s.push_str(&format!(
            "{:>6.0}  {:>7.0}% {:>7}  {:.3} ({:.3}–{:.3})      {:.2} ({:.2}–{:.2})\n",
            p.labels,
            p.fraction * 100.0,
            p.repeats,
            p.macro_f1,
            p.macro_f1_low,
            p.macro_f1_high,
            p.share_error_pp,
            p.share_error_low,
            p.share_error_high
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_widens_with_spread_and_collapses_on_one_value() {
        assert_eq!(interval(&[0.5]), (0.5, 0.5, 0.5));
        let (m, lo, hi) = interval(&[0.4, 0.6]);
        assert!((m - 0.5).abs() < 1e-12);
        // t(1) = 12.706, sd = 0.1414, se = 0.1: half-width 1.27.
        assert!((hi - m - 1.2706).abs() < 1e-3, "{lo} {hi}");
        let (_, lo2, hi2) = interval(&[0.4, 0.6, 0.4, 0.6, 0.4, 0.6]);
        assert!(hi2 - lo2 < hi - lo);
    }

    #[test]
    fn fractions_keep_about_their_share_of_items() {
        let n = 10_000;
        for fraction in [0.1, 0.5, 0.9] {
            let cut = (fraction * u64::MAX as f64) as u64;
            let kept = (0..n).filter(|&i| keep_key(1, i) <= cut).count() as f64;
            assert!(
                (kept / n as f64 - fraction).abs() < 0.02,
                "{fraction}: {kept}"
            );
        }
    }
}
