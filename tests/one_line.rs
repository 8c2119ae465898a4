//! One line or many, the same report: every seed document pasted as one line
//! gives the metadata and nearly all the paragraphs of the document as the
//! corpus holds it. Figures per document:
//! `cargo test --release --test one_line -- --nocapture`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use policy_themes::corpus::{self, Document};

fn seed_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v
}

type Meta = (String, Option<u16>, Option<corpus::Kind>);

fn meta(d: &Document) -> Meta {
    (d.meta.region.clone(), d.meta.year, d.meta.kind)
}

/// A scraped record's title line and body lines (the lines its paragraphs
/// came from; the title is the line before the first).
fn record_parts<'a>(lines: &[&'a str], d: &Document) -> (&'a str, Vec<&'a str>) {
    let first = d.paragraphs.first().map_or(1, |p| p.line);
    let last = d.paragraphs.last().map_or(first, |p| p.line);
    let body = lines[first - 1..last]
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    (lines[first - 2].trim(), body)
}

/// The document pasted as one line, its lines joined by `sep`. A plain
/// report becomes a file of one line. A record of a listing page stays a
/// record, with its title and body on one line; with `as_plain` it is pasted
/// alone, as a file of one line.
fn one_line(text: &str, d: &Document, sep: &str, as_plain: bool) -> String {
    let lines: Vec<&str> = text.lines().collect();
    match d.record {
        None => lines
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(sep),
        Some(_) => {
            let (title, body) = record_parts(&lines, d);
            let line = format!("{title}{sep}{}", body.join(sep));
            if as_plain {
                line
            } else {
                format!("-\n{line}\n2025-01-01\n")
            }
        }
    }
}

struct Row {
    id: String,
    paragraphs: usize,
    same: usize,
    want: Meta,
    got: Meta,
}

fn measure(sep: &str, as_plain: bool) -> Vec<Row> {
    let mut out = Vec::new();
    for f in seed_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        for d in corpus::parse_file(&f, text.as_bytes(), None).unwrap() {
            let pasted = one_line(&text, &d, sep, as_plain);
            let name = format!("{}.txt", d.doc_id);
            let mut got = corpus::parse_file(Path::new(&name), pasted.as_bytes(), None).unwrap();
            assert_eq!(got.len(), 1, "{}", d.doc_id);
            let g = got.remove(0);
            let texts: HashSet<&str> = g.paragraphs.iter().map(|p| p.text.as_str()).collect();
            out.push(Row {
                id: d.doc_id.clone(),
                paragraphs: d.paragraphs.len(),
                same: d
                    .paragraphs
                    .iter()
                    .filter(|p| texts.contains(p.text.as_str()))
                    .count(),
                want: meta(&d),
                got: meta(&g),
            });
        }
    }
    out
}

/// Prints the figures; returns (same, total, documents below 95% or with
/// other metadata).
fn report(sep: &str, as_plain: bool) -> (usize, usize, Vec<String>) {
    let rows = measure(sep, as_plain);
    assert_eq!(rows.len(), 23);
    let (mut same, mut total, mut bad) = (0, 0, Vec::new());
    for r in &rows {
        total += r.paragraphs;
        same += r.same;
        eprintln!(
            "sep={sep:?} plain={as_plain} {}: {}/{} paragraphs same ({:.1}%), metadata {}",
            r.id,
            r.same,
            r.paragraphs,
            100.0 * r.same as f64 / r.paragraphs as f64,
            if r.want == r.got { "same" } else { "DIFFERS" }
        );
        if r.want != r.got {
            bad.push(format!(
                "{}: metadata {:?} became {:?}",
                r.id, r.want, r.got
            ));
        }
        if r.same * 100 < r.paragraphs * 95 {
            bad.push(format!(
                "{}: {}/{} paragraphs same",
                r.id, r.same, r.paragraphs
            ));
        }
    }
    eprintln!(
        "sep={sep:?} plain={as_plain} overall: {same}/{total} ({:.1}%)",
        100.0 * same as f64 / total as f64
    );
    (same, total, bad)
}

#[test]
fn every_seed_document_joined_with_spaces_is_the_same_report() {
    let (same, total, bad) = report(" ", false);
    assert!(bad.is_empty(), "{bad:#?}");
    assert!(same * 100 >= total * 95, "{same}/{total}");
}

/// Joined with nothing between the lines, only the shape of the text tells
/// where a line ended: a heading running into its lead sentence
/// (`(一)全力推动经济高质量发展深入实施创新驱动。`), a lead sentence after a
/// paragraph. That recovers 000 and the records; it cannot tell an item's
/// lead sentence from the sub-leads inside an item (003: `建设区域性消费中心区。…
/// 壮大电子商务产业。…` is one line), nor rejoin a title wrapped over three
/// lines (002). So the 95% target holds for every document but those two,
/// and this holds the figures reached (see BENCHMARKS.md) so they do not fall back.
#[test]
fn every_seed_document_joined_without_spaces_keeps_metadata_and_most_paragraphs() {
    let (same, total, bad) = report("", false);
    assert!(bad.iter().all(|b| !b.contains("metadata")), "{bad:#?}");
    let known = ["002_d156648063b80b79", "003_cbd66c4364d6c9dc"];
    assert!(
        bad.iter().all(|b| known.iter().any(|k| b.starts_with(k))),
        "{bad:#?}"
    );
    assert!(same * 100 >= total * 96, "{same}/{total}");
}
