//! Raw jieba-rs throughput, the ceiling for labelling speed: `cut(hmm = true)`
//! over the `text` column of a paragraphs CSV, on 1 thread and on all cores.
//!
//! `cargo run --release --example jieba_cut -- paragraphs.csv`
//! Prints one JSON line.

use std::time::Instant;

use jieba_rs::Jieba;
use rayon::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: jieba_cut PARAGRAPHS.csv")?;
    let mut rdr = csv::Reader::from_path(&path)?;
    let col = rdr
        .headers()?
        .iter()
        .position(|h| h == "text")
        .ok_or("no text column")?;
    let texts: Vec<String> = rdr
        .records()
        .map(|r| r.map(|r| r.get(col).unwrap_or("").to_string()))
        .collect::<Result<_, _>>()?;
    let chars: usize = texts.iter().map(|t| t.chars().count()).sum();
    let jieba = Jieba::new();
    let t = Instant::now();
    let words: usize = texts.iter().map(|s| jieba.cut(s, true).len()).sum();
    let one = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let words_par: usize = texts.par_iter().map(|s| jieba.cut(s, true).len()).sum();
    let all = t.elapsed().as_secs_f64();
    assert_eq!(words, words_par);
    println!(
        "{{\"chars\":{chars},\"threads\":{},\"one_thread_chars_per_second\":{:.0},\"all_threads_chars_per_second\":{:.0}}}",
        rayon::current_num_threads(),
        chars as f64 / one,
        chars as f64 / all
    );
    Ok(())
}
