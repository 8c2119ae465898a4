//! `sample` and `eval --learning-curve` end to end.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use common::{bin, read_csv, root};

const SAMPLE_HEADER: &str =
    "doc_id,para_id,text,theme,secondary,suggested,confidence,reason,region,year,section";

/// (doc_id, para_id) -> gold theme of the bundled labels: the oracle.
fn gold() -> HashMap<(String, String), String> {
    let mut m = HashMap::new();
    for e in std::fs::read_dir(root().join("labels")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "csv") {
            let (_, rows) = read_csv(&p);
            for r in rows {
                m.insert((r[0].to_string(), r[1].to_string()), r[3].to_string());
            }
        }
    }
    m
}

fn sample(args: &[&str], out: &Path) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    bin()
        .arg("sample")
        .args(args)
        .arg("-o")
        .arg(out)
        .assert()
        .success();
    let head = std::fs::read_to_string(out).unwrap();
    assert_eq!(head.lines().next(), Some(SAMPLE_HEADER));
    read_csv(out)
}

#[test]
fn cold_start_spreads_over_documents_and_regions() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.csv");
    // The corpus: 23 documents, 15 regions, 19 region × year strata.
    let (_, rows) = sample(&["corpus", "-n", "19", "-q"], &out);
    assert_eq!(rows.len(), 19);
    let strata: HashSet<(&str, &str)> = rows.iter().map(|r| (&r[8], &r[9])).collect();
    let regions: HashSet<&str> = rows.iter().map(|r| &r[8]).collect();
    assert_eq!(strata.len(), 19, "one per stratum: {strata:?}");
    assert_eq!(regions.len(), 15);
    for r in &rows {
        assert_eq!(&r[3], "", "theme is left to the coder");
        assert_eq!(&r[5], "", "no model, no suggestion");
        assert_eq!(&r[7], "spread");
    }
    // Twice as many: every stratum gets 2 or 3, and inside a stratum its
    // documents get as even a share as the count allows.
    let wide = dir.path().join("wide.csv");
    let (_, rows) = sample(&["corpus", "-n", "46", "-q"], &wide);
    let paras = dir.path().join("p.csv");
    common::segment_corpus(&paras);
    let (_, all) = read_csv(&paras);
    let mut docs_of: HashMap<(String, String), HashSet<String>> = HashMap::new();
    for r in &all {
        docs_of
            .entry((r[2].to_string(), r[6].to_string()))
            .or_default()
            .insert(r[0].to_string());
    }
    let mut per_stratum: HashMap<(String, String), usize> = HashMap::new();
    let mut per_doc: HashMap<String, usize> = HashMap::new();
    for r in &rows {
        *per_stratum
            .entry((r[8].to_string(), r[9].to_string()))
            .or_default() += 1;
        *per_doc.entry(r[0].to_string()).or_default() += 1;
    }
    let mut size: HashMap<(String, String), usize> = HashMap::new();
    for r in &all {
        *size
            .entry((r[2].to_string(), r[6].to_string()))
            .or_default() += 1;
    }
    // Strata not used up (one holds a single paragraph).
    let counts: Vec<usize> = docs_of
        .keys()
        .filter(|k| size[*k] > 3)
        .map(|k| per_stratum.get(k).copied().unwrap_or(0))
        .collect();
    assert_eq!(counts.len(), 18);
    assert!(
        counts.iter().max().unwrap() - counts.iter().min().unwrap() <= 1,
        "{per_stratum:?}"
    );
    for (k, docs) in &docs_of {
        let n: Vec<usize> = docs
            .iter()
            .map(|d| per_doc.get(d).copied().unwrap_or(0))
            .collect();
        assert!(
            n.iter().max().unwrap() - n.iter().min().unwrap() <= 1,
            "{k:?}: {n:?}"
        );
    }
    // The same seed gives the same proposal; another seed another.
    let again = dir.path().join("again.csv");
    sample(&["corpus", "-n", "19", "-q"], &again);
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&again).unwrap());
    let other = dir.path().join("other.csv");
    sample(&["corpus", "-n", "19", "-q", "--seed", "7"], &other);
    assert_ne!(std::fs::read(&out).unwrap(), std::fs::read(&other).unwrap());
}

/// Fill in `theme` of the first `k` rows of a sample file from the gold.
fn fill(path: &Path, k: usize, gold: &HashMap<(String, String), String>) {
    let (h, rows) = read_csv(path);
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(&h).unwrap();
    for (i, r) in rows.iter().enumerate() {
        let mut rec: Vec<String> = r.iter().map(str::to_string).collect();
        if i < k {
            rec[3] = gold[&(rec[0].clone(), rec[1].clone())].clone();
        }
        w.write_record(&rec).unwrap();
    }
    w.flush().unwrap();
}

