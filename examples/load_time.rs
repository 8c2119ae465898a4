//! Where model load time goes: `cargo run --release --example load_time -- MODEL`.
//!
//! `predictor_load_ms` is what a command pays, measured first so it is cold
//! as in a real run: `Predictor::load` parses the model file, compiles the
//! scorer and, for a model that reads words, restores jieba's dictionary.
//! The parts, measured after it (memory is warm by then, so they are a little
//! faster than cold): `tokenizer_bundled_ms` restores the snapshot embedded at
//! build time and adds the user dictionary; `jieba_new_ms` is building jieba's
//! dictionary from its word list instead, as the tokenizer did before the
//! snapshot; `parse_model_ms` reads the model file; `predictor_new_ms`
//! compiles the scorer (and builds a words model's tokenizer).

use std::path::Path;
use std::time::Instant;

use policy_themes::model::{persist, Predictor};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: load_time MODEL")?;
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let p = Predictor::load(Path::new(&path))?;
    let load = ms(t);
    drop(p);
    let t = Instant::now();
    drop(policy_themes::text::Tokenizer::bundled());
    let bundled = ms(t);
    let t = Instant::now();
    drop(jieba_rs::Jieba::new());
    let jieba = ms(t);
    let t = Instant::now();
    let model = persist::load(Path::new(&path))?;
    let parse = ms(t);
    let t = Instant::now();
    let p = Predictor::new(model)?;
    let build = ms(t);
    println!(
        "{{\"predictor_load_ms\":{load:.1},\"tokenizer_bundled_ms\":{bundled:.1},\"jieba_new_ms\":{jieba:.1},\"parse_model_ms\":{parse:.1},\"predictor_new_ms\":{build:.1},\"terms\":{}}}",
        p.model.vectorizer.n_features()
    );
    Ok(())
}
