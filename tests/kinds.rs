//! Like with like: rows, trends, comparisons and drill-downs keep kinds of
//! document (work reports, plan reports, articles) apart by default, say so,
//! and `--kind` keeps one kind.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{bin, default_model};
use predicates::prelude::*;

/// The bundled corpus labelled by the default model: made once.
fn labelled() -> &'static Path {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("kinds-labelled.csv");
        bin()
            .args(["label", "-q", "corpus", "--model"])
            .arg(default_model())
            .arg("-o")
            .arg(&path)
            .assert()
            .success();
        path
    })
}

fn run(args: &[&str]) -> (String, String) {
    let out = bin().args(args).arg(labelled()).assert().success();
    let o = out.get_output();
    (
        String::from_utf8(o.stdout.clone()).unwrap(),
        String::from_utf8(o.stderr.clone()).unwrap(),
    )
}

type Table = (Vec<String>, Vec<Vec<String>>);

fn csv_of(text: &str) -> Table {
    let mut r = csv::Reader::from_reader(text.as_bytes());
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

#[test]
fn summary_rows_keep_kinds_apart_and_say_so() {
    let (out, err) = run(&["summary", "--format", "csv"]);
    let (h, rows) = csv_of(&out);
    assert_eq!(&h[..3], ["region", "kind", "paragraphs"]);
    // 15 regions; 九原区 has a work and a plan report, 呼和浩特市 a work
    // report and seven articles.
    assert_eq!(rows.len(), 17);
    let keys: BTreeSet<(&str, &str)> = rows.iter().map(|r| (&r[0][..], &r[1][..])).collect();
    assert_eq!(keys.len(), 17);
    for k in [
        ("九原区", "work_report"),
        ("九原区", "plan_report"),
        ("呼和浩特市", "work_report"),
        ("呼和浩特市", "article"),
    ] {
        assert!(keys.contains(&k), "{k:?}");
    }
    assert!(
        err.contains("rows keep kinds of document apart (column `kind`)")
            && err.contains("article, plan_report, work_report"),
        "{err}"
    );
    // The table says it in its notes instead.
    let (table, err) = run(&["summary"]);
    assert!(
        table.contains("(one row per kind of document (article, plan_report, work_report)"),
        "{table}"
    );
    assert!(!err.contains("apart"), "{err}");

    // Pooled on request: 15 rows, said on stderr; a region of one kind has
    // the same shares either way.
    let (pooled, err) = run(&["summary", "--format", "csv", "--pool-kinds"]);
    let (ph, prow) = csv_of(&pooled);
    assert_eq!(prow.len(), 15);
    assert!(!ph.contains(&"kind".to_string()));
    assert!(
        err.contains("rows pool kinds of document (--pool-kinds)"),
        "{err}"
    );
    let apart_of = |region: &str| rows.iter().find(|r| r[0] == region).unwrap()[2..].to_vec();
    let pooled_of = |region: &str| prow.iter().find(|r| r[0] == region).unwrap()[1..].to_vec();
    assert_eq!(apart_of("厦门市"), pooled_of("厦门市"));
    assert_ne!(apart_of("九原区"), pooled_of("九原区"));

    // --kind keeps one kind: the rows of that kind, as they were.
    let (one, err) = run(&["summary", "--format", "csv", "--kind", "article"]);
    let (_, orows) = csv_of(&one);
    assert_eq!(orows.len(), 1);
    let article = rows
        .iter()
        .find(|r| r[0] == "呼和浩特市" && r[1] == "article")
        .unwrap();
    assert_eq!(&orows[0], article);
    assert!(!err.contains("kinds of document"), "{err}");

    // An unknown kind: an error naming the kinds there, nothing on stdout.
    bin()
        .args(["summary", "--kind", "work-report"])
        .arg(labelled())
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("--kind work-report: no paragraph of that kind")
                .and(predicate::str::contains("work_report (14 documents")),
        );
}

#[test]
fn a_year_trend_joins_documents_of_one_kind() {
    let (out, _) = run(&["summary", "-q", "--by", "region,year", "--format", "long"]);
    let (h, rows) = csv_of(&out);
    assert_eq!(&h[..4], ["region", "kind", "year", "region_code"]);
    // One kind column, from the key, never a pooled `a+b`.
    assert_eq!(h.iter().filter(|c| *c == "kind").count(), 1);
    assert!(rows.iter().all(|r| !r[1].is_empty() && !r[1].contains('+')));
    // Every trend (region × kind) holds documents of that kind only; 呼和浩特市
    // 2021 is two points, one per kind.
    let hohhot: BTreeSet<(&str, &str)> = rows
        .iter()
        .filter(|r| r[0] == "呼和浩特市" && r[2] == "2021")
        .map(|r| (&r[1][..], &r[2][..]))
        .collect();
    assert_eq!(hohhot.len(), 2, "{hohhot:?}");
    let trends: BTreeMap<(&str, &str), BTreeSet<&str>> =
        rows.iter().fold(BTreeMap::new(), |mut m, r| {
            m.entry((&r[0][..], &r[1][..]))
                .or_default()
                .insert(&r[2][..]);
            m
        });
    assert_eq!(trends[&("九原区", "work_report")].len(), 1);
    assert_eq!(trends[&("九原区", "plan_report")].len(), 1);
}

