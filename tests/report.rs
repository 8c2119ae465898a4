//! End-to-end tests of the share reports: `summary --ci/--adjust/--method dictionary`,
//! `compare` and the HTML `report` (also written by `analyze`).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

mod common;
use common::bin;

const THEMES: [&str; 13] = common::BUNDLED_THEMES;

fn stdout(c: &mut Command) -> String {
    let out = c.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

fn parse_csv(s: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(s.as_bytes());
    let h = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    (h, rows)
}

fn col(h: &[String], name: &str) -> usize {
    h.iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no column {name} in {h:?}"))
}

fn num(row: &[String], i: usize) -> f64 {
    row[i].parse().unwrap()
}

/// A labelled CSV with three regions, two years for one of them, every theme,
/// an uncertain paragraph and text that needs escaping.
fn write_labelled(dir: &Path) -> PathBuf {
    let path = dir.join("labelled.csv");
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record([
        "doc_id",
        "para_id",
        "region",
        "year",
        "kind",
        "section",
        "theme",
        "confidence",
        "secondary",
        "text",
    ])
    .unwrap();
    let docs = [
        ("jia-2021", "甲市", "2021"),
        ("jia-2023", "甲市", "2023"),
        ("yi-2022", "乙县", "2022"),
        ("bing-2022", "丙区", "2022"),
    ];
    for (d, (doc, region, year)) in docs.iter().enumerate() {
        for p in 0..26 {
            let theme = THEMES[(p * (d + 1) + d) % 13];
            let text = format!(
                "第{p}段:推进{theme}相关工作,坚决打好污染防治攻坚战,建设高标准农田,发展制造业,<b>\"引号\"</b> & 其他内容。"
            );
            let conf = format!("{:.3}", 0.5 + (p as f64) / 60.0);
            w.write_record([
                *doc,
                &p.to_string(),
                *region,
                *year,
                "work_report",
                "plan",
                theme,
                &conf,
                "",
                &text,
            ])
            .unwrap();
        }
    }
    w.write_record([
        "bing-2022",
        "26",
        "丙区",
        "2022",
        "work_report",
        "plan",
        "uncertain",
        "0.2",
        "",
        "不确定的段落",
    ])
    .unwrap();
    w.flush().unwrap();
    path
}

/// Every opened non-void element is closed, in order; `<x/>` closes itself;
/// every `&` starts an entity. The error names the byte offset of the first problem.
fn check_well_formed(html: &str) -> Result<(), String> {
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    let b = html.as_bytes();
    let mut stack: Vec<String> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'&' => {
                let rest = &html[i..];
                let end = rest.find(';').ok_or(format!("bare & at {i}"))?;
                let ent = &rest[1..end];
                if ent.is_empty()
                    || end > 10
                    || !ent.chars().all(|c| c.is_ascii_alphanumeric() || c == '#')
                {
                    return Err(format!("bad entity at {i}"));
                }
                i += 1;
            }
            b'<' => {
                let rest = &html[i..];
                if rest.starts_with("<!--") {
                    i += rest.find("-->").ok_or("unclosed comment")? + 3;
                    continue;
                }
                if rest.starts_with("<!") {
                    i += rest.find('>').ok_or("unclosed declaration")? + 1;
                    continue;
                }
                // Find the end of the tag, skipping quoted attribute values.
                let rb = rest.as_bytes();
                let mut j = 1;
                let mut quote: Option<u8> = None;
                while j < rb.len() {
                    match (quote, rb[j]) {
                        (None, b'"' | b'\'') => quote = Some(rb[j]),
                        (Some(q), c) if c == q => quote = None,
                        (None, b'>') => break,
                        (None, b'<') => return Err(format!("`<` inside a tag at {}", i + j)),
                        _ => {}
                    }
                    j += 1;
                }
                if j >= rb.len() {
                    return Err(format!("unclosed tag at {i}"));
                }
                let tag = &rest[1..j];
                let closing = tag.starts_with('/');
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect::<String>()
                    .to_ascii_lowercase();
                if name.is_empty() {
                    return Err(format!("stray `<` at {i}"));
                }
                if closing {
                    match stack.pop() {
                        Some(open) if open == name => {}
                        Some(open) => return Err(format!("</{name}> closes <{open}> at {i}")),
                        None => return Err(format!("</{name}> closes nothing at {i}")),
                    }
                } else if !tag.ends_with('/') && !VOID.contains(&name.as_str()) {
                    stack.push(name.clone());
                }
                i += j + 1;
                // Raw text elements: skip to their end tag.
                if !closing && (name == "style" || name == "script") && !tag.ends_with('/') {
                    i += html[i..]
                        .find(&format!("</{name}>"))
                        .ok_or(format!("unclosed <{name}>"))?;
                }
            }
            _ => i += 1,
        }
    }
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("unclosed elements: {stack:?}"))
    }
}

