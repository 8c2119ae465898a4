//! The labelling loop simulated on the bundled labels, the gold as the
//! oracle: how good a model is after 100, 200, 400, 800 labels when the
//! labels come in random order, and when they come in `sample`'s order
//! (a spread cold start, then rounds chosen by the model fitted on the
//! labels so far).
//!
//! Grouped by document: the documents are split into 5 folds; for each, the
//! other folds' labelled paragraphs are the pool the oracle answers from and
//! the held-out fold is where macro-F1 and the share error are measured.
//! Several seeds (the random order, and `sample`'s ties and cold start).
//!
//! `cargo bench --bench labelling_loop [-- SEEDS [ROUND]]` (default 3 seeds,
//! rounds of 50 labels). Prints one line per (order, budget) with the mean
//! and the spread over folds × seeds, then the labels `sample`'s order needs
//! to reach the random order's macro-F1 at 800 labels.

use std::collections::HashSet;
use std::path::PathBuf;

use policy_themes::eval::{report, EvalItem};
use policy_themes::labelling::stable_key;
use policy_themes::labelling::{self, SelectParams, Unit};
use policy_themes::labelling::{LabelRow, LabelSet};
use policy_themes::model::assign_folds_by;
use policy_themes::model::Predictor;
use policy_themes::Codebook;

const BUDGETS: [usize; 8] = [100, 200, 300, 400, 500, 600, 700, 800];
const FOLDS: usize = 5;

/// Macro-F1 and mean share error (pp) of `model` on the held-out rows.
fn score(model: &Predictor, test: &[&LabelRow], cb: &Codebook) -> (f64, f64) {
    let items: Vec<EvalItem> = test.iter().map(|r| EvalItem::by_document(r)).collect();
    let texts: Vec<&str> = test.iter().map(|r| r.text.as_str()).collect();
    let docs: Vec<&str> = test.iter().map(|r| r.doc_id.as_str()).collect();
    let preds = model.predict_documents(&texts, &docs);
    let r = report(&items, &preds, cb);
    (r.macro_f1, r.share_mae_pp)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let seeds: u64 = args.first().and_then(|s| s.parse().ok()).unwrap_or(3);
    let round: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(50);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let cb = Codebook::bundled().unwrap();
    let set = LabelSet::read_strict(&root.join("labels"), &cb).unwrap();
    let docs: Vec<&str> = set.rows.iter().map(|r| r.doc_id.as_str()).collect();
    let fold_of = assign_folds_by(&docs, FOLDS);
    // results[order][budget] = (macro-F1, share error) per fold × seed.
    let mut results = vec![vec![Vec::new(); BUDGETS.len()]; 2];
    let started = std::time::Instant::now();
    for fold in 0..FOLDS {
        let pool: Vec<&LabelRow> = (set.rows.iter().zip(&fold_of))
            .filter(|(_, &f)| f != fold)
            .map(|(r, _)| r)
            .collect();
        let test: Vec<&LabelRow> = (set.rows.iter().zip(&fold_of))
            .filter(|(_, &f)| f == fold)
            .map(|(r, _)| r)
            .collect();
        let units: Vec<Unit> = pool.iter().map(|r| Unit::of_label(r)).collect();
        for seed in 1..=seeds {
            // Random order.
            let mut order: Vec<&LabelRow> = pool.clone();
            // The seed's random key is not `sample`'s: 1000 + seed.
            order.sort_by_key(|r| stable_key(1000 + seed, &r.doc_id, r.para_id));
            for (b, &budget) in BUDGETS.iter().enumerate() {
                let m = labelling::fit_on(order[..budget.min(order.len())].iter().copied(), &cb)
                    .unwrap();
                results[0][b].push(score(&m, &test, &cb));
            }
            // `sample`'s order: the oracle answers each proposal from the gold.
            let mut labelled: Vec<LabelRow> = Vec::new();
            let mut b = 0;
            while b < BUDGETS.len() {
                let model = labelling::guide(&labelled, None, &cb).unwrap();
                if labelled.len() >= BUDGETS[b] {
                    let m = model.expect("every budget is above the cold start");
                    results[1][b].push(score(&m, &test, &cb));
                    b += 1;
                    continue;
                }
                let n = round.min(BUDGETS[b] - labelled.len());
                let params = SelectParams {
                    n,
                    seed,
                    ..SelectParams::default()
                };
                let proposals = labelling::propose(&units, &labelled, model.as_ref(), &params);
                if proposals.is_empty() {
                    break;
                }
                let asked: HashSet<(&str, usize)> = proposals
                    .iter()
                    .map(|p| (p.unit.doc_id.as_str(), p.unit.para_id))
                    .collect();
                let answers: Vec<LabelRow> = pool
                    .iter()
                    .filter(|r| asked.contains(&(r.doc_id.as_str(), r.para_id)))
                    .map(|r| (*r).clone())
                    .collect();
                labelled.extend(answers);
            }
            eprintln!(
                "fold {fold} seed {seed} done ({:.0}s)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    let stats = |v: &[(f64, f64)], pick: fn(&(f64, f64)) -> f64| {
        let xs: Vec<f64> = v.iter().map(pick).collect();
        let n = xs.len().max(1) as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)).sqrt();
        (mean, sd / n.sqrt())
    };
    println!(
        "labelling loop on the bundled labels ({} paragraphs, {} documents), {FOLDS} folds by document x {seeds} seeds, rounds of {round}",
        set.rows.len(),
        docs.iter().collect::<HashSet<_>>().len()
    );
    println!("order    labels  macro-F1 (± s.e.)  share error pp (± s.e.)");
    let mut curve = [[0.0; BUDGETS.len()]; 2];
    for (o, name) in ["random", "sample"].iter().enumerate() {
        for (b, budget) in BUDGETS.iter().enumerate() {
            let (f1, f1se) = stats(&results[o][b], |x| x.0);
            let (se, sese) = stats(&results[o][b], |x| x.1);
            curve[o][b] = f1;
            println!("{name:<8} {budget:>6}  {f1:.3} (± {f1se:.3})      {se:.2} (± {sese:.2})");
        }
    }
    let goal = curve[0][BUDGETS.len() - 1];
    match BUDGETS.iter().zip(&curve[1]).find(|(_, &f1)| f1 >= goal) {
        Some((b, f1)) => println!(
            "sample's order reaches the random order's 800-label macro-F1 ({goal:.3}) at {b} labels ({f1:.3}); target: at most 500"
        ),
        None => println!(
            "sample's order does not reach the random order's 800-label macro-F1 ({goal:.3}) within 800 labels"
        ),
    }
    eprintln!("{:.0}s", started.elapsed().as_secs_f64());
}
