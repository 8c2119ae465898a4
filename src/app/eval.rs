//! `eval`: grouped cross-validation, held-out evaluation, model comparison.

use std::collections::HashMap;

use super::Ui;
use crate::cli::{EvalArgs, GroupArg, OutputFormat};
use crate::codebook::Codebook;
use crate::error::{Error, Result};
use crate::eval::agreement::AgreementReport;
use crate::eval::evaluate::{assign_folds, cross_validate, report, EvalItem, EvalReport};
use crate::io::output::{print_stdout, write_atomic};
use crate::labelling::labels::LabelSet;
use crate::model::{ClassifierKind, Predictor, Provenance, TrainParams};
use crate::text::{FeatureConfig, Tokenizer};

/// Evaluation items from labels, grouped by document or by region (from the corpus).
pub fn items(set: &LabelSet, args: &EvalArgs, ui: Ui) -> Result<Vec<EvalItem>> {
    let regions: HashMap<String, String> = if args.group == GroupArg::Region {
        super::inputs::read_documents(std::slice::from_ref(&args.corpus), ui)?
            .into_iter()
            .map(|d| {
                let key = crate::labelling::rows::region_key(&d.meta.region, &d.doc_id);
                (d.doc_id, key)
            })
            .collect()
    } else {
        HashMap::new()
    };
    set.rows
        .iter()
        .map(|r| {
            let group = match args.group {
                GroupArg::Doc => r.doc_id.clone(),
                GroupArg::Region => regions.get(&r.doc_id).cloned().ok_or_else(|| {
                    Error::line(
                        &r.file,
                        r.line,
                        format!("document `{}` not in the corpus", r.doc_id),
                    )
                })?,
            };
            Ok(EvalItem {
                group,
                ..EvalItem::by_document(r)
            })
        })
        .collect()
}

/// The configurations compared by `eval --compare`.
pub fn candidates() -> Vec<(&'static str, TrainParams)> {
    let base = TrainParams::default();
    let f = FeatureConfig::default();
    let nb = |alpha| ClassifierKind::MultinomialNb { alpha };
    let cnb = |alpha| ClassifierKind::ComplementNb { alpha };
    let lr = |alpha| ClassifierKind::Logistic {
        alpha,
        max_iterations: 100,
    };
    let p = |classifier, features, chi2, balanced| TrainParams {
        classifier,
        features,
        chi2_features: chi2,
        balanced,
        document_prior: None,
        ..base.clone()
    };
    let with_prior = |params: TrainParams, strength| TrainParams {
        document_prior: Some(strength),
        ..params
    };
    let wb = FeatureConfig {
        word_bigrams: true,
        ..f
    };
    let cb = FeatureConfig {
        char_bigrams: true,
        ..f
    };
    let cb_only = FeatureConfig { words: false, ..cb };
    let lr_iters = |alpha, max_iterations| ClassifierKind::Logistic {
        alpha,
        max_iterations,
    };
    let slr = |alpha| ClassifierKind::SparseLogistic {
        alpha,
        max_iterations: crate::model::train::SPARSE_LOGISTIC_MAX_ITERATIONS,
    };
    vec![
        (
            "nb a=1.0 (linfa-bayes baseline)",
            p(nb(1.0), f, None, false),
        ),
        ("nb a=0.1", p(nb(0.1), f, None, false)),
        ("nb a=0.03", p(nb(0.03), f, None, false)),
        ("nb a=0.01", p(nb(0.01), f, None, false)),
        ("nb a=0.1 balanced", p(nb(0.1), f, None, true)),
        ("nb a=0.03 balanced", p(nb(0.03), f, None, true)),
        ("nb a=0.01 balanced", p(nb(0.01), f, None, true)),
        (
            "nb a=0.03 balanced word bigrams",
            p(nb(0.03), wb, None, true),
        ),
        (
            "nb a=0.03 balanced words + char bigrams",
            p(nb(0.03), cb, None, true),
        ),
        (
            "nb a=0.01 balanced words + char bigrams",
            p(nb(0.01), cb, None, true),
        ),
        (
            "nb a=0.03 balanced char bigrams only",
            p(nb(0.03), cb_only, None, true),
        ),
        (
            "nb a=0.03 balanced char bigrams only, document prior 0.03",
            with_prior(p(nb(0.03), cb_only, None, true), 0.03),
        ),
        (
            "nb a=0.03 balanced char bigrams only, document prior 0.1",
            with_prior(p(nb(0.03), cb_only, None, true), 0.1),
        ),
        (
            "nb a=0.03 balanced char bigrams only, document prior 0.3",
            with_prior(p(nb(0.03), cb_only, None, true), 0.3),
        ),
        (
            "nb a=0.03 balanced words + char bigrams, document prior 0.1",
            with_prior(p(nb(0.03), cb, None, true), 0.1),
        ),
        (
            "nb a=0.01 balanced char bigrams only",
            p(nb(0.01), cb_only, None, true),
        ),
        (
            "nb a=0.03 balanced chi2 3000",
            p(nb(0.03), f, Some(3000), true),
        ),
        (
            "nb a=0.03 balanced chi2 1500",
            p(nb(0.03), f, Some(1500), true),
        ),
        ("cnb a=0.3", p(cnb(0.3), f, None, false)),
        ("cnb a=0.1", p(cnb(0.1), f, None, false)),
        ("cnb a=0.3 char bigrams", p(cnb(0.3), cb, None, false)),
        ("cnb a=0.3 chi2 3000", p(cnb(0.3), f, Some(3000), false)),
        ("logistic a=0.001", p(lr(0.001), f, None, false)),
        (
            "logistic a=0.01 chi2 3000",
            p(lr(0.01), f, Some(3000), false),
        ),
        (
            "logistic a=0.01 chi2 3000, 50 iterations",
            p(lr_iters(0.01, 50), f, Some(3000), false),
        ),
        (
            "sparse-logistic a=0.03 balanced char bigrams only (default)",
            p(slr(0.03), cb_only, None, true),
        ),
        (
            "sparse-logistic a=0.1 balanced char bigrams only",
            p(slr(0.1), cb_only, None, true),
        ),
        (
            "sparse-logistic a=0.3 balanced char bigrams only",
            p(slr(0.3), cb_only, None, true),
        ),
        (
            "sparse-logistic a=0.1 char bigrams only",
            p(slr(0.1), cb_only, None, false),
        ),
        (
            "sparse-logistic a=0.1 balanced words + char bigrams",
            p(slr(0.1), cb, None, true),
        ),
        (
            "sparse-logistic a=0.1 balanced char bigrams only, document prior 0.1",
            with_prior(p(slr(0.1), cb_only, None, true), 0.1),
        ),
    ]
}

