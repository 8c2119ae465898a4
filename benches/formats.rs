//! Ingestion throughput by input format: the plain seed reports rendered as
//! a portal web page (UTF-8 and GBK), a PDF with a CJK text layer and a
//! Word .docx (fixtures of `tests/formats_fixtures`), each read with
//! `corpus::parse_file` (extract, records, unwrap, metadata, segment), with
//! the seeds' own `.txt` as the reference. Two groups: MB/s of input bytes
//! and paragraphs/s.
//!
//! `cargo bench --bench formats` (on an idle machine)

#[path = "../tests/formats_fixtures/mod.rs"]
mod formats_fixtures;

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use formats_fixtures as fx;
use policy_themes::corpus;

const SEEDS: [&str; 3] = [
    "000_948226ca6efd262f",
    "002_d156648063b80b79",
    "003_cbd66c4364d6c9dc",
];

/// (format, file name, bytes) for every seed and format.
fn inputs() -> Vec<(&'static str, String, Vec<u8>)> {
    let mut out = Vec::new();
    for name in SEEDS {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("corpus")
            .join(format!("{name}.txt"));
        let text = std::fs::read_to_string(&path).unwrap();
        let docs = corpus::read_file(&path, None).unwrap();
        let d = &docs[0];
        let title = if d.meta.title.contains("报告") {
            d.meta.title.clone()
        } else {
            format!("{}政府工作报告", d.meta.region)
        };
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let paragraphs: Vec<&str> = d.paragraphs.iter().map(|p| p.text.as_str()).collect();
        out.push(("txt", format!("{name}.txt"), text.clone().into_bytes()));
        out.push((
            "html-utf8",
            format!("{name}.html"),
            fx::html_page(&title, &lines, "utf-8", true).into_bytes(),
        ));
        out.push((
            "html-gbk",
            format!("{name}.html"),
            fx::html_page_gbk(&title, &lines, true),
        ));
        out.push((
            "pdf",
            format!("{name}.pdf"),
            fx::pdf(&title, &paragraphs, 64, "人民政府"),
        ));
        out.push(("docx", format!("{name}.docx"), fx::docx(&title, &lines)));
    }
    out
}

fn read_all(files: &[&(&str, String, Vec<u8>)]) -> usize {
    files
        .iter()
        .map(|(_, name, bytes)| {
            corpus::parse_file(Path::new(name), bytes, None)
                .unwrap()
                .iter()
                .map(|d| d.paragraphs.len())
                .sum::<usize>()
        })
        .sum()
}

fn bench(c: &mut Criterion) {
    let all = inputs();
    for (group, by_paragraphs) in [("ingest_bytes", false), ("ingest_paragraphs", true)] {
        let mut g = c.benchmark_group(group);
        for format in ["txt", "html-utf8", "html-gbk", "pdf", "docx"] {
            let files: Vec<&(&str, String, Vec<u8>)> =
                all.iter().filter(|(f, _, _)| *f == format).collect();
            let bytes: usize = files.iter().map(|(_, _, b)| b.len()).sum();
            let paragraphs = read_all(&files);
            g.throughput(if by_paragraphs {
                Throughput::Elements(paragraphs as u64)
            } else {
                Throughput::Bytes(bytes as u64)
            });
            g.bench_with_input(BenchmarkId::from_parameter(format), &files, |b, files| {
                b.iter(|| read_all(files))
            });
        }
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
