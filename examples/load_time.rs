//! Where model load time goes: `cargo run --release --example load_time -- MODEL`.

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: load_time MODEL")?;
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
        "{{\"jieba_new_ms\":{:.1},\"parse_model_ms\":{:.1},\"predictor_new_ms\":{:.1},\"terms\":{}}}",
        jieba.as_secs_f64() * 1e3,
        parse.as_secs_f64() * 1e3,
        build.as_secs_f64() * 1e3,
        p.model.vectorizer.n_features()
    );
    Ok(())
}