fn print_report(r: &EvalReport, format: OutputFormat) -> Result<()> {
    match format {
        OutputFormat::Table => print_stdout(&r.render()),
        OutputFormat::Jsonl => print_stdout(&format!(
            "{}\n",
            serde_json::to_string(r).map_err(|e| Error::Other(e.to_string()))?
        )),
        OutputFormat::Csv => {
            let mut c = csv::Writer::from_writer(Vec::new());
            let err = |e: csv::Error| Error::Other(format!("writing CSV: {e}"));
            c.write_record(["theme", "precision", "recall", "f1", "support"])
                .map_err(err)?;
            for t in &r.per_theme {
                c.write_record([
                    t.theme.clone(),
                    format!("{:.6}", t.precision),
                    format!("{:.6}", t.recall),
                    format!("{:.6}", t.f1),
                    t.support.to_string(),
                ])
                .map_err(err)?;
            }
            let bytes = c.into_inner().map_err(|e| Error::Other(e.to_string()))?;
            print_stdout(&String::from_utf8_lossy(&bytes))
        }
    }
}

/// The gold labels against a second coder's, when `--second-coder` is given.
/// Compared before any prediction or fitting, so bad files fail fast.
fn second_coder(
    args: &EvalArgs,
    gold: &LabelSet,
    codebook: &Codebook,
) -> Result<Option<AgreementReport>> {
    if args.second_coder.is_empty() {
        return Ok(None);
    }
    crate::labelling::labels::compare_coders(gold, &args.second_coder, codebook).map(Some)
}

fn print_with_coders(
    r: EvalReport,
    coders: Option<AgreementReport>,
    format: OutputFormat,
) -> Result<()> {
    match coders {
        Some(c) => print_report(&r.with_second_coder(c), format),
        None => print_report(&r, format),
    }
}

