//! Criterion benchmarks of each stage on the bundled corpus:
//! tokenization (jieba, which only `--words` models run), vectorization and
//! scoring with the default model, the document prior (on the naive Bayes
//! model it was made for), and end-to-end labelling with the default model,
//! naive Bayes with a document prior (the default until 2026-11-23) and a
//! `--words` model (reading, labelling and writing CSV as `label` does, but
//! through the library, without the command's batches of files); and reading
//! and segmenting the corpus.
//!
//! `cargo bench --bench pipeline`

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use policy_themes::corpus;
use policy_themes::labelling::{label_documents, LabelOptions};
use policy_themes::labelling::{Format, RowWriter};
use policy_themes::model::PredictScratch;
use policy_themes::model::{fit, ClassifierKind, Predictor, TrainParams};
use policy_themes::text::Tokenizer;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Setup {
    default: Predictor,
    /// Naive Bayes with a document prior, the default until 2026-11-23.
    nb_prior: Predictor,
    words: Predictor,
    /// Paragraph texts, document by document.
    docs: Vec<Vec<String>>,
}

fn setup() -> Setup {
    let set = policy_themes::labelling::LabelSet::read_strict(
        &root().join("labels"),
        &policy_themes::Codebook::bundled().unwrap(),
    )
    .unwrap();
    let ex = set.examples();
    let tok = Tokenizer::bundled();
    let model = fit(
        &ex,
        &TrainParams::default(),
        &tok,
        &policy_themes::Codebook::bundled().unwrap(),
        Default::default(),
    )
    .unwrap();
    let mut words = TrainParams::default();
    words.features.words = true;
    let words_model = fit(
        &ex,
        &words,
        &tok,
        &policy_themes::Codebook::bundled().unwrap(),
        Default::default(),
    )
    .unwrap();
    let nb_params = TrainParams {
        classifier: ClassifierKind::MultinomialNb { alpha: 0.03 },
        document_prior: Some(0.1),
        ..TrainParams::default()
    };
    let nb_model = fit(
        &ex,
        &nb_params,
        &tok,
        &policy_themes::Codebook::bundled().unwrap(),
        Default::default(),
    )
    .unwrap();
    let docs = corpus::read_all(&[root().join("corpus")])
        .unwrap()
        .iter()
        .map(|d| d.paragraphs.iter().map(|p| p.text.clone()).collect())
        .collect();
    Setup {
        default: Predictor::new(model).unwrap(),
        nb_prior: Predictor::new(nb_model).unwrap(),
        words: Predictor::new(words_model).unwrap(),
        docs,
    }
}

fn stages(c: &mut Criterion) {
    let Setup {
        default: p,
        nb_prior,
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

    // EM for each document's theme prior (`--document-prior`, off in the
    // default model), on the paragraphs' probabilities (copying them, as
    // labelling adapts its own copy).
    let preds: Vec<Vec<_>> = docs
        .iter()
        .map(|d| d.iter().map(|t| nb_prior.predict(t)).collect())
        .collect();
    g.bench_function("document_prior", |b| {
        b.iter(|| {
            let mut top = 0.0;
            for (d, pr) in docs.iter().zip(&preds) {
                let mut pr = pr.clone();
                nb_prior.adapt_to_document(&mut pr, d);
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
    for (name, predictor) in [
        ("label_corpus", &p),
        ("label_corpus_nb_document_prior", &nb_prior),
        ("label_corpus_words_model", &pw),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                // What `label` does without its streaming in batches of files:
                // read every document, label it, write each row as CSV.
                let docs = corpus::read_all(&[root().join("corpus")]).unwrap();
                let rows = label_documents(predictor, docs, LabelOptions::default());
                let mut w = RowWriter::new(std::io::sink(), Format::Csv, false).unwrap();
                for r in &rows {
                    w.write(r, predictor.codebook()).unwrap();
                }
                w.finish().unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