#[test]
fn show_gives_each_kinds_share_as_summary_does() {
    let (out, _) = run(&["summary", "-q", "--format", "csv"]);
    let (h, rows) = csv_of(&out);
    let share = |region: &str, kind: &str| -> f64 {
        let r = rows
            .iter()
            .find(|r| r[0] == region && r[1] == kind)
            .unwrap();
        r[col(&h, "industry")].parse().unwrap()
    };
    let (_, err) = run(&[
        "show",
        "--region",
        "呼和浩特市",
        "--theme",
        "industry",
        "--format",
        "csv",
    ]);
    assert!(err.contains("from 2 kinds of document"), "{err}");
    let shares: Vec<f64> = err
        .match_indices("(share ")
        .map(|(i, _)| err[i + 7..i + 15].parse().unwrap())
        .collect();
    assert_eq!(shares.len(), 2, "{err}");
    assert!(
        (shares[0] - share("呼和浩特市", "article")).abs() < 2e-6,
        "{err}"
    );
    assert!(
        (shares[1] - share("呼和浩特市", "work_report")).abs() < 2e-6,
        "{err}"
    );
    // Pooled: the share of summary --pool-kinds.
    let (out, _) = run(&["summary", "-q", "--format", "csv", "--pool-kinds"]);
    let (ph, prow) = csv_of(&out);
    let pooled: f64 = prow.iter().find(|r| r[0] == "呼和浩特市").unwrap()[col(&ph, "industry")]
        .parse()
        .unwrap();
    let (_, err) = run(&[
        "show",
        "--region",
        "呼和浩特市",
        "--theme",
        "industry",
        "--format",
        "csv",
        "--pool-kinds",
    ]);
    let i = err.find("(share ").unwrap() + 7;
    assert!((err[i..i + 8].parse::<f64>().unwrap() - pooled).abs() < 2e-6);
    assert_eq!(err.matches("(share ").count(), 1, "{err}");
}

#[test]
fn compare_refuses_a_difference_across_kinds() {
    // The case of the issue: a 2022 work report against a 2024 plan report.
    let cmd = |extra: &[&str]| {
        let mut c = bin();
        c.arg("compare").arg(labelled());
        c.args(["九原区:2022", "九原区:2024"]).args(extra);
        c
    };
    cmd(&[]).assert().code(2).stdout("").stderr(
        predicate::str::contains(
            "`九原区:2022` is work_report (1 document, 68 paragraphs) and `九原区:2024` is \
                 plan_report (1 document, 94 paragraphs)",
        )
        .and(predicate::str::contains("not tested"))
        .and(predicate::str::contains("--pool-kinds")),
    );
    // --kind cannot make them alike: one side is left empty.
    cmd(&["--kind", "work_report"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`九原区:2024` has no paragraph of kind work_report",
        ));
    // Asked for, it compares with a warning, a caveat and both kinds in the CSV.
    let out = cmd(&["--pool-kinds", "--format", "csv"]).assert().success();
    let o = out.get_output();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("not documents of one kind"), "{err}");
    let (h, rows) = csv_of(&String::from_utf8_lossy(&o.stdout));
    assert_eq!(rows.len(), 13);
    assert!(rows
        .iter()
        .all(|r| r[col(&h, "kind_a")] == "work_report" && r[col(&h, "kind_b")] == "plan_report"));
    let table = String::from_utf8(
        cmd(&["--pool-kinds", "-q"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    assert!(
        table.contains("(A and B are not documents of one kind"),
        "{table}"
    );

    // A side that pools kinds is refused; --kind compares like with like.
    let mut c = bin();
    c.arg("compare")
        .arg(labelled())
        .args(["呼和浩特市", "厦门市"]);
    c.assert().code(2).stderr(
        predicate::str::contains("`呼和浩特市` holds 2 kinds of document")
            .and(predicate::str::contains("--kind work_report")),
    );
    let (out, _) = {
        let mut c = bin();
        c.args(["compare", "-q", "--format", "csv", "--kind", "work_report"])
            .arg(labelled())
            .args(["呼和浩特市", "厦门市"]);
        let o = c.assert().success().get_output().clone();
        (String::from_utf8(o.stdout).unwrap(), ())
    };
    let (h, rows) = csv_of(&out);
    assert!(rows
        .iter()
        .all(|r| r[col(&h, "kind_a")] == "work_report" && r[col(&h, "kind_b")] == "work_report"));
    // 呼和浩特市's work report alone: its share is the work_report row's.
    let (s, _) = run(&["summary", "-q", "--format", "csv", "--kind", "work_report"]);
    let (sh, srows) = csv_of(&s);
    let want: f64 = srows.iter().find(|r| r[0] == "呼和浩特市").unwrap()[col(&sh, "industry")]
        .parse()
        .unwrap();
    let got: f64 = rows
        .iter()
        .find(|r| r[col(&h, "theme")] == "industry")
        .unwrap()[col(&h, "share_a")]
    .parse()
    .unwrap();
    assert!((want - got).abs() < 2e-6);
}

#[test]
fn analyze_and_report_take_kind() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bin()
        .args(["analyze", "-q", "corpus", "--kind", "work_report", "--out"])
        .arg(&out)
        .assert()
        .success();
    let text = |p: &str| std::fs::read_to_string(out.join(p)).unwrap();
    let (h, rows) = csv_of(&text("shares.csv"));
    assert_eq!(&h[..2], ["region", "kind"]);
    // 14 regions have a work report (昆都仑区 only a plan report).
    assert_eq!(rows.len(), 14);
    assert!(rows.iter().all(|r| r[1] == "work_report"));
    // Every paragraph is still labelled.
    assert_eq!(csv_of(&text("paragraphs.csv")).1.len(), 1452);
    let report = dir.path().join("r.html");
    bin()
        .args(["report", "-q", "--kind", "article", "-o"])
        .arg(&report)
        .arg(labelled())
        .assert()
        .success();
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("呼和浩特市") && !html.contains("厦门市"));
}