/// Whether a test set is (partly) what the model was trained on, from the
/// hashes its provenance records: why, if it is.
pub fn in_sample(p: &Provenance, test: &LabelSet) -> Option<String> {
    let name = |f: &std::path::PathBuf| {
        f.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let n = test.files.len();
    if !p.label_file_hashes.is_empty() {
        // Per-file hashes of the bytes: a copy under another name is found too.
        let trained: Vec<String> = test
            .files
            .iter()
            .zip(&test.file_hashes)
            .filter(|(_, h)| p.label_file_hashes.contains(h))
            .map(|(f, _)| name(f))
            .collect();
        return match trained.len() {
            0 => None,
            k if k == n && n == 1 => Some("the model was trained on this very file".into()),
            k => Some(format!(
                "{k} of its {n} file(s) are label files the model was trained on ({})",
                trained.join(", ")
            )),
        };
    }
    // Models trained before per-file hashes: the whole set's hash, then names.
    if !p.labels_hash.is_empty() && p.labels_hash == test.hash {
        return Some("the model was trained on exactly these label files".into());
    }
    let same_name: Vec<String> = test
        .files
        .iter()
        .map(name)
        .filter(|f| p.label_files.contains(f))
        .collect();
    (!same_name.is_empty()).then(|| {
        format!(
            "{} of its {n} file(s) have the names of label files the model was trained on ({}); \
             the model records no per-file hashes to tell whether they changed since",
            same_name.len(),
            same_name.join(", ")
        )
    })
}

/// `policy-themes eval`.
pub fn run(args: &EvalArgs, ui: Ui) -> Result<i32> {
    let format = ui.format(&args.format, OutputFormat::Table);
    if args.model.is_none() {
        super::need_default(&args.labels, super::DEFAULT_LABELS, super::HINT_LABELS)?;
    }
    if args.group == GroupArg::Region || args.predictions.is_some() {
        super::need_default(&args.corpus, super::DEFAULT_CORPUS, super::HINT_CORPUS)?;
    }
    // Model flags set how cross-validation trains; a trained model, or the
    // fixed candidates of --compare, would silently ignore them.
    let given = args.model_args.given();
    if !given.is_empty() && (args.model.is_some() || args.compare) {
        return Err(Error::Other(format!(
            "{} set how cross-validation trains a model, and {}: they would be ignored; drop them",
            given.join(", "),
            if args.compare {
                "--compare trains fixed configurations"
            } else {
                "--model evaluates one already trained"
            }
        )));
    }
    if let (Some(model), Some(test)) = (&args.model, &args.test) {
        let predictor = Predictor::load(model)?;
        let codebook = predictor.codebook();
        args.codebook.check_model(codebook, model)?;
        let set = LabelSet::read_strict(test, codebook)?;
        if let Some(why) = in_sample(&predictor.model.provenance, &set) {
            ui.warn(format!(
                "{}: {why}; the figures are in-sample, not what the model does on reports it \
                 has not seen (cross-validate with `eval --labels` instead)",
                test.display()
            ));
        }
        let coders = second_coder(args, &set, codebook)?;
        let items: Vec<EvalItem> = set.rows.iter().map(EvalItem::by_document).collect();
        let texts: Vec<&str> = items.iter().map(|it| it.text.as_str()).collect();
        let docs: Vec<&str> = items.iter().map(|it| it.doc_id.as_str()).collect();
        let preds = predictor.predict_documents(&texts, &docs);
        print_with_coders(report(&items, &preds, codebook), coders, format)?;
        return Ok(0);
    }
    let codebook = args.codebook.load()?;
    let gold = LabelSet::read_strict(&args.labels, &codebook)?;
    let coders = second_coder(args, &gold, &codebook)?;
    // Cross-validation fits with the bundled tokenizer; a held-out
    // evaluation above uses the model's own.
    let tokenizer = Tokenizer::bundled();
    let items = items(&gold, args, ui)?;
    if args.learning_curve {
        let params: TrainParams = super::params::params_from(&args.model_args);
        let pb = ui.progress(0, "learning curve");
        let points = crate::eval::learning::learning_curve(
            &items,
            crate::eval::learning::CurveSteps {
                folds: args.folds,
                steps: args.steps,
                repeats: args.repeats,
            },
            &params,
            &tokenizer,
            &codebook,
            |done, total| {
                pb.set_length(total as u64);
                pb.set_position(done as u64);
            },
        )?;
        pb.finish_and_clear();
        match format {
            OutputFormat::Table => print_stdout(&crate::eval::learning::render(&points))?,
            OutputFormat::Jsonl => {
                let mut s = String::new();
                for p in &points {
                    s.push_str(&serde_json::to_string(p).map_err(|e| Error::Other(e.to_string()))?);
                    s.push('\n');
                }
                print_stdout(&s)?;
            }
            OutputFormat::Csv => {
                let mut c = csv::Writer::from_writer(Vec::new());
                for p in &points {
                    c.serialize(p)
                        .map_err(|e| Error::Other(format!("writing CSV: {e}")))?;
                }
                let bytes = c.into_inner().map_err(|e| Error::Other(e.to_string()))?;
                print_stdout(&String::from_utf8_lossy(&bytes))?;
            }
        }
        return Ok(0);
    }
    if args.compare {
        print_stdout(
            "| configuration | accuracy | macro-F1 | share MAE (pp) | worst doc (pp) | ECE | seconds |\n\
             |---|---|---|---|---|---|---|\n",
        )?;
        for (name, params) in candidates() {
            let t = std::time::Instant::now();
            let preds = cross_validate(&items, args.folds, &params, &tokenizer, &codebook)?;
            let r = report(&items, &preds, &codebook);
            print_stdout(&format!(
                "| {name} | {:.3} | {:.3} | {:.2} | {:.2} | {:.3} | {:.1} |\n",
                r.accuracy,
                r.macro_f1,
                r.share_mae_pp,
                r.share_mae_worst_pp,
                r.ece,
                t.elapsed().as_secs_f64()
            ))?;
        }
        return Ok(0);
    }
    let params: TrainParams = super::params::params_from(&args.model_args);
    let preds = cross_validate(&items, args.folds, &params, &tokenizer, &codebook)?;
    let r = report(&items, &preds, &codebook);
    let folds = assign_folds(&items, args.folds);
    if let Some(path) = &args.predictions {
        // Regions from the corpus, so predictions join with `label` output.
        let regions: HashMap<String, String> =
            super::inputs::read_documents(std::slice::from_ref(&args.corpus), ui)?
                .into_iter()
                .map(|d| (d.doc_id, d.meta.region))
                .collect();
        write_atomic(path, |w| {
            ui.start_csv(w)?;
            let mut c = csv::Writer::from_writer(w);
            // One probability column per theme after the fixed ones, so the
            // file can be re-scored (other thresholds, share methods) without refitting.
            let mut header = vec![
                "doc_id".to_string(),
                "para_id".into(),
                "region".into(),
                "group".into(),
                "fold".into(),
                "gold_theme".into(),
                "theme".into(),
                "confidence".into(),
                "text".into(),
            ];
            header.extend(codebook.ids().into_iter().map(|id| format!("p_{id}")));
            c.write_record(&header)
                .map_err(|e| Error::Other(e.to_string()))?;
            // `items` are the gold rows in order, so they pair with them.
            for (((it, row), p), fold) in items.iter().zip(&gold.rows).zip(&preds).zip(&folds) {
                let (t, conf) = p.top();
                let mut rec = vec![
                    it.doc_id.clone(),
                    row.para_id.to_string(),
                    regions.get(&it.doc_id).cloned().unwrap_or_default(),
                    it.group.clone(),
                    fold.to_string(),
                    codebook.id(it.gold).to_string(),
                    codebook.id(t).to_string(),
                    format!("{conf:.4}"),
                    it.text.clone(),
                ];
                rec.extend(p.probs.iter().map(|x| format!("{x:.6}")));
                c.write_record(&rec)
                    .map_err(|e| Error::Other(e.to_string()))?;
            }
            c.flush().map_err(|e| Error::Other(e.to_string()))
        })?;
    }
    ui.info(format!(
        "{}-fold cross-validation grouped by {}",
        args.folds,
        match args.group {
            GroupArg::Doc => "document",
            GroupArg::Region => "region",
        }
    ));
    print_with_coders(r, coders, format)?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_without_per_file_hashes_fall_back_to_the_set_hash_and_names() {
        let set = LabelSet {
            hash: "set".into(),
            files: vec!["labels/a.csv".into(), "labels/b.csv".into()],
            file_hashes: vec!["ha".into(), "hb".into()],
            ..LabelSet::default()
        };
        let old = Provenance {
            tool_version: String::new(),
            dictionary_hash: String::new(),
            labels_hash: "other".into(),
            label_files: vec!["x.csv".into()],
            label_file_hashes: Vec::new(),
            n_train: 1,
            params: TrainParams::default(),
        };
        assert_eq!(in_sample(&old, &set), None);
        let same_set = Provenance {
            labels_hash: "set".into(),
            ..old.clone()
        };
        assert!(in_sample(&same_set, &set)
            .unwrap()
            .contains("exactly these"));
        let same_name = Provenance {
            label_files: vec!["b.csv".into()],
            ..old.clone()
        };
        let why = in_sample(&same_name, &set).unwrap();
        assert!(why.contains("1 of its 2 file(s) have the names") && why.contains("b.csv"));
        // With per-file hashes only the bytes count, not the names.
        let hashed = Provenance {
            label_file_hashes: vec!["hb".into()],
            ..same_name.clone()
        };
        assert!(in_sample(&hashed, &set).unwrap().contains("(b.csv)"));
        let changed = Provenance {
            label_file_hashes: vec!["h-edited".into()],
            ..same_name
        };
        assert_eq!(in_sample(&changed, &set), None);
    }

    #[test]
    fn the_compare_row_marked_default_is_what_train_fits() {
        let marked: Vec<_> = candidates()
            .into_iter()
            .filter(|(name, _)| name.ends_with("(default)"))
            .collect();
        assert_eq!(marked.len(), 1);
        assert_eq!(marked[0].1, TrainParams::default());
    }
}
