//! Where model load time goes: `cargo run --release --example load_time -- MODEL`.
//!
//! `jieba_new_ms` is building jieba's dictionary from its word list, what the
//! tokenizer did before; `tokenizer_bundled_ms` is what it does now: restore
//! the snapshot embedded at build time and add the user dictionary.

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: load_time MODEL")?;
    // The tokenizer first, cold, as in a real run.
    let t = Instant::now();
    let tok = policy_themes::text::Tokenizer::bundled();
    let bundled = t.elapsed();
    drop(tok);
    let t = Instant::now();
    let j = jieba_rs::Jieba::new();
    let jieba = t.elapsed();
    drop(j);
    let t = Instant::now();
    let model = policy_themes::model::persist::load(std::path::Path::new(&path))?;
    let parse = t.elapsed();
    let t = Instant::now();
    let p = policy_themes::model::Predictor::new(model)?;
    let build = t.elapsed();
    println!(
        "{{\"jieba_new_ms\":{:.1},\"tokenizer_bundled_ms\":{:.1},\"parse_model_ms\":{:.1},\"predictor_new_ms\":{:.1},\"terms\":{}}}",
        jieba.as_secs_f64() * 1e3,
        bundled.as_secs_f64() * 1e3,
        parse.as_secs_f64() * 1e3,
        build.as_secs_f64() * 1e3,
        p.model.vectorizer.n_features()
    );
    Ok(())
}