#[test]
fn the_loop_reads_its_own_files_back_and_never_repeats_a_paragraph() {
    let gold = gold();
    let dir = tempfile::tempdir().unwrap();
    let round1 = dir.path().join("round1.csv");
    sample(&["corpus", "-n", "40", "-q"], &round1);
    // Filled in over two sittings: 35 of the 40 so far.
    fill(&round1, 35, &gold);
    // The partly filled file is a label file: checked and trained on, with
    // the rows still empty skipped and said so.
    bin()
        .args(["labels", "check", "--no-corpus"])
        .arg(&round1)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "5 row(s) without a theme skipped",
        ));
    // Round 2 is chosen by a model fitted on the 35 labels.
    let round2 = dir.path().join("round2.csv");
    let out = bin()
        .args(["sample", "corpus", "-n", "30", "--labels"])
        .arg(&round1)
        .arg("-o")
        .arg(&round2)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fitted on the 35 labels"), "{stderr}");
    let (_, r1) = read_csv(&round1);
    let (_, r2) = read_csv(&round2);
    assert_eq!(r2.len(), 30);
    let labelled: HashSet<(&str, &str)> = r1[..35].iter().map(|r| (&r[0], &r[1])).collect();
    for r in &r2 {
        assert!(!labelled.contains(&(&r[0], &r[1])), "proposed again: {r:?}");
        assert!(r[7].starts_with("uncertain (margin "), "{r:?}");
        let c: f64 = r[6].parse().unwrap();
        assert!(c > 0.0 && c <= 1.0);
        assert!(!r[5].is_empty());
    }
    // The model is unsure of what it proposes: their confidence is lower,
    // on average, than over the corpus as the same model labels it.
    let mean = |rows: &[csv::StringRecord]| {
        rows.iter()
            .map(|r| r[6].parse::<f64>().unwrap())
            .sum::<f64>()
            / rows.len() as f64
    };
    let model = dir.path().join("m.json");
    bin()
        .args(["train", "-q", "--labels"])
        .arg(&round1)
        .arg("-o")
        .arg(&model)
        .assert()
        .success();
    let all = dir.path().join("all.csv");
    bin()
        .args(["sample", "corpus", "-q", "-n", "100000", "--model"])
        .arg(&model)
        .arg("-o")
        .arg(&all)
        .assert()
        .success();
    let (_, everything) = read_csv(&all);
    assert!(everything.len() > 1000);
    assert!(
        mean(&r2) < mean(&everything) - 0.05,
        "{} vs {}",
        mean(&r2),
        mean(&everything)
    );
}

#[test]
fn sample_reads_a_segmented_csv_too() {
    let dir = tempfile::tempdir().unwrap();
    let paras = dir.path().join("p.csv");
    common::segment_corpus(&paras);
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    sample(&[paras.to_str().unwrap(), "-n", "15", "-q"], &a);
    sample(&["corpus", "-n", "15", "-q"], &b);
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

#[test]
fn a_bad_label_file_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "doc_id,para_id,text,theme,secondary\nd,0,x,nosuch,\n").unwrap();
    let out = dir.path().join("s.csv");
    bin()
        .args(["sample", "corpus", "-n", "5", "--labels"])
        .arg(&bad)
        .arg("-o")
        .arg(&out)
        .assert()
        .failure()
        .stderr(predicates::str::contains("bad.csv:2"));
    assert!(!out.exists());
}

#[test]
fn learning_curve_has_a_row_per_step_with_intervals() {
    let out = bin()
        .args([
            "eval",
            "--learning-curve",
            "--steps",
            "2",
            "--repeats",
            "2",
            "--format",
            "jsonl",
            "-q",
            "--labels",
            "labels/004_6437f29fd503ac4d.csv",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pts: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(pts.len(), 2);
    assert_eq!(pts[0]["repeats"], 2);
    assert_eq!(pts[1]["repeats"], 1);
    let half = pts[0]["labels"].as_f64().unwrap();
    let full = pts[1]["labels"].as_f64().unwrap();
    // 291 labels in 5 folds: a training fold holds about 233, half of it about 116.
    assert!((full - 291.0 * 0.8).abs() < 15.0, "{full}");
    assert!((half / full - 0.5).abs() < 0.08, "{half} of {full}");
    for p in &pts {
        let (f1, lo, hi) = (
            p["macro_f1"].as_f64().unwrap(),
            p["macro_f1_low"].as_f64().unwrap(),
            p["macro_f1_high"].as_f64().unwrap(),
        );
        assert!(lo <= f1 && f1 <= hi && f1 > 0.2 && f1 <= 1.0, "{p}");
    }
    // Twice the labels, a better model: on these labels the gap is large.
    assert!(pts[1]["macro_f1"].as_f64().unwrap() > pts[0]["macro_f1"].as_f64().unwrap());
}