fn assert_well_formed(html: &str) {
    if let Err(e) = check_well_formed(html) {
        panic!("HTML is not well-formed: {e}");
    }
}

#[test]
fn the_checker_catches_broken_html() {
    assert_well_formed("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>a>b{}</style></head><body><p title=\"a>b\">x &amp; y<br><svg><rect/></svg></p></body></html>");
    for bad in [
        "<p><b></p></b>",
        "<p>",
        "</p>",
        "<p>a & b</p>",
        "<p a=\"x>y</p>",
        "<p>1 < 2</p>",
    ] {
        assert!(check_well_formed(bad).is_err(), "{bad}");
    }
}

#[test]
fn report_is_self_contained_well_formed_and_names_every_region_and_theme() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_labelled(dir.path());
    let out = dir.path().join("report.html");
    bin()
        .args(["report", "-q"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("\"Noto Sans CJK SC\""));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no network assets"
    );
    // One inline script (sorting), nothing loaded: no src, no link, no import.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(!html.contains("<script src") && !html.contains("<link") && !html.contains("@import"));
    assert!(!html.contains("<b>\"引号\"</b>"));
    assert!(
        html.contains("&lt;b&gt;&quot;引号&quot;&lt;/b&gt;"),
        "text is escaped"
    );
    assert_well_formed(&html);
    for region in ["甲市", "乙县", "丙区"] {
        assert!(html.contains(region), "{region}");
    }
    for t in THEMES {
        assert!(html.contains(&format!("id=\"theme-{t}\"")), "{t}");
    }
    for section in [
        "id=\"heatmap\"",
        "id=\"bars\"",
        "id=\"trends\"",
        "id=\"examples\"",
    ] {
        assert!(html.contains(section), "{section}");
    }
    assert!(
        html.matches("<svg").count() >= 3,
        "heatmap, bars and a trend"
    );
    // Reproducible for the default seed.
    let again = dir.path().join("again.html");
    bin()
        .args(["report", "-q"])
        .arg(&input)
        .arg("-o")
        .arg(&again)
        .assert()
        .success();
    assert_eq!(html, std::fs::read_to_string(&again).unwrap());
    // A missing input is an error naming it, and no file is written.
    let none = dir.path().join("none.html");
    bin()
        .args(["report", "-q", "missing.csv", "-o"])
        .arg(&none)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.csv"));
    assert!(!none.exists());
}

#[test]
fn summary_ci_is_reproducible_and_brackets_every_share() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_labelled(dir.path());
    let run = |seed: &str| {
        stdout(
            bin()
                .args([
                    "summary",
                    "-q",
                    "--ci",
                    "--csv",
                    "--samples",
                    "300",
                    "--by",
                    "region,year",
                    "--seed",
                    seed,
                ])
                .arg(&input),
        )
    };
    let a = run("7");
    assert_eq!(a, run("7"));
    assert_ne!(a, run("8"));
    let (h, rows) = parse_csv(&a);
    assert_eq!(rows.len(), 4);
    for r in &rows {
        let sum: f64 = THEMES.iter().map(|t| num(r, col(&h, t))).sum();
        assert!((sum - 1.0).abs() < 1e-4);
        for t in THEMES {
            let (s, lo, hi) = (
                num(r, col(&h, t)),
                num(r, col(&h, &format!("{t}_lo"))),
                num(r, col(&h, &format!("{t}_hi"))),
            );
            assert!(lo <= s + 1e-6 && s <= hi + 1e-6, "{t}: {lo} {s} {hi}");
        }
    }
    // The table shows the intervals on a second line.
    let table = stdout(bin().args(["summary", "-q", "--ci"]).arg(&input));
    assert!(table.contains("95% bootstrap interval"), "{table}");
    assert_eq!(
        table.lines().count(),
        1 + 2 * 3 + 2,
        "header, two lines per region, notes"
    );
}

/// `summary --adjust --ci --csv --by doc` of a labelled file: header and rows.
fn adjusted_by_doc(labelled: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let out = stdout(
        bin()
            .args(["summary", "-q", "--adjust", "--ci", "--samples", "100"])
            .args(["--csv", "--by", "doc"])
            .arg(labelled),
    );
    parse_csv(&out)
}

