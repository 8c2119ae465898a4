//! `summary --format long` and `analyze`'s out/panel.csv: the region × year
//! panel in long layout.

mod common;

use std::collections::HashMap;

use common::{bin, read_csv};

fn labelled(dir: &std::path::Path) -> std::path::PathBuf {
    let out = dir.join("lab.csv");
    bin()
        .args(["label", "-q", "corpus", "--model"])
        .arg(common::default_model())
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    out
}

#[test]
fn the_long_panel_holds_the_wide_table_one_theme_a_row() {
    let dir = tempfile::tempdir().unwrap();
    let lab = labelled(dir.path());
    let long = dir.path().join("long.csv");
    let wide = dir.path().join("wide.csv");
    for (fmt, path) in [("long", &long), ("csv", &wide)] {
        bin()
            .args([
                "summary",
                "-q",
                "--by",
                "region,year",
                "--ci",
                "--samples",
                "200",
                "--format",
                fmt,
            ])
            .arg(&lab)
            .arg("-o")
            .arg(path)
            .assert()
            .success();
    }
    let (lh, lrows) = read_csv(&long);
    let (wh, wrows) = read_csv(&wide);
    let lcol = |n: &str| lh.iter().position(|h| h == n).unwrap();
    let wcol = |n: &str| wh.iter().position(|h| h == n).unwrap();
    for c in [
        "region",
        "year",
        "region_code",
        "province",
        "kind",
        "theme",
        "share",
        "share_lo",
        "share_hi",
        "paragraphs",
        "chars",
    ] {
        lcol(c);
    }
    let themes: Vec<&str> = wh.iter().skip(wcol("uncertain") + 1).take(13).collect();
    assert_eq!(lrows.len(), wrows.len() * themes.len());
    // Every (region, kind, year, theme) cell of the wide table, with its interval.
    type Cell = (String, String, String, String);
    let mut cells: HashMap<Cell, (String, String, String)> = HashMap::new();
    for r in &lrows {
        cells.insert(
            (
                r[lcol("region")].into(),
                r[lcol("kind")].into(),
                r[lcol("year")].into(),
                r[lcol("theme")].into(),
            ),
            (
                r[lcol("share")].into(),
                r[lcol("share_lo")].into(),
                r[lcol("share_hi")].into(),
            ),
        );
    }
    for w in &wrows {
        for t in &themes {
            let key = (
                w[wcol("region")].to_string(),
                w[wcol("kind")].to_string(),
                w[wcol("year")].to_string(),
                t.to_string(),
            );
            let got = &cells[&key];
            assert_eq!(got.0, &w[wcol(t)], "{t}");
            assert_eq!(got.1, &w[wcol(&format!("{t}_lo"))], "{t}");
            assert_eq!(got.2, &w[wcol(&format!("{t}_hi"))], "{t}");
        }
    }
    // The division code and province of every known region are joined in.
    for r in &lrows {
        if r[lcol("region")] == *"咸阳市" {
            assert_eq!(&r[lcol("region_code")], "610400");
            assert_eq!(&r[lcol("province")], "陕西省");
        }
        assert!(!r[lcol("kind")].is_empty());
    }
}

#[test]
fn analyze_writes_the_panel_beside_the_shares() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bin()
        .args(["analyze", "-q", "corpus", "--out"])
        .arg(&out)
        .assert()
        .success();
    let (h, rows) = read_csv(&out.join("panel.csv"));
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    // 20 region × kind × year groups of the corpus, 13 themes each: 19
    // region × year, of which 呼和浩特市 2021 holds a work report and articles.
    assert_eq!(rows.len(), 20 * 13);
    let mut sums: HashMap<(String, String, String), f64> = HashMap::new();
    for r in &rows {
        let lo: f64 = r[col("share_lo")].parse().unwrap();
        let s: f64 = r[col("share")].parse().unwrap();
        let hi: f64 = r[col("share_hi")].parse().unwrap();
        assert!(lo <= s + 1e-9 && s <= hi + 1e-9, "{r:?}");
        *sums
            .entry((
                r[col("region")].into(),
                r[col("kind")].into(),
                r[col("year")].into(),
            ))
            .or_default() += s;
    }
    assert!(sums.values().all(|s| (s - 1.0).abs() < 1e-4), "{sums:?}");
}

#[test]
fn the_dictionary_measure_has_no_long_layout_and_says_so_before_reading() {
    bin()
        .args([
            "summary",
            "no-such-file.csv",
            "--method",
            "dictionary",
            "--format",
            "long",
        ])
        .assert()
        .failure()
        .stdout("")
        .stderr(predicates::str::contains(
            "--format long is the model's shares",
        ));
}
