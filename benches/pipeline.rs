//! Criterion benchmarks of each stage on the bundled corpus:
//! tokenization (jieba, which only `--words` models run), vectorization,
//! scoring and the document prior with the default model, and end-to-end
//! labelling with the default model, the same model without its document
//! prior, and a `--words` model; and reading and segmenting the corpus.
//!
//! `cargo bench --bench pipeline`

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use policy_themes::app::{inputs, label, Ui};
use policy_themes::corpus;
use policy_themes::model::predict::PredictScratch;
use policy_themes::model::{fit, Predictor, TrainParams};
use policy_themes::report::rows::Format;
use policy_themes::text::Tokenizer;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Setup {
    default: Predictor,
    no_prior: Predictor,
    words: Predictor,
    /// Paragraph texts, document by document.
    docs: Vec<Vec<String>>,
}

fn setup() -> Setup {
    let set = policy_themes::labels::LabelSet::read_strict(&root().join("labels")).unwrap();
    let ex = policy_themes::app::train::examples(&set);
    let tok = Tokenizer::bundled();
    let model = fit(&ex, &TrainParams::default(), &tok, Default::default()).unwrap();
    let mut words = TrainParams::default();
    words.features.words = true;
    let words_model = fit(&ex, &words, &tok, Default::default()).unwrap();
    let mut no_prior = model.clone();
    no_prior.document_prior = None;
    let docs = corpus::read_all(&[root().join("corpus")])
        .unwrap()
        .iter()
        .map(|d| d.paragraphs.iter().map(|p| p.text.clone()).collect())
        .collect();
    Setup {
        default: Predictor::new(model).unwrap(),
        no_prior: Predictor::new(no_prior).unwrap(),
        words: Predictor::new(words_model).unwrap(),
        docs,
    }
}

fn stages(c: &mut Criterion) {
    let Setup {
        default: p,
        no_prior,
        words: pw,
        docs,
    } = setup();
    let texts: Vec<&String> = docs.iter().flatten().collect();
    let tok = Tokenizer::bundled();
    let bytes: u64 = texts.iter().map(|t| t.len() as u64).sum();
    let mut g = c.benchmark_group("stages");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes));

    g.bench_function("tokenize", |b| {
        let mut buf = Vec::new();
        b.iter(|| {
            let mut n = 0;
            for t in &texts {
                tok.tokens_into(t, &mut buf);
                n += buf.len();
            }
            n
        })
    });

    // The default model's whole feature extraction: character bigrams of
    // the text, TF-IDF weights, normalisation.
    g.bench_function("vectorize", |b| {
        let mut s = PredictScratch::default();
        b.iter(|| {
            texts
                .iter()
                .map(|t| p.vectorize(t, &mut s).len())
                .sum::<usize>()
        })
    });

    let mut s = PredictScratch::default();
    let vecs: Vec<_> = texts.iter().map(|t| p.vectorize(t, &mut s)).collect();
    g.bench_function("score", |b| {
        let mut ps = PredictScratch::default();
        b.iter(|| vecs.iter().map(|x| p.log_proba(x, &mut ps)[0]).sum::<f64>())
    });

    // EM for each document's theme prior, on the paragraphs' probabilities
    // (copying them, as labelling adapts its own copy).
    let preds: Vec<Vec<_>> = docs
        .iter()
        .map(|d| d.iter().map(|t| p.predict(t)).collect())
        .collect();
    g.bench_function("document_prior", |b| {
        b.iter(|| {
            let mut top = 0.0;
            for (d, pr) in docs.iter().zip(&preds) {
                let mut pr = pr.clone();
                p.adapt_to_document(&mut pr, d);
                top += pr.first().map_or(0.0, |x| x.probs[0]);
            }
            top
        })
    });
    g.finish();

    let mut g = c.benchmark_group("end_to_end");
    g.sample_size(10);
    let corpus_bytes: u64 = std::fs::read_dir(root().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    g.throughput(Throughput::Bytes(corpus_bytes));
    // Reading, decoding, record splitting and segmentation (with the check
    // for wrapped lines) of the whole corpus: where labelling starts.
    g.bench_function("segment_corpus", |b| {
        b.iter(|| corpus::read_all(&[root().join("corpus")]).unwrap())
    });
    let ui = Ui { quiet: true };
    for (name, predictor) in [
        ("label_corpus", &p),
        ("label_corpus_no_document_prior", &no_prior),
        ("label_corpus_words_model", &pw),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let inp = inputs::open(&[root().join("corpus")], false, ui).unwrap();
                let mut out = std::io::sink();
                let opts = label::LabelOptions::default();
                label::label_files(predictor, &inp, opts, Format::Csv, &mut out, ui).unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