#[test]
fn summary_adjust_shows_raw_and_adjusted_shares_summing_to_one() {
    // A label file is a labelled CSV too (doc_id, theme, text); group by document.
    let (h, rows) = adjusted_by_doc(Path::new("labels/001_88e7c62cb5127eba.csv"));
    assert_eq!(rows.len(), 10);
    for r in &rows {
        for suffix in ["", "_adj"] {
            let sum: f64 = THEMES
                .iter()
                .map(|t| num(r, col(&h, &format!("{t}{suffix}"))))
                .sum();
            assert!((sum - 1.0).abs() < 1e-4, "{suffix}: {sum}");
        }
        for t in THEMES {
            let adj = num(r, col(&h, &format!("{t}_adj")));
            assert!(adj >= 0.0);
            assert!(
                num(r, col(&h, &format!("{t}_adj_lo"))) <= num(r, col(&h, &format!("{t}_adj_hi")))
            );
        }
    }
    // A document whose paragraphs all carry one theme: resampling its
    // paragraphs changes nothing, so only the redrawn confusion gives its
    // adjusted shares an interval wider than a point.
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one.csv");
    let mut w = csv::Writer::from_path(&one).unwrap();
    w.write_record(["doc_id", "para_id", "theme", "text"])
        .unwrap();
    for i in 0..8 {
        w.write_record([
            "d",
            &i.to_string(),
            "reform",
            "深化放管服改革,优化营商环境。",
        ])
        .unwrap();
    }
    w.flush().unwrap();
    let (h, rows) = adjusted_by_doc(&one);
    let r = &rows[0];
    assert_eq!(num(r, col(&h, "reform_lo")), num(r, col(&h, "reform_hi")));
    let (lo, hi) = (
        num(r, col(&h, "reform_adj_lo")),
        num(r, col(&h, "reform_adj_hi")),
    );
    assert!(lo < hi - 0.005, "adjusted interval {lo}-{hi}");

    bin()
        .args(["summary", "--gold", "--adjust"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--adjust"));
}

#[test]
fn summary_dictionary_measure_counts_keywords_per_word() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_labelled(dir.path());
    let dict = dir.path().join("dict.txt");
    std::fs::write(
        &dict,
        "# test\n[ecology]\n污染防治\n[rural]\n高标准农田\n[industry]\n制造业\n",
    )
    .unwrap();
    let out = stdout(
        bin()
            .args([
                "summary",
                "-q",
                "--method",
                "dictionary",
                "--csv",
                "--dictionary",
            ])
            .arg(&dict)
            .arg(&input),
    );
    let (h, rows) = parse_csv(&out);
    assert_eq!(rows.len(), 3);
    for r in &rows {
        let paragraphs = num(r, col(&h, "paragraphs"));
        let labelled = if r[0] == "丙区" {
            paragraphs - 1.0
        } else {
            paragraphs
        };
        // Every generated paragraph has each keyword once.
        assert_eq!(num(r, col(&h, "hits")), 3.0 * labelled);
        for t in ["ecology", "rural", "industry"] {
            assert!((num(r, col(&h, t)) - 1.0 / 3.0).abs() < 1e-6);
            let rate = num(r, col(&h, &format!("{t}_rate")));
            assert!((rate - labelled / num(r, col(&h, "words"))).abs() < 1e-6);
        }
        assert_eq!(num(r, col(&h, "poverty")), 0.0);
    }
    // The built-in dictionary works on the gold labels; rows sum to 1.
    let out = stdout(bin().args(["summary", "-q", "--gold", "--method", "dictionary", "--csv"]));
    let (h, rows) = parse_csv(&out);
    // 15 regions; 九原区 and 呼和浩特市 hold two kinds of document each.
    assert_eq!(rows.len(), 17);
    for r in &rows {
        let sum: f64 = THEMES.iter().map(|t| num(r, col(&h, t))).sum();
        assert!((sum - 1.0).abs() < 1e-4);
    }
    // A broken dictionary names its file and line.
    std::fs::write(&dict, "[ecology]\n污染防治\n[ecology]\n污染防治\n").unwrap();
    bin()
        .args(["summary", "-q", "--method", "dictionary", "--dictionary"])
        .arg(&dict)
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("dict.txt:4"));
}

#[test]
fn compare_lists_differences_largest_first_with_intervals() {
    let out = stdout(bin().args([
        "compare",
        "-q",
        "--gold",
        "--csv",
        "--kind",
        "work_report",
        "九原区",
        "咸阳市",
    ]));
    let (h, rows) = parse_csv(&out);
    assert_eq!(rows.len(), 13);
    let themes: BTreeSet<&str> = rows.iter().map(|r| r[col(&h, "theme")].as_str()).collect();
    assert_eq!(themes.len(), 13);
    let diffs: Vec<f64> = rows.iter().map(|r| num(r, col(&h, "diff"))).collect();
    for w in diffs.windows(2) {
        assert!(w[0].abs() >= w[1].abs() - 1e-9, "{diffs:?}");
    }
    for r in &rows {
        let (a, b, d) = (
            num(r, col(&h, "share_a")),
            num(r, col(&h, "share_b")),
            num(r, col(&h, "diff")),
        );
        assert!((a - b - d).abs() < 1e-5);
        assert!(num(r, col(&h, "diff_lo")) <= d + 1e-6 && d <= num(r, col(&h, "diff_hi")) + 1e-6);
    }
    assert!(rows
        .iter()
        .all(|r| r[col(&h, "kind_a")] == "work_report" && r[col(&h, "kind_b")] == "work_report"));
    // 九原区's 2022 work report and 2024 plan report are two kinds of
    // document: not compared unless asked for, and then with a caveat.
    bin()
        .args(["compare", "-q", "--gold", "九原区:2022", "九原区:2024"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("`九原区:2022` is work_report")
                .and(predicate::str::contains("`九原区:2024` is plan_report"))
                .and(predicate::str::contains("--pool-kinds")),
        );
    let table = stdout(bin().args([
        "compare",
        "-q",
        "--gold",
        "--pool-kinds",
        "九原区:2022",
        "九原区:2024",
    ]));
    assert!(
        table.contains("A = 九原区:2022 (region:year; work_report;")
            && table.contains("95% interval")
            && table.contains("not documents of one kind (work_report against plan_report"),
        "{table}"
    );
    // A region of a work report and articles is refused as one side, with
    // the kind both sides have offered.
    bin()
        .args(["compare", "-q", "--gold", "呼和浩特市", "厦门市"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("`呼和浩特市` holds 2 kinds")
                .and(predicate::str::contains(
                    "article (7 documents, 55 paragraphs)",
                ))
                .and(predicate::str::contains("--kind work_report")),
        );
    bin()
        .args(["compare", "-q", "--gold", "九原区", "火星"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("火星"));
}

#[test]
fn new_subcommands_document_their_flags() {
    for sub in ["compare", "report"] {
        bin()
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage:"));
    }
    bin().args(["summary", "--help"]).assert().success().stdout(
        predicate::str::contains("--ci")
            .and(predicate::str::contains("--adjust"))
            .and(predicate::str::contains("hits per 1000 words")),
    );
}

#[test]
fn analyze_writes_the_html_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bin()
        .args(["analyze", "-q", "corpus", "--out"])
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_well_formed(&html);
    let mut r = csv::Reader::from_path(out.join("paragraphs.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let region = h.iter().position(|c| c == "region").unwrap();
    let regions: BTreeSet<String> = r
        .records()
        .map(|x| x.unwrap().get(region).unwrap().to_string())
        .collect();
    assert_eq!(regions.len(), 15);
    for reg in &regions {
        assert!(html.contains(reg.as_str()), "{reg}");
    }
    for t in THEMES {
        assert!(html.contains(&format!("id=\"theme-{t}\"")), "{t}");
    }
    assert!(html.contains("trained on "), "names the model");
    assert!(
        html.contains(
            "sparse_logistic (alpha=0.03, max_iterations=500) on character bigrams, trained on"
        ),
        "names the default model's classifier and features, and no document prior"
    );
    assert!(html.contains("九原区") && html.contains("id=\"trends\""));
    // Methods: the cross-validation analyze measured and kept beside the model.
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("validation.json")).unwrap())
            .unwrap();
    for g in ["by_document", "by_region"] {
        let f1 = v[g]["macro_f1"].as_f64().unwrap();
        assert!(f1 > 0.5 && f1 < 1.0, "{g}: {f1}");
        assert!(html.contains(&format!("{f1:.3}")), "{g} macro-F1 shown");
    }
    assert!(
        !html.contains(dir.path().to_str().unwrap()),
        "no local path"
    );
    // Kinds apart: 九原区 has a work report and a plan report row.
    assert!(html.contains("九原区 · work report") && html.contains("九原区 · plan report"));
}

/// Standard base64 (the report's `data:` links), decoded.
fn unbase64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let mut out = Vec::new();
    for chunk in s.as_bytes().chunks(4) {
        let pad = chunk.iter().filter(|&&c| c == b'=').count();
        let mut n = 0u32;
        for &c in chunk {
            n = (n << 6) | if c == b'=' { 0 } else { u32::from(val(c)) };
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    out
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    Some(&tag[i..i + tag[i..].find('"')?])
}

/// The heatmap's cells: (cell id, link target, share in `data-v`).
fn heat_cells(html: &str) -> Vec<(String, String, f64)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<td") {
        rest = &rest[i..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..end];
        if let (Some(id), Some(v)) = (attr(tag, "id"), attr(tag, "data-v")) {
            let after = &rest[end + 1..];
            let a_end = after.find('>').unwrap();
            let href = attr(&after[..a_end], "href")
                .unwrap()
                .trim_start_matches('#');
            out.push((id.to_string(), href.to_string(), v.parse().unwrap()));
        }
        rest = &rest[end..];
    }
    out
}

/// A listing by id: its `data-share`, `data-context` and each paragraph's `data-w`.
fn listing(html: &str, id: &str) -> (f64, f64, Vec<f64>) {
    let start = html
        .find(&format!("<section class=\"listing\" id=\"{id}\""))
        .unwrap_or_else(|| panic!("no listing {id}"));
    let body = &html[start..];
    let body = &body[..body.find("</section>").unwrap()];
    let head = &body[..body.find('>').unwrap()];
    let share = attr(head, "data-share").unwrap().parse().unwrap();
    let context = attr(head, "data-context").unwrap().parse().unwrap();
    let weights = body
        .split("<li ")
        .skip(1)
        .map(|li| attr(&format!(" {li}"), "data-w").unwrap().parse().unwrap())
        .collect();
    (share, context, weights)
}

/// The heatmap's rows: display index → (region, kind as the file writes it).
fn heat_rows(html: &str) -> HashMap<String, (String, String)> {
    let mut out = HashMap::new();
    for part in html.split("<tr class=\"r\" data-o=\"").skip(1) {
        let idx = &part[..part.find('"').unwrap()];
        let th = &part[part.find("<th>").unwrap() + 4..];
        let label = &th[..th.find("<small>").unwrap()];
        let (region, kind) = label.rsplit_once(" · ").unwrap();
        let kind = match kind {
            "work report" => "work_report",
            "plan report" => "plan_report",
            k => k,
        };
        out.insert(idx.to_string(), (region.to_string(), kind.to_string()));
    }
    out
}

/// The `data:` link downloading `name`, decoded.
fn download(html: &str, name: &str) -> String {
    let key = format!("download=\"{name}\" href=\"data:text/csv;charset=utf-8;base64,");
    let i = html
        .find(&key)
        .unwrap_or_else(|| panic!("no download {name}"))
        + key.len();
    String::from_utf8(unbase64(&html[i..i + html[i..].find('"').unwrap()])).unwrap()
}

/// `labelled.csv` with 甲市's 2023 document turned into an article without
/// poverty paragraphs (relabelled rural): 甲市 then has a work-report row
/// and an article row with a 0% cell, and no trend.
fn with_an_article(dir: &Path) -> PathBuf {
    let input = write_labelled(dir);
    let text = std::fs::read_to_string(&input).unwrap();
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with("jia-2023,") {
            out.push_str(&line.replacen("work_report", "article", 1).replacen(
                ",poverty,",
                ",rural,",
                1,
            ));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    let path = dir.join("mixed.csv");
    std::fs::write(&path, out).unwrap();
    path
}

fn report(input: &Path, out: &Path, extra: &[&str]) -> String {
    bin()
        .args(["report", "-q"])
        .arg(input)
        .arg("-o")
        .arg(out)
        .args(extra)
        .assert()
        .success();
    std::fs::read_to_string(out).unwrap()
}

#[test]
fn every_heatmap_cell_links_to_paragraphs_that_add_up_to_its_share() {
    let dir = tempfile::tempdir().unwrap();
    let input = with_an_article(dir.path());
    let html = report(&input, &dir.path().join("r.html"), &[]);
    assert_well_formed(&html);
    let rows = heat_rows(&html);
    // Rows are region × kind: 甲市 twice, 乙县 and 丙区 once.
    let mut keys: Vec<(String, String)> = rows.values().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            ("丙区", "work_report"),
            ("乙县", "work_report"),
            ("甲市", "article"),
            ("甲市", "work_report"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    // summary's shares for the same rows.
    let csv = stdout(
        bin()
            .args(["summary", "-q", "--by", "region,kind", "--format", "csv"])
            .arg(&input),
    );
    let (h, srows) = parse_csv(&csv);
    let cells = heat_cells(&html);
    assert_eq!(cells.len(), rows.len() * THEMES.len());
    for (id, href, v) in &cells {
        let (_, rest) = id.split_once('-').unwrap();
        let (idx, theme) = rest.split_once('-').unwrap();
        assert_eq!(href, &format!("p-{idx}-{theme}"), "{id}");
        let (share, context, weights) = listing(&html, href);
        let sum: f64 = weights.iter().sum();
        assert!(
            (sum / context - share).abs() < 1e-6,
            "{href}: {sum}/{context} vs {share}"
        );
        assert!((share - v).abs() < 1e-6, "{id}: cell {v}, listing {share}");
        let (region, kind) = &rows[idx];
        let row = srows
            .iter()
            .find(|r| &r[col(&h, "region")] == region && &r[col(&h, "kind")] == kind)
            .unwrap();
        assert!(
            (num(row, col(&h, theme)) - v).abs() < 1e-6,
            "{id} vs summary"
        );
    }
    // Some cells are zero and still have their interval drawn and a listing.
    assert!(cells.iter().any(|c| c.2 == 0.0));
    assert_eq!(
        html.matches("<svg class=\"whisker abs\"").count(),
        cells.len(),
        "a whisker in every cell, zeros included"
    );
    // The trend joins one kind only: 甲市's work report and article are one year each.
    assert!(html.contains("No region has two years of the same kind of document"));
    let plain = report(&write_labelled(dir.path()), &dir.path().join("p.html"), &[]);
    assert!(!plain.contains("No region has two years"));
    assert!(plain.contains("甲市 · work report <small>2 years</small>"));
}

#[test]
fn report_embeds_its_data_names_no_local_path_and_charts_a_learning_curve() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_labelled(dir.path());
    assert!(input.is_absolute());
    let curve = dir.path().join("curve.csv");
    std::fs::write(
        &curve,
        "fraction,labels,repeats,macro_f1,macro_f1_low,macro_f1_high,share_error_pp,share_error_low,share_error_high\n\
         0.5,580,3,0.812,0.79,0.834,2.1,1.9,2.3\n\
         1.0,1161,1,0.868,0.868,0.868,1.52,1.52,1.52\n",
    )
    .unwrap();
    let html = report(
        &input,
        &dir.path().join("r.html"),
        &["--learning-curve", curve.to_str().unwrap()],
    );
    assert_well_formed(&html);
    let root = dir.path().to_str().unwrap();
    assert!(!html.contains(root), "no path of the user's machine");
    assert!(html.contains("<dd>labelled.csv</dd>"));
    assert!(html.contains("id=\"curve\"") && html.contains("0.812 (0.790–0.834)"));
    // The downloads are what summary writes for the same rows.
    let shares = stdout(
        bin()
            .args([
                "summary",
                "-q",
                "--by",
                "region,kind",
                "--ci",
                "--format",
                "csv",
            ])
            .arg(&input),
    );
    assert_eq!(download(&html, "shares.csv"), shares);
    let panel = stdout(
        bin()
            .args([
                "summary",
                "-q",
                "--by",
                "region,year",
                "--ci",
                "--format",
                "long",
            ])
            .arg(&input),
    );
    assert_eq!(download(&html, "panel.csv"), panel);
    let dict = download(&html, "dictionary.csv");
    assert!(
        dict.starts_with("region,kind,paragraphs,words,hits,"),
        "{dict}"
    );
    // The dictionary view sits beside the model's.
    assert!(html.contains("id=\"view-dict\"") && html.contains("class=\"v dict\""));
    // Methods: no model, so it says how to name one; the date and a citation.
    assert!(html.contains("id=\"methods\"") && html.contains("Suggested citation"));
    assert!(html.contains("in-sample"));
    // A curve file that is not one: an error naming it and the line, no report.
    std::fs::write(&curve, "fraction,labels\n0.5,x\n").unwrap();
    let none = dir.path().join("none.html");
    bin()
        .args(["report", "-q"])
        .arg(&input)
        .arg("-o")
        .arg(&none)
        .arg("--learning-curve")
        .arg(&curve)
        .assert()
        .failure()
        .stderr(predicate::str::contains("curve.csv").and(predicate::str::contains("2")));
    assert!(!none.exists());
}
